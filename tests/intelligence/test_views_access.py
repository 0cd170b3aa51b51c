"""Access cases for every intelligence view (inherited from tests.access_cases)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.test import Client

from csphub.access.models import Governed
from tests.access_cases import MemberViewCases, RecordViewCases, RoleViewCases
from tests.factories import World
from tests.intelligence.factories import make_network

WHY = "Preparing the county lines tasking meeting"


class _IntelligenceRecordCases(RecordViewCases):
    """A police-held line or group: named SOC leads in; another agency 404; a lead who may only read: 403 on writes."""

    permitted = "soc_lead"
    outsider = "council_officer"
    read_only = "soc_analyst"
    subject: ClassVar[str] = "line"

    def target(self, world: World) -> Governed | None:
        net = make_network(world)
        record: Governed = net.line if self.subject == "line" else net.group
        return record

    def _call(self, client: Client, world: World, target: Governed | None) -> Any:
        # OFFICIAL-SENSITIVE intelligence asks for a justification first (a no-op for those who may not see it).
        if target is not None and client.session.get("_auth_user_id"):
            client.post(f"/access/records/{target.uuid}/justify/", {"justification": WHY, "next": "/"})
        return super()._call(client, world, target)


class TestLineAccess(_IntelligenceRecordCases):
    url_name = "intelligence:line"


class TestLineFactAccess(_IntelligenceRecordCases):
    url_name = "intelligence:line-fact"
    write = True


class TestLineChangeAccess(_IntelligenceRecordCases):
    url_name = "intelligence:line-change"
    write = True


class TestGroupAccess(_IntelligenceRecordCases):
    url_name = "intelligence:group"
    subject = "group"


class TestGroupFactAccess(_IntelligenceRecordCases):
    url_name = "intelligence:group-fact"
    subject = "group"
    write = True


class TestGroupChangeAccess(_IntelligenceRecordCases):
    url_name = "intelligence:group-change"
    subject = "group"
    write = True


class TestGroupAssessAccess(_IntelligenceRecordCases):
    url_name = "intelligence:group-assess"
    subject = "group"
    write = True


class _IntelligencePageCases(RoleViewCases):
    permitted = "soc_lead"
    lacking_role = "council_officer"


class TestLinesAccess(_IntelligencePageCases):
    url_name = "intelligence:lines"


class TestGroupsAccess(_IntelligencePageCases):
    url_name = "intelligence:groups"


class TestPictureAccess(_IntelligencePageCases):
    url_name = "intelligence:picture"


class TestChangesAccess(_IntelligencePageCases):
    url_name = "intelligence:changes"


class TestLineCreateAccess(_IntelligencePageCases):
    url_name = "intelligence:line-create"
    lacking_role = "soc_analyst"


class TestGroupCreateAccess(_IntelligencePageCases):
    url_name = "intelligence:group-create"
    lacking_role = "soc_analyst"


class TestCountsAccess(MemberViewCases):
    url_name = "intelligence:counts"
    permitted = "pastor"


class TestLeadsAccess(RoleViewCases):
    url_name = "intelligence:leads"
    permitted = "council_manager"
    lacking_role = "council_officer"
