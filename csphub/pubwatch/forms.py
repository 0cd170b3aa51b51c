"""Forms of the Pubwatch pages (GOV.UK form kit: dates in day, month and year boxes)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from csphub.pubwatch import photos
from csphub.pubwatch.models import (
    MAX_BAN_MONTHS_LIMIT,
    AppealOutcome,
    BanCategory,
    BanReview,
    MemberRole,
    Membership,
    Premises,
    ToldHow,
)
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


# --- Running the scheme (its coordinator; a new scheme: a partnership manager)


class PremisesForm(GovukForm):
    name = forms.CharField(
        label="Name of the premises", max_length=200, error_messages={"required": "Enter the name of the premises"}
    )
    address = forms.CharField(label="Address", required=False, max_length=300)
    place = forms.CharField(
        label="Register reference (optional)",
        required=False,
        max_length=40,
        help_text="If the premises is a place on the partnership's register that you may see",
    )


class RemovePremisesForm(GovukForm):
    premises = forms.ChoiceField(
        label="Which premises leaves the scheme?",
        choices=[],
        widget=forms.RadioSelect,
        help_text="Its licensees leave the scheme too. Bans that name it keep its name.",
        error_messages={"required": "Choose the premises that leaves the scheme"},
    )

    def __init__(self, *args: Any, premises: list[Premises], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["premises"].choices = [(str(p.uuid), p.name) for p in premises]  # type: ignore[attr-defined]


class MemberForm(GovukForm):
    role = forms.ChoiceField(
        label="Role in the scheme",
        choices=MemberRole.choices,
        widget=forms.RadioSelect,
        help_text="A police officer joins as an adviser only: advisers read the register, the licensees decide",
        error_messages={"required": "Choose the member's role"},
    )
    user = forms.ChoiceField(label="Who", choices=[], error_messages={"required": "Choose who joins the scheme"})
    premises = forms.ChoiceField(
        label="Their premises", required=False, choices=[], help_text="For a licensee: the premises they hold"
    )

    def __init__(self, *args: Any, users: list[Any], premises: list[Premises], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [  # type: ignore[attr-defined]
            ("", "Choose a person"),
            *((str(u.uuid), f"{u.get_full_name()}, {u.agency.name}") for u in users),
        ]
        self.fields["premises"].choices = [  # type: ignore[attr-defined]
            ("", "None (not a licensee)"),
            *((str(p.uuid), p.name) for p in premises),
        ]


class RemoveMemberForm(GovukForm):
    member = forms.ChoiceField(
        label="Who leaves the scheme?",
        choices=[],
        widget=forms.RadioSelect,
        help_text="They no longer see the register. The record of what they decided is kept.",
        error_messages={"required": "Choose who leaves the scheme"},
    )

    def __init__(self, *args: Any, members: list[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [  # type: ignore[attr-defined]
            (str(m.user.uuid), f"{m.user.get_full_name()}, {m.get_role_display().lower()}") for m in members
        ]


def _months_field(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=MAX_BAN_MONTHS_LIMIT,
        help_text=f"In months, from 1 to {MAX_BAN_MONTHS_LIMIT}",
        error_messages={
            "required": "Enter the longest ban in months",
            "invalid": "The longest ban must be a whole number of months",
            "min_value": "The longest ban must be at least 1 month",
            "max_value": f"The longest ban must be {MAX_BAN_MONTHS_LIMIT} months or fewer",
        },
    )


class RulesForm(GovukForm):
    max_ban_months = _months_field("Longest ban the scheme allows")
    appeal_route = _text("How an excluded person appeals", help_text="Told to every excluded person")
    appeals_heard_by = forms.CharField(
        label="Who hears appeals", max_length=200, error_messages={"required": "Enter who hears appeals"}
    )


class NewSchemeForm(GovukForm):
    name = forms.CharField(
        label="Name of the scheme", max_length=200, error_messages={"required": "Enter the name of the scheme"}
    )
    area = forms.CharField(label="Town or area", required=False, max_length=200)
    coordinator = forms.ChoiceField(
        label="Coordinator",
        choices=[],
        help_text="The scheme is held by the coordinator's agency. A police officer cannot coordinate a scheme.",
        error_messages={"required": "Choose the scheme's coordinator"},
    )
    max_ban_months = _months_field("Longest ban the scheme allows")

    def __init__(self, *args: Any, users: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].choices = [  # type: ignore[attr-defined]
            ("", "Choose a person"),
            *((str(u.uuid), f"{u.get_full_name()}, {u.agency.name}") for u in users),
        ]
