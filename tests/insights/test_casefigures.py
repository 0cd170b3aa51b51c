"""Case figures on a dashboard: counted through the access policy, sensitive kinds aggregate-only and suppressed."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from csphub.insights.casefigures import case_figures
from tests.cases.factories import make_case
from tests.factories import World, verified_client

KETTERING = "E07000153"


def _plant(world: World) -> None:
    officer = world["police_officer"]
    kettering = world.districts[KETTERING]
    for n in range(6):
        make_case(officer, case_type="asb_nuisance", title=f"Noise {n}", owning_district=kettering)
    for n in range(2):
        make_case(officer, case_type="domestic_abuse", title=f"Figuredomestic {n}", owning_district=kettering)
    make_case(world["council_officer"], case_type="asb_personal", title="Council's own", owning_district=kettering)


def _types(figures: object) -> dict[str, int | None]:
    return {f.label: f.count for f in figures.by_type}  # type: ignore[attr-defined]


def test_it_counts_only_the_cases_the_viewer_may_see(world: World) -> None:
    _plant(world)
    today = timezone.localdate()
    police = case_figures(world["police_manager"], None, (KETTERING,), today=today, threshold=None)
    assert police.opened == 8 and police.open_now == 8
    assert _types(police) == {"Anti-social behaviour: nuisance": 6, "Domestic abuse": 2}
    council = case_figures(world["council_officer"], None, (KETTERING,), today=today, threshold=None)
    assert council.opened == 1 and _types(council) == {"Anti-social behaviour: personal": 1}
    # An analyst's role does not see domestic-abuse cases: not even counted.
    analyst = case_figures(world["police_analyst"], None, None, today=today, threshold=None)
    assert "Domestic abuse" not in _types(analyst)


def test_it_suppresses_small_counts_of_sensitive_kinds_only(world: World) -> None:
    _plant(world)
    figures = case_figures(world["police_officer"], None, (KETTERING,), today=timezone.localdate(), threshold=5)
    assert _types(figures) == {"Anti-social behaviour: nuisance": 6, "Domestic abuse": None}
    assert figures.sensitive_types == ("Domestic abuse",)
    # 8 would give the 2 away (8 - 6): rounded to a multiple of 5.
    assert (figures.opened, figures.rounded) == (10, True)


def test_it_filters_by_case_type_and_period(world: World) -> None:
    _plant(world)
    officer = world["police_officer"]
    make_case(officer, case_type="asb_nuisance", title="Old", opened_on=timezone.localdate() - dt.timedelta(days=800))
    figures = case_figures(officer, ("asb_nuisance",), None, today=timezone.localdate(), threshold=None)
    assert figures.opened == 6 and figures.open_now == 7  # the old case is still open, not opened this year


def test_the_dashboard_never_names_a_case(world: World, with_crime_store: object) -> None:
    _plant(world)
    page = verified_client(world["police_officer"]).get("/insights/dashboards/all-crime/?area=kettering")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="case-figures"' in body
    assert "Figuredomestic" not in body and "NN-DA-" not in body and "fewer than 5" in body
