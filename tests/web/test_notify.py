"""E-mail notifications of deadlines and assignments: per-user preferences, sent once, through visible_to."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from csphub.cases import services
from csphub.partnership.models import User
from csphub.web.models import NotificationPreference
from csphub.web.notify import notify
from tests.cases.factories import make_case
from tests.factories import World, make_place, verified_client

LOCMEM = override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")


def _with_email(user: User) -> User:
    user.email = f"{user.username}@example.org"
    user.save(update_fields=["email"])
    return user


def _closure(officer: User) -> str:
    case = make_case(officer, title="Closure at 9 Secret Street")
    served = timezone.now() - dt.timedelta(hours=20)
    services.record_power(
        case,
        officer,
        power="closure_notice",
        action="served",
        on=served,
        place=make_place(officer, address="9 Secret Street, Kettering"),
        until=served + dt.timedelta(hours=24),
    )
    return case.reference


@LOCMEM
def test_it_emails_new_assignments_and_deadlines_once(world: World) -> None:
    officer = _with_email(world["council_officer"])
    case = make_case(officer, title="Noise at 4 Digby Street")
    services.add_action(
        case,
        officer,
        title="Visit Mrs Jones",
        due_on=timezone.localdate() + dt.timedelta(days=2),
        assigned_agency=world.agencies["council"],
        assigned_officer=officer,
    )
    closure_case = _closure(officer)
    mail.outbox.clear()
    out = StringIO()
    call_command("notify", stdout=out)
    mine = [m for m in mail.outbox if m.to == [officer.email]]
    assert len(mine) == 1
    body = mine[0].body
    assert case.reference in body and "assigned to you" in body
    assert closure_case in body and "ASB powers deadline" in body
    # case references and dates only: no titles, people or addresses in an e-mail
    assert "Mrs Jones" not in body and "Secret Street" not in body and "Digby" not in body
    assert "sent to" in out.getvalue()
    mail.outbox.clear()
    call_command("notify", stdout=StringIO())  # safe to re-run: nothing new, nothing sent
    assert [m for m in mail.outbox if m.to == [officer.email]] == []


@LOCMEM
def test_it_follows_each_users_preferences(world: World) -> None:
    officer = _with_email(world["council_officer"])
    NotificationPreference.objects.create(user=officer, deadlines=False, assignments=True)
    _closure(officer)
    mail.outbox.clear()
    notify()
    assert [m for m in mail.outbox if m.to == [officer.email]] == []


@LOCMEM
def test_it_tells_nobody_of_cases_they_may_not_see(world: World) -> None:
    outsider = _with_email(world["corby_officer"])
    _closure(world["council_officer"])
    mail.outbox.clear()
    notify()
    assert [m for m in mail.outbox if m.to == [outsider.email]] == []


def test_the_preferences_page_saves_the_users_choice(world: World) -> None:
    officer = world["council_officer"]
    client = verified_client(officer)
    page = client.get("/notifications/").content.decode()
    assert "E-mail notifications" in page and "Deadlines" in page
    response = client.post("/notifications/", {"assignments": "on"})
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=officer)
    assert preference.assignments and not preference.deadlines
