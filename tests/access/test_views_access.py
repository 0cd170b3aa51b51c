"""Access cases for the access pages (grants, requests, reviews, justification, sharing)."""

from __future__ import annotations

from django.urls import reverse

from csphub.access.models import Governed
from csphub.access.services import request_access
from tests.access_cases import MemberViewCases, RecordViewCases, RoleViewCases
from tests.factories import World, make_person


class TestGrantsAccess(MemberViewCases):
    url_name = "access:grants"


class TestRequestAccess(MemberViewCases):
    url_name = "access:request"


class TestReviewListAccess(RoleViewCases):
    url_name = "access:review-list"
    permitted = "police_manager"
    lacking_role = "police_officer"


class TestReviewAccess(RoleViewCases):
    url_name = "access:review"
    permitted = "police_manager"
    lacking_role = "police_officer"

    def url(self, world: World, target: Governed | None) -> str:
        person = make_person(world["council_officer"])
        grant = request_access(world["police_officer"], person, "Urgent safeguarding concern reported out of hours")
        return reverse(self.url_name, args=[grant.uuid])


class TestJustifyAccess(RecordViewCases):
    url_name = "access:justify"


class TestShareAccess(RecordViewCases):
    url_name = "access:share"
    write = True
