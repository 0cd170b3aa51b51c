from __future__ import annotations

from django import forms

from csphub.ui.forms import GovukForm


class DecisionForm(GovukForm):
    decision = forms.ChoiceField(
        label="Are these the same person?",
        choices=[
            ("accept", "Yes: merge them"),
            ("reject", "No: they are different people"),
            ("unsure", "Unsure: leave it for someone else"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether these are the same person"},
    )
    reason = forms.CharField(
        label="Why",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What convinced you: this is recorded with your decision",
        error_messages={"required": "Give the reason for your decision"},
    )


class UnmergeForm(GovukForm):
    reason = forms.CharField(
        label="Why are you undoing this merge?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give the reason for undoing the merge"},
    )
