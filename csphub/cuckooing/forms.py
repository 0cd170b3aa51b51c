"""Forms of the cuckooing register's pages (GOV.UK form kit)."""

from __future__ import annotations

from typing import Any

from django import forms

from csphub.cuckooing.models import SupportOffer, SupportResponse
from csphub.ui.forms import GovukDateField, GovukForm


def _date(label: str, *, required: bool = True, help_text: str = "") -> GovukDateField:
    """A date in the GOV.UK date input (day, month and year boxes), as every form of the app."""
    return GovukDateField(
        label=label,
        required=required,
        help_text=help_text,
        error_messages={"required": f"Enter the {label.lower()}"},
    )


class NewRecordForm(GovukForm):
    person = forms.CharField(
        label="The resident's reference",
        required=False,
        max_length=40,
        help_text="From the register, e.g. P-1B4E28BA (leave empty if the resident is not known)",
    )
    premises = forms.CharField(
        label="The premises' reference",
        required=False,
        max_length=40,
        help_text="From the register, e.g. L-0C9F12AA: the address, with its UPRN",
    )
    summary = forms.CharField(
        label="Why the panel should know of it",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    review_on = _date("Review date", required=False, help_text="When the panel looks at it again")
    deadline_fields = frozenset({"review_on"})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("person") or "").strip() and not (data.get("premises") or "").strip():
            raise forms.ValidationError("Enter the resident's reference, the premises' reference or both")
        return data


class SupportOfferForm(GovukForm):
    service = forms.CharField(
        label="Support offered",
        max_length=200,
        help_text="e.g. tenancy support visit, befriending, drug and alcohol service",
        error_messages={"required": "Enter the support offered"},
    )
    offered_on = _date("Date offered")


class SupportResponseForm(GovukForm):
    offer = forms.ChoiceField(label="Which offer", choices=[])
    response = forms.ChoiceField(
        label="The resident's answer", choices=SupportResponse.choices, widget=forms.RadioSelect
    )
    responded_on = _date("Date of the answer", required=False)
    outcome = forms.CharField(
        label="Outcome", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, offers: list[SupportOffer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["offer"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(str(o.uuid), f"{o.service} ({o.agency}, {o.offered_on:%d %B %Y})") for o in offers]


class ReviewForm(GovukForm):
    reviewed_on = _date("Date of the review")
    next_review_on = _date("Next review", required=False)
    close = forms.BooleanField(label="Close the record: the panel need not look at it again", required=False)
    note = forms.CharField(label="What the panel decided", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    deadline_fields = frozenset({"next_review_on"})


class AgendaForm(GovukForm):
    meeting_on = _date("Date of the meeting")
    deadline_fields = frozenset({"meeting_on"})
