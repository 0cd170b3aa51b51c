"""The audit log's pages follow the access policy: each row is read through its record's own policy."""

from __future__ import annotations

import csv
import io

from django.test import Client

from csphub.access import consultation
from csphub.access.vocabulary import Caveat, Sensitivity, Verb
from csphub.audit.context import audit_context
from csphub.audit.models import AuditEntry, Operation
from csphub.demo.structure import ensure_user
from csphub.partnership.models import Role, User
from csphub.registers.models import Person
from tests.factories import PASSWORD, World, make_person, verified_client

WHY = "Assessing risk to the victim before the MARAC meeting"


def _ig_lead(world: World) -> User:
    return ensure_user(
        "council_ig",
        world.agencies["council"],
        (Role.INFORMATION_GOVERNANCE,),
        first_name="Ida",
        last_name="Governance",
        job_title="Information governance lead",
        password=PASSWORD,
    )


def _victim(world: World) -> Person:
    """A domestic-abuse victim held by the police alone, consulted once with a justification."""
    officer = world["police_officer"]
    victim = make_person(
        officer,
        family_name="Hiddenvictim",
        given_name="Alice",
        caveat=Caveat.OFFICIAL_SENSITIVE,
        sensitivity=Sensitivity.DOMESTIC_ABUSE,
    )
    _consult(officer, victim)
    return victim


def _consult(user: User, person: Person) -> None:
    with audit_context("test", actor=user, reason=WHY):
        consultation.open_record(Person.objects.all(), user, Verb.VIEW, uuid=person.uuid)


def _export(client: Client, **fields: str) -> tuple[int, list[dict[str, str]], str]:
    data = {"recipient": "ICO", "reason": "ICO enquiry ref 42", **fields}
    response = client.post("/audit/", data)
    text = response.content.decode()
    rows = list(csv.DictReader(io.StringIO(text))) if response.status_code == 200 else []
    return response.status_code, rows, text


def test_finding_4_a_manager_cannot_read_a_hidden_victim_through_the_audit_export(world: World) -> None:
    victim = _victim(world)
    client = verified_client(world["council_manager"])
    assert client.get(f"/register/people/{victim.uuid}/").status_code == 404
    status, rows, text = _export(client, record=str(victim.uuid))
    assert status == 200
    assert rows == [] and "Hiddenvictim" not in text and WHY not in text
    page = client.get("/audit/").content.decode()
    assert "Hiddenvictim" not in page and WHY not in page and str(victim.uuid)[:8] not in page
    assert "you may not see" in page


def test_finding_4_a_manager_reads_the_rows_of_records_they_may_see_with_their_snapshots(world: World) -> None:
    mine = make_person(world["council_officer"], family_name="Visibleperson")
    hidden = _victim(world)
    status, rows, text = _export(verified_client(world["council_manager"]), record=str(mine.uuid))
    assert status == 200 and rows and all(r["record_id"] == str(mine.uuid) for r in rows)
    assert "Visibleperson" in text  # the snapshot of a row the reader may see is kept
    today = AuditEntry.objects.latest("seq").at.date().isoformat()
    _, period, text = _export(verified_client(world["council_manager"]), start=today, end=today)
    assert str(hidden.uuid) not in text and "Hiddenvictim" not in text
    assert any(r["record_id"] == str(mine.uuid) for r in period)


def test_finding_4_an_audit_export_is_logged_as_a_disclosure_to_the_downloader(world: World) -> None:
    mine = make_person(world["council_officer"])
    _export(verified_client(world["council_manager"]), record=str(mine.uuid))
    entry = AuditEntry.objects.filter(action=Operation.DISCLOSURE, record_type="audit.auditentry").latest("seq")
    assert any("council_manager" in r for r in entry.recipients) and "ICO" in entry.recipients
    assert entry.actor_username == "council_manager"


def test_finding_4_administrators_see_no_personal_data_in_the_audit_pages(world: World) -> None:
    victim = _victim(world)
    plain = make_person(world["council_officer"], family_name="Plainperson")
    _consult(world["council_officer"], plain)
    client = verified_client(world["council_admin"])
    page = client.get("/audit/").content.decode()
    for secret in ("Hiddenvictim", "Plainperson", WHY, str(victim.uuid)[:8], str(plain.uuid)[:8]):
        assert secret not in page
    assert "Configuration change" in page  # configuration rows are fine
    _, rows, text = _export(client, record=str(plain.uuid))
    assert rows == [] and "Plainperson" not in text


def test_finding_4_the_information_governance_lead_reads_everything(world: World) -> None:
    victim = _victim(world)
    client = verified_client(_ig_lead(world))
    status, rows, text = _export(client, record=str(victim.uuid))
    assert status == 200 and rows and "Hiddenvictim" in text
    assert WHY in client.get("/audit/").content.decode()


def test_finding_6_the_audit_export_accepts_a_person_or_case_reference(world: World) -> None:
    from csphub.cases import services as case_services

    mine = make_person(world["council_officer"], family_name="Referencedperson")
    case = case_services.open_case(world["council_officer"], case_type="asb_personal", title="Noise", summary="Music")
    client = verified_client(world["council_manager"])
    status, rows, _ = _export(client, record=mine.reference)
    assert status == 200 and rows and all(r["record_id"] == str(mine.uuid) for r in rows)
    status, rows, _ = _export(client, record=case.reference.lower())
    assert status == 200 and rows and any(r["record_id"] == str(case.uuid) for r in rows)


def test_finding_6_an_export_by_a_reference_the_reader_may_not_see_is_refused_like_an_unknown_one(
    world: World,
) -> None:
    victim = _victim(world)
    client = verified_client(world["council_manager"])
    hidden_status, _, hidden = _export(client, record=victim.reference)
    unknown_status, _, unknown = _export(client, record="P-00000000")
    assert hidden_status == unknown_status == 400
    assert "No record you may see has this reference" in hidden and "Hiddenvictim" not in hidden
    assert "No record you may see has this reference" in unknown
    status, rows, _ = _export(verified_client(_ig_lead(world)), record=victim.reference)
    assert status == 200 and rows  # the auditor reads every record's rows


def test_finding_6_the_audit_list_shows_references_and_names_the_viewer_may_see(world: World) -> None:
    from csphub.cases import services as case_services

    case = case_services.open_case(
        world["council_officer"], case_type="asb_personal", title="Barking dog", summary="Every night"
    )
    mine = make_person(world["council_officer"], family_name="Listedperson")
    _consult(world["council_officer"], mine)
    hidden = _victim(world)
    page = verified_client(world["council_manager"]).get("/audit/").content.decode()
    assert case.reference in page and "Barking dog" in page and case.get_absolute_url() in page
    assert mine.reference in page and "LISTEDPERSON" in page
    assert "cases.case" not in page and str(case.uuid)[:8] not in page
    assert "Hiddenvictim" not in page and hidden.reference not in page
    auditor = verified_client(_ig_lead(world)).get("/audit/").content.decode()
    assert "registers.person" not in auditor and "cases.case" not in auditor  # the type only: they see no record
