from __future__ import annotations

from csphub.common import names


def test_it_folds_accents_punctuation_and_case() -> None:
    assert names.fold("  Zoë  O'Brien-Smythe ") == "zoe obrien smythe"


def test_it_gives_sound_alike_spellings_one_key() -> None:
    assert names.key("jon") == names.key("john")
    assert names.key("smyth") == names.key("smith")
    assert names.key("smith") != names.key("jones")


def test_it_scores_similar_names_higher() -> None:
    assert names.similarity("smith", "smyth") > names.similarity("smith", "jones")
    assert names.similarity("", "smith") == 0.0
