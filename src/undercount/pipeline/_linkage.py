"""The linkage stage: run :func:`undercount.link.link_lists`, cache and restore it.

A linkage run is cached as plain files (the linkage table, scored pairs, clusters
and a JSON of settings, trained model and summary) and restored as a
:class:`~undercount.link.LinkageResult`, so that later stages (captures, threshold
sensitivity, the review sample) work the same on a fresh and on a cached run.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from undercount.link import (
    Clusters,
    LinkageResult,
    LinkageSettings,
    ReviewDecision,
    ScoredPairs,
    link_lists,
)
from undercount.pipeline._hashing import to_jsonable

__all__ = [
    "linkage_quality",
    "load_linkage",
    "records_by_month",
    "review_examples",
    "run_linkage",
    "save_linkage",
]


def run_linkage(
    lists: dict[str, pd.DataFrame],
    settings: LinkageSettings,
    decisions: Sequence[ReviewDecision] = (),
) -> LinkageResult:
    """Link the lists (Splink's chatter about future versions silenced)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=FutureWarning)
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        return link_lists(lists, settings, decisions=decisions, charts=False)


def _summary(result: LinkageResult) -> dict[str, Any]:
    try:
        from undercount.link._report import linkage_summary
    except ImportError:  # pragma: no cover - the summary is optional
        return {}
    return dict(to_jsonable(linkage_summary(result)))


def save_linkage(
    result: LinkageResult, folder: Path, summary: dict[str, Any] | None = None
) -> None:
    """Write a linkage run (and its summary) to ``folder`` (see module docstring)."""
    records = result.records.copy()
    if "name_tokens" in records.columns:
        records["name_tokens"] = records["name_tokens"].map(
            lambda v: " ".join(map(str, v)) if isinstance(v, list | np.ndarray) else v
        )
    records.to_parquet(folder / "records.parquet", index=False)
    result.pairs.to_parquet(folder / "pairs.parquet", index=False)
    result.clusters.members.to_parquet(folder / "members.parquet", index=False)
    result.clusters.edges.to_parquet(folder / "edges.parquet", index=False)
    meta = {
        "lists": list(result.lists),
        "settings": result.settings.to_dict(),
        "threshold": result.clusters.threshold,
        "unseen": result.clusters.unseen,
        "conflicts": [list(map(list, pair)) for pair in result.clusters.conflicts],
        "model": result.model_json(),
        "unreadable": [[s, c, n] for (s, c), n in result.unreadable.items()],
        "name_key_provider": result.name_key_provider,
        "summary": summary if summary is not None else _summary(result),
        "decisions": [
            {
                "left": list(d.left),
                "right": list(d.right),
                "verdict": str(d.verdict),
            }
            for d in result.decisions
        ],
    }
    (folder / "linkage.json").write_text(
        json.dumps(to_jsonable(meta), ensure_ascii=False), encoding="utf-8"
    )


def load_linkage(
    folder: Path, decisions: Sequence[ReviewDecision] = ()
) -> tuple[LinkageResult, dict[str, Any]]:
    """Restore a linkage run written by :func:`save_linkage`; also its summary."""
    meta = json.loads((folder / "linkage.json").read_text(encoding="utf-8"))
    records = pd.read_parquet(folder / "records.parquet")
    if "name_tokens" in records.columns:
        records["name_tokens"] = records["name_tokens"].map(
            lambda v: v.split() if isinstance(v, str) else v
        )
    pairs = pd.read_parquet(folder / "pairs.parquet")
    clusters = Clusters(
        members=pd.read_parquet(folder / "members.parquet"),
        edges=pd.read_parquet(folder / "edges.parquet"),
        threshold=float(meta["threshold"]),
        conflicts=[((a[0], a[1]), (b[0], b[1])) for a, b in meta.get("conflicts", [])],
        unseen=meta.get("unseen"),
    )
    result = LinkageResult(
        lists=tuple(meta["lists"]),
        records=records,
        scored=ScoredPairs(pairs=pairs, model=meta["model"], rules=[]),
        clusters=clusters,
        settings=LinkageSettings.from_dict(meta["settings"]),
        decisions=tuple(decisions),
        unreadable={(s, c): int(n) for s, c, n in meta.get("unreadable", [])},
        name_key_provider=str(meta.get("name_key_provider", "")),
    )
    return result, dict(meta.get("summary") or {})


def records_by_month(result: LinkageResult) -> list[dict[str, Any]]:
    """Records per list and month of death (``unknown`` when no month is known)."""
    table = result.records
    month = table.get("dod_month")
    if month is None:
        return []
    frame = pd.DataFrame(
        {
            "list": table["source_dataset"].astype(str),
            "month": month.astype("string").fillna("unknown"),
        }
    )
    counts = frame.groupby(["list", "month"]).size().rename("records").reset_index()
    counts = counts.sort_values(["month", "list"], kind="stable")
    return [
        {"list": str(li), "month": str(mo), "records": int(n)}
        for li, mo, n in zip(
            counts["list"], counts["month"], counts["records"], strict=True
        )
    ]


def people_by_month(result: LinkageResult) -> list[dict[str, Any]]:
    """Distinct people (clusters) per month of death (their records' usual month)."""
    from undercount.captures import person_strata

    strata = person_strata(result.clusters.members, result.records, ("month",))
    counts = strata["month"].value_counts().sort_index()
    return [{"month": str(k), "people": int(v)} for k, v in counts.items()]


def review_examples(result: LinkageResult, limit: int) -> list[dict[str, Any]]:
    """The most uncertain undecided pairs, side by side (personal: never public)."""
    if limit <= 0:
        return []
    queue = result.review_queue().head(limit)
    keep = [
        c
        for c in queue.columns
        if c.endswith(("_l", "_r")) and not c.startswith("gamma_")
    ]
    rows: list[dict[str, Any]] = []
    for row in queue[[*keep, "match_probability"]].to_dict(orient="records"):
        rows.append({str(k): to_jsonable(v) for k, v in row.items()})
    return rows


def linkage_quality(
    members: pd.DataFrame, truth: pd.DataFrame
) -> dict[str, float | int]:
    """Pairwise precision, recall and F1 of the clusters against known true links.

    ``truth`` has ``source``, ``record_id``, ``person_id`` (simulated lists). A pair
    of records counts once whichever lists it spans; within-list pairs (duplicates)
    count too.
    """
    merged = members.merge(truth, on=["source", "record_id"], how="inner")

    def pairs_of(groups: pd.Series) -> set[tuple[int, int]]:
        out: set[tuple[int, int]] = set()
        for members_index in groups:
            ids = sorted(members_index)
            for i, a in enumerate(ids):
                for b in ids[i + 1 :]:
                    out.add((a, b))
        return out

    merged = merged.reset_index(drop=True)
    index = pd.Series(merged.index, index=merged.index)
    found = pairs_of(index.groupby(merged["cluster_id"]).agg(list))
    true = pairs_of(index.groupby(merged["person_id"]).agg(list))
    hits = len(found & true)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(true) if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "true_pairs": len(true),
        "linked_pairs": len(found),
        "correct_pairs": hits,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "people_found": int(members["cluster_id"].nunique()),
        "people_true": int(truth["person_id"].nunique()),
    }
