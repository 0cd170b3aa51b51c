from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from csphub.rules.asb_powers import (
    Action,
    AsbPowersSettings,
    NextStep,
    Perpetrator,
    Power,
    PowerEvent,
    Stage,
    age_shown,
    check,
    hours_after,
    track,
)

LONDON = ZoneInfo("Europe/London")
CPW = Power.COMMUNITY_PROTECTION_WARNING
CPN = Power.COMMUNITY_PROTECTION_NOTICE
FPN = Power.FIXED_PENALTY_NOTICE
PUB = "The Crown, High Street, Kettering"
PARK = "Corby town centre"

ADULT = Perpetrator("individual", (1990, 6, 1))
TEEN = Perpetrator("individual", (2010, 4, 3))  # 16 on 03/04/2026
COMPANY = Perpetrator("body")


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=LONDON)


def warning(on: date = date(2026, 3, 1), until: date = date(2026, 3, 15)) -> PowerEvent:
    return PowerEvent(CPW, Action.ISSUED, on, until=until)


def cpn(on: date) -> PowerEvent:
    return PowerEvent(CPN, Action.ISSUED, on)


# --- Community protection: warning first, then a notice, only for 16+ -------------------------------------------


def test_it_allows_a_cpn_on_the_16th_birthday_but_not_the_day_before() -> None:
    history = [warning()]
    assert check(cpn(date(2026, 4, 3)), history, TEEN) == ()
    problems = check(cpn(date(2026, 4, 2)), history, TEEN)
    assert problems == (
        "A CPN can only be issued to an individual aged 16 or over, or a body (s.43(1)): born 03/04/2010, they are "
        "15 on 02/04/2026; they are 16 on 03/04/2026.",
    )


def test_it_refuses_a_cpn_for_a_15_year_old() -> None:
    fifteen = Perpetrator("individual", (2011, 1, 10))
    problems = check(cpn(date(2026, 6, 1)), [warning()], fifteen)
    assert len(problems) == 1
    assert "they are 15 on 01/06/2026" in problems[0]


def test_it_only_counts_16_from_the_latest_date_a_partial_birth_date_allows() -> None:
    year_only = Perpetrator("individual", (2010, None, None))
    assert check(cpn(date(2026, 12, 30)), [warning()], year_only)
    assert check(cpn(date(2026, 12, 31)), [warning()], year_only) == ()
    month_only = Perpetrator("individual", (2010, 4, None))
    problems = check(cpn(date(2026, 4, 29)), [warning()], month_only)
    assert "only the month and year of birth (04/2010) is recorded" in problems[0]
    assert "from 30/04/2026" in problems[0]
    assert check(cpn(date(2026, 4, 30)), [warning()], month_only) == ()


def test_it_refuses_a_cpn_when_the_date_of_birth_is_unknown() -> None:
    problems = check(cpn(date(2026, 4, 1)), [warning()], Perpetrator("individual"))
    assert "date of birth is not recorded, so they cannot be shown to be 16 or over" in problems[0]


def test_it_has_no_age_limit_for_a_body() -> None:
    assert check(cpn(date(2026, 4, 1)), [warning()], COMPANY) == ()


def test_it_refuses_a_cpn_without_a_written_warning() -> None:
    assert check(cpn(date(2026, 4, 1)), [], ADULT) == (
        "A CPN needs a written warning first (s.43(5)): no community protection warning is recorded.",
    )


def test_it_refuses_a_cpn_until_the_time_to_comply_has_passed() -> None:
    problems = check(cpn(date(2026, 3, 15)), [warning()], ADULT)
    assert problems == (
        "The warning of 01/03/2026 gave until 15/03/2026 to comply: a CPN can only be issued once that time has "
        "passed, from 16/03/2026 (s.43(5)).",
    )
    assert check(cpn(date(2026, 3, 16)), [warning()], ADULT) == ()


def test_it_refuses_a_cpn_after_the_warning_was_withdrawn_or_complied_with() -> None:
    for action, word in ((Action.WITHDRAWN, "withdrawn"), (Action.COMPLIED, "recorded as complied with")):
        closed = PowerEvent(CPW, action, date(2026, 3, 20))
        problems = check(cpn(date(2026, 4, 1)), [warning(), closed], ADULT)
        assert problems == (f"The warning of 01/03/2026 was {word} on 20/03/2026: give a new written warning first.",)


def test_it_ignores_history_after_the_event_being_checked() -> None:
    assert check(cpn(date(2026, 2, 1)), [warning()], ADULT)[0].startswith("A CPN needs a written warning first")


def test_it_needs_a_time_to_comply_on_a_warning() -> None:
    problems = check(PowerEvent(CPW, Action.ISSUED, date(2026, 3, 1)), [], ADULT)
    assert problems == ("Record the time to comply: the date by which the warning says the behaviour must stop.",)


# --- Breach: fixed penalty or prosecution ---------------------------------------------------------------------------


BREACHED = [warning(), cpn(date(2026, 4, 1)), PowerEvent(CPN, Action.BREACHED, date(2026, 5, 1))]


def test_it_allows_a_fixed_penalty_only_after_a_breach() -> None:
    assert check(PowerEvent(FPN, Action.ISSUED, date(2026, 5, 2)), BREACHED, ADULT) == ()
    problems = check(PowerEvent(FPN, Action.ISSUED, date(2026, 4, 20)), BREACHED, ADULT)
    assert problems == ("No breach of the CPN of 01/04/2026 is recorded: record the breach first (s.52).",)


def test_it_refuses_a_second_fixed_penalty_for_the_same_breach() -> None:
    history = [*BREACHED, PowerEvent(FPN, Action.ISSUED, date(2026, 5, 2))]
    problems = check(PowerEvent(FPN, Action.ISSUED, date(2026, 5, 3)), history, ADULT)
    assert problems == ("The breach of 01/05/2026 already has a fixed penalty (issued 02/05/2026).",)


def test_it_bars_prosecution_while_the_fixed_penalty_can_be_paid() -> None:
    history = [*BREACHED, PowerEvent(FPN, Action.ISSUED, date(2026, 5, 2))]
    start = Power.PROSECUTION
    assert check(PowerEvent(start, Action.STARTED, date(2026, 5, 16)), history, ADULT) == (
        "The fixed penalty of 02/05/2026 can be paid until 16/05/2026: proceedings may not start before 17/05/2026 "
        "(s.52).",
    )
    assert check(PowerEvent(start, Action.STARTED, date(2026, 5, 17)), history, ADULT) == ()


def test_it_bars_prosecution_once_the_fixed_penalty_is_paid() -> None:
    history = [
        *BREACHED,
        PowerEvent(FPN, Action.ISSUED, date(2026, 5, 2)),
        PowerEvent(FPN, Action.PAID, date(2026, 5, 10)),
    ]
    problems = check(PowerEvent(Power.PROSECUTION, Action.STARTED, date(2026, 6, 1)), history, ADULT)
    assert "was paid on 10/05/2026: that discharges liability for the breach" in problems[0]


def test_it_uses_a_longer_local_payment_period_but_never_a_shorter_one() -> None:
    settings = AsbPowersSettings(fpn_payment_days=21)
    history = [*BREACHED, PowerEvent(FPN, Action.ISSUED, date(2026, 5, 2))]
    assert check(PowerEvent(Power.PROSECUTION, Action.STARTED, date(2026, 5, 23)), history, ADULT, settings)
    assert check(PowerEvent(Power.PROSECUTION, Action.STARTED, date(2026, 5, 24)), history, ADULT, settings) == ()
    with pytest.raises(ValueError, match="fpn_payment_days must be at least 14"):
        AsbPowersSettings(fpn_payment_days=13)


def test_it_allows_prosecution_for_a_breach_without_a_fixed_penalty() -> None:
    assert check(PowerEvent(Power.PROSECUTION, Action.STARTED, date(2026, 5, 2)), BREACHED, ADULT) == ()
    assert check(PowerEvent(Power.PROSECUTION, Action.STARTED, date(2026, 5, 2)), BREACHED[:2], ADULT)


# --- Closure: notice 24 h (48 h with senior authority), hearing within 48 h, order 3 months, 6 in total ------------


SERVED = PowerEvent(Power.CLOSURE_NOTICE, Action.SERVED, at(2026, 6, 5, 18), place=PUB)


def extension(until: datetime, senior: bool = True) -> PowerEvent:
    return PowerEvent(
        Power.CLOSURE_NOTICE, Action.EXTENDED, at(2026, 6, 6, 12), until=until, place=PUB, senior_authority=senior
    )


def test_it_limits_a_closure_notice_to_24_hours_without_senior_authority() -> None:
    exactly = PowerEvent(Power.CLOSURE_NOTICE, Action.SERVED, at(2026, 6, 5, 18), until=at(2026, 6, 6, 18), place=PUB)
    assert check(exactly, [], None) == ()
    longer = PowerEvent(Power.CLOSURE_NOTICE, Action.SERVED, at(2026, 6, 5, 18), until=at(2026, 6, 6, 18, 1), place=PUB)
    problems = check(longer, [], None)
    assert "can run to 06/06/2026 18:00, and 06/06/2026 18:01 is 1 minute too long" in problems[0]
    assert "superintendent" in problems[0]
    senior = PowerEvent(
        Power.CLOSURE_NOTICE,
        Action.SERVED,
        at(2026, 6, 5, 18),
        until=at(2026, 6, 7, 18),
        place=PUB,
        senior_authority=True,
    )
    assert check(senior, [], None) == ()


def test_it_allows_extending_a_closure_notice_to_48_hours_exactly_but_not_a_minute_more() -> None:
    assert check(extension(at(2026, 6, 7, 18)), [SERVED], None) == ()
    problems = check(extension(at(2026, 6, 7, 18, 1)), [SERVED], None)
    assert problems == (
        "A closure notice can last at most 48 hours in total (s.77): served at 05/06/2026 18:00, it can be extended "
        "to 07/06/2026 18:00 at most, and 07/06/2026 18:01 is 1 minute too long.",
    )


def test_it_needs_senior_authority_to_extend_a_closure_notice() -> None:
    problems = check(extension(at(2026, 6, 7, 12), senior=False), [SERVED], None)
    assert "needs a police superintendent or above" in problems[0]


def test_it_refuses_to_extend_a_closure_notice_that_has_ended() -> None:
    late = PowerEvent(
        Power.CLOSURE_NOTICE, Action.EXTENDED, at(2026, 6, 6, 19), until=at(2026, 6, 7, 12), place=PUB,
        senior_authority=True,
    )  # fmt: skip
    problems = check(late, [SERVED], None)
    assert problems == (
        "The closure notice served at 05/06/2026 18:00 ended at 06/06/2026 18:00: there is none in force to extend.",
    )


def test_it_needs_the_closure_hearing_within_48_hours_of_service() -> None:
    on_time = PowerEvent(Power.CLOSURE_ORDER, Action.HEARD, at(2026, 6, 7, 18), place=PUB)
    assert check(on_time, [SERVED], None) == ()
    late = PowerEvent(Power.CLOSURE_ORDER, Action.APPLIED, at(2026, 6, 7, 18, 1), place=PUB)
    assert check(late, [SERVED], None) == (
        "The application must be heard by the magistrates' court within 48 hours of service (s.80(3)): the notice "
        "was served at 05/06/2026 18:00, so by 07/06/2026 18:00; 07/06/2026 18:01 is 1 minute late.",
    )


def test_it_disregards_christmas_day_in_the_48_hours() -> None:
    assert hours_after(at(2026, 12, 24, 12), 48) == at(2026, 12, 27, 12)
    assert hours_after(at(2026, 12, 25, 10), 48) == at(2026, 12, 28, 0)
    assert hours_after(at(2026, 12, 20, 12), 48) == at(2026, 12, 22, 12)


def test_it_counts_48_real_hours_across_the_clock_change() -> None:
    assert hours_after(at(2026, 10, 24, 12), 48) == at(2026, 10, 26, 11)


def test_it_needs_times_and_premises_for_closure() -> None:
    problems = check(PowerEvent(Power.CLOSURE_NOTICE, Action.SERVED, date(2026, 6, 5)), [], None)
    assert problems == (
        "Record the premises (place).",
        "Record the time as well as the date: closure periods are counted in hours.",
    )


HEARD = PowerEvent(Power.CLOSURE_ORDER, Action.HEARD, at(2026, 6, 7, 10), place=PUB)


def order(until: date) -> PowerEvent:
    return PowerEvent(Power.CLOSURE_ORDER, Action.MADE, date(2026, 6, 7), until=until, place=PUB)


def test_it_limits_a_closure_order_to_3_months() -> None:
    assert check(order(date(2026, 9, 7)), [SERVED, HEARD], None) == ()
    problems = check(order(date(2026, 9, 8)), [SERVED, HEARD], None)
    assert problems == (
        "A closure order can last at most 3 months (s.80(6)): made on 07/06/2026, it can run to 07/09/2026, and "
        "08/09/2026 is 1 day too long.",
    )


def test_it_needs_an_application_before_a_closure_order() -> None:
    assert "Record the application to the magistrates' court" in check(order(date(2026, 9, 7)), [SERVED], None)[0]
    assert "no closure notice" in check(order(date(2026, 9, 7)), [], None)[0]


def test_it_allows_extending_a_closure_order_to_6_months_exactly_but_not_a_day_more() -> None:
    history = [SERVED, HEARD, order(date(2026, 9, 7))]

    def extend(until: date) -> PowerEvent:
        return PowerEvent(Power.CLOSURE_ORDER, Action.EXTENDED, date(2026, 9, 1), until=until, place=PUB)

    assert check(extend(date(2026, 12, 7)), history, None) == ()
    assert check(extend(date(2026, 12, 8)), history, None) == (
        "A closure order may not have effect for more than 6 months in total (s.82): made on 07/06/2026, it can be "
        "extended to 07/12/2026 at most, and 08/12/2026 is 1 day too long.",
    )


def test_it_counts_6_months_from_the_order_across_several_extensions() -> None:
    history = [
        SERVED,
        HEARD,
        order(date(2026, 9, 7)),
        PowerEvent(Power.CLOSURE_ORDER, Action.EXTENDED, date(2026, 9, 1), until=date(2026, 11, 1), place=PUB),
    ]
    assert (
        check(
            PowerEvent(Power.CLOSURE_ORDER, Action.EXTENDED, date(2026, 10, 25), until=date(2026, 12, 7), place=PUB),
            history,
            None,
        )
        == ()
    )
    assert check(
        PowerEvent(Power.CLOSURE_ORDER, Action.EXTENDED, date(2026, 10, 25), until=date(2026, 12, 8), place=PUB),
        history,
        None,
    )


def test_it_refuses_to_extend_an_expired_closure_order() -> None:
    history = [SERVED, HEARD, order(date(2026, 9, 7))]
    late = PowerEvent(Power.CLOSURE_ORDER, Action.EXTENDED, date(2026, 9, 8), until=date(2026, 11, 1), place=PUB)
    assert check(late, history, None) == (
        "No closure order for these premises is in force to extend (it ended on 07/09/2026).",
    )


# --- Civil injunction: 10+, at most 12 months for under-18s -----------------------------------------------------------


def injunction(on: date, until: date | None) -> PowerEvent:
    return PowerEvent(Power.CIVIL_INJUNCTION, Action.GRANTED, on, until=until)


def test_it_limits_an_injunction_for_an_under_18_to_12_months() -> None:
    assert check(injunction(date(2026, 5, 1), date(2027, 5, 1)), [], TEEN) == ()
    problems = check(injunction(date(2026, 5, 1), date(2027, 5, 2)), [], TEEN)
    assert "can run to 01/05/2027, and 02/05/2027 is 1 day too long" in problems[0]
    assert "they are 18 on 03/04/2028" in problems[0]
    assert "must specify its period" in check(injunction(date(2026, 5, 1), None), [], TEEN)[0]


def test_it_allows_an_adult_injunction_until_further_order() -> None:
    assert check(injunction(date(2026, 5, 1), None), [], ADULT) == ()
    assert check(injunction(date(2026, 5, 1), date(2029, 5, 1)), [], ADULT) == ()


def test_it_applies_the_under_18_limit_until_18_can_be_shown() -> None:
    on_birthday = Perpetrator("individual", (2008, 5, 1))
    assert check(injunction(date(2026, 5, 1), None), [], on_birthday) == ()
    assert check(injunction(date(2026, 4, 30), None), [], on_birthday)
    assert check(injunction(date(2026, 5, 1), None), [], Perpetrator("individual"))


def test_it_refuses_an_injunction_against_a_child_under_10() -> None:
    nine = Perpetrator("individual", (2017, 1, 1))
    problems = check(injunction(date(2026, 5, 1), date(2026, 11, 1)), [], nine)
    assert problems[0].startswith("A civil injunction can only be granted against a person aged 10 or over (s.1(1))")


# --- PSPO: up to 3 years, extended by up to 3 years at a time before it expires -------------------------------------


def pspo(until: date) -> PowerEvent:
    return PowerEvent(Power.PSPO, Action.MADE, date(2026, 1, 10), until=until, place=PARK)


def test_it_limits_a_pspo_to_3_years() -> None:
    assert check(pspo(date(2029, 1, 10)), [], None) == ()
    assert check(pspo(date(2029, 1, 11)), [], None) == (
        "A PSPO may not have effect for more than 3 years (s.60(1)): made on 10/01/2026, it can run to 10/01/2029, "
        "and 11/01/2029 is 1 day too long.",
    )


def test_it_extends_a_pspo_by_up_to_3_years_before_it_expires() -> None:
    history = [pspo(date(2029, 1, 10))]

    def extend(on: date, until: date) -> PowerEvent:
        return PowerEvent(Power.PSPO, Action.EXTENDED, on, until=until, place=PARK)

    assert check(extend(date(2028, 12, 1), date(2032, 1, 10)), history, None) == ()
    assert (
        "extended by at most 3 years at a time" in check(extend(date(2028, 12, 1), date(2032, 1, 11)), history, None)[0]
    )
    assert check(extend(date(2029, 1, 11), date(2030, 1, 10)), history, None) == (
        "The PSPO for this area expired on 10/01/2029: it can only be extended before it expires (s.60(2)); make a "
        "new order.",
    )


# --- The tracker ----------------------------------------------------------------------------------------------------


def steps(found: Sequence[NextStep]) -> set[tuple[Power, str]]:
    return {(s.power, s.action) for s in found}


def test_it_tracks_a_warning_and_says_when_a_notice_becomes_possible() -> None:
    before = track([warning()], ADULT, at(2026, 3, 10, 9))
    assert before.stage is Stage.WARNING
    assert (CPN, Action.ISSUED) in steps(before.refused)
    assert "from 16/03/2026" in next(s.reason for s in before.refused if s.power is CPN)
    (deadline,) = before.deadlines
    assert deadline.due == date(2026, 3, 15)
    assert deadline.due_soon and not deadline.overdue

    after = track([warning()], ADULT, at(2026, 3, 16, 9))
    assert (CPN, Action.ISSUED) in steps(after.allowed_next)
    assert after.deadlines[0].overdue
    assert "Overdue since 15/03/2026" in after.reasons[-1]


def test_it_refuses_the_next_step_for_a_15_year_old_with_the_reason() -> None:
    result = track([warning()], TEEN, at(2026, 3, 20, 9))
    reason = next(s.reason for s in result.refused if s.power is CPN)
    assert "they are 15 on 20/03/2026; they are 16 on 03/04/2026" in reason


def test_it_tracks_a_breach_through_fixed_penalty_to_prosecution() -> None:
    history = [*BREACHED, PowerEvent(FPN, Action.ISSUED, date(2026, 5, 2))]
    during = track(history, ADULT, at(2026, 5, 10, 9))
    assert during.stage is Stage.FIXED_PENALTY
    assert (Power.PROSECUTION, Action.STARTED) in steps(during.refused)
    fpn_deadline = next(d for d in during.deadlines if d.power is FPN)
    assert fpn_deadline.due == date(2026, 5, 16)
    assert fpn_deadline.due_soon

    lapsed = track(history, ADULT, at(2026, 5, 17, 9))
    assert (Power.PROSECUTION, Action.STARTED) in steps(lapsed.allowed_next)

    paid = track([*history, PowerEvent(FPN, Action.PAID, date(2026, 5, 9))], ADULT, at(2026, 5, 17, 9))
    assert paid.stage is Stage.NOTICE
    assert not [d for d in paid.deadlines if d.power is FPN]


def test_it_tracks_the_closure_clocks_in_hours() -> None:
    result = track([SERVED], None, at(2026, 6, 7, 8))
    hearing = next(d for d in result.deadlines if d.power is Power.CLOSURE_ORDER)
    assert hearing.due == at(2026, 6, 7, 18)
    assert hearing.due_soon and not hearing.overdue
    assert (Power.CLOSURE_ORDER, Action.APPLIED) in steps(result.allowed_next)
    assert not [d for d in result.deadlines if d.power is Power.CLOSURE_NOTICE]  # it ended at 06/06 18:00

    missed = track([SERVED], None, at(2026, 6, 7, 18, 1))
    assert next(d for d in missed.deadlines if d.power is Power.CLOSURE_ORDER).overdue
    assert (Power.CLOSURE_ORDER, Action.APPLIED) in steps(missed.refused)

    heard = track([SERVED, HEARD, order(date(2026, 9, 7))], None, at(2026, 6, 10))
    (order_deadline,) = heard.deadlines
    assert order_deadline.due == date(2026, 9, 7)
    assert "it can be extended to 07/12/2026 at most" in order_deadline.label


def test_it_reminds_to_review_a_pspo_before_it_expires() -> None:
    result = track([pspo(date(2029, 1, 10))], None, at(2028, 10, 5))
    review, expiry = result.deadlines
    assert review.due == date(2028, 10, 10)
    assert review.due_soon
    assert expiry.due == date(2029, 1, 10)
    assert not expiry.due_soon
    assert (Power.PSPO, Action.EXTENDED) in steps(result.allowed_next)
    later = track([pspo(date(2029, 1, 10))], None, at(2028, 10, 5), AsbPowersSettings(pspo_review_months_before=6))
    assert later.deadlines[0].due == date(2028, 7, 10)
    assert later.deadlines[0].overdue


def test_it_tracks_injunction_reviews() -> None:
    granted = PowerEvent(Power.CIVIL_INJUNCTION, Action.GRANTED, date(2026, 5, 1), review_on=date(2026, 8, 1))
    result = track([granted], ADULT, at(2026, 7, 28))
    (review,) = result.deadlines
    assert review.label == "Civil injunction review"
    assert review.due == date(2026, 8, 1) and review.due_soon
    reviewed = PowerEvent(Power.CIVIL_INJUNCTION, Action.REVIEWED, date(2026, 8, 1), review_on=date(2026, 11, 1))
    assert track([granted, reviewed], ADULT, at(2026, 8, 2)).deadlines[0].due == date(2026, 11, 1)


def test_it_flags_unlawful_events_already_recorded() -> None:
    result = track([cpn(date(2026, 4, 1))], ADULT, at(2026, 5, 1))
    assert "Check this record: A CPN needs a written warning first (s.43(5))" in " ".join(result.reasons)


def test_it_ignores_events_after_now() -> None:
    result = track([warning(), cpn(date(2026, 4, 1))], ADULT, at(2026, 3, 10))
    assert result.stage is Stage.WARNING
    assert "1 recorded event(s) dated after 10/03/2026 00:00 are not taken into account." in result.reasons


def test_it_starts_with_a_warning_when_nothing_is_recorded() -> None:
    result = track([], ADULT, at(2026, 3, 10))
    assert result.stage is Stage.NONE
    assert (CPW, Action.ISSUED) in steps(result.allowed_next)
    assert (CPN, Action.ISSUED) in steps(result.refused)
    assert result.deadlines == ()


# --- Records and people -----------------------------------------------------------------------------------------------


def test_it_rejects_an_action_a_power_does_not_have() -> None:
    with pytest.raises(ValueError, match="action 'granted' is not recorded for a community protection notice"):
        PowerEvent(CPN, "granted", date(2026, 1, 1))


def test_it_validates_a_perpetrator() -> None:
    with pytest.raises(ValueError, match="dob: a body has no date of birth"):
        Perpetrator("body", (1990, 1, 1))
    with pytest.raises(ValueError, match="a day of birth needs a month"):
        Perpetrator("individual", (1990, None, 1))
    with pytest.raises(ValueError, match="not a real date"):
        Perpetrator("individual", (2011, 2, 29))
    with pytest.raises(ValueError, match="kind"):
        Perpetrator("company", None)  # type: ignore[arg-type]


def test_it_treats_a_29_february_birthday_as_1_march_in_a_common_year() -> None:
    leapling = Perpetrator("individual", (2012, 2, 29))
    assert not age_shown(leapling, 17, date(2029, 2, 28))[0]
    assert age_shown(leapling, 17, date(2029, 3, 1))[0]


def test_it_checks_an_end_is_after_the_start() -> None:
    problems = check(PowerEvent(CPW, Action.ISSUED, date(2026, 3, 1), until=date(2026, 3, 1)), [], ADULT)
    assert problems == ("The end (01/03/2026) must be after 01/03/2026.",)


def test_it_has_a_deadline_for_each_open_clock_only() -> None:
    granted = PowerEvent(Power.CIVIL_INJUNCTION, Action.GRANTED, date(2026, 5, 1), until=date(2026, 6, 1))
    assert track([granted], ADULT, at(2026, 6, 2)).deadlines == ()
    assert track([granted], ADULT, at(2026, 5, 30)).deadlines[0].due == date(2026, 6, 1)


def test_it_counts_events_recorded_by_date_earlier_today() -> None:
    result = track([warning(on=date(2026, 3, 10), until=date(2026, 3, 24))], ADULT, at(2026, 3, 10, 9))
    assert result.stage is Stage.WARNING
    reason = next(s.reason for s in result.refused if s.power is CPN)
    assert "The warning of 10/03/2026 gave until 24/03/2026 to comply" in reason


def test_it_refuses_to_extend_what_already_runs_to_its_maximum() -> None:
    full = PowerEvent(
        Power.CLOSURE_NOTICE, Action.SERVED, at(2026, 6, 5, 18), until=at(2026, 6, 7, 18), place=PUB,
        senior_authority=True,
    )  # fmt: skip
    result = track([full], None, at(2026, 6, 6, 9))
    refused = next(s for s in result.refused if s.power is Power.CLOSURE_NOTICE)
    assert "already runs to 07/06/2026 18:00, the 48-hour maximum" in refused.reason

    six_months = [SERVED, HEARD, order(date(2026, 9, 7)), PowerEvent(
        Power.CLOSURE_ORDER, Action.EXTENDED, date(2026, 9, 1), until=date(2026, 12, 7), place=PUB
    )]  # fmt: skip
    result = track(six_months, None, at(2026, 10, 1))
    refused = next(s for s in result.refused if s.power is Power.CLOSURE_ORDER)
    assert "already runs to 07/12/2026, the 6-month maximum" in refused.reason
    assert "it cannot be extended further" in result.deadlines[0].label


def test_it_tracks_each_place_separately_under_its_first_written_name() -> None:
    events = [
        PowerEvent(Power.PSPO, Action.MADE, date(2025, 1, 10), until=date(2028, 1, 9), place="Kettering town centre"),
        PowerEvent(Power.PSPO, Action.MADE, date(2024, 3, 1), until=date(2027, 2, 28), place="Corby Old Village"),
        SERVED,
        PowerEvent(Power.CLOSURE_ORDER, Action.HEARD, at(2026, 6, 6, 10), place="the crown,  high street, kettering"),
        PowerEvent(Power.CLOSURE_ORDER, Action.MADE, date(2026, 6, 6), until=date(2026, 9, 6), place=PUB),
    ]
    result = track(events, None, at(2026, 11, 22, 9))
    assert [(d.label.split(":")[0], d.due) for d in result.deadlines] == [
        ("Review the PSPO for Corby Old Village", date(2026, 11, 28)),
        ("PSPO for Corby Old Village expires", date(2027, 2, 28)),
        ("Review the PSPO for Kettering town centre", date(2027, 10, 9)),
        ("PSPO for Kettering town centre expires", date(2028, 1, 9)),
    ]
    assert sorted(s.place for s in result.allowed_next) == ["Corby Old Village", "Kettering town centre"]
    in_force = track(events, None, at(2026, 7, 1))
    order_deadline = next(d for d in in_force.deadlines if d.power is Power.CLOSURE_ORDER)
    assert order_deadline.label.startswith(f"Closure order for {PUB} ends")
