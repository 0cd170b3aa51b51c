"""The Pubwatch pages: a member's schemes, a scheme's ban register, a ban, its photo, and the forms that propose,
decide, tell, review and appeal it.

Only a scheme's members see any of them: everyone else gets 404 (the access policy's closed membership). A scheme
and its bans are opened through ``RecordMixin`` (``open_record``: the justification gate and the consultation
entry); each form calls one service verb, which asks the policy again.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views import View
from django.views.generic import FormView, TemplateView

from csphub.access.services import AmbiguousReference, find_record
from csphub.access.views_base import RecordMixin, acting_user
from csphub.access.vocabulary import Verb
from csphub.pubwatch import queries, services
from csphub.pubwatch.forms import (
    AppealDecisionForm,
    AppealForm,
    DecideForm,
    MemberForm,
    NewSchemeForm,
    PhotoForm,
    PremisesForm,
    ProposeBanForm,
    RemoveMemberForm,
    RemovePremisesForm,
    ReviewForm,
    RulesForm,
    TellForm,
)
from csphub.pubwatch.models import (
    DEFAULT_MAX_BAN_MONTHS,
    Ban,
    BanStatus,
    MemberRole,
    Membership,
    Premises,
    Scheme,
)
from csphub.registers.models import Person, Place
from csphub.ui.views_support import apply_errors


class SchemesView(LoginRequiredMixin, TemplateView):
    """The schemes the user is a member of; the page does not exist for anyone who is a member of none."""

    template_name = "pubwatch/schemes.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        schemes = list(queries.schemes_for(acting_user(self.request)))
        if not schemes:
            raise Http404("No such page")
        return {**super().get_context_data(**kwargs), "schemes": schemes}


class SchemeView(RecordMixin[Scheme], TemplateView):
    """A scheme: its premises and members, and its ban register (the review-due list first)."""

    model = Scheme
    template_name = "pubwatch/scheme.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = acting_user(self.request)
        scheme = self.record
        return {
            **super().get_context_data(**kwargs),
            "scheme": scheme,
            "register": queries.register(user, scheme),
            "premises": list(scheme.premises.filter(left_on__isnull=True)),
            "members": list(scheme.memberships.filter(active=True).select_related("user", "premises")),
            "me": queries.membership(user, scheme),
            "is_coordinator": services.is_coordinator(scheme, user),
            "may_change": self.allowed.get(str(Verb.CREATE), False),
        }


class ProposeBanView(RecordMixin[Scheme], FormView):
    model = Scheme
    action = Verb.CREATE
    template_name = "pubwatch/form.html"
    form_class = ProposeBanForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "premises": list(self.record.premises.filter(left_on__isnull=True))}

    def get_initial(self) -> dict[str, Any]:
        return {"covers": "all"}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "scheme": self.record,
            "heading": "Propose a ban",
            "submit": "Propose the ban",
            "multipart": True,
        }

    def _person(self, reference: str) -> Person | None:
        reference = reference.strip()
        if not reference:
            return None
        try:
            found = find_record(reference)
        except AmbiguousReference as exc:
            raise ValidationError({"person": "That short reference names several records: give the full one"}) from exc
        # Through the policy: a person the member may not see does not exist for them.
        pk = found.pk if isinstance(found, Person) else None
        visible = Person.objects.visible_to(acting_user(self.request)).filter(pk=pk).first() if pk else None
        if visible is None:
            raise ValidationError({"person": "Enter the reference of a person on the register you may see"})
        return visible

    def form_valid(self, form: ProposeBanForm) -> HttpResponse:
        data = form.cleaned_data
        scheme = self.record
        by_uuid = {str(p.uuid): p for p in scheme.premises.all()}
        try:
            ban = services.propose_ban(
                scheme,
                acting_user(self.request),
                excluded=services.Excluded(data["name"], data["description"], self._person(data["person"])),
                category=data["category"],
                incident_on=data["incident_on"],
                incident_at=by_uuid.get(data["incident_at"] or ""),
                reasons=data["reasons"],
                premises=None if data["covers"] == "all" else [by_uuid[u] for u in data["premises"]],
                photo=data.get("photo"),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Ban {ban.reference} proposed: the licensees decide it at a scheme meeting.")
        return redirect(ban)


class BanView(RecordMixin[Ban], TemplateView):
    model = Ban
    template_name = "pubwatch/ban.html"

    def record_queryset(self) -> Any:
        return Ban.objects.select_related(
            "scheme", "incident_at", "proposed_by", "decision_recorded_by", "told_by"
        ).prefetch_related("premises", "decided_by")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = acting_user(self.request)
        ban = self.record
        person = Person.objects.visible_to(user).filter(pk=ban.person_id).first() if ban.person_id else None
        today = timezone.localdate()
        return {
            **super().get_context_data(**kwargs),
            "ban": ban,
            "scheme": ban.scheme,
            "person": person,
            "person_hidden": ban.person_id is not None and person is None,
            "reviews": list(ban.reviews.select_related("recorded_by")),
            "may_change": self.allowed.get(str(Verb.CHANGE), False),
            "review_due": ban.review_due(today),
            "S": BanStatus,
        }


class BanPhotoView(RecordMixin[Ban], View):
    """The ban's photo, to the scheme's members only: never cached, never a public URL."""

    model = Ban

    def get(self, request: HttpRequest, uuid: str) -> FileResponse:
        ban = self.record
        if not ban.photo or ban.ended:
            raise Http404("No photo")
        try:
            handle = ban.photo.open("rb")
        except FileNotFoundError as exc:
            raise Http404("No photo") from exc
        response = FileResponse(handle, content_type="image/jpeg")
        response["Content-Disposition"] = f'inline; filename="{ban.reference}.jpg"'
        response["X-Content-Type-Options"] = "nosniff"
        add_never_cache_headers(response)
        response["Cache-Control"] = "no-store, no-cache, must-revalidate, max-age=0, private"
        return response


class _BanFormView(RecordMixin[Ban], FormView):
    model = Ban
    action = Verb.CHANGE
    template_name = "pubwatch/form.html"
    heading = ""
    submit = "Save"
    success = ""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "ban": self.record,
            "scheme": self.record.scheme,
            "heading": self.heading,
            "submit": self.submit,
        }

    def get_initial(self) -> dict[str, Any]:
        return {}

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


class DecideView(_BanFormView):
    form_class = DecideForm
    heading = "Record the licensees' decision"
    submit = "Record the decision"
    success = "Decision recorded. The ban is not in force until the person has been told."

    def get_form_kwargs(self) -> dict[str, Any]:
        scheme = self.record.scheme
        return {
            **super().get_form_kwargs(),
            "licensees": services.licensees(scheme),
            "max_months": scheme.max_ban_months,
        }

    def get_initial(self) -> dict[str, Any]:
        today = timezone.localdate()
        return {"decided_on": today, "starts_on": today}

    def perform(self, data: dict[str, Any]) -> None:
        chosen = set(data["decided_by"])
        deciders = [u for u in services.licensees(self.record.scheme) if str(u.uuid) in chosen]
        if len(deciders) != len(chosen):
            raise ValidationError({"decided_by": "Only the scheme's licensees decide bans"})
        services.decide(
            self.record,
            acting_user(self.request),
            decided_on=data["decided_on"],
            decided_by=deciders,
            minutes=data["minutes"],
            starts_on=data["starts_on"],
            months=data["months"],
            review_on=data["review_on"],
        )


class TellView(_BanFormView):
    form_class = TellForm
    heading = "Record that the person was told"
    submit = "Record it: the ban is in force"
    success = "Recorded: the ban is now in force."

    def get_initial(self) -> dict[str, Any]:
        return {"told_on": timezone.localdate()}

    def perform(self, data: dict[str, Any]) -> None:
        services.tell_person(self.record, acting_user(self.request), told_on=data["told_on"], how=data["how"])


class ReviewView(_BanFormView):
    form_class = ReviewForm
    heading = "Record the licensees' review"
    submit = "Record the review"
    success = "Review recorded."

    def get_initial(self) -> dict[str, Any]:
        return {"reviewed_on": timezone.localdate()}

    def perform(self, data: dict[str, Any]) -> None:
        services.review(
            self.record,
            acting_user(self.request),
            reviewed_on=data["reviewed_on"],
            outcome=data["outcome"],
            note=data["note"],
            ends_on=data["ends_on"],
            next_review_on=data["next_review_on"],
        )


class AppealView(_BanFormView):
    form_class = AppealForm
    heading = "Record an appeal"
    submit = "Record the appeal"
    success = "Appeal recorded: the ban is under review until it is heard."

    def get_initial(self) -> dict[str, Any]:
        return {"lodged_on": timezone.localdate()}

    def perform(self, data: dict[str, Any]) -> None:
        services.lodge_appeal(
            self.record, acting_user(self.request), lodged_on=data["lodged_on"], grounds=data["grounds"]
        )


class AppealDecisionView(_BanFormView):
    form_class = AppealDecisionForm
    heading = "Record the appeal's outcome"
    submit = "Record the outcome"
    success = "Appeal outcome recorded."

    def get_initial(self) -> dict[str, Any]:
        return {"decided_on": timezone.localdate()}

    def perform(self, data: dict[str, Any]) -> None:
        services.decide_appeal(
            self.record,
            acting_user(self.request),
            decided_on=data["decided_on"],
            outcome=data["outcome"],
            note=data["note"],
            ends_on=data["ends_on"],
        )


class PhotoUploadView(_BanFormView):
    form_class = PhotoForm
    heading = "Add a photo"
    submit = "Upload the photo"
    success = "Photo kept for this ban."

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "multipart": True}

    def perform(self, data: dict[str, Any]) -> None:
        services.attach_photo(self.record, acting_user(self.request), data["photo"])


# --- Running the scheme: its coordinator only (other members 403, everyone else 404 through the policy).


class _CoordinatorOnly:
    """After ``RecordMixin`` has opened the scheme for a change (outsiders 404, advisers 403): members who are not
    its coordinator get 403."""

    record: Scheme
    request: HttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not services.is_coordinator(self.record, acting_user(request)):
            raise PermissionDenied("The scheme's coordinator keeps its list of premises and members, and its rules.")
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class _SchemeFormView(RecordMixin[Scheme], _CoordinatorOnly, FormView):
    model = Scheme
    action = Verb.CHANGE
    template_name = "pubwatch/form.html"
    heading = ""
    submit = "Save"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "scheme": self.record,
            "heading": self.heading,
            "submit": self.submit,
        }

    def perform(self, data: dict[str, Any]) -> str:
        """Call the service verb; the success message."""
        raise NotImplementedError

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            message = self.perform(form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect(self.record)

    def current_premises(self) -> list[Premises]:
        return list(self.record.premises.filter(left_on__isnull=True))


class AddPremisesView(_SchemeFormView):
    form_class = PremisesForm
    heading = "Add a member premises"
    submit = "Add the premises"

    def _place(self, reference: str) -> Place | None:
        reference = reference.strip()
        if not reference:
            return None
        try:
            found = find_record(reference)
        except AmbiguousReference as exc:
            raise ValidationError({"place": "That short reference names several records: give the full one"}) from exc
        # Through the policy: a place the coordinator may not see does not exist for them.
        pk = found.pk if isinstance(found, Place) else None
        visible = Place.objects.visible_to(acting_user(self.request)).filter(pk=pk).first() if pk else None
        if visible is None:
            raise ValidationError({"place": "Enter the reference of a place on the register you may see"})
        return visible

    def perform(self, data: dict[str, Any]) -> str:
        premises = services.add_premises(
            self.record,
            acting_user(self.request),
            name=data["name"],
            address=data["address"],
            place=self._place(data["place"]),
        )
        return f"{premises.name} is now a member premises."


class RemovePremisesView(_SchemeFormView):
    form_class = RemovePremisesForm
    heading = "Remove a member premises"
    submit = "Remove the premises"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "premises": self.current_premises()}

    def perform(self, data: dict[str, Any]) -> str:
        premises = {str(p.uuid): p for p in self.current_premises()}[data["premises"]]
        services.remove_premises(self.record, acting_user(self.request), premises=premises)
        return f"{premises.name} has left the scheme."


class AddMemberView(_SchemeFormView):
    form_class = MemberForm
    heading = "Add a member"
    submit = "Add the member"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "users": services.offered_users(self.record, MemberRole.ADVISER),
            "premises": self.current_premises(),
        }

    def get_initial(self) -> dict[str, Any]:
        return {"role": MemberRole.LICENSEE}

    def perform(self, data: dict[str, Any]) -> str:
        users = {str(u.uuid): u for u in services.offered_users(self.record, MemberRole.ADVISER)}
        premises = {str(p.uuid): p for p in self.current_premises()}
        user = users.get(data["user"])
        if user is None:
            raise ValidationError({"user": "Choose who joins the scheme"})
        membership = services.add_member(
            self.record,
            acting_user(self.request),
            user=user,
            role=data["role"],
            premises=premises.get(data["premises"] or ""),
        )
        return f"{user.get_full_name()} is now a {membership.get_role_display().lower()} of the scheme."


class RemoveMemberView(_SchemeFormView):
    form_class = RemoveMemberForm
    heading = "Remove a member"
    submit = "Remove the member"

    def members(self) -> list[Membership]:
        return list(self.record.memberships.filter(active=True).select_related("user"))

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "members": self.members()}

    def perform(self, data: dict[str, Any]) -> str:
        member = {str(m.user.uuid): m for m in self.members()}[data["member"]]
        services.remove_member(self.record, acting_user(self.request), user=member.user)
        return f"{member.user.get_full_name()} has left the scheme."


class RulesView(_SchemeFormView):
    form_class = RulesForm
    heading = "Change the scheme's rules"
    submit = "Save the rules"

    def get_initial(self) -> dict[str, Any]:
        scheme = self.record
        return {
            "max_ban_months": scheme.max_ban_months,
            "appeal_route": scheme.appeal_route,
            "appeals_heard_by": scheme.appeals_heard_by,
        }

    def perform(self, data: dict[str, Any]) -> str:
        services.change_rules(
            self.record,
            acting_user(self.request),
            max_ban_months=data["max_ban_months"],
            appeal_route=data["appeal_route"],
            appeals_heard_by=data["appeals_heard_by"],
        )
        return "The scheme's rules are saved. Bans already proposed keep the appeal route they were given."


class NewSchemeView(LoginRequiredMixin, FormView):
    """A partnership manager sets up a scheme, naming its coordinator; the manager does not join it (it is a closed
    membership), so afterwards they are sent back to this page, not to the scheme."""

    template_name = "pubwatch/form.html"
    form_class = NewSchemeForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not services.may_create_scheme(acting_user(request)):
            raise PermissionDenied("Partnership managers set up Pubwatch schemes.")
        return super().dispatch(request, *args, **kwargs)

    def _users(self) -> list[Any]:
        return services.offered_coordinators()

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "users": self._users()}

    def get_initial(self) -> dict[str, Any]:
        return {"max_ban_months": DEFAULT_MAX_BAN_MONTHS}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "heading": "Set up a Pubwatch scheme", "submit": "Set it up"}

    def form_valid(self, form: NewSchemeForm) -> HttpResponse:
        data = form.cleaned_data
        coordinator = {str(u.uuid): u for u in self._users()}.get(data["coordinator"])
        try:
            if coordinator is None:
                raise ValidationError({"coordinator": "Choose the scheme's coordinator"})
            scheme = services.create_scheme(
                acting_user(self.request),
                name=data["name"],
                area=data["area"],
                agency=coordinator.agency,
                coordinator=coordinator,
                max_ban_months=data["max_ban_months"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"{scheme.name} is set up with {coordinator.get_full_name()} as its coordinator, who adds its premises "
            "and members. Only its members see it.",
        )
        return redirect("pubwatch:new")
