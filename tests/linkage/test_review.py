"""The clerical review queue: side by side, decisions with who, when and why, kept across re-runs."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from csphub.linkage.models import CandidatePair, PairStatus, SourceRecord
from csphub.linkage.review import decide, queue_for
from csphub.registers.models import Person
from tests.factories import World, make_person, verified_client
from tests.linkage.test_merging import _source_record


@pytest.fixture
def pair(world: World) -> CandidatePair:
    police = world["police_officer"]
    a = make_person(police, given_name="John", family_name="Smith", dob_year=1990)
    b = make_person(police, given_name="Jon", family_name="Smith", dob_year=1990, dob_month=4)
    ra = _source_record(a, "corby", "C-1", given_name="John", family_name="Smith", dob_year=1990, postcode="NN17 1AA")
    rb = _source_record(
        b, "kettering", "K-1", given_name="Jon", family_name="Smith", dob_year=1990, dob_month=4, postcode="NN16 0AB"
    )
    return CandidatePair.objects.create(
        record_a=ra,
        record_b=rb,
        match_probability=0.93,
        match_weight=3.7,
        model_version="test-1",
        explanation=[{"comparison": "first name", "level": "nickname or Jaro-Winkler > 0.9", "weight": 2.1}],
    )


def test_the_queue_shows_pairs_side_by_side_with_differences_highlighted(world: World, pair: CandidatePair) -> None:
    client = verified_client(world["police_officer"])
    queue = client.get("/register/duplicates/").content.decode()
    assert f"/register/duplicates/{pair.uuid}/" in queue
    page = client.get(f"/register/duplicates/{pair.uuid}/").content.decode()
    assert page.count("Differs") == 3  # given name, date of birth, postcode
    assert "nickname or Jaro-Winkler" in page and "0.930" in page


def test_only_people_the_reviewer_may_change_are_in_their_queue(world: World, pair: CandidatePair) -> None:
    assert list(queue_for(world["council_officer"])) == []
    response = verified_client(world["council_officer"]).get(f"/register/duplicates/{pair.uuid}/")
    assert response.status_code == 404
    assert verified_client(world["fire_partner"]).get("/register/duplicates/").status_code == 403


def test_a_decision_records_who_when_and_why_and_accept_merges(world: World, pair: CandidatePair) -> None:
    officer = world["police_officer"]
    client = verified_client(officer)
    bad = client.post(f"/register/duplicates/{pair.uuid}/", {"decision": "accept", "reason": ""})
    assert bad.status_code == 400 and "Give the reason for your decision" in bad.content.decode()
    done = client.post(
        f"/register/duplicates/{pair.uuid}/",
        {"decision": "accept", "reason": "Same NHS number in both partner systems"},
    )
    assert done.status_code == 302
    pair.refresh_from_db()
    assert (pair.status, pair.reviewed_by, pair.reason) == (
        PairStatus.ACCEPTED,
        officer,
        "Same NHS number in both partner systems",
    )
    assert pair.reviewed_at is not None
    assert Person.objects.filter(family_name="Smith").count() == 1
    with pytest.raises(ValidationError, match="already been decided"):
        decide(pair, officer, decision="reject", reason="Changed my mind")


def test_a_rejected_pair_stays_apart(world: World, pair: CandidatePair) -> None:
    decide(pair, world["police_officer"], decision="reject", reason="Father and son at the same address")
    assert Person.objects.filter(family_name="Smith").count() == 2
    assert list(queue_for(world["police_officer"])) == []


def test_finding_7_the_merger_and_the_imports_are_in_the_navigation_of_those_who_may_use_them(world: World) -> None:
    officer = verified_client(world["police_officer"]).get("/").content.decode()
    assert 'href="/register/duplicates/"' in officer and 'href="/register/imports/"' not in officer
    manager = verified_client(world["police_manager"]).get("/").content.decode()
    assert 'href="/register/imports/"' in manager
    partner = verified_client(world["fire_partner"]).get("/").content.decode()
    assert 'href="/register/duplicates/"' not in partner and 'href="/register/imports/"' not in partner


def test_finding_7_the_pair_page_has_human_labels_and_values(world: World, pair: CandidatePair) -> None:
    SourceRecord.objects.filter(pk__in=[pair.record_a_id, pair.record_b_id]).update(sex="not_known")
    page = verified_client(world["police_officer"]).get(f"/register/duplicates/{pair.uuid}/").content.decode()
    for label in ("Given name", "Family name", "Date of birth", "Middle names", "Sex", "Postcode"):
        assert f">{label}" in page
    assert "Givenname" not in page and "Dateofbirth" not in page and "not_known" not in page
    assert "Not known" in page and "1990" in page


def test_finding_7_the_pair_page_links_to_both_records(world: World, pair: CandidatePair) -> None:
    page = verified_client(world["police_officer"]).get(f"/register/duplicates/{pair.uuid}/").content.decode()
    for record in (pair.record_a, pair.record_b):
        person = Person.objects.get(pk=record.person_id)
        assert f'href="{person.get_absolute_url()}"' in page and person.reference in page
