"""E-mail notifications of deadlines and assignments (``csphub notify``), as each user's preferences say.

A notice is sent once: what was sent is remembered (``SentNotification``, keyed by the action, or by the deadline
and its due time), so the command is safe to run again (from cron, every few minutes). What a user is told about
comes from the home page's queries, through ``visible_to`` for that user. The e-mail names case references, kinds
and dates only, never a title, a person, a place or an address: the details are a sign-in away, where viewing them
is logged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from csphub.access.policy import allowed_actions, is_community_user
from csphub.access.vocabulary import Verb
from csphub.cases.kinds import OPEN_ACTION_STATUSES
from csphub.cases.models import Action, Case
from csphub.partnership.models import User
from csphub.ui.dates import govuk_when
from csphub.web.home import deadlines_due
from csphub.web.models import NotificationPreference, SentNotification

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Notice:
    key: str
    text: str


def preference_for(user: User) -> NotificationPreference:
    """The user's preferences (the defaults, unsaved, when they have set none)."""
    found = NotificationPreference.objects.filter(user=user).first()
    return found if found is not None else NotificationPreference(user=user)


def _deadline_key(case: Case, kind: str, label: str, due: dt.date | dt.datetime) -> str:
    digest = hashlib.sha256(f"{case.uuid}|{kind}|{label}|{due.isoformat()}".encode()).hexdigest()[:40]
    return f"deadline:{digest}"


def notices_for(user: User, now: dt.datetime | None = None) -> list[Notice]:
    """What this user should be told about and has not been yet, as their preferences say."""
    now = now or timezone.now()
    if is_community_user(user) or Verb.VIEW not in allowed_actions(user):
        return []
    preference = preference_for(user)
    notices: list[Notice] = []
    if preference.assignments:
        actions = Action.objects.filter(
            assigned_officer=user, status__in=list(OPEN_ACTION_STATUSES), case__in=Case.objects.visible_to(user)
        ).select_related("case")
        for action in actions.order_by("due_on", "id"):
            notices.append(
                Notice(
                    f"action:{action.uuid}",
                    f"An action in case {action.case.reference} is assigned to you, due {govuk_when(action.due_on)}.",
                )
            )
    if preference.deadlines:
        for item in deadlines_due(user, now):
            what = "An ASB powers deadline" if item.kind == "power" else "A case review decision"
            state = "was due" if item.overdue else "is due"
            notices.append(
                Notice(
                    _deadline_key(item.case, item.kind, item.label, item.due),
                    f"{what} in case {item.case.reference} {state} {'at' if item.timed else 'on'} {item.when}.",
                )
            )
    sent = set(
        SentNotification.objects.filter(user=user, key__in=[n.key for n in notices]).values_list("key", flat=True)
    )
    return [n for n in notices if n.key not in sent]


def notify_user(user: User, now: dt.datetime | None = None) -> int:
    """E-mail the user what is new for them (one e-mail) and remember it; the number of notices sent."""
    notices = notices_for(user, now)
    if not notices or not user.email:
        return 0
    body = "\n".join(
        [
            f"Hello {user.first_name or user.get_username()},",
            "",
            "In the community safety partnership's hub:",
            "",
            *(f"- {n.text}" for n in notices),
            "",
            "Sign in to see the details. You can change which e-mails you get on the notifications page.",
        ]
    )
    subject = f"csphub: {len(notices)} thing{'s' if len(notices) != 1 else ''} for your attention"
    with transaction.atomic():
        SentNotification.objects.bulk_create(
            [SentNotification(user=user, key=n.key) for n in notices], ignore_conflicts=True
        )
        send_mail(subject, body, None, [user.email])
    logger.info("Notified %s of %d item(s)", user.get_username(), len(notices))
    return len(notices)


def notify(now: dt.datetime | None = None) -> tuple[int, int]:
    """Notify every active user with an e-mail address; (users e-mailed, notices sent)."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="").order_by("pk")
    emailed = sent = 0
    for user in users:
        count = notify_user(user, now)
        if count:
            emailed, sent = emailed + 1, sent + count
    return emailed, sent
