"""The demo's night-time economy (``csphub.demo.nte``): built once for the module over five weeks of nights."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import override_settings
from pytest_django import DjangoDbBlocker

from csphub.demo.nte import build_nte
from csphub.demo.structure import build_structure
from csphub.nte import publishing, queries
from csphub.nte.models import DesignatedArea, DesignationKind, Incident, KnifeSweep, Shift, WeaponFind
from csphub.partnership.models import Agency, User
from tests.conftest import built_once

TODAY = dt.date(2026, 12, 7)


@pytest.fixture(scope="module")
def demo_nte(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path]:
    store = tmp_path_factory.mktemp("nte-store")
    with built_once(django_db_blocker), django_db_blocker.unblock(), override_settings(DATA_DIR=store):
        build_nte(build_structure("demo-password"), today=TODAY, days=35)
        yield store


@pytest.fixture
def nte(db: None, demo_nte: Path) -> Iterator[Path]:
    with override_settings(DATA_DIR=demo_nte):
        yield demo_nte


def test_it_logs_every_service_on_its_nights(nte: Path) -> None:
    services = set(Shift.objects.values_list("service", flat=True))
    assert services == {"street_pastors", "wardens", "cctv", "police", "taxi_marshals"}
    pastors = Shift.objects.filter(service="street_pastors")
    assert {s.night.weekday() for s in pastors} == {4, 5}  # Friday and Saturday nights
    assert Incident.objects.count() > 100
    volunteer = User.objects.get(username="sp.volunteer")
    assert set(Shift.objects.visible_to(volunteer)) == set(pastors)


def test_it_finds_most_weapons_at_the_fast_food_restaurant_and_the_bingo_hall(nte: Path) -> None:
    assert KnifeSweep.objects.count() >= 1
    finds = queries.weapon_finds(TODAY - dt.timedelta(days=60), TODAY)
    assert finds.total == WeaponFind.objects.count() > 0
    top = {place for place, _ in finds.by_place()[:2]}
    assert top & {"Golden Fried Chicken", "Newland Bingo Hall"}


def test_it_has_a_dispersal_order_and_a_pspo_within_the_acts_limits(nte: Path) -> None:
    dispersal = DesignatedArea.objects.get(kind=DesignationKind.DISPERSAL)
    pspo = DesignatedArea.objects.get(kind=DesignationKind.PSPO)
    assert dispersal.ends_at - dispersal.starts_at == dt.timedelta(hours=48)
    assert pspo.geometry["type"] == "Polygon"


def test_it_publishes_every_agency_month_to_the_analytics_store(nte: Path) -> None:
    pastors = Agency.objects.get(short_name="street-pastors")
    folder = nte / "partner" / publishing.store_agency(pastors)
    assert sorted(p.stem for p in folder.glob("*.parquet")) == ["2026-11", "2026-12"]
    by_month = queries.incidents_by_month(dt.date(2026, 11, 1), dt.date(2026, 11, 1))
    in_november = Incident.objects.filter(
        occurred_at__gte=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
        occurred_at__lt=dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
    ).count()
    assert [m.count for m in by_month] == [in_november]


def test_re_running_adds_nothing(nte: Path) -> None:
    before = (Shift.objects.count(), Incident.objects.count(), WeaponFind.objects.count())
    result = build_nte(build_structure("demo-password"), today=TODAY, days=35)
    assert result.shifts == 0
    assert (Shift.objects.count(), Incident.objects.count(), WeaponFind.objects.count()) == before
