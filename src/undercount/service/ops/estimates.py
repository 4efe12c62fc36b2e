"""Estimates: the service's side of ``undercount.estimate`` and ``undercount.captures``.

The capture table is made from a linkage run's scored pairs re-clustered with the
latest review decisions (:meth:`LinkageRun.clusters`), by
:func:`undercount.captures.capture_table`; the estimator is
``get_method(name)(**options).fit(table)``, and its ``to_dict(level)`` is the result.
"""

from __future__ import annotations

from typing import Any

from undercount.captures import capture_table
from undercount.errors import UserInputError
from undercount.estimate import Estimator, available_methods, get_method, load_methods
from undercount.service.database import Database
from undercount.service.jobs import JobContext, JobFunction
from undercount.service.ops.common import jsonable
from undercount.service.ops.linkage import LinkageRuns, store_decisions
from undercount.service.privacy import strip_personal

__all__ = ["build_estimator", "estimate_job", "methods"]


def methods() -> list[str]:
    """Names of the estimation methods available (optional ones included)."""
    load_methods()
    return available_methods()


def build_estimator(method: str, options: dict[str, Any]) -> Estimator:
    """The configured estimator; unknown methods or options are user errors."""
    load_methods(method)
    factory = get_method(method)
    try:
        return factory(**options)
    except TypeError as exc:
        raise UserInputError(
            f"options {sorted(options)!r} are not accepted by method {method!r} "
            f"({exc}); see docs/estimate.md for each method's options"
        ) from None
    except ValueError as exc:
        raise UserInputError(f"method {method!r}: {exc}") from None


def estimate_job(
    db: Database,
    runs: LinkageRuns,
    run_id: str,
    method: str,
    options: dict[str, Any],
    level: float,
) -> JobFunction:
    """The job fitting ``method`` to the capture table of linkage run ``run_id``."""

    def run(context: JobContext) -> dict[str, Any]:
        context.progress(0.05, "building the capture table")
        linkage = runs.load(run_id)
        decisions = db.read_sync(store_decisions)
        clusters = linkage.clusters(decisions)
        table = capture_table(clusters, linkage.lists)
        context.progress(0.2, f"fitting {method}")
        estimator = build_estimator(method, options)
        result = estimator.fit(table)
        figures = jsonable(result.to_dict(level))
        out: dict[str, Any] = strip_personal(figures)
        return {"run_id": run_id, "figures": out}

    return run
