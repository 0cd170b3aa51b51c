"""Verbs on meetings: set up a series and its members, schedule the next meeting (carrying open actions over),
refer records to a meeting, build a MARAC agenda, record minutes, attendance, decisions and actions, and report
progress against an action group's objectives.

Each verb asks the access policy (``require``) whether the acting user may do it; decisions and case actions go
through the case services, so they are on the case's timeline and action list as if recorded on the case's page.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_module
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone

from csphub.access.policy import allowed_actions, is_community_user
from csphub.access.services import require
from csphub.access.vocabulary import Verb
from csphub.cases import services as case_services
from csphub.cases.kinds import OPEN_ACTION_STATUSES, ActionStatus, EntryKind
from csphub.cases.models import Action, Case, MaracReferral
from csphub.cuckooing import queries as cuckooing_queries
from csphub.cuckooing.models import VulnerabilityRecord
from csphub.meetings import recurrence
from csphub.meetings.models import (
    PANEL_GROUPS,
    AgendaItem,
    AgreedCaseAction,
    Attendance,
    ItemKind,
    Meeting,
    MeetingAction,
    MeetingDecision,
    MeetingSeries,
    MeetingStatus,
    MemberRole,
    Objective,
    ProgressReport,
    SeriesKind,
    SeriesMember,
)
from csphub.partnership.models import Agency, Role, User
from csphub.referrals.models import Referral
from csphub.registers.models import Person, Place

if TYPE_CHECKING:
    from csphub.access.models import Governed

# What may be referred to a meeting, and the kind of agenda item each makes.
REFERABLE: dict[type, ItemKind] = {
    Case: ItemKind.CASE,
    Referral: ItemKind.REFERRAL,
    Person: ItemKind.PERSON,
    Place: ItemKind.PLACE,
    VulnerabilityRecord: ItemKind.CUCKOOING,
}
_ITEM_FIELD: dict[str, str] = {
    ItemKind.CASE: "case",
    ItemKind.REFERRAL: "referral",
    ItemKind.PERSON: "person",
    ItemKind.PLACE: "place",
    ItemKind.CUCKOOING: "vulnerability_record",
}
# Records new to the panel in the four weeks before a meeting are heard after the reviews due (as the panel's list).
PANEL_NEW_DAYS = 28


# --- Series and members -------------------------------------------------------------------------------------------


@transaction.atomic
def create_series(
    by: User,
    *,
    name: str,
    kind: str,
    recurrence_rule: str,
    first_starts_at: dt.datetime,
    members: Iterable[tuple[Agency, str]],
    duration_minutes: int = 120,
    location: str = "",
    purpose: str = "",
    minutes_per_case: int = 10,
    chair: User | None = None,
    secretariat: User | None = None,
    uuid: uuid_module.UUID | None = None,
) -> MeetingSeries:
    """A series owned by the user's agency, with its first meeting. ``uuid``: a stable identity (the demo)."""
    if Verb.CREATE not in allowed_actions(by) or by.agency is None or is_community_user(by):
        raise PermissionDenied("Your role does not allow you to set up meetings.")
    series = MeetingSeries(
        uuid=uuid or uuid_module.uuid4(),
        name=name.strip(),
        kind=kind,
        purpose=purpose.strip(),
        recurrence=recurrence_rule,
        first_starts_at=first_starts_at,
        duration_minutes=duration_minutes,
        location=location.strip(),
        minutes_per_case=minutes_per_case,
        chair=chair,
        secretariat=secretariat,
        owning_agency=by.agency,
        created_by=by,
    )
    series.full_clean()
    series.save()
    set_members(series, members)
    first = _new_meeting(series, first_starts_at)
    if series.kind == SeriesKind.MARAC:
        add_marac_referrals(first)
    return series


def set_members(series: MeetingSeries, members: Iterable[tuple[Agency, str]]) -> None:
    """The agencies sitting on the series, and through them who may see it (the access policy's own rules).

    Statutory member agencies become parties to the series (rule 1: their users see it by their role); the users
    of community-sector members (voluntary, faith, business: never through their agency) are shared with
    personally (rule 2: they read it). The series holds no personal data: this discloses only its dates and
    member agencies; what its agendas refer to stays governed by each record."""
    wanted = {agency.pk: (agency, role) for agency, role in members}
    if series.owning_agency_id not in wanted:
        wanted[series.owning_agency_id] = (series.owning_agency, MemberRole.MEMBER)
    for row in series.members.all():
        if row.agency_id not in wanted:
            row.delete()
    for agency, role in wanted.values():
        SeriesMember.objects.update_or_create(series=series, agency=agency, defaults={"role": role})
    agencies = [a for a, _ in wanted.values()]
    statutory = [a for a in agencies if not a.is_community_sector and a.pk != series.owning_agency_id]
    community = [a for a in agencies if a.is_community_sector]
    series.parties.set(statutory)
    series.shared_with_users.set(User.objects.filter(agency__in=community, is_active=True))


def member_agencies(series: MeetingSeries) -> list[Agency]:
    return [m.agency for m in series.members.select_related("agency")]


MEMBERS_REFUSAL = "Only the series' chair, its secretariat or a partnership manager changes who sits on it."


def check_may_change_members(series: MeetingSeries, by: User) -> None:
    """Who sits on a series is changed by its named chair or secretariat, or a partnership manager, and only if the
    access policy lets them change the series (``require``: 403 with its reason otherwise)."""
    require(by, Verb.CHANGE, series)
    if by.pk not in (series.chair_id, series.secretariat_id) and not by.has_role(Role.PARTNERSHIP_MANAGER):
        raise PermissionDenied(MEMBERS_REFUSAL)


def may_change_members(series: MeetingSeries, by: User) -> bool:
    try:
        check_may_change_members(series, by)
    except PermissionDenied:
        return False
    return True


@transaction.atomic
def change_members(
    series: MeetingSeries,
    by: User,
    *,
    members: Iterable[tuple[Agency, str]],
    chair: User | None,
    secretariat: User | None,
) -> MeetingSeries:
    """The agencies sitting on the series with their roles (one chair's agency, one secretariat's at most), and the
    named chair and secretariat, who work for a member agency (for the chair's or secretariat's agency, if one is
    named). The agency holding the series stays on it. Who may see the series follows (``set_members``)."""
    check_may_change_members(series, by)
    members = list(members)
    by_agency = {agency.pk: role for agency, role in members}
    if series.owning_agency_id not in by_agency:
        raise ValidationError({"members": f"{series.owning_agency} holds the series: it stays a member"})
    counts = Counter(by_agency.values())
    for role, label in ((MemberRole.CHAIR, "chair"), (MemberRole.SECRETARIAT, "secretariat")):
        if counts[role] > 1:
            raise ValidationError({"members": f"Choose one agency as the {label}"})
    for user, role, label in ((chair, MemberRole.CHAIR, "chair"), (secretariat, MemberRole.SECRETARIAT, "secretariat")):
        if user is None:
            continue
        if user.agency_id not in by_agency:
            raise ValidationError({label: f"The {label} must work for one of the member agencies"})
        named = next((a for a, r in members if r == role), None)
        if named is not None and user.agency_id != named.pk:
            raise ValidationError({label: f"The {label} must work for the {label}'s agency, {named}"})
    set_members(series, members)
    series.chair = chair
    series.secretariat = secretariat
    series.full_clean()
    series.save()
    return series


# --- Meetings -----------------------------------------------------------------------------------------------------


def _new_meeting(series: MeetingSeries, starts_at: dt.datetime) -> Meeting:
    meeting = Meeting(
        series=series, starts_at=starts_at, duration_minutes=series.duration_minutes, location=series.location
    )
    meeting.full_clean()
    meeting.save()
    return meeting


def next_start(series: MeetingSeries) -> dt.datetime | None:
    """When the series meets next after its latest meeting (None: an ad hoc series)."""
    latest = series.meetings.aggregate(latest=Max("starts_at"))["latest"] or series.first_starts_at
    return recurrence.next_start(series.recurrence, series.first_starts_at, latest)


@transaction.atomic
def schedule_next(series: MeetingSeries, by: User, *, starts_at: dt.datetime | None = None) -> Meeting:
    """The series' next meeting, by its pattern (or at ``starts_at``: an ad hoc series must say when), with every
    open action of its earlier meetings carried over onto the agenda and, for a MARAC, the referrals it hears."""
    require(by, Verb.CHANGE, series)
    when = starts_at or next_start(series)
    if when is None:
        raise ValidationError({"starts_at": "An ad hoc series has no pattern: say when the meeting starts"})
    if series.meetings.filter(starts_at=when).exists():
        raise ValidationError({"starts_at": "The series already meets then"})
    meeting = _new_meeting(series, when)
    carry_over(meeting)
    if series.kind == SeriesKind.MARAC:
        add_marac_referrals(meeting)
    return meeting


def following_meeting(meeting: Meeting) -> Meeting | None:
    """The series' next scheduled meeting after this one."""
    return (
        meeting.series.meetings.filter(starts_at__gt=meeting.starts_at, status=MeetingStatus.SCHEDULED)
        .order_by("starts_at")
        .first()
    )


@transaction.atomic
def cancel(meeting: Meeting, by: User, *, reason: str) -> Meeting:
    """Cancel a scheduled meeting, saying why (kept with it, and in the audit log with the change). Its agenda is not
    lost: the open items and actions go to the series' next meeting (now, if one is scheduled; otherwise when it is:
    ``carry_over``), and its calendar invitation becomes a cancellation (``calendar.invitation``)."""
    require(by, Verb.CHANGE, meeting.series)
    reason = reason.strip()
    if len(reason) < 5:
        raise ValidationError({"reason": "Say why the meeting is cancelled"})
    if not meeting.is_scheduled:
        status = meeting.get_status_display().lower()
        raise ValidationError({"reason": f"The meeting is {status}: it cannot be cancelled"})
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancellation_reason = reason
    meeting.cancelled_by = by
    meeting.cancelled_at = timezone.now()
    meeting.sequence += 1
    meeting.full_clean()
    meeting.save()
    following = following_meeting(meeting)
    if following is not None:
        carry_over(following)
    return meeting


@transaction.atomic
def reschedule(meeting: Meeting, by: User, *, starts_at: dt.datetime) -> Meeting:
    """Move a scheduled meeting to another day or time, still between the series' meetings before and after it (its
    agenda keeps its order and its times follow). The invitation's sequence goes up: calendars move it."""
    require(by, Verb.CHANGE, meeting.series)
    if not meeting.is_scheduled:
        raise ValidationError({"day": f"The meeting is {meeting.get_status_display().lower()}: it cannot be moved"})
    if starts_at <= timezone.now():
        raise ValidationError({"day": "Choose a day and time in the future"})
    others = meeting.series.meetings.exclude(pk=meeting.pk)
    if others.filter(starts_at=starts_at).exists():
        raise ValidationError({"day": "The series already meets then"})
    held = others.exclude(status=MeetingStatus.CANCELLED)
    before = held.filter(starts_at__lt=meeting.starts_at).order_by("-starts_at").first()
    after = held.filter(starts_at__gt=meeting.starts_at).order_by("starts_at").first()
    if before is not None and starts_at <= before.starts_at:
        raise ValidationError({"day": f"It must come after the meeting of {_day(before)}"})
    if after is not None and starts_at >= after.starts_at:
        raise ValidationError({"day": f"It must come before the meeting of {_day(after)}: move that one first"})
    meeting.starts_at = starts_at
    meeting.sequence += 1
    meeting.full_clean()
    meeting.save()
    return meeting


def _day(meeting: Meeting) -> str:
    when = timezone.localtime(meeting.starts_at)
    return f"{when.day} {when:%B %Y}"


def _next_position(meeting: Meeting) -> int:
    return (meeting.items.aggregate(top=Max("position"))["top"] or 0) + 1


def carry_over(meeting: Meeting) -> list[AgendaItem]:
    """Put every action of the series' earlier meetings still open (not started or in progress, overdue or not)
    on this meeting's agenda, once each: the meeting's own actions, and the case actions agreed at its meetings."""
    earlier = Meeting.objects.filter(series=meeting.series, starts_at__lt=meeting.starts_at)
    carried_own = set(meeting.items.exclude(meeting_action=None).values_list("meeting_action_id", flat=True))
    carried_case = set(meeting.items.exclude(case_action=None).values_list("case_action_id", flat=True))
    own = MeetingAction.objects.filter(meeting__in=earlier, status__in=list(OPEN_ACTION_STATUSES)).order_by("due_on")
    case_actions = Action.objects.filter(
        pk__in=AgreedCaseAction.objects.filter(meeting__in=earlier).values("action_id"),
        status__in=list(OPEN_ACTION_STATUSES),
    ).order_by("due_on", "id")
    made: list[AgendaItem] = []
    position = _next_position(meeting)
    for action in own:
        if action.pk not in carried_own:
            made.append(
                AgendaItem(meeting=meeting, position=position, kind=ItemKind.CARRIED_ACTION, meeting_action=action)
            )
            position += 1
    for case_action in case_actions:
        if case_action.pk not in carried_case:
            made.append(
                AgendaItem(
                    meeting=meeting,
                    position=position,
                    kind=ItemKind.CARRIED_CASE_ACTION,
                    case_action=case_action,
                    case_id=case_action.case_id,
                )
            )
            position += 1
    for item in made:
        item.minutes_allotted = 2
        item.save()
    return made + _carry_cancelled(meeting, earlier)


# Items of a cancelled meeting that carry to the next: what was referred to it and its general business (its own
# carried actions are carried again from the actions themselves, while they are open).
_CARRIED_KINDS = (
    ItemKind.BUSINESS,
    ItemKind.CASE,
    ItemKind.REFERRAL,
    ItemKind.PERSON,
    ItemKind.PLACE,
    ItemKind.MARAC,
    ItemKind.CUCKOOING,
)
_RECORD_FIELDS = ("case_id", "referral_id", "person_id", "place_id", "marac_referral_id", "vulnerability_record_id")


def _carry_cancelled(meeting: Meeting, earlier: models.QuerySet[Meeting]) -> list[AgendaItem]:
    """The agenda items of the earlier cancelled meetings not yet carried anywhere, onto this meeting (once each; one
    already on this agenda is not doubled). A MARAC referral's actions become this meeting's too."""
    pending = (
        AgendaItem.objects.filter(
            meeting__in=earlier.filter(status=MeetingStatus.CANCELLED), kind__in=_CARRIED_KINDS, carried_to=None
        )
        .select_related("meeting")
        .order_by("meeting__starts_at", "position", "id")
    )
    present = {(item.kind, *(getattr(item, f) for f in _RECORD_FIELDS), item.title) for item in meeting.items.all()}
    made: list[AgendaItem] = []
    position = _next_position(meeting)
    for old in pending:
        key = (old.kind, *(getattr(old, f) for f in _RECORD_FIELDS), old.title)
        if key in present:
            continue
        present.add(key)
        made.append(
            AgendaItem.objects.create(
                meeting=meeting,
                position=position,
                kind=old.kind,
                title=old.title,
                minutes_allotted=old.minutes_allotted,
                case_id=old.case_id,
                referral_id=old.referral_id,
                person_id=old.person_id,
                place_id=old.place_id,
                marac_referral_id=old.marac_referral_id,
                vulnerability_record_id=old.vulnerability_record_id,
                panel_group=old.panel_group,
                panel_score=old.panel_score,
                referred_by_id=old.referred_by_id,
                carried_from=old,
            )
        )
        position += 1
        if old.marac_referral_id is not None:
            for action in Action.objects.filter(marac_referral_id=old.marac_referral_id):
                AgreedCaseAction.objects.get_or_create(meeting=meeting, action=action)
    if any(item.kind == ItemKind.CUCKOOING for item in made):
        order_panel_items(meeting)
    return made


def add_business(meeting: Meeting, by: User, *, title: str, minutes: int = 10) -> AgendaItem:
    """An item of general business (no personal data: "Minutes of the last meeting", "Terms of reference")."""
    require(by, Verb.CHANGE, meeting.series)
    item = AgendaItem(
        meeting=meeting,
        position=_next_position(meeting),
        kind=ItemKind.BUSINESS,
        title=title.strip(),
        minutes_allotted=minutes,
        referred_by=by,
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def refer(meeting: Meeting, by: User, record: Governed) -> AgendaItem:
    """Refer a case, a referral, or a person or place of the register to a meeting: an item of its agenda.

    The user must see the meeting and be able to act on the record. Nothing is disclosed by it: each attendee
    sees the item only if the access policy lets them see the record (``csphub.meetings.agenda``)."""
    kind = REFERABLE.get(type(record))
    if kind is None:
        raise ValidationError("Only cases, referrals, people and places can be referred to a meeting")
    if not MeetingSeries.objects.visible_to(by).filter(pk=meeting.series_id).exists():
        raise PermissionDenied("You do not have access to this meeting.")
    require(by, Verb.CHANGE, record)
    if meeting.is_cancelled:
        raise ValidationError("The meeting is cancelled: refer it to the next one")
    field = _ITEM_FIELD[kind]
    if meeting.items.filter(kind=kind, **{field: record}).exists():
        raise ValidationError("It is already on the agenda")
    panel: dict[str, int | float | None] = {}
    if isinstance(record, VulnerabilityRecord):
        panel = _panel_place(meeting, by, record)
    item = AgendaItem(
        meeting=meeting,
        position=_next_position(meeting),
        kind=kind,
        minutes_allotted=meeting.series.minutes_per_case,
        referred_by=by,
        **{field: record},
        **panel,
    )
    item.full_clean()
    item.save()
    if isinstance(record, VulnerabilityRecord):
        order_panel_items(meeting)
    return item


def _panel_place(meeting: Meeting, by: User, record: VulnerabilityRecord) -> dict[str, int | float | None]:
    """A cuckooing record's place on a panel meeting's agenda: why it is there (review due by the meeting, new to the
    panel in the four weeks before it, or ranked) and its score on the ranked list as at the meeting's day."""
    if meeting.series.kind != SeriesKind.CUCKOOING:
        raise ValidationError("A cuckooing vulnerability record goes to a meeting of a cuckooing panel")
    day = meeting.local_date
    row = cuckooing_queries.row_for(by, record, day)
    if row is None:
        raise ValidationError("Only an open record on the panel's ranked list can go on the agenda")
    if record.review_on is not None and record.review_on <= day:
        group = 0
    elif record.opened_on >= day - dt.timedelta(days=PANEL_NEW_DAYS):
        group = 1
    else:
        group = 2
    return {"panel_group": group, "panel_score": round(row.score, 1)}


def order_panel_items(meeting: Meeting) -> None:
    """Keep the cuckooing panel's records together on the agenda, where the first of them stands, in the panel's
    order: reviews due, then records new to the panel, then the rest, each by rank (score, highest first)."""
    items = list(meeting.items.order_by("position", "id"))
    panel = [i for i in items if i.kind == ItemKind.CUCKOOING]
    if not panel:
        return
    panel.sort(key=lambda i: (i.panel_group if i.panel_group is not None else 9, -(i.panel_score or 0.0), i.pk))
    first = next(n for n, i in enumerate(items) if i.kind == ItemKind.CUCKOOING)
    others = [i for i in items if i.kind != ItemKind.CUCKOOING]
    before = sum(1 for i in items[:first] if i.kind != ItemKind.CUCKOOING)
    for position, item in enumerate([*others[:before], *panel, *others[before:]], start=1):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])


@transaction.atomic
def bring_cuckooing_panel(meeting: Meeting, by: User, *, limit: int = 25) -> tuple[list[AgendaItem], int]:
    """A cuckooing panel meeting's agenda from the panel's ranked list (``cuckooing.queries.agenda`` as the user may
    see it, as at the meeting's day): reviews due, records new to the panel, then the rest by rank, up to ``limit``.
    Only the records the user may act on are referred (as ``refer``); the others are counted, for their holders to
    bring. Each attendee then sees the items the policy lets them see (``agenda_for``). Returns (made, left)."""
    if meeting.series.kind != SeriesKind.CUCKOOING:
        raise ValidationError("Only a cuckooing panel's meetings take the panel's ranked list")
    require(by, Verb.CHANGE, meeting.series)
    if not meeting.is_scheduled:
        raise ValidationError(f"The meeting is {meeting.get_status_display().lower()}")
    listed = cuckooing_queries.agenda(by, meeting.local_date, limit=limit)
    ids = [entry.row.record.pk for entry in listed.items]
    on_it = meeting.items.filter(vulnerability_record_id__in=ids)
    present = set(on_it.values_list("vulnerability_record_id", flat=True))
    may_act = set(
        VulnerabilityRecord.objects.visible_to(by, Verb.CHANGE).filter(pk__in=ids).values_list("pk", flat=True)
    )
    made: list[AgendaItem] = []
    left = 0
    position = _next_position(meeting)
    for entry in listed.items:
        record = entry.row.record
        if record.pk in present:
            continue
        if record.pk not in may_act:
            left += 1
            continue
        made.append(
            AgendaItem.objects.create(
                meeting=meeting,
                position=position,
                kind=ItemKind.CUCKOOING,
                vulnerability_record=record,
                panel_group=PANEL_GROUPS.index(entry.why) if entry.why in PANEL_GROUPS else 2,
                panel_score=round(entry.row.score, 1),
                minutes_allotted=meeting.series.minutes_per_case,
                referred_by=by,
            )
        )
        position += 1
    order_panel_items(meeting)
    return made, left


def may_refer(user: User, record: Governed) -> bool:
    """Whether the user may refer this record to a meeting: one they may act on, of a kind meetings take."""
    if type(record) not in REFERABLE or Verb.CHANGE not in allowed_actions(user):
        return False
    manager = type(record).objects
    return bool(manager.visible_to(user, Verb.CHANGE).filter(pk=record.pk).exists())


def referable_meetings(user: User, record: Governed, now: dt.datetime | None = None) -> list[Meeting]:
    """The meetings coming up the user may refer the record to: scheduled meetings of the series they may see that
    do not hold it yet (a cuckooing record: a cuckooing panel's only)."""
    kind = REFERABLE.get(type(record))
    if kind is None:
        return []
    now = now or timezone.now()
    meetings = Meeting.objects.filter(
        series__in=MeetingSeries.objects.visible_to(user).values("pk"),
        status=MeetingStatus.SCHEDULED,
        starts_at__gte=now,
    ).exclude(pk__in=AgendaItem.objects.filter(kind=kind, **{_ITEM_FIELD[kind]: record}).values("meeting_id"))
    if kind == ItemKind.CUCKOOING:
        meetings = meetings.filter(series__kind=SeriesKind.CUCKOOING)
    return list(meetings.select_related("series").order_by("starts_at", "series__name")[:50])


def add_marac_referrals(meeting: Meeting) -> list[AgendaItem]:
    """A MARAC's agenda: every MARAC referral heard on the meeting's day (``MaracReferral.meeting_on``, recorded
    with the referral) not yet on it, in the order referred, each given the series' minutes per case. The actions
    already recorded for the referral (``cases.services.add_marac_action``) are the meeting's: they are carried over
    to the next meetings while open."""
    if meeting.series.kind != SeriesKind.MARAC:
        return []
    present = set(meeting.items.exclude(marac_referral=None).values_list("marac_referral_id", flat=True))
    referrals = MaracReferral.objects.filter(meeting_on=meeting.local_date).order_by("referred_on", "id")
    made = []
    position = _next_position(meeting)
    for referral in referrals:
        if referral.pk in present:
            continue
        made.append(
            AgendaItem.objects.create(
                meeting=meeting,
                position=position,
                kind=ItemKind.MARAC,
                marac_referral=referral,
                case_id=referral.case_id,
                minutes_allotted=meeting.series.minutes_per_case,
            )
        )
        position += 1
        for action in referral.actions.all():
            AgreedCaseAction.objects.get_or_create(meeting=meeting, action=action)
    return made


# --- Minutes, decisions, actions ----------------------------------------------------------------------------------


@transaction.atomic
def record_minutes(meeting: Meeting, by: User, *, minutes: str, present: Iterable[Agency]) -> Meeting:
    """The minutes of the general business and which member agencies attended (the others sent apologies)."""
    require(by, Verb.CHANGE, meeting.series)
    members = {a.pk: a for a in member_agencies(meeting.series)}
    present_ids = {a.pk for a in present}
    outside = present_ids - set(members)
    if outside:
        raise ValidationError({"present": "Only the series' member agencies can attend"})
    for agency_id, agency in members.items():
        Attendance.objects.update_or_create(
            meeting=meeting, agency=agency, defaults={"present": agency_id in present_ids}
        )
    meeting.minutes = minutes.strip()
    meeting.status = "held"
    meeting.save()
    return meeting


def cases_on_agenda(meeting: Meeting) -> set[int]:
    return set(meeting.items.exclude(case=None).values_list("case_id", flat=True))


def panel_records_on_agenda(meeting: Meeting) -> set[int]:
    return set(meeting.items.exclude(vulnerability_record=None).values_list("vulnerability_record_id", flat=True))


def _check_panel_record(meeting: Meeting, by: User, record: VulnerabilityRecord, field: str) -> None:
    """A decision or action about a cuckooing record: by someone who may change the series (its chair's agency) and
    may see the record, about a record on the meeting's agenda."""
    require(by, Verb.CHANGE, meeting.series)
    if record.pk not in panel_records_on_agenda(meeting):
        raise ValidationError({field: "The record is not on this meeting's agenda"})
    if not VulnerabilityRecord.objects.visible_to(by).filter(pk=record.pk).exists():
        raise PermissionDenied("You do not have access to this record.")


@transaction.atomic
def record_decision(
    meeting: Meeting,
    by: User,
    *,
    text: str,
    case: Case | None = None,
    vulnerability_record: VulnerabilityRecord | None = None,
) -> MeetingDecision:
    """A decision the meeting made about a case on its agenda; it goes on the case's timeline as a decision
    (``cases.services.record_entry``: only someone who may change the case can record it). About a cuckooing panel
    record on the agenda instead: the chair (who may change the series) records it, and it is on the record's page
    for those who may see the record."""
    if not MeetingSeries.objects.visible_to(by).filter(pk=meeting.series_id).exists():
        raise PermissionDenied("You do not have access to this meeting.")
    if (case is None) == (vulnerability_record is None):
        raise ValidationError({"case": "Choose the case or the cuckooing record the decision is about"})
    text = text.strip()
    if vulnerability_record is not None:
        _check_panel_record(meeting, by, vulnerability_record, "vulnerability_record")
        if len(text) < 5:
            raise ValidationError({"text": "Enter the decision"})
        decision = MeetingDecision(
            meeting=meeting, vulnerability_record=vulnerability_record, text=text, recorded_by=by
        )
        decision.full_clean()
        decision.save()
        return decision
    assert case is not None
    if case.pk not in cases_on_agenda(meeting):
        raise ValidationError({"case": "The case is not on this meeting's agenda"})
    if len(text) < 5:
        raise ValidationError({"text": "Enter the decision"})
    when = timezone.localtime(meeting.starts_at)
    entry = case_services.record_entry(
        case,
        by,
        kind=EntryKind.DECISION,
        title=f"Decision of the {meeting.series.name} on {when.day} {when:%B %Y}"[:200],
        body=text,
        occurred_at=min(meeting.starts_at, timezone.now()),
    )
    decision = MeetingDecision(meeting=meeting, case=case, text=text, timeline_entry=entry, recorded_by=by)
    decision.full_clean()
    decision.save()
    return decision


@transaction.atomic
def add_action(
    meeting: Meeting,
    by: User,
    *,
    title: str,
    due_on: dt.date,
    assigned_agency: Agency,
    assigned_officer: User | None = None,
    detail: str = "",
    case: Case | None = None,
    vulnerability_record: VulnerabilityRecord | None = None,
    objective: Objective | None = None,
) -> Action | MeetingAction:
    """An action the meeting agreed. About a case on the agenda: the case's own action (a MARAC action when the
    case is heard as a MARAC referral), through the case services. Otherwise a meeting action, for a member agency;
    about a cuckooing panel record on the agenda, it names the record (shown only to those who may see it)."""
    if case is not None and vulnerability_record is not None:
        raise ValidationError({"case": "An action is about a case or a cuckooing record, not both"})
    if vulnerability_record is not None:
        _check_panel_record(meeting, by, vulnerability_record, "vulnerability_record")
    if case is not None:
        if case.pk not in cases_on_agenda(meeting):
            raise ValidationError({"case": "The case is not on this meeting's agenda"})
        marac_item = meeting.items.filter(kind=ItemKind.MARAC, case=case).select_related("marac_referral").first()
        case_action: Action
        if marac_item is not None and marac_item.marac_referral is not None:
            case_action = case_services.add_marac_action(
                marac_item.marac_referral,
                by,
                title=title,
                due_on=due_on,
                assigned_agency=assigned_agency,
                assigned_officer=assigned_officer,
                detail=detail,
            )
        else:
            case_action = case_services.add_action(
                case,
                by,
                title=title,
                due_on=due_on,
                assigned_agency=assigned_agency,
                assigned_officer=assigned_officer,
                detail=detail,
            )
        AgreedCaseAction.objects.create(meeting=meeting, action=case_action)
        return case_action
    require(by, Verb.CHANGE, meeting.series)
    if assigned_agency.pk not in {a.pk for a in member_agencies(meeting.series)}:
        raise ValidationError({"assigned_agency": f"{assigned_agency} does not sit on the {meeting.series}"})
    if objective is not None and objective.series_id != meeting.series_id:
        raise ValidationError({"objective": "The objective belongs to another group"})
    action = MeetingAction(
        series=meeting.series,
        meeting=meeting,
        objective=objective,
        vulnerability_record=vulnerability_record,
        title=title.strip(),
        detail=detail.strip(),
        assigned_agency=assigned_agency,
        assigned_officer=assigned_officer,
        due_on=due_on,
        created_by=by,
    )
    action.full_clean()
    action.save()
    return action


def check_may_update_action(action: MeetingAction, by: User) -> None:
    """The assigned agency's users (who may see the series), or anyone who may change the series."""
    if (
        by.agency_id == action.assigned_agency_id
        and MeetingSeries.objects.visible_to(by).filter(pk=action.series_id).exists()
    ):
        return
    require(by, Verb.CHANGE, action.series)


@transaction.atomic
def update_action(action: MeetingAction, by: User, *, status: str, outcome: str = "") -> MeetingAction:
    check_may_update_action(action, by)
    action.status = status
    action.outcome = outcome.strip()
    action.completed_on = timezone.localdate() if status == ActionStatus.DONE else None
    action.full_clean()
    action.save()
    return action


# --- Action groups ------------------------------------------------------------------------------------------------


def add_objective(
    series: MeetingSeries, by: User, *, theme: str, title: str, description: str = "", lead_agency: Agency | None = None
) -> Objective:
    require(by, Verb.CHANGE, series)
    position = (series.objectives.aggregate(top=Max("position"))["top"] or 0) + 1
    objective = Objective(
        series=series,
        theme=theme,
        title=title.strip(),
        description=description.strip(),
        lead_agency=lead_agency,
        position=position,
    )
    objective.full_clean()
    objective.save()
    return objective


def may_report_progress(series: MeetingSeries, by: User) -> bool:
    """A partner of the group (a user of a member agency, voluntary and faith included) who may see it."""
    return bool(
        by.agency_id is not None
        and series.members.filter(agency_id=by.agency_id).exists()
        and MeetingSeries.objects.visible_to(by).filter(pk=series.pk).exists()
    )


@transaction.atomic
def report_progress(
    objective: Objective,
    by: User,
    *,
    rating: str,
    text: str,
    reported_on: dt.date | None = None,
    people_reached: int | None = None,
) -> ProgressReport:
    """A partner's report of progress against an objective of their group, for their own agency."""
    if not may_report_progress(objective.series, by):
        raise PermissionDenied("Only the group's partners report progress against its objectives.")
    assert by.agency is not None
    report = ProgressReport(
        objective=objective,
        agency=by.agency,
        reported_by=by,
        reported_on=reported_on or timezone.localdate(),
        rating=rating,
        text=text.strip(),
        people_reached=people_reached,
    )
    report.full_clean()
    report.save()
    return report
