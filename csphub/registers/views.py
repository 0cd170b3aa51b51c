"""Register pages: search, view, record and change people and places; link phones and vehicles; erase."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, TemplateView

from csphub.access import consultation, leads
from csphub.access.policy import allowed_actions
from csphub.access.services import AmbiguousReference, find_record
from csphub.access.views_base import CreateMixin, ReadMixin, RecordMixin, acting_user
from csphub.access.vocabulary import Verb
from csphub.common.postcodes import PostcodeError
from csphub.common.postcodes import normalise as normalise_postcode
from csphub.partnership.models import District
from csphub.registers import geo, services
from csphub.registers.duplicates import likely_matches, likely_places
from csphub.registers.forms import (
    AliasForm,
    ConfirmEraseForm,
    FlagForm,
    IdentifierForm,
    PersonForm,
    PersonSearchForm,
    PhoneLinkForm,
    PlaceForm,
    PlaceLinkForm,
    PlaceSearchForm,
    VehicleLinkForm,
)
from csphub.registers.linked import linked_records
from csphub.registers.models import Person, Phone, Place, Vehicle
from csphub.registers.profile import linked_people, person_profile
from csphub.registers.search import (
    PersonQuery,
    PlaceQuery,
    SearchError,
    hidden_matches,
    search_people,
    search_places,
)
from csphub.ui.views_support import apply_errors


class PersonSearchView(ReadMixin, TemplateView):
    template_name = "registers/person_search.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = PersonSearchForm(self.request.GET or None)
        results = None
        hidden_count, leads_offered = 0, []
        if self.request.GET and form.is_valid():
            data = form.cleaned_data
            query = PersonQuery(
                data["name"], data["date_of_birth"], data["postcode"], data["address"], data["identifier"]
            )
            try:
                results = search_people(acting_user(self.request), query)
            except SearchError as exc:
                form.add_error(None, str(exc))
            else:
                hidden = hidden_matches(acting_user(self.request), query)
                hidden_count = hidden.count
                # Each link carries a token held in this session, never the record's UUID (``access.leads``).
                leads_offered = [
                    (agency, f"{reverse('access:request')}?lead={leads.offer(self.request.session, uuid, agency)}")
                    for uuid, agency in hidden.leads
                ]
        context.update(
            form=form,
            results=results,
            hidden_count=hidden_count,
            leads=leads_offered,
            can_create=Verb.CREATE in allowed_actions(acting_user(self.request)),
        )
        return context


class PersonDetailView(RecordMixin[Person], TemplateView):
    model = Person
    template_name = "registers/person_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = acting_user(self.request)
        profile = person_profile(user, self.record)
        return {
            **super().get_context_data(**kwargs),
            **profile.__dict__,
            "allowed": self.allowed,
            "linked_sections": linked_records(user, self.record),
        }


class PersonCreateView(CreateMixin, FormView):
    template_name = "registers/person_form.html"
    form_class = PersonForm

    def form_valid(self, form: PersonForm) -> HttpResponse:
        data = dict(form.cleaned_data)
        confirmed = data.pop("confirmed_new", False)
        if not confirmed:
            matches = likely_matches(
                acting_user(self.request),
                given_name=data["given_name"],
                family_name=data["family_name"],
                date_of_birth=data["date_of_birth"],
            )
            if matches:
                return self.render_to_response(self.get_context_data(form=form, matches=matches))
        try:
            person = services.record_person(acting_user(self.request), **data)
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"{person.full_name} recorded.")
        return redirect(person)


class PersonEditView(RecordMixin[Person], FormView):
    model = Person
    action = Verb.CHANGE
    template_name = "registers/person_form.html"
    form_class = PersonForm

    def get_initial(self) -> dict[str, Any]:
        p = self.record
        return {
            "given_name": p.given_name,
            "middle_names": p.middle_names,
            "family_name": p.family_name,
            "date_of_birth": p.date_of_birth,
            "sex": p.sex,
            "description": p.description,
            "caveat": p.caveat,
            "sensitivity": p.sensitivity,
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "person": self.record}

    def form_valid(self, form: PersonForm) -> HttpResponse:
        try:
            data = {k: v for k, v in form.cleaned_data.items() if k != "confirmed_new"}
            services.change_person(self.record, acting_user(self.request), **data)
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "Changes saved.")
        return redirect(self.record)


class _PersonAddView(RecordMixin[Person], FormView):
    """Adds something to a person (an alias, identifier, flag or link) through one service verb."""

    model = Person
    action = Verb.CHANGE
    template_name = "registers/person_add.html"
    heading = ""
    success = ""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "person": self.record, "heading": self.heading}

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


class AliasAddView(_PersonAddView):
    form_class = AliasForm
    heading = "Add another name"
    success = "Name added."

    def perform(self, data: dict[str, Any]) -> None:
        services.add_alias(self.record, acting_user(self.request), **data)


class IdentifierAddView(_PersonAddView):
    form_class = IdentifierForm
    heading = "Add a reference from a partner system"
    success = "Reference added."

    def perform(self, data: dict[str, Any]) -> None:
        services.add_identifier(self.record, acting_user(self.request), **data)


class FlagAddView(_PersonAddView):
    form_class = FlagForm
    heading = "Add a vulnerability or warning"
    success = "Flag added."

    def perform(self, data: dict[str, Any]) -> None:
        services.add_flag(self.record, acting_user(self.request), **data)


class PlaceLinkView(_PersonAddView):
    """Link a place to a person: an existing place by its reference, or a new one by its address, after the same
    duplicate check as recording a place (the likely places are offered to link instead)."""

    form_class = PlaceLinkForm
    heading = "Link a place"
    success = "Place linked."
    template_name = "registers/place_link.html"

    def form_valid(self, form: Any) -> HttpResponse:
        data = form.cleaned_data
        # The answer to "Is it one of these places?", asked when the duplicate check found some: a reference or "new".
        choice = self.request.POST.get("existing", "")
        if choice and choice != "new":
            data["place"] = choice
        if not data["place"] and choice != "new":
            found = likely_places(acting_user(self.request), address=data["address"], postcode=data["postcode"])
            if found:
                if "existing" in self.request.POST or "checked" in self.request.POST:
                    form.add_error(None, "Choose one of the places, or say none of them is this place")
                return self.render_to_response(self.get_context_data(form=form, found=found))
        return super().form_valid(form)

    def perform(self, data: dict[str, Any]) -> None:
        user = acting_user(self.request)
        if data["place"]:
            place = self._place(user, data["place"])
        else:
            place = services.record_place(user, address=data["address"], postcode=data["postcode"])
        services.link_place(
            self.record,
            place,
            user,
            relation=data["relation"],
            valid_from=data["valid_from"],
            valid_to=data["valid_to"],
        )

    @staticmethod
    def _place(user: Any, reference: str) -> Place:
        """The place with this reference, opened for the user (404 if they may not see it)."""
        try:
            record = find_record(reference)
        except AmbiguousReference:
            raise ValidationError({"place": "More than one record has this reference: use the place's page"}) from None
        if not isinstance(record, Place):
            raise ValidationError({"place": "No place has this reference: check it on the place's page"})
        return consultation.open_record(Place.objects.all(), user, Verb.VIEW, uuid=record.uuid)


class PhoneLinkView(_PersonAddView):
    form_class = PhoneLinkForm
    heading = "Link a phone number"
    success = "Phone number linked."

    def perform(self, data: dict[str, Any]) -> None:
        services.link_phone(self.record, acting_user(self.request), **data)


class VehicleLinkView(_PersonAddView):
    form_class = VehicleLinkForm
    heading = "Link a vehicle"
    success = "Vehicle linked."

    def perform(self, data: dict[str, Any]) -> None:
        services.link_vehicle(self.record, acting_user(self.request), **data)


class PersonEraseView(RecordMixin[Person], FormView):
    model = Person
    action = Verb.ERASE
    template_name = "registers/person_erase.html"
    form_class = ConfirmEraseForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "person": self.record}

    def form_valid(self, form: ConfirmEraseForm) -> HttpResponse:
        name = self.record.full_name
        try:
            services.erase_person(self.record, acting_user(self.request))
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"{name}'s record was erased. The erasure is in the audit log.")
        return redirect("registers:person-search")


class PlaceSearchView(ReadMixin, TemplateView):
    template_name = "registers/place_search.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        districts = list(District.objects.order_by("name").values_list("ons_code", "name"))
        form = PlaceSearchForm(self.request.GET or None, districts=districts)
        results = None
        if self.request.GET and form.is_valid():
            data = form.cleaned_data
            try:
                results = search_places(
                    acting_user(self.request),
                    PlaceQuery(
                        data["postcode"],
                        data["address"],
                        data["district"],
                    ),
                )
            except SearchError as exc:
                form.add_error(None, str(exc))
        context.update(form=form, results=results)
        return context


class PlaceDetailView(RecordMixin[Place], TemplateView):
    model = Place
    template_name = "registers/place_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = acting_user(self.request)
        person_links, hidden = linked_people(user, self.record)
        context.update(
            place=self.record,
            allowed=self.allowed,
            person_links=person_links,
            hidden_people=hidden,
            linked_sections=linked_records(user, self.record),
        )
        return context


COORDINATES = ("latitude", "longitude")


def postcode_finding(postcode: str) -> dict[str, Any]:
    """What the place form's "Find on the map" says of a postcode: its centre in the shipped Code-Point Open file."""
    text = postcode.strip()
    if not text:
        return {"found": False, "message": "Enter a postcode to find it on the map"}
    try:
        code = normalise_postcode(text)
    except PostcodeError:
        return {"found": False, "message": f"Enter a real postcode, like NN16 8AA ({text} is not one)"}
    point = geo.postcode_point(code)
    if point is None:
        return {
            "found": False,
            "postcode": code,
            "message": f"{code} is not in the partnership's postcode file: put the pin on the map by hand",
        }
    return {
        "found": True,
        "postcode": code,
        "latitude": point.latitude,
        "longitude": point.longitude,
        "message": f"{code} found: the pin is at the postcode's centre. Move it if the place is elsewhere",
    }


class _PlaceFormMixin(FormView):
    """The place form's map: a pin at the point given, else the postcode found, else the place's own location.

    "Find on the map" (a button named ``find``) looks the postcode up and shows the form again, saving nothing; with
    JavaScript the page asks ``registers:postcode-lookup`` instead and moves the pin in place."""

    template_name = "registers/place_form.html"
    form_class = PlaceForm
    place: Place | None = None

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "find" not in request.POST:
            return super().post(request, *args, **kwargs)
        values = {k: v for k, v in request.POST.items() if k in PlaceForm.base_fields and k not in COORDINATES}
        finding = postcode_finding(request.POST.get("postcode", ""))
        if finding.get("postcode"):
            values["postcode"] = finding["postcode"]
        return self.render_to_response(self.get_context_data(form=PlaceForm(initial=values), finding=finding))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = context["form"]
        point = None
        values = [form[k].value() for k in COORDINATES]
        if all(v not in (None, "") for v in values):
            try:
                point = (float(values[0]), float(values[1]))
            except (TypeError, ValueError):
                point = None
        finding = context.get("finding")
        if point is None and finding and finding.get("found"):
            point = (finding["latitude"], finding["longitude"])
        if point is None and self.place is not None:
            point = self.place.map_point
        context.update(place=self.place, map_point=point, lookup_url=reverse("registers:postcode-lookup"))
        return context


class PlaceCreateView(CreateMixin, _PlaceFormMixin):
    def form_valid(self, form: PlaceForm) -> HttpResponse:
        data = dict(form.cleaned_data)
        confirmed = data.pop("confirmed_new", False)
        if not confirmed:
            found = likely_places(
                acting_user(self.request),
                **{k: data[k] for k in ("address", "name", "postcode", "uprn", *COORDINATES)},
            )
            if found:
                return self.render_to_response(self.get_context_data(form=form, found=found))
        try:
            place = services.record_place(acting_user(self.request), **data)
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "Place recorded.")
        return redirect(place)


class PlaceEditView(RecordMixin[Place], _PlaceFormMixin):
    model = Place
    action = Verb.CHANGE

    def get_initial(self) -> dict[str, Any]:
        p = self.record
        initial = {k: getattr(p, k) for k in ("name", "kind", "address", "postcode", "uprn", "partnership_wide")}
        if p.location_source == "given":
            initial.update(latitude=p.latitude, longitude=p.longitude)
        return initial

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        self.place = self.record
        return super().get_context_data(**kwargs)

    def form_valid(self, form: PlaceForm) -> HttpResponse:
        data = dict(form.cleaned_data)
        data.pop("partnership_wide")
        data.pop("confirmed_new")
        try:
            services.change_place(self.record, acting_user(self.request), **data)
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "Changes saved.")
        return redirect(self.record)


class PostcodeLookupView(CreateMixin, View):
    """A postcode's centre from the shipped Code-Point Open file, as JSON, for the place form's map (public data:
    no record is read, nothing is logged)."""

    def get(self, request: HttpRequest) -> JsonResponse:
        return JsonResponse(postcode_finding(request.GET.get("postcode", "")))


class PhoneDetailView(RecordMixin[Phone], TemplateView):
    model = Phone
    template_name = "registers/phone_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        person_links, hidden = linked_people(acting_user(self.request), self.record)
        return {
            **super().get_context_data(**kwargs),
            "phone": self.record,
            "allowed": self.allowed,
            "person_links": person_links,
            "hidden_people": hidden,
        }


class VehicleDetailView(RecordMixin[Vehicle], TemplateView):
    model = Vehicle
    template_name = "registers/vehicle_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        person_links, hidden = linked_people(acting_user(self.request), self.record)
        return {
            **super().get_context_data(**kwargs),
            "vehicle": self.record,
            "allowed": self.allowed,
            "person_links": person_links,
            "hidden_people": hidden,
        }
