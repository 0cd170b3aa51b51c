"""The home page per role: the day's work (actions, deadlines, reviews, triage, grants, pairs), through visible_to."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from csphub.access.services import request_access
from csphub.cases import services
from csphub.linkage.models import CandidatePair
from tests.cases.factories import make_case, make_days_work
from tests.factories import World, make_person, verified_client
from tests.linkage.test_merging import _source_record
from tests.referrals.factories import make_referral


def _home(user: object) -> str:
    response = verified_client(user).get("/")  # type: ignore[arg-type]
    assert response.status_code == 200
    return response.content.decode()


def test_finding_9_a_case_officers_home_shows_the_days_work(world: World) -> None:
    officer = world["council_officer"]
    today = timezone.localdate()
    case, ends = make_days_work(officer, world.agencies["council"])
    review_case = make_case(officer, title="Dog fouling and abuse at Elm Close")
    services.apply_for_case_review(review_case, officer, received_on=today - dt.timedelta(days=2))
    late_case = make_case(officer, title="Harassment on the Grange estate")
    services.apply_for_case_review(late_case, officer, received_on=today - dt.timedelta(days=30))
    make_referral(world["pastor"], what_happened="Fireworks thrown at the bus shelter in the park")
    a = make_person(officer, given_name="John", family_name="Smith", dob_year=1990)
    b = make_person(officer, given_name="Jon", family_name="Smith", dob_year=1990)
    CandidatePair.objects.create(
        record_a=_source_record(a, "kettering", "K-1", given_name="John", family_name="Smith", dob_year=1990),
        record_b=_source_record(b, "kettering", "K-2", given_name="Jon", family_name="Smith", dob_year=1990),
        match_probability=0.93,
        match_weight=3.7,
        model_version="test-1",
    )

    page = _home(officer)

    # My actions, the overdue ones tagged
    assert "Check the CCTV footage" in page and case.reference in page
    assert "Overdue" in page
    # Deadlines in the next 7 days: a closure notice ending in about 4 hours, with the time
    assert "Closure notice for 7 Crack House Lane, Kettering ends" in page
    assert f"{ends.hour % 12 or 12}:30{'am' if ends.hour < 12 else 'pm'} on {ends.day} {ends:%B %Y}" in page
    # Case reviews awaiting a decision: all of them, and the overdue one among the deadlines
    assert "Case reviews awaiting a decision" in page
    assert review_case.reference in page and late_case.reference in page
    assert "Case review decision on the application of" in page
    # Referrals to triage
    assert "Fireworks thrown at the bus shelter" in page
    # Pairs to decide
    assert "1 possible duplicate" in page and "/register/duplicates/" in page


def test_finding_9_a_managers_home_lists_the_grants_to_review(world: World) -> None:
    person = make_person(world["council_officer"], given_name="Grant", family_name="Reviewee")
    request_access(world["police_officer"], person, "Investigating an assault reported tonight, crime 1234")
    page = _home(world["council_manager"])
    assert "Access grants to review" in page
    assert "Police Tester" in page or "police_officer" in page
    assert "/access/reviews/" in page


def test_it_shows_each_panel_only_to_roles_that_can_use_it(world: World) -> None:
    page = _home(world["fire_partner"])  # read-only partner: no triage, no pairs, no grants
    assert "Referrals to triage" not in page
    assert "Possible duplicates" not in page
    assert "Access grants to review" not in page
    analyst = _home(world["police_analyst"])
    assert "Your figures" in analyst and "/cases/case-reviews/figures/" in analyst
    assert "Your figures" not in _home(world["council_officer"])


def test_it_says_so_in_plain_english_when_there_is_nothing_to_do(world: World) -> None:
    page = _home(world["corby_officer"])
    assert "You have no open actions." in page
    assert "No deadlines in the next 7 days." in page
    assert "No referrals are waiting for triage." in page


def test_it_lists_only_actions_in_cases_the_viewer_may_see(world: World) -> None:
    police = world["police_officer"]
    council = world.agencies["council"]
    secret = make_case(police, title="Police only: drugs line at Gold Street", parties=(council,))
    services.add_action(
        secret,
        police,
        title="Secret police action",
        due_on=timezone.localdate() - dt.timedelta(days=1),
        assigned_agency=council,
    )
    secret.parties.remove(council)  # no longer shared: the action stays, the case is out of sight
    page = _home(world["council_officer"])
    assert "Secret police action" not in page and secret.reference not in page
