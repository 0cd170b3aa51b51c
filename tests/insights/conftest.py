"""The insights pages read the analytics store of ``settings.DATA_DIR``: here, one filled once per session with the
shipped police.uk files (six Northamptonshire months, two Bedfordshire months), as the demo fills its store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from csphub.insights import maps
from tests.insights.store import fill_store


@pytest.fixture(scope="session")
def crime_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of the shipped police.uk data; tests only read it."""
    return fill_store(tmp_path_factory.mktemp("insights-store"))


@pytest.fixture(autouse=True)
def _map_store(settings: Any, crime_store: Path) -> Iterator[Path]:
    settings.DATA_DIR = crime_store
    maps.forget()
    yield crime_store
    maps.forget()
