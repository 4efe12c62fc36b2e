"""Public mode: no personal field, no small cell.

:func:`redact` turns a ``results.json`` document into its public form before any
output is written from it: it removes every personal field
(:data:`undercount.model.PERSONAL_FIELDS`, at any depth) and every field that shows
individual records (the review examples, reviewer decisions naming records), and
replaces every count of people from 1 to ``small_cells - 1`` by the text
``"<small_cells"`` (zeros stay: they disclose nobody). Strata documenting fewer
people than the threshold keep their label but lose their figures.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from undercount.model._personal import PERSONAL_VIEWS, strip_personal

__all__ = ["PERSONAL_KEYS", "RESULTS_OWN_KEYS", "redact", "suppress"]

PERSONAL_KEYS: tuple[str, ...] = tuple(sorted(PERSONAL_VIEWS))
"""Keys removed wherever they appear: they list individual records."""

RESULTS_OWN_KEYS: frozenset[str] = frozenset({"notes", "value"})
"""Keys of ``results.json`` that share a name with a personal field but hold no
person: the analyst's ``notes`` on an acknowledgment or the gap, and the ``value``
of a gap figure. Records reach ``results.json`` only inside :data:`PERSONAL_KEYS`
(removed whole), so keeping these is safe."""


def suppress(value: Any, small_cells: int) -> Any:
    """``value`` if it is not a small positive count, else ``"<small_cells"``."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    if 0 < value < small_cells:
        return f"<{small_cells}"
    return value


def _suppress_keys(row: dict[str, Any], keys: Iterable[str], k: int) -> None:
    for key in keys:
        if key in row:
            row[key] = suppress(row[key], k)


def _suppress_mapping(mapping: dict[str, Any] | None, k: int) -> None:
    if not mapping:
        return
    for key in list(mapping):
        mapping[key] = suppress(mapping[key], k)


def _redact_strata(record: dict[str, Any], k: int) -> None:
    for entry in record.get("strata", []):
        observed = entry.get("observed")
        if isinstance(observed, int) and 0 < observed < k:
            entry["observed"] = f"<{k}"
            for key in ("estimate", "lower", "upper", "diagnostics", "warnings"):
                entry.pop(key, None)
            entry["suppressed"] = True
        elif "reason" in entry:
            entry["reason"] = "not estimated"  # reasons may quote small counts


def _redact_analysis(analysis: dict[str, Any], k: int) -> None:
    captures = analysis.get("captures") or {}
    for pattern in captures.get("patterns", []):
        _suppress_keys(pattern, ("count",), k)
    _suppress_mapping(captures.get("list_totals"), k)
    _suppress_keys(captures, ("only_one_list", "observed"), k)
    for overlap in captures.get("overlaps", []):
        _suppress_keys(overlap, ("both",), k)
    for stratum in captures.get("by_stratum", []):
        _suppress_keys(stratum, ("observed",), k)
        _suppress_mapping(stratum.get("list_totals"), k)
    for record in analysis.get("stratified_estimates", []):
        _redact_strata(record, k)
    linkage = analysis.get("linkage") or {}
    for row in linkage.get("records_by_month", []):
        _suppress_keys(row, ("records",), k)
    for row in linkage.get("people_by_month", []):
        _suppress_keys(row, ("people",), k)
    summary = linkage.get("summary") or {}
    for key in (
        "cluster_sizes",
        "duplicates_per_list",
        "match_probability_histogram",
        "unreadable_cells",
        "records_per_list",
    ):
        _suppress_mapping(summary.get(key), k)
    _suppress_keys(summary, ("review_queue", "people", "records"), k)
    for point in (linkage.get("sensitivity") or {}).get("points", []):
        for key in list(point):
            if key.startswith("on_") or key == "people":
                point[key] = suppress(point[key], k)
    for source in (analysis.get("inputs") or {}).get("lists", []) or []:
        if isinstance(source, dict):
            _suppress_keys(source, ("records", "quarantined"), k)
    headline = analysis.get("headline") or {}
    _suppress_keys(headline, ("documented",), k)


def redact(results: dict[str, Any], small_cells: int = 5) -> dict[str, Any]:
    """The public form of a ``results.json`` document (the input is not changed)."""
    public: dict[str, Any] = strip_personal(
        copy.deepcopy(results), keep=RESULTS_OWN_KEYS
    )
    for analysis in public.get("analyses", []):
        _redact_analysis(analysis, small_cells)
    public["public"] = True
    public["small_cells"] = small_cells
    return public
