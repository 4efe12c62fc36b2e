"""Choosing the format and encoding of a list file and opening the right reader."""

from __future__ import annotations

import os
from pathlib import Path

from undercount.errors import UserInputError
from undercount.ingest._csv import CsvReader
from undercount.ingest._encoding import detect_encoding
from undercount.ingest._json import JsonArrayReader, JsonLinesReader
from undercount.ingest._parquet import ParquetReader
from undercount.ingest._rows import TableReader
from undercount.ingest._xlsx import XlsxReader

__all__ = ["EXTENSIONS", "SAMPLE_BYTES", "format_of", "open_reader"]

#: File extension -> format.
EXTENSIONS = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
}

#: Bytes read to detect the encoding.
SAMPLE_BYTES = 1 << 20

_MAGIC = (
    (b"PK\x03\x04", "a ZIP archive (an XLSX workbook?)", "xlsx"),
    (b"PAR1", "a Parquet file", "parquet"),
    (
        b"\xd0\xcf\x11\xe0",
        "an old Excel .xls workbook (save it as .xlsx or CSV UTF-8)",
        "",
    ),
    (b"%PDF", "a PDF document (for narrative reports use 'undercount extract')", ""),
    (b"\x1f\x8b", "a gzip archive (decompress it first)", ""),
)


def _magic(head: bytes) -> tuple[str, str] | None:
    for magic, what, fmt in _MAGIC:
        if head.startswith(magic):
            return what, fmt
    return None


def format_of(path: Path, head: bytes, configured: str | None) -> str:
    """The file's format: configured, else by extension, else sniffed from bytes."""
    magic = _magic(head)
    if configured is not None:
        fmt = configured
    elif path.suffix.lower() in EXTENSIONS:
        fmt = EXTENSIONS[path.suffix.lower()]
    elif path.suffix.lower() == ".xls":
        raise UserInputError(
            f"{path} is an old Excel .xls workbook, which is not supported; save it "
            "as .xlsx or 'CSV UTF-8' and import that"
        )
    elif magic is not None and magic[1]:
        fmt = magic[1]
    else:
        stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        fmt = "json" if stripped.startswith(b"[") else "csv"
        if stripped.startswith(b"{"):
            fmt = "jsonl"
    binary_formats = ("xlsx", "parquet")
    if magic is not None and (fmt not in binary_formats or magic[1] != fmt):
        raise UserInputError(
            f"{path} is read as {fmt.upper()} but its content is {magic[0]}; "
            "rename it with the right extension or set 'format' in [sources.NAME]"
        )
    if fmt in binary_formats and magic is None:
        raise UserInputError(
            f"{path} should be {fmt.upper()} but does not start like one (damaged, "
            "or another format with the wrong extension?)"
        )
    return fmt


def open_reader(
    path: Path,
    *,
    file_format: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
) -> TableReader:
    """Open a reader on ``path``; the header is read, rows are not yet.

    Raises
    ------
    UserInputError
        When the file is missing, unreadable, empty, binary or in an unknown format.
    """
    where = str(path)
    if not path.exists():
        raise UserInputError(f"file {where!r} does not exist; check the path")
    if not path.is_file():
        raise UserInputError(f"{where!r} is not a regular file")
    if not os.access(path, os.R_OK):
        raise UserInputError(f"file {where!r} cannot be read (permission denied)")
    try:
        with path.open("rb") as fh:
            head = fh.read(SAMPLE_BYTES)
            at_eof = not fh.read(1)
    except OSError as exc:
        raise UserInputError(f"cannot read {where!r}: {exc.strerror}") from None
    if not head:
        raise UserInputError(f"{where} is empty (0 bytes); export the list again")
    fmt = format_of(path, head, file_format)
    if fmt == "xlsx":
        return XlsxReader(path, sheet=sheet)
    if fmt == "parquet":
        return ParquetReader(path)
    if encoding is None:
        encoding = detect_encoding(head, at_eof=at_eof, where=where).encoding
    if fmt == "json":
        return JsonArrayReader(path, encoding=encoding)
    if fmt == "jsonl":
        return JsonLinesReader(path, encoding=encoding)
    if fmt == "tsv":
        delimiter = delimiter or "\t"
    return CsvReader(path, encoding=encoding, delimiter=delimiter, file_format=fmt)
