"""The referral form (short, for volunteers) and the triage forms (for the receiving case officer)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from csphub.cases.kinds import CaseRole, CaseType
from csphub.partnership.models import District
from csphub.referrals.models import Concern, Consent, Referral, Urgency
from csphub.registers.models import Place
from csphub.registers.search import PersonMatch
from csphub.ui.forms import GovukForm

LEAVE = ""
NEW = "new"


class ReferralForm(GovukForm):
    concern = forms.ChoiceField(
        label="What is it about?",
        choices=Concern.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the referral is about"},
    )
    what_happened = forms.CharField(
        label="What happened?",
        help_text="What you saw or were told, and when. Stick to the facts.",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter what happened"},
    )
    where = forms.CharField(
        label="Where?",
        help_text="An address, or a description of the place (for example, 'the bench outside the library').",
        max_length=300,
        error_messages={"required": "Enter where it happened"},
    )
    postcode = forms.CharField(
        label="Postcode (if you know it)",
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"data-width": "10", "autocomplete": "postal-code"}),
    )
    district = forms.ChoiceField(label="Area (if you do not know the postcode)", required=False, choices=[])
    people = forms.CharField(
        label="Who was involved? (optional)",
        help_text="Names, if you know them, or descriptions: one person a line.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    consent = forms.ChoiceField(
        label="Did the person it is about agree to you sharing this?",
        choices=Consent.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Tell us whether the person agreed to the referral"},
    )
    urgency = forms.ChoiceField(
        label="How soon should someone look at it?",
        choices=Urgency.choices,
        widget=forms.RadioSelect,
        initial=Urgency.ROUTINE,
        error_messages={"required": "Choose how urgent it is"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["district"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "I do not know"), *District.objects.order_by("name").values_list("ons_code", "name")]

    def clean_district(self) -> District | None:
        code = self.cleaned_data.get("district") or ""
        return District.objects.filter(ons_code=code).first() if code else None


def _label(match: PersonMatch) -> str:
    person = match.person
    born = f", born {person.date_of_birth}" if person.date_of_birth is not None else ""
    return f"{person.given_name} {person.family_name}{born} (already on the register)"


class AcceptForm(GovukForm):
    """Open a case from the referral: pre-filled from it; its place and each person named either matched to the
    register (the likely matches the officer may see), recorded new, or left as text in the timeline entry."""

    case_type = forms.ChoiceField(label="Type of case", choices=CaseType.choices)
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Enter a title"})
    summary = forms.CharField(label="Summary", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    place = forms.ChoiceField(label="Where", required=False, widget=forms.RadioSelect, choices=[])

    def __init__(
        self,
        *args: Any,
        referral: Referral,
        places: Sequence[Place],
        people: Sequence[tuple[str, tuple[str, str], Sequence[PersonMatch]]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.referral = referral
        place = self.fields["place"]
        assert isinstance(place, forms.ChoiceField)
        where = referral.where + (f", {referral.postcode}" if referral.postcode else "")
        place.choices = [
            (LEAVE, "Leave it as text in the timeline entry"),
            (NEW, f"Record a new place: {where}"),
            *((str(p.uuid), f"{p} (already on the register)") for p in places),
        ]
        self.people_lines: list[tuple[str, str]] = []
        for index, (line, (given, family), matches) in enumerate(people):
            choices = [(LEAVE, "Leave it as text")]
            if family:
                choices.append((NEW, f"Record a new person: {given} {family}".strip()))
            choices += [(str(m.person.uuid), _label(m)) for m in matches]
            self.fields[f"person_{index}"] = forms.ChoiceField(
                label=f"Who: {line}", required=False, choices=choices, widget=forms.RadioSelect
            )
            self.fields[f"role_{index}"] = forms.ChoiceField(
                label="Their role in the case", choices=CaseRole.choices, initial=CaseRole.PERPETRATOR
            )
            self.people_lines.append((f"person_{index}", f"role_{index}"))


class AddToCaseForm(GovukForm):
    reference = forms.CharField(
        label="Case reference",
        help_text="The case to add the referral to, for example NN-ASB-2026-000123.",
        max_length=24,
        widget=forms.TextInput(attrs={"data-width": "20"}),
        error_messages={"required": "Enter the case reference"},
    )


class DeclineForm(GovukForm):
    reason = forms.CharField(
        label="Why are you declining it?",
        help_text="The referrer sees this. Say what they could do instead, if anything.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the reason: the referrer sees it"},
    )
