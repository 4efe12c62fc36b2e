"""Does the maximum-likelihood estimate of ``N`` exist for a model and a sparse table?

With zero cells, some log-linear parameters may have no finite MLE: the likelihood
keeps increasing as the fitted values of some zero cells go to 0 (a "boundary"
estimate; Haberman 1974; Fienberg & Rinaldo 2012). The fit then lives on the *facial
set* ``F``: the cells not forced to 0. The number of undocumented people ``exp(b0)`` is
still well defined if the intercept is identifiable from the cells in ``F``; otherwise
the data are equally consistent with very different values of ``N`` (often
arbitrarily large ones), and any number an iterative fit stops at is an artefact
(Chan, Silverman & Vincent 2021, JASA 116:1297, "Multiple systems estimation for
sparse capture data: inferential challenges when there are nonoverlapping lists").

The cells forced to 0 are found with one linear programme: maximise ``sum(s)`` over
directions ``d`` with ``X_pos d = 0``, ``X_zero d + s <= 0`` and ``0 <= s <= 1``;
cells with ``s > 0`` can be pushed to 0 without changing the fit elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

_TOLERANCE = 1e-7


@dataclass(frozen=True, slots=True)
class FaceCheck:
    """Outcome of the existence check for one model on one table."""

    forced_zero: npt.NDArray[np.bool_]
    """Cells (all observable cells) whose fitted value goes to 0 at the MLE."""
    identifiable: bool
    """Whether ``N`` is determined by the cells that keep positive fitted values."""

    @property
    def boundary(self) -> bool:
        """Some parameter is infinite (some zero cell is fitted at 0)."""
        return bool(self.forced_zero.any())


def check_face(
    y: FloatArray, design: FloatArray, relevant: tuple[int, ...] = (0,)
) -> FaceCheck:
    """Facial set, and whether the coefficients ``N`` depends on (``relevant``
    columns; the intercept for every model but Mb/Mbh) are identifiable on it."""
    from scipy.optimize import linprog

    zero = y == 0
    n_cols = design.shape[1]
    forced = np.zeros(y.size, dtype=bool)
    if zero.any():
        x_pos = design[~zero]
        x_zero = design[zero]
        k = x_zero.shape[0]
        objective = np.concatenate([np.zeros(n_cols), -np.ones(k)])
        a_ub = np.hstack([x_zero, np.eye(k)])
        a_eq = np.hstack([x_pos, np.zeros((x_pos.shape[0], k))])
        bounds = [(-10.0, 10.0)] * n_cols + [(0.0, 1.0)] * k
        result = linprog(
            objective,
            A_ub=a_ub,
            b_ub=np.zeros(k),
            A_eq=a_eq if a_eq.shape[0] else None,
            b_eq=np.zeros(a_eq.shape[0]) if a_eq.shape[0] else None,
            bounds=bounds,
            method="highs",
        )
        if result.status == 0:
            slack = np.asarray(result.x[n_cols:])
            forced[np.flatnonzero(zero)[slack > _TOLERANCE]] = True
    face = design[~forced]
    rank = np.linalg.matrix_rank(face)
    units = np.zeros((len(relevant), n_cols))
    units[np.arange(len(relevant)), list(relevant)] = 1.0
    identifiable = bool(np.linalg.matrix_rank(np.vstack([face, units])) == rank)
    return FaceCheck(forced_zero=forced, identifiable=identifiable)
