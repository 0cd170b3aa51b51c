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


def section_shares(question_set_id: int, answers: dict[str, str]) -> tuple[float, float]:
    """The share of the most each of the checklist's two sections can score (resident, property), as answered."""
    question_set, most = _section_weights(question_set_id)
    scores = {a.value: a.score for a in question_set.answers}
    shares = []
    for index, top in zip((PERSON_SECTION, PROPERTY_SECTION), most, strict=True):
        if index >= len(question_set.sections) or not top:
            shares.append(float("nan"))
            continue
        got = sum(q.weight * scores.get(answers.get(q.id) or "", 0) for q in question_set.sections[index].questions)
        shares.append(min(1.0, got / top))
    return shares[0], shares[1]


@dataclass(frozen=True)
class Checklist:
    """What the list needs of a record's latest checklist (read as values: thousands of rows, no models)."""

    question_set_id: int
    answers: dict[str, str]
    level: str


def latest_checklists(record_ids: list[int]) -> dict[int, Checklist]:
    """Each record's latest completed checklist (one query)."""
    if not record_ids:
        return {}
    kind = ContentType.objects.get_for_model(VulnerabilityRecord)
    latest: dict[int, Checklist] = {}
    rows = (
        CompletedAssessment.objects.filter(subject_type=kind, subject_id__in=record_ids)
        .order_by("subject_id", "-completed_at", "-id")
        .values_list("subject_id", "question_set_id", "answers", "final_level")
    )
    for subject_id, question_set_id, answers, level in rows:
        if subject_id is not None and subject_id not in latest:
            latest[subject_id] = Checklist(question_set_id, answers, level)
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
    checklist_level: str  # "" when no checklist was completed
    support: list[SupportOffer]
    review_overdue: bool

    @property
    def support_summary(self) -> str:
        if not self.support:
            return "None offered yet"
        counts = {r: sum(1 for s in self.support if s.response == r) for r in SupportResponse.values}
        parts = [f"{n} {SupportResponse(r).label.lower()}" for r, n in counts.items() if n]
        return ", ".join(parts)


#: rows of the ranked list on one page (the ranking itself covers every open record)
PER_PAGE = 100


@dataclass(frozen=True)
class PanelList:
    rows: list[PanelRow]
    settings: ranking.RankingSettings
    audience: ranking.Audience
    as_at: dt.date
    notes: list[str] = field(default_factory=list)  # what the ranking had to do without
    total: int = 0  # open records ranked (all pages)
    page: int = 1
    per_page: int = PER_PAGE

    @property
    def version(self) -> str:
        return self.settings.label

    @property
    def has_next(self) -> bool:
        return self.page * self.per_page < self.total

    @property
    def first_rank(self) -> int:
        return (self.page - 1) * self.per_page + 1

    @property
    def last_rank(self) -> int:
        return self.first_rank + len(self.rows) - 1


@dataclass(frozen=True)
class Listed:
    """What the ranking reads of each open record (values, not models: the list may hold thousands)."""

    pk: int
    easting: float | None
    northing: float | None
    opened_on: dt.date
    review_on: dt.date | None

    @property
    def xy(self) -> tuple[float, float]:
        if self.easting is None or self.northing is None:
            return (float("nan"), float("nan"))
        return (self.easting, self.northing)


@dataclass(frozen=True, eq=False)
class Ranked:
    """Every open record the user may see, ranked; rows are built (and worded) only for those shown."""

    user: User
    records: list[Listed]
    result: ranking.RankingResult
    checklists: dict[int, Checklist]
    audience: ranking.Audience
    as_at: dt.date
    notes: list[str]

    @property
    def settings(self) -> ranking.RankingSettings:
        return self.result.settings

    def rows(self, indices: list[int]) -> list[PanelRow]:
        """The rows of these records (indices into ``records``), in the order given."""
        by_pk = VulnerabilityRecord.objects.select_related("person", "premises", "owning_agency").in_bulk(
            [self.records[i].pk for i in indices]
        )
        chosen = [by_pk[self.records[i].pk] for i in indices]
        visible_people = set(
            Person.objects.visible_to(self.user)
            .filter(pk__in=[r.person_id for r in chosen if r.person_id])
            .values_list("pk", flat=True)
        )
        visible_places = set(
            Place.objects.visible_to(self.user)
            .filter(pk__in=[r.premises_id for r in chosen if r.premises_id])
            .values_list("pk", flat=True)
        )
        support: dict[int, list[SupportOffer]] = {}
        for offer in SupportOffer.objects.filter(record__in=chosen).select_related("agency"):
            support.setdefault(offer.record_id, []).append(offer)
        result, settings = self.result, self.settings
        rows = []
        for i, record in zip(indices, chosen, strict=True):
            checklist = self.checklists.get(record.pk)
            rows.append(
                PanelRow(
                    rank=int(result.rank[i]),
                    record=record,
                    score=float(result.score[i]),
                    reasons=ranking.describe(result.reasons(i), settings, self.audience),
                    breakdown=ranking.breakdown(result, i, self.audience),
                    person=record.person if record.person_id in visible_people else None,
                    person_hidden=record.person_id is not None and record.person_id not in visible_people,
                    premises=record.premises if record.premises_id in visible_places else None,
                    premises_hidden=record.premises_id is not None and record.premises_id not in visible_places,
                    checklist_level=checklist.level if checklist is not None else "",
                    support=support.get(record.pk, []),
                    review_overdue=record.review_overdue(self.as_at),
                )
            )
        return rows

    def in_order(self) -> list[int]:
        return [int(i) for i in self.result.order]


def _log_shown(rows: list[PanelRow], what: str, settings: ranking.RankingSettings) -> None:
    consultation.record_results(
        [r.record for r in rows], what, {"ranking": settings.version, "ranking_digest": settings.digest}
    )


def panel_list(
    user: User,
    as_at: dt.date | None = None,
    *,
    page: int = 1,
    per_page: int = PER_PAGE,
    what: str = "the cuckooing panel's list",
) -> PanelList:
    """One page of the open records the user may see, ranked; each row with its reasons worded for the user. Each
    row shown is a consultation in the audit log, with the ranking's version; rows not shown are not."""
    listed = ranked(user, as_at)
    order = listed.in_order()
    pages = max(1, -(-len(order) // per_page))
    page = min(max(1, page), pages)
    rows = listed.rows(order[(page - 1) * per_page : page * per_page])
    _log_shown(rows, what, listed.settings)
    return PanelList(rows, listed.settings, listed.audience, listed.as_at, listed.notes, len(order), page, per_page)


def row_for(user: User, record: VulnerabilityRecord, as_at: dt.date | None = None) -> PanelRow | None:
    """Where an open record the user has opened stands on their ranked list (nothing more is logged)."""
    listed = ranked(user, as_at)
    index = next((i for i, r in enumerate(listed.records) if r.pk == record.pk), None)
    return listed.rows([index])[0] if index is not None else None


def ranked(user: User, as_at: dt.date | None = None) -> Ranked:
    """Every open record the user may see, ranked (nothing logged: callers log the rows they show)."""
    as_at = as_at or timezone.localdate()
    settings = ranking_settings()
    audience = audience_for(user)
    records = [
        Listed(*row)
        for row in VulnerabilityRecord.objects.visible_to(user)
        .filter(status=RecordStatus.OPEN)
        .order_by("opened_on", "id")
        .values_list("pk", "premises__easting", "premises__northing", "opened_on", "review_on")
    ]
    checklists = latest_checklists([r.pk for r in records])
    shares = np.full((len(records), 2), np.nan)
    for i, record in enumerate(records):
        checklist = checklists.get(record.pk)
        if checklist is not None:
            shares[i] = section_shares(checklist.question_set_id, checklist.answers)
    hotspots = sources.drug_hotspots(as_at, settings)
    lines = sources.known_addresses_xy(as_at)
    xy = np.array([r.xy for r in records], dtype=np.float64).reshape(-1, 2)
    result = ranking.rank(xy, shares[:, 0], shares[:, 1], hotspots.xy, lines, settings)
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
    return Ranked(user, records, result, checklists, audience, as_at, notes)


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


def _due_by(record: Listed, day: dt.date) -> bool:
    return record.review_on is not None and record.review_on <= day


def agenda(user: User, meeting_on: dt.date, *, since: dt.date | None = None, limit: int = 25) -> Agenda:
    """The panel meeting's agenda, made from the ranked list as the user may see it: first every record whose
    review falls due by the meeting (in rank order), then records new since ``since`` (default four weeks before the
    meeting), then the rest of the list by rank, up to ``limit`` items in all. Data, not a page: the meeting app
    (issue 22) will build on it."""
    since = since or meeting_on - dt.timedelta(days=28)
    listed = ranked(user, meeting_on)
    order = listed.in_order()
    records = listed.records
    due = [i for i in order if _due_by(records[i], meeting_on)]
    taken = set(due)
    new = [i for i in order if i not in taken and records[i].opened_on >= since]
    taken |= set(new)
    rest = [i for i in order if i not in taken]
    chosen = [*((i, "Review due") for i in due), *((i, "New to the panel") for i in new)]
    chosen += [(i, "On the ranked list") for i in rest]
    chosen = chosen[:limit]
    rows = listed.rows([i for i, _ in chosen])
    _log_shown(rows, f"the cuckooing panel agenda of {meeting_on:%d %B %Y}", listed.settings)
    items = [AgendaItem(n, row, why) for n, (row, (_, why)) in enumerate(zip(rows, chosen, strict=True), start=1)]
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
