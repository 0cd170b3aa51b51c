"""The GOV.UK template filters, built into every template (settings.TEMPLATES "builtins"): no ``{% load %}``.

- ``govuk_when``: a date ("7 December 2026") or a date and time ("9:14am on 7 December 2026"); "" for none.
- ``govuk_date`` / ``govuk_time``: the date or the time alone.
- ``{% record_links record %}``: the links the apps above a record's page offer for it (``csphub.ui.record_links``).
- ``a_or_an``: a noun phrase with its indefinite article ("an ASB victim risk matrix", "a DASH risk checklist").
"""

from __future__ import annotations

import datetime as dt

from django import template

from csphub.ui import dates
from csphub.ui.record_links import record_links as links_for

register = template.Library()


@register.filter(name="govuk_when")
def govuk_when(value: dt.date | dt.datetime | None) -> str:
    return dates.govuk_when(value) if isinstance(value, dt.date) else ""


@register.filter(name="govuk_date")
def govuk_date(value: dt.date | None) -> str:
    return dates.govuk_date(value) if isinstance(value, dt.date) else ""


@register.filter(name="govuk_time")
def govuk_time(value: dt.datetime | dt.time | None) -> str:
    return dates.govuk_time(value) if isinstance(value, dt.datetime | dt.time) else ""


@register.filter(name="a_or_an")
def a_or_an(phrase: object) -> str:
    """The phrase after "a", or "an" before a vowel (an initialism like "ASB" is read "ay-ess-bee": also "an")."""
    text = str(phrase)
    return f"{'an' if text[:1].lower() in 'aeiou' and text else 'a'} {text}"


@register.inclusion_tag("ui/record_links.html", takes_context=True)
def record_links(context: template.Context, record: object) -> dict[str, object]:
    """The links the apps above a record's page offer for it (``csphub.ui.record_links``), for the signed-in user."""
    request = context.get("request")
    user = getattr(request, "user", None)
    links = links_for(user, record) if user is not None and user.is_authenticated else []
    return {"links": links}
