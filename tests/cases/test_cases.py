"""Cases: references, status workflow, districts and cross-boundary, transfers, restricted timeline entries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from csphub.access.services import DisclosureRefused
from csphub.access.vocabulary import Caveat, Sensitivity, Verb
from csphub.audit.models import AuditEntry, Operation
from csphub.cases import services
from csphub.cases.kinds import CaseStatus
from csphub.cases.models import Case, TimelineEntry
from csphub.cases.profile import visible_entries
from csphub.registers import services as register
from tests.cases.factories import make_case
from tests.factories import World, make_person


def test_a_case_gets_a_human_reference_per_type_and_year(world: World) -> None:
    officer = world["police_officer"]
    a = make_case(officer, opened_on=dt.date(2026, 3, 1))
    b = make_case(officer, case_type="asb_nuisance", opened_on=dt.date(2026, 3, 2))
    c = make_case(officer, case_type="hate_incident", hate_strands=["race"], opened_on=dt.date(2026, 3, 2))
    d = make_case(officer, opened_on=dt.date(2025, 12, 31))
    assert [a.reference, b.reference, c.reference, d.reference] == [
        "NN-ASB-2026-000001",
        "NN-ASB-2026-000002",
        "NN-HATE-2026-000001",
        "NN-ASB-2025-000001",
    ]


def test_domestic_abuse_cases_are_narrower_by_default(world: World) -> None:
    case = make_case(world["police_officer"], case_type="domestic_abuse", title="Household at 3 Elm Close")
    assert (case.caveat, case.sensitivity) == (Caveat.OFFICIAL_SENSITIVE, Sensitivity.DOMESTIC_ABUSE)
    assert not Case.objects.visible_to(world["police_analyst"]).filter(pk=case.pk).exists()


def test_the_status_workflow_needs_reasons_and_allowed_steps(world: World) -> None:
    officer = world["police_officer"]
    case = make_case(officer)
    with pytest.raises(ValidationError, match="can become"):
        services.change_status(case, officer, to=CaseStatus.REOPENED, reason="Back again")
    with pytest.raises(ValidationError, match="reason"):
        services.change_status(case, officer, to=CaseStatus.CLOSED, reason="")
    services.change_status(case, officer, to=CaseStatus.CLOSED, reason="Perpetrator evicted")
    assert case.status == CaseStatus.CLOSED and case.closed_on == timezone.localdate()
    services.change_status(case, officer, to=CaseStatus.REOPENED, reason="New complaints from neighbours")
    assert case.closed_on is None
    assert [s.to_status for s in case.status_changes.order_by("at", "id")] == ["closed", "reopened"]


def test_districts_come_from_the_places_and_two_make_it_cross_boundary(world: World) -> None:
    officer = world["police_officer"]
    case = make_case(officer)
    kettering = register.record_place(officer, address="Gold Street, Kettering", latitude=52.3979, longitude=-0.7278)
    corby = register.record_place(officer, address="Corporation Street, Corby", latitude=52.4886, longitude=-0.7011)
    services.add_place(case, kettering, officer, role="incident_location")
    assert [d.name for d in case.districts.all()] == ["Kettering"] and not case.cross_boundary
    services.record_entry(
        case,
        officer,
        kind="incident",
        title="Knife found",
        place=corby,
        occurred_at=timezone.now() - dt.timedelta(days=1),
    )
    case.refresh_from_db()
    assert sorted(d.name for d in case.districts.all()) == ["Corby", "Kettering"] and case.cross_boundary


def test_a_case_transferred_from_kettering_to_corby_keeps_its_history(world: World) -> None:
    kettering = world["council_officer"]
    corby = world["corby_officer"]
    case = make_case(kettering, owning_district=world.districts["E07000153"])
    victim = make_person(kettering, given_name="Ada", family_name="Okoro")
    services.add_person(case, victim, kettering, role="victim")
    services.record_entry(case, kettering, kind="note", title="Victim visited")
    services.add_action(
        case, kettering, title="Fit a door camera", due_on=dt.date.today(), assigned_agency=world.agencies["council"]
    )
    services.transfer(
        case,
        kettering,
        to_agency=world.agencies["corby"],
        to_officer=corby,
        to_district=world.districts["E07000150"],
        reason="Victim has moved to Corby",
    )
    case.refresh_from_db()
    assert case.owning_agency == world.agencies["corby"] and case.owning_officer == corby
    assert case.owning_district == world.districts["E07000150"]
    # Every record stays with the case, and Corby can see it (and the person in it).
    assert case.timeline.count() == 1 and case.actions.count() == 1 and case.case_people.count() == 1
    fetched = Case.objects.fetch(corby, Verb.CHANGE, reference=case.reference)
    assert fetched == case
    assert register.Person.objects.visible_to(corby).filter(pk=victim.pk).exists()
    # Kettering stays a party and can hand it back: both transfers are in the audit log.
    services.transfer(
        case,
        kettering,
        to_agency=world.agencies["council"],
        to_officer=kettering,
        to_district=world.districts["E07000153"],
        reason="Victim moved back to Kettering",
    )
    transfers = AuditEntry.objects.filter(record_id=str(case.uuid), summary="Recorded transfer").order_by("seq")
    assert [t.after["reason"] for t in transfers if t.after] == [
        "Victim has moved to Corby",
        "Victim moved back to Kettering",
    ]
    owners = AuditEntry.objects.filter(
        record_id=str(case.uuid), action=Operation.ALTERATION, summary__contains="owning_agency"
    ).order_by("seq")
    assert [(e.before["owning_agency_id"], e.after["owning_agency_id"]) for e in owners if e.before and e.after] == [
        (world.agencies["council"].pk, world.agencies["corby"].pk),
        (world.agencies["corby"].pk, world.agencies["council"].pk),
    ]


def test_a_transfer_outside_every_isa_is_refused(world: World) -> None:
    officer = world["police_officer"]
    case = make_case(officer)
    with pytest.raises(DisclosureRefused, match="No information sharing agreement"):
        services.transfer(case, officer, to_agency=world.agencies["pubwatch"], reason="They asked for it")
    case.refresh_from_db()
    assert case.owning_agency == world.agencies["police"]


def test_restricted_timeline_entries_are_seen_only_by_the_agencies_named(world: World) -> None:
    police, council = world["police_officer"], world["council_officer"]
    case = make_case(police, parties=(world.agencies["council"],))
    services.record_entry(case, police, kind="note", title="Shared note")
    services.record_entry(
        case, police, kind="note", title="Police intelligence", restricted_to=[world.agencies["police"]]
    )
    services.record_entry(
        case, council, kind="note", title="Council's own note", restricted_to=[world.agencies["police"]]
    )
    assert {e.title for e in visible_entries(police, case)} == {
        "Shared note",
        "Police intelligence",
        "Council's own note",
    }
    # The council sees what is shared, and its own entry (the author always sees it), not police-only entries.
    assert {e.title for e in visible_entries(council, case)} == {"Shared note", "Council's own note"}


def test_read_only_partners_cannot_change_a_case(world: World) -> None:
    case = make_case(world["police_officer"], parties=(world.agencies["fire"],))
    with pytest.raises(PermissionDenied):
        services.record_entry(case, world["fire_partner"], kind="note", title="Not allowed")
    assert TimelineEntry.objects.filter(case=case).count() == 0


def test_an_action_goes_only_to_an_agency_in_the_case(world: World) -> None:
    case = make_case(world["police_officer"])
    with pytest.raises(ValidationError, match="not a party"):
        services.add_action(
            case,
            world["police_officer"],
            title="Safe and well visit",
            due_on=dt.date.today(),
            assigned_agency=world.agencies["fire"],
        )
