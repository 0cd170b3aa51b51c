"""Shared fixtures: the shipped demo exports, parsed once, and a model trained on them once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from csphub.linkage.engine.parse import ParsedSource, parse_source
from csphub.linkage.engine.pipeline import DedupeResult, dedupe
from csphub.linkage.engine.records import RecordSet
from csphub.linkage.engine.settings import LinkageSettings
from csphub.linkage.synthetic.registers import DISTRICT_KEYS, Truth, load_truth

LEGACY = Path(__file__).resolve().parents[3] / "data" / "legacy"


@pytest.fixture(scope="session")
def legacy_parsed() -> list[ParsedSource]:
    return [parse_source(LEGACY / f"{key}.toml", progress=False) for key in DISTRICT_KEYS]


@pytest.fixture(scope="session")
def legacy_truth() -> Truth:
    return load_truth(LEGACY / "truth.csv")


@pytest.fixture(scope="session")
def legacy_records(legacy_parsed: list[ParsedSource]) -> RecordSet:
    return RecordSet.concat(p.records for p in legacy_parsed)


@pytest.fixture(scope="session")
def legacy_dedupe(legacy_records: RecordSet) -> DedupeResult:
    return dedupe(legacy_records, LinkageSettings(u_max_pairs=2e5))
