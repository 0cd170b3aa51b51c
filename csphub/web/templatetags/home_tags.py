"""Template filters of the home page."""

from __future__ import annotations

import datetime as dt

from django import template

from csphub.web.home import govuk_when

register = template.Library()


@register.filter(name="govuk_when")
def govuk_when_filter(value: dt.date | dt.datetime | None) -> str:
    """A date ("7 December 2026") or a time ("4:30pm on 7 December 2026") in GOV.UK style; "" for none."""
    return govuk_when(value) if value is not None else ""
