"""The protocol every estimator follows, and the method registry the CLI uses.

Estimators are configured in their constructor and fitted with ``fit(table)``, which
returns an immutable result (statsmodels' Model -> Results split). Every result states
the documented count (the floor) beside the estimate and carries its diagnostics and
warnings, so that no caller can show a number without its caveats.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt
import pandas as pd

from undercount.errors import UserInputError
from undercount.model.capture_table import CaptureTable


class EstimationError(UserInputError):
    """The data cannot support the requested estimator (e.g. two lists that never
    overlap, a stratum too sparse for a model). The message names the reason and what
    to do instead; the CLI prints it as one line."""


class EstimateResult(ABC):
    """What every fitted estimator returns (immutable).

    Subclasses are frozen dataclasses holding the fitted quantities; this base adds
    the common presentation (``summary``, ``to_frame``, ``to_dict``).
    """

    method: str
    lists: tuple[str, ...]
    observed: int
    estimate: float
    diagnostics: Mapping[str, Any]
    warnings: tuple[str, ...]

    @abstractmethod
    def interval(self, level: float = 0.95) -> tuple[float, float]:
        """Interval for the total population size ``N`` at ``level`` (e.g. 0.95)."""

    @property
    def unobserved(self) -> float:
        """Estimated number of people no list recorded (``estimate - observed``)."""
        return self.estimate - self.observed

    def to_dict(self, level: float = 0.95) -> dict[str, Any]:
        """The CLI's ``--json`` object (DESIGN.md): method, lists, observed, estimate,
        lower, upper, level, diagnostics (and warnings)."""
        lower, upper = self.interval(level)
        return {
            "method": self.method,
            "lists": list(self.lists),
            "observed": self.observed,
            "estimate": float(self.estimate),
            "lower": float(lower),
            "upper": float(upper),
            "level": level,
            "diagnostics": dict(self.diagnostics),
            "warnings": list(self.warnings),
        }

    def to_frame(self, level: float = 0.95) -> pd.DataFrame:
        """One-row frame of the headline figures."""
        record = self.to_dict(level)
        record.pop("diagnostics")
        record["lists"] = ",".join(self.lists)
        record["warnings"] = "; ".join(self.warnings)
        return pd.DataFrame([record])

    def summary(self, level: float = 0.95) -> Summary:
        """A printable summary (text / HTML) of the estimate and its caveats."""
        lower, upper = self.interval(level)
        rows = [
            ("method", self.method),
            ("lists", ", ".join(self.lists)),
            ("documented (observed)", f"{self.observed:,}"),
            ("estimate", f"{self.estimate:,.1f}"),
            (f"{level:.0%} interval", f"{lower:,.1f} - {upper:,.1f}"),
        ]
        rows += [(str(k), _format_value(v)) for k, v in self.diagnostics.items()]
        return Summary(
            title=f"Population size estimate ({self.method})",
            rows=tuple(rows),
            warnings=self.warnings,
        )


@dataclass(frozen=True, slots=True)
class Summary:
    """A titled table of (label, value) rows plus warnings; renders as text or HTML."""

    title: str
    rows: tuple[tuple[str, str], ...]
    warnings: tuple[str, ...] = ()

    def as_text(self) -> str:
        """Plain-text rendering, one ``label: value`` per line."""
        width = max((len(label) for label, _ in self.rows), default=0)
        lines = [self.title, "=" * len(self.title)]
        lines += [f"{label:<{width}}  {value}" for label, value in self.rows]
        lines += [f"warning: {w}" for w in self.warnings]
        return "\n".join(lines)

    def as_html(self) -> str:
        """HTML table rendering (escaped)."""
        from html import escape

        body = "".join(
            f"<tr><th>{escape(label)}</th><td>{escape(value)}</td></tr>"
            for label, value in self.rows
        )
        notes = "".join(f"<p class='warning'>{escape(w)}</p>" for w in self.warnings)
        return f"<table><caption>{escape(self.title)}</caption>{body}</table>{notes}"

    def __str__(self) -> str:
        return self.as_text()

    def _repr_html_(self) -> str:
        return self.as_html()


def _format_value(value: Any) -> str:
    if isinstance(value, float):
        if abs(value) >= 1000:
            return f"{value:,.1f}"
        return f"{value:.4g}"
    return str(value)


@runtime_checkable
class Estimator(Protocol):
    """Anything with ``fit(table) -> EstimateResult``; options go in the constructor."""

    def fit(self, table: CaptureTable) -> EstimateResult:
        """Fit to an unstratified capture table."""
        ...


EstimatorFactory = Callable[..., Estimator]
_REGISTRY: dict[str, EstimatorFactory] = {}


def register_method(name: str, factory: EstimatorFactory) -> None:
    """Make an estimator available by name (CLI, pipeline and service)."""
    _REGISTRY[name] = factory


def get_method(name: str) -> EstimatorFactory:
    """The factory registered under ``name``; a clear error lists the known methods."""
    try:
        return _REGISTRY[name]
    except KeyError:
        raise UserInputError(
            f"unknown method {name!r}; choose one of {sorted(_REGISTRY)!r}"
        ) from None


def available_methods() -> list[str]:
    """Names of the registered estimation methods."""
    return sorted(_REGISTRY)


# ------------------------------------------------------------------ intervals
def normal_quantile(level: float) -> float:
    """Two-sided standard normal quantile for a central interval at ``level``."""
    from scipy.special import ndtri

    check_level(level)
    return float(ndtri(0.5 + level / 2.0))


def check_level(level: float) -> None:
    """Refuse interval levels outside (0, 1) with a clear message."""
    if not 0.0 < level < 1.0:
        raise UserInputError(
            f"interval level must be strictly between 0 and 1, got {level!r}; "
            "e.g. 0.95 for a 95% interval"
        )


def lognormal_interval(
    observed: float, estimate: float, stderr: float, level: float
) -> tuple[float, float]:
    """Chao's (1987, Biometrics 43:783, eq. 12) log-normal interval for ``N``.

    The unobserved part ``N - n`` is taken as log-normal, so the interval is
    ``[n + (N - n) / C, n + (N - n) * C]`` with
    ``C = exp(z * sqrt(log(1 + se**2 / (N - n)**2)))``: it never falls below the
    documented count ``n`` and is skewed upwards, as sampling distributions of
    population-size estimators are.
    """
    z = normal_quantile(level)
    hidden = estimate - observed
    if not np.isfinite(stderr) or hidden <= 0:
        return float(observed), float(estimate if stderr == 0 else np.inf)
    spread = np.exp(z * np.sqrt(np.log1p(stderr**2 / hidden**2)))
    return float(observed + hidden / spread), float(observed + hidden * spread)


def normal_interval(
    observed: float, estimate: float, stderr: float, level: float
) -> tuple[float, float]:
    """Wald interval ``N ± z se``, with the lower end raised to the documented count."""
    z = normal_quantile(level)
    return max(float(observed), estimate - z * stderr), estimate + z * stderr


def equal_tailed_interval(
    draws: npt.ArrayLike, level: float = 0.95
) -> tuple[float, float]:
    """Equal-tailed posterior interval: quantiles ``(1 -+ level) / 2`` of the draws.

    Quantiles interpolate linearly between order statistics (numpy's default, R's
    type 7, which the reference packages' summaries use).
    """
    check_level(level)
    lower, upper = np.quantile(np.asarray(draws), [(1 - level) / 2, (1 + level) / 2])
    return float(lower), float(upper)
