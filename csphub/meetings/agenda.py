"""One agenda, rendered for each viewer through the access policy.

Every item that concerns a record (a case, a referral, a person or place of the register, a MARAC referral's
case, a case action carried over) is shown only if ``visible_to`` lets the viewer see that record; the others are
counted, never named. The same goes for the meeting's decisions, its agreed case actions and its actions about a
cuckooing panel record. The timing is the
whole agenda's (hidden items take their time too), so every attendee sees the same times.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils import timezone

from csphub.access.models import Governed
from csphub.cases.models import Action, Case
from csphub.cuckooing.models import VulnerabilityRecord
from csphub.cuckooing.queries import PanelRow, ranked
from csphub.meetings.models import (
    PANEL_GROUPS,
    AgendaItem,
    AgreedCaseAction,
    ItemKind,
    Meeting,
    MeetingAction,
    MeetingDecision,
)
from csphub.referrals.models import Referral
from csphub.registers.models import Person, Place

if TYPE_CHECKING:
    from csphub.partnership.models import User


@dataclass(frozen=True)
class AgendaRow:
    item: AgendaItem
    number: int
    starts_at: dt.datetime
    label: str
    record: Governed | None = None
    meeting_action: MeetingAction | None = None
    case_action: Action | None = None
    repeat: bool = False  # a repeat MARAC referral (the calculator's flag, recorded with the referral)
    agency_actions: list[tuple[str, list[Action]]] = field(default_factory=list)  # a MARAC case: each agency's
    panel: PanelRow | None = None  # a cuckooing panel record open on the ranked list, worded for the viewer
    panel_why: str = ""  # why it is on the panel's agenda (review due, new to the panel, ranked)

    @property
    def case(self) -> Case | None:
        return self.record if isinstance(self.record, Case) else None


@dataclass(frozen=True)
class Agenda:
    meeting: Meeting
    rows: list[AgendaRow]
    hidden: int
    decisions: list[MeetingDecision]
    hidden_decisions: int
    case_actions: list[Action]
    hidden_case_actions: int
    meeting_actions: list[MeetingAction]
    ends_at: dt.datetime

    @property
    def shown_records(self) -> list[Governed]:
        return [r.record for r in self.rows if r.record is not None]

    @property
    def panel_records(self) -> list[VulnerabilityRecord]:
        """The cuckooing panel records on the agenda the viewer may see."""
        return [r.record for r in self.rows if isinstance(r.record, VulnerabilityRecord)]

    @property
    def cases(self) -> list[Case]:
        seen: dict[int, Case] = {}
        for row in self.rows:
            if row.case is not None:
                seen.setdefault(row.case.pk, row.case)
        return list(seen.values())


def _visible_ids(viewer: User, model: type[Governed], ids: set[int]) -> set[int]:
    if not ids:
        return set()
    manager: Any = model.objects
    return set(manager.visible_to(viewer).filter(pk__in=ids).values_list("pk", flat=True))


def _governed(item: AgendaItem) -> tuple[type[Governed], int] | None:
    """The record an item concerns (a MARAC referral's and a carried case action's: the case)."""
    for model, attname in (
        (Case, "case_id"),
        (Referral, "referral_id"),
        (Person, "person_id"),
        (Place, "place_id"),
        (VulnerabilityRecord, "vulnerability_record_id"),
    ):
        value = getattr(item, attname)
        if value is not None:
            return model, value
    action = item.meeting_action
    if action is not None and action.vulnerability_record_id is not None:
        return VulnerabilityRecord, action.vulnerability_record_id  # an action carried over about a panel record
    return None


def _panel_label(record: VulnerabilityRecord, panel: PanelRow | None) -> str:
    """A cuckooing record as the viewer may see it: its premises and resident named only if they may see them."""
    if panel is None:
        return f"{record.reference} (no longer on the panel's list)"
    parts = []
    if panel.premises is not None:
        parts.append(str(panel.premises))
    elif panel.premises_hidden:
        parts.append("a premises you may not see")
    if panel.person is not None:
        parts.append(panel.person.full_name)
    elif panel.person_hidden:
        parts.append("a resident you may not see")
    return f"{record.reference}: {', '.join(parts)}" if parts else record.reference


def _label(item: AgendaItem, record: Governed | None, panel: PanelRow | None = None) -> str:
    if isinstance(record, VulnerabilityRecord):
        return _panel_label(record, panel)
    if item.kind == ItemKind.BUSINESS:
        return item.title
    if item.kind == ItemKind.CARRIED_ACTION and item.meeting_action is not None:
        return f"Action carried over: {item.meeting_action.title}"
    if item.kind == ItemKind.CARRIED_CASE_ACTION and item.case_action is not None and isinstance(record, Case):
        return f"Action carried over ({record.reference}): {item.case_action.title}"
    if isinstance(record, Case):
        return f"{record.reference}: {record.title}"
    if isinstance(record, Referral):
        return f"Referral {record.reference}"
    return str(record)


def agenda_for(meeting: Meeting, viewer: User) -> Agenda:
    items = list(
        meeting.items.select_related(
            "case",
            "referral",
            "person",
            "place",
            "marac_referral",
            "meeting_action",
            "case_action",
            "vulnerability_record",
        ).order_by("position", "id")
    )
    wanted: dict[type[Governed], set[int]] = defaultdict(set)
    for item in items:
        found = _governed(item)
        if found is not None:
            wanted[found[0]].add(found[1])
    decisions = list(
        meeting.decisions.select_related("case", "vulnerability_record", "recorded_by").order_by("recorded_at", "id")
    )
    agreed = list(
        Action.objects.filter(pk__in=AgreedCaseAction.objects.filter(meeting=meeting).values("action_id"))
        .select_related("case", "assigned_agency", "assigned_officer")
        .order_by("due_on", "id")
    )
    all_meeting_actions = list(
        meeting.actions.select_related("assigned_agency", "assigned_officer", "objective", "vulnerability_record")
    )
    wanted[Case] |= {d.case_id for d in decisions if d.case_id is not None} | {a.case_id for a in agreed}
    wanted[VulnerabilityRecord] |= {d.vulnerability_record_id for d in decisions if d.vulnerability_record_id}
    wanted[VulnerabilityRecord] |= {a.vulnerability_record_id for a in all_meeting_actions if a.vulnerability_record_id}
    visible = {model: _visible_ids(viewer, model, ids) for model, ids in wanted.items()}

    marac_ids = [i.marac_referral_id for i in items if i.marac_referral_id is not None]
    by_referral: dict[int, dict[str, list[Action]]] = defaultdict(lambda: defaultdict(list))
    for action in (
        Action.objects.filter(marac_referral_id__in=marac_ids)
        .select_related("assigned_agency", "assigned_officer")
        .order_by("assigned_agency__name", "due_on", "id")
    ):
        assert action.marac_referral_id is not None
        by_referral[action.marac_referral_id][action.assigned_agency.name].append(action)

    panel_rows = _panel_rows(viewer, meeting, visible.get(VulnerabilityRecord, set()))

    rows: list[AgendaRow] = []
    hidden = 0
    clock = meeting.starts_at
    for item in items:
        starts = clock
        clock += dt.timedelta(minutes=item.minutes_allotted)
        found = _governed(item)
        record: Governed | None = None
        if found is not None:
            model, pk = found
            if pk not in visible[model]:
                hidden += 1
                continue
            record = _record_of(item, model)
        panel = panel_rows.get(item.vulnerability_record_id) if item.vulnerability_record_id else None
        referral = item.marac_referral
        rows.append(
            AgendaRow(
                item=item,
                number=len(rows) + 1,
                starts_at=timezone.localtime(starts),
                label=_label(item, record, panel),
                record=record,
                meeting_action=item.meeting_action,
                case_action=item.case_action,
                repeat=bool(referral is not None and referral.is_repeat),
                agency_actions=sorted(by_referral.get(referral.pk, {}).items()) if referral is not None else [],
                panel=panel,
                panel_why=_panel_why(item),
            )
        )
    panel_seen = visible.get(VulnerabilityRecord, set())
    shown_decisions = [d for d in decisions if d.case_id in visible[Case] or d.vulnerability_record_id in panel_seen]
    shown_actions = [a for a in agreed if a.case_id in visible[Case]]
    # A meeting action about a cuckooing record is shown only to those who may see the record (counted otherwise).
    meeting_actions = [
        a for a in all_meeting_actions if a.vulnerability_record_id is None or a.vulnerability_record_id in panel_seen
    ]
    return Agenda(
        meeting=meeting,
        rows=rows,
        hidden=hidden,
        decisions=shown_decisions,
        hidden_decisions=len(decisions) - len(shown_decisions),
        case_actions=shown_actions,
        hidden_case_actions=len(agreed) - len(shown_actions) + len(all_meeting_actions) - len(meeting_actions),
        meeting_actions=meeting_actions,
        ends_at=timezone.localtime(max(clock, meeting.ends_at)),
    )


def _panel_why(item: AgendaItem) -> str:
    if item.kind != ItemKind.CUCKOOING or item.panel_group is None or item.panel_group >= len(PANEL_GROUPS):
        return ""
    return PANEL_GROUPS[item.panel_group]


def _panel_rows(viewer: User, meeting: Meeting, record_ids: set[int]) -> dict[int, PanelRow]:
    """The cuckooing records on the agenda the viewer may see, as their ranked list shows them as at the meeting's
    day: the resident and the premises named only if the viewer may see them, the reasons worded for the viewer
    (panel partners read "near known drug activity", never of county lines). Closed records are not on the list."""
    if not record_ids:
        return {}
    listed = ranked(viewer, meeting.local_date)
    indices = [n for n, r in enumerate(listed.records) if r.pk in record_ids]
    return {row.record.pk: row for row in listed.rows(indices)}


def _record_of(item: AgendaItem, model: type[models.Model]) -> Governed | None:
    for value in (item.case, item.referral, item.person, item.place, item.vulnerability_record):
        if isinstance(value, model):
            return value
    return None
