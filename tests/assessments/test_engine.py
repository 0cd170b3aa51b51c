from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from csphub.assessments.engine import (
    DEFINITIONS_DIR,
    AnswerError,
    QuestionSet,
    QuestionSetError,
    load,
    load_shipped,
    score,
    shipped,
)


@pytest.fixture(scope="module")
def dash() -> QuestionSet:
    return load_shipped("dash")


def yes_to(question_set: QuestionSet, count: int, rest: str = "no") -> dict[str, str]:
    ids = [q.id for q in question_set.questions]
    return {qid: "yes" if i < count else rest for i, qid in enumerate(ids)}


def small(**changes: Any) -> dict[str, Any]:
    """A valid weighted definition to break in tests."""
    data: dict[str, Any] = {
        "key": "test_matrix",
        "version": "1",
        "title": "Test matrix",
        "source": "tests",
        "scoring": "weighted",
        "answers": [
            {"value": "yes", "label": "Yes", "score": 2},
            {"value": "partly", "label": "Partly", "score": 1},
            {"value": "no", "label": "No", "score": 0},
        ],
        "sections": [
            {
                "title": "Only",
                "questions": [
                    {"id": "a", "text": "A?", "weight": 3},
                    {"id": "b", "text": "B?", "weight": 1},
                    {"id": "c", "text": "C?", "weight": 1, "raises_to": "high"},
                ],
            }
        ],
        "thresholds": [{"level": "high", "min": 6}, {"level": "medium", "min": 3}, {"level": "standard", "min": 0}],
    }
    data.update(changes)
    return data


# --- Shipped definitions ----------------------------------------------------------------------------------------------


def test_it_loads_every_shipped_definition() -> None:
    sets = shipped()
    assert set(sets) == {"dash", "asb_victim_risk", "cuckooing"}
    assert {p.stem for p in DEFINITIONS_DIR.glob("*.json")} == set(sets)
    for question_set in sets.values():
        assert question_set.version
        assert question_set.source
        assert len(question_set.digest) == 64


def test_the_dash_has_24_yes_no_not_known_questions_crediting_safelives(dash: QuestionSet) -> None:
    assert [q.id for q in dash.questions] == [f"q{n}" for n in range(1, 25)]
    assert [a.value for a in dash.answers] == ["yes", "no", "not_known"]
    assert "SafeLives" in dash.source
    assert dash.question("q1").text == "Has the current incident resulted in injury?"


def test_the_local_matrices_cover_what_the_partnership_asked_for() -> None:
    asb = load_shipped("asb_victim_risk")
    assert asb.scoring == "weighted" and len(asb.questions) == 15
    assert asb.question("a14").raises_to == "high"
    cuckooing = load_shipped("cuckooing")
    assert [s.title for s in cuckooing.sections] == [
        "The resident (victim indicators)",
        "The property (signs of cuckooing)",
    ]


# --- DASH boundaries ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("yes", "level"), [(0, "standard"), (9, "standard"), (10, "medium"), (13, "medium"), (14, "high"), (24, "high")]
)
def test_it_levels_the_dash_by_count_of_yes(dash: QuestionSet, yes: int, level: str) -> None:
    result = score(dash, yes_to(dash, yes))
    assert result.total == result.yes_count == yes
    assert result.level == level


def test_it_explains_a_dash_of_13_and_of_14(dash: QuestionSet) -> None:
    thirteen = score(dash, yes_to(dash, 13))
    assert thirteen.reasons[:2] == (
        'SafeLives Dash risk checklist (version 2026-1): 13 of 24 questions answered "yes".',
        "13 is below 14 (high risk), so the level is medium risk.",
    )
    fourteen = score(dash, yes_to(dash, 14))
    assert fourteen.reasons[1] == "14 reaches 14, the threshold for high risk."


def test_it_does_not_count_not_known_as_yes(dash: QuestionSet) -> None:
    result = score(dash, yes_to(dash, 13, rest="not_known"))
    assert result.level == "medium"
    assert result.unanswered == ()


def test_it_lists_unanswered_questions_and_counts_them_as_not_yes(dash: QuestionSet) -> None:
    answers = yes_to(dash, 14)
    del answers["q24"]
    answers["q23"] = ""
    answers["q1"] = "no"
    result = score(dash, answers)
    assert result.unanswered == ("q23", "q24")
    assert result.answered == 22
    assert result.yes_count == 13
    assert result.level == "medium"
    assert '2 of 24 questions not answered (q23, q24): they count as not "yes"' in result.reasons[-1]


def test_it_carries_the_version_and_digest_on_the_result(dash: QuestionSet) -> None:
    result = score(dash, {})
    assert (result.key, result.version, result.digest) == ("dash", "2026-1", dash.digest)
    assert result.unanswered == tuple(f"q{n}" for n in range(1, 25))


def test_it_rejects_unknown_questions_and_answers_together(dash: QuestionSet) -> None:
    with pytest.raises(AnswerError) as error:
        score(dash, {"q25": "yes", "q1": "maybe", "q2": "yes"})
    assert error.value.problems == (
        "unknown question 'q25' in dash version 2026-1",
        "question q1: unknown answer 'maybe' (use no, not_known, yes)",
    )


# --- Weighted scoring and raises_to ---------------------------------------------------------------------------------


def test_it_scores_weight_times_answer_score() -> None:
    matrix = load(small())
    result = score(matrix, {"a": "partly", "b": "yes"})
    assert result.total == 3 * 1 + 1 * 2
    assert result.max_total == 10
    assert result.level == "medium"
    assert result.yes_count == 1
    assert result.unanswered == ("c",)
    assert "they score nothing" in result.reasons[-1]


def test_it_raises_the_level_when_a_raising_question_counts() -> None:
    matrix = load(small())
    result = score(matrix, {"c": "partly"})
    assert result.total == 1
    assert result.level == "high"
    assert result.raised_by == ("c",)
    assert 'Question c ("C?") was answered "Partly": the level is at least high risk.' in result.reasons
    assert score(matrix, {"c": "no"}).level == "standard"


def test_it_raises_the_asb_matrix_to_high_on_thoughts_of_self_harm() -> None:
    asb = load_shipped("asb_victim_risk")
    assert score(asb, {"a14": "yes"}).level == "high"
    assert score(asb, {"a4": "yes"}).level == "medium"
    assert score(asb, {"a4": "yes", "a13": "yes", "a14": "no"}).level == "medium"
    everything = score(asb, {q.id: "yes" for q in asb.questions})
    assert (everything.total, everything.level) == (29, "high")


def test_it_levels_the_cuckooing_checklist_by_weighted_indicators() -> None:
    cuckooing = load_shipped("cuckooing")
    assert score(cuckooing, {"v3": "yes", "v4": "yes", "p1": "yes", "p5": "yes", "p2": "yes"}).level == "medium"
    assert score(cuckooing, {"v3": "yes", "v4": "yes", "p1": "yes", "p5": "yes", "p2": "yes", "p3": "yes"}).level == (
        "high"
    )
    assert score(cuckooing, {"v8": "yes"}).level == "high"


# --- Configuration, not code ----------------------------------------------------------------------------------------


def test_a_changed_threshold_in_data_changes_the_level_without_code_changes(dash: QuestionSet) -> None:
    data = copy.deepcopy(dict(dash.data))
    data["version"] = "2026-2-local"
    data["thresholds"][0]["min"] = 12
    local = load(data)
    result = score(local, yes_to(local, 12))
    assert result.level == "high"
    assert result.version == "2026-2-local"
    assert local.digest != dash.digest
    assert score(dash, yes_to(dash, 12)).level == "medium"


def test_it_loads_a_definition_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "matrix.json"
    path.write_text(json.dumps(small()), encoding="utf-8")
    assert load(path).key == "test_matrix"
    assert load(str(path)).version == "1"


def test_it_reports_every_problem_of_a_broken_definition_at_once() -> None:
    broken = small(
        scoring="sum",
        version="",
        treshold=[],
        sections=[
            {"title": "One", "questions": [{"id": "a", "text": "A?", "weight": 1}, {"id": "b", "text": ""}]},
            {"title": "Two", "questions": [{"id": "a", "text": "A again?", "weight": -1, "raises_to": "severe"}]},
        ],
        thresholds=[{"level": "medium", "min": 3}, {"level": "high", "min": 6}, {"level": "standard", "min": 1}],
    )
    del broken["source"]
    with pytest.raises(QuestionSetError) as error:
        load(broken)
    assert error.value.problems == (
        "question set: missing field 'source'",
        "question set: unknown field 'treshold' (known fields: key, version, title, source, scoring, answers, "
        "sections, thresholds, description)",
        "question set: 'version' must be non-empty text such as \"2026-1\", not ''",
        "question set: unknown scoring 'sum' (use count_yes or weighted)",
        "thresholds: must be listed from the highest 'min' down with no two the same: 'high' (min 6) comes after "
        "'medium' (min 3)",
        "thresholds: the lowest must have min 0 so every total gets a level ('standard' has min 1)",
        "section 1 ('One') question 2 (b): 'text' must be non-empty text",
        "section 2 ('Two') question 1 (a): the id 'a' is already used in section 1 ('One') question 1",
        "section 2 ('Two') question 1 (a): 'weight' must be a whole number of 0 or more, not -1",
        "section 2 ('Two') question 1 (a): 'raises_to' must name a threshold level (high, medium, standard), not "
        "'severe'",
    )
    assert str(error.value).startswith("test_matrix: 10 problem(s) in the question set:")


def test_it_refuses_overlapping_and_unreachable_thresholds() -> None:
    with pytest.raises(QuestionSetError) as error:
        load(
            small(thresholds=[{"level": "high", "min": 11}, {"level": "medium", "min": 11}, {"level": "low", "min": 0}])
        )
    assert error.value.problems == (
        "thresholds: must be listed from the highest 'min' down with no two the same: 'medium' (min 11) comes after "
        "'high' (min 11)",
        "threshold 'high': needs 11 but the most this question set can score is 10, so it can never be reached",
        "threshold 'medium': needs 11 but the most this question set can score is 10, so it can never be reached",
    )


def test_it_keeps_count_yes_data_honest(dash: QuestionSet) -> None:
    data = copy.deepcopy(dict(dash.data))
    data["answers"][2]["score"] = 1
    data["sections"][0]["questions"][0]["weight"] = 2
    data["answers"] = [a for a in data["answers"] if a["value"] != "yes"] + [{"value": "Y", "label": "Yes"}]
    with pytest.raises(QuestionSetError) as error:
        load(data)
    problems = error.value.problems
    assert (
        "answer 2 ('not_known'): count_yes scoring counts 'yes' answers, so its score must be 0, not 1" in (problems[0])
    )
    assert "answers: count_yes scoring needs an answer with value 'yes'" in problems
    assert any("a weight of 2 would be ignored" in p for p in problems)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("missing.json", "cannot read the file"),
        ("not-json", "not valid JSON"),
        ("list", "the definition must be a JSON object"),
    ],
)
def test_it_reports_files_it_cannot_use(tmp_path: Path, source: str, message: str) -> None:
    path = tmp_path / "definition.json"
    if source == "not-json":
        path.write_text("{ nope", encoding="utf-8")
    elif source == "list":
        path.write_text("[]", encoding="utf-8")
    else:
        path = tmp_path / source
    with pytest.raises(QuestionSetError, match=message):
        load(path)


def test_the_engine_and_rules_import_without_django() -> None:
    code = (
        "import sys; import csphub.assessments.engine, csphub.rules.case_review, csphub.rules.marac, "
        "csphub.rules.asb_powers; print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert done.stdout.strip() == "[]"
