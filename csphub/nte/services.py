"""Verbs on the night-time economy: log a shift and its incidents, record a knife sweep and its finds, designate a
dispersal or PSPO area, and say who the NTE partners are.

Each verb asks the access policy: logging needs an NTE partner agency and a role that creates records
(``policy.may_log_nte_shifts``); changing a shift needs the policy's CHANGE on it (``require``). A community-sector
agency's shift (Street Pastors) is shared with that agency's users personally, so that each agency sees its own
logs and no one else's. After a change, the agency's month of incidents is published to the analytics store
(``csphub.nte.publishing``) once the transaction commits.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid as uuid_module
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from csphub.access.policy import is_community_user, may_designate_nte_areas, may_log_nte_shifts
from csphub.access.services import require
from csphub.access.vocabulary import Verb
from csphub.nte.models import (
    DesignatedArea,
    Incident,
    IncidentCategory,
    KnifeSweep,
    NteArea,
    NtePartner,
    NteVenue,
    Shift,
    WeaponFind,
)
from csphub.partnership.models import Agency, User
from csphub.registers.models import Place

log = logging.getLogger(__name__)


# --- Partners -----------------------------------------------------------------------------------------------------


def is_nte_partner(user: User) -> bool:
    """Whether the user's agency is an active NTE partner."""
    if not user.is_authenticated or user.agency_id is None:
        return False
    cached = getattr(user, "_nte_partner", None)
    if cached is None:
        cached = NtePartner.objects.filter(agency_id=user.agency_id, active=True).exists()
        user._nte_partner = cached  # type: ignore[attr-defined]
    return bool(cached)


def partner_agencies() -> list[Agency]:
    return [p.agency for p in NtePartner.objects.filter(active=True).select_related("agency")]


def enrol_partner(agency: Agency, service: str, *, active: bool = True) -> NtePartner:
    """Make an agency an NTE partner (configuration: the partnership's managers do it, or the demo)."""
    partner, _ = NtePartner.objects.update_or_create(agency=agency, defaults={"service": service, "active": active})
    return partner


def _require_logger(by: User) -> Agency:
    if not may_log_nte_shifts(by, nte_partner=is_nte_partner(by)) or by.agency is None:
        raise PermissionDenied("Only users of a night-time economy partner agency whose role records logs can do this.")
    return by.agency


def share_with_agency(record: Shift | KnifeSweep, agencies: Iterable[Agency] = ()) -> None:
    """Who may see the record besides rule 1 of the policy (its owning agency's statutory users): the active users of
    its community-sector agencies (never seen through their agency), personally — read only."""
    community = [a for a in (record.owning_agency, *agencies) if a.is_community_sector]
    record.shared_with_users.set(User.objects.filter(agency__in=community, is_active=True))


# --- Shifts and incidents -----------------------------------------------------------------------------------------


def _publish_later(agency_id: int, *moments: dt.datetime) -> None:
    from csphub.nte import publishing

    months = sorted({publishing.month_of(m) for m in moments if m is not None})
    if months:
        transaction.on_commit(lambda: publishing.publish_quietly(agency_id, months), robust=True)


@transaction.atomic
def log_shift(
    by: User,
    *,
    service: str,
    area: NteArea,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    team: str = "",
    officers: int = 2,
    notes: str = "",
    uuid: uuid_module.UUID | None = None,
) -> Shift:
    """A shift of the user's agency. ``uuid``: a stable identity (the demo)."""
    agency = _require_logger(by)
    shift = Shift(
        uuid=uuid or uuid_module.uuid4(),
        service=service,
        area=area,
        starts_at=starts_at,
        ends_at=ends_at,
        team=team.strip(),
        officers=officers,
        notes=notes.strip(),
        owning_agency=agency,
        referred_by=by if is_community_user(by) else None,
        created_by=by,
    )
    shift.full_clean()
    shift.save()
    share_with_agency(shift)
    return shift


SHIFT_FIELDS = ("service", "area", "starts_at", "ends_at", "team", "officers", "notes")


@transaction.atomic
def update_shift(shift: Shift, by: User, **changes: Any) -> Shift:
    require(by, Verb.CHANGE, shift)
    unknown = set(changes) - set(SHIFT_FIELDS)
    if unknown:
        raise ValueError(f"not a shift field: {', '.join(sorted(unknown))}")
    for name, value in changes.items():
        setattr(shift, name, value.strip() if isinstance(value, str) else value)
    shift.full_clean()
    shift.save()
    moments = [i.occurred_at for i in shift.incidents.all()]
    _publish_later(shift.owning_agency_id, *moments)
    return shift


@transaction.atomic
def log_incident(
    shift: Shift,
    by: User,
    *,
    occurred_at: dt.datetime,
    category: str,
    venue: NteVenue | None = None,
    place: Place | None = None,
    location: str = "",
    postcode: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
    people_helped: int = 1,
    referred_to: Sequence[str] = (),
    description: str = "",
) -> Incident:
    """An incident on the shift. Adding to a log is creating (``Verb.CREATE`` on the shift, through a rule that
    lets write: its agency, or its logger for a community agency); a register place must be one the user may see."""
    require(by, Verb.CREATE, shift)
    if place is not None and not Place.objects.visible_to(by).filter(pk=place.pk).exists():
        raise PermissionDenied("You cannot link a place you may not see.")
    _check_during(shift, occurred_at)
    incident = Incident(
        shift=shift,
        occurred_at=occurred_at,
        category=category,
        venue=venue,
        place=place,
        location=location.strip(),
        postcode=postcode.strip().upper(),
        latitude=latitude,
        longitude=longitude,
        people_helped=people_helped,
        referred_to=list(dict.fromkeys(referred_to)),
        description=description.strip(),
    )
    incident.full_clean()
    incident.save()
    _publish_later(shift.owning_agency_id, occurred_at)
    return incident


def _check_during(shift: Shift, occurred_at: dt.datetime) -> None:
    # A little leeway either side: a warden logs what they met on the way in, or just after the handover.
    leeway = dt.timedelta(hours=1)
    if not shift.starts_at - leeway <= occurred_at <= shift.ends_at + leeway:
        when = f"{timezone.localtime(shift.starts_at):%H:%M} to {timezone.localtime(shift.ends_at):%H:%M}"
        raise ValidationError({"occurred_at": f"The incident must be during the shift ({when})"})


@transaction.atomic
def remove_incident(incident: Incident, by: User) -> None:
    """Take an incident logged in error off its shift: whoever may add to the log may take back from it."""
    require(by, Verb.CREATE, incident.shift)
    agency_id, when = incident.shift.owning_agency_id, incident.occurred_at
    incident.delete()
    _publish_later(agency_id, when)


# --- Knife sweeps and weapon finds --------------------------------------------------------------------------------


@transaction.atomic
def record_sweep(
    by: User,
    *,
    swept_on: dt.date,
    area: NteArea,
    agencies: Iterable[Agency] = (),
    venues: Iterable[NteVenue] = (),
    searched: str = "",
    notes: str = "",
    uuid: uuid_module.UUID | None = None,
) -> KnifeSweep:
    """A sweep led by the user's agency, with the agencies that took part (they see it too)."""
    lead = _require_logger(by)
    sweep = KnifeSweep(
        uuid=uuid or uuid_module.uuid4(),
        swept_on=swept_on,
        area=area,
        searched=searched.strip(),
        notes=notes.strip(),
        owning_agency=lead,
        referred_by=by if is_community_user(by) else None,
        created_by=by,
    )
    sweep.full_clean()
    sweep.save()
    others = [a for a in agencies if a.pk != lead.pk]
    sweep.parties.set([a for a in others if not a.is_community_sector])
    sweep.venues_searched.set(list(venues))
    share_with_agency(sweep, others)
    return sweep


@transaction.atomic
def record_find(
    by: User,
    *,
    weapon_type: str,
    sweep: KnifeSweep | None = None,
    incident: Incident | None = None,
    found_on: dt.date | None = None,
    venue: NteVenue | None = None,
    location: str = "",
    hidden: str = "other",
    description: str = "",
    handed_to_police: bool = True,
) -> WeaponFind:
    """A weapon found by a sweep, or during a shift (against an incident)."""
    if (sweep is None) == (incident is None):
        raise ValidationError("A find belongs to a sweep or to an incident")
    if sweep is not None:
        require(by, Verb.CREATE, sweep)
        day = found_on or sweep.swept_on
    else:
        assert incident is not None
        require(by, Verb.CREATE, incident.shift)
        if incident.category != IncidentCategory.WEAPON_FOUND:
            raise ValidationError("Only a weapon-found incident can have a find")
        day = found_on or incident.shift.night
        venue = venue or incident.venue
    find = WeaponFind(
        sweep=sweep,
        incident=incident,
        found_on=day,
        weapon_type=weapon_type,
        venue=venue,
        location=location.strip(),
        hidden=hidden,
        description=description.strip(),
        handed_to_police=handed_to_police,
    )
    find.full_clean()
    find.save()
    return find


# --- Dispersal and PSPO areas -------------------------------------------------------------------------------------


@transaction.atomic
def designate_area(
    by: User,
    *,
    kind: str,
    name: str,
    geometry: dict[str, Any],
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    authorised_by: str,
    restrictions: str = "",
    reference: str = "",
    area: NteArea | None = None,
    uuid: uuid_module.UUID | None = None,
) -> DesignatedArea:
    """A dispersal authorisation or a PSPO, with its polygon; checked against the Act's time limits."""
    if not may_designate_nte_areas(by) or by.agency is None:
        raise PermissionDenied("Only statutory partners' officers record dispersal and PSPO areas.")
    designation = DesignatedArea(
        uuid=uuid or uuid_module.uuid4(),
        kind=kind,
        name=name.strip(),
        geometry=geometry,
        starts_at=starts_at,
        ends_at=ends_at,
        authorised_by=authorised_by.strip(),
        restrictions=restrictions.strip(),
        reference=reference.strip(),
        area=area,
        owning_agency=by.agency,
        created_by=by,
    )
    designation.full_clean()
    designation.save()
    return designation
