"""Ingest police.uk monthly files (street, outcomes, stop-and-search) for any force into the store.

The header of every file is checked first (exact police.uk names and order). Street and outcomes files then take
the **pyarrow path**: batches of files are read by ``pyarrow.csv`` (text dictionary-encoded), every rule of
:mod:`csphub.analytics.schema` is checked by DuckDB once per distinct value of the column it reads in each file
(the same as checking every row), the distinct coordinates are found by pyarrow's hash (which also gives each
row its coordinate), projected to British National Grid and located in the districts once per ingest, and pyarrow
writes one Parquet file per input file into a staging folder. A file pyarrow refuses sends its kind down the
**DuckDB path**, which stop-and-search files always take:

1. **read and locate** (all files of the kind in one DuckDB query): every row is parsed; a row that does not
   parse (too few or too many fields, a bad quote, a coordinate that is not a number) stops the ingest with
   its file and line. The distinct coordinates are projected to British National Grid and located in the
   districts (point-in-polygon) once each — police.uk snap points repeat, so this is far less work than one
   per row — and each file's LSOA vintage is read from its codes.
2. **check and write** (one DuckDB query per file, several files at a time): every row is checked against the
   rules, typed, joined to its coordinates' BNG position and district, and written as one Parquet file into a
   staging folder.

On either path the first broken rule stops the ingest; the file is then read once more by DuckDB on its own to
name the line.

Only when every file of every kind has passed are the staged months renamed into the store, each replacing the
same force and month if it was there (re-ingesting a month replaces it, never duplicates it). Any error leaves
the store exactly as it was.

LSOA vintage: police.uk files use the LSOA codes current when they were produced (2011 codes in older
downloads, 2021 codes since). A file's vintage is read from its codes: a code created in 2021 (above
``E01033768`` in England) means 2021; a 2011 code that no longer exists in 2021 means 2011; a file whose codes
exist in both is given the default vintage (the codes mean the same areas either way).
"""

from .diagnosis import REJECT_REASONS
from .provenance import FileReport, IngestResult
from .reading import check_header, read_csv_sql
from .run import ingest_police_files
from .settings import LSOA_VINTAGES, IngestSettings
from .worktables import LAST_ENGLISH_LSOA11

__all__ = [
    "LAST_ENGLISH_LSOA11",
    "LSOA_VINTAGES",
    "REJECT_REASONS",
    "FileReport",
    "IngestResult",
    "IngestSettings",
    "check_header",
    "ingest_police_files",
    "read_csv_sql",
]
