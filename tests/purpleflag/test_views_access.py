"""Access cases for every Purple Flag page (inherited from tests.access_cases).

The target is a pack of the police with the fire service a party: the council (not a party) is an outsider, the fire
service's read-only partner reads the pack but may not write its narrative."""

from __future__ import annotations

import pytest

from csphub.access.models import Governed
from tests.access_cases import MemberViewCases, RecordViewCases, RoleViewCases
from tests.factories import World
from tests.purpleflag.factories import make_pack

pytestmark = pytest.mark.usefixtures("with_pf_store")


class _PackTarget(RecordViewCases):
    def target(self, world: World) -> Governed | None:
        return make_pack(world)


class TestPackListAccess(MemberViewCases):
    url_name = "purpleflag:list"


class TestPackAccess(_PackTarget):
    url_name = "purpleflag:pack"


class TestPdfAccess(_PackTarget):
    url_name = "purpleflag:pdf"


class TestNarrativeAccess(_PackTarget):
    url_name = "purpleflag:narrative"
    write = True


class TestNarrativePostAccess(_PackTarget):
    url_name = "purpleflag:narrative"
    method = "post"
    write = True
    expected_ok = (302,)

    def data(self, world: World, target: Governed | None) -> dict[str, str]:
        return {"wellbeing": "Patrols every weekend night."}


class TestPackCreateAccess(RoleViewCases):
    url_name = "purpleflag:create"


class TestPackCreatePostAccess(RoleViewCases):
    url_name = "purpleflag:create"
    method = "post"
    expected_ok = (302,)

    def data(self, world: World, target: Governed | None) -> dict[str, str]:
        return {
            "town_centre": "Kettering town centre",
            "postcode": "NN16 0AH",
            "radius_m": "700",
            "district": "E07000153",
            "first_month_0": "1",
            "first_month_1": "2025",
            "last_month_0": "6",
            "last_month_1": "2025",
        }
