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
            self._bulk(
                "incident_records",
                (
                    "import_id",
                    "record_key",
                    "source",
                    "line",
                    "incident",
                    "first_day",
                    "last_day",
                    "place_context",
                    "assessment",
                    "original",
                ),
                [
                    [
                        import_id,
                        r["key"],
                        r["source"],
                        r.get("line"),
                        _json(r["incident"]),
                        _day(r.get("first_day")),
                        _day(r.get("last_day")),
                        r.get("place_context"),
                        r.get("assessment"),
                        _json(r.get("original", {})),
                    ]
                    for r in records
                ],
            )
            self._bulk(
                "incident_acknowledgments",
                ("import_id", "ack_id", "line", "acknowledgment", "place", "original"),
                [
                    [
                        import_id,
                        a["ack_id"],
                        a.get("line"),
                        _json(a["acknowledgment"]),
                        a.get("place"),
                        _json(a.get("original", {})),
                    ]
                    for a in acknowledgments
                ],
            )
            self._bulk(
                "incident_quarantine",
                ("import_id", "file", "line", "field", "reason", "original"),
                [
                    [
                        import_id,
                        q["file"],
                        q["line"],
                        q["field"],
                        q["reason"],
                        _json(q.get("original", {})),
                    ]
                    for q in quarantine
                ],
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

    def current_records(self) -> list[dict[str, Any]]:
        """Reports of the latest import of every source, in import and line order."""
        rows = self.backend.fetchall(
            "SELECT record_key, source, line, incident, first_day, last_day, "
            "place_context, assessment, original FROM incident_records WHERE "
            f"import_id IN {self._current('incidents')} ORDER BY import_id, line"
        )
        keys = (
            "key",
            "source",
            "line",
            "incident",
            "first_day",
            "last_day",
            "place_context",
            "assessment",
            "original",
        )
        out = []
        for row in rows:
            item = dict(zip(keys, row, strict=True))
            item["incident"] = json.loads(item["incident"])
            item["original"] = json.loads(item["original"])
            out.append(item)
        return out

    def current_acknowledgments(self) -> list[dict[str, Any]]:
        """Acknowledgments of the latest import of every acknowledgment set."""
        rows = self.backend.fetchall(
            "SELECT ack_id, line, acknowledgment, place, original FROM "
            "incident_acknowledgments WHERE import_id IN "
            f"{self._current('acknowledgments')} ORDER BY import_id, line"
        )
        return [
            {
                "ack_id": r[0],
                "line": r[1],
                "acknowledgment": json.loads(r[2]),
                "place": r[3],
                "original": json.loads(r[4]),
            }
            for r in rows
        ]

    def quarantine(self, import_id: int | None = None) -> list[dict[str, Any]]:
        """Quarantined rows (of one import, or all), with their reasons."""
        where, params = ("WHERE import_id = ?", [import_id]) if import_id else ("", [])
        rows = self.backend.fetchall(
            "SELECT import_id, file, line, field, reason, original FROM "
            f"incident_quarantine {where} ORDER BY import_id, line",
            params,
        )
        return [
            {
                "import_id": r[0],
                "file": r[1],
                "line": r[2],
                "field": r[3],
                "reason": r[4],
                "original": json.loads(r[5]),
            }
            for r in rows
        ]

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
