"""A log written before the chain was keyed: its entries stay verifiable (hash version 1), new ones are keyed."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from csphub.audit import log
from csphub.audit.chain import hash_template, link_hash
from csphub.audit.models import AuditEntry, ChainHead, Operation
from tests.environment import run_python


def _legacy_rows(n: int, start_seq: int, prev: str) -> list[AuditEntry]:
    """Entries as the unkeyed chain wrote them (SHA-256, {"v": 1})."""
    rows = []
    for seq in range(start_seq, start_seq + n):
        fields: dict[str, Any] = {
            "at": timezone.now(),
            "action": "consultation",
            "actor_id": None,
            "actor_username": "system:old",
            "agency_uuid": "",
            "agency_name": "",
            "channel": "cli",
            "request_id": f"old-{seq}",
            "record_type": "registers.person",
            "record_id": "p",
            "related_type": "",
            "related_id": "",
            "summary": f"Opened ünïcödé {seq}",
            "justification": "",
            "basis": "",
            "recipients": [],
            "detail": {},
            "before": None,
            "after": None,
        }
        digest = link_hash(hash_template(fields, 1), seq, prev, 1, None)
        rows.append(AuditEntry(**fields, seq=seq, prev_hash=prev, hash=digest, hash_version=1))
        prev = digest
    return rows


def _run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def legacy_log(db: None, tmp_path: Path, settings: Any) -> int:
    settings.CSPHUB_AUDIT_CHECKPOINT_DIR = tmp_path
    head = ChainHead.objects.get()
    rows = _legacy_rows(4, head.last_seq + 1, head.last_hash)
    AuditEntry.objects.bulk_create(rows)
    ChainHead.objects.filter(id=1).update(last_seq=rows[-1].seq, last_hash=rows[-1].hash)
    return rows[-1].seq


def test_it_verifies_old_unkeyed_entries_and_keys_the_new_ones(legacy_log: int, tmp_path: Path) -> None:
    event = log.Event(Operation.CONSULTATION, "registers.person", "p", "Opened")
    written = log.write(event, event)
    assert [e.hash_version for e in AuditEntry.objects.filter(seq__gt=legacy_log)] == [2, 2]
    assert written[0].prev_hash == AuditEntry.objects.get(seq=legacy_log).hash
    code, out, _ = _run("verify")
    assert code == 0 and "unkeyed from before the key" in out
    assert _run("checkpoint")[0] == 0
    (path,) = tmp_path.glob("*.json")
    assert json.loads(path.read_text())["keyed_from"] == legacy_log + 1


def test_it_catches_a_keyed_tail_rewritten_unkeyed_from_the_first_keyed_entry(legacy_log: int) -> None:
    # Without a checkpoint, rewriting every keyed entry as v1 looks like a log never keyed; a checkpoint that says
    # where the keyed chain starts catches it.
    event = log.Event(Operation.CONSULTATION, "registers.person", "p", "Opened")
    log.write(event, event)
    assert _run("checkpoint")[0] == 0
    from django.db import connection

    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("DROP TRIGGER audit_entry_no_update")
            cur.execute("DROP TRIGGER audit_head_forward_only")
        else:
            cur.execute("DROP TRIGGER audit_entry_no_update ON audit_auditentry")
            cur.execute("DROP TRIGGER audit_head_guard ON audit_chainhead")
        prev = AuditEntry.objects.get(seq=legacy_log).hash
        for entry in AuditEntry.objects.filter(seq__gt=legacy_log).order_by("seq"):
            fields = {f.attname: getattr(entry, f.attname) for f in AuditEntry._meta.concrete_fields}
            digest = link_hash(hash_template(fields, 1), entry.seq, prev, 1, None)
            cur.execute(
                "UPDATE audit_auditentry SET prev_hash = %s, hash = %s, hash_version = 1 WHERE seq = %s",
                [prev, digest, entry.seq],
            )
            prev = digest
        cur.execute("UPDATE audit_chainhead SET last_hash = %s WHERE id = 1", [prev])
    code, _, err = _run("verify")
    assert code == 1 and f"entry #{legacy_log + 1}:" in err and "downgrade" in err


_MIGRATE_SCRIPT = """
import django, os, sys
django.setup()
from django.core.management import call_command
from django.db import connection
call_command("migrate", "audit", "0003", verbosity=0)
sys.path.insert(0, os.getcwd())
from tests.audit.test_upgrade import _legacy_rows
with connection.cursor() as cur:
    for row in _legacy_rows(3, 1, "0" * 64):
        cur.execute(
            "INSERT INTO audit_auditentry (seq, at, action, actor_id, actor_username, agency_uuid, agency_name,"
            " channel, request_id, record_type, record_id, related_type, related_id, summary, justification, basis,"
            " recipients, detail, before, after, prev_hash, hash) VALUES"
            " (%s, %s, %s, NULL, %s, '', '', %s, %s, %s, %s, '', '', %s, '', '', '[]', '{}', NULL, NULL, %s, %s)",
            [row.seq, row.at.isoformat(), row.action, row.actor_username, row.channel, row.request_id,
             row.record_type, row.record_id, row.summary, row.prev_hash, row.hash],
        )
    cur.execute("UPDATE audit_chainhead SET last_seq = 3, last_hash = %s", [row.hash])
call_command("migrate", "audit", verbosity=0)
from csphub.audit.context import audit_context
from csphub.audit import log
from csphub.audit.models import Operation
from csphub.audit.verification import verify_log
with audit_context("cli", actor_label="upgrade"):
    log.write(log.Event(Operation.CONSULTATION, "registers.person", "p", "Opened"))
result = verify_log()
with connection.cursor() as cur:
    cur.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
    triggers = [name for (name,) in cur.fetchall()]
    cur.execute("SELECT hash_version FROM audit_auditentry ORDER BY seq")
    versions = [v for (v,) in cur.fetchall()]
import json
print(json.dumps([result.ok, result.checked, result.legacy, versions, triggers]))
"""


def test_it_upgrades_an_unkeyed_sqlite_log_and_keeps_its_triggers(tmp_path: Path) -> None:
    # On SQLite, adding hash_version rebuilds the table, which drops its triggers: 0004 installs them again.
    env = {
        "CSPHUB_ENVIRONMENT": "test",
        "DJANGO_SETTINGS_MODULE": "csphub.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'upgrade.sqlite3'}",
        "CSPHUB_AUDIT_CHECKPOINT_DIR": str(tmp_path / "checkpoints"),
    }
    result = run_python(env, "-c", _MIGRATE_SCRIPT, timeout=120)
    assert result.returncode == 0, result.stderr
    ok, checked, legacy, versions, triggers = json.loads(result.stdout.strip().splitlines()[-1])
    assert (ok, checked, legacy) == (True, 4, 3)
    assert versions == [1, 1, 1, 2]
    for name in ("audit_entry_no_update", "audit_entry_no_delete", "audit_entry_no_replace", "audit_head_no_delete"):
        assert name in triggers
