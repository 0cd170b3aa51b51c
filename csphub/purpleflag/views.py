"""Purple Flag pages: the packs the user may see, one pack (its generated figures, charts and map with the narrative
per standard), the narrative's form and the PDF. Thin: the access policy decides (``RecordMixin``), the services
act, ``evidence.build`` generates the figures."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View
from django.views.generic import TemplateView

from csphub.access.views_base import RecordMixin, acting_user
from csphub.ui.views_support import apply_errors

from . import services
from .evidence import build
from .forms import NarrativeForm, PackForm
from .models import EvidencePack
from .pdf import context, render_pdf


class PackListView(LoginRequiredMixin, TemplateView):
    template_name = "purpleflag/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = acting_user(self.request)
        packs = EvidencePack.objects.visible_to(user).select_related("owning_agency").order_by("-last_month", "title")
        return {
            **super().get_context_data(**kwargs),
            "packs": list(packs),
            "may_create": services.may_create(user),
        }


class PackCreateView(LoginRequiredMixin, View):
    """Start a pack: the town centre round a postcode's centre, the district and the months (``services.create_pack``
    decides who may: a statutory partner's officers and managers; others get 403)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated and not services.may_create(acting_user(request)):
            raise PermissionDenied("Only a statutory partner's officers and managers start an evidence pack.")
        return super().dispatch(request, *args, **kwargs)

    def _form(self, data: Any = None) -> PackForm:
        agency = acting_user(self.request).agency
        assert agency is not None  # may_create: a partner's user
        return PackForm(data, agency=agency)

    def _render(self, form: PackForm) -> HttpResponse:
        return render(self.request, "purpleflag/create.html", {"form": form}, status=400 if form.is_bound else 200)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(self._form())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self._form(request.POST)
        if not form.is_valid():
            return self._render(form)
        data = form.cleaned_data
        assert form.centre is not None
        first, last = data["first_month"], data["last_month"]
        try:
            pack = services.create_pack(
                acting_user(request),
                title=f"{data['town_centre']}: Purple Flag evidence, {first:%B %Y} to {last:%B %Y}",
                town_centre=data["town_centre"],
                district_code=data["district"].ons_code,
                centre=form.centre,
                radius_m=data["radius_m"],
                first_month=first,
                last_month=last,
                nte_area=data["nte_area"],
                town_centre_agency=data["town_centre_agency"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            return self._render(form)
        messages.success(request, "Evidence pack started: write the narrative of each standard around its figures.")
        return redirect(pack)


class PackMixin(RecordMixin[EvidencePack]):
    model = EvidencePack

    def record_queryset(self) -> Any:
        return EvidencePack.objects.select_related("owning_agency", "town_centre_agency", "nte_area")


class PackView(PackMixin, TemplateView):
    template_name = "purpleflag/pack.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = acting_user(self.request)
        evidence = build(self.record, services.threshold_for(user))
        return {
            **super().get_context_data(**kwargs),
            **context(self.record, evidence),
            "may_edit": services.may_edit_narrative(self.record, user),
        }


class NarrativeView(PackMixin, View):
    """The narrative of the five standards, in one form (the owning agency and the town-centre partnership)."""

    def _check(self) -> None:
        if not services.may_edit_narrative(self.record, acting_user(self.request)):
            raise PermissionDenied("Only the pack's owning agency and the town-centre partnership write its narrative.")

    def _render(self, form: NarrativeForm) -> HttpResponse:
        return render(
            self.request,
            "purpleflag/narrative.html",
            {"form": form, "pack": self.record},
            status=400 if form.is_bound else 200,
        )

    def get(self, request: HttpRequest, uuid: str) -> HttpResponse:
        self._check()
        initial = {n.standard: n.text for n in self.record.narratives.all()}
        return self._render(NarrativeForm(initial=initial))

    def post(self, request: HttpRequest, uuid: str) -> HttpResponse:
        self._check()
        form = NarrativeForm(request.POST)
        if not form.is_valid():
            return self._render(form)
        try:
            changed = services.write_narrative(self.record, acting_user(request), form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
            return self._render(form)
        messages.success(
            request, f"Narrative saved ({len(changed)} standard{'s' if len(changed) != 1 else ''} changed)."
        )
        return redirect(self.record)


class PdfView(PackMixin, View):
    def get(self, request: HttpRequest, uuid: str) -> HttpResponse:
        pdf = render_pdf(self.record, acting_user(request), request.build_absolute_uri("/"))
        response = HttpResponse(pdf, content_type="application/pdf")
        name = f"purple-flag-{self.record.town_centre.lower().replace(' ', '-')}-{self.record.last_month:%Y-%m}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
