"""County lines and organised crime groups: the verbs that record facts, and the as-at / diff queries.

Writes only ever add ``Fact`` rows or close them in record time (``superseded_at``, ``retracted_at``): a change to
the past is a new version, so every earlier picture can be rebuilt "as known then". Every verb asks the access
policy first (``require``), and the audit log records each row through the model signals.

The queries turn rows into ``timeline.Fact`` tuples and leave the logic to the pure ``csphub.intelligence.timeline``;
``picture``/``changes`` resolve the people, phones, places and vehicles named through ``visible_to``: one the user
may not see is counted, never named.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Case, CharField, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from csphub.access.policy import allowed_actions, may_designate_soc_leads
from csphub.access.services import require
from csphub.access.vocabulary import Caveat, Sensitivity, Verb
from csphub.intelligence import morile, timeline
from csphub.intelligence.models import (
    KIND_LABELS,
    KIND_VALUES,
    CountyLine,
    Fact,
    GroupStatus,
    LineStatus,
    MorileAssessment,
    MorileDefinition,
    OrganisedCrimeGroup,
    believed,
    holding,
    value_label,
)
from csphub.intelligence.timeline import Kind, Ref
from csphub.partnership.models import District, Role, RoleAssignment
from csphub.registers.models import Person, Phone, Place, Vehicle
from csphub.registers.services import normalise_phone, normalise_registration

if TYPE_CHECKING:
    from csphub.partnership.models import User

Subject = CountyLine | OrganisedCrimeGroup
OBJECT_FIELD = {
    "person": "person",
    "phone": "phone",
    "place": "place",
    "vehicle": "vehicle",
    "district": "district",
    "group": "object_group",
}
OBJECT_MODELS: dict[str, Any] = {
    "person": Person,
    "phone": Phone,
    "place": Place,
    "vehicle": Vehicle,
    "district": District,
    "group": OrganisedCrimeGroup,
    "line": CountyLine,
}


# --- rows <-> pure facts ---------------------------------------------------------------------------------------

_COLUMNS = (
    "id",
    "kind",
    "line_id",
    "group_id",
    "person_id",
    "phone_id",
    "place_id",
    "vehicle_id",
    "district_id",
    "object_group_id",
    "value",
    "valid_from",
    "valid_to",
    "recorded_at",
    "superseded_at",
    "retracted_at",
)
_OBJECT_TYPES = ("person", "phone", "place", "vehicle", "district", "group")


def to_fact(row: Sequence[Any]) -> timeline.Fact:
    """A ``Fact`` row (as ``_COLUMNS``) as the pure tuple."""
    (fid, kind, line_id, group_id, *objects, value, valid_from, valid_to, recorded_at, superseded_at, retracted_at) = (
        row
    )
    subject: Ref = ("line", line_id) if line_id is not None else ("group", group_id)
    obj = timeline.NO_OBJECT
    for name, oid in zip(_OBJECT_TYPES, objects, strict=True):
        if oid is not None:
            obj = (name, oid)
            break
    closes = [t for t in (superseded_at, retracted_at) if t is not None]
    return timeline.Fact(
        fid, kind, subject, obj, value, valid_from, valid_to, recorded_at, min(closes) if closes else None
    )


def load(rows: QuerySet[Fact]) -> list[timeline.Fact]:
    return [to_fact(r) for r in rows.values_list(*_COLUMNS)]


def facts_for(user: User) -> QuerySet[Fact]:
    """The fact rows about the lines and groups the user may see."""
    lines = CountyLine.objects.visible_to(user).values("pk")
    groups = OrganisedCrimeGroup.objects.visible_to(user).values("pk")
    return Fact.objects.all().filter(Q(line__in=lines) | Q(group__in=groups))


@dataclass(frozen=True)
class Visible:
    """The lines and groups (primary keys) the user may see, from ``visible_to``: for the large queries (the full
    diff, a neighbourhood), which filter their rows by it after an indexed read. An ``IN (visible lines)`` inside
    the query lets the planner walk every fact of every visible line instead of the index the query needs."""

    lines: frozenset[int]
    groups: frozenset[int]

    def __contains__(self, subject: object) -> bool:
        if not isinstance(subject, tuple) or len(subject) != 2:
            return False
        kind, pk = subject
        return pk in (self.lines if kind == "line" else self.groups if kind == "group" else ())


def visible_subjects(user: User) -> Visible:
    return Visible(
        frozenset(CountyLine.objects.visible_to(user).values_list("pk", flat=True)),
        frozenset(OrganisedCrimeGroup.objects.visible_to(user).values_list("pk", flat=True)),
    )


def known_then(day: dt.date) -> dt.datetime:
    """'As known then' for a picture of ``day``: what had been recorded by the end of that day."""
    return timeline.end_of_day(day, timezone.get_current_timezone())


# --- writing ---------------------------------------------------------------------------------------------------


def _may_create(by: User) -> None:
    from csphub.access.policy import may_use_intelligence

    if not may_use_intelligence(by) or Verb.CREATE not in allowed_actions(by):
        raise PermissionDenied("Your role does not allow you to record county lines or organised crime groups.")


def _owner(by: User) -> Any:
    """Who holds the intelligence: the police (a SOC lead of another agency records on the police's behalf)."""
    from csphub.partnership.models import Agency, Sector

    if by.agency is not None and by.agency.sector == Sector.POLICE:
        return by.agency
    police = Agency.objects.filter(sector=Sector.POLICE, partnership_id=by.agency.partnership_id if by.agency else 0)
    agency = police.order_by("pk").first()
    if agency is None:
        raise ValidationError("The partnership has no police agency to hold intelligence records.")
    return agency


@transaction.atomic
def open_line(
    by: User,
    *,
    name: str,
    valid_from: dt.date,
    origin: str = "",
    districts: Iterable[District] = (),
    group: OrganisedCrimeGroup | None = None,
    recorded_at: dt.datetime | None = None,
    uuid: Any = None,
) -> CountyLine:
    """Record a county line, active from ``valid_from``, with its exporting area and districts."""
    _may_create(by)
    line = CountyLine(name=name.strip(), owning_agency=_owner(by), created_by=by)
    if uuid is not None:
        line.uuid = uuid
    line.full_clean()
    line.save()
    record_fact(
        line, by, kind=Kind.LINE_STATUS, value=LineStatus.ACTIVE, valid_from=valid_from, recorded_at=recorded_at
    )
    if origin:
        record_fact(line, by, kind=Kind.LINE_ORIGIN, value=origin, valid_from=valid_from, recorded_at=recorded_at)
    for district in districts:
        record_fact(line, by, kind=Kind.LINE_DISTRICT, obj=district, valid_from=valid_from, recorded_at=recorded_at)
    if group is not None:
        record_fact(line, by, kind=Kind.LINE_GROUP, obj=group, valid_from=valid_from, recorded_at=recorded_at)
    return line


@transaction.atomic
def open_group(
    by: User,
    *,
    name: str,
    valid_from: dt.date,
    activities: Iterable[str] = (),
    areas: Iterable[District] = (),
    recorded_at: dt.datetime | None = None,
    uuid: Any = None,
) -> OrganisedCrimeGroup:
    """Record an organised crime group, active from ``valid_from``."""
    _may_create(by)
    group = OrganisedCrimeGroup(name=name.strip(), owning_agency=_owner(by), created_by=by)
    if uuid is not None:
        group.uuid = uuid
    group.full_clean()
    group.save()
    record_fact(
        group, by, kind=Kind.GROUP_STATUS, value=GroupStatus.ACTIVE, valid_from=valid_from, recorded_at=recorded_at
    )
    for activity in activities:
        record_fact(group, by, kind=Kind.GROUP_ACTIVITY, value=activity, valid_from=valid_from, recorded_at=recorded_at)
    for area in areas:
        record_fact(group, by, kind=Kind.GROUP_AREA, obj=area, valid_from=valid_from, recorded_at=recorded_at)
    return group


def _check(subject: Subject, kind: str, obj: Any, value: str) -> None:
    spec = timeline.SPECS.get(kind)
    if spec is None:
        raise ValidationError({"kind": f"Unknown kind of fact {kind!r}"})
    if spec.subject != subject.subject_type:
        raise ValidationError(
            {"kind": f"A {KIND_LABELS[kind].lower()} is not recorded on a {subject._meta.verbose_name}"}
        )
    wanted = OBJECT_MODELS.get(spec.obj)
    if wanted is None and obj is not None:
        raise ValidationError({"kind": f"A {KIND_LABELS[kind].lower()} names no record"})
    if wanted is not None and not isinstance(obj, wanted):
        raise ValidationError({"kind": f"A {KIND_LABELS[kind].lower()} needs a {wanted._meta.verbose_name}"})
    choices = KIND_VALUES.get(kind)
    if choices is not None and value not in choices.values:
        raise ValidationError({"value": f"Choose a {KIND_LABELS[kind].lower()} role or status"})
    if choices is None and spec.obj == "" and not value.strip():
        raise ValidationError({"value": f"Enter the {KIND_LABELS[kind].lower()}"})


def _set_object(fact: Fact, kind: str, obj: Any) -> None:
    spec = timeline.SPECS[kind]
    if spec.obj:
        setattr(fact, OBJECT_FIELD[spec.obj], obj)


def _copy(fact: Fact, **changes: Any) -> Fact:
    new = Fact(
        kind=fact.kind,
        line_id=fact.line_id,
        group_id=fact.group_id,
        value=fact.value,
        valid_from=fact.valid_from,
        valid_to=fact.valid_to,
        source=fact.source,
    )
    for name in Fact.OBJECT_FIELDS:
        setattr(new, f"{name}_id", getattr(fact, f"{name}_id"))
    for k, v in changes.items():
        setattr(new, k, v)
    return new


def _subject_of(fact: Fact) -> Subject:
    return fact.line if fact.line_id is not None else fact.group  # type: ignore[return-value]


@transaction.atomic
def record_fact(
    subject: Subject,
    by: User,
    *,
    kind: str,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    value: str = "",
    obj: Any = None,
    source: str = "",
    recorded_at: dt.datetime | None = None,
) -> Fact:
    """Record that something held from ``valid_from`` (to ``valid_to``, or still), as learnt now.

    ``valid_from`` may be long past: a late fact corrects the picture of those days "as known now" and leaves the
    picture "as known then" as it was. A single-valued fact (a status, a line's OCG) replaces the version that held
    on ``valid_from``, which is cut short there (a new version of it, the old one superseded). A fact whose object is
    on one subject at a time (a deal-line phone, a group member) likewise cuts short the object's place on any other
    subject: the phone moved line, the person moved group."""
    require(by, Verb.CHANGE, subject)
    kind = str(kind)
    _check(subject, kind, obj, value)
    if valid_to is not None and valid_to <= valid_from:
        raise ValidationError({"valid_to": "The end must be after the start"})
    at = recorded_at or timezone.now()
    spec = timeline.SPECS[kind]
    if spec.single:
        clashing = Fact.objects.filter(kind=kind, **{subject.subject_type: subject})
        if valid_to is None:
            # A version recorded for a later date still begins there: this one holds until then.
            later = (
                Fact.objects.filter(believed(at))
                .filter(kind=kind, **{subject.subject_type: subject})
                .filter(valid_from__gt=valid_from)
                .order_by("valid_from")
                .first()
            )
            valid_to = later.valid_from if later is not None else None
        _cut_short(clashing, by, on=valid_from, at=at)
    if spec.exclusive and obj is not None:
        elsewhere = Fact.objects.filter(kind=kind, **{OBJECT_FIELD[spec.obj]: obj}).exclude(
            **{subject.subject_type: subject}
        )
        _cut_short(elsewhere, by, on=valid_from, at=at)
    fact = Fact(
        kind=kind,
        value=value.strip(),
        valid_from=valid_from,
        valid_to=valid_to,
        recorded_at=at,
        recorded_by=by,
        source=source.strip(),
        **{subject.subject_type: subject},
    )
    _set_object(fact, kind, obj)
    fact.full_clean()
    fact.save()
    return fact


def _cut_short(rows: QuerySet[Fact], by: User, *, on: dt.date, at: dt.datetime) -> None:
    """End, on ``on``, the believed versions among ``rows`` that hold on that day (new versions; old superseded)."""
    holding = rows.filter(believed(at)).filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
    for old in holding.select_related("line", "group"):
        require(by, Verb.CHANGE, _subject_of(old))
        old.superseded_at = at
        old.save(update_fields=["superseded_at"])
        if old.valid_from < on:
            new = _copy(old, valid_to=on, recorded_at=at, recorded_by=by, supersedes=old)
            new.save()


@transaction.atomic
def end_fact(fact: Fact, by: User, *, on: dt.date, recorded_at: dt.datetime | None = None) -> Fact:
    """It stopped holding on ``on`` (the first day it no longer held): a new version of the fact, ending there."""
    require(by, Verb.CHANGE, _subject_of(fact))
    if on <= fact.valid_from:
        raise ValidationError({"on": "It must end after it started: retract it instead if it never held"})
    at = recorded_at or timezone.now()
    _believed(fact, at)
    fact.superseded_at = at
    fact.save(update_fields=["superseded_at"])
    new = _copy(fact, valid_to=on, recorded_at=at, recorded_by=by, supersedes=fact)
    new.full_clean()
    new.save()
    return new


@transaction.atomic
def correct_fact(
    fact: Fact,
    by: User,
    *,
    valid_from: dt.date,
    valid_to: dt.date | None,
    value: str | None = None,
    recorded_at: dt.datetime | None = None,
) -> Fact:
    """What we believed was wrong in its dates or its role: a corrected version replaces it from now on."""
    require(by, Verb.CHANGE, _subject_of(fact))
    at = recorded_at or timezone.now()
    _believed(fact, at)
    if valid_to is not None and valid_to <= valid_from:
        raise ValidationError({"valid_to": "The end must be after the start"})
    new_value = fact.value if value is None else value
    _check(_subject_of(fact), fact.kind, _object_of(fact), new_value)
    fact.superseded_at = at
    fact.save(update_fields=["superseded_at"])
    new = _copy(
        fact, valid_from=valid_from, valid_to=valid_to, value=new_value, recorded_at=at, recorded_by=by, supersedes=fact
    )
    new.full_clean()
    new.save()
    return new


@transaction.atomic
def retract_fact(fact: Fact, by: User, *, recorded_at: dt.datetime | None = None) -> Fact:
    """It was never true: withdrawn from now on (the pictures as known before stay as they were)."""
    require(by, Verb.CHANGE, _subject_of(fact))
    at = recorded_at or timezone.now()
    _believed(fact, at)
    fact.retracted_at = at
    fact.save(update_fields=["retracted_at"])
    return fact


def _believed(fact: Fact, at: dt.datetime) -> None:
    if fact.superseded_at is not None or fact.retracted_at is not None:
        raise ValidationError("This version has already been replaced or withdrawn: change the current one")
    if fact.recorded_at > at:
        raise ValidationError("A change cannot be recorded before the fact it changes")


def _object_of(fact: Fact) -> Any:
    name = fact.object_field
    return getattr(fact, name) if name else None


# --- the register's records named by a fact --------------------------------------------------------------------


def intelligence_person(
    subject: Subject, by: User, *, given_name: str, family_name: str, dob_year: int | None = None, uuid: Any = None
) -> Person:
    """A nominal new to the register, recorded as intelligence held with the line or group."""
    require(by, Verb.CHANGE, subject)
    person = Person(
        given_name=given_name.strip(),
        family_name=family_name.strip(),
        dob_year=dob_year,
        owning_agency=subject.owning_agency,
        created_by=by,
        caveat=Caveat.OFFICIAL_SENSITIVE,
        sensitivity=Sensitivity.INTELLIGENCE,
    )
    if uuid is not None:
        person.uuid = uuid
    person.full_clean()
    person.save()
    return person


def deal_line_phone(subject: Subject, by: User, number: str) -> Phone:
    """The register's record of a deal-line number: one the user may see, else the line's holder's own record of it
    (intelligence). Another agency's record of the number is never handed on (as ``registers.services.link_phone``)."""
    require(by, Verb.CHANGE, subject)
    e164 = normalise_phone(number)
    phone = (
        Phone.objects.visible_to(by).filter(number=e164, owning_agency=subject.owning_agency).first()
        or Phone.objects.filter(number=e164, owning_agency=subject.owning_agency).first()
    )
    if phone is None:
        phone = Phone(
            number=e164,
            kind="mobile" if e164.startswith("+447") else "landline",
            owning_agency=subject.owning_agency,
            created_by=by,
            caveat=Caveat.OFFICIAL_SENSITIVE,
            sensitivity=Sensitivity.INTELLIGENCE,
        )
        phone.save()
    return phone


def line_vehicle(subject: Subject, by: User, registration: str, *, make: str = "", colour: str = "") -> Vehicle:
    require(by, Verb.CHANGE, subject)
    vrm = normalise_registration(registration)
    vehicle = Vehicle.objects.filter(registration=vrm, owning_agency=subject.owning_agency).first()
    if vehicle is None:
        vehicle = Vehicle(
            registration=vrm,
            make=make,
            colour=colour,
            owning_agency=subject.owning_agency,
            created_by=by,
            caveat=Caveat.OFFICIAL_SENSITIVE,
            sensitivity=Sensitivity.INTELLIGENCE,
        )
        vehicle.save()
    return vehicle


# --- MoRiLE --------------------------------------------------------------------------------------------------


@transaction.atomic
def load_morile(data: Any = None, *, activate: bool = True) -> MorileDefinition:
    """Store a MoRiLE definition version (the shipped one by default) and make it the active one. Safe to re-run."""
    try:
        definition = morile.load(data) if data is not None else morile.shipped()
    except morile.DefinitionError as exc:
        raise ValidationError(list(exc.problems)) from exc
    row = MorileDefinition.objects.filter(key=definition.key, version=definition.version).first()
    if row is not None and row.digest != definition.digest:
        raise ValidationError(
            f"MoRiLE version {definition.version} is already loaded with different content: give it a new version"
        )
    if row is None:
        row = MorileDefinition(
            key=definition.key,
            version=definition.version,
            digest=definition.digest,
            definition=dict(definition.data),
            active=False,
        )
        row.save()
    if activate and not row.active:
        MorileDefinition.objects.filter(key=row.key, active=True).update(active=False)
        row.active = True
        row.save(update_fields=["active"])
    return row


def active_morile() -> MorileDefinition:
    row = MorileDefinition.objects.filter(key="morile", active=True).first()
    return row if row is not None else load_morile()


@transaction.atomic
def assess_group(
    group: OrganisedCrimeGroup,
    by: User,
    *,
    scores: dict[str, int],
    confidence: str,
    assessed_on: dt.date | None = None,
) -> MorileAssessment:
    """Score the group with the active MoRiLE definition; the assessment keeps the version it was scored with."""
    require(by, Verb.CHANGE, group)
    row = active_morile()
    try:
        result = morile.score(morile.load(row.definition), scores, confidence)
    except morile.ScoreError as exc:
        raise ValidationError(list(exc.problems)) from exc
    assessment = MorileAssessment(
        group=group,
        definition=row,
        version=result.version,
        digest=result.digest,
        scores=dict(result.scores),
        confidence=result.confidence,
        total=result.total,
        level=result.level,
        level_label=result.level_label,
        reasons=list(result.reasons),
        assessed_on=assessed_on or timezone.localdate(),
        assessed_by=by,
    )
    assessment.save()
    return assessment


# --- serious organised crime leads ---------------------------------------------------------------------------


def soc_leads() -> QuerySet[Any]:
    from csphub.partnership.models import User

    return User.objects.filter(role_assignments__role=Role.SOC_LEAD, is_active=True).order_by("last_name", "username")


@transaction.atomic
def designate_soc_lead(user: User, by: User) -> RoleAssignment:
    """Name ``user`` a serious organised crime lead (the role assignment is audited)."""
    if not may_designate_soc_leads(by):
        raise PermissionDenied("Only a partnership manager names serious organised crime leads.")
    from csphub.access.policy import is_community_user

    if is_community_user(user) or user.agency is None:
        raise ValidationError("Only members of a statutory agency can be named serious organised crime leads.")
    assignment, _ = RoleAssignment.objects.get_or_create(user=user, role=Role.SOC_LEAD)
    user.refresh_roles()
    return assignment


@transaction.atomic
def revoke_soc_lead(user: User, by: User) -> None:
    if not may_designate_soc_leads(by):
        raise PermissionDenied("Only a partnership manager names serious organised crime leads.")
    for assignment in RoleAssignment.objects.filter(user=user, role=Role.SOC_LEAD):
        assignment.delete()
    user.refresh_roles()


# --- reading: the picture, the changes, the counts -----------------------------------------------------------


@dataclass(frozen=True)
class Named:
    """A record a fact names, as the user may see it: its label and link, or hidden (counted, never named)."""

    label: str
    url: str = ""
    hidden: bool = False


HIDDEN = Named("a record you may not see", hidden=True)


class Names:
    """Labels for the records facts name, each looked up through the access policy, in bulk."""

    def __init__(self, user: User) -> None:
        self.user = user
        self._cache: dict[Ref, Named] = {}

    def resolve(self, refs: Iterable[Ref]) -> None:
        wanted: dict[str, set[int]] = defaultdict(set)
        for ref in refs:
            if ref != timeline.NO_OBJECT and ref not in self._cache:
                wanted[ref[0]].add(ref[1])
        for kind, ids in wanted.items():
            model = OBJECT_MODELS[kind]
            if kind == "district":
                rows = model.objects.filter(pk__in=ids)
            else:
                rows = model.objects.visible_to(self.user).filter(pk__in=ids)
            found = {r.pk: r for r in rows}
            for pk in ids:
                rec = found.get(pk)
                if rec is None:
                    self._cache[(kind, pk)] = HIDDEN
                else:
                    url = rec.get_absolute_url() if kind != "district" else ""
                    self._cache[(kind, pk)] = Named(str(rec), url)

    def __getitem__(self, ref: Ref) -> Named:
        if ref == timeline.NO_OBJECT:
            return Named("")
        if ref not in self._cache:
            self.resolve([ref])
        return self._cache[ref]


@dataclass(frozen=True)
class FactView:
    kind: str
    kind_label: str
    value: str
    value_label: str
    obj: Named
    valid_from: dt.date
    valid_to: dt.date | None
    recorded_at: dt.datetime
    closed_at: dt.datetime | None = None
    uuid: str = ""
    recorded_late: bool = False


@dataclass(frozen=True)
class SubjectView:
    ref: Ref
    name: Named
    status: str
    facts: tuple[FactView, ...]
    hidden: int = 0  # facts naming records the user may not see


@dataclass(frozen=True)
class PictureView:
    valid: dt.date
    known: dt.datetime
    as_known: str  # "then" or "now"
    lines: tuple[SubjectView, ...]
    groups: tuple[SubjectView, ...]


def _late(f: timeline.Fact) -> bool:
    return f.recorded_at.date() > f.valid_from + dt.timedelta(days=28)


def _fact_view(f: timeline.Fact, names: Names, *, uuid: str = "") -> FactView:
    return FactView(
        f.kind,
        KIND_LABELS.get(f.kind, f.kind),
        f.value,
        value_label(f.kind, f.value),
        names[f.obj],
        f.valid_from,
        f.valid_to,
        f.recorded_at,
        f.closed_at,
        uuid,
        _late(f),
    )


def _subject_views(picture: timeline.Picture, kind: str, names: Names, status_kind: str) -> tuple[SubjectView, ...]:
    by_subject: dict[Ref, list[timeline.Fact]] = defaultdict(list)
    for f in picture.facts.values():
        if f.subject[0] == kind:
            by_subject[f.subject].append(f)
    names.resolve([*by_subject, *(f.obj for fs in by_subject.values() for f in fs)])
    views = []
    for subject, facts in by_subject.items():
        facts.sort(key=lambda f: (f.kind, f.value, f.valid_from))
        shown = [_fact_view(f, names) for f in facts]
        hidden = sum(1 for v in shown if v.obj.hidden)
        status = picture.value(status_kind, subject) or ""
        views.append(
            SubjectView(
                subject,
                names[subject],
                value_label(status_kind, status),
                tuple(v for v in shown if not v.obj.hidden),
                hidden,
            )
        )
    return tuple(sorted(views, key=lambda v: v.name.label))


def as_at(user: User, *, valid: dt.date, known: dt.datetime) -> timeline.Picture:
    """The pure picture of ``valid`` as known at ``known``, over the lines and groups the user may see."""
    rows = facts_for(user).filter(believed(known)).filter(holding(valid, valid))
    return timeline.as_at(load(rows), valid=valid, known=known)


def picture(user: User, *, valid: dt.date, as_known: str = "now") -> PictureView:
    """The page "the picture as at": every line and group the user may see, as at ``valid``, as known then or now."""
    known = known_then(valid) if as_known == "then" else timezone.now()
    pic = as_at(user, valid=valid, known=known)
    names = Names(user)
    return PictureView(
        valid,
        known,
        "then" if as_known == "then" else "now",
        _subject_views(pic, "line", names, Kind.LINE_STATUS),
        _subject_views(pic, "group", names, Kind.GROUP_STATUS),
    )


@dataclass(frozen=True)
class ChangeView:
    headline: str
    sentence: str
    subject: Named
    kind_label: str


HEADLINE_LABELS = {
    timeline.Headline.MOVED_GROUP: "Moved group",
    timeline.Headline.PHONE_MOVED: "Phone moved to another line",
    timeline.Headline.WENT_QUIET: "Went quiet",
    timeline.Headline.BECAME_ACTIVE: "Became active",
    timeline.Headline.TAKEN_OVER: "Address taken over",
    timeline.Headline.JOINED: "Joined",
    timeline.Headline.LEFT: "Left",
    timeline.Headline.OTHER: "Other change",
}


def _sentence(c: timeline.Change, names: Names) -> str:
    subject, obj = names[c.subject].label, names[c.obj].label
    what = KIND_LABELS.get(c.kind, c.kind).lower()
    before = value_label(c.kind, c.before or "")
    after = value_label(c.kind, c.after or "")
    if c.type == timeline.ChangeType.MOVED:
        origin = names[c.from_subject].label if c.from_subject else ""
        return f"{obj} moved from {origin} to {subject}" + (f" ({before} → {after})" if before != after else "")
    if c.type == timeline.ChangeType.CHANGED:
        if c.before_obj is not None:
            return f"{subject}: {what} changed from {names[c.before_obj].label} to {obj}"
        target = f" {obj}" if obj else ""
        return f"{subject}: {what}{target} changed from {before} to {after}"
    detail = f" ({after or before})" if (after or before) and obj else ""
    thing = obj or (after or before)
    if c.type == timeline.ChangeType.STARTED:
        return f"{subject}: {what} {thing}{detail} began"
    return f"{subject}: {what} {thing}{detail} ended"


@dataclass(frozen=True)
class ChangesView:
    first: dt.date
    second: dt.date
    known: dt.datetime
    changes: tuple[ChangeView, ...]
    hidden: int
    by_headline: tuple[tuple[str, int], ...]


def diff(user: User, first: dt.date, second: dt.date, *, known: dt.datetime | None = None) -> list[timeline.Change]:
    """What changed between the pictures of two dates (both as known at ``known``, default now).

    The database keeps the versions believed at ``known`` that hold on either date and says which (two CASE
    columns); the rows come back raw (no datetime parsing) and ``timeline.diff_versions`` compares them in one pass.
    """
    at = known or timezone.now()
    first_q = Q(valid_from__lte=first) & (Q(valid_to__isnull=True) | Q(valid_to__gt=first))
    second_q = Q(valid_from__lte=second) & (Q(valid_to__isnull=True) | Q(valid_to__gt=second))
    # Few, small columns: a row per version, the subject and object each as a type code and an id, and on which of
    # the two dates it holds (1: the first, 2: the second, 3: both).
    rows = (
        Fact.objects.filter(believed(at))
        .filter(first_q | second_q)
        .order_by()
        .annotate(
            _subject=Coalesce("line_id", -F("group_id")),
            _otype=Case(
                *(When(**{f"{column}__isnull": False}, then=Value(n)) for n, column in enumerate(_OBJECT_IDS, 1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
            _oid=Coalesce(*_OBJECT_IDS, Value(0)),
            # Only to order two versions of one slot: as text (UTC), which a driver need not parse into a datetime.
            _recorded=Cast("recorded_at", output_field=CharField()),
            _at=Case(When(first_q, then=Value(1)), default=Value(0), output_field=IntegerField())
            + Case(When(second_q, then=Value(2)), default=Value(0), output_field=IntegerField()),
        )
        .values_list("id", "kind", "_subject", "_otype", "_oid", "value", "_recorded", "_at")
    )
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        raw = cursor.fetchall()
    return timeline.diff_versions(_versions(raw, visible_subjects(user)))


_OBJECT_IDS = ("person_id", "phone_id", "place_id", "vehicle_id", "district_id", "object_group_id")
_OBJECT_TYPE_CODES = ("", *_OBJECT_TYPES)


def _versions(raw: Iterable[Sequence[Any]], visible: Visible) -> Iterator[timeline.Row]:
    """Raw rows as ``timeline.Row``s, keeping only those about the lines and groups the user may see."""
    types = _OBJECT_TYPE_CODES
    lines, groups = visible.lines, visible.groups
    for fid, kind, subject, otype, oid, value, recorded, held in raw:
        if subject > 0:
            if subject in lines:
                yield (fid, kind, "line", subject, types[otype], oid, value, recorded, held)
        elif -subject in groups:
            yield (fid, kind, "group", -subject, types[otype], oid, value, recorded, held)


def changes(user: User, first: dt.date, second: dt.date, *, known: dt.datetime | None = None) -> ChangesView:
    at = known or timezone.now()
    raw = diff(user, first, second, known=at)
    names = Names(user)
    names.resolve(r for c in raw for r in (c.subject, c.obj, c.from_subject, c.before_obj) if r is not None)
    shown: list[ChangeView] = []
    hidden = 0
    for c in raw:
        refs = [r for r in (c.subject, c.obj, c.from_subject, c.before_obj) if r is not None]
        if any(names[r].hidden for r in refs):
            hidden += 1
            continue
        shown.append(
            ChangeView(HEADLINE_LABELS[c.headline], _sentence(c, names), names[c.subject], KIND_LABELS.get(c.kind, ""))
        )
    counts: dict[str, int] = defaultdict(int)
    for v in shown:
        counts[v.headline] += 1
    order = list(HEADLINE_LABELS.values())
    return ChangesView(
        first,
        second,
        at,
        tuple(sorted(shown, key=lambda v: (order.index(v.headline), v.sentence))),
        hidden,
        tuple(sorted(counts.items(), key=lambda kv: order.index(kv[0]))),
    )


@dataclass(frozen=True)
class DistrictCount:
    district: str
    lines: int
    groups: int


@dataclass(frozen=True)
class Counts:
    valid: dt.date
    rows: tuple[DistrictCount, ...]
    lines_total: int
    groups_total: int


def active_lines_by_district(valid: dt.date, *, known: dt.datetime | None = None) -> dict[int, set[int]]:
    """District pk -> pks of lines active on ``valid`` and operating there (as known at ``known``, default now).
    Figures only: no names leave this function."""
    at = known or timezone.now()
    rows = (
        Fact.objects.filter(believed(at))
        .filter(holding(valid, valid))
        .filter(kind__in=[Kind.LINE_STATUS, Kind.LINE_DISTRICT])
    )
    return timeline.active_lines_by_district(load(rows), valid=valid, known=at)


def counts(valid: dt.date, *, known: dt.datetime | None = None) -> Counts:
    """Active lines and groups by district on ``valid``: figures only, for every member (the board included)."""
    at = known or timezone.now()
    lines = active_lines_by_district(valid, known=at)
    rows = (
        Fact.objects.filter(believed(at))
        .filter(holding(valid, valid))
        .filter(kind__in=[Kind.GROUP_STATUS, Kind.GROUP_AREA])
    )
    pic = timeline.as_at(load(rows), valid=valid, known=at)
    active_groups = pic.subjects(Kind.GROUP_STATUS, GroupStatus.ACTIVE)
    groups: dict[int, set[int]] = defaultdict(set)
    for f in pic.facts.values():
        if f.kind == Kind.GROUP_AREA and f.subject in active_groups:
            groups[f.obj[1]].add(f.subject[1])
    active_lines = Fact.objects.filter(believed(at)).filter(kind=Kind.LINE_STATUS, value=LineStatus.ACTIVE)
    line_total = len({f.subject for f in load(active_lines.filter(holding(valid, valid))) if f.holds_on(valid)})
    districts = District.objects.order_by("name")
    return Counts(
        valid,
        tuple(DistrictCount(d.name, len(lines.get(d.pk, ())), len(groups.get(d.pk, ()))) for d in districts),
        line_total,
        len(active_groups),
    )


# --- a line's or a group's page --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SubjectPage:
    current: tuple[FactView, ...]  # believed now and holding today or later
    history: tuple[FactView, ...]  # every version ever recorded, oldest first
    hidden: int
    status: str
    members_over_time: tuple[tuple[Named, tuple[FactView, ...]], ...] = field(default_factory=tuple)


def subject_page(user: User, subject: Subject) -> SubjectPage:
    rows = list(Fact.objects.filter(**{subject.subject_type: subject}).values_list(*_COLUMNS, "uuid"))
    facts = [(to_fact(r[:-1]), str(r[-1])) for r in rows]
    names = Names(user)
    names.resolve(f.obj for f, _ in facts)
    now = timezone.now()
    today = timezone.localdate()
    history = [
        _fact_view(f, names, uuid=u) for f, u in sorted(facts, key=lambda p: (p[0].valid_from, p[0].recorded_at))
    ]
    held = [(f, u) for f, u in facts if f.believed_at(now)]
    current = [
        _fact_view(f, names, uuid=u)
        for f, u in sorted(held, key=lambda p: (p[0].kind, p[0].valid_from))
        if f.valid_to is None or f.valid_to > today
    ]
    hidden = sum(1 for v in history if v.obj.hidden)
    status_kind = Kind.LINE_STATUS if subject.subject_type == "line" else Kind.GROUP_STATUS
    pic = timeline.as_at([f for f, _ in facts], valid=today, known=now)
    status = value_label(status_kind, pic.value(status_kind, (subject.subject_type, subject.pk)) or "")
    members: dict[Ref, list[FactView]] = defaultdict(list)
    for f, u in sorted(held, key=lambda p: p[0].valid_from):
        if f.kind in (Kind.GROUP_MEMBER, Kind.LINE_NOMINAL) and not names[f.obj].hidden:
            members[f.obj].append(_fact_view(f, names, uuid=u))
    return SubjectPage(
        tuple(v for v in current if not v.obj.hidden),
        tuple(v for v in history if not v.obj.hidden),
        hidden,
        status,
        tuple((names[ref], tuple(vs)) for ref, vs in members.items()),
    )


# --- a neighbourhood of the network, as at a date (for the network pages) ---------------------------------------

# The columns a record of each type appears in (as subject or object). Districts are not walked through: every
# line in Kettering would be two steps from every other.
_COLUMNS_BY_TYPE: dict[str, tuple[str, ...]] = {
    "line": ("line_id",),
    "group": ("group_id", "object_group_id"),
    "person": ("person_id",),
    "phone": ("phone_id",),
    "place": ("place_id",),
    "vehicle": ("vehicle_id",),
}


@dataclass(frozen=True)
class Neighbourhood:
    picture: timeline.Picture
    entities: frozenset[Ref]
    truncated: bool


def neighbourhood(
    user: User, seeds: Iterable[Ref], *, valid: dt.date, known: dt.datetime, limit: int = 2000, hops: int = 4
) -> Neighbourhood:
    """The records within ``hops`` links of ``seeds`` on ``valid`` (as known at ``known``), at most ``limit`` of
    them (breadth first, nearest kept), with the facts between them: a few indexed queries per hop, over the lines
    and groups the user may see."""
    visible = visible_subjects(user)
    base = Fact.objects.filter(believed(known)).filter(holding(valid, valid)).order_by()
    entities: set[Ref] = set(seeds)
    frontier = set(entities)
    held: dict[int, timeline.Fact] = {}
    truncated = False
    for _ in range(hops):
        walkable = [r for r in frontier if r[0] in _COLUMNS_BY_TYPE]
        if not walkable or len(entities) >= limit:
            break
        by_type: dict[str, list[int]] = defaultdict(list)
        for kind, pk in walkable:
            by_type[kind].append(pk)
        found: set[Ref] = set()
        # One query per column, each on that column's index (an OR of them makes SQLite scan the table).
        for kind, ids in by_type.items():
            for column in _COLUMNS_BY_TYPE[kind]:
                for f in load(base.filter(**{f"{column}__in": ids})):
                    if f.id in held or f.subject not in visible:
                        continue
                    held[f.id] = f
                    found.update(r for r in (f.subject, f.obj) if r != timeline.NO_OBJECT and r not in entities)
        room = limit - len(entities)
        if len(found) > room:
            truncated = True
            found = set(sorted(found)[:room])
        entities |= found
        frontier = found
    inside = [f for f in held.values() if f.subject in entities and (f.obj in entities or f.obj[0] in ("", "district"))]
    return Neighbourhood(timeline.as_at(inside, valid=valid, known=known), frozenset(entities), truncated)


# --- for the cuckooing panel ---------------------------------------------------------------------------------------


def known_addresses(as_at: dt.date) -> list[tuple[float, float]]:
    """The located addresses (cuckooed, trap houses, stashes) of the county lines active on ``as_at``, as known now:
    points only (latitude, longitude), for the cuckooing panel's "near known county-lines addresses" component
    (``csphub.cuckooing.sources``, registered by the cuckooing app). No names, no line: the panel folds them into
    one reason that partners read as "near known drug activity"."""
    now = timezone.now()
    rows = Fact.objects.filter(believed(now)).filter(holding(as_at, as_at))
    active = set(rows.filter(kind=Kind.LINE_STATUS, value=LineStatus.ACTIVE).values_list("line_id", flat=True))
    places = rows.filter(kind=Kind.LINE_ADDRESS, line_id__in=active).values_list("place_id", flat=True)
    located = Place.objects.filter(pk__in=list(places), latitude__isnull=False, longitude__isnull=False)
    return [(p.latitude, p.longitude) for p in located.only("latitude", "longitude") if p.latitude and p.longitude]
