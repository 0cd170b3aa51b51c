from __future__ import annotations

import csv
import io
from pathlib import Path

from csphub.linkage.cli import main
from csphub.linkage.engine.cli import read_input
from csphub.linkage.engine.records import RecordSet
from csphub.linkage.synthetic.registers import Truth

COLUMNS = ["record_id", "source", "first_name", "surname", "date_of_birth", "sex", "address", "postcode"]


def _write_input(path: Path, records: RecordSet, with_source: bool = False) -> None:
    columns = COLUMNS if with_source else [c for c in COLUMNS if c != "source"]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for r in records:
            values = {
                "record_id": f"{r.source}/{r.record_id}" if not with_source else r.record_id,
                "source": r.source,
                "first_name": r.given_name,
                "surname": r.family_name,
                "date_of_birth": str(r.date_of_birth or ""),
                "sex": r.sex,
                "address": r.address,
                "postcode": r.postcode,
            }
            writer.writerow([values[c] for c in columns])


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_dedupe_writes_a_cluster_for_every_row(tmp_path: Path, legacy_records: RecordSet, legacy_truth: Truth) -> None:
    source = tmp_path / "people.csv"
    _write_input(source, legacy_records)
    out = tmp_path / "clusters.csv"
    model = tmp_path / "model.json"
    code, _, err = _run(
        "dedupe", str(source), "--out", str(out), "--save-model", str(model), "--pairs", str(tmp_path / "pairs.csv")
    )
    assert code == 0, err
    rows = list(csv.DictReader(out.open()))
    assert [r["record_id"] for r in rows] == [f"{s}/{i}" for s, i in legacy_records.record_keys()]
    assert list(rows[0]) == ["record_id", "cluster_id"]
    clusters = {r["cluster_id"] for r in rows}
    assert abs(len(clusters) - legacy_truth.people) / legacy_truth.people < 0.05
    assert model.exists() and (tmp_path / "pairs.csv").exists()
    # the saved model gives the same clusters
    again = tmp_path / "again.csv"
    code, _, err = _run("dedupe", str(source), "--out", str(again), "--model", str(model))
    assert code == 0, err
    assert again.read_text() == out.read_text()
    code, text, err = _run("explain", str(model), str(source), rows[0]["record_id"], rows[1]["record_id"])
    assert code == 0 and "match probability" in text, err


def test_dedupe_keeps_sources_apart_when_given(tmp_path: Path, legacy_records: RecordSet) -> None:
    source = tmp_path / "people.csv"
    _write_input(source, legacy_records, with_source=True)
    out = tmp_path / "clusters.csv"
    code, _, err = _run("dedupe", str(source), "--out", str(out), "--threshold", "0.9")
    assert code == 0, err
    header = out.read_text().splitlines()[0]
    assert header == "source,record_id,cluster_id"


def test_dedupe_errors_are_clear(tmp_path: Path) -> None:
    no_id = tmp_path / "no_id.csv"
    no_id.write_text("first_name,surname\nJohn,Smith\n")
    code, _, err = _run("dedupe", str(no_id), "--out", str(tmp_path / "o.csv"))
    assert code == 2 and "has no record_id column" in err
    dupes = tmp_path / "dupes.csv"
    dupes.write_text("record_id,first_name,surname\n1,John,Smith\n2,Jane,Doe\n1,Jon,Smith\n")
    code, _, err = _run("dedupe", str(dupes), "--out", str(tmp_path / "o.csv"))
    assert code == 1 and "'1' is used more than once (first at line 2)" in err and "line 4" in err
    code, _, err = _run("dedupe", str(tmp_path / "missing.csv"), "--out", str(tmp_path / "o.csv"))
    assert code == 1 and "cannot be read" in err
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"record_id,surname\n1,\xff\xfe\n")
    code, _, err = _run("dedupe", str(binary), "--out", str(tmp_path / "o.csv"))
    assert code == 1 and "not UTF-8" in err
    code, _, err = _run("dedupe", str(dupes), "--out", str(tmp_path / "o.csv"), "--threshold", "2")
    assert code == 2


def test_parse_and_generate_commands(tmp_path: Path) -> None:
    code, text, err = _run("generate", str(tmp_path / "legacy"), "--people", "60", "--bad-rows", "5", "--csv")
    assert code == 0, err
    mappings = sorted(str(p) for p in (tmp_path / "legacy").glob("*.toml"))
    assert len(mappings) == 4
    code, text, err = _run("parse", *mappings)
    assert code == 0, err
    assert text.count("quarantined:") == 20
    assert "total:" in text
    broken = tmp_path / "broken.toml"
    broken.write_text('[source]\nkey = "x"\n')
    code, _, err = _run("parse", str(broken))
    assert code == 2 and "record_id is required" in err and "needs a name" in err


def test_the_shipped_dedupe_input_is_the_parsed_exports(legacy_records: RecordSet) -> None:
    """``data/legacy/people.csv`` (what the wheel check dedupes) holds the four exports' records as parsed."""
    shipped, has_source, warnings = read_input(Path(__file__).resolve().parents[3] / "data" / "legacy" / "people.csv")
    assert has_source and not warnings
    assert shipped.record_keys() == legacy_records.record_keys()
    fields = ("given_name", "family_name", "date_of_birth", "sex", "address", "postcode")
    for ours, parsed in zip(shipped, legacy_records, strict=True):
        assert [getattr(ours, f) or None for f in fields] == [getattr(parsed, f) or None for f in fields]
