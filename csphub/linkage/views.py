"""The register merger's pages: the clerical review queue, one pair side by side, undoing a merge, imports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django.views.generic import TemplateView

from csphub.access.policy import may_see_statistics
from csphub.access.services import require
from csphub.access.views_base import acting_user
from csphub.access.vocabulary import Verb
from csphub.linkage.forms import DecisionForm, UnmergeForm
from csphub.linkage.merging import unmerge
from csphub.linkage.models import ImportBatch, MergeEvent
from csphub.linkage.review import check_reviewer, compare, decide, people_of, queue_for, source_row_visible
from csphub.registers.models import Person
from csphub.ui.views_support import apply_errors


class QueueView(LoginRequiredMixin, TemplateView):
    template_name = "linkage/queue.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = acting_user(self.request)
        check_reviewer(user)
        return {**super().get_context_data(**kwargs), "pairs": list(queue_for(user)[:200])}


class PairView(LoginRequiredMixin, View):
    template_name = "linkage/pair.html"

    def _pair(self, request: HttpRequest, uuid: Any) -> Any:
        user = acting_user(request)
        check_reviewer(user)
        return get_object_or_404(queue_for(user), uuid=uuid)

    def _render(self, request: HttpRequest, pair: Any, form: DecisionForm, status: int = 200) -> HttpResponse:
        user = acting_user(request)
        show_a, show_b = source_row_visible(user, pair.record_a), source_row_visible(user, pair.record_b)
        person_a, person_b = people_of(user, pair)
        context = {
            "person_pair": (person_a, person_b),
            "pair": pair,
            "fields": compare(pair, show_a=show_a, show_b=show_b),
            "form": form,
            "show_a": show_a,
            "show_b": show_b,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, uuid: Any) -> HttpResponse:
        return self._render(request, self._pair(request, uuid), DecisionForm())

    def post(self, request: HttpRequest, uuid: Any) -> HttpResponse:
        pair = self._pair(request, uuid)
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                decide(
                    pair,
                    acting_user(request),
                    decision=form.cleaned_data["decision"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "Decision recorded.")
                return redirect("linkage:queue")
        return self._render(request, pair, form, status=400)


class UnmergeView(LoginRequiredMixin, View):
    """Undo a merge, from the surviving person's page."""

    template_name = "linkage/unmerge.html"

    def _event(self, request: HttpRequest, uuid: Any) -> MergeEvent:
        user = acting_user(request)
        survivors = Person.objects.visible_to(user, Verb.VIEW)
        event = get_object_or_404(
            MergeEvent.objects.filter(undone_at__isnull=True, survivor__in=survivors).select_related(
                "survivor", "absorbed"
            ),
            uuid=uuid,
        )
        require(user, Verb.CHANGE, event.survivor)
        return event

    def get(self, request: HttpRequest, uuid: Any) -> HttpResponse:
        return render(request, self.template_name, {"event": self._event(request, uuid), "form": UnmergeForm()})

    def post(self, request: HttpRequest, uuid: Any) -> HttpResponse:
        event = self._event(request, uuid)
        form = UnmergeForm(request.POST)
        if form.is_valid():
            try:
                unmerge(event, by=acting_user(request), reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "The merge was undone: both people are on the register again.")
                return redirect(event.survivor)
        return render(request, self.template_name, {"event": event, "form": form}, status=400)


class ImportsView(LoginRequiredMixin, TemplateView):
    """What each legacy import read, imported and quarantined (file, line, reason): nothing silently dropped."""

    template_name = "linkage/imports.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from django.core.exceptions import PermissionDenied

        if not may_see_statistics(acting_user(self.request)):
            raise PermissionDenied("Only partnership managers and analysts see the import reports.")
        batches = list(ImportBatch.objects.select_related("owning_agency").prefetch_related("quarantined")[:100])
        return {**super().get_context_data(**kwargs), "batches": batches}
