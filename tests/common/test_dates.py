from __future__ import annotations

import datetime as dt

import pytest

from csphub.common.dates import PartialDate, PartialDateError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1990", PartialDate(1990)),
        ("04/1990", PartialDate(1990, 4)),
        ("3/4/1990", PartialDate(1990, 4, 3)),
        ("03.04.1990", PartialDate(1990, 4, 3)),
        ("1990-04", PartialDate(1990, 4)),
        ("1990-04-03", PartialDate(1990, 4, 3)),
    ],
)
def test_it_parses_full_and_partial_dates(text: str, expected: PartialDate) -> None:
    assert PartialDate.parse(text) == expected


@pytest.mark.parametrize("text", ["", "31/02/1990", "13/1990", "1899", "yesterday", "1990/04/03"])
def test_it_rejects_what_is_not_a_date(text: str) -> None:
    with pytest.raises(PartialDateError):
        PartialDate.parse(text)


def test_it_rejects_a_birth_in_the_future() -> None:
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    if tomorrow.year == dt.date.today().year:
        with pytest.raises(PartialDateError, match="past"):
            PartialDate(tomorrow.year, tomorrow.month, tomorrow.day)


def test_partial_dates_match_when_nothing_known_contradicts() -> None:
    full = PartialDate(1990, 4, 3)
    assert PartialDate(1990).matches(full)
    assert PartialDate(1990, 4).matches(full)
    assert not PartialDate(1990, 5).matches(full)
    assert not PartialDate(1991).matches(full)
    assert str(PartialDate(1990, 4)) == "04/1990"
