"""Log-linear multiple systems estimation (the Rcapture family).

:class:`LogLinear` fits one closed-population log-linear model to the observable cells
of a capture table, or, without a model, searches the hierarchical models with list
interactions and keeps the best by BIC (or AIC), as Rcapture's ``closedpMS.t`` does.
Its interval is the profile-likelihood interval of ``closedpCI.t``.

:func:`closed_population_table` is Rcapture's ``closedp.t`` table (M0, Mt, Mh and Mth
with four heterogeneity forms, Mb, Mbh); :func:`hierarchical_model_table` is the ranked
table of ``closedpMS.t``.

References
----------
Baillargeon, S. & Rivest, L.-P. (2007). Rcapture: loglinear models for
capture-recapture in R. Journal of Statistical Software 19(5).
Fienberg, S. E. (1972). The multiple recapture census for closed populations and
incomplete 2^k contingency tables. Biometrika 59, 591-603.
Rivest, L.-P. & Lévesque, T. (2001). Improved log-linear model estimators of
abundance in capture-recapture experiments. Canadian Journal of Statistics 29, 555-572.
Cormack, R. M. (1992). Interval estimation for mark-recapture studies of closed
populations. Biometrics 48, 567-576.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from undercount.errors import (
    BoundaryEstimateWarning,
    ConvergenceWarning,
    SparseCellsWarning,
    UserInputError,
)
from undercount.estimate._base import (
    EstimateResult,
    EstimationError,
    lognormal_interval,
    register_method,
)
from undercount.estimate._guards import (
    non_empty_lists,
    overlap_messages,
    require_few_lists,
    require_lists,
    require_unstratified,
)
from undercount.estimate._messages import Message, emit
from undercount.estimate._models import (
    CLOSEDP_MODELS,
    TWO_LIST_MODELS,
    ModelFit,
    canonical_model_name,
    fit_model,
)
from undercount.estimate._profile import ProfileInterval, profile_interval
from undercount.estimate._search import UNUSABLE_FLAGS, SearchResult, search_models
from undercount.model.capture_table import CaptureTable

__all__ = [
    "LogLinear",
    "LogLinearResult",
    "closed_population_table",
    "hierarchical_model_table",
]

FloatArray = npt.NDArray[np.float64]
Criterion = Literal["bic", "aic"]


@dataclass(frozen=True)
class LogLinearResult(EstimateResult):
    """A fitted log-linear model: ``N``, its standard error, fit statistics, interval.

    ``estimate`` is the Poisson MLE ``n + exp(b0)`` (the figure of Rcapture's model
    tables); the profile-likelihood interval is centred on the multinomial MLE,
    reported as ``diagnostics["profile_estimate"]`` (Rcapture's ``closedpCI.t``).
    ``model_table`` holds the ranked table of models when the model was selected.
    """

    method: str
    lists: tuple[str, ...]
    observed: int
    estimate: float
    stderr: float
    model: str
    deviance: float
    df: int
    aic: float
    bic: float
    diagnostics: Mapping[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    model_table: pd.DataFrame | None = field(default=None, repr=False, compare=False)
    _fit: ModelFit | None = field(default=None, repr=False, compare=False)
    _cells: FloatArray | None = field(default=None, repr=False, compare=False)
    _profiles: dict[float, ProfileInterval] = field(
        default_factory=dict, repr=False, compare=False
    )

    @property
    def has_profile(self) -> bool:
        """Whether the profile-likelihood interval applies (not for Mb, Mbh)."""
        return self._fit is not None and self.model not in ("Mb", "Mbh")

    def profile(self, level: float = 0.95) -> ProfileInterval:
        """Multinomial MLE and profile-likelihood interval (computed once per level)."""
        if not self.has_profile or self._fit is None or self._cells is None:
            raise UserInputError(
                f"model {self.model!r} has no profile-likelihood interval"
            )
        if level not in self._profiles:
            self._profiles[level] = profile_interval(self._cells, self._fit, level)
        return self._profiles[level]

    def interval(self, level: float = 0.95) -> tuple[float, float]:
        """Profile-likelihood interval for ``N`` (log-normal for Mb and Mbh)."""
        if self.has_profile:
            found = self.profile(level)
            return found.lower, found.upper
        return lognormal_interval(self.observed, self.estimate, self.stderr, level)

    def to_dict(self, level: float = 0.95) -> dict[str, Any]:
        """The ``--json`` object, with the model, its fit and the interval method."""
        record = super().to_dict(level)
        record["stderr"] = float(self.stderr)
        record["model"] = self.model
        record["interval"] = "profile" if self.has_profile else "lognormal"
        if self.has_profile:
            found = self.profile(level)
            record["diagnostics"]["interval_lower_at_floor"] = found.lower_at_floor
            record["diagnostics"]["interval_upper_open"] = found.upper_open
        if self.model_table is not None:
            top = self.model_table.head(10)
            record["models"] = top.to_dict(orient="records")
        return record


@dataclass(frozen=True, slots=True)
class LogLinear:
    """Log-linear model estimator (Poisson GLM on the ``2**J - 1`` observable cells).

    Parameters
    ----------
    model
        A closedp model (``"M0"``, ``"Mt"``, ``"Mh Chao"``, ``"Mth Darroch"``...,
        see :data:`CLOSEDP_MODELS`), a hierarchical model in Rcapture notation
        (``"[12,3,4]"``: list numbers in table order, or ``"[A:B,C,D]"`` with names),
        or ``None`` to select among all hierarchical models.
    criterion
        ``"bic"`` (default, as ``closedpMS.t``) or ``"aic"`` for the selection.
    maxorder
        Highest interaction order searched (default ``J - 1``).
    """

    model: str | None = None
    criterion: Criterion = "bic"
    maxorder: int | None = None

    def fit(self, table: CaptureTable) -> LogLinearResult:
        """Fit (or select and fit) the model; see the class notes."""
        if self.criterion not in ("bic", "aic"):
            raise UserInputError(
                f"criterion must be 'bic' or 'aic', got {self.criterion!r}"
            )
        require_unstratified(table, "loglinear")
        require_few_lists(table, "loglinear")
        # A named model may be fitted to a two-list table (M0, Mt = Lincoln-Petersen,
        # Mb, as Rcapture's closedp.t does). The model search needs three lists, and
        # so does a table (or stratum) of 3+ lists where some recorded nobody.
        two_list_table = self.model is not None and table.n_lists == 2
        require_lists(table, "loglinear", 2 if two_list_table else 3)
        messages: list[Message] = []
        table = _drop_empty_lists(table, messages)
        if self.model is not None and table.n_lists == 2:
            name = canonical_model_name(self.model, table.lists)
            if name not in (*TWO_LIST_MODELS, "[1,2]"):
                raise EstimationError(
                    f"with two lists only {list(TWO_LIST_MODELS)!r} can be fitted "
                    f"(any other model has more parameters than patterns); got "
                    f"{self.model!r}"
                )
        messages += overlap_messages(table)
        cells = table.full_counts()[1:].astype(np.float64)
        search: SearchResult | None = None
        if self.model is None:
            maxorder = _check_maxorder(self.maxorder, table.n_lists)
            search = search_models(
                cells, table.n_lists, criterion=self.criterion, maxorder=maxorder
            )
            name = _select(search, messages)
        else:
            name = canonical_model_name(self.model, table.lists)
        fitted = fit_model(cells, name, table.lists)
        messages += _fit_messages(fitted)
        result = _result(table, cells, fitted, search, self.criterion, messages)
        return result


def _check_maxorder(maxorder: int | None, n_lists: int) -> int:
    if maxorder is None:
        return n_lists - 1
    if not 1 <= maxorder <= n_lists - 1:
        raise UserInputError(
            f"maxorder must be between 1 and {n_lists - 1} (the number of lists "
            f"minus one) for this table, got {maxorder!r}"
        )
    return maxorder


def _drop_empty_lists(table: CaptureTable, messages: list[Message]) -> CaptureTable:
    present = non_empty_lists(table)
    if len(present) == table.n_lists:
        return table
    dropped = [name for name in table.lists if name not in present]
    messages.append(
        (
            f"list(s) {dropped!r} recorded nobody here and were left out",
            SparseCellsWarning,
        )
    )
    return table.select_lists(present)


def _select(search: SearchResult, messages: list[Message]) -> str:
    flags = search.table["flag"].to_list()
    names = search.table["model"].to_list()
    for position, flag in enumerate(flags):
        if flag not in UNUSABLE_FLAGS:
            if position > 0:
                skipped = ", ".join(
                    f"{names[i]} ({flags[i]})" for i in range(min(position, 5))
                )
                messages.append(
                    (
                        f"better-ranked models were skipped because their fit is "
                        f"unusable: {skipped}",
                        BoundaryEstimateWarning,
                    )
                )
            return str(names[position])
    raise EstimationError(
        "no hierarchical log-linear model gives a usable estimate for this table "
        "(every fit has N not identifiable or did not converge); the lists are too "
        "sparse or do not overlap enough"
    )


def _fit_messages(fitted: ModelFit) -> list[Message]:
    messages: list[Message] = []
    if not fitted.identifiable:
        raise EstimationError(
            f"model {fitted.name}: the data do not determine N (the likelihood "
            "keeps increasing as the number of unrecorded people goes to an "
            "extreme, zero or without bound), typically because some lists never "
            "overlap; choose a simpler model, without the terms those lists cannot "
            "inform"
        )
    if fitted.boundary:
        messages.append(
            (
                f"model {fitted.name}: {fitted.forced_zero_cells} empty pattern(s) "
                "are fitted at 0 "
                "(some interaction is infinite); N is still determined but rests on "
                "fewer cells than the model suggests",
                BoundaryEstimateWarning,
            )
        )
    if not fitted.converged:
        messages.append(
            (f"model {fitted.name}: the fit did not converge", ConvergenceWarning)
        )
    if "large bias" in fitted.flags():
        messages.append(
            (
                f"model {fitted.name}: the asymptotic bias of N is large "
                f"({fitted.bias:,.0f}, over 10% of N); the model is too rich for the "
                "data",
                SparseCellsWarning,
            )
        )
    if "aliased" in fitted.flags():
        messages.append(
            (
                f"model {fitted.name}: some parameters are not estimable (aliased)",
                SparseCellsWarning,
            )
        )
    return messages


def _result(
    table: CaptureTable,
    cells: FloatArray,
    fitted: ModelFit,
    search: SearchResult | None,
    criterion: str,
    messages: list[Message],
) -> LogLinearResult:
    diagnostics: dict[str, Any] = {
        "model": fitted.name,
        "deviance": fitted.deviance,
        "df": fitted.df,
        "AIC": fitted.aic,
        "BIC": fitted.bic,
    }
    if search is not None:
        diagnostics["selected_by"] = criterion.upper()
        diagnostics["models_compared"] = len(search.table)
        diagnostics["search"] = search.strategy
    if fitted.removed:
        diagnostics["chao_eta_set_to_zero"] = len(fitted.removed)
    result = LogLinearResult(
        method="loglinear",
        lists=table.lists,
        observed=table.n_observed,
        estimate=fitted.abundance,
        stderr=fitted.stderr,
        model=fitted.name,
        deviance=fitted.deviance,
        df=fitted.df,
        aic=fitted.aic,
        bic=fitted.bic,
        diagnostics=diagnostics,
        model_table=None if search is None else search.table,
        _fit=fitted,
        _cells=cells,
    )
    if result.has_profile:
        found = result.profile(0.95)
        diagnostics["profile_estimate"] = found.estimate
        if found.lower_at_floor:
            messages.append(
                (
                    f"model {fitted.name}: the interval reaches down to the documented "
                    "count: the data do not exclude that (almost) nobody was missed",
                    BoundaryEstimateWarning,
                )
            )
        if found.upper_open:
            messages.append(
                (
                    f"model {fitted.name}: the profile likelihood stays high beyond "
                    f"{3 * fitted.abundance:,.0f} (3 x the estimate): the upper end of "
                    "the interval is unbounded",
                    BoundaryEstimateWarning,
                )
            )
    object.__setattr__(result, "warnings", emit(messages, depth=2))
    return result


def closed_population_table(table: CaptureTable) -> pd.DataFrame:
    """Rcapture's ``closedp.t`` table: one row per model, with abundance, stderr,
    deviance, df, AIC, BIC and a ``flag`` column (``""`` when the fit is clean).

    With two lists only M0, Mt and Mb are identifiable (as in Rcapture).
    """
    require_unstratified(table, "closed_population_table")
    require_few_lists(table, "closed_population_table")
    cells = table.full_counts()[1:].astype(np.float64)
    names = TWO_LIST_MODELS if table.n_lists == 2 else CLOSEDP_MODELS
    rows = []
    for name in names:
        fitted = fit_model(cells, name, table.lists)
        rows.append(
            {
                "model": name,
                "abundance": fitted.abundance,
                "stderr": fitted.stderr,
                "deviance": fitted.deviance,
                "df": fitted.df,
                "AIC": fitted.aic,
                "BIC": fitted.bic,
                "flag": ", ".join(fitted.flags()),
            }
        )
    return pd.DataFrame(rows)


def hierarchical_model_table(
    table: CaptureTable,
    *,
    criterion: Criterion = "bic",
    maxorder: int | None = None,
) -> pd.DataFrame:
    """Every hierarchical model (Rcapture's ``closedpMS.t``), best criterion first."""
    require_unstratified(table, "hierarchical_model_table")
    require_few_lists(table, "hierarchical_model_table")
    require_lists(table, "hierarchical_model_table", 2)
    cells = table.full_counts()[1:].astype(np.float64)
    order = _check_maxorder(maxorder, table.n_lists)
    return search_models(
        cells, table.n_lists, criterion=criterion, maxorder=order
    ).table


register_method("loglinear", LogLinear)
