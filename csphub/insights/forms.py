"""The map's controls: a GOV.UK form sent by GET, so the page works without JavaScript (the script only sends it
for the layers instead of reloading the page)."""

from __future__ import annotations

from typing import Any

from django import forms

from csphub.analytics.errors import SettingsError
from csphub.analytics.hotspots import HotspotSettings
from csphub.analytics.store import month_key, parse_month
from csphub.ui.forms import GovukForm

from .maps import BANDS, CELL_SIZES, SOURCES, MapQuery, StoreContents


class MapForm(GovukForm):
    first = forms.ChoiceField(label="From", required=False)
    last = forms.ChoiceField(label="To", required=False)
    crime_type = forms.ChoiceField(label="Crime type or series", required=False)
    source = forms.ChoiceField(label="Source", required=False, choices=[(k, v) for k, v in SOURCES])
    cell = forms.TypedChoiceField(
        label="Cell size",
        required=False,
        coerce=float,
        empty_value=None,
        choices=[(str(c), f"{c:,} m") for c in CELL_SIZES],
    )
    band = forms.TypedChoiceField(
        label="Distance band",
        required=False,
        coerce=float,
        empty_value=None,
        choices=[(str(b), f"{b:,} m") for b in BANDS],
        help_text="Cells whose centres are this close count as neighbours in Gi*; also the density's bandwidth",
    )

    def __init__(self, *args: Any, contents: StoreContents, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        months = [(month_key(m), f"{m:%B %Y}") for m in contents.months]
        self.contents = contents
        for name in ("first", "last"):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = months
        crime = self.fields["crime_type"]
        assert isinstance(crime, forms.ChoiceField)
        crime.choices = [
            ("", "All crime"),
            ("Series", [(s, s) for s in contents.series]),
            ("Other categories", [(t, t) for t in contents.types]),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        months = [month_key(m) for m in self.contents.months]
        first, last = data.get("first") or "", data.get("last") or ""
        if months:
            first, last = first or months[0], last or months[-1]
            if first > last:
                self.add_error("last", "The last month must be the same as or after the first month")
        data["first"], data["last"] = first, last
        if data.get("cell") is not None and data.get("band") is not None:
            try:
                HotspotSettings(cell=data["cell"], band=data["band"])
            except SettingsError:
                self.add_error("band", "The distance band must be at least the cell size")
        return data

    def query(self) -> MapQuery:
        """The map query of a valid form (its defaults: every month held, all crime, police.uk, 250 m, 750 m)."""
        data = self.cleaned_data
        return MapQuery(
            first=parse_month(data["first"]) if data.get("first") else None,
            last=parse_month(data["last"]) if data.get("last") else None,
            crime_type=data.get("crime_type") or "",
            source=data.get("source") or "police",
            cell=float(data.get("cell") or 250.0),
            band=float(data.get("band") or 750.0),
        )
