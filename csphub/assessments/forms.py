"""A form built from a question set version: one set of radios per question, in its sections.

Every question must be answered: a set offers its own answer for "not known" (DASH: yes, no, not known), so a
blank question is a question not asked, and counting it as "no" would understate the risk (issue 19, finding 2)."""

from __future__ import annotations

from typing import Any

from django import forms

from csphub.assessments import engine
from csphub.assessments.services import spoken_list
from csphub.registers.models import Person
from csphub.rules.marac import RiskLevel
from csphub.ui.forms import GovukForm


class AssessmentForm(GovukForm):
    person = forms.ChoiceField(label="Who is assessed", required=False, choices=[])
    judgement = forms.ChoiceField(
        label="Professional judgement",
        required=False,
        choices=[("", "Agree with the checklist's level"), *[(r.value, r.label.capitalize()) for r in RiskLevel]],
        help_text="It may raise the level, never lower it",
    )
    judgement_reason = forms.CharField(
        label="Why your judgement raises the level", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, question_set: engine.QuestionSet, people: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.question_set = question_set
        person = self.fields["person"]
        assert isinstance(person, forms.ChoiceField)
        person.choices = [("", "Not recorded"), *[(str(p.uuid), str(p)) for p in people]]
        choices = [(a.value, a.label) for a in question_set.answers]
        offered = spoken_list([a.label.lower() for a in question_set.answers])
        self.sections: list[tuple[str, list[str]]] = []
        for section in question_set.sections:
            names = []
            for question in section.questions:
                name = f"q_{question.id}"
                self.fields[name] = forms.ChoiceField(
                    label=question.text,
                    choices=choices,
                    required=True,
                    widget=forms.RadioSelect,
                    help_text=question.help or "",
                    error_messages={"required": f"Select {offered} for “{question.text}”"},
                )
                names.append(name)
            self.sections.append((section.title, names))
        self._style(errors=False)

    def answers(self) -> dict[str, str | None]:
        """Question id → the answer chosen (every question has one once the form is valid)."""
        return {q.id: self.cleaned_data.get(f"q_{q.id}") or None for q in self.question_set.questions}

    def section_fields(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in self.sections]
