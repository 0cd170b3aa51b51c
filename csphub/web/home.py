"""The home page's panels: the day's work of the signed-in user, each panel a small query through the access policy.

Which panels a user gets is decided here (``panels_for``), from the policy's own tests (the verbs of their roles,
``may_triage``, ``may_review_grants``, ``may_see_statistics``); every record a panel lists comes from
``visible_to`` for the viewer (through the apps' queries), so a panel never shows what the viewer may not see.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Case as DbCase
from django.db.models import IntegerField, Q, Value, When
from django.utils import timezone

from csphub.access import consultation
from csphub.access.grants import AccessGrant
from csphub.access.policy import (
    allowed_actions,
    is_community_user,
    may_review_grants,
    may_see_statistics,
    may_triage,
)
from csphub.access.services import grants_for_review
from csphub.access.vocabulary import Verb
from csphub.cases.kinds import OPEN_ACTION_STATUSES, CaseStatus, CaseType
from csphub.cases.models import Action, Case
from csphub.cases.queries import CaseReviewDue, case_reviews_awaiting_decision, power_deadlines_for
from csphub.cuckooing.models import VulnerabilityRecord
from csphub.cuckooing.queries import reviews_overdue
from csphub.linkage.review import queue_for
from csphub.meetings.models import Meeting, MeetingAction
from csphub.meetings.queries import meeting_actions_for, upcoming_meetings
from csphub.partnership.models import Role
from csphub.referrals.models import Referral, ReferralStatus
from csphub.ui.dates import govuk_when

if TYPE_CHECKING:
    from csphub.partnership.models import User

#: how far ahead the deadlines panel looks
DEADLINE_DAYS = 7
#: rows shown in a panel (the full list is a link away)
PANEL_ROWS = 10


# --- My actions ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionsPanel:
    rows: list[Action]
    overdue: int
    total: int
    today: dt.date


def my_actions(user: User, today: dt.date | None = None, limit: int = PANEL_ROWS) -> ActionsPanel:
    """Open actions assigned to me, or to my agency with no officer named yet, in cases I may see: overdue first."""
    today = today or timezone.localdate()
    mine = Q(assigned_officer=user)
    if user.agency_id is not None:
        mine |= Q(assigned_agency_id=user.agency_id, assigned_officer__isnull=True)
    qs = Action.objects.filter(
        mine, case__in=Case.objects.visible_to(user), status__in=list(OPEN_ACTION_STATUSES)
    ).select_related("case", "assigned_agency", "assigned_officer")
    overdue_first = DbCase(When(due_on__lt=today, then=Value(0)), default=Value(1), output_field=IntegerField())
    rows: list[Action] = list(qs.order_by(overdue_first, "due_on", "id")[:limit])
    return ActionsPanel(rows, qs.filter(due_on__lt=today).count(), qs.count(), today)


# --- My meetings and their actions --------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingsPanel:
    actions: list[MeetingAction]
    upcoming: list[Meeting]
    today: dt.date


def my_meetings(user: User, now: dt.datetime | None = None, limit: int = PANEL_ROWS) -> MeetingsPanel:
    """Open actions from meetings assigned to me (or my agency, no officer named), and the meetings coming up of the
    series my agency sits on (both through the access policy: ``csphub.meetings.queries``)."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    return MeetingsPanel(
        list(meeting_actions_for(user, mine=True, today=today)[:limit]), upcoming_meetings(user, now, 5), today
    )


def referrals_made(user: User, limit: int = 5) -> tuple[list[Referral], int]:
    """A volunteer's own referrals, the latest first (those they may still see: ``visible_to``)."""
    qs = Referral.objects.visible_to(user).filter(referred_by=user)
    rows = list(qs.select_related("owning_agency").order_by("-created_at")[:limit])
    consultation.record_results(rows, "the home page", {"page": "home"})
    return rows, qs.count()


# --- Deadlines in the next 7 days ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DueItem:
    label: str
    case: Case
    due: dt.date | dt.datetime
    overdue: bool
    kind: str  # "power" or "case review"
    subject: str = ""

    @property
    def when(self) -> str:
        return govuk_when(self.due)

    @property
    def timed(self) -> bool:
        return isinstance(self.due, dt.datetime)

    def _key(self) -> dt.datetime:
        due = self.due
        if isinstance(due, dt.datetime):
            return timezone.localtime(due) if timezone.is_aware(due) else timezone.make_aware(due)
        return timezone.make_aware(dt.datetime.combine(due, dt.time.min))


def deadlines_due(
    user: User,
    now: dt.datetime | None = None,
    days: int = DEADLINE_DAYS,
    reviews: list[CaseReviewDue] | None = None,
) -> list[DueItem]:
    """Overdue deadlines and those due in the next ``days`` days, in cases I may see: ASB powers (closure notices to
    the hour) from the deadlines page's query, and case review decisions (``reviews``: by default those the user may
    record)."""
    now = now or timezone.now()
    horizon = now + dt.timedelta(days=days)
    items: list[DueItem] = []
    for row in power_deadlines_for(user, now):
        due = row.deadline.due
        limit_reached = due > horizon if isinstance(due, dt.datetime) else due > timezone.localtime(horizon).date()
        if not limit_reached:
            items.append(DueItem(row.deadline.label, row.case, due, row.deadline.overdue, "power", row.subject))
    if reviews is None and Verb.CHANGE in allowed_actions(user):
        reviews = case_reviews_awaiting_decision(user)
    if reviews:
        today = timezone.localtime(now).date()
        for review in reviews:
            if review.due_on <= timezone.localtime(horizon).date():
                items.append(
                    DueItem(
                        f"Case review decision on the application of {govuk_when(review.application.received_on)}",
                        review.case,
                        review.due_on,
                        review.is_overdue(today),
                        "case review",
                    )
                )
    return sorted(items, key=lambda i: (not i.overdue, i._key()))


# --- Referrals, grants and pairs waiting for me -------------------------------------------------------------------


def referrals_to_triage(user: User, limit: int = PANEL_ROWS) -> tuple[list[Referral], int]:
    """Referrals my team received and nobody has triaged yet (the triage inbox's query), oldest first."""
    qs = Referral.objects.visible_to(user, Verb.CHANGE).filter(status=ReferralStatus.RECEIVED)
    rows = list(qs.select_related("receiving_district").order_by("created_at")[:limit])
    consultation.record_results(rows, "the home page", {"page": "home"})
    return rows, qs.count()


def grants_to_review(user: User, limit: int = PANEL_ROWS) -> tuple[list[AccessGrant], int]:
    """Break-glass grants waiting for my review, oldest first."""
    qs = grants_for_review(user).awaiting_review()
    return list(qs.select_related("user", "user__agency").order_by("granted_at")[:limit]), qs.count()


def pairs_to_decide(user: User) -> int:
    """Possible duplicates in the register waiting for a decision, of people I may change."""
    return queue_for(user).count()


# --- An analyst's figures -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    total: int
    by_type: list[tuple[str, int]]
    by_status: list[tuple[str, int]]


def case_figures(user: User) -> Figures:
    """Counts of the cases I may see, by type and by status (nothing beyond what visible_to gives me)."""
    pairs = list(Case.objects.visible_to(user).values_list("case_type", "status"))
    types, statuses = Counter(t for t, _ in pairs), Counter(s for _, s in pairs)
    type_labels, status_labels = dict(CaseType.choices), dict(CaseStatus.choices)
    return Figures(
        len(pairs),
        sorted(((type_labels.get(t, t), n) for t, n in types.items()), key=lambda x: (-x[1], x[0])),
        [(status_labels[s], statuses[s]) for s in CaseStatus.values if statuses.get(s)],
    )


# --- Which panels -------------------------------------------------------------------------------------------------


@dataclass
class Panels:
    actions: ActionsPanel | None = None
    meetings: MeetingsPanel | None = None
    # A volunteer's home: the referrals they made (their way in) and their meetings.
    referrals_made: tuple[list[Referral], int] | None = None
    deadlines: list[DueItem] | None = None
    case_reviews: list[CaseReviewDue] | None = None
    referrals: tuple[list[Referral], int] | None = None
    grants: tuple[list[AccessGrant], int] | None = None
    pairs: int | None = None
    figures: Figures | None = None
    # Cuckooing panel records whose review date has passed (shown only when there are some).
    cuckooing_reviews: tuple[list[VulnerabilityRecord], int] | None = None
    shown: list[str] = field(default_factory=list)


def panels_for(user: User, now: dt.datetime | None = None) -> Panels:
    """The panels this user's roles can use, filled; a panel the role cannot use is None (not shown)."""
    now = now or timezone.now()
    verbs = allowed_actions(user)
    panels = Panels()
    if is_community_user(user):
        # Volunteers and business members: the referrals they made, and the meetings they sit on with their actions.
        panels.referrals_made = referrals_made(user)
        panels.meetings = my_meetings(user, now)
        panels.shown = ["referrals_made", "meetings"]
        return panels
    case_work = Verb.VIEW in verbs and not (user.roles and user.roles <= {Role.ANALYST})
    # Actions from meetings reach everyone who has them (an analyst named on one too), and the meetings coming up.
    meetings = my_meetings(user, now)
    if case_work or meetings.actions or meetings.upcoming:
        panels.meetings = meetings
    if Verb.CHANGE in verbs:
        panels.case_reviews = case_reviews_awaiting_decision(user)
    if case_work:
        panels.actions = my_actions(user, timezone.localtime(now).date())
        panels.deadlines = deadlines_due(user, now, reviews=panels.case_reviews or [])
    if may_triage(user):
        panels.referrals = referrals_to_triage(user)
    if may_review_grants(user):
        panels.grants = grants_to_review(user)
    if Verb.CHANGE in verbs:
        panels.pairs = pairs_to_decide(user)
    if may_see_statistics(user):
        panels.figures = case_figures(user)
    if Verb.CHANGE in verbs:
        overdue = reviews_overdue(user, timezone.localtime(now).date())
        panels.cuckooing_reviews = overdue if overdue[1] else None
    panels.shown = [
        name
        for name in (
            "referrals_made",
            "actions",
            "meetings",
            "deadlines",
            "case_reviews",
            "referrals",
            "cuckooing_reviews",
            "grants",
            "pairs",
            "figures",
        )
        if getattr(panels, name) is not None
    ]
    return panels
