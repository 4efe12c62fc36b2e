"""Incidents in a project: configuration, and storing/reading through the store.

``undercount.toml`` may hold an ``[incidents]`` table::

    [incidents.sources.airwars]        # reading options of a generic table
    columns = { "Incident Code" = "incident_id", "Civilians killed" = "killed" }
    default_location_precision = "near"

    [incidents.matching]               # MatchSettings
    date_window_days = 3
    threshold = 3.5

    [incidents.grading]                # GradingRules
    not_credible_sources = ["party-media"]

Reports, acknowledgments, reviewer decisions and match/grade results live in the
project store (schema version 2 of the store; see ``store/_migrations_incidents``).

:func:`import_incident_records` stores incidents that did not come from a file
(e.g. narrative reports a reviewer accepted) as an import of their own, with its
audit entry, so that they are matched and graded like any other source.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from undercount.errors import UserInputError
from undercount.incidents._acknowledgments import (
    AcknowledgmentRecord,
    normalise_place,
    read_acknowledgments,
)
from undercount.incidents._decisions import ReviewDecision
from undercount.incidents._grading import GradedIncident, GradingRules
from undercount.incidents._import import detect_format, read_incidents
from undercount.incidents._match import MatchResult
from undercount.incidents._record import IncidentRecord, make_record
from undercount.incidents._settings import IncidentsConfig
from undercount.model import Acknowledgment, Incident
from undercount.store import Store
from undercount.store._incident_tables import IncidentTables

__all__ = ["IncidentsConfig", "ProjectIncidents", "import_incident_records"]


def _record_row(record: IncidentRecord) -> dict[str, Any]:
    return {
        "key": record.key,
        "source": record.source,
        "line": record.line,
        "incident": record.incident.model_dump(mode="json"),
        "first_day": record.first_day,
        "last_day": record.last_day,
        "place_context": record.place_context,
        "assessment": record.assessment,
        "original": dict(record.original),
    }


def _labelled(row: dict[str, Any], file_label: str | None) -> dict[str, Any]:
    """A quarantine row naming ``file_label`` as its file, when one is given."""
    return row if file_label is None else {**row, "file": file_label}


class ProjectIncidents:
    """The incident data of one open project store."""

    def __init__(self, store: Store, config: IncidentsConfig | None = None) -> None:
        self.tables = IncidentTables(store)
        self.config = config or IncidentsConfig()

    def import_file(
        self,
        source: str,
        path: Path,
        *,
        format: str | None = None,
        actor: str | None = None,
        file_label: str | None = None,
    ) -> dict[str, Any]:
        """Read ``path`` and store it as the next import of ``source``.

        ``file_label`` is what the store records as the file (import row,
        quarantine rows, audit entry) instead of the absolute path: the service
        passes the upload's project-relative name so that no server path is kept.

        Returns the summary printed by ``undercount incidents import --json``
        (``status`` ``unchanged`` when this exact file was already imported).
        """
        from undercount.ingest import file_sha256

        path = Path(path)
        config = self.config.sources.get(source)
        fmt = format or detect_format(path, config)
        kind = "acknowledgments" if fmt == "acknowledgments" else "incidents"
        sha = file_sha256(path)
        shown = file_label or str(path.resolve())
        previous = self.tables.find_import(source, sha, kind)
        if previous is not None:
            return {**previous, "file": str(path), "status": "unchanged"}
        if kind == "acknowledgments":
            acks = read_acknowledgments(
                path,
                file_sha256=sha,
                extra_columns=config.extra_columns if config else "error",
            )
            import_id = self.tables.save_import(
                source=source,
                kind=kind,
                format=fmt,
                file_path=shown,
                file_sha256=sha,
                acknowledgments=[
                    {
                        "ack_id": a.ack_id,
                        "line": a.line,
                        "place": a.place,
                        "acknowledgment": a.acknowledgment.model_dump(mode="json"),
                        "original": dict(a.original),
                    }
                    for a in acks.records
                ],
                quarantine=[
                    _labelled(q.to_dict(), file_label) for q in acks.quarantine
                ],
                actor=actor,
            )
            summary = acks.summary(source)
        else:
            result = read_incidents(path, source, format=fmt, config=config)
            import_id = self.tables.save_import(
                source=source,
                kind=kind,
                format=result.format,
                file_path=shown,
                file_sha256=sha,
                records=[_record_row(r) for r in result.records],
                quarantine=[
                    _labelled(q.to_dict(), file_label) for q in result.quarantine
                ],
                actor=actor,
            )
            summary = result.summary()
        return {**summary, "kind": kind, "import_id": import_id, "status": "imported"}

    def records(self) -> list[IncidentRecord]:
        """Current reports of every source (latest import of each)."""
        out = []
        for row in self.tables.current_records():
            incident = Incident.model_validate(row["incident"])
            out.append(
                make_record(
                    incident,
                    first_day=row["first_day"],
                    last_day=row["last_day"],
                    place_context=row["place_context"],
                    assessment=row["assessment"],
                    line=row["line"],
                    original=row["original"],
                )
            )
        return out

    def acknowledgments(self) -> list[AcknowledgmentRecord]:
        """Current acknowledgments.

        Acknowledgments stored before the model had a place carry it only in the
        table's ``place`` column; it is normalised and set on the model here.
        """
        out = []
        for r in self.tables.current_acknowledgments():
            ack = Acknowledgment.model_validate(r["acknowledgment"])
            if ack.place is None and r["place"]:
                place = normalise_place(r["place"])
                ack = Acknowledgment.model_validate(
                    {**ack.model_dump(), "place": place}
                )
            out.append(
                AcknowledgmentRecord(
                    r["ack_id"], ack, ack.place, r["line"], r["original"]
                )
            )
        return out

    def decisions(self) -> list[ReviewDecision]:
        """The reviewer decision log."""
        return [ReviewDecision(**d) for d in self.tables.decisions()]

    def decide(self, decision: ReviewDecision, actor: str | None = None) -> int:
        """Append a decision (checked against the current reports)."""
        keys = {r.key for r in self.records()}
        for key in (decision.key_a, decision.key_b):
            if key is not None and key not in keys:
                raise UserInputError(
                    f"no report {key!r} in this project; keys look like "
                    "'source:incident_id' (see 'undercount incidents list')"
                )
        return self.tables.add_decision(decision.to_row(), actor)

    def save_match(self, result: MatchResult, actor: str | None = None) -> int:
        """Store a match run (clusters and links, accepted and blocked)."""
        return self.tables.save_run(
            kind="match",
            settings=result.settings.model_dump(mode="json"),
            summary=result.summary(),
            clusters=[(c.cluster_id, k) for c in result.clusters for k in c.keys],
            links=[link.to_dict() for link in (*result.links, *result.blocked)],
            actor=actor,
        )

    def save_grades(
        self,
        graded: list[GradedIncident],
        rules: GradingRules,
        actor: str | None = None,
    ) -> int:
        """Store a grade run."""
        counts: dict[str, int] = {}
        for g in graded:
            counts[g.grade] = counts.get(g.grade, 0) + 1
        return self.tables.save_run(
            kind="grade",
            settings=rules.model_dump(mode="json"),
            summary={
                "clusters": len(graded),
                "grades": counts,
                "at": datetime.datetime.now(datetime.UTC).isoformat(),
            },
            grades=[g.to_dict() for g in graded],
            actor=actor,
        )


def _as_record(item: Incident | IncidentRecord) -> IncidentRecord:
    return item if isinstance(item, IncidentRecord) else make_record(item)


def import_incident_records(
    store: Store,
    source: str,
    incidents: Iterable[Incident | IncidentRecord],
    *,
    kind: str,
    actor: str | None = None,
    replace: bool = False,
) -> dict[str, Any]:
    """Store validated incidents of ``source`` as a new import (with audit entry).

    For incidents that do not come from a file: narrative reports a reviewer
    accepted (``kind="narrative"``), hand-entered events. The import is written
    in one transaction with its audit entry (``incidents.import.incidents``),
    like a file import, and the incidents are then matched and graded with the
    others (``undercount incidents match``).

    Parameters
    ----------
    store
        The open project store.
    source
        Source name; every incident must carry it (``Incident.source``).
    incidents
        :class:`~undercount.model.Incident` objects (their date window is the
        interval of their date) or :class:`IncidentRecord` objects.
    kind
        What the incidents are (``narrative``, ``manual``...), stored as the
        import's format.
    actor
        Who imported them (default: the current user).
    replace
        The current reports of a source are those of its latest import. By
        default the source's current reports are carried into the new import
        and a new incident replaces the one with its key (so accepting one
        more incident adds it); ``True`` starts the source afresh.

    Returns
    -------
    dict
        ``source``, ``format``, ``import_id``, ``accepted`` (incidents in the
        new import), ``added`` and ``replaced`` (by key).

    Raises
    ------
    UserInputError
        An incident of another source, a repeated key, an empty ``kind``, or no
        incidents to store.
    """
    if not kind or not kind.strip():
        raise UserInputError(
            "import_incident_records needs a kind (e.g. 'narrative'); got an empty one"
        )
    new = [_as_record(i) for i in incidents]
    wrong = [r.key for r in new if r.source != source]
    if wrong:
        raise UserInputError(
            f"incidents of source {source!r} only; got {', '.join(wrong[:5])}; set "
            "Incident.source or import them under their own source"
        )
    keys = [r.key for r in new]
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    if repeated:
        raise UserInputError(
            f"each incident once per import: {', '.join(repeated[:5])} repeated; "
            "give each incident its own incident_id"
        )
    if not new and replace:
        raise UserInputError(
            f"no incidents to store for {source!r}; pass at least one incident"
        )
    tables = IncidentTables(store)
    rows = [_record_row(r) for r in new]
    replaced = 0
    if not replace:
        fresh = set(keys)
        previous = [r for r in tables.current_records() if r["source"] == source]
        replaced = sum(1 for r in previous if r["key"] in fresh)
        rows = [r for r in previous if r["key"] not in fresh] + rows
    if not rows:
        raise UserInputError(
            f"no incidents to store for {source!r}; pass at least one incident"
        )
    for line, row in enumerate(rows, start=1):
        row["line"] = line
    digest = hashlib.sha256(
        json.dumps(
            [r["incident"] for r in rows], sort_keys=True, ensure_ascii=False
        ).encode("utf-8")
    ).hexdigest()
    import_id = tables.save_import(
        source=source,
        kind="incidents",
        format=kind.strip(),
        file_path=f"<{kind.strip()}>",
        file_sha256=digest,
        records=rows,
        actor=actor,
    )
    return {
        "source": source,
        "format": kind.strip(),
        "import_id": import_id,
        "accepted": len(rows),
        "added": len(new) - replaced,
        "replaced": replaced,
    }
