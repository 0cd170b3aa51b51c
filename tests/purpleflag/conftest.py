"""A crime store for the Purple Flag tests and the pack they read.

The store is the analytics area's (tests/insights/store.py: police.uk Northamptonshire 2025 and the same months as
2024), copied, with NTE log incidents added through the partner ingest path in Kettering town centre: March 2025
has 3 (under the suppression threshold of 5), April 2025 has 7, and March and April 2024 have 5 and 6 (so the change
against a year earlier can be computed, and must be hidden when March's 3 is).
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from csphub.analytics.api import Analytics
from csphub.audit.context import audit_context
from csphub.nte.models import (
    Incident,
    IncidentCategory,
    KnifeSweep,
    NteArea,
    NtePartner,
    NteService,
    NteVenue,
    Shift,
    VenueKind,
    WeaponFind,
    WeaponType,
)
from csphub.purpleflag import services
from csphub.purpleflag.models import EvidencePack
from tests.analytics.conftest import config_for
from tests.factories import World

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


def make_pack(world: World, **changes: Any) -> EvidencePack:
    """Kettering town centre, January to June 2025: owned by the police with the fire service a party, written
    with Corby Pubwatch (a business member, standing in for the town-centre partnership)."""
    officer = world["police_officer"]
    kwargs: dict[str, Any] = {
        "title": "Kettering town centre 2025",
        "town_centre": "Kettering town centre",
        "district_code": "E07000153",
        "centre": CENTRE,
        "first_month": dt.date(2025, 1, 1),
        "last_month": dt.date(2025, 6, 1),
        "town_centre_agency": world.agencies["pubwatch"],
        "parties": [world.agencies["fire"]],
        **changes,
    }
    with audit_context("test", actor=officer, reason="test pack"):
        return services.create_pack(officer, **kwargs)


def make_nte(world: World) -> NteArea:
    """A few nights of NTE logs in Kettering town centre in 2025: two services' shifts, incidents and finds."""
    area = NteArea.objects.create(name="Kettering town centre", latitude=CENTRE[0], longitude=CENTRE[1])
    bingo = NteVenue.objects.create(
        area=area, name="Mecca Bingo", kind=VenueKind.GAMBLING, latitude=52.399, longitude=-0.727
    )
    chicken = NteVenue.objects.create(
        area=area, name="Chicken Express", kind=VenueKind.FAST_FOOD, latitude=52.398, longitude=-0.726
    )
    NtePartner.objects.create(agency=world.agencies["pastors"], service=NteService.STREET_PASTORS)
    NtePartner.objects.create(agency=world.agencies["council"], service=NteService.WARDENS)
    tz = timezone.get_current_timezone()  # local times: the hour of the night is local
    for night in (dt.date(2025, 3, 7), dt.date(2025, 3, 8), dt.date(2025, 4, 4)):
        start = dt.datetime.combine(night, dt.time(21), tzinfo=tz)
        shift = Shift.objects.create(
            owning_agency=world.agencies["pastors"],
            service=NteService.STREET_PASTORS,
            area=area,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=6),
            officers=3,
        )
        for hour in (23, 1):
            at = dt.datetime.combine(night if hour > 12 else night + dt.timedelta(days=1), dt.time(hour), tzinfo=tz)
            Incident.objects.create(
                shift=shift, occurred_at=at, category=IncidentCategory.VULNERABLE_PERSON, venue=bingo, people_helped=2
            )
    start = dt.datetime.combine(dt.date(2025, 3, 8), dt.time(20), tzinfo=tz)
    Shift.objects.create(
        owning_agency=world.agencies["council"],
        service=NteService.WARDENS,
        area=area,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=5),
        officers=2,
    )
    sweep = KnifeSweep.objects.create(owning_agency=world.agencies["police"], swept_on=dt.date(2025, 4, 2), area=area)
    for venue in (bingo, chicken, chicken):
        WeaponFind.objects.create(sweep=sweep, found_on=dt.date(2025, 4, 2), weapon_type=WeaponType.KNIFE, venue=venue)
    return area
