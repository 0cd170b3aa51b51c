"""The demo's organised crime picture: 16 lines in Kettering, an overnight split, a late-recorded fact."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.utils import timezone
from pytest_django import DjangoDbBlocker

from csphub.demo.intelligence import (
    ACTIVE_LINES_IN_KETTERING,
    SPLIT_DAYS_AGO,
    IntelligenceResult,
    build_intelligence,
    split_on,
)
from csphub.demo.structure import Structure, build_structure
from csphub.intelligence import services, timeline
from csphub.intelligence.models import CountyLine, Fact, OrganisedCrimeGroup
from csphub.partnership.models import District
from tests.conftest import built_once
from tests.factories import verified_client

TODAY = dt.date(2026, 12, 7)


@pytest.fixture(scope="module")
def _module_demo(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker
) -> Iterator[tuple[Structure, IntelligenceResult]]:
    with built_once(django_db_blocker), django_db_blocker.unblock():
        structure = build_structure("demo-password")
        yield structure, build_intelligence(structure, today=TODAY)


@pytest.fixture
def demo(db: None, _module_demo: tuple[Structure, IntelligenceResult]) -> tuple[Structure, IntelligenceResult]:
    return _module_demo


def _active_in(district: str, day: dt.date, known: dt.datetime | None = None) -> int:
    pk = District.objects.get(name=district).pk
    return len(services.active_lines_by_district(day, known=known).get(pk, ()))


def test_it_has_16_lines_in_kettering_today_some_also_elsewhere(demo: tuple[Structure, IntelligenceResult]) -> None:
    assert _active_in("Kettering", TODAY) == ACTIVE_LINES_IN_KETTERING == 16
    assert all(_active_in(d, TODAY) > 0 for d in ("Corby", "Wellingborough", "East Northamptonshire"))
    assert CountyLine.objects.count() == 20
    assert OrganisedCrimeGroup.objects.count() == 3


def test_it_counts_active_lines_by_district_at_any_date(demo: tuple[Structure, IntelligenceResult]) -> None:
    # Two years ago the lines were still arriving; at the start of the second year some had gone quiet since.
    assert _active_in("Kettering", TODAY - dt.timedelta(days=729)) < 16
    counts = services.counts(TODAY)
    assert {r.district: r.lines for r in counts.rows}["Kettering"] == 16
    assert counts.groups_total == 3
    before_split = services.counts(split_on(TODAY) - dt.timedelta(days=1))
    assert before_split.groups_total == 2


def test_the_days_either_side_of_the_split_differ_by_exactly_the_recorded_changes(
    demo: tuple[Structure, IntelligenceResult],
) -> None:
    structure, result = demo
    split = result.split_on
    assert split == TODAY - dt.timedelta(days=SPLIT_DAYS_AGO)
    facts = services.load(Fact.objects.all())
    now = timezone.now()
    changes = timeline.diff_facts(facts, split - dt.timedelta(days=1), split + dt.timedelta(days=1), known=now)
    recorded_that_night = {
        f.id for f in facts if f.recorded_at.date() == split + dt.timedelta(days=1) and f.believed_at(now)
    }
    assert recorded_that_night
    assert {i for c in changes for i in c.fact_ids} == recorded_that_night
    # The database's one-pass diff (what the pages and the bench use) gives the same answer.
    fast = services.diff(
        structure.users["di.okafor"], split - dt.timedelta(days=1), split + dt.timedelta(days=1), known=now
    )
    assert timeline.sort_changes(fast) == timeline.sort_changes(changes)
    moved = [c for c in changes if c.headline == timeline.Headline.MOVED_GROUP]
    assert len(moved) == 5
    assert {c.from_subject for c in moved} == {("group", OrganisedCrimeGroup.objects.get(name__endswith="network").pk)}


def test_a_late_fact_shows_as_known_now_and_not_as_known_then(demo: tuple[Structure, IntelligenceResult]) -> None:
    structure, result = demo
    di = structure.users["di.okafor"]
    late = Fact.objects.get(valid_from=result.late_fact_valid_from, recorded_at=result.late_fact_recorded_at)
    day = result.late_fact_valid_from + dt.timedelta(days=10)
    then = services.as_at(di, valid=day, known=services.known_then(day))
    now = services.as_at(di, valid=day, known=timezone.now())
    assert late.pk in {f.id for f in now.facts.values()}
    assert late.pk not in {f.id for f in then.facts.values()}
    client = verified_client(di)
    page_now = client.get(f"/intelligence/as-at/?valid={day.isoformat()}&known=now").content.decode()
    page_then = client.get(f"/intelligence/as-at/?valid={day.isoformat()}&known=then").content.decode()
    assert late.place is not None
    assert late.place.address in page_now and late.place.address not in page_then


def test_it_names_a_serious_organised_crime_lead_and_assesses_each_group(
    demo: tuple[Structure, IntelligenceResult],
) -> None:
    structure, _ = demo
    lead = structure.users["nnc.childrens"]
    lead.refresh_roles()
    assert "soc_lead" in lead.roles
    assert CountyLine.objects.visible_to(lead).count() == 20
    assert all(g.assessments.filter(version="2026-1").exists() for g in OrganisedCrimeGroup.objects.all())


def test_it_adds_nothing_when_run_again(demo: tuple[Structure, IntelligenceResult]) -> None:
    structure, _ = demo
    before = Fact.objects.count()
    assert not build_intelligence(structure, today=TODAY).created
    assert Fact.objects.count() == before


def test_it_gives_the_cuckooing_panel_the_located_addresses_of_active_lines(
    demo: tuple[Structure, IntelligenceResult],
) -> None:
    points = services.known_addresses(TODAY)
    assert len(points) >= ACTIVE_LINES_IN_KETTERING
    assert all(52.0 < lat < 52.7 and -1.0 < lon < -0.3 for lat, lon in points)
