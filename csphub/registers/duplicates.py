"""Duplicate prevention at the door: the people and places already on the register who may be the one being recorded.

``likely_matches`` is used wherever a person is entered (the register, opening a case), ``likely_places`` wherever a
place is; both are limited to what the user may see (places the user may not see are told only as a count).
When the register merger has trained a linkage model, the same model scores the person typed in against the
register (``csphub.linkage.door``, plugged in with ``use_matcher``): one matcher everywhere. Before any model exists,
the register search (fuzzy names, date of birth) answers instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from csphub.access import consultation
from csphub.access.vocabulary import Verb
from csphub.common import places as placematch
from csphub.common.dates import PartialDate
from csphub.common.postcodes import compact
from csphub.geography import CoordinateError
from csphub.registers import geo
from csphub.registers.models import Place, fold_address
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


# Places compared in Python after the database narrows them (same postcode or UPRN, nearby, or on the same street).
PLACE_CANDIDATES = 500


@dataclass(frozen=True)
class PlaceMatch:
    place: Place
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class PlaceMatches:
    """Places the user may see that may be the one being recorded, best first, and how many more they may not see."""

    matches: list[PlaceMatch]
    hidden: int

    def __bool__(self) -> bool:
        return bool(self.matches) or self.hidden > 0


def _facts(
    address: str,
    name: str,
    postcode: str,
    uprn: str,
    latitude: float | None,
    longitude: float | None,
    easting: float | None,
    northing: float | None,
) -> placematch.PlaceFacts:
    """The place being recorded, placed as ``services.record_place`` would place it (given point, else postcode)."""
    try:
        coords = geo.complete(latitude, longitude, easting, northing)
    except CoordinateError:
        coords = None
    if coords is None and postcode.strip():
        point = geo.postcode_point(postcode)
        if point is not None:
            coords = (point.latitude, point.longitude, point.easting, point.northing)
    return placematch.PlaceFacts(
        address=address,
        name=name,
        postcode=postcode,
        uprn=uprn.strip(),
        easting=coords[2] if coords else None,
        northing=coords[3] if coords else None,
    )


def _candidates(places: QuerySet[Place], facts: placematch.PlaceFacts) -> QuerySet[Place]:
    near = Q(pk__in=[])
    if facts.postcode.strip():
        near |= Q(postcode_compact=compact(facts.postcode))
    if facts.uprn:
        near |= Q(uprn=facts.uprn)
    if facts.easting is not None and facts.northing is not None:
        m = placematch.NEAR_METRES
        near |= Q(
            easting__range=(facts.easting - m, facts.easting + m),
            northing__range=(facts.northing - m, facts.northing + m),
        )
    # The same street: the address's longest word that is not a number ("rockingham" of "12 Rockingham Rd").
    words = sorted((w for w in fold_address(facts.address).split() if not w[0].isdigit()), key=len, reverse=True)
    if words and len(words[0]) >= 4:
        near |= Q(address_norm__contains=words[0])
    return places.filter(near).defer("district__boundary")[:PLACE_CANDIDATES]


def _ranked(places: QuerySet[Place], facts: placematch.PlaceFacts) -> list[PlaceMatch]:
    found = []
    for place in _candidates(places, facts):
        existing = placematch.PlaceFacts(
            place.address, place.name, place.postcode, place.uprn, place.easting, place.northing
        )
        similarity = placematch.compare(facts, existing)
        if similarity is not None:
            found.append(PlaceMatch(place, similarity.score, similarity.reasons))
    return sorted(found, key=lambda m: (-m.score, m.place.address_norm, m.place.pk))


def likely_places(
    user: User,
    *,
    address: str,
    name: str = "",
    postcode: str = "",
    uprn: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
    easting: float | None = None,
    northing: float | None = None,
) -> PlaceMatches:
    """Places already on the register that are probably the one being recorded (``csphub.common.places.compare``):
    those the user may see, most likely first, and a count of those the policy lets them be told exist."""
    if not (address.strip() or name.strip()):
        return PlaceMatches([], 0)
    facts = _facts(address, name, postcode, uprn, latitude, longitude, easting, northing)
    visible = Place.objects.visible_to(user, Verb.VIEW).select_related("owning_agency", "district")
    matches = _ranked(visible.with_rules(user), facts)[:LIMIT]
    hidden = len(_ranked(Place.objects.leads_for(user), facts))
    consultation.record_results([m.place for m in matches], "a duplicate check", {"check": "place"})
    return PlaceMatches(matches, hidden)
