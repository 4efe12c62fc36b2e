"""Writing accepted records and quarantined rows to files (CSV or Parquet).

CSV is what people open in spreadsheets, so every text cell that a spreadsheet
would read as a formula is escaped with a leading apostrophe: cells beginning with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return (OWASP "CSV injection").
A cell that is just a number (``-3``, ``+964``, ``2.5``) is left alone: a
spreadsheet reads it as a number and cannot execute it, and changing it would
alter data. Parquet files are typed data, not spreadsheets, and are written as is.

CSV files are UTF-8 with a byte-order mark, so that spreadsheet programs show Arabic
correctly; undercount reads such files back unchanged.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc

from undercount.errors import UserInputError

if TYPE_CHECKING:
    from undercount.store._store import Store

__all__ = [
    "EXPORT_COLUMNS",
    "ExportResult",
    "escape_formulas",
    "export_quarantine",
    "export_records",
]

#: Columns of an export, in order (``original`` only on request).
EXPORT_COLUMNS: tuple[str, ...] = (
    "source",
    "record_id",
    "name",
    "given_name",
    "father_name",
    "grandfather_name",
    "family_name",
    "sex",
    "age_text",
    "age_low",
    "age_high",
    "age_approx",
    "birth_year",
    "date_of_death",
    "date_precision",
    "date_start",
    "date_end",
    "place_of_death",
    "incident_id",
    "perpetrator",
    "notes",
    "version",
    "import_id",
    "line",
)

_FORMULA_START = r"^[=+\-@\t\r]"
_PLAIN_NUMBER = r"^[+-]?(\d+([.,]\d+)*|\.\d+)$"


@dataclass(frozen=True, slots=True)
class ExportResult:
    """What was written: the file, its format, row count and SHA-256."""

    path: str
    format: str
    rows: int
    sha256: str


def escape_formulas(column: pa.Array) -> pa.Array:
    """Prefix ``'`` to text cells a spreadsheet would run as a formula.

    Non-text columns, nulls and plain numbers are returned unchanged.
    """
    if not pa.types.is_string(column.type) and not pa.types.is_large_string(
        column.type
    ):
        return column
    risky = pc.and_(
        pc.match_substring_regex(column, pattern=_FORMULA_START),
        pc.invert(pc.match_substring_regex(column, pattern=_PLAIN_NUMBER)),
    )
    if not pc.any(risky).as_py():
        return column
    escaped = pc.binary_join_element_wise("'", column, "")
    return pc.if_else(risky, escaped, column)


def _format_of(out: Path) -> str:
    suffix = out.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".parquet", ".pq"):
        return "parquet"
    raise UserInputError(
        f"cannot tell the export format from {str(out)!r}; end the file name with "
        "'.csv' or '.parquet'"
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _write(reader: pa.RecordBatchReader, out: Path, file_format: str) -> int:
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    rows = 0
    tmp = out.with_name(out.name + ".part")
    try:
        if file_format == "parquet":
            with pq.ParquetWriter(tmp, reader.schema) as writer:
                for batch in reader:
                    writer.write_batch(batch)
                    rows += batch.num_rows
        else:
            with tmp.open("wb") as fh:
                fh.write(b"\xef\xbb\xbf")
                with pacsv.CSVWriter(fh, reader.schema) as writer:
                    for batch in reader:
                        arrays = [escape_formulas(c) for c in batch.columns]
                        writer.write_batch(
                            pa.RecordBatch.from_arrays(arrays, schema=batch.schema)
                        )
                        rows += batch.num_rows
        tmp.replace(out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserInputError(f"cannot write {str(out)!r}: {exc.strerror}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return rows


def _check_target(out: Path) -> None:
    if out.is_dir():
        raise UserInputError(f"{str(out)!r} is a directory; give a file name")
    if not out.parent.exists():
        raise UserInputError(
            f"folder {str(out.parent)!r} does not exist; create it first"
        )


def export_records(
    store: Store,
    out: Path,
    *,
    source: str | None = None,
    original: bool = False,
    actor: str | None = None,
) -> ExportResult:
    """Write the accepted records of the current versions (of one source) to ``out``.

    The format follows the extension (``.csv`` or ``.parquet``); the file is
    written to ``out.part`` and renamed, so a failure leaves no half file. The
    export is recorded in the audit log with the file's SHA-256, its path relative
    to the project (or only its name when outside it: never an absolute path) and
    ``actor`` (default: ``$UNDERCOUNT_ACTOR`` or the OS user).
    """
    store.require_writable("export (every export is audited)")
    file_format = _format_of(out)
    _check_target(out)
    if source is not None and source not in store.sources():
        raise UserInputError(
            f"no source {source!r} in this project; sources: {store.sources()}"
        )
    columns = EXPORT_COLUMNS + (("original",) if original else ())
    reader = store.records(source, columns=columns)
    rows = _write(reader, out, file_format)
    result = ExportResult(str(out), file_format, rows, _sha256(out))
    store.append_audit(
        "export",
        {
            "what": "records",
            "path": store.display_path(out),
            "format": file_format,
            "rows": rows,
            "sha256": result.sha256,
            "source": source,
        },
        actor=actor,
    )
    return result


def export_quarantine(
    store: Store,
    out: Path,
    *,
    source: str | None = None,
    actor: str | None = None,
) -> ExportResult:
    """Write the quarantined rows of the current versions to ``out`` (CSV/Parquet).

    Columns: ``source, version, import_id, file, line, field, reason, original``
    (``original`` is the row as read, as JSON text). Audited like
    :func:`export_records` (relative path, ``actor``).
    """
    store.require_writable("export (every export is audited)")
    file_format = _format_of(out)
    _check_target(out)
    entries = list(store.quarantine(source))
    import json

    data: dict[str, list[Any]] = {
        "source": [e.source for e in entries],
        "version": [e.version for e in entries],
        "import_id": [e.import_id for e in entries],
        "file": [e.file for e in entries],
        "line": [e.line for e in entries],
        "field": [e.field for e in entries],
        "reason": [e.reason for e in entries],
        "original": [json.dumps(e.original, ensure_ascii=False) for e in entries],
    }
    table = pa.table(
        data,
        schema=pa.schema(
            [
                ("source", pa.string()),
                ("version", pa.int32()),
                ("import_id", pa.int64()),
                ("file", pa.string()),
                ("line", pa.int64()),
                ("field", pa.string()),
                ("reason", pa.string()),
                ("original", pa.string()),
            ]
        ),
    )
    rows = _write(
        pa.RecordBatchReader.from_batches(table.schema, table.to_batches()),
        out,
        file_format,
    )
    result = ExportResult(str(out), file_format, rows, _sha256(out))
    store.append_audit(
        "export",
        {
            "what": "quarantine",
            "path": store.display_path(out),
            "format": file_format,
            "rows": rows,
            "sha256": result.sha256,
            "source": source,
        },
        actor=actor,
    )
    return result
