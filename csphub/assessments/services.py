"""Loading question set versions and completing assessments on a case."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction

from csphub.access.services import require
from csphub.access.vocabulary import Verb
from csphub.assessments import engine
from csphub.assessments.models import CompletedAssessment, QuestionSetVersion
from csphub.rules.marac import LoweringRefused, RiskLevel, apply_professional_judgement

if TYPE_CHECKING:
    from csphub.access.models import Governed
    from csphub.partnership.models import User
    from csphub.registers.models import Person


@transaction.atomic
def load_version(definition: Mapping[str, Any] | Path, *, activate: bool = True) -> tuple[QuestionSetVersion, bool]:
    """Store a question set version (validated by the engine); make it the active one. Safe to re-run."""
    data = json.loads(definition.read_text(encoding="utf-8")) if isinstance(definition, Path) else dict(definition)
    try:
        question_set = engine.load(data)
    except engine.QuestionSetError as exc:
        raise ValidationError(list(exc.problems)) from exc
    existing = QuestionSetVersion.objects.filter(key=question_set.key, version=question_set.version).first()
    if existing is not None:
        if existing.digest != question_set.digest:
            raise ValidationError(
                f"{question_set.key} version {question_set.version} is already loaded with different content: "
                "give the changed set a new version"
            )
        created = False
        version = existing
    else:
        version = QuestionSetVersion(
            definition=data,
            active=False,
            key=question_set.key,
            version=question_set.version,
            digest=question_set.digest,
            title=question_set.title,
        )
        version.full_clean()
        version.save()
        created = True
    if activate and not version.active:
        QuestionSetVersion.objects.filter(key=version.key, active=True).update(active=False)
        version.active = True
        version.save(update_fields=["active"])
    return version, created


def ensure_shipped() -> None:
    """Load the shipped definitions whose key has no version in the database yet."""
    for key, question_set in engine.shipped().items():
        if not QuestionSetVersion.objects.filter(key=key).exists():
            load_version(question_set.data)


def active_version(key: str) -> QuestionSetVersion:
    ensure_shipped()
    version = QuestionSetVersion.objects.filter(key=key, active=True).first()
    if version is None:
        raise ValidationError(f"No active version of the {key} question set")
    return version


def spoken_list(items: list[str]) -> str:
    """'Yes, No or Not known'."""
    return f"{', '.join(items[:-1])} or {items[-1]}" if len(items) > 1 else "".join(items)


def unanswered_message(question_set: engine.QuestionSet, unanswered: tuple[str, ...]) -> str:
    offered = spoken_list([a.label for a in question_set.answers])
    return (
        f"Answer every question of the {question_set.title}: {len(unanswered)} of {len(question_set.questions)} "
        f"not answered ({', '.join(unanswered)}). Each answer is one of {offered}."
    )


@transaction.atomic
def complete(
    case: Governed,  # a case (cases use assessments; assessments know no cases module)
    by: User,
    *,
    key: str,
    answers: Mapping[str, str | None],
    person: Person | None = None,
    judgement: str = "",
    judgement_reason: str = "",
) -> CompletedAssessment:
    """Score answers with the active version of the set and record the result with that version, in a case.

    Every question must be answered, with the set's own answer for "not known" where nobody knows: an unanswered
    question would score as not "yes" and a blank DASH would be saved as standard risk (issue 19, finding 2).
    Professional judgement may raise the level and never lower it (a lower judgement is refused)."""
    assessment = _scored(case, by, key, answers, person, judgement, judgement_reason)
    assessment.case_id = case.pk
    assessment.case = case  # type: ignore[assignment]  # the case object itself, for the log's record link
    assessment.save()
    return assessment


@transaction.atomic
def complete_about(
    record: Governed,
    by: User,
    *,
    key: str,
    answers: Mapping[str, str | None],
    person: Person | None = None,
    judgement: str = "",
    judgement_reason: str = "",
) -> CompletedAssessment:
    """As ``complete``, about a governed record that is not a case (a cuckooing vulnerability record): the same
    scoring, versions and rules, filed under that record."""
    assessment = _scored(record, by, key, answers, person, judgement, judgement_reason)
    assessment.subject = record
    assessment.save()
    return assessment


def about(record: Governed) -> models.QuerySet[CompletedAssessment]:
    """The assessments completed about a governed record that is not a case (``complete_about``), newest first."""
    return CompletedAssessment.objects.filter(
        subject_type=ContentType.objects.get_for_model(type(record)), subject_id=record.pk
    ).order_by("-completed_at", "-id")


def _scored(
    record: Governed,
    by: User,
    key: str,
    answers: Mapping[str, str | None],
    person: Person | None,
    judgement: str,
    judgement_reason: str,
) -> CompletedAssessment:
    require(by, Verb.CHANGE, record)
    version = active_version(key)
    question_set = version.question_set()
    try:
        result = engine.score(question_set, answers)
    except engine.AnswerError as exc:
        raise ValidationError(list(exc.problems)) from exc
    errors: dict[str, list[str]] = {}
    if result.unanswered:
        errors[NON_FIELD_ERRORS] = [unanswered_message(question_set, result.unanswered)]
    final = result.level
    reasons = list(result.reasons)
    if judgement:
        try:
            decision = apply_professional_judgement(RiskLevel(result.level), RiskLevel(judgement), judgement_reason)
        except LoweringRefused as exc:
            errors["judgement"] = [str(exc)]
        except ValueError as exc:
            errors["judgement_reason"] = [str(exc).split(": ", 1)[-1]]
        else:
            final = decision.level.value
            reasons.extend(decision.reasons)
    if errors:
        raise ValidationError(errors)
    return CompletedAssessment(
        person=person,
        question_set=version,
        answers={k: v for k, v in answers.items() if v},
        total=result.total,
        yes_count=result.yes_count,
        level=result.level,
        judgement_level=judgement if judgement and judgement != result.level else "",
        judgement_reason=judgement_reason.strip() if judgement and judgement != result.level else "",
        final_level=final,
        reasons=reasons,
        completed_by=by,
    )
