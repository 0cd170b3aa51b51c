"""Access cases for the network pages: intelligence users only; everyone else gets 404, as on a nominal."""

from __future__ import annotations

from typing import Any, ClassVar

from django.urls import reverse

from csphub.access.models import Governed
from tests.access_cases import RoleViewCases
from tests.factories import World
from tests.intelligence.factories import make_network


class _NetworkPageCases(RoleViewCases):
    """A named lead sees the network (of a line, a group, a member and a runner); a council officer (a panel
    partner) gets 404."""

    permitted = "soc_lead"
    lacking_role = "council_officer"
    refused_status = 404

    def url(self, world: World, target: Governed | None) -> str:
        make_network(world)
        return reverse(self.url_name)


class TestNetworkAccess(_NetworkPageCases):
    url_name = "intelligence:network"


class TestNetworkJsonAccess(_NetworkPageCases):
    url_name = "intelligence:network-json"


class _NetworkExportCases(_NetworkPageCases):
    # Exports need the export right too: a police analyst named a lead.
    permitted = "soc_analyst"
    expected_ok: ClassVar[tuple[int, ...]] = (200,)

    def test_it_refuses_a_lead_who_may_not_export(self, world: World) -> None:
        from tests.factories import verified_client

        response: Any = verified_client(world["soc_lead"]).get(self.url(world, None))
        assert response.status_code == 403


class TestNetworkGraphmlAccess(_NetworkExportCases):
    url_name = "intelligence:network-graphml"


class TestNetworkEntitiesAccess(_NetworkExportCases):
    url_name = "intelligence:network-entities"


class TestNetworkLinksAccess(_NetworkExportCases):
    url_name = "intelligence:network-links"
