"""The pure bitemporal questions: the picture as at a date as known at a moment, and what changed between dates."""

from __future__ import annotations

import datetime as dt

from csphub.intelligence.timeline import (
    NO_OBJECT,
    ChangeType,
    Fact,
    Headline,
    active_lines_by_district,
    as_at,
    diff_facts,
    end_of_day,
)

UTC = dt.UTC
JAN, JUN = dt.datetime(2025, 1, 2, tzinfo=UTC), dt.datetime(2025, 6, 1, tzinfo=UTC)
SPLIT = dt.date(2025, 3, 1)
EVE, MORNING = SPLIT - dt.timedelta(days=1), SPLIT


def _f(
    fid: int,
    kind: str,
    subject: tuple[str, int],
    obj: tuple[str, int],
    value: str,
    start: dt.date,
    end: dt.date | None = None,
    at: dt.datetime = JAN,
    closed: dt.datetime | None = None,
) -> Fact:
    return Fact(fid, kind, subject, obj, value, start, end, at, closed)


FACTS = [
    _f(1, "group_member", ("group", 1), ("person", 5), "enforcer", dt.date(2024, 1, 1), SPLIT),
    _f(2, "group_member", ("group", 2), ("person", 5), "principal", SPLIT),
    _f(3, "line_status", ("line", 1), NO_OBJECT, "active", dt.date(2024, 1, 1), SPLIT),
    _f(4, "line_status", ("line", 1), NO_OBJECT, "disrupted", SPLIT),
    _f(5, "line_phone", ("line", 1), ("phone", 7), "", dt.date(2024, 1, 1), SPLIT),
    _f(6, "line_phone", ("line", 2), ("phone", 7), "", SPLIT),
    _f(7, "line_address", ("line", 2), ("place", 9), "cuckooed", SPLIT),
    _f(8, "line_district", ("line", 1), ("district", 1), "", dt.date(2024, 1, 1)),
    _f(9, "line_district", ("line", 2), ("district", 1), "", dt.date(2024, 1, 1)),
    _f(10, "line_status", ("line", 2), NO_OBJECT, "active", dt.date(2024, 1, 1)),
]


def test_it_answers_the_issues_four_questions_between_two_dates() -> None:
    changes = diff_facts(FACTS, EVE, MORNING, known=JUN)
    headlines = {c.headline for c in changes}
    assert headlines == {Headline.MOVED_GROUP, Headline.WENT_QUIET, Headline.PHONE_MOVED, Headline.TAKEN_OVER}
    moved = next(c for c in changes if c.headline == Headline.MOVED_GROUP)
    assert (moved.from_subject, moved.subject, moved.before, moved.after) == (
        ("group", 1),
        ("group", 2),
        "enforcer",
        "principal",
    )
    phone = next(c for c in changes if c.headline == Headline.PHONE_MOVED)
    assert (phone.type, phone.from_subject, phone.subject) == (ChangeType.MOVED, ("line", 1), ("line", 2))


def test_nothing_changes_between_two_days_of_the_same_picture() -> None:
    assert diff_facts(FACTS, dt.date(2024, 6, 1), dt.date(2024, 6, 2), known=JUN) == []


def test_a_late_fact_is_in_the_picture_as_known_now_not_as_known_then() -> None:
    late = _f(11, "line_address", ("line", 1), ("place", 3), "cuckooed", dt.date(2024, 2, 1), at=JUN)
    day = dt.date(2024, 3, 1)
    then = as_at([*FACTS, late], valid=day, known=end_of_day(day, UTC))
    now = as_at([*FACTS, late], valid=day, known=JUN)
    assert 11 in {f.id for f in now.facts.values()}
    assert 11 not in {f.id for f in then.facts.values()}


def test_a_correction_replaces_a_version_without_erasing_what_was_believed() -> None:
    wrong = _f(20, "line_status", ("line", 3), NO_OBJECT, "active", dt.date(2024, 1, 1), closed=JUN)
    right = _f(21, "line_status", ("line", 3), NO_OBJECT, "closed", dt.date(2024, 1, 1), at=JUN)
    day = dt.date(2024, 5, 1)
    assert (
        as_at([wrong, right], valid=day, known=dt.datetime(2025, 5, 1, tzinfo=UTC)).value("line_status", ("line", 3))
        == "active"
    )
    assert as_at([wrong, right], valid=day, known=JUN).value("line_status", ("line", 3)) == "closed"


def test_valid_time_is_half_open_so_an_overnight_change_has_no_gap_and_no_overlap() -> None:
    eve = as_at(FACTS, valid=EVE, known=JUN)
    morning = as_at(FACTS, valid=MORNING, known=JUN)
    assert eve.value("line_status", ("line", 1)) == "active"
    assert morning.value("line_status", ("line", 1)) == "disrupted"
    assert [f.id for f in morning.facts.values() if f.kind == "group_member"] == [2]


def test_it_counts_a_line_in_every_district_it_operates_in_while_active() -> None:
    assert active_lines_by_district(FACTS, valid=EVE, known=JUN) == {1: {1, 2}}
    assert active_lines_by_district(FACTS, valid=MORNING, known=JUN) == {1: {2}}
