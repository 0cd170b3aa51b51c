"""Shared fixtures: the shipped real data, a store filled with it once per session, and fresh empty stores."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import pytest

from csphub.analytics.api import Analytics
from csphub.analytics.config import PROJECT_DIR, AnalyticsConfig

DATA = PROJECT_DIR / "data"
POLICE = DATA / "police-uk"
NORTHANTS = POLICE / "northamptonshire"
BEDS = POLICE / "bedfordshire"
NORTHANTS_MONTHS = tuple(sorted(NORTHANTS.glob("*-street.csv")))


def config_for(data_dir: Path) -> AnalyticsConfig:
    return replace(AnalyticsConfig.from_env(), data_dir=data_dir, reference_dir=DATA)


@pytest.fixture(scope="session")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Analytics:
    """A store holding every shipped police.uk file (six Northamptonshire months, two Bedfordshire months).
    Shared by the whole session: tests must only read it."""
    app = Analytics(config_for(tmp_path_factory.mktemp("shipped")))
    app.ingest([POLICE])
    return app


@pytest.fixture
def empty(tmp_path: Path) -> Analytics:
    return Analytics(config_for(tmp_path / "store"))


def snapshot(root: Path) -> dict[str, str]:
    """Every file under the store (staging excluded, which is always emptied) with the hash of its bytes."""
    if not root.exists():
        return {}
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".staging" not in p.parts and p.name != ".lock"
    }
