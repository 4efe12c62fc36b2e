"""The reviewers' decisions the linkage stage applies: those in the project store.

The store's ``review_decisions`` table is the one source of truth: the web
service's review page writes there, and ``undercount run`` reads there. A decisions
file named by ``[linkage] decisions`` in ``undercount.toml`` (JSON lines, one
:class:`~undercount.link.ReviewDecision` per line) is an extra way in for
command-line users: each run imports the decisions of the file that the store does
not hold yet (origin ``file:PATH``), then reads every decision from the store. The
latest decision per pair is in force, whichever way it arrived; removing a line
from the file never removes a decision (record a newer one instead).

The linkage stage's cache key holds :func:`decisions_sha256`, the hash of the
decisions in force, so a new decision re-links and an unchanged set does not.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from undercount.errors import UserInputError
from undercount.link import JsonFileDecisionRepository, ReviewDecision, latest_decisions
from undercount.pipeline._config import PipelineConfig
from undercount.project import Project

__all__ = ["ProjectDecisions", "decisions_sha256", "project_decisions"]


@dataclass(frozen=True)
class ProjectDecisions:
    """The decisions linkage applies, and where they came from.

    Attributes
    ----------
    decisions
        Every decision in the store, oldest first.
    sha256
        :func:`decisions_sha256` of them (``None`` when there are none).
    imported
        How many the run imported from the decisions file.
    """

    decisions: list[ReviewDecision]
    sha256: str | None
    imported: int = 0

    def summary(self) -> dict[str, Any]:
        """Counts for ``results.json`` (no record is named)."""
        in_force = latest_decisions(self.decisions).values()
        verdicts = {"same": 0, "different": 0, "unsure": 0}
        for decision in in_force:
            verdicts[decision.verdict.value] += 1
        return {
            "recorded": len(self.decisions),
            "in_force": sum(verdicts.values()),
            **{f"in_force_{k}": v for k, v in verdicts.items()},
            "imported_from_file": self.imported,
        }


def decisions_sha256(decisions: Sequence[ReviewDecision]) -> str | None:
    """Hash of the decisions in force (pair and verdict), ``None`` when none.

    Who decided, when and why do not change the clusters, so they are not hashed:
    a pair decided again with the same verdict does not invalidate the cache.
    """
    in_force = latest_decisions(decisions)
    if not in_force:
        return None
    rows = sorted(
        [list(map(list, key)), decision.verdict.value]
        for key, decision in in_force.items()
    )
    text = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _decisions_file(project: Project, config: PipelineConfig) -> Path | None:
    if not config.decisions:
        return None
    path = Path(config.decisions)
    if not path.is_absolute():
        path = project.root / path
    if not path.is_file():
        raise UserInputError(
            f"undercount.toml: linkage.decisions = {config.decisions!r} does not "
            f"exist ({str(path)!r}); fix the path or remove the key"
        )
    return path


def _origin(project: Project, path: Path) -> str:
    try:
        return "file:" + path.resolve().relative_to(project.root.resolve()).as_posix()
    except ValueError:
        return "file:" + path.name


def project_decisions(
    project: Project, config: PipelineConfig, *, actor: str | None = None
) -> ProjectDecisions:
    """Import the decisions file (if any) into the store, then read every decision.

    Without a decisions file the store is opened read-only.

    Raises
    ------
    UserInputError
        When ``[linkage] decisions`` names a missing or unreadable file.
    """
    from undercount.store import Store

    path = _decisions_file(project, config)
    if path is None:
        with Store.open(project.store_path, read_only=True) as store:
            rows = store.decisions()
        decisions = [row.to_review() for row in rows]
        return ProjectDecisions(decisions, decisions_sha256(decisions))
    from_file = JsonFileDecisionRepository(path).all()
    with Store.open(project.store_path) as store:
        imported = store.import_decisions(
            from_file, origin=_origin(project, path), actor=actor
        )
        rows = store.decisions()
    decisions = [row.to_review() for row in rows]
    return ProjectDecisions(decisions, decisions_sha256(decisions), imported)
