"""The seam between the store's SQL and a database engine.

:class:`Backend` is the small protocol the store needs: run SQL with parameters,
fetch rows, fetch Arrow batches, bulk-insert an Arrow table, and group statements in a
transaction. :class:`DuckDBBackend` implements it for the embedded project file; a
PostgreSQL backend for the server will implement the same protocol (its SQL
differences are confined to the few ``*_sql`` helpers below).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import duckdb

from undercount.errors import UserInputError

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["Backend", "DuckDBBackend", "StoreLockedError"]


class StoreLockedError(UserInputError):
    """Another process holds the store open for writing."""


class Backend(Protocol):
    """What the store needs from a database engine (DuckDB now, PostgreSQL later)."""

    dialect: str

    def execute(self, sql: str, params: Sequence[object] = ()) -> None:
        """Run one statement."""

    def fetchall(
        self, sql: str, params: Sequence[object] = ()
    ) -> list[tuple[Any, ...]]:
        """Run a query and return every row."""

    def fetch_arrow(
        self, sql: str, params: Sequence[object] = (), batch_size: int = 65_536
    ) -> pa.RecordBatchReader:
        """Run a query and stream the result as Arrow record batches."""

    def insert_arrow(
        self,
        table: str,
        columns: Sequence[str],
        select_sql: Sequence[str],
        data: pa.Table,
    ) -> None:
        """Insert ``data`` into ``table``: ``columns[i]`` gets SQL ``select_sql[i]``.

        ``select_sql`` expressions refer to the columns of ``data`` by name.
        """

    def table_exists(self, name: str) -> bool:
        """Whether a table called ``name`` exists."""

    def json_object_sql(self, pairs: Sequence[tuple[str, str]]) -> str:
        """SQL building a JSON object from ``(key, column expression)`` pairs."""

    def transaction(self) -> Any:
        """Context manager: commit on success, roll back on any exception."""

    @property
    def in_transaction(self) -> bool:
        """Whether a :meth:`transaction` is open."""

    def close(self) -> None:
        """Release the connection (and the file lock)."""


def _quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def quote_identifier(name: str) -> str:
    """Quote ``name`` as an SQL identifier (double quotes, doubled inside)."""
    return '"' + name.replace('"', '""') + '"'


class DuckDBBackend:
    """:class:`Backend` over one DuckDB database file.

    Parameters
    ----------
    path
        Database file; created when missing and ``create`` is true.
    read_only
        Open without taking the write lock (other read-only processes may share
        it). When this process already holds the file open for writing (the web
        service), DuckDB refuses a second, read-only configuration; the
        connection then joins the open database and :attr:`read_only` stays true
        so that the store refuses writes through it.
    """

    dialect = "duckdb"

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self._lock = threading.RLock()
        self._in_transaction = False
        try:
            self._con = self._connect(path, read_only)
        except duckdb.IOException as exc:
            text = str(exc)
            if "lock" in text.lower():
                raise StoreLockedError(
                    f"the store {str(path)!r} is in use by another undercount process; "
                    "wait for it to finish (or stop it) and retry"
                ) from None
            raise UserInputError(
                f"{str(path)!r} is not a readable undercount store "
                f"({text.splitlines()[0]}); restore it from a backup or create a new "
                "project with 'undercount init'"
            ) from None
        except duckdb.Error as exc:
            raise UserInputError(
                f"cannot open the store {str(path)!r}: {str(exc).splitlines()[0]}"
            ) from None
        # Rows are always read back with ORDER BY; not keeping insertion order
        # makes bulk inserts faster.
        self._con.execute("SET preserve_insertion_order = false")
        # Bound DuckDB's own memory (it writes large uncommitted inserts to the
        # database file instead of holding them); $UNDERCOUNT_DUCKDB_MEMORY overrides.
        memory = os.environ.get("UNDERCOUNT_DUCKDB_MEMORY", "1GB")
        self._con.execute("SET memory_limit = ?", [memory])
        threads = os.environ.get("UNDERCOUNT_DUCKDB_THREADS")
        if threads:
            self._con.execute(f"SET threads = {int(threads)}")

    @staticmethod
    def _connect(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.ConnectionException as exc:
            if read_only and "different configuration" in str(exc):
                return duckdb.connect(str(path))
            raise

    @property
    def in_transaction(self) -> bool:
        """Whether a :meth:`transaction` is open."""
        return self._in_transaction

    def execute(self, sql: str, params: Sequence[object] = ()) -> None:
        """Run one statement."""
        with self._lock:
            self._con.execute(sql, list(params))

    def fetchall(
        self, sql: str, params: Sequence[object] = ()
    ) -> list[tuple[Any, ...]]:
        """Run a query and return every row."""
        with self._lock:
            return self._con.execute(sql, list(params)).fetchall()

    def fetch_arrow(
        self, sql: str, params: Sequence[object] = (), batch_size: int = 65_536
    ) -> pa.RecordBatchReader:
        """Run a query and stream the result as Arrow record batches."""
        with self._lock:
            relation = self._con.sql(sql, params=list(params) or None)
            return relation.to_arrow_reader(batch_size)

    def insert_arrow(
        self,
        table: str,
        columns: Sequence[str],
        select_sql: Sequence[str],
        data: pa.Table,
    ) -> None:
        """Insert an Arrow table in bulk (vectorised; no per-row statements)."""
        view = "__undercount_batch"
        cols = ", ".join(quote_identifier(c) for c in columns)
        exprs = ", ".join(select_sql)
        # Registered as a stream: DuckDB then copies the rows. A registered Table
        # stays referenced by the open transaction until commit, so memory would
        # grow with the size of the import.
        import pyarrow as pa

        stream = pa.RecordBatchReader.from_batches(data.schema, data.to_batches())
        with self._lock:
            self._con.register(view, stream)
            try:
                self._con.execute(
                    f"INSERT INTO {quote_identifier(table)} ({cols}) "
                    f"SELECT {exprs} FROM {view}"
                )
            finally:
                self._con.unregister(view)

    def table_exists(self, name: str) -> bool:
        """Whether a table called ``name`` exists in the main schema."""
        rows = self.fetchall(
            "SELECT count(*) FROM information_schema.tables "
            "WHERE table_schema = 'main' AND table_name = ?",
            [name],
        )
        return bool(rows[0][0])

    def json_object_sql(self, pairs: Sequence[tuple[str, str]]) -> str:
        """``json_object('key', expr, ...)``; keys are quoted SQL literals."""
        if not pairs:
            return "json_object()"
        args = ", ".join(f"{_quote_literal(key)}, {expr}" for key, expr in pairs)
        return f"json_object({args})"

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group statements; commit on success, roll back on any exception.

        The connection lock is held per statement, not for the whole transaction,
        so a helper thread may insert batches into the open transaction.
        """
        with self._lock:
            if self._in_transaction:
                raise RuntimeError("nested store transactions are not supported")
            self._con.execute("BEGIN TRANSACTION")
            self._in_transaction = True
        try:
            yield
        except BaseException:
            with self._lock:
                self._in_transaction = False
                self._con.execute("ROLLBACK")
            raise
        else:
            with self._lock:
                self._in_transaction = False
                self._con.execute("COMMIT")

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the database file."""
        with self._lock:
            self._con.execute("CHECKPOINT")

    def close(self) -> None:
        """Close the connection and release the file lock."""
        with self._lock:
            self._con.close()
