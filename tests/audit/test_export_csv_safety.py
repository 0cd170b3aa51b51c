"""The audit export: a failed sign-in's username (typed by anyone) is written so a spreadsheet shows it as text."""

from __future__ import annotations

import csv
import io

from django.test import Client

from csphub.audit.exports import ExportScope, write_csv
from tests.factories import World


def test_finding_9_csv_injection_in_a_failed_sign_in_username_is_neutralised(world: World) -> None:
    username = "=cmd|' /C calc'!A0"
    Client().post("/accounts/sign-in/", {"username": username, "password": "wrong password"})
    out = io.StringIO()
    write_csv(ExportScope(), out, recipient="ICO", reason="ICO enquiry")
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    failed = [r for r in rows if r["summary"] == "Failed sign-in attempt"]
    assert failed, "the failed sign-in is in the log"
    for row in failed:
        assert row["record_id"] == "'" + username
    for row in rows:
        assert not any(value.startswith(("=", "+", "@", "\t", "\r")) for value in row.values())
