"""The linkage engine's subcommands of ``csphub link`` (no database), for scripting and comparison with other tools.

    csphub link dedupe INPUT.csv --out clusters.csv [--threshold 0.7] [--pairs pairs.csv] [--save-model model.json]
    csphub link parse MAPPING.toml [MAPPING.toml …]          # import legacy exports: summary and quarantined rows
    csphub link explain MODEL.json INPUT.csv ID_A ID_B        # why two records score as they do

This module adds them to the one ``csphub link`` parser (:mod:`csphub.linkage.cli`, which also holds ``generate``,
``import`` and ``run``) and runs them; it imports nothing outside the engine but :mod:`csphub.common`.

``dedupe`` reads a CSV with any of the columns ``record_id, source, first_name, surname, date_of_birth, sex,
address, postcode`` (``record_id`` required; also accepted: ``given_name``, ``middle_names``, ``family_name``) and
writes ``record_id,cluster_id`` (``source,record_id,cluster_id`` when the input has a ``source`` column) for every
input row, in input order. Dates may be 1990-04-03, 03/04/1990 or partial (1990-04, 04/1990, 1990).

Exit status: 0 done, 1 the data could not be used (an unreadable file, repeated record ids), 2 a bad argument.
Messages go to standard error; a progress bar too, when standard error is a terminal (or with --progress).
"""

from __future__ import annotations

import argparse
import csv
import logging
from pathlib import Path
from typing import Any, TextIO, TypeAlias

from csphub.common import csvsafe
from csphub.common.dates import PartialDateError

from .errors import LinkageError, MappingError, SettingsError, SourceFileError
from .normalise import clean_postcode, compile_date_formats, parse_date
from .records import Record, RecordSet, date_to_text

# The ``add_subparsers()`` object of the ``csphub link`` parser.
Subcommands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"

INPUT_COLUMNS = {
    "record_id": "record_id",
    "source": "source",
    "first_name": "given_name",
    "given_name": "given_name",
    "middle_names": "middle_names",
    "surname": "family_name",
    "family_name": "family_name",
    "date_of_birth": "date_of_birth",
    "sex": "sex",
    "address": "address",
    "postcode": "postcode",
}
_SEX = {"f": "female", "female": "female", "m": "male", "male": "male", "u": "not_known", "not_known": "not_known"}


class UsageError(Exception):
    """A problem with the command line or the input's shape: exit status 2."""


def read_input(path: Path) -> tuple[RecordSet, bool, list[str]]:
    """The records of a dedupe input CSV, whether it has a source column, and warnings for the user."""
    formats = compile_date_formats(("%d/%m/%Y", "%Y-%m-%d"))
    warnings: list[str] = []
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise LinkageError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    rows: list[dict[str, Any]] = []
    seen: dict[tuple[str, str], int] = {}
    line = 0
    has_source = False
    bad_dates = 0
    with handle:
        try:
            reader = csv.reader(handle)
            header = [h.strip().lower() for h in next(reader, [])]
            if "record_id" not in header:
                raise UsageError(
                    f"{path}: has no record_id column (columns: {', '.join(header) or 'none'}); "
                    f"expected any of {', '.join(sorted(INPUT_COLUMNS))} with record_id required"
                )
            used = {i: INPUT_COLUMNS[h] for i, h in enumerate(header) if h in INPUT_COLUMNS}
            has_source = "source" in header
            line = reader.line_num
            for values in reader:
                start, line = line + 1, reader.line_num
                if not any(v.strip() for v in values):
                    continue
                row: dict[str, Any] = {"line": start, "source": ""}
                for i, target in used.items():
                    value = values[i].strip() if i < len(values) else ""
                    if value:
                        row[target] = value
                if not row.get("record_id"):
                    raise LinkageError(f"{path}, line {start}: record_id is empty (every row needs one)")
                key = (row["source"], row["record_id"])
                if key in seen:
                    what = f"{key[0]}:{key[1]}" if key[0] else key[1]
                    raise LinkageError(
                        f"{path}, line {start}: record_id {what!r} is used more than once (first at line {seen[key]})"
                    )
                seen[key] = start
                if "date_of_birth" in row:
                    try:
                        row["date_of_birth"] = date_to_text(parse_date(row["date_of_birth"], formats))
                    except PartialDateError:
                        bad_dates += 1
                        row["date_of_birth"] = None
                if "postcode" in row:
                    row["postcode"] = clean_postcode(row["postcode"]) or row["postcode"].upper()
                if "sex" in row:
                    row["sex"] = _SEX.get(row["sex"].lower())
                rows.append(row)
        except UnicodeDecodeError:
            raise LinkageError(f"{path}, line {line + 1}: is not UTF-8 text") from None
        except csv.Error as exc:
            raise LinkageError(f"{path}, line {line + 1}: is not readable as CSV: {exc}") from None
    if bad_dates:
        warnings.append(f"{bad_dates} date(s) of birth not understood: left empty")
    if not rows:
        raise LinkageError(f"{path}: has no rows")
    return RecordSet.from_rows(rows), has_source, warnings


def _dedupe(args: argparse.Namespace, err: TextIO) -> int:
    from .clustering import cluster
    from .pipeline import dedupe
    from .scoring import predict
    from .settings import LinkageSettings
    from .trained import TrainedModel

    records, has_source, warnings = read_input(args.input)
    for w in warnings:
        print(f"warning: {w}", file=err)
    settings = LinkageSettings(
        backend=args.backend,
        seed=args.seed,
        progress=args.progress,
        match_threshold=args.threshold,
        review_threshold=min(args.threshold, LinkageSettings.review_threshold),
        keep_threshold=min(args.threshold, LinkageSettings.keep_threshold),
    )
    if args.model:
        model = TrainedModel.load(args.model)
        predictions = predict(model, records, settings)
        clusters = cluster(predictions, args.threshold)
    else:
        result = dedupe(records, settings)
        model, predictions, clusters = result.model, result.predictions, result.clusters
        print("  ".join(f"{k} {v:.1f} s" for k, v in result.timings.items()), file=err)
    if args.save_model:
        model.save(args.save_model)
    ids = clusters.table.column("cluster_id").to_pylist()
    sources = clusters.table.column("source").to_pylist()
    record_ids = clusters.table.column("record_id").to_pylist()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", newline="", encoding="utf-8") as handle:
        writer = csvsafe.writer(handle, lineterminator="\n")  # record ids come from the input file
        if has_source:
            writer.writerow(["source", "record_id", "cluster_id"])
            writer.writerows(zip(sources, record_ids, ids, strict=True))
        else:
            writer.writerow(["record_id", "cluster_id"])
            writer.writerows(zip(record_ids, ids, strict=True))
    if args.pairs:
        keys = records.record_keys()
        with args.pairs.open("w", newline="", encoding="utf-8") as handle:
            writer = csvsafe.writer(handle, lineterminator="\n")
            writer.writerow(["record_id_l", "record_id_r", "match_weight", "match_probability"])
            table = predictions.pairs
            for left, right, weight, probability in zip(
                *(
                    table.column(c).to_pylist()
                    for c in ("unique_id_l", "unique_id_r", "match_weight", "match_probability")
                ),
                strict=True,
            ):
                writer.writerow([keys[left][1], keys[right][1], f"{weight:.4f}", f"{probability:.6f}"])
    print(
        f"{len(records)} records in {clusters.n_clusters} clusters at match probability >= {args.threshold} "
        f"(model {model.version}); written to {args.out}",
        file=err,
    )
    return 0


def _parse(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .parse import parse_source

    totals = [0, 0, 0]
    for mapping in args.mappings:
        parsed = parse_source(mapping, progress=args.progress)
        print(parsed.summary(), file=out)
        for q in parsed.quarantined:
            print(f"  quarantined: {q}", file=out)
        for w in parsed.warnings[: args.warnings]:
            print(f"  warning: {w}", file=out)
        if len(parsed.warnings) > args.warnings:
            print(f"  … and {len(parsed.warnings) - args.warnings} more warnings", file=out)
        totals[0] += parsed.rows_read
        totals[1] += parsed.rows_imported
        totals[2] += parsed.rows_quarantined
    print(f"total: {totals[0]} rows read, {totals[1]} imported, {totals[2]} quarantined", file=out)
    return 0


def _explain(args: argparse.Namespace, out: TextIO) -> int:
    from .explaining import explain
    from .trained import TrainedModel

    model = TrainedModel.load(args.model)
    records, _, _ = read_input(args.input)
    by_id: dict[str, Record] = {r.record_id: r for r in records}
    missing = [i for i in (args.id_a, args.id_b) if i not in by_id]
    if missing:
        raise LinkageError(f"{args.input}: no record_id {', '.join(missing)}")
    print(explain(model, by_id[args.id_a], by_id[args.id_b]).as_text(), file=out)
    return 0


def _probability(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a probability strictly between 0 and 1")
    return value


ENGINE_COMMANDS = ("dedupe", "parse", "explain")


def add_common_options(parser: argparse.ArgumentParser) -> None:
    """The options of ``csphub link`` itself (before the subcommand) that the engine's commands read."""
    parser.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show progress bars on standard error (default: only when it is a terminal)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log Splink's steps to standard error")


def add_dedupe(commands: Subcommands) -> None:
    d = commands.add_parser(
        "dedupe",
        help="cluster the records of one CSV into people (no database)",
        description="Train a model on one CSV (or load a saved one), score its pairs and cluster them into people. "
        "Columns: record_id (required), source, first_name/given_name, middle_names, surname/family_name, "
        "date_of_birth, sex, address, postcode. Writes record_id,cluster_id for every row, in input order.",
    )
    d.add_argument("input", type=Path, help="the CSV of records")
    d.add_argument("--out", type=Path, required=True, help="where to write record_id,cluster_id")
    d.add_argument("--threshold", type=_probability, default=0.7, help="match probability to join (default 0.7)")
    d.add_argument("--pairs", type=Path, help="also write the scored pairs here")
    d.add_argument("--model", type=Path, help="use this saved model instead of training one")
    d.add_argument("--save-model", type=Path, help="save the trained model here (JSON)")
    d.add_argument("--backend", choices=("duckdb", "spark"), default="duckdb", help="Splink's backend (default duckdb)")
    d.add_argument("--seed", type=int, default=20210401, help="the training's random seed")


def add_parse(commands: Subcommands) -> None:
    p = commands.add_parser(
        "parse",
        help="read legacy exports through their mappings and report (no database)",
        description="Read each mapping's export as `csphub link import` would, without a database: print what "
        "would import, the quarantined rows with their reasons, and field warnings.",
    )
    p.add_argument("mappings", nargs="+", type=Path, help="mapping files (TOML or JSON; their [source] file is read)")
    p.add_argument("--warnings", type=int, default=20, help="field warnings to list per source (default 20)")


def add_explain(commands: Subcommands) -> None:
    e = commands.add_parser(
        "explain",
        help="why two records of a CSV score as they do under a saved model (no database)",
        description="Show, field by field, how a saved model (dedupe --save-model) weighs two records of a CSV.",
    )
    e.add_argument("model", type=Path, help="a model saved by dedupe --save-model")
    e.add_argument("input", type=Path, help="the CSV holding both records (as for dedupe)")
    e.add_argument("id_a", help="the record_id of one record")
    e.add_argument("id_b", help="the record_id of the other")


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run one of ``ENGINE_COMMANDS`` as parsed; the exit status (1 unusable data, 2 a bad argument)."""
    if args.verbose:
        logging.basicConfig(level=logging.INFO, stream=err, format="%(message)s")
    else:
        logging.getLogger("splink").setLevel(logging.ERROR)
    try:
        if args.command == "dedupe":
            return _dedupe(args, err)
        if args.command == "parse":
            return _parse(args, out, err)
        return _explain(args, out)
    except (UsageError, SettingsError, MappingError) as exc:
        print(f"error: {exc}", file=err)
        return 2
    except (LinkageError, SourceFileError) as exc:
        print(f"error: {exc}", file=err)
        return 1
