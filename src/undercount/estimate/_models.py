"""Fit one closed-population log-linear model and derive ``N`` from it.

The Poisson model is fitted to the ``2**J - 1`` observable cells; the undocumented
count is the fitted value of the all-zero cell, ``exp(intercept)``, so
``N = n + exp(b0)`` with standard error ``sqrt(exp(b0) + exp(2 b0) var(b0))``
(Rivest & Baillargeon 2007; the first term is the Poisson variation of the hidden
count itself). The behavioural models Mb and Mbh use their own closed forms.

Fit statistics follow Rcapture 1.4-4: ``deviance`` and ``df`` of the Poisson fit,
``AIC = -2 loglik + 2 rank`` and ``BIC = -2 loglik + log(n) rank`` where ``loglik`` is
the Poisson log-likelihood of the observable cells and ``n`` the number of people
documented.

Chao's lower-bound models (``Mh Chao``, ``Mth Chao``) constrain their ``eta``
parameters to be non-negative: while one is negative, the first negative one is removed
and the model refitted (Rivest & Baillargeon 2007, section 2.2). The removed columns
change the residual degrees of freedom.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from undercount.estimate._design import (
    closedp_design,
    format_model,
    hierarchical_design,
    parse_model,
)
from undercount.estimate._glm import PoissonFit, fit_poisson
from undercount.estimate._identifiability import check_face

FloatArray = npt.NDArray[np.float64]

CLOSEDP_MODELS: tuple[str, ...] = (
    "M0",
    "Mt",
    "Mh Chao (LB)",
    "Mh Poisson2",
    "Mh Darroch",
    "Mh Gamma3.5",
    "Mth Chao (LB)",
    "Mth Poisson2",
    "Mth Darroch",
    "Mth Gamma3.5",
    "Mb",
    "Mbh",
)
"""Rcapture's ``closedp.t`` models, in its order and with its names."""

TWO_LIST_MODELS: tuple[str, ...] = ("M0", "Mt", "Mb")
"""With two lists only these are identifiable (as in Rcapture)."""

_ALIASES = {
    "mh chao": "Mh Chao (LB)",
    "mh lb": "Mh Chao (LB)",
    "mth chao": "Mth Chao (LB)",
    "mth lb": "Mth Chao (LB)",
    "mh poisson": "Mh Poisson2",
    "mth poisson": "Mth Poisson2",
    "mh gamma": "Mh Gamma3.5",
    "mth gamma": "Mth Gamma3.5",
}


def canonical_model_name(name: str, lists: tuple[str, ...]) -> str:
    """Rcapture's name for a closedp model, or Rcapture notation for a hierarchical
    one (``"[12,3,4]"``); raises UserInputError for unknown names."""
    text = " ".join(name.split())
    if text.startswith("["):
        return format_model(parse_model(text, lists))
    for known in CLOSEDP_MODELS:
        if text.lower() == known.lower():
            return known
    if text.lower() in _ALIASES:
        return _ALIASES[text.lower()]
    closedp_design(text, len(lists))  # raises the explanatory error
    return text


@dataclass(frozen=True)
class ModelFit:
    """One fitted model: abundance, fit statistics and what the fit needed."""

    name: str
    abundance: float
    stderr: float
    deviance: float
    df: int
    aic: float
    bic: float
    converged: bool
    boundary: bool
    """Some empty pattern is fitted at 0 at the MLE: some parameter is infinite."""
    identifiable: bool
    """Whether ``N`` is determined by the data (see ``_identifiability``)."""
    forced_zero_cells: int
    """Number of empty patterns fitted at 0 at the MLE (boundary fits)."""
    removed: tuple[int, ...]
    """Columns of the full design dropped by the Chao non-negativity constraint."""
    bias: float
    """Rcapture's asymptotic bias of ``N`` (NaN when not computed)."""
    full_design: FloatArray
    chao_first_eta: int | None
    """Index of the first ``eta`` column of the full design (Chao models only)."""
    fit: PoissonFit

    @property
    def hidden(self) -> float:
        """Estimated number of people no list recorded."""
        return float(np.exp(self.fit.coef[0]))

    def flags(self) -> tuple[str, ...]:
        """Short labels of what is wrong with this fit, if anything."""
        out = []
        if not self.converged:
            out.append("not converged")
        if not self.identifiable:
            out.append("N not identifiable")
        elif self.boundary:
            out.append("boundary")
        if np.isfinite(self.bias) and abs(self.bias) > 0.1 * abs(self.abundance):
            out.append("large bias")
        if self.fit.rank < self.full_design.shape[1] - len(self.removed):
            out.append("aliased")
        return tuple(out)


def model_design(name: str, n_lists: int, lists: tuple[str, ...]) -> FloatArray:
    """Full design matrix of a canonical model name."""
    if name.startswith("["):
        return hierarchical_design(parse_model(name, lists), n_lists)
    return closedp_design(name.replace(" (LB)", ""), n_lists)


def fit_model(y: FloatArray, name: str, lists: tuple[str, ...]) -> ModelFit:
    """Fit the canonical model ``name`` to the observable cell counts ``y``."""
    n_lists = len(lists)
    n = float(y.sum())
    design = model_design(name, n_lists, lists)
    chao_first = None
    if "Chao" in name:
        chao_first = 2 if name.startswith("Mh ") else n_lists + 1
    fit, removed = fit_with_constraint(y, design, chao_first)
    abundance, stderr = _abundance(name, fit, n, n_lists)
    boundary, identifiable, forced = False, True, 0
    if bool((y == 0).any()) or not fit.converged:  # exact check (a few ms)
        final = np.delete(design, removed, axis=1)
        relevant = tuple(range(final.shape[1])) if name in ("Mb", "Mbh") else (0,)
        face = check_face(y, final, relevant)
        boundary, identifiable = face.boundary, face.identifiable
        forced = int(face.forced_zero.sum())
    return ModelFit(
        name=name,
        abundance=abundance,
        stderr=stderr,
        deviance=fit.deviance,
        df=fit.df_residual,
        aic=fit.aic,
        bic=fit.bic(n),
        converged=fit.converged,
        boundary=boundary,
        identifiable=identifiable,
        forced_zero_cells=forced,
        removed=removed,
        bias=asymptotic_bias(np.delete(design, removed, axis=1), fit)
        if name not in ("Mb", "Mbh")
        else float("nan"),
        full_design=design,
        chao_first_eta=chao_first,
        fit=fit,
    )


def fit_with_constraint(
    y: FloatArray, design: FloatArray, chao_first: int | None
) -> tuple[PoissonFit, tuple[int, ...]]:
    """Fit, then drop negative Chao ``eta`` columns one at a time (first first)."""
    fit = fit_poisson(y, design)
    removed: list[int] = []
    if chao_first is None:
        return fit, ()
    columns = list(range(design.shape[1]))
    while True:
        etas = fit.coef[chao_first:]
        negative = np.flatnonzero(~np.isnan(etas) & (etas < 0))
        if negative.size == 0:
            return fit, tuple(removed)
        drop = chao_first + int(negative[0])
        removed.append(columns.pop(drop))
        fit = fit_poisson(y, design[:, columns])


def _abundance(
    name: str, fit: PoissonFit, n: float, n_lists: int
) -> tuple[float, float]:
    b = fit.coef
    cov = fit.cov
    t = n_lists
    if name == "Mb":
        denom = 1 + np.exp(b[2]) - np.exp(b[1])
        total = np.exp(b[0]) * (1 + np.exp(b[2])) ** t / denom
        grad = total * np.array(
            [
                1.0,
                np.exp(b[1]) / denom,
                t * np.exp(b[2]) / (1 + np.exp(b[2])) - np.exp(b[2]) / denom,
            ]
        )
        return float(total), _sqrt(grad @ cov @ grad - total)
    if name == "Mbh":
        denom = 1 + np.exp(b[3]) - np.exp(b[2])
        scale = np.exp(b[0]) * (1 + np.exp(b[3])) ** (t - 1)
        ratio = np.exp(b[1] + b[2]) / denom
        total = scale * (1 + ratio)
        # Rcapture 1.4-4's gradient, kept for comparability: its last component
        # scales (t-1) e^b3 / (1 + e^b3) by exp(b0)(1+e^b3)^(t-1) where the exact
        # derivative scales it by N (see docs/methods.md, "Mb and Mbh").
        grad = scale * np.array(
            [
                1 + ratio,
                ratio,
                ratio + np.exp(b[1] + 2 * b[2]) / denom**2,
                (t - 1) * np.exp(b[3]) / (1 + np.exp(b[3]))
                - np.exp(b[1] + b[2] + b[3]) / denom**2,
            ]
        )
        return float(total), _sqrt(grad @ cov @ grad - total)
    hidden = np.exp(b[0])
    variance = hidden + hidden**2 * fit.coef_variance(0)
    return float(n + hidden), _sqrt(variance)


def _sqrt(value: float) -> float:
    return float(np.sqrt(value)) if value >= 0 else float("nan")


def asymptotic_bias(design: FloatArray, fit: PoissonFit) -> float:
    """Second-order bias of ``exp(b0)`` (Rcapture's check; Cordeiro & McCullagh 1991).

    Rcapture warns "the asymptotic bias is large" when it exceeds 10% of ``N``.
    """
    if fit.rank < design.shape[1]:
        return float("nan")
    x = design
    inv_info = fit.cov
    xi = -0.5 * np.einsum("ij,jk,ik->i", x, inv_info, x)
    psi = -2.0 * x.T @ (fit.fitted * xi)
    psi[0] -= 1.0
    correction = -inv_info @ psi
    return float(0.5 * np.exp(fit.coef[0]) * correction[0])
