"""CSV and TSV reader: streaming, with recovery from broken quotes and ragged rows.

The file is decoded incrementally and read in chunks of whole lines. A chunk with no
quote character, no NUL or undecodable byte, and exactly one field per header
column on every non-blank line takes the *fast path*: it is split into columns by
Arrow, without a Python object per cell. Any other chunk is parsed by :mod:`csv` in
strict mode (the *careful path*), so a quoting error is reported rather than silently
repaired (non-strict parsing drops quote characters). Both paths give the same rows.

When a record cannot be parsed, or a quoted field swallows line breaks where none
belong (a column listed by :meth:`CsvReader.set_multiline_forbidden`), or a record
spans more than :data:`MAX_RECORD_LINES` lines, the careful path *re-syncs*: the
record's first physical line becomes one quarantined row (its raw text kept), and
parsing restarts on the next line. One stray quote costs one row, not the rest of
the file.

Rules (documented in docs/import.md):

- a line that is empty, or whose cells are all empty or blank, is not a row;
- a row with fewer cells than the header is quarantined; a row with more cells is
  quarantined unless the surplus cells are all empty (spreadsheet padding);
- a row holding NUL characters or bytes invalid in the encoding is quarantined.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from undercount.errors import UserInputError
from undercount.ingest._encoding import BAD_BYTES, ERRORS, has_bad_bytes, show_bad_bytes
from undercount.ingest._header import clean_header
from undercount.ingest._rows import EXTRA_KEY, RAW_KEY, RawBatch, RowProblem

__all__ = [
    "CHUNK_CHARS",
    "MAX_FIELD_BYTES",
    "MAX_RECORD_LINES",
    "CsvReader",
    "sniff_delimiter",
]

#: A quoted field may span at most this many physical lines.
MAX_RECORD_LINES = 200
#: Longest accepted field, in characters.
MAX_FIELD_BYTES = 1 << 20
#: Characters of text read at a time (then completed to a whole line).
CHUNK_CHARS = 1 << 18

csv.field_size_limit(MAX_FIELD_BYTES)

# Every character for which str.isspace() is true (so both paths agree on "blank").
_PY_SPACES = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())


class _RecordTooLong(Exception):
    """Raised by the line feed when one record swallows too many lines."""


def sniff_delimiter(header_line: str) -> str:
    """The most frequent of ``, ; TAB |`` outside quotes in the header line."""
    counts = dict.fromkeys(",;\t|", 0)
    quoted = False
    for ch in header_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda c: counts[c])
    return best if counts[best] else ","


def _is_blank(line: str) -> bool:
    return not line.strip("\r\n\t ,;|")


class CsvReader:
    """Stream rows of a delimited text file (see the module notes).

    Parameters
    ----------
    path
        The file.
    encoding
        Python codec name (already chosen by the caller).
    delimiter
        Field separator; ``None`` sniffs it from the header line.
    file_format
        ``"csv"`` or ``"tsv"`` (for reporting).
    """

    def __init__(
        self, path: Path, *, encoding: str, delimiter: str | None, file_format: str
    ) -> None:
        self.format = file_format
        self.encoding: str | None = encoding
        self._where = str(path)
        self._raw: BinaryIO = path.open("rb")
        self._size = path.stat().st_size
        self._text = io.TextIOWrapper(
            self._raw, encoding=encoding, errors=ERRORS, newline=""
        )
        self._kept: list[tuple[int, list[str]]] = []  # (index of first line, lines)
        self._fed = 0  # lines read from the file so far
        self._done = 0  # lines consumed by finished records (blank lines included)
        self._base = 0  # lines consumed before the current csv.reader started
        self._bad_seen = BAD_BYTES[0]
        self._chunk_clean = True  # last chunk: no quote, NUL or undecodable byte
        self._suspect_seen = False  # some chunk held NUL or undecodable bytes
        self._forbidden: frozenset[int] = frozenset()
        self.header: list[str] = []
        self.blank_lines = 0
        self.fast_rows = 0  # rows that took the fast path (for tests and tuning)
        first = self._skip_blank_start()
        self.delimiter = delimiter or sniff_delimiter(first)
        self._reader = self._new_reader(self._replay_from(self._done))
        self.header = self._read_header()

    # -- line feed -----------------------------------------------------------------

    def _read_chunk(self) -> list[str]:
        kept = self._kept
        while kept and kept[0][0] + len(kept[0][1]) <= self._done:
            kept.pop(0)
        text = self._text.read(CHUNK_CHARS)
        if not text:
            return []
        if text.endswith("\r"):
            text += self._text.read(1)
        if not text.endswith(("\n", "\r")):
            text += self._text.readline()
        suspect = "\x00" in text or (
            BAD_BYTES[0] != self._bad_seen and has_bad_bytes(text)
        )
        self._suspect_seen = self._suspect_seen or suspect
        self._chunk_clean = not suspect and '"' not in text
        lines = io.StringIO(text, newline="").readlines()
        kept.append((self._fed, lines))
        self._fed += len(lines)
        return lines

    def _feed(self) -> Iterator[list[str]]:
        """Further chunks for the careful path; refuses runaway records."""
        while True:
            if self._fed - self._done > MAX_RECORD_LINES:
                raise _RecordTooLong
            lines = self._read_chunk()
            if not lines:
                return
            yield lines

    def _replay_from(self, index: int) -> list[str]:
        """Kept lines from global index ``index`` (0-based) to the last line read."""
        out: list[str] = []
        for first, lines in self._kept:
            if first + len(lines) > index:
                out.extend(lines[max(0, index - first) :])
        return out

    def _new_reader(self, replay: list[str]) -> Any:
        self._base = self._done
        source = itertools.chain(replay, itertools.chain.from_iterable(self._feed()))
        return csv.reader(source, delimiter=self.delimiter, quotechar='"', strict=True)

    def _skip_blank_start(self) -> str:
        """Count blank lines before the header; return the header's first line."""
        while True:
            for line in self._replay_from(self._done):
                if not _is_blank(line):
                    return line
                self._done += 1
                self.blank_lines += 1
            if not self._read_chunk():
                raise UserInputError(
                    f"{self._where} is empty (no header and no rows); export the "
                    "list again"
                )

    def _read_header(self) -> list[str]:
        try:
            cells = next(self._reader)
        except (csv.Error, _RecordTooLong, StopIteration) as exc:
            raise UserInputError(
                f"{self._where}: cannot read the header row (line {self._done + 1}): "
                f"{exc or 'unexpected end of file'}; check its quotes"
            ) from None
        self._done = self._base + self._reader.line_num
        return clean_header(cells, where=self._where)

    def set_multiline_forbidden(self, columns: frozenset[int]) -> None:
        """Columns in which a line break means a broken quote (see module notes)."""
        self._forbidden = columns

    # -- batches -------------------------------------------------------------------

    def batches(self, size: int) -> Iterator[RawBatch]:
        """Yield batches of about ``size`` rows (see module notes for the rules)."""
        batch = RawBatch(blank_lines=self.blank_lines)
        self.blank_lines = 0
        rest = self._replay_from(self._done)  # the first chunk, after the header
        if rest and not self._suspect_seen and not any('"' in line for line in rest):
            self._fast(rest, batch)
        while True:
            if self._done < self._fed:
                yield from self._careful(batch, size)
                batch = self._current
                continue
            lines = self._read_chunk()
            if not lines:
                break
            if self._chunk_clean and self._fast(lines, batch):
                pass
            else:
                self._reader = self._new_reader(lines)
            if len(batch) >= size:
                yield batch
                batch = RawBatch()
        if len(batch) or batch.blank_lines:
            yield batch

    def _fast(self, lines: list[str], batch: RawBatch) -> bool:
        """Split a clean chunk with Arrow; False when it needs the careful path."""
        width = len(self.header)
        body = pc.utf8_rtrim(pa.array(lines, pa.string()), characters="\r\n")
        if pc.max(pc.utf8_length(body)).as_py() > MAX_FIELD_BYTES:
            return False  # the careful path enforces the field-size limit
        parts = pc.split_pattern(body, pattern=self.delimiter)
        counts = pc.list_value_length(parts).to_numpy(zero_copy_only=False)
        # Blank: nothing but delimiters and white space (trimming stops early).
        stripped = pc.utf8_trim(body, characters=_PY_SPACES + self.delimiter)
        blank = pc.equal(stripped, "").to_numpy(zero_copy_only=False)
        good = ~blank
        if not np.all(counts[good] == width):
            return False
        n_blank = int(blank.sum())
        if n_blank:
            parts = parts.filter(pa.array(good))
        columns = [pc.list_element(parts, k) for k in range(width)]
        first_line = self._done + 1
        lines_of_rows = (np.flatnonzero(good) + first_line).tolist()
        batch.add_columns(columns, lines_of_rows)
        batch.blank_lines += n_blank
        self.fast_rows += len(lines_of_rows)
        self._done += len(lines)
        return True

    def _careful(self, batch: RawBatch, size: int) -> Iterator[RawBatch]:
        """Parse with csv.reader until a chunk boundary between records (or EOF)."""
        width = len(self.header)
        header = self.header
        self._current = batch
        while self._done < self._fed:
            reader = self._reader
            try:
                for cells in reader:
                    end = self._base + reader.line_num
                    span = end - self._done
                    if span != 1 and self._suspicious(cells, span):
                        batch.problems.append(
                            self._resync(
                                "a quoted field spans several lines where a line break "
                                "cannot belong (an opening quote never closed?); the "
                                "line is kept as text"
                            )
                        )
                        break
                    line = self._done + 1
                    self._done = end
                    if not cells or (
                        not cells[0].strip() and not "".join(cells).strip()
                    ):
                        batch.blank_lines += 1
                    elif self._suspect_seen and _has_bad_cell(cells):
                        batch.problems.append(self._bad_row(line, header, cells))
                    elif len(cells) == width:
                        batch.rows.append(cells)
                        batch.lines.append(line)
                    elif len(cells) > width and not "".join(cells[width:]).strip():
                        batch.rows.append(cells[:width])
                        batch.lines.append(line)
                    else:
                        batch.problems.append(self._ragged(line, header, cells))
                    if len(batch) >= size:
                        yield batch
                        batch = self._current = RawBatch()
                    if self._done == self._fed:
                        break  # a chunk boundary between records
                else:
                    self._done = self._fed  # end of file
            except csv.Error as exc:
                batch.problems.append(
                    self._resync(f"broken quoting ({exc}); the line is kept as text")
                )
            except _RecordTooLong:
                batch.problems.append(
                    self._resync(
                        f"a quoted field runs over more than {MAX_RECORD_LINES} lines "
                        "(an opening quote never closed?); the line is kept as text"
                    )
                )

    def _resync(self, reason: str) -> RowProblem:
        """Quarantine the current record's first line; re-read the lines after it."""
        index = self._done
        replay = self._replay_from(index)
        first = replay[0] if replay else ""
        self._done = index + 1
        self._reader = self._new_reader(replay[1:])
        return RowProblem(
            index + 1, "(row)", reason, {RAW_KEY: _safe(first.rstrip("\r\n"))}
        )

    def _suspicious(self, cells: list[str], span: int) -> bool:
        if span > MAX_RECORD_LINES or len(cells) < len(self.header):
            return True
        return any(
            i < len(cells) and ("\n" in cells[i] or "\r" in cells[i])
            for i in self._forbidden
        )

    def _bad_row(self, line: int, header: list[str], cells: list[str]) -> RowProblem:
        bad = [
            header[i] if i < len(header) else f"column_{i + 1}"
            for i, c in enumerate(cells)
            if "\x00" in c or has_bad_bytes(c)
        ]
        field = ", ".join(bad) or "(row)"
        return RowProblem(
            line,
            field,
            f"bytes invalid in the {self.encoding} encoding or NUL characters in "
            f"{field}; check the file's encoding (--encoding)",
            _as_original(header, [_safe(c) for c in cells]),
        )

    def _ragged(self, line: int, header: list[str], cells: list[str]) -> RowProblem:
        return RowProblem(
            line,
            "(row)",
            f"row has {len(cells)} fields but the header has {len(header)}",
            _as_original(header, cells),
        )

    def progress(self) -> tuple[int, int]:
        """Bytes read so far and the file size."""
        try:
            return min(self._raw.tell(), self._size), self._size
        except (OSError, ValueError):
            return self._size, self._size

    def close(self) -> None:
        """Close the file."""
        self._text.close()


def _has_bad_cell(cells: list[str]) -> bool:
    return any("\x00" in c or has_bad_bytes(c) for c in cells)


def _safe(text: str) -> str:
    """Text safe to store: undecodable bytes and NULs shown as ``\\xNN``."""
    return show_bad_bytes(text).replace("\x00", "\\x00")


def _as_original(header: list[str], cells: list[Any]) -> dict[str, Any]:
    original: dict[str, Any] = dict(zip(header, cells, strict=False))
    if len(cells) > len(header):
        original[EXTRA_KEY] = list(cells[len(header) :])
    return original
