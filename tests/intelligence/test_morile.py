"""MoRiLE-style assessments: versioned configuration, scored, the version recorded on each assessment."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from csphub.intelligence import morile, services
from csphub.intelligence.models import MorileDefinition
from tests.factories import World


def test_it_scores_the_shipped_definition_as_a_weighted_sum() -> None:
    definition = morile.shipped()
    result = morile.score(definition, {"harm": 4, "likelihood": 3, "position": 2}, "high")
    assert (result.total, result.max_total, result.level) == (3 * 4 + 2 * 3 + 2, 24, "high")
    assert result.version == definition.version and result.digest == definition.digest


def test_it_reports_every_problem_of_a_definition() -> None:
    data = dict(morile.shipped().data)
    data["thresholds"] = [{"level": "low", "min": 3}]
    data["dimensions"] = [{"id": "Harm!", "label": "", "weight": -1}]
    with pytest.raises(morile.DefinitionError) as err:
        morile.load(data)
    assert len(err.value.problems) >= 2


def test_it_refuses_an_incomplete_assessment() -> None:
    with pytest.raises(morile.ScoreError):
        morile.score(morile.shipped(), {"harm": 4}, "maybe")


def test_an_assessment_keeps_the_version_it_was_scored_with(world: World) -> None:
    lead = world["soc_lead"]
    group = services.open_group(lead, name="Testgroup", valid_from=__import__("datetime").date(2025, 1, 1))
    first = services.assess_group(group, lead, scores={"harm": 2, "likelihood": 2, "position": 2}, confidence="low")
    data = dict(morile.shipped().data)
    data["version"] = "2027-1"
    data["dimensions"] = [{**d, "weight": 1} for d in data["dimensions"]]
    services.load_morile(data)
    second = services.assess_group(group, lead, scores={"harm": 2, "likelihood": 2, "position": 2}, confidence="low")
    assert (first.version, first.total) == ("2026-1", 12)
    assert (second.version, second.total) == ("2027-1", 6)
    assert MorileDefinition.objects.filter(active=True).get().version == "2027-1"
    changed = dict(data)
    changed["title"] = "Changed without a new version"
    with pytest.raises(ValidationError):
        services.load_morile(changed)
