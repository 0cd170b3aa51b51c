"""Which values a merged person shows, chosen from all the records that describe them. Pure Python.

Rules (in order):
- **Name**: from the most trusted source (``CSPHUB_LINKAGE_TRUSTED_SOURCES`` order), then the most recently
  updated record; a record without a family name is never chosen.
- **Date of birth**: the most complete (day > month > year), then the one most records agree with, then the most
  recent; a date contradicted by a more complete one is never shown alongside it.
- **Sex**: the value most records give (ignoring "not known"); a tie goes to the most recent.
- **Other names**: every other name the records give (each once, ignoring case and spacing) is kept as another
  name of the merged person (an alias), so a merge never drops a name: not the absorbed person's, not a typo's
  correction (``variant_names``).
Every record is kept: survivorship only decides what is displayed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Candidate:
    source: str
    recorded_on: dt.date
    given_name: str = ""
    middle_names: str = ""
    family_name: str = ""
    dob_year: int | None = None
    dob_month: int | None = None
    dob_day: int | None = None
    sex: str = ""


@dataclass(frozen=True)
class Survivor:
    given_name: str
    middle_names: str
    family_name: str
    dob_year: int | None
    dob_month: int | None
    dob_day: int | None
    sex: str
    reasons: tuple[str, ...]


def _trust(source: str, trusted: Sequence[str]) -> int:
    return len(trusted) - trusted.index(source) if source in trusted else 0


def choose(candidates: Sequence[Candidate], trusted: Sequence[str] = ()) -> Survivor:
    if not candidates:
        raise ValueError("survivorship needs at least one record")
    reasons = []
    named = [c for c in candidates if c.family_name.strip()] or list(candidates)
    name = max(named, key=lambda c: (_trust(c.source, trusted), c.recorded_on))
    reasons.append(
        f"Name from {name.source} (updated {name.recorded_on:%d/%m/%Y})"
        + (", the most trusted source" if _trust(name.source, trusted) else ", the most recent")
    )

    dated = [c for c in candidates if c.dob_year is not None]
    dob: tuple[int | None, int | None, int | None] = (None, None, None)
    if dated:
        votes = Counter((c.dob_year, c.dob_month, c.dob_day) for c in dated)

        def completeness(c: Candidate) -> int:
            return 3 if c.dob_day is not None else 2 if c.dob_month is not None else 1

        best = max(dated, key=lambda c: (completeness(c), votes[(c.dob_year, c.dob_month, c.dob_day)], c.recorded_on))
        dob = (best.dob_year, best.dob_month, best.dob_day)
        reasons.append(
            f"Date of birth from {best.source}: the most complete"
            + (f", given by {votes[dob]} records" if votes[dob] > 1 else "")
        )

    sexes = [c for c in candidates if c.sex and c.sex != "not_known"]
    sex = "not_known"
    if sexes:
        counts = Counter(c.sex for c in sexes)
        top = max(counts.values())
        sex = max((c for c in sexes if counts[c.sex] == top), key=lambda c: c.recorded_on).sex
        reasons.append(f"Sex as {counts[sex]} of {len(sexes)} records give it")
    return Survivor(name.given_name, name.middle_names, name.family_name, dob[0], dob[1], dob[2], sex, tuple(reasons))


def _name_key(given_name: str, family_name: str) -> tuple[str, str]:
    return (" ".join(given_name.casefold().split()), " ".join(family_name.casefold().split()))


def variant_names(
    names: Sequence[tuple[str, str, T]], shown: tuple[str, str], known: Sequence[tuple[str, str]] = ()
) -> list[tuple[str, str, T]]:
    """The names among ``names`` (given name, family name, where it came from) to keep as other names: each
    distinct one (ignoring case and spacing) that is neither the name ``shown`` nor already ``known`` (the
    person's other names), in the order given. A name without a family name is not kept."""
    seen = {_name_key(*shown), *(_name_key(*k) for k in known)}
    kept = []
    for given_name, family_name, origin in names:
        key = _name_key(given_name, family_name)
        if not key[1] or key in seen:
            continue
        seen.add(key)
        kept.append((given_name.strip(), family_name.strip(), origin))
    return kept
