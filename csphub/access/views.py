"""Justifications, break-glass access requests and their review, and sharing a record with an agency or user."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import FormView, TemplateView

from csphub.access import leads, services
from csphub.access.forms import AccessRequestForm, JustificationForm, ReviewForm, ShareForm, ShareWithUserForm
from csphub.access.grants import AccessGrant
from csphub.access.lookup import fetch_record, peek_record
from csphub.access.policy import allowed_actions, may_review_grants
from csphub.access.views_base import acting_user
from csphub.access.vocabulary import Verb
from csphub.audit import justifications
from csphub.ui.dates import govuk_when

REVIEWERS_ONLY = "Only partnership managers and the information governance lead review access grants."


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.GET.get("next") or request.POST.get("next") or fallback
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


class JustifyView(LoginRequiredMixin, FormView):
    template_name = "access/justify.html"
    form_class = JustificationForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            self.record = peek_record(acting_user(request), kwargs["uuid"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(record=self.record, next=_safe_next(self.request, "/"))
        return context

    def form_valid(self, form: JustificationForm) -> HttpResponse:
        justifications.remember(self.request.session, self.record.uuid, form.cleaned_data["justification"])
        fallback = getattr(self.record, "get_absolute_url", lambda: "/")()
        return redirect(_safe_next(self.request, fallback))


class RequestAccessView(LoginRequiredMixin, FormView):
    template_name = "access/request.html"
    form_class = AccessRequestForm

    def _lead(self) -> tuple[str, str] | None:
        token = self.request.POST.get("lead") or self.request.GET.get("lead") or ""
        return leads.resolve(self.request.session, token) if token else None

    def get_initial(self) -> dict[str, Any]:
        return {"record": self.request.GET.get("record", ""), "lead": self.request.GET.get("lead", "")}

    def get_form_kwargs(self) -> dict[str, Any]:
        lead = self._lead()
        return {**super().get_form_kwargs(), "holder": lead[1] if lead else ""}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        lead = self._lead()
        return {**super().get_context_data(**kwargs), "holder": lead[1] if lead else ""}

    def form_valid(self, form: AccessRequestForm) -> HttpResponse:
        user = acting_user(self.request)
        if form.cleaned_data["lead"]:
            lead = self._lead()
            if lead is None:
                form.add_error(None, "This link to request access has expired: search again.")
                return self.form_invalid(form)
            reference = lead[0]
        else:
            reference = form.cleaned_data["record"]
        try:
            record = services.find_record(reference)
        except services.AmbiguousReference:
            form.add_error("record", "More than one record has this reference: enter the full reference.")
            return self.form_invalid(form)
        if record is None:
            services.note_unmatched_request(str(form.cleaned_data["record"]), form.cleaned_data["justification"])
            form.add_error("record", "No record has this reference. Check it with the agency that gave it to you.")
            return self.form_invalid(form)
        already = type(record).objects.visible_to(user).filter(pk=record.pk).exists()
        if already:
            messages.info(self.request, "You already have access to this record.")
            return redirect(record.get_absolute_url())
        try:
            grant = services.request_access(user, record, form.cleaned_data["justification"])
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
            refused = self.form_invalid(form)
            refused.status_code = 403  # a refusal: AccessDecisionMiddleware logs it (views never write the log)
            return refused
        justifications.remember(self.request.session, record.uuid, grant.justification)
        messages.success(
            self.request,
            f"Access granted until {govuk_when(grant.expires_at)}. A supervisor will review your justification.",
        )
        return redirect(record.get_absolute_url())


class GrantsView(LoginRequiredMixin, TemplateView):
    template_name = "access/grants.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = acting_user(self.request)
        context.update(
            grants=AccessGrant.objects.filter(user=user).select_related("owning_agency")[:100],
            may_review=may_review_grants(user),
            may_request=Verb.VIEW in allowed_actions(user),
        )
        return context


class ReviewListView(LoginRequiredMixin, TemplateView):
    template_name = "access/review_list.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not may_review_grants(acting_user(request)):
            raise PermissionDenied(REVIEWERS_ONLY)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        grants = services.grants_for_review(acting_user(self.request)).select_related(
            "user", "user__agency", "owning_agency"
        )
        pending = grants.awaiting_review()
        context.update(
            pending=pending,
            overdue=pending.overdue().count(),
            review_hours=settings.CSPHUB_GRANT_REVIEW_HOURS,
            reviewed=grants.exclude(status="pending")[:50],
        )
        return context


class ReviewView(LoginRequiredMixin, FormView):
    template_name = "access/review.html"
    form_class = ReviewForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            if not may_review_grants(acting_user(request)):
                raise PermissionDenied(REVIEWERS_ONLY)
            self.grant = get_object_or_404(
                services.grants_for_review(acting_user(request)).select_related("user", "user__agency"),
                uuid=kwargs["uuid"],
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "grant": self.grant}

    def form_valid(self, form: ReviewForm) -> HttpResponse:
        try:
            services.review_grant(
                self.grant,
                by=acting_user(self.request),
                uphold=form.cleaned_data["outcome"] == "uphold",
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
            return self.form_invalid(form)
        messages.success(self.request, "Review recorded.")
        return redirect("access:review-list")


class ShareView(LoginRequiredMixin, View):
    """Share a record with another agency (ISA checked) or with one named user."""

    template_name = "access/share.html"

    def _record(self, request: HttpRequest, uuid: Any) -> Any:
        return fetch_record(acting_user(request), Verb.SHARE, uuid)

    def _render(
        self,
        request: HttpRequest,
        record: Any,
        agency_form: ShareForm,
        user_form: ShareWithUserForm,
        status: int = 200,
    ) -> HttpResponse:
        return render(
            request,
            self.template_name,
            {"record": record, "agency_form": agency_form, "user_form": user_form},
            status=status,
        )

    def _exclude(self, record: Any) -> list[int]:
        return [record.owning_agency_id, *record.parties.values_list("pk", flat=True)]

    def get(self, request: HttpRequest, uuid: Any) -> HttpResponse:
        record = self._record(request, uuid)
        return self._render(
            request,
            record,
            ShareForm(exclude_ids=self._exclude(record), prefix="agency"),
            ShareWithUserForm(prefix="user"),
        )

    def post(self, request: HttpRequest, uuid: Any) -> HttpResponse:
        record = self._record(request, uuid)
        agency_form = ShareForm(exclude_ids=self._exclude(record), prefix="agency")
        user_form = ShareWithUserForm(prefix="user")
        if request.POST.get("target") == "user":
            user_form = ShareWithUserForm(request.POST, prefix="user")
            form: ShareForm | ShareWithUserForm = user_form
        else:
            agency_form = ShareForm(request.POST, exclude_ids=self._exclude(record), prefix="agency")
            form = agency_form
        if not form.is_valid():
            return self._render(request, record, agency_form, user_form, status=400)
        data = form.cleaned_data
        try:
            if form is user_form:
                services.share_with_user(
                    record,
                    to=data["user"],
                    by=acting_user(request),
                    purpose=data["purpose"],
                    justification=data["justification"],
                )
                messages.success(request, f"Shared with {data['user'].get_full_name() or data['user'].username}.")
            else:
                decision = services.disclose(
                    record,
                    to=data["agency"],
                    by=acting_user(request),
                    purpose=data["purpose"],
                    justification=data["justification"],
                )
                messages.success(request, f"Shared with {data['agency']}. {decision.reason}")
        except services.DisclosureRefused as exc:
            form.add_error(None, f"Sharing refused: {exc.reason}")
            return self._render(request, record, agency_form, user_form, status=400)
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
            return self._render(request, record, agency_form, user_form, status=400)
        return redirect(record.get_absolute_url())
