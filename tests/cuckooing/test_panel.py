"""The cuckooing register and panel: who sees what, the ranked list with its reasons, support, reviews, agenda."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from csphub.access.vocabulary import Caveat, Sensitivity
from csphub.assessments.engine import load_shipped
from csphub.audit.models import AuditEntry, Operation
from csphub.cuckooing import queries, services, sources
from csphub.cuckooing.models import RecordStatus, SupportResponse, VulnerabilityRecord
from csphub.cuckooing.ranking import RankingSettings
from csphub.geography import bng_to_wgs84
from csphub.registers.models import Place
from tests.cuckooing.factories import seat
from tests.factories import World, make_person, make_place, verified_client

# A premises in Kettering (British National Grid metres), a hotspot cell 200 m east, a line's address 100 m west.
HOME = (486_000.0, 278_000.0)
HOT = np.array([[HOME[0] + 200.0, HOME[1]]])
LINE_ADDRESS = bng_to_wgs84(HOME[0] - 100.0, HOME[1])
JUSTIFICATION = "Preparing for this month's cuckooing panel"


def _hotspots(as_at: dt.date, settings: RankingSettings) -> sources.HotspotCells:
    return sources.HotspotCells(HOT, months="June 2025")


def _lines(as_at: dt.date) -> list[tuple[float, float]]:
    return [LINE_ADDRESS]


@pytest.fixture
def near_drug_activity() -> Iterator[None]:
    with sources.use_known_addresses(_lines), sources.use_drug_hotspots(_hotspots):
        yield


def _home(world: World, address: str = "14 Rockingham Road, Kettering") -> Place:
    return make_place(
        world["police_officer"],
        address=address,
        postcode="NN16 8JX",
        uprn="100031012345",
        easting=HOME[0],
        northing=HOME[1],
    )


def _brought(world: World, by: str = "police_officer", **fields: object) -> VulnerabilityRecord:
    """The police bring Martha Quill and her flat to the panel, whose members are a Street Pastor, a Kettering council
    officer and a health officer."""
    seat(world["pastor"], world["council_officer"], world["health_officer"])
    officer = world[by]
    person = make_person(officer, given_name="Martha", family_name="Quill", **fields)  # type: ignore[arg-type]
    return services.add_to_register(
        officer, person=person, premises=_home(world), summary="Neighbours report many short visits"
    )


def _open(client: Client, url: str) -> str:
    """Open a page of an OFFICIAL-SENSITIVE record: give the justification when asked, then read the page."""
    response = client.get(url)
    if response.status_code == 302 and "/justify/" in response["Location"]:
        done = client.post(response["Location"], {"justification": JUSTIFICATION, "next": url})
        assert done.status_code == 302
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_a_voluntary_panel_member_sees_the_vulnerability_record_and_the_support_offer(world: World) -> None:
    """Must show (issue 21): the record is shared with the Street Pastor personally under the ISA, with its person
    and premises; they open it with a justification (audited) and read the person, premises and support."""
    record = _brought(world)
    services.offer_support(
        record, world["police_officer"], service="Befriending visits", offered_on=timezone.localdate()
    )
    client = verified_client(world["pastor"])
    panel = client.get("/cuckooing/").content.decode()
    assert record.reference in panel and "Martha Quill" in panel
    page = _open(client, record.get_absolute_url())
    assert "Martha Quill" in page and "14 Rockingham Road" in page and "UPRN 100031012345" in page
    assert "Befriending visits" in page and "Offered" in page
    entry = AuditEntry.objects.filter(record_id=str(record.uuid), action=Operation.CONSULTATION).latest("id")
    assert entry.justification == JUSTIFICATION and entry.actor_username == "pastor"


def test_bringing_a_record_to_the_panel_shares_it_under_an_isa_and_says_what_stayed(world: World) -> None:
    record = _brought(world)
    assert set(record.parties.values_list("short_name", flat=True)) == {"council"}
    assert list(record.shared_with_users.values_list("username", flat=True)) == ["pastor"]
    assert record.person is not None and record.person.shared_with_users.filter(username="pastor").exists()
    # Health has no agreement with the police covering safeguarding: it stays with its holder.
    assert not VulnerabilityRecord.objects.visible_to(world["health_officer"]).filter(pk=record.pk).exists()
    disclosures = AuditEntry.objects.filter(record_id=str(record.uuid), action=Operation.DISCLOSURE)
    assert {e.basis for e in disclosures} == {"ISA-1"}


@pytest.mark.parametrize(
    ("sensitivity", "by"),
    [(Sensitivity.DOMESTIC_ABUSE, "police_officer"), (Sensitivity.INTELLIGENCE, "police_manager")],
)
def test_a_domestic_abuse_victim_or_a_nominal_is_not_brought_to_a_panel_without_an_agreement_for_it(
    world: World, sensitivity: str, by: str
) -> None:
    """The record takes the resident's sensitivity; no agreement covers domestic-abuse or intelligence data for the
    panel's partners here, so neither the record nor the person reaches them (not even as a row of the list)."""
    record = _brought(world, by=by, sensitivity=sensitivity, caveat=Caveat.OFFICIAL_SENSITIVE)
    assert record.sensitivity == sensitivity
    for username in ("pastor", "council_officer"):
        assert not VulnerabilityRecord.objects.visible_to(world[username]).filter(pk=record.pk).exists()
        page = verified_client(world[username]).get("/cuckooing/").content.decode()
        assert "Quill" not in page and record.reference not in page
        assert "Open records you may see (0)" in page


def test_police_read_the_intelligence_behind_a_rank_and_partners_do_not(world: World, near_drug_activity: None) -> None:
    record = _brought(world)
    questions = load_shipped("cuckooing").questions
    services.complete_checklist(record, world["police_officer"], answers={q.id: "yes" for q in questions})
    chair = verified_client(world["police_chair"]).get("/cuckooing/").content.decode()
    assert "Within 150 m of a known county-lines address (100 m)" in chair
    assert "Vulnerable resident: 100% of the checklist&#x27;s resident indicators" in chair
    for username in ("pastor", "council_officer"):
        page = verified_client(world[username]).get("/cuckooing/").content.decode()
        assert "Near known drug activity" in page
        assert "county-lines" not in page.lower() and "county lines" not in page.lower()
        assert "hotspot" not in page.lower()
        record_page = _open(verified_client(world[username]), record.get_absolute_url())
        assert "county" not in record_page.lower() and "Area" in record_page


def test_the_ranked_list_puts_the_most_at_risk_first_and_records_the_ranking_version(
    world: World, near_drug_activity: None
) -> None:
    officer = world["police_officer"]
    seat(world["council_officer"])
    far = make_place(officer, address="1 Far Lane, Oundle", easting=HOME[0] + 20_000, northing=HOME[1])
    quiet = services.add_to_register(officer, premises=far)
    near = services.add_to_register(officer, premises=_home(world))
    questions = load_shipped("cuckooing").questions
    services.complete_checklist(quiet, officer, answers={q.id: "no" for q in questions})
    services.complete_checklist(
        near, officer, answers={q.id: "yes" if q.id.startswith("p") else "no" for q in questions}
    )
    listed = queries.panel_list(world["council_officer"])
    assert [r.record for r in listed.rows] == [near, quiet]
    assert listed.rows[0].rank == 1 and listed.rows[0].score > 60
    entry = AuditEntry.objects.filter(record_id=str(near.uuid), action=Operation.CONSULTATION).latest("id")
    assert entry.detail["ranking"] == listed.settings.version == "2026-1"


def test_support_is_offered_and_answered_by_a_partner_who_holds_the_record(world: World) -> None:
    record = _brought(world)
    council = world["council_officer"]
    client = verified_client(council)
    _open(client, record.get_absolute_url())
    today = timezone.localdate()
    response = client.post(
        f"/cuckooing/{record.uuid}/support/", {"service": "Tenancy support visit", "offered_on": today.isoformat()}
    )
    assert response.status_code == 302
    offer = record.support.get()
    assert offer.agency == world.agencies["council"]
    answered = client.post(
        f"/cuckooing/{record.uuid}/support/answer/",
        {"offer": str(offer.uuid), "response": "accepted", "responded_on": today.isoformat(), "outcome": "Visited"},
    )
    assert answered.status_code == 302
    offer.refresh_from_db()
    assert offer.response == SupportResponse.ACCEPTED and offer.outcome == "Visited"
    # The Street Pastor reads it but may not record support (shared with them personally: read only).
    pastor = verified_client(world["pastor"])
    _open(pastor, record.get_absolute_url())
    assert (
        pastor.post(f"/cuckooing/{record.uuid}/support/", {"service": "x", "offered_on": today.isoformat()}).status_code
        == 403
    )
    with pytest.raises(PermissionDenied):
        services.offer_support(record, world["pastor"], service="Visits", offered_on=today)


def test_the_checklist_is_the_assessments_shipped_set_completed_about_the_record(world: World) -> None:
    record = _brought(world)
    client = verified_client(world["police_officer"])
    _open(client, f"/cuckooing/{record.uuid}/checklist/")
    questions = load_shipped("cuckooing").questions
    data = {f"q_{q.id}": "yes" if q.id in {"v3", "v4", "p1", "p5"} else "no" for q in questions}
    response = client.post(f"/cuckooing/{record.uuid}/checklist/", data)
    assert response.status_code == 302
    from csphub.assessments.services import about

    done = about(record).get()
    assert done.question_set.key == "cuckooing" and done.question_set.version == "2026-1"
    assert done.level == "medium" and done.case is None and done.person == record.person
    assert queries.section_shares(done.question_set_id, done.answers) == pytest.approx((6 / 17, 6 / 17))


def test_a_review_sets_the_next_date_and_overdue_reviews_reach_the_home_page(world: World) -> None:
    record = _brought(world)
    officer = world["police_officer"]
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        services.record_review(record, officer, reviewed_on=today, next_review_on=None)
    services.record_review(
        record, officer, reviewed_on=today - dt.timedelta(days=40), next_review_on=today - dt.timedelta(days=12)
    )
    record.refresh_from_db()
    assert record.review_on == today - dt.timedelta(days=12)
    home = verified_client(world["council_officer"]).get("/").content.decode()
    assert "Cuckooing panel reviews overdue" in home and record.reference in home
    services.record_review(record, officer, reviewed_on=today, next_review_on=None, close=True)
    record.refresh_from_db()
    assert record.status == RecordStatus.CLOSED
    assert "Cuckooing panel reviews overdue" not in verified_client(world["council_officer"]).get("/").content.decode()


def test_the_agenda_puts_reviews_due_first_then_new_records_then_the_ranked_rest(world: World) -> None:
    officer = world["police_officer"]
    today = timezone.localdate()
    old = services.add_to_register(officer, premises=_home(world, "1 Old Road, Kettering"))
    VulnerabilityRecord.objects.filter(pk=old.pk).update(opened_on=today - dt.timedelta(days=90))
    due = services.add_to_register(officer, premises=_home(world, "2 Due Road, Kettering"), review_on=today)
    VulnerabilityRecord.objects.filter(pk=due.pk).update(opened_on=today - dt.timedelta(days=90))
    new = services.add_to_register(officer, premises=_home(world, "3 New Road, Kettering"))
    agenda = queries.agenda(officer, today + dt.timedelta(days=3))
    assert [(i.row.record, i.why) for i in agenda.items] == [
        (due, "Review due"),
        (new, "New to the panel"),
        (old, "On the ranked list"),
    ]
    assert agenda.version.startswith("version 2026-1")
    page = verified_client(officer).get("/cuckooing/agenda/print/", {"meeting_on": today.isoformat()}).content.decode()
    assert "OFFICIAL-SENSITIVE" in page and due.reference in page


def test_voluntary_members_do_not_add_to_the_register(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.add_to_register(world["pastor"], premises=_home(world))
    assert verified_client(world["pastor"]).get("/cuckooing/new/").status_code == 403


def test_a_record_is_added_by_register_references(world: World) -> None:
    seat(world["council_officer"])
    officer = world["police_officer"]
    person = make_person(officer, given_name="Ada", family_name="Lamb")
    hidden = make_place(world["corby_officer"], address="5 Hidden Way, Corby")
    client = verified_client(officer)
    refused = client.post("/cuckooing/new/", {"person": person.reference, "premises": hidden.reference})
    assert refused.status_code == 200 and "you may see" in refused.content.decode()
    done = client.post("/cuckooing/new/", {"person": person.reference, "summary": "Lives alone"})
    assert done.status_code == 302
    record = VulnerabilityRecord.objects.get(person=person)
    assert record.caveat == Caveat.OFFICIAL_SENSITIVE and record.owning_agency == world.agencies["police"]


def test_the_list_shows_a_page_of_ranks_and_logs_only_the_rows_shown(world: World) -> None:
    officer = world["police_officer"]
    records = [services.add_to_register(officer, premises=_home(world, f"{n} Page Road, Kettering")) for n in range(5)]
    first = queries.panel_list(officer, per_page=2)
    second = queries.panel_list(officer, page=2, per_page=2)
    assert (first.total, len(first.rows), first.has_next) == (5, 2, True)
    assert [r.rank for r in second.rows] == [3, 4] and (second.first_rank, second.last_rank) == (3, 4)
    shown = {r.record.pk for r in first.rows}
    logged = {
        str(r.uuid)
        for r in records
        if AuditEntry.objects.filter(
            record_id=str(r.uuid), action=Operation.CONSULTATION, summary__contains="panel's list"
        ).exists()
    }
    assert logged == {str(r.uuid) for r in records if r.pk in shown | {x.record.pk for x in second.rows}}
    page = verified_client(officer).get("/cuckooing/?page=2").content.decode()  # one page of 100: the first
    assert "Open records you may see (5)</caption>" in page
