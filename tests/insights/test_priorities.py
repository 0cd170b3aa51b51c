"""The priorities mapping (csphub/insights/priorities.toml): versioned, checked when read."""

from __future__ import annotations

import pytest

from csphub.insights.priorities import PrioritiesError, load, parse


def test_it_reads_the_shipped_priorities() -> None:
    priorities = load()
    assert priorities.version
    assert {
        "serious-organised-crime-drugs",
        "hate-crime-asb",
        "domestic-abuse",
        "violence",
        "night-time-economy",
    } <= set(priorities.slugs)
    assert priorities.get("violence").police_uk[0] == "Violence and sexual offences"  # type: ignore[union-attr]


def test_it_refuses_a_crime_type_police_uk_does_not_use() -> None:
    text = 'version = "1"\n[[priority]]\nslug = "knife"\ntitle = "Knife crime"\npolice_uk = ["Knife crime"]\n'
    with pytest.raises(PrioritiesError, match=r"knife.*not police\.uk crime types or series: Knife crime"):
        parse(text, "test.toml")


def test_it_refuses_an_unknown_case_type_and_a_missing_version() -> None:
    with pytest.raises(PrioritiesError, match="unknown case types: burglary"):
        parse('version = "1"\n[[priority]]\nslug = "b"\ntitle = "B"\ncase_types = ["burglary"]\n')
    with pytest.raises(PrioritiesError, match="needs a version"):
        parse('[[priority]]\nslug = "b"\ntitle = "B"\n')
