"""Lists for a user, through the access policy: their series and meetings, and their meeting actions."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils import timezone

from csphub.cases.action_sources import OtherAction
from csphub.cases.kinds import OPEN_ACTION_STATUSES
from csphub.cuckooing.models import VulnerabilityRecord
from csphub.cuckooing.outcomes import PanelOutcome
from csphub.meetings.models import Meeting, MeetingAction, MeetingDecision, MeetingSeries

if TYPE_CHECKING:
    from csphub.partnership.models import User


def series_for(user: User) -> QuerySet[MeetingSeries]:
    return MeetingSeries.objects.visible_to(user).select_related("owning_agency", "chair").order_by("name")


def meetings_for(user: User) -> QuerySet[Meeting]:
    return Meeting.objects.filter(series__in=MeetingSeries.objects.visible_to(user).values("pk")).select_related(
        "series"
    )


def upcoming_meetings(user: User, now: dt.datetime | None = None, limit: int = 10) -> list[Meeting]:
    now = now or timezone.now()
    return list(meetings_for(user).filter(starts_at__gte=now - dt.timedelta(hours=12)).order_by("starts_at")[:limit])


def shown_actions(user: User) -> Q:
    """The meeting actions the user may be shown: an action about a cuckooing panel record only to those who may see
    the record (the others are counted where a count is due, never named)."""
    return Q(vulnerability_record__isnull=True) | Q(
        vulnerability_record__in=VulnerabilityRecord.objects.visible_to(user).values("pk")
    )


def meeting_actions_for(
    user: User, *, mine: bool, overdue: bool = False, today: dt.date | None = None
) -> QuerySet[MeetingAction]:
    """Open meeting actions of the series the user may see: assigned to them (or to their agency with no officer
    named), or, ``mine`` False, to their agency."""
    today = today or timezone.localdate()
    if mine:
        who = Q(assigned_officer=user)
        if user.agency_id is not None:
            who |= Q(assigned_agency_id=user.agency_id, assigned_officer__isnull=True)
    else:
        who = Q(assigned_agency_id=user.agency_id)
    qs = MeetingAction.objects.filter(
        who,
        shown_actions(user),
        series__in=MeetingSeries.objects.visible_to(user).values("pk"),
        status__in=list(OPEN_ACTION_STATUSES),
    )
    if overdue:
        qs = qs.filter(due_on__lt=today)
    return qs.select_related("series", "meeting", "assigned_agency", "assigned_officer").order_by("due_on", "id")


def meeting_action_items(user: User, mine: bool, overdue: bool, today: dt.date) -> list[OtherAction]:
    """The agency action list's rows for meeting actions (registered in ``MeetingsConfig.ready``)."""
    rows = []
    for action in meeting_actions_for(user, mine=mine, overdue=overdue, today=today)[:500]:
        when = timezone.localtime(action.meeting.starts_at)
        rows.append(
            OtherAction(
                title=action.title,
                url=action.get_absolute_url(),
                context=f"{action.series.name}, {when.day} {when:%B %Y}",
                agency=action.assigned_agency.name,
                officer=action.assigned_officer.get_full_name() if action.assigned_officer else "",
                due_on=action.due_on,
                status=action.get_status_display(),
                key=str(action.uuid),
            )
        )
    return rows


def panel_outcomes(user: User, record: VulnerabilityRecord) -> list[PanelOutcome]:
    """The decisions and actions meetings recorded about a cuckooing panel record, for its page (registered in
    ``MeetingsConfig.ready``). The page is shown only to those who may see the record; the meeting is named by its
    series and day (no link: not every reader of the record sits on the panel)."""
    if not VulnerabilityRecord.objects.visible_to(user).filter(pk=record.pk).exists():
        return []
    rows: list[PanelOutcome] = []
    for decision in MeetingDecision.objects.filter(vulnerability_record=record).select_related("meeting__series"):
        rows.append(PanelOutcome("Decision", decision.text, _context(decision.meeting), decision.meeting.starts_at))
    for action in MeetingAction.objects.filter(vulnerability_record=record).select_related(
        "meeting__series", "assigned_agency", "assigned_officer"
    ):
        who = action.assigned_agency.name
        if action.assigned_officer is not None:
            who += f", {action.assigned_officer.get_full_name()}"
        rows.append(
            PanelOutcome(
                "Action",
                action.title,
                _context(action.meeting),
                action.meeting.starts_at,
                agency=who,
                due_on=action.due_on,
                status=action.get_status_display(),
            )
        )
    return sorted(rows, key=lambda r: (r.at, r.kind))


def _context(meeting: Meeting) -> str:
    when = timezone.localtime(meeting.starts_at)
    return f"{meeting.series.name}, {when.day} {when:%B %Y}"
