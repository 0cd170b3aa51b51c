"""Canonical person records: what every source's rows become, whatever the source's own schema.

One record is a :class:`Record` (frozen); many records are a :class:`RecordSet`, a column-oriented Arrow table with
the :data:`SCHEMA` columns, so that a million records move between parsing, the model and the Django side without
a Python object per row. Missing values are empty strings in a :class:`Record` and nulls in a :class:`RecordSet`.

A record is identified by ``(source, record_id)``: the source's own id, unique within its source.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import pyarrow as pa

from csphub.common.dates import PartialDate, PartialDateError

from .errors import InputError

SEXES = ("female", "male", "not_known")
PERSON_FIELDS = (
    "given_name",
    "middle_names",
    "family_name",
    "date_of_birth",
    "sex",
    "address",
    "postcode",
    "street",
    "locality",
    "town",
    "county",
)
ADDRESS_PARTS = ("street", "locality", "town", "county")
COLUMNS = ("record_id", "source", *PERSON_FIELDS, "line", "row_key", "raw")
SCHEMA = pa.schema(
    [
        pa.field("record_id", pa.string(), nullable=False),
        pa.field("source", pa.string(), nullable=False),
        *(pa.field(name, pa.string()) for name in PERSON_FIELDS),
        pa.field("line", pa.int64()),
        pa.field("row_key", pa.string()),
        pa.field("raw", pa.string()),
    ]
)


def date_to_text(value: PartialDate | None) -> str | None:
    """A partial date as sortable text: '1990-04-03', '1990-04' or '1990' (None stays None)."""
    if value is None:
        return None
    if value.day is not None:
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    if value.month is not None:
        return f"{value.year:04d}-{value.month:02d}"
    return f"{value.year:04d}"


def date_from_text(text: str | None) -> PartialDate | None:
    """The inverse of :func:`date_to_text`; None for None or empty text."""
    if not text:
        return None
    return PartialDate.parse(text)


@dataclass(frozen=True)
class Record:
    """One person as one source holds them, in canonical form."""

    record_id: str
    source: str = ""
    given_name: str = ""
    middle_names: str = ""
    family_name: str = ""
    date_of_birth: PartialDate | None = None
    sex: str = ""  # "female", "male", "not_known" or "" (not recorded)
    address: str = ""
    postcode: str = ""
    line: int | None = None  # the line of the source file the record came from (1 = header)
    row_key: str = ""  # SHA-256 of the source and the raw row: the same row imported twice has the same key
    raw: tuple[tuple[str, str], ...] = field(default=(), compare=False)
    # The address in parts, when the source keeps it so (``address`` then holds them joined): the house number
    # and street (with any further address lines), the locality (a village, a suburb), the town, the county.
    # Compared part by part when both records have them; a one-line address is compared as a whole.
    street: str = ""
    locality: str = ""
    town: str = ""
    county: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.source, self.record_id)

    @property
    def raw_row(self) -> dict[str, str]:
        """The row as the source file held it, column by column."""
        return dict(self.raw)

    def as_row(self) -> dict[str, Any]:
        """The record as a row of :data:`SCHEMA` (empty values as None)."""
        return {
            "record_id": self.record_id,
            "source": self.source,
            "given_name": self.given_name or None,
            "middle_names": self.middle_names or None,
            "family_name": self.family_name or None,
            "date_of_birth": date_to_text(self.date_of_birth),
            "sex": self.sex or None,
            "address": self.address or None,
            "postcode": self.postcode or None,
            **{part: getattr(self, part) or None for part in ADDRESS_PARTS},
            "line": self.line,
            "row_key": self.row_key or None,
            "raw": json.dumps(dict(self.raw), ensure_ascii=False) if self.raw else None,
        }


def _record_from_row(row: Mapping[str, Any]) -> Record:
    raw = row.get("raw")
    try:
        dob = date_from_text(row.get("date_of_birth"))
    except PartialDateError:
        dob = None
    return Record(
        record_id=row["record_id"],
        source=row.get("source") or "",
        given_name=row.get("given_name") or "",
        middle_names=row.get("middle_names") or "",
        family_name=row.get("family_name") or "",
        date_of_birth=dob,
        sex=row.get("sex") or "",
        address=row.get("address") or "",
        postcode=row.get("postcode") or "",
        **{part: row.get(part) or "" for part in ADDRESS_PARTS},
        line=row.get("line"),
        row_key=row.get("row_key") or "",
        raw=tuple(json.loads(raw).items()) if raw else (),
    )


class RecordSet:
    """Many canonical records as an Arrow table of :data:`SCHEMA` (immutable)."""

    __slots__ = ("_table",)

    def __init__(self, table: pa.Table) -> None:
        missing = [name for name in ("record_id",) if name not in table.column_names]
        if missing:
            raise InputError(f"The records have no {', '.join(missing)} column")
        columns = []
        for f in SCHEMA:
            if f.name in table.column_names:
                column = table.column(f.name)
                if column.type != f.type:
                    try:
                        column = column.cast(f.type)
                    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
                        raise InputError(f"Column {f.name} cannot be read as {f.type}: {exc}") from None
                columns.append(column)
            elif f.name == "source":
                columns.append(pa.array([""] * table.num_rows, pa.string()))
            else:
                columns.append(pa.nulls(table.num_rows, f.type))
        self._table = pa.Table.from_arrays(columns, schema=SCHEMA.remove_metadata())
        if self._table.column("record_id").null_count:
            raise InputError("Every record needs a record_id: some are empty")

    @classmethod
    def from_records(cls, records: Iterable[Record]) -> RecordSet:
        rows = [r.as_row() for r in records]
        return cls(pa.Table.from_pylist(rows, schema=SCHEMA))

    @classmethod
    def from_rows(cls, rows: Sequence[Mapping[str, Any]]) -> RecordSet:
        """Rows of plain values (``date_of_birth`` as text or a PartialDate); unknown keys are ignored."""
        clean = []
        for row in rows:
            item: dict[str, Any] = {name: row.get(name) for name in COLUMNS if name != "raw"}
            dob = item.get("date_of_birth")
            if isinstance(dob, PartialDate):
                item["date_of_birth"] = date_to_text(dob)
            for name in ("record_id", "source"):
                if item.get(name) is not None:
                    item[name] = str(item[name])
            item["source"] = item.get("source") or ""
            for name in PERSON_FIELDS:
                if item.get(name) == "":
                    item[name] = None
            raw = row.get("raw")
            item["raw"] = json.dumps(dict(raw), ensure_ascii=False) if isinstance(raw, Mapping) else raw
            clean.append(item)
        return cls(pa.Table.from_pylist(clean, schema=SCHEMA))

    @classmethod
    def concat(cls, sets: Iterable[RecordSet]) -> RecordSet:
        tables = [s.table for s in sets]
        if not tables:
            return cls(SCHEMA.empty_table())
        return cls(pa.concat_tables(tables))

    @property
    def table(self) -> pa.Table:
        return self._table

    def __len__(self) -> int:
        return int(self._table.num_rows)

    def __iter__(self) -> Iterator[Record]:
        for batch in self._table.to_batches(max_chunksize=10_000):
            for row in batch.to_pylist():
                yield _record_from_row(row)

    def record(self, index: int) -> Record:
        return _record_from_row(self._table.slice(index, 1).to_pylist()[0])

    def record_keys(self) -> list[tuple[str, str]]:
        """Each record's ``(source, record_id)``, in order."""
        return list(
            zip(self._table.column("source").to_pylist(), self._table.column("record_id").to_pylist(), strict=True)
        )

    def duplicate_keys(self, limit: int = 10) -> list[tuple[str, str]]:
        """Up to ``limit`` ``(source, record_id)`` pairs held by more than one record."""
        seen: set[tuple[str, str]] = set()
        dupes: list[tuple[str, str]] = []
        for key in self.record_keys():
            if key in seen:
                if key not in dupes:
                    dupes.append(key)
                    if len(dupes) >= limit:
                        break
            else:
                seen.add(key)
        return dupes

    def require_unique_keys(self) -> None:
        dupes = self.duplicate_keys()
        if dupes:
            listed = ", ".join(f"{s}:{r}" if s else r for s, r in dupes)
            raise InputError(f"Record ids must be unique within their source; repeated: {listed}")


RecordsLike: TypeAlias = RecordSet | Sequence[Record] | pa.Table


def as_record_set(records: RecordsLike | Iterable[RecordSet]) -> RecordSet:
    """A :class:`RecordSet` from a record set, a sequence of records, an Arrow table or several record sets."""
    if isinstance(records, RecordSet):
        return records
    if isinstance(records, pa.Table):
        return RecordSet(records)
    items = list(records)
    if items and all(isinstance(r, RecordSet) for r in items):
        return RecordSet.concat(r for r in items if isinstance(r, RecordSet))
    if all(isinstance(r, Record) for r in items):
        return RecordSet.from_records(r for r in items if isinstance(r, Record))
    raise InputError("Records must be a RecordSet, an Arrow table, Record objects or RecordSets")
