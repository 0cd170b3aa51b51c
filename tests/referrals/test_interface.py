"""Volunteers' interface: their referrals only; case officers find the triage inbox in their navigation."""

from __future__ import annotations

import pytest
from django.urls import reverse

from csphub.access.policy import COMMUNITY_REFUSAL, page_refusal
from tests.factories import World, verified_client


def test_a_volunteers_home_leads_to_their_referrals(world: World) -> None:
    response = verified_client(world["pastor"]).get(reverse("web:home"))
    page = response.content.decode()
    assert response.status_code == 200 and response.context["panels"].shown == ["referrals_made", "meetings"]
    assert reverse("referrals:mine") in page and reverse("referrals:new") in page
    # None of the case officer's interface: no search, no access requests.
    assert reverse("registers:person-search") not in page and reverse("access:request") not in page


@pytest.mark.parametrize("name", ["access:grants", "access:request", "cases:deadlines", "audit:index"])
def test_it_refuses_volunteers_every_other_page_with_a_pointer_to_the_referral_form(world: World, name: str) -> None:
    response = verified_client(world["publican"]).get(reverse(name))
    assert response.status_code == 403
    assert reverse("referrals:new") in response.content.decode()


def test_the_policy_decides_the_pages_by_namespace(world: World) -> None:
    pastor, officer = world["pastor"], world["council_officer"]
    assert page_refusal(pastor, "cases:list", "cases") == COMMUNITY_REFUSAL
    assert page_refusal(pastor, "referrals:new", "referrals") == ""
    assert page_refusal(pastor, "accounts:logout", "accounts") == ""
    assert page_refusal(pastor, "web:partnership", "web") == ""  # who their referrals go to, under which ISA
    assert page_refusal(officer, "cases:list", "cases") == ""


def test_a_case_officer_finds_the_triage_inbox_in_the_navigation(world: World) -> None:
    response = verified_client(world["council_officer"]).get(reverse("web:home"))
    labels = [item["label"] for item in response.context["service_nav"]]
    assert "Referrals" in labels and "Make a referral" not in labels
    response = verified_client(world["fire_partner"]).get(reverse("web:home"))
    assert "Referrals" not in [item["label"] for item in response.context["service_nav"]]
