"""Completing an assessment: every question answered, "not known" where nobody knows (issue 19, finding 2)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from csphub.assessments import engine
from csphub.assessments.models import CompletedAssessment
from csphub.assessments.services import complete
from tests.cases.factories import make_case
from tests.factories import World


def test_finding_2_a_blank_dash_is_refused(world: World) -> None:
    officer = world["police_officer"]
    case = make_case(officer, case_type="domestic_abuse")
    with pytest.raises(ValidationError, match=r"24 of 24 not answered") as refused:
        complete(case, officer, key="dash", answers={})
    assert "Yes, No or Not known" in refused.value.messages[0]
    questions = engine.load_shipped("dash").questions
    with pytest.raises(ValidationError, match=r"1 of 24 not answered \(q24\)"):
        complete(case, officer, key="dash", answers={q.id: "no" for q in questions[:-1]})
    assert not CompletedAssessment.objects.exists()


def test_it_records_not_known_as_an_answer(world: World) -> None:
    officer = world["police_officer"]
    case = make_case(officer, case_type="domestic_abuse")
    questions = engine.load_shipped("dash").questions
    answers = {q.id: ("yes" if n < 3 else "not_known") for n, q in enumerate(questions)}
    done = complete(case, officer, key="dash", answers=answers)
    assert (done.yes_count, done.level) == (3, "standard")
    assert done.answers == answers


def test_it_reports_an_unanswered_question_and_a_lowering_judgement_together(world: World) -> None:
    officer = world["police_officer"]
    case = make_case(officer, case_type="domestic_abuse")
    questions = engine.load_shipped("dash").questions
    with pytest.raises(ValidationError) as refused:
        complete(case, officer, key="dash", answers={q.id: "yes" for q in questions[:14]}, judgement="medium")
    assert set(refused.value.message_dict) == {"__all__", "judgement"}
