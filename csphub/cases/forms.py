from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any, cast

from django import forms
from django.core.cache import cache
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from csphub.cases.kinds import (
    TRANSITIONS,
    ActionStatus,
    CaseRole,
    CaseStatus,
    CaseType,
    EntryKind,
    HateStrand,
    PlaceRole,
    ReportingChannel,
    SaraStage,
)
from csphub.cases.models import Case
from csphub.cases.profile import CaseLinks
from csphub.partnership.models import Agency, District, User
from csphub.ui.forms import GovukDateField, GovukForm, GovukTimeField, PartialDateField


def _district_choices() -> list[tuple[str, str]]:
    return list(District.objects.order_by("name").values_list("ons_code", "name"))


def hidden_note(people: int = 0, places: int = 0) -> str:
    """Help text counting the linked records a form leaves out because the user may not see them."""
    parts = []
    if people:
        parts.append(f"{people} more {'person' if people == 1 else 'people'} you may not see")
    if places:
        parts.append(f"{places} more place{'' if places == 1 else 's'} you may not see")
    if not parts:
        return ""
    return f"Not listed: {' and '.join(parts)}. Ask the case owner if you need them."


def _set_choices(form: forms.Form, name: str, choices: list[tuple[str, str]], note: str = "") -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices
    if note:
        field.help_text = f"{field.help_text} {note}".strip() if field.help_text else note


class CaseFilterForm(GovukForm):
    q = forms.CharField(label="Reference or title", required=False, max_length=100)
    person = forms.CharField(label="Person's name", required=False, max_length=100)
    place = forms.CharField(label="Place: address or postcode", required=False, max_length=100)
    case_type = forms.MultipleChoiceField(
        label="Type", required=False, choices=CaseType.choices, widget=forms.CheckboxSelectMultiple
    )
    status = forms.MultipleChoiceField(
        label="Status", required=False, choices=CaseStatus.choices, widget=forms.CheckboxSelectMultiple
    )
    district = forms.MultipleChoiceField(
        label="District", required=False, choices=[], widget=forms.CheckboxSelectMultiple
    )
    cross_boundary = forms.BooleanField(label="Only cross-boundary cases", required=False)
    mine = forms.BooleanField(label="Only cases I own", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["district"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = _district_choices()


# Bump when the filter form's fields, widgets or templates change (a shared cache outlives a deployment).
FILTER_FORM_VERSION = 2
FILTER_FORM_CACHE_SECONDS = 600


def render_filter_form(form: CaseFilterForm) -> SafeString:
    """The case list's filter panel as HTML, rendered once per distinct (choices, values asked for) and cached.

    Rendering a dozen checkboxes through the GOV.UK field templates costs more than the case list's SQL. The HTML
    depends only on the form's fields (fixed), each field's choices (read from the database on every request, so a
    new or renamed district shows at once) and the values submitted (hence the errors): the cache key is a digest
    of exactly these. Nothing in the form depends on who asks; if a choice list ever does (a user's own districts
    or agencies), it is part of the key through the choices themselves."""
    choices = [
        (name, [(str(value), str(label)) for value, label in cast(list[tuple[Any, Any]], field.choices)])
        for name, field in form.fields.items()
        if isinstance(field, forms.ChoiceField)
    ]
    data = form.data
    submitted = (
        [(name, data.getlist(name) if hasattr(data, "getlist") else data.get(name)) for name in form.fields]
        if form.is_bound
        else None
    )
    digest = hashlib.sha256(repr((FILTER_FORM_VERSION, choices, submitted)).encode()).hexdigest()
    key = f"csphub:case-filter-form:{digest}"
    html = cache.get(key)
    if html is None:
        html = str(form.render())
        cache.set(key, html, FILTER_FORM_CACHE_SECONDS)
    return mark_safe(html)  # the form's own rendering, escaped by its templates


class OfficerChoiceField(forms.ModelChoiceField):
    """An officer by name (not username), among the active officers of the agency the form's agency field names."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


def limit_officers(form: forms.Form, officer_name: str, agency_name: str, agencies: Any) -> None:
    """Offer only the active officers of the chosen agency (``agency_name``, among ``agencies``).

    Once an agency is chosen (a submitted form, or an initial agency) the officer field takes only that agency's
    officers; before, it lists the officers of every agency in ``agencies`` grouped under their agency (the page's
    script shows only the chosen agency's group; without it, choosing another agency's officer is refused).
    """
    officer = form.fields[officer_name]
    assert isinstance(officer, forms.ModelChoiceField)
    users = (
        User.objects.filter(is_active=True, agency__in=agencies)
        .select_related("agency")
        .order_by("agency__name", "last_name", "first_name", "username")
    )
    chosen = form.data.get(form.add_prefix(agency_name)) if form.is_bound else form.initial.get(agency_name)
    if isinstance(chosen, Agency):
        chosen = chosen.pk
    agency = None
    if chosen:
        try:
            agency = agencies.filter(pk=int(chosen)).first()
        except (TypeError, ValueError):
            agency = None
    officer.widget.attrs["data-officers-of"] = form[agency_name].auto_id
    if agency is not None:
        officer.queryset = users.filter(agency=agency)
        officer.error_messages["invalid_choice"] = f"Choose an officer of {agency}, or leave it to the agency"
        return
    officer.queryset = users
    groups: dict[str, list[tuple[Any, str]]] = {}
    for user in users:
        groups.setdefault(str(user.agency), []).append((user.pk, officer.label_from_instance(user)))
    officer.choices = [("", officer.empty_label or ""), *groups.items()]


def check_officer(form: forms.Form, data: dict[str, Any], officer_name: str, agency_name: str) -> None:
    """Refuse an officer who does not work for the chosen agency."""
    officer, agency = data.get(officer_name), data.get(agency_name)
    if officer is not None and agency is not None and officer.agency_id != agency.pk:
        form.add_error(officer_name, f"{officer.get_full_name() or officer.username} does not work for {agency}")


class CaseForm(GovukForm):
    case_type = forms.ChoiceField(
        label="Type of case",
        choices=[("", "Choose a type"), *CaseType.choices],
        error_messages={"required": "Choose the type of case"},
    )
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="A short description others will recognise",
        error_messages={"required": "Enter a title"},
    )
    summary = forms.CharField(label="Summary", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    issue = forms.CharField(
        label="The problem complained of",
        required=False,
        max_length=200,
        help_text="For ASB: the issue complainants report (used by the ASB case review)",
    )
    owning_district = forms.ChoiceField(label="District team", required=False, choices=[])
    hate_strands = forms.MultipleChoiceField(
        label="Hate crime strands",
        required=False,
        choices=HateStrand.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="For hate crimes and incidents: the perceived motivation",
    )
    sara_stage = forms.ChoiceField(
        label="SARA stage", required=False, choices=[("", "Not a problem-solving case"), *SaraStage.choices]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["owning_district"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "No district team"), *_district_choices()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("hate_strands") and data.get("case_type") not in {CaseType.HATE_CRIME, CaseType.HATE_INCIDENT}:
            self.add_error("hate_strands", "Only hate crimes and hate incidents have strands")
        if data.get("case_type") in {CaseType.HATE_CRIME, CaseType.HATE_INCIDENT} and not data.get("hate_strands"):
            self.add_error("hate_strands", "Choose at least one strand for a hate crime or incident")
        code = data.get("owning_district")
        data["owning_district"] = District.objects.filter(ons_code=code).first() if code else None
        return data


class DuplicateCheckForm(GovukForm):
    """The people and places the new case is about, to look for existing records first."""

    name = forms.CharField(label="Name of a person in the case", required=False, max_length=200)
    date_of_birth = PartialDateField(label="Their date of birth", required=False)
    postcode = forms.CharField(
        label="Postcode of the address or location",
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"data-width": "10"}),
    )


class StatusForm(GovukForm):
    to = forms.ChoiceField(
        label="New status", choices=[], widget=forms.RadioSelect, error_messages={"required": "Choose the new status"}
    )
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give the reason for the change"},
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(s, CaseStatus(s).label) for s in sorted(TRANSITIONS.get(case.status, ()))]


class TransferForm(GovukForm):
    to_agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.order_by("name"),
        empty_label="Choose an agency",
        error_messages={"required": "Choose the agency taking the case"},
    )
    to_officer = OfficerChoiceField(
        label="Officer",
        required=False,
        queryset=User.objects.none(),
        empty_label="The agency will allocate an officer",
        help_text="An officer of the agency taking the case",
    )
    to_district = forms.ChoiceField(label="District team", required=False, choices=[])
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give the reason for the transfer"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency = self.fields["to_agency"]
        assert isinstance(agency, forms.ModelChoiceField)
        limit_officers(self, "to_officer", "to_agency", agency.queryset)
        district = self.fields["to_district"]
        assert isinstance(district, forms.ChoiceField)
        district.choices = [("", "No district team"), *_district_choices()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code = data.get("to_district")
        data["to_district"] = District.objects.filter(ons_code=code).first() if code else None
        check_officer(self, data, "to_officer", "to_agency")
        return data


class PersonPickForm(GovukForm):
    person = forms.UUIDField(widget=forms.HiddenInput)
    role = forms.ChoiceField(label="Role in the case", choices=CaseRole.choices)


class PlacePickForm(GovukForm):
    place = forms.UUIDField(widget=forms.HiddenInput)
    role = forms.ChoiceField(label="Role in the case", choices=PlaceRole.choices)


class EntryForm(GovukForm):
    kind = forms.ChoiceField(
        label="What is it?", choices=EntryKind.choices, widget=forms.RadioSelect, initial=EntryKind.NOTE
    )
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Enter a title"})
    body = forms.CharField(label="Details", required=False, widget=forms.Textarea(attrs={"rows": 5}))
    occurred_on = GovukDateField(
        label="Date it happened",
        error_messages={"required": "Enter the date"},
    )
    occurred_time = GovukTimeField(label="Time", required=False)
    place = forms.ChoiceField(label="Where (incidents)", required=False, choices=[])
    reporting_channel = forms.ChoiceField(
        label="How it was reported", required=False, choices=[("", "Not an incident report"), *ReportingChannel.choices]
    )
    is_complaint = forms.BooleanField(
        label="This is a complaint about anti-social behaviour",
        required=False,
        help_text="Complaints count towards the ASB case review threshold",
    )
    reported_on = GovukDateField(label="Date the complaint was made", required=False)
    complainant = forms.ChoiceField(label="Who complained", required=False, choices=[])
    is_hate_incident = forms.BooleanField(label="Perceived to be motivated by hate", required=False)
    document = forms.FileField(label="Document", required=False)
    restricted_to = forms.MultipleChoiceField(
        label="Restrict to these agencies",
        required=False,
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave blank for every agency in the case to see it",
    )

    def __init__(self, *args: Any, case: Case, links: CaseLinks, **kwargs: Any) -> None:
        """``links``: the case's people and places the user may see (``profile.case_links``); no others are offered."""
        super().__init__(*args, **kwargs)
        places = [(str(p.uuid), str(p)) for p in links.place_records()]
        people = [(str(p.uuid), str(p)) for p in links.people_in()]
        agencies = [case.owning_agency, *case.parties.order_by("name")]
        _set_choices(self, "place", [("", "No place"), *places], hidden_note(places=links.hidden_places))
        _set_choices(self, "complainant", [("", "Not recorded"), *people], hidden_note(people=links.hidden_people()))
        _set_choices(self, "restricted_to", [(str(a.pk), a.name) for a in agencies])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day = data.get("occurred_on")
        if day is not None:
            moment = dt.datetime.combine(day, data.get("occurred_time") or dt.time(12, 0))
            data["occurred_at"] = timezone.make_aware(moment)
            if data["occurred_at"] > timezone.now():
                self.add_error("occurred_on", "The date must be today or in the past")
        if data.get("is_complaint") and not data.get("reported_on"):
            self.add_error("reported_on", "Enter the date the complaint was made")
        return data


class ActionForm(GovukForm):
    deadline_fields = frozenset({"due_on"})
    title = forms.CharField(label="Action", max_length=200, error_messages={"required": "Enter the action"})
    detail = forms.CharField(label="Details", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    assigned_agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.none(),
        empty_label="Choose an agency",
        error_messages={"required": "Choose the agency"},
    )
    assigned_officer = OfficerChoiceField(
        label="Officer",
        required=False,
        queryset=User.objects.none(),
        empty_label="Anyone in the agency",
        help_text="An officer of the agency",
    )
    due_on = GovukDateField(
        label="Due by",
        error_messages={"required": "Enter the due date"},
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = [case.owning_agency_id, *case.parties.values_list("pk", flat=True)]
        agency = self.fields["assigned_agency"]
        assert isinstance(agency, forms.ModelChoiceField)
        agency.queryset = Agency.objects.filter(pk__in=ids).order_by("name")
        limit_officers(self, "assigned_officer", "assigned_agency", agency.queryset)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_officer(self, data, "assigned_officer", "assigned_agency")
        return data


class ActionUpdateForm(GovukForm):
    status = forms.ChoiceField(label="Status", choices=ActionStatus.choices, widget=forms.RadioSelect)
    outcome = forms.CharField(
        label="Outcome",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when the action is done",
    )


class CaseReviewApplicationForm(GovukForm):
    received_on = GovukDateField(
        label="Date the application was received",
        error_messages={"required": "Enter the date received"},
    )
    applicant = forms.ChoiceField(label="Applicant", required=False, choices=[])
    applicant_description = forms.CharField(
        label="Applicant, if not in the case",
        required=False,
        max_length=200,
        help_text="e.g. a councillor or MP on the victim's behalf",
    )

    def __init__(self, *args: Any, case: Case, links: CaseLinks, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = [(str(p.uuid), str(p)) for p in links.people_in()]
        _set_choices(self, "applicant", [("", "Not in the case"), *people], hidden_note(people=links.hidden_people()))


class CaseReviewDecisionForm(GovukForm):
    threshold_met = forms.TypedChoiceField(
        label="Was the threshold met?",
        coerce=lambda v: v == "yes",
        choices=[("yes", "Yes: a review is carried out"), ("no", "No: the applicant is told why")],
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the threshold was met"},
    )
    decided_on = GovukDateField(label="Date of the decision")
    review_completed_on = GovukDateField(label="Date the review was completed", required=False)
    recommendations = forms.IntegerField(label="Number of recommendations made", min_value=0, initial=0)
    outcome = forms.CharField(label="Outcome", required=False, widget=forms.Textarea(attrs={"rows": 3}))


def _agency_choices(form: forms.Form, name: str, agencies: list[Agency]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField | forms.ModelMultipleChoiceField)
    field.queryset = Agency.objects.filter(pk__in=[a.pk for a in agencies]).order_by("name")


class MaracMeetingForm(GovukForm):
    meeting_on = GovukDateField(
        label="Date of the MARAC meeting",
        error_messages={"required": "Enter the date of the meeting"},
    )
    attending = forms.ModelMultipleChoiceField(
        label="Agencies attending",
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose the agencies attending the meeting"},
    )

    def __init__(self, *args: Any, agencies: list[Agency], **kwargs: Any) -> None:
        """``agencies``: those that may attend (holding the case, or of the MARAC: ``marac_meeting_agencies``)."""
        super().__init__(*args, **kwargs)
        _agency_choices(self, "attending", agencies)


class MaracReferralForm(MaracMeetingForm):
    referred_on = GovukDateField(
        label="Date of the referral",
        error_messages={"required": "Enter the date of the referral"},
    )
    person = forms.ChoiceField(label="Victim referred", required=False, choices=[])
    field_order = ["referred_on", "person", "meeting_on", "attending"]

    def __init__(self, *args: Any, case: Case, links: CaseLinks, agencies: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, agencies=agencies, **kwargs)
        victims = [(str(p.uuid), str(p)) for p in links.people_in(CaseRole.VICTIM)]
        note = hidden_note(people=links.hidden_people(CaseRole.VICTIM))
        _set_choices(self, "person", [("", "Not recorded"), *victims], note)
        self.fields["meeting_on"].required = False
        self.fields["meeting_on"].help_text = "If it is known: it can be recorded later"
        self.fields["attending"].required = False
        self.fields["attending"].help_text = (
            "The case is shared with the agencies of the MARAC when you record the referral; "
            "who attends can be recorded later"
        )


class MaracActionForm(GovukForm):
    title = forms.CharField(label="Action", max_length=200, error_messages={"required": "Enter the action"})
    detail = forms.CharField(label="Details", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    assigned_agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.none(),
        empty_label="Choose an agency",
        error_messages={"required": "Choose the agency"},
        help_text="The agencies attending the meeting you may record actions for",
    )
    due_on = GovukDateField(
        label="Due by",
        error_messages={"required": "Enter the due date"},
    )

    def __init__(self, *args: Any, agencies: list[Agency], **kwargs: Any) -> None:
        """``agencies``: those the user may record actions for (``services.marac_action_agencies``)."""
        super().__init__(*args, **kwargs)
        _agency_choices(self, "assigned_agency", agencies)


POWER_ACTIONS = [
    ("issued", "Issued"),
    ("served", "Served"),
    ("extended", "Extended"),
    ("applied", "Applied to court"),
    ("heard", "Heard by the court"),
    ("made", "Made"),
    ("granted", "Granted"),
    ("reviewed", "Reviewed"),
    ("varied", "Varied"),
    ("complied", "Complied with"),
    ("breached", "Breached"),
    ("paid", "Paid"),
    ("started", "Started"),
    ("concluded", "Concluded"),
    ("withdrawn", "Withdrawn"),
    ("cancelled", "Cancelled"),
    ("discharged", "Discharged"),
]


class PowerForm(GovukForm):
    deadline_fields = frozenset({"until_date", "review_on"})
    subject = forms.ChoiceField(
        label="Against or for", choices=[], error_messages={"required": "Choose the perpetrator or the place"}
    )
    power = forms.ChoiceField(label="Power", choices=[])
    action = forms.ChoiceField(label="What happened", choices=POWER_ACTIONS)
    on_date = GovukDateField(label="Date", error_messages={"required": "Enter the date"})
    on_time = GovukTimeField(
        label="Time",
        required=False,
        help_text="Needed for closure notices and court applications. For example, 9:30am or 14:30",
    )
    until_date = GovukDateField(
        label="Until (end date)",
        required=False,
        help_text="A warning's time to comply; the end of a notice, order or PSPO",
    )
    until_time = GovukTimeField(label="Until (time)", required=False)
    review_on = GovukDateField(label="Review date", required=False)
    senior_authority = forms.BooleanField(
        label="Authorised by a superintendent or the council's chief executive (or designate)", required=False
    )
    reference = forms.CharField(label="Reference", required=False, max_length=60)

    def __init__(self, *args: Any, case: Case, links: CaseLinks, **kwargs: Any) -> None:
        from csphub.cases.models import PowerType

        super().__init__(*args, **kwargs)
        subjects = [(f"person:{p.uuid}", f"{p} (perpetrator)") for p in links.people_in(CaseRole.PERPETRATOR)]
        subjects += [(f"place:{p.uuid}", f"{p} (place)") for p in links.place_records()]
        note = hidden_note(people=links.hidden_people(CaseRole.PERPETRATOR), places=links.hidden_places)
        _set_choices(self, "subject", [("", "Choose one"), *subjects], note)
        _set_choices(self, "power", list(PowerType.choices))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("on_date"):
            data["on"] = timezone.make_aware(dt.datetime.combine(data["on_date"], data.get("on_time") or dt.time(9)))
        until = data.get("until_date")
        data["until"] = (
            timezone.make_aware(dt.datetime.combine(until, data.get("until_time") or dt.time(23, 59)))
            if until
            else None
        )
        return data
