"""The access policy decides, in one place, who sees and does what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from csphub.access.models import AccessGrant, GrantStatus
from csphub.access.vocabulary import Caveat, Sensitivity, Verb
from csphub.audit.context import audit_context
from csphub.registers.models import Person, Place
from tests.factories import World, make_person, make_place


def _sees(world: World, username: str, person: Person) -> bool:
    return Person.objects.visible_to(world[username]).filter(pk=person.pk).exists()


def test_it_shows_a_record_to_its_owning_agency_and_parties_only(world: World) -> None:
    person = make_person(world["police_officer"], parties=(world.agencies["fire"],))
    assert _sees(world, "police_officer", person)
    assert _sees(world, "police_analyst", person)
    assert _sees(world, "fire_partner", person)
    assert not _sees(world, "council_officer", person)
    assert not _sees(world, "council_manager", person)


def test_it_keeps_official_sensitive_records_from_read_only_partners(world: World) -> None:
    person = make_person(world["police_officer"], parties=(world.agencies["fire"],), caveat=Caveat.OFFICIAL_SENSITIVE)
    assert _sees(world, "fire_officer", person)
    assert not _sees(world, "fire_partner", person)


def test_it_narrows_domestic_abuse_records_to_case_roles(world: World) -> None:
    person = make_person(
        world["police_officer"], sensitivity=Sensitivity.DOMESTIC_ABUSE, caveat=Caveat.OFFICIAL_SENSITIVE
    )
    assert _sees(world, "police_officer", person)
    assert _sees(world, "police_chair", person)
    assert not _sees(world, "police_analyst", person)


def test_it_narrows_intelligence_to_panel_chairs_and_managers(world: World) -> None:
    person = make_person(world["police_chair"], sensitivity=Sensitivity.INTELLIGENCE, caveat=Caveat.OFFICIAL_SENSITIVE)
    assert _sees(world, "police_chair", person)
    assert _sees(world, "police_manager", person)
    assert not _sees(world, "police_officer", person)
    assert not _sees(world, "police_analyst", person)


def test_it_shows_voluntary_users_only_what_they_referred_or_was_shared_with_them(world: World) -> None:
    pastor, other_pastor = world["pastor"], world["pastor2"]
    referred = make_person(pastor, referred_by=pastor)
    party_to_pastors = make_person(world["police_officer"], parties=(world.agencies["pastors"],))
    shared = make_person(world["police_officer"])
    shared.shared_with_users.add(pastor)
    assert _sees(world, "pastor", referred)
    assert _sees(world, "pastor", shared)
    assert not _sees(world, "pastor", party_to_pastors)  # being a party agency is not enough for volunteers
    assert not _sees(world, "pastor2", referred)  # a colleague in the same charity does not see it either
    assert other_pastor.agency == pastor.agency


def test_it_shows_partnership_wide_places_to_every_member_but_administrators(world: World) -> None:
    place = make_place(world["police_officer"], partnership_wide=True, name="Chicken Shack")
    for username in ("council_officer", "fire_partner", "pastor", "publican"):
        assert Place.objects.visible_to(world[username]).filter(pk=place.pk).exists(), username
    assert not Place.objects.visible_to(world["council_admin"]).filter(pk=place.pk).exists()


def test_it_gives_administrators_no_personal_data(world: World) -> None:
    make_person(world["council_officer"])
    assert Person.objects.visible_to(world["council_admin"]).count() == 0


def test_it_returns_404_to_outsiders_and_403_to_insiders_without_the_right(world: World) -> None:
    person = make_person(world["police_officer"], parties=(world.agencies["fire"],))
    with pytest.raises(Http404):
        Person.objects.fetch(world["council_officer"], Verb.VIEW, uuid=person.uuid)
    with pytest.raises(PermissionDenied, match="Partner \\(read-only\\)"):
        Person.objects.fetch(world["fire_partner"], Verb.CHANGE, uuid=person.uuid)
    assert Person.objects.fetch(world["fire_partner"], Verb.VIEW, uuid=person.uuid) == person
    assert Person.objects.fetch(world["police_officer"], Verb.CHANGE, uuid=person.uuid) == person


def test_it_lists_nothing_for_an_action_the_role_lacks(world: World) -> None:
    make_person(world["police_officer"], parties=(world.agencies["fire"],))
    assert Person.objects.visible_to(world["fire_partner"], Verb.CHANGE).count() == 0
    assert Person.objects.visible_to(world["police_officer"], Verb.CHANGE).count() == 1


def test_a_partnership_wide_record_is_read_only_for_non_parties(world: World) -> None:
    place = make_place(world["police_officer"], partnership_wide=True)
    with pytest.raises(PermissionDenied, match="partnership-wide record"):
        Place.objects.fetch(world["council_officer"], Verb.CHANGE, uuid=place.uuid)


def _grant(world: World, username: str, person: Person, **fields: object) -> AccessGrant:
    now = timezone.now()
    defaults: dict[str, object] = {"granted_at": now, "expires_at": now + dt.timedelta(hours=1)}
    defaults.update(fields)
    return AccessGrant.objects.create(
        user=world[username],
        record_type="registers.person",
        record_uuid=person.uuid,
        record_label=str(person),
        owning_agency=person.owning_agency,
        justification="Urgent safeguarding need",
        **defaults,
    )


def test_a_current_grant_lets_a_user_read_but_not_change(world: World) -> None:
    person = make_person(world["council_officer"])
    _grant(world, "police_officer", person)
    assert _sees(world, "police_officer", person)
    with audit_context("test", actor=world["police_officer"], justifications=((str(person.uuid), "Urgent need"),)):
        assert Person.objects.fetch(world["police_officer"], Verb.VIEW, uuid=person.uuid) == person
        with pytest.raises(PermissionDenied, match="break-glass"):
            Person.objects.fetch(world["police_officer"], Verb.CHANGE, uuid=person.uuid)


def test_expired_and_revoked_grants_give_nothing(world: World) -> None:
    person = make_person(world["council_officer"])
    past = timezone.now() - dt.timedelta(hours=2)
    _grant(world, "police_officer", person, granted_at=past, expires_at=past + dt.timedelta(hours=1))
    _grant(world, "police_chair", person, status=GrantStatus.REVOKED)
    assert not _sees(world, "police_officer", person)
    assert not _sees(world, "police_chair", person)


def test_it_opens_intelligence_to_named_serious_organised_crime_leads_and_nothing_else(world: World) -> None:
    intelligence = make_person(
        world["police_chair"], sensitivity=Sensitivity.INTELLIGENCE, caveat=Caveat.OFFICIAL_SENSITIVE
    )
    general = make_person(world["police_chair"])
    assert _sees(world, "soc_lead", intelligence)  # a council officer named a lead
    assert _sees(world, "soc_analyst", intelligence)
    assert not _sees(world, "soc_lead", general)  # the designation opens intelligence only
    assert not _sees(world, "council_officer", intelligence)
