"""Access cases for the access pages (grants, requests, reviews, justification, sharing)."""

from __future__ import annotations

from django.urls import reverse

from csphub.access.models import Governed
from csphub.access.services import request_access
from tests.access_cases import AccessCases
from tests.factories import World, make_person


class TestGrantsAccess(AccessCases):
    url_name = "access:grants"
    kind = "member"


class TestRequestAccess(AccessCases):
    url_name = "access:request"
    kind = "member"


class TestReviewListAccess(AccessCases):
    url_name = "access:review-list"
    kind = "role"
    permitted = "police_manager"
    lacking_role = "police_officer"


class TestReviewAccess(AccessCases):
    url_name = "access:review"
    kind = "role"
    permitted = "police_manager"
    lacking_role = "police_officer"

    def url(self, world: World, target: Governed | None) -> str:
        person = make_person(world["council_officer"])
        grant = request_access(world["police_officer"], person, "Urgent safeguarding concern reported out of hours")
        return reverse(self.url_name, args=[grant.uuid])


class TestJustifyAccess(AccessCases):
    url_name = "access:justify"


class TestShareAccess(AccessCases):
    url_name = "access:share"
    write = True
