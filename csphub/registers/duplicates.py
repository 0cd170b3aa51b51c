"""Duplicate prevention at the door: the people already on the register who may be the one being recorded.

One function, used wherever a person is entered (the register, opening a case), limited to what the user may see.
Today it asks the register search (fuzzy names, date of birth); the register merger's linkage model can take its
place here without any caller changing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from csphub.registers.dates import PartialDate
from csphub.registers.search import PersonMatch, PersonQuery, SearchError, search_people

if TYPE_CHECKING:
    from csphub.partnership.models import User

LIMIT = 10


def likely_matches(
    user: User, *, given_name: str, family_name: str, date_of_birth: PartialDate | None = None, postcode: str = ""
) -> list[PersonMatch]:
    """Visible people whose name sounds alike, and whose date of birth (if both are known) does not contradict."""
    name = f"{given_name} {family_name}".strip()
    if not family_name.strip():
        return []
    try:
        by_name = search_people(user, PersonQuery(name=name), limit=LIMIT * 3)
    except SearchError:
        return []
    matches = [
        m
        for m in by_name
        if date_of_birth is None
        or m.person.date_of_birth is None
        or date_of_birth.matches(m.person.date_of_birth)
        or m.person.date_of_birth.matches(date_of_birth)
    ]
    if postcode.strip():
        try:
            nearby = {m.person.pk for m in search_people(user, PersonQuery(name=name, postcode=postcode))}
        except SearchError:
            nearby = set()
        matches.sort(key=lambda m: m.person.pk not in nearby)
    return matches[:LIMIT]
