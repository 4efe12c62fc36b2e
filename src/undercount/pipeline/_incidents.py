"""The incidents section of ``results.json``: incidents matched across sources and
graded, with what belligerents acknowledged, read by :mod:`undercount.incidents`.

This is the pipeline's hook for the incidents stage: reading, matching reports of one
event across sources, grading and attaching acknowledgments are that stage's work
(``read_incidents``, ``match_incidents``, ``grade_clusters``); this module only lays
their results out for the report and ``results.json``. When the stage cannot run
(older version, unreadable file), the section carries a note instead and the rest of
the report is unaffected.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from undercount.pipeline._hashing import to_jsonable

__all__ = ["incidents_section", "lay_out_incidents"]

_NOT_READY = (
    "Incident data could not be read by the incidents stage ({reason}). "
    "Incidents with reported and acknowledged deaths will appear here once it can."
)


def _point(cluster: Any) -> tuple[float | None, float | None, str | None]:
    """Coordinates of the most precise member report that has any."""
    order = {"exact": 0, "near": 1, "neighbourhood": 1, "district": 2}
    located = [r for r in cluster.records if r.latitude is not None]
    if not located:
        return None, None, None
    best = min(located, key=lambda r: order.get(str(r.location_precision), 3))
    return best.latitude, best.longitude, best.location_precision


def _cluster_row(graded: Any) -> dict[str, Any]:
    data = graded.to_dict()
    lat, lon, precision = _point(graded.cluster)
    window = data.get("window") or [None, None]
    low, high = data.get("reported_killed") or [None, None]
    return {
        "cluster_id": data["cluster_id"],
        "date": window[0] if window[0] == window[1] else f"{window[0]} to {window[1]}",
        "place": data.get("place"),
        "lat": lat,
        "lon": lon,
        "location_precision": precision,
        "killed_min": low,
        "killed_max": high,
        "grade": data["grade"],
        "reasons": data.get("reasons", []),
        "alleged": data.get("alleged", []),
        "acknowledged": data.get("acknowledged"),
        "acknowledged_by": sorted(
            {a["belligerent"] for a in data.get("acknowledgments", [])}
        ),
        "reports": [m["key"] for m in data.get("members", [])],
        "sources": sorted(
            {ref for m in data.get("members", []) for ref in m.get("source_refs", [])}
        ),
    }


def _ack_row(record: Any) -> dict[str, Any]:
    a = record.acknowledgment
    return {
        "ack_id": record.ack_id,
        "belligerent": a.belligerent,
        "period_start": a.period_start.iso() if a.period_start else None,
        "period_end": a.period_end.iso() if a.period_end else None,
        "incident_id": a.incident_id,
        "place": record.place,
        "deaths_acknowledged": a.deaths_acknowledged,
        "document": a.document,
        "notes": a.notes,
    }


def _totals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """What the graded incidents add up to (reported spans and acknowledgments)."""
    low = sum(r["killed_min"] or 0 for r in rows)
    high = sum(r["killed_max"] or r["killed_min"] or 0 for r in rows)
    acknowledged = [r for r in rows if r["acknowledged"] is not None]
    by_grade: dict[str, int] = {}
    for r in rows:
        by_grade[r["grade"]] = by_grade.get(r["grade"], 0) + 1
    return {
        "incidents": len(rows),
        "by_grade": by_grade,
        "reported_low": low,
        "reported_high": high,
        "acknowledged_incidents": len(acknowledged),
        "acknowledged_deaths": sum(r["acknowledged"] for r in acknowledged),
    }


def _gap(
    graded: Any,
    acks: list[Any],
    named: dict[str, Any] | None,
    estimated: dict[str, Any] | None,
) -> dict[str, Any] | None:
    """The gap (:func:`undercount.compare.compute_gap`): acknowledged vs documented
    vs named vs estimated, each figure with its provenance, and the statement."""
    try:
        from undercount.compare import Estimated, NamedVictims, compute_gap

        named_input = NamedVictims(**named) if named else None
        estimated_input = Estimated(**estimated) if estimated else None
        report = compute_gap(graded, acks, named=named_input, estimated=estimated_input)
    except Exception as exc:  # the compare stage is young: never break a report
        return {"error": f"{type(exc).__name__}: {exc}"}
    data: dict[str, Any] = to_jsonable(report.to_dict())
    return data


def incidents_section(
    incident_files: Sequence[tuple[str, Path]],
    acknowledgment_files: Sequence[Path] = (),
    decision_files: Sequence[Path] = (),
    published: Sequence[dict[str, Any]] = (),
    *,
    named: dict[str, Any] | None = None,
    estimated: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Read, match and grade incidents; lay them out for the report.

    Parameters
    ----------
    incident_files
        ``(source name, path)`` of each incident file (a generic table's ``source``
        column overrides the name per row).
    acknowledgment_files
        Acknowledgment tables.
    decision_files
        Reviewer decisions on incident matches.
    published
        Published overall figures to show beside the incidents (``figure_id``,
        ``description``, ``low``, ``high``, ``publisher``, ``published``, ``url``).
    named, estimated
        Keyword arguments of :class:`undercount.compare.NamedVictims` and
        :class:`undercount.compare.Estimated` (distinct people on the linked lists,
        the MSE estimate), set beside the acknowledged and documented deaths.

    Returns
    -------
    dict
        ``incidents`` (one row per matched event, with grade and acknowledged
        deaths), ``acknowledgments``, ``totals``, ``gap`` (the compare stage's
        report), ``published``, ``files`` and a ``note``; only ``note`` (and empty
        lists) when the stage cannot run.
    """
    try:
        from undercount.incidents import (
            grade_clusters,
            match_incidents,
            read_acknowledgments,
            read_decisions,
            read_incidents,
        )

        imports = [read_incidents(path, source) for source, path in incident_files]
        ack_imports = [read_acknowledgments(path) for path in acknowledgment_files]
        decisions = [d for path in decision_files for d in read_decisions(path)]
        records = [r for imp in imports for r in imp.records]
        acks = [r for imp in ack_imports for r in imp.records]
        matched = match_incidents(records, decisions=decisions)
        graded = grade_clusters(
            matched.clusters, acknowledgments=acks, decisions=decisions
        )
    except Exception as exc:  # the stage is young: never break a report
        return {
            "incidents": [],
            "acknowledgments": [],
            "files": [],
            "published": list(published),
            "note": _NOT_READY.format(reason=f"{type(exc).__name__}: {exc}"),
        }
    all_imports: list[Any] = [*imports, *ack_imports]
    files = [
        {
            "file": Path(imp.file).name,
            "sha256": imp.file_sha256,
            "rows_in": imp.rows_in,
            "accepted": len(imp.records),
            "quarantined": len(imp.quarantine),
        }
        for imp in all_imports
    ]
    return lay_out_incidents(
        records,
        acks,
        graded,
        gap=_gap(graded, acks, named, estimated),
        files=files,
        published=published,
    )


def lay_out_incidents(
    records: Sequence[Any],
    acknowledgments: Sequence[Any],
    graded: Sequence[Any],
    *,
    gap: dict[str, Any] | None,
    files: Sequence[dict[str, Any]] = (),
    published: Sequence[dict[str, Any]] = (),
    title: str | None = None,
) -> dict[str, Any]:
    """The incidents section of ``results.json`` from graded incidents.

    Parameters
    ----------
    records, acknowledgments, graded
        The reports, every acknowledgment, and the graded incidents.
    gap
        The compare stage's report as a dict (``GapReport.to_dict()``).
    files
        Where the reports and acknowledgments came from.
    published
        Published overall figures shown beside the incidents.
    title
        What the incidents are about (the console headline quotes it).
    """
    rows = sorted(
        (_cluster_row(g) for g in graded),
        key=lambda r: (r["date"] or "", r["place"] or ""),
    )
    section: dict[str, Any] = {
        "incidents": rows,
        "acknowledgments": [_ack_row(r) for r in acknowledgments],
        "totals": _totals(rows),
        "gap": gap,
        "published": list(published),
        "files": list(files),
        "reports": len(records),
        "note": (
            f"{len(records)} reports from {len({r.source for r in records})} "
            f"sources, matched into {len(rows)} incidents and graded by the "
            "incidents stage (undercount.incidents; see docs/incidents.md)."
        ),
    }
    if title is not None:
        section["title"] = title
    return dict(to_jsonable(section))
