"""One analysis: a capture table in, every figure the report shows out.

:func:`analyse_table` is shared by the project pipeline (after linkage) and by
analyses that start from a published capture table (the Kosovo 1999 lists). It
describes the table (list sizes, overlaps, patterns), fits every configured method
(each one a cached stage), fits the stratified variants, and builds the headline:
acknowledged vs documented vs estimated, with the gap.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from undercount.model import Acknowledgment, CaptureTable
from undercount.pipeline._cache import StageCache
from undercount.pipeline._config import EstimateConfig
from undercount.pipeline._estimates import fit_method
from undercount.pipeline._hashing import json_sha256, to_jsonable

__all__ = [
    "Progress",
    "analyse_table",
    "captures_section",
    "gap_section",
    "load_json",
    "save_json",
    "table_sha256",
]

Progress = Callable[[str], None]
"""Called with a short message as each stage starts (CLI and service progress)."""

STRATIFIABLE = ("lcmcr", "loglinear", "dga", "chao", "sample-coverage")


def table_sha256(table: CaptureTable) -> str:
    """Content hash of a capture table (its CSV form)."""
    buffer = io.StringIO()
    table.to_frame().to_csv(buffer, index=False, lineterminator="\n")
    return json_sha256(buffer.getvalue())


def _pattern_label(bits: Any) -> str:
    return "".join(str(int(b)) for b in bits)


def captures_section(table: CaptureTable) -> dict[str, Any]:
    """List sizes, pairwise overlaps and pattern counts of ``table`` (strata summed)."""
    flat = table.collapse_strata()
    frame = flat.to_frame()
    lists = list(flat.lists)
    patterns: list[dict[str, Any]] = []
    bits_matrix = frame[lists].to_numpy(dtype=int)
    for bits, count in zip(bits_matrix, frame["count"].to_numpy(), strict=True):
        patterns.append(
            {
                "pattern": _pattern_label(bits),
                "lists": [name for name, b in zip(lists, bits, strict=True) if b],
                "n_lists": int(bits.sum()),
                "count": int(count),
            }
        )
    patterns.sort(key=lambda p: (-p["count"], p["pattern"]))
    overlaps = [
        {"a": a, "b": b, "both": n} for (a, b), n in flat.pairwise_overlaps().items()
    ]
    out: dict[str, Any] = {
        "lists": lists,
        "observed": flat.n_observed,
        "list_totals": flat.list_totals(),
        "only_one_list": int(sum(p["count"] for p in patterns if p["n_lists"] == 1)),
        "patterns": patterns,
        "overlaps": overlaps,
        "strata": list(table.strata),
        "sha256": table_sha256(table),
    }
    if table.is_stratified:
        out["by_stratum"] = [
            {
                "stratum": {
                    c: to_jsonable(v) for c, v in zip(table.strata, key, strict=True)
                },
                "observed": sub.n_observed,
                "list_totals": sub.list_totals(),
            }
            for key, sub in table.by_stratum()
        ]
    return out


def save_json(value: dict[str, Any], folder: Path) -> None:
    """Save a JSON stage result (``result.json`` in the stage's folder)."""
    (folder / "result.json").write_text(
        json.dumps(value, ensure_ascii=False, sort_keys=True), encoding="utf-8"
    )


def load_json(folder: Path) -> dict[str, Any]:
    """Load what :func:`save_json` saved."""
    data: dict[str, Any] = json.loads(
        (folder / "result.json").read_text(encoding="utf-8")
    )
    return data


def _estimate_stage(
    cache: StageCache,
    table: CaptureTable,
    table_key: str,
    method: str,
    config: EstimateConfig,
    *,
    stratified: bool,
) -> tuple[dict[str, Any], str]:
    options = dict(config.options.get(method, {}))
    if stratified:
        options.update(config.strata_options.get(method, {}))
    inputs = {
        "table": table_key,
        "method": method,
        "options": options,
        "seed": config.seed,
        "level": config.level,
        "stratified": stratified,
    }
    stage = f"estimate-{method}{'-strata' if stratified else ''}"
    record, key = cache.run(
        stage,
        inputs,
        lambda: to_jsonable(
            fit_method(
                table,
                method,
                options=options,
                seed=config.seed,
                level=config.level,
                stratified=stratified,
            )
        ),
        save_json,
        load_json,
    )
    return {**record, "stage_key": key}, key


def gap_section(
    documented: int,
    headline: Mapping[str, Any] | None,
    acknowledgments: Sequence[Acknowledgment],
    *,
    acknowledged_total: int | None = None,
) -> dict[str, Any]:
    """Acknowledged vs documented vs estimated, and the gaps between them.

    ``acknowledged_total`` replaces the plain sum of the acknowledgments: the
    compare stage's total, which counts an incident acknowledgment inside a
    period statement of the same belligerent once, not twice.

    This is the hook for :mod:`undercount.compare`: until it lands, the gap is the
    plain difference and ratio of the totals; each acknowledgment is listed with its
    document so that a reader can check it.
    """
    statements = [
        {
            "belligerent": a.belligerent,
            "period_start": a.period_start.iso() if a.period_start else None,
            "period_end": a.period_end.iso() if a.period_end else None,
            "incident_id": a.incident_id,
            "deaths_acknowledged": a.deaths_acknowledged,
            "document": " ".join(a.document.split()),
            "notes": a.notes,
        }
        for a in acknowledgments
    ]
    acknowledged = (
        sum(a.deaths_acknowledged for a in acknowledgments) if statements else None
    )
    if acknowledged_total is not None:
        acknowledged = acknowledged_total
    out: dict[str, Any] = {
        "acknowledged": acknowledged,
        "acknowledgments": statements,
        "documented": documented,
        "estimated": None,
    }
    if headline is not None and "estimate" in headline:
        out["estimated"] = {
            "method": headline["method"],
            "label": headline.get("label"),
            "estimate": headline["estimate"],
            "lower": headline["lower"],
            "upper": headline["upper"],
            "level": headline["level"],
        }
    if acknowledged is not None:
        out["documented_minus_acknowledged"] = documented - acknowledged
        out["documented_per_acknowledged"] = (
            round(documented / acknowledged, 2) if acknowledged else None
        )
        est = out["estimated"]
        finite = est is not None and all(
            isinstance(est[k], int | float) and math.isfinite(est[k])
            for k in ("estimate", "lower", "upper")
        )
        if finite:
            out["estimated_minus_acknowledged"] = {
                k: round(est[k] - acknowledged, 1)
                for k in ("estimate", "lower", "upper")
            }
            out["estimated_per_acknowledged"] = (
                {
                    k: round(est[k] / acknowledged, 2)
                    for k in ("estimate", "lower", "upper")
                }
                if acknowledged
                else None
            )
    return out


def analyse_table(
    table: CaptureTable,
    config: EstimateConfig,
    cache: StageCache,
    *,
    acknowledgments: Sequence[Acknowledgment] = (),
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Describe ``table``, fit every configured method, build the headline.

    Returns the ``captures``, ``estimates``, ``stratified_estimates``,
    ``headline_method`` and ``headline`` parts of an analysis.
    """
    table_key = table_sha256(table)
    estimates: list[dict[str, Any]] = []
    for method in config.methods:
        if progress:
            progress(f"estimate: {method}")
        record, _ = _estimate_stage(
            cache, table, table_key, method, config, stratified=False
        )
        estimates.append(record)
    stratified: list[dict[str, Any]] = []
    if table.is_stratified:
        chosen = config.stratified_methods
        if chosen is None:
            chosen = tuple(m for m in config.methods if m in STRATIFIABLE)
        for method in chosen:
            if progress:
                progress(f"estimate by {', '.join(table.strata)}: {method}")
            record, _ = _estimate_stage(
                cache, table, table_key, method, config, stratified=True
            )
            stratified.append(record)
    headline_method = config.headline_method
    headline = next(
        (e for e in estimates if e["method"] == headline_method and "estimate" in e),
        None,
    )
    if headline is None:  # the chosen method failed: quote the first that worked
        headline = next((e for e in estimates if "estimate" in e), None)
    return {
        "captures": captures_section(table),
        "estimates": estimates,
        "stratified_estimates": stratified,
        "headline_method": headline["method"] if headline else None,
        "headline": gap_section(table.n_observed, headline, acknowledgments),
    }
