"""A small partnership for tests: real district boundaries, nine agencies, users of every role, two ISAs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from csphub.access.vocabulary import Caveat, Sensitivity
from csphub.demo.structure import (
    AgencySpec,
    AgreementSpec,
    ensure_agency,
    ensure_agreement,
    ensure_districts,
    ensure_partnership,
    ensure_user,
)
from csphub.partnership.models import Agency, District, InformationSharingAgreement, Role, Sector, User
from csphub.registers.models import Person, Place

PASSWORD = "correct horse battery staple"

AGENCY_SPECS = (
    AgencySpec("police", "Northamptonshire Police", Sector.POLICE, competent_authority=True),
    AgencySpec("council", "Kettering Borough Council", Sector.LOCAL_AUTHORITY, "E07000153"),
    AgencySpec("corby", "Corby Borough Council", Sector.LOCAL_AUTHORITY, "E07000150"),
    AgencySpec("fire", "Northamptonshire Fire and Rescue Service", Sector.FIRE),
    AgencySpec("pastors", "Kettering Street Pastors", Sector.VOLUNTARY, "E07000153"),
    AgencySpec("pubwatch", "Corby Pubwatch", Sector.BUSINESS, "E07000150"),
    # MARAC partners: an IDVA service, health and probation.
    AgencySpec("idva", "North Northants IDVA Service", Sector.SPECIALIST),
    AgencySpec("health", "NHS Northamptonshire Integrated Care Board", Sector.HEALTH),
    AgencySpec("probation", "Probation Service (Northamptonshire)", Sector.PROBATION, competent_authority=True),
)

USER_SPECS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("police_officer", "police", (Role.CASE_OFFICER,)),
    ("police_analyst", "police", (Role.ANALYST,)),
    ("police_chair", "police", (Role.PANEL_CHAIR,)),
    ("police_manager", "police", (Role.PARTNERSHIP_MANAGER,)),
    ("council_officer", "council", (Role.CASE_OFFICER,)),
    ("council_manager", "council", (Role.PARTNERSHIP_MANAGER,)),
    ("council_admin", "council", (Role.ADMINISTRATOR,)),
    ("corby_officer", "corby", (Role.CASE_OFFICER,)),
    ("fire_partner", "fire", (Role.PARTNER,)),
    ("fire_officer", "fire", (Role.CASE_OFFICER,)),
    ("pastor", "pastors", (Role.VOLUNTARY_REFERRER,)),
    ("pastor2", "pastors", (Role.VOLUNTARY_REFERRER,)),
    ("publican", "pubwatch", (Role.VOLUNTARY_REFERRER,)),
    ("idva_officer", "idva", (Role.CASE_OFFICER,)),
    ("health_officer", "health", (Role.CASE_OFFICER,)),
    ("probation_officer", "probation", (Role.CASE_OFFICER,)),
    # Named serious organised crime leads (a designation on top of a role): a council case officer, and a police
    # analyst who may read intelligence but not change it.
    ("soc_lead", "council", (Role.CASE_OFFICER, Role.SOC_LEAD)),
    ("soc_analyst", "police", (Role.ANALYST, Role.SOC_LEAD)),
)


@dataclass
class World:
    districts: dict[str, District]
    agencies: dict[str, Agency]
    users: dict[str, User]
    agreements: dict[str, InformationSharingAgreement]

    def __getitem__(self, username: str) -> User:
        return self.users[username]


def build_world() -> World:
    partnership = ensure_partnership()
    districts = ensure_districts(partnership)
    agencies = {spec.short_name: ensure_agency(partnership, spec, districts) for spec in AGENCY_SPECS}
    users = {
        username: ensure_user(
            username,
            agencies[agency],
            roles,
            first_name=username.split("_")[0].title(),
            last_name="Tester",
            job_title="",
            password=PASSWORD,
            staff=Role.ADMINISTRATOR in roles,
        )
        for username, agency, roles in USER_SPECS
    }
    agreements = {
        spec.reference: ensure_agreement(partnership, spec, agencies)
        for spec in (
            AgreementSpec(
                "ISA-1",
                "Community safety",
                ("police", "council", "corby", "fire", "pastors"),
                ("crime_disorder", "asb", "safeguarding"),
                ("personal", "special", "criminal"),
                ("art6_1e", "dpa_part3"),
                dt.date(2019, 7, 1),
                None,
                "board",
            ),
            AgreementSpec(
                "ISA-2",
                "Domestic abuse and MARAC",
                ("police", "council", "corby", "idva", "health", "probation"),
                ("domestic_abuse",),
                ("personal", "domestic_abuse"),
                ("art6_1e", "dpa_part3"),
                dt.date(2020, 1, 1),
                None,
                "MARAC",
            ),
        )
    }
    return World(districts, agencies, users, agreements)


def make_person(
    owner: User,
    *,
    parties: tuple[Agency, ...] = (),
    family_name: str = "Smith",
    given_name: str = "John",
    **fields: Any,
) -> Person:
    """A person owned by ``owner``'s agency, with ``parties`` added directly (test set-up, not a disclosure)."""
    defaults: dict[str, Any] = {"caveat": Caveat.OFFICIAL, "sensitivity": Sensitivity.GENERAL}
    defaults.update(fields)
    person = Person(
        family_name=family_name,
        given_name=given_name,
        owning_agency=owner.agency,
        created_by=owner,
        **defaults,
    )
    person.full_clean()
    person.save()
    if parties:
        person.parties.add(*parties)
    return person


def make_place(
    owner: User, *, parties: tuple[Agency, ...] = (), address: str = "1 High Street, Kettering", **fields: Any
) -> Place:
    place = Place(address=address, owning_agency=owner.agency, created_by=owner, **fields)
    place.save()
    if parties:
        place.parties.add(*parties)
    return place


def verified_client(user: User) -> Client:
    """A test client signed in as ``user`` with a verified second factor (as after a real TOTP check)."""
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
