"""One wrapper around the project store for the whole service (Datasette's idea).

Routes never touch DuckDB. They hand a function to :class:`Database`, which runs it
on a thread: writes on one dedicated thread (so they are serialised and an import's
long transaction cannot interleave with anything else), reads on one more thread
with a second connection to the same file (DuckDB gives it its own transaction
context, so a read never sees a half-written import; one thread per connection,
because a DuckDB connection runs one query at a time). Background jobs, which
already run on their own thread, use the ``*_sync`` variants.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from undercount.store import Store, migrate_service

__all__ = ["Database"]

T = TypeVar("T")


class Database:
    """The project store behind a write thread and a read connection.

    Parameters
    ----------
    store_path
        The project's ``undercount.duckdb``.

    Notes
    -----
    :meth:`open` applies the store's and the service's pending migrations. Close
    with :meth:`close`; the file lock is held while open, so command-line tools
    that write to the same project must wait until the service stops.
    """

    def __init__(self, store_path: Path) -> None:
        self.store_path = store_path
        self._writer: ThreadPoolExecutor | None = None
        self._reader: ThreadPoolExecutor | None = None
        self._write_store: Store | None = None
        self._read_store: Store | None = None
        self._local = threading.local()

    # -- life cycle -------------------------------------------------------------------

    def open(self) -> Database:
        """Open both connections and apply pending migrations."""
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="undercount-write")
        self._reader = ThreadPoolExecutor(1, thread_name_prefix="undercount-read")
        self._write_store = self._writer.submit(self._open_writer).result()
        # Opened after the writer migrated the store; it refuses writes.
        self._read_store = Store.open(self.store_path, read_only=True)
        return self

    def _open_writer(self) -> Store:
        self._local.is_writer = True
        store = Store.open(self.store_path)
        try:
            migrate_service(store.backend, actor="undercount-service")
        except BaseException:
            store.close()
            raise
        return store

    def close(self) -> None:
        """Wait for queued writes, then close both connections."""
        if self._writer is not None:
            if self._write_store is not None:
                self._writer.submit(self._write_store.close).result()
            self._writer.shutdown(wait=True)
        if self._reader is not None:
            self._reader.shutdown(wait=True)
        if self._read_store is not None:
            self._read_store.close()
        self._writer = self._reader = None
        self._write_store = self._read_store = None

    def __enter__(self) -> Database:
        return self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- running functions ------------------------------------------------------------

    def _stores(self) -> tuple[ThreadPoolExecutor, ThreadPoolExecutor, Store, Store]:
        if (
            self._writer is None
            or self._reader is None
            or self._write_store is None
            or self._read_store is None
        ):
            raise RuntimeError("the database is not open")
        return self._writer, self._reader, self._write_store, self._read_store

    def write_sync(self, fn: Callable[[Store], T]) -> T:
        """Run ``fn(store)`` on the write thread and wait for its result."""
        writer, _, store, _ = self._stores()
        if getattr(self._local, "is_writer", False):
            return fn(store)  # already on the write thread: no deadlock
        return writer.submit(fn, store).result()

    def read_sync(self, fn: Callable[[Store], T]) -> T:
        """Run ``fn(store)`` on the read connection (committed data only)."""
        _, reader, _, store = self._stores()
        return reader.submit(fn, store).result()

    async def write(self, fn: Callable[[Store], T]) -> T:
        """Run ``fn(store)`` on the write thread without blocking the event loop."""
        writer, _, store, _ = self._stores()
        return await asyncio.wrap_future(writer.submit(fn, store))

    async def read(self, fn: Callable[[Store], T]) -> T:
        """Run ``fn(store)`` on the read connection without blocking the event loop."""
        _, reader, _, store = self._stores()
        return await asyncio.wrap_future(reader.submit(fn, store))
