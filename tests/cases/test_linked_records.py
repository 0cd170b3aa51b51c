"""Linked records on case pages and forms go through the access policy: hidden ones are counted, never named."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from csphub.assessments import engine
from csphub.assessments.services import complete
from csphub.audit.models import AuditEntry, Operation
from csphub.cases import services
from csphub.cases.models import Case
from csphub.partnership.models import User
from csphub.registers.models import Person, Place
from tests.cases.factories import make_case
from tests.factories import World, make_person, make_place, verified_client


@pytest.fixture
def shared(world: World) -> tuple[Case, Person, Person, Place, Place]:
    """A police ASB case shared with the council: one person and place the council may see, one of each it may not."""
    police = world["police_officer"]
    council = world.agencies["council"]
    case = make_case(police, parties=(council,))
    seen = make_person(police, given_name="Sally", family_name="Seenby", parties=(council,))
    hidden = make_person(police, given_name="Harriet", family_name="Hiddenwoman")
    seen_place = make_place(police, address="1 Open Street, Kettering", parties=(council,))
    hidden_place = make_place(police, address="72 Secret Road, Corby")
    for person, role in ((seen, "victim"), (hidden, "victim"), (seen, "perpetrator"), (hidden, "perpetrator")):
        services.add_person(case, person, police, role=role)
    for place in (seen_place, hidden_place):
        services.add_place(case, place, police, role="incident_location")
    return case, seen, hidden, seen_place, hidden_place


FORMS = ("timeline/new/", "powers/new/", "case-review/apply/", "marac/refer/")


@pytest.mark.parametrize("form", FORMS)
def test_finding_2_form_choices_list_only_people_and_places_the_viewer_may_see(
    world: World, shared: tuple[Case, Person, Person, Place, Place], form: str
) -> None:
    case, _seen, hidden, _seen_place, hidden_place = shared
    page = verified_client(world["council_officer"]).get(f"/cases/{case.reference}/{form}").content.decode()
    assert "SEENBY" in page
    assert "HIDDENWOMAN" not in page and str(hidden.uuid) not in page
    assert "Secret Road" not in page and str(hidden_place.uuid) not in page
    assert "1 more person you may not see" in page


def test_finding_2_a_hidden_person_posted_anyway_is_refused(
    world: World, shared: tuple[Case, Person, Person, Place, Place]
) -> None:
    case, _seen, hidden, _seen_place, _hidden_place = shared
    response = verified_client(world["council_officer"]).post(
        f"/cases/{case.reference}/marac/refer/", {"referred_on": "2026-01-02", "person": str(hidden.uuid)}
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()


def test_finding_3_the_case_page_does_not_print_hidden_names_and_addresses(
    world: World, shared: tuple[Case, Person, Person, Place, Place]
) -> None:
    case, _seen, hidden, _seen_place, hidden_place = shared
    police = world["police_officer"]
    when = timezone.now() - dt.timedelta(days=3)
    services.record_entry(
        case,
        police,
        kind="incident",
        title="Shouting in the street",
        occurred_at=when,
        reported_on=timezone.localdate(),
        is_complaint=True,
        complainant=hidden,
        place=hidden_place,
    )
    questions = engine.load_shipped("asb_victim_risk").questions
    complete(case, police, key="asb_victim_risk", answers={q.id: "no" for q in questions}, person=hidden)
    page = verified_client(world["council_officer"]).get(case.get_absolute_url()).content.decode()
    assert "HIDDENWOMAN" not in page and "Secret Road" not in page
    assert "by a person you may not see" in page
    assert "Where: a place you may not see" in page
    assert "about a person you may not see" in page
    # The police officer sees them, and each name shown is logged as consulted.
    before = AuditEntry.objects.filter(action=Operation.CONSULTATION, record_id=str(hidden.uuid)).count()
    own = verified_client(police).get(case.get_absolute_url()).content.decode()
    assert "by HIDDENWOMAN, Harriet" in own and "Where: 72 Secret Road, Corby" in own
    assert "about HIDDENWOMAN" in own
    assert AuditEntry.objects.filter(action=Operation.CONSULTATION, record_id=str(hidden.uuid)).count() > before
    assert AuditEntry.objects.filter(action=Operation.CONSULTATION, record_id=str(hidden_place.uuid)).exists()


@pytest.fixture
def two_cases(world: World) -> tuple[Case, Case, Person, Place]:
    """A person and a place in two police cases: one shared with the council, one the council may not see."""
    police = world["police_officer"]
    council = world.agencies["council"]
    person = make_person(police, given_name="Rob", family_name="Linkedman", parties=(council,))
    place = make_place(police, address="9 Joined Up Lane, Kettering", parties=(council,))
    shared_case = make_case(police, parties=(council,), title="Shared noise case")
    private_case = make_case(police, title="Police only case")
    for case in (shared_case, private_case):
        services.add_person(case, person, police, role="perpetrator")
        services.add_place(case, place, police, role="incident_location")
    questions = engine.load_shipped("asb_victim_risk").questions
    complete(shared_case, police, key="asb_victim_risk", answers={q.id: "no" for q in questions}, person=person)
    services.record_power(
        shared_case,
        police,
        power="cpw",
        action="issued",
        on=timezone.now() - dt.timedelta(days=2),
        until=timezone.now() + dt.timedelta(days=12),
        person=person,
    )
    services.record_power(
        shared_case,
        police,
        power="closure_notice",
        action="served",
        on=timezone.now() - dt.timedelta(hours=3),
        place=place,
        until=timezone.now() + dt.timedelta(hours=12),
    )
    return shared_case, private_case, person, place


def test_finding_5_a_persons_page_lists_their_cases(world: World, two_cases: tuple[Case, Case, Person, Place]) -> None:
    shared_case, private_case, person, _place = two_cases
    page = verified_client(world["council_officer"]).get(person.get_absolute_url()).content.decode()
    assert shared_case.reference in page and "Shared noise case" in page
    assert private_case.reference not in page and "Police only case" not in page
    assert "1 more case you may not see" in page
    assert "ASB victim risk" in page  # the assessment about them, in a case the viewer may see
    assert "Community protection warning" in page  # the power against them
    shown = AuditEntry.objects.filter(action=Operation.CONSULTATION, record_id=str(shared_case.uuid))
    assert shown.filter(summary__contains=person.reference).exists()
    assert not AuditEntry.objects.filter(action=Operation.CONSULTATION, record_id=str(private_case.uuid)).exists()
    # The owner sees both.
    own = verified_client(world["police_officer"]).get(person.get_absolute_url()).content.decode()
    assert shared_case.reference in own and private_case.reference in own and "may not see" not in own


def test_finding_5_a_places_page_lists_its_cases(world: World, two_cases: tuple[Case, Case, Person, Place]) -> None:
    shared_case, private_case, _person, place = two_cases
    page = verified_client(world["council_officer"]).get(place.get_absolute_url()).content.decode()
    assert shared_case.reference in page and private_case.reference not in page
    assert "1 more case you may not see" in page
    assert "Closure notice" in page
    assert AuditEntry.objects.filter(action=Operation.CONSULTATION, record_id=str(shared_case.uuid)).exists()


def _listed(user: User, **query: str) -> str:
    response = verified_client(user).get("/cases/", query)
    assert response.status_code == 200
    return response.content.decode()


def test_finding_5_the_case_list_filters_by_a_persons_name(
    world: World, shared: tuple[Case, Person, Person, Place, Place]
) -> None:
    case, _seen, _hidden, _seen_place, _hidden_place = shared
    council = world["council_officer"]
    other = make_case(world["police_officer"], parties=(world.agencies["council"],), title="Another matter")
    listed = _listed(council, person="sally seenby")
    assert case.reference in listed and other.reference not in listed
    assert case.reference in _listed(council, person="Seenb")  # the start of a name is enough
    assert case.reference not in _listed(council, person="Nobody Atall")


def test_finding_5_a_hidden_persons_name_does_not_narrow_the_case_list_to_their_case(
    world: World, shared: tuple[Case, Person, Person, Place, Place]
) -> None:
    case, _seen, _hidden, _seen_place, _hidden_place = shared
    council, police = world["council_officer"], world["police_officer"]
    assert case.reference not in _listed(council, person="Harriet Hiddenwoman")
    assert case.reference in _listed(police, person="Harriet Hiddenwoman")  # the owner may see her


def test_finding_5_the_case_list_filters_by_a_place_and_never_through_a_hidden_one(
    world: World, shared: tuple[Case, Person, Person, Place, Place]
) -> None:
    case, _seen, _hidden, _seen_place, _hidden_place = shared
    council, police = world["council_officer"], world["police_officer"]
    other = make_case(police, parties=(world.agencies["council"],), title="Another matter")
    listed = _listed(council, place="open street")
    assert case.reference in listed and other.reference not in listed
    assert case.reference not in _listed(council, place="72 Secret Road")
    assert case.reference in _listed(police, place="72 Secret Road")
