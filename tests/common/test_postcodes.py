from __future__ import annotations

import pytest

from csphub.common.postcodes import PostcodeError, normalise, search_prefix


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("nn160ab", "NN16 0AB"), (" NN16  0AB ", "NN16 0AB"), ("pe8 4aa", "PE8 4AA"), ("EC1A1BB", "EC1A 1BB")],
)
def test_it_normalises_postcodes(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


@pytest.mark.parametrize("raw", ["NN16", "12345", "NN16 0A", "Q1 1AA", ""])
def test_it_rejects_what_is_not_a_postcode(raw: str) -> None:
    with pytest.raises(PostcodeError):
        normalise(raw)


def test_it_turns_partial_postcodes_into_search_prefixes() -> None:
    assert search_prefix("nn16") == "NN16 "
    assert search_prefix("NN16 0") == "NN16 0"
    assert search_prefix("nn160ab") == "NN16 0AB"
    assert search_prefix("kettering") is None
