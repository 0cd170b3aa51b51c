"""A Pubwatch scheme, its member premises and members, and its ban register (see the package's docstring for the
guidance followed).

A scheme and its bans are governed records with a closed membership (``Governed.members_path``): only the scheme's
current members see them (``csphub.access.policy``). Licensees and the coordinator keep the register; an adviser
(a police licensing officer the scheme admits, say) only reads it. A ban is OFFICIAL-SENSITIVE, so each member
opening one gives a justification, and the opening is a consultation in the audit log.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, ClassVar

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone

from csphub.access.models import Governed
from csphub.audit.registry import audited
from csphub.ui.links import record_url

# Most schemes ban for up to two years (longer only for the most serious); a scheme sets its own maximum.
DEFAULT_MAX_BAN_MONTHS = 24
# No scheme's rules may allow longer than five years (longer bans only for the most serious cases).
MAX_BAN_MONTHS_LIMIT = 60
DEFAULT_APPEAL_ROUTE = (
    "Write to the scheme's coordinator within 28 days of being told, saying why the ban should be lifted or "
    "shortened. The appeal is heard at the scheme's next meeting by licensees who did not decide the ban."
)


class PhotoStorage(FileSystemStorage):
    """Ban photos: a private directory (``CSPHUB_PUBWATCH_PHOTO_DIR``) that no URL serves, read at each use."""

    @property
    def base_location(self) -> Any:
        return settings.CSPHUB_PUBWATCH_PHOTO_DIR

    @property
    def location(self) -> str:
        return str(settings.CSPHUB_PUBWATCH_PHOTO_DIR)

    @property
    def base_url(self) -> Any:
        return None


def photo_storage() -> PhotoStorage:
    return PhotoStorage(directory_permissions_mode=0o700, file_permissions_mode=0o600)


class MemberRole(models.TextChoices):
    COORDINATOR = "coordinator", "Coordinator"
    LICENSEE = "licensee", "Licensee"
    ADVISER = "adviser", "Adviser (reads, does not decide)"


# Who keeps the register (proposes, records decisions, tells, reviews): the licensees and the coordinator.
WRITER_ROLES = frozenset({MemberRole.COORDINATOR.value, MemberRole.LICENSEE.value})
# Who only reads it: advisers (a police licensing officer the scheme admits).
READER_ROLES = frozenset({MemberRole.ADVISER.value})


@audited(label="Pubwatch scheme", exclude=("updated_at",))
class Scheme(Governed):
    name = models.CharField(max_length=200)
    area = models.CharField(max_length=200, blank=True, help_text="The town or area its premises are in")
    max_ban_months = models.PositiveSmallIntegerField(
        default=DEFAULT_MAX_BAN_MONTHS, help_text="The longest ban the scheme's rules allow, in months"
    )
    appeal_route = models.TextField(default=DEFAULT_APPEAL_ROUTE, help_text="How an excluded person appeals")
    appeals_heard_by = models.CharField(
        max_length=200,
        default="Three licensees who did not decide the ban, chaired by the coordinator",
        help_text="Who hears appeals",
    )

    members_path: ClassVar[str | None] = "memberships"
    member_writer_roles: ClassVar[frozenset[str]] = WRITER_ROLES
    member_reader_roles: ClassVar[frozenset[str]] = READER_ROLES

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return record_url("pubwatch:scheme", self.uuid)


@audited(label="Pubwatch member premises", kind="configuration", record=lambda p: p.scheme)
class Premises(models.Model):
    """A licensed venue in the scheme: a place on the register (non-personal) or a name and an address."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="premises")
    name = models.CharField(max_length=200)
    address = models.CharField(max_length=300, blank=True)
    place = models.ForeignKey(
        "registers.Place",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="On the register",
    )
    joined_on = models.DateField(default=timezone.localdate)
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "premises"
        constraints = [models.UniqueConstraint(fields=["scheme", "name"], name="unique_pubwatch_premises_name")]

    def __str__(self) -> str:
        return self.name


@audited(label="Pubwatch membership", kind="configuration", record=lambda m: m.scheme)
class Membership(models.Model):
    """A user's place in the scheme: the coordinator, a licensee (of a member premises) or an adviser."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pubwatch_memberships")
    role = models.CharField(max_length=12, choices=MemberRole.choices, default=MemberRole.LICENSEE)
    premises = models.ForeignKey(Premises, on_delete=models.SET_NULL, null=True, blank=True, related_name="licensees")
    active = models.BooleanField(default=True)
    joined_on = models.DateField(default=timezone.localdate)

    class Meta:
        ordering = ["role", "user__last_name", "id"]
        constraints = [models.UniqueConstraint(fields=["scheme", "user"], name="unique_pubwatch_membership")]

    def __str__(self) -> str:
        return f"{self.user.get_full_name()} ({self.get_role_display()}) in {self.scheme}"


class BanCategory(models.TextChoices):
    VIOLENCE = "violence", "Violence"
    THREATS = "threats", "Threats or abuse towards staff"
    DRUGS = "drugs", "Drugs"
    WEAPON = "weapon", "Carrying a weapon"
    THEFT = "theft", "Theft"
    DAMAGE = "damage", "Criminal damage"
    DISORDER = "disorder", "Disorderly behaviour"
    OTHER = "other", "Other serious behaviour"


class BanStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    DECIDED = "decided", "Decided, person not yet told"
    IN_FORCE = "in_force", "In force"
    UNDER_REVIEW = "under_review", "Under review (appeal lodged)"
    UPHELD = "upheld", "Upheld on appeal"
    LAPSED = "lapsed", "Lapsed"
    REVOKED = "revoked", "Revoked"


IN_FORCE_STATUSES = frozenset({BanStatus.IN_FORCE, BanStatus.UNDER_REVIEW, BanStatus.UPHELD})
ENDED_STATUSES = frozenset({BanStatus.LAPSED, BanStatus.REVOKED})


class ToldHow(models.TextChoices):
    LETTER = "letter", "By letter"
    IN_PERSON = "in_person", "In person"


class AppealOutcome(models.TextChoices):
    UPHELD = "upheld", "Ban upheld"
    VARIED = "varied", "Ban shortened"
    LIFTED = "lifted", "Ban lifted"


def _photo_name(ban: Ban, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"{ban.uuid.hex}/{uuid.uuid4().hex}.{extension}"


@audited(label="Pubwatch ban", exclude=("updated_at",))
class Ban(Governed):
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="bans")
    # The excluded person: the scheme's own minimal record, and optionally the register's person (through the policy).
    name = models.CharField(max_length=200, help_text="The name members know them by")
    description = models.CharField(
        max_length=300, blank=True, help_text="Enough to recognise them (e.g. age range, build): nothing more"
    )
    person = models.ForeignKey(
        "registers.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="On the register",
    )
    # The reasons.
    category = models.CharField(max_length=10, choices=BanCategory.choices)
    incident_on = models.DateField()
    incident_at = models.ForeignKey(Premises, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reasons = models.TextField(help_text="What happened, as the licensees found it")
    # The premises covered: all the scheme's members, or a list.
    covers_all_premises = models.BooleanField(default=True)
    premises = models.ManyToManyField(Premises, blank=True, related_name="bans")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_on = models.DateField(default=timezone.localdate)
    # The licensees' decision, at a scheme meeting, with its minutes.
    decided_on = models.DateField(null=True, blank=True, help_text="The date of the scheme meeting that decided")
    decided_by = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    minutes = models.TextField(blank=True, help_text="The minutes of the decision")
    decision_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Length, dates and appeal route.
    starts_on = models.DateField(null=True, blank=True)
    months = models.PositiveSmallIntegerField(null=True, blank=True, help_text="The length of the ban, in months")
    ends_on = models.DateField(null=True, blank=True)
    review_on = models.DateField(null=True, blank=True)
    appeal_route = models.TextField(blank=True)
    appeals_heard_by = models.CharField(max_length=200, blank=True)
    # The excluded person told: not in force until then.
    told_on = models.DateField(null=True, blank=True)
    told_how = models.CharField(max_length=10, choices=ToldHow.choices, blank=True)
    told_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # An appeal.
    appeal_lodged_on = models.DateField(null=True, blank=True)
    appeal_grounds = models.TextField(blank=True)
    appeal_decided_on = models.DateField(null=True, blank=True)
    appeal_outcome = models.CharField(max_length=8, choices=AppealOutcome.choices, blank=True)
    appeal_note = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=BanStatus.choices, default=BanStatus.PROPOSED)
    ended_on = models.DateField(null=True, blank=True)
    # A photo, kept only for the ban: in private storage, shown only through the photo view, deleted when it ends.
    photo = models.FileField(storage=photo_storage, upload_to=_photo_name, blank=True, max_length=200)

    members_path: ClassVar[str | None] = "scheme__memberships"
    member_writer_roles: ClassVar[frozenset[str]] = WRITER_ROLES
    member_reader_roles: ClassVar[frozenset[str]] = READER_ROLES

    class Meta:
        ordering = ["-proposed_on", "-id"]
        indexes = [models.Index(fields=["status", "review_on"]), models.Index(fields=["status", "ends_on"])]

    def __str__(self) -> str:
        return f"Pubwatch ban {self.reference}"

    @property
    def reference(self) -> str:
        return f"B-{self.uuid.hex[:8].upper()}"

    def get_absolute_url(self) -> str:
        return record_url("pubwatch:ban", self.uuid)

    @property
    def in_force(self) -> bool:
        return self.status in IN_FORCE_STATUSES

    @property
    def ended(self) -> bool:
        return self.status in ENDED_STATUSES

    def review_due(self, today: dt.date) -> bool:
        return self.in_force and self.review_on is not None and self.review_on <= today

    @staticmethod
    def end_of(starts_on: dt.date, months: int) -> dt.date:
        """The last day of a ban of ``months`` from ``starts_on``."""
        return starts_on + relativedelta(months=months) - dt.timedelta(days=1)


@audited(label="Pubwatch ban review", record=lambda r: r.ban)
class BanReview(models.Model):
    """The licensees looked at a ban again at a scheme meeting: kept, shortened or revoked, and when next."""

    class Outcome(models.TextChoices):
        CONTINUE = "continue", "Ban continues"
        SHORTEN = "shorten", "Ban shortened"
        REVOKE = "revoke", "Ban revoked"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ban = models.ForeignKey(Ban, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField()
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    ends_on = models.DateField(null=True, blank=True)
    next_review_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-reviewed_on", "-id"]

    def __str__(self) -> str:
        return f"Review of {self.reviewed_on:%d %B %Y}: {self.get_outcome_display().lower()}"


@audited(label="Pubwatch erased-ban count", kind="configuration", record=lambda c: c.scheme)
class ErasedBans(models.Model):
    """What is left of the bans erased after the retention period: how many, per scheme, year ended and outcome.
    No name, no date, no reason: a count for the scheme's statistics, identifying nobody."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="erased_bans")
    ended_year = models.PositiveSmallIntegerField()
    outcome = models.CharField(max_length=12, choices=BanStatus.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["scheme", "-ended_year", "outcome"]
        verbose_name_plural = "erased bans"
        constraints = [
            models.UniqueConstraint(fields=["scheme", "ended_year", "outcome"], name="unique_pubwatch_erased_count")
        ]

    def __str__(self) -> str:
        return f"{self.count} {self.get_outcome_display().lower()} bans erased ({self.ended_year})"
