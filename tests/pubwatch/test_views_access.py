"""Access cases for every Pubwatch page (inherited from tests.access_cases).

Only the scheme's members see its pages: a licensee is let in; a police officer the scheme has not admitted gets
404 (the police advise, they do not decide, and see the register only as members); the police chair, admitted as
an adviser, reads but may not change (403)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.test import Client
from django.urls import reverse

from csphub.access.models import Governed
from tests.access_cases import RecordViewCases, RoleViewCases
from tests.factories import World, verified_client
from tests.pubwatch.factories import WHY, make_scheme, propose


class TestSchemesAccess(RoleViewCases):
    url_name = "pubwatch:schemes"
    permitted = "publican"
    lacking_role = "police_officer"
    refused_status = 404  # the page does not exist for someone in no scheme

    def target(self, world: World) -> Governed | None:
        return make_scheme(world).scheme

    def url(self, world: World, target: Governed | None) -> str:
        return reverse(self.url_name)


class _PubwatchRecordCases(RecordViewCases):
    permitted = "publican"
    outsider = "police_officer"
    read_only = "police_chair"
    subject: ClassVar[str] = "ban"
    photo: ClassVar[bool] = False

    def target(self, world: World) -> Governed | None:
        sw = make_scheme(world)
        return sw.scheme if self.subject == "scheme" else propose(sw, photo=self.photo)

    def _call(self, client: Client, world: World, target: Governed | None) -> Any:
        # A scheme and its bans are OFFICIAL-SENSITIVE: a justification first (a no-op for those who may not see it).
        if target is not None and client.session.get("_auth_user_id"):
            client.post(f"/access/records/{target.uuid}/justify/", {"justification": WHY, "next": "/"})
        return super()._call(client, world, target)


class TestSchemeAccess(_PubwatchRecordCases):
    url_name = "pubwatch:scheme"
    subject = "scheme"


class TestProposeAccess(_PubwatchRecordCases):
    url_name = "pubwatch:propose"
    subject = "scheme"
    write = True


class TestBanAccess(_PubwatchRecordCases):
    url_name = "pubwatch:ban"


class TestPhotoAccess(_PubwatchRecordCases):
    url_name = "pubwatch:photo"
    photo = True


class TestPhotoAddAccess(_PubwatchRecordCases):
    url_name = "pubwatch:photo-add"
    write = True


class TestDecideAccess(_PubwatchRecordCases):
    url_name = "pubwatch:decide"
    write = True


class TestTellAccess(_PubwatchRecordCases):
    url_name = "pubwatch:tell"
    write = True


class TestReviewAccess(_PubwatchRecordCases):
    url_name = "pubwatch:review"
    write = True


class TestAppealAccess(_PubwatchRecordCases):
    url_name = "pubwatch:appeal"
    write = True


class TestAppealOutcomeAccess(_PubwatchRecordCases):
    url_name = "pubwatch:appeal-outcome"
    write = True


class TestNewSchemeAccess(RoleViewCases):
    """A partnership manager sets up a scheme; a licensee (or anyone else) may not."""

    url_name = "pubwatch:new"
    permitted = "police_manager"
    lacking_role = "publican"


class _CoordinatorCases(_PubwatchRecordCases):
    """The scheme's own running: its coordinator only. A licensee (a member without the right) gets 403, the
    admitted police adviser 403, an outsider 404 (through the policy)."""

    subject = "scheme"
    write = True

    def test_it_allows_a_permitted_user(self, world: World) -> None:
        sw = make_scheme(world)
        response = self._call(verified_client(sw.coordinator), world, sw.scheme)
        assert response.status_code == 200, response.content[:2000]

    def test_it_refuses_the_adviser(self, world: World) -> None:
        response = self._call(verified_client(world["police_chair"]), world, self.target(world))
        assert response.status_code == 403


class TestPremisesAddAccess(_CoordinatorCases):
    url_name = "pubwatch:premises-add"


class TestPremisesRemoveAccess(_CoordinatorCases):
    url_name = "pubwatch:premises-remove"


class TestMemberAddAccess(_CoordinatorCases):
    url_name = "pubwatch:member-add"


class TestMemberRemoveAccess(_CoordinatorCases):
    url_name = "pubwatch:member-remove"


class TestRulesAccess(_CoordinatorCases):
    url_name = "pubwatch:rules"
