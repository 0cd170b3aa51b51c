"""County lines and organised crime groups: identity rows, and bitemporal facts about them.

An identity row (``CountyLine``, ``OrganisedCrimeGroup``) is a governed record that only names the thing and says
who holds it (the police, OFFICIAL-SENSITIVE, intelligence: ``csphub.access``). Everything that changes over time
is a ``Fact`` row: a status, a district operated in, a deal-line phone, a nominal in a role, an address, a vehicle,
the OCG a line belongs to, a group's members, activities and areas. People, phones, places and vehicles are the
register's own records (``csphub.registers``), never copies.

A fact has a valid time (``valid_from``, ``valid_to``: half-open, ``valid_to`` is the first day it no longer held)
and a record time (``recorded_at``; ``superseded_at`` when a corrected version replaced it, ``retracted_at`` when it
was withdrawn as wrong). Rows are only ever added, and closed in record time: see ``csphub.intelligence.timeline``
for the semantics and the pure queries (as-at, diff).
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from csphub.access.models import Governed
from csphub.access.vocabulary import Caveat, Sensitivity
from csphub.audit.registry import audited
from csphub.intelligence.timeline import Kind
from csphub.ui.links import record_url


class LineStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    DISRUPTED = "disrupted", "Disrupted"
    CLOSED = "closed", "Closed"


class GroupStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    DORMANT = "dormant", "Dormant"
    DISMANTLED = "dismantled", "Dismantled"


class NominalRole(models.TextChoices):
    LINE_HOLDER = "line_holder", "Line holder"
    RUNNER = "runner", "Runner"
    EXPLOITED_CHILD = "exploited_child", "Exploited child"
    EXPLOITED_ADULT = "exploited_adult", "Exploited adult"


class AddressRole(models.TextChoices):
    CUCKOOED = "cuckooed", "Cuckooed address"
    TRAP_HOUSE = "trap_house", "Trap house"
    STASH = "stash", "Stash"


class MemberRole(models.TextChoices):
    PRINCIPAL = "principal", "Principal"
    LIEUTENANT = "lieutenant", "Lieutenant"
    ENFORCER = "enforcer", "Enforcer"
    FACILITATOR = "facilitator", "Facilitator"
    ASSOCIATE = "associate", "Associate"


class Activity(models.TextChoices):
    DRUG_SUPPLY = "drug_supply", "Drug supply"
    COUNTY_LINES = "county_lines", "County lines"
    FIREARMS = "firearms", "Firearms"
    EXPLOITATION = "exploitation", "Child or adult exploitation"
    MONEY_LAUNDERING = "money_laundering", "Money laundering"
    ACQUISITIVE = "acquisitive", "Organised acquisitive crime"
    MODERN_SLAVERY = "modern_slavery", "Modern slavery"


# The values each kind of fact takes (the role, status or activity); kinds not listed take none.
KIND_VALUES: dict[str, type[models.TextChoices]] = {
    Kind.LINE_STATUS: LineStatus,
    Kind.LINE_NOMINAL: NominalRole,
    Kind.LINE_ADDRESS: AddressRole,
    Kind.GROUP_STATUS: GroupStatus,
    Kind.GROUP_MEMBER: MemberRole,
    Kind.GROUP_ACTIVITY: Activity,
}
KIND_LABELS: dict[str, str] = {
    Kind.LINE_STATUS: "Status",
    Kind.LINE_ORIGIN: "Exporting area",
    Kind.LINE_DISTRICT: "District operated in",
    Kind.LINE_PHONE: "Deal-line number",
    Kind.LINE_NOMINAL: "Nominal",
    Kind.LINE_ADDRESS: "Address",
    Kind.LINE_VEHICLE: "Vehicle",
    Kind.LINE_GROUP: "Organised crime group",
    Kind.GROUP_STATUS: "Status",
    Kind.GROUP_MEMBER: "Member",
    Kind.GROUP_ACTIVITY: "Activity",
    Kind.GROUP_AREA: "Area",
}


def value_label(kind: str, value: str) -> str:
    choices = KIND_VALUES.get(kind)
    if choices is not None and value in choices.values:
        return str(choices(value).label)
    return value


class IntelligenceRecord(Governed):
    """What every intelligence identity row is: held by the police, OFFICIAL-SENSITIVE, intelligence."""

    name = models.CharField(max_length=120)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Intelligence whatever a form or a caller says: the markings are what the access policy decides on.
        self.caveat = Caveat.OFFICIAL_SENSITIVE
        self.sensitivity = Sensitivity.INTELLIGENCE
        self.partnership_wide = False
        super().save(*args, **kwargs)


@audited(label="county line", exclude=("updated_at",))
class CountyLine(IntelligenceRecord):
    """A county line: a branded deal line run into the partnership's area (its facts carry everything else)."""

    subject_type: ClassVar[str] = "line"

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} line"

    @property
    def reference(self) -> str:
        return f"CL-{self.uuid.hex[:8].upper()}"

    def get_absolute_url(self) -> str:
        return record_url("intelligence:line", self.uuid)


@audited(label="organised crime group", exclude=("updated_at",))
class OrganisedCrimeGroup(IntelligenceRecord):
    subject_type: ClassVar[str] = "group"

    class Meta:
        ordering = ["name"]
        verbose_name = "organised crime group"

    def __str__(self) -> str:
        return self.name

    @property
    def reference(self) -> str:
        return f"OCG-{self.uuid.hex[:8].upper()}"

    def get_absolute_url(self) -> str:
        return record_url("intelligence:group", self.uuid)


def believed(known: Any) -> models.Q:
    """Rows the partnership believed at ``known`` (record time), as a filter."""
    return (
        models.Q(recorded_at__lte=known)
        & (models.Q(superseded_at__isnull=True) | models.Q(superseded_at__gt=known))
        & (models.Q(retracted_at__isnull=True) | models.Q(retracted_at__gt=known))
    )


def holding(first: Any, last: Any) -> models.Q:
    """Rows whose valid time meets [first, last] (both dates included), as a filter."""
    return models.Q(valid_from__lte=last) & (models.Q(valid_to__isnull=True) | models.Q(valid_to__gt=first))


class FactQuerySet(models.QuerySet["Fact"]):
    def believed_at(self, known: Any) -> FactQuerySet:
        """Rows the partnership believed at ``known`` (record time)."""
        return self.filter(believed(known))

    def holding_between(self, first: Any, last: Any) -> FactQuerySet:
        """Rows whose valid time meets [first, last] (both dates included)."""
        return self.filter(holding(first, last))


FactManager = models.Manager.from_queryset(FactQuerySet)


def _fact_record(fact: Fact) -> models.Model:
    subject = fact.line if fact.line_id is not None else fact.group
    assert subject is not None
    return subject


def _fact_related(fact: Fact) -> models.Model | None:
    for name in ("person", "phone", "place", "vehicle", "object_group"):
        if getattr(fact, f"{name}_id") is not None:
            return getattr(fact, name)
    return None


@audited(label="intelligence fact", record=_fact_record, related=_fact_related)
class Fact(models.Model):
    """One version of one fact about a line or a group: valid time and record time (module docstring)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=20, choices=[(k.value, KIND_LABELS[k]) for k in Kind])
    # The subject: exactly one of these.
    line = models.ForeignKey(CountyLine, on_delete=models.CASCADE, null=True, blank=True, related_name="facts")
    group = models.ForeignKey(
        OrganisedCrimeGroup, on_delete=models.CASCADE, null=True, blank=True, related_name="facts"
    )
    # The object, if the kind has one: at most one of these (the register's records, a district, a group).
    person = models.ForeignKey(
        "registers.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="intelligence_facts"
    )
    phone = models.ForeignKey(
        "registers.Phone", on_delete=models.CASCADE, null=True, blank=True, related_name="intelligence_facts"
    )
    place = models.ForeignKey(
        "registers.Place", on_delete=models.CASCADE, null=True, blank=True, related_name="intelligence_facts"
    )
    vehicle = models.ForeignKey(
        "registers.Vehicle", on_delete=models.CASCADE, null=True, blank=True, related_name="intelligence_facts"
    )
    district = models.ForeignKey(
        "partnership.District", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    object_group = models.ForeignKey(
        OrganisedCrimeGroup, on_delete=models.CASCADE, null=True, blank=True, related_name="object_facts"
    )
    value = models.CharField(max_length=120, blank=True, help_text="The role, status, activity or area named")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True, help_text="The first day it no longer held")
    recorded_at = models.DateTimeField(default=timezone.now)
    superseded_at = models.DateTimeField(null=True, blank=True)
    retracted_at = models.DateTimeField(null=True, blank=True)
    supersedes = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source = models.CharField(max_length=300, blank=True, help_text="Where it comes from (grading, log reference)")

    objects = FactManager()

    OBJECT_FIELDS: ClassVar[tuple[str, ...]] = ("person", "phone", "place", "vehicle", "district", "object_group")

    class Meta:
        ordering = ["valid_from", "recorded_at", "id"]
        # Read by subject (a line's or a group's page) and by object (the foreign keys' own indexes: a neighbourhood
        # walks from a person, phone, place or vehicle). No index on the dates: every date query keeps most rows,
        # and one on recorded_at or valid_from lured SQLite's planner off the object's index (bench/README.md).
        indexes = [
            models.Index(fields=["line", "kind"]),
            models.Index(fields=["group", "kind"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(line__isnull=False) & models.Q(group__isnull=True))
                | (models.Q(line__isnull=True) & models.Q(group__isnull=False)),
                name="fact_has_one_subject",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gt=models.F("valid_from")),
                name="fact_valid_to_after_valid_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{KIND_LABELS.get(self.kind, self.kind)} from {self.valid_from}"

    @property
    def subject(self) -> CountyLine | OrganisedCrimeGroup:
        return self.line if self.line is not None else self.group  # type: ignore[return-value]

    @property
    def object_field(self) -> str | None:
        return next((f for f in self.OBJECT_FIELDS if getattr(self, f"{f}_id") is not None), None)

    @property
    def closed_at(self) -> Any:
        closes = [t for t in (self.superseded_at, self.retracted_at) if t is not None]
        return min(closes) if closes else None

    @property
    def value_label(self) -> str:
        return value_label(self.kind, self.value)


@audited(label="MoRiLE definition", kind="configuration")
class MorileDefinition(models.Model):
    """One version of the MoRiLE-style assessment's dimensions, weights and thresholds (``intelligence.morile``)."""

    key = models.CharField(max_length=40, default="morile")
    version = models.CharField(max_length=40)
    digest = models.CharField(max_length=64, editable=False)
    definition = models.JSONField()
    active = models.BooleanField(default=True)
    loaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["key", "-loaded_at"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="unique_morile_version"),
            models.UniqueConstraint(fields=["key"], condition=models.Q(active=True), name="one_active_morile"),
        ]

    def __str__(self) -> str:
        return f"MoRiLE (version {self.version})"


@audited(label="MoRiLE assessment", record=lambda a: a.group)
class MorileAssessment(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey(OrganisedCrimeGroup, on_delete=models.CASCADE, related_name="assessments")
    definition = models.ForeignKey(MorileDefinition, on_delete=models.PROTECT, related_name="assessments")
    version = models.CharField(max_length=40, help_text="The definition's version it was scored with")
    digest = models.CharField(max_length=64)
    scores = models.JSONField()
    confidence = models.CharField(max_length=20)
    total = models.IntegerField()
    level = models.CharField(max_length=20)
    level_label = models.CharField(max_length=60)
    reasons = models.JSONField(default=list)
    assessed_on = models.DateField()
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-assessed_on", "-recorded_at"]

    def __str__(self) -> str:
        return f"{self.level_label} ({self.assessed_on})"
