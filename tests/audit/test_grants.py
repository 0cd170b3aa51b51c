"""PostgreSQL: under the application's role (``csphub audit grant-sql``) the log can be read and appended to, but
not updated, deleted or truncated, and the chain head cannot be moved (finding 7 of issue 18)."""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from csphub.audit import log
from csphub.audit.grants import grant_sql
from csphub.audit.models import AuditEntry, ChainHead, Operation
from csphub.audit.verification import verify_log


def test_it_prints_the_grants_for_an_app_role() -> None:
    out = io.StringIO()
    call_command("audit", "grant-sql", "--app-role", "csphub_app", "--owner-role", "csphub_owner", stdout=out)
    sql = out.getvalue()
    assert 'GRANT SELECT ON TABLE "public".audit_auditentry, "public".audit_chainhead TO "csphub_app";' in sql
    assert 'GRANT EXECUTE ON FUNCTION "public".csphub_audit_append(jsonb, bytea) TO "csphub_app";' in sql
    assert 'ALTER TABLE "public".audit_auditentry OWNER TO "csphub_owner";' in sql
    audit_lines = [line for line in sql.splitlines() if "audit_" in line and line.startswith("GRANT")]
    assert not any(word in line for line in audit_lines for word in ("INSERT", "UPDATE", "DELETE", "TRUNCATE"))


def test_it_refuses_a_role_name_that_is_not_plain() -> None:
    with pytest.raises(Exception, match="role name"):
        call_command("audit", "grant-sql", "--app-role", 'x"; DROP TABLE y; --', stdout=io.StringIO())


@pytest.fixture
def app_role(db: None) -> Iterator[str]:
    """A role made and granted inside the test's transaction (so rolled back with it), and taken with SET ROLE."""
    if connection.vendor != "postgresql":
        pytest.skip("database roles are PostgreSQL's")
    role = f"csphub_test_app_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cur:
        cur.execute(f'CREATE ROLE "{role}" NOLOGIN')
        cur.execute(grant_sql(role))
        cur.execute(f'SET ROLE "{role}"')
        cur.execute("SELECT current_user")
        assert cur.fetchone()[0] == role
    try:
        yield role
    finally:
        with connection.cursor() as cur:
            cur.execute("RESET ROLE")


def test_finding_7_the_app_role_cannot_update_or_delete_audit_rows_but_appends(app_role: str) -> None:
    event = log.Event(Operation.CONSULTATION, "registers.person", "00000000-0000-0000-0000-000000000001", "Opened")
    (entry,) = log.write(event)  # appending works, through csphub_audit_append
    head = ChainHead.objects.get()
    assert (head.last_seq, head.last_hash) == (entry.seq, entry.hash)
    attempts: list[tuple[str, list[Any]]] = [
        ("UPDATE audit_auditentry SET summary = 'forged' WHERE seq = %s", [entry.seq]),
        ("DELETE FROM audit_auditentry WHERE seq = %s", [entry.seq]),
        ("TRUNCATE audit_auditentry", []),
        (
            "INSERT INTO audit_auditentry (seq, at, action, actor_username, channel, request_id, record_type,"
            " record_id, summary, recipients, detail, prev_hash, hash, hash_version, agency_uuid, agency_name,"
            " related_type, related_id, justification, basis) VALUES (%s, now(), 'consultation', 'x', 'web', 'r',"
            " 't', 'i', 's', '[]', '{}', %s, %s, 2, '', '', '', '', '', '')",
            [entry.seq + 1, entry.hash, "f" * 64],
        ),
        ("UPDATE audit_chainhead SET last_seq = 0", []),
        ("DELETE FROM audit_chainhead", []),
        ("DROP TRIGGER audit_entry_no_update ON audit_auditentry", []),
    ]
    for sql, params in attempts:
        with (
            pytest.raises(DatabaseError, match=r"permission denied|must be owner"),
            transaction.atomic(),
            connection.cursor() as cur,
        ):
            cur.execute(sql, params)
    assert AuditEntry.objects.filter(seq=entry.seq, summary="Opened").exists()
    assert verify_log().ok
