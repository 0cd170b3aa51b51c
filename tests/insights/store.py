"""A crime store for the insights tests: the shipped police.uk files ingested, as ``make demo-setup`` does."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from csphub.analytics.api import Analytics
from csphub.analytics.config import AnalyticsConfig

ROOT = Path(__file__).resolve().parents[2]
POLICE = ROOT / "data" / "police-uk"


def fill_store(folder: Path) -> Path:
    """Ingest every shipped police.uk file (six Northamptonshire months, two Bedfordshire months) into ``folder``."""
    app = Analytics(replace(AnalyticsConfig.from_env(), data_dir=folder, reference_dir=ROOT / "data"))
    app.ingest([POLICE])
    return folder
