"""Forms of the Pubwatch pages (GOV.UK form kit: dates in day, month and year boxes)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from csphub.pubwatch import photos
from csphub.pubwatch.models import AppealOutcome, BanCategory, BanReview, Premises, ToldHow
from csphub.ui.forms import GovukDateField, GovukForm


def _date(label: str, *, required: bool = True, help_text: str = "") -> GovukDateField:
    return GovukDateField(
        label=label, required=required, help_text=help_text, error_messages={"required": f"Enter the {label.lower()}"}
    )


def _text(label: str, *, required: bool = True, rows: int = 4, max_length: int = 4000, help_text: str = "") -> Any:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": f"Enter the {label.lower()}"},
    )


class PhotoField(forms.FileField):
    """A photo: JPG, PNG or WEBP by content, at most ``photos.PHOTO_MAX_BYTES``."""

    def clean(self, data: Any, initial: Any = None) -> Any:
        value = super().clean(data, initial)
        if isinstance(value, UploadedFile):
            problem = photos.problem(value)
            if problem:
                raise forms.ValidationError(problem)
        return value


class ProposeBanForm(GovukForm):
    name = forms.CharField(
        label="Name of the person to be excluded",
        max_length=200,
        help_text="The name members know them by",
        error_messages={"required": "Enter the name of the person to be excluded"},
    )
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=300,
        help_text="Only what staff need to recognise them, for example an age range and build",
    )
    person = forms.CharField(
        label="Register reference (optional)",
        required=False,
        max_length=40,
        help_text="If the person is on the partnership's register and you may see them, e.g. P-1B4E28BA",
    )
    category = forms.ChoiceField(label="What kind of behaviour", choices=BanCategory.choices, widget=forms.RadioSelect)
    incident_on = _date("Date of the incident")
    incident_at = forms.ChoiceField(label="Where it happened", required=False, choices=[])
    reasons = _text("What happened", help_text="The facts the licensees will decide on: no opinions or rumour")
    covers = forms.ChoiceField(
        label="Premises the ban would cover",
        choices=[("all", "All the scheme's premises"), ("some", "Only the premises chosen below")],
        widget=forms.RadioSelect,
        initial="all",
    )
    premises = forms.MultipleChoiceField(
        label="Premises covered", required=False, choices=[], widget=forms.CheckboxSelectMultiple
    )
    photo = PhotoField(
        label="Photo (optional)",
        required=False,
        help_text="A JPG, PNG or WEBP image, smaller than 5MB. Kept only while the ban lasts; never shown publicly.",
    )

    def __init__(self, *args: Any, premises: list[Premises], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(p.uuid), p.name) for p in premises]
        self.fields["incident_at"].choices = [("", "Choose the premises"), *choices]  # type: ignore[attr-defined]
        self.fields["premises"].choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("covers") == "some" and not data.get("premises"):
            self.add_error("premises", "Choose the premises the ban would cover")
        return data


class DecideForm(GovukForm):
    decided_on = _date("Date of the scheme meeting")
    decided_by = forms.MultipleChoiceField(
        label="Licensees who decided",
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose the licensees who decided"},
    )
    minutes = _text("Minutes of the decision", rows=6)
    starts_on = _date("Start date", help_text="The ban is in force only once the person has been told")
    months = forms.IntegerField(
        label="Length in months",
        min_value=1,
        error_messages={"required": "Enter the length in months", "invalid": "Length must be a whole number"},
    )
    review_on = _date("Review date", required=False, help_text="Leave empty for halfway, or six months at most")
    deadline_fields = frozenset({"starts_on", "review_on"})

    def __init__(self, *args: Any, licensees: list[Any], max_months: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decided_by"].choices = [(str(u.uuid), u.get_full_name()) for u in licensees]  # type: ignore[attr-defined]
        self.fields["months"].help_text = f"At most {max_months} (the scheme's maximum)"


class TellForm(GovukForm):
    told_on = _date("Date they were told")
    how = forms.ChoiceField(
        label="How they were told",
        choices=ToldHow.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how they were told"},
    )


class ReviewForm(GovukForm):
    reviewed_on = _date("Date of the review")
    outcome = forms.ChoiceField(
        label="What the licensees decided", choices=BanReview.Outcome.choices, widget=forms.RadioSelect
    )
    ends_on = _date("New end date", required=False, help_text="Only if the ban is shortened")
    next_review_on = _date("Next review", required=False)
    note = _text("Notes of the review", required=False, rows=3)
    deadline_fields = frozenset({"ends_on", "next_review_on"})


class AppealForm(GovukForm):
    lodged_on = _date("Date the appeal was received")
    grounds = _text("Grounds of the appeal")


class AppealDecisionForm(GovukForm):
    decided_on = _date("Date of the appeal hearing")
    outcome = forms.ChoiceField(label="Outcome", choices=AppealOutcome.choices, widget=forms.RadioSelect)
    ends_on = _date("New end date", required=False, help_text="Only if the ban is shortened")
    note = _text("Reasons for the outcome", rows=3)
    deadline_fields = frozenset({"ends_on"})


class PhotoForm(GovukForm):
    photo = PhotoField(
        label="Photo",
        help_text="A JPG, PNG or WEBP image, smaller than 5MB. Kept only while the ban lasts; never shown publicly.",
        error_messages={"required": "Choose a photo"},
    )
