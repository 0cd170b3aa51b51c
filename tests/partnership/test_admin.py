"""The Django admin is for administrators only, and edits ISAs with tick-boxes of the known codes."""

from __future__ import annotations

from django.test import Client

from csphub.audit.models import AuditEntry, Operation
from csphub.partnership.models import InformationSharingAgreement
from tests.factories import World, verified_client


def test_only_administrators_reach_the_admin(world: World) -> None:
    assert verified_client(world["council_admin"]).get("/admin/").status_code == 200
    manager = world["council_manager"]
    manager.is_staff = True
    manager.save()
    assert verified_client(manager).get("/admin/").status_code == 302  # staff, but not an administrator
    assert Client().get("/admin/").status_code == 302


def test_an_administrator_records_an_isa_and_the_change_is_audited(world: World) -> None:
    client = verified_client(world["council_admin"])
    response = client.post(
        "/admin/partnership/informationsharingagreement/add/",
        {
            "partnership": world.agencies["police"].partnership_id,
            "reference": "ISA-9",
            "title": "Night-time economy",
            "parties": [world.agencies["police"].pk, world.agencies["pubwatch"].pk],
            "purposes": ["nte"],
            "data_categories": ["personal"],
            "lawful_bases": ["art6_1e"],
            "valid_from": "2026-01-01",
            "valid_to": "",
            "signed_off_by": "CSP board",
            "notes": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    isa = InformationSharingAgreement.objects.get(reference="ISA-9")
    assert isa.purposes == ["nte"] and isa.parties.count() == 2
    assert AuditEntry.objects.filter(action=Operation.CONFIGURATION, record_id=str(isa.uuid)).exists()
    bad = client.post(
        "/admin/partnership/informationsharingagreement/add/",
        {"reference": "ISA-10", "title": "x", "purposes": ["bogus"], "valid_from": "2026-01-01"},
    )
    assert bad.status_code == 200 and "Select a valid choice" in bad.content.decode()
