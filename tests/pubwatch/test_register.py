"""The ban register run the way the ICO and National Pubwatch advise: members only, decided by licensees with
minutes, not in force until the person is told, a length within the scheme's maximum, a review and an appeal, and a
photo kept only for the ban."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from csphub.access import services as access_services
from csphub.access.models import Governed
from csphub.audit.models import AuditEntry
from csphub.partnership.models import User
from csphub.pubwatch import services
from csphub.pubwatch.models import Ban, BanReview, BanStatus, Scheme
from tests.factories import World, verified_client
from tests.pubwatch.factories import WHY, SchemeWorld, in_force, make_scheme, png_upload, propose


def _justified(user: User, *records: Governed) -> Client:
    client = verified_client(user)
    for record in records:
        client.post(f"/access/records/{record.uuid}/justify/", {"justification": WHY, "next": "/"})
    return client


def _photo_path(ban: Ban) -> Path:
    return Path(settings.CSPHUB_PUBWATCH_PHOTO_DIR) / ban.photo.name


@pytest.fixture
def sw(world: World) -> SchemeWorld:
    return make_scheme(world)


@pytest.mark.parametrize("outsider", ["police_officer", "police_manager", "pastor", "council_manager", "soc_lead"])
def test_it_hides_the_register_from_everyone_outside_the_scheme(world: World, sw: SchemeWorld, outsider: str) -> None:
    ban = in_force(sw, name="Hidden Harry", photo=True)
    user = world[outsider]
    assert not Ban.objects.visible_to(user).exists()
    assert not Scheme.objects.visible_to(user).exists()
    client = _justified(user, sw.scheme, ban)
    for url in (
        "/pubwatch/",
        sw.scheme.get_absolute_url(),
        ban.get_absolute_url(),
        f"/pubwatch/bans/{ban.uuid}/photo/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"Hidden Harry" not in response.content
    assert b"Pubwatch" not in client.get("/").content


def test_it_shows_the_register_to_a_member_and_logs_each_ban_shown(world: World, sw: SchemeWorld) -> None:
    ban = in_force(sw, name="Shown Sam")
    client = verified_client(sw.licensee2)
    first = client.get(sw.scheme.get_absolute_url())
    assert first.status_code == 302 and "/justify/" in first["Location"]  # OFFICIAL-SENSITIVE: why first
    client.post(f"/access/records/{sw.scheme.uuid}/justify/", {"justification": WHY, "next": "/"})
    page = client.get(sw.scheme.get_absolute_url()).content.decode()
    assert "Shown Sam" in page and "The Crown" in page
    shown = AuditEntry.objects.filter(record_id=str(ban.uuid), action="consultation", actor_username="pw_licensee2")
    assert shown.filter(summary__startswith="Shown").first().justification == WHY  # type: ignore[union-attr]
    # Opening the ban asks for its own justification, and is logged with it.
    client.post(f"/access/records/{ban.uuid}/justify/", {"justification": WHY, "next": "/"})
    assert "Shown Sam" in client.get(ban.get_absolute_url()).content.decode()
    assert shown.filter(summary__startswith="Opened", justification=WHY).exists()


def test_it_lets_an_admitted_police_adviser_read_but_not_decide(world: World, sw: SchemeWorld) -> None:
    ban = propose(sw)
    client = _justified(sw.adviser, ban)
    assert client.get(ban.get_absolute_url()).status_code == 200
    assert client.get(f"/pubwatch/bans/{ban.uuid}/decide/").status_code == 403
    with pytest.raises(PermissionDenied):
        services.decide(
            ban,
            sw.adviser,
            decided_on=timezone.localdate(),
            decided_by=[sw.licensee],
            minutes="x",
            starts_on=timezone.localdate(),
            months=3,
        )


def test_it_refuses_break_glass_into_the_register(world: World, sw: SchemeWorld) -> None:
    ban = propose(sw)
    with pytest.raises(PermissionDenied, match="no break glass"):
        access_services.request_access(world["police_manager"], ban, "Investigating an assault at the Crown")


def test_it_records_only_licensees_as_deciding(world: World, sw: SchemeWorld) -> None:
    ban = propose(sw)
    today = timezone.localdate()
    for deciders in ([sw.adviser], [sw.coordinator], [sw.licensee, world["police_officer"]]):
        with pytest.raises(ValidationError, match="licensees"):
            services.decide(
                ban, sw.coordinator, decided_on=today, decided_by=deciders, minutes="Agreed", starts_on=today, months=3
            )


def test_it_keeps_the_length_within_the_schemes_maximum(world: World, sw: SchemeWorld) -> None:
    ban = propose(sw)
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="12 months or fewer"):
        services.decide(
            ban, sw.licensee, decided_on=today, decided_by=[sw.licensee], minutes="Agreed", starts_on=today, months=13
        )
    with pytest.raises(ValidationError, match="minutes"):
        services.decide(
            ban, sw.licensee, decided_on=today, decided_by=[sw.licensee], minutes=" ", starts_on=today, months=3
        )


def test_it_is_not_in_force_until_the_person_is_told(world: World, sw: SchemeWorld) -> None:
    ban = propose(sw)
    today = timezone.localdate()
    services.decide(
        ban,
        sw.licensee,
        decided_on=today - dt.timedelta(days=5),
        decided_by=[sw.licensee, sw.licensee2],
        minutes="Agreed by both licensees",
        starts_on=today - dt.timedelta(days=5),
        months=3,
    )
    assert ban.status == BanStatus.DECIDED and not ban.in_force
    with pytest.raises(ValidationError, match="told of"):
        services.lodge_appeal(ban, sw.licensee, lodged_on=today, grounds="Not me")
    services.tell_person(ban, sw.licensee2, told_on=today - dt.timedelta(days=1), how="in_person")
    ban.refresh_from_db()
    assert ban.status == BanStatus.IN_FORCE and ban.told_by == sw.licensee2
    # Told four days after the start: it runs its three months from the day they were told.
    assert ban.starts_on == today - dt.timedelta(days=1)
    assert ban.ends_on == Ban.end_of(today - dt.timedelta(days=1), 3)


def test_it_runs_an_appeal_upheld_and_one_lifted(world: World, sw: SchemeWorld) -> None:
    today = timezone.localdate()
    kept = in_force(sw, name="Appealing Alan")
    services.lodge_appeal(kept, sw.coordinator, lodged_on=today, grounds="I was defending my friend")
    assert kept.status == BanStatus.UNDER_REVIEW and kept.in_force
    services.decide_appeal(kept, sw.licensee2, decided_on=today, outcome="upheld", note="CCTV shows the first blow")
    assert kept.status == BanStatus.UPHELD and kept.in_force
    lifted = in_force(sw, name="Lifted Lena", photo=True)
    photo = _photo_path(lifted)
    assert photo.exists()
    services.lodge_appeal(lifted, sw.coordinator, lodged_on=today, grounds="Mistaken identity")
    services.decide_appeal(lifted, sw.licensee2, decided_on=today, outcome="lifted", note="Not her on the CCTV")
    lifted.refresh_from_db()
    assert lifted.status == BanStatus.REVOKED and not lifted.photo and not photo.exists()


def test_it_lists_the_bans_due_for_review(world: World, sw: SchemeWorld) -> None:
    from csphub.pubwatch.queries import register

    due = in_force(sw, name="Due Dan")
    Ban.objects.filter(pk=due.pk).update(review_on=timezone.localdate())
    in_force(sw, name="Later Liz")
    listed = register(sw.licensee, sw.scheme)
    assert [b.name for b in listed.review_due] == ["Due Dan"]
    services.review(
        Ban.objects.get(pk=due.pk),
        sw.licensee,
        reviewed_on=timezone.localdate(),
        outcome=BanReview.Outcome.CONTINUE,
        next_review_on=timezone.localdate() + dt.timedelta(days=30),
        note="Behaving at the Rose",
    )
    assert register(sw.licensee, sw.scheme).review_due == []


def test_it_serves_the_photo_only_to_members_never_cached(world: World, sw: SchemeWorld) -> None:
    ban = in_force(sw, photo=True)
    path = _photo_path(ban)
    assert path.exists() and path.read_bytes()[:3] == b"\xff\xd8\xff"  # re-encoded as a JPEG, metadata dropped
    assert str(settings.CSPHUB_PUBWATCH_PHOTO_DIR) not in {str(settings.STATIC_ROOT), str(settings.MEDIA_ROOT)}
    response = _justified(sw.licensee, ban).get(f"/pubwatch/bans/{ban.uuid}/photo/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert AuditEntry.objects.filter(record_id=str(ban.uuid), action="consultation", justification=WHY).exists()
    assert _justified(world["police_officer"], ban).get(f"/pubwatch/bans/{ban.uuid}/photo/").status_code == 404


def test_it_refuses_a_photo_that_is_not_an_image(world: World, sw: SchemeWorld) -> None:
    page = SimpleUploadedFile("face.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg")
    with pytest.raises(ValidationError):
        services.attach_photo(propose(sw), sw.licensee, page)
    pdf = SimpleUploadedFile("face.pdf", b"%PDF-1.4 a document", content_type="application/pdf")
    with pytest.raises(ValidationError, match="JPG, PNG or WEBP"):
        services.attach_photo(propose(sw, name="Other"), sw.licensee, pdf)


def test_expire_lapses_ended_bans_deletes_their_photos_and_can_run_again(world: World, sw: SchemeWorld) -> None:
    ban = in_force(sw, months=1, photo=True)
    photo = _photo_path(ban)
    Ban.objects.filter(pk=ban.pk).update(ends_on=timezone.localdate() - dt.timedelta(days=1))
    current = in_force(sw, name="Still Steve", photo=True)
    call_command("pubwatch", "expire")
    ban.refresh_from_db()
    assert ban.status == BanStatus.LAPSED and not ban.photo and not photo.exists()
    assert _photo_path(current).exists()
    assert services.expire() == []  # nothing more to do
    response = _justified(sw.licensee, ban).get(f"/pubwatch/bans/{ban.uuid}/photo/")
    assert response.status_code == 404


def test_a_licensee_records_a_decision_through_the_pages(world: World, sw: SchemeWorld) -> None:
    client = _justified(sw.licensee, sw.scheme)
    today = timezone.localdate()
    boxes = {"incident_on_0": today.day, "incident_on_1": today.month, "incident_on_2": today.year}
    response = client.post(
        f"/pubwatch/schemes/{sw.scheme.uuid}/propose/",
        {
            "name": "Form Fred",
            "category": "threats",
            "reasons": "Threatened bar staff",
            "covers": "all",
            "photo": png_upload(),
            **boxes,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    ban = Ban.objects.get(name="Form Fred")
    assert ban.photo and ban.status == BanStatus.PROPOSED
    client.post(f"/access/records/{ban.uuid}/justify/", {"justification": WHY, "next": "/"})
    date = {
        f"{field}_{i}": v
        for field in ("decided_on", "starts_on")
        for i, v in enumerate((today.day, today.month, today.year))
    }
    response = client.post(
        f"/pubwatch/bans/{ban.uuid}/decide/",
        {
            "decided_by": [str(sw.licensee.uuid), str(sw.licensee2.uuid)],
            "minutes": "Both agreed",
            "months": "6",
            **date,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    ban.refresh_from_db()
    assert ban.status == BanStatus.DECIDED and set(ban.decided_by.all()) == {sw.licensee, sw.licensee2}
