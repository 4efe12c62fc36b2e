"""Parquet reader: pyarrow record batches, every column turned into text.

Numbers, booleans, dates and timestamps are cast to their text form by Arrow
(``2017-03-17``, ``30``); nulls stay nulls. Nested columns (lists, structs) cannot be
cells and are refused up front. "Line" is the 1-based row number.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from undercount.errors import UserInputError
from undercount.ingest._header import clean_header
from undercount.ingest._rows import RawBatch

__all__ = ["ParquetReader"]


class ParquetReader:
    """Stream the rows of a Parquet file."""

    format = "parquet"
    encoding: str | None = None

    def __init__(self, path: Path) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        self._where = str(path)
        try:
            self._file = pq.ParquetFile(path)
        except (pa.ArrowException, OSError) as exc:
            raise UserInputError(
                f"cannot read {self._where} as Parquet ({str(exc)[:200]}); is it "
                "truncated or another format?"
            ) from None
        schema = self._file.schema_arrow
        nested = [f.name for f in schema if pa.types.is_nested(f.type)]
        if nested:
            raise UserInputError(
                f"{self._where}: columns {nested} hold lists or structs, which cannot "
                "be list cells; flatten them before import"
            )
        if not schema.names:
            raise UserInputError(f"{self._where} has no columns")
        self.header = clean_header(schema.names, where=self._where)
        self._total = self._file.metadata.num_rows
        if self._total == 0:
            raise UserInputError(f"{self._where} has columns but no rows")
        self._done = 0
        self.blank_lines = 0

    def set_multiline_forbidden(self, columns: frozenset[int]) -> None:
        """Not applicable to Parquet."""

    def batches(self, size: int) -> Iterator[RawBatch]:
        """Yield batches of ``size`` rows."""
        import pyarrow as pa
        import pyarrow.compute as pc

        try:
            for record_batch in self._file.iter_batches(batch_size=size):
                columns = []
                for column in record_batch.columns:
                    if pa.types.is_dictionary(column.type):
                        column = column.dictionary_decode()
                    if not pa.types.is_string(column.type):
                        column = pc.cast(column, pa.string())
                    columns.append(column.to_pylist())
                n = record_batch.num_rows
                batch = RawBatch()
                batch.rows = [list(row) for row in zip(*columns, strict=True)]
                batch.lines = list(range(self._done + 1, self._done + n + 1))
                self._done += n
                blank = [
                    i
                    for i, row in enumerate(batch.rows)
                    if not "".join(c or "" for c in row).strip()
                ]
                if blank:
                    drop = set(blank)
                    batch.rows = [r for i, r in enumerate(batch.rows) if i not in drop]
                    batch.lines = [
                        x for i, x in enumerate(batch.lines) if i not in drop
                    ]
                    batch.blank_lines = len(blank)
                yield batch
        except (pa.ArrowException, OSError) as exc:
            raise UserInputError(
                f"{self._where} is damaged after row {self._done} ({str(exc)[:200]})"
            ) from None

    def progress(self) -> tuple[int, int]:
        """Rows read and the row count."""
        return self._done, self._total

    def close(self) -> None:
        """Close the file."""
        self._file.close()
