"""Forms of the night-time economy's pages (GOV.UK form kit), made to be filled in on a phone in the street:
full-width inputs, radios and checkboxes (big tap targets), dates in day/month/year boxes, times typed as people say
them ("10pm", "2:30am")."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from csphub.nte.geometry import GeometryError, parse
from csphub.nte.models import (
    DesignationKind,
    HidingPlace,
    IncidentCategory,
    NteArea,
    NteService,
    NteVenue,
    ReferralTarget,
    WeaponType,
)
from csphub.partnership.models import Agency
from csphub.ui.forms import GovukDateField, GovukForm, GovukTimeField

FULL = {"class": "govuk-!-width-full"}


def _date(label: str, *, required: bool = True, help_text: str = "") -> GovukDateField:
    return GovukDateField(label=label, required=required, help_text=help_text)


def _time(label: str, help_text: str) -> GovukTimeField:
    return GovukTimeField(label=label, help_text=help_text, error_messages={"required": f"Enter the {label.lower()}"})


def at_night(night: dt.date, time: dt.time) -> dt.datetime:
    """The moment of ``time`` on the night of ``night``: before 06:00 it is the next morning."""
    day = night + dt.timedelta(days=1) if time.hour < 6 else night
    return timezone.make_aware(dt.datetime.combine(day, time))


class ShiftForm(GovukForm):
    service = forms.ChoiceField(
        label="Service",
        choices=NteService.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the service"},
    )
    area = forms.ModelChoiceField(
        label="Area",
        queryset=NteArea.objects.all(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the area"},
    )
    night = _date("Night of", help_text="The date the shift started, for example 27 3 2026")
    starts = _time("Start time", "For example, 10pm or 22:00")
    ends = _time("End time", "For example, 3am or 03:00 (after midnight is the next morning)")
    team = forms.CharField(
        label="Team or call sign", required=False, max_length=120, help_text="For example, Team 2 (no names)"
    )
    officers = forms.IntegerField(
        label="How many people were on the shift",
        min_value=1,
        max_value=60,
        initial=2,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "data-width": "3"}),
    )
    notes = forms.CharField(
        label="Shift notes",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Seen only by your agency; they never leave it",
    )
    historic_fields = frozenset({"night"})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        night, starts, ends = data.get("night"), data.get("starts"), data.get("ends")
        if night and starts and ends:
            data["starts_at"] = at_night(night, starts)
            end = at_night(night, ends)
            if end <= data["starts_at"]:
                end += dt.timedelta(days=1)
            data["ends_at"] = end
        return data


class IncidentForm(GovukForm):
    time = _time("Time", "For example, 11:40pm or 1:15am")
    category = forms.ChoiceField(
        label="What happened",
        choices=IncidentCategory.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what happened"},
    )
    venue = forms.ModelChoiceField(
        label="Where: a known venue",
        queryset=NteVenue.objects.none(),
        required=False,
        empty_label="Not at a listed venue",
        widget=forms.Select(attrs=FULL),
    )
    location = forms.CharField(
        label="Or where, in words", required=False, max_length=200, help_text="For example, outside the bus station"
    )
    postcode = forms.CharField(label="Postcode", required=False, max_length=8, help_text="If you know it")
    people_helped = forms.IntegerField(
        label="People helped",
        min_value=0,
        max_value=200,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "data-width": "3"}),
    )
    referred_to = forms.MultipleChoiceField(
        label="Referred or handed on to",
        choices=ReferralTarget.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
    )
    weapon_type = forms.ChoiceField(
        label="If a weapon was found: what kind",
        choices=[("", "No weapon"), *WeaponType.choices],
        required=False,
        widget=forms.Select(attrs=FULL),
    )
    hidden = forms.ChoiceField(
        label="If a weapon was found: where it was hidden",
        choices=[("", "Not applicable"), *HidingPlace.choices],
        required=False,
        widget=forms.Select(attrs=FULL),
    )
    description = forms.CharField(
        label="What happened, briefly",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Seen only by your agency. Do not write names",
    )

    def __init__(self, *args: Any, area: NteArea | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        venues = NteVenue.objects.filter(active=True)
        field = self.fields["venue"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = venues.filter(area=area) if area is not None else venues

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        weapon = data.get("weapon_type")
        if weapon and data.get("category") != IncidentCategory.WEAPON_FOUND:
            self.add_error("weapon_type", "A weapon goes with the category Weapon found")
        if data.get("category") == IncidentCategory.WEAPON_FOUND and not weapon:
            self.add_error("weapon_type", "Choose what kind of weapon was found")
        return data


class SweepForm(GovukForm):
    swept_on = _date("Date of the sweep")
    area = forms.ModelChoiceField(
        label="Area",
        queryset=NteArea.objects.all(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the area"},
    )
    agencies = forms.ModelMultipleChoiceField(
        label="Other agencies taking part",
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="They will see the sweep and its finds",
    )
    venues = forms.ModelMultipleChoiceField(
        label="Venues searched",
        queryset=NteVenue.objects.filter(active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    searched = forms.CharField(
        label="Other places searched",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example, the alleys off Gold Street",
    )
    notes = forms.CharField(label="Notes", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    historic_fields = frozenset({"swept_on"})

    def __init__(self, *args: Any, partners: list[Agency] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agencies"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Agency.objects.filter(pk__in=[a.pk for a in partners or []]).order_by("name")


class FindForm(GovukForm):
    weapon_type = forms.ChoiceField(
        label="What was found",
        choices=WeaponType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what was found"},
    )
    venue = forms.ModelChoiceField(
        label="Where: a known venue",
        queryset=NteVenue.objects.filter(active=True),
        required=False,
        empty_label="Not at a listed venue",
        widget=forms.Select(attrs=FULL),
    )
    location = forms.CharField(label="Or where, in words", required=False, max_length=200)
    hidden = forms.ChoiceField(label="Where it was hidden", choices=HidingPlace.choices, widget=forms.RadioSelect)
    description = forms.CharField(
        label="Description", required=False, max_length=300, help_text="For example, 8-inch kitchen knife"
    )
    handed_to_police = forms.BooleanField(label="Handed to the police", required=False, initial=True)


class DesignationForm(GovukForm):
    kind = forms.ChoiceField(
        label="Kind of order",
        choices=DesignationKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of order"},
    )
    name = forms.CharField(label="Name", max_length=160, help_text="For example, Kettering town centre PSPO")
    reference = forms.CharField(label="Reference", required=False, max_length=60)
    area = forms.ModelChoiceField(
        label="Night-time area",
        queryset=NteArea.objects.all(),
        required=False,
        empty_label="None",
        widget=forms.Select(attrs=FULL),
    )
    starts_on = _date("Start date")
    starts = _time("Start time", "For example, 6pm or 18:00")
    ends_on = _date("End date")
    ends = _time("End time", "For example, 6pm or 18:00")
    authorised_by = forms.CharField(
        label="Authorised by",
        max_length=160,
        help_text="Dispersal: the inspector (or above) who authorised it. PSPO: the council's decision",
    )
    restrictions = forms.CharField(
        label="Restrictions", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    geometry_text = forms.CharField(
        label="The area as GeoJSON",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text="A Polygon or MultiPolygon in longitude, latitude (as exported from a map tool). Or upload a file",
    )
    geometry_file = forms.FileField(label="Or upload a GeoJSON file", required=False)
    historic_fields = frozenset({"starts_on"})
    deadline_fields = frozenset({"ends_on"})
    GEOJSON_EXTENSIONS = (".geojson", ".json")

    def _clean_fields(self) -> None:
        super()._clean_fields()
        # The house's upload check knows documents (PDF, Office, images): a GeoJSON file is text that ``parse``
        # checks in full (and ``clean`` limits to 2 MB), so its verdict on a .geojson file is set aside.
        upload = self.files.get(self.add_prefix("geometry_file"))
        errors = self.errors  # the form's ErrorDict, being filled (no second clean: it exists by now)
        if upload is not None and str(upload.name).lower().endswith(self.GEOJSON_EXTENSIONS):
            errors.pop("geometry_file", None)
            self.cleaned_data["geometry_file"] = upload
        elif upload is not None and "geometry_file" not in errors:
            self.add_error("geometry_file", "The selected file must be a GeoJSON file (.geojson or .json)")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("geometry_file")
        text = (data.get("geometry_text") or "").strip()
        if upload is not None:
            if upload.size > 2_000_000:
                self.add_error("geometry_file", "The GeoJSON file must be smaller than 2 MB")
                return data
            text = upload.read().decode("utf-8", "replace")
        if not text:
            self.add_error("geometry_text", "Give the area: paste its GeoJSON or upload a GeoJSON file")
        else:
            try:
                data["geometry"] = parse(text)
            except GeometryError as exc:
                self.add_error("geometry_file" if upload is not None else "geometry_text", str(exc))
        for name, day, time in (("starts_at", "starts_on", "starts"), ("ends_at", "ends_on", "ends")):
            if data.get(day) and data.get(time):
                data[name] = timezone.make_aware(dt.datetime.combine(data[day], data[time]))
        return data
