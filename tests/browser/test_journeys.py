"""Journeys of issue 19 in Chromium: a volunteer's referral reaches a case, and the IDVA sees a MARAC referral.

What a person sees, page by page, scanned by axe-core on every page (see ``tests/browser/conftest.py``)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from csphub.cases import services
from csphub.referrals.models import Referral, ReferralStatus
from tests.browser.conftest import Journey
from tests.cases.factories import make_case, make_days_work
from tests.cases.test_marac import _da_case
from tests.factories import World, make_person


def test_a_volunteers_referral_reaches_the_triage_inbox_and_is_accepted_into_a_case(
    journey: Journey, live_world: World
) -> None:
    journey.sign_in(live_world["pastor"])
    journey.visit("/referrals/new/")
    page = journey.page
    page.get_by_label("Anti-social behaviour (nuisance, noise, harassment, damage)").check()
    page.get_by_label("What happened?").fill("Young men shouting and throwing bottles outside the chip shop at 1am")
    page.get_by_label("Where?").fill("Outside 3 Gold Street, Kettering")
    page.get_by_label("Area (if you do not know the postcode)").select_option(label="Kettering")
    page.get_by_label("Yes, the person it is about agreed to this referral").check()
    page.get_by_label("Soon: in the next 24 hours").check()
    journey.submit("Send the referral")
    referral = Referral.objects.get(referred_by=live_world["pastor"])
    assert referral.owning_agency == live_world.agencies["council"]  # the Kettering ASB team
    journey.visit("/referrals/mine/")
    expect(page.get_by_text(referral.reference)).to_be_visible()

    officer = journey.new_tab()
    officer.sign_in(live_world["council_officer"])
    officer.visit("/referrals/triage/")
    officer.follow(officer.page.get_by_role("link", name=referral.reference))
    officer.follow(officer.page.get_by_role("link", name="Accept into a new case"))
    officer.page.get_by_label("Title").fill("Disorder outside the chip shop, Gold Street")
    officer.submit("Open the case")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED and referral.case is not None
    expect(officer.page.get_by_role("heading", level=1)).to_contain_text("Disorder outside the chip shop")
    officer.screenshot("a volunteer's referral accepted into a case")

    journey.visit("/referrals/mine/")
    expect(page.get_by_text("Accepted")).to_be_visible()
    expect(page.get_by_text(referral.case.reference)).to_have_count(0)  # the referrer is told, not shown the case


def test_the_idva_sees_the_marac_referral_with_its_meeting_and_actions(journey: Journey, live_world: World) -> None:
    da = _da_case(live_world)
    police = live_world["police_officer"]
    idva = live_world.agencies["idva"]
    result = services.refer_to_marac(
        da.case,
        police,
        referred_on=timezone.localdate(),
        person=da.victim,
        meeting_on=timezone.localdate() + dt.timedelta(days=7),
        attending=[live_world.agencies["police"], idva],
    )
    services.add_marac_action(
        result.referral,
        police,
        assigned_agency=idva,
        title="Contact the victim within 24 hours and offer safety planning",
        due_on=timezone.localdate() + dt.timedelta(days=1),
    )
    journey.sign_in(live_world["idva_officer"])
    journey.visit(da.case.get_absolute_url())
    journey.justify("Supporting the victim as her IDVA after the MARAC referral")
    card = journey.page.locator(".govuk-summary-card", has_text="MARAC referral of")
    expect(card).to_be_visible()
    expect(card).to_contain_text("North Northants IDVA Service")  # among the agencies attending
    expect(card).not_to_contain_text("Not yet recorded")  # the meeting date and attendance are there
    expect(card).to_contain_text("Contact the victim within 24 hours")
    journey.screenshot("the MARAC referral seen by the IDVA")


def test_a_case_officers_home_page_shows_actions_and_deadlines(journey: Journey, live_world: World) -> None:
    officer = live_world["council_officer"]
    make_days_work(officer, live_world.agencies["council"])
    journey.sign_in(officer)
    journey.visit("/")
    page = journey.page
    expect(page.get_by_text("Check the CCTV footage")).to_be_visible()
    expect(page.get_by_text("Overdue").first).to_be_visible()
    expect(page.get_by_text("Closure notice for 7 Crack House Lane, Kettering ends")).to_be_visible()
    journey.screenshot("the home page of a case officer with deadlines")


def test_a_persons_page_lists_their_cases(journey: Journey, live_world: World) -> None:
    officer = live_world["council_officer"]
    person = make_person(officer, given_name="Dean", family_name="Harrow")
    first = make_case(officer, title="Noise at 4 Digby Street")
    second = make_case(officer, title="Damage to cars on Elm Close")
    services.add_person(first, person, officer, role="perpetrator")
    services.add_person(second, person, officer, role="witness")
    journey.sign_in(officer)
    journey.visit("/register/people/")
    journey.page.get_by_label("Name").first.fill("Dean Harrow")
    journey.submit("Search")
    journey.follow(journey.page.get_by_role("link", name="HARROW, Dean"))
    for case in (first, second):
        expect(journey.page.get_by_role("link", name=case.reference)).to_be_visible()
    journey.screenshot("a person page listing their cases")
