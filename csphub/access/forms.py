from __future__ import annotations

from typing import Any

from django import forms

from csphub.access.consultation import MIN_JUSTIFICATION_LENGTH
from csphub.partnership.models import Agency, Purpose, User
from csphub.ui.forms import GovukForm

_JUSTIFICATION_HELP = (
    "Why you need this record now, for which case or duty. This is written to the audit log with every view."
)


def justification_field(
    label: str, required_message: str, help_text: str = "", rows: int = 3, max_length: int = 1000
) -> forms.CharField:
    """A written justification: required, long enough to mean something, recorded in the audit log."""
    return forms.CharField(
        label=label,
        help_text=help_text,
        min_length=MIN_JUSTIFICATION_LENGTH,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": required_message,
            "min_length": f"Write at least {MIN_JUSTIFICATION_LENGTH} characters",
        },
    )


class JustificationForm(GovukForm):
    justification = justification_field(
        "Why do you need to see this record?", "Enter why you need to see this record", _JUSTIFICATION_HELP
    )


class AccessRequestForm(GovukForm):
    record = forms.CharField(
        label="Record reference",
        max_length=100,
        required=False,
        help_text="The case reference (e.g. NN-ASB-2026-000123), the person's reference (e.g. P-1B4E28BA) or the "
        "record's full reference as in its web address",
    )
    # A lead from a search that matched a record the user may not see (``csphub.access.leads``): a token, not a UUID.
    lead = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    justification = justification_field(
        "Justification",
        "Enter a justification",
        "Why you need this record, which lawful duty, and why its owning agency could not share it. "
        "Your supervisor will review it.",
        rows=4,
        max_length=2000,
    )

    def __init__(self, *args: Any, holder: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if holder:  # a lead from a search: the record is the one found, shown by its holder only
            self.fields["record"].widget = forms.HiddenInput()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("record") or "").strip() and not data.get("lead"):
            self.add_error("record", "Enter the record reference")
        return data


class ReviewForm(GovukForm):
    outcome = forms.ChoiceField(
        label="Decision",
        choices=[("uphold", "Uphold: the access was justified"), ("revoke", "Revoke: end the access now")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to uphold or revoke the access"},
    )
    note = forms.CharField(label="Note", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class ShareForm(GovukForm):
    agency = forms.ModelChoiceField(
        label="Agency to share with",
        queryset=Agency.objects.none(),
        empty_label="Choose an agency",
        error_messages={"required": "Choose the agency to share with"},
    )
    purpose = forms.ChoiceField(
        label="Purpose",
        choices=[("", "Choose a purpose"), *Purpose.choices],
        error_messages={"required": "Choose the purpose of sharing"},
    )
    justification = justification_field(
        "Justification",
        "Enter why you are sharing this record",
        "Why this agency needs the record. It is written to the audit log with the disclosure.",
    )

    def __init__(self, *args: Any, exclude_ids: list[int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Agency.objects.exclude(pk__in=exclude_ids or []).order_by("name")


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_full_name() or obj.username} ({obj.agency})"


class ShareWithUserForm(GovukForm):
    user = UserChoiceField(
        label="Person to share with",
        queryset=User.objects.none(),
        empty_label="Choose a person",
        help_text="For a volunteer or worker of another agency who needs this one record",
        error_messages={"required": "Choose the person to share with"},
    )
    purpose = forms.ChoiceField(
        label="Purpose",
        choices=[("", "Choose a purpose"), *Purpose.choices],
        error_messages={"required": "Choose the purpose of sharing"},
    )
    justification = justification_field("Justification", "Enter why you are sharing this record")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            User.objects.filter(is_active=True, agency__isnull=False)
            .select_related("agency")
            .order_by("agency__name", "last_name")
        )
