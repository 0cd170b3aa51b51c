"""Referral pages: the volunteer's form and list, the receiving team's triage inbox, and the triage verbs.

Who may use them is the access policy's (``may_refer``, ``may_triage``, and the referral's own rules through
``RecordMixin``); the views call one service verb each.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView

from csphub.access import consultation
from csphub.access.policy import may_refer, may_triage
from csphub.access.services import DisclosureRefused
from csphub.access.views_base import RecordMixin, acting_user
from csphub.access.vocabulary import Verb
from csphub.cases.models import Case
from csphub.referrals import services
from csphub.referrals.forms import NEW, AcceptForm, AddToCaseForm, DeclineForm, ReferralForm
from csphub.referrals.models import Referral, ReferralStatus
from csphub.registers.duplicates import likely_matches
from csphub.registers.models import Person, Place
from csphub.registers.search import PlaceQuery, SearchError, search_places
from csphub.ui.views_support import apply_errors


class _ReferrerMixin(LoginRequiredMixin):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not may_refer(acting_user(request)):
            raise PermissionDenied("Referrals are made by voluntary and business members; case officers open cases.")
        return super().dispatch(request, *args, **kwargs)


class _TriageMixin(LoginRequiredMixin):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not may_triage(acting_user(request)):
            raise PermissionDenied("Referrals are triaged by the case officers of the team that receives them.")
        return super().dispatch(request, *args, **kwargs)


class ReferralCreateView(_ReferrerMixin, FormView):
    template_name = "referrals/new.html"
    form_class = ReferralForm

    def form_valid(self, form: ReferralForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            referral = services.refer(
                acting_user(self.request),
                concern=data["concern"],
                what_happened=data["what_happened"],
                where=data["where"],
                postcode=data["postcode"],
                district=data["district"],
                people=data["people"],
                consent=data["consent"],
                urgency=data["urgency"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        except DisclosureRefused as exc:
            form.add_error(None, f"This referral cannot be sent: {exc.reason} Call the community safety team.")
            return self.form_invalid(form)
        messages.success(self.request, f"Referral {referral.reference} sent to {referral.owning_agency}.")
        return redirect(referral)


class MyReferralsView(_ReferrerMixin, TemplateView):
    template_name = "referrals/mine.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = acting_user(self.request)
        referrals = list(
            Referral.objects.visible_to(user).filter(referred_by=user).select_related("owning_agency")[:200]
        )
        return {**super().get_context_data(**kwargs), "referrals": referrals}


class InboxView(_TriageMixin, TemplateView):
    """The referrals the user's team received: those to triage, and the ones decided lately."""

    template_name = "referrals/inbox.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = acting_user(self.request)
        mine = Referral.objects.visible_to(user, Verb.CHANGE).select_related("owning_agency", "receiving_district")
        to_triage = list(mine.filter(status=ReferralStatus.RECEIVED).order_by("created_at")[:200])
        decided = list(mine.exclude(status=ReferralStatus.RECEIVED).order_by("-decided_at")[:20])
        consultation.record_results([*to_triage, *decided], "the referrals inbox", {"page": "inbox"})
        return {**super().get_context_data(**kwargs), "to_triage": to_triage, "decided": decided}


class ReferralDetailView(RecordMixin[Referral], TemplateView):
    model = Referral
    template_name = "referrals/detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = acting_user(self.request)
        referral = self.record
        # The case it went into, only if the viewer may see that case (the referrer usually may not).
        case = Case.objects.visible_to(user).filter(pk=referral.case_id).first() if referral.case_id else None
        return {
            **super().get_context_data(**kwargs),
            "referral": referral,
            "case": case,
            "can_triage": referral.is_open and may_triage(user) and self.allowed.get(str(Verb.CHANGE), False),
        }


class _TriageFormView(RecordMixin[Referral], FormView):
    model = Referral
    action = Verb.CHANGE
    template_name = "referrals/triage_form.html"
    heading = ""
    submit = ""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "referral": self.record,
            "heading": self.heading,
            "submit": self.submit,
        }

    def perform(self, form: Any) -> HttpResponse:
        raise NotImplementedError

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            return self.perform(form)
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)


class AcceptView(_TriageFormView):
    form_class = AcceptForm
    heading = "Accept into a new case"
    submit = "Open the case"

    def _places(self) -> list[Place]:
        referral = self.record
        try:
            if referral.postcode:
                return search_places(acting_user(self.request), PlaceQuery(postcode=referral.postcode), limit=5)
            return search_places(acting_user(self.request), PlaceQuery(address=referral.where), limit=5)
        except SearchError:
            return []

    def _people(self) -> list[tuple[str, tuple[str, str], Any]]:
        user = acting_user(self.request)
        rows = []
        for line in self.record.people_lines()[:10]:
            given, family = services.split_name(line)
            matches = (
                likely_matches(user, given_name=given, family_name=family, postcode=self.record.postcode)[:5]
                if family
                else []
            )
            rows.append((line, (given, family), matches))
        return rows

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        self.people_rows = self._people()
        kwargs.update(referral=self.record, places=self._places(), people=self.people_rows)
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        referral = self.record
        return {"title": referral.where[:200], "summary": referral.what_happened, "case_type": "asb_personal"}

    def perform(self, form: AcceptForm) -> HttpResponse:
        user = acting_user(self.request)
        data = form.cleaned_data
        place = None
        if data["place"] and data["place"] != NEW:
            place = consultation.open_record(Place.objects.all(), user, Verb.VIEW, uuid=data["place"])
        people = []
        for (person_field, role_field), (_line, names, _matches) in zip(
            form.people_lines, self.people_rows, strict=True
        ):
            choice = data.get(person_field) or ""
            if choice == NEW:
                people.append(services.PersonChoice(role=data[role_field], new=names))
            elif choice:
                person = consultation.open_record(Person.objects.all(), user, Verb.VIEW, uuid=choice)
                people.append(services.PersonChoice(role=data[role_field], person=person))
        case = services.accept_into_new_case(
            self.record,
            user,
            case_type=data["case_type"],
            title=data["title"],
            summary=data["summary"],
            place=place,
            new_place=data["place"] == NEW,
            people=people,
        )
        messages.success(self.request, f"Referral {self.record.reference} accepted: case {case.reference} opened.")
        return redirect(case)


class AddToCaseView(_TriageFormView):
    form_class = AddToCaseForm
    heading = "Add to an existing case"
    submit = "Add to the case"

    def perform(self, form: AddToCaseForm) -> HttpResponse:
        user = acting_user(self.request)
        reference = form.cleaned_data["reference"].strip().upper()
        case = Case.objects.visible_to(user, Verb.CHANGE).filter(reference=reference).first()
        if case is None:
            raise ValidationError({"reference": "Enter the reference of a case you may change"})
        services.accept_into_case(self.record, user, case)
        messages.success(self.request, f"Referral {self.record.reference} added to case {case.reference}.")
        return redirect(case)


class DeclineView(_TriageFormView):
    form_class = DeclineForm
    heading = "Decline the referral"
    submit = "Decline"

    def perform(self, form: DeclineForm) -> HttpResponse:
        services.decline(self.record, acting_user(self.request), form.cleaned_data["reason"])
        messages.success(self.request, f"Referral {self.record.reference} declined; the referrer sees your reason.")
        return redirect("referrals:inbox")
