"""An import as one transaction: records, quarantine, bookkeeping, audit, commit.

:class:`ImportWriter` is obtained from :meth:`Store.begin_import`. It opens a
transaction, allocates the import id and the source's next version, takes record and
quarantine batches (Arrow tables, inserted in bulk), and on :meth:`ImportWriter.commit`
checks ``rows_in == accepted + quarantined`` against what was actually inserted before
writing the ``imports`` and ``source_versions`` rows and the audit entry. Leaving the
``with`` block without committing, or with an exception, rolls everything back; a
process killed part-way leaves nothing visible either, because nothing is committed
until the end.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any

from undercount.store import _audit
from undercount.store._backend import quote_identifier
from undercount.store._types import ImportInfo

if TYPE_CHECKING:
    import pyarrow as pa

    from undercount.store._store import Store

__all__ = ["RECORD_FIELDS", "ImportWriter"]

#: Normalised record columns the importer supplies (besides ``line``).
RECORD_FIELDS: tuple[str, ...] = (
    "record_id",
    "name",
    "given_name",
    "father_name",
    "grandfather_name",
    "family_name",
    "sex",
    "age_low",
    "age_high",
    "age_approx",
    "age_text",
    "birth_year",
    "date_of_death",
    "date_start",
    "date_end",
    "date_precision",
    "place_of_death",
    "incident_id",
    "perpetrator",
    "notes",
)

_QUARANTINE_FIELDS = ("line", "field", "reason", "errors", "original")


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class ImportWriter:
    """Write one import atomically; use as a context manager.

    Parameters are as in :meth:`Store.begin_import`.
    """

    def __init__(
        self,
        store: Store,
        *,
        source: str,
        title: str | None,
        file_path: str,
        file_sha256: str,
        file_size: int,
        settings: dict[str, Any],
        settings_sha256: str,
        actor: str | None = None,
    ) -> None:
        self._store = store
        self._backend = store.backend
        self.source = source
        self._title = title
        self.file_path = file_path
        self.file_sha256 = file_sha256
        self.file_size = file_size
        self._settings = settings
        self.settings_sha256 = settings_sha256
        self.actor = actor or _audit.default_actor()
        self.started_at = _now()
        self.import_id = 0
        self.version = 0
        self._accepted = 0
        self._quarantined = 0
        self._committed: ImportInfo | None = None
        self._tx: Any = None

    def __enter__(self) -> ImportWriter:
        self._tx = self._backend.transaction()
        self._tx.__enter__()
        try:
            self._store._ensure_source(self.source, self._title, self.actor)
            self.import_id = int(
                self._backend.fetchall(
                    "SELECT coalesce(max(import_id), 0) + 1 FROM imports"
                )[0][0]
            )
            self.version = int(
                self._backend.fetchall(
                    "SELECT coalesce(max(version), 0) + 1 FROM source_versions "
                    "WHERE source = ?",
                    [self.source],
                )[0][0]
            )
        except BaseException as exc:
            self._tx.__exit__(type(exc), exc, exc.__traceback__)
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        tx, self._tx = self._tx, None
        if tx is None:  # already committed
            return
        if exc is None:
            error = RuntimeError("import left without commit(); rolled back")
            tx.__exit__(RuntimeError, error, None)
            raise error
        tx.__exit__(exc_type, exc, tb)

    @property
    def accepted(self) -> int:
        """Records inserted so far."""
        return self._accepted

    @property
    def quarantined(self) -> int:
        """Quarantine rows inserted so far."""
        return self._quarantined

    def add_records(self, table: pa.Table, raw_keys: Sequence[str]) -> None:
        """Insert accepted records.

        Parameters
        ----------
        table
            Columns ``line``, every name in :data:`RECORD_FIELDS`, and ``raw_0``...
            ``raw_{k-1}``: the cells exactly as read, which become ``original``.
        raw_keys
            The original column names, ``raw_keys[i]`` for ``raw_i``.
        """
        if table.num_rows == 0:
            return
        original = self._backend.json_object_sql(
            [(key, quote_identifier(f"raw_{i}")) for i, key in enumerate(raw_keys)]
        )
        columns = ["import_id", "source", "version", "line", *RECORD_FIELDS, "original"]
        select = [
            str(self.import_id),
            "'" + self.source.replace("'", "''") + "'",
            str(self.version),
            "line",
            *(quote_identifier(f) for f in RECORD_FIELDS),
            original,
        ]
        self._backend.insert_arrow("records", columns, select, table)
        self._accepted += table.num_rows

    def add_quarantine(self, table: pa.Table) -> None:
        """Insert quarantined rows: columns ``line, field, reason, errors, original``.

        ``errors`` and ``original`` are JSON text.
        """
        if table.num_rows == 0:
            return
        columns = ["import_id", "source", "version", "file", *_QUARANTINE_FIELDS]
        select = [
            str(self.import_id),
            "'" + self.source.replace("'", "''") + "'",
            str(self.version),
            "'" + self.file_path.replace("'", "''") + "'",
            *_QUARANTINE_FIELDS,
        ]
        self._backend.insert_arrow("quarantine", columns, select, table)
        self._quarantined += table.num_rows

    def commit(
        self,
        *,
        rows_in: int,
        blank_lines: int,
        file_format: str,
        encoding: str | None,
        accepted: int,
        quarantined: int,
    ) -> ImportInfo:
        """Check the counts, write the import's bookkeeping and commit.

        Raises
        ------
        AssertionError
            When ``rows_in != accepted + quarantined`` or the counts differ from the
            rows actually inserted (a bug; the import is rolled back).
        """
        if rows_in != accepted + quarantined:
            raise AssertionError(
                f"row accounting broken: rows_in={rows_in} != accepted={accepted} + "
                f"quarantined={quarantined}"
            )
        if (accepted, quarantined) != (self._accepted, self._quarantined):
            raise AssertionError(
                f"inserted {self._accepted} records and {self._quarantined} "
                f"quarantine rows but counted {accepted} and {quarantined}"
            )
        finished = _now()
        info = ImportInfo(
            import_id=self.import_id,
            source=self.source,
            version=self.version,
            file_path=self.file_path,
            file_sha256=self.file_sha256,
            file_size=self.file_size,
            settings_sha256=self.settings_sha256,
            format=file_format,
            encoding=encoding,
            rows_in=rows_in,
            accepted=accepted,
            quarantined=quarantined,
            blank_lines=blank_lines,
            started_at=self.started_at,
            finished_at=finished,
            status="imported",
            actor=self.actor,
        )
        b = self._backend
        b.execute(
            "INSERT INTO imports VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                info.import_id,
                info.source,
                info.version,
                info.file_path,
                info.file_sha256,
                info.file_size,
                info.settings_sha256,
                json.dumps(self._settings, sort_keys=True, ensure_ascii=False),
                info.format,
                info.encoding,
                info.rows_in,
                info.accepted,
                info.quarantined,
                info.blank_lines,
                info.started_at,
                info.finished_at,
                info.status,
                info.actor,
            ],
        )
        b.execute(
            "INSERT INTO source_versions VALUES (?, ?, ?, ?, ?, ?)",
            [
                info.source,
                info.version,
                info.import_id,
                info.file_sha256,
                info.settings_sha256,
                finished,
            ],
        )
        _audit.append(
            b,
            "import",
            {
                "import_id": info.import_id,
                "source": info.source,
                "version": info.version,
                "file": self._store.display_path(info.file_path),
                "file_sha256": info.file_sha256,
                "rows_in": rows_in,
                "accepted": accepted,
                "quarantined": quarantined,
            },
            actor=self.actor,
        )
        tx, self._tx = self._tx, None
        tx.__exit__(None, None, None)  # COMMIT
        self._committed = info
        return info
