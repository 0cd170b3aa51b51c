"""Where the ranking finds what is near a premises: the analytics' drug-crime hotspots, and the county-lines hook."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from csphub.analytics.api import Analytics
from csphub.analytics.config import AnalyticsConfig
from csphub.cuckooing import sources
from csphub.cuckooing.ranking import load_settings
from csphub.geography import wgs84_to_bng

DATA = Path(__file__).resolve().parents[2] / "data" / "police-uk" / "northamptonshire"


def test_it_finds_drug_crime_hotspots_in_the_latest_months_the_store_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSPHUB_DATA_DIR", str(tmp_path / "store"))
    Analytics(AnalyticsConfig.from_env()).ingest(
        [DATA / "2025-05-northamptonshire-street.csv", DATA / "2025-06-northamptonshire-street.csv"]
    )
    settings = load_settings()
    cells = sources.analytics_drug_hotspots(dt.date(2026, 12, 7), settings)
    assert cells.months == "May 2025 to June 2025" and not cells.note
    assert cells.xy.shape[1] == 2 and len(cells.xy) > 0
    # Hot cells lie in North Northamptonshire's towns (British National Grid metres).
    assert cells.xy[:, 0].min() > 470_000 and cells.xy[:, 0].max() < 520_000
    before = sources.analytics_drug_hotspots(dt.date(2025, 5, 31), settings)
    assert before.months == "May 2025"


def test_an_empty_store_gives_no_hotspots_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSPHUB_DATA_DIR", str(tmp_path / "empty"))
    cells = sources.analytics_drug_hotspots(dt.date(2026, 12, 7), load_settings())
    assert len(cells.xy) == 0 and "No drug-crime figures" in cells.note


def test_county_lines_addresses_are_read_on_the_day_and_converted_to_metres() -> None:
    def lines(as_at: dt.date) -> list[tuple[float, float]]:
        return [(52.398, -0.726)] + ([(52.49, -0.69)] if as_at >= dt.date(2026, 1, 1) else [])

    assert sources.has_known_addresses(), "the intelligence app is the source by default"
    with sources.use_known_addresses(None):
        assert not sources.has_known_addresses()
        assert len(sources.known_addresses_xy(dt.date(2026, 6, 1))) == 0
    with sources.use_known_addresses(lines):
        xy = sources.known_addresses_xy(dt.date(2026, 6, 1))
        assert xy.shape == (2, 2)
        assert xy[0] == pytest.approx(np.array(wgs84_to_bng(52.398, -0.726)))
        assert len(sources.known_addresses_xy(dt.date(2025, 6, 1))) == 1
    assert sources.has_known_addresses()
