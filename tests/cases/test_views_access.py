"""Access cases for every case page (inherited from tests.access_cases)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from csphub.access.models import Governed
from csphub.cases import services
from csphub.cases.models import Case, MaracReferral
from tests.access_cases import MemberViewCases, RecordViewCases, RoleViewCases
from tests.cases.factories import make_case
from tests.factories import World


class _CaseTarget(RecordViewCases):
    def target(self, world: World) -> Governed | None:
        return make_case(world["police_officer"], parties=(world.agencies["fire"],))

    def url(self, world: World, target: Governed | None) -> str:
        assert isinstance(target, Case)
        return reverse(self.url_name, args=[target.reference])


class TestCaseListAccess(RoleViewCases):
    url_name = "cases:list"
    lacking_role = "council_admin"


class TestCaseExportAccess(RoleViewCases):
    url_name = "cases:export"
    permitted = "police_manager"
    lacking_role = "police_officer"


class TestCaseCreateAccess(RoleViewCases):
    url_name = "cases:create"


class TestActionsAccess(MemberViewCases):
    url_name = "cases:actions"


class TestCaseDetailAccess(_CaseTarget):
    url_name = "cases:case"


class TestCaseEditAccess(_CaseTarget):
    url_name = "cases:edit"
    write = True


class TestCaseStatusAccess(_CaseTarget):
    url_name = "cases:status"
    write = True


class TestCaseTransferAccess(_CaseTarget):
    url_name = "cases:transfer"
    write = True


class TestCaseAddPersonAccess(_CaseTarget):
    url_name = "cases:add-person"
    write = True


class TestCaseAddPlaceAccess(_CaseTarget):
    url_name = "cases:add-place"
    write = True


class TestCaseAddEntryAccess(_CaseTarget):
    url_name = "cases:add-entry"
    write = True


class TestCaseAddActionAccess(_CaseTarget):
    url_name = "cases:add-action"
    write = True


class TestCaseUpdateActionAccess(_CaseTarget):
    url_name = "cases:update-action"
    write = True

    def url(self, world: World, target: Governed | None) -> str:
        assert isinstance(target, Case)
        action = services.add_action(
            target,
            world["police_officer"],
            title="Visit the victim",
            due_on=dt.date.today(),
            assigned_agency=world.agencies["police"],
        )
        return reverse(self.url_name, args=[target.reference, action.uuid])


@pytest.mark.usefixtures("_media")
class TestCaseDocumentAccess(_CaseTarget):
    url_name = "cases:document"

    def url(self, world: World, target: Governed | None) -> str:
        assert isinstance(target, Case)
        entry = services.record_entry(
            target,
            world["police_officer"],
            kind="document",
            title="Witness statement",
            document=SimpleUploadedFile("statement.txt", b"I saw it happen."),
        )
        return reverse(self.url_name, args=[target.reference, entry.uuid])


@pytest.fixture
def _media(settings: object, tmp_path: object) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]


class TestAssessmentAccess(_CaseTarget):
    url_name = "cases:assessment"
    write = True

    def url(self, world: World, target: Governed | None) -> str:
        assert isinstance(target, Case)
        return reverse(self.url_name, args=[target.reference, "dash"])


class TestCaseReviewApplyAccess(_CaseTarget):
    url_name = "cases:case-review-apply"
    write = True


class TestCaseReviewDecideAccess(_CaseTarget):
    url_name = "cases:case-review-decide"
    write = True

    def url(self, world: World, target: Governed | None) -> str:
        assert isinstance(target, Case)
        application = services.apply_for_case_review(target, world["police_officer"], received_on=dt.date.today())
        return reverse(self.url_name, args=[target.reference, application.uuid])


class TestMaracReferAccess(_CaseTarget):
    url_name = "cases:marac-refer"
    write = True


class TestMaracMeetingAccess(_CaseTarget):
    url_name = "cases:marac-meeting"
    write = True

    def url(self, world: World, target: Governed | None) -> str:
        assert isinstance(target, Case)
        return reverse(self.url_name, args=[target.reference, _referral(world, target).uuid])


class TestMaracActionAccess(TestMaracMeetingAccess):
    url_name = "cases:marac-action"


def _referral(world: World, case: Case) -> MaracReferral:
    """A MARAC referral of the case (test set-up: the service refers only domestic abuse cases with a DASH)."""
    return MaracReferral.objects.create(
        case=case, referred_on=dt.date.today(), level="high", recorded_by=world["police_officer"]
    )


class TestPowerAddAccess(_CaseTarget):
    url_name = "cases:power-add"
    write = True


class TestCaseReviewFiguresAccess(RoleViewCases):
    url_name = "cases:case-review-figures"
    permitted = "police_analyst"
    lacking_role = "police_officer"


class TestDeadlinesAccess(MemberViewCases):
    url_name = "cases:deadlines"
