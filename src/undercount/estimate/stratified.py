"""Stratified estimation: fit each stratum, then combine.

Heterogeneity between strata (period, region, sex...) biases a pooled estimate;
fitting each stratum separately and adding the estimates removes that part of it.

Combination rules:

* **MLEs** (results with a ``stderr``): estimates add up and, strata being
  independent samples, so do variances; the total's interval is Chao's log-normal
  interval built from the summed variance.
* **Bayesian results** (results with ``draws``, a 1-D array of posterior draws of
  ``N``): the draws of the strata are summed draw by draw, and the total's estimate
  and interval are the median and equal-tailed quantiles of the summed draws.

A stratum the method cannot estimate (too few lists, lists that never overlap, no
usable model...) is flagged, not dropped: its documented count enters the total as
is, and the result warns that the total is then partly a floor.
"""

from __future__ import annotations

import warnings as _warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from undercount.errors import SparseCellsWarning, UndercountWarning, UserInputError
from undercount.estimate._base import (
    EstimateResult,
    EstimationError,
    Estimator,
    equal_tailed_interval,
    lognormal_interval,
)
from undercount.estimate._messages import Message, emit
from undercount.model.capture_table import CaptureTable, StratumKey

__all__ = ["StratifiedResult", "StratumEstimate", "fit_stratified"]

SPARSE_STRATUM = 30
"""Strata documenting fewer people than this get a warning (estimates from a few
dozen people have intervals too wide to add much to a total)."""


@dataclass(frozen=True)
class StratumEstimate:
    """One stratum: its values, documented count and result (or why it has none)."""

    key: StratumKey
    observed: int
    result: EstimateResult | None
    reason: str | None = None

    @property
    def estimated(self) -> bool:
        """Whether the method produced an estimate for this stratum."""
        return self.result is not None


def _draws(result: EstimateResult) -> npt.NDArray[np.float64] | None:
    draws = getattr(result, "draws", None)
    if draws is None:
        return None
    array = np.asarray(draws, dtype=np.float64).ravel()
    return array if array.size else None


def _stderr(result: EstimateResult) -> float:
    value = getattr(result, "stderr", None)
    if value is not None:
        return float(value)
    draws = _draws(result)
    if draws is not None:
        return float(np.std(draws, ddof=1))
    raise UserInputError(
        f"cannot combine {result.method!r} results: they carry neither a standard "
        "error nor posterior draws"
    )


@dataclass(frozen=True)
class StratifiedResult(EstimateResult):
    """Combined estimate over strata; ``strata`` holds each stratum's detail."""

    method: str
    lists: tuple[str, ...]
    observed: int
    estimate: float
    stratum_columns: tuple[str, ...]
    strata: tuple[StratumEstimate, ...]
    stderr: float | None = None
    draws: npt.NDArray[np.float64] | None = field(default=None, repr=False)
    diagnostics: Mapping[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    def interval(self, level: float = 0.95) -> tuple[float, float]:
        """Quantiles of the summed draws, or the log-normal interval of the sum."""
        if self.draws is not None:
            return equal_tailed_interval(self.draws, level)
        return lognormal_interval(
            self.observed, self.estimate, float(self.stderr or 0.0), level
        )

    def to_dict(self, level: float = 0.95) -> dict[str, Any]:
        """The ``--json`` object with a ``strata`` list (one entry per stratum)."""
        record = super().to_dict(level)
        if self.stderr is not None:
            record["stderr"] = float(self.stderr)
        record["strata"] = [self._stratum_dict(s, level) for s in self.strata]
        return record

    def _stratum_dict(self, stratum: StratumEstimate, level: float) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "stratum": {
                col: _plain(value)
                for col, value in zip(self.stratum_columns, stratum.key, strict=True)
            },
            "observed": stratum.observed,
            "estimated": stratum.estimated,
        }
        if stratum.result is None:
            entry["reason"] = stratum.reason
            return entry
        inner = stratum.result.to_dict(level)
        for name in ("estimate", "lower", "upper", "diagnostics", "warnings"):
            entry[name] = inner[name]
        if "stderr" in inner:
            entry["stderr"] = inner["stderr"]
        return entry


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    return value


def fit_stratified(estimator: Estimator, table: CaptureTable) -> StratifiedResult:
    """Fit ``estimator`` to each stratum of ``table`` and combine (module notes)."""
    if not table.is_stratified:
        raise UserInputError(
            "fit_stratified needs a stratified table: read it with strata=[...] "
            "(CLI: --strata COL,...)"
        )
    strata: list[StratumEstimate] = []
    messages: list[Message] = []
    method = ""
    for position, (key, sub) in enumerate(table.by_stratum()):
        stratum_estimator = _with_stratum_seed(estimator, position)
        label = ", ".join(f"{c}={v}" for c, v in zip(table.strata, key, strict=True))
        try:
            with _warnings.catch_warnings():
                # the stratum's caveats are kept in its result and re-raised below,
                # prefixed with the stratum; anything else reaches the caller
                _warnings.simplefilter("ignore", UndercountWarning)
                result = stratum_estimator.fit(sub)
        except UserInputError as exc:  # EstimationError included
            strata.append(StratumEstimate(key, sub.n_observed, None, str(exc)))
            messages.append(
                (
                    f"stratum {label} not estimated ({exc}); its {sub.n_observed} "
                    "documented people enter the total as a floor",
                    SparseCellsWarning,
                )
            )
            continue
        method = method or result.method
        strata.append(StratumEstimate(key, sub.n_observed, result))
        if sub.n_observed < SPARSE_STRATUM:
            messages.append(
                (
                    f"stratum {label} documents only {sub.n_observed} people: its "
                    "estimate is very uncertain; consider merging strata",
                    SparseCellsWarning,
                )
            )
        messages += [
            (f"stratum {label}: {w}", SparseCellsWarning) for w in result.warnings
        ]
    estimated = [s for s in strata if s.result is not None]
    if not estimated:
        raise EstimationError(
            "no stratum could be estimated: " + "; ".join(str(s.reason) for s in strata)
        )
    return _combine(table, strata, method, messages)


def _with_stratum_seed(estimator: Estimator, position: int) -> Estimator:
    """A copy of a seeded estimator with its own seed for one stratum.

    Strata must not share one random stream (their Monte Carlo errors would be
    correlated); each gets a seed derived from the user's seed and the stratum's
    position, so the whole run stays reproducible from one seed.
    """
    import copy

    seed = getattr(estimator, "seed", None)
    if not isinstance(seed, int) or isinstance(seed, bool):
        return estimator
    derived = int(np.random.SeedSequence([seed, position]).generate_state(1)[0])
    clone = copy.copy(estimator)
    try:
        object.__setattr__(clone, "seed", derived)
    except (AttributeError, TypeError):
        return estimator
    return clone


def _combine(
    table: CaptureTable,
    strata: Sequence[StratumEstimate],
    method: str,
    messages: list[Message],
) -> StratifiedResult:
    results = [s.result for s in strata if s.result is not None]
    floor = float(sum(s.observed for s in strata if s.result is None))
    draw_sets = [_draws(r) for r in results]
    diagnostics: dict[str, Any] = {
        "strata": len(strata),
        "strata_estimated": len(results),
        "combination": "",
    }
    draws = None
    stderr: float | None = None
    if all(d is not None for d in draw_sets):
        arrays = [d for d in draw_sets if d is not None]
        size = min(a.size for a in arrays)
        if any(a.size != size for a in arrays):
            messages.append(
                (
                    f"strata have different numbers of posterior draws; the first "
                    f"{size} of each were summed",
                    SparseCellsWarning,
                )
            )
        draws = np.sum([a[:size] for a in arrays], axis=0) + floor
        estimate = float(np.median(draws))
        diagnostics["combination"] = "posterior draws summed"
    else:
        estimate = float(sum(r.estimate for r in results)) + floor
        stderr = float(np.sqrt(sum(_stderr(r) ** 2 for r in results)))
        diagnostics["combination"] = "estimates and variances added"
    return StratifiedResult(
        method=method,
        lists=table.lists,
        observed=table.n_observed,
        estimate=estimate,
        stratum_columns=table.strata,
        strata=tuple(strata),
        stderr=stderr,
        draws=draws,
        diagnostics=diagnostics,
        warnings=emit(messages, depth=2),
    )
