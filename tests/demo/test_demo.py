"""The demo partnership: every sector and role, two ISAs, a register over four districts; safe to re-run."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from csphub.access.policy import Action, is_community_user
from csphub.audit.verification import verify_log
from csphub.partnership.models import Agency, InformationSharingAgreement, Role, Sector, User
from csphub.registers.models import Person, Place
from tests.factories import verified_client


@pytest.fixture
def demo(db: None) -> None:
    call_command("demo", "--people", "60", "--dwellings", "40", stdout=io.StringIO(), stderr=io.StringIO())


def test_it_builds_the_partnership_with_every_sector_and_role(demo: None) -> None:
    assert Agency.objects.count() == 15
    assert set(Agency.objects.values_list("sector", flat=True)) == set(Sector.values)
    assert set(User.objects.values_list("role_assignments__role", flat=True)) == set(Role.values)
    counts = [a.users.count() for a in Agency.objects.all()]
    assert min(counts) >= 2 and max(counts) <= 3
    assert InformationSharingAgreement.objects.count() == 2


def test_the_register_spreads_over_all_four_districts(demo: None) -> None:
    assert Person.objects.count() == 60
    districts = set(Place.objects.exclude(district=None).values_list("district__name", flat=True))
    assert districts == {"Corby", "East Northamptonshire", "Kettering", "Wellingborough"}
    assert Place.objects.filter(district=None, latitude=None).exists()  # some places have no location


def test_re_running_adds_nothing_and_keeps_the_log_intact(demo: None) -> None:
    before = (Person.objects.count(), Place.objects.count(), User.objects.count())
    call_command("demo", "--people", "60", "--dwellings", "40", stdout=io.StringIO(), stderr=io.StringIO())
    assert (Person.objects.count(), Place.objects.count(), User.objects.count()) == before
    assert verify_log().ok


def test_a_police_officer_and_a_street_pastor_see_different_things(demo: None) -> None:
    officer = User.objects.get(username="pc.hughes")
    pastor = User.objects.get(username="sp.volunteer")
    police_sees = set(Person.objects.visible_to(officer).values_list("pk", flat=True))
    pastor_sees = set(Person.objects.visible_to(pastor).values_list("pk", flat=True))
    assert police_sees and pastor_sees and police_sees != pastor_sees
    assert is_community_user(pastor)
    # The pastor sees only people they referred or that were shared with them personally.
    for person in Person.objects.filter(pk__in=pastor_sees):
        assert person.referred_by == pastor or person.shared_with_users.filter(pk=pastor.pk).exists()
    # And cannot open a police record the officer can.
    police_only = Person.objects.visible_to(officer).exclude(pk__in=pastor_sees).first()
    assert police_only is not None
    assert verified_client(pastor).get(police_only.get_absolute_url()).status_code == 404
    assert Person.objects.visible_to(pastor, Action.CHANGE).exclude(referred_by=pastor).count() == 0


def test_it_prints_the_demo_logins(demo: None) -> None:
    out = io.StringIO()
    call_command("demo", "--logins", stdout=out)
    text = out.getvalue()
    assert "pc.hughes" in text and "sp.volunteer" in text and "password for all" in text
