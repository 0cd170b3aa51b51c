"""Meeting pages: the series (an action group's page too), one meeting's agenda rendered for the viewer, its papers
pack (PDF) and calendar invitation (.ics), and the verbs of running a meeting. Thin: the access policy decides
(``RecordMixin``/``MeetingMixin``), the services act, ``agenda_for`` filters each record through ``visible_to``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from csphub.access import consultation
from csphub.access.policy import allowed_actions, is_community_user, permissions
from csphub.access.views_base import CreateMixin, RecordMixin, acting_user
from csphub.access.vocabulary import Verb
from csphub.cases.models import Case
from csphub.cuckooing.models import VulnerabilityRecord
from csphub.meetings import calendar, services
from csphub.meetings.agenda import Agenda, agenda_for
from csphub.meetings.forms import (
    ActionUpdateForm,
    CancelForm,
    DecisionForm,
    MeetingActionForm,
    MembersForm,
    MinutesForm,
    ObjectiveForm,
    ProgressForm,
    ReferForm,
    ReferRecordForm,
    RescheduleForm,
    ScheduleForm,
    SeriesForm,
)
from csphub.meetings.models import Meeting, MeetingAction, MeetingSeries, MemberRole, Recurrence, SeriesKind
from csphub.meetings.queries import series_for, shown_actions, upcoming_meetings
from csphub.partnership.models import Agency
from csphub.referrals.models import Referral
from csphub.registers.models import Person, Place
from csphub.ui.dates import govuk_when
from csphub.ui.forms import GovukForm
from csphub.ui.views_support import apply_errors


class SeriesListView(LoginRequiredMixin, TemplateView):
    """The series the user may see (their agency sits on), and the meetings coming up."""

    template_name = "meetings/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = acting_user(self.request)
        return {
            **super().get_context_data(**kwargs),
            "series_list": list(series_for(user)),
            "upcoming": upcoming_meetings(user),
            "can_create": Verb.CREATE in allowed_actions(user) and not is_community_user(user),
        }


class SeriesView(RecordMixin[MeetingSeries], TemplateView):
    """A series: members, meetings, and (an action group) its objectives with the partners' progress."""

    model = MeetingSeries
    template_name = "meetings/series.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        series = self.record
        user = acting_user(self.request)
        objectives = list(series.objectives.select_related("lead_agency").prefetch_related("progress__agency"))
        return {
            **super().get_context_data(**kwargs),
            "series": series,
            "members": list(series.members.select_related("agency")),
            "meetings": list(series.meetings.order_by("-starts_at")[:24]),
            "objectives": objectives,
            "next_start": services.next_start(series),
            "can_change": self.allowed["change"],
            "may_change_members": services.may_change_members(series, user),
            "may_report": bool(objectives) and services.may_report_progress(series, user),
            "open_actions": list(
                series.actions.filter(shown_actions(user), status__in=["open", "in_progress"]).select_related(
                    "assigned_agency"
                )
            ),
        }


class ScheduleNextView(RecordMixin[MeetingSeries], View):
    model = MeetingSeries
    action = Verb.CHANGE

    def _render(self, form: ScheduleForm) -> HttpResponse:
        return render(
            self.request,
            "meetings/schedule.html",
            {"series": self.record, "form": form, "next_start": services.next_start(self.record)},
        )

    def _form(self, data: Any = None) -> ScheduleForm:
        return ScheduleForm(data, ad_hoc=self.record.recurrence == Recurrence.AD_HOC)

    def get(self, request: HttpRequest, uuid: str) -> HttpResponse:
        return self._render(self._form())

    def post(self, request: HttpRequest, uuid: str) -> HttpResponse:
        form = self._form(request.POST)
        if not form.is_valid():
            return self._render(form)
        starts_at = None
        if form.cleaned_data.get("day"):
            starts_at = timezone.make_aware(dt.datetime.combine(form.cleaned_data["day"], form.cleaned_data["time"]))
        try:
            meeting = services.schedule_next(self.record, acting_user(request), starts_at=starts_at)
        except ValidationError as exc:
            apply_errors(form, exc)
            return self._render(form)
        messages.success(request, "Meeting scheduled, with the open actions carried over.")
        return redirect(meeting)


class ProgressView(RecordMixin[MeetingSeries], View):
    """A partner reports progress against one of the group's objectives (for their own agency)."""

    model = MeetingSeries

    def _objectives(self) -> list[Any]:
        if not services.may_report_progress(self.record, acting_user(self.request)):
            raise PermissionDenied("Only the group's partners report progress against its objectives.")
        return list(self.record.objectives.all())

    def _render(self, form: ProgressForm) -> HttpResponse:
        return render(
            self.request,
            "meetings/form.html",
            {
                "back": self.record,
                "caption": self.record.name,
                "heading": "Report progress",
                "form": form,
                "submit": "Send the report",
            },
        )

    def get(self, request: HttpRequest, uuid: str) -> HttpResponse:
        return self._render(ProgressForm(objectives=self._objectives()))

    def post(self, request: HttpRequest, uuid: str) -> HttpResponse:
        form = ProgressForm(request.POST, objectives=self._objectives())
        if not form.is_valid():
            return self._render(form)
        data = form.cleaned_data
        try:
            services.report_progress(
                data["objective"],
                acting_user(request),
                rating=data["rating"],
                text=data["text"],
                people_reached=data["people_reached"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            return self._render(form)
        messages.success(request, "Progress reported.")
        return redirect(self.record)


class MeetingMixin(LoginRequiredMixin):
    """A meeting by the URL's ``uuid``, opened through its series (404 outside, 403 without the right)."""

    model = Meeting
    action: Verb = Verb.VIEW
    request: HttpRequest
    meeting: Meeting
    series: MeetingSeries

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        user = acting_user(request)
        meeting = Meeting.objects.filter(uuid=kwargs["uuid"]).first()
        if meeting is None:
            raise Http404("No such meeting")
        self.series = consultation.open_record(MeetingSeries.objects.all(), user, self.action, pk=meeting.series_id)
        meeting.series = self.series
        self.meeting = meeting
        self.allowed = permissions(user, self.series.matched_rules())
        return super().dispatch(request, *args, **kwargs)

    def agenda(self) -> Agenda:
        agenda = agenda_for(self.meeting, acting_user(self.request))
        consultation.record_results(
            agenda.shown_records, f"the agenda of {self.meeting}", {"meeting": str(self.meeting.uuid)}
        )
        return agenda


class MeetingView(MeetingMixin, TemplateView):
    template_name = "meetings/meeting.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "meeting": self.meeting,
            "series": self.series,
            "agenda": self.agenda(),
            "attendance": list(self.meeting.attendance.select_related("agency")),
            "can_change": self.allowed["change"],
            "carried_to": services.following_meeting(self.meeting) if self.meeting.is_cancelled else None,
            "today": timezone.localdate(),
        }


class PapersView(MeetingMixin, View):
    """The papers pack as PDF, for the viewer: the agenda as they may see it, with last time's minutes and actions."""

    def get(self, request: HttpRequest, uuid: str) -> HttpResponse:
        from weasyprint import HTML

        agenda = self.agenda()
        previous = self.series.meetings.filter(starts_at__lt=self.meeting.starts_at).order_by("-starts_at").first()
        html = render_to_string(
            "meetings/papers.html",
            {
                "meeting": self.meeting,
                "series": self.series,
                "agenda": agenda,
                "previous": previous,
                "previous_agenda": agenda_for(previous, acting_user(request)) if previous else None,
                "members": list(self.series.members.select_related("agency")),
                "viewer": acting_user(request),
                "printed_at": timezone.localtime(),
                "today": timezone.localdate(),
            },
            request=request,
        )
        pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
        response = HttpResponse(pdf, content_type="application/pdf")
        name = f"papers-{self.meeting.local_date:%Y-%m-%d}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class InviteView(MeetingMixin, View):
    """The meeting as an iCalendar invitation (no personal data: the series, the time and the place)."""

    def get(self, request: HttpRequest, uuid: str) -> HttpResponse:
        body = calendar.invitation(self.meeting, request.build_absolute_uri(self.meeting.get_absolute_url()))
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="meeting-{self.meeting.local_date:%Y-%m-%d}.ics"'
        return response


class _MeetingFormView(MeetingMixin, View):
    action = Verb.CHANGE
    heading = ""
    submit = "Save"
    success = ""

    def make_form(self, data: Any = None) -> Any:
        raise NotImplementedError

    def perform(self, data: dict[str, Any]) -> None:
        raise NotImplementedError

    intro = ""

    def _render(self, form: Any) -> HttpResponse:
        return render(
            self.request,
            "meetings/form.html",
            {
                "back": self.meeting,
                "caption": str(self.meeting),
                "heading": self.heading,
                "intro": self.intro,
                "form": form,
                "submit": self.submit,
            },
        )

    def get(self, request: HttpRequest, uuid: str) -> HttpResponse:
        return self._render(self.make_form())

    def post(self, request: HttpRequest, uuid: str) -> HttpResponse:
        form = self.make_form(request.POST)
        if not form.is_valid():
            return self._render(form)
        try:
            self.perform(form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
            return self._render(form)
        messages.success(request, self.success)
        return redirect(self.meeting)


class DecisionView(_MeetingFormView):
    heading = "Record a decision"
    success = "Decision recorded. It is on the case's timeline."

    def make_form(self, data: Any = None) -> DecisionForm:
        agenda = self.agenda()
        return DecisionForm(data, cases=agenda.cases, records=agenda.panel_records)

    def perform(self, data: dict[str, Any]) -> None:
        record = data.get("vulnerability_record")
        if record is not None:
            self.success = "Decision recorded. It is on the cuckooing record's page."
        services.record_decision(
            self.meeting,
            acting_user(self.request),
            case=data.get("case"),
            vulnerability_record=record,
            text=data["text"],
        )


class ActionCreateView(_MeetingFormView):
    heading = "Record an action"
    success = "Action recorded."

    def make_form(self, data: Any = None) -> MeetingActionForm:
        agenda = self.agenda()
        cases = agenda.cases
        agencies = {a.pk: a for a in services.member_agencies(self.series)}
        for case in cases:
            for agency in [case.owning_agency, *case.parties.all()]:
                agencies.setdefault(agency.pk, agency)
        return MeetingActionForm(
            data,
            cases=cases,
            agencies=list(agencies.values()),
            objectives=list(self.series.objectives.all()),
            records=agenda.panel_records,
        )

    def perform(self, data: dict[str, Any]) -> None:
        services.add_action(
            self.meeting,
            acting_user(self.request),
            title=data["title"],
            detail=data["detail"],
            due_on=data["due_on"],
            assigned_agency=data["assigned_agency"],
            assigned_officer=data["assigned_officer"],
            case=data["case"],
            vulnerability_record=data.get("vulnerability_record"),
            objective=data.get("objective"),
        )


class MinutesView(_MeetingFormView):
    heading = "Minutes and attendance"
    success = "Minutes saved."

    def make_form(self, data: Any = None) -> MinutesForm:
        initial = {
            "minutes": self.meeting.minutes,
            "present": [a.agency_id for a in self.meeting.attendance.filter(present=True)],
        }
        return MinutesForm(data, initial=initial, agencies=services.member_agencies(self.series))

    def perform(self, data: dict[str, Any]) -> None:
        services.record_minutes(
            self.meeting, acting_user(self.request), minutes=data["minutes"], present=data["present"]
        )


class ReferView(_MeetingFormView):
    heading = "Refer a case or referral to the meeting"
    success = "Added to the agenda."
    submit = "Add to the agenda"

    def make_form(self, data: Any = None) -> ReferForm:
        return ReferForm(data)

    def perform(self, data: dict[str, Any]) -> None:
        user = acting_user(self.request)
        reference = data["reference"].strip().upper()
        record: Any = (
            Case.objects.visible_to(user).filter(reference=reference).first()
            or Referral.objects.visible_to(user).filter(reference=reference).first()
        )
        if record is None:
            raise ValidationError({"reference": "No case or referral you can see has that reference"})
        try:
            services.refer(self.meeting, user, record)
        except PermissionDenied as exc:
            raise ValidationError({"reference": str(exc)}) from exc


class ActionUpdateView(LoginRequiredMixin, View):
    """Update a meeting action (its agency's users, or anyone who may change the series)."""

    model = MeetingAction

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        user = acting_user(request)
        action = MeetingAction.objects.filter(uuid=kwargs["uuid"]).select_related("series", "meeting").first()
        if action is None or not MeetingSeries.objects.visible_to(user).filter(pk=action.series_id).exists():
            raise Http404("No such action")
        if (
            action.vulnerability_record_id is not None
            and not VulnerabilityRecord.objects.visible_to(user).filter(pk=action.vulnerability_record_id).exists()
        ):
            raise Http404("No such action")  # about a cuckooing record the user may not see
        services.check_may_update_action(action, user)
        self.object = action
        return super().dispatch(request, *args, **kwargs)

    def _render(self, form: ActionUpdateForm) -> HttpResponse:
        return render(
            self.request,
            "meetings/form.html",
            {
                "back": self.object.meeting,
                "caption": str(self.object.meeting),
                "heading": f"Update the action: {self.object.title}",
                "form": form,
                "submit": "Save",
            },
        )

    def get(self, request: HttpRequest, uuid: str) -> HttpResponse:
        return self._render(ActionUpdateForm(initial={"status": self.object.status, "outcome": self.object.outcome}))

    def post(self, request: HttpRequest, uuid: str) -> HttpResponse:
        form = ActionUpdateForm(request.POST)
        if not form.is_valid():
            return self._render(form)
        try:
            services.update_action(
                self.object,
                acting_user(request),
                status=form.cleaned_data["status"],
                outcome=form.cleaned_data["outcome"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            return self._render(form)
        messages.success(request, "Action updated.")
        return redirect(self.object.meeting)


class SeriesCreateView(CreateMixin, View):
    """Set up a series: the user's agency owns and chairs it, with the member agencies chosen."""

    def _render(self, form: SeriesForm) -> HttpResponse:
        return render(
            self.request,
            "meetings/form.html",
            {
                "back": None,
                "caption": "Meetings",
                "heading": "Set up a meeting series",
                "form": form,
                "submit": "Set up the series",
            },
        )

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated and is_community_user(acting_user(request)):
            raise PermissionDenied("The partnership's agencies set up meetings; voluntary members sit on them.")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(SeriesForm(user=acting_user(request)))

    def post(self, request: HttpRequest) -> HttpResponse:
        user = acting_user(request)
        form = SeriesForm(request.POST, user=user)
        if not form.is_valid():
            return self._render(form)
        data = form.cleaned_data
        secretariat = data["secretariat_agency"]
        members: list[tuple[Any, str]] = [(user.agency, MemberRole.CHAIR)]
        members += [(a, MemberRole.SECRETARIAT if a == secretariat else MemberRole.MEMBER) for a in data["members"]]
        if secretariat is not None and secretariat not in data["members"]:
            members.append((secretariat, MemberRole.SECRETARIAT))
        try:
            series = services.create_series(
                user,
                name=data["name"],
                kind=data["kind"],
                purpose=data["purpose"],
                recurrence_rule=data["recurrence"],
                first_starts_at=timezone.make_aware(dt.datetime.combine(data["first_day"], data["first_time"])),
                duration_minutes=data["duration_minutes"],
                location=data["location"],
                minutes_per_case=data["minutes_per_case"],
                members=members,
                chair=data["chair"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            return self._render(form)
        messages.success(request, "Series set up, with its first meeting.")
        return redirect(series)


class ObjectiveCreateView(RecordMixin[MeetingSeries], View):
    """Add an objective to an action group (those who may run the series)."""

    model = MeetingSeries
    action = Verb.CHANGE

    def _form(self, data: Any = None) -> ObjectiveForm:
        return ObjectiveForm(data, agencies=services.member_agencies(self.record))

    def _render(self, form: ObjectiveForm) -> HttpResponse:
        return render(
            self.request,
            "meetings/form.html",
            {"back": self.record, "caption": self.record.name, "heading": "Add an objective", "form": form},
        )

    def get(self, request: HttpRequest, uuid: str) -> HttpResponse:
        return self._render(self._form())

    def post(self, request: HttpRequest, uuid: str) -> HttpResponse:
        form = self._form(request.POST)
        if not form.is_valid():
            return self._render(form)
        data = form.cleaned_data
        try:
            services.add_objective(
                self.record,
                acting_user(request),
                theme=data["theme"],
                title=data["title"],
                description=data["description"],
                lead_agency=data["lead_agency"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            return self._render(form)
        messages.success(request, "Objective added.")
        return redirect(self.record)


class MembersView(RecordMixin[MeetingSeries], View):
    """Who sits on a series, with their roles, and its named chair and secretariat: for the chair, the secretariat
    or a partnership manager who may change the series (``services.check_may_change_members``)."""

    model = MeetingSeries
    action = Verb.CHANGE

    def _form(self, data: Any = None) -> MembersForm:
        series = self.record
        services.check_may_change_members(series, acting_user(self.request))
        agencies = list(Agency.objects.filter(partnership_id=series.owning_agency.partnership_id).order_by("name"))
        initial: dict[str, Any] = {"chair": series.chair_id, "secretariat": series.secretariat_id}
        members = list(series.members.select_related("agency"))
        for member in members:
            initial[MembersForm.field_name(member.agency)] = member.role
        officers_of = {m.agency_id for m in members}
        if data is not None:
            officers_of |= {a.pk for a in agencies if data.get(MembersForm.field_name(a))}
        return MembersForm(
            data, initial=initial, agencies=agencies, officers_of=[a for a in agencies if a.pk in officers_of]
        )

    def _render(self, form: MembersForm) -> HttpResponse:
        return render(
            self.request,
            "meetings/form.html",
            {
                "back": self.record,
                "caption": self.record.name,
                "heading": "Change the members",
                "intro": (
                    "Members' agencies see the series and its meetings; what each agenda item concerns stays "
                    "governed by its record. One agency chairs it and one is its secretariat."
                ),
                "form": form,
                "submit": "Save the members",
            },
        )

    def get(self, request: HttpRequest, uuid: str) -> HttpResponse:
        return self._render(self._form())

    def post(self, request: HttpRequest, uuid: str) -> HttpResponse:
        form = self._form(request.POST)
        if not form.is_valid():
            return self._render(form)
        try:
            services.change_members(
                self.record,
                acting_user(request),
                members=form.members(),
                chair=form.cleaned_data["chair"],
                secretariat=form.cleaned_data["secretariat"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            return self._render(form)
        messages.success(request, "Members saved.")
        return redirect(self.record)


class CancelView(_MeetingFormView):
    heading = "Cancel the meeting"
    submit = "Cancel the meeting"
    success = "Meeting cancelled. Its open items and actions go to the series' next meeting."
    intro = (
        "Members' calendars get a cancellation. What is on its agenda and its open actions go to the next meeting "
        "of the series (now, if one is scheduled, or when it is)."
    )

    def make_form(self, data: Any = None) -> CancelForm:
        return CancelForm(data)

    def perform(self, data: dict[str, Any]) -> None:
        services.cancel(self.meeting, acting_user(self.request), reason=data["reason"])


class RescheduleView(_MeetingFormView):
    heading = "Move the meeting"
    submit = "Move the meeting"
    success = "Meeting moved. Download the invitation again to update your calendar."

    def make_form(self, data: Any = None) -> RescheduleForm:
        when = timezone.localtime(self.meeting.starts_at)
        return RescheduleForm(data, initial={"day": when.date(), "time": when.time()})

    def perform(self, data: dict[str, Any]) -> None:
        starts_at = timezone.make_aware(dt.datetime.combine(data["day"], data["time"]))
        services.reschedule(self.meeting, acting_user(self.request), starts_at=starts_at)


class CuckooingPanelView(_MeetingFormView):
    """A cuckooing panel meeting's agenda from the panel's ranked list (only a cuckooing panel's meetings)."""

    heading = "Bring the panel's ranked list"
    submit = "Add to the agenda"
    intro = (
        "The records whose review falls due by the meeting, then those new to the panel, then the rest of the "
        "ranked list, up to 25, go on the agenda in that order. Each member sees only the records their agency "
        "may see; the others are counted, never named."
    )

    def make_form(self, data: Any = None) -> GovukForm:
        if self.series.kind != SeriesKind.CUCKOOING:
            raise Http404("Only a cuckooing panel's meetings take the panel's ranked list")
        return GovukForm(data)

    def perform(self, data: dict[str, Any]) -> None:
        made, left = services.bring_cuckooing_panel(self.meeting, acting_user(self.request))
        self.success = f"{len(made)} record{'s' if len(made) != 1 else ''} added to the agenda."
        if left:
            self.success += f" {left} more on your list {'is' if left == 1 else 'are'} for their holders to bring."


class _ReferRecordView(RecordMixin[Any], View):
    """Refer the record to a meeting coming up, from the record's page: only the scheduled meetings of the series the
    user may see that do not hold it yet; only someone who may act on the record (``services.refer``)."""

    action = Verb.CHANGE

    def _meetings(self) -> list[Meeting]:
        return services.referable_meetings(acting_user(self.request), self.record)

    def _render(self, form: ReferRecordForm, meetings: list[Meeting]) -> HttpResponse:
        return render(
            self.request,
            "meetings/refer_record.html",
            {"record": self.record, "form": form, "meetings": meetings, "label": _record_label(self.record)},
        )

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        meetings = self._meetings()
        return self._render(ReferRecordForm(meetings=meetings), meetings)

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        meetings = self._meetings()
        form = ReferRecordForm(request.POST, meetings=meetings)
        if not form.is_valid():
            return self._render(form, meetings)
        meeting = form.cleaned_data["meeting"]
        try:
            services.refer(meeting, acting_user(request), self.record)
        except ValidationError as exc:
            apply_errors(form, ValidationError({"meeting": exc.messages}))
            return self._render(form, meetings)
        messages.success(request, f"Referred to the {meeting.series.name} on {govuk_when(meeting.starts_at)}.")
        return redirect(self.record)


def _record_label(record: Any) -> str:
    if isinstance(record, Case):
        return f"{record.reference}: {record.title}"
    if isinstance(record, Referral):
        return f"Referral {record.reference}"
    if isinstance(record, Person):
        return record.full_name
    if isinstance(record, VulnerabilityRecord):
        return f"Cuckooing vulnerability record {record.reference}"
    return str(record)


class ReferPersonView(_ReferRecordView):
    model = Person


class ReferPlaceView(_ReferRecordView):
    model = Place


class ReferReferralView(_ReferRecordView):
    model = Referral


class ReferPanelRecordView(_ReferRecordView):
    model = VulnerabilityRecord


class ReferCaseView(_ReferRecordView):
    model = Case
    lookup = "reference"
