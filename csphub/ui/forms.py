"""GOV.UK Frontend rendering for Django forms: a form renderer, a mixin that sets the design system's classes
and ARIA attributes on every widget, and a partial date field (day / month / year, any of day and month blank)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting

from csphub.common.dates import PartialDate, PartialDateError


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


class GovukFormMixin(forms.BaseForm):
    """Adds GOV.UK classes and aria-describedby (hint, error) to every widget."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style(errors=False)

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
            for w in targets:
                managed = set(_CLASSES.values()) | set(_ERROR_CLASSES.values()) | {"govuk-input", "govuk-input--error"}
                extra = [c for c in w.attrs.get("class", "").split() if c not in managed and " " not in c]
                extra = [c for c in extra if not any(c in m.split() for m in managed)]
                w.attrs["class"] = " ".join(c for c in [*classes, *extra] if c)
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
    if isinstance(widget, PartialDateWidget):
        return "partialdate"
    return type(widget).__name__.lower().removesuffix("widget").removesuffix("input") or "text"


class GovukForm(GovukFormMixin, forms.Form):
    pass


class PartialDateWidget(forms.MultiWidget):
    template_name = "govuk/widgets/partial_date.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        parts = [
            forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 2, "class": "govuk-input--width-2"}),
            forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 2, "class": "govuk-input--width-2"}),
            forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 4, "class": "govuk-input--width-4"}),
        ]
        super().__init__(parts, attrs)

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
        if not data_list or not any((v or "").strip() for v in data_list):
            return None
        day, month, year = ((v or "").strip() for v in data_list)
        if not year:
            raise forms.ValidationError("Enter at least the year", code="partial")
        try:
            return PartialDate(int(year), int(month) if month else None, int(day) if day else None)
        except ValueError as exc:
            if isinstance(exc, PartialDateError):
                raise forms.ValidationError(str(exc)) from exc
            raise forms.ValidationError("Day, month and year must be numbers") from exc
