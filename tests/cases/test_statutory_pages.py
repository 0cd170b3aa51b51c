"""The calculators on a case: what the page shows, and recording applications, referrals, assessments and powers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from csphub.assessments import engine
from csphub.assessments.models import CompletedAssessment, QuestionSetVersion
from csphub.assessments.services import complete, load_version
from csphub.cases import services
from csphub.cases.models import Case, PowerRecord, TimelineEntry
from csphub.cases.statutory import case_review_panel, marac_panel, rules_for
from csphub.partnership.models import User
from csphub.registers.models import Person
from csphub.rules.settings import settings_from
from tests.cases.factories import make_case
from tests.factories import World, make_person, verified_client

TODAY = timezone.localdate


def _complaint(
    case: Case,
    officer: User,
    behaviour_days_ago: int,
    reported_days_later: int,
    who: Person | None = None,
    hate: bool = False,
) -> TimelineEntry:
    when = timezone.now() - dt.timedelta(days=behaviour_days_ago)
    return services.record_entry(
        case,
        officer,
        kind="incident",
        title="Noise",
        occurred_at=when,
        is_complaint=True,
        reported_on=timezone.localtime(when).date() + dt.timedelta(days=reported_days_later),
        complainant=who,
        is_hate_incident=hate,
    )


def test_three_qualifying_complaints_meet_the_case_review_threshold(world: World) -> None:
    officer = world["council_officer"]
    case = make_case(officer)
    _complaint(case, officer, 100, 2)
    _complaint(case, officer, 60, 1)
    late = _complaint(case, officer, 90, 40)  # reported more than a month after the behaviour
    panel = case_review_panel(case, rules_for(case), TODAY())
    assert panel is not None and not panel.met and panel.complaints_needed == 1
    assert any("does not qualify" in r for r in panel.reasons)
    _complaint(case, officer, 20, 0)
    panel = case_review_panel(case, rules_for(case), TODAY())
    assert panel is not None and panel.met and "threshold" in panel.triggered_by
    assert late.uuid  # kept, just not counted
    page = verified_client(officer).get(case.get_absolute_url()).content.decode()
    assert "The case review threshold is met today" in page


def test_the_partnership_can_switch_the_hate_incident_add_on_off(world: World) -> None:
    officer = world["council_officer"]
    case = make_case(officer, case_type="hate_incident", hate_strands=["race"])
    _complaint(case, officer, 10, 0, hate=True)
    assert case_review_panel(case, rules_for(case), TODAY()).met  # type: ignore[union-attr]
    partnership = world.agencies["council"].partnership
    partnership.rule_settings = {"case_review": {"hate_incident_threshold": None}}
    partnership.full_clean()
    partnership.save()
    case.refresh_from_db()
    assert not case_review_panel(case, rules_for(case), TODAY()).met  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="unknown settings"):
        settings_from({"case_review": {"threshold": 2}})
    with pytest.raises(ValueError):
        settings_from({"case_review": {"threshold_complaints": 4}})  # stricter than the Act: refused


def test_a_dash_records_its_version_and_judgement_may_raise_but_not_lower(world: World) -> None:
    officer = world["police_officer"]
    case = make_case(officer, case_type="domestic_abuse")
    victim = make_person(officer, given_name="Ada", family_name="Okoro")
    questions = engine.load_shipped("dash").questions
    answers = {q.id: ("yes" if n < 13 else "no") for n, q in enumerate(questions)}
    medium = complete(case, officer, key="dash", answers=answers, person=victim)
    assert (medium.yes_count, medium.level, medium.final_level) == (13, "medium", "medium")
    assert medium.question_set.version == engine.load_shipped("dash").version
    with pytest.raises(ValidationError, match="lower"):
        complete(case, officer, key="dash", answers={q.id: "yes" for q in questions[:14]}, judgement="medium")
    raised = complete(
        case,
        officer,
        key="dash",
        answers=answers,
        judgement="high",
        judgement_reason="Strangulation reported by the victim's sister",
    )
    assert raised.final_level == "high" and raised.judgement_level == "high"
    panel = marac_panel(case, rules_for(case), TODAY())
    assert panel is not None and panel.assessment is not None and panel.assessment.refer
    assert "professional_judgement" in panel.assessment.criteria_met


def test_a_new_version_changes_levels_and_old_assessments_keep_theirs(world: World) -> None:
    officer = world["police_officer"]
    case = make_case(officer, case_type="domestic_abuse")
    questions = engine.load_shipped("dash").questions
    answers = {q.id: ("yes" if n < 12 else "no") for n, q in enumerate(questions)}
    before = complete(case, officer, key="dash", answers=answers)
    data = dict(engine.load_shipped("dash").data)
    data["version"] = "local-2"
    data["thresholds"] = [{"level": "high", "min": 12}, {"level": "medium", "min": 8}, {"level": "standard", "min": 0}]
    load_version(data)
    after = complete(case, officer, key="dash", answers=answers)
    assert (before.level, after.level) == ("medium", "high")
    before.refresh_from_db()
    assert before.question_set.version != after.question_set.version == "local-2"
    assert QuestionSetVersion.objects.filter(key="dash", active=True).get().version == "local-2"
    assert CompletedAssessment.objects.count() == 2


def test_the_assessment_page_scores_and_saves(world: World) -> None:
    officer = world["police_officer"]
    case = make_case(officer)
    client = verified_client(officer)
    page = client.get(f"/cases/{case.reference}/assessments/cuckooing/")
    assert page.status_code == 200 and "cuckoo" in page.content.decode().lower()
    question_set = engine.load_shipped("cuckooing")
    data = {f"q_{q.id}": "yes" for q in question_set.questions}
    response = client.post(f"/cases/{case.reference}/assessments/cuckooing/", data)
    assert response.status_code == 302
    assert case.assessments.get().level == "high"
    assert client.get(f"/cases/{case.reference}/assessments/nonsense/").status_code == 404


def test_recording_a_cpn_for_a_fifteen_year_old_is_refused_with_the_reason(world: World) -> None:
    officer = world["council_officer"]
    case = make_case(officer)
    today = TODAY()
    young = make_person(
        officer, given_name="Kyle", family_name="Dunn", dob_year=today.year - 15, dob_month=1, dob_day=1
    )
    services.add_person(case, young, officer, role="perpetrator")
    warned = timezone.now() - dt.timedelta(days=30)
    services.record_power(
        case, officer, power="cpw", action="issued", on=warned, person=young, until=warned + dt.timedelta(days=14)
    )
    with pytest.raises(ValidationError) as refused:
        services.record_power(case, officer, power="cpn", action="issued", on=timezone.now(), person=young)
    assert "16" in " ".join(refused.value.messages)
    assert PowerRecord.objects.filter(case=case).count() == 1
    page = verified_client(officer).get(case.get_absolute_url()).content.decode()
    assert "ASB powers" in page and "Kyle" in page


def test_case_review_applications_feed_the_published_figures(world: World) -> None:
    officer, manager = world["council_officer"], world["council_manager"]
    case = make_case(officer)
    today = TODAY()
    application = services.apply_for_case_review(case, officer, received_on=today)
    services.decide_case_review(
        application,
        officer,
        threshold_met=True,
        decided_on=today,
        review_completed_on=today,
        recommendations=2,
        outcome="Mediation and CCTV",
    )
    services.apply_for_case_review(case, officer, received_on=today)
    year = today.year - (1 if today.month < 4 else 0)
    page = verified_client(manager).get("/cases/case-reviews/figures/", {"year": str(year)}).content.decode()
    assert 'Applications received</dt><dd class="govuk-summary-list__value">2' in page
    assert 'Reviews resulting in recommendations</dt><dd class="govuk-summary-list__value">1' in page
    with pytest.raises(ValidationError):
        services.decide_case_review(
            application, officer, threshold_met=False, decided_on=today, review_completed_on=today
        )
