"""The case list's filter panel: rendered once per (choices, selection) and cached, and still correct."""

from __future__ import annotations

import re
from collections.abc import Mapping

import pytest
from django.core.cache import cache

from csphub.cases.forms import CaseFilterForm
from csphub.partnership.models import District
from tests.factories import World, verified_client


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()


def _checked(page: str, name: str) -> set[str]:
    return {
        m.group(1)
        for m in re.finditer(rf'<input[^>]*name="{name}" value="([^"]+)"[^>]*>', page)
        if "checked" in m.group(0)
    }


def _list(world: World, query: Mapping[str, str | list[str]]) -> str:
    response = verified_client(world["council_officer"]).get("/cases/", query)
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_the_selection_asked_for_whatever_was_cached_before(world: World) -> None:
    kettering, corby = District.objects.get(name="Kettering"), District.objects.get(name="Corby")
    first = _list(world, {"district": kettering.ons_code, "status": "open"})
    assert _checked(first, "district") == {kettering.ons_code} and _checked(first, "status") == {"open"}
    second = _list(world, {"district": corby.ons_code, "status": ["closed", "under_review"]})
    assert _checked(second, "district") == {corby.ons_code}
    assert _checked(second, "status") == {"closed", "under_review"}
    third = _list(world, {"q": "Rockingham <Road>"})
    assert not _checked(third, "district") and 'value="Rockingham &lt;Road&gt;"' in third
    assert _checked(_list(world, {"district": kettering.ons_code, "status": "open"}), "district") == {
        kettering.ons_code
    }


def test_it_shows_a_new_or_renamed_district_at_once(world: World) -> None:
    _list(world, {})
    _list(world, {"status": "open"})
    district = District.objects.get(name="Corby")
    district.name = "Corby Town"
    district.save()
    District.objects.create(partnership=district.partnership, name="Oundle", ons_code="E07999999", boundary={})
    for query in ({}, {"status": "open"}):
        page = _list(world, query)
        assert "Corby Town" in page and "Oundle" in page and 'value="E07999999"' in page


def test_it_renders_the_form_once_for_repeated_requests(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    rendered: list[int] = []
    real = CaseFilterForm.render

    def counting(self: CaseFilterForm, *args: object, **kwargs: object) -> str:
        rendered.append(1)
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(CaseFilterForm, "render", counting)
    for _ in range(3):
        _list(world, {"district": "E07000153", "status": "open"})
    assert len(rendered) == 1
    _list(world, {"district": "E07000153", "status": "closed"})
    assert len(rendered) == 2


def test_it_shows_errors_of_the_values_submitted(world: World) -> None:
    page = _list(world, {"q": "x" * 101})
    assert "govuk-error-message" in page
    assert "govuk-error-message" not in _list(world, {"q": "x" * 100})
