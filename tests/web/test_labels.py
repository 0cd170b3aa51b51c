"""No raw stored values on the pages people read: "visible_high_risk", "not_known", "lives_at" are shown by label."""

from __future__ import annotations

import datetime as dt
import html
import re

from django.utils import timezone

from csphub.cases import services
from csphub.registers import services as register
from tests.cases.factories import make_days_work
from tests.cases.test_marac import _da_case
from tests.factories import World, verified_client

# A snake_case word: how choices are stored, never how they are told.
RAW = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")


def _visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)  # tags and their attributes (names, ids, values) are not read
    return html.unescape(page)


def test_it_shows_labels_not_stored_values_on_the_pages_of_a_case_and_its_records(world: World) -> None:
    da = _da_case(world)
    police = world["police_officer"]
    services.refer_to_marac(
        da.case,
        police,
        referred_on=timezone.localdate(),
        person=da.victim,
        meeting_on=timezone.localdate() + dt.timedelta(days=7),
        attending=[world.agencies["police"], world.agencies["idva"]],
    )
    register.link_place(da.victim, da.home, police, relation="lives_at")
    case, _ = make_days_work(police, world.agencies["police"])
    client = verified_client(police)
    client.post(
        f"/access/records/{da.case.uuid}/justify/", {"justification": "Preparing for the MARAC meeting", "next": "/"}
    )
    client.post(
        f"/access/records/{da.victim.uuid}/justify/", {"justification": "Preparing for the MARAC meeting", "next": "/"}
    )
    pages = [
        "/",
        "/cases/",
        "/cases/actions/",
        da.case.get_absolute_url(),
        case.get_absolute_url(),
        da.victim.get_absolute_url(),
        da.home.get_absolute_url(),
    ]
    found = {}
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        if path == da.case.get_absolute_url():
            assert "MARAC referral of" in response.content.decode()  # the page itself, not the justification gate
        raw = sorted(set(RAW.findall(_visible_text(response.content.decode()))))
        if raw:
            found[path] = raw
    assert found == {}
