"""Access cases for every cuckooing page (inherited from tests.access_cases)."""

from __future__ import annotations

from typing import Any

from csphub.access.models import Governed
from tests.access_cases import MemberViewCases, RecordViewCases, RoleViewCases
from tests.factories import World, make_place


class TestPanelAccess(MemberViewCases):
    url_name = "cuckooing:panel"


class TestAgendaAccess(MemberViewCases):
    url_name = "cuckooing:agenda"


class TestAgendaPrintAccess(MemberViewCases):
    url_name = "cuckooing:agenda-print"


class TestNewRecordAccess(RoleViewCases):
    url_name = "cuckooing:new"
    permitted = "council_officer"
    lacking_role = "pastor"  # voluntary-sector panel members read what is shared with them


class _RecordTarget(RecordViewCases):
    """A premises the police brought to the panel (OFFICIAL here, so no justification step): the council does not
    hold it; the police analyst reads it but may not change it."""

    outsider = "council_officer"
    read_only = "police_analyst"

    def target(self, world: World) -> Governed | None:
        from tests.cuckooing.factories import make_record

        officer = world["police_officer"]
        return make_record(officer, premises=make_place(officer, address="9 Panel Street, Kettering"))


class TestRecordAccess(_RecordTarget):
    url_name = "cuckooing:record"


class TestChecklistAccess(_RecordTarget):
    url_name = "cuckooing:checklist"
    write = True


class TestSupportAccess(_RecordTarget):
    url_name = "cuckooing:support"
    write = True


class TestSupportAnswerAccess(_RecordTarget):
    url_name = "cuckooing:support-answer"
    write = True


class TestReviewAccess(_RecordTarget):
    url_name = "cuckooing:review"
    write = True

    def data(self, world: World, target: Governed | None) -> dict[str, Any]:
        return {}
