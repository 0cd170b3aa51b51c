"""The partnership's priorities and what each counts: read from the versioned ``priorities.toml`` beside this module.

A priority names police.uk crime types (or series), partner categories and case types; an empty list of police.uk
types means every type (the "all crime" dashboard). The file is checked when it is read: an unknown crime type or
case type stops start-up with the file's name, not a blank chart later.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from csphub.analytics.schema import KNOWN_CRIME_TYPES, crime_series_of
from csphub.cases.kinds import CaseType

PRIORITIES_FILE = Path(__file__).with_name("priorities.toml")


class PrioritiesError(ValueError):
    pass


@dataclass(frozen=True)
class Priority:
    slug: str
    title: str
    police_uk: tuple[str, ...]  # police.uk crime types or series; empty: all of them
    partner: tuple[str, ...]  # partner categories
    case_types: tuple[str, ...]  # case types of the case system; empty: all of them

    @property
    def all_crime(self) -> bool:
        return not self.police_uk


@dataclass(frozen=True)
class Priorities:
    version: str
    items: tuple[Priority, ...]

    def get(self, slug: str) -> Priority | None:
        return next((p for p in self.items if p.slug == slug), None)

    @property
    def slugs(self) -> tuple[str, ...]:
        return tuple(p.slug for p in self.items)


def parse(text: str, source: str = "priorities") -> Priorities:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PrioritiesError(f"{source}: {exc}") from exc
    version = data.get("version")
    if not isinstance(version, str) or not version:
        raise PrioritiesError(f"{source}: needs a version (a string)")
    known_types = set(KNOWN_CRIME_TYPES) | {crime_series_of(t) for t in KNOWN_CRIME_TYPES}
    known_cases = set(CaseType.values)
    items = []
    for n, raw in enumerate(data.get("priority", []), start=1):
        where = f"{source}: priority {n}"
        try:
            item = Priority(
                slug=str(raw["slug"]),
                title=str(raw["title"]),
                police_uk=tuple(str(t) for t in raw.get("police_uk", [])),
                partner=tuple(str(t) for t in raw.get("partner", [])),
                case_types=tuple(str(t) for t in raw.get("case_types", [])),
            )
        except KeyError as exc:
            raise PrioritiesError(f"{where}: missing {exc.args[0]}") from None
        if not item.slug.replace("-", "").isalnum() or item.slug != item.slug.lower():
            raise PrioritiesError(f"{where}: slug {item.slug!r} must be lower-case letters, digits and hyphens")
        unknown = [t for t in item.police_uk if t not in known_types]
        if unknown:
            raise PrioritiesError(f"{where} ({item.slug}): not police.uk crime types or series: {', '.join(unknown)}")
        bad_cases = [t for t in item.case_types if t not in known_cases]
        if bad_cases:
            raise PrioritiesError(f"{where} ({item.slug}): unknown case types: {', '.join(bad_cases)}")
        items.append(item)
    if not items:
        raise PrioritiesError(f"{source}: no [[priority]]")
    if len({p.slug for p in items}) != len(items):
        raise PrioritiesError(f"{source}: a slug is used twice")
    return Priorities(version, tuple(items))


@cache
def load(path: Path = PRIORITIES_FILE) -> Priorities:
    return parse(path.read_text(encoding="utf-8"), str(path))
