from __future__ import annotations

from datetime import date

import pytest

from csphub.rules.case_review import (
    Application,
    CaseReviewSettings,
    Complaint,
    annual_figures,
    assess,
)

NO_ADD_ONS = CaseReviewSettings(hate_incident_threshold=None, same_issue_individuals=None)


def complaint(
    received: date, behaviour: date | None = None, who: str = "Resident A", issue: str = "noise", **kw: object
) -> Complaint:
    return Complaint(received_on=received, behaviour_on=behaviour or received, complainant=who, issue=issue, **kw)  # type: ignore[arg-type]


def qualifies(c: Complaint, as_of: date, settings: CaseReviewSettings = NO_ADD_ONS) -> bool:
    result = assess([c], as_of, settings)
    assert len(result.qualifying) + len(result.excluded) == 1
    return bool(result.qualifying)


# One month after the behaviour: same day number of the next month, inclusive.


def test_it_counts_day_30_but_not_day_31_after_behaviour_in_april() -> None:
    behaviour = date(2026, 4, 1)
    assert qualifies(complaint(date(2026, 5, 1), behaviour), date(2026, 6, 1))
    assert not qualifies(complaint(date(2026, 5, 2), behaviour), date(2026, 6, 1))


def test_it_counts_day_31_but_not_day_32_after_behaviour_in_a_31_day_month() -> None:
    behaviour = date(2026, 5, 1)
    assert qualifies(complaint(date(2026, 6, 1), behaviour), date(2026, 7, 1))
    assert not qualifies(complaint(date(2026, 6, 2), behaviour), date(2026, 7, 1))


def test_it_counts_day_28_but_not_day_29_after_behaviour_in_february() -> None:
    behaviour = date(2026, 2, 1)
    assert qualifies(complaint(date(2026, 3, 1), behaviour), date(2026, 4, 1))
    assert not qualifies(complaint(date(2026, 3, 2), behaviour), date(2026, 4, 1))


def test_it_ends_the_month_after_31_january_on_the_last_day_of_february() -> None:
    assert qualifies(complaint(date(2026, 2, 28), date(2026, 1, 31)), date(2026, 4, 1))
    assert not qualifies(complaint(date(2026, 3, 1), date(2026, 1, 31)), date(2026, 4, 1))
    assert qualifies(complaint(date(2028, 2, 29), date(2028, 1, 31)), date(2028, 4, 1))
    assert not qualifies(complaint(date(2028, 3, 1), date(2028, 1, 31)), date(2028, 4, 1))


def test_it_explains_a_late_complaint_with_its_dates() -> None:
    result = assess([complaint(date(2026, 5, 2), date(2026, 4, 1))], date(2026, 6, 1), NO_ADD_ONS)
    assert result.excluded[0][1] == (
        "Complaint of 02/05/2026 is about behaviour on 01/04/2026: reported 31 days later, more than one month "
        "(the last day was 01/05/2026), so it does not qualify."
    )
    assert result.excluded[0][1] in result.reasons


def test_it_accepts_later_reports_when_the_partnership_is_more_generous() -> None:
    late = complaint(date(2026, 5, 15), date(2026, 4, 1))
    assert not qualifies(late, date(2026, 6, 1))
    assert qualifies(late, date(2026, 6, 1), CaseReviewSettings(report_within_months=2))


def test_it_refuses_complaints_dated_before_the_behaviour_or_after_the_assessment() -> None:
    before = complaint(date(2026, 3, 31), date(2026, 4, 1))
    after = complaint(date(2026, 6, 2), date(2026, 6, 1))
    result = assess([before, after], date(2026, 6, 1), NO_ADD_ONS)
    assert result.qualifying == ()
    assert "before the behaviour" in result.excluded[0][1]
    assert "after the date of assessment (01/06/2026)" in result.excluded[1][1]


# The threshold: three qualifying complaints in the window.


def test_it_is_not_met_with_two_qualifying_complaints() -> None:
    complaints = [complaint(date(2026, 5, 1)), complaint(date(2026, 6, 1))]
    result = assess(complaints, date(2026, 7, 1), NO_ADD_ONS)
    assert not result.met
    assert result.triggered_by == ()
    assert result.complaints_needed == 1
    assert result.threshold_lapses_on is None
    assert "2 qualifying complaints in the window: the threshold is 3, so 1 more would be needed." in result.reasons


def test_it_is_met_with_three_qualifying_complaints() -> None:
    complaints = [complaint(date(2026, 5, 1)), complaint(date(2026, 6, 1)), complaint(date(2026, 7, 1))]
    result = assess(complaints, date(2026, 7, 1), NO_ADD_ONS)
    assert result.met
    assert result.triggered_by == ("threshold",)
    assert result.complaints_needed == 0
    assert len(result.qualifying) == 3


def test_it_counts_three_complaints_from_the_same_person() -> None:
    complaints = [complaint(date(2026, m, 1), who="Mrs Khan") for m in (5, 6, 7)]
    assert assess(complaints, date(2026, 7, 1), NO_ADD_ONS).met


def test_it_counts_a_lower_local_threshold() -> None:
    complaints = [complaint(date(2026, 5, 1)), complaint(date(2026, 6, 1))]
    assert assess(complaints, date(2026, 7, 1), CaseReviewSettings(threshold_complaints=2)).met


def test_it_counts_a_complaint_recorded_twice_once() -> None:
    complaints = [
        complaint(date(2026, 5, 1), reference="NN-1"),
        complaint(date(2026, 5, 1), reference="nn-1 "),
        complaint(date(2026, 6, 1), reference="NN-2"),
    ]
    result = assess(complaints, date(2026, 7, 1), NO_ADD_ONS)
    assert not result.met
    assert len(result.qualifying) == 2
    assert "recorded twice and counts once" in result.excluded[0][1]


# The window: six calendar months ending on the date of assessment, both ends included.


def test_it_counts_a_complaint_on_the_first_day_of_the_window_but_not_the_day_before() -> None:
    as_of = date(2026, 10, 15)
    later = [complaint(date(2026, 8, 1)), complaint(date(2026, 9, 1))]
    on_first_day = complaint(date(2026, 4, 15), date(2026, 4, 10))
    day_before = complaint(date(2026, 4, 14), date(2026, 4, 10))

    inside = assess([*later, on_first_day], as_of, NO_ADD_ONS)
    assert inside.window_start == date(2026, 4, 15)
    assert inside.met

    outside = assess([*later, day_before], as_of, NO_ADD_ONS)
    assert not outside.met
    assert outside.excluded[0][1] == (
        "Complaint of 14/04/2026 was received before the 6 months window began on 15/04/2026, so it does not count."
    )


def test_it_looks_further_back_when_the_partnership_sets_a_longer_window() -> None:
    complaints = [complaint(date(2026, 3, 1)), complaint(date(2026, 8, 1)), complaint(date(2026, 9, 1))]
    assert not assess(complaints, date(2026, 10, 15), NO_ADD_ONS).met
    longer = CaseReviewSettings(window_months=12, hate_incident_threshold=None, same_issue_individuals=None)
    assert assess(complaints, date(2026, 10, 15), longer).met


def test_it_says_when_the_threshold_lapses_with_no_new_complaints() -> None:
    complaints = [complaint(date(2026, 5, 1)), complaint(date(2026, 6, 1)), complaint(date(2026, 7, 1))]
    result = assess(complaints, date(2026, 9, 15), NO_ADD_ONS)
    assert result.threshold_lapses_on == date(2026, 11, 2)
    assert "With no new complaints it would no longer be met from 02/11/2026." in result.reasons[-1]
    assert assess(complaints, date(2026, 11, 1), NO_ADD_ONS).met
    assert not assess(complaints, date(2026, 11, 2), NO_ADD_ONS).met


def test_it_finds_the_lapse_day_across_a_short_month() -> None:
    complaints = [complaint(date(2026, 2, 28)), complaint(date(2026, 3, 10)), complaint(date(2026, 4, 1))]
    result = assess(complaints, date(2026, 4, 30), NO_ADD_ONS)
    assert result.threshold_lapses_on == date(2026, 9, 1)
    assert assess(complaints, date(2026, 8, 31), NO_ADD_ONS).met
    assert not assess(complaints, date(2026, 9, 1), NO_ADD_ONS).met


def test_it_lapses_when_the_second_of_four_complaints_drops_out() -> None:
    complaints = [complaint(date(2026, m, 1)) for m in (3, 4, 5, 6)]
    result = assess(complaints, date(2026, 6, 1), NO_ADD_ONS)
    assert result.threshold_lapses_on == date(2026, 10, 2)


# Local add-ons.


def test_it_is_met_by_one_hate_incident_under_the_local_add_on() -> None:
    hate = [complaint(date(2026, 6, 1), is_hate_incident=True)]
    result = assess(hate, date(2026, 7, 1))
    assert result.met
    assert result.triggered_by == ("hate_incident",)
    assert result.complaints_needed == 0
    assert result.threshold_lapses_on == date(2026, 12, 2)
    assert "1 qualifying complaint is a hate incident: the local hate-incident threshold of 1 is met." in (
        result.reasons
    )


def test_it_ignores_hate_incidents_when_the_add_on_is_off_or_higher() -> None:
    hate = [complaint(date(2026, 6, 1), is_hate_incident=True)]
    assert not assess(hate, date(2026, 7, 1), NO_ADD_ONS).met
    assert not assess(hate, date(2026, 7, 1), CaseReviewSettings(hate_incident_threshold=2)).met


def test_it_does_not_count_a_late_hate_incident() -> None:
    late = [complaint(date(2026, 5, 2), date(2026, 4, 1), is_hate_incident=True)]
    assert not assess(late, date(2026, 6, 1)).met


def test_it_is_met_by_five_individuals_about_the_same_issue_but_not_four() -> None:
    five = [complaint(date(2026, 6, d), who=f"Resident {d}", issue="Car park at the takeaway") for d in range(1, 6)]
    five[0] = complaint(date(2026, 6, 1), who="resident 1 ", issue="car park at the  takeaway")
    result = assess(five, date(2026, 7, 1))
    assert "same_issue_individuals" in result.triggered_by
    assert "5 different people complained about the same issue" in " ".join(result.reasons)

    four_people = [*five[:4], complaint(date(2026, 6, 5), who="Resident 4", issue="Car park at the takeaway")]
    result = assess(four_people, date(2026, 7, 1))
    assert "same_issue_individuals" not in result.triggered_by
    assert "threshold" in result.triggered_by


def test_it_does_not_add_up_individuals_across_different_issues() -> None:
    complaints = [complaint(date(2026, 6, d), who=f"Resident {d}", issue="noise") for d in range(1, 5)]
    complaints.append(complaint(date(2026, 6, 5), who="Resident 5", issue="graffiti"))
    result = assess(complaints, date(2026, 7, 1))
    assert "same_issue_individuals" not in result.triggered_by


# Settings: a partnership may be more generous than the Act, never stricter.


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("threshold_complaints", 4, "threshold_complaints must be at most 3"),
        ("threshold_complaints", 0, "threshold_complaints must be at least 1"),
        ("window_months", 5, "window_months must be at least 6"),
        ("report_within_months", 0, "report_within_months must be at least 1"),
        ("hate_incident_threshold", 0, "hate_incident_threshold must be at least 1"),
        ("same_issue_individuals", 0, "same_issue_individuals must be at least 1"),
        ("threshold_complaints", 2.5, "threshold_complaints must be a whole number"),
    ],
)
def test_it_refuses_settings_stricter_than_the_act(field: str, value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        CaseReviewSettings(**{field: value})  # type: ignore[arg-type]


def test_it_accepts_settings_more_generous_than_the_act() -> None:
    settings = CaseReviewSettings(threshold_complaints=1, window_months=12, report_within_months=3)
    assert settings.window_months == 12


# Annual figures (s.104(10)).


def test_it_counts_the_annual_figures_for_publication() -> None:
    applications = [
        Application(date(2026, 3, 20), True, date(2026, 4, 10), recommendations=2),  # applied before the period
        Application(date(2026, 4, 1), False),
        Application(date(2026, 5, 1), True, date(2026, 6, 1), recommendations=0),
        Application(date(2026, 6, 1), True, date(2027, 4, 2), recommendations=1),  # completed after the period
        Application(date(2027, 3, 31), None),
        Application(date(2027, 4, 1), False),  # after the period
    ]
    figures = annual_figures(applications, date(2026, 4, 1), date(2027, 3, 31))
    assert figures.applications == 4
    assert figures.threshold_not_met == 1
    assert figures.reviews_carried_out == 2
    assert figures.reviews_with_recommendations == 1
    assert figures.awaiting_decision == 1
    assert figures.reasons[0] == (
        "From 01/04/2026 to 31/03/2027: 4 applications for an ASB case review received; the threshold was not met "
        "for 1."
    )


def test_it_refuses_inconsistent_applications_and_periods() -> None:
    with pytest.raises(ValueError, match="review_completed_on"):
        Application(date(2026, 4, 1), False, date(2026, 5, 1))
    with pytest.raises(ValueError, match="review_completed_on must not be before"):
        Application(date(2026, 4, 1), True, date(2026, 3, 1))
    with pytest.raises(ValueError, match="recommendations"):
        Application(date(2026, 4, 1), True, None, recommendations=1)
    with pytest.raises(ValueError, match="period_end"):
        annual_figures([], date(2027, 1, 1), date(2026, 1, 1))


def test_it_makes_a_decision_due_ten_working_days_after_the_application() -> None:
    from csphub.rules.case_review import decision_due

    assert decision_due(date(2026, 12, 4)) == date(2026, 12, 18)  # Friday → Friday two weeks later
    assert decision_due(date(2026, 12, 5)) == date(2026, 12, 18)  # Saturday counts from Monday
    assert decision_due(date(2026, 12, 4), CaseReviewSettings(decide_within_working_days=1)) == date(2026, 12, 7)
    with pytest.raises(ValueError):
        CaseReviewSettings(decide_within_working_days=0)
