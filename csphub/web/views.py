"""Home page, the partnership's structure (districts, agencies, agreements), and the error pages."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.shortcuts import get_object_or_404, redirect
from django.template import loader
from django.templatetags.static import static
from django.utils import timezone
from django.views.generic import FormView, RedirectView, TemplateView

from csphub.access.grants import AccessGrant
from csphub.access.policy import (
    ROLE_ACTIONS,
    allowed_actions,
    is_community_user,
    may_see_insights,
    may_upload_crime_data,
    may_use_audit_log,
)
from csphub.access.views_base import acting_user
from csphub.access.vocabulary import ACTION_LABELS, ACTION_VERBS, Verb
from csphub.partnership.models import Agency, District, InformationSharingAgreement, Partnership
from csphub.registers.models import Place
from csphub.web.forms import NotificationPreferenceForm
from csphub.web.home import panels_for
from csphub.web.notify import preference_for

_UUID_IN_PATH = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class FaviconView(RedirectView):
    """Browsers ask for /favicon.ico whatever the page links: send them to the service's icon (no personal data)."""

    permanent = True

    def get_redirect_url(self, *args: Any, **kwargs: Any) -> str:
        return static("csphub/favicon.svg")


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "web/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = acting_user(self.request)
        actions = allowed_actions(user)
        context = super().get_context_data(**kwargs)
        context.update(
            roles=user.display_roles,
            community=is_community_user(user),
            can_search=Verb.VIEW in actions,
            can_create=Verb.CREATE in actions,
            actions=[label for verb, label in ACTION_LABELS.items() if verb in actions],
            my_grants=AccessGrant.objects.current().filter(user=user).order_by("expires_at")[:10],
            audit=may_use_audit_log(user),
            panels=panels_for(user),
            today=timezone.localdate(),
            insights=may_see_insights(user),
            may_upload_crime_data=may_upload_crime_data(user),
        )
        return context


class NotificationsView(LoginRequiredMixin, FormView):
    """The user's e-mail notification preferences (``csphub notify`` sends them)."""

    template_name = "web/notifications.html"
    form_class = NotificationPreferenceForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated and Verb.VIEW not in allowed_actions(acting_user(request)):
            raise PermissionDenied("Notifications are of deadlines and actions in cases: your role sees no cases.")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": preference_for(acting_user(self.request))}

    def form_valid(self, form: NotificationPreferenceForm) -> HttpResponse:
        form.save()
        messages.success(self.request, "Your notification preferences are saved.")
        return redirect("web:notifications")


class PartnershipView(LoginRequiredMixin, TemplateView):
    template_name = "web/partnership.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        agreements = list(InformationSharingAgreement.objects.prefetch_related("parties").order_by("reference"))
        districts = list(District.objects.order_by("name"))
        # Counts of places are counts of what this viewer may see (a count of the whole register would tell every
        # member how much other agencies hold); roles that read no records see no counts.
        user = acting_user(self.request)
        show_counts = Verb.VIEW in allowed_actions(user)
        if show_counts:
            counts = dict(
                Place.objects.visible_to(user)
                .filter(district__isnull=False)
                .values("district")
                .annotate(n=Count("pk"))
                .values_list("district", "n")
            )
            for district in districts:
                district.place_count = counts.get(district.pk, 0)  # type: ignore[attr-defined]
        context.update(
            partnership=Partnership.objects.first(),
            districts=districts,
            show_counts=show_counts,
            agencies=Agency.objects.prefetch_related(
                Prefetch("districts", queryset=District.objects.order_by("name"))
            ).order_by("name"),
            agreements=[(isa, isa.is_valid_on(today)) for isa in agreements],
            role_actions=[
                (role, [ACTION_VERBS[v] for v in ACTION_VERBS if v in acts]) for role, acts in ROLE_ACTIONS.items()
            ],
        )
        return context


class AgencyView(LoginRequiredMixin, TemplateView):
    template_name = "web/agency.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        agency = get_object_or_404(Agency.objects.prefetch_related("districts"), uuid=kwargs["uuid"])
        today = timezone.localdate()
        context.update(
            agency=agency,
            agreements=[
                (isa, isa.is_valid_on(today))
                for isa in agency.sharing_agreements.prefetch_related("parties").order_by("reference")
            ],
            member_count=agency.users.filter(is_active=True).count(),
        )
        return context


class AgreementView(LoginRequiredMixin, TemplateView):
    template_name = "web/agreement.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        isa = get_object_or_404(InformationSharingAgreement.objects.prefetch_related("parties"), uuid=kwargs["uuid"])
        context.update(isa=isa, valid=isa.is_valid_on(timezone.localdate()))
        return context


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404 page; offers a break-glass request for a record UUID in the path (without confirming it exists)."""
    match = _UUID_IN_PATH.search(request.path)
    template = loader.get_template("404.html")
    body = template.render({"record_hint": match.group(0) if match else ""}, request)
    return HttpResponseNotFound(body)
