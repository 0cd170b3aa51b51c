"""`csphub audit verify`: exit 0 on an intact log; non-zero naming the first bad row after raw-SQL tampering.

Finding 7 of issue 18: a tail rewritten and re-hashed, a truncation (the last rows deleted and the head moved back)
and an ``INSERT OR REPLACE`` all passed verify. Here each is done as a database administrator would, triggers
dropped first, with a checkpoint written beforehand outside the database, and each is caught.
"""

from __future__ import annotations

import hashlib
import hmac
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.db.models import JSONField

from csphub.audit import log
from csphub.audit.chain import GENESIS_HASH as GENESIS
from csphub.audit.chain import HASHED_FIELDS, hash_template
from csphub.audit.keys import chain_key
from csphub.audit.models import AuditEntry, ChainHead, Operation
from tests.factories import World, make_person


def _verify(*args: str) -> tuple[int, str, str]:
    return _run("verify", *args)


def _run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture(autouse=True)
def _checkpoints(tmp_path: Path, settings: Any) -> Path:
    """Every test here has its own checkpoint directory (never the checkout's var/)."""
    settings.CSPHUB_AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    return tmp_path / "checkpoints"


def _drop_triggers() -> None:
    """What a privileged attacker would do first: the triggers refuse the raw edits otherwise."""
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            for name in (
                "audit_entry_no_update",
                "audit_entry_no_delete",
                "audit_entry_no_replace",
                "audit_head_forward_only",
            ):
                cur.execute(f"DROP TRIGGER {name}")
        else:
            cur.execute("DROP TRIGGER audit_entry_no_update ON audit_auditentry")
            cur.execute("DROP TRIGGER audit_head_guard ON audit_chainhead")


def _forge(fields: dict[str, Any], *, how: str) -> tuple[str, int]:
    """The hash a forger gives a changed entry: plain SHA-256 (no key), keeping v2 or downgrading to v1; or, for
    someone who holds the audit key, the right HMAC."""
    link = {k: v for k, v in fields.items() if k in HASHED_FIELDS}
    version = 1 if how == "sha256-as-v1" else 2
    a, b, c = hash_template({k: v for k, v in link.items() if k not in ("seq", "prev_hash")}, version)
    text = f"{a}{link['prev_hash']}{b}{link['seq']}{c}".encode()
    if how == "with-the-key":
        return hmac.new(chain_key(), text, hashlib.sha256).hexdigest(), version
    return hashlib.sha256(text).hexdigest(), version


def _rewrite_tail(first: int, *, how: str) -> None:
    """Change every entry from ``first`` on, re-hash each and re-link the chain, and move the head to the new
    last hash: a whole-tail rewrite that leaves a consistent-looking chain."""
    rows = list(AuditEntry.objects.filter(seq__gte=first).order_by("seq").values(*HASHED_FIELDS, "hash"))
    prev = AuditEntry.objects.filter(seq=first - 1).values_list("hash", flat=True).first()
    assert prev is not None
    with connection.cursor() as cur:
        for row in rows:
            row.update(prev_hash=prev, summary="Nothing to see", actor_username="someone-else")
            new_hash, version = _forge(row, how=how)
            cur.execute(
                "UPDATE audit_auditentry SET summary = %s, actor_username = %s, prev_hash = %s, hash = %s,"
                " hash_version = %s WHERE seq = %s",
                [row["summary"], row["actor_username"], prev, new_hash, version, row["seq"]],
            )
            prev = new_hash
        cur.execute("UPDATE audit_chainhead SET last_hash = %s WHERE id = 1", [prev])


def _write(n: int) -> None:
    event = log.Event(Operation.CONSULTATION, "registers.person", "00000000-0000-0000-0000-000000000001", "Opened")
    log.write(*([event] * n))


def _checkpoint(directory: Path) -> None:
    code, out, err = _run("checkpoint", "--out", str(directory))
    assert code == 0, err
    assert "checkpoint written" in out


@pytest.fixture
def logged(world: World) -> list[int]:
    for name in ("Smith", "Jones", "Brown", "Taylor"):
        make_person(world["police_officer"], family_name=name)
    return list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True))


def test_it_passes_an_intact_log(logged: list[int]) -> None:
    code, out, _ = _verify()
    assert code == 0
    assert f"{len(logged):,} entries" in out


def test_it_names_the_row_edited_with_raw_sql(logged: list[int]) -> None:
    target = logged[len(logged) // 2]
    _drop_triggers()
    with connection.cursor() as cur:
        cur.execute("UPDATE audit_auditentry SET actor_username = 'someone-else' WHERE seq = %s", [target])
    code, _, err = _verify()
    assert code == 1
    assert f"entry #{target}" in err and "altered" in err


def test_it_names_the_gap_after_a_row_is_deleted_with_raw_sql(logged: list[int]) -> None:
    target = logged[2]
    _drop_triggers()
    with connection.cursor() as cur:
        cur.execute("DELETE FROM audit_auditentry WHERE seq = %s", [target])
    code, _, err = _verify()
    assert code == 1
    assert f"#{target + 1}" in err and "missing" in err


def test_it_detects_rows_swapped_with_raw_sql(logged: list[int]) -> None:
    a, b = logged[1], logged[2]
    _drop_triggers()
    with connection.cursor() as cur:
        cur.execute("UPDATE audit_auditentry SET seq = 999999999999 WHERE seq = %s", [a])
        cur.execute("UPDATE audit_auditentry SET seq = %s WHERE seq = %s", [a, b])
        cur.execute("UPDATE audit_auditentry SET seq = %s WHERE seq = 999999999999", [b])
    code, _, err = _verify()
    assert code == 1
    assert f"#{a}" in err


def test_it_passes_an_intact_log_with_its_checkpoints(logged: list[int], _checkpoints: Path) -> None:
    _checkpoint(_checkpoints)
    _write(3)
    _checkpoint(_checkpoints)
    code, out, _ = _verify()
    assert code == 0
    assert "2 signed checkpoints agree with the log" in out


def test_it_warns_when_there_is_no_checkpoint(logged: list[int]) -> None:
    code, _, err = _verify()
    assert code == 0 and "no checkpoints" in err


@pytest.mark.parametrize("how", ["sha256-as-v2", "sha256-as-v1"])
def test_finding_7_a_tail_rewrite_is_caught(logged: list[int], _checkpoints: Path, how: str) -> None:
    _write(20)
    _checkpoint(_checkpoints)
    last = ChainHead.objects.get().last_seq
    first = last - 9
    _drop_triggers()
    _rewrite_tail(first, how=how)
    code, _, err = _verify()
    assert code == 1
    assert f"entry #{first}:" in err  # the first rewritten entry, named
    assert f"entry #{last} no longer has the hash" in err  # and the checkpoint disagrees too


def test_finding_7_a_tail_rewrite_by_someone_holding_the_key_is_caught_by_the_checkpoint(
    logged: list[int], _checkpoints: Path
) -> None:
    _write(20)
    _checkpoint(_checkpoints)
    last = ChainHead.objects.get().last_seq
    _drop_triggers()
    _rewrite_tail(last - 9, how="with-the-key")
    code, _, err = _verify()
    assert code == 1
    assert f"at entry #{last}: checkpoint csphub-audit-{last:012d}.json" in err
    assert "rewritten" in err


def test_finding_7_a_truncation_is_caught(logged: list[int], _checkpoints: Path) -> None:
    _write(60)
    _checkpoint(_checkpoints)
    last = ChainHead.objects.get().last_seq
    keep = last - 50
    _drop_triggers()
    with connection.cursor() as cur:
        cur.execute("DELETE FROM audit_auditentry WHERE seq > %s", [keep])
        new_head = AuditEntry.objects.get(seq=keep).hash
        cur.execute("UPDATE audit_chainhead SET last_seq = %s, last_hash = %s WHERE id = 1", [keep, new_head])
    code, _, err = _verify()
    assert code == 1
    assert f"at entry #{keep + 1}" in err and f"csphub-audit-{last:012d}.json" in err
    assert f"entries #{keep + 1}–#{last} were removed" in err


def test_finding_7_a_truncation_then_new_entries_is_caught(logged: list[int], _checkpoints: Path) -> None:
    _write(60)
    _checkpoint(_checkpoints)
    last = ChainHead.objects.get().last_seq
    _drop_triggers()
    with connection.cursor() as cur:
        cur.execute("DELETE FROM audit_auditentry WHERE seq > %s", [last - 50])
        new_head = AuditEntry.objects.get(seq=last - 50).hash
        cur.execute("UPDATE audit_chainhead SET last_seq = %s, last_hash = %s WHERE id = 1", [last - 50, new_head])
    _write(55)  # the log grows past the checkpoint again, through the proper path: the chain itself is intact
    code, _, err = _verify()
    assert code == 1
    assert f"at entry #{last}: checkpoint csphub-audit-{last:012d}.json" in err


@pytest.mark.parametrize(
    "sql",
    [
        "INSERT OR REPLACE INTO audit_auditentry ({cols}) SELECT {cols} FROM audit_auditentry WHERE seq = %s",
        "REPLACE INTO audit_auditentry ({cols}) SELECT {cols} FROM audit_auditentry WHERE seq = %s",
        "INSERT INTO audit_auditentry ({cols}) SELECT {cols} FROM audit_auditentry WHERE seq = %s AND true"
        " ON CONFLICT(seq) DO UPDATE SET summary = 'forged'",
    ],
    ids=["insert-or-replace", "replace-into", "upsert"],
)
def test_finding_7_insert_or_replace_and_upsert_are_refused(logged: list[int], sql: str) -> None:
    if connection.vendor != "sqlite" and not sql.startswith("INSERT INTO"):
        pytest.skip("REPLACE is SQLite's")
    cols = ", ".join(f.column for f in AuditEntry._meta.concrete_fields)
    seq = logged[-1]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql.format(cols=cols), [seq])
    assert AuditEntry.objects.filter(seq=seq).exclude(summary="forged").count() == 1


def test_finding_7_an_insert_or_replace_is_caught(logged: list[int], _checkpoints: Path) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("INSERT OR REPLACE is SQLite's (PostgreSQL's ON CONFLICT DO UPDATE fires the UPDATE trigger)")
    _write(5)
    _checkpoint(_checkpoints)
    last = ChainHead.objects.get().last_seq
    _drop_triggers()  # the REPLACE trigger included: without it REPLACE deletes the old row, firing no trigger
    row = AuditEntry.objects.filter(seq=last).values(*(f.attname for f in AuditEntry._meta.concrete_fields)).get()
    row.update(summary="Nothing to see", actor_username="someone-else")
    row["hash"], row["hash_version"] = _forge(row, how="sha256-as-v2")
    cols = [f.column for f in AuditEntry._meta.concrete_fields]
    values = [
        connection.ops.adapt_json_value(row[f.attname], None) if isinstance(f, JSONField) else row[f.attname]
        for f in AuditEntry._meta.concrete_fields
    ]
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT OR REPLACE INTO audit_auditentry ({', '.join(cols)}) VALUES ({', '.join(['%s'] * len(cols))})",
            values,
        )
        cur.execute("UPDATE audit_chainhead SET last_hash = %s WHERE id = 1", [row["hash"]])
    assert AuditEntry.objects.get(seq=last).summary == "Nothing to see"  # replaced, no trigger fired
    code, _, err = _verify()
    assert code == 1
    assert f"entry #{last}:" in err and "altered" in err
    assert f"entry #{last} no longer has the hash" in err


def test_finding_7_the_chain_head_only_moves_forward(logged: list[int]) -> None:
    head = ChainHead.objects.get()
    earlier = AuditEntry.objects.get(seq=head.last_seq - 1)
    attempts: list[tuple[str, list[Any]]] = [
        ("UPDATE audit_chainhead SET last_seq = %s, last_hash = %s WHERE id = 1", [earlier.seq, earlier.hash]),
        ("UPDATE audit_chainhead SET last_hash = %s WHERE id = 1", ["f" * 64]),
        ("UPDATE audit_chainhead SET last_seq = %s, last_hash = %s WHERE id = 1", [head.last_seq + 1, "f" * 64]),
        ("DELETE FROM audit_chainhead", []),
        ("INSERT INTO audit_chainhead (id, last_seq, last_hash) VALUES (2, 0, %s)", ["0" * 64]),
    ]
    for sql, params in attempts:
        with pytest.raises(DatabaseError, match="chain head"), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql, params)
    if connection.vendor == "sqlite":
        with pytest.raises(DatabaseError, match="chain head"), transaction.atomic(), connection.cursor() as cur:
            cur.execute("INSERT OR REPLACE INTO audit_chainhead (id, last_seq, last_hash) VALUES (1, 0, %s)", [GENESIS])
    else:
        with pytest.raises(DatabaseError, match="chain head"), transaction.atomic(), connection.cursor() as cur:
            cur.execute("TRUNCATE audit_chainhead")
    assert (ChainHead.objects.get().last_seq, ChainHead.objects.get().last_hash) == (head.last_seq, head.last_hash)


def test_it_fails_verification_under_another_key(logged: list[int], settings: Any) -> None:
    settings.CSPHUB_AUDIT_KEY = "not the key this log was written with, though long enough"
    code, _, err = _verify()
    assert code == 1 and "audit key" in err
