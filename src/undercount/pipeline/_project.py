"""The project analysis: imported lists -> linkage -> captures -> estimates -> gap.

Every expensive step is a stage of the :class:`~undercount.pipeline._cache.StageCache`
keyed by the hash of its inputs: linkage by the lists' content, the linkage settings
and the reviewer decisions in force (read from the project store, after importing
the ``[linkage] decisions`` file if there is one: see ``_decisions.py``); each
estimate by the capture table's content, the method, its options, the seed and the
level; the threshold sensitivity by the linkage key and
its method. A re-run therefore repeats only what changed.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from undercount.errors import UserInputError
from undercount.link import LinkageSettings, ReviewDecision
from undercount.model import CaptureTable
from undercount.pipeline._analysis import (
    Progress,
    analyse_table,
    load_json,
    save_json,
    table_sha256,
)
from undercount.pipeline._cache import StageCache
from undercount.pipeline._config import PipelineConfig
from undercount.pipeline._decisions import project_decisions
from undercount.pipeline._estimates import fit_method
from undercount.pipeline._hashing import to_jsonable
from undercount.pipeline._inputs import read_project_lists
from undercount.pipeline._linkage import (
    linkage_quality,
    load_linkage,
    people_by_month,
    records_by_month,
    review_examples,
    run_linkage,
    save_linkage,
)
from undercount.project import Project

__all__ = ["analyse_project"]


def _truth_section(
    analysis: dict[str, Any],
    members: pd.DataFrame,
    truth: pd.DataFrame,
    lists: list[str],
    config: PipelineConfig,
    cache: StageCache,
) -> dict[str, Any]:
    """Known truth of simulated lists: linkage quality and each estimate's error."""
    n_dead = int(truth.attrs.get("n_dead", 0)) or None
    documented_true = int(truth["person_id"].nunique())
    quality = linkage_quality(members, truth)
    true_table = CaptureTable.from_memberships(
        truth, lists=lists, person_column="person_id", origin="simulated truth"
    )
    save, load = save_json, load_json
    perfect: list[dict[str, Any]] = []
    estimate_config = config.estimate
    for method in dict.fromkeys(
        [analysis["headline_method"] or "loglinear", "loglinear"]
    ):
        record, _ = cache.run(
            f"truth-estimate-{method}",
            {
                "table": table_sha256(true_table),
                "method": method,
                "options": estimate_config.options.get(method, {}),
                "seed": estimate_config.seed,
                "level": estimate_config.level,
            },
            lambda m=method: to_jsonable(  # type: ignore[misc]
                fit_method(
                    true_table,
                    m,
                    options=estimate_config.options.get(m, {}),
                    seed=estimate_config.seed,
                    level=estimate_config.level,
                )
            ),
            save,
            load,
        )
        perfect.append(record)
    errors = []
    if n_dead:
        for record in [*analysis["estimates"], *analysis["stratified_estimates"]]:
            if "estimate" not in record:
                continue
            errors.append(
                {
                    "method": record["method"],
                    "stratified": record["stratified"],
                    "estimate": record["estimate"],
                    "error": round(record["estimate"] - n_dead, 1),
                    "relative_error": round((record["estimate"] - n_dead) / n_dead, 4),
                    "interval_covers_truth": bool(
                        record["lower"] <= n_dead <= record["upper"]
                    ),
                }
            )
    return {
        "n_dead": n_dead,
        "documented_true": documented_true,
        "documented_linked": int(members["cluster_id"].nunique()),
        "linkage": quality,
        "errors": errors,
        "perfect_linkage_estimates": perfect,
    }


def analyse_project(
    project: Project,
    config: PipelineConfig,
    cache: StageCache,
    *,
    analysis_id: str = "project",
    title: str | None = None,
    simulated: bool = False,
    description: str | None = None,
    truth: pd.DataFrame | None = None,
    public: bool = False,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Run every stage over ``project`` and return its analysis (JSON-ready).

    Parameters
    ----------
    project
        The project (configuration and store).
    config
        Its pipeline configuration (:func:`~undercount.pipeline.pipeline_config`).
    cache
        The stage cache.
    analysis_id, title, simulated, description
        How the analysis is named and labelled in the report (``simulated``
        overrides ``[report] data``; otherwise the declaration labels it).
    truth
        For simulated lists only: ``source``, ``record_id``, ``person_id`` of every
        record (and ``attrs["n_dead"]``), to report linkage quality and each
        estimate's error against the truth.
    public
        Leave personal fields (e.g. the review examples) out of the analysis.
    progress
        Called with a message as each stage starts.
    """
    say = progress or (lambda message: None)
    provenance = "simulated" if simulated else config.report.provenance
    say("reading lists from the project store")
    inputs = read_project_lists(project)
    say("review decisions from the project store")
    reviewed = project_decisions(project, config)
    decisions, decisions_sha = reviewed.decisions, reviewed.sha256
    settings = LinkageSettings.from_dict(config.linkage)
    say("linkage")
    link_inputs = {
        "lists": inputs.hashes,
        "settings": settings.to_dict(),
        "decisions": decisions_sha,
    }
    (result, summary), link_key = cache.run(
        "linkage",
        link_inputs,
        lambda: _fresh_linkage(inputs.lists, settings, decisions),
        lambda value, folder: save_linkage(value[0], folder, value[1]),
        lambda folder: load_linkage(folder, decisions),
    )
    from undercount.captures import captures_from_linkage, threshold_sensitivity

    table = captures_from_linkage(result, strata=config.estimate.strata)
    analysis: dict[str, Any] = {
        "id": analysis_id,
        "title": title or project.config.project.name,
        "description": " ".join(
            (description or project.config.project.description or "").split()
        )
        or None,
        "simulated": provenance == "simulated",
        "data": provenance,
        "kind": "linked lists",
        "inputs": {
            "lists": inputs.provenance,
            "decisions_sha256": decisions_sha,
            "review_decisions": reviewed.summary(),
        },
        "settings": {
            "linkage": settings.to_dict(),
            "estimate": to_jsonable(config.estimate.model_dump()),
        },
        "seeds": {"linkage": settings.seed, "estimate": config.estimate.seed},
    }
    analysis.update(
        analyse_table(
            table,
            config.estimate,
            cache,
            acknowledgments=config.acknowledgments,
            progress=progress,
        )
    )
    sensitivity: dict[str, Any] | None = None
    estimate_config = config.estimate
    if estimate_config.thresholds:
        say("linkage threshold sensitivity")
        band, _ = cache.run(
            "sensitivity",
            {
                "linkage": link_key,
                "method": estimate_config.sensitivity_method,
                "thresholds": list(estimate_config.thresholds),
                "level": estimate_config.level,
                "seed": estimate_config.seed,
            },
            lambda: _sensitivity(result, estimate_config, threshold_sensitivity),
            save_json,
            load_json,
        )
        sensitivity = band
    imputed: dict[str, Any] | None = None
    if estimate_config.linkage_imputations:
        say("estimate over imputations of the uncertain links")
        pooled, _ = cache.run(
            "imputed",
            {
                "linkage": link_key,
                "method": estimate_config.headline_method,
                "imputations": estimate_config.linkage_imputations,
                "options": estimate_config.options.get(estimate_config.headline_method),
                "level": estimate_config.level,
                "seed": estimate_config.seed,
            },
            lambda: _imputed(result, estimate_config),
            save_json,
            load_json,
        )
        imputed = pooled
    analysis["linkage"] = {
        "stage_key": link_key,
        "summary": summary,
        "sensitivity": sensitivity,
        "imputed": imputed,
        "records_by_month": records_by_month(result),
        "people_by_month": people_by_month(result),
    }
    if not public:
        analysis["linkage"]["review_examples"] = review_examples(
            result, config.report.review_examples
        )
    if truth is not None:
        say("comparison with the simulated truth")
        analysis["truth"] = _truth_section(
            analysis, result.clusters.members, truth, list(result.lists), config, cache
        )
    return analysis


def _fresh_linkage(
    lists: dict[str, pd.DataFrame],
    settings: LinkageSettings,
    decisions: list[ReviewDecision],
) -> tuple[Any, dict[str, Any]]:
    import warnings

    from undercount.pipeline._linkage import _summary

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = run_linkage(lists, settings, decisions)
    summary = _summary(result)
    summary["warnings"] = sorted(
        {
            str(w.message)
            for w in caught
            if not issubclass(w.category, DeprecationWarning | FutureWarning)
        }
    )
    return result, summary


def _quietly(call: Any) -> Any:
    """``call()`` with warnings silenced; a user error becomes ``{"error": ...}``
    (an optional part of the report must not stop the run)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return call()
        except UserInputError as exc:
            return {"error": str(exc)}


def _rounded(row: dict[str, Any]) -> dict[str, Any]:
    """Estimates and interval ends to one decimal (other fields as they are)."""
    return {
        k: round(v, 1)
        if k in ("estimate", "lower", "upper") and isinstance(v, float)
        else v
        for k, v in row.items()
    }


def _imputed(result: Any, config: Any) -> dict[str, Any]:
    from undercount.captures import estimate_over_linkage

    pooled = _quietly(
        lambda: estimate_over_linkage(
            result,
            config.headline_method,
            imputations=config.linkage_imputations,
            level=config.level,
            seed=config.seed,
            options=config.options.get(config.headline_method),
        )
    )
    if isinstance(pooled, dict):
        return pooled
    data = _rounded(to_jsonable(pooled.to_dict()))
    data["per_imputation"] = [_rounded(row) for row in data["per_imputation"]]
    return dict(data)


def _sensitivity(result: Any, config: Any, function: Any) -> dict[str, Any]:
    band = _quietly(
        lambda: function(
            result,
            config.thresholds,
            method=config.sensitivity_method,
            level=config.level,
            seed=config.seed,
        )
    )
    if isinstance(band, dict):
        return band
    data = to_jsonable(band.to_dict())
    data["points"] = [_rounded(point) for point in data.get("points", [])]
    return dict(data)
