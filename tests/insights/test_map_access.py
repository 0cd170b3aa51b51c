"""Access cases for the map page and its data: every member may see the map (non-personal aggregates of open
data); the cases' places inside it are filtered by the policy (tests/insights/test_case_places.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from csphub.access.models import Governed
from tests.access_cases import MemberViewCases
from tests.factories import World

pytestmark = pytest.mark.usefixtures("map_store")


class TestMapAccess(MemberViewCases):
    url_name = "insights:map"


class TestHotspotLayerAccess(MemberViewCases):
    url_name = "insights:map-hotspots"


class TestEmergingLayerAccess(MemberViewCases):
    url_name = "insights:map-emerging"


class TestDensityLayerAccess(MemberViewCases):
    url_name = "insights:map-kde"


class TestRepeatPlacesLayerAccess(MemberViewCases):
    url_name = "insights:map-repeat"


class TestCasePlacesLayerAccess(MemberViewCases):
    url_name = "insights:map-case-places"


class TestCellAccess(MemberViewCases):
    url_name = "insights:map-cell"

    def url(self, world: World, target: Governed | None) -> str:
        return reverse(self.url_name) + "?x=487125&y=279125"


class TestExportAccess(MemberViewCases):
    url_name = "insights:map-export"
