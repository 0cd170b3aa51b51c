"""Counts, the exact Poisson test, period and year-on-year change, seasonality."""

from __future__ import annotations

import math
from datetime import date

import pytest

from csphub.analytics.api import Analytics
from csphub.analytics.errors import SettingsError
from csphub.analytics.store import EventFilter, MonthRange
from csphub.analytics.trends import compare_periods, poisson_test, seasonality, year_on_year


def _exact_two_sided(c1: int, e1: float, c2: int, e2: float) -> float:
    """Sum of Binomial(n, e2/(e1+e2)) probabilities no larger than that of c2 (computed with math.comb)."""
    n, q = c1 + c2, e2 / (e1 + e2)
    probs = [math.comb(n, k) * q**k * (1 - q) ** (n - k) for k in range(n + 1)]
    observed = probs[c2]
    return min(1.0, sum(p for p in probs if p <= observed * (1 + 1e-7)))


@pytest.mark.parametrize(
    ("c1", "e1", "c2", "e2"),
    [(10, 31, 25, 30), (90, 90, 79, 91), (0, 31, 4, 31), (7, 28, 7, 31), (200, 365, 260, 366)],
)
def test_it_tests_two_poisson_counts_exactly(c1: int, e1: float, c2: int, e2: float) -> None:
    result = poisson_test(c1, e1, c2, e2)
    assert result.p_value == pytest.approx(_exact_two_sided(c1, e1, c2, e2), rel=1e-9)
    assert result.rate_ratio == pytest.approx((c2 / e2) / (c1 / e1)) if c1 else math.isinf(result.rate_ratio)


def test_it_says_no_change_is_certain_when_both_counts_are_zero() -> None:
    assert poisson_test(0, 30, 0, 31).p_value == 1.0


def test_it_compares_two_periods_with_their_lengths_in_days() -> None:
    table = compare_periods(
        {("Burglary",): 90, ("Drugs",): 132},
        {("Burglary",): 79, ("Drugs",): 176, ("Robbery",): 3},
        ("crime_type",),
        MonthRange.parse("2025-01:2025-03"),
        MonthRange.parse("2025-04:2025-06"),
    )
    assert (table.base_days, table.compare_days) == (90, 91)
    by_type = {c.key[0]: c for c in table.changes}
    assert by_type["Robbery"].base == 0 and by_type["Robbery"].compare == 3
    assert by_type["Drugs"].change == 44 and by_type["Drugs"].percent_change == pytest.approx(100 * 44 / 132)
    assert by_type["Drugs"].test.p_value == pytest.approx(_exact_two_sided(132, 90, 176, 91))
    with pytest.raises(SettingsError):
        compare_periods({}, {}, (), MonthRange.parse("2025-01:"), MonthRange.parse("2025-04:2025-06"))


def test_it_compares_each_month_with_the_same_month_a_year_before() -> None:
    months = [date(2024, 3, 1), date(2024, 4, 1), date(2025, 3, 1), date(2025, 4, 1), date(2025, 5, 1)]
    monthly: dict[tuple[object, ...], dict[date, int]] = {
        ("Burglary",): {date(2024, 3, 1): 20, date(2025, 3, 1): 35, date(2025, 4, 1): 5}
    }
    rows = year_on_year(monthly, months)
    assert [(r.month, r.count, r.previous) for r in rows] == [
        (date(2025, 3, 1), 35, 20),
        (date(2025, 4, 1), 5, 0),
    ]
    assert rows[0].test.p_value == pytest.approx(_exact_two_sided(20, 31, 35, 31))


def test_it_measures_seasonality_per_day_of_each_calendar_month() -> None:
    result = seasonality({date(2025, 1, 1): 310, date(2025, 2, 1): 280, date(2024, 2, 1): 290, date(2025, 6, 1): 600})
    by_month = {m.calendar_month: m for m in result.months}
    assert (by_month[2].count, by_month[2].days) == (570, 57)  # February 2024 has 29 days
    overall = (310 + 570 + 600) / (31 + 57 + 30)
    assert by_month[6].index == pytest.approx((600 / 30) / overall)
    expected = [1480 * d / 118 for d in (31, 57, 30)]
    chi2 = sum((o - e) ** 2 / e for o, e in zip((310, 570, 600), expected, strict=True))
    assert result.chi_square == pytest.approx(chi2)
    assert result.degrees_of_freedom == 2


def test_it_counts_any_subset_of_month_crime_type_and_district(shipped: Analytics) -> None:
    full = shipped.counts(["month", "crime_type", "district"], EventFilter())
    by_month = shipped.counts(["month"], EventFilter())
    total = shipped.counts([], EventFilter())
    assert full.total == by_month.total == total.total == total.counts[0]
    summed: dict[object, int] = {}
    for (month, _, _), n in full.as_dict().items():
        summed[month] = summed.get(month, 0) + n
    assert summed == {month: n for (month,), n in by_month.as_dict().items()}
    kettering = shipped.counts(
        ["crime_type"], EventFilter(districts=("E07000153",), months=MonthRange.parse("2025-02:2025-03"))
    )
    assert 0 < kettering.total < by_month.total
    with pytest.raises(SettingsError, match="cannot count by"):
        shipped.counts(["ward"], EventFilter())
