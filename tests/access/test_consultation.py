"""Opening a record for a person: deciding is a pure read; the framework layer gates and logs the opening."""

from __future__ import annotations

import pytest

from csphub.access import consultation
from csphub.access.models import JustificationRequired
from csphub.access.vocabulary import Caveat, Sensitivity, Verb
from csphub.audit.context import audit_context
from csphub.audit.models import AuditEntry, Operation
from csphub.audit.verification import verify_log
from csphub.registers.models import Person
from tests.factories import World, make_person


def test_it_decides_access_without_writing_to_the_log(world: World) -> None:
    officer = world["police_officer"]
    person = make_person(officer, sensitivity=Sensitivity.DOMESTIC_ABUSE, caveat=Caveat.OFFICIAL_SENSITIVE)
    before = AuditEntry.objects.count()
    with audit_context("test", actor=officer):
        fetched = Person.objects.fetch(officer, Verb.VIEW, uuid=person.uuid)
    assert fetched == person
    assert fetched.access_decision is not None and fetched.access_decision.basis == "owning agency"
    assert AuditEntry.objects.count() == before  # a read, even of a sensitive record, writes nothing


def test_consulting_a_sensitive_record_needs_a_written_justification(world: World) -> None:
    officer = world["police_officer"]
    person = make_person(officer, sensitivity=Sensitivity.DOMESTIC_ABUSE, caveat=Caveat.OFFICIAL_SENSITIVE)
    with audit_context("test", actor=officer), pytest.raises(JustificationRequired):
        consultation.open_record(Person.objects.all(), officer, Verb.VIEW, uuid=person.uuid)
    with audit_context("test", actor=officer, justifications=((str(person.uuid), "MARAC on Tuesday"),)):
        assert consultation.open_record(Person.objects.all(), officer, Verb.VIEW, uuid=person.uuid) == person
    entry = AuditEntry.objects.filter(record_id=str(person.uuid), action=Operation.CONSULTATION).get()
    assert entry.justification == "MARAC on Tuesday"
    assert verify_log().ok


def test_it_opens_a_general_record_without_a_justification_and_logs_its_basis(world: World) -> None:
    officer = world["police_officer"]
    person = make_person(officer, parties=(world.agencies["fire"],))
    partner = world["fire_partner"]
    with audit_context("test", actor=partner):
        assert consultation.open_record(Person.objects.all(), partner, Verb.VIEW, uuid=person.uuid) == person
    entry = AuditEntry.objects.filter(record_id=str(person.uuid), action=Operation.CONSULTATION).get()
    assert entry.basis == "party agency"
    assert entry.actor_username == partner.username


def test_it_refuses_a_queryset_of_records_the_policy_does_not_govern(world: World) -> None:
    from csphub.partnership.models import Agency

    with pytest.raises(TypeError, match="not a governed record"):
        consultation.open_record(Agency.objects.all(), world["police_officer"], Verb.VIEW, pk=1)  # type: ignore[type-var]
