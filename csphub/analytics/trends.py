"""Counts and change: counts by month, crime type and district; whether a change is more than chance;
seasonality.

- **Exact Poisson test for two counts** (the conditional test of Przyborowski & Wilenski 1940): if c₁ events
  in exposure e₁ and c₂ in e₂ come from Poisson processes with the same rate, then given n = c₁ + c₂,
  c₂ ~ Binomial(n, e₂ / (e₁ + e₂)). The two-sided p-value sums the probabilities of all outcomes no more
  likely than the one observed (as R's ``poisson.test``). Exposure is the number of days in each period, so a
  31-day month is not "up" on a 30-day one by length alone.
- **Seasonality**: per calendar month, the daily rate over all years present, as an index (1 = the average
  daily rate), with a chi-square goodness-of-fit test of "the same daily rate in every calendar month"
  (expected counts proportional to the days observed).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import duckdb
import numpy as np
from scipy import stats

from .errors import SettingsError
from .store import EventFilter, MonthRange, days_in_month, month_index

BY_COLUMNS: tuple[str, ...] = ("month", "crime_type", "crime_series", "district", "force", "source")


Key = tuple[object, ...]


@dataclass(frozen=True)
class CountTable:
    """Counts per group, sorted by the group values (``month`` values are dates, ``district`` "" for none)."""

    by: tuple[str, ...]
    keys: tuple[Key, ...]
    counts: tuple[int, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        return (*self.by, "count")

    @property
    def rows(self) -> list[tuple[object, ...]]:
        return [(*key, count) for key, count in zip(self.keys, self.counts, strict=True)]

    def as_dict(self) -> dict[Key, int]:
        return dict(zip(self.keys, self.counts, strict=True))

    @property
    def total(self) -> int:
        return sum(self.counts)


def validate_by(by: Sequence[str]) -> tuple[str, ...]:
    unknown = [column for column in by if column not in BY_COLUMNS]
    if unknown:
        raise SettingsError(f"cannot count by {', '.join(unknown)}: choose from {', '.join(BY_COLUMNS)}")
    if len(set(by)) != len(by):
        raise SettingsError("a column is named twice in --by")
    return tuple(by)


def count_events(con: duckdb.DuckDBPyConnection, by: Sequence[str], events: EventFilter) -> CountTable:
    """Events counted by any subset of the columns ``BY_COLUMNS`` (an empty subset gives the total)."""
    by = validate_by(by)
    where, params = events.where()
    group = ", ".join(by)
    # An unlocated row, or one outside every known district, has no district: counted under "".
    select = ", ".join("coalesce(district, '') AS district" if c == "district" else c for c in by)
    if by:
        sql = f"SELECT {select}, count(*) FROM events WHERE {where} GROUP BY {group} ORDER BY {group}"
    else:
        sql = f"SELECT count(*) FROM events WHERE {where}"
    rows = con.execute(sql, params).fetchall()
    return CountTable(by, tuple(tuple(row[:-1]) for row in rows), tuple(int(row[-1]) for row in rows))


@dataclass(frozen=True)
class PoissonTest:
    count_1: int
    exposure_1: float
    count_2: int
    exposure_2: float
    rate_ratio: float  # (c₂/e₂) / (c₁/e₁); inf when c₁ = 0 < c₂, NaN when both are 0
    p_value: float


def poisson_test(count_1: int, exposure_1: float, count_2: int, exposure_2: float) -> PoissonTest:
    """Exact two-sided test that two Poisson counts (with their exposures) share one rate."""
    if count_1 < 0 or count_2 < 0:
        raise ValueError("counts cannot be negative")
    if not (exposure_1 > 0 and exposure_2 > 0):
        raise ValueError("exposures must be positive")
    n = count_1 + count_2
    if n == 0:
        return PoissonTest(count_1, exposure_1, count_2, exposure_2, float("nan"), 1.0)
    p_value = float(stats.binomtest(count_2, n, exposure_2 / (exposure_1 + exposure_2)).pvalue)
    with np.errstate(divide="ignore"):
        ratio = float(np.float64(count_2 / exposure_2) / np.float64(count_1 / exposure_1))
    return PoissonTest(count_1, exposure_1, count_2, exposure_2, ratio, min(1.0, p_value))


def period_days(months: Sequence[date]) -> int:
    return sum(days_in_month(m) for m in months)


@dataclass(frozen=True)
class Change:
    key: tuple[object, ...]
    base: int
    compare: int
    test: PoissonTest

    @property
    def change(self) -> int:
        return self.compare - self.base

    @property
    def percent_change(self) -> float:
        return 100.0 * (self.compare - self.base) / self.base if self.base else float("nan")


@dataclass(frozen=True)
class ChangeTable:
    key_columns: tuple[str, ...]
    base: MonthRange
    compare: MonthRange
    base_days: int
    compare_days: int
    changes: tuple[Change, ...]


def _months_between(first: date, last: date) -> list[date]:
    start, end = month_index(first), month_index(last)
    return [date(i // 12, i % 12 + 1, 1) for i in range(start, end + 1)]


def compare_periods(
    base_counts: dict[Key, int],
    compare_counts: dict[Key, int],
    key_columns: tuple[str, ...],
    base: MonthRange,
    compare: MonthRange,
) -> ChangeTable:
    """The change between two closed month ranges for every key seen in either, with its Poisson test."""
    for period in (base, compare):
        if period.first is None or period.last is None:
            raise SettingsError("both periods need a first and a last month (e.g. 2025-01:2025-03)")
    assert base.first and base.last and compare.first and compare.last
    base_days = period_days(_months_between(base.first, base.last))
    compare_days = period_days(_months_between(compare.first, compare.last))
    changes = []
    for key in sorted(set(base_counts) | set(compare_counts), key=lambda k: tuple(str(v) for v in k)):
        b, c = base_counts.get(key, 0), compare_counts.get(key, 0)
        changes.append(Change(key, b, c, poisson_test(b, base_days, c, compare_days)))
    return ChangeTable(key_columns, base, compare, base_days, compare_days, tuple(changes))


@dataclass(frozen=True)
class YearOnYear:
    key: tuple[object, ...]
    month: date
    count: int
    previous: int  # the same month a year before
    test: PoissonTest


def year_on_year(monthly: Mapping[Key, Mapping[date, int]], months_present: Sequence[date]) -> tuple[YearOnYear, ...]:
    """For every key and every month whose month a year earlier is also in the data, the change on that month.

    ``monthly[key][month]`` is a count; a month present in the data but absent for a key counts as zero.
    """
    present = set(months_present)
    results = []
    for key in sorted(monthly, key=lambda k: tuple(str(v) for v in k)):
        series = monthly[key]
        for month in sorted(present):
            earlier = date(month.year - 1, month.month, 1)
            if earlier not in present:
                continue
            now, before = series.get(month, 0), series.get(earlier, 0)
            test = poisson_test(before, days_in_month(earlier), now, days_in_month(month))
            results.append(YearOnYear(key, month, now, before, test))
    return tuple(results)


@dataclass(frozen=True)
class SeasonalMonth:
    calendar_month: int  # 1 … 12
    count: int
    days: int  # days observed in that calendar month, over all years present
    daily_rate: float
    index: float  # daily rate / the average daily rate


@dataclass(frozen=True)
class Seasonality:
    months: tuple[SeasonalMonth, ...]
    chi_square: float
    degrees_of_freedom: int
    p_value: float


def seasonality(monthly: dict[date, int]) -> Seasonality:
    """Seasonal indices per calendar month and a test of equal daily rates across calendar months."""
    by_calendar: dict[int, list[int]] = {}
    for month, count in monthly.items():
        counts_days = by_calendar.setdefault(month.month, [0, 0])
        counts_days[0] += count
        counts_days[1] += days_in_month(month)
    if len(by_calendar) < 2:
        raise SettingsError("seasonality needs at least two different calendar months of data")
    calendar_months = sorted(by_calendar)
    counts = np.array([by_calendar[m][0] for m in calendar_months], dtype=np.float64)
    days = np.array([by_calendar[m][1] for m in calendar_months], dtype=np.float64)
    total = counts.sum()
    overall_rate = total / days.sum()
    expected = total * days / days.sum()
    if total > 0:
        chi_square = float(((counts - expected) ** 2 / expected).sum())
        p_value = float(stats.chi2.sf(chi_square, len(calendar_months) - 1))
    else:
        chi_square, p_value = 0.0, 1.0
    rows = tuple(
        SeasonalMonth(
            calendar_month=m,
            count=int(c),
            days=int(d),
            daily_rate=float(c / d),
            index=float((c / d) / overall_rate) if overall_rate > 0 else float("nan"),
        )
        for m, c, d in zip(calendar_months, counts, days, strict=True)
    )
    return Seasonality(rows, chi_square, len(calendar_months) - 1, p_value)
