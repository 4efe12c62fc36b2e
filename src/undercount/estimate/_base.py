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

import pandas as pd

from undercount.errors import UserInputError
from undercount.model.capture_table import CaptureTable


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
        return f"{value:,.4g}"
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
