"""The pack's pages: its figures as the engine gives them, the narrative written through the form, the PDF, and the
command that writes the PDF and its pages as PNG."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from csphub.analytics.store import MonthRange
from csphub.insights.engine import analytics
from csphub.purpleflag import evidence
from tests.factories import World, verified_client
from tests.purpleflag.factories import make_pack

pytestmark = pytest.mark.usefixtures("with_pf_store")


def _figure(page: str, key: str) -> str:
    found = re.search(rf'data-figure="{re.escape(key)}">([^<]*)<', page)
    assert found, key
    return found[1]


def test_it_shows_the_engines_figures_with_the_narrative_per_standard(world: World) -> None:
    pack = make_pack(world)
    page = verified_client(world["publican"]).get(pack.get_absolute_url()).content.decode()

    police = analytics().counts((), evidence.police_filter(pack, MonthRange(dt.date(2025, 1, 1), dt.date(2025, 6, 1))))
    assert _figure(page, "police.count") == f"{police.total:,}"
    assert _figure(page, "partner.count") == "about 10"  # the publican sees partner counts suppressed
    for title in ("Policy Envelope", "Wellbeing", "Movement", "Appeal", "Place"):
        assert title in page
    assert 'data-module="csphub-chart"' in page and "<svg" in page  # the charts and the map
    assert reverse("purpleflag:narrative", args=[pack.uuid]) in page  # the publican may write the narrative

    analyst = verified_client(world["police_analyst"]).get(pack.get_absolute_url()).content.decode()
    assert _figure(analyst, "partner.count") == "10"


def test_it_saves_the_narrative_from_the_form_and_shows_it(world: World) -> None:
    pack = make_pack(world)
    client = verified_client(world["publican"])
    url = reverse("purpleflag:narrative", args=[pack.uuid])

    assert client.get(url).status_code == 200
    response = client.post(url, {"wellbeing": "Street Pastors out every Friday and Saturday.", "place": ""})
    assert response.status_code == 302
    page = client.get(pack.get_absolute_url()).content.decode()
    assert "Street Pastors out every Friday and Saturday." in page
    assert pack.narratives.get(standard="wellbeing").version == 1


def test_it_prints_the_pack_as_pdf_and_its_pages_as_png(world: World, tmp_path: Path) -> None:
    pack = make_pack(world)
    response = verified_client(world["police_officer"]).get(reverse("purpleflag:pdf", args=[pack.uuid]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")

    call_command("purpleflag", "pack", "--out", str(tmp_path), "--png", "--scale", "0.5")
    pdf = next(tmp_path.glob("*.pdf"))
    pages = sorted(tmp_path.glob("*-page-*.png"))
    assert pdf.read_bytes().startswith(b"%PDF")
    assert len(pages) >= 6  # a cover and one page or more per standard
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in pages)
