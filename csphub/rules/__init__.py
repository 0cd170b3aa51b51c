"""Statutory calculators: pure functions over plain values, no Django.

- ``case_review``: the ASB case review (Community Trigger), ASB, Crime and Policing Act 2014 s.104.
- ``marac``: MARAC referral criteria for domestic abuse (SafeLives).
- ``asb_powers``: the ASB powers a partnership uses against a perpetrator or for a place, with their clocks.

Every result carries ``reasons``: plain-English sentences with the dates that matter, for a case officer.
"""
