"""The audit keys come from the environment: required in production, loud when missing or too short."""

from __future__ import annotations

import subprocess

from tests.environment import run_python

_PRINT = "import csphub.settings as s; print(len(s.CSPHUB_AUDIT_KEY), s.CSPHUB_AUDIT_CHECKPOINT_DIR)"
_PRODUCTION = {
    "CSPHUB_ENVIRONMENT": "production",
    "CSPHUB_SECRET_KEY": "a production secret key that is long enough to be one, really",
    "CSPHUB_ALLOWED_HOSTS": "csphub.example.org",
    "DATABASE_URL": "sqlite:////tmp/csphub-keys-test.sqlite3",
}
_AUDIT_KEY = "an audit key of well over thirty-two characters"


def _settings(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run_python(env, "-c", _PRINT, timeout=60)


def test_it_requires_the_audit_key_in_production() -> None:
    result = _settings(_PRODUCTION)
    assert result.returncode != 0 and "CSPHUB_AUDIT_KEY must be set" in result.stderr


def test_it_refuses_a_short_audit_key() -> None:
    result = _settings({**_PRODUCTION, "CSPHUB_AUDIT_KEY": "too short"})
    assert result.returncode != 0 and "CSPHUB_AUDIT_KEY must be at least 32 characters" in result.stderr


def test_it_refuses_a_short_checkpoint_key() -> None:
    result = _settings({**_PRODUCTION, "CSPHUB_AUDIT_KEY": _AUDIT_KEY, "CSPHUB_AUDIT_CHECKPOINT_KEY": "short"})
    assert result.returncode != 0 and "CSPHUB_AUDIT_CHECKPOINT_KEY must be at least 32" in result.stderr


def test_it_refuses_the_secret_key_as_the_audit_key() -> None:
    result = _settings({**_PRODUCTION, "CSPHUB_AUDIT_KEY": _PRODUCTION["CSPHUB_SECRET_KEY"]})
    assert result.returncode != 0 and "must not be the same as CSPHUB_SECRET_KEY" in result.stderr


def test_it_reads_the_audit_key_and_checkpoint_directory_in_production() -> None:
    result = _settings({**_PRODUCTION, "CSPHUB_AUDIT_KEY": _AUDIT_KEY, "CSPHUB_AUDIT_CHECKPOINT_DIR": "/srv/cp"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(len(_AUDIT_KEY)), "/srv/cp"]


def test_it_derives_a_development_key_so_the_demo_runs() -> None:
    result = _settings({"CSPHUB_ENVIRONMENT": "development"})
    assert result.returncode == 0, result.stderr
    length, directory = result.stdout.split()
    assert length == "64" and directory.endswith("var/audit-checkpoints")
