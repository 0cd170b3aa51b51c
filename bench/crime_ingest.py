"""Ingest speed: a year of all-force police.uk street files, csphub beside pandas.read_csv and bare DuckDB.

The files are generated to the scale of the national police.uk download (by default 44 forces x 12 months,
about 6.4 million rows, 530,000 a month) from the real shipped files: every generated row is a real row (crime
type, outcome, context, location name, LSOA, coordinates, and whether it has a location or a Crime ID at all),
drawn at random; each force gets its own copy of the real snap points, moved to its own part of England and
Wales (one force, Northamptonshire, keeps the real positions, so some rows fall in the districts). Force sizes
vary as a log-normal (seeded). The files are written under ``var/bench/`` (not committed) and kept for reruns.

Timed on the same files, each in a fresh process state:

- ``pandas.read_csv`` of every file (default options), concatenated;
- bare DuckDB: ``CREATE TABLE … AS SELECT * FROM read_csv([files])`` with the column types given (the
  practical limit of reading the files into memory), and the same with DuckDB's own type detection;
- bare DuckDB CSV -> Parquet: the same read written straight to one Parquet file per input file (no checks, no
  geography): the practical limit of any ingest that stores Parquet;
- pyarrow: ``pyarrow.csv.read_csv`` of every file (csphub's options: types given, text dictionary-encoded),
  several files at a time — the reader csphub's ingest uses, for reference (not the target's baseline);
- csphub: ``Analytics.ingest([folder])`` into an empty store — check every row, project and locate the
  coordinates, write one Parquet file per force and month.

Run (pandas comes with the bench extra)::

    .venv/bin/python bench/crime_ingest.py [--rows-per-month 530000] [--forces 44] [--months 12]
    [--regenerate]
"""

from __future__ import annotations

import argparse
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import duckdb
import numpy as np

from csphub.analytics.api import Analytics
from csphub.analytics.config import AnalyticsConfig
from csphub.analytics.ingest.arrow_path import _read_arrow
from csphub.analytics.schema import STREET
from csphub.analytics.sources import SourceFile, parse_file_name

PROJECT_DIR = Path(__file__).resolve().parents[1]  # the checkout: its data/ and var/

BENCH = PROJECT_DIR / "var" / "bench"
REAL = PROJECT_DIR / "data" / "police-uk"


def generate(folder: Path, forces: int, months: int, rows_per_month: int, seed: int) -> int:
    """Write the generated year; returns the number of rows."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    rng = np.random.default_rng(seed)
    con = duckdb.connect()
    real_files = sorted(str(p) for p in REAL.glob("*/*-street.csv"))
    con.execute(
        f"""CREATE TABLE real AS SELECT row_number() OVER () - 1 AS rn, *
        FROM read_csv({real_files}, header = true, all_varchar = true,
            delim = ',', quote = '"', escape = '"')"""
    )
    # "home" rows lie in the two real forces' own areas and are moved with the force; the few rows a force
    # records elsewhere keep their real positions.
    con.execute(
        """ALTER TABLE real ADD COLUMN home BOOLEAN;
        UPDATE real SET home = abs("Longitude"::DOUBLE + 0.6) < 1 AND abs("Latitude"::DOUBLE - 52.2) < 1"""
    )
    n_real = con.execute("SELECT count(*) FROM real").fetchall()[0][0]
    weights = rng.lognormal(0.0, 0.6, forces - 1)
    sizes = np.concatenate([[6_300], (rows_per_month - 6_300) * weights / weights.sum()]).astype(int)
    # Each other force's snap points are the real ones moved to a centre of its own within England and Wales.
    shift_lon = np.concatenate([[0.0], rng.uniform(-3.5, 1.0, forces - 1) - (-0.75)])
    shift_lat = np.concatenate([[0.0], rng.uniform(50.6, 54.8, forces - 1) - 52.3])
    names = ["northamptonshire", *(f"force-{i:02d}" for i in range(1, forces))]
    total = 0
    for month in range(1, months + 1):
        key = f"2024-{month:02d}"
        (folder / key).mkdir()
        for force, size, dlon, dlat in zip(names, sizes, shift_lon, shift_lat, strict=True):
            con.register("pick", {"i": np.arange(size), "rn": rng.integers(0, n_real, size)})
            label = force.replace("-", " ").title() + " Police"
            con.execute(
                f"""COPY (
                    SELECT
                        CASE WHEN r."Crime ID" IS NULL THEN NULL
                             ELSE sha256('{force}{key}' || p.i::VARCHAR) END AS "Crime ID",
                        '{key}' AS "Month", '{label}' AS "Reported by", '{label}' AS "Falls within",
                        printf('%.6f', r."Longitude"::DOUBLE + CASE WHEN r.home THEN {dlon} ELSE 0 END)
                            AS "Longitude",
                        printf('%.6f', r."Latitude"::DOUBLE + CASE WHEN r.home THEN {dlat} ELSE 0 END)
                            AS "Latitude",
                        r."Location", r."LSOA code", r."LSOA name", r."Crime type", r."Last outcome category",
                        r."Context"
                    FROM pick p JOIN real r USING (rn) ORDER BY p.i
                ) TO '{folder / key / f"{key}-{force}-street.csv"}' (HEADER, DELIMITER ',')"""
            )
            total += int(size)
    con.close()
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows-per-month", type=int, default=530_000)
    parser.add_argument("--forces", type=int, default=44)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--skip-pandas", action="store_true")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each DuckDB and csphub timing (best kept)")
    args = parser.parse_args()

    folder = BENCH / f"police-uk-year-{args.forces}x{args.months}x{args.rows_per_month}"
    if args.regenerate or not folder.exists():
        start = time.perf_counter()
        rows = generate(folder, args.forces, args.months, args.rows_per_month, args.seed)
        print(f"generated {rows:,} rows in {time.perf_counter() - start:.1f} s into {folder}")
    files = sorted(folder.glob("*/*-street.csv"))
    size = sum(f.stat().st_size for f in files)
    print(f"{len(files)} files, {size / 1e9:.2f} GB")
    # Per reader: rows, best wall seconds, and the processor seconds (all threads of this process) of that run;
    # on a shared machine the processor seconds vary less than the wall seconds.
    results: dict[str, tuple[int, float, float]] = {}

    if not args.skip_pandas:
        import pandas as pd

        start, cpu = time.perf_counter(), time.process_time()
        frame = pd.concat([pd.read_csv(f) for f in files], ignore_index=True)
        results["pandas.read_csv"] = (len(frame), time.perf_counter() - start, time.process_time() - cpu)
        del frame

    paths = [str(f) for f in files]
    # The dialect is given: DuckDB's sniffer, looking at rows without a quoted field, can settle on "no quote
    # character" and then split values such as "Bournemouth, Christchurch and Poole 044E" in two.
    dialect = "header = true, delim = ',', quote = '\"', escape = '\"'"
    bare_runs = {
        "DuckDB read_csv, types given": f"CREATE TABLE t AS SELECT * FROM read_csv({paths}, {dialect}, "
        f"columns = {STREET.csv_columns})",
        "DuckDB read_csv, types detected": f"CREATE TABLE t AS SELECT * FROM read_csv({paths}, {dialect})",
        "DuckDB CSV -> Parquet per force-month": f"COPY (SELECT * FROM read_csv({paths}, {dialect}, "
        f"columns = {STREET.csv_columns}, filename = true)) TO '{BENCH / 'bare-parquet'}' "
        "(FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1, PARTITION_BY (filename))",
    }
    for _ in range(args.repeat):
        for label, sql in bare_runs.items():
            shutil.rmtree(BENCH / "bare-parquet", ignore_errors=True)
            con = duckdb.connect()
            con.execute("SET partitioned_write_max_open_files = 4096")
            start, cpu = time.perf_counter(), time.process_time()
            con.execute(sql)
            seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
            rows = len(paths) if label.endswith("force-month") else 0
            if not rows:
                rows = int(con.execute("SELECT count(*) FROM t").fetchall()[0][0])
            else:
                rows = int(con.execute(f"SELECT count(*) FROM '{BENCH / 'bare-parquet'}/*/*.parquet'").fetchall()[0][0])
            con.close()
            if label not in results or seconds < results[label][1]:
                results[label] = (rows, seconds, cpu_seconds)

        sources = [SourceFile(str(f), f, *parse_file_name(f.name, str(f))) for f in files]
        start, cpu = time.perf_counter(), time.process_time()
        with ThreadPoolExecutor(max_workers=4) as pool:
            tables = list(pool.map(lambda s: _read_arrow(STREET, s), sources))
        seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
        label = "pyarrow.csv.read_csv (csphub's reader)"
        if label not in results or seconds < results[label][1]:
            results[label] = (sum(t.num_rows for t in tables if t is not None), seconds, cpu_seconds)
        del tables

        store = BENCH / "crime-store-ingest"
        shutil.rmtree(store, ignore_errors=True)
        app = Analytics(replace(AnalyticsConfig.from_env(), data_dir=store, reference_dir=PROJECT_DIR / "data"))
        start, cpu = time.perf_counter(), time.process_time()
        ingested = app.ingest([folder])
        seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
        if "csphub crime ingest" not in results or seconds < results["csphub crime ingest"][1]:
            results["csphub crime ingest"] = (ingested.rows, seconds, cpu_seconds)
    shutil.rmtree(BENCH / "bare-parquet", ignore_errors=True)

    bare = results["DuckDB read_csv, types given"][1]
    print(
        f"{'(best of ' + str(args.repeat) + ' for DuckDB and csphub)':40}"
        f"{'rows':>12}{'seconds':>10}{'rows/s':>14}"
        f"{'vs bare read':>14}{'cpu seconds':>13}"
    )
    for label, (rows, seconds, cpu_seconds) in results.items():
        print(
            f"{label:40}{rows:>12,}{seconds:>10.2f}{rows / seconds:>14,.0f}{seconds / bare:>13.2f}x{cpu_seconds:>13.2f}"
        )
    ratio = results["csphub crime ingest"][1] / bare
    print(f"csphub within 1.5x of bare DuckDB: {'OK' if ratio <= 1.5 else 'NO'} ({ratio:.2f}x)")
    located = sum(f.rows - f.unlocated for f in ingested.files)
    in_districts = sum(f.rows - f.unlocated - f.outside_districts for f in ingested.files)
    print(f"csphub: {located:,} rows located, {in_districts:,} of them in the Northamptonshire districts")


if __name__ == "__main__":
    main()
