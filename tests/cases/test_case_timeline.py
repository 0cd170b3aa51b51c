"""A case page's timeline, paged: 25 entries a page, newest first, restricted entries still hidden."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

from csphub.cases import services
from csphub.cases.models import Case
from csphub.partnership.models import User
from tests.cases.factories import make_case
from tests.factories import World, verified_client


def _titles(user: User, case: Case, page: int | None = None) -> list[str]:
    query = {"timeline_page": page} if page is not None else {}
    response = verified_client(user).get(case.get_absolute_url(), query)
    assert response.status_code == 200
    return re.findall(r'<h3 class="moj-timeline__title">Note: ([^<]+)</h3>', response.content.decode())


def _long_case(world: World) -> Case:
    police = world["police_officer"]
    case = make_case(police, parties=(world.agencies["council"],))
    start = timezone.now() - dt.timedelta(days=100)
    for n in range(30):
        services.record_entry(
            case, police, kind="note", title=f"Entry {n:02d}", occurred_at=start + dt.timedelta(days=n)
        )
    # Police-only entries, among the newest: the council must not see them, on any page.
    for n in range(3):
        services.record_entry(
            case,
            police,
            kind="note",
            title=f"Police only {n}",
            occurred_at=start + dt.timedelta(days=40 + n),
            restricted_to=[world.agencies["police"]],
        )
    return case


def test_it_shows_the_newest_25_entries_and_the_rest_on_page_2(world: World) -> None:
    case = _long_case(world)
    council = world["council_officer"]
    first = _titles(council, case)
    assert first == [f"Entry {n:02d}" for n in range(29, 4, -1)]  # 25, newest first
    assert _titles(council, case, 2) == [f"Entry {n:02d}" for n in range(4, -1, -1)]
    page = verified_client(council).get(case.get_absolute_url()).content.decode()
    assert "Timeline (30)" in page and 'href="?timeline_page=2#timeline"' in page


def test_it_keeps_restricted_entries_for_the_agencies_named(world: World) -> None:
    case = _long_case(world)
    police = world["police_officer"]
    first = _titles(police, case)
    assert first[:3] == ["Police only 2", "Police only 1", "Police only 0"] and len(first) == 25
    assert len(_titles(police, case, 2)) == 8
    council = world["council_officer"]
    seen = _titles(council, case, 1) + _titles(council, case, 2)
    assert not [t for t in seen if t.startswith("Police only")] and len(seen) == 30


def test_it_shows_the_last_page_for_a_page_past_the_end(world: World) -> None:
    case = _long_case(world)
    assert _titles(world["council_officer"], case, 99) == [f"Entry {n:02d}" for n in range(4, -1, -1)]
