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
from typing import Any, NamedTuple, Protocol

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


@dataclass(frozen=True, slots=True)
class Change:
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


def _headline(kind: str, change: ChangeType, before: str | None, after: str | None) -> Headline:
    if kind in (Kind.LINE_STATUS, Kind.GROUP_STATUS):
        if after in QUIET_STATUSES and before not in QUIET_STATUSES:
            return Headline.WENT_QUIET
        if after == "active" and before != "active":
            return Headline.BECAME_ACTIVE
        return Headline.OTHER
    if kind == Kind.LINE_ADDRESS and after in TAKEN_OVER_ROLES and before not in TAKEN_OVER_ROLES:
        return Headline.TAKEN_OVER
    if kind in (Kind.GROUP_MEMBER, Kind.LINE_NOMINAL):
        if change == ChangeType.STARTED:
            return Headline.JOINED
        if change == ChangeType.ENDED:
            return Headline.LEFT
    return Headline.OTHER


def diff(before: Picture, after: Picture) -> list[Change]:
    """What changed from one picture to the other, move by move.

    A slot held in one picture and not the other started or ended; held in both with a different value or object,
    it changed. For kinds whose object is on one subject at a time (``exclusive``), an object that ended on one
    subject and started on another is one move ("moved group", "the phone moved to another line")."""
    return _diff_held(before.facts, after.facts)


class _Held(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def obj(self) -> Ref: ...
    @property
    def value(self) -> str: ...


_SINGLE = frozenset(k for k, s in SPECS.items() if s.single)
_VALUED = frozenset(k for k, s in SPECS.items() if s.valued_set)
_EXCLUSIVE = frozenset(k for k, s in SPECS.items() if s.exclusive)


def _diff_held(before: Mapping[Slot, _Held], after: Mapping[Slot, _Held]) -> list[Change]:
    changes: list[Change] = []
    ids: tuple[int, ...]
    started = ChangeType.STARTED
    ended = ChangeType.ENDED
    changed = ChangeType.CHANGED
    for key in before.keys() | after.keys():
        b, a = before.get(key), after.get(key)
        if b is a:
            continue  # the same version on both days: nothing changed
        kind, subject = key[0], key[1]
        if b is not None and a is not None:
            if b.obj == a.obj and b.value == a.value:
                continue
            ctype, obj, bval, aval, ids = changed, a.obj, b.value, a.value, (b.id, a.id)
            before_obj = b.obj if b.obj != a.obj else None
        elif a is not None:
            ctype, obj, bval, aval, ids, before_obj = started, a.obj, None, a.value, (a.id,), None
        else:
            assert b is not None
            ctype, obj, bval, aval, ids, before_obj = ended, b.obj, b.value, None, (b.id,), None
        changes.append(
            Change(kind, ctype, _headline(kind, ctype, bval, aval), subject, obj, bval, aval, None, ids, before_obj)
        )
    return _pair_moves(changes)


def _pair_moves(changes: list[Change]) -> list[Change]:
    ended: dict[tuple[str, Ref], list[Change]] = defaultdict(list)
    started: dict[tuple[str, Ref], list[Change]] = defaultdict(list)
    for c in changes:
        if c.kind not in _EXCLUSIVE:
            continue
        if c.type == ChangeType.ENDED:
            ended[(c.kind, c.obj)].append(c)
        elif c.type == ChangeType.STARTED:
            started[(c.kind, c.obj)].append(c)
    paired: set[int] = set()
    moves: list[Change] = []
    for key in ended.keys() & started.keys():
        gone_list, came_list = ended[key], started[key]
        if len(gone_list) > 1:
            gone_list.sort(key=_order)
        if len(came_list) > 1:
            came_list.sort(key=_order)
        for gone, came in zip(gone_list, came_list, strict=False):
            paired.update((id(gone), id(came)))
            if gone.kind == Kind.GROUP_MEMBER:
                headline = Headline.MOVED_GROUP
            elif gone.kind == Kind.LINE_PHONE:
                headline = Headline.PHONE_MOVED
            else:
                headline = Headline.OTHER
            moves.append(
                Change(
                    gone.kind,
                    ChangeType.MOVED,
                    headline,
                    came.subject,
                    came.obj,
                    gone.before,
                    came.after,
                    gone.subject,
                    gone.fact_ids + came.fact_ids,
                )
            )
    kept = [c for c in changes if id(c) not in paired] if paired else changes
    return sorted([*kept, *moves], key=_order)


def _order(c: Change) -> tuple[str, Ref, str, Ref, str]:
    return (c.kind, c.subject, c.type, c.obj, c.after or "")


class Version(NamedTuple):
    """A fact as the diff of two dates needs it, with whether it holds on each (worked out by the database)."""

    id: int
    kind: str
    subject: Ref
    obj: Ref
    value: str
    recorded: Any  # orders versions recorded for one slot: a datetime, or the database's text for one
    at_first: bool
    at_second: bool


def diff_versions(rows: Iterable[Version]) -> list[Change]:
    """``diff`` of the pictures of two dates from the versions believed at one moment that hold on either date.

    The same answer as ``diff(as_at(...first), as_at(...second))``, in one pass and without dates: the caller (the
    database) has already kept the versions believed at the moment and said which date each holds on. At scale
    (hundreds of thousands of versions) this is what keeps the full diff within seconds."""
    first: dict[Slot, Version] = {}
    second: dict[Slot, Version] = {}
    single, valued, none = _SINGLE, _VALUED, NO_OBJECT
    for r in rows:
        kind = r.kind
        if kind in single:
            key: Slot = (kind, r.subject, none, "")
        elif kind in valued:
            key = (kind, r.subject, none, r.value)
        else:
            key = (kind, r.subject, r.obj, "")
        if r.at_first:
            cur = first.get(key)
            if cur is None or (r.recorded, r.id) > (cur.recorded, cur.id):
                first[key] = r
        if r.at_second:
            cur = second.get(key)
            if cur is None or (r.recorded, r.id) > (cur.recorded, cur.id):
                second[key] = r
    return _diff_held(first, second)


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
