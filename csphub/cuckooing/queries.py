"""What the panel's pages show: the ranked list, the agenda made from it, and the reviews that are due.

Every record comes from ``visible_to`` for the viewer; a record's person or premises is named only if the viewer
may see it too (otherwise the row says that there is one they may not see). The ranking itself is the pure
``ranking.rank``; this module gathers its inputs (the latest checklist of each record, the premises' coordinates,
the drug-crime hotspots and the known county-lines addresses of the day) and words its reasons for the viewer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from csphub.access import consultation
from csphub.access.policy import may_use_intelligence
from csphub.access.vocabulary import Verb
from csphub.assessments import engine
from csphub.assessments.models import CompletedAssessment, QuestionSetVersion
from csphub.cuckooing import ranking, sources
from csphub.cuckooing.models import PanelMember, RecordStatus, SupportOffer, SupportResponse, VulnerabilityRecord
from csphub.registers.models import Person, Place

if TYPE_CHECKING:
    from csphub.partnership.models import User

# The cuckooing checklist's sections, by position: the resident's indicators, then the property's.
PERSON_SECTION, PROPERTY_SECTION = 0, 1


@lru_cache(maxsize=1)
def ranking_settings() -> ranking.RankingSettings:
    """The shipped ranking configuration (read once per process; a bad file fails loudly at first use)."""
    return ranking.load_settings()


def audience_for(user: User) -> ranking.Audience:
    return ranking.Audience.INTELLIGENCE if may_use_intelligence(user) else ranking.Audience.PANEL


@lru_cache(maxsize=32)
def _section_weights(version_pk: int) -> tuple[engine.QuestionSet, tuple[float, float]]:
    question_set = QuestionSetVersion.objects.get(pk=version_pk).question_set()
    top = max((a.score for a in question_set.answers), default=1) or 1
    most = tuple(float(sum(q.weight for q in s.questions) * top) for s in question_set.sections[:2])
    return question_set, (most[0], most[1]) if len(most) == 2 else (most[0], 0.0)


def section_shares(assessment: CompletedAssessment) -> tuple[float, float]:
    """The share of the most each of the checklist's two sections can score (resident, property), as answered."""
    question_set, most = _section_weights(assessment.question_set_id)
    scores = {a.value: a.score for a in question_set.answers}
    shares = []
    for index, top in zip((PERSON_SECTION, PROPERTY_SECTION), most, strict=True):
        if index >= len(question_set.sections) or not top:
            shares.append(float("nan"))
            continue
        got = sum(
            q.weight * scores.get(assessment.answers.get(q.id) or "", 0) for q in question_set.sections[index].questions
        )
        shares.append(min(1.0, got / top))
    return shares[0], shares[1]


def latest_checklists(records: list[VulnerabilityRecord]) -> dict[int, CompletedAssessment]:
    """Each record's latest completed checklist (one query)."""
    if not records:
        return {}
    kind = ContentType.objects.get_for_model(VulnerabilityRecord)
    latest: dict[int, CompletedAssessment] = {}
    for assessment in (
        CompletedAssessment.objects.filter(subject_type=kind, subject_id__in=[r.pk for r in records])
        .select_related("question_set")
        .order_by("subject_id", "-completed_at", "-id")
    ):
        assert assessment.subject_id is not None
        latest.setdefault(assessment.subject_id, assessment)
    return latest


@dataclass(frozen=True)
class PanelRow:
    rank: int
    record: VulnerabilityRecord
    score: float
    reasons: list[str]
    breakdown: list[tuple[str, float]]
    person: Person | None  # None: no person, or one the viewer may not see (``person_hidden``)
    person_hidden: bool
    premises: Place | None
    premises_hidden: bool
    checklist: CompletedAssessment | None
    support: list[SupportOffer]
    review_overdue: bool

    @property
    def support_summary(self) -> str:
        if not self.support:
            return "None offered yet"
        counts = {r: sum(1 for s in self.support if s.response == r) for r in SupportResponse.values}
        parts = [f"{n} {SupportResponse(r).label.lower()}" for r, n in counts.items() if n]
        return ", ".join(parts)


@dataclass(frozen=True)
class PanelList:
    rows: list[PanelRow]
    settings: ranking.RankingSettings
    audience: ranking.Audience
    as_at: dt.date
    notes: list[str] = field(default_factory=list)  # what the ranking had to do without

    @property
    def version(self) -> str:
        return self.settings.label


def _located(records: list[VulnerabilityRecord]) -> np.ndarray:
    xy = np.full((len(records), 2), np.nan)
    for i, record in enumerate(records):
        place = record.premises
        if place is not None and place.easting is not None and place.northing is not None:
            xy[i] = (place.easting, place.northing)
    return xy


def panel_list(user: User, as_at: dt.date | None = None, *, what: str = "the cuckooing panel's list") -> PanelList:
    """The open records the user may see, ranked; each row with its reasons worded for the user (each row shown is
    a consultation in the audit log, with the ranking's version)."""
    listed = ranked(user, as_at)
    consultation.record_results(
        [r.record for r in listed.rows],
        what,
        {"ranking": listed.settings.version, "ranking_digest": listed.settings.digest},
    )
    return listed


def row_for(user: User, record: VulnerabilityRecord, as_at: dt.date | None = None) -> PanelRow | None:
    """Where an open record the user has opened stands on their ranked list (nothing more is logged)."""
    return next((r for r in ranked(user, as_at).rows if r.record.pk == record.pk), None)


def ranked(user: User, as_at: dt.date | None = None) -> PanelList:
    """``panel_list`` without the log entries: for callers that record the consultation themselves."""
    as_at = as_at or timezone.localdate()
    settings = ranking_settings()
    audience = audience_for(user)
    records = list(
        VulnerabilityRecord.objects.visible_to(user)
        .filter(status=RecordStatus.OPEN)
        .select_related("person", "premises", "owning_agency")
        .order_by("opened_on", "id")
    )
    checklists = latest_checklists(records)
    shares = np.full((len(records), 2), np.nan)
    for i, record in enumerate(records):
        if record.pk in checklists:
            shares[i] = section_shares(checklists[record.pk])
    hotspots = sources.drug_hotspots(as_at, settings)
    lines = sources.known_addresses_xy(as_at)
    result = ranking.rank(_located(records), shares[:, 0], shares[:, 1], hotspots.xy, lines, settings)
    notes = []
    # Panel partners read one "area" component and never which source moved it (``ranking.describe``).
    if audience is ranking.Audience.PANEL:
        if hotspots.months:
            notes.append(f"The area component is nearness to known drug activity ({hotspots.months}).")
    elif hotspots.note:
        notes.append(hotspots.note + " The drug-crime component is left out.")
    elif hotspots.months:
        notes.append(f"Drug-crime hotspots: Gi* on police.uk drug crime, {hotspots.months}.")
    if audience is ranking.Audience.INTELLIGENCE and not sources.has_known_addresses():
        notes.append("No source of known county-lines addresses is connected: that component is left out.")
    visible_people = set(
        Person.objects.visible_to(user)
        .filter(pk__in=[r.person_id for r in records if r.person_id])
        .values_list("pk", flat=True)
    )
    visible_places = set(
        Place.objects.visible_to(user)
        .filter(pk__in=[r.premises_id for r in records if r.premises_id])
        .values_list("pk", flat=True)
    )
    support: dict[int, list[SupportOffer]] = {}
    for offer in SupportOffer.objects.filter(record__in=records).select_related("agency"):
        support.setdefault(offer.record_id, []).append(offer)
    rows = []
    for i in result.order:
        record = records[int(i)]
        rows.append(
            PanelRow(
                rank=int(result.rank[i]),
                record=record,
                score=float(result.score[i]),
                reasons=ranking.describe(result.reasons(int(i)), settings, audience),
                breakdown=ranking.breakdown(result, int(i), audience),
                person=record.person if record.person_id in visible_people else None,
                person_hidden=record.person_id is not None and record.person_id not in visible_people,
                premises=record.premises if record.premises_id in visible_places else None,
                premises_hidden=record.premises_id is not None and record.premises_id not in visible_places,
                checklist=checklists.get(record.pk),
                support=support.get(record.pk, []),
                review_overdue=record.review_overdue(as_at),
            )
        )
    return PanelList(rows, settings, audience, as_at, notes)


@dataclass(frozen=True)
class AgendaItem:
    number: int
    row: PanelRow
    why: str  # why it is on the agenda: "Review due", "New", "Ranked"


@dataclass(frozen=True)
class Agenda:
    meeting_on: dt.date
    items: list[AgendaItem]
    reviews_due: int
    new: int
    settings: ranking.RankingSettings
    generated_at: dt.datetime
    notes: list[str]

    @property
    def version(self) -> str:
        return self.settings.label


def agenda(user: User, meeting_on: dt.date, *, since: dt.date | None = None, limit: int = 25) -> Agenda:
    """The panel meeting's agenda, made from the ranked list as the user may see it: first every record whose
    review falls due by the meeting (in rank order), then records new since ``since`` (default four weeks before the
    meeting), then the rest of the list by rank, up to ``limit`` items in all. Data, not a page: the meeting app
    (issue 22) will build on it."""
    since = since or meeting_on - dt.timedelta(days=28)
    listed = panel_list(user, meeting_on, what=f"the cuckooing panel agenda of {meeting_on:%d %B %Y}")
    due = [r for r in listed.rows if r.record.review_on is not None and r.record.review_on <= meeting_on]
    new = [r for r in listed.rows if r not in due and r.record.opened_on >= since]
    rest = [r for r in listed.rows if r not in due and r not in new]
    chosen: list[tuple[PanelRow, str]] = [
        *((r, "Review due") for r in due),
        *((r, "New to the panel") for r in new),
        *((r, "On the ranked list") for r in rest),
    ][:limit]
    items = [AgendaItem(n, row, why) for n, (row, why) in enumerate(chosen, start=1)]
    return Agenda(meeting_on, items, len(due), len(new), listed.settings, timezone.now(), listed.notes)


def reviews_overdue(user: User, today: dt.date | None = None, limit: int = 10) -> tuple[list[VulnerabilityRecord], int]:
    """Open records the user may change whose panel review date has passed, the most overdue first."""
    today = today or timezone.localdate()
    qs = VulnerabilityRecord.objects.visible_to(user, Verb.CHANGE).filter(status=RecordStatus.OPEN, review_on__lt=today)
    rows = list(qs.order_by("review_on", "id")[:limit])
    consultation.record_results(rows, "the home page", {"page": "home"})
    return rows, qs.count()


def is_panel_member(user: User) -> bool:
    """Whether the user sits on the cuckooing panel (voluntary-sector members get the panel in their menu)."""
    return PanelMember.objects.filter(user_id=user.pk).exists()
