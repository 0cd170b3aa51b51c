"""Whether a disclosure from one agency to another is covered by an information sharing agreement."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from csphub.partnership.models import Agency, DataCategory, InformationSharingAgreement, Purpose


@dataclass(frozen=True)
class SharingDecision:
    allowed: bool
    reason: str
    agreement: InformationSharingAgreement | None = None


def check_disclosure(
    source: Agency,
    recipient: Agency,
    category: str,
    purpose: str | None = None,
    on: dt.date | None = None,
) -> SharingDecision:
    """Find a valid ISA with both agencies as parties covering the data category (and purpose, if given).

    The refusal reason names what is missing, nearest first: no agreement between the two, none valid on the
    day, none covering the kind of data, none covering the purpose.
    """
    day = on or timezone.localdate()
    if source.pk == recipient.pk:
        return SharingDecision(True, f"{recipient} already holds the record (same agency)")
    category_label = DataCategory(category).label.lower() if category in DataCategory.values else category
    between = list(
        InformationSharingAgreement.objects.filter(parties=source)
        .filter(parties=recipient)
        .order_by("-valid_from", "reference")
    )
    if not between:
        return SharingDecision(
            False, f"No information sharing agreement has both {source} and {recipient} as parties."
        )
    valid = [isa for isa in between if isa.is_valid_on(day)]
    if not valid:
        latest = between[0]
        window = f"from {latest.valid_from:%d %B %Y}" + (f" to {latest.valid_to:%d %B %Y}" if latest.valid_to else "")
        return SharingDecision(
            False,
            f"The information sharing agreement between {source} and {recipient} ({latest.reference}) is not valid "
            f"on {day:%d %B %Y}: it runs {window}.",
        )
    covering = [isa for isa in valid if category in isa.data_categories]
    if not covering:
        refs = ", ".join(isa.reference for isa in valid)
        return SharingDecision(
            False, f"No valid agreement between {source} and {recipient} ({refs}) covers {category_label}."
        )
    if purpose:
        with_purpose = [isa for isa in covering if purpose in isa.purposes]
        if not with_purpose:
            refs = ", ".join(isa.reference for isa in covering)
            purpose_label = Purpose(purpose).label if purpose in Purpose.values else purpose
            return SharingDecision(
                False,
                f"The agreements covering {category_label} between {source} and {recipient} ({refs}) do not "
                f"include the purpose: {purpose_label}.",
            )
        covering = with_purpose
    agreement = covering[0]
    return SharingDecision(True, f"Covered by {agreement.reference} {agreement.title}", agreement)
