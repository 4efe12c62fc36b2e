"""JSON readers: an array of objects (``.json``) and JSON Lines (``.jsonl``).

Both read the file twice, streaming each time: a first pass collects the union of
keys in order of first appearance (the header), a second yields rows. Memory stays
bounded by the largest single object, not the file.

Values: strings as they are, ``null`` as a null cell, numbers and booleans as their
JSON text (``30``, ``true``). An object or array nested in a field cannot be a cell:
the row is quarantined. An element of the array that is not an object, and (in JSON
Lines) a line that is not valid JSON, are quarantined rows. A syntax error inside a
JSON array cannot be skipped safely (where would the next object start?), so it
stops the import with the line and column of the error.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from undercount.errors import UserInputError
from undercount.ingest._cells import cell_text
from undercount.ingest._encoding import ERRORS
from undercount.ingest._header import clean_header
from undercount.ingest._rows import RAW_KEY, RawBatch, RowProblem

__all__ = ["JsonArrayReader", "JsonLinesReader"]

_CHUNK = 1 << 16
_WS = " \t\r\n"


class _Base:
    format = "json"

    def __init__(self, path: Path, *, encoding: str) -> None:
        self.encoding: str | None = encoding
        self._path = path
        self._where = str(path)
        self._size = path.stat().st_size
        self._raw: io.BufferedReader | None = None
        keys: dict[str, None] = {}
        count = 0
        for item in self._items():
            if isinstance(item[1], dict):
                keys.update(dict.fromkeys(item[1]))
                count += 1
        if not keys:
            raise UserInputError(
                f"{self._where} holds no JSON object with any field; expected "
                + (
                    "one object per line"
                    if self.format == "jsonl"
                    else "an array of objects ([{...}, ...])"
                )
            )
        self._keys = list(keys)
        self.header = clean_header(self._keys, where=self._where)
        self.blank_lines = 0

    def _open(self) -> io.TextIOWrapper:
        raw = self._path.open("rb")
        self._raw = raw
        assert self.encoding is not None
        return io.TextIOWrapper(raw, encoding=self.encoding, errors=ERRORS, newline="")

    def _items(self) -> Iterator[tuple[int, Any]]:
        raise NotImplementedError

    def set_multiline_forbidden(self, columns: frozenset[int]) -> None:
        """Not applicable to JSON."""

    def _row(self, line: int, obj: Any, batch: RawBatch) -> None:
        if isinstance(obj, _Invalid):
            batch.problems.append(
                RowProblem(line, "(row)", obj.reason, {RAW_KEY: obj.text})
            )
            return
        if not isinstance(obj, dict):
            batch.problems.append(
                RowProblem(
                    line,
                    "(row)",
                    f"expected a JSON object, got {type(obj).__name__}",
                    {RAW_KEY: json.dumps(obj, ensure_ascii=False)[:10_000]},
                )
            )
            return
        nested = [k for k, v in obj.items() if isinstance(v, dict | list)]
        if nested:
            batch.problems.append(
                RowProblem(
                    line,
                    ", ".join(nested),
                    f"field {nested[0]!r} holds a JSON "
                    f"{'object' if isinstance(obj[nested[0]], dict) else 'array'}; "
                    "expected text or a number",
                    obj,
                )
            )
            return
        batch.rows.append([cell_text(obj.get(k)) for k in self._keys])
        batch.lines.append(line)

    def batches(self, size: int) -> Iterator[RawBatch]:
        """Yield batches of about ``size`` rows."""
        batch = RawBatch(blank_lines=self.blank_lines)
        for line, obj in self._items():
            self._row(line, obj, batch)
            if len(batch) >= size:
                yield batch
                batch = RawBatch()
        if len(batch) or batch.blank_lines:
            yield batch

    def progress(self) -> tuple[int, int]:
        """Bytes read (second pass) and the file size."""
        try:
            done = self._raw.tell() if self._raw is not None else 0
        except (OSError, ValueError):
            done = self._size
        return min(done, self._size), self._size

    def close(self) -> None:
        """Close the file."""
        if self._raw is not None:
            self._raw.close()


class _Invalid:
    """An unparsable JSON Lines line."""

    __slots__ = ("reason", "text")

    def __init__(self, reason: str, text: str) -> None:
        self.reason = reason
        self.text = text


class JsonLinesReader(_Base):
    """One JSON object per line; blank lines are not rows."""

    format = "jsonl"

    def _items(self) -> Iterator[tuple[int, Any]]:
        if self._raw is not None:
            self._raw.close()
        with self._open() as text:
            blank = 0
            for number, line in enumerate(text, start=1):
                stripped = line.strip()
                if not stripped:
                    blank += 1
                    continue
                try:
                    yield number, json.loads(stripped)
                except (ValueError, RecursionError) as exc:
                    yield (
                        number,
                        _Invalid(
                            f"not valid JSON ({str(exc)[:120]})", stripped[:10_000]
                        ),
                    )
            self.blank_lines = blank


class JsonArrayReader(_Base):
    """A JSON array of objects, parsed incrementally."""

    def _items(self) -> Iterator[tuple[int, Any]]:
        if self._raw is not None:
            self._raw.close()
        decoder = json.JSONDecoder()
        with self._open() as text:
            buf = ""
            pos = 0
            line = 1
            eof = False

            def fill() -> bool:
                nonlocal buf, pos, eof
                chunk = text.read(_CHUNK)
                if not chunk:
                    eof = True
                    return False
                buf = buf[pos:] + chunk
                pos = 0
                return True

            def skip_ws() -> None:
                nonlocal pos, line
                while True:
                    while pos < len(buf) and buf[pos] in _WS:
                        if buf[pos] == "\n":
                            line += 1
                        pos += 1
                    if pos < len(buf) or not fill():
                        return

            def fail(what: str) -> UserInputError:
                return UserInputError(
                    f"{self._where} is not a valid JSON array of objects: {what} at "
                    f"line {line}; fix the file (or export it as JSON Lines)"
                )

            skip_ws()
            if pos < len(buf) and buf[pos] == "\ufeff":
                pos += 1
                skip_ws()
            if pos >= len(buf):
                raise UserInputError(f"{self._where} is empty")
            if buf[pos] != "[":
                raise fail(
                    f"expected '[' but found {buf[pos]!r}"
                    + (
                        " (one object per line? name the file .jsonl)"
                        if buf[pos] == "{"
                        else ""
                    )
                )
            pos += 1
            skip_ws()
            if pos < len(buf) and buf[pos] == "]":
                return
            while True:
                skip_ws()
                start_line = line
                while True:
                    try:
                        obj, end = decoder.raw_decode(buf, pos)
                    except json.JSONDecodeError as exc:
                        if not eof and fill():
                            continue
                        raise fail(f"{exc.msg} (column {exc.colno})") from None
                    except RecursionError:
                        raise fail("nesting too deep") from None
                    if end >= len(buf) and not eof and fill():
                        continue  # a number may continue in the next chunk
                    break
                line += buf.count("\n", pos, end)
                pos = end
                yield start_line, obj
                skip_ws()
                if pos >= len(buf):
                    raise fail("unexpected end of file (missing ']')")
                if buf[pos] == ",":
                    pos += 1
                    continue
                if buf[pos] == "]":
                    pos += 1
                    skip_ws()
                    if pos < len(buf):
                        raise fail(f"unexpected {buf[pos]!r} after the closing ']'")
                    return
                raise fail(f"expected ',' or ']' but found {buf[pos]!r}")
