"""The partnership: its districts, member agencies, users and their roles, and information sharing agreements."""

from __future__ import annotations

import datetime as dt
import uuid
from functools import cached_property
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from csphub.audit import log
from csphub.audit.context import audit_context, current_or_none
from csphub.audit.models import Operation
from csphub.audit.registry import audited
from csphub.rules.settings import settings_from


class Partnership(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200, unique=True)
    code = models.CharField(max_length=8, unique=True, help_text="Short prefix used in references, e.g. NN")
    formed_on = models.DateField()
    area_ons_code = models.CharField(max_length=9, blank=True, help_text="ONS code of the area it serves today")
    area_name = models.CharField(max_length=200, blank=True)
    # Local settings of the statutory calculators, e.g. {"case_review": {"hate_incident_threshold": 1},
    # "marac": {"escalation_incidents": 3}}; anything not given takes the statutory or SafeLives default.
    rule_settings = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        try:
            settings_from(self.rule_settings)
        except (TypeError, ValueError) as exc:
            raise ValidationError({"rule_settings": str(exc)}) from exc


class DistrictQuerySet(models.QuerySet["District"]):
    def with_boundary(self) -> DistrictQuerySet:
        """Load the boundary too (only geography needs it: pages that name districts never do)."""
        return self.defer(None)


class DistrictManager(models.Manager["District"]):
    """Districts without their boundary: the GeoJSON is large and decoding it cost pages naming districts dearly."""

    def get_queryset(self) -> DistrictQuerySet:
        return DistrictQuerySet(self.model, using=self._db).defer("boundary")

    def with_boundary(self) -> DistrictQuerySet:
        return self.get_queryset().with_boundary()


class District(models.Model):
    """A district of the partnership: one of the former council areas, with its real boundary.

    The boundary is deferred by default (``objects``, also used for related lookups such as ``case.owning_district``);
    ``District.objects.with_boundary()`` loads it. Queries that ``select_related`` a district defer it themselves
    (``"…district__boundary"``).
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="districts")
    name = models.CharField(max_length=100)
    ons_code = models.CharField(max_length=9, unique=True)
    successor_ons_code = models.CharField(max_length=9, blank=True)
    successor_name = models.CharField(max_length=100, blank=True)
    succeeded_on = models.DateField(null=True, blank=True)
    # WGS84 GeoJSON geometry of the district (from ONS/OS open boundaries, shipped in data/boundaries).
    boundary = models.JSONField()

    objects = DistrictManager()

    class Meta:
        ordering = ["name"]
        base_manager_name = "objects"

    def __str__(self) -> str:
        return self.name


class Sector(models.TextChoices):
    POLICE = "police", "Police"
    FIRE = "fire", "Fire and rescue"
    PROBATION = "probation", "Probation"
    HEALTH = "health", "Health"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    HOUSING = "housing", "Housing"
    # Commissioned specialist services (e.g. an IDVA service): statutory partners in their field, who see records
    # through their agency like any other (not a community sector).
    SPECIALIST = "specialist", "Specialist service (e.g. IDVA)"
    VOLUNTARY = "voluntary", "Voluntary and faith"
    BUSINESS = "business", "Business (e.g. Pubwatch)"


# Sectors whose members see only what they referred or what was shared with them personally.
COMMUNITY_SECTORS = frozenset({Sector.VOLUNTARY, Sector.BUSINESS})


@audited(label="agency", kind="configuration")
class Agency(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="agencies")
    name = models.CharField(max_length=200, unique=True)
    short_name = models.SlugField(max_length=40, unique=True)
    sector = models.CharField(max_length=20, choices=Sector.choices)
    county_wide = models.BooleanField(default=True, help_text="Serves every district of the partnership")
    districts = models.ManyToManyField(District, blank=True, related_name="agencies")
    # Agencies processing personal data for law enforcement purposes under DPA 2018 Part 3 (police).
    competent_authority = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name

    @property
    def is_community_sector(self) -> bool:
        return self.sector in COMMUNITY_SECTORS


class Role(models.TextChoices):
    PARTNERSHIP_MANAGER = "partnership_manager", "Partnership manager"
    CASE_OFFICER = "case_officer", "Case officer"
    ANALYST = "analyst", "Analyst"
    PANEL_CHAIR = "panel_chair", "Panel chair"
    PARTNER = "partner", "Partner (read-only)"
    VOLUNTARY_REFERRER = "voluntary_referrer", "Voluntary-sector referrer"
    ADMINISTRATOR = "administrator", "Administrator"
    # The partnership's information governance lead: reads the whole audit log, and reviews break-glass grants
    # that no agency manager can (or that went unreviewed too long).
    INFORMATION_GOVERNANCE = "information_governance", "Information governance lead"
    # A named serious-organised-crime lead, designated by a partnership manager on top of their own role: sees the
    # partnership's intelligence records (county lines, organised crime groups, their nominals), whoever holds them.
    SOC_LEAD = "soc_lead", "Serious organised crime lead"


class CsphubUserManager(UserManager["User"]):
    def get_queryset(self) -> models.QuerySet[User]:
        """Users come with their agency: every page reads the signed-in user's (the access policy, the header),
        and Django's ModelBackend loads that user through this manager, so it is one query instead of two."""
        return super().get_queryset().select_related("agency")


# Account changes (agency, names, e-mail, flags) are audited with before and after; the password hash and the
# last sign-in (logged as its own security event) never go into the log.
@audited(label="user account", kind="configuration", exclude=("password", "last_login"))
class User(AbstractUser):
    """A person who uses csphub: belongs to one agency and holds one or more roles."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="users")
    job_title = models.CharField(max_length=150, blank=True)

    objects: ClassVar[CsphubUserManager] = CsphubUserManager()

    class Meta:
        ordering = ["username"]

    @cached_property
    def roles(self) -> frozenset[str]:
        if self.pk is None:
            return frozenset()
        return frozenset(self.role_assignments.values_list("role", flat=True))

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def refresh_roles(self) -> None:
        self.__dict__.pop("roles", None)

    @property
    def display_roles(self) -> list[str]:
        return [Role(r).label for r in sorted(self.roles)]

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Saved, and audited, in the current audit context; Django's own account commands (createsuperuser,
        changepassword) run without one, so their saves are attributed to ``system:accounts``."""
        if current_or_none() is None:
            with audit_context("cli", actor_label="system:accounts"):
                self._save_audited(*args, **kwargs)
        else:
            self._save_audited(*args, **kwargs)

    def _save_audited(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        old_hash = None
        if not self._state.adding and (update_fields is None or "password" in update_fields):
            old_hash = type(self)._base_manager.filter(pk=self.pk).values_list("password", flat=True).first()
        super().save(*args, **kwargs)
        if old_hash is not None and old_hash != self.password:
            # The hash never goes into the log: only that the password was set or voided, and by whom.
            what = "Password changed" if self.has_usable_password() else "Password voided: a reset link is needed"
            log.write(log.Event.about(Operation.SECURITY, self, what))


@audited(label="role assignment", kind="configuration", record=lambda ra: ra.user)
class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=32, choices=Role.choices)
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="unique_role_per_user")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"


class DataCategory(models.TextChoices):
    """What kind of personal data a record holds, for ISA coverage."""

    PERSONAL = "personal", "Personal data (identity, contact, addresses)"
    SPECIAL = "special", "Special category data (health, ethnicity, religion, sexuality)"
    CRIMINAL = "criminal", "Criminal offence data"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse data"
    INTELLIGENCE = "intelligence", "Intelligence"


class Purpose(models.TextChoices):
    CRIME_DISORDER = "crime_disorder", "Reducing crime and disorder (Crime and Disorder Act 1998 s.115)"
    ASB = "asb", "Tackling anti-social behaviour (ASB, Crime and Policing Act 2014)"
    SAFEGUARDING = "safeguarding", "Safeguarding adults and children at risk"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse risk management (MARAC)"
    SERIOUS_ORGANISED_CRIME = "soc", "Serious organised crime, county lines and exploitation"
    NIGHT_TIME_ECONOMY = "nte", "Night-time economy safety"


class LawfulBasis(models.TextChoices):
    ART6_1E = "art6_1e", "UK GDPR Art 6(1)(e): public task"
    ART6_1C = "art6_1c", "UK GDPR Art 6(1)(c): legal obligation"
    ART6_1D = "art6_1d", "UK GDPR Art 6(1)(d): vital interests"
    ART9_2G = "art9_2g", "UK GDPR Art 9(2)(g): substantial public interest (DPA 2018 Sch 1)"
    ART10 = "art10", "UK GDPR Art 10 with DPA 2018 Sch 1 Part 2 (criminal offence data)"
    DPA_PART3 = "dpa_part3", "DPA 2018 Part 3 s.35: law enforcement processing (competent authorities)"


class ISAQuerySet(models.QuerySet["InformationSharingAgreement"]):
    def valid_on(self, day: dt.date) -> ISAQuerySet:
        return self.filter(valid_from__lte=day).filter(models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day))


ISAManager = models.Manager.from_queryset(ISAQuerySet)


@audited(label="information sharing agreement", kind="configuration")
class InformationSharingAgreement(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="sharing_agreements")
    reference = models.CharField(max_length=40, unique=True)
    title = models.CharField(max_length=200)
    parties = models.ManyToManyField(Agency, related_name="sharing_agreements")
    purposes = models.JSONField(default=list, help_text="Purpose codes")
    data_categories = models.JSONField(default=list, help_text="Data category codes")
    lawful_bases = models.JSONField(default=list, help_text="Lawful basis codes")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    signed_off_by = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)

    objects = ISAManager()

    class Meta:
        ordering = ["reference"]
        verbose_name = "information sharing agreement"

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        for field_name, choices in (
            ("purposes", Purpose),
            ("data_categories", DataCategory),
            ("lawful_bases", LawfulBasis),
        ):
            values = getattr(self, field_name)
            if not isinstance(values, list) or not values:
                errors[field_name] = "Choose at least one"
                continue
            unknown = [v for v in values if v not in choices.values]
            if unknown:
                errors[field_name] = f"Unknown codes: {', '.join(map(str, unknown))}"
        if self.valid_to is not None and self.valid_from is not None and self.valid_to < self.valid_from:
            errors["valid_to"] = "The end date must be on or after the start date"
        if errors:
            raise ValidationError(errors)

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)

    def purpose_labels(self) -> list[str]:
        return [Purpose(p).label for p in self.purposes if p in Purpose.values]

    def category_labels(self) -> list[str]:
        return [DataCategory(c).label for c in self.data_categories if c in DataCategory.values]

    def basis_labels(self) -> list[str]:
        return [LawfulBasis(b).label for b in self.lawful_bases if b in LawfulBasis.values]
