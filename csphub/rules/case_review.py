"""ASB case review (the "Community Trigger"): Anti-social Behaviour, Crime and Policing Act 2014 s.104.

When someone applies for a case review, the relevant bodies must decide that the threshold is met if at least
three qualifying complaints have been made about the behaviour (s.104(4)); a partnership may set a lower number
and add local routes (s.104(5)), never a stricter one. A complaint *qualifies* when it was made within one month
of the behaviour it is about, and the application is made within six months of the complaint.

How this module reads those periods (documented in ``docs/statutory-rules.md``):

- **one month after the behaviour** runs to the same day number of the next month, inclusive, or that month's
  last day when it is shorter: behaviour on 01/04 → complaints received up to and including 01/05 qualify (30 days
  later), 02/05 does not; behaviour on 31/01 → up to 28/02 (29/02 in a leap year). This is the generous reading of
  the Act's "within one month": it never refuses a complaint the Act would count.
- **the window** is ``window_months`` calendar months ending on the date of assessment (normally the date of the
  application), both ends included: assessed on 15/10/2026 with six months → 15/04/2026 to 15/10/2026. A
  complaint counts in the window when it was *received* in it.
- a complaint recorded twice (the same non-empty ``reference``) counts once.

Local add-ons (each can be switched off with ``None``): ``hate_incident_threshold`` N — met when at least N
qualifying complaints are hate incidents; ``same_issue_individuals`` N — met when at least N different
complainants made qualifying complaints about the same issue in the window.

The Act sets no time for the decision on an application; ``decide_within_working_days`` is the partnership's
published promise (10 working days by default, Monday to Friday; bank holidays are not counted out), used to show
when a decision is due (``decision_due``).

``annual_figures`` counts what s.104(10) requires the relevant bodies to publish at least once a year: applications,
decisions that the threshold was not met, reviews carried out, and reviews that led to recommendations.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from csphub.rules.periods import add_months, days_phrase, fmt_date, months_phrase, plural, require_int

logger = logging.getLogger(__name__)

#: s.104(4): the relevant bodies must decide the threshold is met at three qualifying complaints (or fewer if set).
STATUTORY_MAX_COMPLAINTS = 3
#: s.104: the application is made within six months of the complaints; a partnership may look further back.
STATUTORY_MIN_WINDOW_MONTHS = 6
#: s.104: a complaint is made within one month of the behaviour; a partnership may accept later ones.
STATUTORY_MIN_REPORT_MONTHS = 1

THRESHOLD = "threshold"
HATE_INCIDENT = "hate_incident"
SAME_ISSUE_INDIVIDUALS = "same_issue_individuals"


@dataclass(frozen=True)
class Complaint:
    """One complaint about anti-social behaviour, as received by any relevant body."""

    received_on: date
    behaviour_on: date
    complainant: str
    issue: str
    is_hate_incident: bool = False
    reference: str = ""

    def describe(self) -> str:
        ref = f" ({self.reference})" if self.reference else ""
        return f"Complaint{ref} of {fmt_date(self.received_on)}"


@dataclass(frozen=True)
class CaseReviewSettings:
    """The partnership's published threshold. It may be more generous than the Act, never stricter."""

    threshold_complaints: int = 3
    window_months: int = 6
    report_within_months: int = 1
    hate_incident_threshold: int | None = 1
    same_issue_individuals: int | None = 5
    #: the partnership's published time to decide whether the threshold is met (not statutory)
    decide_within_working_days: int = 10

    def __post_init__(self) -> None:
        require_int("decide_within_working_days", self.decide_within_working_days, 1)
        require_int("threshold_complaints", self.threshold_complaints, 1, STATUTORY_MAX_COMPLAINTS)
        require_int("window_months", self.window_months, STATUTORY_MIN_WINDOW_MONTHS)
        require_int("report_within_months", self.report_within_months, STATUTORY_MIN_REPORT_MONTHS)
        if self.hate_incident_threshold is not None:
            require_int("hate_incident_threshold", self.hate_incident_threshold, 1)
        if self.same_issue_individuals is not None:
            require_int("same_issue_individuals", self.same_issue_individuals, 1)


DEFAULT_SETTINGS = CaseReviewSettings()


@dataclass(frozen=True)
class CaseReviewAssessment:
    met: bool
    as_of: date
    window_start: date
    qualifying: tuple[Complaint, ...]
    excluded: tuple[tuple[Complaint, str], ...]
    #: any of "threshold", "hate_incident", "same_issue_individuals"
    triggered_by: tuple[str, ...]
    #: more qualifying complaints needed to meet the complaint-count threshold; 0 when ``met`` (by any route)
    complaints_needed: int
    #: when met: the first day on which, with no new complaints, it would no longer be met
    threshold_lapses_on: date | None
    reasons: tuple[str, ...]


def report_deadline(behaviour_on: date, settings: CaseReviewSettings = DEFAULT_SETTINGS) -> date:
    """The last day a complaint about behaviour on ``behaviour_on`` can be received and still qualify."""
    return add_months(behaviour_on, settings.report_within_months)


def decision_due(received_on: date, settings: CaseReviewSettings = DEFAULT_SETTINGS) -> date:
    """The day the decision on an application received on ``received_on`` is due: ``decide_within_working_days``
    working days (Monday to Friday) after it, e.g. received Friday 04/12/2026 with 10 days → Friday 18/12/2026."""
    day, left = received_on, settings.decide_within_working_days
    while left:
        day += timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day


def window_start(as_of: date, settings: CaseReviewSettings = DEFAULT_SETTINGS) -> date:
    """The first day of the window that ends on ``as_of`` (both days included)."""
    return add_months(as_of, -settings.window_months)


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _exclusion(complaint: Complaint, as_of: date, start: date, settings: CaseReviewSettings) -> str | None:
    """Why a complaint does not qualify, or None when it does."""
    what = complaint.describe()
    behaviour = fmt_date(complaint.behaviour_on)
    if complaint.received_on > as_of:
        return f"{what} was received after the date of assessment ({fmt_date(as_of)}), so it is not counted."
    if complaint.received_on < complaint.behaviour_on:
        return f"{what} is dated before the behaviour it describes ({behaviour}): check the dates; it is not counted."
    deadline = report_deadline(complaint.behaviour_on, settings)
    late = (complaint.received_on - complaint.behaviour_on).days
    if complaint.received_on > deadline:
        return (
            f"{what} is about behaviour on {behaviour}: reported {days_phrase(late)} later, more than "
            f"{months_phrase(settings.report_within_months)} (the last day was {fmt_date(deadline)}), "
            "so it does not qualify."
        )
    if complaint.received_on < start:
        return (
            f"{what} was received before the {months_phrase(settings.window_months)} window began on "
            f"{fmt_date(start)}, so it does not count."
        )
    return None


def _qualifying_reason(complaint: Complaint, settings: CaseReviewSettings) -> str:
    late = (complaint.received_on - complaint.behaviour_on).days
    deadline = report_deadline(complaint.behaviour_on, settings)
    hate = " It is recorded as a hate incident." if complaint.is_hate_incident else ""
    return (
        f"{complaint.describe()} about behaviour on {fmt_date(complaint.behaviour_on)} qualifies: reported "
        f"{days_phrase(late)} later, within {months_phrase(settings.report_within_months)} "
        f"(by {fmt_date(deadline)}), and inside the window.{hate}"
    )


def _split(
    complaints: Iterable[Complaint], as_of: date, settings: CaseReviewSettings
) -> tuple[list[Complaint], list[tuple[Complaint, str]], list[str]]:
    start = window_start(as_of, settings)
    qualifying: list[Complaint] = []
    excluded: list[tuple[Complaint, str]] = []
    reasons: list[str] = []
    seen: dict[str, Complaint] = {}
    ordered = sorted(complaints, key=lambda c: (c.received_on, c.behaviour_on, c.reference))
    for complaint in ordered:
        why = _exclusion(complaint, as_of, start, settings)
        key = complaint.reference.strip().casefold()
        if why is None and key and key in seen:
            why = (
                f"{complaint.describe()} has the same reference as the complaint of "
                f"{fmt_date(seen[key].received_on)}: it is the same complaint recorded twice and counts once."
            )
        if why is None:
            qualifying.append(complaint)
            if key:
                seen[key] = complaint
            reasons.append(_qualifying_reason(complaint, settings))
        else:
            excluded.append((complaint, why))
            reasons.append(why)
    return qualifying, excluded, reasons


def _triggers(qualifying: Sequence[Complaint], settings: CaseReviewSettings) -> tuple[list[str], list[str]]:
    """Which routes to the threshold are met by these qualifying complaints, with a sentence for each route."""
    triggered: list[str] = []
    reasons: list[str] = []
    count = len(qualifying)
    needed = settings.threshold_complaints
    if count >= needed:
        triggered.append(THRESHOLD)
        reasons.append(
            f"{plural(count, 'qualifying complaint')} in the window: the threshold of {needed} is met (s.104(4))."
        )
    else:
        reasons.append(
            f"{plural(count, 'qualifying complaint')} in the window: the threshold is {needed}, "
            f"so {needed - count} more would be needed."
        )
    if settings.hate_incident_threshold is not None:
        hate = sum(1 for c in qualifying if c.is_hate_incident)
        limit = settings.hate_incident_threshold
        if hate >= limit:
            triggered.append(HATE_INCIDENT)
            reasons.append(
                f"{plural(hate, 'qualifying complaint')} {'is a hate incident' if hate == 1 else 'are hate incidents'}"
                f": the local hate-incident threshold of {limit} is met."
            )
        elif hate:
            reasons.append(
                f"{plural(hate, 'qualifying complaint')} {'is a hate incident' if hate == 1 else 'are hate incidents'}"
                f"; the local hate-incident threshold is {limit}."
            )
    if settings.same_issue_individuals is not None:
        people: dict[str, set[str]] = defaultdict(set)
        labels: dict[str, str] = {}
        for complaint in qualifying:
            issue = _norm(complaint.issue)
            people[issue].add(_norm(complaint.complainant))
            labels.setdefault(issue, complaint.issue.strip())
        limit = settings.same_issue_individuals
        best = max(people, key=lambda issue: (len(people[issue]), issue), default=None)
        if best is not None:
            individuals = len(people[best])
            if individuals >= limit:
                triggered.append(SAME_ISSUE_INDIVIDUALS)
                reasons.append(
                    f"{individuals} different people complained about the same issue ({labels[best]!r}): "
                    f"the local threshold of {limit} individuals is met."
                )
            elif individuals > 1:
                reasons.append(
                    f"{individuals} different people complained about {labels[best]!r}; the local threshold is "
                    f"{limit} individuals about the same issue."
                )
    return triggered, reasons


def _drops_out_on(received_on: date, settings: CaseReviewSettings) -> date:
    """The first assessment date whose window no longer contains a complaint received on ``received_on``."""
    day = add_months(received_on, settings.window_months)
    while window_start(day, settings) <= received_on:
        day += timedelta(days=1)
    return day


def _lapses_on(qualifying: Sequence[Complaint], settings: CaseReviewSettings) -> date | None:
    """With no new complaints, the first day the threshold (by any route) is no longer met."""
    for day in sorted({_drops_out_on(c.received_on, settings) for c in qualifying}):
        remaining = [c for c in qualifying if window_start(day, settings) <= c.received_on]
        if not _triggers(remaining, settings)[0]:
            return day
    return None  # pragma: no cover - every complaint drops out eventually and an empty list meets nothing


def assess(
    complaints: Iterable[Complaint], as_of: date, settings: CaseReviewSettings = DEFAULT_SETTINGS
) -> CaseReviewAssessment:
    """Is the case review threshold met on ``as_of`` (normally the date of the application)?"""
    start = window_start(as_of, settings)
    reasons = [
        f"Assessed on {fmt_date(as_of)}: complaints received from {fmt_date(start)} to {fmt_date(as_of)} "
        f"({months_phrase(settings.window_months)}) and made within {months_phrase(settings.report_within_months)} "
        "of the behaviour count."
    ]
    qualifying, excluded, complaint_reasons = _split(complaints, as_of, settings)
    reasons.extend(complaint_reasons)
    triggered, trigger_reasons = _triggers(qualifying, settings)
    reasons.extend(trigger_reasons)
    met = bool(triggered)
    lapses = _lapses_on(qualifying, settings) if met else None
    if met:
        assert lapses is not None
        reasons.append(
            f"The threshold for an ASB case review is met. With no new complaints it would no longer be met from "
            f"{fmt_date(lapses)}."
        )
    else:
        reasons.append("The threshold for an ASB case review is not met.")
    needed = 0 if met else max(0, settings.threshold_complaints - len(qualifying))
    logger.debug("case review on %s: %d qualifying, met=%s via %s", as_of, len(qualifying), met, triggered)
    return CaseReviewAssessment(
        met=met,
        as_of=as_of,
        window_start=start,
        qualifying=tuple(qualifying),
        excluded=tuple(excluded),
        triggered_by=tuple(triggered),
        complaints_needed=needed,
        threshold_lapses_on=lapses,
        reasons=tuple(reasons),
    )


@dataclass(frozen=True)
class Application:
    """An application for an ASB case review and what became of it."""

    received_on: date
    #: None while the relevant bodies have not decided
    threshold_met: bool | None
    review_completed_on: date | None = None
    recommendations: int = 0

    def __post_init__(self) -> None:
        require_int("recommendations", self.recommendations, 0)
        if self.review_completed_on is not None:
            if self.threshold_met is not True:
                raise ValueError("review_completed_on: a review is only carried out when the threshold is met")
            if self.review_completed_on < self.received_on:
                raise ValueError("review_completed_on must not be before received_on")
        elif self.recommendations:
            raise ValueError("recommendations: a review that has not been completed has made no recommendations")


@dataclass(frozen=True)
class AnnualFigures:
    """The figures s.104(10) requires the relevant bodies to publish, for one period."""

    period_start: date
    period_end: date
    applications: int
    threshold_not_met: int
    reviews_carried_out: int
    reviews_with_recommendations: int
    #: applications received in the period with no decision yet (not a statutory figure; shown so none is lost)
    awaiting_decision: int
    reasons: tuple[str, ...]


def annual_figures(applications: Iterable[Application], period_start: date, period_end: date) -> AnnualFigures:
    """Count applications (and not-met decisions) by the date received, reviews by the date completed."""
    if period_end < period_start:
        raise ValueError("period_end must not be before period_start")

    def within(day: date | None) -> bool:
        return day is not None and period_start <= day <= period_end

    items = list(applications)
    received = [a for a in items if within(a.received_on)]
    not_met = sum(1 for a in received if a.threshold_met is False)
    awaiting = sum(1 for a in received if a.threshold_met is None)
    reviews = [a for a in items if within(a.review_completed_on)]
    with_recommendations = sum(1 for a in reviews if a.recommendations > 0)
    period = f"{fmt_date(period_start)} to {fmt_date(period_end)}"
    reasons = [
        f"From {period}: {plural(len(received), 'application')} for an ASB case review received; "
        f"the threshold was not met for {not_met}.",
        f"{plural(len(reviews), 'review')} carried out (completed in the period, whenever applied for), "
        f"{with_recommendations} of which made recommendations.",
    ]
    if awaiting:
        reasons.append(f"{plural(awaiting, 'application')} received in the period still await a decision.")
    return AnnualFigures(
        period_start=period_start,
        period_end=period_end,
        applications=len(received),
        threshold_not_met=not_met,
        reviews_carried_out=len(reviews),
        reviews_with_recommendations=with_recommendations,
        awaiting_decision=awaiting,
        reasons=tuple(reasons),
    )
