"""The Django admin is for administrators only, and edits ISAs with tick-boxes of the known codes."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from django.core import mail
from django.core.management import call_command
from django.test import Client

from csphub.audit.context import replaced
from csphub.audit.models import AuditEntry, Operation
from csphub.partnership.models import InformationSharingAgreement, Role, RoleAssignment, User
from tests.factories import PASSWORD, World, verified_client


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


class _FormValues(HTMLParser):
    """The values a browser would post from the admin's change form (inputs, ticked boxes, selected options)."""

    def __init__(self) -> None:
        super().__init__()
        self.values: list[tuple[str, str]] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name", "")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.values.append((name, a.get("value", "on" if a.get("type") == "checkbox" else "")))
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.values.append((self._select, a.get("value", "")))
        elif tag == "textarea":
            self._textarea = name
            self.values.append((name, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            name, _ = self.values.pop()
            self.values.append((name, data.lstrip("\n")))


def _change_form(client: Client, user: User) -> dict[str, Any]:
    url = f"/admin/partnership/user/{user.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    parser = _FormValues()
    parser.feed(page.content.decode())
    data: dict[str, Any] = {}
    for name, value in parser.values:
        if name in data:
            data[name] = [*data[name], value] if isinstance(data[name], list) else [data[name], value]
        else:
            data[name] = value
    data.pop("csrfmiddlewaretoken", None)
    return data


def test_finding_5_an_administrator_cannot_move_themselves_to_another_agency(world: World) -> None:
    admin_user = world["council_admin"]
    client = verified_client(admin_user)
    data = _change_form(client, admin_user)
    data["agency"] = str(world.agencies["police"].pk)
    response = client.post(f"/admin/partnership/user/{admin_user.pk}/change/", data)
    assert response.status_code == 200 and "cannot change your own agency" in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.agency == world.agencies["council"]


def test_finding_5_an_administrator_cannot_give_themselves_a_role(world: World) -> None:
    admin_user = world["council_admin"]
    client = verified_client(admin_user)
    data = _change_form(client, admin_user)
    total = int(data["role_assignments-TOTAL_FORMS"])
    data[f"role_assignments-{total - 1}-role"] = Role.PANEL_CHAIR
    response = client.post(f"/admin/partnership/user/{admin_user.pk}/change/", data)
    assert response.status_code == 200 and "cannot change your own roles" in response.content.decode()
    assert set(RoleAssignment.objects.filter(user=admin_user).values_list("role", flat=True)) == {Role.ADMINISTRATOR}


def test_finding_5_changes_to_user_accounts_are_audited_with_before_and_after(world: World) -> None:
    client = verified_client(world["council_admin"])
    officer = world["council_officer"]
    data = _change_form(client, officer)
    data["job_title"] = "Senior ASB officer"
    data["agency"] = str(world.agencies["corby"].pk)
    total = int(data["role_assignments-TOTAL_FORMS"])
    data[f"role_assignments-{total - 1}-role"] = Role.PANEL_CHAIR
    response = client.post(f"/admin/partnership/user/{officer.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    change = AuditEntry.objects.filter(record_id=str(officer.uuid), action=Operation.CONFIGURATION).latest("seq")
    rows = AuditEntry.objects.filter(record_id=str(officer.uuid), action=Operation.CONFIGURATION)
    moved = [r for r in rows if r.after and "agency_id" in r.after]
    assert moved and moved[-1].before == {"agency_id": world.agencies["council"].pk, "job_title": ""}
    assert any(r.after and r.after.get("role") == Role.PANEL_CHAIR for r in rows)
    assert change.actor_username == "council_admin"
    for entry in AuditEntry.objects.filter(record_type="partnership.user"):
        for snapshot in (entry.before or {}, entry.after or {}):
            assert "password" not in snapshot


def test_finding_5_an_administrator_cannot_set_another_agencys_password(world: World) -> None:
    client = verified_client(world["council_admin"])
    police = world["police_officer"]
    url = f"/admin/partnership/user/{police.pk}/password/"
    assert client.get(url).status_code == 403
    response = client.post(url, {"password1": "a new pass phrase 123", "password2": "a new pass phrase 123"})
    assert response.status_code == 403
    police.refresh_from_db()
    assert police.check_password(PASSWORD)
    # Their own agency's users: still allowed.
    assert client.get(f"/admin/partnership/user/{world['council_officer'].pk}/password/").status_code == 200


def test_finding_5_another_agency_gets_a_reset_link_instead(world: World) -> None:
    client = verified_client(world["council_admin"])
    police = world["police_officer"]
    response = client.post(
        "/admin/partnership/user/",
        {"action": "send_password_reset", "_selected_action": [str(police.pk)]},
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [police.email]
    link = next(w for w in mail.outbox[0].body.split() if "/accounts/reset/" in w)
    assert AuditEntry.objects.filter(
        record_id=str(police.uuid), action=Operation.SECURITY, summary__contains="reset link"
    ).exists()
    anonymous = Client()
    page = anonymous.get(link, follow=True)
    assert page.status_code == 200 and "new password" in page.content.decode().lower()


def test_finding_5_moving_a_user_to_another_agency_voids_the_password_the_administrator_may_know(
    world: World,
) -> None:
    client = verified_client(world["council_admin"])
    officer = world["council_officer"]
    data = _change_form(client, officer)
    data["agency"] = str(world.agencies["police"].pk)
    response = client.post(f"/admin/partnership/user/{officer.pk}/change/", data, follow=True)
    assert "reset link" in response.content.decode()
    officer.refresh_from_db()
    assert officer.agency == world.agencies["police"] and not officer.has_usable_password()


def test_accounts_made_by_djangos_own_commands_are_audited_as_the_system(world: World) -> None:
    with replaced(None):  # createsuperuser and changepassword run outside any audit context
        call_command("createsuperuser", interactive=False, username="root", email="root@example.org", verbosity=0)
    root = User.objects.get(username="root")
    entry = AuditEntry.objects.filter(record_id=str(root.uuid)).get()
    assert entry.actor_username == "system:accounts" and "password" not in (entry.after or {})


def test_a_password_change_is_logged_without_the_hash(world: World) -> None:
    officer = world["council_officer"]
    officer.set_password("another good pass phrase")
    officer.save()
    entry = AuditEntry.objects.filter(record_id=str(officer.uuid)).latest("seq")
    assert entry.summary == "Password changed" and officer.password not in str(entry.detail)


def test_finding_5_an_administrator_cannot_remove_their_own_role(world: World) -> None:
    admin_user = world["council_admin"]
    client = verified_client(admin_user)
    data = _change_form(client, admin_user)
    data["role_assignments-0-DELETE"] = "on"
    response = client.post(f"/admin/partnership/user/{admin_user.pk}/change/", data)
    assert response.status_code == 200 and "cannot change your own roles" in response.content.decode()
    assert RoleAssignment.objects.filter(user=admin_user, role=Role.ADMINISTRATOR).exists()
