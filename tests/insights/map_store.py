"""A crime store for the map's tests: the shipped police.uk files ingested, as ``make demo-setup`` does, and a few
partner incidents (noise reports in Kettering town centre)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from csphub.analytics.api import Analytics
from csphub.analytics.config import AnalyticsConfig

ROOT = Path(__file__).resolve().parents[2]
POLICE = ROOT / "data" / "police-uk"
#: 2 noise reports at one Kettering postcode in March 2025, 6 at another in April
PARTNER_CSV = "occurred_at,category,source_agency,reference,postcode,location\n" + "".join(
    f"2025-{month:02d}-{day:02d} 22:15,Noise nuisance,North Northamptonshire Council,ASB-{month}-{day},{postcode},"
    f"Town centre\n"
    for month, days, postcode in ((3, 2, "NN16 8BA"), (4, 6, "NN16 0AP"))
    for day in range(1, days + 1)
)


def fill_store(folder: Path) -> Path:
    """Ingest every shipped police.uk file (six Northamptonshire months, two Bedfordshire months) and the partner
    incidents into ``folder``."""
    app = Analytics(replace(AnalyticsConfig.from_env(), data_dir=folder, reference_dir=ROOT / "data"))
    app.ingest([POLICE])
    partner = folder.parent / f"{folder.name}-partner.csv"
    partner.write_text(PARTNER_CSV, encoding="utf-8")
    app.ingest_partner([partner])
    return folder
