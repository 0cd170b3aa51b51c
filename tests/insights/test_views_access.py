"""Inherited access cases for every page of the analytics area (tests/access_cases.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import pytest
from django.urls import reverse

from csphub.access.models import Governed
from csphub.insights.models import CrimeUpload, UploadKind
from tests.access_cases import MemberViewCases, RoleViewCases
from tests.factories import World, verified_client


@pytest.fixture(autouse=True)
def _store(with_crime_store: Path) -> None:
    """Every page here reads the test crime store."""


class TestIndex(MemberViewCases):
    url_name = "insights:index"


class TestDashboard(MemberViewCases):
    url_name = "insights:dashboard"

    def url(self, world: World, target: Governed | None) -> str:
        return reverse(self.url_name, kwargs={"priority": "violence"}) + "?area=kettering"


class _ChartFile(MemberViewCases):
    def url(self, world: World, target: Governed | None) -> str:
        return reverse(self.url_name, kwargs={"priority": "violence", "chart": "monthly"})


class TestChartCsv(_ChartFile):
    url_name = "insights:chart-csv"


class TestChartSvg(_ChartFile):
    url_name = "insights:chart-svg"


class TestChartPng(_ChartFile):
    url_name = "insights:chart-png"


class TestHoldings(MemberViewCases):
    url_name = "insights:holdings"


class TestUpload(RoleViewCases):
    url_name = "insights:upload"
    permitted = "police_analyst"
    lacking_role = "police_officer"


class _OwnUpload(RoleViewCases):
    permitted = "police_analyst"
    lacking_role = "police_officer"

    def url(self, world: World, target: Governed | None) -> str:
        upload = CrimeUpload.objects.create(kind=UploadKind.POLICE, files=["a.csv"], uploaded_by=world[self.permitted])
        return reverse(self.url_name, kwargs={"uuid": upload.uuid})


class TestUploadStatus(_OwnUpload):
    url_name = "insights:upload-status"


class TestUploadProgress(_OwnUpload):
    url_name = "insights:upload-progress"


class TestCommunityMembers:
    """Volunteers are members too: they see the figures (no case figures) and never the uploads."""

    expected: ClassVar[dict[str, int]] = {
        "/insights/": 200,
        "/insights/dashboards/hate-crime-asb/?area=kettering&source=partner": 200,
        "/insights/data/": 200,
        "/insights/data/upload/": 403,
    }

    def test_it_lets_a_volunteer_see_the_figures_only(self, world: World) -> None:
        client = verified_client(world["pastor"])
        for url, status in self.expected.items():
            response = client.get(url)
            assert response.status_code == status, url
        body = client.get("/insights/dashboards/hate-crime-asb/?area=kettering&source=partner").content.decode()
        assert "fewer than 5" in body and 'id="case-figures"' not in body


def test_insights_is_in_every_members_navigation(world: World) -> None:
    for username in ("police_officer", "fire_partner", "pastor", "police_analyst"):
        body = verified_client(world[username]).get("/insights/").content.decode()
        assert '<a class="govuk-service-navigation__link" href="/insights/" aria-current="page">Insights</a>' in body


def test_an_analysts_home_page_links_to_insights(world: World) -> None:
    body = verified_client(world["police_analyst"]).get("/").content.decode()
    assert 'href="/insights/"' in body and 'href="/insights/data/upload/"' in body


def test_a_volunteers_partner_figures_are_suppressed_and_an_analysts_are_not(world: World) -> None:
    url = "/insights/dashboards/hate-crime-asb/monthly.csv?area=kettering&source=partner"
    volunteer = verified_client(world["pastor"]).get(url).content.decode()
    analyst = verified_client(world["police_analyst"]).get(url).content.decode()
    assert "2025-03-01,fewer than 5" in volunteer
    assert "2025-03-01,3," in analyst


def test_an_unknown_priority_or_chart_is_not_found(world: World) -> None:
    client: Any = verified_client(world["police_officer"])
    assert client.get("/insights/dashboards/knife-crime/").status_code == 404
    assert client.get("/insights/dashboards/violence/nothing.csv").status_code == 404


def test_the_headline_writes_large_counts_with_thousands_separators(world: World) -> None:
    response: Any = verified_client(world["police_analyst"]).get("/insights/dashboards/all-crime/?area=partnership")
    headline = response.context["board"].headline
    assert headline is not None and headline.count is not None and headline.count >= 1000
    assert f"{headline.count:,} events" in response.content.decode()
