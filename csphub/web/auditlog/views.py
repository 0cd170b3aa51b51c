"""The audit log's own pages: verify the chain, export entries for a person or a period.

Each reader reads the log through the access policy (``csphub.access.auditlog``): rows about records they may not
see now are counted, never shown or exported; the information governance lead reads it all."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from csphub.access.auditlog import export_csv, recent_entries, records_shown, resolve_reference
from csphub.access.policy import may_use_audit_log, reads_whole_audit_log
from csphub.access.views_base import acting_user
from csphub.audit.exports import ExportScope
from csphub.audit.verification import verify_log
from csphub.web.auditlog.forms import ExportForm


class AuditRequiredMixin(LoginRequiredMixin):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not may_use_audit_log(acting_user(request)):
            raise PermissionDenied(
                "Only administrators, partnership managers and the information governance lead may use the audit log."
            )
        return super().dispatch(request, *args, **kwargs)


class AuditIndexView(AuditRequiredMixin, View):
    template_name = "audit/index.html"

    def _render(
        self, request: HttpRequest, form: ExportForm, verification: Any = None, status: int = 200
    ) -> HttpResponse:
        user = acting_user(request)
        latest, withheld = recent_entries(user)
        context = {
            "form": form,
            "verification": verification,
            "latest": records_shown(user, latest),
            "withheld": withheld,
            "reads_everything": reads_whole_audit_log(user),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, ExportForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        if request.POST.get("verify"):
            return self._render(request, ExportForm(), verification=verify_log())
        form = ExportForm(request.POST)
        if not form.is_valid():
            return self._render(request, form, status=400)
        data = form.cleaned_data
        record_id = resolve_reference(acting_user(request), data["record"]) if data["record"] else None
        if data["record"] and record_id is None:
            form.add_error("record", "No record you may see has this reference. Check the reference.")
            return self._render(request, form, status=400)
        scope = ExportScope((record_id,) if record_id else (), data["start"], data["end"])
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="csphub-audit-{stamp}.csv"'
        export_csv(acting_user(request), scope, response, recipient=data["recipient"], reason=data["reason"])
        return response
