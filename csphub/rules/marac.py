"""MARAC referral criteria for domestic abuse (SafeLives guidance).

A case is referred to the Multi-Agency Risk Assessment Conference when any of these is met:

- **visible high risk**: the DASH risk checklist has 14 or more "yes" answers (the actuarial level is high);
- **professional judgement**: a practitioner's judgement makes the level high. Judgement may raise the actuarial
  level, never lower it: a lower judgement raises ``LoweringRefused``;
- **potential escalation**: at least 3 incidents of abuse between the same people in the 12 calendar months ending
  on the date of assessment (both ends included; the number and months are settings);
- **repeat**: any incident of abuse between the same people *after* the last MARAC referral and within 12 months
  of it (the last day included).

The actuarial level by count of "yes": 14+ high, 10–13 medium, fewer standard (``MaracSettings``). With no DASH
completed the actuarial level is standard, and the reasons say so.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum

from csphub.rules.periods import add_months, fmt_date, months_phrase, plural, require_int

logger = logging.getLogger(__name__)

DASH_QUESTIONS = 24

VISIBLE_HIGH_RISK = "visible_high_risk"
PROFESSIONAL_JUDGEMENT = "professional_judgement"
POTENTIAL_ESCALATION = "potential_escalation"
REPEAT = "repeat"


class RiskLevel(Enum):
    """Ordered: STANDARD < MEDIUM < HIGH. Values match the levels in the DASH question set ("high", …)."""

    STANDARD = "standard"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return _RANKS[self]

    @property
    def label(self) -> str:
        return f"{self.value} risk"

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, RiskLevel):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, RiskLevel):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, RiskLevel):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, RiskLevel):
            return NotImplemented
        return self.rank >= other.rank


_RANKS = {RiskLevel.STANDARD: 0, RiskLevel.MEDIUM: 1, RiskLevel.HIGH: 2}


class LoweringRefused(ValueError):
    """Professional judgement tried to lower the actuarial risk level."""

    def __init__(self, actuarial: RiskLevel, judgement: RiskLevel) -> None:
        self.actuarial = actuarial
        self.judgement = judgement
        super().__init__(
            f"Professional judgement cannot lower the risk level: the DASH gives {actuarial.label}, so a judgement "
            f"of {judgement.label} is refused. Judgement may only raise the level; record concerns in the notes."
        )


@dataclass(frozen=True)
class MaracSettings:
    high_risk_yes: int = 14
    medium_risk_yes: int = 10
    escalation_incidents: int = 3
    escalation_window_months: int = 12
    repeat_window_months: int = 12

    def __post_init__(self) -> None:
        require_int("high_risk_yes", self.high_risk_yes, 2, DASH_QUESTIONS)
        require_int("medium_risk_yes", self.medium_risk_yes, 1, DASH_QUESTIONS)
        if self.medium_risk_yes >= self.high_risk_yes:
            raise ValueError(
                f"medium_risk_yes ({self.medium_risk_yes}) must be lower than high_risk_yes ({self.high_risk_yes})"
            )
        require_int("escalation_incidents", self.escalation_incidents, 1)
        require_int("escalation_window_months", self.escalation_window_months, 1)
        require_int("repeat_window_months", self.repeat_window_months, 1)


DEFAULT_SETTINGS = MaracSettings()


@dataclass(frozen=True)
class ActuarialLevel:
    level: RiskLevel
    dash_yes: int | None
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class RiskDecision:
    level: RiskLevel
    raised_by_judgement: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class MaracAssessment:
    refer: bool
    #: the final level: the DASH level, raised by professional judgement where that applies
    level: RiskLevel
    #: any of "visible_high_risk", "professional_judgement", "potential_escalation", "repeat"
    criteria_met: tuple[str, ...]
    #: incidents counted towards potential escalation (in the window ending on the date of assessment)
    escalation_incidents: tuple[date, ...]
    #: incidents that make the case a repeat (after the last referral, within the repeat window)
    repeat_incidents: tuple[date, ...]
    reasons: tuple[str, ...]


def actuarial_level(dash_yes: int | None, settings: MaracSettings = DEFAULT_SETTINGS) -> ActuarialLevel:
    """The level the DASH count of "yes" answers gives on its own."""
    if dash_yes is None:
        return ActuarialLevel(
            RiskLevel.STANDARD,
            None,
            ("No DASH risk checklist has been completed: the actuarial level is standard until one is.",),
        )
    require_int("dash_yes", dash_yes, 0, DASH_QUESTIONS)
    if dash_yes >= settings.high_risk_yes:
        level = RiskLevel.HIGH
        rule = f"{settings.high_risk_yes} or more is high risk"
    elif dash_yes >= settings.medium_risk_yes:
        level = RiskLevel.MEDIUM
        rule = f"{settings.medium_risk_yes}–{settings.high_risk_yes - 1} is medium risk"
    else:
        level = RiskLevel.STANDARD
        rule = f"fewer than {settings.medium_risk_yes} is standard risk"
    return ActuarialLevel(
        level, dash_yes, (f"The DASH has {plural(dash_yes, 'yes answer')} of {DASH_QUESTIONS}: {rule}.",)
    )


def apply_professional_judgement(actuarial: RiskLevel, judgement: RiskLevel | None, reason: str) -> RiskDecision:
    """Combine the actuarial level with a practitioner's judgement, which may raise it and never lower it."""
    if judgement is None or judgement == actuarial:
        said = "" if judgement is None else " Professional judgement agrees."
        return RiskDecision(actuarial, False, (f"The level is {actuarial.label}.{said}",))
    if judgement < actuarial:
        raise LoweringRefused(actuarial, judgement)
    why = (reason or "").strip()
    if not why:
        raise ValueError(
            f"reason: say why professional judgement raises the level from {actuarial.label} to {judgement.label}"
        )
    return RiskDecision(
        judgement,
        True,
        (f"Professional judgement raises the level from {actuarial.label} to {judgement.label}: {why}",),
    )


def assess(
    dash_yes: int | None,
    judgement: RiskLevel | None,
    judgement_reason: str,
    incidents: Sequence[date],
    last_marac_referral: date | None,
    as_of: date,
    settings: MaracSettings = DEFAULT_SETTINGS,
) -> MaracAssessment:
    """Which MARAC referral criteria are met on ``as_of``. Raises ``LoweringRefused`` for a lowering judgement.

    ``incidents`` are the dates of incidents of abuse between the same people (any order; duplicates are separate
    incidents on the same day).
    """
    if last_marac_referral is not None and last_marac_referral > as_of:
        raise ValueError("last_marac_referral must not be after the date of assessment")
    actuarial = actuarial_level(dash_yes, settings)
    decision = apply_professional_judgement(actuarial.level, judgement, judgement_reason)
    reasons = [*actuarial.reasons, *decision.reasons]
    criteria: list[str] = []

    if actuarial.level is RiskLevel.HIGH:
        criteria.append(VISIBLE_HIGH_RISK)
        reasons.append("Visible high risk: refer to MARAC.")
    elif decision.level is RiskLevel.HIGH:
        criteria.append(PROFESSIONAL_JUDGEMENT)
        reasons.append("High risk on professional judgement: refer to MARAC.")

    known = sorted(incidents)
    future = [day for day in known if day > as_of]
    if future:
        reasons.append(
            f"{plural(len(future), 'incident')} dated after {fmt_date(as_of)} "
            f"({', '.join(fmt_date(d) for d in future)}) {'is' if len(future) == 1 else 'are'} not counted."
        )
    past = [day for day in known if day <= as_of]

    start = add_months(as_of, -settings.escalation_window_months)
    in_window = tuple(day for day in past if day >= start)
    span = f"from {fmt_date(start)} to {fmt_date(as_of)} ({months_phrase(settings.escalation_window_months)})"
    if len(in_window) >= settings.escalation_incidents:
        criteria.append(POTENTIAL_ESCALATION)
        reasons.append(
            f"Potential escalation: {plural(len(in_window), 'incident')} {span}, at least "
            f"{settings.escalation_incidents}: refer to MARAC."
        )
    else:
        earlier = len(past) - len(in_window)
        outside = ""
        if earlier:
            outside = f"; {earlier} earlier {'one is' if earlier == 1 else 'ones are'} outside the window"
        reasons.append(
            f"{plural(len(in_window), 'incident')} {span}{outside}: potential escalation needs "
            f"{settings.escalation_incidents}."
        )

    repeat: tuple[date, ...] = ()
    if last_marac_referral is not None:
        until = add_months(last_marac_referral, settings.repeat_window_months)
        referral = fmt_date(last_marac_referral)
        repeat = tuple(day for day in past if last_marac_referral < day <= until)
        if repeat:
            criteria.append(REPEAT)
            reasons.append(
                f"Repeat: the incident of {fmt_date(repeat[0])} is after the last MARAC referral on {referral} and "
                f"within {months_phrase(settings.repeat_window_months)} of it (by {fmt_date(until)}): refer to MARAC."
            )
        else:
            after = [day for day in past if day > until]
            if after:
                reasons.append(
                    f"Not a repeat: the incident of {fmt_date(after[0])} is more than "
                    f"{months_phrase(settings.repeat_window_months)} after the last MARAC referral on {referral} "
                    f"(the repeat period ended on {fmt_date(until)})."
                )
            else:
                reasons.append(f"No incident since the last MARAC referral on {referral}: not a repeat.")

    refer = bool(criteria)
    if not refer:
        reasons.append(f"No MARAC referral criterion is met; the level is {decision.level.label}.")
    logger.debug("MARAC on %s: level %s, criteria %s", as_of, decision.level.value, criteria)
    return MaracAssessment(
        refer=refer,
        level=decision.level,
        criteria_met=tuple(criteria),
        escalation_incidents=in_window,
        repeat_incidents=repeat,
        reasons=tuple(reasons),
    )
