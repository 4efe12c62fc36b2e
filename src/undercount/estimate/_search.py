"""Fit many hierarchical models at once and rank them (Rcapture's ``closedpMS.t``).

The designs of models with the same number of parameters are stacked and fitted
together (:func:`~undercount.estimate._glm.fit_poisson_batch`); each model follows the
same IRLS path it would follow alone. A fit whose zero cells are fitted near 0 is
checked exactly for a boundary estimate and for the identifiability of ``N``
(:mod:`~undercount.estimate._identifiability`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from undercount.estimate._design import Term, format_model
from undercount.estimate._glm import fit_poisson_batch
from undercount.estimate._hierarchical import (
    addable_terms,
    design_for,
    enumerate_models,
    exhaustive_is_feasible,
    generators,
    removable_terms,
)
from undercount.estimate._identifiability import check_face

FloatArray = npt.NDArray[np.float64]

_CHUNK_CELLS = 4_000_000
"""Stacked design entries per batch (bounds memory to ~32 MB per array)."""
_NEAR_ZERO = 1e-4
"""Zero cells fitted below this trigger the exact boundary check."""

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
    base = design_for(n_lists, ())
    all_terms = sorted(
        {t for model in models for t in model}, key=lambda t: (len(t), t)
    )
    term_index = {t: k for k, t in enumerate(all_terms)}
    term_columns = design_for(n_lists, all_terms)[:, base.shape[1] :]
    columns: dict[str, object] = {
        "abundance": np.empty(len(models)),
        "stderr": np.empty(len(models)),
        "deviance": np.empty(len(models)),
        "df": np.empty(len(models), dtype=np.int64),
        "AIC": np.empty(len(models)),
        "BIC": np.empty(len(models)),
    }
    flags = np.full(len(models), "", dtype=object)
    by_size: dict[int, list[int]] = {}
    for i, model in enumerate(models):
        by_size.setdefault(len(model), []).append(i)
    for size, indices in by_size.items():
        n_cols = base.shape[1] + size
        chunk = max(1, _CHUNK_CELLS // (n_cells * n_cols))
        for start in range(0, len(indices), chunk):
            part = np.asarray(indices[start : start + chunk])
            picks = np.array(
                [[term_index[t] for t in models[i]] for i in part], dtype=np.int64
            ).reshape(len(part), size)
            designs = np.concatenate(
                [
                    np.broadcast_to(base, (len(part), *base.shape)),
                    np.moveaxis(term_columns[:, picks], 0, 1),
                ],
                axis=2,
            )
            batch = fit_poisson_batch(y, designs)
            hidden = np.exp(batch.coef[:, 0])
            columns["abundance"][part] = n + hidden  # type: ignore[index]
            columns["stderr"][part] = np.sqrt(  # type: ignore[index]
                hidden + hidden**2 * batch.intercept_variance
            )
            columns["deviance"][part] = batch.deviance  # type: ignore[index]
            columns["df"][part] = n_cells - n_cols  # type: ignore[index]
            columns["AIC"][part] = -2 * batch.loglik + 2 * n_cols  # type: ignore[index]
            columns["BIC"][part] = -2 * batch.loglik + log_n * n_cols  # type: ignore[index]
            near_zero = ((y == 0) & (batch.fitted < _NEAR_ZERO)).any(axis=1)
            flags[part[near_zero]] = "boundary"
            flags[part[~batch.converged]] = "not converged"
    table = pd.DataFrame(columns)
    table.insert(0, "model", [format_model(generators(n_lists, m)) for m in models])
    table["flag"] = flags
    return table[TABLE_COLUMNS]


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
    for row in range(len(table)):
        if flags[row] == "boundary":
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
    if strategy == "auto":
        strategy = (
            "exhaustive" if exhaustive_is_feasible(n_lists, order) else "stepwise"
        )
    if strategy == "exhaustive":
        models = list(enumerate_models(n_lists, order))
        table = fit_interaction_sets(y, n_lists, models)
    else:
        models, table = _stepwise(y, n_lists, order, criterion)
    column = "BIC" if criterion == "bic" else "AIC"
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
    y: FloatArray, n_lists: int, maxorder: int, criterion: str
) -> tuple[list[tuple[Term, ...]], pd.DataFrame]:
    """Greedy add/remove search from the independence model; every model tried is
    kept in the table."""
    column = "BIC" if criterion == "bic" else "AIC"
    seen: dict[tuple[Term, ...], int] = {}
    models: list[tuple[Term, ...]] = []
    frames: list[pd.DataFrame] = []

    def evaluate(candidates: list[tuple[Term, ...]]) -> None:
        fresh = [c for c in candidates if c not in seen]
        if not fresh:
            return
        for c in fresh:
            seen[c] = len(models)
            models.append(c)
        frames.append(fit_interaction_sets(y, n_lists, fresh))

    def score(model: tuple[Term, ...]) -> float:
        table = pd.concat(frames, ignore_index=True)
        row = table.iloc[seen[model]]
        if row["flag"] in UNUSABLE_FLAGS:
            return float("inf")
        return float(row[column])

    current: tuple[Term, ...] = ()
    evaluate([current])
    while True:
        moves = [
            _canonical((*current, t)) for t in addable_terms(n_lists, maxorder, current)
        ]
        moves += [
            _canonical(tuple(x for x in current if x != t))
            for t in removable_terms(current)
        ]
        evaluate(moves)
        best = min(moves, key=score, default=current)
        if not moves or score(best) >= score(current):
            break
        current = best
    return models, pd.concat(frames, ignore_index=True)


def _canonical(terms: tuple[Term, ...]) -> tuple[Term, ...]:
    return tuple(sorted(set(terms), key=lambda t: (len(t), t)))
