"""The police.uk file formats: headers, typed columns, the checks every row must pass, and crime-type names.

police.uk publishes three monthly files per force, named ``YYYY-MM-<force>-<kind>.csv``: ``street`` (crimes
and anti-social behaviour), ``outcomes`` (outcomes recorded that month for crimes of that or earlier months,
joined to the crimes by Crime ID) and ``stop-and-search``. Each format is described once here, as data the
ingest turns into SQL: the exact header, the DuckDB type of each column (a value that does not parse is
reported with its line), the row checks (a SQL condition that is true for a bad row, and the message for it),
and the SQL that makes the stored columns.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from csphub.geography import GB_LAT_RANGE, GB_LON_RANGE

# --- crime types
# ---------------------------------------------------------------------------------------------------- The
# names police.uk uses today, and the older names found in earlier files. Categories changed twice: in 2013
# "Violent crime" became "Violence and sexual offences" and "Bicycle theft" and "Theft from the person" were
# split out of "Other theft"; in 2014 "Public disorder and weapons" was split into "Public order" and
# "Possession of weapons".
CURRENT_CRIME_TYPES: tuple[str, ...] = (
    "Anti-social behaviour",
    "Bicycle theft",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other crime",
    "Other theft",
    "Possession of weapons",
    "Public order",
    "Robbery",
    "Shoplifting",
    "Theft from the person",
    "Vehicle crime",
    "Violence and sexual offences",
)
OLD_CRIME_TYPES: tuple[str, ...] = ("Violent crime", "Public disorder and weapons")

# A series groups the names whose counts stay comparable across the renames (a year-on-year comparison over
# 2013 or 2014 compares series, not names). Every name not listed is its own series.
_SERIES: Mapping[str, str] = {
    "Violent crime": "Violence and sexual offences",
    "Public disorder and weapons": "Public order and weapons",
    "Public order": "Public order and weapons",
    "Possession of weapons": "Public order and weapons",
    "Other theft": "Other theft, bicycle theft and theft from the person",
    "Bicycle theft": "Other theft, bicycle theft and theft from the person",
    "Theft from the person": "Other theft, bicycle theft and theft from the person",
}
KNOWN_CRIME_TYPES: tuple[str, ...] = CURRENT_CRIME_TYPES + OLD_CRIME_TYPES


def sql_str(value: str) -> str:
    """A SQL string literal (single quotes doubled)."""
    return "'" + value.replace("'", "''") + "'"


def _sql_list(values: tuple[str, ...] | list[str]) -> str:
    return "(" + ", ".join(sql_str(v) for v in values) + ")"


def crime_series_of(crime_type: str) -> str:
    """The series a police.uk crime type belongs to (itself when it is in none)."""
    return _SERIES.get(crime_type, crime_type)


def crime_series_sql(column: str) -> str:
    """A SQL expression giving the series of the crime type held in ``column``."""
    cases = " ".join(f"WHEN {sql_str(name)} THEN {sql_str(series)}" for name, series in _SERIES.items())
    return f"CASE {column} {cases} ELSE {column} END"


# --- checks
# ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Check:
    """A row rule: ``violation``, a SQL condition true for a bad row; ``message``, a SQL string expression."""

    violation: str
    message: str


def _quoted(column: str) -> str:
    return 'r."' + column + '"'


def _show(column: str) -> str:
    """SQL showing a raw value in a message: quoted, or (empty)."""
    return f"coalesce('''' || {_quoted(column)}::VARCHAR || '''', '(empty)')"


_LAT0, _LAT1 = GB_LAT_RANGE
_LON0, _LON1 = GB_LON_RANGE

COORDINATE_CHECKS: tuple[Check, ...] = (
    Check(
        violation='(r."Longitude" IS NULL) <> (r."Latitude" IS NULL)',
        message="'a longitude without a latitude, or a latitude without a longitude'",
    ),
    Check(
        violation=(
            f'r."Latitude" NOT BETWEEN {_LAT0} AND {_LAT1} OR r."Longitude" NOT BETWEEN {_LON0} AND {_LON1} '
            'OR isnan(r."Latitude") OR isnan(r."Longitude")'
        ),
        message=(
            "'latitude ' || r.\"Latitude\" || ', longitude ' || r.\"Longitude\" || ' is not a point in Great Britain'"
        ),
    ),
)

MONTH_CHECK = Check(
    violation='r."Month" IS DISTINCT FROM f.month_key',
    message=f"'month ' || {_show('Month')} || ' in a file for ' || f.month_key",
)

# ONS (GSS) codes are a letter and eight digits, e.g. E01026949.
LSOA_CHECK = Check(
    violation="NOT regexp_full_match(r.\"LSOA code\", '[A-Z][0-9]{8}')",
    message=f"'LSOA code ' || {_show('LSOA code')} || ' is not an ONS code (a letter and eight digits)'",
)


def _required(column: str) -> Check:
    return Check(violation=f"{_quoted(column)} IS NULL", message=f"'{column} is empty'")


def _boolean(column: str) -> Check:
    return Check(
        violation=f"{_quoted(column)} NOT IN ('True', 'False')",
        message=f"'{column} ' || {_show(column)} || ' is not True or False'",
    )


def _sql_bool(column: str) -> str:
    return f"CASE {_quoted(column)} WHEN 'True' THEN true WHEN 'False' THEN false END"


# --- file kinds
# -----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FileKind:
    name: str  # as in the file name: street, outcomes, stop-and-search
    folder: str  # the store's folder for this kind
    types: tuple[tuple[str, str], ...]  # (header name, DuckDB type) in file order
    checks: tuple[Check, ...]
    # SQL select list making the stored columns from the raw row ``r``, the file row ``f`` (force, month,
    # lsoa_vintage) and the geography row ``g`` (x, y, district), in the stored order. Where each row came
    # from is kept once per stored file, in its Parquet metadata (see CrimeStore.partitions).
    select: str
    # The same stored columns made without SQL, for the pyarrow path of the ingest: (stored name, source), the
    # source a header name or one of @month, @x, @y, @district, @force, @lsoa_vintage. None: SQL only.
    arrow_columns: tuple[tuple[str, str], ...] | None = None

    @property
    def header(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.types)

    @property
    def csv_columns(self) -> dict[str, str]:
        return dict(self.types)

    @property
    def has_lsoa(self) -> bool:
        return "LSOA code" in self.header


_CRIME_TYPE_CHECK = Check(
    violation=f'r."Crime type" NOT IN {_sql_list(KNOWN_CRIME_TYPES)} OR r."Crime type" IS NULL',
    message=f"'unknown crime type ' || {_show('Crime type')}",
)

# The columns street and outcomes files share, in order; and how both make their stored columns from them.
_CRIME_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Crime ID", "VARCHAR"),
    ("Month", "VARCHAR"),
    ("Reported by", "VARCHAR"),
    ("Falls within", "VARCHAR"),
    ("Longitude", "DOUBLE"),
    ("Latitude", "DOUBLE"),
    ("Location", "VARCHAR"),
    ("LSOA code", "VARCHAR"),
    ("LSOA name", "VARCHAR"),
)
_CRIME = """
    r."Crime ID" AS crime_id, f.month AS month, r."Reported by" AS reported_by, r."Falls within" AS falls_within,
    r."Longitude" AS longitude, r."Latitude" AS latitude, g.x AS x, g.y AS y, r."Location" AS location,
    r."LSOA code" AS lsoa_code, r."LSOA name" AS lsoa_name,
    CAST(CASE WHEN r."LSOA code" IS NULL THEN NULL ELSE f.lsoa_vintage END AS SMALLINT) AS lsoa_vintage"""

_CRIME_ARROW: tuple[tuple[str, str], ...] = (
    ("crime_id", "Crime ID"),
    ("month", "@month"),
    ("reported_by", "Reported by"),
    ("falls_within", "Falls within"),
    ("longitude", "Longitude"),
    ("latitude", "Latitude"),
    ("x", "@x"),
    ("y", "@y"),
    ("location", "Location"),
    ("lsoa_code", "LSOA code"),
    ("lsoa_name", "LSOA name"),
    ("lsoa_vintage", "@lsoa_vintage"),
)

STREET = FileKind(
    name="street",
    folder="street",
    types=(
        *_CRIME_COLUMNS,
        ("Crime type", "VARCHAR"),
        ("Last outcome category", "VARCHAR"),
        ("Context", "VARCHAR"),
    ),
    checks=(MONTH_CHECK, *COORDINATE_CHECKS, LSOA_CHECK, _CRIME_TYPE_CHECK),
    select=f"""{_CRIME},
    r."Crime type" AS crime_type,
    r."Last outcome category" AS last_outcome_category, r."Context" AS context,
    g.district AS district, f.force AS force""",
    arrow_columns=(
        *_CRIME_ARROW,
        ("crime_type", "Crime type"),
        ("last_outcome_category", "Last outcome category"),
        ("context", "Context"),
        ("district", "@district"),
        ("force", "@force"),
    ),
)

OUTCOMES = FileKind(
    name="outcomes",
    folder="outcomes",
    types=(*_CRIME_COLUMNS, ("Outcome type", "VARCHAR")),
    checks=(MONTH_CHECK, _required("Crime ID"), *COORDINATE_CHECKS, LSOA_CHECK, _required("Outcome type")),
    select=f"""{_CRIME},
    r."Outcome type" AS outcome_type,
    g.district AS district, f.force AS force""",
    arrow_columns=(*_CRIME_ARROW, ("outcome_type", "Outcome type"), ("district", "@district"), ("force", "@force")),
)

STOP_AND_SEARCH = FileKind(
    name="stop-and-search",
    folder="stop_and_search",
    types=(
        ("Type", "VARCHAR"),
        ("Date", "VARCHAR"),
        ("Part of a policing operation", "VARCHAR"),
        ("Policing operation", "VARCHAR"),
        ("Latitude", "DOUBLE"),
        ("Longitude", "DOUBLE"),
        ("Gender", "VARCHAR"),
        ("Age range", "VARCHAR"),
        ("Self-defined ethnicity", "VARCHAR"),
        ("Officer-defined ethnicity", "VARCHAR"),
        ("Legislation", "VARCHAR"),
        ("Object of search", "VARCHAR"),
        ("Outcome", "VARCHAR"),
        ("Outcome linked to object of search", "VARCHAR"),
        ("Removal of more than just outer clothing", "VARCHAR"),
    ),
    checks=(
        _required("Type"),
        Check(
            violation='try_cast(r."Date" AS TIMESTAMPTZ) IS NULL',
            message=f"'Date ' || {_show('Date')} || ' is not a date and time (e.g. 2024-03-01T08:47:00+00:00)'",
        ),
        _boolean("Part of a policing operation"),
        *COORDINATE_CHECKS,
        _boolean("Outcome linked to object of search"),
        _boolean("Removal of more than just outer clothing"),
    ),
    select=f"""
    r."Type" AS type, CAST(r."Date" AS TIMESTAMPTZ) AS occurred_at, f.month AS month,
    {_sql_bool("Part of a policing operation")} AS part_of_policing_operation,
    r."Policing operation" AS policing_operation,
    r."Longitude" AS longitude, r."Latitude" AS latitude, g.x AS x, g.y AS y,
    r."Gender" AS gender, r."Age range" AS age_range, r."Self-defined ethnicity" AS self_defined_ethnicity,
    r."Officer-defined ethnicity" AS officer_defined_ethnicity, r."Legislation" AS legislation,
    r."Object of search" AS object_of_search, r."Outcome" AS outcome,
    {_sql_bool("Outcome linked to object of search")} AS outcome_linked_to_object_of_search,
    {_sql_bool("Removal of more than just outer clothing")} AS removal_of_more_than_outer_clothing,
    g.district AS district, f.force AS force""",
)

KINDS: Mapping[str, FileKind] = {kind.name: kind for kind in (STREET, OUTCOMES, STOP_AND_SEARCH)}
