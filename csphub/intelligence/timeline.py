"""Bitemporal facts about county lines and organised crime groups, and the pure questions asked of them. No Django.

Every fact (a line's status, a phone on a line, a person in a group in a role…) has two times:

- **valid time**: ``valid_from`` (first day it was true) to ``valid_to`` (the first day it was no longer true;
  ``None`` while it still holds). Half-open, so that an "overnight" change ends one fact and starts the next on the
  same date with no gap and no overlap.
- **record time**: ``recorded_at`` (when the partnership learnt it) to ``closed_at`` (when that belief was replaced
  by a corrected version, or retracted as wrong; ``None`` while it is still believed).

A fact is never changed or deleted: a correction closes the old row in record time and records new rows, so the
picture "as known then" can always be rebuilt. A late-recorded fact (learnt in June about something true since
March) changes the picture of March "as known now" and leaves the picture of March "as known in March" alone.

Facts name their subject and object as ``(type, id)`` pairs — ``("line", 7)``, ``("person", 42)`` — so this module
knows nothing of the models; the Django side (``csphub.intelligence.services``) turns rows into ``Fact`` tuples and
``Change`` tuples back into sentences.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NamedTuple

Ref = tuple[str, int]  # ("line", 7), ("group", 2), ("person", 42), ("district", 3)…
NO_OBJECT: Ref = ("", 0)


class Kind(StrEnum):
    LINE_STATUS = "line_status"
    LINE_ORIGIN = "line_origin"
    LINE_DISTRICT = "line_district"
    LINE_PHONE = "line_phone"
    LINE_NOMINAL = "line_nominal"
    LINE_ADDRESS = "line_address"
    LINE_VEHICLE = "line_vehicle"
    LINE_GROUP = "line_group"
    GROUP_STATUS = "group_status"
    GROUP_MEMBER = "group_member"
    GROUP_ACTIVITY = "group_activity"
    GROUP_AREA = "group_area"


@dataclass(frozen=True)
class KindSpec:
    """How facts of one kind behave.

    ``single``: the subject has one at a time (a status, the OCG a line belongs to): a new one *changes* it.
    ``exclusive``: the object is on one subject at a time (a deal-line phone, a group member): ending on one subject
    and starting on another between two dates is a *move*.
    ``valued_set``: attribute facts with no object whose value is one of a set (a group's activities).
    """

    kind: Kind
    label: str
    subject: str
    obj: str
    single: bool = False
    exclusive: bool = False
    valued_set: bool = False


SPECS: Mapping[str, KindSpec] = {
    s.kind: s
    for s in (
        KindSpec(Kind.LINE_STATUS, "status", "line", "", single=True),
        KindSpec(Kind.LINE_ORIGIN, "exporting area", "line", "", single=True),
        KindSpec(Kind.LINE_DISTRICT, "district operated in", "line", "district"),
        KindSpec(Kind.LINE_PHONE, "deal-line number", "line", "phone", exclusive=True),
        KindSpec(Kind.LINE_NOMINAL, "nominal", "line", "person"),
        KindSpec(Kind.LINE_ADDRESS, "address", "line", "place"),
        KindSpec(Kind.LINE_VEHICLE, "vehicle", "line", "vehicle"),
        KindSpec(Kind.LINE_GROUP, "organised crime group", "line", "group", single=True),
        KindSpec(Kind.GROUP_STATUS, "status", "group", "", single=True),
        KindSpec(Kind.GROUP_MEMBER, "member", "group", "person", exclusive=True),
        KindSpec(Kind.GROUP_ACTIVITY, "activity", "group", "", valued_set=True),
        KindSpec(Kind.GROUP_AREA, "area", "group", "district"),
    )
}

QUIET_STATUSES = frozenset({"disrupted", "closed", "dormant", "dismantled"})
TAKEN_OVER_ROLES = frozenset({"cuckooed", "trap_house"})


@dataclass(frozen=True, slots=True)
class Fact:
    id: int
    kind: str
    subject: Ref
    obj: Ref
    value: str
    valid_from: dt.date
    valid_to: dt.date | None
    recorded_at: dt.datetime
    closed_at: dt.datetime | None = None

    def believed_at(self, known: dt.datetime) -> bool:
        return self.recorded_at <= known and (self.closed_at is None or known < self.closed_at)

    def holds_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)


Slot = tuple[str, Ref, Ref, str]  # (kind, subject, object, value-part of the key)


def slot(fact: Fact) -> Slot:
    """What a fact is *about*: two facts in the same slot are versions of one thing (the value may differ)."""
    spec = SPECS.get(fact.kind)
    if spec is not None and spec.single:
        return (fact.kind, fact.subject, NO_OBJECT, "")
    if spec is not None and spec.valued_set:
        return (fact.kind, fact.subject, NO_OBJECT, fact.value)
    return (fact.kind, fact.subject, fact.obj, "")


@dataclass(frozen=True)
class Picture:
    """What held on ``valid`` as known at ``known``: the facts, by slot."""

    valid: dt.date
    known: dt.datetime
    facts: Mapping[Slot, Fact]

    def of(self, subject: Ref) -> list[Fact]:
        return [f for f in self.facts.values() if f.subject == subject]

    def value(self, kind: str, subject: Ref) -> str | None:
        fact = self.facts.get((kind, subject, NO_OBJECT, ""))
        return fact.value if fact is not None else None

    def subjects(self, kind: str, value: str | None = None) -> set[Ref]:
        return {f.subject for f in self.facts.values() if f.kind == kind and (value is None or f.value == value)}


def as_at(facts: Iterable[Fact], *, valid: dt.date, known: dt.datetime) -> Picture:
    """The picture of ``valid`` (a date) as it was known at ``known`` (a moment).

    When two believed facts share a slot on the same day (two overlapping versions — a data-entry clash), the one
    recorded last wins: it is the partnership's latest word on that slot."""
    held: dict[Slot, Fact] = {}
    for fact in facts:
        if not fact.holds_on(valid) or not fact.believed_at(known):
            continue
        key = slot(fact)
        current = held.get(key)
        if current is None or (fact.recorded_at, fact.id) > (current.recorded_at, current.id):
            held[key] = fact
    return Picture(valid, known, held)


class ChangeType(StrEnum):
    STARTED = "started"
    ENDED = "ended"
    CHANGED = "changed"
    MOVED = "moved"


class Headline(StrEnum):
    """What a change means to a reader of the picture (the issue's questions), or nothing special."""

    MOVED_GROUP = "moved_group"  # who moved group
    PHONE_MOVED = "phone_moved"  # which phone moved to another line
    WENT_QUIET = "went_quiet"  # which line (or group) went quiet
    BECAME_ACTIVE = "became_active"
    TAKEN_OVER = "taken_over"  # which address was taken over
    JOINED = "joined"
    LEFT = "left"
    OTHER = "other"


class Change(NamedTuple):
    """One change between two pictures (a named tuple: the full diff makes hundreds of thousands of them)."""

    kind: str
    type: ChangeType
    headline: Headline
    subject: Ref  # for a move: the subject it moved to
    obj: Ref
    before: str | None  # the value before (None: nothing held)
    after: str | None
    from_subject: Ref | None = None  # for a move: where it was
    fact_ids: tuple[int, ...] = ()  # the facts behind the change (before's, after's)
    before_obj: Ref | None = None  # for a change of a single-valued relation (a line's OCG): the object before


def diff(before: Picture, after: Picture) -> list[Change]:
    """What changed from one picture to the other, move by move (in no particular order).

    A slot held in one picture and not the other started or ended; held in both with a different value or object,
    it changed. For kinds whose object is on one subject at a time (``exclusive``), an object that ended on one
    subject and started on another is one move ("moved group", "the phone moved to another line")."""
    return _diff_held(
        {_row_key(r): r for r in map(_row, before.facts.values())},
        {_row_key(r): r for r in map(_row, after.facts.values())},
    )


# A version as the diff handles it: a flat tuple, cheap to build by the hundred thousand (``diff_versions``).
# (id, kind, subject type, subject id, object type, object id, value, recorded, on which dates it holds: 1, 2 or 3)
Row = tuple[int, str, str, int, str, int, str, Any, int]
RowKey = tuple[str, str, int, str, int, str]

_SINGLE = frozenset(str(k) for k, s in SPECS.items() if s.single)
_VALUED = frozenset(str(k) for k, s in SPECS.items() if s.valued_set)
_EXCLUSIVE = frozenset(str(k) for k, s in SPECS.items() if s.exclusive)
_STATUS_KINDS = frozenset({str(Kind.LINE_STATUS), str(Kind.GROUP_STATUS)})
_PEOPLE_KINDS = frozenset({str(Kind.GROUP_MEMBER), str(Kind.LINE_NOMINAL)})
_ADDRESS, _MEMBER, _PHONE = str(Kind.LINE_ADDRESS), str(Kind.GROUP_MEMBER), str(Kind.LINE_PHONE)
_STARTED, _ENDED, _CHANGED, _MOVED = ChangeType.STARTED, ChangeType.ENDED, ChangeType.CHANGED, ChangeType.MOVED
_H = Headline


def _row(f: Fact) -> Row:
    return (f.id, f.kind, f.subject[0], f.subject[1], f.obj[0], f.obj[1], f.value, f.recorded_at, 0)


def _row_key(r: Row) -> RowKey:
    kind = r[1]
    if kind in _SINGLE:
        return (kind, r[2], r[3], "", 0, "")
    if kind in _VALUED:
        return (kind, r[2], r[3], "", 0, r[6])
    return (kind, r[2], r[3], r[4], r[5], "")


def _headline(kind: str, change: ChangeType, before: str | None, after: str | None) -> Headline:
    if kind in _STATUS_KINDS:
        if after in QUIET_STATUSES and before not in QUIET_STATUSES:
            return _H.WENT_QUIET
        if after == "active" and before != "active":
            return _H.BECAME_ACTIVE
        return _H.OTHER
    if kind == _ADDRESS:
        return _H.TAKEN_OVER if after in TAKEN_OVER_ROLES and before not in TAKEN_OVER_ROLES else _H.OTHER
    if kind in _PEOPLE_KINDS:
        if change is _STARTED:
            return _H.JOINED
        if change is _ENDED:
            return _H.LEFT
    return _H.OTHER


def _diff_held(before: Mapping[RowKey, Row], after: Mapping[RowKey, Row]) -> list[Change]:
    changes: list[Change] = []
    append = changes.append
    exclusive = _EXCLUSIVE
    # Objects that left a subject and objects that joined one, for kinds whose object is on one subject at a time:
    # paired into moves at the end, by (kind, object type, object id).
    gone: dict[tuple[str, str, int], list[Row]] = defaultdict(list)
    came: dict[tuple[str, str, int], list[Row]] = defaultdict(list)
    for key, b in before.items():
        a = after.get(key)
        if a is b:
            continue  # the same version on both days: nothing changed
        kind = key[0]
        if a is None:
            if kind in exclusive:
                gone[(kind, b[4], b[5])].append(b)
            else:
                append(_one(_ENDED, b, None))
            continue
        if b[4] == a[4] and b[5] == a[5] and b[6] == a[6]:
            continue
        append(_one(_CHANGED, b, a))
    for key, a in after.items():
        if key in before:
            continue
        if key[0] in exclusive:
            came[(key[0], a[4], a[5])].append(a)
        else:
            append(_one(_STARTED, None, a))
    for moved, left in gone.items():
        joined = came.pop(moved, [])
        if len(left) > 1:
            left.sort(key=_row_order)
        if len(joined) > 1:
            joined.sort(key=_row_order)
        for b, a in zip(left, joined, strict=False):
            kind = moved[0]
            headline = _H.MOVED_GROUP if kind == _MEMBER else _H.PHONE_MOVED if kind == _PHONE else _H.OTHER
            append(Change(kind, _MOVED, headline, (a[2], a[3]), (a[4], a[5]), b[6], a[6], (b[2], b[3]), (b[0], a[0])))
        for b in left[len(joined) :]:
            append(_one(_ENDED, b, None))
        for a in joined[len(left) :]:
            append(_one(_STARTED, None, a))
    for joined in came.values():
        for a in joined:
            append(_one(_STARTED, None, a))
    return changes


def _row_order(r: Row) -> tuple[str, int, int]:
    return (r[2], r[3], r[0])


def _one(ctype: ChangeType, b: Row | None, a: Row | None) -> Change:
    """A change of one slot: started (``a`` only), ended (``b`` only) or changed (both)."""
    row = a if a is not None else b
    assert row is not None
    kind = row[1]
    bval = b[6] if b is not None else None
    aval = a[6] if a is not None else None
    obj = (row[4], row[5])
    before_obj = (b[4], b[5]) if a is not None and b is not None and (b[4], b[5]) != obj else None
    ids = (b[0], a[0]) if a is not None and b is not None else (row[0],)
    return Change(
        kind, ctype, _headline(kind, ctype, bval, aval), (row[2], row[3]), obj, bval, aval, None, ids, before_obj
    )


def _order(c: Change) -> tuple[str, Ref, str, Ref, str]:
    return (c.kind, c.subject, c.type, c.obj, c.after or "")


def diff_versions(rows: Iterable[Row]) -> list[Change]:
    """``diff`` of the pictures of two dates from the versions believed at one moment that hold on either date.

    The same changes as ``diff(as_at(..., first), as_at(..., second))``, in one pass and without dates: the caller
    (the database) has kept the versions believed at the moment and said on which date each holds (``Row``'s last
    field: 1 the first, 2 the second, 3 both). At scale (hundreds of thousands of versions) this is what keeps the
    full diff within seconds."""
    # Versions holding on both dates are kept apart: a slot only they hold did not change, and is never looked at.
    both: dict[RowKey, Row] = {}
    first: dict[RowKey, Row] = {}
    second: dict[RowKey, Row] = {}
    single, valued = _SINGLE, _VALUED
    for r in rows:
        kind = r[1]
        if kind in single:
            key: RowKey = (kind, r[2], r[3], "", 0, "")
        elif kind in valued:
            key = (kind, r[2], r[3], "", 0, r[6])
        else:
            key = (kind, r[2], r[3], r[4], r[5], "")
        held = r[8]
        into = both if held == 3 else first if held == 1 else second
        cur = into.get(key)
        if cur is None or (r[7], r[0]) > (cur[7], cur[0]):
            into[key] = r
    before: dict[RowKey, Row] = {}
    after: dict[RowKey, Row] = {}
    for key in first.keys() | second.keys():
        common = both.get(key)
        for own, picture in ((first.get(key), before), (second.get(key), after)):
            if own is None or (common is not None and (common[7], common[0]) > (own[7], own[0])):
                own = common
            if own is not None:
                picture[key] = own
    return _diff_held(before, after)


def sort_changes(changes: Iterable[Change]) -> list[Change]:
    """Changes in a stable order (kind, subject, type, object), e.g. to compare two answers."""
    return sorted(changes, key=_order)


def diff_facts(facts: Iterable[Fact], first: dt.date, second: dt.date, *, known: dt.datetime) -> list[Change]:
    """The changes between the pictures of two dates, both as known at ``known`` (one pass over the facts)."""
    rows = list(facts)
    return diff(as_at(rows, valid=first, known=known), as_at(rows, valid=second, known=known))


def end_of_day(day: dt.date, tz: dt.tzinfo) -> dt.datetime:
    """The last moment of ``day`` in ``tz`` ("as known then" for a picture of that day)."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=tz) - dt.timedelta(microseconds=1)


def history(facts: Iterable[Fact], subject: Ref) -> list[Fact]:
    """Every version of every fact about a subject, believed or not, in valid then record order (a line's page)."""
    return sorted(
        (f for f in facts if f.subject == subject),
        key=lambda f: (f.valid_from, f.recorded_at, f.id),
    )


def active_on(facts: Iterable[Fact], *, valid: dt.date, known: dt.datetime) -> dict[Ref, str]:
    """Each subject's status on ``valid`` as known at ``known`` (lines and groups alike)."""
    picture = as_at((f for f in facts if f.kind in (Kind.LINE_STATUS, Kind.GROUP_STATUS)), valid=valid, known=known)
    return {f.subject: f.value for f in picture.facts.values()}


def active_lines_by_district(facts: Iterable[Fact], *, valid: dt.date, known: dt.datetime) -> dict[int, set[int]]:
    """District id -> ids of the lines active on ``valid`` that operate in it (the "16 in Kettering" figure).

    A line counts in every district it operates in on that date, so the districts' counts add up to more than the
    number of lines when lines cross district boundaries."""
    picture = as_at((f for f in facts if f.kind in (Kind.LINE_STATUS, Kind.LINE_DISTRICT)), valid=valid, known=known)
    active = {f.subject for f in picture.facts.values() if f.kind == Kind.LINE_STATUS and f.value == "active"}
    by_district: dict[int, set[int]] = defaultdict(set)
    for f in picture.facts.values():
        if f.kind == Kind.LINE_DISTRICT and f.subject in active:
            by_district[f.obj[1]].add(f.subject[1])
    return dict(by_district)
