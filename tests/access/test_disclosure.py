"""Disclosure is allowed only under a valid ISA covering both agencies, the data and the purpose."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from csphub.access.services import DisclosureRefused, disclose, share_with_user
from csphub.access.vocabulary import Caveat, Sensitivity
from csphub.audit.models import AuditEntry, Operation
from csphub.partnership.models import InformationSharingAgreement
from csphub.registers import services
from csphub.registers.models import Person, Place
from tests.factories import World, make_person, make_place, verified_client

WHY = "Joint ASB problem-solving meeting next week"


def test_it_refuses_a_disclosure_to_an_agency_outside_every_isa_and_says_why(world: World) -> None:
    officer = world["police_officer"]
    person = make_person(officer)
    with pytest.raises(DisclosureRefused) as refused:
        disclose(person, to=world.agencies["pubwatch"], by=officer, purpose="asb", justification=WHY)
    assert refused.value.reason == (
        "No information sharing agreement has both Northamptonshire Police and Corby Pubwatch as parties."
    )
    assert not person.parties.exists()
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry is not None and entry.action == Operation.SECURITY and "refused" in entry.summary
    assert entry.detail["reason"] == refused.value.reason


def test_it_refuses_data_the_agreement_does_not_cover(world: World) -> None:
    officer = world["police_officer"]
    person = make_person(officer, sensitivity=Sensitivity.DOMESTIC_ABUSE, caveat=Caveat.OFFICIAL_SENSITIVE)
    with pytest.raises(DisclosureRefused, match="ISA-1 does not cover domestic abuse data"):
        disclose(person, to=world.agencies["fire"], by=officer, purpose="domestic_abuse", justification=WHY)


def test_it_refuses_a_purpose_the_agreement_does_not_cover(world: World) -> None:
    officer = world["police_officer"]
    person = make_person(officer, sensitivity=Sensitivity.DOMESTIC_ABUSE, caveat=Caveat.OFFICIAL_SENSITIVE)
    with pytest.raises(DisclosureRefused, match="ISA-2 does not include the purpose: Tackling anti-social"):
        disclose(person, to=world.agencies["council"], by=officer, purpose="asb", justification=WHY)


def test_it_refuses_under_an_agreement_that_has_expired(world: World) -> None:
    InformationSharingAgreement.objects.filter(reference="ISA-1").update(
        valid_from=dt.date(2019, 7, 1), valid_to=dt.date(2020, 6, 30)
    )
    officer = world["police_officer"]
    person = make_person(officer)
    with pytest.raises(DisclosureRefused) as refused:
        disclose(person, to=world.agencies["council"], by=officer, purpose="asb", justification=WHY)
    assert "ISA-1 is not valid on" in refused.value.reason
    assert "it runs from 1 July 2019 to 30 June 2020" in refused.value.reason
    assert "ISA-2 does not include the purpose" in refused.value.reason


def test_it_discloses_under_a_covering_agreement_with_the_persons_addresses(world: World) -> None:
    officer = world["police_officer"]
    person = make_person(officer)
    home = make_place(officer)
    services.link_place(person, home, officer, relation="lives_at")
    decision = disclose(person, to=world.agencies["council"], by=officer, purpose="asb", justification=WHY)
    assert decision.allowed and decision.agreement is not None and decision.agreement.reference == "ISA-1"
    council = world["council_officer"]
    assert Person.objects.visible_to(council).filter(pk=person.pk).exists()
    assert Place.objects.visible_to(council).filter(pk=home.pk).exists()
    entries = AuditEntry.objects.filter(action=Operation.DISCLOSURE).order_by("seq")
    assert [(e.record_id, e.recipients, e.basis, e.justification) for e in entries] == [
        (str(person.uuid), ["Kettering Borough Council"], "ISA-1", WHY),
        (str(home.uuid), ["Kettering Borough Council"], "ISA-1", WHY),
    ]


def test_a_read_only_partner_cannot_disclose(world: World) -> None:
    person = make_person(world["police_officer"], parties=(world.agencies["fire"],))
    with pytest.raises(PermissionDenied):
        disclose(person, to=world.agencies["council"], by=world["fire_partner"], purpose="asb", justification=WHY)


def test_it_shares_one_record_with_a_named_volunteer(world: World) -> None:
    officer = world["police_officer"]
    person = make_person(officer)
    share_with_user(person, to=world["pastor"], by=officer, purpose="safeguarding", justification=WHY)
    assert Person.objects.visible_to(world["pastor"]).filter(pk=person.pk).exists()
    assert not Person.objects.visible_to(world["pastor2"]).filter(pk=person.pk).exists()


def test_the_share_page_shows_the_refusal_reason(world: World) -> None:
    officer = world["police_officer"]
    person = make_person(officer)
    response = verified_client(officer).post(
        f"/access/records/{person.uuid}/share/",
        {
            "target": "agency",
            "agency-agency": world.agencies["pubwatch"].pk,
            "agency-purpose": "asb",
            "agency-justification": WHY,
        },
    )
    assert response.status_code == 400
    assert "Sharing refused: No information sharing agreement has both Northamptonshire Police and Corby Pubwatch" in (
        response.content.decode()
    )
    assert "There is a problem" in response.content.decode()
