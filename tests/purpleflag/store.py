"""A crime store for the Purple Flag tests (a pytest plugin, tests/conftest.py): the analytics area's store
(tests/insights/store.py: police.uk Northamptonshire 2025 and the same months as 2024), copied, with NTE log
incidents added through the partner ingest path in Kettering town centre: March 2025 has 3 (under the suppression
threshold of 5), April 2025 has 7, and March and April 2024 have 5 and 6 (so the change against a year earlier can
be computed, and must be hidden when March's 3 is)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from csphub.analytics.api import Analytics
from tests.analytics.conftest import config_for

CENTRE = (52.3985, -0.7262)  # Kettering's Market Place
NTE_MONTHS = {(2024, 3): 5, (2024, 4): 6, (2025, 3): 3, (2025, 4): 7}


def nte_csv() -> str:
    rows = ["occurred_at,category,source_agency,reference,location,postcode,latitude,longitude"]
    for (year, month), n in NTE_MONTHS.items():
        for day in range(1, n + 1):
            rows.append(
                f"{year}-{month:02d}-{day:02d} 23:30,Night-time economy: Violence or fighting,"
                f"Kettering Street Pastors NTE log,NTE-{year}-{month}-{day},Market Place,,"
                f"{CENTRE[0] + 0.0005 * day:.5f},{CENTRE[1]:.5f}"
            )
    return "\n".join(rows) + "\n"


@pytest.fixture(scope="session")
def pf_store(crime_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("purpleflag")
    store = root / "store"
    shutil.copytree(crime_store, store)
    partner = root / "nte.csv"
    partner.write_text(nte_csv(), encoding="utf-8")
    Analytics(config_for(store)).ingest_partner([partner])
    return store


@pytest.fixture
def with_pf_store(pf_store: Path, settings: Any) -> Iterator[Path]:
    settings.DATA_DIR = pf_store
    yield pf_store
