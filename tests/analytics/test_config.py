"""Where the analytics find their store and reference data: from a checkout and from an installed wheel alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from csphub.analytics import config
from csphub.analytics.config import PACKAGED_REFERENCE_DIR, AnalyticsConfig
from csphub.env import Env

CHECKOUT_DATA = Path(__file__).resolve().parents[2] / "data"


def _named_files(c: AnalyticsConfig) -> list[str]:
    return [c.district_boundaries_file, c.postcodes_file, c.imd_file, c.population_file, c.lsoa_lookup_file]


def test_it_reads_the_reference_data_shipped_inside_the_package_by_default() -> None:
    c = AnalyticsConfig.from_env(Env({}))
    assert c.reference_dir == PACKAGED_REFERENCE_DIR
    assert PACKAGED_REFERENCE_DIR.parts[-3:] == ("csphub", "analytics", "reference")
    for name in _named_files(c):
        assert c.reference(name).is_file(), name


def test_the_packaged_reference_files_are_the_checkouts_data() -> None:
    c = AnalyticsConfig.from_env(Env({}))
    for name in _named_files(c):
        assert (PACKAGED_REFERENCE_DIR / name).read_bytes() == (CHECKOUT_DATA / name).read_bytes(), name


def test_it_keeps_the_store_under_the_checkout_or_else_the_current_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert config.CHECKOUT_DIR is not None
    assert AnalyticsConfig.from_env(Env({})).data_dir == config.CHECKOUT_DIR / "var" / "data"
    monkeypatch.setattr(config, "CHECKOUT_DIR", None)  # as when installed from a wheel
    monkeypatch.chdir(tmp_path)
    assert AnalyticsConfig.from_env(Env({})).data_dir == tmp_path / "var" / "data"
    env = Env({"CSPHUB_DATA_DIR": str(tmp_path / "store"), "CSPHUB_REFERENCE_DATA_DIR": str(CHECKOUT_DATA)})
    assert (AnalyticsConfig.from_env(env).data_dir, AnalyticsConfig.from_env(env).reference_dir) == (
        tmp_path / "store",
        CHECKOUT_DATA,
    )
