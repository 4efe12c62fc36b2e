"""Linkage runs and clerical review: the service's side of ``undercount.link``.

A run reads the current lists from the store (:func:`undercount.pipeline.
read_project_lists`), links them with :func:`undercount.link.link_lists` applying
every reviewer decision so far, and keeps what review and estimation need in
``DATA_DIR/linkage/RUN_ID/`` (the linkage table's display columns, the scored
pairs, the clusters and the settings). Review decisions live in the store's
``review_decisions`` table (:class:`undercount.store.StoreDecisionRepository`, the
link stage's repository seam), where ``undercount run`` reads them too; clusters are
re-made from a run's pairs with the latest decisions whenever they are needed, so a
decision counts at once without re-running Splink.
"""

from __future__ import annotations

import json
import re
import threading
import warnings
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from undercount.errors import UserInputError
from undercount.link import (
    Clusters,
    LinkageResult,
    LinkageSettings,
    ReviewDecision,
    cluster_pairs,
    link_lists,
    match_prior,
    review_queue,
)
from undercount.project import Project
from undercount.service.database import Database
from undercount.service.jobs import JobContext, JobFunction
from undercount.service.ops.common import jsonable
from undercount.store import Store, StoreDecisionRepository

__all__ = [
    "LinkageRun",
    "LinkageRuns",
    "add_decision",
    "latest_run_id",
    "linkage_job",
    "list_decisions",
    "next_pair",
    "store_decisions",
]

#: Linkage-table columns kept with a run (review display and strata).
KEPT_COLUMNS = (
    "unique_id",
    "source_dataset",
    "name_display",
    "date_display",
    "age_low",
    "age_high",
    "sex",
    "place_key",
    "dod_month",
)

_RUN_ID = re.compile(r"^[0-9a-f]{16}$")


# -- decisions ------------------------------------------------------------------------


def list_decisions(store: Store) -> list[dict[str, Any]]:
    """Every decision ever recorded, oldest first (as ``DecisionPublic``)."""
    return [row.public() for row in store.decisions()]


def store_decisions(store: Store) -> list[ReviewDecision]:
    """Every decision in the store as :class:`~undercount.link.ReviewDecision`."""
    return StoreDecisionRepository(store).all()


def add_decision(store: Store, decision: ReviewDecision, run_id: str | None) -> int:
    """Record a reviewer's ``decision`` (append-only, audited as the reviewer)."""
    return store.add_decision(
        decision, origin="service", run_id=run_id, actor=decision.reviewer
    )


# -- runs -----------------------------------------------------------------------------


@dataclass(frozen=True)
class LinkageRun:
    """What a finished run keeps: lists, display records, scored pairs, settings."""

    run_id: str
    lists: tuple[str, ...]
    records: pd.DataFrame
    pairs: pd.DataFrame
    settings: LinkageSettings
    match_prior: float | None = None

    @property
    def record_keys(self) -> pd.DataFrame:
        """``source``, ``record_id`` of every record."""
        return pd.DataFrame(
            {
                "source": self.records["source_dataset"].astype(str),
                "record_id": self.records["unique_id"].astype(str),
            }
        )

    def clusters(self, decisions: list[ReviewDecision]) -> Clusters:
        """People at the run's threshold with ``decisions`` applied."""
        return cluster_pairs(
            self.record_keys,
            self.pairs,
            self.settings.threshold,
            decisions,
            match_prior=self.match_prior,
        )

    def has_pair(self, left: tuple[str, str], right: tuple[str, str]) -> bool:
        """Whether the run scored this pair (in either order)."""
        p = self.pairs
        a = (p["source_l"] == left[0]) & (p["record_id_l"].astype(str) == left[1])
        b = (p["source_r"] == right[0]) & (p["record_id_r"].astype(str) == right[1])
        c = (p["source_l"] == right[0]) & (p["record_id_l"].astype(str) == right[1])
        d = (p["source_r"] == left[0]) & (p["record_id_r"].astype(str) == left[1])
        return bool(((a & b) | (c & d)).any())


class LinkageRuns:
    """Runs kept on disk under ``folder``, the latest few cached in memory."""

    def __init__(self, folder: Path, *, cached: int = 2) -> None:
        self.folder = folder
        self._cache: OrderedDict[str, LinkageRun] = OrderedDict()
        self._cached = cached
        self._lock = threading.Lock()

    def path(self, run_id: str) -> Path:
        """Folder of a run (the id is checked: 16 hex digits)."""
        if not _RUN_ID.match(run_id):
            raise UserInputError(f"not a linkage run id: {run_id[:40]!r}")
        return self.folder / run_id

    def save(self, run_id: str, result: LinkageResult) -> None:
        """Write a run's files (display records, pairs, clusters, settings)."""
        folder = self.path(run_id)
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        keep = [c for c in KEPT_COLUMNS if c in result.records.columns]
        result.records[keep].to_parquet(folder / "records.parquet", index=False)
        result.pairs.to_parquet(folder / "pairs.parquet", index=False)
        result.clusters.members.to_parquet(folder / "members.parquet", index=False)
        meta = {
            "lists": list(result.lists),
            "settings": result.settings.to_dict(),
            "match_prior": match_prior(result.scored.model, result.settings),
        }
        (folder / "run.json").write_text(
            json.dumps(jsonable(meta), ensure_ascii=False), encoding="utf-8"
        )

    def load(self, run_id: str) -> LinkageRun:
        """A saved run (from the cache when recent)."""
        with self._lock:
            if run_id in self._cache:
                self._cache.move_to_end(run_id)
                return self._cache[run_id]
        folder = self.path(run_id)
        if not (folder / "run.json").is_file():
            raise UserInputError(f"linkage run {run_id!r} has no saved result")
        meta = json.loads((folder / "run.json").read_text(encoding="utf-8"))
        run = LinkageRun(
            run_id=run_id,
            lists=tuple(meta["lists"]),
            records=pd.read_parquet(folder / "records.parquet"),
            pairs=pd.read_parquet(folder / "pairs.parquet"),
            settings=LinkageSettings.from_dict(meta["settings"]),
            match_prior=meta.get("match_prior"),
        )
        with self._lock:
            self._cache[run_id] = run
            while len(self._cache) > self._cached:
                self._cache.popitem(last=False)
        return run


def latest_run_id(store: Store) -> str | None:
    """The most recent finished linkage run, if any."""
    rows = store.backend.fetchall(
        "SELECT job_id FROM service.jobs WHERE kind = 'linkage' AND status = 'done' "
        "ORDER BY finished_at DESC, job_id DESC LIMIT 1"
    )
    return str(rows[0][0]) if rows else None


def linkage_job(
    db: Database,
    runs: LinkageRuns,
    project_root: Path,
    run_id: str,
    overrides: dict[str, Any],
) -> JobFunction:
    """The job linking the project's current lists (settings: undercount.toml's
    ``[linkage]`` table, then ``overrides``)."""

    def run(context: JobContext) -> dict[str, Any]:
        from undercount.pipeline import pipeline_config, read_project_lists

        project = Project.load(project_root)
        configured = pipeline_config(project.config.model_extra).linkage
        settings = LinkageSettings.from_dict({**configured, **overrides})
        context.progress(0.05, "reading the lists")
        lists = read_project_lists(project)
        decisions = db.read_sync(store_decisions)
        context.progress(0.15, "scoring pairs and clustering (Splink)")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            warnings.simplefilter("ignore", DeprecationWarning)
            result = link_lists(
                lists.lists, settings, decisions=decisions, charts=False
            )
        context.progress(0.9, "saving the run")
        runs.save(run_id, result)
        queue = result.review_queue()
        return {
            "lists": list(result.lists),
            "records": len(result.records),
            "pairs": len(result.pairs),
            "people": int(result.clusters.n_clusters),
            "to_review": len(queue),
            "threshold": settings.threshold,
            "finished": datetime.now(UTC).isoformat(),
        }

    return run


def _side(row: dict[str, Any], side: str) -> dict[str, Any]:
    def get(column: str) -> Any:
        value = row.get(f"{column}_{side}")
        return None if value is None or pd.isna(value) else value

    return {
        "source": str(row[f"source_{side}"]),
        "record_id": str(row[f"record_id_{side}"]),
        "name": get("name_display"),
        "date": get("date_display"),
        "age_low": get("age_low"),
        "age_high": get("age_high"),
        "sex": get("sex"),
        "place": get("place_key"),
    }


def next_pair(
    run: LinkageRun, decisions: list[ReviewDecision], *, blind: bool
) -> tuple[dict[str, Any] | None, int]:
    """The next undecided pair of ``run`` (most uncertain first; shuffled and
    without scores when ``blind``) and how many remain."""
    queue = review_queue(
        run.pairs,
        run.settings.review_band,
        decisions=decisions,
        blind=blind,
        records=run.records,
        seed=run.settings.seed,
    )
    if queue.empty:
        return None, 0
    row = jsonable(queue.iloc[0].to_dict())
    pair: dict[str, Any] = {"left": _side(row, "l"), "right": _side(row, "r")}
    if not blind:
        pair["match_probability"] = row.get("match_probability")
        pair["match_weight"] = row.get("match_weight")
    return pair, len(queue)
