"""Database settings read from the environment: PostgreSQL's JIT and connection health checks."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.environment import run_python

PG = "postgres://postgres@127.0.0.1:5432/csphub"
_PRINT = (
    "import json, csphub.settings as s; d = s.DATABASES['default'];"
    "print(json.dumps({'options': d.get('OPTIONS', {}), 'health': d['CONN_HEALTH_CHECKS']}))"
)


def _settings(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run_python(env, "-c", _PRINT, timeout=60)


def _database(env: dict[str, str]) -> dict[str, object]:
    result = _settings(env)
    assert result.returncode == 0, result.stderr
    out: dict[str, object] = json.loads(result.stdout)
    return out


def test_it_turns_postgresql_jit_off_and_checks_connections_by_default() -> None:
    db = _database({"DATABASE_URL": PG})
    assert db["options"] == {"options": "-c jit=off"}
    assert db["health"] is True


def test_it_leaves_jit_on_and_health_checks_off_when_asked() -> None:
    db = _database({"DATABASE_URL": PG, "CSPHUB_DB_JIT": "true", "CSPHUB_DB_HEALTH_CHECKS": "false"})
    assert "jit" not in str(db["options"])
    assert db["health"] is False


def test_it_does_not_pass_postgresql_options_to_sqlite() -> None:
    db = _database({"DATABASE_URL": "sqlite:////tmp/csphub-settings-test.sqlite3"})
    assert "options" not in db["options"]  # type: ignore[operator]


@pytest.mark.parametrize("name", ["CSPHUB_DB_JIT", "CSPHUB_DB_HEALTH_CHECKS"])
def test_it_fails_loudly_on_a_bad_database_setting(name: str) -> None:
    result = _settings({"DATABASE_URL": PG, name: "sometimes"})
    assert result.returncode != 0 and f"{name} must be a boolean" in result.stderr
