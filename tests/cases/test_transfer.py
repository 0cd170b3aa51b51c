"""Transfers hand on only the linked records the acting user may see and share, each under an ISA (finding 1)."""

from __future__ import annotations

from csphub.access.vocabulary import Sensitivity
from csphub.audit.models import AuditEntry, Operation
from csphub.cases import services
from csphub.cases.models import Case
from csphub.registers.models import Person, Place
from tests.cases.factories import make_case
from tests.factories import World, make_person, make_place, verified_client


def _shared_case_with_police_additions(world: World) -> tuple[Case, Person, Person, Person, Place]:
    council, police, chair = world["council_officer"], world["police_officer"], world["police_chair"]
    case = make_case(council, parties=(world.agencies["police"],))
    victim = make_person(council, given_name="Ada", family_name="Okoro")
    services.add_person(case, victim, council, role="victim")
    police_only = make_person(police, given_name="Peter", family_name="Policeonly")
    services.add_person(case, police_only, police, role="witness")
    intelligence = make_person(
        chair, given_name="Ivan", family_name="Intelperson", sensitivity=Sensitivity.INTELLIGENCE
    )
    services.add_person(case, intelligence, chair, role="perpetrator")
    home = make_place(council, address="12 Rockingham Road, Kettering")
    services.add_place(case, home, council, role="victim_home")
    return case, victim, police_only, intelligence, home


def test_finding_1_transfer_does_not_hand_on_hidden_links(world: World) -> None:
    case, victim, police_only, intelligence, home = _shared_case_with_police_additions(world)
    corby = world["corby_officer"]
    assert not Person.objects.visible_to(corby).filter(pk__in=[police_only.pk, intelligence.pk]).exists()
    result = services.transfer(
        case, world["council_officer"], to_agency=world.agencies["corby"], reason="Victim rehoused in Corby"
    )
    # Police's people stay with the police: the new owner gets no access to them, intelligence above all.
    assert not Person.objects.visible_to(corby).filter(pk__in=[police_only.pk, intelligence.pk]).exists()
    assert not intelligence.parties.filter(pk=world.agencies["corby"].pk).exists()
    # The council's own victim and place go with the case, under the ISA, each disclosure naming it.
    assert Person.objects.visible_to(corby).filter(pk=victim.pk).exists()
    assert Place.objects.visible_to(corby).filter(pk=home.pk).exists()
    assert {r.record for r in result.handed_on} == {victim, home}
    disclosures = AuditEntry.objects.filter(action=Operation.DISCLOSURE, summary__contains="with case")
    assert {e.record_id for e in disclosures} == {str(victim.uuid), str(home.uuid)}
    assert {e.basis for e in disclosures} == {"ISA-1"}
    # What stayed behind is listed, without naming the people the transferring officer may not see.
    assert result.hidden_withheld == 2 and result.withheld == []


def test_it_withholds_what_the_user_may_see_but_no_isa_covers_and_says_why(world: World) -> None:
    council = world["council_officer"]
    case = make_case(council)
    victim = make_person(council, given_name="Ada", family_name="Okoro")
    services.add_person(case, victim, council, role="victim")
    # The fire service is in ISA-1 for personal data; a domestic-abuse person is not covered for it.
    abused = make_person(council, given_name="Dora", family_name="Abused", sensitivity=Sensitivity.DOMESTIC_ABUSE)
    services.add_person(case, abused, council, role="victim")
    result = services.transfer(case, council, to_agency=world.agencies["fire"], reason="Fire safety visits lead")
    assert [r.record for r in result.handed_on] == [victim]
    assert [w.record for w in result.withheld] == [abused]
    assert "does not cover" in result.withheld[0].reason
    assert not Person.objects.visible_to(world["fire_officer"]).filter(pk=abused.pk).exists()


def test_the_transfer_page_lists_what_was_handed_on_and_what_stayed(world: World) -> None:
    case, _victim, _police_only, _intelligence, _home = _shared_case_with_police_additions(world)
    client = verified_client(world["council_officer"])
    response = client.post(
        f"/cases/{case.reference}/transfer/",
        {"to_agency": world.agencies["corby"].pk, "reason": "Victim rehoused in Corby"},
        follow=True,
    )
    page = response.content.decode()
    assert "OKORO" in page and "2 more records you may not see stayed with their owners" in page
    assert "POLICEONLY" not in page and "INTELPERSON" not in page
