"""The :class:`Store` facade: one project database, typed methods, SQL kept inside.

Callers never write SQL against the store; they call :class:`Store` methods, which
keeps the schema free to evolve through migrations and lets a PostgreSQL backend
replace DuckDB behind the same methods.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from undercount.errors import UserInputError
from undercount.store import _audit, _schema
from undercount.store._backend import Backend, DuckDBBackend
from undercount.store._decisions import (
    StoredDecision,
    add_decision,
    import_decisions,
    stored_decisions,
)
from undercount.store._schema import StoreVersionError, current_version, migrate
from undercount.store._types import (
    AuditEntry,
    ImportInfo,
    QuarantineEntry,
    SourceStatus,
    SourceVersion,
)
from undercount.store._writer import RECORD_FIELDS, ImportWriter

if TYPE_CHECKING:
    import pyarrow as pa

    from undercount.link import ReviewDecision

__all__ = ["Store"]

_IMPORT_COLUMNS = (
    "import_id, source, version, file_path, file_sha256, file_size, settings_sha256, "
    "format, encoding, rows_in, accepted, quarantined, blank_lines, started_at, "
    "finished_at, status, actor"
)

_CURRENT = (
    "(SELECT source, max(version) AS version FROM source_versions GROUP BY source)"
)


def _import_info(row: tuple[Any, ...]) -> ImportInfo:
    return ImportInfo(*row)


class Store:
    """A project's database: sources, versions, imports, records, quarantine, audit.

    Open with :meth:`create` (new file) or :meth:`open` (existing file), preferably
    as a context manager. Opening applies pending migrations (recorded in the audit
    log); a store written by a newer undercount is refused with
    :class:`~undercount.store.StoreVersionError`.

    Examples
    --------
    >>> with Store.open(project.store_path) as store:  # doctest: +SKIP
    ...     for status in store.source_status():
    ...         print(status.name, status.records)
    """

    def __init__(self, backend: Backend, *, read_only: bool = False) -> None:
        self.backend = backend
        self.read_only = read_only
        path = getattr(backend, "path", None)
        self.path: Path | None = Path(path) if path is not None else None

    def display_path(self, path: str | Path) -> str:
        """``path`` as the audit log records it: relative to the project folder
        (the store's folder) when inside it, else only the file name.

        Audit entries are shown through the web API, so they never hold a server's
        absolute paths.
        """
        target = Path(path)
        if self.path is not None:
            try:
                return (
                    target.resolve().relative_to(self.path.resolve().parent).as_posix()
                )
            except ValueError:
                pass
        return target.name

    def require_writable(self, what: str) -> None:
        """Refuse a write to a store opened read-only (``what``: the write)."""
        if self.read_only:
            raise UserInputError(
                f"cannot {what}: the store was opened read-only; open it with "
                "Store.open(path) to write"
            )

    # -- transactions and the audit log ---------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group writes in one transaction (commit on success, else roll back).

        Inside it, :meth:`append_audit` joins the transaction, so a change and its
        audit entry are committed together or not at all.
        """
        self.require_writable("write")
        with self.backend.transaction():
            yield

    @contextmanager
    def audited(
        self, action: str, details: dict[str, Any], *, actor: str
    ) -> Iterator[AuditEntry]:
        """One transaction holding a change and its audit entry (who, when, what).

        The entry is appended first, so the body may refer to it; an exception in
        the body rolls back both.

        Examples
        --------
        >>> with store.audited("user.create", {"user": "ana"}, actor="admin"):
        ...     store.backend.execute("INSERT ...")  # doctest: +SKIP
        """
        with self.transaction():
            yield _audit.append(self.backend, action, details, actor)

    @classmethod
    def create(cls, path: Path) -> Store:
        """Create a new, empty store at ``path`` (which must not exist)."""
        if path.exists():
            raise UserInputError(
                f"{str(path)!r} already exists; open it instead or choose another path"
            )
        return cls._connect(path)

    @classmethod
    def open(cls, path: Path, *, read_only: bool = False) -> Store:
        """Open an existing store, upgrading its schema if it is older.

        With ``read_only=True`` nothing is written: no migration is applied (a store
        of an older schema is read as it is), no audit entry is made, and every
        writing method raises :class:`~undercount.errors.UserInputError`. Other
        read-only processes may open the file at the same time; a process writing
        to it (``undercount serve``, an import) still excludes them, as DuckDB
        allows one writing process per file.
        """
        if not path.is_file():
            raise UserInputError(
                f"no store at {str(path)!r}; create the project with 'undercount init'"
            )
        if read_only:
            return cls._connect_read_only(path)
        return cls._connect(path)

    @classmethod
    def _connect_read_only(cls, path: Path) -> Store:
        backend = DuckDBBackend(path, read_only=True)
        try:
            version = current_version(backend)
            known = _schema.SCHEMA_VERSION
            if version > known:
                raise StoreVersionError(
                    f"the store has schema version {version} but this undercount "
                    f"only knows versions up to {known}; upgrade undercount to open it"
                )
            if version == 0:
                raise StoreVersionError(
                    f"{str(path)!r} is an empty database, not an undercount store; "
                    "create the project with 'undercount init'"
                )
        except BaseException:
            backend.close()
            raise
        return cls(backend, read_only=True)

    @classmethod
    def _connect(cls, path: Path) -> Store:
        backend = DuckDBBackend(path)
        try:
            before = current_version(backend)
            applied = migrate(backend)
            if applied:
                with backend.transaction():
                    _audit.append(
                        backend,
                        "store.migrate",
                        {"from": before, "to": applied[-1], "path": path.name},
                    )
        except BaseException:
            backend.close()
            raise
        return cls(backend)

    def close(self) -> None:
        """Close the database (and release its lock)."""
        self.backend.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        """The schema version of the open store."""
        return current_version(self.backend)

    # -- sources and versions -------------------------------------------------------

    def _ensure_source(
        self, name: str, title: str | None, actor: str | None = None
    ) -> None:
        """Create the source row if missing (inside the caller's transaction)."""
        rows = self.backend.fetchall("SELECT title FROM sources WHERE name = ?", [name])
        if not rows:
            self.backend.execute(
                "INSERT INTO sources VALUES (?, ?, ?)",
                [name, title, datetime.now(UTC).replace(tzinfo=None)],
            )
            _audit.append(self.backend, "source.create", {"source": name}, actor)
        elif title is not None and rows[0][0] != title:
            self.backend.execute(
                "UPDATE sources SET title = ? WHERE name = ?", [title, name]
            )

    def sources(self) -> list[str]:
        """Names of every source, sorted."""
        return [
            r[0] for r in self.backend.fetchall("SELECT name FROM sources ORDER BY 1")
        ]

    def versions(self, source: str) -> list[SourceVersion]:
        """Every version of ``source``, oldest first."""
        rows = self.backend.fetchall(
            "SELECT source, version, import_id, file_sha256, settings_sha256, "
            "created_at FROM source_versions WHERE source = ? ORDER BY version",
            [source],
        )
        return [SourceVersion(*r) for r in rows]

    def find_import(
        self, source: str, file_sha256: str, settings_sha256: str
    ) -> ImportInfo | None:
        """The import of this exact file with these settings into ``source``, if any."""
        rows = self.backend.fetchall(
            f"SELECT {_IMPORT_COLUMNS} FROM imports WHERE source = ? AND "
            "file_sha256 = ? AND settings_sha256 = ? ORDER BY import_id DESC LIMIT 1",
            [source, file_sha256, settings_sha256],
        )
        return _import_info(rows[0]) if rows else None

    # -- imports --------------------------------------------------------------------

    def begin_import(
        self,
        *,
        source: str,
        file_path: str,
        file_sha256: str,
        file_size: int,
        settings: dict[str, Any],
        settings_sha256: str,
        title: str | None = None,
        actor: str | None = None,
    ) -> ImportWriter:
        """Start an atomic import of one file as the next version of ``source``.

        Use the result as a context manager; see :class:`ImportWriter`. ``actor``
        (default: ``$UNDERCOUNT_ACTOR`` or the OS user) is recorded with the
        import and in the audit entries of the import and of a new source.
        """
        self.require_writable("import a file")
        return ImportWriter(
            self,
            source=source,
            title=title,
            file_path=file_path,
            file_sha256=file_sha256,
            file_size=file_size,
            settings=settings,
            settings_sha256=settings_sha256,
            actor=actor,
        )

    def import_settings(self, import_id: int) -> dict[str, Any]:
        """The reading settings recorded with an import (mapping, encoding...)."""
        rows = self.backend.fetchall(
            "SELECT settings FROM imports WHERE import_id = ?", [import_id]
        )
        if not rows:
            raise KeyError(import_id)
        settings: dict[str, Any] = json.loads(rows[0][0])
        return settings

    def imports(self, source: str | None = None) -> list[ImportInfo]:
        """Committed imports, oldest first (optionally of one source)."""
        sql = f"SELECT {_IMPORT_COLUMNS} FROM imports"
        params: list[object] = []
        if source is not None:
            sql += " WHERE source = ?"
            params.append(source)
        return [
            _import_info(r) for r in self.backend.fetchall(sql + " ORDER BY 1", params)
        ]

    def source_status(self) -> list[SourceStatus]:
        """Per source: versions, current version, its records and quarantined rows."""
        rows = self.backend.fetchall(
            f"""
            SELECT s.name, s.title,
                   (SELECT count(*) FROM source_versions v WHERE v.source = s.name),
                   c.version,
                   (SELECT count(*) FROM records r
                     WHERE r.source = s.name AND r.version = c.version),
                   (SELECT count(*) FROM quarantine q
                     WHERE q.source = s.name AND q.version = c.version),
                   (SELECT max(import_id) FROM imports i WHERE i.source = s.name)
            FROM sources s LEFT JOIN {_CURRENT} c ON c.source = s.name
            ORDER BY s.name
            """
        )
        last = {i.import_id: i for i in self.imports()}
        return [
            SourceStatus(
                name=r[0],
                title=r[1],
                versions=int(r[2]),
                current_version=r[3],
                records=int(r[4]),
                quarantined=int(r[5]),
                last_import=last.get(r[6]) if r[6] is not None else None,
            )
            for r in rows
        ]

    # -- records and quarantine -----------------------------------------------------

    def record_count(
        self, source: str | None = None, *, version: int | None = None
    ) -> int:
        """Number of accepted records of the current versions (or one version)."""
        sql, params = self._records_filter(source, version)
        return int(
            self.backend.fetchall(f"SELECT count(*) FROM records r {sql}", params)[0][0]
        )

    def _records_filter(
        self, source: str | None, version: int | None
    ) -> tuple[str, list[object]]:
        params: list[object] = []
        if version is not None:
            if source is None:
                raise ValueError("version needs a source")
            return "WHERE r.source = ? AND r.version = ?", [source, version]
        sql = f"JOIN {_CURRENT} c ON c.source = r.source AND c.version = r.version"
        if source is not None:
            sql += " WHERE r.source = ?"
            params.append(source)
        return sql, params

    def records(
        self,
        source: str | None = None,
        *,
        version: int | None = None,
        columns: tuple[str, ...] | None = None,
        batch_size: int = 65_536,
    ) -> pa.RecordBatchReader:
        """Stream accepted records as Arrow batches, ordered by source and line.

        By default the current version of every source; ``version`` selects an older
        version of one source (old versions stay queryable). ``columns`` defaults to
        ``source, version, import_id, line``, the normalised fields and ``original``.
        """
        allowed = ("source", "version", "import_id", "line", *RECORD_FIELDS, "original")
        wanted = columns or allowed
        unknown = [c for c in wanted if c not in allowed]
        if unknown:
            raise ValueError(f"unknown record columns {unknown}; use some of {allowed}")
        where, params = self._records_filter(source, version)
        select = ", ".join(f"r.{c}" for c in wanted)
        return self.backend.fetch_arrow(
            f"SELECT {select} FROM records r {where} ORDER BY r.source, r.line",
            params,
            batch_size,
        )

    def quarantine(
        self,
        source: str | None = None,
        *,
        import_id: int | None = None,
        current_only: bool = True,
    ) -> Iterator[QuarantineEntry]:
        """Quarantined rows (by default of the current version of each source)."""
        where: list[str] = []
        params: list[object] = []
        join = ""
        if current_only and import_id is None:
            join = f"JOIN {_CURRENT} c ON c.source = q.source AND c.version = q.version"
        if source is not None:
            where.append("q.source = ?")
            params.append(source)
        if import_id is not None:
            where.append("q.import_id = ?")
            params.append(import_id)
        sql = (
            "SELECT q.import_id, q.source, q.version, q.file, q.line, q.field, "
            f"q.reason, q.errors, q.original FROM quarantine q {join}"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY q.source, q.import_id, q.line"
        )
        reader = self.backend.fetch_arrow(sql, params, 8192)
        for batch in reader:
            for row in batch.to_pylist():
                yield QuarantineEntry(
                    import_id=row["import_id"],
                    source=row["source"],
                    version=row["version"],
                    file=row["file"],
                    line=row["line"],
                    field=row["field"],
                    reason=row["reason"],
                    errors=json.loads(row["errors"]),
                    original=json.loads(row["original"]),
                )

    # -- audit log ------------------------------------------------------------------

    def append_audit(
        self, action: str, details: dict[str, Any], *, actor: str | None = None
    ) -> AuditEntry:
        """Append one entry to the audit log.

        Inside :meth:`transaction` the entry joins that transaction; otherwise it
        is its own. ``actor`` defaults to ``$UNDERCOUNT_ACTOR`` or the OS user;
        the web service passes the logged-in user. There is deliberately no method
        to change or delete entries.
        """
        self.require_writable("append to the audit log")
        if self.backend.in_transaction:
            return _audit.append(self.backend, action, details, actor)
        with self.backend.transaction():
            return _audit.append(self.backend, action, details, actor)

    def audit_log(self, *, action: str | None = None) -> list[AuditEntry]:
        """Every audit entry, oldest first."""
        return _audit.entries(self.backend, action=action)

    def verify_audit_log(self) -> int | None:
        """Id of the first entry whose hash chain is broken, or None when intact."""
        return _audit.verify(self.backend)

    # -- review decisions -----------------------------------------------------------

    def decisions(self) -> list[StoredDecision]:
        """Every review decision, oldest first (the latest per pair is in force)."""
        return stored_decisions(self)

    def add_decision(
        self,
        decision: ReviewDecision,
        *,
        origin: str = "api",
        run_id: str | None = None,
        actor: str | None = None,
    ) -> int:
        """Append one review decision with its audit entry; its id.

        ``actor`` is who the audit log names (default: the decision's reviewer).
        """
        return add_decision(self, decision, origin=origin, run_id=run_id, actor=actor)

    def import_decisions(
        self,
        decisions: Iterable[ReviewDecision],
        *,
        origin: str,
        actor: str | None = None,
    ) -> int:
        """Add the decisions not yet held (e.g. from a JSON-lines file); how many."""
        return import_decisions(self, decisions, origin=origin, actor=actor)
