"""Case pages: list (filter, sort, export), open (with a duplicate check first), view, and the verbs on a case."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, TemplateView

from csphub.access import consultation
from csphub.access.policy import allowed_actions, may_see_statistics, restricted_entries_filter
from csphub.access.services import DisclosureRefused
from csphub.access.views_base import CreateMixin, ReadMixin, RecordMixin, acting_user
from csphub.access.vocabulary import Verb
from csphub.cases import services
from csphub.cases.action_sources import other_actions
from csphub.cases.exports import export_csv
from csphub.cases.forms import (
    ActionForm,
    ActionUpdateForm,
    CaseFilterForm,
    CaseForm,
    CaseReviewApplicationForm,
    CaseReviewDecisionForm,
    DuplicateCheckForm,
    EntryForm,
    MaracActionForm,
    MaracMeetingForm,
    MaracReferralForm,
    PersonPickForm,
    PlacePickForm,
    PowerForm,
    StatusForm,
    TransferForm,
    hidden_note,
    render_filter_form,
)
from csphub.cases.models import Action, Case, CaseReviewApplication, MaracReferral, TimelineEntry
from csphub.cases.profile import case_links, case_page_queryset, case_profile
from csphub.cases.queries import CaseFilters, actions_for, cases_for, page_of, power_deadlines_for
from csphub.cases.statutory import annual_case_review_figures, statutory_context
from csphub.registers.models import Person, Place
from csphub.registers.search import PersonQuery, PlaceQuery, SearchError, search_people, search_places
from csphub.ui.views_support import apply_errors

# Beyond any real list; keeps the page's offset within the database's integers (a longer number would be a 500).
MAX_PAGE = 1_000_000


def _filters(request: HttpRequest, form: CaseFilterForm) -> CaseFilters:
    data = form.cleaned_data if form.is_valid() else {}
    return CaseFilters(
        text=data.get("q", ""),
        case_types=data.get("case_type", []),
        statuses=data.get("status", []),
        districts=data.get("district", []),
        cross_boundary=bool(data.get("cross_boundary")),
        owned_by=acting_user(request) if data.get("mine") else None,
        person=data.get("person", ""),
        place=data.get("place", ""),
        sort=request.GET.get("sort", "opened"),
    )


class CaseListView(ReadMixin, TemplateView):
    template_name = "cases/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = acting_user(self.request)
        form = CaseFilterForm(self.request.GET or None)
        filters = _filters(self.request, form)
        try:
            number = min(max(int(self.request.GET.get("page", "1")), 1), MAX_PAGE)
        except ValueError:
            number = 1
        page = page_of(cases_for(user, filters), number)
        query = self.request.GET.copy()
        query.pop("page", None)
        sort_query = query.copy()
        sort_query.pop("sort", None)
        context.update(
            form=form,
            filter_form=render_filter_form(form),
            page=page,
            query=query.urlencode(),
            sort_query=sort_query.urlencode(),
            sort=filters.sort,
            can_export=Verb.EXPORT in allowed_actions(user),
            can_create=Verb.CREATE in allowed_actions(user),
            can_see_figures=may_see_statistics(user),
        )
        return context


class CaseExportView(ReadMixin, View):
    """The filtered case list as CSV; every case in it is logged as disclosed to the person downloading it."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = acting_user(request)
        if Verb.EXPORT not in allowed_actions(user):
            raise PermissionDenied("Your role does not allow you to export case lists.")
        filters = _filters(request, CaseFilterForm(request.GET or None))
        cases = list(
            cases_for(user, filters, Verb.EXPORT)
            .select_related("owning_agency", "owning_officer")
            .prefetch_related("districts")[:50_000]
        )
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="cases-{timezone.localtime():%Y%m%d-%H%M}.csv"'
        export_csv(cases, response, what="a case list export", detail={"filters": request.GET.urlencode()})
        return response


def _typed(request: HttpRequest, form: Any) -> dict[str, Any]:
    """What was typed into a form's fields, as its initial values (lists for fields of several values)."""
    typed: dict[str, Any] = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        if key in request.POST:
            multiple = isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField)
            typed[name] = request.POST.getlist(key) if multiple else request.POST.get(key)
    return typed


class CaseCreateView(CreateMixin, View):
    """Open a case; first, show the existing people and cases that may be the same (duplicate prevention)."""

    template_name = "cases/create.html"

    def _render(
        self, request: HttpRequest, form: CaseForm, check: DuplicateCheckForm, matches: Any = None, status: int = 200
    ) -> HttpResponse:
        return render(request, self.template_name, {"form": form, "check": check, "matches": matches}, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, CaseForm(), DuplicateCheckForm(prefix="check"))

    def post(self, request: HttpRequest) -> HttpResponse:
        user = acting_user(request)
        form = CaseForm(request.POST)
        check = DuplicateCheckForm(request.POST, prefix="check")
        if request.POST.get("step") == "check":
            matches = None
            if check.is_valid():
                matches = self._matches(request, check)
            # The case's fields keep what was typed, without errors: the user has not got to them yet.
            return self._render(request, CaseForm(initial=_typed(request, CaseForm())), check, matches)
        if not form.is_valid():
            return self._render(request, form, check, status=400)
        data = form.cleaned_data
        try:
            case = services.open_case(
                user,
                case_type=data["case_type"],
                title=data["title"],
                summary=data["summary"],
                issue=data["issue"],
                owning_district=data["owning_district"],
                hate_strands=data["hate_strands"],
                sara_stage=data["sara_stage"],
            )
            for uuid in request.POST.getlist("attach_person"):
                person = Person.objects.visible_to(user).filter(uuid=uuid).first()
                role = request.POST.get(f"role_{uuid}") or "victim"
                if person is not None:
                    services.add_person(case, person, user, role=role)
        except ValidationError as exc:
            apply_errors(form, exc)
            return self._render(request, form, check, status=400)
        messages.success(request, f"Case {case.reference} opened.")
        return redirect(case)

    def _matches(self, request: HttpRequest, check: DuplicateCheckForm) -> dict[str, Any]:
        user = acting_user(request)
        data = check.cleaned_data
        query = PersonQuery(name=data["name"], date_of_birth=data["date_of_birth"], postcode=data["postcode"])
        people = []
        if not query.is_empty():
            try:
                people = search_people(user, query, limit=10)
            except SearchError:
                people = []
        person_ids = [m.person.pk for m in people]
        places: list[Place] = []
        if data["postcode"]:
            try:
                places = search_places(user, PlaceQuery(postcode=data["postcode"]), limit=10)
            except SearchError:
                places = []
        about = Q(case_people__person_id__in=person_ids) | Q(case_places__place_id__in=[p.pk for p in places])
        cases = Case.objects.visible_to(user).filter(about).distinct().order_by("-opened_on")[:20]
        return {"people": people, "places": places, "cases": list(cases)}


class CaseDetailView(RecordMixin[Case], TemplateView):
    model = Case
    lookup = "reference"
    template_name = "cases/detail.html"

    def record_queryset(self) -> QuerySet[Case]:
        return case_page_queryset()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        profile = case_profile(acting_user(self.request), self.record, self.request.GET.get("timeline_page", 1))
        today = timezone.localdate()
        return {
            **super().get_context_data(**kwargs),
            **profile.__dict__,
            **statutory_context(profile),
            "timeline_pages": profile.timeline_page.paginator.get_elided_page_range(
                profile.timeline_page.number, on_each_side=1, on_ends=1
            ),
            "allowed": self.allowed,
            "today": today,
            "overdue": [a for a in profile.actions if a.is_overdue(today)],
        }


class _CaseFormView(RecordMixin[Case], FormView):
    model = Case
    lookup = "reference"
    action = Verb.CHANGE
    template_name = "cases/form.html"
    heading = ""
    success = ""
    submit = "Save"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "case": self.record,
            "heading": self.heading,
            "submit": self.submit,
        }

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        if self.needs_case:
            kwargs["case"] = self.record
        if self.needs_links:
            # The form offers the case's people and places the user may see (the rest counted): each one shown is
            # a consultation.
            links = case_links(acting_user(self.request), self.record)
            consultation.record_results(
                links.records(), f"a form of case {self.record.reference}", {"case": self.record.reference}
            )
            kwargs["links"] = links
        return kwargs

    needs_case = False
    needs_links = False

    def perform(self, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            self.perform(form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        except DisclosureRefused as exc:
            form.add_error(None, f"Transfer refused: {exc.reason}")
            return self.form_invalid(form)
        messages.success(self.request, self.success)
        return redirect(self.record)


class CaseEditView(_CaseFormView):
    form_class = CaseForm
    heading = "Change the case details"
    success = "Case details saved."

    def get_initial(self) -> dict[str, Any]:
        c = self.record
        return {
            "case_type": c.case_type,
            "title": c.title,
            "summary": c.summary,
            "issue": c.issue,
            "owning_district": c.owning_district.ons_code if c.owning_district else "",
            "hate_strands": c.hate_strands,
            "sara_stage": c.sara_stage,
        }

    def perform(self, data: dict[str, Any]) -> None:
        services.change_case(self.record, acting_user(self.request), **data)


class CaseStatusView(_CaseFormView):
    form_class = StatusForm
    needs_case = True
    heading = "Change the status"
    success = "Status changed."

    def perform(self, data: dict[str, Any]) -> None:
        services.change_status(self.record, acting_user(self.request), to=data["to"], reason=data["reason"])


class CaseTransferView(_CaseFormView):
    """Transfer the case; the page then lists what went with it and what stayed with its owners."""

    form_class = TransferForm
    heading = "Transfer the case"
    success = "Case transferred."
    submit = "Transfer"
    result: services.TransferResult | None = None

    def perform(self, data: dict[str, Any]) -> None:
        self.result = services.transfer(
            self.record,
            acting_user(self.request),
            to_agency=data["to_agency"],
            to_officer=data["to_officer"],
            to_district=data["to_district"],
            reason=data["reason"],
        )

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        if self.result is None or response.status_code != 302:
            return response
        user = acting_user(self.request)
        result = self.result
        named = [h.record for h in result.handed_on] + [w.record for w in result.withheld]
        consultation.record_results(
            named, f"the transfer of case {self.record.reference}", {"case": self.record.reference}
        )
        still_visible = Case.objects.visible_to(user).filter(pk=self.record.pk).exists()
        return render(
            self.request,
            "cases/transferred.html",
            {"case": self.record, "result": result, "still_visible": still_visible},
        )


class EntryCreateView(_CaseFormView):
    form_class = EntryForm
    needs_case = True
    needs_links = True
    heading = "Add to the timeline"
    success = "Added to the timeline."
    template_name = "cases/entry_form.html"

    def perform(self, data: dict[str, Any]) -> None:
        user = acting_user(self.request)
        case = self.record
        place = (
            Place.objects.visible_to(user).filter(uuid=data["place"], case_links__case=case).first()
            if data["place"]
            else None
        )
        complainant = (
            Person.objects.visible_to(user).filter(uuid=data["complainant"], case_links__case=case).first()
            if data["complainant"]
            else None
        )
        agencies = [a for a in [case.owning_agency, *case.parties.all()] if str(a.pk) in data["restricted_to"]]
        services.record_entry(
            case,
            user,
            kind=data["kind"],
            title=data["title"],
            body=data["body"],
            occurred_at=data["occurred_at"],
            place=place,
            reporting_channel=data["reporting_channel"],
            reported_on=data["reported_on"],
            complainant=complainant,
            is_complaint=data["is_complaint"],
            is_hate_incident=data["is_hate_incident"],
            document=self.request.FILES.get("document"),
            restricted_to=agencies,
        )


class ActionCreateView(_CaseFormView):
    form_class = ActionForm
    needs_case = True
    heading = "Add an action"
    success = "Action added."

    def perform(self, data: dict[str, Any]) -> None:
        services.add_action(self.record, acting_user(self.request), **data)


class ActionUpdateView(RecordMixin[Case], FormView):
    model = Case
    lookup = "reference"
    template_name = "cases/form.html"
    form_class = ActionUpdateForm

    def get_action(self) -> Action:
        action = get_object_or_404(self.record.actions.select_related("assigned_agency"), uuid=self.kwargs["uuid"])
        services.check_may_update_action(action, acting_user(self.request))
        return action

    def get_initial(self) -> dict[str, Any]:
        action = self.get_action()
        return {"status": action.status, "outcome": action.outcome}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        action = self.get_action()
        return {
            **super().get_context_data(**kwargs),
            "case": self.record,
            "heading": f"Update the action: {action.title}",
            "submit": "Save",
        }

    def form_valid(self, form: ActionUpdateForm) -> HttpResponse:
        try:
            services.update_action(
                self.get_action(),
                acting_user(self.request),
                status=form.cleaned_data["status"],
                outcome=form.cleaned_data["outcome"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "Action updated.")
        return redirect(self.record)


class _PickView(RecordMixin[Case], View):
    """Search the register and add a person or place to the case."""

    model = Case
    lookup = "reference"
    action = Verb.CHANGE
    template_name = ""

    def results(self, request: HttpRequest) -> Any:
        raise NotImplementedError

    def add(self, request: HttpRequest) -> None:
        raise NotImplementedError

    def get(self, request: HttpRequest, reference: str) -> HttpResponse:
        results, form, error = self.results(request)
        return render(
            request, self.template_name, {"case": self.record, "results": results, "form": form, "error": error}
        )

    def post(self, request: HttpRequest, reference: str) -> HttpResponse:
        try:
            self.add(request)
        except (ValidationError, PermissionDenied, Http404) as exc:
            messages.error(request, getattr(exc, "messages", [str(exc)])[0])
            return redirect(request.get_full_path())
        messages.success(request, "Added to the case.")
        return redirect(self.record)


class CasePersonAddView(_PickView):
    template_name = "cases/add_person.html"

    def results(self, request: HttpRequest) -> Any:
        from csphub.registers.forms import PersonSearchForm

        form = PersonSearchForm(request.GET or None)
        if not request.GET or not form.is_valid():
            return None, form, ""
        data = form.cleaned_data
        try:
            found = search_people(
                acting_user(request),
                PersonQuery(data["name"], data["date_of_birth"], data["postcode"], data["address"], data["identifier"]),
                limit=20,
            )
        except SearchError as exc:
            return None, form, str(exc)
        return (
            [(m, PersonPickForm(initial={"person": m.person.uuid}, prefix=str(m.person.uuid))) for m in found],
            form,
            "",
        )

    def add(self, request: HttpRequest) -> None:
        uuid = request.POST.get("person", "")
        pick = PersonPickForm(request.POST, prefix=uuid)
        if not pick.is_valid():
            raise ValidationError("Choose a role for the person")
        user = acting_user(request)
        person = consultation.open_record(Person.objects.all(), user, Verb.VIEW, uuid=pick.cleaned_data["person"])
        services.add_person(self.record, person, user, role=pick.cleaned_data["role"])


class CasePlaceAddView(_PickView):
    template_name = "cases/add_place.html"

    def results(self, request: HttpRequest) -> Any:
        from csphub.registers.forms import PlaceSearchForm

        form = PlaceSearchForm(request.GET or None, districts=[])
        if not request.GET or not form.is_valid():
            return None, form, ""
        data = form.cleaned_data
        try:
            found = search_places(acting_user(request), PlaceQuery(data["postcode"], data["address"]), limit=20)
        except SearchError as exc:
            return None, form, str(exc)
        return [(p, PlacePickForm(initial={"place": p.uuid}, prefix=str(p.uuid))) for p in found], form, ""

    def add(self, request: HttpRequest) -> None:
        uuid = request.POST.get("place", "")
        pick = PlacePickForm(request.POST, prefix=uuid)
        if not pick.is_valid():
            raise ValidationError("Choose a role for the place")
        user = acting_user(request)
        place = consultation.open_record(Place.objects.all(), user, Verb.VIEW, uuid=pick.cleaned_data["place"])
        services.add_place(self.record, place, user, role=pick.cleaned_data["role"])


class EntryDocumentView(RecordMixin[Case], View):
    """Download a timeline document, if the entry is visible to the user (restricted entries included)."""

    model = Case
    lookup = "reference"

    def get(self, request: HttpRequest, reference: str, uuid: str) -> FileResponse:
        entry = (
            self.record.timeline.filter(restricted_entries_filter(acting_user(request), TimelineEntry))
            .filter(uuid=uuid)
            .exclude(document="")
            .first()
        )
        if entry is None or not entry.document:
            raise Http404("No such document")
        return FileResponse(
            entry.document.open("rb"),
            as_attachment=True,
            filename=entry.document.name.rsplit("/", 1)[-1].split("-", 1)[-1],
        )


class ActionsView(LoginRequiredMixin, TemplateView):
    """My actions, or my agency's, optionally only the overdue ones."""

    template_name = "cases/actions.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = acting_user(self.request)
        scope = "agency" if self.request.GET.get("scope") == "agency" else "mine"
        overdue = self.request.GET.get("overdue") == "1"
        today = timezone.localdate()
        actions = list(actions_for(user, mine=scope == "mine", overdue=overdue, today=today)[:500])
        return {
            **super().get_context_data(**kwargs),
            "actions": actions,
            "other_actions": other_actions(user, mine=scope == "mine", overdue=overdue, today=today),
            "scope": scope,
            "overdue": overdue,
            "today": today,
            "list_url": reverse("cases:actions"),
        }


class AssessmentView(RecordMixin[Case], View):
    """Complete a risk assessment with the active version of a question set (DASH, ASB matrix, cuckooing)."""

    model = Case
    lookup = "reference"
    action = Verb.CHANGE
    template_name = "cases/assessment_form.html"

    def _form(self, request: HttpRequest, key: str, data: Any = None) -> tuple[Any, Any]:
        from csphub.assessments.forms import AssessmentForm
        from csphub.assessments.services import active_version

        try:
            version = active_version(key)
        except ValidationError as exc:
            raise Http404(exc.messages[0]) from exc
        links = case_links(acting_user(request), self.record)
        people = links.people_in()
        consultation.record_results(people, f"a form of case {self.record.reference}", {"case": self.record.reference})
        form = AssessmentForm(data, question_set=version.question_set(), people=people)
        note = hidden_note(people=links.hidden_people())
        if note and "person" in form.fields:
            form.fields["person"].help_text = note
        return version, form

    def get(self, request: HttpRequest, reference: str, key: str) -> HttpResponse:
        version, form = self._form(request, key)
        return render(request, self.template_name, {"case": self.record, "version": version, "form": form})

    def post(self, request: HttpRequest, reference: str, key: str) -> HttpResponse:
        from csphub.assessments.services import complete

        version, form = self._form(request, key, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            user = acting_user(request)
            person = Person.objects.visible_to(user).filter(uuid=data["person"]).first() if data["person"] else None
            try:
                done = complete(
                    self.record,
                    user,
                    key=key,
                    answers=form.answers(),
                    person=person,
                    judgement=data["judgement"],
                    judgement_reason=data["judgement_reason"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"{version.title}: {done.final_level} (version {version.version}).")
                return redirect(self.record)
        return render(request, self.template_name, {"case": self.record, "version": version, "form": form}, status=400)


class CaseReviewApplyView(_CaseFormView):
    form_class = CaseReviewApplicationForm
    needs_case = True
    needs_links = True
    heading = "Record an ASB case review application"
    success = "Application recorded."

    def perform(self, data: dict[str, Any]) -> None:
        user = acting_user(self.request)
        applicant = (
            Person.objects.visible_to(user).filter(uuid=data["applicant"]).first() if data["applicant"] else None
        )
        services.apply_for_case_review(
            self.record,
            user,
            received_on=data["received_on"],
            applicant=applicant,
            applicant_description=data["applicant_description"],
        )


class CaseReviewDecideView(_CaseFormView):
    form_class = CaseReviewDecisionForm
    heading = "Record the case review decision and outcome"
    success = "Decision recorded."

    def perform(self, data: dict[str, Any]) -> None:
        application = get_object_or_404(self.record.case_review_applications, uuid=self.kwargs["uuid"])
        services.decide_case_review(application, acting_user(self.request), **data)


class MaracReferView(_CaseFormView):
    """Refer the case to MARAC: it is shared with the MARAC agencies; the page then lists what went and what stayed."""

    form_class = MaracReferralForm
    needs_case = True
    needs_links = True
    heading = "Record a MARAC referral"
    success = "MARAC referral recorded."
    submit = "Refer to MARAC"
    result: services.MaracReferralResult | None = None

    def get_form_kwargs(self) -> dict[str, Any]:
        agencies = services.marac_meeting_agencies(self.record, acting_user(self.request))
        return {**super().get_form_kwargs(), "agencies": agencies}

    def perform(self, data: dict[str, Any]) -> None:
        user = acting_user(self.request)
        person = Person.objects.visible_to(user).filter(uuid=data["person"]).first() if data["person"] else None
        self.result = services.refer_to_marac(
            self.record,
            user,
            referred_on=data["referred_on"],
            person=person,
            meeting_on=data["meeting_on"],
            attending=data["attending"],
        )

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        if self.result is None or response.status_code != 302:
            return response
        result = self.result
        named = [h.record for h in result.handed_on if h.record != self.record] + [w.record for w in result.withheld]
        consultation.record_results(
            named, f"the MARAC referral of case {self.record.reference}", {"case": self.record.reference}
        )
        return render(self.request, "cases/marac_referred.html", {"case": self.record, "result": result})


class _MaracReferralFormView(_CaseFormView):
    """A form about one of the case's MARAC referrals (``uuid``)."""

    def referral(self) -> MaracReferral:
        if not hasattr(self, "_referral"):
            self._referral = get_object_or_404(self.record.marac_referrals, uuid=self.kwargs["uuid"])
        return self._referral


class MaracMeetingView(_MaracReferralFormView):
    form_class = MaracMeetingForm
    heading = "Record the MARAC meeting"
    success = "MARAC meeting recorded."

    def get_form_kwargs(self) -> dict[str, Any]:
        agencies = services.marac_meeting_agencies(self.record, acting_user(self.request))
        return {**super().get_form_kwargs(), "agencies": agencies}

    def get_initial(self) -> dict[str, Any]:
        referral = self.referral()
        return {"meeting_on": referral.meeting_on, "attending": [a.pk for a in referral.attending_agencies()]}

    def perform(self, data: dict[str, Any]) -> None:
        services.record_marac_meeting(
            self.referral(), acting_user(self.request), meeting_on=data["meeting_on"], attending=data["attending"]
        )


class MaracActionView(_MaracReferralFormView):
    """An action agreed at the meeting: a partner's officer records their own agency's."""

    form_class = MaracActionForm
    heading = "Record a MARAC action"
    success = "MARAC action recorded."

    def get_form_kwargs(self) -> dict[str, Any]:
        agencies = services.marac_action_agencies(self.referral(), acting_user(self.request))
        return {**super().get_form_kwargs(), "agencies": agencies}

    def perform(self, data: dict[str, Any]) -> None:
        services.add_marac_action(self.referral(), acting_user(self.request), **data)


class PowerAddView(_CaseFormView):
    form_class = PowerForm
    needs_case = True
    needs_links = True
    heading = "Record an ASB power"
    success = "Recorded."

    def perform(self, data: dict[str, Any]) -> None:
        user = acting_user(self.request)
        kind, _, uid = data["subject"].partition(":")
        person = consultation.open_record(Person.objects.all(), user, Verb.VIEW, uuid=uid) if kind == "person" else None
        place = consultation.open_record(Place.objects.all(), user, Verb.VIEW, uuid=uid) if kind == "place" else None
        services.record_power(
            self.record,
            user,
            power=data["power"],
            action=data["action"],
            on=data["on"],
            person=person,
            place=place,
            until=data["until"],
            review_on=data["review_on"],
            senior_authority=data["senior_authority"],
            reference=data["reference"],
        )


class CaseReviewFiguresView(LoginRequiredMixin, TemplateView):
    """The ASB case review figures a partnership must publish (s.104(10)): aggregates, no personal data."""

    template_name = "cases/case_review_figures.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated and not may_see_statistics(acting_user(request)):
            raise PermissionDenied("Only partnership managers and analysts see the partnership's figures.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        today = timezone.localdate()
        try:
            year = int(self.request.GET.get("year", today.year - (1 if today.month < 4 else 0)))
        except ValueError:
            year = today.year
        start, end = dt.date(year, 4, 1), dt.date(year + 1, 3, 31)  # the financial year
        figures = annual_case_review_figures(list(CaseReviewApplication.objects.all()), start, end)
        return {
            **super().get_context_data(**kwargs),
            "figures": figures,
            "year": year,
            "years": range(today.year - 4, today.year + 1),
        }


class DeadlinesView(LoginRequiredMixin, TemplateView):
    """Deadlines under ASB powers (closure hearings, warnings' time to comply, PSPO reviews) in cases I may see."""

    template_name = "cases/deadlines.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        rows = power_deadlines_for(acting_user(self.request))
        return {**super().get_context_data(**kwargs), "rows": rows}
