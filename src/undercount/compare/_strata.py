"""Which estimate a gap row shows: the overall one, its stratum's, or none.

The overall estimate applies only to the scope it covers (by default: all). A
row by period, place or belligerent shows the estimate and interval of the
stratum that *is* that row (a stratified estimate whose strata split exactly
the row's dimensions, with the same values); otherwise it shows no estimate and
says why in a note. The overall number is never put in a row it does not cover.
"""

from __future__ import annotations

from undercount.compare._figures import Figure, Provenance
from undercount.compare._inputs import Estimated, EstimatedStratum, Scope
from undercount.compare._scope import PeriodUnit, RowScope, period_of
from undercount.incidents import Vocabulary, place_key
from undercount.incidents._places import default_resolver
from undercount.model import PartialDate

__all__ = ["in_scope", "row_estimate"]


def in_scope(scope: Scope, row: RowScope) -> bool:
    """Whether an input's scope is exactly the row's."""
    return (
        scope.period == row.period
        and scope.place == row.place
        and scope.belligerent == row.belligerent
    )


def _stratum_period(value: str, unit: PeriodUnit) -> str:
    """The row period a stratum value falls in (``"2017-03"``, ``"2017-Q1"``...)."""
    try:
        date = PartialDate.from_iso(value.strip())
    except (ValueError, TypeError):
        return value.strip()
    return period_of((date.start(), date.end()), unit)


def _stratum_fits(
    stratum: EstimatedStratum,
    row: RowScope,
    row_place_id: str | None,
    unit: PeriodUnit,
    vocab: Vocabulary,
) -> bool:
    """Whether a stratum is the row (same value on every dimension it splits)."""
    scope = stratum.scope
    if scope.period is not None and _stratum_period(scope.period, unit) != row.period:
        return False
    if scope.place is not None:
        if row.place is None:
            return False
        hit = default_resolver().resolve(scope.place)
        same_id = hit is not None and row_place_id is not None
        if same_id and hit is not None and hit.place_id != row_place_id:
            return False
        if not same_id and place_key(scope.place) != place_key(row.place):
            return False
    if scope.belligerent is not None:
        family = vocab.belligerent_family(scope.belligerent)
        if row.belligerent not in (family, scope.belligerent):
            return False
    return True


def _figure(
    estimated: Estimated,
    label: str,
    values: tuple[float, float, float],
    observed: int | None,
    derivation: str,
    detail: str,
) -> Figure:
    """An ``estimated`` figure with its interval and the estimate as source."""
    counted = f"; {observed:,} documented" if observed else ""
    return Figure(
        "estimated",
        f"{label} ({estimated.method})",
        "estimate",
        value=values[0],
        low=values[1],
        high=values[2],
        level=estimated.level,
        derivation=derivation,
        sources=(
            Provenance(
                "estimate", estimated.origin, f"{estimated.method}{detail}{counted}"
            ),
        ),
    )


def row_estimate(
    estimated: Estimated,
    row: RowScope,
    row_place_id: str | None,
    unit: PeriodUnit,
    vocab: Vocabulary,
) -> tuple[Figure | None, str | None]:
    """The row's estimate figure, or why the row has none (never the overall
    number for a row it does not cover)."""
    if in_scope(estimated.scope, row):
        overall = (estimated.estimate, estimated.lower, estimated.upper)
        return (
            _figure(
                estimated,
                "estimated total",
                overall,
                estimated.observed,
                "multiple systems estimate with its interval",
                "",
            ),
            None,
        )
    if row == RowScope():
        return None, None
    if not estimated.strata:
        return None, (
            f"no estimate for {row.label()}: the estimate ({estimated.method}) is not "
            "stratified, and its overall figure is not applied to this scope"
        )
    if estimated.unmapped:
        return None, (
            f"no stratum estimate for {row.label()}: the strata are also split by "
            f"{', '.join(estimated.unmapped)}, which is no gap dimension"
        )
    dims = estimated.strata_dimensions()
    row_dims = {
        d for d in ("period", "place", "belligerent") if getattr(row, d) is not None
    }
    if dims != row_dims:
        return None, (
            f"no stratum estimate for {row.label()}: the strata are by "
            f"{', '.join(sorted(dims))}, this row by {', '.join(sorted(row_dims))}"
        )
    found = [
        s for s in estimated.strata if _stratum_fits(s, row, row_place_id, unit, vocab)
    ]
    if not found:
        return None, f"no stratum of the estimate covers {row.label()}"
    if len(found) > 1:
        labels = "; ".join(s.label for s in found)
        return None, (
            f"{len(found)} strata fall in {row.label()} ({labels}); their estimates "
            "are not added here (estimate with strata of this unit instead)"
        )
    stratum = found[0]
    if stratum.estimate is None or stratum.lower is None or stratum.upper is None:
        floor = (
            f"; its {stratum.observed:,} documented people are a floor"
            if (stratum.observed is not None)
            else ""
        )
        return None, (
            f"stratum {stratum.label} was not estimated ({stratum.reason}){floor}"
        )
    return (
        _figure(
            estimated,
            f"estimated total in stratum {stratum.label}",
            (stratum.estimate, stratum.lower, stratum.upper),
            stratum.observed,
            "the stratum's multiple systems estimate with its interval "
            "(stratified estimate; not the overall figure)",
            f", stratum {stratum.label}",
        ),
        None,
    )
