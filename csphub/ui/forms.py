"""GOV.UK Frontend rendering for Django forms: a form renderer, a mixin that sets the design system's classes
and ARIA attributes on every widget, and the GOV.UK date input (day, month and year boxes) for every date:
``GovukDateField`` (a full date), ``PartialDateField`` (any of day and month blank), and ``GovukTimeField`` (a time
typed as people write it, "9:30am" or "14:30", next to a date for a moment such as a notice served).
Their errors are the design system's: "Enter …", "… must include a month", "… must be a real date".

The mixin also holds the house rules every form gets without asking:
- dates: a ``DateField`` takes dates from 1 January 1990 to a year from today; fields a form names in
  ``deadline_fields`` go up to ten years ahead (orders, reviews, due dates), and fields in ``historic_fields`` go
  back to 1 January 1900 (where someone lived). Dates of birth (``PartialDateField``) run from 1900 to today.
- lengths: a field's length limits are told GOV.UK style ("Title must be 200 characters or fewer"), not in
  Django's words ("Ensure this value has at most 200 characters").
- uploads: a ``FileField`` takes files up to ``CSPHUB_UPLOAD_MAX_MB`` of the allowed types, checked by extension
  and by the file's first bytes (``csphub.common.uploads``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.core import validators
from django.core.files.uploadedfile import UploadedFile
from django.forms.renderers import TemplatesSetting
from django.forms.utils import pretty_name
from django.utils import timezone

from csphub.common import uploads
from csphub.common.dates import EARLIEST_YEAR, PartialDate, PartialDateError
from csphub.ui.dates import DateBoxError, govuk_time, read_date_boxes, read_time

EARLIEST_EVENT = dt.date(1990, 1, 1)
EARLIEST_HISTORIC = dt.date(EARLIEST_YEAR, 1, 1)
EVENT_DAYS_AHEAD = 366
DEADLINE_YEARS_AHEAD = 10


class GovukRenderer(TemplatesSetting):
    form_template_name = "govuk/form.html"
    field_template_name = "govuk/field.html"


_CLASSES: dict[str, str] = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "selectmultiple": "govuk-select",
    "radioselect": "govuk-radios__input",
    "checkboxselectmultiple": "govuk-checkboxes__input",
    "checkbox": "govuk-checkboxes__input",
    "partialdate": "govuk-input govuk-date-input__input",
    "file": "govuk-file-upload",
}
_ERROR_CLASSES: dict[str, str] = {
    "textarea": "govuk-textarea--error",
    "select": "govuk-select--error",
    "partialdate": "govuk-input--error",
}


def _long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def date_window(name: str, *, deadline: bool = False, historic: bool = False) -> tuple[dt.date, dt.date]:
    """The earliest and latest dates a date field takes (see the module's docstring)."""
    today = timezone.localdate()
    earliest = EARLIEST_HISTORIC if historic else EARLIEST_EVENT
    if deadline:
        try:
            latest = today.replace(year=today.year + DEADLINE_YEARS_AHEAD)
        except ValueError:  # 29 February
            latest = today.replace(year=today.year + DEADLINE_YEARS_AHEAD, day=28)
    else:
        latest = today + dt.timedelta(days=EVENT_DAYS_AHEAD)
    return earliest, latest


def upload_problem(upload: UploadedFile) -> str | None:
    """What is wrong with an uploaded file under the house's limits, or ``None``."""
    max_bytes = int(getattr(settings, "CSPHUB_UPLOAD_MAX_MB", 10)) * 1024 * 1024
    size = int(upload.size or 0)
    head = b""
    if 0 < size <= max_bytes:
        upload.seek(0)
        head = upload.read(uploads.HEAD_BYTES)
        upload.seek(0)
    return uploads.problem(upload.name or "", size, head, max_bytes=max_bytes)


def length_validator(validator: Any, label: str) -> Any:
    """A length validator telling its limit GOV.UK style; any other validator as it is."""
    limit = getattr(validator, "limit_value", None)
    if not isinstance(limit, int):
        return validator
    if type(validator) is validators.MaxLengthValidator:
        return validators.MaxLengthValidator(limit, message=f"{label} must be {limit} characters or fewer")
    if type(validator) is validators.MinLengthValidator:
        return validators.MinLengthValidator(limit, message=f"{label} must be {limit} characters or more")
    return validator


class GovukFormMixin(forms.BaseForm):
    """Adds GOV.UK classes and aria-describedby (hint, error) to every widget; keeps dates and uploads sensible."""

    # Date fields that take dates up to ten years ahead, and date fields that go back to 1900.
    deadline_fields: ClassVar[frozenset[str]] = frozenset()
    historic_fields: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.validators = [length_validator(v, str(field.label or pretty_name(name))) for v in field.validators]
        self._style(errors=False)

    def _clean_fields(self) -> None:
        super()._clean_fields()  # type: ignore[misc]
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            error = None
            if isinstance(field, forms.DateField) and isinstance(value, dt.date):
                error = self._date_problem(name, field, value)
            elif isinstance(field, forms.FileField) and isinstance(value, UploadedFile):
                error = upload_problem(value)
            if error:
                self.add_error(name, error)

    def _date_problem(self, name: str, field: forms.Field, value: dt.date) -> str | None:
        earliest, latest = date_window(
            name, deadline=name in self.deadline_fields, historic=name in self.historic_fields
        )
        label = str(field.label or "The date")
        if value < earliest:
            return f"{label} must be on or after {_long_date(earliest)}"
        if value > latest:
            return f"{label} must be on or before {_long_date(latest)}"
        return None

    def _error_parts(self, name: str) -> tuple[str, ...]:
        """The date boxes an error is about ("month"), or () for the whole date (``DateBoxError.parts``)."""
        parts: tuple[str, ...] = ()
        for error in self.errors.as_data().get(name, []):
            if not isinstance(error.params, dict) or not error.params.get("parts"):
                return ()
            parts += tuple(error.params["parts"])
        return parts

    def full_clean(self) -> None:
        super().full_clean()
        self._style(errors=True)

    def _style(self, *, errors: bool) -> None:
        for name, field in self.fields.items():
            widget = field.widget
            kind = _widget_type(widget)
            base = _CLASSES.get(kind, "govuk-input")
            classes = [base]
            if field.widget.attrs.get("data-width"):
                classes.append(f"govuk-input--width-{field.widget.attrs['data-width']}")
            has_error = errors and name in self.errors
            if has_error:
                classes.append(_ERROR_CLASSES.get(kind, "govuk-input--error" if base == "govuk-input" else ""))
            targets = widget.widgets if isinstance(widget, forms.MultiWidget) else [widget]
            flagged = self._error_parts(name) if has_error and kind == "partialdate" else ()
            for index, w in enumerate(targets):
                own = classes
                if flagged and ("day", "month", "year")[index] not in flagged:
                    own = [c for c in classes if c != "govuk-input--error"]
                managed = set(_CLASSES.values()) | set(_ERROR_CLASSES.values()) | {"govuk-input", "govuk-input--error"}
                extra = [c for c in w.attrs.get("class", "").split() if c not in managed and " " not in c]
                extra = [c for c in extra if not any(c in m.split() for m in managed)]
                w.attrs["class"] = " ".join(c for c in [*own, *extra] if c)
            described = []
            auto_id = str(self.auto_id)
            field_id = (auto_id % name) if "%s" in auto_id else name
            if field.help_text:
                described.append(f"{field_id}-hint")
            if has_error:
                described.append(f"{field_id}-error")
            if described and kind not in {"radioselect", "checkboxselectmultiple", "partialdate"}:
                widget.attrs["aria-describedby"] = " ".join(described)
            elif "aria-describedby" in widget.attrs:
                del widget.attrs["aria-describedby"]


def _widget_type(widget: forms.Widget) -> str:
    if isinstance(widget, PartialDateWidget | GovukDateWidget):
        return "partialdate"
    return type(widget).__name__.lower().removesuffix("widget").removesuffix("input") or "text"


class GovukForm(GovukFormMixin, forms.Form):
    pass


def _boxes() -> list[forms.Widget]:
    # The month box takes a name too ("Mar", "September"), so it is not limited to 2 characters.
    return [
        forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 2, "class": "govuk-input--width-2"}),
        forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 9, "class": "govuk-input--width-2"}),
        forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 4, "class": "govuk-input--width-4"}),
    ]


def _box_error(exc: DateBoxError) -> forms.ValidationError:
    return forms.ValidationError(str(exc), code="date", params={"parts": exc.parts})


class PartialDateWidget(forms.MultiWidget):
    template_name = "govuk/widgets/partial_date.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(_boxes(), attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, PartialDate):
            return [value.day, value.month, value.year]
        return [None, None, None]


class PartialDateField(forms.MultiValueField):
    """A date that may be partial: year alone, month and year, or a full date."""

    widget = PartialDateWidget

    def __init__(self, **kwargs: Any) -> None:
        fields = (
            forms.CharField(required=False),
            forms.CharField(required=False),
            forms.CharField(required=False),
        )
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list: list[Any]) -> PartialDate | None:
        if not data_list:
            return None
        day, month, year = ((v or "") for v in data_list)
        label = str(self.label or "Date")
        try:
            parts = read_date_boxes(label, day, month, year, partial=True)
        except DateBoxError as exc:
            raise _box_error(exc) from exc
        if parts is None:
            return None
        try:
            return PartialDate(*parts)
        except PartialDateError as exc:
            if parts[0] > timezone.localdate().year or "past" in str(exc):
                raise forms.ValidationError(f"{label} must be in the past", code="date") from exc
            if parts[0] < EARLIEST_YEAR:
                raise forms.ValidationError(f"{label} must be in {EARLIEST_YEAR} or later", code="date") from exc
            raise forms.ValidationError(f"{label} must be a real date", code="date") from exc


class GovukDateWidget(forms.MultiWidget):
    """The GOV.UK date input: day, month and year boxes (names ``<name>_0``, ``_1``, ``_2``)."""

    template_name = "govuk/widgets/partial_date.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(_boxes(), attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        if isinstance(value, str) and value:
            try:
                day = dt.date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
            return [day.day, day.month, day.year]
        return [None, None, None]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        boxes = super().value_from_datadict(data, files, name)
        if all(v is None for v in boxes) and name in data:
            return data.get(name)  # an ISO date under the field's own name (a link such as ?start=2026-12-01)
        return boxes

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return super().value_omitted_from_data(data, files, name) and name not in data


class GovukDateField(forms.DateField):
    """A full date in the GOV.UK date input. Still a ``DateField``: the form's date window applies (``date_window``).

    An ISO date (2026-12-07) under the field's own name is read too, for links and scripts."""

    widget = GovukDateWidget

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if "required" not in (kwargs.get("error_messages") or {}):
            label = str(self.label or "the date")
            label = f"{label[0].lower()}{label[1:]}"
            self.error_messages["required"] = f"Enter the {label}" if label.startswith("date ") else f"Enter {label}"

    def to_python(self, value: Any) -> dt.date | None:
        if isinstance(value, list | tuple):
            day, month, year = (str(v or "") for v in [*value, "", "", ""][:3])
            try:
                parts = read_date_boxes(str(self.label or "Date"), day, month, year)
            except DateBoxError as exc:
                raise _box_error(exc) from exc
            if parts is None:
                return None
            y, m, d = parts
            assert m is not None and d is not None
            return dt.date(y, m, d)
        try:
            return super().to_python(value)
        except forms.ValidationError:
            raise forms.ValidationError(f"{self.label or 'Date'} must be a real date", code="invalid") from None

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return self.to_python(data) != (initial if isinstance(initial, dt.date) else self.to_python(initial))
        except forms.ValidationError:
            return True


class GovukTimeInput(forms.TextInput):
    """A time box showing times GOV.UK style ("9:30am")."""

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, dt.time):
            return govuk_time(value)
        return super().format_value(value)


class GovukTimeField(forms.TimeField):
    """A time of day typed as people write it: "9:30am", "2pm", "14:30", "midday" (``csphub.ui.dates.read_time``)."""

    widget = GovukTimeInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "For example, 9:30am or 14:30")
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("data-width", "5")
        self.widget.attrs.setdefault("autocomplete", "off")

    def to_python(self, value: Any) -> dt.time | None:
        if isinstance(value, dt.time):
            return value
        try:
            return read_time(str(value or ""))
        except ValueError:
            label = str(self.label or "Time")
            raise forms.ValidationError(f"{label} must be a real time, like 9:30am or 14:30", code="invalid") from None
