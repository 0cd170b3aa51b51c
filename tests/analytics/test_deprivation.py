"""Deprivation context: rates per 1,000 residents by LSOA 2021 with the IMD 2019 decile of its 2011 parent."""

from __future__ import annotations

import csv

import pytest

from csphub.analytics.api import Analytics
from csphub.analytics.deprivation import Lsoa, deprivation_rates
from csphub.analytics.store import EventFilter, MonthRange

from .conftest import DATA


def _lsoa(code21: str, code11: str, residents: int, decile: int) -> Lsoa:
    return Lsoa(code21, f"Area {code21}", code11, "E07000153", residents, decile * 3000, decile)


def test_it_divides_events_by_residents_and_pools_deciles() -> None:
    lsoas = (
        _lsoa("E01000001", "E01000001", 1000, 1),
        _lsoa("E01035000", "E01000002", 2000, 1),  # created in 2021 from the 2011 LSOA E01000002
        _lsoa("E01000003", "E01000003", 1500, 7),
    )
    events = {
        ("E01000001", 2021): 50,
        ("E01035000", 2021): 30,
        ("E01000003", 2011): 15,  # unchanged code: counts
        ("E01000002", 2011): 9,  # split in 2021: cannot be placed
        ("E09999999", 2021): 99,  # outside the area
    }
    result = deprivation_rates(lsoas, events, months=6)
    rates = {r.lsoa.lsoa21_code: r for r in result.lsoas}
    assert rates["E01000001"].rate_per_1000 == pytest.approx(50.0)
    assert rates["E01000001"].annual_rate_per_1000 == pytest.approx(100.0)
    assert rates["E01000003"].events == 15
    assert result.unassigned == 9 and result.events_in_area == 95
    first = result.deciles[0]
    assert (first.decile, first.lsoas, first.residents, first.events) == (1, 2, 3000, 80)
    assert first.rate_per_1000 == pytest.approx(80 / 3)


def test_it_uses_the_shipped_census_and_imd_files_for_north_northamptonshire(shipped: Analytics) -> None:
    result = shipped.deprivation(EventFilter())
    assert len(result.lsoas) == 205  # the LSOAs 2021 of North Northamptonshire
    assert sum(r.lsoa.residents for r in result.lsoas) == 359_510
    with (DATA / "imd2019" / "IMD2019_File1_northamptonshire_lsoa.csv").open(encoding="utf-8-sig") as fh:
        deciles = {
            r["LSOA code (2011)"]: int(r["Index of Multiple Deprivation (IMD) Decile"]) for r in csv.DictReader(fh)
        }
    assert all(r.lsoa.imd_decile == deciles[r.lsoa.lsoa11_code] for r in result.lsoas)
    with (DATA / "police-uk" / "northamptonshire" / "2025-01-northamptonshire-street.csv").open(encoding="utf-8") as fh:
        corby_005a = sum(1 for r in csv.DictReader(fh) if r["LSOA code"] == "E01026949")
    january = shipped.deprivation(EventFilter(months=MonthRange.parse("2025-01")))
    row = next(r for r in january.lsoas if r.lsoa.lsoa21_code == "E01026949")
    assert row.events == corby_005a
    assert row.rate_per_1000 == pytest.approx(1000 * corby_005a / 1428)
    assert result.months == 6  # the Northamptonshire months (not the Bedfordshire ones, also in the store)
    assert january.months == 1
