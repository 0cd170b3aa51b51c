"""Whether a disclosure from one agency to another is covered by an information sharing agreement."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from csphub.partnership.models import Agency, DataCategory, InformationSharingAgreement, Purpose
from csphub.ui.dates import govuk_date


@dataclass(frozen=True)
class SharingDecision:
    allowed: bool
    reason: str
    agreement: InformationSharingAgreement | None = None


def _shortfall(isa: InformationSharingAgreement, category: str, purpose: str | None, day: dt.date) -> str | None:
    """Why this agreement does not cover the disclosure (None when it does)."""
    if not isa.is_valid_on(day):
        window = f"from {govuk_date(isa.valid_from)}" + (f" to {govuk_date(isa.valid_to)}" if isa.valid_to else "")
        return f"{isa.reference} is not valid on {govuk_date(day)}: it runs {window}"
    if category not in isa.data_categories:
        label = DataCategory(category).label.lower() if category in DataCategory.values else category
        return f"{isa.reference} does not cover {label}"
    if purpose and purpose not in isa.purposes:
        label = Purpose(purpose).label if purpose in Purpose.values else purpose
        return f"{isa.reference} does not include the purpose: {label}"
    return None


def check_disclosure(
    source: Agency,
    recipient: Agency,
    category: str,
    purpose: str | None = None,
    on: dt.date | None = None,
) -> SharingDecision:
    """Find an ISA in force with both agencies as parties that covers the data category (and purpose, if given).

    A refusal names every agreement between the two agencies and what each one lacks (not in force on the day,
    not this kind of data, not this purpose), or says there is no agreement between them at all.
    """
    day = on or timezone.localdate()
    if source.pk == recipient.pk:
        return SharingDecision(True, f"{recipient} already holds the record (same agency)")
    between = list(
        InformationSharingAgreement.objects.filter(parties=source)
        .filter(parties=recipient)
        .order_by("-valid_from", "reference")
    )
    if not between:
        return SharingDecision(False, f"No information sharing agreement has both {source} and {recipient} as parties.")
    shortfalls = []
    for isa in between:
        problem = _shortfall(isa, category, purpose, day)
        if problem is None:
            return SharingDecision(True, f"Covered by {isa.reference} {isa.title}", isa)
        shortfalls.append(problem)
    return SharingDecision(
        False,
        f"No agreement in force between {source} and {recipient} covers this disclosure: {'; '.join(shortfalls)}.",
    )
