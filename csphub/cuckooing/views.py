"""The cuckooing panel's pages: the ranked list, the agenda (and its printable view), a vulnerability record, and
the forms that add a record, complete its checklist, offer support, record the answer and review it.

Who may use them is the access policy's: lists come from ``visible_to``, a record is opened through
``RecordMixin`` (``open_record``: the justification gate and the consultation entry), and each form calls one
service verb, which asks the policy again.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, TemplateView

from csphub.access.policy import may_keep_cuckooing_register
from csphub.access.services import AmbiguousReference, find_record
from csphub.access.views_base import ReadMixin, RecordMixin, acting_user
from csphub.access.vocabulary import Verb
from csphub.assessments import services as assessments
from csphub.assessments.forms import AssessmentForm
from csphub.cuckooing import outcomes, queries, services
from csphub.cuckooing.forms import AgendaForm, NewRecordForm, ReviewForm, SupportOfferForm, SupportResponseForm
from csphub.cuckooing.models import VulnerabilityRecord
from csphub.registers.models import Person, Place
from csphub.ui.views_support import apply_errors


class PanelView(ReadMixin, TemplateView):
    """The panel's ranked list: every open record the user may see, with its reasons."""

    template_name = "cuckooing/panel.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = acting_user(self.request)
        page = self.request.GET.get("page", "1")
        return {
            **super().get_context_data(**kwargs),
            "listed": queries.panel_list(user, page=int(page) if page.isdigit() else 1),
            "may_add": may_keep_cuckooing_register(user),
        }


class AgendaView(ReadMixin, TemplateView):
    """The agenda of a panel meeting, made from the ranked list; ``print`` gives the printable page."""

    template_name = "cuckooing/agenda.html"
    printable = False

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = AgendaForm(self.request.GET or None)
        meeting_on = timezone.localdate()
        if form.is_bound and form.is_valid():
            meeting_on = form.cleaned_data["meeting_on"]
        elif not form.is_bound:
            form = AgendaForm(initial={"meeting_on": meeting_on})
        return {
            **super().get_context_data(**kwargs),
            "form": form,
            "agenda": queries.agenda(acting_user(self.request), meeting_on),
        }

    def get_template_names(self) -> list[str]:
        return ["cuckooing/agenda_print.html" if self.printable else self.template_name]


class NewRecordView(LoginRequiredMixin, FormView):
    template_name = "cuckooing/form.html"
    form_class = NewRecordForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not may_keep_cuckooing_register(acting_user(request)):
            raise PermissionDenied("Statutory partners add people and premises to the cuckooing register.")
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        return {key: self.request.GET.get(key, "") for key in ("person", "premises")}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "heading": "Add to the cuckooing register",
            "submit": "Add and bring to the panel",
        }

    def _linked(self, model: type[Person] | type[Place], reference: str, field: str) -> Any:
        reference = reference.strip()
        if not reference:
            return None
        user = acting_user(self.request)
        try:
            found = find_record(reference)
        except AmbiguousReference as exc:
            raise ValidationError({field: "That short reference names several records: give the full one"}) from exc
        # Through the policy: a record the user may not see is one that does not exist for them.
        pk = found.pk if found is not None and type(found) is model else None
        visible = model.objects.visible_to(user).filter(pk=pk).first() if pk is not None else None
        if visible is None:
            raise ValidationError({field: "Enter the reference of a record on the register you may see"})
        return visible

    def form_valid(self, form: NewRecordForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            person = self._linked(Person, data["person"], "person")
            premises = self._linked(Place, data["premises"], "premises")
            record = services.add_to_register(
                acting_user(self.request),
                person=person,
                premises=premises,
                summary=data["summary"],
                review_on=data["review_on"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"{record.reference} added to the register and brought to the panel.")
        return redirect(record)


class RecordView(RecordMixin[VulnerabilityRecord], TemplateView):
    model = VulnerabilityRecord
    template_name = "cuckooing/record.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = acting_user(self.request)
        record = self.record
        person = Person.objects.visible_to(user).filter(pk=record.person_id).first() if record.person_id else None
        premises = Place.objects.visible_to(user).filter(pk=record.premises_id).first() if record.premises_id else None
        checklists = list(assessments.about(record).select_related("question_set", "completed_by"))
        return {
            **super().get_context_data(**kwargs),
            "record": record,
            "person": person,
            "person_hidden": record.person_id is not None and person is None,
            "premises": premises,
            "premises_hidden": record.premises_id is not None and premises is None,
            "checklist": checklists[0] if checklists else None,
            "earlier_checklists": checklists[1:],
            "support": list(record.support.select_related("agency")),
            "reviews": list(record.reviews.select_related("recorded_by")),
            "outcomes": outcomes.outcomes_for(user, record),
            "row": queries.row_for(user, record) if record.is_open else None,
            "may_change": self.allowed.get(str(Verb.CHANGE), False),
            "today": timezone.localdate(),
        }


class _RecordFormView(RecordMixin[VulnerabilityRecord], FormView):
    model = VulnerabilityRecord
    action = Verb.CHANGE
    template_name = "cuckooing/form.html"
    heading = ""
    submit = "Save"
    success = ""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "record": self.record,
            "heading": self.heading,
            "submit": self.submit,
        }

    def perform(self, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            self.perform(form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.success)
        return redirect(self.record)


class SupportOfferView(_RecordFormView):
    form_class = SupportOfferForm
    heading = "Record a support offer"
    submit = "Record the offer"
    success = "Support offer recorded."

    def get_initial(self) -> dict[str, Any]:
        return {"offered_on": timezone.localdate()}

    def perform(self, data: dict[str, Any]) -> None:
        services.offer_support(
            self.record, acting_user(self.request), service=data["service"], offered_on=data["offered_on"]
        )


class SupportResponseView(_RecordFormView):
    form_class = SupportResponseForm
    heading = "Record the answer to a support offer"
    submit = "Record the answer"
    success = "Answer recorded."

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "offers": list(self.record.support.select_related("agency"))}

    def perform(self, data: dict[str, Any]) -> None:
        offer = self.record.support.filter(uuid=data["offer"]).first()
        if offer is None:
            raise ValidationError({"offer": "Choose one of this record's offers"})
        services.record_response(
            offer,
            acting_user(self.request),
            response=data["response"],
            responded_on=data["responded_on"],
            outcome=data["outcome"],
        )


class ReviewView(_RecordFormView):
    form_class = ReviewForm
    heading = "Record the panel's review"
    submit = "Record the review"
    success = "Review recorded."

    def get_initial(self) -> dict[str, Any]:
        return {"reviewed_on": timezone.localdate()}

    def perform(self, data: dict[str, Any]) -> None:
        services.record_review(
            self.record,
            acting_user(self.request),
            reviewed_on=data["reviewed_on"],
            next_review_on=data["next_review_on"],
            note=data["note"],
            close=data["close"],
        )


class ChecklistView(RecordMixin[VulnerabilityRecord], View):
    """The cuckooing checklist (the assessments' shipped question set, its active version) about this record."""

    model = VulnerabilityRecord
    action = Verb.CHANGE
    template_name = "cuckooing/checklist.html"

    def _form(self, data: Any = None) -> tuple[Any, AssessmentForm]:
        version = assessments.active_version(services.CHECKLIST)
        form = AssessmentForm(data, question_set=version.question_set(), people=[])
        del form.fields["person"]
        return version, form

    def get(self, request: HttpRequest, uuid: str) -> HttpResponse:
        version, form = self._form()
        return render(request, self.template_name, {"record": self.record, "version": version, "form": form})

    def post(self, request: HttpRequest, uuid: str) -> HttpResponse:
        version, form = self._form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                done = services.complete_checklist(
                    self.record,
                    acting_user(request),
                    answers=form.answers(),
                    judgement=data["judgement"],
                    judgement_reason=data["judgement_reason"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"{version.title}: {done.final_level} (version {version.version}).")
                return redirect(self.record)
        context = {"record": self.record, "version": version, "form": form}
        return render(request, self.template_name, context, status=400)
