"""Risk assessments as versioned configuration data, and the engine that scores them. No Django.

A question set is a JSON document a partnership can change without a release. Every completed assessment records
the set's ``key`` and ``version`` (and ``digest``, a hash of the exact content), so a result can always be traced to
the questions, weights and thresholds it was scored with. Shipped defaults live in ``definitions/*.json``.

Schema (every field is checked by ``load``; all problems are reported together)::

    {
      "key": "dash",                      # required; lower-case letters, digits, "_" or "-"
      "version": "2026-1",                # required; text; change it whenever anything below changes
      "title": "SafeLives Dash risk checklist",        # required
      "source": "SafeLives, safelives.org.uk …",       # required; who the questions come from / credit
      "description": "…",                 # optional
      "scoring": "count_yes",             # required; "count_yes" or "weighted"
      "answers": [                        # required; the answers every question offers, in display order
        {"value": "yes", "label": "Yes", "score": 1},
        {"value": "no", "label": "No", "score": 0},
        {"value": "not_known", "label": "Not known", "score": 0}
      ],
      "sections": [                       # required; at least one, each with at least one question
        {"title": "The current situation", "description": "…",        # description optional
         "questions": [
           {"id": "q1", "text": "Has the current incident resulted in injury?",
            "help": "…",                  # optional guidance for the person asking
            "weight": 1,                  # weighted: required, whole number >= 0; count_yes: omit or 1
            "raises_to": "high"}          # optional: this answer makes the level at least this one
         ]}
      ],
      "thresholds": [                     # required; highest first, "min" strictly descending, the last 0
        {"level": "high", "min": 14, "label": "High risk"},            # label optional
        {"level": "medium", "min": 10},
        {"level": "standard", "min": 0}
      ]
    }

Scoring:

- ``count_yes``: the total is the number of questions answered ``"yes"`` (an answer with value "yes" is required;
  scores, if given, must be 1 for "yes" and 0 for the rest, and weights 1, so the data cannot claim otherwise).
- ``weighted``: the total is the sum over answered questions of ``weight × score of the answer given``.
- The level is the first threshold (from the top) whose ``min`` the total reaches. A question with ``raises_to``
  makes the level at least that one when it is answered "yes" (count_yes) or with an answer scoring above 0
  (weighted), whatever the total.
- Unanswered questions are listed in the result and score nothing (for DASH: they count as not "yes").
- Answers to unknown question ids, or answer values the set does not offer, are errors (``AnswerError``).
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
import logging
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

DEFINITIONS_DIR = Path(__file__).resolve().parent / "definitions"

COUNT_YES = "count_yes"
WEIGHTED = "weighted"
SCORING = (COUNT_YES, WEIGHTED)
YES = "yes"

_KEY = re.compile(r"^[a-z][a-z0-9_-]*$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_TOP_REQUIRED = ("key", "version", "title", "source", "scoring", "answers", "sections", "thresholds")
_TOP_OPTIONAL = ("description",)
_ANSWER_FIELDS = ("value", "label", "score")
_SECTION_FIELDS = ("title", "description", "questions")
_QUESTION_FIELDS = ("id", "text", "help", "weight", "raises_to")
_THRESHOLD_FIELDS = ("level", "min", "label")


class QuestionSetError(ValueError):
    """A definition is not valid. ``problems`` lists every problem found, not just the first."""

    def __init__(self, problems: list[str] | tuple[str, ...], name: str = "") -> None:
        self.problems = tuple(problems)
        where = f"{name}: " if name else ""
        super().__init__(
            f"{where}{len(self.problems)} problem(s) in the question set:\n- " + "\n- ".join(self.problems)
        )


class AnswerError(ValueError):
    """Answers that do not fit the question set. ``problems`` lists each one."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True)
class AnswerOption:
    value: str
    label: str
    score: int


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    section: str
    weight: int = 1
    help: str = ""
    raises_to: str | None = None


@dataclass(frozen=True)
class Section:
    title: str
    questions: tuple[Question, ...]
    description: str = ""


@dataclass(frozen=True)
class Threshold:
    level: str
    min: int
    label: str


@dataclass(frozen=True)
class QuestionSet:
    key: str
    version: str
    title: str
    source: str
    scoring: str
    answers: tuple[AnswerOption, ...]
    sections: tuple[Section, ...]
    #: highest first
    thresholds: tuple[Threshold, ...]
    description: str = ""
    #: SHA-256 of the definition's canonical JSON: record it with the version to pin the exact content
    digest: str = ""
    #: the validated definition as data (a copy), e.g. to store alongside completed assessments
    data: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for s in self.sections for q in s.questions)

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)

    def answer(self, value: str) -> AnswerOption:
        for a in self.answers:
            if a.value == value:
                return a
        raise KeyError(value)

    @property
    def levels(self) -> tuple[str, ...]:
        """Level names, highest first."""
        return tuple(t.level for t in self.thresholds)

    @property
    def max_total(self) -> int:
        return _max_total(self.scoring, self.questions, self.answers)


@dataclass(frozen=True)
class AssessmentResult:
    key: str
    version: str
    digest: str
    total: int
    max_total: int
    level: str
    level_label: str
    yes_count: int
    answered: int
    #: question ids with no answer, in question order
    unanswered: tuple[str, ...]
    #: question ids whose answer raised the level above what the total gives
    raised_by: tuple[str, ...]
    reasons: tuple[str, ...]


def _max_total(scoring: str, questions: Sequence[Question], answers: Sequence[AnswerOption]) -> int:
    """The highest total a completed assessment can reach."""
    if scoring == COUNT_YES:
        return len(questions)
    return sum(q.weight for q in questions) * max((a.score for a in answers), default=0)


# --- loading ------------------------------------------------------------------------------------------------------


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


class _Checker:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def add(self, message: str) -> None:
        self.problems.append(message)

    def fields(self, where: str, obj: Mapping[str, Any], required: tuple[str, ...], known: tuple[str, ...]) -> None:
        for name in required:
            if name not in obj:
                self.add(f"{where}: missing field {name!r}")
        for name in obj:
            if name not in known:
                self.add(f"{where}: unknown field {name!r} (known fields: {', '.join(known)})")

    def text(self, where: str, obj: Mapping[str, Any], name: str, required: bool = True) -> str:
        value = obj.get(name)
        if value is None:
            return ""  # a missing required field is reported by fields()
        if not isinstance(value, str) or (required and not value.strip()):
            self.add(f"{where}: {name!r} must be {'non-empty ' if required else ''}text")
            return ""
        return value.strip()


def _answers(check: _Checker, raw: object, scoring: str) -> list[AnswerOption]:
    if not isinstance(raw, list) or not raw:
        if raw is not None:
            check.add("answers: must be a non-empty list")
        return []
    options: list[AnswerOption] = []
    seen: set[str] = set()
    for i, item in enumerate(raw, start=1):
        where = f"answer {i}"
        if not isinstance(item, dict):
            check.add(f"{where}: must be an object")
            continue
        required = _ANSWER_FIELDS if scoring == WEIGHTED else ("value", "label")
        check.fields(where, item, required, _ANSWER_FIELDS)
        value = check.text(where, item, "value")
        label = check.text(where, item, "label")
        if value:
            where = f"answer {i} ({value!r})"
            if value in seen:
                check.add(f"{where}: the value {value!r} is used twice")
            seen.add(value)
        score = item.get("score")
        expected = None if scoring != COUNT_YES else (1 if value == YES else 0)
        if score is not None and not (_is_int(score) and score >= 0):
            check.add(f"{where}: 'score' must be a whole number of 0 or more, not {score!r}")
            score = 0
        elif expected is not None and score is not None and score != expected:
            check.add(
                f"{where}: count_yes scoring counts 'yes' answers, so its score must be {expected}, not {score} "
                "(use weighted scoring for other scores)"
            )
        options.append(AnswerOption(value, label, int(score if score is not None else (expected or 0))))
    if scoring == COUNT_YES and raw and YES not in seen:
        check.add("answers: count_yes scoring needs an answer with value 'yes'")
    return options


def _thresholds(check: _Checker, raw: object) -> list[Threshold]:
    if not isinstance(raw, list) or not raw:
        if raw is not None:
            check.add("thresholds: must be a non-empty list")
        return []
    result: list[Threshold] = []
    levels: set[str] = set()
    for i, item in enumerate(raw, start=1):
        where = f"threshold {i}"
        if not isinstance(item, dict):
            check.add(f"{where}: must be an object")
            continue
        check.fields(where, item, ("level", "min"), _THRESHOLD_FIELDS)
        level = check.text(where, item, "level")
        if level:
            where = f"threshold {i} ({level!r})"
            if not _KEY.match(level):
                check.add(f"{where}: 'level' must be lower-case letters, digits, '_' or '-'")
            if level in levels:
                check.add(f"{where}: the level {level!r} is listed twice")
            levels.add(level)
        minimum = item.get("min")
        label = check.text(where, item, "label", required=False) or (f"{level} risk" if level else "")
        if isinstance(minimum, int) and not isinstance(minimum, bool) and minimum >= 0:
            if level:
                result.append(Threshold(level, minimum, label))
        elif "min" in item:
            check.add(f"{where}: 'min' must be a whole number of 0 or more, not {minimum!r}")
    for higher, lower in itertools.pairwise(result):
        if lower.min >= higher.min:
            check.add(
                f"thresholds: must be listed from the highest 'min' down with no two the same: {lower.level!r} "
                f"(min {lower.min}) comes after {higher.level!r} (min {higher.min})"
            )
    if result and len(result) == len(raw) and result[-1].min != 0:
        check.add(
            f"thresholds: the lowest must have min 0 so every total gets a level ({result[-1].level!r} has "
            f"min {result[-1].min})"
        )
    return result


def _sections(check: _Checker, raw: object, scoring: str, levels: set[str]) -> list[Section]:
    if not isinstance(raw, list) or not raw:
        if raw is not None:
            check.add("sections: must be a non-empty list")
        return []
    sections: list[Section] = []
    first_seen: dict[str, str] = {}
    for s, item in enumerate(raw, start=1):
        where = f"section {s}"
        if not isinstance(item, dict):
            check.add(f"{where}: must be an object")
            continue
        check.fields(where, item, ("title", "questions"), _SECTION_FIELDS)
        title = check.text(where, item, "title")
        if title:
            where = f"section {s} ({title!r})"
        description = check.text(where, item, "description", required=False)
        raw_questions = item.get("questions")
        if "questions" in item and (not isinstance(raw_questions, list) or not raw_questions):
            check.add(f"{where}: 'questions' must be a non-empty list")
            raw_questions = []
        questions: list[Question] = []
        for n, q in enumerate(raw_questions or [], start=1):
            qwhere = f"{where} question {n}"
            if not isinstance(q, dict):
                check.add(f"{qwhere}: must be an object")
                continue
            required = ("id", "text", "weight") if scoring == WEIGHTED else ("id", "text")
            check.fields(qwhere, q, required, _QUESTION_FIELDS)
            qid = check.text(qwhere, q, "id")
            if qid:
                qwhere = f"{where} question {n} ({qid})"
                if not _ID.match(qid):
                    check.add(f"{qwhere}: 'id' may only use letters, digits, '_', '.' or '-'")
                if qid in first_seen:
                    check.add(f"{qwhere}: the id {qid!r} is already used in {first_seen[qid]}")
                else:
                    first_seen[qid] = f"{where} question {n}"
            text = check.text(qwhere, q, "text")
            help_text = check.text(qwhere, q, "help", required=False)
            weight = q.get("weight", 1)
            if not (_is_int(weight) and weight >= 0):
                check.add(f"{qwhere}: 'weight' must be a whole number of 0 or more, not {weight!r}")
                weight = 0
            elif scoring == COUNT_YES and weight != 1:
                check.add(
                    f"{qwhere}: count_yes scoring counts each 'yes' once, so a weight of {weight} would be ignored; "
                    "remove it or use weighted scoring"
                )
            raises_to = q.get("raises_to")
            if raises_to is not None and (not isinstance(raises_to, str) or raises_to not in levels):
                known = ", ".join(sorted(levels)) or "none"
                check.add(f"{qwhere}: 'raises_to' must name a threshold level ({known}), not {raises_to!r}")
                raises_to = None
            questions.append(Question(qid, text, title, int(weight), help_text, raises_to))
        sections.append(Section(title, tuple(questions), description))
    return sections


def _read(source: str | os.PathLike[str] | Mapping[str, Any]) -> tuple[object, str]:
    if isinstance(source, Mapping):
        return copy.deepcopy(dict(source)), str(source.get("key", "")) if isinstance(source.get("key"), str) else ""
    path = Path(source)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise QuestionSetError([f"cannot read the file: {exc.strerror or exc}"], str(path)) from exc
    try:
        return json.loads(text), str(path)
    except json.JSONDecodeError as exc:
        raise QuestionSetError(
            [f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"], str(path)
        ) from exc


def load(source: str | os.PathLike[str] | Mapping[str, Any]) -> QuestionSet:
    """Validate a definition (a path to a JSON file, or the data itself) and build the question set.

    Raises ``QuestionSetError`` listing every problem found.
    """
    raw, name = _read(source)
    check = _Checker()
    if not isinstance(raw, dict):
        raise QuestionSetError(["the definition must be a JSON object"], name)
    check.fields("question set", raw, _TOP_REQUIRED, _TOP_REQUIRED + _TOP_OPTIONAL)
    key = check.text("question set", raw, "key")
    if key and not _KEY.match(key):
        check.add(f"question set: 'key' must be lower-case letters, digits, '_' or '-', not {key!r}")
    version = raw.get("version")
    if version is not None and not _text(version):
        check.add(f"question set: 'version' must be non-empty text such as \"2026-1\", not {version!r}")
    title = check.text("question set", raw, "title")
    source_text = check.text("question set", raw, "source")
    description = check.text("question set", raw, "description", required=False)
    scoring = raw.get("scoring")
    if scoring is not None and scoring not in SCORING:
        check.add(f"question set: unknown scoring {scoring!r} (use {' or '.join(SCORING)})")
    mode = scoring if isinstance(scoring, str) and scoring in SCORING else ""  # "": unknown, check leniently
    answers = _answers(check, raw.get("answers"), mode)
    thresholds = _thresholds(check, raw.get("thresholds"))
    sections = _sections(check, raw.get("sections"), mode, {t.level for t in thresholds})
    questions = [q for s in sections for q in s.questions]
    if mode and questions and answers and thresholds:
        top = _max_total(mode, questions, answers)
        for t in thresholds:
            if t.min > top:
                check.add(
                    f"threshold {t.level!r}: needs {t.min} but the most this question set can score is {top}, "
                    "so it can never be reached"
                )
    if check.problems:
        raise QuestionSetError(check.problems, name or key)
    assert isinstance(version, str) and isinstance(scoring, str)
    canonical = json.dumps(raw, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    question_set = QuestionSet(
        key=key,
        version=version.strip(),
        title=title,
        source=source_text,
        scoring=scoring,
        answers=tuple(answers),
        sections=tuple(sections),
        thresholds=tuple(thresholds),
        description=description,
        digest=hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
        data=raw,
    )
    logger.debug("loaded question set %s version %s (%d questions)", key, version, len(questions))
    return question_set


def shipped() -> dict[str, QuestionSet]:
    """The default question sets shipped in ``definitions/``, by key."""
    sets = [load(path) for path in sorted(DEFINITIONS_DIR.glob("*.json"))]
    return {qs.key: qs for qs in sets}


def load_shipped(key: str) -> QuestionSet:
    return load(DEFINITIONS_DIR / f"{key}.json")


# --- scoring ------------------------------------------------------------------------------------------------------


def _counts(question_set: QuestionSet, answer: AnswerOption) -> bool:
    """Does this answer count towards the risk (for ``raises_to``)?"""
    return answer.value == YES if question_set.scoring == COUNT_YES else answer.score > 0


def score(question_set: QuestionSet, answers: Mapping[str, str | None]) -> AssessmentResult:
    """Score completed answers (question id → answer value; missing or empty means unanswered)."""
    ids = {q.id for q in question_set.questions}
    values = {a.value for a in question_set.answers}
    problems: list[str] = []
    for qid, value in answers.items():
        if qid not in ids:
            problems.append(f"unknown question {qid!r} in {question_set.key} version {question_set.version}")
        elif value not in (None, "") and value not in values:
            problems.append(f"question {qid}: unknown answer {value!r} (use {', '.join(sorted(values))})")
    if problems:
        raise AnswerError(problems)

    given = {q.id: question_set.answer(v) for q in question_set.questions if (v := answers.get(q.id))}
    unanswered = tuple(q.id for q in question_set.questions if q.id not in given)
    yes_count = sum(1 for a in given.values() if a.value == YES)
    if question_set.scoring == COUNT_YES:
        total = yes_count
    else:
        total = sum(q.weight * given[q.id].score for q in question_set.questions if q.id in given)
    rank = {t.level: i for i, t in enumerate(question_set.thresholds)}
    by_total = next(t for t in question_set.thresholds if total >= t.min)
    level = by_total

    name = f"{question_set.title} (version {question_set.version})"
    n = len(question_set.questions)
    if question_set.scoring == COUNT_YES:
        reasons = [f'{name}: {yes_count} of {n} questions answered "yes".']
    else:
        reasons = [f"{name}: a score of {total} out of a possible {question_set.max_total}."]
    index = question_set.thresholds.index(by_total)
    if index == 0:
        reasons.append(f"{total} reaches {by_total.min}, the threshold for {by_total.label}.")
    else:
        above = question_set.thresholds[index - 1]
        reasons.append(f"{total} is below {above.min} ({above.label}), so the level is {by_total.label}.")

    raised_by: list[str] = []
    for q in question_set.questions:
        answer = given.get(q.id)
        if q.raises_to is None or answer is None or not _counts(question_set, answer):
            continue
        target = question_set.thresholds[rank[q.raises_to]]
        if rank[target.level] < rank[level.level]:
            level = target
        if rank[target.level] < rank[by_total.level]:
            raised_by.append(q.id)
            reasons.append(
                f'Question {q.id} ("{q.text}") was answered "{answer.label}": the level is at least {target.label}.'
            )
    if unanswered:
        effect = 'they count as not "yes"' if question_set.scoring == COUNT_YES else "they score nothing"
        reasons.append(
            f"{len(unanswered)} of {n} questions not answered ({', '.join(unanswered)}): {effect}, so the level may "
            "understate the risk."
        )
    if level is not by_total:
        reasons.append(f"The level is {level.label}.")
    return AssessmentResult(
        key=question_set.key,
        version=question_set.version,
        digest=question_set.digest,
        total=total,
        max_total=question_set.max_total,
        level=level.level,
        level_label=level.label,
        yes_count=yes_count,
        answered=len(given),
        unanswered=unanswered,
        raised_by=tuple(raised_by),
        reasons=tuple(reasons),
    )
