"""Question sets held as versioned data in the database, and completed assessments that record their version."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from csphub.assessments import engine
from csphub.audit.registry import audited


@audited(label="question set", kind="configuration")
class QuestionSetVersion(models.Model):
    """One version of a question set (DASH, the ASB victim risk matrix, the cuckooing checklist…).

    New assessments use the active version of each key; completed ones keep the version they were scored with.
    A partnership changes questions, weights or thresholds by loading a new version — no release needed."""

    key = models.CharField(max_length=40)
    version = models.CharField(max_length=40)
    digest = models.CharField(max_length=64, editable=False)
    title = models.CharField(max_length=200, editable=False)
    definition = models.JSONField()
    active = models.BooleanField(default=True)
    loaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["key", "-loaded_at"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="unique_question_set_version"),
            models.UniqueConstraint(
                fields=["key"], condition=models.Q(active=True), name="one_active_version_per_question_set"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"

    def clean(self) -> None:
        try:
            question_set = engine.load(self.definition)
        except engine.QuestionSetError as exc:
            raise ValidationError({"definition": list(exc.problems)}) from exc
        self.key, self.version, self.digest = question_set.key, question_set.version, question_set.digest
        self.title = question_set.title

    def question_set(self) -> engine.QuestionSet:
        return engine.load(self.definition)


def _assessed_record(assessment: CompletedAssessment) -> models.Model:
    """The record an assessment is filed under in the log: its case, or the other governed record it is about."""
    record = assessment.case if assessment.case_id is not None else assessment.subject
    assert isinstance(record, models.Model)
    return record


@audited(label="risk assessment", record=_assessed_record, related=lambda a: a.person)
class CompletedAssessment(models.Model):
    """A question set answered and scored: in a case (DASH, the ASB matrix), or about another governed record (a
    cuckooing vulnerability record), named generically so that assessments know no app above them."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="assessments")
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    subject = GenericForeignKey("subject_type", "subject_id")
    person = models.ForeignKey(
        "registers.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="assessments"
    )
    question_set = models.ForeignKey(QuestionSetVersion, on_delete=models.PROTECT, related_name="completed")
    answers = models.JSONField()
    total = models.IntegerField()
    yes_count = models.IntegerField()
    level = models.CharField(max_length=20, help_text="The level the question set's thresholds give")
    judgement_level = models.CharField(max_length=20, blank=True, help_text="Raised by professional judgement")
    judgement_reason = models.TextField(blank=True)
    final_level = models.CharField(max_length=20)
    reasons = models.JSONField(default=list)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-completed_at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(case__isnull=False, subject_type__isnull=True, subject_id__isnull=True)
                    | models.Q(case__isnull=True, subject_type__isnull=False, subject_id__isnull=False)
                ),
                name="assessment_in_a_case_or_about_a_record",
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_set.title}: {self.final_level} ({self.completed_at:%d %b %Y})"

    def answer_rows(self) -> list[dict[str, Any]]:
        """Each question with the answer given, for display."""
        question_set = self.question_set.question_set()
        labels = {a.value: a.label for a in question_set.answers}
        return [
            {"id": q.id, "text": q.text, "answer": labels.get(self.answers.get(q.id) or "", "Not answered")}
            for section in question_set.sections
            for q in section.questions
        ]
