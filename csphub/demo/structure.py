"""The North Northamptonshire partnership's structure: districts with real boundaries, agencies, users, ISAs.

Every function is idempotent (get-or-create by natural key), so the demo — and tests building a small world —
can run them again safely.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from csphub.partnership.models import (
    Agency,
    District,
    InformationSharingAgreement,
    Partnership,
    Role,
    RoleAssignment,
    Sector,
    User,
)
from csphub.registers import geo

BOUNDARY_FILE = Path("boundaries/lad2013_northamptonshire.geojson")
SUCCESSOR = ("E06000061", "North Northamptonshire", dt.date(2021, 4, 1))
DISTRICT_CODES = {
    "E07000150": "Corby",
    "E07000152": "East Northamptonshire",
    "E07000153": "Kettering",
    "E07000156": "Wellingborough",
}


def ensure_partnership() -> Partnership:
    partnership, _ = Partnership.objects.get_or_create(
        code="NN",
        defaults={
            "name": "North Northamptonshire Community Safety Partnership",
            "formed_on": dt.date(2019, 7, 1),
            "area_ons_code": SUCCESSOR[0],
            "area_name": SUCCESSOR[1],
        },
    )
    return partnership


def ensure_districts(partnership: Partnership) -> dict[str, District]:
    """The four former districts with their real LAD 2013 boundaries (ONS/OS, shipped in data/boundaries)."""
    path = settings.REFERENCE_DATA_DIR / BOUNDARY_FILE
    features = {f["properties"]["LAD13CD"]: f for f in json.loads(path.read_text(encoding="utf-8"))["features"]}
    districts = {}
    for code, name in DISTRICT_CODES.items():
        district, _ = District.objects.get_or_create(
            ons_code=code,
            defaults={
                "partnership": partnership,
                "name": name,
                "successor_ons_code": SUCCESSOR[0],
                "successor_name": SUCCESSOR[1],
                "succeeded_on": SUCCESSOR[2],
                "boundary": features[code]["geometry"],
            },
        )
        districts[code] = district
    geo.clear_cache()
    return districts


@dataclass(frozen=True)
class AgencySpec:
    short_name: str
    name: str
    sector: str
    district_code: str | None = None  # None: county-wide
    competent_authority: bool = False


AGENCIES: tuple[AgencySpec, ...] = (
    AgencySpec("police", "Northamptonshire Police", Sector.POLICE, competent_authority=True),
    AgencySpec("fire", "Northamptonshire Fire and Rescue Service", Sector.FIRE),
    AgencySpec("probation", "Probation Service (Northamptonshire)", Sector.PROBATION, competent_authority=True),
    AgencySpec("icb", "NHS Northamptonshire Integrated Care Board", Sector.HEALTH),
    AgencySpec("kettering-bc", "Kettering Borough Council", Sector.LOCAL_AUTHORITY, "E07000153"),
    AgencySpec("corby-bc", "Corby Borough Council", Sector.LOCAL_AUTHORITY, "E07000150"),
    AgencySpec("wellingborough-bc", "Borough Council of Wellingborough", Sector.LOCAL_AUTHORITY, "E07000156"),
    AgencySpec("east-northants", "East Northamptonshire Council", Sector.LOCAL_AUTHORITY, "E07000152"),
    AgencySpec("rockingham-homes", "Rockingham Forest Homes (housing association)", Sector.HOUSING),
    AgencySpec(
        "nnc-social-care", "North Northamptonshire Council children's and adult social care", Sector.LOCAL_AUTHORITY
    ),
    # A commissioned specialist service: its advisers see the domestic abuse cases shared with it (MARAC).
    AgencySpec("idva-service", "North Northants IDVA Service", Sector.SPECIALIST),
    AgencySpec("street-pastors", "Kettering Street Pastors", Sector.VOLUNTARY, "E07000153"),
    AgencySpec("faith-youth", "Faith Together youth provision group", Sector.VOLUNTARY),
    AgencySpec("outreach", "Nene Valley Homeless Outreach", Sector.VOLUNTARY),
    AgencySpec("womens-aid", "North Northants Women's Aid", Sector.VOLUNTARY),
    AgencySpec("pubwatch", "Corby Pubwatch", Sector.BUSINESS, "E07000150"),
    AgencySpec("purple-flag", "Kettering Town Centre Purple Flag partnership", Sector.BUSINESS, "E07000153"),
)


def ensure_agency(partnership: Partnership, spec: AgencySpec, districts: dict[str, District]) -> Agency:
    agency, created = Agency.objects.get_or_create(
        short_name=spec.short_name,
        defaults={
            "partnership": partnership,
            "name": spec.name,
            "sector": spec.sector,
            "county_wide": spec.district_code is None,
            "competent_authority": spec.competent_authority,
        },
    )
    if created and spec.district_code:
        agency.districts.add(districts[spec.district_code])
    return agency


def ensure_user(
    username: str,
    agency: Agency,
    roles: tuple[str, ...],
    *,
    first_name: str,
    last_name: str,
    job_title: str,
    password: str,
    staff: bool = False,
) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(
            username=username,
            agency=agency,
            first_name=first_name,
            last_name=last_name,
            job_title=job_title,
            email=f"{username}@example.org",
            is_staff=staff,
        )
        user.set_password(password)
        user.save()
    for role in roles:
        RoleAssignment.objects.get_or_create(user=user, role=role)
    user.refresh_roles()
    return user


@dataclass(frozen=True)
class AgreementSpec:
    reference: str
    title: str
    parties: tuple[str, ...]
    purposes: tuple[str, ...]
    categories: tuple[str, ...]
    bases: tuple[str, ...]
    valid_from: dt.date
    valid_to: dt.date | None
    signed_off_by: str


def ensure_agreement(
    partnership: Partnership, spec: AgreementSpec, agencies: dict[str, Agency]
) -> InformationSharingAgreement:
    isa, created = InformationSharingAgreement.objects.get_or_create(
        reference=spec.reference,
        defaults={
            "partnership": partnership,
            "title": spec.title,
            "purposes": list(spec.purposes),
            "data_categories": list(spec.categories),
            "lawful_bases": list(spec.bases),
            "valid_from": spec.valid_from,
            "valid_to": spec.valid_to,
            "signed_off_by": spec.signed_off_by,
        },
    )
    if created:
        isa.full_clean()
    # Parties added to the demo's agreements since it was first built join them (none is ever removed).
    isa.parties.add(*[agencies[s] for s in spec.parties])
    return isa


@dataclass(frozen=True)
class UserSpec:
    username: str
    agency: str
    roles: tuple[str, ...]
    first_name: str
    last_name: str
    job_title: str
    staff: bool = False


R = Role
USERS: tuple[UserSpec, ...] = (
    UserSpec("pc.hughes", "police", (R.CASE_OFFICER,), "Dan", "Hughes", "Neighbourhood PC, Kettering"),
    UserSpec("di.okafor", "police", (R.PANEL_CHAIR, R.CASE_OFFICER), "Grace", "Okafor", "Detective Inspector, SOC"),
    UserSpec("analyst.patel", "police", (R.ANALYST,), "Ravi", "Patel", "Crime analyst"),
    UserSpec("wm.fire", "fire", (R.PARTNER,), "Sam", "Turner", "Watch manager, prevention"),
    UserSpec("fire.safeguarding", "fire", (R.CASE_OFFICER,), "Jo", "Clarke", "Safeguarding lead"),
    UserSpec("probation.om", "probation", (R.CASE_OFFICER,), "Chris", "Ward", "Offender manager"),
    UserSpec("probation.spo", "probation", (R.PANEL_CHAIR,), "Helen", "Mistry", "Senior probation officer"),
    UserSpec("icb.safeguarding", "icb", (R.CASE_OFFICER,), "Priya", "Shah", "Adult safeguarding nurse"),
    UserSpec("icb.partner", "icb", (R.PARTNER,), "Mark", "Evans", "Public health officer"),
    UserSpec("kbc.asb", "kettering-bc", (R.CASE_OFFICER,), "Laura", "Bennett", "ASB officer"),
    UserSpec("kbc.manager", "kettering-bc", (R.PARTNERSHIP_MANAGER,), "Tom", "Fletcher", "Community safety manager"),
    UserSpec("kbc.admin", "kettering-bc", (R.ADMINISTRATOR,), "Amy", "Reed", "Systems administrator", True),
    # The night-time economy (csphub.nte): Kettering's town-centre warden and CCTV operator log their shifts.
    UserSpec("kbc.warden", "kettering-bc", (R.CASE_OFFICER,), "Jamie", "Cross", "Town centre warden"),
    UserSpec("kbc.cctv", "kettering-bc", (R.CASE_OFFICER,), "Dev", "Sharma", "CCTV control room operator"),
    UserSpec("cbc.asb", "corby-bc", (R.CASE_OFFICER,), "Kirsty", "Campbell", "ASB officer"),
    UserSpec("cbc.warden", "corby-bc", (R.PARTNER,), "Liam", "Douglas", "Community warden"),
    UserSpec("cbc.ig", "corby-bc", (R.INFORMATION_GOVERNANCE,), "Maya", "Osei", "Information governance lead"),
    UserSpec("bcw.asb", "wellingborough-bc", (R.CASE_OFFICER,), "Nadia", "Hussain", "Community safety officer"),
    UserSpec("bcw.analyst", "wellingborough-bc", (R.ANALYST,), "Ellie", "Morgan", "Performance analyst"),
    UserSpec("enc.asb", "east-northants", (R.CASE_OFFICER,), "Owen", "Price", "Community protection officer"),
    UserSpec(
        "enc.manager",
        "east-northants",
        (R.PARTNERSHIP_MANAGER, R.PANEL_CHAIR),
        "Sarah",
        "Lewis",
        "Head of community safety",
    ),
    UserSpec("rfh.tenancy", "rockingham-homes", (R.CASE_OFFICER,), "Gary", "Walsh", "Tenancy enforcement officer"),
    UserSpec("rfh.partner", "rockingham-homes", (R.PARTNER,), "Beth", "Knight", "Neighbourhood housing officer"),
    UserSpec("nnc.childrens", "nnc-social-care", (R.CASE_OFFICER,), "Aisha", "Begum", "Children's social worker"),
    UserSpec("nnc.adults", "nnc-social-care", (R.CASE_OFFICER,), "Paul", "Jennings", "Adult safeguarding practitioner"),
    UserSpec("idva.adviser", "idva-service", (R.CASE_OFFICER,), "Megan", "Hollis", "IDVA (domestic abuse adviser)"),
    UserSpec("idva.manager", "idva-service", (R.CASE_OFFICER,), "Joanne", "Pike", "IDVA service manager"),
    UserSpec("sp.volunteer", "street-pastors", (R.VOLUNTARY_REFERRER,), "Ruth", "Adeyemi", "Street Pastor"),
    UserSpec("sp.coordinator", "street-pastors", (R.VOLUNTARY_REFERRER,), "Peter", "Oduya", "Coordinator"),
    UserSpec("faith.lead", "faith-youth", (R.VOLUNTARY_REFERRER,), "Imran", "Ali", "Youth provision lead"),
    UserSpec("faith.worker", "faith-youth", (R.VOLUNTARY_REFERRER,), "Hannah", "Cole", "Youth worker"),
    UserSpec("outreach.worker", "outreach", (R.VOLUNTARY_REFERRER,), "Dave", "Murphy", "Outreach worker"),
    UserSpec("outreach.lead", "outreach", (R.VOLUNTARY_REFERRER,), "Siobhan", "Kelly", "Service lead"),
    UserSpec("wa.idva", "womens-aid", (R.VOLUNTARY_REFERRER,), "Claire", "Roberts", "IDVA"),
    UserSpec("wa.manager", "womens-aid", (R.VOLUNTARY_REFERRER,), "Fiona", "Grant", "Service manager"),
    UserSpec("pubwatch.chair", "pubwatch", (R.VOLUNTARY_REFERRER,), "Steve", "Harris", "Pubwatch chair"),
    UserSpec("pubwatch.member", "pubwatch", (R.VOLUNTARY_REFERRER,), "Jackie", "Lee", "Licensee"),
    UserSpec("pf.coordinator", "purple-flag", (R.VOLUNTARY_REFERRER,), "Neil", "Baker", "Town centre manager"),
    UserSpec("pf.marshal", "purple-flag", (R.VOLUNTARY_REFERRER,), "Zoe", "Parker", "Taxi marshal"),
)

STATUTORY = (
    "police",
    "fire",
    "probation",
    "icb",
    "kettering-bc",
    "corby-bc",
    "wellingborough-bc",
    "east-northants",
    "rockingham-homes",
)
AGREEMENTS: tuple[AgreementSpec, ...] = (
    AgreementSpec(
        "NN-ISA-001",
        "Community safety information sharing agreement",
        # The voluntary and business members refer under it (csphub.referrals).
        (*STATUTORY, "street-pastors", "faith-youth", "outreach", "pubwatch", "purple-flag"),
        ("crime_disorder", "asb", "safeguarding", "soc", "nte"),
        ("personal", "special", "criminal"),
        ("art6_1e", "art9_2g", "art10", "dpa_part3"),
        dt.date(2019, 7, 1),
        dt.date(2027, 6, 30),
        "North Northamptonshire CSP board",
    ),
    AgreementSpec(
        "NN-ISA-002",
        "Domestic abuse and MARAC information sharing agreement",
        (
            "police",
            "probation",
            "icb",
            "kettering-bc",
            "corby-bc",
            "wellingborough-bc",
            "east-northants",
            "rockingham-homes",
            "nnc-social-care",
            "idva-service",
            "womens-aid",
        ),
        ("domestic_abuse", "safeguarding"),
        ("personal", "special", "criminal", "domestic_abuse"),
        ("art6_1e", "art9_2g", "art10", "dpa_part3"),
        dt.date(2020, 1, 1),
        None,
        "MARAC steering group",
    ),
)


@dataclass(frozen=True)
class Structure:
    partnership: Partnership
    districts: dict[str, District]
    agencies: dict[str, Agency]
    users: dict[str, User]
    agreements: dict[str, InformationSharingAgreement]


def build_structure(password: str) -> Structure:
    partnership = ensure_partnership()
    districts = ensure_districts(partnership)
    agencies = {spec.short_name: ensure_agency(partnership, spec, districts) for spec in AGENCIES}
    users = {
        spec.username: ensure_user(
            spec.username,
            agencies[spec.agency],
            spec.roles,
            first_name=spec.first_name,
            last_name=spec.last_name,
            job_title=spec.job_title,
            password=password,
            staff=spec.staff,
        )
        for spec in USERS
    }
    agreements = {spec.reference: ensure_agreement(partnership, spec, agencies) for spec in AGREEMENTS}
    return Structure(partnership, districts, agencies, users, agreements)
