"""``undercount extract FILE``: proposed claims and incidents from a narrative report.

Human-readable tables by default (rich); ``--json`` prints one JSON object:
``source``, ``extractor_version``, ``counts``, ``mentions``, ``incidents``,
``claims``, ``records`` (rows ready for the store) and ``warnings``. The full
normalised text is left out of the JSON unless ``--with-text`` is given; spans
index into it.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from undercount.cli import app
from undercount.ingest.narrative import (
    Extraction,
    JsonProposalFile,
    extract,
    proposal_records,
)


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
    for c in result.casualties:
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
        lines = [f"{text!r} ×{len(v)} → {v[0]}" for text, v in grouped.items()]
        console.print(f"[bold]{title}[/]: " + "; ".join(lines))

    quotes = Table(title="Quotations")
    for column in ("id", "speaker", "role / organisation", "how", "quote"):
        quotes.add_column(column)
    for q in result.quotations:
        role = " / ".join(p for p in (q.speaker_role, q.speaker_organisation) if p)
        short = q.text if len(q.text) <= 90 else q.text[:87] + "…"
        quotes.add_row(q.id, q.speaker or "?", role, q.attribution, short)
    console.print(quotes)

    claims = Table(title="Proposed claims (status: proposed)")
    for column in ("type", "stance", "speaker", "evidence", "contradicts"):
        claims.add_column(column)
    for claim in result.claims:
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
    for incident in result.incidents:
        incidents.add_row(
            incident.id,
            incident.scope,
            incident.summary,
            ", ".join(incident.actor_ids),
            ", ".join(incident.weapon_ids),
            f"{incident.confidence:.2f}",
        )
    console.print(incidents)


@app.command("extract")
def extract_command(
    file: Annotated[Path, typer.Argument(help="Report: .txt, .html or .pdf")],
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
) -> None:
    """Propose casualty claims and incidents from a narrative report.

    Example: ``undercount extract report.txt --report-date 2017-07-11``
    """
    result = extract(file, report_date=report_date)
    added = None
    if proposals is not None:
        added = JsonProposalFile(proposals).write(proposal_records(result))
    if as_json:
        payload = _payload(result, with_text)
        if added is not None:
            payload["proposals_added"] = added
        typer.echo(json.dumps(payload, ensure_ascii=False))
        return
    console = Console()
    _print_human(result, console)
    if added is not None:
        console.print(f"{added} new proposal(s) written to {proposals}")
