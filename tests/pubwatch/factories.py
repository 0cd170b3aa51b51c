"""A Pubwatch scheme for tests: a coordinator, two licensees (the test world's publican and another), two premises,
and the police chair admitted as an adviser. The police officer, the Street Pastor and everyone else are outsiders."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from csphub.demo.structure import ensure_user
from csphub.partnership.models import Role, User
from csphub.pubwatch import services
from csphub.pubwatch.models import Ban, BanCategory, MemberRole, Premises, Scheme
from tests.factories import PASSWORD, World

WHY = "Briefing door staff before Friday night"


@dataclass
class SchemeWorld:
    scheme: Scheme
    coordinator: User
    licensee: User
    licensee2: User
    adviser: User
    premises: list[Premises]


def make_scheme(world: World, *, name: str = "Test Pubwatch") -> SchemeWorld:
    agency = world.agencies["pubwatch"]
    coordinator = ensure_user(
        "pw_coordinator",
        agency,
        (Role.VOLUNTARY_REFERRER,),
        first_name="Cora",
        last_name="Ordinator",
        job_title="Coordinator",
        password=PASSWORD,
    )
    licensee2 = ensure_user(
        "pw_licensee2",
        agency,
        (Role.VOLUNTARY_REFERRER,),
        first_name="Lee",
        last_name="Second",
        job_title="Licensee",
        password=PASSWORD,
    )
    scheme = services.create_scheme(coordinator, name=name, agency=agency, coordinator=coordinator, max_ban_months=12)
    crown = services.add_premises(scheme, coordinator, name="The Crown", address="1 High Street")
    rose = services.add_premises(scheme, coordinator, name="The Rose", address="2 High Street")
    services.add_member(scheme, coordinator, user=world["publican"], premises=crown)
    services.add_member(scheme, coordinator, user=licensee2, premises=rose)
    services.add_member(scheme, coordinator, user=world["police_chair"], role=MemberRole.ADVISER)
    return SchemeWorld(scheme, coordinator, world["publican"], licensee2, world["police_chair"], [crown, rose])


def png_upload(name: str = "photo.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 60), (120, 130, 140)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def propose(sw: SchemeWorld, *, name: str = "Barry Banned", photo: bool = False) -> Ban:
    return services.propose_ban(
        sw.scheme,
        sw.licensee,
        excluded=services.Excluded(name, "White male, about 30, tall"),
        category=BanCategory.VIOLENCE,
        incident_on=timezone.localdate() - dt.timedelta(days=10),
        incident_at=sw.premises[0],
        reasons="Punched a door supervisor at closing time",
        photo=png_upload() if photo else None,
    )


def in_force(sw: SchemeWorld, *, name: str = "Barry Banned", months: int = 6, photo: bool = False) -> Ban:
    ban = propose(sw, name=name, photo=photo)
    today = timezone.localdate()
    services.decide(
        ban,
        sw.licensee,
        decided_on=today - dt.timedelta(days=3),
        decided_by=[sw.licensee, sw.licensee2],
        minutes="Agreed unanimously by the licensees present",
        starts_on=today - dt.timedelta(days=3),
        months=months,
    )
    services.tell_person(ban, sw.coordinator, told_on=today - dt.timedelta(days=2), how="letter")
    return ban
