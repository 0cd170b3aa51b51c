"""Risk assessments: versioned question sets (DASH, ASB victim risk, cuckooing) and completed assessments.

``engine`` and ``definitions/`` are plain Python and data, importable without Django.
"""
