"""Typed access to the incident tables of a project store (SQL stays here).

The incidents stage converts its objects to plain dicts and back; this module
only stores and reads them. An import is written in one transaction together
with its audit entry (rows, quarantine and accounting, or nothing); the current
reports of a source are those of its latest import.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from undercount.store import _audit
from undercount.store._audit import default_actor
from undercount.store._store import Store

__all__ = ["IncidentTables"]


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _day(value: str | date | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


# (table column, dict key, kind). Kinds: "key" must be present; "json" must be
# present, stored as JSON text; "json?" likewise, ``{}`` when absent; "day" a DATE;
# "" stored as given (``None`` when absent).
_Spec = tuple[tuple[str, str, str], ...]
_RECORDS: _Spec = (
    ("record_key", "key", "key"),
    ("source", "source", "key"),
    ("line", "line", ""),
    ("incident", "incident", "json"),
    ("first_day", "first_day", "day"),
    ("last_day", "last_day", "day"),
    ("place_context", "place_context", ""),
    ("assessment", "assessment", ""),
    ("original", "original", "json?"),
)
_ACKS: _Spec = (
    ("ack_id", "ack_id", "key"),
    ("line", "line", ""),
    ("acknowledgment", "acknowledgment", "json"),
    ("place", "place", ""),
    ("original", "original", "json?"),
)
_QUARANTINE: _Spec = (
    ("file", "file", "key"),
    ("line", "line", "key"),
    ("field", "field", "key"),
    ("reason", "reason", "key"),
    ("original", "original", "json?"),
)


def _encode(item: dict[str, Any], spec: _Spec) -> list[Any]:
    """One table row from a dict (see the spec kinds)."""
    out: list[Any] = []
    for _, key, kind in spec:
        if kind == "key":
            out.append(item[key])
        elif kind == "json":
            out.append(_json(item[key]))
        elif kind == "json?":
            out.append(_json(item.get(key, {})))
        elif kind == "day":
            out.append(_day(item.get(key)))
        else:
            out.append(item.get(key))
    return out


def _decode(row: Sequence[Any], spec: _Spec) -> dict[str, Any]:
    """A dict from a table row selected in spec order (JSON parsed)."""
    return {
        key: json.loads(value) if kind.startswith("json") else value
        for (_, key, kind), value in zip(spec, row, strict=True)
    }


def _columns(spec: _Spec) -> tuple[str, ...]:
    return tuple(column for column, _, _ in spec)


class IncidentTables:
    """The incident tables of ``store`` (schema version 2 and later)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.backend = store.backend

    def _bulk(
        self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> None:
        """Insert many rows at once (Arrow; no per-row statements)."""
        if not rows:
            return
        import pyarrow as pa

        data = pa.table({c: [row[k] for row in rows] for k, c in enumerate(columns)})
        self.backend.insert_arrow(table, columns, [f'"{c}"' for c in columns], data)

    def _next(self, table: str, column: str) -> int:
        rows = self.backend.fetchall(f"SELECT coalesce(max({column}), 0) FROM {table}")
        return int(rows[0][0]) + 1

    # -- imports ---------------------------------------------------------------------
    def find_import(
        self, source: str, file_sha256: str, kind: str
    ) -> dict[str, Any] | None:
        """The latest import of this exact file as ``source`` and ``kind``, if any."""
        rows = self.backend.fetchall(
            "SELECT import_id, source, kind, format, file_path, file_sha256, rows_in, "
            "accepted, quarantined FROM incident_imports WHERE source = ? AND "
            "file_sha256 = ? AND kind = ? ORDER BY import_id DESC LIMIT 1",
            [source, file_sha256, kind],
        )
        return self._import_dict(rows[0]) if rows else None

    @staticmethod
    def _import_dict(row: Sequence[Any]) -> dict[str, Any]:
        keys = (
            "import_id",
            "source",
            "kind",
            "format",
            "file_path",
            "file_sha256",
            "rows_in",
            "accepted",
            "quarantined",
        )
        return dict(zip(keys, row, strict=True))

    def save_import(
        self,
        *,
        source: str,
        kind: str,
        format: str,
        file_path: str,
        file_sha256: str,
        records: Sequence[dict[str, Any]] = (),
        acknowledgments: Sequence[dict[str, Any]] = (),
        quarantine: Sequence[dict[str, Any]] = (),
        actor: str | None = None,
    ) -> int:
        """Write one import atomically (with its audit entry); returns its id.

        ``kind`` is ``incidents`` (``records``) or ``acknowledgments``.
        """
        accepted = len(records) + len(acknowledgments)
        rows_in = accepted + len(quarantine)
        actor = actor or default_actor()
        with self.backend.transaction():
            import_id = self._next("incident_imports", "import_id")
            self.backend.execute(
                "INSERT INTO incident_imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    import_id,
                    source,
                    kind,
                    format,
                    file_path,
                    file_sha256,
                    rows_in,
                    accepted,
                    len(quarantine),
                    _now(),
                    actor,
                ],
            )
            for table, spec, items in (
                ("incident_records", _RECORDS, records),
                ("incident_acknowledgments", _ACKS, acknowledgments),
                ("incident_quarantine", _QUARANTINE, quarantine),
            ):
                self._bulk(
                    table,
                    ("import_id", *_columns(spec)),
                    [[import_id, *_encode(item, spec)] for item in items],
                )
            _audit.append(
                self.backend,
                f"incidents.import.{kind}",
                {
                    "import_id": import_id,
                    "source": source,
                    "file": file_path,
                    "file_sha256": file_sha256,
                    "rows_in": rows_in,
                    "accepted": accepted,
                    "quarantined": len(quarantine),
                },
                actor,
            )
        return import_id

    def imports(self) -> list[dict[str, Any]]:
        """Every import, oldest first."""
        rows = self.backend.fetchall(
            "SELECT import_id, source, kind, format, file_path, file_sha256, rows_in, "
            "accepted, quarantined FROM incident_imports ORDER BY import_id"
        )
        return [self._import_dict(r) for r in rows]

    def _current(self, kind: str) -> str:
        return (
            "(SELECT max(import_id) FROM incident_imports i2 WHERE i2.kind = "
            f"'{kind}' GROUP BY i2.source)"
        )

    def _select(
        self, table: str, spec: _Spec, where: str, params: list[Any]
    ) -> list[dict[str, Any]]:
        names = ", ".join(_columns(spec))
        rows = self.backend.fetchall(
            f"SELECT {names} FROM {table} {where} ORDER BY import_id, line", params
        )
        return [_decode(row, spec) for row in rows]

    def current_records(self) -> list[dict[str, Any]]:
        """Reports of the latest import of every source, in import and line order."""
        where = f"WHERE import_id IN {self._current('incidents')}"
        return self._select("incident_records", _RECORDS, where, [])

    def current_acknowledgments(self) -> list[dict[str, Any]]:
        """Acknowledgments of the latest import of every acknowledgment set."""
        where = f"WHERE import_id IN {self._current('acknowledgments')}"
        return self._select("incident_acknowledgments", _ACKS, where, [])

    def quarantine(self, import_id: int | None = None) -> list[dict[str, Any]]:
        """Quarantined rows (of one import, or all), with their reasons."""
        spec: _Spec = (("import_id", "import_id", ""), *_QUARANTINE)
        if import_id:
            return self._select(
                "incident_quarantine", spec, "WHERE import_id = ?", [import_id]
            )
        return self._select("incident_quarantine", spec, "", [])

    # -- decisions -------------------------------------------------------------------
    def add_decision(self, decision: dict[str, Any], actor: str | None = None) -> int:
        """Append a reviewer decision (never updated or deleted)."""
        with self.backend.transaction():
            decision_id = self._next("incident_decisions", "decision_id")
            self.backend.execute(
                "INSERT INTO incident_decisions VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    decision_id,
                    decision["kind"],
                    decision["key_a"],
                    decision.get("key_b"),
                    decision["reviewer"],
                    decision["reason"],
                    decision["decided_at"],
                ],
            )
            _audit.append(
                self.backend,
                "incidents.decision",
                {"decision_id": decision_id, **decision},
                actor,
            )
        return decision_id

    def decisions(self) -> list[dict[str, Any]]:
        """The decision log, oldest first."""
        rows = self.backend.fetchall(
            "SELECT kind, key_a, key_b, reviewer, reason, decided_at FROM "
            "incident_decisions ORDER BY decision_id"
        )
        keys = ("kind", "key_a", "key_b", "reviewer", "reason", "decided_at")
        return [dict(zip(keys, r, strict=True)) for r in rows]

    # -- match and grade results -------------------------------------------------------
    def save_run(
        self,
        *,
        kind: str,
        settings: dict[str, Any],
        summary: dict[str, Any],
        clusters: Sequence[tuple[str, str]] = (),
        links: Sequence[dict[str, Any]] = (),
        grades: Sequence[dict[str, Any]] = (),
        actor: str | None = None,
    ) -> int:
        """Store a match (``clusters``: ``(cluster_id, record_key)``, ``links``) or
        grade (``grades``: dicts with ``cluster_id`` and ``grade``) run."""
        with self.backend.transaction():
            run_id = self._next("incident_runs", "run_id")
            self.backend.execute(
                "INSERT INTO incident_runs VALUES (?, ?, ?, ?, ?)",
                [run_id, kind, _now(), _json(settings), _json(summary)],
            )
            self._bulk(
                "incident_clusters",
                ("run_id", "cluster_id", "record_key"),
                [[run_id, cluster_id, key] for cluster_id, key in clusters],
            )
            self._bulk(
                "incident_links",
                ("run_id", "key_a", "key_b", "accepted", "link"),
                [
                    [
                        run_id,
                        link["key_a"],
                        link["key_b"],
                        link["accepted"],
                        _json(link),
                    ]
                    for link in links
                ],
            )
            self._bulk(
                "incident_grades",
                ("run_id", "cluster_id", "grade", "detail"),
                [[run_id, g["cluster_id"], g["grade"], _json(g)] for g in grades],
            )
            _audit.append(
                self.backend, f"incidents.{kind}", {"run_id": run_id, **summary}, actor
            )
        return run_id

    def latest_run(self, kind: str) -> dict[str, Any] | None:
        """The latest run of ``kind`` with its rows (clusters, links or grades)."""
        rows = self.backend.fetchall(
            "SELECT run_id, created_at, settings, summary FROM incident_runs WHERE "
            "kind = ? ORDER BY run_id DESC LIMIT 1",
            [kind],
        )
        if not rows:
            return None
        run_id = rows[0][0]
        out: dict[str, Any] = {
            "run_id": run_id,
            "created_at": rows[0][1],
            "settings": json.loads(rows[0][2]),
            "summary": json.loads(rows[0][3]),
        }
        out["clusters"] = self.backend.fetchall(
            "SELECT cluster_id, record_key FROM incident_clusters WHERE run_id = ? "
            "ORDER BY cluster_id, record_key",
            [run_id],
        )
        out["links"] = [
            json.loads(r[0])
            for r in self.backend.fetchall(
                "SELECT link FROM incident_links WHERE run_id = ? "
                "ORDER BY key_a, key_b",
                [run_id],
            )
        ]
        out["grades"] = [
            json.loads(r[0])
            for r in self.backend.fetchall(
                "SELECT detail FROM incident_grades WHERE run_id = ? "
                "ORDER BY cluster_id",
                [run_id],
            )
        ]
        return out
