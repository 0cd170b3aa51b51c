"""Verbs of a Pubwatch scheme's ban register: set up a scheme, then propose a ban, decide it (licensees, at a
scheme meeting, with its minutes), tell the excluded person (only then is it in force), review it, lodge and decide
an appeal, and lapse it when it ends (deleting its photo). ``expire`` lapses every ban past its end (re-runnable:
``csphub pubwatch expire``).

Each verb asks the access policy first (``require``: the scheme's membership decides what a member may do) and
the audit log records every change (the models are ``@audited``).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid as uuid_module
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from csphub.access.policy import may_create_pubwatch_scheme
from csphub.access.services import require
from csphub.access.vocabulary import Caveat, Verb
from csphub.partnership.models import Agency, Sector, User
from csphub.pubwatch import photos
from csphub.pubwatch.models import (
    ENDED_STATUSES,
    IN_FORCE_STATUSES,
    MAX_BAN_MONTHS_LIMIT,
    AppealOutcome,
    Ban,
    BanCategory,
    BanReview,
    BanStatus,
    ErasedBans,
    MemberRole,
    Membership,
    Premises,
    Scheme,
    ToldHow,
    photo_storage,
)
from csphub.registers.models import Person, Place

logger = logging.getLogger(__name__)

# A ban is first reviewed halfway through, or after six months if that is sooner.
FIRST_REVIEW_MONTHS = 6


def _today() -> dt.date:
    return timezone.localdate()


# --- The scheme


@transaction.atomic
def create_scheme(
    by: User,
    *,
    name: str,
    agency: Agency,
    coordinator: User,
    area: str = "",
    max_ban_months: int | None = None,
    uuid: uuid_module.UUID | None = None,
) -> Scheme:
    """A new scheme held by its own agency (the Pubwatch's), with its coordinator as its first member.

    Set up by its coordinator, or by a partnership manager naming the coordinator (``may_create_scheme``). The
    manager does not join it: the register stays closed to everyone but its members. The police advise a scheme,
    they do not run it: a police officer cannot be its coordinator."""
    if by != coordinator and not by.is_staff and not may_create_scheme(by):
        raise PermissionDenied("A scheme is set up by its coordinator or a partnership manager.")
    if not coordinator.is_active or _is_police(coordinator):
        raise ValidationError({"coordinator": "Choose a coordinator who is not a police officer"})
    scheme = Scheme(
        **({"uuid": uuid} if uuid is not None else {}),
        name=name.strip(),
        area=area.strip(),
        owning_agency=agency,
        # It holds the register: opening it asks for a justification, as a ban does.
        caveat=Caveat.OFFICIAL_SENSITIVE,
        created_by=by,
    )
    if max_ban_months is not None:
        scheme.max_ban_months = max_ban_months
    scheme.full_clean()
    scheme.save()
    Membership.objects.create(scheme=scheme, user=coordinator, role=MemberRole.COORDINATOR)
    return scheme


def may_create_scheme(user: User) -> bool:
    """Whether the user may set up a new scheme naming its coordinator (the access policy decides)."""
    return may_create_pubwatch_scheme(user)


def _is_police(user: User) -> bool:
    return user.agency is not None and user.agency.sector == Sector.POLICE


def is_coordinator(scheme: Scheme, user: User) -> bool:
    return scheme.memberships.filter(user=user, role=MemberRole.COORDINATOR, active=True).exists()


def _coordinator_only(scheme: Scheme, by: User) -> None:
    require(by, Verb.CHANGE, scheme)
    if not scheme.memberships.filter(user=by, role=MemberRole.COORDINATOR, active=True).exists():
        raise PermissionDenied("The scheme's coordinator keeps its list of premises and members.")


@transaction.atomic
def add_premises(scheme: Scheme, by: User, *, name: str, address: str = "", place: Place | None = None) -> Premises:
    """A licensed venue joins the scheme (a register place is partnership-wide, non-personal)."""
    _coordinator_only(scheme, by)
    if place is not None:
        require(by, Verb.VIEW, place)
    premises = Premises(scheme=scheme, name=name.strip(), address=address.strip(), place=place)
    premises.full_clean()
    premises.save()
    return premises


@transaction.atomic
def add_member(
    scheme: Scheme, by: User, *, user: User, role: str = MemberRole.LICENSEE, premises: Premises | None = None
) -> Membership:
    """A user joins the scheme: a licensee (of a member premises), another coordinator, or an adviser (a police
    licensing officer, say: the police see the register only if the scheme admits them, and then only read it)."""
    _coordinator_only(scheme, by)
    if role not in MemberRole.values:
        raise ValidationError({"role": "Choose the member's role"})
    if premises is not None and (premises.scheme_id != scheme.pk or premises.left_on is not None):
        raise ValidationError({"premises": "Choose one of the scheme's premises"})
    if not user.is_active or user.agency_id is None:
        raise ValidationError({"user": "Choose an active user"})
    if role != MemberRole.ADVISER and _is_police(user):
        # R (Boyle) v Haverhill Pubwatch: the licensees decide; the police advise and read.
        raise ValidationError({"role": "A police officer joins a scheme as an adviser only: the licensees decide"})
    if role == MemberRole.LICENSEE and premises is None:
        raise ValidationError({"premises": "Choose the licensee's premises"})
    if role != MemberRole.LICENSEE:
        premises = None
    membership, _ = Membership.objects.update_or_create(
        scheme=scheme, user=user, defaults={"role": role, "premises": premises, "active": True}
    )
    return membership


@transaction.atomic
def remove_member(scheme: Scheme, by: User, *, user: User) -> None:
    """A member leaves: the membership is deactivated (kept, for the record of who decided what), and they no
    longer see the register. The last coordinator cannot leave."""
    _coordinator_only(scheme, by)
    others = scheme.memberships.filter(role=MemberRole.COORDINATOR, active=True).exclude(user=user)
    if is_coordinator(scheme, user) and not others.exists():
        raise ValidationError({"user": "A scheme needs a coordinator: add another before this one leaves"})
    for membership in scheme.memberships.filter(user=user, active=True):
        membership.active = False
        membership.save(update_fields=["active"])


@transaction.atomic
def remove_premises(scheme: Scheme, by: User, *, premises: Premises, on: dt.date | None = None) -> Premises:
    """A venue leaves the scheme: it is kept (bans name it) with the day it left, and its licensees leave too."""
    _coordinator_only(scheme, by)
    if premises.scheme_id != scheme.pk or premises.left_on is not None:
        raise ValidationError({"premises": "Choose one of the scheme's premises"})
    premises.left_on = on or _today()
    premises.save(update_fields=["left_on"])
    for membership in premises.licensees.filter(active=True):
        membership.active = False
        membership.save(update_fields=["active"])
    return premises


@transaction.atomic
def change_rules(scheme: Scheme, by: User, *, max_ban_months: int, appeal_route: str, appeals_heard_by: str) -> Scheme:
    """The coordinator records the scheme's rules: the longest ban, how to appeal and who hears appeals. Bans
    already proposed keep the appeal route they were given."""
    _coordinator_only(scheme, by)
    errors: dict[str, str] = {}
    if not 1 <= max_ban_months <= MAX_BAN_MONTHS_LIMIT:
        errors["max_ban_months"] = f"The maximum ban must be between 1 and {MAX_BAN_MONTHS_LIMIT} months"
    if not appeal_route.strip():
        errors["appeal_route"] = "Enter how an excluded person appeals"
    if not appeals_heard_by.strip():
        errors["appeals_heard_by"] = "Enter who hears appeals"
    if errors:
        raise ValidationError(errors)
    scheme.max_ban_months = max_ban_months
    scheme.appeal_route = appeal_route.strip()
    scheme.appeals_heard_by = appeals_heard_by.strip()
    scheme.full_clean()
    scheme.save()
    return scheme


def offered_users(scheme: Scheme, role: str) -> list[User]:
    """The users a coordinator may add in ``role``: active users of a partnership agency not already active
    members; for a licensee or coordinator, not police officers (they join only as advisers)."""
    users = (
        User.objects.filter(is_active=True, agency__isnull=False)
        .exclude(pk__in=scheme.memberships.filter(active=True).values("user_id"))
        .select_related("agency")
        .order_by("last_name", "first_name", "id")
    )
    if role != MemberRole.ADVISER:
        users = users.exclude(agency__sector=Sector.POLICE)
    return list(users)


def offered_coordinators() -> list[User]:
    """The users a partnership manager may name as a new scheme's coordinator: active, in an agency, not police."""
    return list(
        User.objects.filter(is_active=True, agency__isnull=False)
        .exclude(agency__sector=Sector.POLICE)
        .select_related("agency")
        .order_by("last_name", "first_name", "id")
    )


def licensees(scheme: Scheme) -> list[User]:
    return [
        m.user
        for m in scheme.memberships.filter(role=MemberRole.LICENSEE, active=True).select_related("user", "premises")
    ]


# --- Bans


@dataclass(frozen=True)
class Excluded:
    """The excluded person as the scheme records them: a name and a short description, and optionally the
    register's person (fetched by the caller through ``visible_to``)."""

    name: str
    description: str = ""
    person: Person | None = None


@transaction.atomic
def propose_ban(
    scheme: Scheme,
    by: User,
    *,
    excluded: Excluded,
    category: str,
    incident_on: dt.date,
    reasons: str,
    incident_at: Premises | None = None,
    premises: Iterable[Premises] | None = None,
    photo: UploadedFile | None = None,
    uuid: uuid_module.UUID | None = None,
) -> Ban:
    """A licensee (or the coordinator) brings a ban to the scheme: not a ban until the licensees decide it.
    ``premises``: the premises it would cover (None: all the scheme's members)."""
    require(by, Verb.CREATE, scheme)
    if excluded.person is not None:
        require(by, Verb.VIEW, excluded.person)
    if category not in BanCategory.values:
        raise ValidationError({"category": "Choose the kind of behaviour"})
    covered = list(premises) if premises is not None else []
    for place in [*covered, *([incident_at] if incident_at else [])]:
        if place.scheme_id != scheme.pk:
            raise ValidationError({"premises": "Choose the scheme's own premises"})
    if premises is not None and not covered:
        raise ValidationError({"premises": "Choose the premises the ban covers, or all of them"})
    if incident_on > _today():
        raise ValidationError({"incident_on": "The date of the incident must be today or in the past"})
    ban = Ban(
        **({"uuid": uuid} if uuid is not None else {}),
        scheme=scheme,
        name=excluded.name.strip(),
        description=excluded.description.strip(),
        person=excluded.person,
        category=category,
        incident_on=incident_on,
        incident_at=incident_at,
        reasons=reasons.strip(),
        covers_all_premises=premises is None,
        proposed_by=by,
        appeal_route=scheme.appeal_route,
        appeals_heard_by=scheme.appeals_heard_by,
        owning_agency_id=scheme.owning_agency_id,
        caveat=Caveat.OFFICIAL_SENSITIVE,
        created_by=by,
    )
    ban.full_clean(exclude=["photo"])
    ban.save()
    if covered:
        ban.premises.set(covered)
    if photo is not None:
        attach_photo(ban, by, photo)
    return ban


def attach_photo(ban: Ban, by: User, upload: UploadedFile) -> Ban:
    """Keep a photo for this ban (replacing any earlier one): re-encoded without metadata, in private storage."""
    require(by, Verb.CHANGE, ban)
    if ban.ended:
        raise ValidationError({"photo": "The ban has ended: its photo is no longer kept"})
    content = photos.cleaned(upload)
    old = ban.photo.name if ban.photo else ""
    ban.photo.save("photo.jpg", content, save=False)
    ban.save(update_fields=["photo", "updated_at"])
    if old:
        ban.photo.storage.delete(old)
    return ban


@transaction.atomic
def decide(
    ban: Ban,
    by: User,
    *,
    decided_on: dt.date,
    decided_by: Iterable[User],
    minutes: str,
    starts_on: dt.date,
    months: int,
    review_on: dt.date | None = None,
) -> Ban:
    """The licensees' decision at a scheme meeting: who decided (licensees of the scheme only: not the police, not
    the coordinator), the minutes, the start, the length (within the scheme's maximum) and the review date.
    The ban is decided but NOT in force until the excluded person is told (``tell_person``)."""
    require(by, Verb.CHANGE, ban)
    if ban.status != BanStatus.PROPOSED:
        raise ValidationError("Only a proposed ban can be decided")
    deciders = list(decided_by)
    scheme = ban.scheme
    allowed = {u.pk for u in licensees(scheme)}
    errors: dict[str, str] = {}
    if not deciders:
        errors["decided_by"] = "Choose the licensees who decided"
    elif any(u.pk not in allowed for u in deciders):
        errors["decided_by"] = "Only the scheme's licensees decide bans"
    if not minutes.strip():
        errors["minutes"] = "Enter the minutes of the decision"
    if months < 1:
        errors["months"] = "The length must be at least 1 month"
    elif months > scheme.max_ban_months:
        errors["months"] = f"The length must be {scheme.max_ban_months} months or fewer (the scheme's maximum)"
    if decided_on > _today():
        errors["decided_on"] = "The date of the meeting must be today or in the past"
    if decided_on < ban.incident_on:
        errors["decided_on"] = "The meeting must be on or after the incident"
    if starts_on < decided_on:
        errors["starts_on"] = "The ban cannot start before it was decided"
    if errors:
        raise ValidationError(errors)
    ends_on = Ban.end_of(starts_on, months)
    if review_on is None:
        review_on = min(starts_on + dt.timedelta(days=(ends_on - starts_on).days // 2), Ban.end_of(starts_on, 6))
    elif not starts_on <= review_on <= ends_on:
        raise ValidationError({"review_on": "The review must fall between the start and the end of the ban"})
    ban.decided_on = decided_on
    ban.minutes = minutes.strip()
    ban.decision_recorded_by = by
    ban.starts_on = starts_on
    ban.months = months
    ban.ends_on = ends_on
    ban.review_on = review_on
    ban.status = BanStatus.DECIDED
    ban.save()
    ban.decided_by.set(deciders)
    return ban


@transaction.atomic
def tell_person(ban: Ban, by: User, *, told_on: dt.date, how: str) -> Ban:
    """The excluded person was told (by letter or in person, by a member): the ban is now in force. It runs its
    length from the start date, or from the day they were told if that is later."""
    require(by, Verb.CHANGE, ban)
    if ban.status != BanStatus.DECIDED:
        raise ValidationError("Only a decided ban that the person has not been told of can be marked as told")
    if how not in ToldHow.values:
        raise ValidationError({"how": "Choose how they were told"})
    assert ban.decided_on is not None and ban.starts_on is not None and ban.months is not None
    if told_on < ban.decided_on or told_on > _today():
        raise ValidationError({"told_on": "The date they were told must be between the decision and today"})
    if told_on > ban.starts_on:
        shift = told_on - ban.starts_on
        ban.starts_on = told_on
        ban.ends_on = Ban.end_of(told_on, ban.months)
        if ban.review_on is not None:
            ban.review_on = min(ban.review_on + shift, ban.ends_on)
    ban.told_on = told_on
    ban.told_how = how
    ban.told_by = by
    ban.status = BanStatus.IN_FORCE
    ban.save()
    return ban


@transaction.atomic
def review(
    ban: Ban,
    by: User,
    *,
    reviewed_on: dt.date,
    outcome: str,
    note: str = "",
    ends_on: dt.date | None = None,
    next_review_on: dt.date | None = None,
) -> BanReview:
    """The licensees reviewed the ban: it continues (with the next review date), is shortened, or is revoked."""
    require(by, Verb.CHANGE, ban)
    if not ban.in_force:
        raise ValidationError("Only a ban in force can be reviewed")
    assert ban.ends_on is not None and ban.starts_on is not None
    if outcome not in BanReview.Outcome.values:
        raise ValidationError({"outcome": "Choose what the review decided"})
    if outcome == BanReview.Outcome.SHORTEN and (ends_on is None or not reviewed_on <= ends_on < ban.ends_on):
        raise ValidationError({"ends_on": "The new end must be after the review and before the current end"})
    if next_review_on is not None and not reviewed_on < next_review_on <= (ends_on or ban.ends_on):
        raise ValidationError({"next_review_on": "The next review must fall after this one and before the end"})
    record = BanReview.objects.create(
        ban=ban,
        reviewed_on=reviewed_on,
        outcome=outcome,
        ends_on=ends_on if outcome == BanReview.Outcome.SHORTEN else None,
        next_review_on=next_review_on,
        note=note.strip(),
        recorded_by=by,
    )
    if outcome == BanReview.Outcome.REVOKE:
        _end(ban, BanStatus.REVOKED, reviewed_on)
        return record
    if outcome == BanReview.Outcome.SHORTEN and ends_on is not None:
        ban.ends_on = ends_on
    ban.review_on = next_review_on
    ban.save()
    if ban.ends_on is not None and ban.ends_on < _today():
        lapse(ban)
    return record


@transaction.atomic
def lodge_appeal(ban: Ban, by: User, *, lodged_on: dt.date, grounds: str) -> Ban:
    """The excluded person appealed (a member records it): the ban stays in force, under review, until heard."""
    require(by, Verb.CHANGE, ban)
    if ban.status not in (BanStatus.IN_FORCE, BanStatus.DECIDED):
        raise ValidationError("An appeal is lodged against a ban the person has been told of, once")
    if ban.status == BanStatus.DECIDED:
        raise ValidationError("The person has not been told of the ban yet")
    if not grounds.strip():
        raise ValidationError({"grounds": "Enter the grounds of the appeal"})
    assert ban.told_on is not None
    if lodged_on < ban.told_on or lodged_on > _today():
        raise ValidationError({"lodged_on": "The appeal's date must be between the day they were told and today"})
    ban.appeal_lodged_on = lodged_on
    ban.appeal_grounds = grounds.strip()
    ban.status = BanStatus.UNDER_REVIEW
    ban.save()
    return ban


@transaction.atomic
def decide_appeal(
    ban: Ban, by: User, *, decided_on: dt.date, outcome: str, note: str, ends_on: dt.date | None = None
) -> Ban:
    """Those who hear appeals decided: the ban is upheld, shortened (to ``ends_on``) or lifted."""
    require(by, Verb.CHANGE, ban)
    if ban.status != BanStatus.UNDER_REVIEW:
        raise ValidationError("There is no appeal waiting to be decided")
    if outcome not in AppealOutcome.values:
        raise ValidationError({"outcome": "Choose the outcome of the appeal"})
    if not note.strip():
        raise ValidationError({"note": "Enter the reasons for the appeal's outcome"})
    assert ban.appeal_lodged_on is not None and ban.ends_on is not None
    if decided_on < ban.appeal_lodged_on or decided_on > _today():
        raise ValidationError({"decided_on": "The date must be between the appeal and today"})
    if outcome == AppealOutcome.VARIED and (ends_on is None or not decided_on <= ends_on < ban.ends_on):
        raise ValidationError({"ends_on": "The new end must be after the decision and before the current end"})
    ban.appeal_decided_on = decided_on
    ban.appeal_outcome = outcome
    ban.appeal_note = note.strip()
    if outcome == AppealOutcome.LIFTED:
        _end(ban, BanStatus.REVOKED, decided_on)
        return ban
    if outcome == AppealOutcome.VARIED and ends_on is not None:
        ban.ends_on = ends_on
        if ban.review_on is not None and ban.review_on > ends_on:
            ban.review_on = ends_on
    ban.status = BanStatus.UPHELD
    ban.save()
    return ban


def _end(ban: Ban, status: str, on: dt.date) -> None:
    """End the ban and delete its photo: kept only for the ban."""
    name = ban.photo.name if ban.photo else ""
    ban.status = status
    ban.ended_on = on
    ban.review_on = None
    ban.photo = ""
    ban.save()
    if name:
        # At once, not on commit: a photo is never kept longer than its ban (a rolled-back end loses the photo,
        # never the other way round).
        _delete_file(name)


def _delete_file(name: str) -> None:
    storage = photo_storage()
    if storage.exists(name):
        storage.delete(name)
        logger.info("Deleted the photo of an ended Pubwatch ban (%s)", name.split("/", 1)[0])


@transaction.atomic
def lapse(ban: Ban, by: User | None = None, *, on: dt.date | None = None) -> Ban:
    """The ban has run its length: it lapses, and its photo is deleted. ``by`` None: the scheduled ``expire``."""
    if by is not None:
        require(by, Verb.CHANGE, ban)
    on = on or _today()
    if ban.ended:
        return ban
    if not ban.in_force or ban.ends_on is None or ban.ends_on >= on:
        raise ValidationError("Only a ban in force past its end date lapses")
    _end(ban, BanStatus.LAPSED, ban.ends_on + dt.timedelta(days=1))
    return ban


def expire(today: dt.date | None = None) -> list[Ban]:
    """Lapse every ban in force past its end date, deleting their photos; also delete any photo an ended ban still
    holds (a file left by an earlier failure); then erase the bans ended longer ago than the retention period
    (``erase_ended``). Safe to run again: it does nothing the second time."""
    today = today or _today()
    lapsed = lapse_due(today)
    erase_ended(today)
    return lapsed


def retention_days() -> int:
    return int(settings.CSPHUB_PUBWATCH_RETENTION_DAYS)


def erase_ended(today: dt.date | None = None) -> int:
    """Erase every ban that ended (lapsed, revoked, lifted on appeal) more than ``CSPHUB_PUBWATCH_RETENTION_DAYS``
    ago: the record is deleted with its reviews, so the excluded person's name and description, the reasons, the
    minutes, the appeal's grounds and any photo go, and only a count per scheme, year ended and outcome is kept
    for the scheme's statistics (``ErasedBans``). Returns how many were erased; re-runnable.

    The ICO's guidance on Pubwatch schemes: personal data is kept no longer than the ban needs, and keeping
    records of bans indefinitely, after they have ended, would be "odd" (UK GDPR Article 5(1)(e), storage
    limitation). The erasure is in the audit log (the models are ``@audited``)."""
    today = today or _today()
    cutoff = today - dt.timedelta(days=retention_days())
    erased = 0
    due = Ban.objects.filter(status__in=list(ENDED_STATUSES), ended_on__lt=cutoff).order_by("ended_on", "id")
    for ban in list(due):
        with transaction.atomic():
            assert ban.ended_on is not None
            counter, _ = ErasedBans.objects.get_or_create(
                scheme_id=ban.scheme_id, ended_year=ban.ended_on.year, outcome=ban.status
            )
            counter.count += 1
            counter.save(update_fields=["count"])
            photo = ban.photo.name if ban.photo else ""
            ban.delete()
            if photo:
                _delete_file(photo)
            erased += 1
    if erased:
        logger.info("Erased %d ended Pubwatch bans past the retention period (%d days)", erased, retention_days())
    return erased


def lapse_due(today: dt.date | None = None) -> list[Ban]:
    """Lapse the bans in force past their end; delete any photo an ended ban still holds."""
    today = today or _today()
    lapsed = []
    due = Ban.objects.filter(status__in=list(IN_FORCE_STATUSES), ends_on__lt=today)
    for ban in due.order_by("ends_on", "id"):
        lapsed.append(lapse(ban, on=today))
    for ban in Ban.objects.filter(status__in=[BanStatus.LAPSED, BanStatus.REVOKED]).exclude(photo=""):
        with transaction.atomic():
            name = ban.photo.name
            ban.photo = ""
            ban.save(update_fields=["photo", "updated_at"])
            _delete_file(name)
    return lapsed


def stored_photos() -> list[str]:
    """Every photo file in private storage (for checks: each belongs to a ban not yet ended)."""
    storage = photo_storage()
    if not storage.exists(""):
        return []
    found = []
    directories, _ = storage.listdir("")
    for directory in directories:
        _, files = storage.listdir(directory)
        found += [f"{directory}/{name}" for name in files]
    return sorted(found)
