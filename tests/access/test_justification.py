"""Sensitive records ask for a justification first; it is written with every consultation."""

from __future__ import annotations

from csphub.access.vocabulary import Caveat, Sensitivity
from csphub.audit.models import AuditEntry, Operation
from tests.factories import World, make_person, verified_client


def test_a_sensitive_record_asks_why_then_logs_the_answer(world: World) -> None:
    officer = world["police_officer"]
    person = make_person(officer, sensitivity=Sensitivity.DOMESTIC_ABUSE, caveat=Caveat.OFFICIAL_SENSITIVE)
    client = verified_client(officer)
    page = f"/register/people/{person.uuid}/"
    response = client.get(page)
    assert response.status_code == 302 and response["Location"].startswith(f"/access/records/{person.uuid}/justify/")
    assert not AuditEntry.objects.filter(record_id=str(person.uuid), action=Operation.CONSULTATION).exists()
    form = client.get(response["Location"])
    assert form.status_code == 200 and "Why do you need to see this record?" in form.content.decode()
    too_short = client.post(response["Location"], {"justification": "because", "next": page})
    assert too_short.status_code == 200 and "Write at least" in too_short.content.decode()
    done = client.post(response["Location"], {"justification": "Preparing the MARAC referral", "next": page})
    assert done.status_code == 302 and done["Location"] == page
    assert client.get(page).status_code == 200
    entry = AuditEntry.objects.filter(record_id=str(person.uuid), action=Operation.CONSULTATION).get()
    assert entry.justification == "Preparing the MARAC referral"


def test_the_justification_page_does_not_reveal_records_the_user_cannot_see(world: World) -> None:
    person = make_person(world["council_officer"])
    response = verified_client(world["police_officer"]).get(f"/access/records/{person.uuid}/justify/")
    assert response.status_code == 404
