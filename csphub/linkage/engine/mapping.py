"""A source's mapping: how one legacy export's columns become canonical person records.

A mapping is a small TOML (or JSON) file kept beside the export. It is validated as a whole before any row is
read, and every problem is reported together (:class:`~.errors.MappingError`), so a data officer fixes the file
once. The schema (documented in ``docs/linkage.md``)::

    [source]
    key = "kettering"            # the source's name: lower-case letters, digits, "-" and "_"
    file = "kettering.csv"       # optional: the export, relative to the mapping file
    format = "csv"               # "csv" or "xlsx" (optional when `file` ends in .csv or .xlsx)
    encoding = "utf-8"           # csv only; a byte-order mark is skipped
    delimiter = ","              # csv only, one character
    quotechar = '"'              # csv only, one character
    sheet = "People"             # xlsx only; the first sheet when left out
    record_id = "Ref No"         # the column holding the source's own record id (required)

    [columns]                    # target field = a column, or a list of columns joined with a space
    full_name = "Name"           # OR given_name / middle_names / family_name
    date_of_birth = "DOB"        # (address parts are joined with ", ")
    sex = "Gender"
    address = ["Addr 1", "Addr 2", "Town"]   # one line, OR its parts, each compared on its own:
    postcode = "Post Code"       # house_number, street (a list: further lines too), locality, town, county

    [formats]
    date_of_birth = ["%d/%m/%Y", "%Y-%m-%d"]   # tried in order; their month-year and year-only forms too
    name_order = "auto"          # full_name only: "family_first" ("SMITH, John"), "given_first" or "auto"

    [values]
    sex = { M = "male", F = "female", U = "not_known" }   # source value (any case) = female / male / not_known
    missing = ["N/K", "UNKNOWN", "01/01/1900", "NULL", "-"]   # placeholders read as missing (any case)
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import MappingError
from .records import SEXES

ADDRESS_PART_TARGETS = ("house_number", "street", "locality", "town", "county")
TARGETS = (
    "full_name",
    "given_name",
    "middle_names",
    "family_name",
    "date_of_birth",
    "sex",
    "address",
    "postcode",
    *ADDRESS_PART_TARGETS,
)
NAME_ORDERS = ("auto", "family_first", "given_first")
FORMATS = ("csv", "xlsx")
DATE_DIRECTIVES = frozenset("dmYybB")
_SECTIONS: dict[str, frozenset[str]] = {
    "source": frozenset(
        {"key", "file", "format", "encoding", "delimiter", "quotechar", "sheet", "record_id", "description"}
    ),
    "columns": frozenset(TARGETS),
    "formats": frozenset({"date_of_birth", "name_order"}),
    "values": frozenset({"sex", "missing"}),
}
_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
DEFAULT_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")


@dataclass(frozen=True)
class SourceMapping:
    """A validated mapping (build it with :func:`load_mapping` or :func:`mapping_from_dict`)."""

    key: str
    record_id: str
    columns: Mapping[str, tuple[str, ...]]
    format: str = "csv"
    file: str | None = None
    encoding: str = "utf-8"
    delimiter: str = ","
    quotechar: str = '"'
    sheet: str | None = None
    date_formats: tuple[str, ...] = DEFAULT_DATE_FORMATS
    name_order: str = "auto"
    sex_values: Mapping[str, str] = field(default_factory=dict)  # upper-cased source value → canonical
    missing: frozenset[str] = frozenset()  # upper-cased placeholders
    description: str = ""
    path: str = "<mapping>"

    @property
    def source_columns(self) -> tuple[str, ...]:
        """Every column of the export the mapping reads (the record id first), without repeats."""
        seen: dict[str, None] = {self.record_id: None}
        for cols in self.columns.values():
            for c in cols:
                seen.setdefault(c, None)
        return tuple(seen)

    def data_path(self) -> Path | None:
        """The export named by ``file``, relative to the mapping file; None when the mapping names none."""
        if self.file is None:
            return None
        base = Path(self.path).parent if self.path != "<mapping>" else Path()
        return base / self.file


def load_mapping(path: str | Path) -> SourceMapping:
    """Read and validate a mapping file (``.toml`` or ``.json``). Raises MappingError listing every problem."""
    location = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise MappingError(location, [f"cannot be read: {exc.strerror or exc}"]) from None
    except UnicodeDecodeError:
        raise MappingError(location, ["is not UTF-8 text"]) from None
    try:
        data = json.loads(text) if location.lower().endswith(".json") else tomllib.loads(text)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        raise MappingError(
            location, [f"is not valid {'JSON' if location.endswith('.json') else 'TOML'}: {exc}"]
        ) from None
    if not isinstance(data, dict):
        raise MappingError(location, ["must be a table of sections ([source], [columns], [formats], [values])"])
    return mapping_from_dict(data, path=location)


def _strings(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


def check_date_format(fmt: str) -> str | None:
    """None if ``fmt`` is a usable date format, else what is wrong with it."""
    directives = re.findall(r"%(.)", fmt)
    unknown = sorted({d for d in directives if d not in DATE_DIRECTIVES})
    if unknown:
        return f"date format {fmt!r} uses {', '.join('%' + d for d in unknown)}: only %d %m %Y %y %b %B are understood"
    if not ({"Y", "y"} & set(directives)):
        return f"date format {fmt!r} has no year (%Y or %y)"
    if len(directives) != len(set(directives)):
        return f"date format {fmt!r} repeats a directive"
    if "d" in directives and not ({"m", "b", "B"} & set(directives)):
        return f"date format {fmt!r} has a day but no month"
    return None


def mapping_from_dict(data: Mapping[str, Any], path: str = "<mapping>") -> SourceMapping:
    """Validate a mapping given as nested dicts (as read from TOML or JSON); every problem reported together."""
    problems: list[str] = []
    for section in data:
        if section not in _SECTIONS:
            problems.append(f"unknown section [{section}] (expected {', '.join(f'[{s}]' for s in _SECTIONS)})")
    sections: dict[str, Mapping[str, Any]] = {}
    for name, allowed in _SECTIONS.items():
        value = data.get(name, {})
        if not isinstance(value, Mapping):
            problems.append(f"[{name}] must be a table")
            value = {}
        for k in value:
            if k not in allowed:
                problems.append(f"unknown key {k!r} in [{name}] (expected one of: {', '.join(sorted(allowed))})")
        sections[name] = value
    source, columns_in, formats, values = (sections[n] for n in ("source", "columns", "formats", "values"))

    def text(section: str, key: str, default: str | None = None, *, required: bool = False) -> str | None:
        value = sections[section].get(key)
        if value is None:
            if required:
                problems.append(f"[{section}] {key} is required")
            return default
        if not isinstance(value, str) or not value.strip():
            problems.append(f"[{section}] {key} must be a non-empty string")
            return default
        return value

    key = text("source", "key", required=True)
    if key is not None and not _KEY.match(key):
        problems.append(f"[source] key {key!r} must be lower-case letters, digits, '-' or '_' (at most 63)")
    record_id = text("source", "record_id", required=True)
    file = text("source", "file")
    fmt = text("source", "format")
    if fmt is None and file is not None:
        suffix = Path(file).suffix.lower().lstrip(".")
        fmt = suffix if suffix in FORMATS else None
        if fmt is None:
            problems.append(f"[source] format is required: the file {file!r} is neither .csv nor .xlsx")
    fmt = fmt or "csv"
    if fmt not in FORMATS:
        problems.append(f"[source] format {fmt!r} must be one of: {', '.join(FORMATS)}")
    encoding = text("source", "encoding", "utf-8") or "utf-8"
    try:
        "".encode(encoding)
    except LookupError:
        problems.append(f"[source] encoding {encoding!r} is not a known text encoding")
    delimiter = text("source", "delimiter", ",") or ","
    if len(delimiter) != 1:
        problems.append(f"[source] delimiter must be one character, not {delimiter!r}")
    quotechar = text("source", "quotechar", '"') or '"'
    if len(quotechar) != 1:
        problems.append(f"[source] quotechar must be one character, not {quotechar!r}")
    sheet = text("source", "sheet")
    if fmt == "csv" and sheet is not None:
        problems.append("[source] sheet is for xlsx files only")
    if fmt == "xlsx":
        for k in ("delimiter", "quotechar", "encoding"):
            if k in source:
                problems.append(f"[source] {k} is for csv files only")
    description = text("source", "description", "") or ""

    columns: dict[str, tuple[str, ...]] = {}
    for target, value in columns_in.items():
        if target not in TARGETS:
            continue  # already reported
        cols = _strings(value)
        if cols is None or any(not c.strip() for c in cols):
            problems.append(f"[columns] {target} must be a column name or a non-empty list of column names")
            continue
        columns[target] = cols
    if "full_name" in columns and {"given_name", "middle_names", "family_name"} & set(columns):
        problems.append("[columns] give either full_name or given_name/middle_names/family_name, not both")
    if "address" in columns and set(ADDRESS_PART_TARGETS) & set(columns):
        problems.append(
            "[columns] give either address (one line) or its parts (house_number, street, locality, town, county), "
            "not both"
        )
    if not {"full_name", "given_name", "family_name"} & set(columns):
        problems.append("[columns] needs a name: full_name, or given_name and/or family_name")

    date_formats: tuple[str, ...] = DEFAULT_DATE_FORMATS
    if "date_of_birth" in formats:
        fmts = _strings(formats["date_of_birth"])
        if fmts is None:
            problems.append("[formats] date_of_birth must be a format or a non-empty list of formats")
        else:
            date_formats = fmts
            problems.extend(p for p in (check_date_format(f) for f in fmts) if p)
        if "date_of_birth" not in columns:
            problems.append("[formats] date_of_birth is given but [columns] has no date_of_birth")
    name_order = formats.get("name_order", "auto")
    if name_order not in NAME_ORDERS:
        problems.append(f"[formats] name_order {name_order!r} must be one of: {', '.join(NAME_ORDERS)}")
        name_order = "auto"
    elif "name_order" in formats and "full_name" not in columns:
        problems.append("[formats] name_order applies to full_name only, and [columns] has no full_name")

    sex_values: dict[str, str] = {}
    sex_in = values.get("sex", {})
    if not isinstance(sex_in, Mapping):
        problems.append("[values] sex must be a table: source value = female / male / not_known")
    else:
        for raw, canonical in sex_in.items():
            if canonical not in SEXES:
                problems.append(f"[values] sex: {raw!r} = {canonical!r} must map to one of: {', '.join(SEXES)}")
            else:
                sex_values[str(raw).strip().upper()] = canonical
        if sex_in and "sex" not in columns:
            problems.append("[values] sex is given but [columns] has no sex")
    missing_in = values.get("missing", [])
    if not isinstance(missing_in, list) or not all(isinstance(v, str) for v in missing_in):
        problems.append("[values] missing must be a list of strings")
        missing_in = []

    if problems:
        raise MappingError(path, problems)
    assert key is not None and record_id is not None
    return SourceMapping(
        key=key,
        record_id=record_id,
        columns=columns,
        format=fmt,
        file=file,
        encoding=encoding,
        delimiter=delimiter,
        quotechar=quotechar,
        sheet=sheet,
        date_formats=date_formats,
        name_order=str(name_order),
        sex_values=sex_values,
        missing=frozenset(v.strip().upper() for v in missing_in),
        description=description,
        path=path,
    )


def mapping_to_dict(mapping: SourceMapping) -> dict[str, Any]:
    """The mapping as nested dicts, ready to write as TOML or JSON (the inverse of :func:`mapping_from_dict`)."""
    source: dict[str, Any] = {"key": mapping.key}
    if mapping.description:
        source["description"] = mapping.description
    if mapping.file:
        source["file"] = mapping.file
    source["format"] = mapping.format
    if mapping.format == "csv":
        source.update(encoding=mapping.encoding, delimiter=mapping.delimiter)
        if mapping.quotechar != '"':
            source["quotechar"] = mapping.quotechar
    elif mapping.sheet:
        source["sheet"] = mapping.sheet
    source["record_id"] = mapping.record_id
    columns = {t: (c[0] if len(c) == 1 else list(c)) for t, c in mapping.columns.items()}
    formats: dict[str, Any] = {}
    if "date_of_birth" in mapping.columns:
        formats["date_of_birth"] = list(mapping.date_formats)
    if "full_name" in mapping.columns:
        formats["name_order"] = mapping.name_order
    values: dict[str, Any] = {}
    if mapping.sex_values:
        values["sex"] = dict(mapping.sex_values)
    if mapping.missing:
        values["missing"] = sorted(mapping.missing)
    out: dict[str, Any] = {"source": source, "columns": columns}
    if formats:
        out["formats"] = formats
    if values:
        out["values"] = values
    return out


def _toml_value(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {value!r} as TOML")


def _toml_key(key: str) -> str:
    return key if re.match(r"^[A-Za-z0-9_-]+$", key) else json.dumps(key, ensure_ascii=False)


def mapping_to_toml(mapping: SourceMapping) -> str:
    """The mapping as a TOML file's text."""
    lines: list[str] = []
    for section, content in mapping_to_dict(mapping).items():
        if lines:
            lines.append("")
        lines.append(f"[{section}]")
        lines.extend(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in content.items())
    return "\n".join(lines) + "\n"
