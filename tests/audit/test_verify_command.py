"""`csphub audit verify`: exit 0 on an intact log; non-zero naming the first bad row after raw-SQL tampering."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection

from csphub.audit.models import AuditEntry
from tests.factories import World, make_person


def _verify() -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", "verify", stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def _drop_triggers() -> None:
    """What a privileged attacker would do first: the triggers refuse the raw edits otherwise."""
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("DROP TRIGGER audit_entry_no_update")
            cur.execute("DROP TRIGGER audit_entry_no_delete")
        else:
            cur.execute("DROP TRIGGER audit_entry_no_update ON audit_auditentry")


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
