"""Fit many hierarchical models at once and rank them (Rcapture's ``closedpMS.t``).

The designs of models with the same number of parameters are stacked and fitted
together (:func:`~undercount.estimate._fast_batch.fit_masks_batch`); each model
follows the same IRLS path it would follow alone. The best-ranked fits on tables with
empty patterns are checked exactly for a boundary estimate and for the
identifiability of ``N`` (:mod:`~undercount.estimate._identifiability`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from undercount.estimate import _ieee
from undercount.estimate._design import Term
from undercount.estimate._fast_batch import fit_masks_batch
from undercount.estimate._hierarchical import (
    addable_terms,
    design_for,
    enumerate_models,
    exhaustive_is_feasible,
    interaction_terms,
    removable_terms,
)
from undercount.estimate._identifiability import check_face

FloatArray = npt.NDArray[np.float64]

_CHUNK_CELLS = 4_000_000
"""Stacked design entries per batch (bounds memory to ~32 MB per array)."""
_NEAR_ZERO = 1e-4
"""Zero cells fitted below this trigger the exact boundary check."""
_SAFE_HIDDEN = 1e150
_SAFE_VARIANCE = 1e7
"""Below these, ``hidden + hidden**2 * variance`` stays far inside the double range."""

TABLE_COLUMNS = [
    "model",
    "abundance",
    "stderr",
    "deviance",
    "df",
    "AIC",
    "BIC",
    "flag",
]


@dataclass(frozen=True, slots=True)
class SearchResult:
    """All fitted models, ranked by the criterion (best first)."""

    table: pd.DataFrame
    """Columns :data:`TABLE_COLUMNS` (Rcapture's, plus ``flag``)."""
    interactions: tuple[tuple[Term, ...], ...]
    """Interaction terms of each row of ``table`` (same order)."""
    strategy: str
    """``"exhaustive"`` or ``"stepwise"``."""
    criterion: str


def term_mask(term: Term, n_lists: int) -> int:
    """Bit mask of a term (list ``j`` is bit ``J - 1 - j``, as pattern indices)."""
    return sum(1 << (n_lists - 1 - j) for j in term)


def _mask_name(mask: int, n_lists: int) -> str:
    members = [j for j in range(n_lists) if mask >> (n_lists - 1 - j) & 1]
    return (":" if n_lists >= 10 else "").join(str(j + 1) for j in members)


def _model_names(masks: npt.NDArray[np.int64], n_lists: int) -> list[str]:
    """Rcapture names of models given their column masks (intercept excluded)."""
    inside = (masks[:, :, None] & masks[:, None, :]) == masks[:, :, None]
    distinct = masks[:, :, None] != masks[:, None, :]
    maximal = ~(inside & distinct).any(axis=2)
    sizes = np.zeros_like(masks)
    for bit in range(n_lists):
        sizes += (masks >> bit) & 1
    labels: dict[int, str] = {}
    names = []
    for row_masks, row_max, row_sizes in zip(masks, maximal, sizes, strict=True):
        terms = []
        for mask, keep, size in zip(row_masks, row_max, row_sizes, strict=True):
            if keep:
                m = int(mask)
                if m not in labels:
                    labels[m] = _mask_name(m, n_lists)
                terms.append((-int(size), labels[m]))
        names.append("[" + ",".join(label for _, label in sorted(terms)) + "]")
    return names


def fit_interaction_sets(
    y: FloatArray, n_lists: int, models: Sequence[tuple[Term, ...]]
) -> pd.DataFrame:
    """Fit each interaction set; one row per model in the given order.

    The ``flag`` column says ``"not converged"`` or ``"boundary"`` (a zero cell fitted
    near 0); :func:`verify_flags` replaces the latter by the exact verdict.
    """
    n = float(y.sum())
    log_n = np.log(n)
    n_cells = y.size
    mask_of: dict[Term, int] = {}
    base = [0, *(term_mask((j,), n_lists) for j in range(n_lists))]
    abundance = np.empty(len(models))
    stderr = np.empty(len(models))
    deviance = np.empty(len(models))
    df = np.empty(len(models), dtype=np.int64)
    aic = np.empty(len(models))
    bic = np.empty(len(models))
    flags = np.full(len(models), "", dtype=object)
    names: list[str] = [""] * len(models)
    by_size: dict[int, list[int]] = {}
    for i, model in enumerate(models):
        by_size.setdefault(len(model), []).append(i)
    for size, indices in by_size.items():
        n_cols = len(base) + size
        chunk = max(1, _CHUNK_CELLS // (2**n_lists * n_cols))
        for start in range(0, len(indices), chunk):
            part = np.asarray(indices[start : start + chunk])
            rows = []
            for i in part:
                row = list(base)
                for t in models[i]:
                    if t not in mask_of:
                        mask_of[t] = term_mask(t, n_lists)
                    row.append(mask_of[t])
                rows.append(row)
            masks = np.array(rows, dtype=np.int64).reshape(len(part), n_cols)
            batch = fit_masks_batch(y, n_lists, masks)
            hidden = _ieee.exp_or_inf(batch.coef[:, 0])
            abundance[part] = n + hidden
            stderr[part] = _abundance_stderr(hidden, batch.intercept_variance)
            deviance[part] = batch.deviance
            df[part] = n_cells - n_cols
            aic[part] = -2 * batch.loglik + 2 * n_cols
            bic[part] = -2 * batch.loglik + log_n * n_cols
            near_zero = ((y == 0) & (batch.fitted < _NEAR_ZERO)).any(axis=1)
            flags[part[near_zero]] = "boundary"
            flags[part[~batch.converged]] = "not converged"
            for i, name in zip(part, _model_names(masks[:, 1:], n_lists), strict=True):
                names[i] = name
    return pd.DataFrame(
        {
            "model": names,
            "abundance": abundance,
            "stderr": stderr,
            "deviance": deviance,
            "df": df,
            "AIC": aic,
            "BIC": bic,
            "flag": flags,
        }
    )


def _abundance_stderr(hidden: FloatArray, variance: FloatArray) -> FloatArray:
    """Standard error of ``N = n + exp(b0)``: ``sqrt(hidden + hidden**2 var(b0))``.

    A diverged fit (``hidden`` or its variance beyond the largest double, or a
    negative variance from a near-singular system) gets ``inf`` or NaN, as IEEE
    arithmetic gives them, without numpy warnings.
    """
    safe = (np.abs(hidden) <= _SAFE_HIDDEN) & (np.abs(variance) <= _SAFE_VARIANCE)
    total = np.empty(hidden.shape)
    h, var = hidden[safe], variance[safe]
    total[safe] = h + h**2 * var
    if not safe.all():
        h, var = hidden[~safe], variance[~safe]
        total[~safe] = _ieee.add(h, _ieee.multiply(_ieee.multiply(h, h), var))
    out = np.full(total.shape, np.nan)
    np.sqrt(total, out=out, where=~(total < 0.0))
    return out


def verify_flags(
    y: FloatArray,
    n_lists: int,
    table: pd.DataFrame,
    interactions: Sequence[tuple[Term, ...]],
    *,
    top: int = 10,
) -> pd.DataFrame:
    """Check boundary fits exactly, in ranked order, for the first ``top`` rows and
    until the first usable model (converged, ``N`` identifiable) is found."""
    flags = table["flag"].to_numpy(dtype=object).copy()
    has_zeros = bool((y == 0).any())
    for row in range(len(table)):
        # any fit on a table with empty patterns may sit on a boundary the IRLS
        # stopped short of; the exact check is cheap for the rows that matter
        if flags[row] == "boundary" or (flags[row] == "" and has_zeros):
            face = check_face(y, design_for(n_lists, interactions[row]))
            if not face.identifiable:
                flags[row] = "N not identifiable"
            elif not face.boundary:
                flags[row] = ""
            else:
                flags[row] = "boundary (checked)"
        usable = flags[row] not in UNUSABLE_FLAGS and flags[row] != "boundary"
        if row + 1 >= top and usable:
            break
    out = table.copy()
    out["flag"] = flags
    return out


UNUSABLE_FLAGS = ("N not identifiable", "not converged")
"""Models never selected automatically."""


def search_models(
    y: FloatArray,
    n_lists: int,
    *,
    criterion: str = "bic",
    maxorder: int | None = None,
    strategy: str = "auto",
) -> SearchResult:
    """Fit and rank hierarchical models (see module notes)."""
    order = n_lists - 1 if maxorder is None else maxorder
    column = "BIC" if criterion == "bic" else "AIC"
    if strategy == "auto":
        if exhaustive_is_feasible(n_lists, order):
            strategy = "exhaustive"
        elif exhaustive_is_feasible(n_lists, 2):
            strategy = "exhaustive pairwise + stepwise"
        else:
            strategy = "stepwise"
    if strategy == "exhaustive":
        models = list(enumerate_models(n_lists, order))
        table = fit_interaction_sets(y, n_lists, models)
    elif strategy == "exhaustive pairwise + stepwise":
        pairwise = list(enumerate_models(n_lists, 2))
        first = fit_interaction_sets(y, n_lists, pairwise)
        usable = ~first["flag"].isin(UNUSABLE_FLAGS).to_numpy()
        values = np.where(usable, first[column].to_numpy(dtype=float), np.inf)
        starts = [pairwise[i] for i in np.argsort(values, kind="stable")[:3]]
        more, rest = _stepwise(y, n_lists, order, criterion, starts=starts)
        known = set(pairwise)
        keep = [i for i, m in enumerate(more) if m not in known]
        models = pairwise + [more[i] for i in keep]
        table = pd.concat([first, rest.iloc[keep]], ignore_index=True)
    else:
        models, table = _stepwise(y, n_lists, order, criterion)
    ranking = np.argsort(table[column].to_numpy(), kind="stable")
    ranked = table.iloc[ranking].reset_index(drop=True)
    ordered = tuple(models[i] for i in ranking)
    ranked = verify_flags(y, n_lists, ranked, ordered)
    return SearchResult(
        table=ranked,
        interactions=ordered,
        strategy=strategy,
        criterion=criterion,
    )


def _stepwise(
    y: FloatArray,
    n_lists: int,
    maxorder: int,
    criterion: str,
    *,
    starts: Sequence[tuple[Term, ...]] | None = None,
) -> tuple[list[tuple[Term, ...]], pd.DataFrame]:
    """Greedy search, started from the independence model and from the model with
    every pairwise interaction: take the best single addition or removal of a term
    while one improves the criterion, else the best swap of one maximal term for
    another; stop when none improves it. Every model tried is kept in the table."""
    column = "BIC" if criterion == "bic" else "AIC"
    models: list[tuple[Term, ...]] = []
    frames: list[pd.DataFrame] = []
    scores: dict[tuple[Term, ...], float] = {}

    def evaluate(candidates: list[tuple[Term, ...]]) -> None:
        fresh = list(dict.fromkeys(c for c in candidates if c not in scores))
        if not fresh:
            return
        frame = fit_interaction_sets(y, n_lists, fresh)
        values = frame[column].to_numpy(dtype=float)
        unusable = frame["flag"].isin(UNUSABLE_FLAGS).to_numpy()
        for model, value, bad in zip(fresh, values, unusable, strict=True):
            scores[model] = float("inf") if bad else float(value)
        models.extend(fresh)
        frames.append(frame)

    def climb(current: tuple[Term, ...]) -> None:
        evaluate([current])
        while True:
            moves = [
                _canonical((*current, t))
                for t in addable_terms(n_lists, maxorder, current)
            ]
            moves += [
                _canonical(tuple(x for x in current if x != t))
                for t in removable_terms(current)
            ]
            if moves:
                evaluate(moves)
                best = min(moves, key=scores.__getitem__)
                if scores[best] < scores[current]:
                    current = best
                    continue
            swaps = _swaps(n_lists, maxorder, current)
            if not swaps:
                return
            evaluate(swaps)
            best = min(swaps, key=scores.__getitem__)
            if scores[best] >= scores[current]:
                return
            current = best

    if starts is None:
        starts = [()]
        if maxorder >= 2:
            starts.append(tuple(interaction_terms(n_lists, 2)))
    for start in starts:
        climb(_canonical(start))
    return models, pd.concat(frames, ignore_index=True)


def _swaps(
    n_lists: int, maxorder: int, current: tuple[Term, ...]
) -> list[tuple[Term, ...]]:
    """Models that replace one maximal term by another term (kept hierarchical)."""
    out = []
    for gone in removable_terms(current):
        reduced = tuple(x for x in current if x != gone)
        for new in addable_terms(n_lists, maxorder, reduced):
            if new != gone:
                out.append(_canonical((*reduced, new)))
    return out


def _canonical(terms: tuple[Term, ...]) -> tuple[Term, ...]:
    return tuple(sorted(set(terms), key=lambda t: (len(t), t)))
