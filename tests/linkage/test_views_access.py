"""Access cases for the register merger's pages."""

from __future__ import annotations

from django.urls import reverse

from csphub.access.models import Governed
from csphub.linkage.merging import merge
from csphub.linkage.models import CandidatePair
from tests.access_cases import RoleViewCases
from tests.factories import World, make_person
from tests.linkage.test_merging import _source_record


class TestQueueAccess(RoleViewCases):
    url_name = "linkage:queue"


class TestPairAccess(RoleViewCases):
    url_name = "linkage:pair"

    def url(self, world: World, target: Governed | None) -> str:
        police = world["police_officer"]
        a, b = make_person(police), make_person(police, given_name="Jon")
        pair = CandidatePair.objects.create(
            record_a=_source_record(a, "corby", "C-7"),
            record_b=_source_record(b, "kettering", "K-7"),
            match_probability=0.9,
            match_weight=3.0,
            model_version="t",
        )
        return reverse(self.url_name, args=[pair.uuid])


class TestUnmergeAccess(RoleViewCases):
    url_name = "linkage:unmerge"
    lacking_role = "police_analyst"

    def url(self, world: World, target: Governed | None) -> str:
        police = world["police_officer"]
        event = merge(make_person(police), make_person(police, given_name="Jon"), by=police, reason="Same person")
        return reverse(self.url_name, args=[event.uuid])


class TestImportsAccess(RoleViewCases):
    url_name = "linkage:imports"
    permitted = "police_analyst"
    lacking_role = "police_officer"
