from __future__ import annotations

from typing import Any

from django import forms

from csphub.ui.forms import GovukForm

from .standards import STANDARDS


class NarrativeForm(GovukForm):
    """The partnership's words for each of the five standards, around the generated figures."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for s in STANDARDS:
            self.fields[s.slug] = forms.CharField(
                label=s.title,
                required=False,
                help_text=f"{s.summary} Aggregate figures and what the partnership does: no names or personal data.",
                widget=forms.Textarea(attrs={"rows": 6}),
                max_length=6000,
            )
