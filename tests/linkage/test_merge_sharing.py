"""Merging shares only what an ISA covers, and legacy source rows are shown per the viewer's agency (finding 8a)."""

from __future__ import annotations

import pytest

from csphub.audit.models import AuditEntry, Operation
from csphub.demo.structure import AgencySpec, ensure_agency, ensure_user
from csphub.linkage.models import CandidatePair, PairStatus
from csphub.partnership.models import Role, Sector, User
from csphub.registers.models import Person
from tests.factories import PASSWORD, World, make_person, verified_client
from tests.linkage.test_merging import _source_record


def _wellingborough(world: World) -> User:
    """A third council, in no information sharing agreement."""
    agency = ensure_agency(
        world.agencies["council"].partnership,
        AgencySpec("bcw", "Borough Council of Wellingborough", Sector.LOCAL_AUTHORITY, "E07000156"),
        world.districts,
    )
    return ensure_user(
        "bcw_officer",
        agency,
        (Role.CASE_OFFICER,),
        first_name="Bcw",
        last_name="Tester",
        job_title="",
        password=PASSWORD,
    )


def _pair(world: World, third: User) -> tuple[CandidatePair, Person, Person]:
    council, corby = world["council_officer"], world["corby_officer"]
    kept = make_person(council, given_name="John", family_name="Smith", parties=(third.agency,))  # type: ignore[arg-type]
    other = make_person(corby, given_name="Jon", family_name="Smith", parties=(world.agencies["council"],))
    ra = _source_record(kept, "kettering", "K-1", given_name="John", family_name="Smith", address="1 Ketter Lane")
    rb = _source_record(other, "corby", "C-1", given_name="Jon", family_name="Smith", address="9 Corbyrow Street")
    return CandidatePair.objects.create(record_a=ra, record_b=rb, match_probability=0.9, match_weight=3), kept, other


def test_finding_8_a_merge_across_councils_does_not_show_a_third_council_the_other_source_row(world: World) -> None:
    third = _wellingborough(world)
    pair, kept, other = _pair(world, third)
    response = verified_client(world["council_officer"]).post(
        f"/register/duplicates/{pair.uuid}/", {"decision": "accept", "reason": "Same man in both registers"}
    )
    page = verified_client(third).get(kept.get_absolute_url()).content.decode()
    assert "Corbyrow" not in page and "C-1" not in page
    # The merge is refused: Corby's record would reach Wellingborough, which no agreement covers; the reviewer is told.
    assert response.status_code == 400 and "Borough Council of Wellingborough" in response.content.decode()
    pair.refresh_from_db()
    assert pair.status == PairStatus.PENDING and Person.objects.filter(pk=other.pk).exists()


def test_source_rows_are_shown_only_to_the_agency_that_supplied_them_or_under_an_agreement(world: World) -> None:
    third = _wellingborough(world)
    council = world["council_officer"]
    person = make_person(council, family_name="Rowe", parties=(third.agency, world.agencies["corby"]))  # type: ignore[arg-type]
    _source_record(person, "kettering", "K-7", family_name="Rowe", address="7 Ketter Lane")
    assert "7 Ketter Lane" in verified_client(council).get(person.get_absolute_url()).content.decode()
    # Corby is a party under ISA-1: it sees the row. Wellingborough, in no agreement with Kettering, does not.
    assert "7 Ketter Lane" in verified_client(world["corby_officer"]).get(person.get_absolute_url()).content.decode()
    page = verified_client(third).get(person.get_absolute_url()).content.decode()
    assert "7 Ketter Lane" not in page and "1 more source record you may not see" in page


def test_a_merge_under_an_agreement_is_logged_as_a_disclosure_naming_it(world: World) -> None:
    council, corby = world["council_officer"], world["corby_officer"]
    kept = make_person(council, given_name="John", family_name="Smith")
    other = make_person(corby, given_name="Jon", family_name="Smith", parties=(world.agencies["council"],))
    ra = _source_record(kept, "kettering", "K-1", given_name="John", family_name="Smith")
    rb = _source_record(other, "corby", "C-1", given_name="Jon", family_name="Smith")
    pair = CandidatePair.objects.create(record_a=ra, record_b=rb, match_probability=0.9, match_weight=3)
    from csphub.linkage.review import decide

    decide(pair, council, decision="accept", reason="Same man in both registers")
    disclosures = AuditEntry.objects.filter(action=Operation.DISCLOSURE)
    # Kettering's record reaches Corby (who held the other half): one disclosure, naming the agreement in force.
    assert [(e.record_id, e.recipients) for e in disclosures] == [(str(kept.uuid), ["Corby Borough Council"])]
    assert disclosures[0].basis in {"ISA-1", "ISA-2"} and disclosures[0].detail["merge"]


@pytest.mark.parametrize("by_user", [True, False])
def test_an_uncovered_merge_is_refused_for_reviewers_and_left_for_review_by_the_linkage(
    world: World, by_user: bool
) -> None:
    from django.core.exceptions import ValidationError

    from csphub.linkage.merging import merge

    third = _wellingborough(world)
    _, kept, other = _pair(world, third)
    with pytest.raises(ValidationError, match="Wellingborough"):
        merge(kept, other, by=world["council_officer"] if by_user else None, reason="Same")
    assert Person.objects.filter(pk=other.pk).exists()
