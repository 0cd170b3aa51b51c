from __future__ import annotations

import pytest

from csphub.registers.identifiers import IdentifierError, Scheme, nhs_check_digit_ok, normalise


def test_it_checks_nhs_numbers_with_modulus_11() -> None:
    assert nhs_check_digit_ok("9434765919")  # the NHS's published example
    assert not nhs_check_digit_ok("9434765918")
    assert normalise(Scheme.NHS, "943-476-5919") == "943 476 5919"
    with pytest.raises(IdentifierError, match="check digit"):
        normalise(Scheme.NHS, "943 476 5918")


@pytest.mark.parametrize(
    ("scheme", "raw", "expected"),
    [
        (Scheme.PNC, "2019/0123456x", "2019/0123456X"),
        (Scheme.NI, "ab 12 34 56 c", "AB123456C"),
        (Scheme.PROBATION_CRN, "x123456", "X123456"),
        (Scheme.COUNCIL, "kbc-asb-1234", "KBC-ASB-1234"),
    ],
)
def test_it_normalises_partner_references(scheme: str, raw: str, expected: str) -> None:
    assert normalise(scheme, raw) == expected


@pytest.mark.parametrize(
    ("scheme", "raw"),
    [
        (Scheme.PNC, "123456"),
        (Scheme.NI, "BG123456A"),
        (Scheme.PROBATION_CRN, "12345"),
        (Scheme.COUNCIL, "x"),
        ("bogus", "123"),
    ],
)
def test_it_explains_a_bad_reference(scheme: str, raw: str) -> None:
    with pytest.raises(IdentifierError):
        normalise(scheme, raw)
