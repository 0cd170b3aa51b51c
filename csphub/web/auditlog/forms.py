from __future__ import annotations

from typing import Any

from django import forms

from csphub.ui.forms import GovukDateField, GovukForm


class ExportForm(GovukForm):
    record = forms.CharField(
        label="Person or record reference",
        required=False,
        max_length=100,
        help_text="The person's reference (e.g. P-1B4E28BA), the case reference (e.g. NN-ASB-2026-000123) or the "
        "record's full reference. Leave blank for a period",
    )
    start = GovukDateField(label="From", required=False)
    end = GovukDateField(label="To", required=False)
    recipient = forms.CharField(
        label="Recipient",
        max_length=200,
        help_text="Who receives the export, e.g. the data subject or the ICO",
        error_messages={"required": "Enter who receives the export"},
    )
    reason = forms.CharField(
        label="Reason",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example, subject access request reference SAR-2026-014",
        error_messages={"required": "Enter why the log is exported"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("record") and not data.get("start") and not data.get("end"):
            raise forms.ValidationError("Enter a person or record reference, or a period")
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError("The end of the period must be on or after its start")
        return data
