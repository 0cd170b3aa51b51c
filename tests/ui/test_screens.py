"""Everyday screens (issue 19, finding 8): the details every page shares."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.test import Client

from tests.factories import World, verified_client


def test_finding_8_the_favicon_is_served(world: World) -> None:
    response = Client().get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("csphub/favicon.svg")
    assert finders.find("csphub/favicon.svg")


def test_finding_8_every_page_links_the_favicon(world: World) -> None:
    page = verified_client(world["police_officer"]).get("/").content.decode()
    assert 'rel="icon"' in page and "csphub/favicon.svg" in page


def test_finding_8_an_asb_victim_risk_matrix_takes_an() -> None:
    from django.template import engines

    render = engines["django"].from_string("Complete {{ a|a_or_an }}; complete {{ b|a_or_an }}").render
    assert render({"a": "ASB victim risk matrix", "b": "DASH risk checklist"}) == (
        "Complete an ASB victim risk matrix; complete a DASH risk checklist"
    )


def test_finding_8_length_messages_are_in_govuk_style() -> None:
    from django import forms as django_forms

    from csphub.ui.forms import GovukForm

    class TitleForm(GovukForm):
        title = django_forms.CharField(max_length=5)
        code = django_forms.CharField(label="Reference", min_length=3)

    form = TitleForm(data={"title": "far too long", "code": "ab"})
    assert not form.is_valid()
    assert form.errors["title"] == ["Title must be 5 characters or fewer"]
    assert form.errors["code"] == ["Reference must be 3 characters or more"]


def test_finding_8_model_form_length_messages_are_in_govuk_style(world: World) -> None:
    from csphub.cases.forms import CaseForm

    form = CaseForm(data={"title": "x" * 500})
    form.is_valid()
    assert any("characters or fewer" in e for e in form.errors.get("title", [])), form.errors
    assert not any("Ensure this value" in e for errors in form.errors.values() for e in errors)


def test_finding_8_times_are_in_govuk_style() -> None:
    import datetime as dt

    from django.template import engines
    from django.utils import timezone

    when = timezone.make_aware(dt.datetime(2026, 12, 7, 9, 14))
    render = engines["django"].from_string("{{ w|govuk_when }}|{{ w|govuk_date }}|{{ none|govuk_when }}").render
    assert render({"w": when, "none": None}) == "9:14am on 7 December 2026|7 December 2026|"


def test_finding_8_no_template_prints_times_the_django_way() -> None:
    from pathlib import Path

    import csphub

    root = Path(csphub.__file__).parent
    offenders = [
        str(p.relative_to(root))
        for p in root.rglob("*.html")
        if any(f in p.read_text() for f in ('H:i"', "g:ia", "g:i a", '|date:"P', "|time"))
        and p.name != "index.html"  # the audit log keeps the second of each entry
    ]
    assert not offenders
