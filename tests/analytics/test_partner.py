"""Partner data (council ASB, night-time economy logs) through the one documented CSV schema."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from csphub.analytics.api import Analytics
from csphub.analytics.errors import IngestError
from csphub.analytics.store import EventFilter

from .conftest import DATA, snapshot

ASB = """occurred_at,category,source_agency,reference,postcode,location
2025-03-01 22:15,Noise nuisance,North Northamptonshire Council,ASB-1,NN16 8BA,Montagu Street
01/03/2025 23:40,Noise nuisance,North Northamptonshire Council,ASB-2,nn171rt,
2025-04-02,Fly-tipping,North Northamptonshire Council,ASB-3,NN10 0AA,
2025-04-03T09:00,Fly-tipping,North Northamptonshire Council,ASB-4,ZZ99 9ZZ,unknown postcode
2025-04-05,Graffiti,North Northamptonshire Council,ASB-5,,no location given
"""

NTE = """Occurred_At,Category,Source_Agency,Easting,Northing,Latitude,Longitude
2025-03-08 01:10,Fight,Kettering Pubwatch,486525,278733,,
2025-03-08 01:30,Fight,Kettering Pubwatch,,,52.399782,-0.729708
"""


def _postcode_districts() -> dict[str, str]:
    with (DATA / "postcodes" / "northamptonshire_postcodes_with_latlon_DERIVED.csv").open(encoding="utf-8") as fh:
        return {r["Postcode"]: r["Admin_district_code"] for r in csv.DictReader(fh)}


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_it_locates_incidents_by_postcode_or_coordinates_and_keeps_the_unlocated(
    empty: Analytics, tmp_path: Path
) -> None:
    result = empty.ingest_partner([_write(tmp_path, "asb.csv", ASB), _write(tmp_path, "nte.csv", NTE)])
    asb, nte = result.files
    assert (asb.rows, asb.unlocated, asb.unknown_postcodes) == (5, 2, 1)
    assert (nte.rows, nte.unlocated) == (2, 0)
    assert asb.agency_months == (
        ("north-northamptonshire-council", "2025-03"),
        ("north-northamptonshire-council", "2025-04"),
    )
    con = empty.store.connect()
    rows = con.execute(
        "SELECT reference, postcode, district, location_method FROM partner "
        "WHERE reference IS NOT NULL ORDER BY reference"
    ).fetchall()
    districts = _postcode_districts()
    assert rows[0] == ("ASB-1", "NN16 8BA", districts["NN168BA"], "postcode")
    assert rows[1] == ("ASB-2", "NN17 1RT", districts["NN171RT"], "postcode")
    assert rows[3][2:] == (None, None) and rows[4][2:] == (None, None)
    fights = con.execute("SELECT x, y, district FROM partner WHERE category = 'Fight'").fetchall()
    assert fights[0][0] == pytest.approx(486525) and fights[1][0] == pytest.approx(486525, abs=2)
    assert {f[2] for f in fights} == {districts["NN168BA"]}  # the same place given as BNG and as WGS84
    counts = empty.counts(["month", "crime_type"], EventFilter(source="partner"))
    assert {(f"{m:%Y-%m}", t): n for (m, t), n in counts.as_dict().items()} == {
        ("2025-03", "Fight"): 2,
        ("2025-03", "Noise nuisance"): 2,
        ("2025-04", "Fly-tipping"): 2,
        ("2025-04", "Graffiti"): 1,
    }


def test_it_replaces_an_agencys_month_when_it_is_ingested_again(empty: Analytics, tmp_path: Path) -> None:
    empty.ingest_partner([_write(tmp_path, "asb.csv", ASB)])
    march_only = "\n".join(ASB.splitlines()[:2]) + "\n"
    again = empty.ingest_partner([_write(tmp_path, "asb-march.csv", march_only)])
    assert again.replaced == (("north-northamptonshire-council", "2025-03"),)
    con = empty.store.connect()
    assert con.execute("SELECT strftime(month, '%Y-%m'), count(*) FROM partner GROUP BY 1 ORDER BY 1").fetchall() == [
        ("2025-03", 1),
        ("2025-04", 3),
    ]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("when,category,source_agency,postcode\n", 1, "unknown column(s) 'when'"),
        ("occurred_at,category,postcode\n", 1, "missing required column(s): source_agency"),
        ("occurred_at,category,source_agency,easting\n", 1, "easting and northing go together"),
        ("occurred_at,category,source_agency,reference\n", 1, "no location column"),
        (
            "occurred_at,category,source_agency,postcode\n"
            "2025-03-01,Noise,Council,NN16 8BA\n2025-13-01,Noise,Council,NN16 8BA\n",
            3,
            "occurred_at '2025-13-01' is not a date",
        ),
        (
            "occurred_at,category,source_agency,postcode\n2025-03-01,,Council,NN16 8BA\n",
            2,
            "category is empty",
        ),
        (
            "occurred_at,category,source_agency,postcode\n2025-03-01,Noise,Council,NN16 8BA,extra\n",
            2,
            "more fields than the header",
        ),
        (
            "occurred_at,category,source_agency,postcode\n2025-03-01,Noise,Council,KETTERING\n",
            2,
            "postcode 'KETTERING' is not a UK postcode",
        ),
        (
            "occurred_at,category,source_agency,latitude,longitude\n2025-03-01,Noise,Council,52.4,\n",
            2,
            "latitude and longitude go together",
        ),
        (
            "occurred_at,category,source_agency,latitude,longitude\n2025-03-01,Noise,Council,40.4,-0.7\n",
            2,
            "not a point in Great Britain",
        ),
        (
            "occurred_at,category,source_agency,easting,northing\n2025-03-01,Noise,Council,48652x,278733\n",
            2,
            "easting '48652x' is not a number",
        ),
    ],
)
def test_it_refuses_a_bad_partner_file_with_file_and_line_and_stores_nothing(
    empty: Analytics, tmp_path: Path, text: str, line: int, message: str
) -> None:
    empty.ingest_partner([_write(tmp_path, "good.csv", ASB)])
    before = snapshot(empty.store.root)
    bad = _write(tmp_path, "bad.csv", text)
    with pytest.raises(IngestError) as caught:
        empty.ingest_partner([_write(tmp_path, "other.csv", NTE), bad])
    assert (caught.value.source, caught.value.line) == (str(bad), line)
    assert message in str(caught.value)
    assert snapshot(empty.store.root) == before


def test_it_refuses_a_partner_file_that_is_not_utf8(empty: Analytics, tmp_path: Path) -> None:
    bad = tmp_path / "latin1.csv"
    bad.write_bytes(
        "occurred_at,category,source_agency,postcode\n2025-03-01,Nuisance caf\xe9,Council,NN16 8BA\n".encode("latin-1")
    )
    with pytest.raises(IngestError, match=r"latin1.csv, line 2: bytes that are not UTF-8"):
        empty.ingest_partner([bad])
    assert snapshot(empty.store.root) == {}
