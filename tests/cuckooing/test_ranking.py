"""The panel's ranking: a pure function of the premises, their checklist shares and what is near them."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from csphub.cuckooing.ranking import (
    DEFINITION,
    Audience,
    RankingSettings,
    RankingSettingsError,
    breakdown,
    describe,
    load_settings,
    rank,
)

SETTINGS = RankingSettings(version="test-1")


def test_it_loads_the_shipped_settings_with_their_version_and_digest() -> None:
    settings = load_settings()
    assert settings.version == "2026-1"
    assert len(settings.digest) == 64
    assert settings.label.startswith("version 2026-1 (")
    assert sum(settings.weights) == pytest.approx(1.0)


def test_it_refuses_weights_that_do_not_add_up_and_unknown_settings(tmp_path: Path) -> None:
    with pytest.raises(RankingSettingsError, match="add up to 1"):
        RankingSettings(version="x", person_weight=0.9)
    text = DEFINITION.read_text().replace("[weights]", "[weights]\nvulnerability = 0.1")
    bad = tmp_path / "bad.toml"
    bad.write_text(text)
    with pytest.raises(RankingSettingsError, match="unknown setting \\[weights\\] 'vulnerability'"):
        load_settings(bad)


def test_it_ranks_by_the_weighted_components_best_first() -> None:
    xy = np.array([[0.0, 0.0], [5000.0, 0.0], [10000.0, 0.0]])
    result = rank(xy, np.array([0.2, 1.0, 0.5]), np.array([0.0, 1.0, 0.5]), None, None, SETTINGS)
    assert list(result.order) == [1, 2, 0]
    assert list(result.rank) == [3, 1, 2]
    assert result.score[1] == pytest.approx(70.0)  # person and property weigh 35 each
    assert result.components.sum(axis=1) == pytest.approx(result.score)


def test_nearness_falls_with_distance_as_a_gaussian_kernel() -> None:
    xy = np.array([[0.0, 0.0], [300.0, 0.0], [600.0, 0.0], [np.nan, np.nan]])
    zero = np.zeros(4)
    result = rank(xy, zero, zero, np.array([[0.0, 0.0]]), None, SETTINGS)
    near = result.components[:, 2] / 15.0
    assert near[:3] == pytest.approx([1.0, np.exp(-0.5), np.exp(-2.0)])
    assert near[3] == 0.0  # no location: no nearness
    assert np.isinf(result.hotspot_m[3])


def test_it_keeps_the_given_order_between_equal_scores() -> None:
    result = rank(np.full((3, 2), np.nan), np.full(3, 0.5), np.full(3, 0.5), None, None, SETTINGS)
    assert list(result.order) == [0, 1, 2]


def test_it_refuses_shares_outside_zero_to_one() -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        rank(np.zeros((1, 2)), np.array([1.5]), np.array([0.0]), None, None, SETTINGS)


def _one_near_everything() -> tuple[np.ndarray, ...]:
    return (np.array([[1000.0, 1000.0]]), np.array([0.8]), np.array([0.6]))


def test_police_read_that_a_premises_is_near_a_known_county_lines_address() -> None:
    xy, person, prop = _one_near_everything()
    result = rank(xy, person, prop, np.array([[1200.0, 1000.0]]), np.array([[1100.0, 1000.0]]), SETTINGS)
    words = describe(result.reasons(0), SETTINGS, Audience.INTELLIGENCE)
    assert "Within 150 m of a known county-lines address (100 m)" in words
    assert "Within 250 m of a drug-crime hotspot (200 m)" in words
    assert "Vulnerable resident: 80% of the checklist's resident indicators" in words
    assert [label for label, _ in breakdown(result, 0, Audience.INTELLIGENCE)][-1] == "County-lines address"


@pytest.mark.parametrize("hotspot", [True, False])
def test_panel_partners_read_only_near_known_drug_activity(hotspot: bool) -> None:
    """Whether a rank rests on intelligence or on police.uk figures, a partner reads the same words and one "area"
    component: nothing tells them of a county-lines address, nor how far it is."""
    xy, person, prop = _one_near_everything()
    hot = np.array([[1200.0, 1000.0]]) if hotspot else None
    result = rank(xy, person, prop, hot, np.array([[1100.0, 1000.0]]), SETTINGS)
    words = describe(result.reasons(0), SETTINGS, Audience.PANEL)
    assert words.count("Near known drug activity") == 1
    text = " ".join(words).lower()
    assert "county" not in text and "hotspot" not in text and " m" not in text.replace(" more", "")
    labels = [label for label, _ in breakdown(result, 0, Audience.PANEL)]
    assert labels == ["Resident", "Property", "Area"]
    assert sum(p for _, p in breakdown(result, 0, Audience.PANEL)) == pytest.approx(result.score[0])


def test_a_record_without_a_checklist_says_so() -> None:
    result = rank(np.zeros((1, 2)), np.array([np.nan]), np.array([np.nan]), None, None, SETTINGS)
    assert describe(result.reasons(0), SETTINGS, Audience.PANEL) == ["No cuckooing checklist completed yet"]
    assert result.score[0] == 0.0


def test_the_settings_and_result_are_frozen() -> None:
    result = rank(np.zeros((1, 2)), np.array([0.1]), np.array([0.1]), None, None, SETTINGS)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.score = np.zeros(1)  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        SETTINGS.version = "2"  # type: ignore[misc]
