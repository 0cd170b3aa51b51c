"""Searching the register across all four districts: fuzzy names, partial dates of birth, postcodes, addresses.

Candidates are fetched with indexed filters (phonetic keys, name prefixes, date parts, postcode prefixes), always
inside ``Person.objects.visible_to(user)`` so that no result is a person the user may not see; they are then
ranked by a score that explains itself. Every person shown is written to the audit log as a consultation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Case, Expression, IntegerField, Q, QuerySet, Value, When

from csphub.access import consultation
from csphub.access.vocabulary import Verb
from csphub.common import names
from csphub.common.dates import PartialDate
from csphub.common.postcodes import search_prefix
from csphub.registers.identifiers import IdentifierError, Scheme
from csphub.registers.identifiers import normalise as normalise_identifier
from csphub.registers.models import Alias, Person, Place, fold_address

if TYPE_CHECKING:
    from csphub.partnership.models import User

# Below this name similarity a candidate found by a loose key is not shown.
MIN_NAME_SIMILARITY = 0.80
CANDIDATE_LIMIT = 2000


class SearchError(ValueError):
    pass


@dataclass(frozen=True)
class PersonQuery:
    name: str = ""
    date_of_birth: PartialDate | None = None
    postcode: str = ""
    address: str = ""
    identifier: str = ""

    def is_empty(self) -> bool:
        return not (
            self.name.strip()
            or self.date_of_birth
            or self.postcode.strip()
            or self.address.strip()
            or self.identifier.strip()
        )

    def describe(self) -> dict[str, str]:
        return {
            k: v
            for k, v in {
                "name": self.name.strip(),
                "date_of_birth": str(self.date_of_birth) if self.date_of_birth else "",
                "postcode": self.postcode.strip(),
                "address": self.address.strip(),
                "identifier": self.identifier.strip(),
            }.items()
            if v
        }


@dataclass(frozen=True)
class PersonMatch:
    person: Person
    score: float
    reasons: tuple[str, ...] = field(default_factory=tuple)


def _split_name(text: str) -> tuple[str, str]:
    """'John Smith' → ('john', 'smith'); 'SMITH, John' → ('john', 'smith'); 'Smith' → ('', 'smith')."""
    if "," in text:
        family, given = text.split(",", 1)
        return names.fold(given).split(" ")[0] if names.fold(given) else "", names.fold(family)
    parts = names.tokens(text)
    if not parts:
        return "", ""
    if len(parts) == 1:
        return "", parts[0]
    return parts[0], " ".join(parts[1:])


def _name_candidates(given: str, family: str) -> Q:
    """Index-friendly filter for people (or their aliases) whose names may match."""
    family_key = names.key(family.replace(" ", ""))
    q = Q(family_key=family_key) | Q(family_norm__startswith=family)
    if len(family) >= 3:
        q |= Q(family_norm__startswith=family[:3])
    if given:
        given_key = names.key(given)
        # Given and family names swapped ("Smith John").
        swapped = Q(given_key=family_key, family_key=given_key)
        q = (q & (Q(given_key=given_key) | Q(given_norm__startswith=given[:1]))) | swapped
    return q


def _candidate_rank(given: str, family: str) -> Expression:
    """How strongly a candidate's name matches, strongest first (0): which candidates are kept when more than
    ``CANDIDATE_LIMIT`` match the loose filter. Ordered by name alone, a family-only search for a common name
    ("Williams": 2,600 "wil…" among 500,000) kept the 2,000 alphabetically first — the Wilkinsons — and lost the
    Williamses; PostgreSQL also walked the whole name index in order to find them (0.4 s)."""
    family_rank = Case(
        When(family_norm=family, then=Value(0)),
        When(family_key=names.key(family.replace(" ", "")), then=Value(1)),
        When(family_norm__startswith=family, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    if not given:
        return family_rank
    given_rank = Case(
        When(given_norm=given, then=Value(0)),
        When(given_key=names.key(given), then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return family_rank * Value(3) + given_rank


def _name_score(given: str, family: str, cand_given: str, cand_family: str) -> float:
    family_sim = names.similarity(family, cand_family)
    if not given:
        return family_sim
    first_cand = cand_given.split(" ")[0] if cand_given else ""
    given_sim = names.similarity(given, first_cand)
    straight = 0.6 * family_sim + 0.4 * given_sim
    swapped = 0.6 * names.similarity(family, first_cand) + 0.4 * names.similarity(given, cand_family)
    return max(straight, swapped - 0.02)


@dataclass(frozen=True)
class HiddenMatches:
    """People matching a search whom the user may not see, as far as the policy lets them be told of
    (``GovernedQuerySet.leads_for``: general records only): how many, and the agency holding each."""

    count: int
    leads: tuple[tuple[str, str], ...]  # (record UUID, holding agency's name), for a request-access link each


def search_people(user: User, query: PersonQuery, *, limit: int | None = None) -> list[PersonMatch]:
    """People the user may see who match the query, best first. Raises SearchError for an unusable query."""
    if query.is_empty():
        raise SearchError("Enter a name, date of birth, postcode, address or identifier to search")
    limit = limit or settings.CSPHUB_SEARCH_LIMIT
    visible = Person.objects.visible_to(user, Verb.VIEW)
    matched, scores, reasons = _match(user, visible, query)
    ranked = sorted(matched, key=lambda pk: (-scores[pk], pk))[:limit]
    people = visible.with_rules(user).select_related("owning_agency").in_bulk(ranked)
    results = [PersonMatch(people[pk], round(scores[pk], 3), tuple(reasons[pk])) for pk in ranked if pk in people]
    consultation.record_results(
        [m.person for m in results], "search results", {"search": query.describe(), "results": len(results)}
    )
    return results


def hidden_matches(user: User, query: PersonQuery, *, limit: int = 10) -> HiddenMatches:
    """People the user may not see who match the query, told as the policy allows (count and holding agency)."""
    if query.is_empty():
        return HiddenMatches(0, ())
    hidden = Person.objects.leads_for(user)
    matched, scores, _ = _match(user, hidden, query)
    ranked = sorted(matched, key=lambda pk: (-scores[pk], pk))[:limit]
    rows = {
        pk: (str(u), agency)
        for pk, u, agency in hidden.filter(pk__in=ranked).values_list("pk", "uuid", "owning_agency__name")
    }
    return HiddenMatches(len(matched), tuple(rows[pk] for pk in ranked if pk in rows))


def _match(
    user: User, visible: QuerySet[Person], query: PersonQuery
) -> tuple[set[int], dict[int, float], dict[int, list[str]]]:
    """The people of ``visible`` matching the query, with their scores and the reasons they matched."""
    scores: dict[int, float] = {}
    reasons: dict[int, list[str]] = {}
    filters: list[set[int]] = []

    given, family = _split_name(query.name)
    if family:
        name_q = _name_candidates(given, family)
        rank = _candidate_rank(given, family)
        found: dict[int, float] = {}
        candidates = (
            visible.filter(name_q)
            .alias(name_rank=rank)
            .order_by("name_rank", "family_norm", "given_norm", "pk")
            .values_list("pk", "given_norm", "family_norm")[:CANDIDATE_LIMIT]
        )
        for pk, cg, cf in candidates:
            found[pk] = max(found.get(pk, 0.0), _name_score(given, family, cg, cf))
        alias_rows = (
            Alias.objects.filter(name_q, person__in=visible)
            .alias(name_rank=rank)
            .order_by("name_rank", "family_norm", "given_norm", "pk")
            .values_list("person_id", "given_norm", "family_norm")[:CANDIDATE_LIMIT]
        )
        alias_hits: set[int] = set()
        for pk, cg, cf in alias_rows:
            s = _name_score(given, family, cg, cf)
            if s > found.get(pk, 0.0):
                found[pk] = s
                alias_hits.add(pk)
        kept = {pk for pk, s in found.items() if s >= MIN_NAME_SIMILARITY}
        filters.append(kept)
        for pk in kept:
            scores[pk] = scores.get(pk, 0.0) + found[pk]
            reasons.setdefault(pk, []).append(f"name {'(alias) ' if pk in alias_hits else ''}{found[pk]:.0%} similar")

    if query.date_of_birth is not None:
        dob = query.date_of_birth
        dob_q = Q(dob_year=dob.year)
        if dob.month is not None:
            dob_q &= Q(dob_month=dob.month) | Q(dob_month__isnull=True)
        if dob.day is not None:
            dob_q &= Q(dob_day=dob.day) | Q(dob_day__isnull=True)
        base = visible.filter(pk__in=filters[-1]) if filters else visible
        hits = set(base.filter(dob_q).values_list("pk", flat=True)[:CANDIDATE_LIMIT])
        filters.append(hits)
        for pk in hits:
            scores[pk] = scores.get(pk, 0.0) + 1.0
            reasons.setdefault(pk, []).append(f"date of birth matches {dob}")

    place_q = Q()
    place_reason = []
    if query.postcode.strip():
        prefix = search_prefix(query.postcode)
        if prefix is None:
            raise SearchError(f"{query.postcode.strip()!r} is not a postcode, postcode sector or district")
        place_q &= Q(postcode__startswith=prefix)
        place_reason.append(f"postcode {prefix.strip()}")
    if query.address.strip():
        for token in fold_address(query.address).split():
            place_q &= Q(address_norm__contains=token)
        place_reason.append("address")
    if place_reason:
        places = Place.objects.visible_to(user, Verb.VIEW).filter(place_q)
        base = visible.filter(pk__in=filters[-1]) if filters else visible
        hits = set(base.filter(place_links__place__in=places).values_list("pk", flat=True)[:CANDIDATE_LIMIT])
        filters.append(hits)
        for pk in hits:
            scores[pk] = scores.get(pk, 0.0) + 0.5
            reasons.setdefault(pk, []).append(f"linked to a place matching {' and '.join(place_reason)}")

    if query.identifier.strip():
        raw = query.identifier.strip()
        values = {raw.upper()}
        for scheme in Scheme.values:
            try:
                values.add(normalise_identifier(scheme, raw))
            except IdentifierError:
                continue
        base = visible.filter(pk__in=filters[-1]) if filters else visible
        hits = set(base.filter(identifiers__value__in=values).values_list("pk", flat=True))
        filters.append(hits)
        for pk in hits:
            scores[pk] = scores.get(pk, 0.0) + 2.0
            reasons.setdefault(pk, []).append("identifier matches")

    matched = set.intersection(*filters) if filters else set()
    return matched, scores, reasons


@dataclass(frozen=True)
class PlaceQuery:
    postcode: str = ""
    address: str = ""
    district_code: str = ""


def search_places(user: User, query: PlaceQuery, *, limit: int | None = None) -> list[Place]:
    if not (query.postcode.strip() or query.address.strip() or query.district_code):
        raise SearchError("Enter a postcode, an address or a district to search")
    qs = Place.objects.visible_to(user, Verb.VIEW).select_related("district").defer("district__boundary")
    if query.postcode.strip():
        prefix = search_prefix(query.postcode)
        if prefix is None:
            raise SearchError(f"{query.postcode.strip()!r} is not a postcode, postcode sector or district")
        qs = qs.filter(postcode__startswith=prefix)
    for token in fold_address(query.address).split():
        qs = qs.filter(Q(address_norm__contains=token) | Q(name__icontains=token))
    if query.district_code:
        qs = qs.filter(district__ons_code=query.district_code)
    places = list(qs.with_rules(user).order_by("address_norm")[: limit or settings.CSPHUB_SEARCH_LIMIT])
    consultation.record_results(places, "place search results", {"search": query.__dict__, "results": len(places)})
    return places
