"""Everyday screens (issue 19, finding 8): the details every page shares."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.test import Client

from tests.factories import World, verified_client


def test_finding_8_the_favicon_is_served(world: World) -> None:
    response = Client().get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("csphub/favicon.svg")
    assert finders.find("csphub/favicon.svg")


def test_finding_8_every_page_links_the_favicon(world: World) -> None:
    page = verified_client(world["police_officer"]).get("/").content.decode()
    assert 'rel="icon"' in page and "csphub/favicon.svg" in page
