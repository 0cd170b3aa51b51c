"""Case pages end to end: open with a duplicate check, list, filter, export, a restricted domestic-abuse case."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from csphub.audit.models import AuditEntry, Operation
from csphub.cases import services
from csphub.cases.models import Case
from csphub.registers import services as register
from tests.cases.factories import make_case
from tests.factories import World, make_person, verified_client

WHY = "Reviewing the case before the MARAC meeting"


def _justified(client: Client, case: Case) -> None:
    """Give the written justification a sensitive case asks for."""
    client.post(f"/access/records/{case.uuid}/justify/", {"justification": WHY, "next": "/"})


def test_a_domestic_abuse_case_is_invisible_to_an_agency_not_party_to_it(world: World) -> None:
    police = world["police_officer"]
    case = make_case(police, case_type="domestic_abuse", title="Abuse at 3 Elm Close")
    victim = make_person(police, given_name="Zara", family_name="Okafor")
    services.add_person(case, victim, police, role="victim")
    outsider = verified_client(world["council_manager"])
    assert outsider.get(case.get_absolute_url()).status_code == 404
    listing = outsider.get("/cases/", {"q": case.reference}).content.decode()
    assert case.get_absolute_url() not in listing and "No cases you may see" in listing
    search = outsider.get("/register/people/", {"name": "Zara Okafor"}).content.decode()
    assert "OKAFOR" not in search
    export = outsider.get("/cases/export.csv").content.decode()
    assert case.reference not in export
    # The police case officer, with a justification, sees it.
    insider = verified_client(police)
    _justified(insider, case)
    assert insider.get(case.get_absolute_url()).status_code == 200


def test_the_list_filters_by_district_type_status_and_cross_boundary(world: World) -> None:
    officer = world["police_officer"]
    kettering = register.record_place(officer, address="Gold Street, Kettering", latitude=52.3979, longitude=-0.7278)
    corby = register.record_place(officer, address="Corporation Street, Corby", latitude=52.4886, longitude=-0.7011)
    a = make_case(officer, title="Kettering ASB")
    services.add_place(a, kettering, officer, role="incident_location")
    b = make_case(officer, case_type="nte", title="Corby night-time economy")
    services.add_place(b, corby, officer, role="incident_location")
    c = make_case(officer, title="Both towns")
    services.add_place(c, kettering, officer, role="incident_location")
    services.add_place(c, corby, officer, role="incident_location")
    services.change_status(c, officer, to="under_review", reason="Panel review")
    client = verified_client(officer)

    def titles(**params: str) -> set[str]:
        body = client.get("/cases/", params).content.decode()
        return {t for t in ("Kettering ASB", "Corby night-time economy", "Both towns") if t in body}

    assert titles(district="E07000153") == {"Kettering ASB", "Both towns"}
    assert titles(case_type="nte") == {"Corby night-time economy"}
    assert titles(status="under_review") == {"Both towns"}
    assert titles(cross_boundary="on") == {"Both towns"}
    assert titles(district="E07000150", status="open") == {"Corby night-time economy"}


def test_the_export_is_audited_as_a_disclosure_of_each_case(world: World) -> None:
    manager = world["police_manager"]
    cases = [make_case(manager, title=f"Case {n}") for n in range(3)]
    response = verified_client(manager).get("/cases/export.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {r["reference"] for r in rows} == {c.reference for c in cases}
    disclosed = AuditEntry.objects.filter(action=Operation.DISCLOSURE, summary="Exported in a case list export")
    assert {e.record_id for e in disclosed} == {str(c.uuid) for c in cases}
    assert all(e.recipients == ["police_manager (Northamptonshire Police)"] for e in disclosed)
    assert verified_client(world["police_officer"]).get("/cases/export.csv").status_code == 403


def test_opening_a_case_first_shows_existing_people_and_cases(world: World) -> None:
    officer = world["police_officer"]
    known = make_person(officer, given_name="John", family_name="Smith", dob_year=1990, dob_month=4, dob_day=3)
    hidden = make_person(world["council_officer"], given_name="John", family_name="Smyth")
    existing = make_case(officer, title="Earlier ASB case")
    services.add_person(existing, known, officer, role="perpetrator")
    client = verified_client(officer)
    checked = client.post(
        "/cases/new/",
        {
            "step": "check",
            "check-name": "Jon Smith",
            "check-date_of_birth_0": "",
            "check-date_of_birth_1": "",
            "check-date_of_birth_2": "1990",
        },
    )
    body = checked.content.decode()
    assert checked.status_code == 200
    assert str(known.uuid) in body and existing.reference in body
    assert str(hidden.uuid) not in body  # limited to what the user may see
    created = client.post(
        "/cases/new/",
        {
            "step": "create",
            "case_type": "asb_personal",
            "title": "New ASB case",
            "attach_person": [str(known.uuid)],
            f"role_{known.uuid}": "perpetrator",
        },
    )
    assert created.status_code == 302
    case = Case.objects.get(title="New ASB case")
    assert list(case.case_people.values_list("person_id", "role")) == [(known.pk, "perpetrator")]


def test_the_case_form_explains_its_errors(world: World) -> None:
    client = verified_client(world["police_officer"])
    response = client.post("/cases/new/", {"step": "create", "case_type": "hate_crime", "title": ""})
    body = response.content.decode()
    assert response.status_code == 400 and "There is a problem" in body
    assert "Enter a title" in body and "Choose at least one strand" in body


def test_my_actions_and_overdue_actions(world: World) -> None:
    officer = world["police_officer"]
    case = make_case(officer)
    today = timezone.localdate()
    services.add_action(
        case,
        officer,
        title="Overdue visit",
        due_on=today - dt.timedelta(days=2),
        assigned_agency=world.agencies["police"],
        assigned_officer=officer,
    )
    services.add_action(
        case,
        officer,
        title="Agency task",
        due_on=today + dt.timedelta(days=7),
        assigned_agency=world.agencies["police"],
    )
    client = verified_client(officer)
    mine = client.get("/cases/actions/", {"scope": "mine"}).content.decode()
    assert "Overdue visit" in mine and "Agency task" not in mine
    agency = client.get("/cases/actions/", {"scope": "agency"}).content.decode()
    assert "Overdue visit" in agency and "Agency task" in agency
    overdue = client.get("/cases/actions/", {"scope": "agency", "overdue": "1"}).content.decode()
    assert "Overdue visit" in overdue and "Agency task" not in overdue


def test_completing_an_action_needs_an_outcome(world: World) -> None:
    officer = world["police_officer"]
    case = make_case(officer)
    action = services.add_action(
        case, officer, title="Visit", due_on=timezone.localdate(), assigned_agency=world.agencies["police"]
    )
    client = verified_client(officer)
    url = f"/cases/{case.reference}/actions/{action.uuid}/"
    assert "Record the outcome" in client.post(url, {"status": "done", "outcome": ""}).content.decode()
    assert client.post(url, {"status": "done", "outcome": "Visited; victim reassured"}).status_code == 302
    action.refresh_from_db()
    assert action.completed_on == timezone.localdate()


@pytest.fixture
def media(settings: object, tmp_path: object) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]


@pytest.mark.usefixtures("media")
def test_a_restricted_document_is_not_served_to_other_agencies(world: World) -> None:
    police = world["police_officer"]
    case = make_case(police, parties=(world.agencies["council"],))
    entry = services.record_entry(
        case,
        police,
        kind="document",
        title="Intelligence report",
        document=SimpleUploadedFile("intel.txt", b"restricted"),
        restricted_to=[world.agencies["police"]],
    )
    url = f"/cases/{case.reference}/timeline/{entry.uuid}/document/"
    response = verified_client(police).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"restricted"  # type: ignore[attr-defined]
    assert verified_client(world["council_officer"]).get(url).status_code == 404


def test_recording_an_incident_through_the_form(world: World) -> None:
    officer = world["police_officer"]
    case = make_case(officer)
    place = register.record_place(officer, address="Gold Street, Kettering", latitude=52.3979, longitude=-0.7278)
    services.add_place(case, place, officer, role="incident_location")
    client = verified_client(officer)
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = client.post(
        f"/cases/{case.reference}/timeline/new/",
        {
            "kind": "incident",
            "title": "Youths throwing stones",
            "occurred_on": yesterday,
            "occurred_time": "21:30",
            "place": str(place.uuid),
            "reporting_channel": "101",
            "is_complaint": "on",
            "reported_on": yesterday,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = case.timeline.get()
    assert entry.is_complaint and entry.place == place and entry.reported_on == dt.date.fromisoformat(yesterday)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Youths throwing stones" in page and "Police 101" in page


def test_pages_naming_districts_never_load_their_boundaries(world: World) -> None:
    officer = world["police_officer"]
    place = register.record_place(officer, address="Gold Street, Kettering", latitude=52.3979, longitude=-0.7278)
    case = make_case(officer, title="Boundary check")
    services.add_place(case, place, officer, role="incident_location")
    client = verified_client(officer)
    for url in ("/cases/", case.get_absolute_url()):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200 and "Kettering" in response.content.decode()
        assert not [q for q in queries.captured_queries if '"boundary"' in q["sql"]], url


def test_it_names_the_owning_officer_without_a_dangling_comma(world: World) -> None:
    officer = world["police_officer"]
    officer.job_title = ""
    officer.save()
    case = make_case(officer)
    page = verified_client(officer).get(case.get_absolute_url()).content.decode()
    name = officer.get_full_name() or officer.username
    assert f"<br>{name}</dd>" in page


def test_it_says_where_a_cases_districts_come_from_when_it_has_none(world: World) -> None:
    officer = world["police_officer"]
    case = make_case(officer)
    case.districts.clear()
    page = verified_client(officer).get(case.get_absolute_url()).content.decode()
    assert "None known: add a place" not in page
    assert "Not known yet. A case's districts come from its places" in page
    assert f'href="/cases/{case.reference}/places/new/">add a place to the case</a>' in page
