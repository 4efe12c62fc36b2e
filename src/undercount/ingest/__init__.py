"""Stage: ingest — read victim lists, map their columns, validate, quarantine.

:func:`import_file` is the entry point: it streams a CSV, TSV, XLSX, JSON, JSON Lines
or Parquet file through a reader (:func:`open_reader`), maps its header to the
canonical columns (:func:`resolve_columns`), validates every row with the model's
parsers (:class:`BatchValidator`) and writes accepted records and quarantined rows
to the project store in one transaction. See docs/import.md.
"""

from __future__ import annotations

from undercount.ingest._aliases import ALIASES, header_key, lookup_alias
from undercount.ingest._encoding import Detected, detect_encoding
from undercount.ingest._import import (
    BATCH_ROWS,
    ImportResult,
    Progress,
    file_sha256,
    import_file,
)
from undercount.ingest._mapping import NAME_FIELDS, ColumnMap, resolve_columns
from undercount.ingest._open import EXTENSIONS, open_reader
from undercount.ingest._rows import RawBatch, RowProblem, TableReader
from undercount.ingest._validate import BatchValidator, Validated

__all__ = [
    "ALIASES",
    "BATCH_ROWS",
    "EXTENSIONS",
    "NAME_FIELDS",
    "BatchValidator",
    "ColumnMap",
    "Detected",
    "ImportResult",
    "Progress",
    "RawBatch",
    "RowProblem",
    "TableReader",
    "Validated",
    "detect_encoding",
    "file_sha256",
    "header_key",
    "import_file",
    "lookup_alias",
    "open_reader",
    "resolve_columns",
]
