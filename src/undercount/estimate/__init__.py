"""Stage: estimate — how many people did no list record? (see DESIGN.md)

Every estimator is configured in its constructor and fitted with ``fit(table)``,
which returns an immutable :class:`EstimateResult` (``estimate``, ``interval(level)``,
``summary()``, ``to_frame()``, ``to_dict()``), always with the documented count beside
the estimate and the caveats in ``warnings``.

Methods are also available by name (``get_method("chapman")``) for the CLI, the
pipeline and the service; :func:`load_methods` imports the optional Bayesian modules.
"""

from __future__ import annotations

from undercount.estimate._base import (
    EstimateResult,
    EstimationError,
    Estimator,
    Summary,
    available_methods,
    get_method,
    register_method,
)
from undercount.estimate._registry import load_methods
from undercount.estimate.chao import ChaoLowerBound, SampleCoverage
from undercount.estimate.loglinear import (
    LogLinear,
    LogLinearResult,
    closed_population_table,
    hierarchical_model_table,
)
from undercount.estimate.stratified import StratifiedResult, fit_stratified
from undercount.estimate.two_list import Chapman, LincolnPetersen

__all__ = [
    "ChaoLowerBound",
    "Chapman",
    "EstimateResult",
    "EstimationError",
    "Estimator",
    "LincolnPetersen",
    "LogLinear",
    "LogLinearResult",
    "SampleCoverage",
    "StratifiedResult",
    "Summary",
    "available_methods",
    "closed_population_table",
    "fit_stratified",
    "get_method",
    "hierarchical_model_table",
    "load_methods",
    "register_method",
]

_LAZY = {
    "LCMCR": "undercount.estimate.lcmcr",
    "LCMCRResult": "undercount.estimate.lcmcr",
    "DGA": "undercount.estimate.dga",
    "DGAResult": "undercount.estimate.dga",
}


def __getattr__(name: str) -> object:
    """Import the Bayesian estimators on first use (they compile code lazily)."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
