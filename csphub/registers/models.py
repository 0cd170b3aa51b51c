"""One register of people and places for the whole partnership, with phones and vehicles as linkable entities."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

from csphub.access.models import Governed, GovernedManager
from csphub.audit.registry import audited
from csphub.common import names
from csphub.common.dates import PartialDate, PartialDateError
from csphub.registers.identifiers import IdentifierError, Scheme
from csphub.registers.identifiers import normalise as normalise_identifier
from csphub.ui.links import record_url

_NAME_INDEX_FIELDS = ("given_norm", "family_norm", "given_key", "family_key")


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    NOT_KNOWN = "not_known", "Not known"


class FlagType(models.TextChoices):
    MENTAL_HEALTH = "mental_health", "Mental health"
    LEARNING_DISABILITY = "learning_disability", "Learning disability"
    PHYSICAL_DISABILITY = "physical_disability", "Physical disability or illness"
    SUBSTANCE_MISUSE = "substance_misuse", "Drug or alcohol dependency"
    OLDER_PERSON = "older_person", "Older person"
    SOCIAL_ISOLATION = "social_isolation", "Socially isolated"
    HOMELESS = "homeless", "Homeless or at risk"
    CARE_LEAVER = "care_leaver", "Care leaver"
    EXPLOITATION_RISK = "exploitation_risk", "At risk of exploitation"
    CUCKOOING_RISK = "cuckooing_risk", "At risk of cuckooing"
    WEAPONS = "weapons", "Warning: weapons"
    VIOLENCE = "violence", "Warning: violence"
    RISK_TO_STAFF = "risk_to_staff", "Warning: risk to lone workers"


def _name_index(given: str, family: str) -> dict[str, str]:
    given_norm = names.fold(given)
    family_norm = names.fold(family)
    first_given = given_norm.split(" ")[0] if given_norm else ""
    return {
        "given_norm": given_norm,
        "family_norm": family_norm,
        "given_key": names.key(first_given),
        "family_key": names.key(family_norm.replace(" ", "")),
    }


class CurrentPersonManager(GovernedManager):
    """People on the register, without those merged into another person (kept only so a merge can be undone)."""

    def get_queryset(self) -> Any:
        return super().get_queryset().filter(merged_into__isnull=True)


@audited(label="person", exclude=(*_NAME_INDEX_FIELDS, "updated_at"))
class Person(Governed):
    """A person known to the partnership: victim, perpetrator, witness, vulnerable adult…"""

    given_name = models.CharField(max_length=100, blank=True)
    middle_names = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100)
    dob_year = models.PositiveSmallIntegerField(null=True, blank=True)
    dob_month = models.PositiveSmallIntegerField(null=True, blank=True)
    dob_day = models.PositiveSmallIntegerField(null=True, blank=True)
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.NOT_KNOWN)
    description = models.CharField(max_length=300, blank=True, help_text="Distinguishing features, language…")
    # Search index (derived in save()).
    given_norm = models.CharField(max_length=100, editable=False, default="")
    family_norm = models.CharField(max_length=100, editable=False, default="")
    given_key = models.CharField(max_length=32, editable=False, default="")
    family_key = models.CharField(max_length=32, editable=False, default="")
    # Set when this person was merged into another (the register merger); undone by an unmerge.
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_people", editable=False
    )

    objects = CurrentPersonManager()  # type: ignore[misc]  # narrower than Governed.objects: current people only
    all_objects = GovernedManager()

    class Meta:
        verbose_name_plural = "people"
        base_manager_name = "all_objects"
        ordering = ["family_norm", "given_norm"]
        indexes = [
            models.Index(fields=["family_key", "given_key"]),
            models.Index(fields=["family_norm"]),
            # Name prefixes (family_norm LIKE 'smi%'): a plain b-tree serves LIKE only under the C collation, so
            # on PostgreSQL the search read the whole register; the pattern operator class makes it an index scan.
            models.Index(fields=["family_norm"], opclasses=["varchar_pattern_ops"], name="person_family_prefix"),
            models.Index(fields=["given_key"]),
            models.Index(fields=["dob_year", "dob_month", "dob_day"]),
            models.Index(fields=["owning_agency"]),
        ]

    def __str__(self) -> str:
        given = " ".join(p for p in (self.given_name, self.middle_names) if p)
        return f"{self.family_name.upper()}, {given}" if given else self.family_name.upper()

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.given_name, self.middle_names, self.family_name) if p)

    @property
    def reference(self) -> str:
        return f"P-{self.uuid.hex[:8].upper()}"

    def get_absolute_url(self) -> str:
        return record_url("registers:person", self.uuid)

    @property
    def date_of_birth(self) -> PartialDate | None:
        if self.dob_year is None:
            return None
        return PartialDate(self.dob_year, self.dob_month, self.dob_day)

    def disclosure_companions(self) -> list[Governed]:
        """A person is shared with their addresses, phones and vehicles."""
        return [
            *(link.place for link in self.place_links.select_related("place")),
            *(link.phone for link in self.phone_links.select_related("phone")),
            *(link.vehicle for link in self.vehicle_links.select_related("vehicle")),
        ]

    def set_date_of_birth(self, value: PartialDate | None) -> None:
        self.dob_year = value.year if value else None
        self.dob_month = value.month if value else None
        self.dob_day = value.day if value else None

    def clean(self) -> None:
        super().clean()
        if not names.fold(self.family_name):
            raise ValidationError({"family_name": "Enter a family name with at least one letter"})
        if self.dob_year is not None:
            try:
                PartialDate(self.dob_year, self.dob_month, self.dob_day)
            except PartialDateError as exc:
                raise ValidationError({"dob_year": str(exc)}) from exc
        elif self.dob_month is not None or self.dob_day is not None:
            raise ValidationError({"dob_year": "A date of birth needs at least a year"})

    def save(self, *args: Any, **kwargs: Any) -> None:
        for field, value in _name_index(self.given_name, self.family_name).items():
            setattr(self, field, value)
        super().save(*args, **kwargs)


class AliasKind(models.TextChoices):
    ALIAS = "alias", "Alias"
    NICKNAME = "nickname", "Nickname or street name"
    PREVIOUS = "previous", "Previous or maiden name"
    SPELLING = "spelling", "Other spelling"


@audited(label="alias", record=lambda a: a.person, exclude=_NAME_INDEX_FIELDS)
class Alias(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    kind = models.CharField(max_length=10, choices=AliasKind.choices, default=AliasKind.ALIAS)
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    source_agency = models.ForeignKey("partnership.Agency", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    given_norm = models.CharField(max_length=100, editable=False, default="")
    family_norm = models.CharField(max_length=100, editable=False, default="")
    given_key = models.CharField(max_length=32, editable=False, default="")
    family_key = models.CharField(max_length=32, editable=False, default="")

    class Meta:
        verbose_name_plural = "aliases"
        indexes = [
            models.Index(fields=["family_key", "given_key"]),
            models.Index(fields=["family_norm"]),
            models.Index(fields=["family_norm"], opclasses=["varchar_pattern_ops"], name="alias_family_prefix"),
        ]

    def __str__(self) -> str:
        return " ".join(p for p in (self.given_name, self.family_name) if p)

    def save(self, *args: Any, **kwargs: Any) -> None:
        for field, value in _name_index(self.given_name, self.family_name).items():
            setattr(self, field, value)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if not names.fold(self.given_name) and not names.fold(self.family_name):
            raise ValidationError("Enter a name")


@audited(label="identifier", record=lambda i: i.person)
class Identifier(models.Model):
    """A person's reference in a partner system, with the agency it came from."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identifiers")
    scheme = models.CharField(max_length=20, choices=Scheme.choices)
    value = models.CharField(max_length=40)
    source_agency = models.ForeignKey("partnership.Agency", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "scheme", "value"], name="unique_identifier_per_person")
        ]
        indexes = [models.Index(fields=["scheme", "value"])]

    def __str__(self) -> str:
        return f"{self.get_scheme_display()}: {self.value}"

    def clean(self) -> None:
        try:
            self.value = normalise_identifier(self.scheme, self.value)
        except IdentifierError as exc:
            raise ValidationError({"value": str(exc)}) from exc


@audited(label="flag", record=lambda f: f.person)
class PersonFlag(models.Model):
    """A vulnerability or a warning marker on a person."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="flags")
    flag = models.CharField(max_length=24, choices=FlagType.choices)
    note = models.CharField(max_length=300, blank=True)
    source_agency = models.ForeignKey("partnership.Agency", on_delete=models.PROTECT, related_name="+")
    active = models.BooleanField(default=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-active", "flag"]

    def __str__(self) -> str:
        return self.get_flag_display()

    @property
    def is_warning(self) -> bool:
        return self.flag in {FlagType.WEAPONS, FlagType.VIOLENCE, FlagType.RISK_TO_STAFF}


class PlaceKind(models.TextChoices):
    DWELLING = "dwelling", "Home or dwelling"
    BUSINESS = "business", "Business"
    LICENSED = "licensed", "Licensed premises"
    PUBLIC_SPACE = "public_space", "Public space"
    OTHER = "other", "Other"


class LocationSource(models.TextChoices):
    GIVEN = "given", "Coordinates given"
    POSTCODE = "postcode", "Postcode centre (OS Code-Point Open)"
    NONE = "none", "No location"


def fold_address(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", (text or "").lower()).split())


@audited(label="place", exclude=("address_norm", "postcode_compact", "updated_at"))
class Place(Governed):
    """An address or location: a home, a shop, a park. Its district is derived from its coordinates."""

    grant_covered_by: ClassVar[dict[str, str]] = {"registers.person": "person_links__person__uuid"}

    name = models.CharField(max_length=200, blank=True, help_text="e.g. the name of a business or park")
    kind = models.CharField(max_length=20, choices=PlaceKind.choices, default=PlaceKind.DWELLING)
    address = models.CharField(max_length=300, help_text="One line: number, street, town")
    postcode = models.CharField(max_length=8, blank=True)
    uprn = models.CharField(
        max_length=12,
        blank=True,
        validators=[RegexValidator(r"^[1-9][0-9]{0,11}$", "A UPRN is a number of up to 12 digits")],
        verbose_name="UPRN",
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    easting = models.FloatField(null=True, blank=True)
    northing = models.FloatField(null=True, blank=True)
    location_source = models.CharField(max_length=10, choices=LocationSource.choices, default=LocationSource.NONE)
    district = models.ForeignKey(
        "partnership.District", on_delete=models.SET_NULL, null=True, blank=True, related_name="places"
    )
    address_norm = models.CharField(max_length=300, editable=False, default="")
    postcode_compact = models.CharField(max_length=7, editable=False, default="", db_index=True)

    class Meta:
        ordering = ["address_norm"]
        indexes = [models.Index(fields=["district"]), models.Index(fields=["uprn"])]

    def __str__(self) -> str:
        parts = [self.name, self.address, self.postcode]
        return ", ".join(p for p in parts if p)

    @property
    def reference(self) -> str:
        return f"L-{self.uuid.hex[:8].upper()}"

    def get_absolute_url(self) -> str:
        return record_url("registers:place", self.uuid)

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def map_point(self) -> tuple[float, float] | None:
        """(latitude, longitude) for a map pin, or None."""
        if self.latitude is None or self.longitude is None:
            return None
        return (self.latitude, self.longitude)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.address_norm = fold_address(self.address)
        self.postcode_compact = self.postcode.replace(" ", "")
        super().save(*args, **kwargs)


class PlaceRelation(models.TextChoices):
    LIVES_AT = "lives_at", "Lives at"
    FREQUENTS = "frequents", "Frequents"
    OWNS = "owns", "Owns"
    WORKS_AT = "works_at", "Works at"


class PersonLink(models.Model):
    """What every link from a person to a place, phone or vehicle has: dates and the agency that recorded it."""

    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    source_agency = models.ForeignKey("partnership.Agency", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    def clean(self) -> None:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": "The end date must be on or after the start date"})

    @property
    def is_current(self) -> bool:
        return self.valid_to is None or self.valid_to >= timezone.localdate()


@audited(label="link to a place", record=lambda link: link.person, related=lambda link: link.place)
class PersonPlace(PersonLink):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="place_links")
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="person_links")
    relation = models.CharField(max_length=12, choices=PlaceRelation.choices)

    class Meta:
        ordering = ["-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "place", "relation", "valid_from"], name="unique_person_place_link"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_relation_display().lower()} {self.place}"


@audited(label="phone number", exclude=("updated_at",))
class Phone(Governed):
    grant_covered_by: ClassVar[dict[str, str]] = {"registers.person": "person_links__person__uuid"}

    # One record of a number per agency: typing a number another agency holds never hands on (or reveals) theirs.
    number = models.CharField(max_length=20, help_text="E.164, e.g. +447700900123")
    kind = models.CharField(
        max_length=10,
        choices=[("mobile", "Mobile"), ("landline", "Landline"), ("other", "Other")],
        default="mobile",
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["number", "owning_agency"], name="unique_phone_per_agency")]
        indexes = [models.Index(fields=["number"])]

    def __str__(self) -> str:
        return self.display

    @property
    def reference(self) -> str:
        return f"T-{self.uuid.hex[:8].upper()}"

    def get_absolute_url(self) -> str:
        return record_url("registers:phone", self.uuid)

    @property
    def display(self) -> str:
        import phonenumbers

        try:
            parsed = phonenumbers.parse(self.number, "GB")
        except phonenumbers.NumberParseException:
            return self.number
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)


class PhoneRelation(models.TextChoices):
    USES = "uses", "Uses"
    OWNS = "owns", "Registered to"


@audited(label="link to a phone", record=lambda link: link.person, related=lambda link: link.phone)
class PersonPhone(PersonLink):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="phone_links")
    phone = models.ForeignKey(Phone, on_delete=models.CASCADE, related_name="person_links")
    relation = models.CharField(max_length=8, choices=PhoneRelation.choices, default=PhoneRelation.USES)

    def __str__(self) -> str:
        return f"{self.person} {self.get_relation_display().lower()} {self.phone}"


@audited(label="vehicle", exclude=("updated_at",))
class Vehicle(Governed):
    grant_covered_by: ClassVar[dict[str, str]] = {"registers.person": "person_links__person__uuid"}

    # One record of a vehicle per agency (see Phone.number).
    registration = models.CharField(max_length=10, help_text="Vehicle registration mark (VRM)")
    make = models.CharField(max_length=50, blank=True)
    model = models.CharField(max_length=50, blank=True)
    colour = models.CharField(max_length=30, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["registration", "owning_agency"], name="unique_vehicle_per_agency")
        ]
        indexes = [models.Index(fields=["registration"])]

    def __str__(self) -> str:
        detail = " ".join(p for p in (self.colour, self.make, self.model) if p)
        return f"{self.registration} ({detail})" if detail else self.registration

    @property
    def reference(self) -> str:
        return f"V-{self.uuid.hex[:8].upper()}"

    def get_absolute_url(self) -> str:
        return record_url("registers:vehicle", self.uuid)


class VehicleRelation(models.TextChoices):
    OWNS = "owns", "Registered keeper"
    DRIVES = "drives", "Drives"
    SEEN_IN = "seen_in", "Seen in"


@audited(label="link to a vehicle", record=lambda link: link.person, related=lambda link: link.vehicle)
class PersonVehicle(PersonLink):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="vehicle_links")
    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="person_links")
    relation = models.CharField(max_length=8, choices=VehicleRelation.choices, default=VehicleRelation.DRIVES)

    def __str__(self) -> str:
        return f"{self.person} {self.get_relation_display().lower()} {self.vehicle}"
