"""The night-time economy's pages: the agency's own logs and the shared summary, a shift and its incidents, knife
sweeps and the weapon finds' trend, dispersal and PSPO areas (and their GeoJSON for the analytics map).

Who may use them is the access policy's (``may_see_nte_summary``, ``may_log_nte_shifts``,
``may_designate_nte_areas``); each shift and sweep is fetched through it (``RecordMixin``: 404 outside, 403 without
the right) and lists come from ``visible_to``. Each form calls one service verb, which asks the policy again.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, TemplateView

from csphub.access.policy import (
    may_designate_nte_areas,
    may_log_nte_shifts,
    may_see_nte_summary,
    sees_small_partner_counts,
)
from csphub.access.views_base import RecordMixin, acting_user
from csphub.access.vocabulary import Verb
from csphub.insights.charts import cell_text
from csphub.nte import charts, queries, services
from csphub.nte.forms import DesignationForm, FindForm, IncidentForm, ShiftForm, SweepForm, at_night
from csphub.nte.models import DesignatedArea, KnifeSweep, NteArea, NtePartner, Shift, WeaponFind
from csphub.partnership.models import User
from csphub.ui.dates import govuk_date, govuk_when
from csphub.ui.views_support import apply_errors

SUMMARY_NIGHTS = 28


def threshold_for(user: User) -> int | None:
    """The small-number suppression threshold of partner figures for this user (None: unsuppressed)."""
    return None if sees_small_partner_counts(user) else int(settings.CSPHUB_SUPPRESSION_THRESHOLD)


def _partner(user: User) -> bool:
    return services.is_nte_partner(user)


class NteMixin(LoginRequiredMixin):
    """Pages of the NTE area: NTE partners' users, and the partnership's managers and analysts."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            user = acting_user(request)
            if not may_see_nte_summary(user, nte_partner=_partner(user)):
                raise PermissionDenied("The night-time economy pages are for the partnership's night-time partners.")
        return super().dispatch(request, *args, **kwargs)


class LoggerMixin(LoginRequiredMixin):
    """Forms that log: users of an NTE partner agency whose role records logs."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            user = acting_user(request)
            if not may_log_nte_shifts(user, nte_partner=_partner(user)):
                raise PermissionDenied("Only night-time economy partners' officers and volunteers log shifts.")
        return super().dispatch(request, *args, **kwargs)


def _summary_context(user: User, since: dt.date, until: dt.date, area: NteArea | None = None) -> dict[str, Any]:
    threshold = threshold_for(user)
    return {"summary": queries.summary(since, until, area=area, threshold=threshold), "threshold": threshold}


class IndexView(NteMixin, TemplateView):
    """The agency's own shifts (and only its own), and the shared summary of the last four weeks."""

    template_name = "nte/index.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = acting_user(self.request)
        until = queries.night_of(timezone.now())
        since = until - dt.timedelta(days=SUMMARY_NIGHTS - 1)
        return {
            **super().get_context_data(**kwargs),
            "shifts": queries.shifts_for(user, limit=20),
            "may_log": may_log_nte_shifts(user, nte_partner=_partner(user)),
            "may_designate": may_designate_nte_areas(user),
            **_summary_context(user, since, until),
        }


class SummaryView(NteMixin, TemplateView):
    """The shared NTE summary: every partner's nights, categories, areas and referrals, counted (no records)."""

    template_name = "nte/summary.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = acting_user(self.request)
        until = queries.night_of(timezone.now())
        since = until - dt.timedelta(days=SUMMARY_NIGHTS - 1)
        area = None
        slug = self.request.GET.get("area", "")
        areas = list(NteArea.objects.all())
        if slug:
            area = next((a for a in areas if str(a.uuid) == slug), None)
        weeks = self.request.GET.get("weeks", "")
        if weeks.isdigit() and 1 <= int(weeks) <= 104:
            since = until - dt.timedelta(days=7 * int(weeks) - 1)
        return {
            **super().get_context_data(**kwargs),
            **_summary_context(user, since, until, area),
            "areas": areas,
            "area": area,
            "weeks": (until - since).days // 7 + 1,
            "week_choices": (1, 2, 4, 13, 26, 52),
            "coverage": queries.shift_coverage(since, until, area=area),
            "partners": queries.partners_active(since, until),
        }


class ShiftNewView(LoggerMixin, FormView):
    template_name = "nte/form.html"
    form_class = ShiftForm

    def get_initial(self) -> dict[str, Any]:
        user = acting_user(self.request)
        partner = NtePartner.objects.filter(agency=user.agency).first() if user.agency is not None else None
        now = timezone.localtime()
        return {
            "service": partner.service if partner else "",
            "area": NteArea.objects.first(),
            "night": queries.night_of(now),
            "officers": 2,
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "heading": "Log a shift", "submit": "Save the shift"}

    def form_valid(self, form: ShiftForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            shift = services.log_shift(
                acting_user(self.request),
                service=data["service"],
                area=data["area"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                team=data["team"],
                officers=data["officers"],
                notes=data["notes"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Shift {shift.reference} saved. Add what happened on it.")
        return redirect(shift)


class ShiftView(RecordMixin[Shift], TemplateView):
    model = Shift
    template_name = "nte/shift.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        shift = self.record
        incidents = list(shift.incidents.select_related("venue").order_by("occurred_at", "id"))
        finds = {f.incident_id: f for f in WeaponFind.objects.filter(incident__in=incidents)}
        return {
            **super().get_context_data(**kwargs),
            "shift": shift,
            "incidents": [(i, finds.get(i.pk)) for i in incidents],
            "may_add": self.allowed.get(str(Verb.CREATE), False),
        }


class IncidentNewView(RecordMixin[Shift], FormView):
    """Add an incident to a shift: the policy's CREATE on the shift (its agency, or its logger)."""

    model = Shift
    action = Verb.CREATE
    template_name = "nte/form.html"
    form_class = IncidentForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "area": self.record.area}

    def get_initial(self) -> dict[str, Any]:
        return {"people_helped": 1}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        shift = self.record
        return {
            **super().get_context_data(**kwargs),
            "record": shift,
            "heading": "Add an incident",
            "caption": f"{shift.get_service_display()}, night of {govuk_date(shift.night)}",
            "submit": "Save the incident",
        }

    def form_valid(self, form: IncidentForm) -> HttpResponse:
        data = form.cleaned_data
        user = acting_user(self.request)
        shift = self.record
        try:
            incident = services.log_incident(
                shift,
                user,
                occurred_at=at_night(shift.night, data["time"]),
                category=data["category"],
                venue=data["venue"],
                location=data["location"],
                postcode=data["postcode"],
                people_helped=data["people_helped"],
                referred_to=data["referred_to"],
                description=data["description"],
            )
            if data.get("weapon_type"):
                services.record_find(
                    user, incident=incident, weapon_type=data["weapon_type"], hidden=data.get("hidden") or "other"
                )
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"{incident.get_category_display()} added to the shift.")
        return redirect(shift)


# --- Knife sweeps and weapon finds --------------------------------------------------------------------------------


def _period(request: HttpRequest) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    months = request.GET.get("months", "")
    count = int(months) if months.isdigit() and 1 <= int(months) <= 60 else 12
    first = today.replace(day=1)
    for _ in range(count - 1):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return first, today


class WeaponsView(NteMixin, TemplateView):
    """Weapon finds by place and by month (every sweep's and shift's finds, counted), and the sweeps the user may
    see."""

    template_name = "nte/weapons.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = acting_user(self.request)
        since, until = _period(self.request)
        finds = queries.weapon_finds(since, until)
        top = [p for p, _ in finds.by_place()[:4]]
        panels = []
        for chart in (charts.finds_by_month(finds), charts.finds_by_place(finds), charts.place_trend(finds, top)):
            table = [[(cell_text(c, row.get(c.key), None), c.numeric) for c in chart.columns] for row in chart.rows]
            panels.append({"chart": chart, "spec_id": f"spec-{chart.slug}", "table": table})
        return {
            **super().get_context_data(**kwargs),
            "finds": finds,
            "panels": panels if finds.total else [],
            "months": (until.year - since.year) * 12 + until.month - since.month + 1,
            "sweeps": list(KnifeSweep.objects.visible_to(user).select_related("area", "owning_agency")[:20]),
            "may_log": may_log_nte_shifts(user, nte_partner=_partner(user)),
        }


class SweepNewView(LoggerMixin, FormView):
    template_name = "nte/form.html"
    form_class = SweepForm

    def get_form_kwargs(self) -> dict[str, Any]:
        user = acting_user(self.request)
        partners = [a for a in services.partner_agencies() if a.pk != user.agency_id]
        return {**super().get_form_kwargs(), "partners": partners}

    def get_initial(self) -> dict[str, Any]:
        return {"swept_on": timezone.localdate(), "area": NteArea.objects.first()}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "heading": "Record a knife sweep", "submit": "Save the sweep"}

    def form_valid(self, form: SweepForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            sweep = services.record_sweep(
                acting_user(self.request),
                swept_on=data["swept_on"],
                area=data["area"],
                agencies=data["agencies"],
                venues=data["venues"],
                searched=data["searched"],
                notes=data["notes"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Sweep {sweep.reference} saved. Add what it found.")
        return redirect(sweep)


class SweepView(RecordMixin[KnifeSweep], TemplateView):
    model = KnifeSweep
    template_name = "nte/sweep.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        sweep = self.record
        return {
            **super().get_context_data(**kwargs),
            "sweep": sweep,
            "venues": list(sweep.venues_searched.all()),
            "partners": [sweep.owning_agency, *sweep.parties.all()],
            "finds": list(sweep.finds.select_related("venue")),
            "may_add": self.allowed.get(str(Verb.CREATE), False),
        }


class FindNewView(RecordMixin[KnifeSweep], FormView):
    model = KnifeSweep
    action = Verb.CREATE
    template_name = "nte/form.html"
    form_class = FindForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "record": self.record,
            "heading": "Add a weapon found",
            "caption": f"Sweep of {govuk_date(self.record.swept_on)}",
            "submit": "Save the find",
        }

    def form_valid(self, form: FindForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            services.record_find(
                acting_user(self.request),
                sweep=self.record,
                weapon_type=data["weapon_type"],
                venue=data["venue"],
                location=data["location"],
                hidden=data["hidden"],
                description=data["description"],
                handed_to_police=data["handed_to_police"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "Find added to the sweep.")
        return redirect(self.record)


# --- Dispersal and PSPO areas -------------------------------------------------------------------------------------


class DesignationListView(NteMixin, TemplateView):
    template_name = "nte/designations.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = acting_user(self.request)
        now = timezone.now()
        areas = list(DesignatedArea.objects.select_related("owning_agency", "area"))
        return {
            **super().get_context_data(**kwargs),
            "in_force": [a for a in areas if a.in_force(now)],
            "others": [a for a in areas if not a.in_force(now)],
            "may_designate": may_designate_nte_areas(user),
        }


class DesignationView(NteMixin, TemplateView):
    model = DesignatedArea
    template_name = "nte/designation.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        designation = get_object_or_404(DesignatedArea.objects.select_related("owning_agency"), uuid=kwargs["uuid"])
        return {
            **super().get_context_data(**kwargs),
            "designation": designation,
            "in_force": designation.in_force(),
            "geojson_text": json.dumps(designation.geometry, indent=1),
        }


class DesignationNewView(LoginRequiredMixin, FormView):
    template_name = "nte/form.html"
    form_class = DesignationForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not may_designate_nte_areas(acting_user(request)):
            raise PermissionDenied("Statutory partners' officers record dispersal and PSPO areas.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "heading": "Record a dispersal or PSPO area",
            "submit": "Save the area",
            "multipart": True,
        }

    def form_valid(self, form: DesignationForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            designation = services.designate_area(
                acting_user(self.request),
                kind=data["kind"],
                name=data["name"],
                geometry=data["geometry"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                authorised_by=data["authorised_by"],
                restrictions=data["restrictions"],
                reference=data["reference"],
                area=data["area"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"{designation.name} saved.")
        return redirect(designation)


def designation_features(at: dt.datetime | None = None, *, current_only: bool = False) -> dict[str, Any]:
    """The dispersal and PSPO areas as a GeoJSON FeatureCollection (public notices: no personal data)."""
    now = at or timezone.now()
    features = []
    for area in DesignatedArea.objects.order_by("kind", "name"):
        in_force = area.in_force(now)
        if current_only and not in_force:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": area.geometry,
                "properties": {
                    "name": area.name,
                    "kind": area.kind,
                    "kind_label": area.get_kind_display(),
                    "period": f"{govuk_when(area.starts_at)} to {govuk_when(area.ends_at)}",
                    "status": "In force" if in_force else ("Ended" if area.ends_at <= now else "Not yet in force"),
                    "in_force": in_force,
                    "url": area.get_absolute_url(),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


class DesignationsGeoJsonView(LoginRequiredMixin, View):
    """The areas for the analytics map's overlay (every signed-in member: they are public notices)."""

    def get(self, request: HttpRequest) -> JsonResponse:
        acting_user(request)
        return JsonResponse(designation_features(current_only=request.GET.get("current") == "1"))
