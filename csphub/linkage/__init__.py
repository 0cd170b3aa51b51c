"""The register merger: one register of people from the four former districts' registers.

:mod:`csphub.linkage.engine` is plain Python with no Django import (mappings and parsing of legacy exports, a
seeded synthetic generator, the Splink model, clustering, explanations and the ``csphub link`` command line); the
Django side (source records, import batches, the review queue, merge and unmerge) builds on it.
"""
