"""Forms for county lines and organised crime groups: each fact is recorded with the date it began (late facts too)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from csphub.intelligence.models import KIND_LABELS, KIND_VALUES, Activity
from csphub.intelligence.morile import Definition
from csphub.intelligence.timeline import SPECS, Kind
from csphub.partnership.models import District
from csphub.ui.forms import GovukDateField, GovukForm


def _date_field(label: str, *, required: bool = True, **kwargs: Any) -> GovukDateField:
    kwargs.setdefault("help_text", "For example, 27 3 2025")
    return GovukDateField(label=label, required=required, **kwargs)


def _districts() -> list[tuple[str, str]]:
    return [(str(d.uuid), d.name) for d in District.objects.order_by("name")]


class DatesMixin(forms.Form):
    """Valid time: when it began to hold (long ago for a late fact) and, if known, the first day it no longer did."""

    historic_fields = frozenset({"valid_from", "valid_to", "on", "valid", "first", "second"})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end <= start:
            self.add_error("valid_to", "The end must be after the start")
        return data


class LineForm(DatesMixin, GovukForm):
    name = forms.CharField(label="Line name", max_length=120, error_messages={"required": "Enter the line's name"})
    origin = forms.CharField(
        label="Exporting area", max_length=120, required=False, help_text="Where the line is run from, e.g. Birmingham"
    )
    districts = forms.MultipleChoiceField(
        label="Districts it operates in", choices=(), widget=forms.CheckboxSelectMultiple, required=False
    )
    valid_from = _date_field("Active from", error_messages={"required": "Enter the date it began"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["districts"].choices = _districts()  # type: ignore[attr-defined]


class GroupForm(DatesMixin, GovukForm):
    name = forms.CharField(label="Group name", max_length=120, error_messages={"required": "Enter the group's name"})
    activities = forms.MultipleChoiceField(
        label="Activities", choices=Activity.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    areas = forms.MultipleChoiceField(label="Areas", choices=(), widget=forms.CheckboxSelectMultiple, required=False)
    valid_from = _date_field("Active from", error_messages={"required": "Enter the date it began"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["areas"].choices = _districts()  # type: ignore[attr-defined]


def kinds_for(subject_type: str) -> list[tuple[str, str]]:
    return [(k.value, KIND_LABELS[k]) for k in Kind if SPECS[k].subject == subject_type]


class FactForm(DatesMixin, GovukForm):
    """One fact of one kind (chosen before the form: ``kind``), with the fields that kind needs."""

    valid_from = _date_field("True from", error_messages={"required": "Enter the date it became true"})
    valid_to = _date_field(
        "Until (first day it no longer held)", required=False, help_text="Leave blank if it still holds"
    )
    source = forms.CharField(label="Source", required=False, max_length=300, help_text="Grading or log reference")

    def __init__(self, *args: Any, kind: str, groups: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        spec = SPECS[kind]
        label = KIND_LABELS[kind]
        extra: dict[str, forms.Field] = {}
        choices = KIND_VALUES.get(kind)
        if choices is not None:
            extra["value"] = forms.ChoiceField(
                label="Role" if spec.obj else label, choices=choices.choices, widget=forms.RadioSelect
            )
        elif not spec.obj:
            extra["value"] = forms.CharField(label=label, max_length=120)
        if spec.obj == "person":
            extra["person"] = forms.UUIDField(
                label="Person's reference",
                required=False,
                help_text="A person on the register (the reference in their page's web address); or name a new one",
            )
            extra["given_name"] = forms.CharField(label="Given name (new person)", required=False, max_length=100)
            extra["family_name"] = forms.CharField(label="Family name (new person)", required=False, max_length=100)
        elif spec.obj == "phone":
            extra["number"] = forms.CharField(
                label="Deal-line number", max_length=20, widget=forms.TextInput(attrs={"type": "tel"})
            )
        elif spec.obj == "place":
            extra["place"] = forms.UUIDField(
                label="Place reference", required=False, help_text="A place on the register; or enter an address"
            )
            extra["address"] = forms.CharField(label="Address", required=False, max_length=300)
            extra["postcode"] = forms.CharField(label="Postcode", required=False, max_length=10)
        elif spec.obj == "vehicle":
            extra["registration"] = forms.CharField(label="Registration", max_length=10)
        elif spec.obj == "district":
            extra["district"] = forms.ChoiceField(label="District", choices=_districts())
        elif spec.obj == "group":
            extra["group"] = forms.ChoiceField(label="Organised crime group", choices=groups or [])
        self.fields = {**extra, **self.fields}
        self._style(errors=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        spec = SPECS[self.kind]
        if spec.obj == "person" and not data.get("person") and not (data.get("family_name") or "").strip():
            self.add_error("person", "Enter a person's reference, or the family name of a new person")
        if spec.obj == "place" and not data.get("place") and not (data.get("address") or "").strip():
            self.add_error("place", "Enter a place reference or an address")
        return data


class ChangeFactForm(GovukForm):
    """End, correct or withdraw one fact (a new version: the old one stays in the history)."""

    historic_fields = frozenset({"on", "valid_from", "valid_to"})
    fact = forms.UUIDField(widget=forms.HiddenInput)
    change = forms.ChoiceField(
        label="What do you need to record?",
        choices=[
            ("end", "It stopped holding on a date"),
            ("correct", "Its dates were wrong"),
            ("retract", "It was never true: withdraw it"),
        ],
        widget=forms.RadioSelect,
    )
    on = _date_field("Stopped holding on", required=False)
    valid_from = _date_field("Corrected: true from", required=False)
    valid_to = _date_field("Corrected: until", required=False, help_text="")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        change = data.get("change")
        if change == "end" and not data.get("on"):
            self.add_error("on", "Enter the first day it no longer held")
        if change == "correct" and not data.get("valid_from"):
            self.add_error("valid_from", "Enter the corrected date it became true")
        return data


class MorileForm(GovukForm):
    historic_fields = frozenset({"assessed_on"})
    assessed_on = _date_field("Assessed on")

    def __init__(self, *args: Any, definition: Definition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        levels = [(str(v), f"{v}: {label}") for v, label in definition.levels]
        extra: dict[str, forms.Field] = {
            d.id: forms.TypedChoiceField(
                label=f"{d.label} (weight {d.weight})",
                help_text=d.help,
                choices=levels,
                coerce=int,
                widget=forms.RadioSelect,
            )
            for d in definition.dimensions
        }
        extra["confidence"] = forms.ChoiceField(
            label="Confidence",
            choices=[(o.value, o.label) for o in definition.confidence],
            widget=forms.RadioSelect,
        )
        self.fields = {**extra, **self.fields}
        self.initial.setdefault("assessed_on", dt.date.today())
        self._style(errors=False)


class AsAtForm(GovukForm):
    historic_fields = frozenset({"valid"})
    valid = _date_field("As at", required=False)
    known = forms.ChoiceField(
        label="Show it",
        choices=[("now", "As known now"), ("then", "As known then")],
        widget=forms.RadioSelect,
        required=False,
    )


class DiffForm(GovukForm):
    historic_fields = frozenset({"first", "second"})
    first = _date_field("From", required=False)
    second = _date_field("To", required=False)


class CountsForm(GovukForm):
    historic_fields = frozenset({"valid"})
    valid = _date_field("As at", required=False)


class LeadForm(GovukForm):
    user = forms.ChoiceField(label="Member of staff", choices=())
    action = forms.ChoiceField(choices=[("add", "Name"), ("remove", "Remove")], widget=forms.HiddenInput)

    def __init__(self, *args: Any, users: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = users  # type: ignore[attr-defined]
