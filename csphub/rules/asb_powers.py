"""The ASB powers used against a perpetrator, or for a place, with their clocks (ASB, Crime and Policing Act 2014).

The history is a list of ``PowerEvent`` (a power, an action, when, and the details the rules need). Two entry points:

- ``check(event, history, perpetrator, settings)`` → the problems that make ``event`` unlawful or unrecordable given
  what happened before it (empty when it may be recorded). Use it before saving an event.
- ``track(events, perpetrator, now, settings)`` → ``Tracker``: where the community protection route has got to,
  which next steps are open or refused (and why), the deadlines with overdue / due-soon flags, and reasons.

The rules (all explained with their dates in the results):

- **Community protection** (Part 4 Chapter 1). A CPN may only follow a written warning (CPW) once the time to comply
  it gave has passed (s.43(5)) — the warning records that date in ``until`` — and only to an individual aged 16 or
  over on the day, or a body (s.43(1)). With a partial date of birth the person is only treated as 16 from the 16th
  birthday of the *latest* date of birth the record allows (born "2010" → from 31/12/2026); with none, never. A
  breach of a CPN opens a fixed penalty (payable within ``fpn_payment_days``, at least 14) or prosecution; while a
  fixed penalty can still be paid no proceedings may start, and a paid one discharges that breach (s.52).
- **Closure** (Part 4 Chapter 3, per premises in ``place``). A closure notice lasts up to 24 hours from service, or
  up to 48 hours when issued or extended with senior authority (a police superintendent, or the council's chief
  executive or designate; ``senior_authority``) (s.77). The application for a closure order must be heard by the
  magistrates' court within 48 hours of service (s.80(3)); for both 48-hour limits Christmas Day is disregarded.
  Closure times must be datetimes. A closure order lasts up to 3 months (s.80(6)) and may be extended, but never
  beyond 6 months in total from the day it was made (s.82).
- **Civil injunction** (Part 1). Against a person aged 10 or over (s.1(1)); if granted before the respondent is 18,
  for a specified period of at most 12 months (s.1(6)) — treated as applying whenever 18 cannot be shown. Adults:
  no maximum; review dates (``review_on``) are tracked.
- **PSPO** (Part 4 Chapter 2, per area in ``place``). Up to 3 years; before it expires it may be extended by up to
  3 years at a time (s.60). Expiry and a review reminder ``pspo_review_months_before`` months earlier are tracked.

Dates in ``until`` are the last day something has effect (inclusive); periods in months are calendar months
(``periods.add_months``). Pass local (Europe/London) datetimes, all aware or all naive, so "today" is right.
Not modelled: adjournments and temporary continuation of a closure notice by the court (s.81), appeals, variation
of CPNs, criminal behaviour orders, dispersal.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum, StrEnum
from typing import Literal, TypeAlias

from csphub.rules.periods import (
    add_months,
    add_years,
    anniversary,
    days_phrase,
    fmt_date,
    fmt_duration,
    fmt_when,
    require_int,
)

logger = logging.getLogger(__name__)

When: TypeAlias = date | datetime

CPN_MIN_AGE = 16
INJUNCTION_MIN_AGE = 10
ADULT_AGE = 18
CLOSURE_NOTICE_HOURS = 24
CLOSURE_NOTICE_MAX_HOURS = 48
CLOSURE_HEARING_HOURS = 48
CLOSURE_ORDER_MONTHS = 3
CLOSURE_ORDER_MAX_MONTHS = 6
UNDER_18_INJUNCTION_MONTHS = 12
PSPO_MAX_YEARS = 3
FPN_MIN_DAYS = 14


class Power(Enum):
    COMMUNITY_PROTECTION_WARNING = "cpw"
    COMMUNITY_PROTECTION_NOTICE = "cpn"
    FIXED_PENALTY_NOTICE = "fpn"
    PROSECUTION = "prosecution"
    CLOSURE_NOTICE = "closure_notice"
    CLOSURE_ORDER = "closure_order"
    CIVIL_INJUNCTION = "civil_injunction"
    PSPO = "pspo"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Power.COMMUNITY_PROTECTION_WARNING: "community protection warning",
    Power.COMMUNITY_PROTECTION_NOTICE: "community protection notice",
    Power.FIXED_PENALTY_NOTICE: "fixed penalty notice",
    Power.PROSECUTION: "prosecution for breach of a community protection notice",
    Power.CLOSURE_NOTICE: "closure notice",
    Power.CLOSURE_ORDER: "closure order",
    Power.CIVIL_INJUNCTION: "civil injunction",
    Power.PSPO: "public spaces protection order",
}


class Action(StrEnum):
    ISSUED = "issued"
    COMPLIED = "complied"
    WITHDRAWN = "withdrawn"
    BREACHED = "breached"
    PAID = "paid"
    STARTED = "started"
    CONCLUDED = "concluded"
    SERVED = "served"
    EXTENDED = "extended"
    CANCELLED = "cancelled"
    APPLIED = "applied"
    HEARD = "heard"
    MADE = "made"
    GRANTED = "granted"
    REVIEWED = "reviewed"
    VARIED = "varied"
    DISCHARGED = "discharged"


#: The actions that may be recorded for each power.
ACTIONS: dict[Power, tuple[Action, ...]] = {
    Power.COMMUNITY_PROTECTION_WARNING: (Action.ISSUED, Action.COMPLIED, Action.WITHDRAWN),
    Power.COMMUNITY_PROTECTION_NOTICE: (Action.ISSUED, Action.BREACHED, Action.WITHDRAWN),
    Power.FIXED_PENALTY_NOTICE: (Action.ISSUED, Action.PAID, Action.WITHDRAWN),
    Power.PROSECUTION: (Action.STARTED, Action.CONCLUDED),
    Power.CLOSURE_NOTICE: (Action.SERVED, Action.EXTENDED, Action.CANCELLED),
    Power.CLOSURE_ORDER: (Action.APPLIED, Action.HEARD, Action.MADE, Action.EXTENDED, Action.DISCHARGED),
    Power.CIVIL_INJUNCTION: (
        Action.APPLIED,
        Action.GRANTED,
        Action.REVIEWED,
        Action.BREACHED,
        Action.VARIED,
        Action.DISCHARGED,
    ),
    Power.PSPO: (Action.MADE, Action.EXTENDED, Action.VARIED, Action.DISCHARGED),
}

#: Events that must say when they end (``until``).
_NEEDS_UNTIL = {
    (Power.COMMUNITY_PROTECTION_WARNING, Action.ISSUED),
    (Power.CLOSURE_NOTICE, Action.EXTENDED),
    (Power.CLOSURE_ORDER, Action.MADE),
    (Power.CLOSURE_ORDER, Action.EXTENDED),
    (Power.PSPO, Action.MADE),
    (Power.PSPO, Action.EXTENDED),
}
#: Events counted in hours: ``on`` (and ``until``) must be datetimes.
_NEEDS_TIME = {
    (Power.CLOSURE_NOTICE, Action.SERVED),
    (Power.CLOSURE_NOTICE, Action.EXTENDED),
    (Power.CLOSURE_NOTICE, Action.CANCELLED),
    (Power.CLOSURE_ORDER, Action.APPLIED),
    (Power.CLOSURE_ORDER, Action.HEARD),
}
_PLACE_POWERS = {Power.CLOSURE_NOTICE, Power.CLOSURE_ORDER, Power.PSPO}
_PERSON_POWERS = {
    Power.COMMUNITY_PROTECTION_WARNING,
    Power.COMMUNITY_PROTECTION_NOTICE,
    Power.FIXED_PENALTY_NOTICE,
    Power.PROSECUTION,
    Power.CIVIL_INJUNCTION,
}


@dataclass(frozen=True)
class PowerEvent:
    """Something done under an ASB power.

    ``until`` is what the event sets as its end: for a warning, the time to comply (the date by which the behaviour
    must stop); for a closure notice, when it ends (a datetime; 24 hours after service if not given); for a closure
    order, injunction or PSPO, the last day it has effect (an extension or variation gives the new last day).
    ``place`` names the premises (closure) or area (PSPO). ``review_on`` is a review date (injunction, PSPO).
    ``senior_authority``: the closure notice was issued or extended by a police superintendent or above, or signed
    by the council's chief executive or designate (needed beyond 24 hours).
    """

    power: Power
    action: str
    on: When
    until: When | None = None
    place: str = ""
    review_on: date | None = None
    senior_authority: bool = False
    reference: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.power, Power):
            raise ValueError(f"power must be a Power, not {self.power!r}")
        allowed = ACTIONS[self.power]
        if self.action not in allowed:
            choices = ", ".join(a.value for a in allowed)
            raise ValueError(f"action {self.action!r} is not recorded for a {self.power.label}: use one of {choices}")

    def describe(self) -> str:
        preposition = "for" if self.power is Power.PSPO else "at"
        where = f" {preposition} {self.place.strip()}" if self.place.strip() else ""
        return f"{_capital(self.power.label)} {self.action}{where} on {fmt_when(self.on)}"


@dataclass(frozen=True)
class Perpetrator:
    """Who the powers are used against. ``dob`` is (year, month or None, day or None): a date of birth may be
    partial. A body (a company, a landlord) has no age and no date of birth."""

    kind: Literal["individual", "body"] = "individual"
    dob: tuple[int, int | None, int | None] | None = None

    def __post_init__(self) -> None:
        if self.kind not in ("individual", "body"):
            raise ValueError(f"kind must be 'individual' or 'body', not {self.kind!r}")
        if self.dob is None:
            return
        if self.kind == "body":
            raise ValueError("dob: a body has no date of birth")
        year, month, day = self.dob
        require_int("dob year", year, 1900, 9999)
        if month is None and day is not None:
            raise ValueError("dob: a day of birth needs a month")
        if month is not None:
            require_int("dob month", month, 1, 12)
        if day is not None:
            assert month is not None
            try:
                date(year, month, day)
            except ValueError:
                raise ValueError(f"dob: {day:02d}/{month:02d}/{year} is not a real date") from None

    def latest_birth_date(self) -> date | None:
        """The latest day the recorded (possibly partial) date of birth allows."""
        if self.dob is None:
            return None
        year, month, day = self.dob
        if month is None:
            return date(year, 12, 31)
        if day is None:
            return add_months(date(year, month, 1), 1) - timedelta(days=1)
        return date(year, month, day)

    def shown_aged_from(self, years: int) -> date | None:
        """The first day on which this person can be *shown* to be ``years`` old (None: never, no date of birth)."""
        latest = self.latest_birth_date()
        return None if latest is None else anniversary(latest, years)


@dataclass(frozen=True)
class AsbPowersSettings:
    """Local choices. Statutory limits are constants in this module, not settings."""

    fpn_payment_days: int = 14
    pspo_review_months_before: int = 3
    due_soon_days: int = 7
    due_soon_hours: int = 12

    def __post_init__(self) -> None:
        require_int("fpn_payment_days", self.fpn_payment_days, FPN_MIN_DAYS)
        require_int("pspo_review_months_before", self.pspo_review_months_before, 1, 12 * PSPO_MAX_YEARS - 1)
        require_int("due_soon_days", self.due_soon_days, 0)
        require_int("due_soon_hours", self.due_soon_hours, 0)


DEFAULT_SETTINGS = AsbPowersSettings()


class Stage(StrEnum):
    """Where the community protection route has got to for this perpetrator."""

    NONE = "none"
    WARNING = "warning"
    NOTICE = "notice"
    BREACH = "breach"
    FIXED_PENALTY = "fixed_penalty"
    PROSECUTION = "prosecution"


@dataclass(frozen=True)
class NextStep:
    power: Power
    action: str
    reason: str
    place: str = ""


@dataclass(frozen=True)
class Deadline:
    label: str
    due: When
    overdue: bool
    due_soon: bool
    power: Power
    place: str = ""


@dataclass(frozen=True)
class Tracker:
    stage: Stage
    allowed_next: tuple[NextStep, ...]
    refused: tuple[NextStep, ...]
    #: soonest first
    deadlines: tuple[Deadline, ...]
    reasons: tuple[str, ...]


# --- time helpers -------------------------------------------------------------------------------------------------


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _key(value: When) -> tuple[date, time]:
    """Sort key that puts dates and datetimes on one line.

    A bare date means "some time that day": it sorts after anything timed on that day, so an order recorded by date
    follows the hearing recorded with a time on the same day.
    """
    if isinstance(value, datetime):
        return (value.date(), value.time().replace(tzinfo=None))
    return (value, time.max)


def _day(value: When) -> date:
    return value.date() if isinstance(value, datetime) else value


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC) if moment.tzinfo is not None else moment


def _elapsed(start: datetime, end: datetime) -> timedelta:
    """Real time between two datetimes (across a clock change too)."""
    return _utc(end) - _utc(start)


def _plus(start: datetime, delta: timedelta) -> datetime:
    if start.tzinfo is None:
        return start + delta
    return (start.astimezone(UTC) + delta).astimezone(start.tzinfo)


def _after(moment: When, limit: When) -> bool:
    """Is ``moment`` after ``limit``? A date as a limit lasts to the end of that day."""
    if isinstance(moment, datetime) and isinstance(limit, datetime):
        return _utc(moment) > _utc(limit)
    if isinstance(limit, datetime):
        return moment > limit.date()
    return _day(moment) > limit


def hours_after(start: datetime, hours: int) -> datetime:
    """The end of a period of ``hours`` from ``start`` in which Christmas Day is disregarded (s.77(3), s.80(4))."""
    base = timedelta(hours=hours)
    end = _plus(start, base)
    while True:
        skipped = timedelta(0)
        for year in range(start.year, end.year + 1):
            christmas = datetime(year, 12, 25, tzinfo=start.tzinfo)
            boxing_day = datetime(year, 12, 26, tzinfo=start.tzinfo)
            overlap = min(_utc(end), _utc(boxing_day)) - max(_utc(start), _utc(christmas))
            if overlap > timedelta(0):
                skipped += overlap
        extended = _plus(start, base + skipped)
        if extended == end:
            return end
        end = extended


def _norm_place(place: str) -> str:
    return " ".join(place.split()).casefold()


# --- the history --------------------------------------------------------------------------------------------------


class _History:
    """Events in time order, with the look-ups the rules need."""

    def __init__(self, events: Iterable[PowerEvent]) -> None:
        self.events = sorted(events, key=lambda e: _key(e.on))

    def find(
        self, power: Power, *actions: Action, place: str | None = None, after: PowerEvent | None = None
    ) -> list[PowerEvent]:
        start = 0 if after is None else next(i for i, e in enumerate(self.events) if e is after) + 1
        wanted = None if place is None else _norm_place(place)
        return [
            e
            for e in self.events[start:]
            if e.power is power and e.action in actions and (wanted is None or _norm_place(e.place) == wanted)
        ]

    def last(
        self, power: Power, *actions: Action, place: str | None = None, after: PowerEvent | None = None
    ) -> PowerEvent | None:
        found = self.find(power, *actions, place=place, after=after)
        return found[-1] if found else None

    def first(
        self, power: Power, *actions: Action, place: str | None = None, after: PowerEvent | None = None
    ) -> PowerEvent | None:
        found = self.find(power, *actions, place=place, after=after)
        return found[0] if found else None

    # community protection

    def warning(self) -> tuple[PowerEvent | None, PowerEvent | None]:
        """The latest warning and what closed it (complied with / withdrawn), if anything."""
        cpw = self.last(Power.COMMUNITY_PROTECTION_WARNING, Action.ISSUED)
        if cpw is None:
            return None, None
        return cpw, self.first(Power.COMMUNITY_PROTECTION_WARNING, Action.COMPLIED, Action.WITHDRAWN, after=cpw)

    def notice(self) -> tuple[PowerEvent | None, PowerEvent | None]:
        """The latest CPN and its withdrawal, if any."""
        cpn = self.last(Power.COMMUNITY_PROTECTION_NOTICE, Action.ISSUED)
        if cpn is None:
            return None, None
        return cpn, self.first(Power.COMMUNITY_PROTECTION_NOTICE, Action.WITHDRAWN, after=cpn)

    def breach(self) -> PowerEvent | None:
        """The latest breach of the latest CPN."""
        cpn, _ = self.notice()
        return None if cpn is None else self.last(Power.COMMUNITY_PROTECTION_NOTICE, Action.BREACHED, after=cpn)

    def penalty(self, breach: PowerEvent) -> tuple[PowerEvent | None, PowerEvent | None]:
        fpn = self.first(Power.FIXED_PENALTY_NOTICE, Action.ISSUED, after=breach)
        if fpn is None:
            return None, None
        return fpn, self.first(Power.FIXED_PENALTY_NOTICE, Action.PAID, Action.WITHDRAWN, after=fpn)

    def prosecution(self, breach: PowerEvent) -> tuple[PowerEvent | None, PowerEvent | None]:
        started = self.first(Power.PROSECUTION, Action.STARTED, after=breach)
        if started is None:
            return None, None
        return started, self.first(Power.PROSECUTION, Action.CONCLUDED, after=started)

    # closure

    def closure_notice(self, place: str) -> tuple[PowerEvent | None, datetime | None, PowerEvent | None]:
        """The latest closure notice for the premises, when it ends (after extensions), and its cancellation."""
        served = self.last(Power.CLOSURE_NOTICE, Action.SERVED, place=place)
        if served is None or not isinstance(served.on, datetime):
            return None, None, None
        end = (
            served.until
            if isinstance(served.until, datetime)
            else _plus(served.on, timedelta(hours=CLOSURE_NOTICE_HOURS))
        )
        for extension in self.find(Power.CLOSURE_NOTICE, Action.EXTENDED, place=place, after=served):
            if isinstance(extension.until, datetime) and _after(extension.until, end):
                end = extension.until
        cancelled = self.first(Power.CLOSURE_NOTICE, Action.CANCELLED, place=place, after=served)
        return served, end, cancelled

    def closure_order(self, place: str) -> tuple[PowerEvent | None, date | None, PowerEvent | None]:
        made = self.last(Power.CLOSURE_ORDER, Action.MADE, place=place)
        if made is None:
            return None, None, None
        return (
            made,
            self._end(made, Power.CLOSURE_ORDER, place),
            self.first(Power.CLOSURE_ORDER, Action.DISCHARGED, place=place, after=made),
        )

    def injunction(self) -> tuple[PowerEvent | None, date | None, PowerEvent | None]:
        granted = self.last(Power.CIVIL_INJUNCTION, Action.GRANTED)
        if granted is None:
            return None, None, None
        return (
            granted,
            self._end(granted, Power.CIVIL_INJUNCTION, None),
            self.first(Power.CIVIL_INJUNCTION, Action.DISCHARGED, after=granted),
        )

    def pspo(self, place: str) -> tuple[PowerEvent | None, date | None, PowerEvent | None]:
        made = self.last(Power.PSPO, Action.MADE, place=place)
        if made is None:
            return None, None, None
        return (
            made,
            self._end(made, Power.PSPO, place),
            self.first(Power.PSPO, Action.DISCHARGED, place=place, after=made),
        )

    def _end(self, start: PowerEvent, power: Power, place: str | None) -> date | None:
        """The last day an order has effect: its own ``until``, moved by later extensions and variations."""
        end = None if start.until is None else _day(start.until)
        for later in self.find(power, Action.EXTENDED, Action.VARIED, place=place, after=start):
            if later.until is not None:
                end = _day(later.until)
        return end

    def places(self, power: Power) -> list[str]:
        """The places with events of this power, each named as it was first written."""
        names: dict[str, str] = {}
        wanted: list[str] = []
        for e in self.events:
            if not e.place.strip():
                continue
            key = _norm_place(e.place)
            names.setdefault(key, " ".join(e.place.split()))
            if e.power is power and key not in wanted:
                wanted.append(key)
        return [names[key] for key in wanted]


# --- age ----------------------------------------------------------------------------------------------------------


def _age_on(born: date, day: date) -> int:
    return day.year - born.year - (1 if day < anniversary(born, day.year - born.year) else 0)


def age_shown(perpetrator: Perpetrator, years: int, day: date) -> tuple[bool, str]:
    """Can this individual be shown to be at least ``years`` old on ``day``? With the explanation either way."""
    if perpetrator.dob is None:
        return False, f"their date of birth is not recorded, so they cannot be shown to be {years} or over"
    year, month, dob_day = perpetrator.dob
    shown_from = perpetrator.shown_aged_from(years)
    assert shown_from is not None
    if month is not None and dob_day is not None:
        born = date(year, month, dob_day)
        age = _age_on(born, day)
        ok = day >= shown_from
        verdict = "" if ok else f"; they are {years} on {fmt_date(shown_from)}"
        return ok, f"born {fmt_date(born)}, they are {age} on {fmt_date(day)}{verdict}"
    recorded = f"{month:02d}/{year}" if month is not None else str(year)
    ok = day >= shown_from
    return ok, (
        f"only {'the month and year' if month is not None else 'the year'} of birth ({recorded}) is recorded, so "
        f"they can only be shown to be {years} or over from {fmt_date(shown_from)}"
    )


# --- the rules ----------------------------------------------------------------------------------------------------


@dataclass
class _Ctx:
    event: PowerEvent
    history: _History
    perpetrator: Perpetrator | None
    settings: AsbPowersSettings
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def action(self) -> str:
        return self.event.action

    @property
    def day(self) -> date:
        return _day(self.event.on)


def _needs_perpetrator(c: _Ctx) -> bool:
    if c.perpetrator is None:
        c.problems.append(f"Record who the {c.event.power.label} is against: an individual or a body.")
        return False
    return True


def _cpw(c: _Ctx) -> None:
    cpw, closed = c.history.warning()
    if c.action == Action.ISSUED:
        if not _needs_perpetrator(c):
            return
        assert c.perpetrator is not None
        if c.perpetrator.kind == "individual":
            ok, why = age_shown(c.perpetrator, CPN_MIN_AGE, c.day)
            if not ok:
                shown_from = c.perpetrator.shown_aged_from(CPN_MIN_AGE)
                when = f"from {fmt_date(shown_from)}" if shown_from else "once their date of birth is recorded"
                c.notes.append(f"A warning can be given, but a CPN could only follow {when} ({why}).")
        return
    verb = "complied with" if c.action == Action.COMPLIED else "withdrawn"
    if cpw is None or closed is not None:
        c.problems.append(f"No community protection warning is open to record as {verb}.")


def _cpn(c: _Ctx) -> None:
    cpn, withdrawn = c.history.notice()
    if c.action != Action.ISSUED:
        if cpn is None or withdrawn is not None:
            c.problems.append(f"No community protection notice is in force to record as {c.action}.")
        return
    if not _needs_perpetrator(c):
        return
    assert c.perpetrator is not None
    if c.perpetrator.kind == "individual":
        ok, why = age_shown(c.perpetrator, CPN_MIN_AGE, c.day)
        if ok:
            c.notes.append(f"They are 16 or over ({why}).")
        else:
            c.problems.append(f"A CPN can only be issued to an individual aged 16 or over, or a body (s.43(1)): {why}.")
    cpw, closed = c.history.warning()
    if cpw is None:
        c.problems.append("A CPN needs a written warning first (s.43(5)): no community protection warning is recorded.")
        return
    issued = fmt_when(cpw.on)
    if closed is not None:
        state = "withdrawn" if closed.action == Action.WITHDRAWN else "recorded as complied with"
        c.problems.append(
            f"The warning of {issued} was {state} on {fmt_when(closed.on)}: give a new written warning first."
        )
        return
    if cpw.until is None:
        c.problems.append(
            f"The warning of {issued} has no time to comply recorded, so it cannot be shown to have passed."
        )
        return
    if not _after(c.event.on, cpw.until):
        earliest = fmt_date(_day(cpw.until) + timedelta(days=1))
        c.problems.append(
            f"The warning of {issued} gave until {fmt_when(cpw.until)} to comply: a CPN can only be issued once that "
            f"time has passed, from {earliest} (s.43(5))."
        )
    else:
        c.notes.append(f"The warning of {issued} gave until {fmt_when(cpw.until)} to comply, and that has passed.")


def _fpn_payable_by(fpn: PowerEvent, settings: AsbPowersSettings) -> date:
    return _day(fpn.on) + timedelta(days=settings.fpn_payment_days)


def _fpn(c: _Ctx) -> None:
    if c.action != Action.ISSUED:
        fpn = c.history.last(Power.FIXED_PENALTY_NOTICE, Action.ISSUED)
        outcome = (
            None
            if fpn is None
            else c.history.first(Power.FIXED_PENALTY_NOTICE, Action.PAID, Action.WITHDRAWN, after=fpn)
        )
        if fpn is None or outcome is not None:
            c.problems.append(f"No fixed penalty notice is outstanding to record as {c.action}.")
        return
    cpn, _ = c.history.notice()
    breach = c.history.breach()
    if cpn is None:
        c.problems.append("A fixed penalty is for breach of a community protection notice (s.52): no CPN is recorded.")
        return
    if breach is None:
        c.problems.append(f"No breach of the CPN of {fmt_when(cpn.on)} is recorded: record the breach first (s.52).")
        return
    fpn, _ = c.history.penalty(breach)
    started, _ = c.history.prosecution(breach)
    if fpn is not None:
        c.problems.append(
            f"The breach of {fmt_when(breach.on)} already has a fixed penalty (issued {fmt_when(fpn.on)})."
        )
    elif started is not None:
        c.problems.append(
            f"The breach of {fmt_when(breach.on)} is already being prosecuted (from {fmt_when(started.on)})."
        )
    else:
        payable = c.day + timedelta(days=c.settings.fpn_payment_days)
        c.notes.append(
            f"The CPN of {fmt_when(cpn.on)} was breached on {fmt_when(breach.on)}: a fixed penalty issued on "
            f"{fmt_date(c.day)} is payable by {fmt_date(payable)} ({days_phrase(c.settings.fpn_payment_days)})."
        )


def _prosecution(c: _Ctx) -> None:
    if c.action == Action.CONCLUDED:
        started = c.history.last(Power.PROSECUTION, Action.STARTED)
        if started is None or c.history.first(Power.PROSECUTION, Action.CONCLUDED, after=started) is not None:
            c.problems.append("No prosecution is under way to record as concluded.")
        return
    breach = c.history.breach()
    if breach is None:
        c.problems.append(
            "A prosecution here is for breach of a community protection notice (s.48): no breach is recorded."
        )
        return
    started, _ = c.history.prosecution(breach)
    if started is not None:
        c.problems.append(
            f"The breach of {fmt_when(breach.on)} is already being prosecuted (from {fmt_when(started.on)})."
        )
        return
    fpn, outcome = c.history.penalty(breach)
    if fpn is None:
        c.notes.append(f"The CPN was breached on {fmt_when(breach.on)} and no fixed penalty was issued for it.")
        return
    payable = _fpn_payable_by(fpn, c.settings)
    if outcome is not None and outcome.action == Action.PAID:
        c.problems.append(
            f"The fixed penalty of {fmt_when(fpn.on)} was paid on {fmt_when(outcome.on)}: that discharges liability "
            "for the breach, so there can be no prosecution for it (s.52)."
        )
    elif outcome is not None:
        c.notes.append(f"The fixed penalty of {fmt_when(fpn.on)} was withdrawn on {fmt_when(outcome.on)}.")
    elif not _after(c.event.on, payable):
        c.problems.append(
            f"The fixed penalty of {fmt_when(fpn.on)} can be paid until {fmt_date(payable)}: proceedings may not "
            f"start before {fmt_date(payable + timedelta(days=1))} (s.52)."
        )
    else:
        c.notes.append(f"The fixed penalty of {fmt_when(fpn.on)} was not paid by {fmt_date(payable)}.")


def _closure_notice(c: _Ctx) -> None:
    ev = c.event
    if not isinstance(ev.on, datetime):
        return  # reported by the field checks
    served, end, cancelled = c.history.closure_notice(ev.place)
    in_force = served is not None and end is not None and cancelled is None and not _after(ev.on, end)
    if ev.action == Action.SERVED:
        if in_force:
            assert served is not None and end is not None
            c.problems.append(
                f"A closure notice for these premises served at {fmt_when(served.on)} is in force until "
                f"{fmt_when(end)}: extend it instead."
            )
        limit_hours = CLOSURE_NOTICE_MAX_HOURS if ev.senior_authority else CLOSURE_NOTICE_HOURS
        limit = hours_after(ev.on, limit_hours) if ev.senior_authority else _plus(ev.on, timedelta(hours=limit_hours))
        if isinstance(ev.until, datetime) and _after(ev.until, limit):
            senior = (
                ""
                if ev.senior_authority
                else (
                    " Up to 48 hours needs a police superintendent or above, or the council's chief executive or "
                    "designate (s.77(2))."
                )
            )
            c.problems.append(
                f"A closure notice can last at most {limit_hours} hours from service (s.77): served at "
                f"{fmt_when(ev.on)}, it can run to {fmt_when(limit)}, and {fmt_when(ev.until)} is "
                f"{fmt_duration(_elapsed(limit, ev.until))} too long.{senior}"
            )
        ends = ev.until if isinstance(ev.until, datetime) else _plus(ev.on, timedelta(hours=CLOSURE_NOTICE_HOURS))
        c.notes.append(
            f"Served at {fmt_when(ev.on)}, the notice runs to {fmt_when(ends)}; the application for a closure order "
            f"must be heard by the magistrates' court by {fmt_when(hours_after(ev.on, CLOSURE_HEARING_HOURS))}."
        )
        return
    if not in_force:
        what = "extend" if ev.action == Action.EXTENDED else "cancel"
        if served is not None and end is not None and cancelled is None:
            c.problems.append(
                f"The closure notice served at {fmt_when(served.on)} ended at {fmt_when(end)}: there is none in force "
                f"to {what}."
            )
        else:
            c.problems.append(f"No closure notice for these premises is in force to {what}.")
        return
    assert served is not None and isinstance(served.on, datetime) and end is not None
    if ev.action != Action.EXTENDED:
        return
    if not ev.senior_authority:
        c.problems.append(
            "Extending a closure notice needs a police superintendent or above, or the council's chief executive or "
            "designate (s.77): record that senior authority."
        )
    limit = hours_after(served.on, CLOSURE_NOTICE_MAX_HOURS)
    if not _after(limit, end):
        c.problems.append(
            f"The notice served at {fmt_when(served.on)} already runs to {fmt_when(end)}, the 48-hour maximum (s.77)."
        )
    elif ev.until is None:
        c.notes.append(
            f"Served at {fmt_when(served.on)} and in force to {fmt_when(end)}, it can be extended to {fmt_when(limit)} "
            "at most, with senior authority."
        )
    if isinstance(ev.until, datetime):
        if not _after(ev.until, end):
            c.problems.append(f"An extension must end after the notice's current end, {fmt_when(end)}.")
        elif _after(ev.until, limit):
            c.problems.append(
                f"A closure notice can last at most 48 hours in total (s.77): served at {fmt_when(served.on)}, it can "
                f"be extended to {fmt_when(limit)} at most, and {fmt_when(ev.until)} is "
                f"{fmt_duration(_elapsed(limit, ev.until))} too long."
            )
        else:
            c.notes.append(f"Extended to {fmt_when(ev.until)}, within 48 hours of service ({fmt_when(limit)}).")


def _closure_order(c: _Ctx) -> None:
    ev = c.event
    served, _, cancelled = c.history.closure_notice(ev.place)
    if ev.action in (Action.APPLIED, Action.HEARD, Action.MADE):
        if served is None:
            c.problems.append(
                "A closure order follows a closure notice (s.80(1)): no closure notice for these premises."
            )
            return
        assert isinstance(served.on, datetime)
        if cancelled is not None:
            c.problems.append(
                f"The closure notice served at {fmt_when(served.on)} was cancelled on {fmt_when(cancelled.on)}."
            )
        deadline = hours_after(served.on, CLOSURE_HEARING_HOURS)
        if ev.action in (Action.APPLIED, Action.HEARD):
            if isinstance(ev.on, datetime) and _after(ev.on, deadline):
                c.problems.append(
                    f"The application must be heard by the magistrates' court within 48 hours of service (s.80(3)): "
                    f"the notice was served at {fmt_when(served.on)}, so by {fmt_when(deadline)}; {fmt_when(ev.on)} is "
                    f"{fmt_duration(_elapsed(deadline, ev.on))} late."
                )
            else:
                c.notes.append(
                    f"The closure notice was served at {fmt_when(served.on)}: the application must be heard by "
                    f"{fmt_when(deadline)} (48 hours, s.80(3))."
                )
            return
        if c.history.first(Power.CLOSURE_ORDER, Action.APPLIED, Action.HEARD, place=ev.place, after=served) is None:
            c.problems.append("Record the application to the magistrates' court (and its hearing) before the order.")
        made, end, discharged = c.history.closure_order(ev.place)
        if made is not None and end is not None and discharged is None and not _after(ev.on, end):
            c.problems.append(
                f"A closure order for these premises made on {fmt_when(made.on)} is in force until {fmt_date(end)}: "
                "extend it instead."
            )
        if ev.until is not None:
            limit = add_months(c.day, CLOSURE_ORDER_MONTHS)
            if _day(ev.until) > limit:
                c.problems.append(
                    f"A closure order can last at most 3 months (s.80(6)): made on {fmt_date(c.day)}, it can run to "
                    f"{fmt_date(limit)}, and {fmt_date(_day(ev.until))} is "
                    f"{days_phrase((_day(ev.until) - limit).days)} too long."
                )
        return
    made, end, discharged = c.history.closure_order(ev.place)
    if made is None or discharged is not None or (end is not None and _after(ev.on, end)):
        ended = f" (it ended on {fmt_date(end)})" if made is not None and end is not None and discharged is None else ""
        what = "extend" if ev.action == Action.EXTENDED else "discharge"
        c.problems.append(f"No closure order for these premises is in force to {what}{ended}.")
        return
    limit = add_months(_day(made.on), CLOSURE_ORDER_MAX_MONTHS)
    if ev.action == Action.EXTENDED and end is not None and end >= limit:
        c.problems.append(
            f"The closure order made on {fmt_when(made.on)} already runs to {fmt_date(end)}, the 6-month maximum "
            "(s.82)."
        )
    elif ev.action == Action.EXTENDED and ev.until is None and end is not None:
        c.notes.append(
            f"Made on {fmt_when(made.on)} and in force to {fmt_date(end)}, it can be extended (before it ends) to "
            f"{fmt_date(limit)} at most."
        )
    if ev.action == Action.EXTENDED and ev.until is not None:
        new_end = _day(ev.until)
        if end is not None and new_end <= end:
            c.problems.append(f"An extension must end after the order's current end, {fmt_date(end)}.")
        elif new_end > limit:
            c.problems.append(
                f"A closure order may not have effect for more than 6 months in total (s.82): made on "
                f"{fmt_when(made.on)}, it can be extended to {fmt_date(limit)} at most, and {fmt_date(new_end)} is "
                f"{days_phrase((new_end - limit).days)} too long."
            )
        else:
            c.notes.append(f"Extended to {fmt_date(new_end)}, within 6 months of the order ({fmt_date(limit)}).")


def _injunction(c: _Ctx) -> None:
    ev = c.event
    if ev.action in (Action.APPLIED, Action.GRANTED):
        if not _needs_perpetrator(c):
            return
        assert c.perpetrator is not None
        if c.perpetrator.kind == "body":
            return
        ok, why = age_shown(c.perpetrator, INJUNCTION_MIN_AGE, c.day)
        if not ok:
            c.problems.append(
                f"A civil injunction can only be granted against a person aged 10 or over (s.1(1)): {why}."
            )
            return
        adult, why18 = age_shown(c.perpetrator, ADULT_AGE, c.day)
        if adult:
            c.notes.append(
                f"They are 18 or over ({why18}): the injunction may be for a set period or until further order."
            )
            return
        limit = add_months(c.day, UNDER_18_INJUNCTION_MONTHS)
        c.notes.append(
            f"They cannot be shown to be 18 ({why18}): apply to the youth court, for a period of at most 12 months "
            f"(to {fmt_date(limit)} if granted on {fmt_date(c.day)}) (s.1(6), s.1(8))."
        )
        if ev.action == Action.GRANTED:
            if ev.until is None:
                c.problems.append(
                    "An injunction granted before the respondent is 18 must specify its period, at most 12 months "
                    f"(s.1(6)): record when it ends ({why18})."
                )
            elif _day(ev.until) > limit:
                c.problems.append(
                    f"An injunction granted before the respondent is 18 can last at most 12 months (s.1(6)): granted "
                    f"on {fmt_date(c.day)}, it can run to {fmt_date(limit)}, and {fmt_date(_day(ev.until))} is "
                    f"{days_phrase((_day(ev.until) - limit).days)} too long ({why18})."
                )
        return
    granted, end, discharged = c.history.injunction()
    if granted is None or discharged is not None or (end is not None and _after(ev.on, end)):
        c.problems.append(f"No civil injunction is in force to record as {ev.action}.")
        return
    minor_at_grant = (
        c.perpetrator is not None
        and c.perpetrator.kind == "individual"
        and not age_shown(c.perpetrator, ADULT_AGE, _day(granted.on))[0]
    )
    if ev.action == Action.VARIED and ev.until is not None and minor_at_grant:
        limit = add_months(_day(granted.on), UNDER_18_INJUNCTION_MONTHS)
        if _day(ev.until) > limit:
            c.problems.append(
                f"The injunction was granted on {fmt_when(granted.on)}, before the respondent could be shown to be "
                f"18: it can last at most 12 months, to {fmt_date(limit)} (s.1(6))."
            )


def _pspo(c: _Ctx) -> None:
    ev = c.event
    made, end, discharged = c.history.pspo(ev.place)
    in_force = made is not None and discharged is None and end is not None and not _after(ev.on, end)
    if ev.action == Action.MADE:
        if in_force:
            assert made is not None and end is not None
            c.problems.append(
                f"A PSPO for this area made on {fmt_when(made.on)} is in force until {fmt_date(end)}: "
                "extend or vary it instead."
            )
        if ev.until is not None:
            limit = add_years(c.day, PSPO_MAX_YEARS)
            if _day(ev.until) > limit:
                c.problems.append(
                    f"A PSPO may not have effect for more than 3 years (s.60(1)): made on {fmt_date(c.day)}, it can "
                    f"run to {fmt_date(limit)}, and {fmt_date(_day(ev.until))} is "
                    f"{days_phrase((_day(ev.until) - limit).days)} too long."
                )
        return
    if not in_force:
        if made is not None and discharged is None and end is not None:
            c.problems.append(
                f"The PSPO for this area expired on {fmt_date(end)}: it can only be {ev.action} before it expires "
                "(s.60(2)); make a new order."
            )
        else:
            c.problems.append(f"No PSPO for this area is in force to record as {ev.action}.")
        return
    assert end is not None
    limit = add_years(end, PSPO_MAX_YEARS)
    if ev.action == Action.EXTENDED and ev.until is None:
        c.notes.append(
            f"The PSPO expires on {fmt_date(end)}: before then it can be extended by up to 3 years, to "
            f"{fmt_date(limit)} at most (s.60)."
        )
    if ev.action == Action.EXTENDED and ev.until is not None:
        new_end = _day(ev.until)
        if new_end <= end:
            c.problems.append(f"An extension must end after the order's current expiry, {fmt_date(end)}.")
        elif new_end > limit:
            c.problems.append(
                f"A PSPO can be extended by at most 3 years at a time (s.60(3)): it expires on {fmt_date(end)}, so it "
                f"can be extended to {fmt_date(limit)} at most, and {fmt_date(new_end)} is "
                f"{days_phrase((new_end - limit).days)} too long."
            )
        else:
            c.notes.append(f"Extended from {fmt_date(end)} to {fmt_date(new_end)} (at most {fmt_date(limit)}).")


_RULES: dict[Power, Callable[[_Ctx], None]] = {
    Power.COMMUNITY_PROTECTION_WARNING: _cpw,
    Power.COMMUNITY_PROTECTION_NOTICE: _cpn,
    Power.FIXED_PENALTY_NOTICE: _fpn,
    Power.PROSECUTION: _prosecution,
    Power.CLOSURE_NOTICE: _closure_notice,
    Power.CLOSURE_ORDER: _closure_order,
    Power.CIVIL_INJUNCTION: _injunction,
    Power.PSPO: _pspo,
}


def _field_problems(event: PowerEvent) -> list[str]:
    problems: list[str] = []
    pair = (event.power, Action(event.action))
    if event.power in _PLACE_POWERS and not event.place.strip():
        what = "area the PSPO covers" if event.power is Power.PSPO else "premises"
        problems.append(f"Record the {what} (place).")
    if pair in _NEEDS_TIME and not isinstance(event.on, datetime):
        problems.append("Record the time as well as the date: closure periods are counted in hours.")
    if event.until is None and pair in _NEEDS_UNTIL:
        if event.power is Power.COMMUNITY_PROTECTION_WARNING:
            problems.append("Record the time to comply: the date by which the warning says the behaviour must stop.")
        else:
            problems.append(f"Record when the {event.power.label} ends (until).")
    if event.until is not None:
        if event.power is Power.CLOSURE_NOTICE and not isinstance(event.until, datetime):
            problems.append("Record the time the closure notice ends, not just the date.")
        elif not _after(event.until, event.on):
            problems.append(f"The end ({fmt_when(event.until)}) must be after {fmt_when(event.on)}.")
    if event.review_on is not None and event.review_on < _day(event.on):
        problems.append(f"The review date ({fmt_date(event.review_on)}) must not be before {fmt_when(event.on)}.")
    return problems


def _evaluate(
    event: PowerEvent, history: Iterable[PowerEvent], perpetrator: Perpetrator | None, settings: AsbPowersSettings
) -> _Ctx:
    ctx = _Ctx(event, _History(history), perpetrator, settings)
    _RULES[event.power](ctx)
    return ctx


def check(
    event: PowerEvent,
    history: Iterable[PowerEvent],
    perpetrator: Perpetrator | None,
    settings: AsbPowersSettings = DEFAULT_SETTINGS,
) -> tuple[str, ...]:
    """The problems with recording ``event`` after ``history`` (events after it are ignored); empty if lawful.

    ``perpetrator`` is None for events about a place only (closure, PSPO).
    """
    earlier = [e for e in history if e != event and _key(e.on) <= _key(event.on)]
    ctx = _evaluate(event, earlier, perpetrator, settings)
    return tuple(_field_problems(event) + ctx.problems)


# --- the tracker --------------------------------------------------------------------------------------------------


def _stage(h: _History) -> tuple[Stage, str]:
    cpn, withdrawn = h.notice()
    if cpn is not None and withdrawn is None:
        breach = h.breach()
        if breach is not None:
            started, concluded = h.prosecution(breach)
            if started is not None and concluded is None:
                return (
                    Stage.PROSECUTION,
                    f"Prosecution for the breach of {fmt_when(breach.on)} under way since {fmt_when(started.on)}.",
                )
            fpn, outcome = h.penalty(breach)
            if started is None and fpn is not None and outcome is None:
                return (
                    Stage.FIXED_PENALTY,
                    f"Fixed penalty of {fmt_when(fpn.on)} for the breach of {fmt_when(breach.on)} not yet paid.",
                )
            if started is None and (fpn is None or (outcome is not None and outcome.action == Action.WITHDRAWN)):
                return (
                    Stage.BREACH,
                    f"The CPN of {fmt_when(cpn.on)} was breached on {fmt_when(breach.on)}; not yet dealt with.",
                )
        return Stage.NOTICE, f"Community protection notice of {fmt_when(cpn.on)} in force."
    cpw, closed = h.warning()
    if cpw is not None and closed is None and (cpn is None or _key(cpn.on) < _key(cpw.on)):
        until = f", time to comply to {fmt_when(cpw.until)}" if cpw.until is not None else ""
        return Stage.WARNING, f"Community protection warning of {fmt_when(cpw.on)} open{until}."
    if cpn is not None and withdrawn is not None:
        return Stage.NONE, f"The CPN of {fmt_when(cpn.on)} was withdrawn on {fmt_when(withdrawn.on)}."
    return Stage.NONE, "No community protection warning or notice is open."


def _deadline(
    label: str, due: When, power: Power, now: datetime, settings: AsbPowersSettings, place: str = ""
) -> Deadline:
    overdue = _after(now, due)
    if overdue:
        soon = False
    elif isinstance(due, datetime):
        soon = _elapsed(now, due) <= timedelta(hours=settings.due_soon_hours)
    else:
        soon = (due - now.date()).days <= settings.due_soon_days
    return Deadline(label, due, overdue, soon, power, place)


def _deadlines(h: _History, now: datetime, settings: AsbPowersSettings) -> list[Deadline]:
    out: list[Deadline] = []
    cpw, closed = h.warning()
    cpn, _ = h.notice()
    if cpw is not None and closed is None and cpw.until is not None and (cpn is None or _key(cpn.on) < _key(cpw.on)):
        out.append(
            _deadline(
                f"Time to comply with the warning of {fmt_when(cpw.on)} ends: check compliance, then decide on a CPN",
                cpw.until,
                Power.COMMUNITY_PROTECTION_WARNING,
                now,
                settings,
            )
        )
    breach = h.breach()
    if cpn is not None and breach is not None:
        fpn, outcome = h.penalty(breach)
        started, _ = h.prosecution(breach)
        if fpn is not None and outcome is None and started is None:
            out.append(
                _deadline(
                    f"Fixed penalty of {fmt_when(fpn.on)} to be paid (if unpaid, prosecution may follow)",
                    _fpn_payable_by(fpn, settings),
                    Power.FIXED_PENALTY_NOTICE,
                    now,
                    settings,
                )
            )
    for place in h.places(Power.CLOSURE_NOTICE):
        served, end, cancelled = h.closure_notice(place)
        if served is None or end is None or cancelled is not None:
            continue
        assert isinstance(served.on, datetime)
        heard = h.first(Power.CLOSURE_ORDER, Action.HEARD, Action.MADE, place=place, after=served)
        if heard is None:
            out.append(
                _deadline(
                    f"Closure order application for {place} to be heard by the magistrates' court "
                    "(48 hours from service)",
                    hours_after(served.on, CLOSURE_HEARING_HOURS),
                    Power.CLOSURE_ORDER,
                    now,
                    settings,
                    place,
                )
            )
        if not _after(now, end) and h.first(Power.CLOSURE_ORDER, Action.MADE, place=place, after=served) is None:
            out.append(_deadline(f"Closure notice for {place} ends", end, Power.CLOSURE_NOTICE, now, settings, place))
    for place in h.places(Power.CLOSURE_ORDER):
        made, order_end, discharged = h.closure_order(place)
        if made is None or order_end is None or discharged is not None or _after(now, order_end):
            continue
        limit = add_months(_day(made.on), CLOSURE_ORDER_MAX_MONTHS)
        more = (
            f" (it can be extended to {fmt_date(limit)} at most)"
            if order_end < limit
            else " (it cannot be extended further)"
        )
        out.append(
            _deadline(f"Closure order for {place} ends{more}", order_end, Power.CLOSURE_ORDER, now, settings, place)
        )
    granted, inj_end, discharged = h.injunction()
    if granted is not None and discharged is None and not (inj_end is not None and _after(now, inj_end)):
        if inj_end is not None:
            out.append(_deadline("Civil injunction ends", inj_end, Power.CIVIL_INJUNCTION, now, settings))
        review = granted.review_on
        for later in h.find(Power.CIVIL_INJUNCTION, Action.REVIEWED, Action.VARIED, after=granted):
            review = (
                later.review_on
                if later.review_on is not None
                else (None if later.action == Action.REVIEWED else review)
            )
        if review is not None:
            out.append(_deadline("Civil injunction review", review, Power.CIVIL_INJUNCTION, now, settings))
    for place in h.places(Power.PSPO):
        made, pspo_end, discharged = h.pspo(place)
        if made is None or pspo_end is None or discharged is not None or _after(now, pspo_end):
            continue
        out.append(_deadline(f"PSPO for {place} expires", pspo_end, Power.PSPO, now, settings, place))
        review_by = add_months(pspo_end, -settings.pspo_review_months_before)
        out.append(
            _deadline(
                f"Review the PSPO for {place}: decide whether to extend it (by up to 3 years) before it expires on "
                f"{fmt_date(pspo_end)}",
                review_by,
                Power.PSPO,
                now,
                settings,
                place,
            )
        )
    return sorted(out, key=lambda d: _key(d.due))


def _candidates(h: _History, perpetrator: Perpetrator | None, now: datetime) -> list[PowerEvent]:
    """The next steps worth showing, as events that would be recorded now."""
    steps: list[PowerEvent] = []
    if perpetrator is not None:
        cpw, closed = h.warning()
        cpn, withdrawn = h.notice()
        cpn_in_force = cpn is not None and withdrawn is None
        if not cpn_in_force:
            if cpw is None or closed is not None:
                steps.append(PowerEvent(Power.COMMUNITY_PROTECTION_WARNING, Action.ISSUED, now))
            steps.append(PowerEvent(Power.COMMUNITY_PROTECTION_NOTICE, Action.ISSUED, now))
        else:
            steps.append(PowerEvent(Power.FIXED_PENALTY_NOTICE, Action.ISSUED, now))
            steps.append(PowerEvent(Power.PROSECUTION, Action.STARTED, now))
        granted, end, discharged = h.injunction()
        if granted is None or discharged is not None or (end is not None and _after(now, end)):
            steps.append(PowerEvent(Power.CIVIL_INJUNCTION, Action.APPLIED, now))
    for place in h.places(Power.CLOSURE_NOTICE):
        served, notice_end, cancelled = h.closure_notice(place)
        if served is None or cancelled is not None:
            continue
        if h.first(Power.CLOSURE_ORDER, Action.APPLIED, Action.HEARD, Action.MADE, place=place, after=served) is None:
            steps.append(PowerEvent(Power.CLOSURE_ORDER, Action.APPLIED, now, place=place))
        if notice_end is not None and not _after(now, notice_end):
            steps.append(PowerEvent(Power.CLOSURE_NOTICE, Action.EXTENDED, now, place=place, senior_authority=True))
    for place in h.places(Power.CLOSURE_ORDER):
        made, order_end, discharged = h.closure_order(place)
        if made is not None and discharged is None and not (order_end is not None and _after(now, order_end)):
            steps.append(PowerEvent(Power.CLOSURE_ORDER, Action.EXTENDED, now, place=place))
    for place in h.places(Power.PSPO):
        made, _, discharged = h.pspo(place)
        if made is not None and discharged is None:
            steps.append(PowerEvent(Power.PSPO, Action.EXTENDED, now, place=place))
    return steps


def _narrate(event: PowerEvent) -> str:
    details = []
    if event.until is not None:
        if event.power is Power.COMMUNITY_PROTECTION_WARNING:
            details.append(f"time to comply to {fmt_when(event.until)}")
        else:
            details.append(f"to {fmt_when(event.until)}")
    if event.review_on is not None:
        details.append(f"review on {fmt_date(event.review_on)}")
    if event.reference:
        details.append(event.reference)
    extra = f" ({'; '.join(details)})" if details else ""
    return f"{event.describe()}{extra}."


def track(
    events: Sequence[PowerEvent],
    perpetrator: Perpetrator | None,
    now: datetime,
    settings: AsbPowersSettings = DEFAULT_SETTINGS,
) -> Tracker:
    """Where the powers stand at ``now``: stage, next steps open and refused, deadlines, and the history explained."""
    h = _History(e for e in events if not _after(e.on, now))
    reasons: list[str] = []
    for index, event in enumerate(h.events):
        reasons.append(_narrate(event))
        for problem in check(event, h.events[:index], perpetrator, settings):
            reasons.append(f"Check this record: {problem}")
    future = [e for e in events if _after(e.on, now)]
    if future:
        reasons.append(f"{len(future)} recorded event(s) dated after {fmt_when(now)} are not taken into account.")
    stage, stage_reason = _stage(h)
    if perpetrator is not None:
        reasons.append(stage_reason)

    allowed: list[NextStep] = []
    refused: list[NextStep] = []
    for step in _candidates(h, perpetrator, now):
        ctx = _evaluate(step, h.events, perpetrator, settings)
        where = f" for {step.place}" if step.place else ""
        what = f"{_capital(step.power.label)} ({step.action}){where}"
        if ctx.problems:
            refused.append(NextStep(step.power, step.action, f"{what}: {' '.join(ctx.problems)}", step.place))
        else:
            because = " ".join(ctx.notes) or "Nothing recorded stands in the way."
            allowed.append(NextStep(step.power, step.action, f"{what}: {because}", step.place))

    deadlines = _deadlines(h, now, settings)
    for d in deadlines:
        if d.overdue:
            reasons.append(f"Overdue since {fmt_when(d.due)}: {d.label}.")
        elif d.due_soon:
            reasons.append(f"Due soon, {fmt_when(d.due)}: {d.label}.")
    logger.debug("ASB powers at %s: stage %s, %d deadlines", now, stage, len(deadlines))
    return Tracker(stage, tuple(allowed), tuple(refused), tuple(deadlines), tuple(reasons))
