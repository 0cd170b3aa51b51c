from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from csphub.nte.models import NteArea
from csphub.partnership.models import Agency, District
from csphub.registers import geo
from csphub.ui.forms import GovukDateWidget, GovukForm

from .models import MAX_MONTHS, RADIUS_MAX_M, RADIUS_MIN_M
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


class MonthWidget(GovukDateWidget):
    """The GOV.UK date input with its month and year boxes only (names ``<name>_0`` and ``_1``)."""

    template_name = "purpleflag/widgets/month.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        boxes = [
            forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 2, "class": "govuk-input--width-2"}),
            forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 4, "class": "govuk-input--width-4"}),
        ]
        forms.MultiWidget.__init__(self, boxes, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, dt.date):
            return [value.month, value.year]
        return [None, None]


class MonthField(forms.Field):
    """A whole month, typed as its month and year (the first of the month)."""

    widget = MonthWidget

    def to_python(self, value: Any) -> dt.date | None:
        if isinstance(value, dt.date):
            return value.replace(day=1)
        month, year = (str(v or "").strip() for v in [*(value or []), "", ""][:2])
        label = str(self.label)
        if not month and not year:
            return None
        if not month:
            raise forms.ValidationError(f"{label} must include a month", code="date")
        if not year:
            raise forms.ValidationError(f"{label} must include a year", code="date")
        if not (month.isdigit() and year.isdigit() and len(year) == 4 and 1 <= int(month) <= 12):
            raise forms.ValidationError(f"{label} must be a real month", code="date")
        if int(year) < 2000:
            raise forms.ValidationError(f"{label} must be in 2000 or later", code="date")
        return dt.date(int(year), int(month), 1)


class PackForm(GovukForm):
    """A new evidence pack: the town centre (a circle round a postcode's centre), the district and the months."""

    town_centre = forms.CharField(
        label="Town centre",
        max_length=120,
        help_text="For example, Kettering town centre",
        error_messages={"required": "Enter the name of the town centre"},
    )
    postcode = forms.CharField(
        label="Postcode at the centre",
        max_length=10,
        help_text="The centre of the town centre is this postcode's centre (OS Code-Point Open), e.g. NN16 0AH",
        error_messages={"required": "Enter a postcode at the centre of the town centre"},
        widget=forms.TextInput(attrs={"data-width": "10", "autocomplete": "postal-code"}),
    )
    radius_m = forms.IntegerField(
        label="Radius in metres",
        initial=700,
        help_text=f"The town centre is everything this far from its centre: {RADIUS_MIN_M} to {RADIUS_MAX_M:,} metres",
        error_messages={
            "required": "Enter the radius in metres",
            "invalid": "The radius must be a whole number of metres, like 700",
        },
        widget=forms.TextInput(attrs={"data-width": "5", "inputmode": "numeric"}),
    )
    district = forms.ModelChoiceField(
        label="District",
        queryset=District.objects.none(),
        to_field_name="ons_code",
        empty_label="Choose the district",
        error_messages={"required": "Choose the district the town centre is in"},
    )
    first_month = MonthField(
        label="First month",
        help_text="The first month of the assessment period, for example 1 2026",
        error_messages={"required": "Enter the first month of the assessment period"},
    )
    last_month = MonthField(
        label="Last month",
        help_text=f"The last whole month of evidence; the period is {MAX_MONTHS} months at the most",
        error_messages={"required": "Enter the last month of the assessment period"},
    )
    nte_area = forms.ModelChoiceField(
        label="Night-time economy area",
        required=False,
        queryset=NteArea.objects.none(),
        to_field_name="uuid",
        empty_label="Every area's logs",
        help_text="The area whose shift and incident logs the pack counts",
    )
    town_centre_agency = forms.ModelChoiceField(
        label="Town-centre partnership",
        required=False,
        queryset=Agency.objects.none(),
        to_field_name="uuid",
        empty_label="None",
        help_text="The town-centre or Purple Flag partnership writes the narrative with your agency",
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        querysets: dict[str, Any] = {
            "district": District.objects.filter(partnership_id=agency.partnership_id).order_by("name"),
            "nte_area": NteArea.objects.order_by("name"),
            "town_centre_agency": Agency.objects.filter(partnership_id=agency.partnership_id)
            .exclude(pk=agency.pk)
            .order_by("name"),
        }
        for name, queryset in querysets.items():
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset
        self.centre: tuple[float, float] | None = None

    def clean_postcode(self) -> str:
        postcode = str(self.cleaned_data["postcode"]).strip()
        point = geo.postcode_point(postcode)
        if point is None:
            raise forms.ValidationError("Enter a postcode in the partnership's area, like NN16 0AH")
        self.centre = (point.latitude, point.longitude)
        return point.postcode

    def clean_radius_m(self) -> int:
        radius = int(self.cleaned_data["radius_m"])
        if radius < RADIUS_MIN_M:
            raise forms.ValidationError(f"The radius must be {RADIUS_MIN_M} metres or more")
        if radius > RADIUS_MAX_M:
            raise forms.ValidationError(f"The radius must be {RADIUS_MAX_M:,} metres or less")
        return radius

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first_month"), data.get("last_month")
        if first is None or last is None:
            return data
        this_month = timezone.localdate().replace(day=1)
        if first > this_month:
            self.add_error("first_month", "The first month must be this month or earlier, not in the future")
        elif last > this_month:
            self.add_error("last_month", "The last month must be this month or earlier, not in the future")
        elif last < first:
            self.add_error("last_month", "The last month must be the same as or after the first month")
        elif (last.year - first.year) * 12 + last.month - first.month + 1 > MAX_MONTHS:
            self.add_error("last_month", f"The assessment period must be {MAX_MONTHS} months or shorter")
        return data
