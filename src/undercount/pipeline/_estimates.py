"""Estimates of every configured method, side by side, as JSON-ready records.

Each method is looked up in the estimate registry (``get_method(name)(**options)``)
and fitted to the unstratified capture table, and, when strata are configured, per
stratum with :func:`~undercount.estimate.fit_stratified`. A method that cannot be
fitted (too few lists, lists that never overlap...) is reported with its reason
instead of stopping the run: a reader must see that it was tried.

Timings are left out of the records so that the same inputs and seeds give the same
``results.json`` byte for byte.
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np

from undercount.errors import UserInputError
from undercount.model import CaptureTable
from undercount.pipeline._hashing import to_jsonable

__all__ = ["METHOD_LABELS", "fit_method", "posterior_histogram"]

METHOD_LABELS: dict[str, tuple[str, str]] = {
    "lcmcr": ("LCMCR: Bayesian latent-class model", "Bayesian"),
    "dga": ("DGA: Bayesian model averaging over decomposable graphs", "Bayesian"),
    "loglinear": ("Log-linear model selected by BIC", "frequentist"),
    "chao": ("Chao lower bound", "lower bound"),
    "sample-coverage": ("Sample coverage (Chao and Tsay)", "frequentist"),
    "chapman": ("Chapman two-list estimator", "frequentist"),
    "lincoln-petersen": ("Lincoln-Petersen two-list estimator", "frequentist"),
}
"""Method name -> (label for readers, family)."""

_VOLATILE = ("seconds", "per_second", "elapsed", "wall")
_HISTOGRAM_BINS = 40


def _factory_kwargs(
    factory: Any, options: Mapping[str, Any], seed: int
) -> dict[str, Any]:
    kwargs = dict(options)
    try:
        accepts_seed = "seed" in inspect.signature(factory).parameters
    except (TypeError, ValueError):
        accepts_seed = False
    if accepts_seed:
        kwargs.setdefault("seed", seed)
    return kwargs


def _clean_diagnostics(diagnostics: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in diagnostics.items():
        if any(word in str(key) for word in _VOLATILE):
            continue
        out[str(key)] = to_jsonable(value)
    return out


def posterior_histogram(
    draws: np.ndarray[Any, Any], bins: int = _HISTOGRAM_BINS
) -> list[dict[str, float]]:
    """Histogram of posterior draws of ``N``: ``start``, ``end``, ``share`` per bin."""
    values = np.asarray(draws, dtype=np.float64).ravel()
    if values.size == 0:
        return []
    low, high = np.quantile(values, [0.001, 0.999])
    if high <= low:
        high = low + 1.0
    counts, edges = np.histogram(
        np.clip(values, low, high), bins=bins, range=(low, high)
    )
    share = counts / values.size
    return [
        {
            "start": round(float(edges[i]), 1),
            "end": round(float(edges[i + 1]), 1),
            "share": round(float(share[i]), 5),
        }
        for i in range(len(counts))
    ]


def _posterior(result: Any, level: float) -> dict[str, Any] | None:
    draws = getattr(result, "draws", None)
    if draws is None:
        return None
    values = np.asarray(draws, dtype=np.float64).ravel()
    if values.size == 0:
        return None
    qs = np.quantile(values, [0.025, 0.25, 0.5, 0.75, 0.975])
    return {
        "draws": int(values.size),
        "quantiles": {
            k: round(float(v), 1)
            for k, v in zip(("q025", "q25", "q50", "q75", "q975"), qs, strict=True)
        },
        "histogram": posterior_histogram(values),
    }


def _record(result: Any, level: float) -> dict[str, Any]:
    data = result.to_dict(level)
    record: dict[str, Any] = {
        "estimate": round(float(data["estimate"]), 1),
        "lower": round(float(data["lower"]), 1),
        "upper": round(float(data["upper"]), 1),
        "level": level,
        "observed": int(data["observed"]),
        "unobserved": round(float(data["estimate"]) - int(data["observed"]), 1),
        "diagnostics": _clean_diagnostics(data.get("diagnostics", {})),
        "warnings": [str(w) for w in data.get("warnings", [])],
    }
    for key in ("stderr", "model", "interval"):
        if key in data and data[key] is not None:
            record[key] = to_jsonable(data[key])
    if "models" in data:
        record["models"] = to_jsonable(list(data["models"])[:5])
    return record


def fit_method(
    table: CaptureTable,
    method: str,
    *,
    options: Mapping[str, Any] | None = None,
    seed: int = 0,
    level: float = 0.95,
    stratified: bool = False,
) -> dict[str, Any]:
    """Fit ``method`` to ``table`` and return a JSON-ready record.

    Parameters
    ----------
    table
        The capture table (stratified when ``stratified``).
    method
        A registered method name (``lcmcr``, ``loglinear``, ``dga``, ``chao``...).
    options
        Constructor options of the method (e.g. ``burnin`` for LCMCR).
    seed
        Passed to methods that draw random numbers (each stratum derives its own).
    level
        Interval level.
    stratified
        Fit each stratum and add them up.

    Returns
    -------
    dict
        ``method``, ``label``, ``family``, ``options``, ``seed``, ``stratified``, and
        either the figures (``estimate``, ``lower``, ``upper``, ``observed``,
        ``diagnostics``, ``warnings``, ``posterior`` for Bayesian methods, ``strata``
        when stratified) or ``error`` with the reason the method was not fitted.
    """
    from undercount.estimate import fit_stratified, get_method, load_methods

    load_methods()
    label, family = METHOD_LABELS.get(method, (method, "other"))
    factory = get_method(method)
    kwargs = _factory_kwargs(factory, options or {}, seed)
    base: dict[str, Any] = {
        "method": method,
        "label": label,
        "family": family,
        "options": to_jsonable(kwargs),
        "seed": kwargs.get("seed"),
        "stratified": stratified,
        "strata_columns": list(table.strata) if stratified else [],
    }
    try:
        estimator = factory(**kwargs)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # kept in the record's warnings
            if stratified:
                result: Any = fit_stratified(estimator, table)
            else:
                result = estimator.fit(
                    table.collapse_strata() if table.is_stratified else table
                )
    except UserInputError as exc:
        return {**base, "error": str(exc)}
    except (ValueError, FloatingPointError, np.linalg.LinAlgError) as exc:
        return {**base, "error": f"{type(exc).__name__}: {exc}"}
    record = {**base, **_record(result, level)}
    posterior = _posterior(result, level)
    if posterior is not None:
        record["posterior"] = posterior
    if stratified:
        record["strata"] = [
            _stratum_entry(entry) for entry in result.to_dict(level).get("strata", [])
        ]
    return record


def _stratum_entry(entry: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "stratum": to_jsonable(entry.get("stratum", {})),
        "observed": int(entry.get("observed", 0)),
        "estimated": bool(entry.get("estimated", False)),
    }
    if out["estimated"]:
        for key in ("estimate", "lower", "upper"):
            out[key] = round(float(entry[key]), 1)
        diagnostics = _clean_diagnostics(entry.get("diagnostics", {}))
        out["diagnostics"] = {
            k: v for k, v in diagnostics.items() if k in ("rhat", "ess_bulk", "model")
        }
        out["warnings"] = [str(w) for w in entry.get("warnings", [])]
    else:
        out["reason"] = str(entry.get("reason", ""))
    return out
