"""A case officer completes a DASH risk checklist on a domestic-abuse case, in Chromium (issue 19: findings 1 and 2).

What a person sees: the answer they pick is shown as picked (GOV.UK radios, not checkboxes), a blank checklist is
refused with the GOV.UK error summary, and a completed one gives the case its level."""

from __future__ import annotations

from playwright.sync_api import Locator, expect

from csphub.assessments import engine
from csphub.assessments.models import CompletedAssessment
from csphub.cases.models import Case
from tests.browser.conftest import Journey
from tests.cases.factories import make_case
from tests.factories import World, make_person

TITLE = "Threats and injury at 4 Meadow Road"


def _da_case(world: World) -> Case:
    officer = world["police_officer"]
    case = make_case(officer, case_type="domestic_abuse", title=TITLE)
    make_person(officer, given_name="Ada", family_name="Okoro")
    return case


def _dash_page(journey: Journey, world: World) -> str:
    case = _da_case(world)
    journey.sign_in(world["police_officer"])
    journey.visit(f"/cases/{case.reference}/assessments/dash/")
    journey.justify()
    return str(case.reference)


def _radio(journey: Journey, question: str, answer: str) -> Locator:
    group = journey.page.get_by_role("group", name=question, exact=True)
    return group.get_by_role("radio", name=answer, exact=True)


def test_finding_1_a_chosen_radio_shows_as_chosen(journey: Journey, live_world: World) -> None:
    _dash_page(journey, live_world)
    question = engine.load_shipped("dash").questions[0].text
    choice = _radio(journey, question, "Yes")
    expect(choice).to_have_count(1)
    choice.click()

    assert choice.get_attribute("type") == "radio"
    expect(choice).to_be_checked()
    item = choice.locator("xpath=..")
    label = item.locator("label")
    # What a person sees: GOV.UK Frontend hides the native input and draws the circle (::before) and the dot
    # (::after) on the label; the dot shows only on the chosen answer, and the circle is round.
    style = "(el, pseudo) => { const s = getComputedStyle(el, pseudo); return [s.opacity, s.borderRadius]; }"
    dot, _ = label.evaluate(style, "::after")
    _, ring = label.evaluate(style, "::before")
    assert dot == "1", "the chosen answer does not show as chosen"
    assert ring == "50%", f"the answer is drawn as a box (border-radius {ring}), not a radio"
    unchosen = _radio(journey, question, "No").locator("xpath=..").locator("label")
    assert unchosen.evaluate(style, "::after")[0] == "0"
    # The GOV.UK radios markup: the container, the item, the input and the label each carry the radios classes.
    assert choice.get_attribute("class") == "govuk-radios__input"
    assert "govuk-radios__item" in (item.get_attribute("class") or "")
    assert "govuk-radios" in (item.locator("xpath=..").get_attribute("class") or "").split()
    assert "govuk-radios__label" in (label.get_attribute("class") or "")
    journey.screenshot("a DASH answer chosen")


def test_finding_2_a_blank_dash_is_refused(journey: Journey, live_world: World) -> None:
    reference = _dash_page(journey, live_world)
    journey.submit("Save the assessment")

    summary = journey.page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    questions = engine.load_shipped("dash").questions
    expect(summary.get_by_role("link")).to_have_count(len(questions))
    first = summary.get_by_role("link").first
    expect(first).to_have_text(f"Select yes, no or not known for “{questions[0].text}”")
    # The summary's link takes the person to the first answer of the question.
    first.click()
    expect(_radio(journey, questions[0].text, "Yes")).to_be_focused()
    expect(journey.page.get_by_role("heading", level=1)).to_have_text("SafeLives Dash risk checklist")
    assert journey.path == f"/cases/{reference}/assessments/dash/"
    assert not CompletedAssessment.objects.exists()


def test_it_completes_a_dash_on_a_domestic_abuse_case(journey: Journey, live_world: World) -> None:
    """A case officer finds the case in the list, opens it (with a justification: domestic abuse), completes a
    DASH with fifteen "yes" answers and sees the case at high risk, to be referred to MARAC."""
    case = _da_case(live_world)
    journey.sign_in(live_world["police_officer"])
    journey.follow(journey.page.get_by_role("navigation", name="Menu").get_by_role("link", name="Cases"))
    journey.follow(journey.page.get_by_role("link", name=str(case.reference)))
    journey.justify()
    expect(journey.page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    journey.follow(journey.page.get_by_role("link", name="Complete a DASH risk checklist").first)

    questions = engine.load_shipped("dash").questions
    answers = ["Yes"] * 15 + ["No"] * 6 + ["Not known"] * 3
    for question, answer in zip(questions, answers, strict=True):
        _radio(journey, question.text, answer).check()
    for question, answer in zip(questions, answers, strict=True):
        expect(_radio(journey, question.text, answer)).to_be_checked()
    journey.screenshot("a DASH with answers selected")
    journey.submit("Save the assessment")

    assert journey.path == f"/cases/{case.reference}/"
    expect(journey.page.locator(".govuk-notification-banner--success")).to_contain_text(
        "SafeLives Dash risk checklist: high"
    )
    expect(journey.page.get_by_text("Refer to MARAC", exact=False).first).to_be_visible()
    done = CompletedAssessment.objects.get()
    assert (done.yes_count, done.final_level) == (15, "high")
    assert sorted(set(done.answers.values())) == ["no", "not_known", "yes"]
