"""One million records from four district registers: import, train, predict and cluster, timed stage by stage.

The four exports (three CSV schemas and one XLSX workbook, with their mapping files and a truth file) are made by
csphub's seeded generator in a child process the first time (``var/bench/linkage-1m``), so that generating them
counts neither in the time nor in the memory. The run then parses the four files through their mappings, derives
the comparison columns, trains the model without labels, scores the blocked pairs and clusters them, and prints
each stage's seconds, the peak resident memory of the process, and pairwise precision, recall and F1 against the
generator's true identities (pairs implied by the clusters, and pairs scored at or above the threshold).

    .venv/bin/python bench/linkage_1m.py [--people 606000] [--seed 20210401] [--threads 2] [--regenerate]
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import shutil
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def _generate(directory: str, people: int, seed: int) -> None:
    from csphub.linkage.synthetic.registers import SyntheticSettings, generate_exports

    generate_exports(directory, SyntheticSettings(people=people, seed=seed, bad_rows_per_source=25))


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=606_000, help="true identities (about 1.65 records each)")
    parser.add_argument("--seed", type=int, default=20210401)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--out", type=Path, default=REPO / "var" / "bench" / "linkage-1m")
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args()

    directory = args.out
    marker = directory / f".people-{args.people}-seed-{args.seed}"
    if args.regenerate or not marker.exists():
        shutil.rmtree(directory, ignore_errors=True)
        print(f"generating {args.people:,} people's records into {directory} (once) …", flush=True)
        start = time.perf_counter()
        child = multiprocessing.get_context("spawn").Process(
            target=_generate, args=(str(directory), args.people, args.seed)
        )
        child.start()
        child.join()
        if child.exitcode != 0:
            raise SystemExit("generation failed")
        marker.touch()
        print(f"generated in {time.perf_counter() - start:.1f} s", flush=True)

    import logging

    from csphub.linkage.engine.evaluate import score_clusters, score_predictions
    from csphub.linkage.engine.parse import parse_source
    from csphub.linkage.engine.pipeline import dedupe
    from csphub.linkage.engine.records import RecordSet
    from csphub.linkage.engine.settings import LinkageSettings
    from csphub.linkage.synthetic.registers import DISTRICT_KEYS, load_truth

    logging.getLogger("splink").setLevel(logging.ERROR)
    settings = LinkageSettings(threads=args.threads)
    timings: dict[str, float] = {}
    start = time.perf_counter()
    parsed = [parse_source(directory / f"{key}.toml", progress=False) for key in DISTRICT_KEYS]
    records = RecordSet.concat(p.records for p in parsed)
    timings["import (4 files through their mappings)"] = time.perf_counter() - start
    result = dedupe(records, settings)
    timings["features"] = result.timings["features"]
    timings["train (u sampling, 3 EM rounds)"] = result.timings["train"]
    timings["predict"] = result.timings["predict"]
    timings["cluster"] = result.timings["cluster"]
    total = sum(timings.values())
    peak = peak_rss_mb()

    truth = load_truth(directory / "truth.csv")
    by_cluster = score_clusters(result.clusters, truth.identities)
    by_pairs = score_predictions(result.predictions, truth.identities, settings.match_threshold)

    print()
    for p in parsed:
        print(f"  {p.summary()}")
    rows = sum(p.rows_read for p in parsed)
    quarantined = sum(p.rows_quarantined for p in parsed)
    expected = len(truth.quarantined)
    print(
        f"rows read {rows:,}; imported {len(records):,}; quarantined {quarantined:,} (the generator made "
        f"{expected:,} bad rows)"
    )
    print(f"blocking rules used: {len(result.predictions.blocking_rules)}; pairs kept: {len(result.predictions):,}")
    print()
    print("| stage | seconds |")
    print("|---|---:|")
    for name, seconds in timings.items():
        print(f"| {name} | {seconds:.1f} |")
    print(f"| **total** | **{total:.1f}** |")
    print()
    print(f"peak resident memory: {peak:,.0f} MB")
    print(f"true people among imported records: {truth.people:,}; clusters: {result.clusters.n_clusters:,}")
    print(f"model {result.model.version}")
    print(f"pairwise, clusters at match probability >= {settings.match_threshold}: {by_cluster}")
    print(f"pairwise, scored pairs at match probability >= {settings.match_threshold}: {by_pairs}")


if __name__ == "__main__":
    main()
