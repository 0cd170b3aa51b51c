"""Sensible date ranges: no 0001-01-01, no event decades away, dates of birth from 1900 to today."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from csphub.ui.forms import GovukForm, PartialDateField
from tests.cases.factories import make_case
from tests.factories import World, verified_client


class _EventForm(GovukForm):
    on = forms.DateField(label="Date it happened")


class _DeadlineForm(GovukForm):
    deadline_fields = frozenset({"until"})
    until = forms.DateField(label="Until")


class _BirthForm(GovukForm):
    born = PartialDateField(label="Date of birth", required=False)


def _errors(form: forms.Form, name: str) -> list[str]:
    assert not form.is_valid()
    return [str(e) for e in form.errors[name]]


def test_finding_9_a_date_of_0001_01_01_is_refused_on_the_timeline(world: World) -> None:
    case = make_case(world["police_officer"])
    response = verified_client(world["police_officer"]).post(
        f"/cases/{case.reference}/timeline/new/", {"kind": "note", "title": "Old", "occurred_on": "0001-01-01"}
    )
    assert response.status_code != 302
    assert "Date it happened must be on or after 1 January 1990" in response.content.decode()
    assert not case.timeline.filter(title="Old").exists()


def test_it_refuses_event_dates_before_1990_or_more_than_a_year_ahead() -> None:
    today = timezone.localdate()
    assert _errors(_EventForm({"on": "1989-12-31"}), "on") == ["Date it happened must be on or after 1 January 1990"]
    late = today + dt.timedelta(days=400)
    assert _errors(_EventForm({"on": late.isoformat()}), "on")[0].startswith("Date it happened must be on or before")
    assert _EventForm({"on": "1990-01-01"}).is_valid()
    assert _EventForm({"on": (today + dt.timedelta(days=300)).isoformat()}).is_valid()


def test_it_allows_deadlines_further_ahead_but_not_for_ever() -> None:
    today = timezone.localdate()
    assert _DeadlineForm({"until": (today + dt.timedelta(days=3 * 366)).isoformat()}).is_valid()
    assert not _DeadlineForm({"until": "9999-12-31"}).is_valid()


def test_it_keeps_dates_of_birth_between_1900_and_today() -> None:
    assert _errors(_BirthForm({"born_0": "1", "born_1": "1", "born_2": "0001"}), "born")
    assert _errors(_BirthForm({"born_0": "", "born_1": "", "born_2": "1899"}), "born")
    future = timezone.localdate() + dt.timedelta(days=1)
    assert _errors(_BirthForm({"born_0": future.day, "born_1": future.month, "born_2": future.year}), "born")
    assert _BirthForm({"born_0": "3", "born_1": "4", "born_2": "1990"}).is_valid()
