"""The comparison columns the model reads, derived from canonical records once, column-wise in DuckDB.

Names are folded (:func:`csphub.common.names.fold`: lower-case ASCII, punctuation dropped) and keyed by
Metaphone (:func:`csphub.common.names.key`), as the register's own search does; given names also carry their
nickname groups from ``data/nicknames.csv`` ("Bill" and "William" share the group "william"). Dates of birth are
split into year, month and day (any may be missing); postcodes into sector and district; addresses into tokens with
the usual abbreviations spelled out ("Rd" → "road"), the house number picked out, and character trigrams (hashed to
integers) for fuzzy comparison; a split address (street, locality, town, county) keeps its parts apart.

Python runs once per distinct name; everything else is SQL, so a million records take a few seconds.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from functools import lru_cache
from importlib import resources
from typing import Any

import duckdb
import pyarrow as pa

from csphub.common.names import fold, key

from .records import RecordSet

FEATURE_COLUMNS = (
    "unique_id",
    "source",
    "given",
    "given_mp",
    "given_nick",
    "given_nick1",
    "given_init",
    "middle_tokens",
    "middle_init",
    "family",
    "family_mp",
    "family_tokens",
    "family_init",
    "dob",
    "dob_y",
    "dob_m",
    "dob_d",
    "dob_ym",
    "sex",
    "postcode",
    "pc_sector",
    "pc_district",
    "addr",
    "addr_tokens",
    "house_number",
    "addr_grams",
    "locality",
    "town",
    "county",
)
ABBREVIATIONS = {
    "rd": "road",
    "st": "street",
    "str": "street",
    "ave": "avenue",
    "av": "avenue",
    "cl": "close",
    "ct": "court",
    "crt": "court",
    "cres": "crescent",
    "cresc": "crescent",
    "cr": "crescent",
    "dr": "drive",
    "drv": "drive",
    "gdns": "gardens",
    "gro": "grove",
    "gr": "grove",
    "ln": "lane",
    "pl": "place",
    "sq": "square",
    "ter": "terrace",
    "terr": "terrace",
    "wy": "way",
    "pk": "park",
    "hse": "house",
    "flt": "flat",
    "apt": "flat",
    "apartment": "flat",
    "nth": "north",
    "sth": "south",
    "nr": "near",
    "mt": "mount",
    "blvd": "boulevard",
    "cir": "circuit",
    "cct": "circuit",
}


@lru_cache(maxsize=1)
def nickname_groups() -> dict[str, tuple[str, ...]]:
    """Folded given name → the full names whose group it belongs to (a full name belongs to its own group)."""
    groups: dict[str, set[str]] = defaultdict(set)
    text = resources.files("csphub.linkage.engine").joinpath("data/nicknames.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    for row in rows:
        name, nick = fold(row["name"]), fold(row["nickname"])
        if name and nick:
            groups[name].add(name)
            groups[nick].add(name)
    return {n: tuple(sorted(g)) for n, g in groups.items()}


def _name_features(value: str) -> tuple[Any, ...]:
    folded = fold(value)
    tokens = folded.split()
    return (value, folded or None, tokens)


def _given_features(first: str) -> tuple[Any, ...]:
    groups = nickname_groups().get(first, (first,))
    return (first, key(first) or None, list(groups), groups[0])


def _family_features(family: str) -> tuple[Any, ...]:
    return (family, key(family.replace(" ", "")) or None, list(dict.fromkeys(family.split())))


def _map_table(rows: list[tuple[Any, ...]], schema: pa.Schema) -> pa.Table:
    columns: list[Any] = list(zip(*rows, strict=True)) if rows else [() for _ in schema]
    return pa.table([pa.array(list(c), f.type) for c, f in zip(columns, schema, strict=True)], schema=schema)


def _abbreviation_case() -> str:
    whens = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in ABBREVIATIONS.items())
    return f"CASE t {whens} ELSE t END"


def _place(column: str) -> str:
    """A locality, town or county folded for comparison (lower-case ASCII letters and digits, single spaces)."""
    return f"NULLIF(trim(regexp_replace(lower(strip_accents(coalesce(r.{column}, ''))), '[^a-z0-9]+', ' ', 'g')), '')"


# A record with its address in parts: the address comparison reads the street, the other parts are compared apart.
_SPLIT = "(r.street IS NOT NULL OR r.locality IS NOT NULL OR r.town IS NOT NULL OR r.county IS NOT NULL)"


def build_features(con: duckdb.DuckDBPyConnection, records: RecordSet, table: str = "features") -> None:
    """Create ``table`` in ``con``: one row of :data:`FEATURE_COLUMNS` per record, ``unique_id`` its position."""
    con.register("__records", records.table)
    try:
        con.execute(
            """
            CREATE OR REPLACE TEMP TABLE __rec AS
            SELECT (row_number() OVER () - 1)::BIGINT AS unique_id, * EXCLUDE (raw, row_key, line)
            FROM __records
            """
        )
        # Names: Python once per distinct value.
        values = con.execute(
            """
            SELECT DISTINCT v FROM (
              SELECT given_name AS v FROM __rec UNION ALL SELECT middle_names FROM __rec
              UNION ALL SELECT family_name FROM __rec) WHERE v IS NOT NULL
            """
        ).fetchall()
        name_schema = pa.schema([("v", pa.string()), ("folded", pa.string()), ("tokens", pa.list_(pa.string()))])
        con.register("__names", _map_table([_name_features(v) for (v,) in values], name_schema))
        con.execute(
            """
            CREATE OR REPLACE TEMP TABLE __rec_names AS
            SELECT r.unique_id,
                   g.tokens[1] AS given,
                   list_concat(g.tokens[2:], coalesce(m.tokens, [])) AS middle_tokens,
                   f.folded AS family
            FROM __rec r
            LEFT JOIN __names g ON g.v = r.given_name
            LEFT JOIN __names m ON m.v = r.middle_names
            LEFT JOIN __names f ON f.v = r.family_name
            """
        )
        givens = con.execute("SELECT DISTINCT given FROM __rec_names WHERE given IS NOT NULL").fetchall()
        given_schema = pa.schema(
            [("v", pa.string()), ("mp", pa.string()), ("nick", pa.list_(pa.string())), ("nick1", pa.string())]
        )
        con.register("__givens", _map_table([_given_features(v) for (v,) in givens], given_schema))
        families = con.execute("SELECT DISTINCT family FROM __rec_names WHERE family IS NOT NULL").fetchall()
        family_schema = pa.schema([("v", pa.string()), ("mp", pa.string()), ("tokens", pa.list_(pa.string()))])
        con.register("__families", _map_table([_family_features(v) for (v,) in families], family_schema))
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE {table} AS
            WITH a AS (
              SELECT r.unique_id, r.source, r.date_of_birth AS d, r.sex, r.postcode, r.address,
                     list_filter(string_split(trim(regexp_replace(lower(strip_accents(coalesce(
                       CASE WHEN {_SPLIT} THEN r.street ELSE r.address END, ''))),
                                 '[^a-z0-9]+', ' ', 'g')), ' '), lambda t: t <> '') AS raw_tokens,
                     {_place("locality")} AS locality, {_place("town")} AS town, {_place("county")} AS county
              FROM __rec r
            ), b AS (
              SELECT *, list_transform(raw_tokens, lambda t: {_abbreviation_case()}) AS tokens,
                     upper(trim(regexp_replace(coalesce(postcode, ''), '\\s+', ' ', 'g'))) AS pc,
                     array_to_string(list_transform(raw_tokens, lambda t: {_abbreviation_case()}), '') AS squeezed
              FROM a
            )
            SELECT b.unique_id, b.source,
                   n.given, g.mp AS given_mp, g.nick AS given_nick, g.nick1 AS given_nick1,
                   substr(n.given, 1, 1) AS given_init,
                   CASE WHEN len(n.middle_tokens) > 0 THEN n.middle_tokens END AS middle_tokens,
                   CASE WHEN len(n.middle_tokens) > 0 THEN substr(n.middle_tokens[1], 1, 1) END AS middle_init,
                   n.family, f.mp AS family_mp, f.tokens AS family_tokens, substr(n.family, 1, 1) AS family_init,
                   CASE WHEN length(b.d) = 10 THEN b.d END AS dob,
                   TRY_CAST(substr(b.d, 1, 4) AS INTEGER) AS dob_y,
                   CASE WHEN length(b.d) >= 7 THEN TRY_CAST(substr(b.d, 6, 2) AS INTEGER) END AS dob_m,
                   CASE WHEN length(b.d) = 10 THEN TRY_CAST(substr(b.d, 9, 2) AS INTEGER) END AS dob_d,
                   CASE WHEN length(b.d) >= 7 THEN substr(b.d, 1, 7) END AS dob_ym,
                   CASE WHEN b.sex IN ('female', 'male') THEN b.sex END AS sex,
                   NULLIF(b.pc, '') AS postcode,
                   NULLIF(regexp_extract(b.pc, '^([A-Z]{{1,2}}[0-9][A-Z0-9]? [0-9])[A-Z]{{2}}$', 1), '') AS pc_sector,
                   NULLIF(regexp_extract(b.pc, '^([A-Z]{{1,2}}[0-9][A-Z0-9]?) [0-9][A-Z]{{2}}$', 1), '')
                     AS pc_district,
                   b.locality, b.town, b.county,
                   NULLIF(array_to_string(b.tokens, ' '), '') AS addr,
                   CASE WHEN len(b.tokens) > 0 THEN list_distinct(b.tokens) END AS addr_tokens,
                   list_filter(b.tokens, lambda t: regexp_matches(t, '^[0-9]+[a-z]?$'))[1] AS house_number,
                   CASE WHEN length(b.squeezed) >= 3 THEN list_distinct(list_transform(
                     range(1, length(b.squeezed) - 1),
                     lambda i: (hash(substr(b.squeezed, i, 3)) % 2147483647)::INTEGER)) END AS addr_grams
            FROM b
            JOIN __rec_names n USING (unique_id)
            LEFT JOIN __givens g ON g.v = n.given
            LEFT JOIN __families f ON f.v = n.family
            ORDER BY b.unique_id
            """
        )
    finally:
        for name in ("__records", "__names", "__givens", "__families"):
            con.unregister(name)
        con.execute("DROP TABLE IF EXISTS __rec")
        con.execute("DROP TABLE IF EXISTS __rec_names")


def features_table(records: RecordSet) -> pa.Table:
    """The features of ``records`` as an Arrow table (for backends other than DuckDB, and for tests)."""
    con = duckdb.connect()
    try:
        build_features(con, records)
        return con.sql("SELECT * FROM features ORDER BY unique_id").to_arrow_table()
    finally:
        con.close()
