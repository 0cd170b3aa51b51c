"""What the store holds (csphub.analytics.holdings): the counts each ingest recorded, months per owner."""

from __future__ import annotations

from pathlib import Path

from csphub.analytics.api import Analytics
from tests.analytics.conftest import NORTHANTS_MONTHS


def test_it_lists_every_stored_file_with_the_counts_its_ingest_reported(tmp_path: Path, empty: Analytics) -> None:
    report = empty.ingest(list(NORTHANTS_MONTHS[:2]))
    held = empty.holdings()
    by_month = {f.month: f for f in held.files}
    for r in report.files:
        f = by_month[r.month]
        assert (f.table, f.owner, f.rows, f.unlocated, f.outside_districts) == (
            "street",
            r.force,
            r.rows,
            r.unlocated,
            r.outside_districts,
        )
        assert f.source.endswith(Path(r.source).name)
    assert held.rows == report.rows
    assert held.last_ingest is not None


def test_it_gives_the_months_per_owner_and_the_gaps_between(empty: Analytics) -> None:
    empty.ingest([NORTHANTS_MONTHS[0], NORTHANTS_MONTHS[2]])
    (coverage,) = empty.holdings().coverage()
    assert (coverage.owner, coverage.first, coverage.last, coverage.months) == (
        "northamptonshire",
        "2025-01",
        "2025-03",
        2,
    )
    assert coverage.missing == ("2025-02",)


def test_it_counts_partner_files_from_their_rows(tmp_path: Path, empty: Analytics) -> None:
    csv = tmp_path / "asb.csv"
    csv.write_text(
        "occurred_at,category,source_agency,postcode\n"
        "2025-03-01,Noise nuisance,North Northamptonshire Council,NN16 8BA\n"
        "2025-03-02,Noise nuisance,North Northamptonshire Council,\n",
        encoding="utf-8",
    )
    empty.ingest_partner([csv])
    (held,) = empty.holdings().files
    assert (held.table, held.owner, held.month, held.rows, held.unlocated) == (
        "partner",
        "north-northamptonshire-council",
        "2025-03",
        2,
        1,
    )
    assert held.source == str(csv)


def test_an_empty_store_holds_nothing(empty: Analytics) -> None:
    held = empty.holdings()
    assert held.files == () and held.last_ingest is None and held.coverage() == ()
