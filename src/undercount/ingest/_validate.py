"""Validating a batch of rows column by column: accepted records and quarantine.

Every row of a :class:`RawBatch` ends in exactly one of two Arrow tables: records
(normalised columns plus the raw cells that become ``original``) or quarantine (with
the file, line, failing column(s) and reasons). The batch invariant
``len(batch) == accepted + quarantined`` is asserted.

Which rows are valid, and the normalised values, are exactly those of
:meth:`VictimRecord.from_raw <undercount.model.VictimRecord.from_raw>` (see
:mod:`._fields`); speed comes from converting each distinct cell once and building
the tables in bulk. The importer adds one rule of its own: a ``record_id`` already
used earlier in the same file is quarantined.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from undercount.ingest._encoding import BAD_BYTES, has_bad_bytes, show_bad_bytes
from undercount.ingest._fields import (
    OUTPUTS,
    TEXT_FIELDS,
    Converter,
    FieldError,
    clean_text_array,
    converters,
    parse_text_array,
)
from undercount.ingest._mapping import ColumnMap
from undercount.ingest._rows import RawBatch, RowProblem
from undercount.model import RecordValidationError, VictimRecord
from undercount.store import RECORD_FIELDS

__all__ = ["MEMO_LIMIT", "RECORD_TYPES", "BatchValidator", "Validated"]

#: Arrow type of each normalised record column.
RECORD_TYPES: dict[str, pa.DataType] = {
    **dict.fromkeys(RECORD_FIELDS, pa.string()),
    "age_low": pa.float64(),
    "age_high": pa.float64(),
    "age_approx": pa.bool_(),
    "birth_year": pa.int32(),
    "date_start": pa.date32(),
    "date_end": pa.date32(),
}

_QUARANTINE_SCHEMA = pa.schema(
    [
        ("line", pa.int64()),
        ("field", pa.string()),
        ("reason", pa.string()),
        ("errors", pa.string()),
        ("original", pa.string()),
    ]
)

#: A memo holds at most this many distinct cells per field (then starts afresh).
MEMO_LIMIT = 200_000

#: ``(canonical field, file column, cell, reason)``.
FieldFailure = tuple[str, str, str | None, str]


class _Failed:
    """Memo entry for a cell the model refuses."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Validated:
    """A validated batch: records to insert, rows to quarantine."""

    records: pa.Table
    quarantine: pa.Table

    @property
    def accepted(self) -> int:
        """Number of accepted rows."""
        return int(self.records.num_rows)

    @property
    def quarantined(self) -> int:
        """Number of quarantined rows."""
        return int(self.quarantine.num_rows)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


class BatchValidator:
    """Turn raw batches of one file into records and quarantine rows.

    Parameters
    ----------
    columns
        The resolved column mapping.
    source
        The source name (records are validated as records of this list).
    file_label
        How the file is named in reasons (e.g. ``"morgue.csv"``).
    dayfirst
        Read ambiguous ``a/b/YYYY`` dates as day/month (default) or month/day.

    Notes
    -----
    The validator is stateful across batches: it remembers every ``record_id`` seen
    in the file (and its line) to quarantine later duplicates.
    """

    def __init__(
        self,
        columns: ColumnMap,
        *,
        source: str,
        file_label: str,
        dayfirst: bool = True,
    ) -> None:
        self.columns = columns
        self.source = source
        self.file_label = file_label
        self.dayfirst = dayfirst
        table = converters(source, dayfirst=dayfirst)
        self._plan: list[tuple[str, int, Converter, tuple[str, ...]]] = [
            (field, index, table[field], OUTPUTS[field])
            for field, index in columns.fields.items()
            if field != "record_id"
        ]
        self._memo: dict[str, dict[str | None, Any]] = {f: {} for f in columns.fields}
        self._first_line: dict[str, int] = {}
        self._bad_bytes_seen = BAD_BYTES[0]

    # -- the batch ------------------------------------------------------------------

    def validate(self, batch: RawBatch) -> Validated:
        """Split one batch into records and quarantine (see module docstring)."""
        if BAD_BYTES[0] != self._bad_bytes_seen:
            self._bad_bytes_seen = BAD_BYTES[0]
            self._split_bad_bytes(batch)
        header = self.columns.header
        raw, lines = batch.columns(len(header))
        n = len(lines)
        failed: dict[int, list[FieldFailure]] = {}
        out: dict[str, pa.Array] = {}
        id_index = self.columns.fields["record_id"]
        ids = clean_text_array(raw[id_index])
        out["record_id"] = ids
        if ids.null_count:
            for i in _positions(ids.is_null()):
                failed.setdefault(i, []).append(("record_id", "", None, ""))
        for field, index, convert, outputs in self._plan:
            if field in TEXT_FIELDS:
                out[field] = parse_text_array(raw[index])
            else:
                self._convert(field, index, convert, outputs, raw, out, failed)
        if "birth_year" in out and "date_end" in out:
            after = pc.greater(out["birth_year"], pc.year(out["date_end"]))
            for i in _positions(pc.fill_null(after, False)):
                failed.setdefault(i, []).append(("birth_year", "", None, ""))
        errors = {i: self._model_reasons(raw, i) for i in failed}
        self._check_duplicates(ids, lines, errors)
        records = self._records(n, lines, raw, out, errors)
        quarantine = self._quarantine(raw, lines, errors, batch.problems)
        if records.num_rows + quarantine.num_rows != len(batch):
            raise AssertionError(
                f"batch accounting broken: {len(batch)} rows in, {records.num_rows} "
                f"accepted + {quarantine.num_rows} quarantined"
            )
        return Validated(records, quarantine)

    def _convert(
        self,
        field: str,
        index: int,
        convert: Converter,
        outputs: tuple[str, ...],
        raw: list[pa.Array],
        out: dict[str, pa.Array],
        failed: dict[int, list[FieldFailure]],
    ) -> None:
        """Convert each *distinct* cell once (memoised), then expand with ``take``."""
        encoded = raw[index].dictionary_encode()
        distinct = encoded.dictionary.to_pylist()
        memo = self._memo[field]
        if len(memo) > MEMO_LIMIT:
            memo.clear()
        null = (None,) * len(outputs)
        results: list[tuple[Any, ...]] = []
        refused: list[int] = []
        for position, cell in enumerate(distinct):
            result = memo.get(cell)
            if result is None:
                try:
                    result = convert(cell)
                except FieldError as exc:
                    result = _Failed(str(exc))
                memo[cell] = result
            if isinstance(result, _Failed):
                refused.append(position)
                result = null
            results.append(result)
        indices = encoded.indices
        fills = convert(None) if encoded.null_count else null
        for k, name in enumerate(outputs):
            kind = RECORD_TYPES[name]
            column = pa.array([r[k] for r in results], kind).take(indices)
            if fills[k] is not None:
                column = pc.fill_null(column, pa.scalar(fills[k], kind))
            out[name] = column
        if refused:
            bad = pc.is_in(indices, value_set=pa.array(refused, indices.type))
            for i in _positions(bad):
                failed.setdefault(i, []).append((field, "", None, ""))

    def _model_reasons(self, raw: list[pa.Array], i: int) -> list[FieldFailure]:
        """The model's reasons for a failing row (``from_raw`` on the whole row)."""
        header = self.columns.header
        cells = {f: raw[k][i].as_py() for f, k in self.columns.fields.items()}
        try:
            VictimRecord.from_raw(self.source, cells, dayfirst=self.dayfirst)
        except RecordValidationError as exc:
            return [
                (field, header[self.columns.fields[field]], cells.get(field), why)
                if field in self.columns.fields
                else (field, field, None, why)
                for field, why in exc.field_errors
            ]
        raise AssertionError(
            f"{self.file_label}: row {i} failed a field check that "
            "VictimRecord.from_raw accepts (importer and model disagree)"
        )

    def _check_duplicates(
        self,
        ids: pa.Array,
        lines: list[int],
        errors: dict[int, list[FieldFailure]],
    ) -> None:
        """Quarantine rows whose record_id was used on an earlier line of the file."""
        first = self._first_line
        id_list = ids.to_pylist()
        # First occurrence in this batch wins (dict keeps the last assignment).
        earliest = dict(zip(reversed(id_list), reversed(lines), strict=True))
        earliest.pop(None, None)
        if len(earliest) == len(id_list) - ids.null_count and not (
            earliest.keys() & first.keys()
        ):
            first.update(earliest)  # no duplicate: the common case, all in C
            return
        column = self.columns.column("record_id")
        for i, (rid, line) in enumerate(zip(id_list, lines, strict=True)):
            if rid is None:
                continue
            seen = first.setdefault(rid, line)
            if seen != line:
                errors.setdefault(i, []).append(
                    (
                        "record_id",
                        column,
                        rid,
                        f"duplicate record_id {rid!r}: first used on line {seen}; "
                        "record ids must be unique within a list",
                    )
                )

    def _split_bad_bytes(self, batch: RawBatch) -> None:
        """Move Python rows holding undecodable bytes to problems."""
        keep_rows: list[list[str | None]] = []
        keep_lines: list[int] = []
        header = self.columns.header
        for line, row in zip(batch.lines, batch.rows, strict=True):
            bad = [header[i] for i, c in enumerate(row) if c and has_bad_bytes(c)]
            if not bad:
                keep_rows.append(row)
                keep_lines.append(line)
                continue
            batch.problems.append(
                RowProblem(
                    line,
                    ", ".join(bad),
                    "bytes that are invalid in the file's encoding in "
                    f"{', '.join(bad)}; check the encoding (--encoding)",
                    {
                        h: (show_bad_bytes(c) if c else c)
                        for h, c in zip(header, row, strict=True)
                    },
                )
            )
        batch.rows = keep_rows
        batch.lines = keep_lines

    # -- output tables ----------------------------------------------------------------

    def _records(
        self,
        n: int,
        lines: list[int],
        raw: list[pa.Array],
        out: dict[str, pa.Array],
        errors: dict[int, Any],
    ) -> pa.Table:
        arrays: dict[str, pa.Array] = {"line": pa.array(lines, pa.int64())}
        for name in RECORD_FIELDS:
            kind = RECORD_TYPES[name]
            if name in out:
                arrays[name] = out[name]
            elif name == "sex":
                arrays[name] = pa.array(["unknown"] * n, kind)
            else:
                arrays[name] = pa.nulls(n, kind)
        for k, column in enumerate(raw):
            arrays[f"raw_{k}"] = column
        table = pa.table(arrays)
        if errors:
            keep = np.ones(n, dtype=bool)
            keep[list(errors)] = False
            table = table.filter(pa.array(keep))
        return table

    def _quarantine(
        self,
        raw: list[pa.Array],
        lines: list[int],
        errors: dict[int, list[FieldFailure]],
        problems: list[RowProblem],
    ) -> pa.Table:
        header = self.columns.header
        label = self.file_label
        entries: list[tuple[int, str, str, str, str]] = []
        for i, failures in errors.items():
            line = lines[i]
            reason = f"{label} line {line}: " + "; ".join(
                f"column {column!r} ({field}): {why}"
                for field, column, _value, why in failures
            )
            entries.append(
                (
                    line,
                    ", ".join(dict.fromkeys(column for _f, column, _v, _r in failures)),
                    reason,
                    _dumps(
                        [
                            {"field": f, "column": c, "value": v, "reason": r}
                            for f, c, v, r in failures
                        ]
                    ),
                    _dumps({h: raw[k][i].as_py() for k, h in enumerate(header)}),
                )
            )
        for problem in problems:
            entries.append(
                (
                    problem.line,
                    problem.field,
                    f"{label} line {problem.line}: {problem.reason}",
                    _dumps(
                        [
                            {
                                "field": None,
                                "column": problem.field,
                                "value": None,
                                "reason": problem.reason,
                            }
                        ]
                    ),
                    _dumps(problem.original),
                )
            )
        entries.sort(key=lambda e: e[0])
        return pa.Table.from_pylist(
            [dict(zip(_QUARANTINE_SCHEMA.names, e, strict=True)) for e in entries],
            schema=_QUARANTINE_SCHEMA,
        )


def _positions(mask: pa.Array) -> list[int]:
    """Indices where a boolean Arrow array is true."""
    return [int(i) for i in np.flatnonzero(mask.to_numpy(zero_copy_only=False))]
