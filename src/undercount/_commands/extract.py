"""``undercount extract FILE`` and ``undercount extract review``.

``undercount extract FILE``: proposed claims and incidents from a narrative report.
Human-readable tables by default (rich); ``--json`` prints one JSON object:
``source``, ``extractor_version``, ``counts``, ``mentions``, ``incidents``,
``claims``, ``records`` (rows ready for the store) and ``warnings``. The full
normalised text is left out of the JSON unless ``--with-text`` is given; spans
index into it. ``--project DIR`` also stores the document and its proposals in
the project (status ``proposed``).

``undercount extract review [accept|correct|reject|show ID [FIELD=VALUE ...]]``
lists a project's proposals, or records a reviewer's decision on one; accepted
and corrected incident proposals become incident reports of the project.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from typer.core import TyperGroup

from undercount.cli import app
from undercount.errors import UserInputError
from undercount.ingest.narrative import (
    Extraction,
    JsonProposalFile,
    extract,
    proposal_records,
)

_DEFAULT = "file"


class _ExtractGroup(TyperGroup):
    """``extract FILE ...`` runs the extraction; ``extract review ...`` reviews.

    Any first argument that is not a sub-command name is the report's path (a
    file called ``review`` is given as ``./review``).
    """

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = [_DEFAULT, *args]
        return super().parse_args(ctx, args)

    def resolve_command(self, ctx: Any, args: list[str]) -> tuple[Any, Any, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        # the default command shows as "undercount extract FILE" in its usage
        return ("" if name == _DEFAULT else name), command, rest


extract_app = typer.Typer(
    name="extract",
    cls=_ExtractGroup,
    no_args_is_help=True,
    help=(
        "Narrative reports. 'undercount extract FILE [--json] [--report-date D] "
        "[--project DIR]' proposes claims and incidents (see 'undercount extract "
        "FILE --help'); 'undercount extract review' lists a project's proposals "
        "and accepts, corrects or rejects them."
    ),
)
app.add_typer(extract_app, name="extract")

_ProjectOption = Annotated[
    Path | None,
    typer.Option(
        "--project", "-p", help="Project directory (default: here).", show_default=False
    ),
]


def _interval(low: int | None, high: int | None) -> str:
    if low is None and high is None:
        return "?"
    if high is None:
        return f"≥ {low:,}"
    if low == high:
        return f"{low:,}"
    return f"{(low or 0):,} – {high:,}"


def _payload(result: Extraction, with_text: bool) -> dict[str, Any]:
    data = result.model_dump(mode="json", exclude=set() if with_text else {"text"})
    data["counts"] = dict(Counter(m.kind for m in result.mentions))
    data["records"] = [r.model_dump(mode="json") for r in proposal_records(result)]
    return data


#: Rows shown per table (and distinct terms per line) in the human output; a long
#: document can yield 100,000 mentions, which no one reads in a terminal and which
#: take minutes to lay out. ``--json`` always has everything.
MAX_SHOWN = 200


def _shown(items: Sequence[Any], what: str, console: Console) -> Sequence[Any]:
    """The first :data:`MAX_SHOWN` items; says how many were left out."""
    if len(items) > MAX_SHOWN:
        console.print(
            f"[dim]{what}: showing {MAX_SHOWN} of {len(items):,}; use --json for all[/]"
        )
        return items[:MAX_SHOWN]
    return items


def _print_human(result: Extraction, console: Console) -> None:
    src = result.source
    when = f", report date {src.report_date}" if src.report_date else ""
    console.print(
        f"[bold]{src.name}[/] ({src.format}, {src.n_chars:,} characters{when}) "
        f"sha256 {src.sha256[:12]}"
    )
    counts = Counter(m.kind for m in result.mentions)
    console.print(
        "found: " + ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))
    )
    for warning in result.warnings:
        console.print(f"[yellow]warning:[/] {warning}")

    table = Table(title="Casualty statements", show_lines=False)
    for column in ("id", "phrase", "interval", "what", "who", "conf"):
        table.add_column(column)
    for c in _shown(result.casualties, "casualty statements", console):
        table.add_row(
            c.id,
            c.text,
            _interval(c.low, c.high),
            ", ".join(c.outcomes),
            c.victims,
            f"{c.confidence:.2f}",
        )
    console.print(table)

    labels: tuple[tuple[str, str, Callable[[Any], str]], ...] = (
        ("place", "Places", lambda m: f"{m.name} [{m.level}, {m.place_id}]"),
        (
            "time",
            "Time",
            lambda m: (
                f"{m.time_kind} {m.value or ''} "
                f"{(m.period_start or '')}..{(m.period_end or '')}"
            ),
        ),
        ("actor", "Actors", lambda m: f"{m.name} [{m.group}]"),
        ("weapon", "Weapons", lambda m: f"{m.name} [{m.category}]"),
        ("organisation", "Organisations", lambda m: f"{m.name} [{m.org_type}]"),
        ("arabic", "Arabic-script terms", lambda m: ""),
    )
    for kind, title, label in labels:
        items = result.of_kind(kind)
        if not items:
            continue
        grouped: dict[str, list[str]] = {}
        for m in items:
            grouped.setdefault(m.text, []).append(label(m))
        lines = [
            f"{text!r} ×{len(v)} → {v[0]}"
            for text, v in _shown(list(grouped.items()), title, console)
        ]
        console.print(f"[bold]{title}[/]: " + "; ".join(lines))

    quotes = Table(title="Quotations")
    for column in ("id", "speaker", "role / organisation", "how", "quote"):
        quotes.add_column(column)
    for q in _shown(result.quotations, "quotations", console):
        role = " / ".join(p for p in (q.speaker_role, q.speaker_organisation) if p)
        short = q.text if len(q.text) <= 90 else q.text[:87] + "…"
        quotes.add_row(q.id, q.speaker or "?", role, q.attribution, short)
    console.print(quotes)

    claims = Table(title="Proposed claims (status: proposed)")
    for column in ("type", "stance", "speaker", "evidence", "contradicts"):
        claims.add_column(column)
    for claim in _shown(result.claims, "claims", console):
        short = (
            claim.evidence if len(claim.evidence) <= 80 else claim.evidence[:77] + "…"
        )
        claims.add_row(
            claim.claim_type,
            claim.stance,
            claim.speaker or "?",
            short,
            str(len(claim.contradicts)),
        )
    console.print(claims)

    incidents = Table(title="Proposed incidents (status: proposed)")
    for column in ("id", "scope", "summary", "actors", "weapons", "conf"):
        incidents.add_column(column)
    for incident in _shown(result.incidents, "incidents", console):
        incidents.add_row(
            incident.id,
            incident.scope,
            incident.summary,
            ", ".join(incident.actor_ids),
            ", ".join(incident.weapon_ids),
            f"{incident.confidence:.2f}",
        )
    console.print(incidents)


@extract_app.command(_DEFAULT, hidden=True)
def extract_command(
    file: Annotated[
        Path, typer.Argument(help="Report: .txt, .html or .pdf", metavar="FILE")
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object instead of tables.")
    ] = False,
    report_date: Annotated[
        str | None,
        typer.Option(
            "--report-date",
            help="Publication date YYYY-MM-DD; resolves 'last week', '17 March', "
            "'nine-month battle'.",
        ),
    ] = None,
    proposals: Annotated[
        Path | None,
        typer.Option(
            "--proposals",
            help="Also add the proposals to this JSON file (created if absent; "
            "existing and reviewed proposals are kept).",
        ),
    ] = None,
    with_text: Annotated[
        bool, typer.Option("--with-text", help="Include the normalised text in JSON.")
    ] = False,
    project: Annotated[
        Path | None,
        typer.Option(
            "--project",
            "-p",
            help="Also store the document and its proposals in this project "
            "(status 'proposed'; review with 'undercount extract review').",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Propose casualty claims and incidents from a narrative report.

    Example: ``undercount extract report.txt --report-date 2017-07-11``
    """
    result = extract(file, report_date=report_date)
    added = None
    if proposals is not None:
        added = JsonProposalFile(proposals).write(proposal_records(result))
    stored = _store(result, project) if project is not None else None
    if as_json:
        payload = _payload(result, with_text)
        if added is not None:
            payload["proposals_added"] = added
        if stored is not None:
            payload["store"] = stored
        typer.echo(json.dumps(payload, ensure_ascii=False))
        return
    console = Console()
    _print_human(result, console)
    if added is not None:
        console.print(f"{added} new proposal(s) written to {proposals}")
    if stored is not None:
        console.print(
            f"{stored['proposals_added']} new proposal(s) stored in the project "
            f"{stored['project']} (document {stored['document_id']}, "
            f"{stored['proposals']} proposals in all); review them with "
            "'undercount extract review'"
        )


def _open_store(project: Path | None) -> tuple[Any, Any]:
    """The project and its open store (the caller closes the store)."""
    from undercount.project import find_project
    from undercount.store import Store

    found = find_project(project)
    if not found.store_path.is_file():
        raise UserInputError(
            f"the project in {str(found.root)!r} has no store; run 'undercount init' "
            "first"
        )
    return found, Store.open(found.store_path)


def _store(result: Extraction, project: Path) -> dict[str, Any]:
    from undercount.ingest.narrative import (
        list_proposals,
        store_extraction,
        sync_incidents,
    )

    found, store = _open_store(project)
    try:
        document_id, added = store_extraction(store, result)
        sync_incidents(store, document_id)  # repairs an interrupted review; idempotent
        total = len(list_proposals(store, document_id=document_id))
    finally:
        store.close()
    return {
        "project": str(found.root),
        "document_id": document_id,
        "proposals_added": added,
        "proposals": total,
    }


_ACTIONS = ("list", "show", "accept", "correct", "reject")


def _short(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _print_list(rows: list[Any], console: Console) -> None:
    counts = Counter(r.status for r in rows)
    console.print(
        f"{len(rows)} proposal(s): "
        + (", ".join(f"{n} {s}" for s, n in sorted(counts.items())) or "none")
    )
    table = Table("doc", "id", "kind", "status", "conf", "summary")
    for column in table.columns[:4]:
        column.no_wrap = True
    for r in rows:
        table.add_row(
            str(r.document_id),
            r.proposal_id,
            r.kind,
            r.status,
            f"{r.confidence:.2f}",
            _short(r.summary),
        )
    console.print(table)


def _print_one(row: Any, document: Any, text: str, console: Console) -> None:
    start, end = row.span_start, row.span_end
    before = text[max(0, start - 160) : start].lstrip()
    after = text[end : end + 160].rstrip()
    console.print(f"[bold]{row.proposal_id}[/] {row.kind}, {row.status}")
    console.print(f"summary: {row.summary}")
    console.print(
        f"document: {document.file_name} (sha256 {document.sha256}), "
        f"characters {start}-{end}, confidence {row.confidence:.2f}"
    )
    lead = "…" if start > 160 else ""
    tail = "…" if end + 160 < len(text) else ""
    console.print(
        f"text: {lead}{escape(before)} »[reverse]{escape(text[start:end])}[/]« "
        f"{escape(after)}{tail}"
    )
    console.print("payload: " + json.dumps(row.payload, ensure_ascii=False))
    if row.corrections:
        console.print("corrections: " + json.dumps(row.corrections, ensure_ascii=False))
    if row.reviewer:
        console.print(
            f"reviewed by {row.reviewer} at {row.reviewed_at}: {row.note or ''}"
        )
    if row.incident_key:
        console.print(f"incident report: {row.incident_key}")


@extract_app.command("review")
def review_command(
    action: Annotated[
        str,
        typer.Argument(help="list (default), show, accept, correct or reject."),
    ] = "list",
    proposal_id: Annotated[
        str | None, typer.Argument(help="Proposal id (see the list).")
    ] = None,
    edits: Annotated[
        list[str] | None,
        typer.Argument(
            help="correct: FIELD=VALUE edits; for incidents the fields of an incident "
            "table (killed, killed_min, killed_max, date, place, belligerents "
            "separated by ';', weapon...)."
        ),
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", help="Why (kept with the decision).")
    ] = None,
    reviewer: Annotated[
        str | None,
        typer.Option(
            "--reviewer", help="Who decides (default: $UNDERCOUNT_ACTOR or you)."
        ),
    ] = None,
    status: Annotated[
        str | None,
        typer.Option(
            "--status", help="list: only proposed, accepted, corrected or rejected."
        ),
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind", help="list: only incident, claim, casualty or quotation."
        ),
    ] = None,
    document: Annotated[
        int | None,
        typer.Option("--document", help="list: only this document (its number)."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object.")
    ] = False,
    project: _ProjectOption = None,
) -> None:
    """List a project's proposals, or accept, correct or reject one.

    Examples: ``undercount extract review --kind incident``;
    ``undercount extract review accept incident-493ce1235086 --note "checked"``;
    ``undercount extract review correct incident-493ce1235086 killed_min=5000``;
    ``undercount extract review reject claim-85a5a6975c35 --note "headline"``.
    Accepted and corrected incident proposals become incident reports (see
    ``undercount incidents list``); rejecting one takes it out again.
    """
    from undercount.ingest.narrative import (
        get_proposal,
        list_proposals,
        parse_edits,
        review_proposal,
    )
    from undercount.store import ProposalTables

    if action not in _ACTIONS:
        raise UserInputError(
            f"unknown review action {action!r}; use one of {', '.join(_ACTIONS)}"
        )
    if action != "list" and not proposal_id:
        raise UserInputError(
            f"'review {action}' needs a proposal id; list them with "
            "'undercount extract review'"
        )
    if edits and action != "correct":
        raise UserInputError(
            f"only 'review correct' takes FIELD=VALUE edits; got {' '.join(edits)!r}"
        )
    _, store = _open_store(project)
    console = Console(highlight=False, soft_wrap=True)
    try:
        if action == "list":
            rows = list_proposals(store, status=status, kind=kind, document_id=document)
            if as_json:
                typer.echo(
                    json.dumps(
                        {"proposals": [r.to_dict() for r in rows]},
                        ensure_ascii=False,
                        default=str,
                    )
                )
            else:
                _print_list(rows, console)
            return
        assert proposal_id is not None
        if action == "show":
            tables = ProposalTables(store)
            row = get_proposal(store, proposal_id)
            stored = tables.document(document_id=row.document_id)
            if as_json:
                data = {
                    **row.to_dict(),
                    "document": stored.file_name if stored else None,
                }
                typer.echo(json.dumps(data, ensure_ascii=False, default=str))
            else:
                _print_one(row, stored, tables.text(row.document_id), console)
            return
        decided = review_proposal(
            store,
            proposal_id,
            action,  # type: ignore[arg-type]
            reviewer=reviewer,
            note=note,
            corrections=parse_edits(edits or []),
        )
    finally:
        store.close()
    if as_json:
        typer.echo(json.dumps(decided.to_dict(), ensure_ascii=False, default=str))
        return
    console.print(f"{decided.proposal_id}: {decided.status} by {decided.reviewer}")
    if decided.kind == "incident":
        if decided.incident_key:
            console.print(
                f"incident report {decided.incident_key} (see 'undercount incidents "
                "list')"
            )
        else:
            console.print("no incident report (removed from the project's incidents)")
