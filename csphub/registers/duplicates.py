"""Duplicate prevention at the door: the people already on the register who may be the one being recorded.

One function, used wherever a person is entered (the register, opening a case), limited to what the user may see.
When the register merger has trained a linkage model, the same model scores the person typed in against the
register (``csphub.linkage.door``, plugged in with ``use_matcher``): one matcher everywhere. Before any model exists,
the register search (fuzzy names, date of birth) answers instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from csphub.access import consultation
from csphub.common.dates import PartialDate
from csphub.registers.search import PersonMatch, PersonQuery, SearchError, search_people

if TYPE_CHECKING:
    from csphub.partnership.models import User

LIMIT = 10


# The linkage model's matcher, when the register merger is installed (``csphub.linkage`` registers it at start-up):
# registers knows no linkage; linkage plugs into the door. None: the register search answers alone.
Matcher = Callable[["User", str, str, "PartialDate | None", str], "list[PersonMatch] | None"]
_matcher: Matcher | None = None


def use_matcher(matcher: Matcher | None) -> None:
    """Score people at the door with ``matcher`` (it returns None while it has no model to score with)."""
    global _matcher
    _matcher = matcher


def likely_matches(
    user: User, *, given_name: str, family_name: str, date_of_birth: PartialDate | None = None, postcode: str = ""
) -> list[PersonMatch]:
    """Visible people who may be this person, most likely first."""
    if not family_name.strip():
        return []
    found = _matcher(user, given_name, family_name, date_of_birth, postcode) if _matcher is not None else None
    if found is not None:
        consultation.record_results([m.person for m in found], "a duplicate check", {"check": "linkage model"})
        return found
    name = f"{given_name} {family_name}".strip()
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
