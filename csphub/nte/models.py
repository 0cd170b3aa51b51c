"""The night-time economy (NTE): who patrols it, what they log, what sweeps find, and where powers apply.

- ``NtePartner``: an agency that works the night-time economy (Street Pastors, the council's wardens and CCTV,
  the police, taxi marshals…). Its users log shifts and see the shared NTE summary.
- ``NteArea``: a town centre or night-time area (e.g. Kettering town centre), ``NteVenue``: a known venue in it
  (a bar, a nightclub, a fast-food restaurant, a bingo hall, a taxi rank), located; non-personal.
- ``Shift``: one agency's shift on the streets or in the CCTV room (a governed record: its agency sees it, no one
  else — ``csphub.access``), with the ``Incident`` s logged during it: when, where (a venue, a register place or a
  point / postcode), a category from a controlled vocabulary, people helped and onward referrals.
- ``KnifeSweep``: a search of an area by the partnership (a governed record: its lead agency and the agencies
  taking part see it), with the ``WeaponFind`` s it made; finds can also be logged against an incident.
- ``DesignatedArea``: a dispersal order (s.34 Anti-social Behaviour, Crime and Policing Act 2014, at most 48
  hours) or a public spaces protection order (s.59, at most three years), with its polygon as GeoJSON. Public
  notices: every member sees them, and the analytics map draws them.

Only categories, times and places ever leave for the analytics store (``csphub.nte.publishing``): never a
shift's notes, an incident's description or anyone's name.
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
from csphub.ui.links import record_url

# s.35(3) ASB, Crime and Policing Act 2014: a dispersal authorisation lasts at most 48 hours.
DISPERSAL_MAX_HOURS = 48
# s.60(1) of the same Act: a PSPO lasts at most three years (it may then be extended, s.60(2)).
PSPO_MAX_YEARS = 3


class NteService(models.TextChoices):
    """The kind of service a shift is (an agency may run more than one: the council's wardens and its CCTV)."""

    STREET_PASTORS = "street_pastors", "Street Pastors patrol"
    WARDENS = "wardens", "Town centre wardens"
    CCTV = "cctv", "CCTV control room"
    POLICE = "police", "Police night-time patrol"
    TAXI_MARSHALS = "taxi_marshals", "Taxi marshals"
    SAFE_SPACE = "safe_space", "Safe space or welfare hub"
    OTHER = "other", "Other night-time service"


class IncidentCategory(models.TextChoices):
    """What an NTE shift deals with. The analytics store files each as "Night-time economy: <label>"."""

    VULNERABLE_PERSON = "vulnerable_person", "Vulnerable person helped"
    FIRST_AID = "first_aid", "First aid given"
    INTOXICATION = "intoxication", "Intoxication (drink or drugs)"
    VIOLENCE = "violence", "Violence or fighting"
    SEXUAL_HARASSMENT = "sexual_harassment", "Sexual harassment or unwanted attention"
    SPIKING = "spiking", "Suspected spiking"
    ASB = "asb", "Anti-social behaviour"
    CRIMINAL_DAMAGE = "criminal_damage", "Criminal damage"
    WEAPON_FOUND = "weapon_found", "Weapon found"
    DRUGS_FOUND = "drugs_found", "Drugs or paraphernalia found"
    BOTTLES_REMOVED = "bottles_removed", "Glass or bottles removed"
    LOST_PROPERTY = "lost_property", "Lost property"
    MISSING_FRIEND = "missing_friend", "Separated from friends"
    ROUGH_SLEEPING = "rough_sleeping", "Rough sleeper supported"
    TRANSPORT_HOME = "transport_home", "Helped to get home safely"
    MENTAL_HEALTH = "mental_health", "Mental health crisis"
    OTHER = "other", "Other"


class ReferralTarget(models.TextChoices):
    """Where someone was referred or handed on to."""

    AMBULANCE = "ambulance", "Ambulance service"
    POLICE = "police", "Police"
    HOSPITAL = "hospital", "Hospital (A&E)"
    SAFE_SPACE = "safe_space", "Safe space or welfare hub"
    STREET_PASTORS = "street_pastors", "Street Pastors"
    CCTV = "cctv", "CCTV control room"
    TAXI = "taxi", "Taxi home (taxi marshals)"
    FAMILY = "family", "Family or friends"
    DRUG_ALCOHOL = "drug_alcohol", "Drug and alcohol service"
    MENTAL_HEALTH = "mental_health", "Mental health crisis team"
    HOMELESS_OUTREACH = "homeless_outreach", "Homeless outreach"
    COUNCIL = "council", "Council (ASB or wardens)"
    VENUE = "venue", "Venue staff or door supervisors"


class VenueKind(models.TextChoices):
    PUB = "pub", "Pub or bar"
    NIGHTCLUB = "nightclub", "Nightclub"
    FAST_FOOD = "fast_food", "Fast-food restaurant or takeaway"
    RESTAURANT = "restaurant", "Restaurant"
    GAMBLING = "gambling", "Bingo hall, casino or arcade"
    TAXI_RANK = "taxi_rank", "Taxi rank"
    TRANSPORT = "transport", "Bus or railway station"
    PUBLIC_SPACE = "public_space", "Street, square or park"
    CAR_PARK = "car_park", "Car park"
    SHOP = "shop", "Shop or convenience store"
    OTHER = "other", "Other"


class WeaponType(models.TextChoices):
    KNIFE = "knife", "Knife (kitchen or lock knife)"
    BLADE = "blade", "Other bladed article (machete, zombie knife)"
    SHARP = "sharp", "Sharp or pointed article (screwdriver, needle)"
    BLUNT = "blunt", "Blunt weapon (bat, knuckleduster)"
    NOXIOUS = "noxious", "Noxious substance or spray"
    FIREARM = "firearm", "Firearm or imitation"
    OTHER = "other", "Other weapon"


class HidingPlace(models.TextChoices):
    BIN = "bin", "In or behind a bin"
    PLANTER = "planter", "In a planter or flower bed"
    HEDGE = "hedge", "In a hedge, bush or grass verge"
    DRAIN = "drain", "In a drain or gully"
    WALL = "wall", "In a wall, fence or gap in brickwork"
    STREET_FURNITURE = "street_furniture", "Under a bench, sign or street furniture"
    DOORWAY = "doorway", "In a doorway or alley"
    VEHICLE = "vehicle", "Near or under a vehicle"
    ON_SURFACE = "on_surface", "In the open"
    OTHER = "other", "Other"


class DesignationKind(models.TextChoices):
    DISPERSAL = "dispersal", "Dispersal order (s.34 ASB, Crime and Policing Act 2014)"
    PSPO = "pspo", "Public spaces protection order (s.59 ASB, Crime and Policing Act 2014)"


@audited(label="night-time economy partner", kind="configuration")
class NtePartner(models.Model):
    """An agency working the night-time economy: its users log shifts and read the shared NTE summary."""

    agency = models.OneToOneField("partnership.Agency", on_delete=models.PROTECT, related_name="nte_partner")
    service = models.CharField(
        max_length=16, choices=NteService.choices, help_text="The agency's main night-time service"
    )
    active = models.BooleanField(default=True)
    joined_on = models.DateField(default=timezone.localdate)

    class Meta:
        ordering = ["agency__name", "id"]

    def __str__(self) -> str:
        return f"{self.agency} ({self.get_service_display()})"


@audited(label="night-time economy area", kind="configuration")
class NteArea(models.Model):
    """A town centre or other night-time area the shifts cover."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=120, unique=True)
    district = models.ForeignKey(
        "partnership.District", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    latitude = models.FloatField(null=True, blank=True, help_text="The area's centre")
    longitude = models.FloatField(null=True, blank=True)
    postcode = models.CharField(max_length=8, blank=True, help_text="A postcode at the area's centre")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


@audited(label="night-time economy venue", kind="configuration")
class NteVenue(models.Model):
    """A known venue or spot of the night-time economy (non-personal: a business or a public space)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    area = models.ForeignKey(NteArea, on_delete=models.PROTECT, related_name="venues")
    name = models.CharField(max_length=160)
    kind = models.CharField(max_length=14, choices=VenueKind.choices, default=VenueKind.OTHER)
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    place = models.ForeignKey(
        "registers.Place",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The same premises in the register, if it is there",
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["area__name", "name"]
        constraints = [models.UniqueConstraint(fields=["area", "name"], name="unique_nte_venue_name")]

    def __str__(self) -> str:
        return self.name


@audited(label="night-time economy shift", exclude=("updated_at",))
class Shift(Governed):
    """One agency's shift: who was out (a team name and a headcount), when, where, and what they noted.

    Governed: owned by the logging user's agency (OFFICIAL, general, never partnership-wide). Statutory agencies
    see their own shifts through rule 1 of the policy; the users of a community-sector agency (Street Pastors) are
    shared with personally when it is logged (``services.share_with_agency``), as meetings do."""

    service = models.CharField(max_length=16, choices=NteService.choices)
    area = models.ForeignKey(NteArea, on_delete=models.PROTECT, related_name="shifts")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    team = models.CharField(max_length=120, blank=True, help_text="A team name or call sign, e.g. Team 2")
    officers = models.PositiveSmallIntegerField(default=2, help_text="How many people were on the shift")
    notes = models.TextField(blank=True, help_text="The shift's own notes (never leave the agency)")

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["owning_agency", "starts_at"]), models.Index(fields=["starts_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="nte_shift_ends_after")
        ]

    def __str__(self) -> str:
        return f"{self.get_service_display()} shift {self.reference}"

    @property
    def reference(self) -> str:
        return f"N-{self.uuid.hex[:8].upper()}"

    def get_absolute_url(self) -> str:
        return record_url("nte:shift", self.uuid)

    @property
    def night(self) -> dt.date:
        """The night a shift belongs to: the local date it starts on (a shift from 22:00 to 04:00 is one night)."""
        local = timezone.localtime(self.starts_at)
        return (local - dt.timedelta(hours=6)).date() if local.hour < 6 else local.date()

    @property
    def hours(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600

    def clean(self) -> None:
        super().clean()
        if self.starts_at and self.ends_at:
            if self.ends_at <= self.starts_at:
                raise ValidationError({"ends_at": "The shift must end after it starts"})
            if self.ends_at - self.starts_at > dt.timedelta(hours=16):
                raise ValidationError({"ends_at": "A shift cannot last more than 16 hours"})


@audited(label="night-time economy incident", record=lambda i: i.shift)
class Incident(models.Model):
    """Something a shift dealt with. Seen with its shift (the policy decides on the shift)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="incidents")
    occurred_at = models.DateTimeField()
    category = models.CharField(max_length=20, choices=IncidentCategory.choices)
    venue = models.ForeignKey(NteVenue, on_delete=models.PROTECT, null=True, blank=True, related_name="incidents")
    place = models.ForeignKey("registers.Place", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    location = models.CharField(max_length=200, blank=True, help_text="Where, in words (e.g. outside the bus station)")
    postcode = models.CharField(max_length=8, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    people_helped = models.PositiveSmallIntegerField(default=1)
    referred_to = models.JSONField(default=list, blank=True, help_text="ReferralTarget values")
    description = models.TextField(blank=True, help_text="What happened (never leaves the agency)")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["occurred_at"]), models.Index(fields=["category"])]

    def __str__(self) -> str:
        return f"{self.get_category_display()} at {timezone.localtime(self.occurred_at):%H:%M}"

    @property
    def referral_labels(self) -> list[str]:
        labels = dict(ReferralTarget.choices)
        return [str(labels.get(code, code)) for code in self.referred_to]

    def point(self) -> tuple[float, float] | None:
        """(latitude, longitude): the incident's own point, else its venue's (the register place is not used
        here: it is a governed record, and this is what leaves for the analytics store)."""
        if self.latitude is not None and self.longitude is not None:
            return (self.latitude, self.longitude)
        if self.venue is not None and self.venue.latitude is not None and self.venue.longitude is not None:
            return (self.venue.latitude, self.venue.longitude)
        return None

    def clean(self) -> None:
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError("Give both latitude and longitude, or neither")
        unknown = [c for c in self.referred_to or [] if c not in ReferralTarget.values]
        if unknown:
            raise ValidationError({"referred_to": f"Unknown referral: {', '.join(map(str, unknown))}"})


@audited(label="knife sweep", exclude=("updated_at",))
class KnifeSweep(Governed):
    """A weapons sweep of an area: its lead agency owns it; the agencies taking part are its parties."""

    swept_on = models.DateField()
    area = models.ForeignKey(NteArea, on_delete=models.PROTECT, related_name="sweeps")
    venues_searched = models.ManyToManyField(NteVenue, blank=True, related_name="sweeps")
    searched = models.TextField(blank=True, help_text="Other places searched, in words")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-swept_on", "-id"]

    def __str__(self) -> str:
        return f"Knife sweep {self.reference}"

    @property
    def reference(self) -> str:
        return f"W-{self.uuid.hex[:8].upper()}"

    def get_absolute_url(self) -> str:
        return record_url("nte:sweep", self.uuid)


def _find_record(find: WeaponFind) -> models.Model:
    if find.sweep is not None:
        return find.sweep
    assert find.incident is not None
    return find.incident.shift


@audited(label="weapon find", record=_find_record)
class WeaponFind(models.Model):
    """A weapon found, by a sweep or during a shift (an incident of the category "weapon found")."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sweep = models.ForeignKey(KnifeSweep, on_delete=models.CASCADE, null=True, blank=True, related_name="finds")
    incident = models.OneToOneField(
        Incident, on_delete=models.CASCADE, null=True, blank=True, related_name="weapon_find"
    )
    found_on = models.DateField()
    weapon_type = models.CharField(max_length=10, choices=WeaponType.choices)
    venue = models.ForeignKey(NteVenue, on_delete=models.PROTECT, null=True, blank=True, related_name="finds")
    location = models.CharField(max_length=200, blank=True, help_text="Where, if not at a known venue")
    hidden = models.CharField(max_length=16, choices=HidingPlace.choices, default=HidingPlace.OTHER)
    description = models.CharField(max_length=300, blank=True, help_text="e.g. 8-inch kitchen knife")
    handed_to_police = models.BooleanField(default=True)

    class Meta:
        ordering = ["-found_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sweep__isnull=False) | models.Q(incident__isnull=False),
                name="nte_find_from_sweep_or_incident",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weapon_type_display()} found {self.found_on:%d %B %Y}"

    @property
    def place_name(self) -> str:
        return self.venue.name if self.venue is not None else (self.location or "Place not recorded")


@audited(label="dispersal or PSPO area", kind="configuration")
class DesignatedArea(models.Model):
    """A dispersal order or PSPO area with its polygon (GeoJSON, WGS84). A public notice: every member sees it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=10, choices=DesignationKind.choices)
    name = models.CharField(max_length=160)
    reference = models.CharField(max_length=60, blank=True, help_text="The order's or authorisation's reference")
    area = models.ForeignKey(NteArea, on_delete=models.SET_NULL, null=True, blank=True, related_name="designations")
    geometry = models.JSONField(help_text="A GeoJSON Polygon or MultiPolygon in WGS84 (longitude, latitude)")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    authorised_by = models.CharField(
        max_length=160, help_text="A police inspector or above (dispersal); the council (PSPO)"
    )
    restrictions = models.TextField(blank=True, help_text="What the order prohibits or requires")
    owning_agency = models.ForeignKey("partnership.Agency", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-starts_at", "-id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return record_url("nte:designation", self.uuid)

    def in_force(self, at: dt.datetime | None = None) -> bool:
        at = at or timezone.now()
        return self.starts_at <= at < self.ends_at

    def clean(self) -> None:
        from csphub.nte.geometry import GeometryError, check_polygon

        errors: dict[str, Any] = {}
        try:
            check_polygon(self.geometry)
        except GeometryError as exc:
            errors["geometry"] = str(exc)
        if self.starts_at and self.ends_at:
            if self.ends_at <= self.starts_at:
                errors["ends_at"] = "It must end after it starts"
            elif self.kind == DesignationKind.DISPERSAL and self.ends_at - self.starts_at > dt.timedelta(
                hours=DISPERSAL_MAX_HOURS
            ):
                errors["ends_at"] = f"A dispersal authorisation lasts at most {DISPERSAL_MAX_HOURS} hours (s.35)"
            elif self.kind == DesignationKind.PSPO and self.ends_at > _add_years(self.starts_at, PSPO_MAX_YEARS):
                errors["ends_at"] = f"A PSPO lasts at most {PSPO_MAX_YEARS} years before it is extended (s.60)"
        if errors:
            raise ValidationError(errors)


def _add_years(when: dt.datetime, years: int) -> dt.datetime:
    try:
        return when.replace(year=when.year + years)
    except ValueError:  # 29 February
        return when.replace(year=when.year + years, day=28)
