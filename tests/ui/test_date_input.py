"""The GOV.UK date input (day, month, year boxes) and time box: what they read and the errors they give."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms

from csphub.ui.dates import DateBoxError, read_date_boxes, read_time
from csphub.ui.forms import GovukDateField, GovukForm, GovukTimeField, PartialDateField


class _Served(GovukForm):
    served_on = GovukDateField(label="Date the notice was served")
    served_time = GovukTimeField(label="Time it was served", required=False)


class _Born(GovukForm):
    date_of_birth = PartialDateField(label="Date of birth", required=False)


def _boxes(day: str, month: str, year: str, name: str = "served_on") -> dict[str, str]:
    return {f"{name}_0": day, f"{name}_1": month, f"{name}_2": year}


@pytest.mark.parametrize(
    ("day", "month", "year", "expected"),
    [
        ("7", "12", "2026", dt.date(2026, 12, 7)),
        ("07", "Dec", "2026", dt.date(2026, 12, 7)),
        (" 7 ", "december", "2026", dt.date(2026, 12, 7)),
        ("29", "2", "2024", dt.date(2024, 2, 29)),
    ],
)
def test_it_reads_a_date_from_the_three_boxes(day: str, month: str, year: str, expected: dt.date) -> None:
    form = _Served(_boxes(day, month, year))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["served_on"] == expected


@pytest.mark.parametrize(
    ("day", "month", "year", "message", "flagged"),
    [
        ("", "", "", "Enter the date the notice was served", ["day", "month", "year"]),
        ("7", "", "2026", "Date the notice was served must include a month", ["month"]),
        ("", "", "2026", "Date the notice was served must include a day and month", ["day", "month"]),
        ("7", "12", "", "Date the notice was served must include a year", ["year"]),
        ("31", "2", "2026", "Date the notice was served must be a real date", ["day"]),
        ("7", "13", "2026", "Date the notice was served must be a real date", ["month"]),
        ("x", "12", "2026", "Date the notice was served must be a real date", ["day"]),
        ("7", "12", "26", "Year must include 4 numbers", ["year"]),
    ],
)
def test_it_gives_the_design_systems_errors_and_marks_the_boxes_at_fault(
    day: str, month: str, year: str, message: str, flagged: list[str]
) -> None:
    form = _Served(_boxes(day, month, year))
    assert not form.is_valid()
    assert form.errors["served_on"] == [message]
    html = str(form["served_on"])
    marked = [
        part
        for part, box in zip(("day", "month", "year"), html.split("<input")[1:], strict=True)
        if "govuk-input--error" in box
    ]
    assert marked == flagged


def test_it_keeps_what_was_typed_when_the_date_is_refused() -> None:
    html = str(_Served(_boxes("31", "2", "2026"))["served_on"])
    assert 'value="31"' in html and 'value="2"' in html and 'value="2026"' in html


def test_it_shows_a_saved_date_in_the_boxes_and_renders_no_date_picker() -> None:
    form = _Served(initial={"served_on": dt.date(2026, 3, 27)})
    html = form.as_div()
    assert 'type="date"' not in html and 'type="time"' not in html
    assert 'name="served_on_0"' in html and 'value="27"' in html and 'value="3"' in html and 'value="2026"' in html
    assert 'role="group"' in html and "govuk-date-input" in html


def test_it_still_reads_an_iso_date_under_the_fields_own_name() -> None:
    form = _Served({"served_on": "2026-03-27"})
    assert form.is_valid() and form.cleaned_data["served_on"] == dt.date(2026, 3, 27)
    refused = _Served({"served_on": "27th March"})
    assert refused.errors["served_on"] == ["Date the notice was served must be a real date"]


def test_the_date_window_still_applies() -> None:
    form = _Served(_boxes("1", "1", "1989"))
    assert form.errors["served_on"] == ["Date the notice was served must be on or after 1 January 1990"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9:30am", dt.time(9, 30)),
        ("9.30 pm", dt.time(21, 30)),
        ("2pm", dt.time(14, 0)),
        ("12am", dt.time(0, 0)),
        ("12:15pm", dt.time(12, 15)),
        ("14:30", dt.time(14, 30)),
        ("1430", dt.time(14, 30)),
        ("midday", dt.time(12, 0)),
        ("Midnight", dt.time(0, 0)),
        ("", None),
    ],
)
def test_it_reads_times_as_people_write_them(text: str, expected: dt.time | None) -> None:
    assert read_time(text) == expected


@pytest.mark.parametrize("text", ["25:00", "9:75", "13pm", "half nine", "0am"])
def test_it_refuses_what_is_not_a_time(text: str) -> None:
    with pytest.raises(ValueError):
        read_time(text)
    form = _Served({**_boxes("7", "12", "2026"), "served_time": text})
    assert form.errors["served_time"] == ["Time it was served must be a real time, like 9:30am or 14:30"]


def test_a_saved_time_is_shown_govuk_style() -> None:
    html = str(_Served(initial={"served_time": dt.time(16, 5)})["served_time"])
    assert 'value="4:05pm"' in html


def test_a_date_of_birth_may_leave_the_day_or_the_day_and_month_blank() -> None:
    assert _Born(_boxes("", "", "1990", "date_of_birth")).is_valid()
    assert _Born(_boxes("", "4", "1990", "date_of_birth")).is_valid()
    form = _Born(_boxes("3", "", "1990", "date_of_birth"))
    assert form.errors["date_of_birth"] == ["Date of birth must include a month"]
    assert _Born(_boxes("3", "4", "", "date_of_birth")).errors["date_of_birth"] == ["Date of birth must include a year"]
    assert _Born(_boxes("31", "4", "1990", "date_of_birth")).errors["date_of_birth"] == [
        "Date of birth must be a real date"
    ]
    future = dt.date.today().year + 1
    assert _Born(_boxes("", "", str(future), "date_of_birth")).errors["date_of_birth"] == [
        "Date of birth must be in the past"
    ]
    assert _Born(_boxes("", "", "1850", "date_of_birth")).errors["date_of_birth"] == [
        "Date of birth must be in 1900 or later"
    ]


def test_read_date_boxes_names_the_missing_boxes() -> None:
    with pytest.raises(DateBoxError) as caught:
        read_date_boxes("Date", "", "3", "")
    assert caught.value.parts == ("day", "year") and str(caught.value) == "Date must include a day and year"


def test_every_form_in_the_app_uses_the_govuk_date_input() -> None:
    """No browser date picker and no free-text date anywhere: every date field is a GovukDateField or partial date."""
    import importlib
    import pkgutil

    import csphub

    offenders = []
    for module in pkgutil.walk_packages(csphub.__path__, "csphub."):
        if not module.name.endswith("forms"):
            continue
        for obj in vars(importlib.import_module(module.name)).values():
            if isinstance(obj, type) and issubclass(obj, forms.BaseForm) and hasattr(obj, "base_fields"):
                for name, field in obj.base_fields.items():
                    temporal = isinstance(field, forms.DateField | forms.TimeField | forms.DateTimeField)
                    if temporal and not isinstance(field, GovukDateField | GovukTimeField):
                        offenders.append(f"{obj.__module__}.{obj.__name__}.{name}")
                    if isinstance(field.widget, forms.DateInput | forms.DateTimeInput) or (
                        field.widget.attrs.get("type") in {"date", "time", "datetime-local"}
                    ):
                        offenders.append(f"{obj.__module__}.{obj.__name__}.{name} (picker)")
    assert offenders == []
