"""Access cases for every meeting page (inherited from tests.access_cases).

The target is a series of the police with the fire service as a member: the council (not a member) is an
outsider, the fire service's read-only partner may read but not run the meeting."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from csphub.access.models import Governed
from csphub.cases.models import Case
from csphub.meetings import services
from csphub.meetings.models import MeetingSeries, MemberRole, Recurrence, SeriesKind
from tests.access_cases import MemberViewCases, RecordViewCases, RoleViewCases
from tests.cases.factories import make_case
from tests.factories import World, make_place
from tests.meetings.factories import first_start
from tests.referrals.factories import make_referral


class _SeriesTarget(RecordViewCases):
    def target(self, world: World) -> Governed | None:
        return services.create_series(
            world["police_officer"],
            name="Police and fire joint panel",
            kind=SeriesKind.PANEL,
            recurrence_rule=Recurrence.SIX_WEEKLY,
            first_starts_at=first_start(),
            members=[(world.agencies["police"], MemberRole.CHAIR), (world.agencies["fire"], MemberRole.MEMBER)],
        )


class _MeetingTarget(_SeriesTarget):
    def url(self, world: World, target: Governed | None) -> str:
        assert isinstance(target, MeetingSeries)
        return reverse(self.url_name, args=[target.meetings.get().uuid])


class TestSeriesListAccess(MemberViewCases):
    url_name = "meetings:list"


class TestSeriesCreateAccess(RoleViewCases):
    url_name = "meetings:create"


class TestObjectiveCreateAccess(_SeriesTarget):
    url_name = "meetings:add-objective"
    write = True


class TestSeriesAccess(_SeriesTarget):
    url_name = "meetings:series"


class TestScheduleNextAccess(_SeriesTarget):
    url_name = "meetings:schedule-next"
    write = True


class TestProgressAccess(_SeriesTarget):
    """Every partner of the group reports progress (the fire service's read-only partner too)."""

    url_name = "meetings:progress"


class TestMeetingAccess(_MeetingTarget):
    url_name = "meetings:meeting"


class TestPapersAccess(_MeetingTarget):
    url_name = "meetings:papers"


class TestInviteAccess(_MeetingTarget):
    url_name = "meetings:invite"


class TestMinutesAccess(_MeetingTarget):
    url_name = "meetings:minutes"
    write = True


class TestReferAccess(_MeetingTarget):
    url_name = "meetings:refer"
    write = True


class TestDecideAccess(_MeetingTarget):
    url_name = "meetings:decide"
    write = True


class TestAddActionAccess(_MeetingTarget):
    url_name = "meetings:add-action"
    write = True


class TestActionUpdateAccess(_SeriesTarget):
    """The assigned agency's users, or anyone who may run the series; the fire partner may only read."""

    url_name = "meetings:action"
    write = True

    def url(self, world: World, target: Governed | None) -> str:
        assert isinstance(target, MeetingSeries)
        action = services.add_action(
            target.meetings.get(),
            world["police_officer"],
            title="Joint visit to the flats",
            due_on=timezone.localdate(),
            assigned_agency=world.agencies["police"],
        )
        return reverse(self.url_name, args=[action.uuid])


class TestMembersAccess(_SeriesTarget):
    """Changed by the chair, the secretariat or a partnership manager (a case officer who may run it: 403, tested in
    tests/meetings/test_members.py)."""

    url_name = "meetings:members"
    write = True
    permitted = "police_manager"


class TestCancelAccess(_MeetingTarget):
    url_name = "meetings:cancel"
    write = True


class TestRescheduleAccess(_MeetingTarget):
    url_name = "meetings:reschedule"
    write = True


class TestCuckooingPanelAccess(_MeetingTarget):
    url_name = "meetings:cuckooing-panel"
    write = True

    def target(self, world: World) -> Governed | None:
        return services.create_series(
            world["police_officer"],
            name="Police and fire cuckooing panel",
            kind=SeriesKind.CUCKOOING,
            recurrence_rule=Recurrence.MONTHLY,
            first_starts_at=first_start(-5),
            members=[(world.agencies["police"], MemberRole.CHAIR), (world.agencies["fire"], MemberRole.MEMBER)],
        )


class TestReferPersonAccess(RecordViewCases):
    """Referring a record needs the right to act on it: the fire service's read-only partner may only read it."""

    url_name = "meetings:refer-person"
    write = True


class TestReferPlaceAccess(RecordViewCases):
    url_name = "meetings:refer-place"
    write = True

    def target(self, world: World) -> Governed | None:
        return make_place(world["police_officer"], address="8 Referral Row", parties=(world.agencies["fire"],))


class TestReferCaseAccess(RecordViewCases):
    url_name = "meetings:refer-case"
    write = True

    def target(self, world: World) -> Governed | None:
        return make_case(world["police_officer"], parties=(world.agencies["fire"],))

    def url(self, world: World, target: Governed | None) -> str:
        assert isinstance(target, Case)
        return reverse(self.url_name, args=[target.reference])


class TestReferReferralAccess(RecordViewCases):
    """A crime referred by a Street Pastor: the police receive it; the council does not see it; the police analyst
    may read it but not refer it on."""

    url_name = "meetings:refer-referral"
    write = True
    outsider = "council_officer"
    read_only = "police_analyst"

    def target(self, world: World) -> Governed | None:
        return make_referral(world["pastor"], concern="crime")


class TestReferPanelRecordAccess(RecordViewCases):
    """A cuckooing record of the police shared with the fire service: the fire partner may only read it."""

    url_name = "meetings:refer-cuckooing"
    write = True

    def target(self, world: World) -> Governed | None:
        from tests.cuckooing.factories import make_record

        officer = world["police_officer"]
        premises = make_place(officer, address="9 Panel Street, Kettering", parties=(world.agencies["fire"],))
        return make_record(officer, premises=premises, parties=(world.agencies["fire"],))
