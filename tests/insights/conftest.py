"""The map's tests read a crime store through ``settings.DATA_DIR``: ``map_store`` (asked for by the modules that
need it) points it at one filled once per session with the shipped police.uk files and a few partner incidents."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from csphub.insights import maps
from tests.insights.map_store import fill_store


@pytest.fixture(scope="session")
def map_crime_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Shared by the session: tests only read it."""
    return fill_store(tmp_path_factory.mktemp("insights-map-store"))


@pytest.fixture
def map_store(settings: Any, map_crime_store: Path) -> Iterator[Path]:
    settings.DATA_DIR = map_crime_store
    maps.forget()
    yield map_crime_store
    maps.forget()
