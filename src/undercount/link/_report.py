"""The linkage report: figures (JSON) and a self-contained HTML page.

It shows what a reviewer of the linkage needs: how many records and people, cluster
sizes, duplicates found inside each list, pairs generated per blocking rule, the score
distribution and the match weights of every comparison level (Splink's own charts,
rendered to SVG offline so the page needs no network).
"""

from __future__ import annotations

import html
import json
from typing import Any

import numpy as np

from undercount.link._linkage import LinkageResult


def linkage_summary(result: LinkageResult) -> dict[str, Any]:
    """Headline figures of a linkage run, JSON-ready."""
    clusters = result.clusters
    pairs = result.pairs
    per_list = result.records.groupby("source_dataset").size()
    scored_per_rule: dict[str, int] = {
        str(k): int(v) for k, v in pairs.groupby("blocking_rule").size().items()
    }
    linked = pairs[pairs["match_probability"] >= result.settings.threshold]
    linked_per_rule: dict[str, int] = {
        str(k): int(v) for k, v in linked.groupby("blocking_rule").size().items()
    }
    hist_edges = np.linspace(0.0, 1.0, 11)
    hist, _ = np.histogram(pairs["match_probability"], bins=hist_edges)
    return {
        "records": len(result.records),
        "records_per_list": {str(k): int(per_list.get(k, 0)) for k in result.lists},
        "people": clusters.n_clusters,
        "threshold": clusters.threshold,
        "capture_prior_joins": int((clusters.edges["reason"] == "capture prior").sum())
        if "reason" in clusters.edges.columns
        else 0,
        "unseen_for_prior": clusters.unseen,
        "cluster_sizes": {str(k): int(v) for k, v in clusters.sizes().items()},
        "duplicates_per_list": {
            k: clusters.duplicates_per_list().get(k, 0) for k in result.lists
        },
        "blocking_rules": [
            {
                "rule": rule.name,
                "comparisons": int(count),
                "pairs_kept": int(scored_per_rule.get(rule.name, 0)),
                "pairs_linked": int(linked_per_rule.get(rule.name, 0)),
            }
            for rule, count in result.scored.rules
        ],
        "pairs_kept": len(pairs),
        "pairs_linked": int((pairs["match_probability"] >= clusters.threshold).sum()),
        "pair_floor": result.settings.effective_pair_floor(len(result.records)),
        "match_probability_histogram": {
            f"{hist_edges[i]:.1f}-{hist_edges[i + 1]:.1f}": int(hist[i])
            for i in range(len(hist))
        },
        "review_queue": len(result.review_queue()),
        "review_band": list(result.settings.review_band),
        "decisions_applied": len(result.decisions),
        "decision_conflicts": [[list(k[0]), list(k[1])] for k in clusters.conflicts],
        "unreadable_cells": {
            f"{s}.{c}": n for (s, c), n in sorted(result.unreadable.items())
        },
        "name_keys": result.name_key_provider,
        "settings": result.settings.to_dict(),
    }


def _svg(spec: dict[str, Any]) -> str:
    try:
        import vl_convert

        return str(vl_convert.vegalite_to_svg(spec))
    except Exception as exc:  # a chart must never break the report
        return f"<p>(chart not rendered: {html.escape(str(exc))})</p>"


def _table(rows: list[tuple[Any, ...]], header: tuple[str, ...]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def linkage_report_html(result: LinkageResult, summary: dict[str, Any]) -> str:
    """A self-contained HTML page of the linkage (figures, tables, Splink charts)."""
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'>",
        "<title>undercount linkage report</title><style>",
        "body{font-family:sans-serif;max-width:60rem;margin:2rem auto;}",
        "table{border-collapse:collapse;margin:0.5rem 0}",
        "td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}",
        "</style></head><body><h1>Linkage report</h1>",
        f"<p>{summary['records']:,} records in {len(result.lists)} lists linked into "
        f"<b>{summary['people']:,}</b> distinct people at match probability "
        f"&ge; {summary['threshold']}. "
        f"Name keys: {html.escape(summary['name_keys'])}.</p>",
        "<h2>Records per list and duplicates found inside each list</h2>",
        _table(
            [
                (k, summary["records_per_list"][k], summary["duplicates_per_list"][k])
                for k in result.lists
            ],
            ("list", "records", "duplicate records"),
        ),
        "<h2>Cluster sizes</h2>",
        _table(
            list(summary["cluster_sizes"].items()), ("records in cluster", "clusters")
        ),
        "<h2>Pairs per blocking rule</h2>",
        _table(
            [
                (r["rule"], f"{r['comparisons']:,}", r["pairs_kept"], r["pairs_linked"])
                for r in summary["blocking_rules"]
            ],
            ("rule", "comparisons generated", "pairs kept", "pairs linked"),
        ),
        "<h2>Score distribution (match probability of kept pairs)</h2>",
        _table(list(summary["match_probability_histogram"].items()), ("band", "pairs")),
        f"<p>{summary['review_queue']} pair(s) in the review band "
        f"{summary['review_band']} await review; {summary['decisions_applied']} "
        "decision(s) applied.</p>",
    ]
    titles = {
        "match_weights_histogram": "Match weight histogram (Splink)",
        "match_weights": "Match weights per comparison level (Splink)",
        "m_u_parameters": "m and u probabilities (Splink)",
    }
    for key, title in titles.items():
        spec = result.scored.charts.get(key)
        if spec:
            parts += [f"<h2>{html.escape(title)}</h2>", _svg(spec)]
    if summary["unreadable_cells"]:
        parts += [
            "<h2>Cells not understood (treated as unknown)</h2>",
            _table(list(summary["unreadable_cells"].items()), ("column", "cells")),
        ]
    parts += [
        "<h2>Settings</h2><pre>",
        html.escape(json.dumps(summary["settings"], indent=2)),
        "</pre></body></html>",
    ]
    return "".join(parts)
