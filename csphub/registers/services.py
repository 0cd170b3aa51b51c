"""Verbs on the register: record people and places, add names, identifiers, flags and links, erase.

Each verb checks the access policy for the acting user, validates (``full_clean``) and saves; the audit log is
written by the model signals (collection / alteration / erasure) inside the caller's audit context.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, TypeVar

import phonenumbers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.db.models.deletion import Collector, ProtectedError, RestrictedError

from csphub.access.models import Governed
from csphub.access.policy import allowed_actions, is_community_user
from csphub.access.services import require
from csphub.access.vocabulary import Caveat, Sensitivity, Verb
from csphub.common.dates import PartialDate
from csphub.common.postcodes import PostcodeError
from csphub.common.postcodes import normalise as normalise_postcode
from csphub.geography import CoordinateError
from csphub.registers import geo
from csphub.registers.identifiers import IdentifierError
from csphub.registers.identifiers import normalise as normalise_identifier
from csphub.registers.models import (
    Alias,
    Identifier,
    LocationSource,
    Person,
    PersonFlag,
    PersonPhone,
    PersonPlace,
    PersonVehicle,
    Phone,
    Place,
    PlaceKind,
    Vehicle,
)

if TYPE_CHECKING:
    from csphub.partnership.models import User

G = TypeVar("G", bound=Governed)


def _require_create(by: User) -> None:
    if Verb.CREATE not in allowed_actions(by) or by.agency is None:
        raise PermissionDenied("Your role does not allow you to create records.")


def _stamp(record: Governed, by: User, caveat: str, sensitivity: str) -> None:
    assert by.agency is not None
    record.owning_agency = by.agency
    record.created_by = by
    record.caveat = caveat
    record.sensitivity = sensitivity
    if is_community_user(by):
        record.referred_by = by


@transaction.atomic
def record_person(
    by: User,
    *,
    family_name: str,
    given_name: str = "",
    middle_names: str = "",
    date_of_birth: PartialDate | None = None,
    sex: str = "not_known",
    description: str = "",
    caveat: str = Caveat.OFFICIAL,
    sensitivity: str = Sensitivity.GENERAL,
) -> Person:
    _require_create(by)
    person = Person(
        given_name=given_name.strip(),
        middle_names=middle_names.strip(),
        family_name=family_name.strip(),
        sex=sex,
        description=description.strip(),
    )
    person.set_date_of_birth(date_of_birth)
    _stamp(person, by, caveat, sensitivity)
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def change_person(person: Person, by: User, **changes: object) -> Person:
    require(by, Verb.CHANGE, person)
    allowed = {"given_name", "middle_names", "family_name", "sex", "description", "caveat", "sensitivity"}
    unknown = set(changes) - allowed - {"date_of_birth"}
    if unknown:
        raise ValueError(f"cannot change {', '.join(sorted(unknown))}")
    for name, value in changes.items():
        if name == "date_of_birth":
            if value is not None and not isinstance(value, PartialDate):
                raise TypeError("date_of_birth must be a PartialDate or None")
            person.set_date_of_birth(value)
        else:
            setattr(person, name, value.strip() if isinstance(value, str) else value)
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def add_alias(person: Person, by: User, *, given_name: str, family_name: str, kind: str = "alias") -> Alias:
    require(by, Verb.CHANGE, person)
    assert by.agency is not None
    alias = Alias(
        person=person,
        given_name=given_name.strip(),
        family_name=family_name.strip(),
        kind=kind,
        source_agency=by.agency,
    )
    alias.full_clean()
    alias.save()
    return alias


@transaction.atomic
def add_identifier(person: Person, by: User, *, scheme: str, value: str) -> Identifier:
    require(by, Verb.CHANGE, person)
    assert by.agency is not None
    try:
        value = normalise_identifier(scheme, value)
    except IdentifierError as exc:
        raise ValidationError({"value": str(exc)}) from exc
    if person.identifiers.filter(scheme=scheme, value=value).exists():
        raise ValidationError({"value": "This person already has this identifier"})
    identifier = Identifier(person=person, scheme=scheme, value=value, source_agency=by.agency)
    identifier.full_clean()
    identifier.save()
    return identifier


@transaction.atomic
def add_flag(person: Person, by: User, *, flag: str, note: str = "") -> PersonFlag:
    require(by, Verb.CHANGE, person)
    assert by.agency is not None
    item = PersonFlag(person=person, flag=flag, note=note.strip(), source_agency=by.agency)
    item.full_clean()
    item.save()
    return item


def _locate(
    place: Place,
    *,
    latitude: float | None,
    longitude: float | None,
    easting: float | None,
    northing: float | None,
) -> None:
    """Fill both coordinate systems and the district; from the postcode centre when no coordinates are given."""
    try:
        coords = geo.complete(latitude, longitude, easting, northing)
    except CoordinateError as exc:
        raise ValidationError({"latitude": str(exc)}) from exc
    source = LocationSource.GIVEN
    if coords is None and place.postcode:
        point = geo.postcode_point(place.postcode)
        if point is not None:
            coords = (point.latitude, point.longitude, point.easting, point.northing)
            source = LocationSource.POSTCODE
    if coords is None:
        place.latitude = place.longitude = place.easting = place.northing = None
        place.location_source = LocationSource.NONE
        place.district_id = None
        return
    place.latitude, place.longitude, place.easting, place.northing = coords
    place.location_source = source
    place.district_id = geo.district_id_at(coords[0], coords[1])


def _postcode(text: str) -> str:
    if not text.strip():
        return ""
    try:
        return normalise_postcode(text)
    except PostcodeError as exc:
        raise ValidationError({"postcode": str(exc)}) from exc


@transaction.atomic
def record_place(
    by: User,
    *,
    address: str,
    postcode: str = "",
    name: str = "",
    kind: str = PlaceKind.DWELLING,
    uprn: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
    easting: float | None = None,
    northing: float | None = None,
    partnership_wide: bool = False,
    caveat: str = Caveat.OFFICIAL,
    sensitivity: str = Sensitivity.GENERAL,
) -> Place:
    _require_create(by)
    place = Place(
        address=address.strip(),
        postcode=_postcode(postcode),
        name=name.strip(),
        kind=kind,
        uprn=uprn.strip(),
        partnership_wide=partnership_wide,
    )
    _stamp(place, by, caveat, sensitivity)
    _locate(place, latitude=latitude, longitude=longitude, easting=easting, northing=northing)
    place.full_clean()
    place.save()
    return place


@transaction.atomic
def change_place(
    place: Place,
    by: User,
    *,
    latitude: float | None = None,
    longitude: float | None = None,
    easting: float | None = None,
    northing: float | None = None,
    **changes: str,
) -> Place:
    require(by, Verb.CHANGE, place)
    allowed = {"address", "postcode", "name", "kind", "uprn"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"cannot change {', '.join(sorted(unknown))}")
    for name, value in changes.items():
        setattr(place, name, _postcode(value) if name == "postcode" else value.strip())
    _locate(place, latitude=latitude, longitude=longitude, easting=easting, northing=northing)
    place.full_clean()
    place.save()
    return place


@transaction.atomic
def link_place(
    person: Person,
    place: Place,
    by: User,
    *,
    relation: str,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
) -> PersonPlace:
    require(by, Verb.CHANGE, person)
    assert by.agency is not None
    link = PersonPlace(
        person=person,
        place=place,
        relation=relation,
        valid_from=valid_from,
        valid_to=valid_to,
        source_agency=by.agency,
    )
    link.full_clean()
    link.save()
    return link


def normalise_phone(text: str) -> str:
    try:
        parsed = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError({"number": f"{text.strip()!r} is not a phone number"}) from exc
    # Valid (in an allocated range), or at least a full-length possible number: case work meets new ranges and
    # Ofcom's drama numbers (07700 900xxx); short or local-only numbers are refused.
    full_length = (
        phonenumbers.is_possible_number_with_reason(parsed) == phonenumbers.ValidationResult.IS_POSSIBLE
        and len(str(parsed.national_number)) >= 9
    )
    if not (phonenumbers.is_valid_number(parsed) or full_length):
        raise ValidationError({"number": f"{text.strip()!r} is not a valid phone number"})
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def normalise_registration(text: str) -> str:
    value = "".join(text.upper().split())
    if not value.isalnum() or not 2 <= len(value) <= 8:
        raise ValidationError({"registration": f"{text.strip()!r} is not a vehicle registration"})
    return value


def _known_to(by: User, records: list[G]) -> G | None:
    """Of the records of one number (or vehicle), the one to link to: the user's agency's own, else one they may
    see. None: only other agencies hold it, out of the user's sight; the caller records the agency's own."""
    assert by.agency is not None
    own = [r for r in records if r.owning_agency_id == by.agency.pk]
    candidates = own or records
    return candidates[0] if candidates else None


@transaction.atomic
def link_phone(
    person: Person, by: User, *, number: str, relation: str = "uses", valid_from: dt.date | None = None
) -> PersonPhone:
    """Link a phone number to a person. The number is linked to the record of it the user may see (their agency's
    own first); if only another agency holds it, out of the user's sight, their agency gets its own record of the
    number: the other agency's record is neither handed on (no ISA is asked, nothing is disclosed) nor shown."""
    require(by, Verb.CHANGE, person)
    assert by.agency is not None
    e164 = normalise_phone(number)
    visible = list(Phone.objects.visible_to(by).filter(number=e164).order_by("pk"))
    phone = _known_to(by, visible) or Phone.objects.filter(number=e164, owning_agency=by.agency).first()
    if phone is None:
        phone = Phone(number=e164, kind="mobile" if e164.startswith("+447") else "landline")
        _stamp(phone, by, Caveat.OFFICIAL, Sensitivity.GENERAL)
        phone.save()
    link = PersonPhone(person=person, phone=phone, relation=relation, valid_from=valid_from, source_agency=by.agency)
    link.full_clean()
    link.save()
    return link


@transaction.atomic
def link_vehicle(
    person: Person,
    by: User,
    *,
    registration: str,
    make: str = "",
    model: str = "",
    colour: str = "",
    relation: str = "drives",
    valid_from: dt.date | None = None,
) -> PersonVehicle:
    """Link a vehicle to a person, as ``link_phone``: another agency's record of it is never handed on or shown."""
    require(by, Verb.CHANGE, person)
    assert by.agency is not None
    vrm = normalise_registration(registration)
    visible = list(Vehicle.objects.visible_to(by).filter(registration=vrm).order_by("pk"))
    vehicle = _known_to(by, visible) or Vehicle.objects.filter(registration=vrm, owning_agency=by.agency).first()
    if vehicle is None:
        vehicle = Vehicle(registration=vrm, make=make.strip(), model=model.strip(), colour=colour.strip())
        _stamp(vehicle, by, Caveat.OFFICIAL, Sensitivity.GENERAL)
        vehicle.full_clean()
        vehicle.save()
    link = PersonVehicle(
        person=person, vehicle=vehicle, relation=relation, valid_from=valid_from, source_agency=by.agency
    )
    link.full_clean()
    link.save()
    return link


@transaction.atomic
def erase_person(person: Person, by: User) -> None:
    """Erase a person and everything filed under them (names, identifiers, flags, links): logged as erasure.

    A person still in a case (or in an assessment, a referral, a power, the register's merge history or an imported
    source record) is not erased: the erasure is refused with the cases the user may see named, a count of those
    they may not, and what else holds the person, so that a data protection officer can decide what comes first.
    """
    require(by, Verb.ERASE, person)
    blockers = erasure_blockers(person, by)
    if blockers:
        raise ValidationError(blockers, code="in_use")
    person.delete()


def erasure_blockers(person: Person, by: User) -> str:
    """Why ``person`` cannot be erased yet, as a message for ``by`` (empty when nothing holds them)."""
    collector = Collector(using=router.db_for_write(Person))
    try:
        collector.collect([person])
    except (ProtectedError, RestrictedError) as exc:
        holders = list(exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects)
    else:
        return ""
    cases: dict[int, Governed] = {}
    others: dict[str, int] = {}
    for obj in holders:
        case = getattr(obj, "case", None)
        if isinstance(case, Governed):
            cases[case.pk] = case
        else:
            label = str(obj._meta.verbose_name_plural)
            others[label] = others.get(label, 0) + 1
    parts = []
    if cases:
        model = type(next(iter(cases.values())))
        visible = set(model.objects.visible_to(by).filter(pk__in=list(cases)).values_list("pk", flat=True))
        named = sorted(str(getattr(cases[pk], "reference", cases[pk])) for pk in visible)
        hidden = len(cases) - len(named)
        listed = ", ".join(named)
        if hidden:
            more = f"{hidden} more case{'s' if hidden != 1 else ''} you may not see"
            listed = f"{listed} and {more}" if listed else more
        plural = "s" if len(cases) != 1 else ""
        parts.append(f"{person} is in {len(cases)} case{plural} ({listed}): remove them from the case{plural} first")
    if others:
        held = ", ".join(f"{n} {label}" for label, n in sorted(others.items()))
        parts.append(f"their record is also held by {held}")
    return "You cannot erase this record yet. " + "; ".join(parts) + "."
