"""The DuckDB work tables of one kind's ingest, on either path, and each file's LSOA vintage read from its codes."""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources

import duckdb
import numpy as np

from ..errors import IngestError
from ..schema import FileKind, sql_str
from ..sources import SourceFile
from .settings import IngestSettings

# The highest English LSOA 2011 code: every higher E01 code was created in 2021.
LAST_ENGLISH_LSOA11 = "E01033768"
_RETIRED_LSOA11 = "lsoa11_codes_not_in_lsoa21_england_DERIVED.csv"


def _lsoa_vintage(source: SourceFile, has_2021: bool, has_2011: bool, settings: IngestSettings) -> int:
    if has_2021 and has_2011:
        raise IngestError(source.display, "the file mixes LSOA 2011 and LSOA 2021 codes")
    if settings.lsoa_vintage is not None:
        if (settings.lsoa_vintage == 2011 and has_2021) or (settings.lsoa_vintage == 2021 and has_2011):
            other = 2021 if settings.lsoa_vintage == 2011 else 2011
            raise IngestError(
                source.display,
                f"LSOA vintage {settings.lsoa_vintage} was asked for, but the file has {other} codes",
            )
        return settings.lsoa_vintage
    if has_2021:
        return 2021
    if has_2011:
        return 2011
    return settings.default_lsoa_vintage


def _work_tables(con: duckdb.DuckDBPyConnection, kind: FileKind, sources: Sequence[SourceFile]) -> None:
    """The work tables: ``files`` (one row per file, both paths); for the DuckDB path, ``pre`` (per file and distinct
    coordinate: rows, lowest and highest LSOA code) and ``located`` (per distinct coordinate: BNG metres and
    district)."""
    con.execute(
        """CREATE TABLE files (path VARCHAR, source VARCHAR, force VARCHAR, month DATE, month_key VARCHAR,
        idx INTEGER, lsoa_vintage SMALLINT);
        CREATE TABLE pre (idx INTEGER, lon DOUBLE, lat DOUBLE, n BIGINT, lsoa_min VARCHAR, lsoa_max VARCHAR);
        CREATE TABLE located (lon DOUBLE, lat DOUBLE, x DOUBLE, y DOUBLE, district VARCHAR)"""
    )
    con.register(
        "given",
        {
            "path": np.array([str(s.path) for s in sources], dtype=object),
            "source": np.array([s.display for s in sources], dtype=object),
            "force": np.array([s.force for s in sources], dtype=object),
            "month_key": np.array([s.month_key for s in sources], dtype=object),
            "idx": np.arange(len(sources), dtype=np.int32),
        },
    )
    con.execute(
        "INSERT INTO files SELECT path, source, force, CAST(month_key || '-01' AS DATE), month_key, idx, "
        "NULL FROM given"
    )
    con.unregister("given")
    if kind.has_lsoa:
        retired = resources.files("csphub.analytics.reference").joinpath(_RETIRED_LSOA11)
        with resources.as_file(retired) as retired_path:
            con.execute(
                "CREATE TEMP TABLE lsoa11_only AS SELECT lsoa11_code AS code "
                f"FROM read_csv({sql_str(str(retired_path))})"
            )


def _read_vintages(
    con: duckdb.DuckDBPyConnection,
    kind: FileKind,
    sources: Sequence[SourceFile],
    settings: IngestSettings,
    codes: str,
) -> None:
    """Each file's LSOA vintage, read from its codes: ``codes``, a relation (idx, code) of the files' distinct
    codes (or enough of them: the lowest and highest per coordinate)."""
    if not kind.has_lsoa:
        return
    flags = con.execute(
        f"""SELECT c.idx,
            coalesce(bool_or(regexp_full_match(c.code, 'E01[0-9]{{6}}') AND c.code > '{LAST_ENGLISH_LSOA11}'), false),
            coalesce(bool_or(old.code IS NOT NULL), false)
        FROM {codes} c LEFT JOIN lsoa11_only old ON c.code = old.code
        GROUP BY c.idx"""
    ).fetchall()
    vintages = {
        int(idx): _lsoa_vintage(sources[idx], has_2021, has_2011, settings) for idx, has_2021, has_2011 in flags
    }
    if vintages:
        con.register(
            "vintage",
            {"idx": np.array(list(vintages), dtype=np.int32), "v": np.array(list(vintages.values()), dtype=np.int16)},
        )
        con.execute("UPDATE files SET lsoa_vintage = vintage.v FROM vintage WHERE files.idx = vintage.idx")
        con.unregister("vintage")
