"""The MARAC journey: a referral shares the case with the MARAC agencies under the MARAC ISA; the meeting, who
attended and each agency's actions are recorded; repeat referrals are flagged by the calculator."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from csphub.access.vocabulary import Caveat, Sensitivity
from csphub.assessments import engine
from csphub.assessments.services import complete
from csphub.audit.models import AuditEntry, Operation
from csphub.cases import services
from csphub.cases.models import Action, Case, MaracAttendance, MaracReferral
from csphub.partnership.models import Agency, User
from csphub.registers.models import Person, Place
from tests.factories import World, make_person, make_place, verified_client

WHY = "Preparing for the MARAC meeting on Thursday"
PARTNERS = ("idva_officer", "health_officer", "probation_officer")
TODAY = timezone.localdate


@dataclass
class DaCase:
    case: Case
    victim: Person
    perpetrator: Person
    home: Place
    lent: Place  # a place the police officer may read (shared with them personally) but not share


def _da_case(world: World) -> DaCase:
    """A high-risk domestic abuse case owned by the police: victim, perpetrator, home, and a DASH of 16 "yes"."""
    police = world["police_officer"]
    da: dict[str, Any] = {"sensitivity": Sensitivity.DOMESTIC_ABUSE, "caveat": Caveat.OFFICIAL_SENSITIVE}
    case = services.open_case(police, case_type="domestic_abuse", title="Domestic abuse, Corby household")
    victim = make_person(police, given_name="Natalie", family_name="Walsh", **da)
    perpetrator = make_person(police, given_name="Ryan", family_name="Hart", **da)
    home = make_place(police, address="14 Elizabeth Street, Corby")
    lent = make_place(world["fire_officer"], address="3 Lent Road, Corby")
    lent.shared_with_users.add(police)
    services.add_person(case, victim, police, role="victim")
    services.add_person(case, perpetrator, police, role="perpetrator")
    services.add_place(case, home, police, role="victim_home")
    services.add_place(case, lent, police, role="incident_location")
    questions = engine.load_shipped("dash").questions
    complete(
        case,
        police,
        key="dash",
        person=victim,
        answers={q.id: ("yes" if n < 16 else "no") for n, q in enumerate(questions)},
    )
    return DaCase(case, victim, perpetrator, home, lent)


@pytest.fixture
def da_case(world: World) -> DaCase:
    return _da_case(world)


def _client(user: User, case: Case) -> Client:
    """Signed in, with the written justification a domestic abuse case asks for given."""
    client = verified_client(user)
    client.post(f"/access/records/{case.uuid}/justify/", {"justification": WHY, "next": "/"})
    return client


def _refer(world: World, da: DaCase, **kwargs: object) -> services.MaracReferralResult:
    return services.refer_to_marac(
        da.case,
        world["police_officer"],
        referred_on=TODAY(),
        person=da.victim,
        **kwargs,  # type: ignore[arg-type]
    )


def test_finding_3_marac_partners_see_a_referred_domestic_abuse_case(world: World, da_case: DaCase) -> None:
    for username in PARTNERS:
        assert not Case.objects.visible_to(world[username]).filter(case_type="domestic_abuse").exists()
    _refer(world, da_case)
    for username in PARTNERS:
        user = world[username]
        assert Case.objects.visible_to(user).filter(case_type="domestic_abuse").count() == 1, username
        assert verified_client(user).get(da_case.case.get_absolute_url()).status_code != 404, username
        page = _client(user, da_case.case).get(da_case.case.get_absolute_url())
        assert page.status_code == 200, username
        assert da_case.case.reference in page.content.decode()


def test_it_shares_the_case_and_its_linked_records_under_the_marac_isa(world: World, da_case: DaCase) -> None:
    result = _refer(world, da_case)
    case = da_case.case
    marac = {world.agencies[s] for s in ("council", "corby", "idva", "health", "probation")}
    assert set(result.shared_with) == marac
    assert set(case.parties.all()) == marac
    for record in (da_case.victim, da_case.perpetrator, da_case.home):
        assert marac <= set(type(record).objects.get(pk=record.pk).parties.all())
    # The place the officer may only read stays with its owner, and the result says why.
    assert not da_case.lent.parties.exists()
    assert {w.record.pk for w in result.withheld} == {da_case.lent.pk}
    assert all("read it but not share it" in w.reason for w in result.withheld)
    # Each disclosure is logged, naming the MARAC ISA; never to a community-sector or non-ISA agency.
    disclosures = AuditEntry.objects.filter(action=Operation.DISCLOSURE)
    assert disclosures.filter(record_id=str(case.uuid)).count() == len(marac)
    assert set(disclosures.values_list("basis", flat=True)) == {"ISA-2"}
    assert disclosures.count() == 4 * len(marac)
    assert not case.parties.filter(short_name__in=["fire", "pastors", "pubwatch"]).exists()


def test_partners_see_it_with_the_domestic_abuse_rules(world: World, da_case: DaCase) -> None:
    _refer(world, da_case)
    # The fire service is not a MARAC agency; a read-only partner of a party agency never sees domestic abuse.
    assert not Case.objects.visible_to(world["fire_officer"]).filter(pk=da_case.case.pk).exists()
    assert not Case.objects.visible_to(world["police_analyst"]).filter(pk=da_case.case.pk).exists()
    idva = world["idva_officer"]
    assert Person.objects.visible_to(idva).filter(pk=da_case.victim.pk).exists()
    assert not Place.objects.visible_to(idva).filter(pk=da_case.lent.pk).exists()


def test_it_records_the_meeting_attendance_and_each_agencys_actions(world: World, da_case: DaCase) -> None:
    meeting = TODAY() + dt.timedelta(days=7)
    attending = [world.agencies[s] for s in ("police", "idva", "health", "probation")]
    referral = _refer(world, da_case, meeting_on=meeting, attending=attending).referral
    assert referral.meeting_on == meeting
    assert set(referral.attending_agencies()) == set(attending)
    # The owning officer records actions for any attending agency; a partner's officer records their own agency's.
    services.add_marac_action(
        referral,
        world["police_officer"],
        title="Flag the address for an urgent response",
        due_on=meeting,
        assigned_agency=world.agencies["police"],
    )
    services.add_marac_action(
        referral,
        world["idva_officer"],
        title="Safety plan with the victim",
        due_on=meeting,
        assigned_agency=world.agencies["idva"],
    )
    with pytest.raises(ValidationError, match="your own agency"):
        services.add_marac_action(
            referral,
            world["idva_officer"],
            title="Check the perpetrator's licence conditions",
            due_on=meeting,
            assigned_agency=world.agencies["probation"],
        )
    with pytest.raises(ValidationError, match="did not attend"):
        services.add_marac_action(
            referral,
            world["police_officer"],
            title="Housing options",
            due_on=meeting,
            assigned_agency=world.agencies["corby"],
        )
    actions = Action.objects.filter(marac_referral=referral)
    assert {a.assigned_agency.short_name for a in actions} == {"police", "idva"}
    # Attendance can be changed when the meeting is held; an agency that does not hold the case cannot attend.
    services.record_marac_meeting(referral, world["police_officer"], meeting_on=meeting, attending=attending[:2])
    assert MaracAttendance.objects.filter(referral=referral).count() == 2
    with pytest.raises(ValidationError, match="does not hold this case"):
        services.record_marac_meeting(
            referral, world["police_officer"], meeting_on=meeting, attending=[world.agencies["fire"]]
        )


def test_a_repeat_referral_is_flagged_by_the_calculator(world: World, da_case: DaCase) -> None:
    police = world["police_officer"]
    first = services.refer_to_marac(
        da_case.case, police, referred_on=TODAY() - dt.timedelta(days=60), person=da_case.victim
    ).referral
    assert "repeat" not in first.criteria
    services.record_entry(
        da_case.case,
        police,
        kind="incident",
        title="Further incident",
        occurred_at=timezone.now() - dt.timedelta(days=10),
    )
    second = services.refer_to_marac(da_case.case, police, referred_on=TODAY(), person=da_case.victim).referral
    assert "repeat" in second.criteria and second.is_repeat
    page = _client(police, da_case.case).get(da_case.case.get_absolute_url()).content.decode()
    assert "Repeat referral" in page


def test_the_referral_page_shares_and_lists_what_stayed(world: World, da_case: DaCase) -> None:
    case = da_case.case
    client = _client(world["police_officer"], case)
    form = client.get(reverse("cases:marac-refer", args=[case.reference])).content.decode()
    assert "North Northants IDVA Service" in form and "Kettering Street Pastors" not in form
    meeting = TODAY() + dt.timedelta(days=7)
    response = client.post(
        reverse("cases:marac-refer", args=[case.reference]),
        {
            "referred_on": TODAY().isoformat(),
            "person": str(da_case.victim.uuid),
            "meeting_on": meeting.isoformat(),
            "attending": [str(world.agencies[s].pk) for s in ("police", "idva")],
        },
    )
    page = response.content.decode()
    assert response.status_code == 200, page
    assert "North Northants IDVA Service" in page and "ISA-2" in page
    assert "Lent Road" in page and "read it but not share it" in page
    referral = MaracReferral.objects.get(case=case)
    assert referral.meeting_on == meeting and referral.person == da_case.victim
    assert {a.short_name for a in referral.attending_agencies()} == {"police", "idva"}


def test_a_partner_records_their_agencys_action_on_the_case_page(world: World, da_case: DaCase) -> None:
    meeting = TODAY() + dt.timedelta(days=7)
    referral = _refer(
        world, da_case, meeting_on=meeting, attending=[world.agencies[s] for s in ("police", "idva", "health")]
    ).referral
    idva = _client(world["idva_officer"], da_case.case)
    url = reverse("cases:marac-action", args=[da_case.case.reference, referral.uuid])
    form = idva.get(url).content.decode()
    assert "North Northants IDVA Service" in form and "Integrated Care Board" not in form
    response = idva.post(
        url,
        {
            "title": "Safety plan with the victim",
            "due_on": meeting.isoformat(),
            "assigned_agency": str(world.agencies["idva"].pk),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = idva.get(da_case.case.get_absolute_url()).content.decode()
    assert "MARAC meeting" in page and "Safety plan with the victim" in page
    assert "Integrated Care Board" in page  # attending
    action = Action.objects.get(marac_referral=referral)
    assert action.assigned_agency == world.agencies["idva"] and action.created_by == world["idva_officer"]


def test_the_meeting_page_records_the_date_and_who_attended(world: World, da_case: DaCase) -> None:
    referral = _refer(world, da_case).referral
    client = _client(world["police_officer"], da_case.case)
    meeting = TODAY() + dt.timedelta(days=14)
    response = client.post(
        reverse("cases:marac-meeting", args=[da_case.case.reference, referral.uuid]),
        {"meeting_on": meeting.isoformat(), "attending": [str(world.agencies[s].pk) for s in ("police", "probation")]},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    referral.refresh_from_db()
    assert referral.meeting_on == meeting
    assert {a.short_name for a in referral.attending_agencies()} == {"police", "probation"}
    # Attendance is logged (an audited record under the case).
    assert AuditEntry.objects.filter(record_id=str(da_case.case.uuid), summary__icontains="attendance").exists()


def test_only_a_domestic_abuse_case_with_an_assessment_is_referred(world: World) -> None:
    case = services.open_case(world["police_officer"], case_type="domestic_abuse", title="No DASH yet")
    with pytest.raises(ValidationError):
        services.refer_to_marac(case, world["police_officer"], referred_on=TODAY())
    assert not Agency.objects.filter(pk__in=case.parties.values("pk")).exists()
