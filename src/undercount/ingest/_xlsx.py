"""XLSX reader: openpyxl in read-only (streaming) mode, values not formulas.

Cell values are turned into text with :func:`cell_text` (so ``original`` holds text,
with dates as ISO). The first non-empty row is the header; "line" is the sheet row.
Rows whose cells are all empty are blank lines, as in CSV.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from undercount.errors import UserInputError
from undercount.ingest._cells import cell_text
from undercount.ingest._header import clean_header
from undercount.ingest._rows import EXTRA_KEY, RawBatch, RowProblem

__all__ = ["XlsxReader"]


class XlsxReader:
    """Stream the rows of one worksheet of an XLSX workbook."""

    format = "xlsx"
    encoding: str | None = None

    def __init__(self, path: Path, *, sheet: str | None) -> None:
        import openpyxl

        self._where = str(path)
        try:
            self._book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
            raise UserInputError(
                f"cannot read {self._where} as an XLSX workbook ({type(exc).__name__}: "
                f"{str(exc)[:200]}); is it truncated, or another format? Re-save it "
                "from the spreadsheet program"
            ) from None
        except Exception as exc:  # openpyxl raises many kinds on corrupt XML
            raise UserInputError(
                f"cannot read {self._where} as an XLSX workbook "
                f"({type(exc).__name__}); re-save it from the spreadsheet program"
            ) from None
        names = self._book.sheetnames
        if sheet is None:
            if not names:
                raise UserInputError(f"{self._where} has no worksheet")
            self._sheet = self._book[names[0]]
        elif sheet in names:
            self._sheet = self._book[sheet]
        else:
            raise UserInputError(
                f"{self._where} has no worksheet {sheet!r}; it has {names}; set "
                "'sheet' in [sources.NAME] to one of them"
            )
        self._total = int(getattr(self._sheet, "max_row", 0) or 0)
        self._done = 0
        self._rows = self._iter_rows()
        self.blank_lines = 0
        self.header = self._read_header()

    def _iter_rows(self) -> Iterator[tuple[int, tuple[Any, ...]]]:
        try:
            for number, values in enumerate(
                self._sheet.iter_rows(min_row=1, values_only=True), start=1
            ):
                self._done = number
                yield number, values
        except (zipfile.BadZipFile, OSError, EOFError, KeyError) as exc:
            raise UserInputError(
                f"{self._where} is damaged after row {self._done} "
                f"({type(exc).__name__}); re-save it from the spreadsheet program"
            ) from None
        except Exception as exc:  # corrupt sheet XML
            raise UserInputError(
                f"{self._where} is damaged after row {self._done} "
                f"({type(exc).__name__}: {str(exc)[:120]}); re-save it"
            ) from None

    def _read_header(self) -> list[str]:
        for _number, values in self._rows:
            if any(cell_text(v) not in (None, "") for v in values):
                return clean_header(list(values), where=self._where)
            self.blank_lines += 1
        raise UserInputError(
            f"{self._where} is empty (the worksheet has no header and no rows)"
        )

    def set_multiline_forbidden(self, columns: frozenset[int]) -> None:
        """Line breaks cannot betray broken quotes in XLSX: nothing to do."""

    def batches(self, size: int) -> Iterator[RawBatch]:
        """Yield batches of about ``size`` rows."""
        width = len(self.header)
        batch = RawBatch(blank_lines=self.blank_lines)
        for number, values in self._rows:
            cells = [cell_text(v) for v in values]
            texts = ["" if c is None else c for c in cells]
            if not "".join(texts).strip():
                batch.blank_lines += 1
                continue
            if len(texts) < width:
                texts.extend([""] * (width - len(texts)))
            if len(texts) > width and "".join(texts[width:]).strip():
                original: dict[str, Any] = dict(zip(self.header, texts, strict=False))
                original[EXTRA_KEY] = texts[width:]
                batch.problems.append(
                    RowProblem(
                        number,
                        "(row)",
                        f"row has values in {len(texts)} columns but the header "
                        f"names {width}",
                        original,
                    )
                )
            else:
                batch.rows.append(list(texts[:width]))
                batch.lines.append(number)
            if len(batch) >= size:
                yield batch
                batch = RawBatch()
        if len(batch) or batch.blank_lines:
            yield batch

    def progress(self) -> tuple[int, int]:
        """Rows read so far and the sheet's row count (when the file declares it)."""
        return self._done, max(self._total, self._done)

    def close(self) -> None:
        """Close the workbook."""
        self._book.close()
