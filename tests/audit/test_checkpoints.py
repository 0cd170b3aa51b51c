"""`csphub audit checkpoint`: signed checkpoints of the chain's head, written outside the database."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from csphub.audit import checkpoints, log
from csphub.audit.keys import checkpoint_key, key_id
from csphub.audit.models import AuditEntry, ChainHead, Operation
from csphub.audit.verification import verify_log


def _run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def _write(n: int) -> None:
    event = log.Event(Operation.CONSULTATION, "registers.person", "00000000-0000-0000-0000-000000000001", "Opened")
    log.write(*([event] * n))


@pytest.fixture
def directory(tmp_path: Path, settings: Any, db: None) -> Path:
    settings.CSPHUB_AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    _write(5)
    return tmp_path / "checkpoints"


def test_it_writes_a_signed_checkpoint_of_the_head(directory: Path) -> None:
    code, out, _ = _run("checkpoint")
    assert code == 0 and "checkpoint written" in out
    head = ChainHead.objects.get()
    (path,) = directory.glob("*.json")
    assert path.name == f"csphub-audit-{head.last_seq:012d}.json"
    data = json.loads(path.read_text())
    assert data["head_seq"] == head.last_seq and data["head_hash"] == head.last_hash
    assert data["count"] == AuditEntry.objects.count() and data["keyed_from"] == 1
    assert data["key_id"] == key_id(checkpoint_key()) and len(data["signature"]) == 64
    assert checkpoints.loads(path.read_text(), checkpoint_key()).head_seq == head.last_seq


def test_it_is_safe_to_re_run(directory: Path) -> None:
    assert _run("checkpoint")[0] == 0
    first = {p.name: p.read_text() for p in directory.glob("*.json")}
    code, out, _ = _run("checkpoint")
    assert code == 0 and "unchanged" in out
    assert {p.name: p.read_text() for p in directory.glob("*.json")} == first
    _write(2)
    code, out, _ = _run("checkpoint", "--out", str(directory))
    assert code == 0 and "checkpoint written" in out and "2 entries checked" in out
    assert len(list(directory.glob("*.json"))) == 2


def test_it_writes_nothing_over_a_log_that_fails_verification(directory: Path) -> None:
    assert _run("checkpoint")[0] == 0
    _write(3)
    with connection.cursor() as cur:
        on = " ON audit_auditentry" if connection.vendor != "sqlite" else ""
        cur.execute(f"DROP TRIGGER audit_entry_no_update{on}")
        last = ChainHead.objects.get().last_seq
        cur.execute("UPDATE audit_auditentry SET summary = 'forged' WHERE seq = %s", [last])
    before = sorted(p.name for p in directory.glob("*.json"))
    code, _, err = _run("checkpoint")
    assert code == 1 and "no checkpoint written" in err and "altered" in err
    assert sorted(p.name for p in directory.glob("*.json")) == before


def test_it_never_replaces_a_checkpoint_file(directory: Path) -> None:
    point = checkpoints.make(3, "a" * 64, 3, 1, timezone.now(), "id")
    checkpoints.write(directory, point, checkpoint_key())
    other = checkpoints.make(3, "b" * 64, 3, 1, timezone.now(), "id")
    with pytest.raises(FileExistsError):
        checkpoints.write(directory, other, checkpoint_key())
    assert checkpoints.loads((directory / point.filename).read_text(), checkpoint_key()).head_hash == "a" * 64
    assert not list(directory.glob(".checkpoint-*"))


def test_verify_reports_a_checkpoint_with_a_bad_signature(directory: Path) -> None:
    assert _run("checkpoint")[0] == 0
    (path,) = directory.glob("*.json")
    data = json.loads(path.read_text())
    data["count"] += 1  # any change breaks the signature
    path.write_text(json.dumps(data))
    code, _, err = _run("verify")
    assert code == 1 and path.name in err and "signature is bad" in err
    assert not verify_log().ok
    code, _, err = _run("checkpoint")  # nor is a new one written beside it
    assert code == 1 and "signature is bad" in err


def test_verify_reports_a_file_that_is_not_a_checkpoint(directory: Path) -> None:
    directory.mkdir(parents=True)
    (directory / "notes.json").write_text("{}")
    code, _, err = _run("verify")
    assert code == 1 and "notes.json" in err


def test_a_separate_checkpoint_key_signs_the_checkpoints(directory: Path, settings: Any) -> None:
    settings.CSPHUB_AUDIT_CHECKPOINT_KEY = "a checkpoint key of its own, at least 32 characters"
    assert _run("checkpoint")[0] == 0
    assert _run("verify")[0] == 0
    settings.CSPHUB_AUDIT_CHECKPOINT_KEY = None  # derived from the chain key: not the key that signed them
    code, _, err = _run("verify")
    assert code == 1 and "another checkpoint key" in err


def test_the_web_page_verification_checks_the_checkpoints_too(directory: Path) -> None:
    assert _run("checkpoint")[0] == 0
    result = verify_log()
    assert result.ok and result.checkpoints == 1
