"""Cuckooing register records for tests."""

from __future__ import annotations

from typing import Any

from csphub.access.vocabulary import Caveat
from csphub.cuckooing.models import PanelMember, VulnerabilityRecord
from csphub.partnership.models import Agency, User
from csphub.registers.models import Person, Place


def make_record(
    owner: User,
    *,
    person: Person | None = None,
    premises: Place | None = None,
    parties: tuple[Agency, ...] = (),
    caveat: str = Caveat.OFFICIAL,
    **fields: Any,
) -> VulnerabilityRecord:
    """A record owned by ``owner``'s agency (test set-up, not a disclosure: ``parties`` added directly)."""
    record = VulnerabilityRecord(
        person=person, premises=premises, owning_agency=owner.agency, created_by=owner, caveat=caveat, **fields
    )
    record.full_clean()
    record.save()
    if parties:
        record.parties.add(*parties)
    return record


def seat(*users: User) -> None:
    """Put users on the cuckooing panel."""
    for user in users:
        PanelMember.objects.get_or_create(user=user)
