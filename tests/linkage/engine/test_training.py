from __future__ import annotations

from dataclasses import replace

import pytest

from csphub.linkage.engine.errors import InputError, SettingsError
from csphub.linkage.engine.records import Record, RecordSet
from csphub.linkage.engine.settings import LinkageSettings
from csphub.linkage.engine.training import HouseholdCounts, household_weights


def test_bad_input_is_refused_before_work_starts() -> None:
    with pytest.raises(SettingsError) as caught:
        LinkageSettings(backend="oracle", match_threshold=1.5, u_max_pairs=5)
    assert len(caught.value.problems) == 3
    with pytest.raises(InputError, match="repeated: s:1"):
        predict_records = RecordSet.from_records([Record("1", "s"), Record("1", "s")])
        from csphub.linkage.engine.training import train

        train(predict_records)
    with pytest.raises(InputError, match="no records"):
        from csphub.linkage.engine.training import train

        train(RecordSet.from_records([]))


def test_household_corrections_are_never_positive() -> None:
    counts = HouseholdCounts(
        pairs=10**10,
        surname=5 * 10**7,
        address=10**6,
        dob=2 * 10**6,
        household_different_given=5 * 10**5,
        twins_different_given=3000,
        different_given_share=0.93,
    )
    household, twins = household_weights(counts, 1e-5, 0.9, 0.7, 0.9)
    assert household < -3 and twins < -3
    none = replace(counts, household_different_given=0, twins_different_given=0)
    assert household_weights(none, 1e-5, 0.9, 0.7, 0.9) == (0.0, 0.0)
