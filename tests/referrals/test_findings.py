"""Issue 19, finding 4: volunteers' referrals go nowhere, and volunteers see the case-officer interface."""

from __future__ import annotations

import pytest
from django.urls import reverse

from csphub.partnership.models import User
from tests.factories import World, verified_client

REFERRAL = {
    "concern": "asb",
    "what_happened": "Three young men shouting and kicking bins outside the chip shop at closing time.",
    "where": "Outside the Chicken Shack, Gold Street",
    "postcode": "NN16 8AA",
    "district": "",
    "people": "Jay Canaryboy, about 17, red coat\nA second lad with a bike",
    "consent": "not_asked",
    "urgency": "routine",
}


def _inbox(user: User) -> str:
    return verified_client(user).get(reverse("referrals:inbox")).content.decode()


def test_finding_4_a_volunteers_referral_reaches_the_district_team(world: World) -> None:
    pastor = world["pastor"]
    response = verified_client(pastor).post(reverse("referrals:new"), REFERRAL)
    assert response.status_code == 302, response.content.decode()[:3000]
    # The Kettering ASB team (the council of the district the place is in) has it in its triage inbox ...
    assert "Canaryboy" in _inbox(world["council_officer"])
    # ... nobody else's: not another district's team, not the police (it is not a crime).
    assert "Canaryboy" not in _inbox(world["corby_officer"])
    assert "Canaryboy" not in _inbox(world["police_officer"])
    # The volunteer follows it among their referrals.
    mine = verified_client(pastor).get(reverse("referrals:mine")).content.decode()
    assert "Outside the Chicken Shack" in mine and "Received" in mine


def test_finding_4_a_crime_goes_to_the_police(world: World) -> None:
    response = verified_client(world["pastor"]).post(reverse("referrals:new"), {**REFERRAL, "concern": "crime"})
    assert response.status_code == 302
    assert "Canaryboy" in _inbox(world["police_officer"])
    assert "Canaryboy" not in _inbox(world["council_officer"])


def test_finding_4_what_the_volunteer_saw_reaches_the_case_without_them_adding_to_it(world: World) -> None:
    """The volunteer used to open a case and then get 403 adding the place or a timeline entry: now the where and
    the what of the referral become the case's place and first timeline entry, added by the receiving officer."""
    from csphub.cases.models import Case
    from csphub.referrals.models import Referral

    pastor, officer = world["pastor"], world["council_officer"]
    verified_client(pastor).post(reverse("referrals:new"), REFERRAL)
    referral = Referral.objects.get(referred_by=pastor)
    response = verified_client(officer).post(
        reverse("referrals:accept-new", args=[referral.uuid]),
        {
            "case_type": "asb_nuisance",
            "title": "Youths kicking bins on Gold Street",
            "summary": referral.what_happened,
            "place": "new",
            "person_0": "new",
            "role_0": "perpetrator",
            "person_1": "",
            "role_1": "perpetrator",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    case = Case.objects.get(owning_agency=officer.agency, title="Youths kicking bins on Gold Street")
    assert case.case_places.get().place.postcode == "NN16 8AA"
    assert case.case_people.get().person.family_name == "Canaryboy"
    assert case.timeline.filter(body__contains="kicking bins").exists()
    assert case.referred_by is None  # the volunteer does not see the case through having referred it
    mine = verified_client(pastor).get(reverse("referrals:mine")).content.decode()
    assert "Accepted" in mine and case.reference not in mine


@pytest.mark.parametrize(
    "name", ["cases:create", "cases:list", "cases:actions", "registers:person-search", "registers:place-create"]
)
def test_finding_4_volunteers_do_not_get_the_case_officer_interface(world: World, name: str) -> None:
    response = verified_client(world["pastor"]).get(reverse(name))
    assert response.status_code == 403
    assert reverse("referrals:new") in response.content.decode()


def test_finding_4_volunteers_navigation_is_referrals_only(world: World) -> None:
    response = verified_client(world["publican"]).get(reverse("referrals:mine"))
    labels = [item["label"] for item in response.context["service_nav"]]
    # Insights (issue 20) is not the case-officer interface: the partnership's aggregate figures, open to every member.
    assert labels == ["Make a referral", "My referrals", "Insights"]
    for hidden in ("Domestic abuse", "County lines", "SARA", "Cases", "People"):
        assert hidden not in response.content.decode()


def test_finding_4_a_volunteer_no_longer_opens_a_case_nobody_else_sees(world: World) -> None:
    """Before: a Street Pastor's case was owned by Street Pastors, seen by nobody else, and they got 403 adding a
    place or a timeline entry to it. Now the case services refuse volunteers and point them to the referral form."""
    from django.core.exceptions import PermissionDenied

    from csphub.cases import services

    with pytest.raises(PermissionDenied, match="referral"):
        services.open_case(world["pastor"], case_type="asb_personal", title="Shouting in the street")
    response = verified_client(world["pastor"]).post(
        reverse("cases:create"), {"case_type": "asb_personal", "title": "Shouting in the street"}
    )
    assert response.status_code == 403
