"""Who sees intelligence: the police (within the intelligence role limits) and named SOC leads; others get 404."""

from __future__ import annotations

import pytest

from csphub.audit.models import AuditEntry, Operation
from csphub.intelligence import services
from csphub.intelligence.models import CountyLine
from csphub.partnership.models import Role, RoleAssignment
from tests.factories import World, verified_client
from tests.intelligence.factories import make_network

WHY = "Preparing the county lines tasking meeting"


def _get(client: object, url: str) -> int:
    status: int = client.get(url).status_code  # type: ignore[attr-defined]
    return status


def _justified(username: str, world: World, uuid: object) -> object:
    client = verified_client(world[username])
    client.post(f"/access/records/{uuid}/justify/", {"justification": WHY, "next": "/"})
    return client


@pytest.mark.parametrize("username", ["police_manager", "police_chair", "soc_lead", "soc_analyst"])
def test_police_intelligence_and_named_leads_see_the_line_the_group_and_the_nominal(
    world: World, username: str
) -> None:
    net = make_network(world)
    for record in (net.line, net.group, net.member):
        client = _justified(username, world, record.uuid)
        assert _get(client, record.get_absolute_url()) == 200


@pytest.mark.parametrize(
    "username", ["council_officer", "council_manager", "health_officer", "pastor", "fire_partner", "police_officer"]
)
def test_everyone_else_gets_404_on_the_line_the_group_and_the_nominal(world: World, username: str) -> None:
    net = make_network(world)
    for record in (net.line, net.group, net.member):
        client = _justified(username, world, record.uuid)
        assert _get(client, record.get_absolute_url()) in (403, 404) if username == "pastor" else 404
    assert _get(verified_client(world[username]), "/intelligence/lines/") == 403


@pytest.mark.parametrize("username", ["council_manager", "council_officer", "health_officer", "pastor", "fire_partner"])
def test_the_board_sees_counts_by_district_and_no_names(world: World, username: str) -> None:
    make_network(world, line_name="Zebedee", group_name="Quillgroup")
    page = verified_client(world[username]).get("/intelligence/counts/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Kettering" in body and "Zebedee" not in body and "Quillgroup" not in body
    assert "intelligence/lines" not in body


def test_opening_a_line_asks_for_a_justification_and_logs_it(world: World) -> None:
    net = make_network(world)
    client = verified_client(world["soc_lead"])
    first = client.get(net.line.get_absolute_url())
    assert first.status_code == 302 and "/justify/" in first["Location"]
    client.post(f"/access/records/{net.line.uuid}/justify/", {"justification": WHY, "next": "/"})
    assert client.get(net.line.get_absolute_url()).status_code == 200
    entry = AuditEntry.objects.filter(record_id=str(net.line.uuid), action=Operation.CONSULTATION).latest("seq")
    assert entry.justification == WHY and entry.basis == "named serious organised crime lead"


def test_a_partnership_manager_names_a_lead_and_the_naming_is_audited(world: World) -> None:
    net = make_network(world)
    officer = world["corby_officer"]
    assert not CountyLine.objects.visible_to(officer).filter(pk=net.line.pk).exists()
    client = verified_client(world["council_manager"])
    response = client.post("/intelligence/leads/", {"user": str(officer.uuid), "action": "add"})
    assert response.status_code == 302
    officer.refresh_roles()
    assert CountyLine.objects.visible_to(officer).filter(pk=net.line.pk).exists()
    assert AuditEntry.objects.filter(record_id=str(officer.uuid), summary__icontains="role assignment").exists()
    client.post("/intelligence/leads/", {"user": str(officer.uuid), "action": "remove"})
    assert not RoleAssignment.objects.filter(user=officer, role=Role.SOC_LEAD).exists()
    assert verified_client(world["council_officer"]).get("/intelligence/leads/").status_code == 403


def test_a_volunteer_cannot_be_named_a_lead(world: World) -> None:
    with pytest.raises(Exception, match="statutory"):
        services.designate_soc_lead(world["pastor"], world["council_manager"])
