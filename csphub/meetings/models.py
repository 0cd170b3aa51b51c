"""Meetings: recurring series with members by agency, agendas built from records referred to them, minutes,
decisions, attendance and actions; action groups (a series with objectives that partners report progress on).

A series is a governed record (``Governed``): no personal data of its own (a name, dates, the member agencies), so
OFFICIAL and general; its statutory member agencies are its parties and the users of its community-sector members
(voluntary, faith, business) are shared with personally, so the access policy decides who sees a series and its
meetings. What an agenda item, a decision or an action concerns (a case, a referral, a person, a place) is governed
by that record: each viewer sees it only if ``visible_to`` lets them (``csphub.meetings.agenda``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from csphub.access.models import Governed
from csphub.audit.registry import audited
from csphub.cases.kinds import OPEN_ACTION_STATUSES, ActionStatus
from csphub.ui.links import record_url

# A MARAC hears each case in 12 to 15 minutes (SafeLives' MARAC guidance: a full agenda of about 20 cases a day).
MARAC_MINUTES = (12, 15)


class Recurrence(models.TextChoices):
    SIX_WEEKLY = "six_weekly", "Every six weeks"
    MONTHLY = "monthly", "Monthly"
    AD_HOC = "ad_hoc", "Ad hoc"


class SeriesKind(models.TextChoices):
    PANEL = "panel", "Board or panel"
    MARAC = "marac", "MARAC"
    CUCKOOING = "cuckooing", "Cuckooing panel"
    ACTION_GROUP = "action_group", "Action group"


class MemberRole(models.TextChoices):
    CHAIR = "chair", "Chair"
    SECRETARIAT = "secretariat", "Secretariat"
    MEMBER = "member", "Member"


@audited(label="meeting series", exclude=("updated_at",))
class MeetingSeries(Governed):
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=14, choices=SeriesKind.choices, default=SeriesKind.PANEL)
    purpose = models.TextField(blank=True)
    recurrence = models.CharField(max_length=12, choices=Recurrence.choices, default=Recurrence.AD_HOC)
    first_starts_at = models.DateTimeField(help_text="When the first meeting starts (the pattern follows it)")
    duration_minutes = models.PositiveSmallIntegerField(default=120)
    location = models.CharField(max_length=200, blank=True)
    minutes_per_case = models.PositiveSmallIntegerField(default=10, help_text="Time on the agenda for each case")
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    secretariat = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "meeting series"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return record_url("meetings:series", self.uuid)

    def clean(self) -> None:
        super().clean()
        low, high = MARAC_MINUTES
        if self.kind == SeriesKind.MARAC and not low <= self.minutes_per_case <= high:
            raise ValidationError({"minutes_per_case": f"A MARAC hears each case in {low} to {high} minutes"})

    @property
    def is_action_group(self) -> bool:
        return self.kind == SeriesKind.ACTION_GROUP


@audited(label="meeting member", kind="configuration", record=lambda m: m.series)
class SeriesMember(models.Model):
    """An agency sitting on a series (its chair, its secretariat or a member)."""

    series = models.ForeignKey(MeetingSeries, on_delete=models.CASCADE, related_name="members")
    agency = models.ForeignKey("partnership.Agency", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=12, choices=MemberRole.choices, default=MemberRole.MEMBER)

    class Meta:
        ordering = ["agency__name", "id"]
        constraints = [models.UniqueConstraint(fields=["series", "agency"], name="unique_series_member")]

    def __str__(self) -> str:
        return f"{self.agency} ({self.get_role_display()}) on {self.series}"


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


@audited(label="meeting", record=lambda m: m.series)
class Meeting(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    series = models.ForeignKey(MeetingSeries, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=120)
    location = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED)
    minutes = models.TextField(blank=True, help_text="The minutes of the general business (no personal data)")
    cancellation_reason = models.TextField(blank=True, help_text="Why the meeting was cancelled (no personal data)")
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # RFC 5545 SEQUENCE: each change of time, and a cancellation, makes calendars replace the invitation they hold.
    sequence = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["series", "starts_at"], name="unique_meeting_start")]

    def __str__(self) -> str:
        return f"{self.series} on {timezone.localtime(self.starts_at):%d %B %Y}"

    def get_absolute_url(self) -> str:
        return record_url("meetings:meeting", self.uuid)

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.duration_minutes)

    @property
    def local_date(self) -> dt.date:
        return timezone.localtime(self.starts_at).date()

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    @property
    def is_scheduled(self) -> bool:
        return self.status == MeetingStatus.SCHEDULED


# Why a cuckooing panel record is on the agenda (``cuckooing.queries.agenda``), in the order the panel hears them
# (``AgendaItem.panel_group`` is the index).
PANEL_GROUPS: tuple[str, ...] = ("Review due", "New to the panel", "On the ranked list")


class ItemKind(models.TextChoices):
    BUSINESS = "business", "General business"
    CASE = "case", "Case"
    REFERRAL = "referral", "Referral"
    PERSON = "person", "Person in the register"
    PLACE = "place", "Place in the register"
    MARAC = "marac", "MARAC referral"
    CUCKOOING = "cuckooing", "Cuckooing panel record"
    CARRIED_ACTION = "carried_action", "Action carried over"
    CARRIED_CASE_ACTION = "carried_case_action", "Case action carried over"


@audited(label="agenda item", record=lambda i: i.meeting.series)
class AgendaItem(models.Model):
    """One item of a meeting's agenda: general business, a record referred to the meeting, or an action carried over.

    A record's item is governed by the record: each viewer sees it only if they may see the record."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=20, choices=ItemKind.choices)
    title = models.CharField(max_length=200, blank=True, help_text="General business only")
    minutes_allotted = models.PositiveSmallIntegerField(default=10)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey("registers.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    place = models.ForeignKey("registers.Place", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    marac_referral = models.ForeignKey(
        "cases.MaracReferral", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    meeting_action = models.ForeignKey(
        "MeetingAction", on_delete=models.CASCADE, null=True, blank=True, related_name="carried_in"
    )
    case_action = models.ForeignKey("cases.Action", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    vulnerability_record = models.ForeignKey(
        "cuckooing.VulnerabilityRecord", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # A cuckooing panel record's place in the panel's ranking when it was brought (the same for every attendee):
    # why it is on the agenda (review due, new, ranked: ``PANEL_GROUPS``) and its score, 0 to 100.
    panel_group = models.PositiveSmallIntegerField(null=True, blank=True)
    panel_score = models.FloatField(null=True, blank=True)
    # An item of a cancelled meeting carried to a later one (each is carried once).
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="carried_to"
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on the agenda of {self.meeting}"


@audited(
    label="meeting decision", record=lambda d: d.meeting.series, related=lambda d: d.case or d.vulnerability_record
)
class MeetingDecision(models.Model):
    """A decision the meeting made about a case (it is on the case's timeline too: ``timeline_entry``) or about a
    cuckooing panel record (it is on the record's page: ``queries.panel_outcomes``)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    vulnerability_record = models.ForeignKey(
        "cuckooing.VulnerabilityRecord", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    text = models.TextField()
    timeline_entry = models.ForeignKey(
        "cases.TimelineEntry", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(case__isnull=False, vulnerability_record__isnull=True)
                | models.Q(case__isnull=True, vulnerability_record__isnull=False),
                name="meeting_decision_about_one_record",
            )
        ]

    def __str__(self) -> str:
        return f"Decision at {self.meeting}"

    @property
    def about(self) -> Any:
        """The record the decision is about: the case or the cuckooing panel record."""
        return self.case if self.case_id is not None else self.vulnerability_record


@audited(label="meeting attendance", kind="configuration", record=lambda a: a.meeting.series)
class Attendance(models.Model):
    """An agency at a meeting: present or sent apologies."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    agency = models.ForeignKey("partnership.Agency", on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField(default=True)

    class Meta:
        ordering = ["agency__name", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "agency"], name="unique_meeting_attendance")]

    def __str__(self) -> str:
        return f"{self.agency} {'at' if self.present else 'absent from'} {self.meeting}"


@audited(label="meeting action", record=lambda a: a.series)
class MeetingAction(models.Model):
    """An action a meeting agreed that concerns no case (a case's action is the case's ``Action``, linked to the
    meeting by ``AgreedCaseAction``): for an agency, optionally one officer, with a due date."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    series = models.ForeignKey(MeetingSeries, on_delete=models.CASCADE, related_name="actions")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    objective = models.ForeignKey("Objective", on_delete=models.SET_NULL, null=True, blank=True, related_name="actions")
    # A cuckooing panel record the action is about (shown, as the record, only to those who may see it).
    vulnerability_record = models.ForeignKey(
        "cuckooing.VulnerabilityRecord", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    title = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    assigned_agency = models.ForeignKey("partnership.Agency", on_delete=models.PROTECT, related_name="+")
    assigned_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField()
    status = models.CharField(max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    outcome = models.TextField(blank=True)
    completed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["assigned_agency", "status", "due_on"]),
            models.Index(fields=["assigned_officer", "status", "due_on"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return record_url("meetings:action", self.uuid)

    def clean(self) -> None:
        officer: Any = self.assigned_officer
        if officer is not None and officer.agency_id != self.assigned_agency_id:
            raise ValidationError({"assigned_officer": "The officer must belong to the agency the action is for"})
        if self.status == ActionStatus.DONE and not self.outcome.strip():
            raise ValidationError({"outcome": "Record the outcome of a completed action"})

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION_STATUSES

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return self.is_open and self.due_on < (today or timezone.localdate())


@audited(label="action agreed at a meeting", kind="configuration", record=lambda a: a.meeting.series)
class AgreedCaseAction(models.Model):
    """A case's action agreed at a meeting (the action itself is the case's, on the case's page)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="case_actions")
    action = models.ForeignKey("cases.Action", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "action"], name="unique_agreed_case_action")]

    def __str__(self) -> str:
        return f"Case action agreed at {self.meeting}"


class Theme(models.TextChoices):
    YOUTH = "youth", "Youth provision"
    HOMELESSNESS = "homelessness", "Homelessness"
    ISOLATION = "isolation", "Social isolation"
    ASB = "asb", "Anti-social behaviour"
    NTE = "nte", "Night-time economy"
    OTHER = "other", "Other"


@audited(label="objective", kind="configuration", record=lambda o: o.series)
class Objective(models.Model):
    """An objective of an action group, under a theme, with the agency that leads on it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    series = models.ForeignKey(MeetingSeries, on_delete=models.CASCADE, related_name="objectives")
    theme = models.CharField(max_length=14, choices=Theme.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    lead_agency = models.ForeignKey(
        "partnership.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Rating(models.TextChoices):
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"
    ACHIEVED = "achieved", "Achieved"


@audited(label="progress report", kind="configuration", record=lambda p: p.objective.series)
class ProgressReport(models.Model):
    """A partner's report of progress against an objective (no personal data: what was done, not for whom)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="progress")
    agency = models.ForeignKey("partnership.Agency", on_delete=models.PROTECT, related_name="+")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_on = models.DateField(default=timezone.localdate)
    rating = models.CharField(max_length=10, choices=Rating.choices)
    text = models.TextField()
    people_reached = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-reported_on", "-id"]

    def __str__(self) -> str:
        return f"{self.agency} on {self.objective} ({self.reported_on:%d %b %Y})"
