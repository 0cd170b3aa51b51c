from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from csphub.rules.periods import add_months, anniversary, fmt_duration, fmt_when, require_int


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 4, 1), 1, date(2026, 5, 1)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 8, 31), -6, date(2026, 2, 28)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
        (date(2026, 3, 31), 36, date(2029, 3, 31)),
    ],
)
def test_it_adds_calendar_months_clamping_to_month_end(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_it_keeps_the_time_of_a_datetime() -> None:
    moment = datetime(2026, 1, 31, 14, 30, tzinfo=UTC)
    assert add_months(moment, 1) == datetime(2026, 2, 28, 14, 30, tzinfo=UTC)


def test_it_counts_a_29_february_birthday_on_1_march_in_common_years() -> None:
    assert anniversary(date(2012, 2, 29), 16) == date(2028, 2, 29)
    assert anniversary(date(2012, 2, 29), 17) == date(2029, 3, 1)


def test_it_words_dates_and_durations() -> None:
    assert fmt_when(date(2026, 4, 1)) == "01/04/2026"
    assert fmt_when(datetime(2026, 4, 1, 9, 5)) == "01/04/2026 09:05"
    assert fmt_duration(timedelta(hours=48, minutes=1)) == "48 hours 1 minute"
    assert fmt_duration(timedelta(0)) == "0 minutes"


def test_it_names_the_field_of_a_bad_setting() -> None:
    with pytest.raises(ValueError, match="window_months must be at least 6"):
        require_int("window_months", 5, 6)
    with pytest.raises(ValueError, match="flag must be a whole number"):
        require_int("flag", True)
