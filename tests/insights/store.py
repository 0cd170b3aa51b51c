"""A crime store for the analytics area's tests: the shipped Northamptonshire months of 2025, the same months again
as 2024 (so that every month has one a year earlier), and a small partner file with counts either side of the
suppression threshold."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from csphub.analytics.api import Analytics
from tests.analytics.conftest import NORTHANTS, config_for

#: partner incidents in Kettering: 3 noise reports in March 2025 (under the threshold of 5), 7 in April
PARTNER_CSV = "occurred_at,category,source_agency,reference,postcode,location\n" + "".join(
    f"2025-{month:02d}-{day:02d} 22:15,Noise nuisance,North Northamptonshire Council,ASB-{month}-{day},NN16 8BA,"
    f"Montagu Street\n"
    for month, days in ((3, 3), (4, 7))
    for day in range(1, days + 1)
)


def _year_earlier(source: Path, target_dir: Path) -> Path:
    """The file again with every month a year earlier (its name and its Month column), and every fourth crime left
    out (so that 2025 is up on 2024, significantly)."""
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    text = "".join(line for n, line in enumerate(lines) if n == 0 or n % 4)
    month = re.match(r"(\d{4})-(\d{2})", source.name)
    assert month
    before = f"{int(month[1]) - 1}-{month[2]}"
    target = target_dir / source.name.replace(f"{month[1]}-{month[2]}", before)
    target.write_text(text.replace(f",{month[1]}-{month[2]},", f",{before},"), encoding="utf-8")
    return target


def build_store(root: Path) -> Path:
    inputs = root / "inputs"
    inputs.mkdir(parents=True)
    earlier = [_year_earlier(p, inputs) for p in sorted(NORTHANTS.glob("*-street.csv"))]
    app = Analytics(config_for(root / "store"))
    app.ingest([NORTHANTS, *earlier])
    partner = inputs / "asb-2025.csv"
    partner.write_text(PARTNER_CSV, encoding="utf-8")
    app.ingest_partner([partner])
    return root / "store"


@pytest.fixture(scope="session")
def crime_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Shared by the session: tests must only read it."""
    return build_store(tmp_path_factory.mktemp("insights"))


@pytest.fixture
def with_crime_store(crime_store: Path, settings: Any) -> Iterator[Path]:
    settings.DATA_DIR = crime_store
    yield crime_store
