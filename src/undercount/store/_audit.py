"""The append-only audit log: who did what to the store, and when.

Append-only is enforced in code: the store offers :func:`append` and reads, and no
update or delete. The file itself can still be edited by anyone who can write it, so
each entry also carries ``entry_hash = sha256(prev_hash + canonical JSON of the
entry)``; :func:`verify` recomputes the chain and reports the first entry that was
changed, removed or inserted out of order.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
from datetime import UTC, datetime
from typing import Any

from undercount.store._backend import Backend
from undercount.store._types import AuditEntry

__all__ = ["GENESIS_HASH", "append", "default_actor", "entries", "verify"]

GENESIS_HASH = "0" * 64


def default_actor() -> str:
    """Who is acting: ``$UNDERCOUNT_ACTOR``, else the operating-system user."""
    actor = os.environ.get("UNDERCOUNT_ACTOR")
    if actor:
        return actor
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _canonical(details: dict[str, Any]) -> str:
    return json.dumps(details, sort_keys=True, ensure_ascii=False, default=str)


def entry_hash(
    prev_hash: str, entry_id: int, at: datetime, actor: str, action: str, details: str
) -> str:
    """Hash of one entry, chained to the previous entry's hash."""
    payload = json.dumps(
        [entry_id, at.isoformat(), actor, action, details], ensure_ascii=False
    )
    return hashlib.sha256(f"{prev_hash}\n{payload}".encode()).hexdigest()


def append(
    backend: Backend, action: str, details: dict[str, Any], actor: str | None = None
) -> AuditEntry:
    """Append one entry; call inside the transaction of the change it records."""
    last = backend.fetchall(
        "SELECT id, entry_hash FROM audit_log ORDER BY id DESC LIMIT 1"
    )
    entry_id, prev = (last[0][0] + 1, last[0][1]) if last else (1, GENESIS_HASH)
    at = datetime.now(UTC).replace(tzinfo=None)
    who = actor or default_actor()
    text = _canonical(details)
    digest = entry_hash(prev, entry_id, at, who, action, text)
    backend.execute(
        "INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?)",
        [entry_id, at, who, action, text, prev, digest],
    )
    return AuditEntry(entry_id, at, who, action, json.loads(text), prev, digest)


def entries(backend: Backend, *, action: str | None = None) -> list[AuditEntry]:
    """Every entry in order (optionally only one action)."""
    sql = (
        "SELECT id, logged_at, actor, action, details, prev_hash, entry_hash "
        "FROM audit_log"
    )
    params: list[object] = []
    if action is not None:
        sql += " WHERE action = ?"
        params.append(action)
    rows = backend.fetchall(sql + " ORDER BY id", params)
    return [
        AuditEntry(r[0], r[1], r[2], r[3], json.loads(r[4]), r[5], r[6]) for r in rows
    ]


def verify(backend: Backend) -> int | None:
    """Recompute the hash chain; return the id of the first bad entry, or None."""
    rows = backend.fetchall(
        "SELECT id, logged_at, actor, action, details, prev_hash, entry_hash "
        "FROM audit_log ORDER BY id"
    )
    prev = GENESIS_HASH
    expected_id = 1
    for entry_id, at, actor, action, details, prev_hash, digest in rows:
        details_text = _canonical(json.loads(details))
        if (
            entry_id != expected_id
            or prev_hash != prev
            or entry_hash(prev, entry_id, at, actor, action, details_text) != digest
        ):
            return int(entry_id)
        prev = digest
        expected_id += 1
    return None
