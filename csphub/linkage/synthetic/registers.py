"""A seeded generator of the four former districts' registers of people, with their true identities known.

People live in households (shared address, mostly a shared surname, twins and a son named after his father now and
then) at real North Northamptonshire postcodes (OS Code-Point Open, ``data/postcodes.csv``) in Corby (E07000150), East
Northamptonshire (E07000152), Kettering (E07000153) and Wellingborough (E07000156). Some move within or across the
districts; some women change surname. Each person is known to one to four registers, sometimes twice to the same
one (double keying), and every record may carry the errors real registers carry: nicknames (Bill for William),
typos, sound-alike spellings, names swapped, initials, day and month swapped, a year off by one, a digit wrong,
partial or missing dates, placeholders ("N/K", 01/01/1900), missing or mistyped postcodes, missing sex.

Each district writes its export in its own schema (``SCHEMAS``): Kettering a CSV with "SMITH, John" names and
DD/MM/YYYY dates; Corby an XLSX workbook with split names, real Excel dates and one-line addresses with postcodes
without a space; East Northamptonshire a semicolon-separated CSV (with a byte-order mark) with ISO dates and split
addresses; Wellingborough a CSV with "Mr John Smith" names and dates like 03-Apr-1990. A mapping file is written
beside each export, and ``truth.csv`` says which person each row is, and which rows must be quarantined.

Names: ``data/given_names_*.csv`` and ``data/surnames.csv`` (written for csphub), Faker's en_GB lists, and a long
tail of rarer surnames built from English place-name elements.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from bisect import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from itertools import accumulate
from pathlib import Path
from typing import Any

from csphub.linkage.engine.errors import SettingsError
from csphub.linkage.engine.features import nickname_groups
from csphub.linkage.engine.mapping import SourceMapping, mapping_to_toml

REFERENCE_DATE = dt.date(2021, 3, 31)  # the day before the four districts became North Northamptonshire


@dataclass(frozen=True)
class District:
    key: str
    code: str
    name: str
    towns: tuple[str, ...]
    share: float


DISTRICTS = (
    District("kettering", "E07000153", "Kettering", ("Kettering", "Desborough", "Rothwell", "Burton Latimer"), 0.29),
    District("corby", "E07000150", "Corby", ("Corby", "Weldon", "Cottingham", "Gretton"), 0.21),
    District(
        "east-northamptonshire",
        "E07000152",
        "East Northamptonshire",
        ("Rushden", "Raunds", "Higham Ferrers", "Irthlingborough", "Oundle", "Thrapston"),
        0.27,
    ),
    District(
        "wellingborough",
        "E07000156",
        "Wellingborough",
        ("Wellingborough", "Earls Barton", "Irchester", "Finedon"),
        0.23,
    ),
)
DISTRICT_KEYS = tuple(d.key for d in DISTRICTS)

# Per-record error rates at error_scale 1 (each applied independently).
ERROR_RATES: dict[str, float] = {
    "given_nickname": 0.06,
    "given_typo": 0.04,
    "given_variant": 0.01,
    "given_initial": 0.01,
    "given_missing": 0.01,
    "middle_dropped": 0.35,
    "family_typo": 0.04,
    "family_variant": 0.015,
    "family_missing": 0.003,
    "names_swapped": 0.01,
    "dob_missing": 0.03,
    "dob_placeholder": 0.01,
    "dob_year_only": 0.01,
    "dob_month_year": 0.01,
    "dob_day_month_swapped": 0.02,
    "dob_year_off_by_one": 0.015,
    "dob_digit_typo": 0.02,
    "sex_missing": 0.05,
    "sex_wrong": 0.005,
    "address_missing": 0.03,
    "postcode_missing": 0.03,
    "postcode_typo": 0.01,
    "house_number_missing": 0.02,
}
BAD_ROW_KINDS = ("no_record_id", "duplicate_record_id", "bad_date", "no_name", "wrong_columns")


@dataclass(frozen=True)
class SyntheticSettings:
    """How many people, how they spread over the registers, and how noisy the records are."""

    people: int = 700
    seed: int = 20210401
    bad_rows_per_source: int = 0
    appearances: tuple[float, ...] = (0.58, 0.25, 0.11, 0.06)  # P(a person has 1, 2, 3, 4 records)
    home_share: float = 0.8  # share of a person's records held by the district they live in
    moved: float = 0.3  # share of people with an earlier address
    moved_across: float = 0.3  # of those, share whose earlier address was in another district
    surname_changed: float = 0.06  # share of women with an earlier surname
    error_scale: float = 1.0
    xlsx: bool = True  # Corby's export as XLSX (as CSV when False: faster for huge benchmark files)

    def __post_init__(self) -> None:
        p = []
        if not isinstance(self.people, int) or self.people < 1:
            p.append(f"people must be a positive integer, not {self.people!r}")
        if not isinstance(self.seed, int):
            p.append(f"seed must be an integer, not {self.seed!r}")
        if not isinstance(self.bad_rows_per_source, int) or self.bad_rows_per_source < 0:
            p.append(f"bad_rows_per_source must be a non-negative integer, not {self.bad_rows_per_source!r}")
        if not self.appearances or any(a < 0 for a in self.appearances) or abs(sum(self.appearances) - 1) > 1e-6:
            p.append("appearances must be non-negative probabilities adding up to 1")
        for name in ("home_share", "moved", "moved_across", "surname_changed"):
            if not 0 <= getattr(self, name) <= 1:
                p.append(f"{name} must be between 0 and 1")
        if not 0 <= self.error_scale <= 5:
            p.append("error_scale must be between 0 and 5")
        if p:
            raise SettingsError(p)


# --- reference lists ---------------------------------------------------------------------------------------------
def _data_rows(name: str) -> list[dict[str, str]]:
    """The rows of one of the package's reference files (``csphub/linkage/synthetic/data``), comments left out."""
    text = resources.files("csphub.linkage.synthetic").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))


@dataclass(frozen=True)
class _Weighted:
    values: tuple[str, ...]
    cumulative: tuple[float, ...]

    @classmethod
    def of(cls, pairs: Sequence[tuple[str, float]]) -> _Weighted:
        return cls(tuple(v for v, _ in pairs), tuple(accumulate(w for _, w in pairs)))

    def pick(self, rng: random.Random) -> str:
        return self.values[bisect(self.cumulative, rng.random() * self.cumulative[-1])]


_TAIL_FIRST = (
    "Ash", "Brad", "Bur", "Chat", "Dun", "Ed", "Fair", "Gold", "Hal", "Hol", "Kings", "Lang", "Mar", "Nor", "Pen",
    "Rad", "Shel", "Stan", "Thorn", "Wal", "Whit", "Wood", "Hather", "Brom", "Cald", "Dar", "Elm", "Fen", "Gar",
    "Hart", "Lock", "Mid", "New", "Old", "Pick", "Red", "Sand", "Tad", "Up", "Wes", "Wint", "Yar", "Bar", "Crom",
)  # fmt: skip
_TAIL_SECOND = (
    "by", "field", "ford", "ham", "ley", "ton", "wood", "well", "worth", "shaw", "hurst", "combe", "stone", "bury",
    "dale", "wick", "more", "cliffe", "den", "thorpe", "land", "bridge", "brook", "gate", "mere",
)  # fmt: skip


@dataclass(frozen=True)
class _Names:
    female: _Weighted
    male: _Weighted
    surnames: _Weighted
    nicknames: dict[str, tuple[str, ...]]


@lru_cache(maxsize=1)
def _names() -> _Names:
    from faker.providers.person.en_GB import Provider

    female = [(r["name"], float(r["weight"])) for r in _data_rows("given_names_female.csv")]
    male = [(r["name"], float(r["weight"])) for r in _data_rows("given_names_male.csv")]
    seen_f = {n for n, _ in female}
    seen_m = {n for n, _ in male}
    female += [(n, 3.0) for n in Provider.first_names_female if n not in seen_f]
    male += [(n, 3.0) for n in Provider.first_names_male if n not in seen_m]
    surnames = [(r["name"], float(r["weight"])) for r in _data_rows("surnames.csv")]
    seen = {n for n, _ in surnames}
    surnames += [(n, 6.0) for n in Provider.last_names if n not in seen]
    seen |= set(Provider.last_names)
    tail = [a + b for a in _TAIL_FIRST for b in _TAIL_SECOND if a + b not in seen]
    surnames += [(n, 12.0 / (1 + i % 40)) for i, n in enumerate(tail)]
    # Nicknames: full name → its short forms (from the same table the model uses).
    by_full: dict[str, list[str]] = {}
    for nick, groups in nickname_groups().items():
        for full in groups:
            if nick != full:
                by_full.setdefault(full, []).append(nick)
    return _Names(
        _Weighted.of(female),
        _Weighted.of(male),
        _Weighted.of(surnames),
        {k: tuple(sorted(v)) for k, v in by_full.items()},
    )


@lru_cache(maxsize=1)
def _streets() -> tuple[tuple[str, ...], tuple[str, ...]]:
    rows = _data_rows("streets.csv")
    return (
        tuple(r["value"] for r in rows if r["kind"] == "stem"),
        tuple(r["value"] for r in rows if r["kind"] == "ending"),
    )


@lru_cache(maxsize=1)
def _postcodes() -> dict[str, tuple[str, ...]]:
    """Each district's real postcodes, sorted (``data/postcodes.csv``, cut from OS Code-Point Open)."""
    codes = {d.code: d.key for d in DISTRICTS}
    out: dict[str, list[str]] = {d.key: [] for d in DISTRICTS}
    for row in _data_rows("postcodes.csv"):
        district = codes.get(row["district_code"])
        if district:
            out[district].append(row["postcode"])
    return {k: tuple(sorted(v)) for k, v in out.items()}


# --- people --------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Address:
    house: str
    street: str
    locality: str
    town: str
    postcode: str
    district: str


@dataclass(frozen=True)
class Person:
    person_id: str
    sex: str  # "female" / "male"
    given: str
    middle: tuple[str, ...]
    family: str
    earlier_family: str | None
    dob: dt.date
    address: Address
    earlier_address: Address | None


@dataclass(frozen=True)
class SyntheticRecord:
    """One person as one register holds them, errors included (before the register's own formatting)."""

    source: str
    record_id: str
    person_id: str
    given: str
    middle: str
    family: str
    dob: tuple[int, int | None, int | None] | None  # (year, month, day), partial or None
    dob_placeholder: bool
    sex: str
    address: Address | None
    errors: tuple[str, ...] = ()
    bad: str = ""  # the kind of bad row it was made into ("" for a good row)


class _Gen:
    def __init__(self, settings: SyntheticSettings) -> None:
        self.s = settings
        self.rng = random.Random(settings.seed)
        self.names = _names()
        self.stems, self.endings = _streets()
        self.postcodes = _postcodes()
        self.streets: dict[str, tuple[str, str]] = {}
        self.district_pick = _Weighted.of([(d.key, d.share) for d in DISTRICTS])
        self.by_key = {d.key: d for d in DISTRICTS}

    # addresses: each postcode has its own street and town
    def address(self, district: str) -> Address:
        rng = self.rng
        postcode = rng.choice(self.postcodes[district])
        if postcode not in self.streets:
            street = f"{rng.choice(self.stems)} {rng.choice(self.endings)}"
            self.streets[postcode] = (street, rng.choice(self.by_key[district].towns))
        street, town = self.streets[postcode]
        house = str(rng.randint(1, 160))
        if rng.random() < 0.05:
            house += rng.choice("ab")
        locality = f"Flat {rng.randint(1, 24)}" if rng.random() < 0.12 else ""
        return Address(house, street, locality, town, postcode, district)

    def other_district(self, district: str) -> str:
        return self.rng.choice([k for k in DISTRICT_KEYS if k != district])

    def dob(self, low: int, high: int) -> dt.date:
        """A date of birth for an age between ``low`` and ``high`` on the reference date."""
        days = self.rng.randint(low * 365, high * 365 + 364)
        return REFERENCE_DATE - dt.timedelta(days=days)

    def given_name(self, sex: str, avoid: set[str]) -> str:
        pick = self.names.female if sex == "female" else self.names.male
        for _ in range(10):
            name = pick.pick(self.rng)
            if name not in avoid:
                return name
        return name

    def person(
        self, pid: int, sex: str, family: str, dob: dt.date, address: Address, avoid: set[str], given: str = ""
    ) -> Person:
        rng = self.rng
        given = given or self.given_name(sex, avoid)
        avoid.add(given)
        middle: tuple[str, ...] = ()
        r = rng.random()
        if r < 0.45:
            middle = (self.given_name(sex, {given}),)
        elif r < 0.5:
            middle = (self.given_name(sex, {given}), self.given_name(sex, {given}))
        earlier_family = None
        if sex == "female" and rng.random() < self.s.surname_changed:
            earlier_family = self.names.surnames.pick(rng)
        earlier = None
        if rng.random() < self.s.moved:
            across = rng.random() < self.s.moved_across
            earlier = self.address(self.other_district(address.district) if across else address.district)
        return Person(f"P{pid:07d}", sex, given, middle, family, earlier_family, dob, address, earlier)

    def household(self, next_id: int) -> list[Person]:
        rng = self.rng
        r = rng.random()
        size = 1 if r < 0.45 else 2 if r < 0.75 else 3 if r < 0.88 else 4 if r < 0.97 else 5
        district = self.district_pick.pick(rng)
        address = self.address(district)
        family = self.names.surnames.pick(rng)
        avoid: set[str] = set()
        adults = 1 if size == 1 or rng.random() < 0.25 else 2
        members: list[Person] = []
        first_sex = rng.choice(("female", "male"))
        first_dob = self.dob(18 + (size > adults) * 8, 88 if size == adults else 60)
        members.append(self.person(next_id, first_sex, family, first_dob, address, avoid))
        if adults == 2:
            partner_sex = "male" if first_sex == "female" and rng.random() < 0.95 else "female"
            partner_family = family if rng.random() < 0.75 else self.names.surnames.pick(rng)
            first_age = (REFERENCE_DATE - first_dob).days // 365
            partner_age = min(max(first_age + rng.randint(-6, 6), 18), 95)
            partner_dob = self.dob(partner_age, partner_age)
            members.append(self.person(next_id + 1, partner_sex, partner_family, partner_dob, address, avoid))
        parent = members[0]
        father = next((m for m in members if m.sex == "male"), None)
        previous_child: Person | None = None
        for i in range(size - adults):
            sex = rng.choice(("female", "male"))
            child_family = family if rng.random() < 0.9 else self.names.surnames.pick(rng)
            if previous_child is not None and rng.random() < 0.03:
                dob = previous_child.dob  # twins
            else:
                parent_age = (REFERENCE_DATE - parent.dob).days // 365
                oldest = max(0, min(parent_age - 18, 45))
                dob = self.dob(max(0, oldest - 22), oldest)
            given = father.given if father is not None and sex == "male" and rng.random() < 0.03 else ""
            child = self.person(next_id + adults + i, sex, child_family, dob, address, avoid, given)
            members.append(child)
            previous_child = child
        return members

    def people(self) -> list[Person]:
        out: list[Person] = []
        while len(out) < self.s.people:
            out.extend(self.household(len(out) + 1))
        return out[: self.s.people]


# --- errors ------------------------------------------------------------------------------------------------------
_KEYBOARD = {
    "a": "qwsz", "b": "vghn", "c": "xdfv", "d": "serfcx", "e": "wsdr", "f": "drtgvc", "g": "ftyhbv", "h": "gyujnb",
    "i": "ujko", "j": "huikmn", "k": "jiolm", "l": "kop", "m": "njk", "n": "bhjm", "o": "iklp", "p": "ol", "q": "wa",
    "r": "edft", "s": "awedxz", "t": "rfgy", "u": "yhji", "v": "cfgb", "w": "qase", "x": "zsdc", "y": "tghu",
    "z": "asx",
}  # fmt: skip
_VARIANTS = (
    ("ph", "f"), ("th", "t"), ("ck", "k"), ("ey", "y"), ("ie", "y"), ("ou", "ow"), ("ll", "l"), ("nn", "n"),
    ("ss", "s"), ("tt", "t"), ("mm", "m"), ("son", "sen"), ("ai", "ay"), ("ee", "ea"), ("c", "k"), ("i", "y"),
)  # fmt: skip


def typo(text: str, rng: random.Random) -> str:
    """One keyboard slip: a neighbouring key, a letter dropped, doubled or two letters swapped."""
    letters = [i for i, c in enumerate(text) if c.isalpha()]
    if len(letters) < 3:
        return text
    i = rng.choice(letters[1:])
    kind = rng.random()
    c = text[i]
    if kind < 0.35:
        repl = rng.choice(_KEYBOARD.get(c.lower(), "e"))
        return text[:i] + (repl.upper() if c.isupper() else repl) + text[i + 1 :]
    if kind < 0.6:
        return text[:i] + text[i + 1 :]
    if kind < 0.8:
        return text[:i] + c + text[i:]
    j = i - 1 if i == len(text) - 1 else i
    if not text[j + 1 : j + 2].isalpha():
        return text[:i] + text[i + 1 :]
    return text[:j] + text[j + 1] + text[j] + text[j + 2 :]


def variant(text: str, rng: random.Random) -> str:
    """A sound-alike spelling (Phillips/Philips, Thompson/Thomson, Smith/Smyth)."""
    lower = text.lower()
    options = [(a, b) for a, b in _VARIANTS if a in lower[1:]]
    if not options:
        return typo(text, rng)
    a, b = rng.choice(options)
    i = lower.index(a, 1)
    return text[:i] + b + text[i + len(a) :]


def _digit_typo(value: int, width: int, rng: random.Random) -> int:
    digits = list(f"{value:0{width}d}")
    i = rng.randrange(len(digits))
    digits[i] = str((int(digits[i]) + rng.choice((1, -1))) % 10)
    return int("".join(digits))


class _Recorder:
    def __init__(self, gen: _Gen) -> None:
        self.gen = gen
        self.rng = gen.rng
        scale = gen.s.error_scale
        self.rate = {k: v * scale for k, v in ERROR_RATES.items()}

    def hit(self, name: str) -> bool:
        return self.rng.random() < self.rate[name]

    def record(self, person: Person, source: str, record_id: str) -> SyntheticRecord:
        rng = self.rng
        errors: list[str] = []
        gen = self.gen
        # Which address and surname this register knows.
        earlier = person.earlier_address
        if earlier is not None and (
            (earlier.district == source and person.address.district != source) or rng.random() < 0.3
        ):
            address: Address | None = earlier
            errors.append("earlier_address")
        else:
            address = person.address
        family = person.family
        if person.earlier_family and rng.random() < 0.4:
            family = person.earlier_family
            errors.append("earlier_surname")
        given = person.given
        nicks = gen.names.nicknames.get(given.lower())
        if nicks and self.hit("given_nickname"):
            given = rng.choice(nicks).capitalize()
            errors.append("nickname")
        if self.hit("given_typo"):
            given = typo(given, rng)
            errors.append("given_typo")
        if self.hit("given_variant"):
            given = variant(given, rng)
            errors.append("given_variant")
        if self.hit("given_initial"):
            given = given[0]
            errors.append("given_initial")
        middle = " ".join(person.middle)
        if middle and self.hit("middle_dropped"):
            middle = ""
        if self.hit("family_typo"):
            family = typo(family, rng)
            errors.append("family_typo")
        if self.hit("family_variant"):
            family = variant(family, rng)
            errors.append("family_variant")
        if "-" in family and rng.random() < 0.3:
            family = rng.choice(family.split("-"))
            errors.append("family_part")
        if self.hit("names_swapped"):
            given, family = family, given
            errors.append("names_swapped")
        if self.hit("given_missing"):
            given = ""
            errors.append("given_missing")
        if self.hit("family_missing") and given:
            family = ""
            errors.append("family_missing")
        # Date of birth.
        d = person.dob
        dob: tuple[int, int | None, int | None] | None = (d.year, d.month, d.day)
        placeholder = False
        if self.hit("dob_missing"):
            dob = None
            errors.append("dob_missing")
        elif self.hit("dob_placeholder"):
            dob, placeholder = None, True
            errors.append("dob_placeholder")
        elif self.hit("dob_year_only"):
            dob = (d.year, None, None)
            errors.append("dob_year_only")
        elif self.hit("dob_month_year"):
            dob = (d.year, d.month, None)
            errors.append("dob_month_year")
        else:
            year, month, day = d.year, d.month, d.day
            if day <= 12 and day != month and self.hit("dob_day_month_swapped"):
                month, day = day, month
                errors.append("dob_day_month_swapped")
            if self.hit("dob_year_off_by_one"):
                year += rng.choice((-1, 1)) if year < REFERENCE_DATE.year - 1 else -1
                errors.append("dob_year_off_by_one")
            if self.hit("dob_digit_typo"):
                which = rng.random()
                if which < 0.5:
                    day = _digit_typo(day, 2, rng)
                elif which < 0.75:
                    month = _digit_typo(month, 2, rng)
                else:
                    year = 1900 + _digit_typo(year - 1900, 2, rng) % 100
                errors.append("dob_digit_typo")
            try:
                dt.date(year, month, day)
                if dt.date(year, month, day) > REFERENCE_DATE:
                    raise ValueError
                dob = (year, month, day)
            except ValueError:
                dob = (d.year, d.month, d.day)
        sex = person.sex
        if self.hit("sex_missing"):
            sex = ""
        elif self.hit("sex_wrong"):
            sex = "male" if sex == "female" else "female"
            errors.append("sex_wrong")
        if address is not None:
            if self.hit("address_missing"):
                address = None
                errors.append("address_missing")
            else:
                if self.hit("postcode_missing"):
                    address = replace(address, postcode="")
                    errors.append("postcode_missing")
                elif self.hit("postcode_typo"):
                    pc = address.postcode
                    if pc[-3] == "0" and rng.random() < 0.5:
                        typed = pc[:-3] + "O" + pc[-2:]  # letter O for zero: not a postcode at all
                    else:
                        typed = pc[:-1] + rng.choice("ABDEFGHJLNPQRSTUWXYZ")
                    address = replace(address, postcode=typed)
                    errors.append("postcode_typo")
                if self.hit("house_number_missing"):
                    address = replace(address, house="")
                    errors.append("house_number_missing")
        return SyntheticRecord(
            source=source,
            record_id=record_id,
            person_id=person.person_id,
            given=given,
            middle=middle,
            family=family,
            dob=dob,
            dob_placeholder=placeholder,
            sex=sex,
            address=address,
            errors=tuple(errors),
        )


# --- the four schemas --------------------------------------------------------------------------------------------
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_ABBREVIATE = {"Street": "St", "Road": "Rd", "Avenue": "Ave", "Close": "Cl", "Crescent": "Cres", "Drive": "Dr"}


def _abbreviated(street: str) -> str:
    stem, _, ending = street.rpartition(" ")
    return f"{stem} {_ABBREVIATE.get(ending, ending)}" if stem else street


def _line1(a: Address, abbreviate: bool) -> str:
    street = _abbreviated(a.street) if abbreviate else a.street
    return f"{a.house} {street}".strip()


@dataclass(frozen=True)
class Schema:
    """How one district's export looks: its columns, and how a record becomes a row."""

    key: str
    format: str
    columns: tuple[str, ...]
    mapping: SourceMapping
    render: Callable[[SyntheticRecord, random.Random], list[Any]]
    record_id: Callable[[int], str]
    bad_date: str
    sheet: str | None = None


def _kettering(r: SyntheticRecord, rng: random.Random) -> list[Any]:
    if r.given or r.family:
        given = " ".join(p for p in (r.given, r.middle) if p)
        name = f"{r.family.upper()}, {given}" if r.family else given
    else:
        name = "N/K"
    if r.dob_placeholder:
        dob = "01/01/1900"
    elif r.dob is None:
        dob = rng.choice(("", "N/K"))
    else:
        y, m, d = r.dob
        dob = f"{d:02d}/{m:02d}/{y}" if d else f"{m:02d}/{y}" if m else str(y)
    sex = {"female": "F", "male": "M"}.get(r.sex, rng.choice(("U", "")))
    a = r.address
    if a is None:
        return [r.record_id, name, dob, sex, "", "", "", ""]
    return [r.record_id, name, dob, sex, _line1(a, rng.random() < 0.3), a.locality, a.town, a.postcode]


def _corby(r: SyntheticRecord, rng: random.Random) -> list[Any]:
    dob: Any
    if r.dob_placeholder:
        dob = dt.date(1900, 1, 1)
    elif r.dob is None:
        dob = None
    else:
        y, m, d = r.dob
        dob = dt.date(y, m, d) if d and m else f"{m:02d}/{y}" if m else str(y)
    sex = {"female": "Female", "male": "Male"}.get(r.sex, rng.choice(("Unknown", None)))
    a = r.address
    address = None
    postcode = None
    if a is not None:
        parts = [a.locality, _line1(a, rng.random() < 0.6), a.town]
        address = ", ".join(p for p in parts if p)
        postcode = a.postcode.replace(" ", "") or None
    return [r.record_id, r.given or None, r.middle or None, r.family or None, dob, sex, address, postcode]


def _east_northants(r: SyntheticRecord, rng: random.Random) -> list[Any]:
    first = " ".join(p for p in (r.given, r.middle if rng.random() < 0.5 else "") if p)
    if r.dob_placeholder:
        dob = "1900-01-01"
    elif r.dob is None:
        dob = rng.choice(("", "NULL"))
    else:
        y, m, d = r.dob
        dob = f"{y}-{m:02d}-{d:02d}" if d else f"{y}-{m:02d}" if m else str(y)
    sex = {"female": "f", "male": "m"}.get(r.sex, "")
    a = r.address
    if a is None:
        return [r.record_id, first, r.family, dob, sex, "", "", "", ""]
    postcode = a.postcode.lower() if rng.random() < 0.3 else a.postcode
    street = " ".join(p for p in (a.locality, a.street) if p)
    return [r.record_id, first, r.family, dob, sex, a.house, street, a.town, postcode]


def _wellingborough(r: SyntheticRecord, rng: random.Random) -> list[Any]:
    title = ""
    if rng.random() < 0.25:
        title = {"female": rng.choice(("Mrs", "Ms", "Miss")), "male": "Mr"}.get(r.sex, "")
    name = " ".join(p for p in (title, r.given, r.middle, r.family) if p) if (r.given or r.family) else "UNKNOWN"
    if r.dob_placeholder:
        dob = "01-Jan-1900"
    elif r.dob is None:
        dob = rng.choice(("", "-"))
    else:
        y, m, d = r.dob
        month = _MONTHS[m - 1] if m else ""
        dob = f"{d:02d}-{month}-{y}" if d else f"{month}-{y}" if m else str(y)
    sex = {"female": "Female", "male": "Male"}.get(r.sex, "Not known")
    a = r.address
    if a is None:
        return [r.record_id, name, dob, sex, "", ""]
    address = ", ".join(p for p in (a.locality, _line1(a, rng.random() < 0.5), a.town) if p)
    postcode = a.postcode if rng.random() < 0.5 else a.postcode.replace(" ", "")
    return [r.record_id, name, dob, sex, address, postcode]


def schemas(xlsx: bool = True) -> dict[str, Schema]:
    corby_format = "xlsx" if xlsx else "csv"
    return {
        "kettering": Schema(
            "kettering",
            "csv",
            ("Ref No", "Name", "DOB", "Gender", "Addr 1", "Addr 2", "Town", "Post Code"),
            SourceMapping(
                key="kettering",
                description="Kettering Borough Council community safety register (CSV export)",
                file="kettering.csv",
                format="csv",
                record_id="Ref No",
                columns={
                    "full_name": ("Name",),
                    "date_of_birth": ("DOB",),
                    "sex": ("Gender",),
                    "street": ("Addr 1", "Addr 2"),
                    "town": ("Town",),
                    "postcode": ("Post Code",),
                },
                date_formats=("%d/%m/%Y",),
                name_order="family_first",
                sex_values={"M": "male", "F": "female", "U": "not_known"},
                missing=frozenset({"N/K", "UNKNOWN", "01/01/1900", "NULL", "-"}),
            ),
            _kettering,
            lambda n: f"K{n:07d}",
            "31/02/1985",
        ),
        "corby": Schema(
            "corby",
            corby_format,
            ("Client ID", "Forename", "Middle Name(s)", "Surname", "Date of Birth", "Sex", "Address", "Postcode"),
            SourceMapping(
                key="corby",
                description="Corby Borough Council ASB case management clients (XLSX workbook)",
                file=f"corby.{corby_format}",
                format=corby_format,
                sheet="Clients" if xlsx else None,
                record_id="Client ID",
                columns={
                    "given_name": ("Forename",),
                    "middle_names": ("Middle Name(s)",),
                    "family_name": ("Surname",),
                    "date_of_birth": ("Date of Birth",),
                    "sex": ("Sex",),
                    "address": ("Address",),
                    "postcode": ("Postcode",),
                },
                date_formats=("%d/%m/%Y",),
                sex_values={"MALE": "male", "FEMALE": "female", "UNKNOWN": "not_known"},
                missing=frozenset({"UNKNOWN", "NOT KNOWN", "N/A", "1900-01-01"}),
            ),
            _corby,
            lambda n: f"C-{2010 + n % 11}-{n:06d}",
            "unknown date",
            sheet="Clients" if xlsx else None,
        ),
        "east-northamptonshire": Schema(
            "east-northamptonshire",
            "csv",
            ("client_ref", "first_name", "last_name", "dob", "sex", "house", "street", "town", "postcode"),
            SourceMapping(
                key="east-northamptonshire",
                description="East Northamptonshire Council community safety contacts (semicolon CSV, UTF-8 with BOM)",
                file="east-northamptonshire.csv",
                format="csv",
                delimiter=";",
                record_id="client_ref",
                columns={
                    "given_name": ("first_name",),
                    "family_name": ("last_name",),
                    "date_of_birth": ("dob",),
                    "sex": ("sex",),
                    "house_number": ("house",),
                    "street": ("street",),
                    "town": ("town",),
                    "postcode": ("postcode",),
                },
                date_formats=("%Y-%m-%d",),
                sex_values={"F": "female", "M": "male"},
                missing=frozenset({"NULL", "1900-01-01"}),
            ),
            _east_northants,
            lambda n: f"EN/{n:06d}",
            "1985-13-45",
        ),
        "wellingborough": Schema(
            "wellingborough",
            "csv",
            ("ID", "Full Name", "D.O.B.", "Gender", "Address", "Post code"),
            SourceMapping(
                key="wellingborough",
                description="Borough Council of Wellingborough vulnerable persons register (CSV export)",
                file="wellingborough.csv",
                format="csv",
                record_id="ID",
                columns={
                    "full_name": ("Full Name",),
                    "date_of_birth": ("D.O.B.",),
                    "sex": ("Gender",),
                    "address": ("Address",),
                    "postcode": ("Post code",),
                },
                date_formats=("%d-%b-%Y",),
                name_order="given_first",
                sex_values={"MALE": "male", "FEMALE": "female", "NOT KNOWN": "not_known"},
                missing=frozenset({"-", "N/K", "UNKNOWN", "01-JAN-1900"}),
            ),
            _wellingborough,
            lambda n: str(100000 + n),
            "30-Feb-1990",
        ),
    }


# --- the whole register --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SyntheticRegister:
    people: tuple[Person, ...]
    records: dict[str, list[SyntheticRecord]]  # source → records in file order (bad rows included)
    settings: SyntheticSettings

    def truth(self) -> dict[tuple[str, str], str]:
        """(source, record_id) → person id, for the rows that should be imported."""
        return {(r.source, r.record_id): r.person_id for rs in self.records.values() for r in rs if not r.bad}


def generate(settings: SyntheticSettings | None = None) -> SyntheticRegister:
    """People and their records in the four registers, before formatting (seeded: the same settings give the same
    register)."""
    settings = settings or SyntheticSettings()
    gen = _Gen(settings)
    people = gen.people()
    recorder = _Recorder(gen)
    rng = gen.rng
    counts = dict.fromkeys(DISTRICT_KEYS, 0)
    rows: dict[str, list[SyntheticRecord]] = {k: [] for k in DISTRICT_KEYS}
    plan = schemas(settings.xlsx)
    cumulative = list(accumulate(settings.appearances))
    for person in people:
        k = bisect(cumulative, rng.random() * cumulative[-1]) + 1
        home = person.address.district
        for _ in range(k):
            if rng.random() < settings.home_share:
                source = home
            elif person.earlier_address is not None and person.earlier_address.district != home:
                source = person.earlier_address.district
            else:
                source = gen.other_district(home)
            counts[source] += 1
            rows[source].append(recorder.record(person, source, plan[source].record_id(counts[source])))
    for source in DISTRICT_KEYS:
        rng.shuffle(rows[source])
        if settings.bad_rows_per_source:
            rows[source] = _with_bad_rows(rows[source], settings.bad_rows_per_source, plan[source], rng)
    return SyntheticRegister(tuple(people), rows, settings)


def _with_bad_rows(records: list[SyntheticRecord], n: int, schema: Schema, rng: random.Random) -> list[SyntheticRecord]:
    out = list(records)
    if not out:
        return out
    for i in range(n):
        kind = BAD_ROW_KINDS[i % len(BAD_ROW_KINDS)]
        base = rng.choice(records)
        record_id = f"{base.record_id}-X{i}"
        if kind == "duplicate_record_id":
            position = rng.randrange(1, len(out) + 1)
            earlier = out[rng.randrange(position)]
            record_id = earlier.record_id
            # the first occurrence stays earlier in the file than the duplicate
            bad = replace(base, record_id=record_id, bad=kind)
            out.insert(position, bad)
            continue
        if kind == "no_record_id":
            record_id = ""
        bad = replace(base, record_id=record_id, bad=kind)
        if kind == "no_name":
            bad = replace(bad, given="", middle="", family="")
        out.insert(rng.randrange(len(out) + 1), bad)
    return out


def _render(record: SyntheticRecord, schema: Schema, rng: random.Random) -> list[Any]:
    row = schema.render(record, rng)
    if record.bad == "bad_date":
        row[schema.columns.index(schema.mapping.columns["date_of_birth"][0])] = schema.bad_date
    elif record.bad == "no_name":
        for target in ("full_name", "given_name", "middle_names", "family_name"):
            for column in schema.mapping.columns.get(target, ()):
                row[schema.columns.index(column)] = ""
    elif record.bad == "wrong_columns":
        row.append("unexpected")
    return row


@dataclass(frozen=True)
class GeneratedExports:
    directory: Path
    mappings: tuple[Path, ...]
    truth: Path
    rows: dict[str, int]
    people: int


def write_exports(register: SyntheticRegister, directory: str | Path) -> GeneratedExports:
    """Write the four exports, their mappings and ``truth.csv`` into ``directory``."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(register.settings.seed + 1)
    plan = schemas(register.settings.xlsx)
    mappings = []
    truth_rows: list[list[str]] = []
    counts: dict[str, int] = {}
    for source in DISTRICT_KEYS:
        schema = plan[source]
        records = register.records[source]
        rendered = [_render(r, schema, rng) for r in records]
        path = out / (schema.mapping.file or f"{source}.{schema.format}")
        if schema.format == "xlsx":
            _write_xlsx(path, schema, rendered)
        else:
            encoding = "utf-8-sig" if source == "east-northamptonshire" else "utf-8"
            with path.open("w", newline="", encoding=encoding) as handle:
                writer = csv.writer(handle, delimiter=schema.mapping.delimiter, lineterminator="\n")
                writer.writerow(schema.columns)
                writer.writerows(["" if v is None else v for v in row] for row in rendered)
        mapping_path = out / f"{source}.toml"
        mapping_path.write_text(mapping_to_toml(schema.mapping), encoding="utf-8")
        mappings.append(mapping_path)
        counts[source] = len(records)
        for line, r in enumerate(records, start=2):
            truth_rows.append([source, str(line), r.record_id, r.person_id, r.bad or "imported", " ".join(r.errors)])
    truth = out / "truth.csv"
    with truth.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["source", "line", "record_id", "person_id", "expected", "errors"])
        writer.writerows(truth_rows)
    return GeneratedExports(out, tuple(mappings), truth, counts, len(register.people))


def _write_xlsx(path: Path, schema: Schema, rows: list[list[Any]]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(schema.sheet or "Sheet1")
    sheet.append(list(schema.columns))
    for row in rows:
        cells: list[Any] = []
        for value in row:
            if isinstance(value, dt.date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "DD/MM/YYYY"
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
    workbook.save(path)


def generate_exports(directory: str | Path, settings: SyntheticSettings | None = None) -> GeneratedExports:
    """Generate a register and write its four exports, mappings and truth file (the demo's ``data/legacy``)."""
    return write_exports(generate(settings), directory)


@dataclass(frozen=True)
class Truth:
    """What ``truth.csv`` says: each row's person, and the rows that must be quarantined."""

    identities: dict[tuple[str, str], str]  # (source, record_id) → person id, rows to import
    quarantined: dict[tuple[str, int], str]  # (source, line) → kind of bad row
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def people(self) -> int:
        return len(set(self.identities.values()))


def load_truth(path: str | Path) -> Truth:
    identities: dict[tuple[str, str], str] = {}
    quarantined: dict[tuple[str, int], str] = {}
    rows: dict[str, int] = {}
    with Path(path).open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rows[row["source"]] = rows.get(row["source"], 0) + 1
            if row["expected"] == "imported":
                identities[(row["source"], row["record_id"])] = row["person_id"]
            else:
                quarantined[(row["source"], int(row["line"]))] = row["expected"]
    return Truth(identities, quarantined, rows)
