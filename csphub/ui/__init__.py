"""The shared UI kit: GOV.UK form rendering and fields, form errors from services, links to records.

It sits under every app with pages and knows no record kind: it imports Django and ``csphub.common`` only.
"""
