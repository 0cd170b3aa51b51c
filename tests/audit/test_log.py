"""Writing the log: attribution, chaining, append-only at every level."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from csphub.audit import log
from csphub.audit.chain import GENESIS_HASH, entry_hash
from csphub.audit.context import AuditContextMissing, audit_context, replaced
from csphub.audit.keys import chain_key
from csphub.audit.models import AppendOnlyError, AuditEntry, ChainHead, Operation
from csphub.registers.models import Person
from tests.factories import World, make_person


def test_it_chains_each_entry_to_the_previous(world: World) -> None:
    start = ChainHead.objects.get().last_seq
    make_person(world["police_officer"])
    make_person(world["police_officer"], family_name="Jones")
    entries = list(AuditEntry.objects.filter(seq__gt=start).order_by("seq"))
    assert len(entries) == 2
    previous = AuditEntry.objects.filter(seq=start).first()
    assert entries[0].prev_hash == (previous.hash if previous else GENESIS_HASH)
    assert entries[1].prev_hash == entries[0].hash
    head = ChainHead.objects.get()
    assert (head.last_seq, head.last_hash) == (entries[1].seq, entries[1].hash)


def test_it_stores_what_it_hashed(world: World) -> None:
    make_person(world["police_officer"])
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry is not None
    fields = {f.attname: getattr(entry, f.attname) for f in AuditEntry._meta.concrete_fields}
    assert entry.hash_version == 2
    assert entry_hash(fields, chain_key()) == entry.hash


def test_it_attributes_entries_to_the_acting_user_and_agency(world: World) -> None:
    officer = world["police_officer"]
    person = make_person(officer)
    with audit_context("cli", actor=officer, request_id="req-123456", reason="Case review NN-2026-1"):
        log.write(log.Event.about(Operation.CONSULTATION, person, "Opened person"))
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry is not None
    assert entry.actor_id == officer.pk and entry.actor_username == "police_officer"
    assert entry.agency_name == "Northamptonshire Police" and entry.agency_uuid == str(world.agencies["police"].uuid)
    assert entry.request_id == "req-123456" and entry.channel == "cli"
    assert entry.justification == "Case review NN-2026-1"
    assert entry.record_id == str(person.uuid) and entry.record_type == "registers.person"


def test_it_refuses_personal_data_changes_outside_an_audit_context(world: World) -> None:
    before = Person.objects.count()
    with replaced(None), pytest.raises(AuditContextMissing):
        make_person(world["police_officer"], family_name="Nobody")
    assert Person.objects.count() == before


def test_it_refuses_to_update_or_delete_entries_through_the_orm(world: World) -> None:
    make_person(world["police_officer"])
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry is not None
    entry.summary = "changed"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(summary="changed")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()


def test_it_is_append_only_in_the_database_too(world: World) -> None:
    make_person(world["police_officer"])
    seq = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first()
    assert seq is not None
    for sql in (
        "UPDATE audit_auditentry SET summary = 'forged' WHERE seq = %s",
        "DELETE FROM audit_auditentry WHERE seq = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cur,
        ):
            cur.execute(sql, [seq])
    assert AuditEntry.objects.filter(seq=seq, summary__startswith="Recorded").exists()


@pytest.mark.parametrize(
    "key",
    [
        None,  # the settings' key (64 characters: one HMAC block)
        "a-short-key-of-thirty-three-chars",  # padded to the block
        "a long key, longer than a block of SHA-256, so that HMAC hashes it first: ünïcödé too " * 2,
    ],
)
def test_it_hashes_awkward_text_the_same_whichever_database_appends_it(
    world: World, key: str | None, settings: Any
) -> None:
    # PostgreSQL computes the HMAC in the database (csphub_audit_append, from PostgreSQL's own sha256()), SQLite in
    # Python: both must key-hash the canonical JSON that verification recomputes, whatever the text and the key.
    if key is not None:
        settings.CSPHUB_AUDIT_KEY = key
    officer = world["police_officer"]
    person = make_person(officer)
    awkward = 'He said "get out", \\ {not json} — naïve café 😀 \n\t 50% ; DROP TABLE x; \u2028'
    with audit_context("cli", actor=officer, reason=awkward):
        written = log.write(
            log.Event.about(Operation.CONSULTATION, person, awkward, detail={"z": [1, 2.5, None], "a": awkward}),
            log.Event.about(Operation.ALTERATION, person, "Changed", before={"n": "é"}, after=None),
        )
    stored = list(AuditEntry.objects.filter(seq__in=[e.seq for e in written]).order_by("seq"))
    assert [e.hash for e in stored] == [e.hash for e in written]
    assert stored[0].summary == awkward and stored[0].justification == awkward and stored[0].detail["a"] == awkward
    assert stored[1].before == {"n": "é"} and stored[1].after is None
    assert stored[1].prev_hash == stored[0].hash
    for entry in stored:
        fields = {f.attname: getattr(entry, f.attname) for f in AuditEntry._meta.concrete_fields}
        assert entry.hash_version == 2
        assert entry_hash(fields, chain_key()) == entry.hash
        assert entry_hash(fields, b"another key of at least thirty-two bytes") != entry.hash
    head = ChainHead.objects.get()
    assert (head.last_seq, head.last_hash) == (stored[1].seq, stored[1].hash)
