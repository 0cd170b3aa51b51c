"""The analytics area's pages: thin views over ``dashboard``, ``casefigures``, ``charts`` and ``uploads``.

Who may see what is the access policy's (``csphub.access.policy``): ``may_see_insights`` (every member),
``sees_small_partner_counts`` (partner figures unsuppressed), ``may_upload_crime_data`` (uploads).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from csphub.access.policy import (
    is_community_user,
    may_see_insights,
    may_upload_crime_data,
    sees_small_partner_counts,
)
from csphub.access.views_base import acting_user
from csphub.partnership.models import User

from . import charts, dashboard, uploads
from .casefigures import case_figures
from .engine import analytics, area, areas
from .models import CrimeUpload, UploadKind
from .priorities import Priority, load


def threshold_for(user: User) -> int | None:
    """The suppression threshold of this user's partner figures (None: they see them unsuppressed)."""
    return None if sees_small_partner_counts(user) else settings.CSPHUB_SUPPRESSION_THRESHOLD


class InsightsView(LoginRequiredMixin):
    """Every page of the area: signed-in members of an agency."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated and not may_see_insights(acting_user(request)):
            raise PermissionDenied("The partnership's figures are for members of its agencies.")
        return super().dispatch(request, *args, **kwargs)


class UploaderView(InsightsView):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated and not may_upload_crime_data(acting_user(request)):
            raise PermissionDenied("Only analysts and partnership managers load data into the analytics store.")
        return super().dispatch(request, *args, **kwargs)


class IndexView(InsightsView, TemplateView):
    template_name = "insights/index.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = acting_user(self.request)
        held = analytics().holdings()
        return {
            **super().get_context_data(**kwargs),
            "priorities": load().items,
            "areas": areas(),
            "last_ingest": held.last_ingest,
            "coverage": [c for c in held.coverage() if c.table in ("street", "partner")],
            "may_upload": may_upload_crime_data(user),
            "map_url": "/insights/map/",
            "threshold": settings.CSPHUB_SUPPRESSION_THRESHOLD,
        }


def _priority(slug: str) -> Priority:
    found = load().get(slug)
    if found is None:
        raise Http404("No such priority.")
    return found


def _source(request: HttpRequest) -> dashboard.Source:
    return "partner" if request.GET.get("source") == "partner" else "police"


def _dashboard(request: HttpRequest, slug: str) -> dashboard.Dashboard:
    user = acting_user(request)
    return dashboard.build(_priority(slug), area(request.GET.get("area")), _source(request), threshold_for(user))


class DashboardView(InsightsView, TemplateView):
    template_name = "insights/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = acting_user(self.request)
        board = _dashboard(self.request, kwargs["priority"])
        priority, chosen = board.priority, board.area
        figures = None
        # Case figures: for statutory members (volunteers refer cases, they do not work them), on the priorities
        # that name case types.
        if not is_community_user(user) and (priority.all_crime or priority.case_types):
            figures = case_figures(
                user,
                None if priority.all_crime else priority.case_types,
                None if chosen.whole else chosen.codes,
                today=timezone.localdate(),
                threshold=threshold_for(user),
            )
        query = self.request.GET.urlencode()
        panels = [
            {
                "chart": c,
                "spec_id": f"chart-spec-{c.slug}",
                "table": [
                    [(charts.cell_text(col, row.get(col.key), board.threshold), col.numeric) for col in c.columns]
                    for row in c.rows
                ],
            }
            for c in board.charts
        ]
        shown = figures
        return {
            **super().get_context_data(**kwargs),
            "board": board,
            "panels": panels,
            "source_label": dashboard.SOURCES[board.source],
            "figure_tables": [
                ("Opened, by type", shown.by_type),
                ("Opened, by district", shown.by_district),
                ("ASB powers used", shown.powers),
            ]
            if shown
            else [],
            "priorities": load().items,
            "areas": areas(),
            "figures": shown,
            "query": f"?{query}" if query else "",
            "sources": dashboard.SOURCES,
            "version": load().version,
        }


class ChartFileView(InsightsView, View):
    """A chart's rows as CSV, or the chart as SVG or PNG (vl-convert, from the spec the page draws)."""

    fmt = "csv"

    def get(self, request: HttpRequest, priority: str, chart: str) -> HttpResponse:
        board = _dashboard(request, priority)
        found = board.chart(chart)
        if found is None:
            raise Http404("No such chart on this dashboard.")
        name = f"{board.priority.slug}-{board.area.slug}-{board.source}-{found.slug}.{self.fmt}"
        if self.fmt == "csv":
            response = HttpResponse(charts.to_csv(found, board.threshold), content_type="text/csv; charset=utf-8")
        else:
            types = {"svg": "image/svg+xml", "png": "image/png"}
            response = HttpResponse(charts.render(found, self.fmt), content_type=types[self.fmt])
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class HoldingsView(InsightsView, TemplateView):
    """What the analytics store holds: months per force and source, each file's rows, and the last ingest."""

    template_name = "insights/holdings.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = acting_user(self.request)
        held = analytics().holdings()
        files = sorted(held.files, key=lambda f: (f.table, f.owner, f.month), reverse=False)
        return {
            **super().get_context_data(**kwargs),
            "holdings": held,
            "coverage": held.coverage(),
            "files": files,
            "may_upload": may_upload_crime_data(user),
            "uploads": CrimeUpload.objects.filter(uploaded_by=user)[:10] if may_upload_crime_data(user) else [],
        }


class UploadView(UploaderView, TemplateView):
    template_name = "insights/upload.html"

    def post(self, request: HttpRequest) -> HttpResponse:
        user = acting_user(request)
        try:
            upload = uploads.receive(user, request.POST.get("kind", ""), request.FILES.getlist("files"))
        except uploads.UploadRefused as exc:
            return self.render_to_response(
                self.get_context_data(error=str(exc), kind=request.POST.get("kind", "")), status=400
            )
        return redirect("insights:upload-status", uuid=upload.uuid)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "kinds": UploadKind.choices,
            "max_mb": settings.CSPHUB_CRIME_UPLOAD_MAX_MB,
        }


def _own_upload(request: HttpRequest, uuid: str) -> CrimeUpload:
    """An upload of the requesting user's (another's does not exist for them)."""
    upload = CrimeUpload.objects.filter(uuid=uuid, uploaded_by=acting_user(request)).first()
    if upload is None:
        raise Http404("No such upload.")
    return upload


class UploadStatusView(UploaderView, TemplateView):
    template_name = "insights/upload_status.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        upload = _own_upload(self.request, str(kwargs["uuid"]))
        return {
            **super().get_context_data(**kwargs),
            "upload": upload,
            "progress_url": reverse("insights:upload-progress", kwargs={"uuid": upload.uuid}),
        }


class UploadProgressView(UploaderView, View):
    """What the progress bar polls."""

    def get(self, request: HttpRequest, uuid: str) -> JsonResponse:
        upload = _own_upload(request, str(uuid))
        return JsonResponse(
            {
                "status": upload.status,
                "status_label": upload.get_status_display(),
                "step": upload.step,
                "percent": upload.percent,
                "finished": upload.finished,
                "error": upload.error,
            }
        )
