"""Break glass: a justified, time-limited, logged grant, reviewed by a supervisor."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from csphub.access.models import AccessGrant, GrantStatus
from csphub.access.services import grants_for_review, request_access, review_grant
from csphub.access.vocabulary import Caveat, Sensitivity
from csphub.audit.models import AuditEntry, Operation
from csphub.demo.structure import ensure_user
from csphub.partnership.models import Role, User
from csphub.registers.models import Person, PersonPlace, Place
from tests.factories import World, make_person, make_place, verified_client

WHY = "Child at risk reported out of hours; council duty team unreachable"


def test_it_grants_read_access_for_a_limited_time_flagged_for_review(world: World, settings: object) -> None:
    person = make_person(world["council_officer"])
    grant = request_access(world["police_officer"], person, WHY)
    hours = (grant.expires_at - grant.granted_at).total_seconds() / 3600
    assert hours == pytest.approx(settings.CSPHUB_ACCESS_GRANT_HOURS)  # type: ignore[attr-defined]
    assert grant.status == GrantStatus.PENDING
    assert Person.objects.visible_to(world["police_officer"]).filter(pk=person.pk).exists()
    entry = AuditEntry.objects.filter(record_id=str(person.uuid), action=Operation.SECURITY).get()
    assert entry.justification == WHY and "Break-glass" in entry.summary


def test_it_needs_a_written_justification(world: World) -> None:
    person = make_person(world["council_officer"])
    with pytest.raises(ValidationError, match="at least"):
        request_access(world["police_officer"], person, "need it")


def test_voluntary_sector_users_cannot_break_glass(world: World) -> None:
    person = make_person(world["council_officer"])
    with pytest.raises(PermissionDenied, match="Voluntary"):
        request_access(world["pastor"], person, WHY)


def test_a_supervisor_reviews_and_can_revoke(world: World) -> None:
    person = make_person(world["council_officer"])
    grant = request_access(world["police_officer"], person, WHY)
    assert grant in grants_for_review(world["police_manager"])  # the requester's agency's manager
    assert grant in grants_for_review(world["council_manager"])  # the owning agency's manager
    with pytest.raises(PermissionDenied):
        review_grant(grant, by=world["police_chair"], uphold=True, note="")
    review_grant(grant, by=world["council_manager"], uphold=False, note="Should have called the duty line")
    grant.refresh_from_db()
    assert grant.status == GrantStatus.REVOKED and grant.expires_at <= timezone.now()
    assert not Person.objects.visible_to(world["police_officer"]).filter(pk=person.pk).exists()
    with pytest.raises(ValidationError, match="already"):
        review_grant(grant, by=world["police_manager"], uphold=True, note="")


def test_the_web_flow_grants_then_logs_each_view_with_the_justification(world: World) -> None:
    person = make_person(world["council_officer"])
    client = verified_client(world["police_officer"])
    page = f"/register/people/{person.uuid}/"
    assert client.get(page).status_code == 404
    response = client.post("/access/request/", {"record": str(person.uuid), "justification": WHY})
    assert response.status_code == 302 and response["Location"] == page
    assert client.get(page).status_code == 200
    consultation = AuditEntry.objects.filter(record_id=str(person.uuid), action=Operation.CONSULTATION).get()
    assert consultation.basis == "break-glass access grant" and consultation.justification == WHY


def test_a_request_for_an_unknown_reference_is_refused_and_logged(world: World) -> None:
    client = verified_client(world["police_officer"])
    bogus = "1b4e28ba-2fa1-11d2-883f-0016d3cca427"
    response = client.post("/access/request/", {"record": bogus, "justification": WHY})
    assert response.status_code == 200 and "No record has this reference" in response.content.decode()
    assert AuditEntry.objects.filter(record_id=bogus, action=Operation.SECURITY).exists()


def _ig_lead(world: World) -> User:
    """The partnership's information governance lead (not in the shared world: only these tests need one)."""
    return ensure_user(
        "council_ig",
        world.agencies["council"],
        (Role.INFORMATION_GOVERNANCE,),
        first_name="Ida",
        last_name="Governance",
        job_title="Information governance lead",
        password="correct horse battery staple",
    )


def test_finding_6_a_read_only_partner_gets_no_sensitive_record_through_break_glass(world: World) -> None:
    intelligence = make_person(
        world["police_officer"], caveat=Caveat.OFFICIAL_SENSITIVE, sensitivity=Sensitivity.INTELLIGENCE
    )
    with pytest.raises(PermissionDenied, match="OFFICIAL-SENSITIVE"):
        request_access(world["fire_partner"], intelligence, WHY)
    assert not Person.objects.visible_to(world["fire_partner"]).filter(pk=intelligence.pk).exists()
    assert not AccessGrant.objects.filter(user=world["fire_partner"]).exists()
    # Refused with the reason, and the refusal is logged.
    assert AuditEntry.objects.filter(
        record_id=str(intelligence.uuid), action=Operation.SECURITY, summary__contains="refused"
    ).exists()


def test_finding_6_a_fire_partner_gets_no_domestic_abuse_record_through_break_glass(world: World) -> None:
    victim = make_person(world["council_officer"], sensitivity=Sensitivity.DOMESTIC_ABUSE)
    client = verified_client(world["fire_partner"])
    response = client.post("/access/request/", {"record": str(victim.uuid), "justification": WHY})
    assert response.status_code == 403 and "domestic abuse" in response.content.decode()
    assert client.get(f"/register/people/{victim.uuid}/").status_code == 404


def test_finding_6_the_grant_rule_itself_keeps_to_the_role_limits(world: World) -> None:
    """Defence in depth: a grant row made by other means still opens nothing the role may not see."""
    intelligence = make_person(
        world["police_officer"], caveat=Caveat.OFFICIAL_SENSITIVE, sensitivity=Sensitivity.INTELLIGENCE
    )
    general = make_person(world["police_officer"])
    for person in (intelligence, general):
        AccessGrant.objects.create(
            user=world["fire_partner"],
            record_type="registers.person",
            record_uuid=person.uuid,
            record_label="x",
            owning_agency=world.agencies["police"],
            justification=WHY,
            expires_at=timezone.now() + dt.timedelta(hours=1),
        )
    visible = Person.objects.visible_to(world["fire_partner"])
    assert not visible.filter(pk=intelligence.pk).exists()
    assert visible.filter(pk=general.pk).exists()


def test_finding_6_a_grant_no_agency_manager_reviews_falls_back_to_the_governance_lead(world: World) -> None:
    ig = _ig_lead(world)
    person = make_person(world["corby_officer"])  # neither Corby nor the fire service has a partnership manager
    grant = request_access(world["fire_officer"], person, WHY)
    assert ig in grant.reviewers.all()
    assert grant in grants_for_review(ig)
    review_grant(grant, by=ig, uphold=True, note="Justified: out of hours")
    grant.refresh_from_db()
    assert grant.status == GrantStatus.UPHELD


def test_finding_6_every_grant_has_a_reviewer_or_is_refused(world: World) -> None:
    person = make_person(world["corby_officer"])
    grant = request_access(world["fire_officer"], person, WHY)
    # No governance lead: the partnership's managers review it.
    assert set(grant.reviewers.all()) == {world["police_manager"], world["council_manager"]}
    assert grant in grants_for_review(world["police_manager"])


def test_finding_6_unreviewed_grants_are_listed_and_escalate(world: World, settings: Any) -> None:
    settings.CSPHUB_GRANT_REVIEW_HOURS = 4
    ig = _ig_lead(world)
    person = make_person(world["council_officer"])
    grant = request_access(world["police_officer"], person, WHY)
    fresh = request_access(world["police_officer"], make_person(world["council_officer"]), WHY)
    AccessGrant.objects.filter(pk=grant.pk).update(granted_at=timezone.now() - dt.timedelta(hours=5))
    out = io.StringIO()
    call_command("access", "escalate", stdout=out)
    assert "1 grant" in out.getvalue()
    grant.refresh_from_db()
    fresh.refresh_from_db()
    assert grant.escalated_at is not None and fresh.escalated_at is None
    assert ig in grant.reviewers.all() and grant in grants_for_review(ig)
    escalations = AuditEntry.objects.filter(record_id=str(person.uuid), summary__contains="escalated")
    assert escalations.count() == 1
    call_command("access", "escalate", stdout=io.StringIO())  # safe to re-run
    assert escalations.count() == 1
    page = verified_client(world["council_manager"]).get("/access/reviews/").content.decode()
    assert "Overdue" in page
    assert "Overdue" in verified_client(ig).get("/access/reviews/").content.decode()


def test_finding_6_access_is_requested_by_a_case_reference(world: World) -> None:
    from csphub.cases import services as case_services

    case = case_services.open_case(
        world["council_officer"], case_type="asb_personal", title="Noise nuisance", summary="Loud music at night"
    )
    client = verified_client(world["police_officer"])
    response = client.post("/access/request/", {"record": f" {case.reference.lower()} ", "justification": WHY})
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert client.get(case.get_absolute_url()).status_code == 200


def test_finding_6_access_is_requested_by_a_person_reference(world: World) -> None:
    person = make_person(world["council_officer"])
    client = verified_client(world["police_officer"])
    response = client.post("/access/request/", {"record": person.reference, "justification": WHY})
    assert response.status_code == 302 and response["Location"] == person.get_absolute_url()
    assert client.get(person.get_absolute_url()).status_code == 200


def test_finding_6_a_reference_of_no_record_is_refused_and_logged(world: World) -> None:
    client = verified_client(world["police_officer"])
    for bogus in ("P-00000000", "NN-ASB-2026-999999", "not a reference"):
        response = client.post("/access/request/", {"record": bogus, "justification": WHY})
        assert response.status_code == 200 and "No record has this reference" in response.content.decode()
        assert AuditEntry.objects.filter(action=Operation.SECURITY, record_id=bogus).exists()


def test_finding_6_break_glass_on_a_person_also_opens_their_address(world: World) -> None:
    council, police = world["council_officer"], world["police_officer"]
    person = make_person(council)
    home = make_place(council, address="14 Glass Lane, Kettering")
    PersonPlace.objects.create(person=person, place=home, relation="lives_at", source_agency=world.agencies["council"])
    elsewhere = make_place(council, address="2 Unrelated Road, Kettering")
    assert not Place.objects.visible_to(police).filter(pk=home.pk).exists()

    client = verified_client(police)
    client.post("/access/request/", {"record": person.reference, "justification": WHY})
    assert "14 Glass Lane" in client.get(person.get_absolute_url()).content.decode()
    grant = AccessGrant.objects.get(user=police, record_uuid=person.uuid)
    visible = Place.objects.visible_to(police)
    assert visible.filter(pk=home.pk).exists() and not visible.filter(pk=elsewhere.pk).exists()
    opened = Place.objects.with_rules(police).get(pk=home.pk)
    assert opened.matched_rules() == ("access_grant",)  # read only, under the grant

    review_grant(grant, by=world["council_manager"], uphold=False, note="Not needed")
    assert not Place.objects.visible_to(police).filter(pk=home.pk).exists()


def test_finding_6_a_person_grant_opens_no_address_the_role_may_not_see(world: World) -> None:
    council = world["council_officer"]
    person = make_person(council)
    refuge = make_place(council, address="Refuge, Kettering", sensitivity=Sensitivity.DOMESTIC_ABUSE)
    PersonPlace.objects.create(
        person=person, place=refuge, relation="lives_at", source_agency=world.agencies["council"]
    )
    fire = world["fire_partner"]
    request_access(fire, person, WHY)
    assert Person.objects.visible_to(fire).filter(pk=person.pk).exists()
    assert not Place.objects.visible_to(fire).filter(pk=refuge.pk).exists()
