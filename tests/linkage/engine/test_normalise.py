from __future__ import annotations

import pytest

from csphub.common.dates import PartialDate, PartialDateError
from csphub.linkage.engine.normalise import clean_postcode, compile_date_formats, parse_date, split_full_name


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("SMITH, John Paul", "auto", ("John", "Paul", "SMITH")),
        ("SMITH John", "auto", ("John", "", "SMITH")),
        ("John Paul Smith", "auto", ("John", "Paul", "Smith")),
        ("Mr John Smith", "given_first", ("John", "", "Smith")),
        ("Anna van der Berg", "given_first", ("Anna", "", "van der Berg")),
        ("Madonna", "auto", ("", "", "Madonna")),
        ("SMITH, ", "family_first", ("", "", "SMITH")),
        ("LORD, Emma", "family_first", ("Emma", "", "LORD")),
        ("O'BRIEN,  Peggy", "family_first", ("Peggy", "", "O'BRIEN")),
        ("  ", "auto", ("", "", "")),
    ],
)
def test_full_names_split_in_either_order(text: str, order: str, expected: tuple[str, str, str]) -> None:
    assert split_full_name(text, order) == expected


def test_dates_in_a_sources_formats_with_partial_forms() -> None:
    formats = compile_date_formats(("%d/%m/%Y",))
    assert parse_date("03/04/1990", formats) == PartialDate(1990, 4, 3)
    assert parse_date("04/1990", formats) == PartialDate(1990, 4)
    assert parse_date("1990", formats) == PartialDate(1990)
    assert parse_date("1990-04-03 00:00:00", formats) == PartialDate(1990, 4, 3)  # ISO is always understood
    with pytest.raises(PartialDateError):
        parse_date("31/02/1990", formats)
    with pytest.raises(PartialDateError, match="none of the date formats"):
        parse_date("yesterday", formats)


def test_month_names_and_two_digit_years() -> None:
    formats = compile_date_formats(("%d-%b-%Y", "%d/%m/%y"))
    assert parse_date("03-Apr-1990", formats) == PartialDate(1990, 4, 3)
    assert parse_date("Apr-1990", formats) == PartialDate(1990, 4)
    assert parse_date("03/04/90", formats) == PartialDate(1990, 4, 3)


def test_postcodes() -> None:
    assert clean_postcode("nn160ab") == "NN16 0AB"
    assert clean_postcode("NN16 OAB") is None


def test_finding_8_quarantine_reasons_name_date_formats_in_words() -> None:
    with pytest.raises(PartialDateError) as caught:
        parse_date("31-13-1990", compile_date_formats(("%d/%m/%Y",)))
    reason = str(caught.value)
    assert "%" not in reason
    assert "day/month/year, like 31/12/1990" in reason
