"""Running a scheme: its coordinator (and only them) adds and removes member premises and members and sets the
scheme's rules; a partnership manager sets up a scheme naming its coordinator and does not join it. Every change
is in the audit log, written by the framework."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from csphub.access.vocabulary import Verb
from csphub.audit.models import AuditEntry
from csphub.partnership.models import User
from csphub.pubwatch import services
from csphub.pubwatch.models import Ban, MemberRole, Premises, Scheme
from tests.factories import World, verified_client
from tests.pubwatch.factories import WHY, SchemeWorld, in_force, make_scheme


@pytest.fixture
def sw(world: World) -> SchemeWorld:
    return make_scheme(world)


def _coordinator(sw: SchemeWorld) -> Client:
    client = verified_client(sw.coordinator)
    client.post(f"/access/records/{sw.scheme.uuid}/justify/", {"justification": WHY, "next": "/"})
    return client


def _entries(record_uuid: object) -> list[str]:
    return [e.summary for e in AuditEntry.objects.filter(record_id=str(record_uuid))]


def test_it_lets_the_coordinator_add_a_member_premises_through_the_page(world: World, sw: SchemeWorld) -> None:
    client = _coordinator(sw)
    url = f"/pubwatch/schemes/{sw.scheme.uuid}/premises/add/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "The Swan", "address": "3 High Street"})
    assert response.status_code == 302, response.content.decode()[:2000]
    swan = sw.scheme.premises.get(name="The Swan")
    assert swan.address == "3 High Street" and swan.left_on is None
    assert any("Pubwatch member premises" in s for s in _entries(sw.scheme.uuid))
    assert "Add a member premises" in client.get(sw.scheme.get_absolute_url()).content.decode()


def test_it_refuses_a_register_place_the_coordinator_may_not_see(world: World, sw: SchemeWorld) -> None:
    from tests.factories import make_place

    hidden = make_place(world["police_officer"], address="9 Hidden Row, Corby")
    response = _coordinator(sw).post(
        f"/pubwatch/schemes/{sw.scheme.uuid}/premises/add/", {"name": "The Swan", "place": hidden.reference}
    )
    assert response.status_code == 200
    assert "Enter the reference of a place on the register you may see" in response.content.decode()
    assert not sw.scheme.premises.filter(name="The Swan").exists()


def test_it_removes_a_premises_and_its_licensees_leave_with_it(world: World, sw: SchemeWorld) -> None:
    crown = sw.premises[0]
    response = _coordinator(sw).post(
        f"/pubwatch/schemes/{sw.scheme.uuid}/premises/remove/", {"premises": str(crown.uuid)}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    crown.refresh_from_db()
    assert crown.left_on is not None
    assert not Scheme.objects.visible_to(sw.licensee).exists()  # the Crown's licensee no longer sees the register
    assert Scheme.objects.visible_to(sw.licensee2).exists()


def test_it_adds_and_removes_members_as_the_policy_allows(world: World, sw: SchemeWorld) -> None:
    officer = world["police_officer"]
    with pytest.raises(ValidationError, match="adviser only"):
        services.add_member(sw.scheme, sw.coordinator, user=officer, role=MemberRole.LICENSEE, premises=sw.premises[0])
    assert officer not in services.offered_users(sw.scheme, MemberRole.LICENSEE)
    client = _coordinator(sw)
    response = client.post(
        f"/pubwatch/schemes/{sw.scheme.uuid}/members/add/", {"role": "adviser", "user": str(officer.uuid)}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Scheme.objects.visible_to(officer).exists()
    assert not Scheme.objects.visible_to(officer, Verb.CHANGE).exists()  # an adviser reads only
    response = client.post(f"/pubwatch/schemes/{sw.scheme.uuid}/members/remove/", {"member": str(officer.uuid)})
    assert response.status_code == 302
    assert not Scheme.objects.visible_to(officer).exists()


def test_it_keeps_a_licensee_to_their_premises_and_the_scheme_to_a_coordinator(world: World, sw: SchemeWorld) -> None:
    with pytest.raises(ValidationError, match="licensee's premises"):
        services.add_member(sw.scheme, sw.coordinator, user=world["pastor"], role=MemberRole.LICENSEE)
    with pytest.raises(ValidationError, match="needs a coordinator"):
        services.remove_member(sw.scheme, sw.coordinator, user=sw.coordinator)


def test_it_refuses_the_schemes_running_to_a_licensee(world: World, sw: SchemeWorld) -> None:
    with pytest.raises(PermissionDenied):
        services.add_premises(sw.scheme, sw.licensee, name="The Swan")
    with pytest.raises(PermissionDenied):
        services.change_rules(sw.scheme, sw.licensee, max_ban_months=6, appeal_route="x", appeals_heard_by="y")


def test_it_changes_the_rules_and_holds_bans_to_the_new_maximum(world: World, sw: SchemeWorld) -> None:
    client = _coordinator(sw)
    url = f"/pubwatch/schemes/{sw.scheme.uuid}/rules/"
    bad = client.post(url, {"max_ban_months": "61", "appeal_route": "Write", "appeals_heard_by": "Panel"})
    assert "60 months or fewer" in bad.content.decode()
    response = client.post(
        url, {"max_ban_months": "3", "appeal_route": "Write to the chair", "appeals_heard_by": "Two licensees"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    sw.scheme.refresh_from_db()
    assert (sw.scheme.max_ban_months, sw.scheme.appeals_heard_by) == (3, "Two licensees")
    assert any("max_ban_months" in s for s in _entries(sw.scheme.uuid))
    with pytest.raises(ValidationError, match="3 months or fewer"):
        in_force(sw, months=6)


def test_a_partnership_manager_sets_up_a_scheme_and_does_not_join_it(world: World) -> None:
    manager = world["police_manager"]
    coordinator: User = world["publican"]
    client = verified_client(manager)
    page = client.get("/pubwatch/new/").content.decode()
    assert str(coordinator.uuid) in page
    assert str(world["police_officer"].uuid) not in page  # the police do not coordinate
    response = client.post(
        "/pubwatch/new/",
        {"name": "Kettering Pubwatch", "area": "Kettering", "coordinator": str(coordinator.uuid), "max_ban_months": 12},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    scheme = Scheme.objects.get(name="Kettering Pubwatch")
    assert services.is_coordinator(scheme, coordinator) and scheme.owning_agency == coordinator.agency
    assert not Scheme.objects.visible_to(manager).filter(pk=scheme.pk).exists()
    assert _entries(scheme.uuid)
    with pytest.raises(PermissionDenied):
        services.create_scheme(world["pastor"], name="X", agency=coordinator.agency, coordinator=coordinator)


def test_it_leaves_bans_naming_a_removed_premises_intact(world: World, sw: SchemeWorld) -> None:
    ban = in_force(sw)
    services.remove_premises(sw.scheme, sw.coordinator, premises=sw.premises[1])
    assert Ban.objects.get(pk=ban.pk).incident_at == sw.premises[0]
    assert Premises.objects.filter(pk=sw.premises[1].pk, left_on__isnull=False).exists()
