"""Seeded generator of a partnership-sized register and caseload, for ``bench/cases_scale.py``.

Plain Python, no Django: it yields rows (tuples in the column order of ``COLUMNS``) for the bulk loader
(``bench/_scale_load.py``), given the ids of the districts, agencies and users the demo structure created.

Shapes (seeded, so every run generates the same data):

- people: UK given and family names drawn with their real frequencies (Faker's en_GB lists: "Smith" is common,
  as on a real register), partial dates of birth, owned mostly by statutory agencies (police, councils by
  district, housing, probation, health, fire), a few referred by voluntary-sector users; about a third disclosed
  to one to three party agencies; some OFFICIAL-SENSITIVE, domestic-abuse or intelligence records;
- places: dwellings at real postcodes of the four districts (OS Code-Point Open, shipped in ``data/postcodes``),
  with coordinates and the district;
- cases: the case types in realistic proportions, each owned by an agency and a district team, with one or (one
  in ten, cross-boundary) two districts, party agencies, statuses and opening dates since the partnership formed;
  domestic-abuse cases are OFFICIAL-SENSITIVE and narrower (``kinds.DEFAULT_HANDLING``), exploitation and
  cuckooing OFFICIAL-SENSITIVE, a few are intelligence;
- case people (victims, perpetrators — repeat perpetrators appear in several cases — witnesses...), case places;
- timeline entries: a skewed number per case (most cases a handful, long-running ones many), incidents (some
  complaints for the ASB case review), contacts, notes, decisions; a few restricted to named agencies.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jellyfish

NAMESPACE = uuid.UUID("3b8f9a52-6f0e-4d47-9a0c-5c1f1b2e7a10")
DISTRICTS = ("E07000150", "E07000152", "E07000153", "E07000156")  # Corby, East Northants, Kettering, Wellingborough
DISTRICT_WEIGHTS = (0.24, 0.26, 0.29, 0.21)
TOWNS = {
    "E07000150": ("Corby", "Weldon", "Cottingham"),
    "E07000152": ("Rushden", "Raunds", "Oundle", "Thrapston", "Higham Ferrers", "Irthlingborough"),
    "E07000153": ("Kettering", "Desborough", "Rothwell", "Burton Latimer", "Barton Seagrave"),
    "E07000156": ("Wellingborough", "Finedon", "Irchester", "Earls Barton"),
}
DISTRICT_COUNCILS = {
    "E07000150": "corby-bc",
    "E07000152": "east-northants",
    "E07000153": "kettering-bc",
    "E07000156": "wellingborough-bc",
}
STATUTORY = (
    "police",
    "fire",
    "probation",
    "icb",
    "kettering-bc",
    "corby-bc",
    "wellingborough-bc",
    "east-northants",
    "rockingham-homes",
)
VOLUNTARY_REFERRERS = ("sp.volunteer", "sp.coordinator", "outreach.worker", "faith.lead", "wa.idva")
STREETS = (
    "High Street", "Church Lane", "Station Road", "Mill Road", "Victoria Street", "London Road", "Queen Street",
    "Rockingham Road", "Elizabeth Street", "Northampton Road", "Park Road", "Windmill Avenue", "Occupation Road",
    "Studfall Avenue", "Beanfield Avenue", "Cottingham Road", "Bath Road", "Midland Road", "Grafton Street",
    "Silver Street", "Market Street", "Newtown Road", "Oakley Road", "Gainsborough Road", "Sheep Street",
    "Harrowden Road", "Finedon Road", "Hatton Avenue", "Lower Street", "Wellingborough Road", "Hall Avenue",
    "Montagu Street", "Headlands", "Stamford Road", "Pytchley Road", "Polwell Lane", "Glebe Road", "Spencer Road",
)  # fmt: skip

# Case types: (value, weight, reference code).
CASE_TYPES: tuple[tuple[str, float, str], ...] = (
    ("asb_personal", 0.22, "ASB"),
    ("asb_nuisance", 0.20, "ASB"),
    ("asb_environmental", 0.12, "ASB"),
    ("hate_crime", 0.04, "HATE"),
    ("hate_incident", 0.04, "HATE"),
    ("domestic_abuse", 0.16, "DA"),
    ("cuckooing", 0.05, "CUCK"),
    ("cce", 0.03, "EXP"),
    ("county_lines", 0.03, "EXP"),
    ("problem_place", 0.06, "PP"),
    ("nte", 0.05, "NTE"),
)
SENSITIVE_TYPES = {"domestic_abuse": "domestic_abuse"}
OFFICIAL_SENSITIVE_TYPES = frozenset({"domestic_abuse", "cce", "county_lines", "cuckooing"})
CASE_OWNERS: dict[str, tuple[tuple[str, float], ...]] = {
    # Who owns which kind of case: the district council ("council"), or named agencies.
    "asb": (("council", 0.55), ("police", 0.30), ("rockingham-homes", 0.15)),
    "hate": (("police", 0.7), ("council", 0.3)),
    "domestic_abuse": (("police", 0.6), ("council", 0.2), ("probation", 0.1), ("icb", 0.1)),
    "exploitation": (("police", 0.7), ("council", 0.2), ("probation", 0.1)),
    "place": (("council", 0.6), ("police", 0.3), ("fire", 0.1)),
}
STATUSES = (("open", 0.25), ("under_review", 0.08), ("closed", 0.62), ("reopened", 0.05))
ENTRY_KINDS = (("incident", 0.40), ("contact", 0.25), ("note", 0.25), ("decision", 0.07), ("document", 0.03))
CHANNELS = ("101", "999", "council", "online", "in_person", "partner", "patrol", "other")
CASE_ROLES_BY_TYPE = {
    "domestic_abuse": (("victim", 1), ("perpetrator", 1), ("household", 0.6)),
    "cuckooing": (("vulnerable", 1), ("perpetrator", 0.8)),
    "cce": (("vulnerable", 1), ("perpetrator", 0.6)),
    "county_lines": (("perpetrator", 1), ("vulnerable", 0.5)),
}
DEFAULT_CASE_ROLES = (("victim", 0.9), ("perpetrator", 0.8), ("witness", 0.3))
ISSUES = ("noise", "harassment", "drug dealing", "fly-tipping", "intimidation", "criminal damage", "street drinking")
ENTRY_TITLES = {
    "incident": ("Noise reported late at night", "Verbal abuse in the street", "Damage to car", "Group gathering"),
    "contact": ("Visit to the victim", "Phone call with the complainant", "Letter sent", "Joint visit"),
    "note": ("Case note", "Update from partner", "Risk reviewed", "Information received"),
    "decision": ("Warning letter agreed", "Case review decision", "Escalate to panel", "Close the case"),
    "document": ("Statement", "Photographs", "Minutes of the panel"),
}
START = dt.date(2019, 7, 1)
END = dt.date(2026, 11, 1)


@dataclass(frozen=True)
class ScaleSpec:
    people: int = 500_000
    places: int = 200_000
    cases: int = 250_000
    entries: int = 2_000_000
    seed: int = 20260701


@dataclass
class World:
    """The ids of the structure the rows refer to (from the demo structure in the bench database)."""

    districts: dict[str, int]  # ONS code → id
    agencies: dict[str, int]  # short name → id
    users: dict[str, int]  # username → id
    user_agency: dict[str, str]  # username → agency short name
    now: dt.datetime = field(default_factory=lambda: dt.datetime(2026, 11, 1, 12, tzinfo=dt.UTC))


def _uid(kind: str, index: int) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{kind}-{index}")


def _pick(rng: random.Random, weighted: Sequence[tuple[str, float]]) -> str:
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


def fold(text: str) -> str:
    """Same folding as ``csphub.common.names.fold`` for the plain ASCII names generated here."""
    return " ".join(text.lower().replace("'", "").replace("-", " ").split())


_KEYS: dict[str, str] = {}


def _key(token: str) -> str:
    if token not in _KEYS:
        _KEYS[token] = jellyfish.metaphone(token).upper() if token else ""
    return _KEYS[token]


def name_pools() -> tuple[list[str], list[float], list[str], list[float]]:
    from faker.providers.person.en_GB import Provider

    family = list(Provider.last_names)
    fam_w = [float(w) for w in Provider.last_names.values()]
    given_map: dict[str, float] = {}
    for src in (Provider.first_names_male, Provider.first_names_female):
        # Weighted (an OrderedDict of frequencies) or a plain tuple of names, depending on the Faker version.
        weighted: Any = src
        items = weighted.items() if isinstance(weighted, dict) else ((k, 1.0) for k in weighted)
        for k, w in items:
            given_map[k] = given_map.get(k, 0.0) + float(w)
    return list(given_map), list(given_map.values()), family, fam_w


def postcodes(path: Path) -> dict[str, list[tuple[str, float, float, float, float]]]:
    """Real postcodes of the four districts: (postcode, lat, lon, easting, northing)."""
    pools: dict[str, list[tuple[str, float, float, float, float]]] = {d: [] for d in DISTRICTS}
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code = row["Admin_district_code"]
            if code in pools and row["Latitude_WGS84"]:
                pc = row["Postcode"].replace(" ", "")
                pools[code].append(
                    (
                        f"{pc[:-3]} {pc[-3:]}",
                        float(row["Latitude_WGS84"]),
                        float(row["Longitude_WGS84"]),
                        float(row["Eastings"]),
                        float(row["Northings"]),
                    )
                )
    return pools


def _handling(rng: random.Random) -> tuple[str, str]:
    r = rng.random()
    if r < 0.04:
        return "official_sensitive", "domestic_abuse"
    if r < 0.05:
        return "official_sensitive", "intelligence"
    if r < 0.12:
        return "official_sensitive", "general"
    return "official", "general"


class Generator:
    """Rows of every table, generated in order; ids are assigned here (1..n) so links can refer to them."""

    def __init__(self, spec: ScaleSpec, world: World, postcode_file: Path) -> None:
        self.spec = spec
        self.world = world
        self.rng = random.Random(spec.seed)
        self.given, self.given_w, self.family, self.family_w = name_pools()
        self.postcodes = postcodes(postcode_file)
        self.person_district: list[str] = []  # index = person id - 1
        self.place_district: list[str] = []
        self.places_by_district: dict[str, list[int]] = {d: [] for d in DISTRICTS}
        self.people_by_district: dict[str, list[int]] = {d: [] for d in DISTRICTS}
        self.case_districts: list[tuple[str, ...]] = []
        self.case_types: list[str] = []
        self.case_officers: dict[str, list[str]] = {}
        for username, agency in world.user_agency.items():
            self.case_officers.setdefault(agency, []).append(username)
        self.case_count_by_type_year: dict[tuple[str, int], int] = {}

    def _owner_of_person(self, district: str) -> tuple[int, int | None]:
        r = self.rng.random()
        a = self.world.agencies
        if r < 0.02:
            referrer = self.rng.choice(VOLUNTARY_REFERRERS)
            return a[self.world.user_agency[referrer]], self.world.users[referrer]
        if r < 0.40:
            return a["police"], None
        if r < 0.70:
            return a[DISTRICT_COUNCILS[district]], None
        return a[self.rng.choice(("rockingham-homes", "probation", "icb", "fire", "rockingham-homes"))], None

    def _parties(self, owner: int, n_max: int = 3, p: float = 0.33) -> list[int]:
        if self.rng.random() >= p:
            return []
        ids = [self.world.agencies[s] for s in STATUTORY if self.world.agencies[s] != owner]
        return self.rng.sample(ids, self.rng.randint(1, n_max))

    # --- people and places -------------------------------------------------------------------------------------

    def people(self) -> Iterator[tuple[tuple[object, ...], list[int]]]:
        """(person row, party agency ids)."""
        rng = self.rng
        created = self.world.now - dt.timedelta(days=400)
        fam = rng.choices(self.family, self.family_w, k=self.spec.people)
        giv = rng.choices(self.given, self.given_w, k=self.spec.people)
        for i in range(self.spec.people):
            pid = i + 1
            district = rng.choices(DISTRICTS, DISTRICT_WEIGHTS)[0]
            self.person_district.append(district)
            self.people_by_district[district].append(pid)
            family, given = fam[i], giv[i]
            owner, referred_by = self._owner_of_person(district)
            caveat, sensitivity = _handling(rng)
            year = rng.randint(1940, 2012) if rng.random() < 0.92 else None
            month = rng.randint(1, 12) if year is not None and rng.random() < 0.9 else None
            day = rng.randint(1, 28) if month is not None and rng.random() < 0.9 else None
            gn, fn = fold(given), fold(family)
            row = (
                pid,
                _uid("person", pid),
                caveat,
                sensitivity,
                False,
                created,
                created,
                given,
                "",
                family,
                year,
                month,
                day,
                rng.choice(("female", "male", "not_known")),
                "",
                gn,
                fn,
                _key(gn.split(" ")[0]) if gn else "",
                _key(fn.replace(" ", "")),
                None,
                owner,
                referred_by,
                None,
            )
            yield row, self._parties(owner) if referred_by is None else []

    def places(self) -> Iterator[tuple[tuple[object, ...], list[int]]]:
        rng = self.rng
        created = self.world.now - dt.timedelta(days=400)
        for i in range(self.spec.places):
            pid = i + 1
            district = rng.choices(DISTRICTS, DISTRICT_WEIGHTS)[0]
            self.place_district.append(district)
            self.places_by_district[district].append(pid)
            postcode, lat, lon, e, n = rng.choice(self.postcodes[district])
            address = f"{rng.randint(1, 180)} {rng.choice(STREETS)}, {rng.choice(TOWNS[district])}"
            owner = self.world.agencies[DISTRICT_COUNCILS[district] if rng.random() < 0.6 else "police"]
            row = (
                pid,
                _uid("place", pid),
                "official",
                "general",
                False,
                created,
                created,
                "",
                "dwelling",
                address,
                postcode,
                "",
                lat,
                lon,
                e,
                n,
                "postcode",
                " ".join("".join(c if c.isalnum() else " " for c in address.lower()).split()),
                postcode.replace(" ", ""),
                None,
                self.world.districts[district],
                owner,
                None,
            )
            yield row, self._parties(owner, 2, 0.2)

    def person_places(self) -> Iterator[tuple[object, ...]]:
        """Each person lives at a place of their district (some places are shared by a household)."""
        police = self.world.agencies["police"]
        recorded = self.world.now - dt.timedelta(days=400)
        for i, district in enumerate(self.person_district):
            places = self.places_by_district[district]
            yield (i + 1, "lives_at", None, None, recorded, i + 1, police, self.rng.choice(places))

    # --- cases --------------------------------------------------------------------------------------------------

    def _case_owner(self, case_type: str, district: str) -> str:
        group = (
            "asb"
            if case_type.startswith("asb")
            else "hate"
            if case_type.startswith("hate")
            else "domestic_abuse"
            if case_type == "domestic_abuse"
            else "exploitation"
            if case_type in ("cuckooing", "cce", "county_lines")
            else "place"
        )
        owner = _pick(self.rng, CASE_OWNERS[group])
        return DISTRICT_COUNCILS[district] if owner == "council" else owner

    def cases(self) -> Iterator[tuple[tuple[object, ...], list[int], list[int]]]:
        """(case row, party agency ids, district ids)."""
        rng = self.rng
        span = (END - START).days
        types = [t for t, _, _ in CASE_TYPES]
        weights = [w for _, w, _ in CASE_TYPES]
        codes = {t: c for t, _, c in CASE_TYPES}
        for i in range(self.spec.cases):
            cid = i + 1
            case_type = rng.choices(types, weights)[0]
            district = rng.choices(DISTRICTS, DISTRICT_WEIGHTS)[0]
            districts = [district]
            if rng.random() < 0.1:
                districts.append(rng.choice([d for d in DISTRICTS if d != district]))
            self.case_districts.append(tuple(districts))
            self.case_types.append(case_type)
            # Later years have more cases (the partnership grew into the platform).
            opened = START + dt.timedelta(days=int(span * (rng.random() ** 0.7)))
            status = _pick(rng, STATUSES)
            if (END - opened).days < 60 and status == "closed":
                status = "open"
            closed = opened + dt.timedelta(days=rng.randint(14, 400)) if status == "closed" else None
            if closed is not None and closed > END:
                closed = END
            owner_name = self._case_owner(case_type, district)
            owner = self.world.agencies[owner_name]
            officers = self.case_officers.get(owner_name, [])
            officer = self.world.users[rng.choice(officers)] if officers and rng.random() < 0.85 else None
            caveat = "official_sensitive" if case_type in OFFICIAL_SENSITIVE_TYPES else "official"
            sensitivity = SENSITIVE_TYPES.get(case_type, "general")
            if case_type in ("county_lines", "cce") and rng.random() < 0.2:
                sensitivity = "intelligence"
            code = codes[case_type]
            n = self.case_count_by_type_year.get((code, opened.year), 0) + 1
            self.case_count_by_type_year[(code, opened.year)] = n
            created = dt.datetime.combine(opened, dt.time(10), tzinfo=dt.UTC)
            strands = ["race"] if case_type.startswith("hate") else []
            row = (
                cid,
                _uid("case", cid),
                caveat,
                sensitivity,
                False,
                created,
                created + dt.timedelta(days=rng.randint(0, 200)),
                f"NN-{code}-{opened.year}-{n:06d}",
                case_type,
                f"{rng.choice(ISSUES).capitalize()} at {rng.choice(STREETS)}, {rng.choice(TOWNS[district])}",
                "",
                rng.choice(ISSUES) if case_type.startswith("asb") else "",
                status,
                opened,
                closed,
                len(districts) > 1,
                strands,
                "scanning" if case_type == "problem_place" else "",
                officer,
                owner,
                self.world.districts[district],
                officer,
                None,
            )
            parties = self._parties(owner, 3, 0.55)
            yield row, parties, [self.world.districts[d] for d in districts]

    def case_people(self) -> Iterator[tuple[object, ...]]:
        rng = self.rng
        police = self.world.agencies["police"]
        link_id = 0
        # Repeat perpetrators: a small pool of people appears in many cases.
        repeat = {d: rng.sample(p, max(1, len(p) // 50)) for d, p in self.people_by_district.items()}
        for i, districts in enumerate(self.case_districts):
            cid = i + 1
            seen: set[tuple[int, str]] = set()
            roles = CASE_ROLES_BY_TYPE.get(self.case_types[i], DEFAULT_CASE_ROLES)
            for role, p in roles:
                if rng.random() >= p:
                    continue
                pool = repeat[districts[0]] if role == "perpetrator" and rng.random() < 0.4 else None
                person = rng.choice(pool or self.people_by_district[districts[0]])
                if (person, role) in seen:
                    continue
                seen.add((person, role))
                link_id += 1
                yield (link_id, role, self.world.now, police, cid, person)

    def case_places(self) -> Iterator[tuple[object, ...]]:
        rng = self.rng
        police = self.world.agencies["police"]
        link_id = 0
        for i, districts in enumerate(self.case_districts):
            for district in districts:
                link_id += 1
                place = rng.choice(self.places_by_district[district])
                yield (link_id, "incident_location", self.world.now, police, i + 1, place)

    def entries(self) -> Iterator[tuple[tuple[object, ...], list[int]]]:
        """Timeline entries: a skewed number per case averaging entries/cases; a few restricted."""
        rng = self.rng
        per_case = self.spec.entries / max(1, self.spec.cases)
        authors = [(self.world.users[u], self.world.agencies[a]) for u, a in self.world.user_agency.items()]
        statutory_ids = [self.world.agencies[s] for s in STATUTORY]
        eid = 0
        remaining = self.spec.entries
        for i in range(self.spec.cases):
            cid = i + 1
            cases_left = self.spec.cases - i
            if cases_left == 1:
                n = remaining
            else:
                # Exponential around the mean (most cases few entries, some many), capped.
                n = min(int(rng.expovariate(1 / per_case)) + 1, int(per_case * 8), remaining)
            remaining -= n
            base = self.world.now - dt.timedelta(days=rng.randint(1, 2500))
            place_district = self.case_districts[i][0]
            for _ in range(n):
                eid += 1
                kind = _pick(rng, ENTRY_KINDS)
                occurred = base + dt.timedelta(hours=rng.randint(0, 24 * 300))
                incident = kind == "incident"
                complaint = incident and rng.random() < 0.5
                author, agency = rng.choice(authors)
                row = (
                    eid,
                    _uid("entry", eid),
                    kind,
                    rng.choice(ENTRY_TITLES[kind]),
                    "Recorded for the scale benchmark.",
                    occurred,
                    rng.choice(CHANNELS) if incident else "",
                    (occurred + dt.timedelta(days=1)).date() if complaint else None,
                    complaint,
                    False,
                    "",
                    occurred,
                    author,
                    agency,
                    cid,
                    None,
                    rng.choice(self.places_by_district[place_district]) if incident and rng.random() < 0.3 else None,
                )
                restricted = rng.sample(statutory_ids, rng.randint(1, 2)) if rng.random() < 0.05 else []
                yield row, restricted
        self.entry_count = eid


COLUMNS: dict[str, tuple[str, ...]] = {
    "registers_person": (
        "id", "uuid", "caveat", "sensitivity", "partnership_wide", "created_at", "updated_at", "given_name",
        "middle_names", "family_name", "dob_year", "dob_month", "dob_day", "sex", "description", "given_norm",
        "family_norm", "given_key", "family_key", "created_by_id", "owning_agency_id", "referred_by_id",
        "merged_into_id",
    ),
    "registers_place": (
        "id", "uuid", "caveat", "sensitivity", "partnership_wide", "created_at", "updated_at", "name", "kind",
        "address", "postcode", "uprn", "latitude", "longitude", "easting", "northing", "location_source",
        "address_norm", "postcode_compact", "created_by_id", "district_id", "owning_agency_id", "referred_by_id",
    ),
    "registers_personplace": (
        "id", "relation", "valid_from", "valid_to", "recorded_at", "person_id", "source_agency_id", "place_id",
    ),
    "cases_case": (
        "id", "uuid", "caveat", "sensitivity", "partnership_wide", "created_at", "updated_at", "reference",
        "case_type", "title", "summary", "issue", "status", "opened_on", "closed_on", "cross_boundary",
        "hate_strands", "sara_stage", "created_by_id", "owning_agency_id", "owning_district_id",
        "owning_officer_id", "referred_by_id",
    ),
    "cases_caseperson": ("id", "role", "added_at", "added_by_agency_id", "case_id", "person_id"),
    "cases_caseplace": ("id", "role", "added_at", "added_by_agency_id", "case_id", "place_id"),
    "cases_timelineentry": (
        "id", "uuid", "kind", "title", "body", "occurred_at", "reporting_channel", "reported_on", "is_complaint",
        "is_hate_incident", "document", "recorded_at", "author_id", "author_agency_id", "case_id", "complainant_id",
        "place_id",
    ),
}  # fmt: skip
