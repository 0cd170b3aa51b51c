"""Small-number suppression of partner counts (csphub.analytics.suppression)."""

from __future__ import annotations

import pytest

from csphub.analytics.errors import SettingsError
from csphub.analytics.suppression import (
    all_shown,
    is_hidden,
    round_to_threshold,
    rounded_total,
    suppress,
    suppress_all,
)


def test_it_hides_a_count_just_under_the_threshold_and_shows_the_threshold_itself() -> None:
    assert suppress(4, 5) is None
    assert suppress(5, 5) == 5
    assert suppress(1, 5) is None
    assert suppress(0, 5) == 0  # no event: nobody to identify
    assert suppress_all([0, 1, 4, 5, 12], 5) == [0, None, None, 5, 12]


def test_it_follows_the_configured_threshold() -> None:
    assert suppress(9, 10) is None and suppress(10, 10) == 10
    assert not is_hidden(1, 1)  # a threshold of 1 hides nothing


def test_it_rounds_a_total_that_would_give_a_hidden_count_away() -> None:
    assert rounded_total([10, 20], 5) == (30, False)
    # 3 is hidden: the exact total 33 would give it away (33 - 30); rounded to a multiple of 5 it does not.
    assert rounded_total([10, 20, 3], 5) == (35, True)
    assert round_to_threshold(32, 5) == 30 and round_to_threshold(33, 5) == 35
    assert not all_shown([10, 3], 5) and all_shown([10, 0, 5], 5)


@pytest.mark.parametrize("bad", [0, -1, 2.5, True])
def test_it_refuses_a_threshold_that_is_not_a_whole_number_of_one_or_more(bad: object) -> None:
    with pytest.raises(SettingsError):
        suppress(3, bad)  # type: ignore[arg-type]
