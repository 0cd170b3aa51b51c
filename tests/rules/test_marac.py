from __future__ import annotations

from datetime import date

import pytest

from csphub.rules.marac import (
    LoweringRefused,
    MaracAssessment,
    MaracSettings,
    RiskLevel,
    actuarial_level,
    apply_professional_judgement,
    assess,
)

AS_OF = date(2026, 11, 20)


def marac(
    dash_yes: int | None = None,
    judgement: RiskLevel | None = None,
    reason: str = "",
    incidents: tuple[date, ...] = (),
    last_referral: date | None = None,
    as_of: date = AS_OF,
    settings: MaracSettings | None = None,
) -> MaracAssessment:
    return assess(dash_yes, judgement, reason, incidents, last_referral, as_of, settings or MaracSettings())


def test_it_orders_risk_levels() -> None:
    assert RiskLevel.STANDARD < RiskLevel.MEDIUM < RiskLevel.HIGH
    assert max([RiskLevel.MEDIUM, RiskLevel.HIGH, RiskLevel.STANDARD]) is RiskLevel.HIGH
    assert RiskLevel("high") is RiskLevel.HIGH


@pytest.mark.parametrize(
    ("yes", "level"),
    [
        (0, RiskLevel.STANDARD),
        (9, RiskLevel.STANDARD),
        (10, RiskLevel.MEDIUM),
        (13, RiskLevel.MEDIUM),
        (14, RiskLevel.HIGH),
        (24, RiskLevel.HIGH),
    ],
)
def test_it_sets_the_actuarial_level_by_count_of_yes(yes: int, level: RiskLevel) -> None:
    assert actuarial_level(yes).level is level


def test_it_explains_the_actuarial_level() -> None:
    assert actuarial_level(13).reasons == ("The DASH has 13 yes answers of 24: 10–13 is medium risk.",)
    assert actuarial_level(14).reasons == ("The DASH has 14 yes answers of 24: 14 or more is high risk.",)


def test_it_treats_no_dash_as_standard_with_a_reason() -> None:
    result = actuarial_level(None)
    assert result.level is RiskLevel.STANDARD
    assert "No DASH risk checklist has been completed" in result.reasons[0]


@pytest.mark.parametrize("yes", [-1, 25])
def test_it_rejects_impossible_dash_counts(yes: int) -> None:
    with pytest.raises(ValueError, match="dash_yes"):
        actuarial_level(yes)


def test_it_refers_visible_high_risk_at_14_but_not_13() -> None:
    assert marac(14).criteria_met == ("visible_high_risk",)
    assert marac(14).refer
    assert not marac(13).refer
    assert marac(13).level is RiskLevel.MEDIUM


def test_it_lets_professional_judgement_raise_the_level_with_a_reason() -> None:
    result = marac(13, RiskLevel.HIGH, "Recent strangulation disclosed after the checklist was completed")
    assert result.refer
    assert result.level is RiskLevel.HIGH
    assert result.criteria_met == ("professional_judgement",)
    assert (
        "Professional judgement raises the level from medium risk to high risk: Recent strangulation disclosed "
        "after the checklist was completed"
    ) in result.reasons


def test_it_refuses_professional_judgement_that_tries_to_lower_the_level() -> None:
    with pytest.raises(LoweringRefused) as refused:
        marac(16, RiskLevel.MEDIUM, "Victim says things are calmer")
    assert refused.value.actuarial is RiskLevel.HIGH
    assert refused.value.judgement is RiskLevel.MEDIUM
    assert "the DASH gives high risk, so a judgement of medium risk is refused" in str(refused.value)
    with pytest.raises(LoweringRefused):
        apply_professional_judgement(RiskLevel.MEDIUM, RiskLevel.STANDARD, "")


def test_it_needs_a_reason_to_raise_the_level() -> None:
    with pytest.raises(ValueError, match="reason: say why"):
        apply_professional_judgement(RiskLevel.STANDARD, RiskLevel.MEDIUM, "   ")


def test_it_accepts_a_judgement_that_agrees_without_a_reason() -> None:
    decision = apply_professional_judgement(RiskLevel.HIGH, RiskLevel.HIGH, "")
    assert decision.level is RiskLevel.HIGH
    assert not decision.raised_by_judgement


def test_it_records_judgement_raising_to_medium_without_referral() -> None:
    result = marac(5, RiskLevel.MEDIUM, "Controlling behaviour is increasing")
    assert result.level is RiskLevel.MEDIUM
    assert not result.refer


def test_it_does_not_call_high_risk_judgement_when_the_dash_is_already_high() -> None:
    assert marac(15, RiskLevel.HIGH).criteria_met == ("visible_high_risk",)


# Potential escalation: 3 incidents in the 12 months ending on the date of assessment.


def test_it_refers_three_incidents_in_twelve_months_but_not_two() -> None:
    two = (date(2026, 3, 1), date(2026, 9, 1))
    assert not marac(incidents=two).refer
    three = (*two, date(2026, 11, 20))
    result = marac(incidents=three)
    assert result.criteria_met == ("potential_escalation",)
    assert (
        "Potential escalation: 3 incidents from 20/11/2025 to 20/11/2026 (12 months), at least 3: refer to MARAC."
        in result.reasons
    )


def test_it_counts_an_incident_on_the_first_day_of_the_window_but_not_the_day_before() -> None:
    recent = (date(2026, 6, 1), date(2026, 10, 1))
    first_day = marac(incidents=(date(2025, 11, 20), *recent))
    assert "potential_escalation" in first_day.criteria_met
    day_before = marac(incidents=(date(2025, 11, 19), *recent))
    assert "potential_escalation" not in day_before.criteria_met
    assert day_before.escalation_incidents == recent
    assert "1 earlier one is outside the window" in " ".join(day_before.reasons)


def test_it_ignores_incidents_dated_after_the_assessment() -> None:
    result = marac(incidents=(date(2026, 6, 1), date(2026, 10, 1), date(2026, 11, 21)))
    assert not result.refer
    assert "1 incident dated after 20/11/2026 (21/11/2026) is not counted." in result.reasons


def test_it_uses_the_partnership_escalation_settings() -> None:
    two = (date(2026, 3, 1), date(2026, 9, 1))
    assert marac(incidents=two, settings=MaracSettings(escalation_incidents=2)).refer
    old = (date(2025, 6, 1), date(2026, 3, 1), date(2026, 9, 1))
    assert not marac(incidents=old).refer
    assert marac(incidents=old, settings=MaracSettings(escalation_window_months=18)).refer


# Repeat: any incident after the last referral and within 12 months of it.


def test_it_is_a_repeat_on_the_last_day_of_the_twelve_months_but_not_the_day_after() -> None:
    referral = date(2025, 11, 10)
    on_last_day = marac(incidents=(date(2026, 11, 10),), last_referral=referral)
    assert on_last_day.criteria_met == ("repeat",)
    assert (
        "Repeat: the incident of 10/11/2026 is after the last MARAC referral on 10/11/2025 and within 12 months "
        "of it (by 10/11/2026): refer to MARAC."
    ) in on_last_day.reasons

    day_after = marac(incidents=(date(2026, 11, 11),), last_referral=referral)
    assert not day_after.refer
    assert "the repeat period ended on 10/11/2026" in " ".join(day_after.reasons)


def test_it_does_not_count_incidents_before_or_on_the_day_of_the_last_referral_as_repeat() -> None:
    referral = date(2026, 5, 1)
    result = marac(incidents=(date(2026, 4, 30), date(2026, 5, 1)), last_referral=referral)
    assert "repeat" not in result.criteria_met
    assert "No incident since the last MARAC referral on 01/05/2026: not a repeat." in result.reasons


def test_it_counts_a_repeat_the_day_after_the_referral() -> None:
    result = marac(incidents=(date(2026, 5, 2),), last_referral=date(2026, 5, 1))
    assert result.criteria_met == ("repeat",)
    assert result.repeat_incidents == (date(2026, 5, 2),)


def test_it_lists_every_criterion_met() -> None:
    incidents = (date(2026, 2, 1), date(2026, 6, 1), date(2026, 10, 1))
    result = marac(18, None, "", incidents, last_referral=date(2026, 1, 15))
    assert result.criteria_met == ("visible_high_risk", "potential_escalation", "repeat")


def test_it_refuses_a_referral_date_after_the_assessment() -> None:
    with pytest.raises(ValueError, match="last_marac_referral"):
        marac(last_referral=date(2026, 11, 21))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"medium_risk_yes": 14}, "medium_risk_yes \\(14\\) must be lower than high_risk_yes \\(14\\)"),
        ({"high_risk_yes": 25}, "high_risk_yes must be at most 24"),
        ({"medium_risk_yes": 0}, "medium_risk_yes must be at least 1"),
        ({"escalation_incidents": 0}, "escalation_incidents must be at least 1"),
        ({"escalation_window_months": 0}, "escalation_window_months must be at least 1"),
        ({"repeat_window_months": -12}, "repeat_window_months must be at least 1"),
    ],
)
def test_it_validates_its_settings(kwargs: dict[str, int], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        MaracSettings(**kwargs)
