"""Everyday screens of cases (issue 19, finding 8): the actions page, the case list, officer pickers, a new case."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

from csphub.cases import services
from tests.cases.factories import make_case
from tests.factories import World, verified_client


def _current_nav(html: str) -> list[str]:
    return re.findall(r'aria-current="page">([^<]+)</a>', html)


def test_finding_8_the_actions_page_highlights_one_navigation_item_and_shows_case_titles(world: World) -> None:
    officer = world["police_officer"]
    case = make_case(officer, title="Dealing from the flats at Fuller Court")
    services.add_action(
        case,
        officer,
        title="Visit the landlord",
        due_on=timezone.localdate() + dt.timedelta(days=3),
        assigned_agency=officer.agency,
        assigned_officer=officer,
    )
    html = verified_client(officer).get("/cases/actions/").content.decode()
    assert _current_nav(html) == ["Actions"]
    assert "Dealing from the flats at Fuller Court" in html


def test_finding_8_the_case_list_is_full_width(world: World) -> None:
    html = verified_client(world["police_officer"]).get("/cases/").content.decode()
    assert _current_nav(html) == ["Cases"]
    assert "csphub-width-container--wide" in html
