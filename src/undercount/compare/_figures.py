"""Figures that carry their provenance.

Every number the compare stage shows is a :class:`Figure`: a count, a range
(documented low-high) or a point with an interval (an estimate), with the
derivation in words and the inputs it came from (:class:`Provenance`: which
incident reports, acknowledgments, lists or estimate). The plain-language
statement is written only from figures, so each of its numbers can be traced
back.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["Figure", "Provenance", "fmt_number"]

FigureKind = Literal["count", "range", "estimate"]


@dataclass(frozen=True, slots=True)
class Provenance:
    """One input behind a figure.

    Attributes
    ----------
    kind
        ``incident``, ``acknowledgment``, ``named-victims``, ``estimate`` or
        ``figure`` (another figure it was derived from).
    ref
        Its identifier: report key, acknowledgment id, file, figure name.
    detail
        What it contributed, in words (e.g. "killed 105-150; grade confirmed").
    document
        The document it comes from, when known (URL, title, file).
    """

    kind: str
    ref: str
    detail: str
    document: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        out = {"kind": self.kind, "ref": self.ref, "detail": self.detail}
        if self.document:
            out["document"] = self.document
        return out


@dataclass(frozen=True, slots=True)
class Figure:
    """A number (or range, or estimate with interval) with its provenance.

    Attributes
    ----------
    name
        Stable identifier within a gap row (``acknowledged``, ``documented``,
        ``ratio:estimated/acknowledged``...).
    label
        Human-readable label.
    kind
        ``count`` (``value``), ``range`` (``low``..``high``: the span of what was
        documented, not a statistical interval) or ``estimate`` (``value`` with
        the ``level`` interval ``low``..``high``).
    derivation
        How it was obtained from ``sources``.
    sources
        The inputs.
    high_open
        The range's upper end is a lower bound ("at least").
    """

    name: str
    label: str
    kind: FigureKind
    value: float | None = None
    low: float | None = None
    high: float | None = None
    level: float | None = None
    derivation: str = ""
    sources: tuple[Provenance, ...] = ()
    high_open: bool = False

    def numbers(self) -> list[float]:
        """Every number this figure shows (to check statements against)."""
        return [v for v in (self.value, self.low, self.high) if v is not None]

    def text(self, decimals: int = 0) -> str:
        """The figure as shown in statements: ``326``, ``1,234-2,345``,
        ``10,300 (95% interval 9,800-11,000)``; ranges with a negative end read
        ``-184 to 35``."""
        if self.kind == "count":
            return fmt_number(self.value, decimals)
        low, high = fmt_number(self.low, decimals), fmt_number(self.high, decimals)
        negative = any(v is not None and v < 0 for v in (self.low, self.high))
        span = f"{low} to {high}" if negative else f"{low}-{high}"
        if self.kind == "range":
            return (low if low == high else span) + ("+" if self.high_open else "")
        level = f"{self.level:.0%} " if self.level is not None else ""
        return f"{fmt_number(self.value, decimals)} ({level}interval {span})"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, provenance included."""
        out: dict[str, Any] = {
            "name": self.name,
            "label": self.label,
            "kind": self.kind,
        }
        for key in ("value", "low", "high", "level"):
            value = getattr(self, key)
            if value is not None:
                out[key] = _json_number(value)
        if self.high_open:
            out["high_open"] = True
        out["derivation"] = self.derivation
        out["sources"] = [s.to_dict() for s in self.sources]
        return out


def _json_number(value: float) -> float | int | str:
    if isinstance(value, float) and math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return round(value, 4) if isinstance(value, float) else value


def fmt_number(value: float | None, decimals: int = 0) -> str:
    """Thousands separators; ``decimals`` places; ``inf`` as "unbounded"."""
    if value is None:
        return "?"
    if math.isinf(value):
        return "unbounded"
    if decimals == 0:
        return f"{round(value):,}"
    return f"{value:,.{decimals}f}"
