"""NTE logs to the analytics store through the partner ingest path: one agency-month replaced at a time, no
personal data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from csphub.insights.priorities import load as load_priorities
from csphub.nte import publishing, queries, services
from csphub.nte.models import IncidentCategory
from tests.nte.factories import make_night, make_shift


@pytest.fixture
def store(tmp_path: Path, settings) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


def _stored(store: Path, agency) -> list[tuple]:
    files = sorted((store / "partner" / publishing.store_agency(agency)).glob("*.parquet"))
    if not files:
        return []
    paths = ", ".join(f"'{f}'" for f in files)
    return duckdb.execute(
        f"SELECT category, location_text, postcode, district, source_agency FROM read_parquet([{paths}]) ORDER BY 1"
    ).fetchall()


def test_it_publishes_an_agency_month_with_categories_times_and_places_only(
    world, store, django_capture_on_commit_callbacks
):
    night = make_night(world)
    with django_capture_on_commit_callbacks(execute=True):
        shift = make_shift(world, night, "police_officer")
        services.log_incident(
            shift,
            world["police_officer"],
            occurred_at=shift.starts_at + dt.timedelta(minutes=30),
            category=IncidentCategory.VIOLENCE,
            location="Behind 12 Secretname Street",
            description="Canary John Smith punched",
        )
    rows = _stored(store, world.agencies["police"])
    assert sorted(r[0] for r in rows) == [
        "Night-time economy: Violence or fighting",
        "Night-time economy: Vulnerable person helped",
    ]
    text = repr(rows)
    assert "Secretname" not in text and "Smith" not in text and "CANARY" not in text
    assert {r[1] for r in rows} == {"Kettering town centre", "Taxi rank, Market Place"}
    assert {r[3] for r in rows} == {"E07000153"}  # located: the venue's point, or the area's centre
    assert {r[4] for r in rows} == {"Northamptonshire Police NTE log"}
    # The engine counts them as the night-time incidents of the month.
    month = publishing.month_of(shift.starts_at)
    assert [m.count for m in queries.incidents_by_month(month, month)] == [2]


def test_it_replaces_the_month_and_takes_an_emptied_month_out(world, store, django_capture_on_commit_callbacks):
    night = make_night(world)
    with django_capture_on_commit_callbacks(execute=True):
        shift = make_shift(world, night, "pastor")
    assert len(_stored(store, world.agencies["pastors"])) == 1
    incident = shift.incidents.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.log_incident(shift, world["pastor"], occurred_at=shift.starts_at, category=IncidentCategory.FIRST_AID)
    assert len(_stored(store, world.agencies["pastors"])) == 2
    results = publishing.publish_all([world.agencies["pastors"]])  # re-runnable: the same month again
    assert results[0].rows == 2 and len(_stored(store, world.agencies["pastors"])) == 2
    with django_capture_on_commit_callbacks(execute=True):
        for each in shift.incidents.all():
            services.remove_incident(each, world["pastor"])
    assert _stored(store, world.agencies["pastors"]) == []
    assert incident.pk is not None


def test_it_keeps_the_log_when_publishing_fails(world, settings, django_capture_on_commit_callbacks, caplog):
    settings.DATA_DIR = Path("/proc/no-such-store")
    night = make_night(world)
    with django_capture_on_commit_callbacks(execute=True):
        shift = make_shift(world, night, "police_officer")
    assert shift.incidents.count() == 1
    assert "publishing the NTE log" in caplog.text


def test_it_counts_every_nte_category_on_the_night_time_economy_dashboard():
    nte = load_priorities().get("night-time-economy")
    assert nte is not None
    assert set(publishing.partner_categories()) <= set(nte.partner)


def test_the_command_publishes_again_and_names_what_it_wrote(world, store):
    import io

    from django.core.management import call_command

    night = make_night(world)
    make_shift(world, night, "pastor")  # logged without publishing (no commit in a test): the command catches up
    out = io.StringIO()
    call_command("nte", "publish", "--agency", "pastors", stdout=out)
    assert "kettering-street-pastors-nte-log: 1 incidents" in out.getvalue()
    assert len(_stored(store, world.agencies["pastors"])) == 1
