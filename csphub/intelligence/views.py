"""Intelligence pages: county lines, organised crime groups, the picture as at a date, what changed, the counts.

Thin views: each opens its record through the access policy (``RecordMixin`` → ``open_record``: 404 outside,
justification asked for, consultation logged) and calls one service verb or query.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from csphub.access import consultation
from csphub.access.policy import (
    allowed_actions,
    may_designate_soc_leads,
    may_see_intelligence_counts,
    may_use_intelligence,
)
from csphub.access.views_base import RecordMixin, acting_user
from csphub.access.vocabulary import Verb
from csphub.intelligence import morile, services
from csphub.intelligence.forms import (
    AsAtForm,
    ChangeFactForm,
    CountsForm,
    DiffForm,
    FactForm,
    GroupForm,
    LeadForm,
    LineForm,
    MorileForm,
    kinds_for,
)
from csphub.intelligence.models import KIND_LABELS, CountyLine, Fact, OrganisedCrimeGroup
from csphub.intelligence.timeline import SPECS, Kind
from csphub.partnership.models import District, User
from csphub.registers.models import Person, Place
from csphub.registers.services import record_place
from csphub.ui.views_support import apply_errors

REFUSAL = "These pages are for police intelligence and named serious organised crime leads."


class IntelligenceMixin(LoginRequiredMixin):
    """Pages over all the intelligence a user may see: 403 for those who may see none (the records themselves are
    still filtered by ``visible_to``)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not may_use_intelligence(acting_user(request)):
            raise PermissionDenied(REFUSAL)
        return super().dispatch(request, *args, **kwargs)


def _date(value: Any, default: dt.date) -> dt.date:
    return value if isinstance(value, dt.date) else default


class LineListView(IntelligenceMixin, TemplateView):
    template_name = "intelligence/line_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = acting_user(self.request)
        lines = list(CountyLine.objects.visible_to(user).order_by("name"))
        consultation.record_results(lines, "the list of county lines", {"page": "lines"})
        pic = services.picture(user, valid=timezone.localdate())
        status = {v.ref[1]: v for v in pic.lines}
        rows = [{"line": line, "now": status.get(line.pk)} for line in lines]
        return {
            **super().get_context_data(**kwargs),
            "rows": rows,
            "can_create": Verb.CREATE in allowed_actions(user),
        }


class GroupListView(IntelligenceMixin, TemplateView):
    template_name = "intelligence/group_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = acting_user(self.request)
        groups = list(OrganisedCrimeGroup.objects.visible_to(user).order_by("name"))
        consultation.record_results(groups, "the list of organised crime groups", {"page": "groups"})
        pic = services.picture(user, valid=timezone.localdate())
        now = {v.ref[1]: v for v in pic.groups}
        latest = {a.group_id: a for a in _latest_assessments(groups)}
        rows = [{"group": g, "now": now.get(g.pk), "assessment": latest.get(g.pk)} for g in groups]
        return {
            **super().get_context_data(**kwargs),
            "rows": rows,
            "can_create": Verb.CREATE in allowed_actions(user),
        }


def _latest_assessments(groups: list[OrganisedCrimeGroup]) -> list[Any]:
    from csphub.intelligence.models import MorileAssessment

    seen: dict[int, Any] = {}
    for a in MorileAssessment.objects.filter(group__in=groups).order_by("-assessed_on", "-recorded_at"):
        seen.setdefault(a.group_id, a)
    return list(seen.values())


class _CreateView(IntelligenceMixin, FormView):
    template_name = "intelligence/form.html"
    heading: ClassVar[str] = ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and Verb.CREATE not in allowed_actions(acting_user(request)):
            raise PermissionDenied("Your role does not allow you to create records.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "heading": self.heading}


def _districts(uuids: list[str]) -> list[District]:
    return list(District.objects.filter(uuid__in=uuids))


class LineCreateView(_CreateView):
    form_class = LineForm
    heading = "Record a county line"

    def form_valid(self, form: LineForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            line = services.open_line(
                acting_user(self.request),
                name=data["name"],
                origin=data["origin"],
                districts=_districts(data["districts"]),
                valid_from=data["valid_from"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"{line} recorded.")
        return redirect(line)


class GroupCreateView(_CreateView):
    form_class = GroupForm
    heading = "Record an organised crime group"

    def form_valid(self, form: GroupForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            group = services.open_group(
                acting_user(self.request),
                name=data["name"],
                activities=data["activities"],
                areas=_districts(data["areas"]),
                valid_from=data["valid_from"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"{group} recorded.")
        return redirect(group)


class LineDetailView(RecordMixin[CountyLine], TemplateView):
    model = CountyLine
    template_name = "intelligence/subject_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = acting_user(self.request)
        return {
            **super().get_context_data(**kwargs),
            "subject": self.record,
            "kind_name": "county line",
            "page": services.subject_page(user, self.record),
            "kinds": kinds_for("line"),
            "allowed": self.allowed,
            "fact_url": reverse("intelligence:line-fact", args=[self.record.uuid]),
            "change_url": reverse("intelligence:line-change", args=[self.record.uuid]),
        }


class GroupDetailView(RecordMixin[OrganisedCrimeGroup], TemplateView):
    model = OrganisedCrimeGroup
    template_name = "intelligence/subject_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = acting_user(self.request)
        return {
            **super().get_context_data(**kwargs),
            "subject": self.record,
            "kind_name": "organised crime group",
            "page": services.subject_page(user, self.record),
            "kinds": kinds_for("group"),
            "allowed": self.allowed,
            "assessments": list(self.record.assessments.all()),
            "fact_url": reverse("intelligence:group-fact", args=[self.record.uuid]),
            "change_url": reverse("intelligence:group-change", args=[self.record.uuid]),
            "assess_url": reverse("intelligence:group-assess", args=[self.record.uuid]),
        }


class _FactView(FormView):
    """Record one fact (of the kind in ``?kind=``) on the line or group."""

    template_name = "intelligence/fact_form.html"
    record: Any
    subject_type: ClassVar[str] = ""

    def kind(self) -> str:
        kind = self.request.GET.get("kind") or self.request.POST.get("kind") or ""
        choices = dict(kinds_for(self.subject_type))
        return kind if kind in choices else ""

    def get_form(self, form_class: Any = None) -> Any:
        kind = self.kind()
        if not kind:
            return None
        groups = [
            (str(g.uuid), g.name)
            for g in OrganisedCrimeGroup.objects.visible_to(acting_user(self.request)).order_by("name")
        ]
        return FactForm(**self.get_form_kwargs(), kind=kind, groups=groups)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.get_form()
        if form is None:
            return self.render_to_response(self.get_context_data(form=None))
        return self.form_valid(form) if form.is_valid() else self.form_invalid(form)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kind = self.kind()
        return {
            **super().get_context_data(**kwargs),
            "subject": self.record,
            "kind": kind,
            "kind_label": KIND_LABELS.get(kind, ""),
            "kinds": kinds_for(self.subject_type),
        }

    def _object(self, kind: str, data: dict[str, Any]) -> Any:
        user, subject = acting_user(self.request), self.record
        obj_type = SPECS[kind].obj
        if obj_type == "person":
            if data.get("person"):
                return consultation.open_record(Person.objects.all(), user, Verb.VIEW, uuid=data["person"])
            return services.intelligence_person(
                subject, user, given_name=data.get("given_name", ""), family_name=data["family_name"]
            )
        if obj_type == "phone":
            return services.deal_line_phone(subject, user, data["number"])
        if obj_type == "place":
            if data.get("place"):
                return consultation.open_record(Place.objects.all(), user, Verb.VIEW, uuid=data["place"])
            return record_place(user, address=data["address"], postcode=data.get("postcode", ""))
        if obj_type == "vehicle":
            return services.line_vehicle(subject, user, data["registration"])
        if obj_type == "district":
            return District.objects.get(uuid=data["district"])
        if obj_type == "group":
            return consultation.open_record(OrganisedCrimeGroup.objects.all(), user, Verb.VIEW, uuid=data["group"])
        return None

    def form_valid(self, form: Any) -> HttpResponse:
        data = form.cleaned_data
        kind = form.kind
        try:
            services.record_fact(
                self.record,
                acting_user(self.request),
                kind=kind,
                value=data.get("value", ""),
                obj=self._object(kind, data),
                valid_from=data["valid_from"],
                valid_to=data.get("valid_to"),
                source=data.get("source", ""),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"{KIND_LABELS[kind]} recorded.")
        return redirect(self.record)


class LineFactView(RecordMixin[CountyLine], _FactView):
    model = CountyLine
    action = Verb.CHANGE
    subject_type = "line"


class GroupFactView(RecordMixin[OrganisedCrimeGroup], _FactView):
    model = OrganisedCrimeGroup
    action = Verb.CHANGE
    subject_type = "group"


class _ChangeView(FormView):
    """End, correct or withdraw one of the record's facts (``?fact=`` its UUID)."""

    template_name = "intelligence/change_form.html"
    form_class = ChangeFactForm
    record: Any

    def fact(self) -> Fact | None:
        raw = self.request.POST.get("fact") or self.request.GET.get("fact") or ""
        try:
            return Fact.objects.filter(uuid=raw, **{self.record.subject_type: self.record}).first()
        except ValidationError:
            return None

    def get_initial(self) -> dict[str, Any]:
        fact = self.fact()
        return {"fact": fact.uuid} if fact is not None else {}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        fact = self.fact()
        page = services.subject_page(acting_user(self.request), self.record)
        view = next((v for v in page.current if fact is not None and v.uuid == str(fact.uuid)), None)
        return {**super().get_context_data(**kwargs), "subject": self.record, "fact": view}

    def form_valid(self, form: ChangeFactForm) -> HttpResponse:
        fact = self.fact()
        if fact is None:
            raise Http404("No such fact")
        data, user = form.cleaned_data, acting_user(self.request)
        try:
            if data["change"] == "end":
                services.end_fact(fact, user, on=data["on"])
            elif data["change"] == "correct":
                services.correct_fact(fact, user, valid_from=data["valid_from"], valid_to=data.get("valid_to"))
            else:
                services.retract_fact(fact, user)
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "Change recorded. The earlier version stays in the history.")
        return redirect(self.record)


class LineChangeView(RecordMixin[CountyLine], _ChangeView):
    model = CountyLine
    action = Verb.CHANGE


class GroupChangeView(RecordMixin[OrganisedCrimeGroup], _ChangeView):
    model = OrganisedCrimeGroup
    action = Verb.CHANGE


class GroupAssessView(RecordMixin[OrganisedCrimeGroup], FormView):
    model = OrganisedCrimeGroup
    action = Verb.CHANGE
    template_name = "intelligence/assess_form.html"

    def get_form(self, form_class: Any = None) -> MorileForm:
        self.definition = morile.load(services.active_morile().definition)
        return MorileForm(**self.get_form_kwargs(), definition=self.definition)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "subject": self.record, "definition": self.definition}

    def form_valid(self, form: MorileForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            assessment = services.assess_group(
                self.record,
                acting_user(self.request),
                scores={d.id: data[d.id] for d in self.definition.dimensions},
                confidence=data["confidence"],
                assessed_on=data["assessed_on"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Assessed: {assessment.level_label} (version {assessment.version}).")
        return redirect(self.record)


class PictureView(IntelligenceMixin, TemplateView):
    """The picture as at a date, as known then or as known now."""

    template_name = "intelligence/picture.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = acting_user(self.request)
        form = AsAtForm(self.request.GET or None)
        today = timezone.localdate()
        valid, known = today, "now"
        if form.is_bound and form.is_valid():
            valid = _date(form.cleaned_data.get("valid"), today)
            known = form.cleaned_data.get("known") or "now"
        pic = services.picture(user, valid=valid, as_known=known)
        shown: list[Any] = [*CountyLine.objects.filter(pk__in=[v.ref[1] for v in pic.lines])]
        shown += OrganisedCrimeGroup.objects.filter(pk__in=[v.ref[1] for v in pic.groups])
        consultation.record_results(shown, "the picture as at a date", {"valid": str(valid), "known": known})
        other = "then" if known == "now" else "now"
        return {
            **super().get_context_data(**kwargs),
            "form": form,
            "picture": pic,
            "toggle_url": f"?valid={valid.isoformat()}&known={other}",
            "toggle_label": "As known then" if other == "then" else "As known now",
        }


class ChangesView(IntelligenceMixin, TemplateView):
    template_name = "intelligence/changes.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = acting_user(self.request)
        form = DiffForm(self.request.GET or None)
        today = timezone.localdate()
        first, second = today - dt.timedelta(days=28), today
        if form.is_bound and form.is_valid():
            first = _date(form.cleaned_data.get("first"), first)
            second = _date(form.cleaned_data.get("second"), second)
        return {**super().get_context_data(**kwargs), "form": form, "changes": services.changes(user, first, second)}


class CountsView(LoginRequiredMixin, TemplateView):
    """Active county lines and organised crime groups by district: figures only, for every member."""

    template_name = "intelligence/counts.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        if not may_see_intelligence_counts(acting_user(self.request)):
            raise PermissionDenied("Sign in as a member of the partnership.")
        form = CountsForm(self.request.GET or None)
        today = timezone.localdate()
        valid = today
        if form.is_bound and form.is_valid():
            valid = _date(form.cleaned_data.get("valid"), today)
        return {
            **super().get_context_data(**kwargs),
            "form": form,
            "counts": services.counts(valid),
            "may_use": may_use_intelligence(acting_user(self.request)),
            "may_designate": may_designate_soc_leads(acting_user(self.request)),
        }


class LeadsView(LoginRequiredMixin, FormView):
    """The named serious organised crime leads: a partnership manager names and removes them (audited)."""

    template_name = "intelligence/leads.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not may_designate_soc_leads(acting_user(request)):
            raise PermissionDenied("Only a partnership manager names serious organised crime leads.")
        return super().dispatch(request, *args, **kwargs)

    def _candidates(self) -> list[User]:
        from csphub.access.policy import is_community_user

        user = acting_user(self.request)
        assert user.agency is not None
        people = User.objects.filter(is_active=True, agency__partnership_id=user.agency.partnership_id)
        return [u for u in people.order_by("last_name", "username") if not is_community_user(u)]

    def get_form(self, form_class: Any = None) -> LeadForm:
        users = [(str(u.uuid), f"{u.get_full_name() or u.username} ({u.agency})") for u in self._candidates()]
        return LeadForm(**self.get_form_kwargs(), users=users)

    def get_initial(self) -> dict[str, Any]:
        return {"action": "add"}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "leads": list(services.soc_leads().select_related("agency"))}

    def form_valid(self, form: LeadForm) -> HttpResponse:
        target = User.objects.get(uuid=form.cleaned_data["user"])
        try:
            if form.cleaned_data["action"] == "remove":
                services.revoke_soc_lead(target, acting_user(self.request))
                messages.success(self.request, f"{target.get_full_name() or target} is no longer a named lead.")
            else:
                services.designate_soc_lead(target, acting_user(self.request))
                messages.success(
                    self.request, f"{target.get_full_name() or target} named a serious organised crime lead."
                )
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        return redirect(reverse("intelligence:leads"))


__all__ = ["Kind"]
