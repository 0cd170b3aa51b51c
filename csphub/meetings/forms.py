"""The meeting pages' forms (GOV.UK components through csphub.ui)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from csphub.cases.forms import OfficerChoiceField, check_officer, limit_officers
from csphub.cases.kinds import ActionStatus
from csphub.cases.models import Case
from csphub.cuckooing.models import VulnerabilityRecord
from csphub.meetings.models import Meeting, MemberRole, Objective, Rating, Recurrence, SeriesKind, Theme
from csphub.partnership.models import Agency, User
from csphub.ui.dates import govuk_when
from csphub.ui.forms import GovukDateField, GovukForm, GovukTimeField


class ScheduleForm(GovukForm):
    """The next meeting: by the series' pattern, or (an ad hoc series) on a day and time."""

    deadline_fields = frozenset({"day"})
    day = GovukDateField(
        label="Date",
        required=False,
    )
    time = GovukTimeField(
        label="Start time",
        required=False,
    )

    def __init__(self, *args: Any, ad_hoc: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not ad_hoc:
            del self.fields["day"], self.fields["time"]
        else:
            self.fields["day"].required = True
            self.fields["time"].required = True


class ReferForm(GovukForm):
    reference = forms.CharField(
        label="Case or referral reference",
        max_length=24,
        help_text="For example NN-ASB-2026-000123",
        error_messages={"required": "Enter the reference of the case or referral"},
    )


class MinutesForm(GovukForm):
    minutes = forms.CharField(
        label="Minutes of the general business",
        required=False,
        help_text="Decisions about a case go on the case (record a decision): keep personal data out of the minutes",
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    present = forms.ModelMultipleChoiceField(
        label="Agencies present", required=False, queryset=Agency.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, agencies: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        present = self.fields["present"]
        assert isinstance(present, forms.ModelMultipleChoiceField)
        present.queryset = Agency.objects.filter(pk__in=[a.pk for a in agencies]).order_by("name")


class _CaseChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.reference}: {obj.title}"


class _RecordChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.reference)


def _panel_record_field(required: bool, empty_label: str) -> _RecordChoice:
    return _RecordChoice(
        label="Cuckooing panel record",
        required=required,
        queryset=VulnerabilityRecord.objects.none(),
        to_field_name="uuid",
        empty_label=empty_label,
    )


def _limit_about(form: GovukForm, cases: list[Case], records: list[VulnerabilityRecord], *, optional: bool) -> None:
    """Offer the agenda's cases and cuckooing records the viewer may see; drop a field with nothing to offer."""
    case = form.fields["case"]
    assert isinstance(case, forms.ModelChoiceField)
    case.queryset = Case.objects.filter(pk__in=[c.pk for c in cases]).order_by("reference")
    record = form.fields["vulnerability_record"]
    assert isinstance(record, forms.ModelChoiceField)
    record.queryset = VulnerabilityRecord.objects.filter(pk__in=[r.pk for r in records]).order_by("id")
    if not records:
        del form.fields["vulnerability_record"]
    elif not cases:
        del form.fields["case"]
    if "case" in form.fields and "vulnerability_record" in form.fields:
        case.required = record.required = False
        if not optional:
            case.empty_label = "Not a case"
    form._style(errors=False)


def _check_about(form: GovukForm, data: dict[str, Any], *, optional: bool) -> None:
    if "case" not in form.fields or "vulnerability_record" not in form.fields:
        return
    case, record = data.get("case"), data.get("vulnerability_record")
    if case is not None and record is not None:
        form.add_error("vulnerability_record", "Choose a case or a cuckooing panel record, not both")
    elif not optional and case is None and record is None and "case" not in form.errors:
        form.add_error("case", "Choose the case or the cuckooing panel record the decision is about")


class DecisionForm(GovukForm):
    case = _CaseChoice(
        label="Case",
        queryset=Case.objects.none(),
        empty_label="Choose a case",
        error_messages={"required": "Choose the case the decision is about"},
    )
    vulnerability_record = _panel_record_field(True, "Choose a record")
    text = forms.CharField(
        label="Decision", widget=forms.Textarea(attrs={"rows": 4}), error_messages={"required": "Enter the decision"}
    )

    def __init__(
        self, *args: Any, cases: list[Case], records: list[VulnerabilityRecord] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        record = self.fields["vulnerability_record"]
        record.error_messages["required"] = "Choose the cuckooing panel record the decision is about"
        _limit_about(self, cases, records or [], optional=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _check_about(self, data, optional=False)
        return data


class MeetingActionForm(GovukForm):
    deadline_fields = frozenset({"due_on"})
    case = _CaseChoice(
        label="Case",
        required=False,
        queryset=Case.objects.none(),
        empty_label="No case: partnership business",
        help_text="An action about a case goes on the case's action list",
    )
    vulnerability_record = _panel_record_field(False, "No cuckooing panel record")
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
    objective = forms.ModelChoiceField(
        label="Objective", required=False, queryset=Objective.objects.none(), empty_label="None"
    )

    def __init__(
        self,
        *args: Any,
        cases: list[Case],
        agencies: list[Agency],
        objectives: list[Objective],
        records: list[VulnerabilityRecord] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        case = self.fields["case"]
        assert isinstance(case, forms.ModelChoiceField)
        case.queryset = Case.objects.filter(pk__in=[c.pk for c in cases]).order_by("reference")
        if not records:
            del self.fields["vulnerability_record"]
        else:
            record = self.fields["vulnerability_record"]
            assert isinstance(record, forms.ModelChoiceField)
            record.queryset = VulnerabilityRecord.objects.filter(pk__in=[r.pk for r in records]).order_by("id")
            record.help_text = "An action about a record is shown on the record's page"
        agency = self.fields["assigned_agency"]
        assert isinstance(agency, forms.ModelChoiceField)
        agency.queryset = Agency.objects.filter(pk__in=[a.pk for a in agencies]).order_by("name")
        limit_officers(self, "assigned_officer", "assigned_agency", agency.queryset)
        objective = self.fields["objective"]
        assert isinstance(objective, forms.ModelChoiceField)
        if objectives:
            objective.queryset = Objective.objects.filter(pk__in=[o.pk for o in objectives])
        else:
            del self.fields["objective"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_officer(self, data, "assigned_officer", "assigned_agency")
        _check_about(self, data, optional=True)
        return data


class ActionUpdateForm(GovukForm):
    status = forms.ChoiceField(label="Status", choices=ActionStatus.choices, widget=forms.RadioSelect)
    outcome = forms.CharField(
        label="Outcome",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What was done (needed when the action is done)",
    )


class ProgressForm(GovukForm):
    objective = forms.ModelChoiceField(
        label="Objective",
        queryset=Objective.objects.none(),
        empty_label="Choose an objective",
        error_messages={"required": "Choose the objective"},
    )
    rating = forms.ChoiceField(
        label="Progress",
        choices=Rating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how it is going"},
    )
    text = forms.CharField(
        label="What your agency did",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What was done, not for whom: no names",
        error_messages={"required": "Say what your agency did"},
    )
    people_reached = forms.IntegerField(label="People reached", required=False, min_value=0, max_value=100_000)

    def __init__(self, *args: Any, objectives: list[Objective], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["objective"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Objective.objects.filter(pk__in=[o.pk for o in objectives])


class SeriesForm(GovukForm):
    """A new series: what it is, when it meets, and the agencies sitting on it (the user's agency chairs it)."""

    deadline_fields = frozenset({"first_day"})
    name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Enter the name"})
    kind = forms.ChoiceField(label="Kind of meeting", choices=SeriesKind.choices, widget=forms.RadioSelect)
    purpose = forms.CharField(label="Purpose", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    recurrence = forms.ChoiceField(label="How often it meets", choices=Recurrence.choices, widget=forms.RadioSelect)
    first_day = GovukDateField(
        label="Date of the first meeting",
        error_messages={"required": "Enter the date of the first meeting"},
    )
    first_time = GovukTimeField(
        label="Start time",
        error_messages={"required": "Enter the start time"},
    )
    duration_minutes = forms.IntegerField(label="Length in minutes", min_value=15, max_value=480, initial=120)
    location = forms.CharField(label="Where", max_length=200, required=False)
    minutes_per_case = forms.IntegerField(
        label="Minutes for each case", min_value=1, max_value=60, initial=10, help_text="A MARAC: 12 to 15"
    )
    members = forms.ModelMultipleChoiceField(
        label="Member agencies",
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Your agency chairs it; voluntary and faith groups can be members",
        required=False,
    )
    secretariat_agency = forms.ModelChoiceField(
        label="Secretariat", queryset=Agency.objects.none(), required=False, empty_label="Your agency"
    )
    chair = OfficerChoiceField(label="Chair", queryset=User.objects.none(), required=False, empty_label="Not named")

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency = user.agency
        assert agency is not None
        agencies = Agency.objects.filter(partnership_id=agency.partnership_id).exclude(pk=agency.pk)
        for name in ("members", "secretariat_agency"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = agencies.order_by("name")
        chair = self.fields["chair"]
        assert isinstance(chair, forms.ModelChoiceField)
        chair.queryset = User.objects.filter(agency_id=agency.pk, is_active=True).order_by("last_name")


class ObjectiveForm(GovukForm):
    theme = forms.ChoiceField(label="Theme", choices=Theme.choices, widget=forms.RadioSelect)
    title = forms.CharField(label="Objective", max_length=200, error_messages={"required": "Enter the objective"})
    description = forms.CharField(label="Details", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    lead_agency = forms.ModelChoiceField(
        label="Lead partner", queryset=Agency.objects.none(), required=False, empty_label="None"
    )

    def __init__(self, *args: Any, agencies: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["lead_agency"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Agency.objects.filter(pk__in=[a.pk for a in agencies]).order_by("name")


NOT_A_MEMBER = ""
MEMBER_CHOICES = [(NOT_A_MEMBER, "Not a member"), *MemberRole.choices]


class _NamedOfficer(OfficerChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_full_name() or obj.username} ({obj.agency})"


class MembersForm(GovukForm):
    """Who sits on a series: each agency of the partnership with its role (or none), and the named chair and
    secretariat (officers of the member agencies)."""

    chair = _NamedOfficer(
        label="Chair",
        queryset=User.objects.none(),
        required=False,
        empty_label="Not named",
        help_text="An officer of a member agency (save a new member first to name one of its officers)",
    )
    secretariat = _NamedOfficer(
        label="Secretariat", queryset=User.objects.none(), required=False, empty_label="Not named"
    )

    def __init__(self, *args: Any, agencies: list[Agency], officers_of: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agencies = agencies
        named = dict(self.fields)
        self.fields.clear()
        for agency in agencies:
            self.fields[self.field_name(agency)] = forms.ChoiceField(
                label=agency.name, choices=MEMBER_CHOICES, required=False
            )
        # Only the officers of the member agencies (and of those being added) are offered, not the partnership's.
        users = User.objects.filter(is_active=True, agency__in=officers_of).select_related("agency")
        for name in ("chair", "secretariat"):
            field = named[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = users.order_by("agency__name", "last_name", "first_name", "username")
            self.fields[name] = field
        self._style(errors=False)

    @staticmethod
    def field_name(agency: Agency) -> str:
        return f"agency_{agency.uuid.hex}"

    def members(self) -> list[tuple[Agency, str]]:
        chosen = [(a, self.cleaned_data.get(self.field_name(a)) or NOT_A_MEMBER) for a in self.agencies]
        return [(a, role) for a, role in chosen if role != NOT_A_MEMBER]


class CancelForm(GovukForm):
    reason = forms.CharField(
        label="Why is the meeting cancelled?",
        help_text="Members read it on the meeting's page: keep personal data out of it",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the meeting is cancelled"},
    )


class RescheduleForm(GovukForm):
    deadline_fields = frozenset({"day"})
    day = GovukDateField(label="New date", error_messages={"required": "Enter the new date"})
    time = GovukTimeField(label="Start time", error_messages={"required": "Enter the start time"})


class _MeetingChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        when = timezone.localtime(obj.starts_at)
        return f"{obj.series.name}, {govuk_when(when)}"


class ReferRecordForm(GovukForm):
    meeting = _MeetingChoice(
        label="Which meeting?",
        queryset=Meeting.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose the meeting", "invalid_choice": "Choose one of the meetings coming up"},
    )

    def __init__(self, *args: Any, meetings: list[Meeting], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["meeting"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Meeting.objects.filter(pk__in=[m.pk for m in meetings]).select_related("series")
        field.queryset = field.queryset.order_by("starts_at", "series__name")
