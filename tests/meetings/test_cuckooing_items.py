"""The cuckooing panel's ranked records on a cuckooing panel meeting's agenda: in the panel's order (reviews due, new
to the panel, then the rest by rank), each attendee seeing only what the policy lets them, reasons worded for them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from csphub.assessments.engine import load_shipped
from csphub.cuckooing import services as cuckooing
from csphub.cuckooing import sources
from csphub.cuckooing.models import VulnerabilityRecord
from csphub.cuckooing.ranking import RankingSettings
from csphub.geography import bng_to_wgs84
from csphub.meetings import services
from csphub.meetings.agenda import agenda_for
from csphub.meetings.models import ItemKind, Meeting, SeriesKind
from tests.cuckooing.factories import seat
from tests.factories import World, make_place, verified_client
from tests.meetings.factories import first_start, make_series

HOME = (486_000.0, 278_000.0)  # Kettering, British National Grid metres
FAR = (HOME[0] + 20_000.0, HOME[1])


def _hotspots(as_at: dt.date, settings: RankingSettings) -> sources.HotspotCells:
    return sources.HotspotCells(np.array([[HOME[0] + 200.0, HOME[1]]]), months="June 2026")


def _lines(as_at: dt.date) -> list[tuple[float, float]]:
    return [bng_to_wgs84(HOME[0] - 100.0, HOME[1])]


@pytest.fixture
def near_drug_activity() -> Iterator[None]:
    with sources.use_known_addresses(_lines), sources.use_drug_hotspots(_hotspots):
        yield


def _record(world: World, address: str, at: tuple[float, float], *, days_old: int = 0, **fields: object):
    officer = world["police_officer"]
    place = make_place(officer, address=address, postcode="NN16 8JX", easting=at[0], northing=at[1])
    record = cuckooing.add_to_register(officer, premises=place, **fields)  # type: ignore[arg-type]
    if days_old:
        opened = record.opened_on - dt.timedelta(days=days_old)
        VulnerabilityRecord.objects.filter(pk=record.pk).update(opened_on=opened)
        record.refresh_from_db()
    return record


def _checklist(world: World, record: VulnerabilityRecord, answer: str) -> None:
    questions = load_shipped("cuckooing").questions
    cuckooing.complete_checklist(record, world["police_officer"], answers={q.id: answer for q in questions})


def _panel_meeting(world: World) -> Meeting:
    series = make_series(world, kind=SeriesKind.CUCKOOING, starts=first_start(-7), name="Kettering cuckooing panel")
    return series.meetings.get()


def test_the_panels_ranked_records_go_on_the_agenda_in_the_panels_order(world: World, near_drug_activity: None) -> None:
    seat(world["pastor"], world["council_officer"])
    meeting = _panel_meeting(world)
    day = meeting.local_date
    old_low = _record(world, "4 Far Lane, Oundle", FAR, days_old=90)
    old_high = _record(world, "3 Rockingham Road, Kettering", HOME, days_old=90)
    new = _record(world, "2 New Street, Oundle", FAR)
    due = _record(world, "1 Due Road, Kettering", FAR, days_old=90, review_on=day - dt.timedelta(days=1))
    _checklist(world, old_low, "no")
    _checklist(world, old_high, "yes")
    chair = world["police_chair"]
    services.add_business(meeting, chair, title="Apologies", minutes=5)
    services.refer(meeting, world["police_officer"], old_low)  # one referred by hand first

    made, left = services.bring_cuckooing_panel(meeting, chair)

    assert len(made) == 3 and left == 0
    items = list(meeting.items.order_by("position"))
    assert items[0].title == "Apologies"
    assert [i.vulnerability_record for i in items[1:]] == [due, new, old_high, old_low]
    high, low = items[3].panel_score, items[4].panel_score
    assert high is not None and low is not None and high > low  # ranked by score within the rest of the list
    # Bringing it again adds nothing.
    assert services.bring_cuckooing_panel(meeting, chair) == ([], 0)


def test_each_attendee_sees_only_what_the_policy_lets_them_with_reasons_worded_for_them(
    world: World, near_drug_activity: None
) -> None:
    seat(world["pastor"])  # on the cuckooing panel: the records are shared with him; the fire partner is not on it
    meeting = _panel_meeting(world)
    record = _record(world, "3 Rockingham Road, Kettering", HOME)
    _checklist(world, record, "yes")
    services.bring_cuckooing_panel(meeting, world["police_chair"])

    police = agenda_for(meeting, world["police_chair"])
    (row,) = police.rows
    assert row.item.kind == ItemKind.CUCKOOING and "3 Rockingham Road" in row.label and row.panel is not None
    assert any("county-lines" in reason for reason in row.panel.reasons)

    pastor_page = verified_client(world["pastor"]).get(meeting.get_absolute_url()).content.decode()
    assert record.reference in pastor_page and "Near known drug activity" in pastor_page
    assert "county" not in pastor_page.lower() and "hotspot" not in pastor_page.lower()

    fire_page = verified_client(world["fire_partner"]).get(meeting.get_absolute_url()).content.decode()
    assert record.reference not in fire_page and "Rockingham" not in fire_page
    assert "1 item on this agenda concerns records your agency may not see" in fire_page
    # One agenda: the same times for everyone.
    assert agenda_for(meeting, world["fire_partner"]).ends_at == police.ends_at


def test_only_a_cuckooing_panels_meetings_take_its_records(world: World) -> None:
    seat(world["pastor"])
    record = _record(world, "3 Rockingham Road, Kettering", HOME)
    panel = make_series(world, starts=first_start(-7)).meetings.get()  # an ASB panel
    with pytest.raises(ValidationError):
        services.refer(panel, world["police_officer"], record)
    with pytest.raises(ValidationError):
        services.bring_cuckooing_panel(panel, world["police_chair"])
    url = reverse("meetings:cuckooing-panel", args=[panel.uuid])
    assert verified_client(world["police_chair"]).get(url).status_code == 404


def test_the_chair_brings_the_list_from_the_meeting_page(world: World) -> None:
    seat(world["pastor"])
    meeting = _panel_meeting(world)
    record = _record(world, "3 Rockingham Road, Kettering", HOME)
    chair = verified_client(world["police_chair"])
    url = reverse("meetings:cuckooing-panel", args=[meeting.uuid])
    assert url in chair.get(meeting.get_absolute_url()).content.decode()
    response = chair.post(url)
    assert response.status_code == 302
    assert meeting.items.get().vulnerability_record == record
    # A member who may only read the records does not bring them (the fire partner may not run the meeting at all).
    assert verified_client(world["fire_partner"]).post(url).status_code == 403


def test_the_papers_pack_holds_the_panels_records_as_the_reader_may_see_them(world: World) -> None:
    seat(world["pastor"])
    meeting = _panel_meeting(world)
    _record(world, "3 Rockingham Road, Kettering", HOME)
    services.bring_cuckooing_panel(meeting, world["police_chair"])
    for username in ("pastor", "fire_partner"):
        response = verified_client(world[username]).get(reverse("meetings:papers", args=[meeting.uuid]))
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
