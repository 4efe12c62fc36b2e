"""``undercount link``: link victim lists (CSV) into people and capture histories.

Contract (DESIGN.md, stable): ``undercount link LIST.csv [LIST.csv ...] --out DIR
[--config FILE]`` writes ``DIR/clusters.csv`` (``source,record_id,cluster_id``),
``DIR/captures.csv``, scored pairs and a linkage report. A list's source name is its
file stem unless configured.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from undercount.cli import app
from undercount.errors import UserInputError


def _load_config(path: Path | None) -> dict[str, Any]:
    if path is None:
        return {}
    from undercount.link._settings import read_settings_file

    config = read_settings_file(path)
    known = {"sources", "linkage", "decisions"}
    unknown = sorted(set(config) - known)
    if unknown:
        raise UserInputError(
            f"config {str(path)!r}: unknown section(s) {unknown!r}; "
            f"known sections are {sorted(known)!r}"
        )
    return config


def write_outputs(result: Any, out: Path) -> dict[str, Path]:
    """Write every output file of a linkage run into ``out`` (see module docstring).

    Files: ``clusters.csv``, ``captures.csv``, ``pairs.csv`` (scored pairs),
    ``review_queue.csv``, ``linkage_report.json``, ``linkage_report.html``,
    ``model.json`` (the trained Splink model) and ``settings.json``.
    """
    from undercount.captures import captures_from_linkage
    from undercount.link._report import linkage_report_html, linkage_summary

    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserInputError(
            f"--out {str(out)!r} cannot be created: {exc.strerror}"
        ) from None
    names = (
        "clusters.csv",
        "captures.csv",
        "pairs.csv",
        "review_queue.csv",
        "linkage_report.json",
        "linkage_report.html",
        "model.json",
        "settings.json",
    )
    paths = {name: out / name for name in names}
    result.clusters.members[["source", "record_id", "cluster_id"]].to_csv(
        paths["clusters.csv"], index=False
    )
    captures_from_linkage(result).to_csv(paths["captures.csv"])
    result.pairs.to_csv(paths["pairs.csv"], index=False)
    result.review_queue().to_csv(paths["review_queue.csv"], index=False)
    summary = linkage_summary(result)
    paths["linkage_report.json"].write_text(
        json.dumps(summary, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    paths["linkage_report.html"].write_text(
        linkage_report_html(result, summary), encoding="utf-8"
    )
    paths["model.json"].write_text(
        json.dumps(result.model_json(), indent=2, ensure_ascii=False), encoding="utf-8"
    )
    paths["settings.json"].write_text(result.settings.to_json(), encoding="utf-8")
    return paths


@app.command("link")
def link_command(
    lists: Annotated[
        list[Path], typer.Argument(help="Victim lists (CSV, canonical columns).")
    ],
    out: Annotated[Path, typer.Option("--out", help="Folder for the outputs.")],
    config: Annotated[
        Path | None,
        typer.Option("--config", help="JSON or TOML: sources, linkage, decisions."),
    ] = None,
    threshold: Annotated[
        float | None,
        typer.Option(
            "--threshold",
            help=(
                "Match probability to link (default 0.5: more likely the same "
                "person than not)."
            ),
        ),
    ] = None,
    seed: Annotated[
        int | None, typer.Option("--seed", help="Seed of the random steps.")
    ] = None,
) -> None:
    """Link lists: find the same person within and across lists.

    Writes clusters.csv, captures.csv, pairs.csv, review_queue.csv,
    linkage_report.html/.json, model.json and settings.json to --out.

    Example: ``undercount link morgue.csv ngo.csv --out linked/ --threshold 0.9``
    """
    import warnings

    from undercount.link import JsonFileDecisionRepository, LinkageSettings, link_lists
    from undercount.link._io import read_lists

    cfg = _load_config(config)
    overrides: dict[str, Any] = {}
    if threshold is not None:
        overrides["threshold"] = threshold
    if seed is not None:
        overrides["seed"] = seed
    linkage_cfg = cfg.get("linkage", {})
    if not isinstance(linkage_cfg, dict):
        raise UserInputError("config section 'linkage' must be a table of settings")
    settings = LinkageSettings.from_dict({**linkage_cfg, **overrides})
    decisions = []
    if "decisions" in cfg:
        decisions_path = Path(str(cfg["decisions"]))
        if config is not None and not decisions_path.is_absolute():
            decisions_path = config.parent / decisions_path
        decisions = JsonFileDecisionRepository(decisions_path).all()
    frames = read_lists(lists, sources=cfg.get("sources"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        result = link_lists(frames, settings, decisions=decisions)
    paths = write_outputs(result, out)
    sizes = result.clusters.members.groupby("source").size()
    typer.echo(
        f"linked {len(result.records):,} records from {len(result.lists)} lists "
        f"into {result.clusters.n_clusters:,} people (threshold {settings.threshold})"
    )
    for source in result.lists:
        dup = result.clusters.duplicates_per_list().get(source, 0)
        typer.echo(
            f"  {source}: {int(sizes.get(source, 0)):,} records, {dup} duplicates"
        )
    typer.echo(f"wrote {', '.join(sorted(p.name for p in paths.values()))} to {out}")
