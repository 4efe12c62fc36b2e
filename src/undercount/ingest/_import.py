"""Importing one file into one source of the store, atomically.

:func:`import_file` hashes the file, returns early when the same file was already
imported with the same settings (a no-op that says so), otherwise opens a reader,
resolves the column mapping, and streams validated batches into one store
transaction (:class:`~undercount.store.ImportWriter`). ``rows_in == accepted +
quarantined`` is asserted per batch, for the whole import, and by the database.
"""

from __future__ import annotations

import hashlib
import json
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from undercount.errors import UserInputError
from undercount.ingest._mapping import NAME_FIELDS, resolve_columns
from undercount.ingest._open import open_reader
from undercount.ingest._validate import BatchValidator, Validated
from undercount.project import SourceConfig, check_source_name
from undercount.store import ImportWriter, Store

__all__ = ["BATCH_ROWS", "ImportResult", "Progress", "import_file"]

#: Rows per batch: large enough for bulk inserts, small enough for bounded memory.
BATCH_ROWS = 50_000

#: Progress callback: ``(done, total, rows_so_far)``; done/total in bytes or rows.
Progress = Callable[[int, int, int], None]

# Line breaks inside these fields betray a broken quote (see _csv.py).
_SINGLE_LINE = ("record_id", *NAME_FIELDS, "sex", "age", "birth_year", "date_of_death",
                "incident_id")  # fmt: skip


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import did; ``rows_in == accepted + quarantined``.

    ``status`` is ``"imported"`` (a new version of the source) or ``"unchanged"``
    (this exact file was already imported with the same settings; the counts are
    those of that earlier import and nothing was written).
    """

    source: str
    file: str
    file_sha256: str
    rows_in: int
    accepted: int
    quarantined: int
    blank_lines: int
    import_id: int
    version: int
    status: str
    format: str
    encoding: str | None
    columns: dict[str, str]
    seconds: float

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (the object printed by ``undercount import --json``)."""
        return asdict(self)


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
    except OSError as exc:
        raise UserInputError(f"cannot read {str(path)!r}: {exc.strerror}") from None
    return digest.hexdigest()


def _settings(config: SourceConfig) -> tuple[dict[str, Any], str]:
    data = config.model_dump(exclude={"title", "file"})
    text = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return data, hashlib.sha256(text.encode()).hexdigest()


def import_file(
    store: Store,
    source: str,
    path: Path,
    config: SourceConfig | None = None,
    *,
    progress: Progress | None = None,
    batch_rows: int = BATCH_ROWS,
    actor: str | None = None,
) -> ImportResult:
    """Import ``path`` as the next version of ``source``.

    Parameters
    ----------
    store
        The open project store.
    source
        Source name (``[sources.NAME]`` in ``undercount.toml``).
    path
        The list file (CSV, TSV, XLSX, JSON, JSON Lines or Parquet).
    config
        How to read it (format, encoding, column mapping...); defaults apply when
        ``None``. Command-line overrides are merged in by the caller.
    progress
        Called after each batch with ``(done, total, rows)``.

    Returns
    -------
    ImportResult

    Raises
    ------
    UserInputError
        When the file cannot be read at all (missing, empty, binary, unknown or
        missing columns...). Nothing is written to the store in that case.
    """
    check_source_name(source)
    config = config or SourceConfig()
    started = time.perf_counter()
    path = Path(path)
    where = str(path)
    stat_before = _stat(path)
    sha = file_sha256(path)
    settings, settings_sha = _settings(config)
    previous = store.find_import(source, sha, settings_sha)
    if previous is not None:
        store.append_audit(
            "import.unchanged",
            {
                "source": source,
                "file": str(path.resolve()),
                "file_sha256": sha,
                "same_as_import": previous.import_id,
            },
            actor=actor,
        )
        return ImportResult(
            source=source,
            file=where,
            file_sha256=sha,
            rows_in=previous.rows_in,
            accepted=previous.accepted,
            quarantined=previous.quarantined,
            blank_lines=previous.blank_lines,
            import_id=previous.import_id,
            version=previous.version,
            status="unchanged",
            format=previous.format,
            encoding=previous.encoding,
            columns=store.import_settings(previous.import_id).get(
                "resolved_columns", {}
            ),
            seconds=time.perf_counter() - started,
        )
    reader = open_reader(
        path,
        file_format=config.format,
        encoding=config.encoding,
        delimiter=config.delimiter,
        sheet=config.sheet,
    )
    try:
        columns = resolve_columns(
            reader.header,
            config.columns,
            extra_columns=config.extra_columns,
            source=source,
            where=where,
        )
        reader.set_multiline_forbidden(
            frozenset(columns.fields[f] for f in _SINGLE_LINE if f in columns.fields)
        )
        validator = BatchValidator(
            columns, source=source, file_label=path.name, dayfirst=config.dayfirst
        )
        resolved = columns.describe()
        rows_in = accepted = quarantined = blank = 0
        with store.begin_import(
            source=source,
            title=config.title,
            file_path=str(path.resolve()),
            file_sha256=sha,
            file_size=stat_before[0],
            settings={**settings, "resolved_columns": resolved},
            settings_sha256=settings_sha,
            actor=actor,
        ) as writer:
            with _Pipeline(writer, columns.header) as pipeline:
                for batch in reader.batches(batch_rows):
                    blank += batch.blank_lines
                    size = len(batch)
                    result = validator.validate(batch)
                    pipeline.put(result)
                    rows_in += size
                    accepted += result.accepted
                    quarantined += result.quarantined
                    if progress is not None:
                        done, total = reader.progress()
                        progress(done, total, rows_in)
            if rows_in == 0:
                raise UserInputError(
                    f"{where} has a header but no data rows; nothing was imported"
                )
            if _stat(path) != stat_before:
                raise UserInputError(
                    f"{where} changed while it was being imported; nothing was "
                    "imported; import it again once it is complete"
                )
            info = writer.commit(
                rows_in=rows_in,
                blank_lines=blank,
                file_format=reader.format,
                encoding=reader.encoding,
                accepted=accepted,
                quarantined=quarantined,
            )
    finally:
        reader.close()
    return ImportResult(
        source=source,
        file=where,
        file_sha256=sha,
        rows_in=info.rows_in,
        accepted=info.accepted,
        quarantined=info.quarantined,
        blank_lines=info.blank_lines,
        import_id=info.import_id,
        version=info.version,
        status=info.status,
        format=info.format,
        encoding=info.encoding,
        columns=resolved,
        seconds=time.perf_counter() - started,
    )


class _Pipeline:
    """Insert validated batches on a second thread while the next batch is parsed.

    DuckDB and Arrow release the GIL, so parsing (Python) and inserting (C++) overlap
    on two cores. At most two batches wait in the queue (bounded memory). Leaving
    the ``with`` block waits for the inserts; an insert error is re-raised there.
    """

    def __init__(self, writer: ImportWriter, raw_keys: list[str]) -> None:
        self._writer = writer
        self._keys = raw_keys
        self._queue: queue.Queue[Validated | None] = queue.Queue(maxsize=2)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> _Pipeline:
        self._thread.start()
        return self

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            if self._error is not None:
                continue  # drain after a failure
            try:
                self._writer.add_records(item.records, self._keys)
                self._writer.add_quarantine(item.quarantine)
            except BaseException as exc:  # re-raised on the caller's thread
                self._error = exc

    def put(self, item: Validated) -> None:
        """Queue a batch for insertion (blocks while two are waiting)."""
        if self._error is not None:
            raise self._error
        self._queue.put(item)

    def __exit__(self, *exc: object) -> None:
        self._queue.put(None)
        self._thread.join()
        if self._error is not None and exc[0] is None:
            raise self._error


def _stat(path: Path) -> tuple[int, int]:
    try:
        st = path.stat()
    except OSError as exc:
        raise UserInputError(f"cannot read {str(path)!r}: {exc.strerror}") from None
    return st.st_size, st.st_mtime_ns
