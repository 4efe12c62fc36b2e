"""Checks practitioners run before trusting an estimate.

* A table must be unstratified when handed to an estimator (strata go through
  :func:`~undercount.estimate.stratified.fit_stratified`).
* Methods that need 3 lists refuse a table with fewer than 3 non-empty lists.
* Pairs of lists that never overlap are reported: with no overlap there is no
  information on how the two lists depend on each other, and most models then
  extrapolate from assumptions alone.
"""

from __future__ import annotations

from undercount.errors import SparseCellsWarning, UserInputError
from undercount.estimate._base import EstimationError
from undercount.estimate._messages import Message
from undercount.model.capture_table import CaptureTable


def require_unstratified(table: CaptureTable, method: str) -> None:
    """Refuse a stratified table: estimators fit one population at a time."""
    if table.is_stratified:
        raise UserInputError(
            f"{method}: the table is stratified by {list(table.strata)!r}; fit each "
            "stratum with fit_stratified(...) (CLI: --strata), or collapse the strata "
            "with table.collapse_strata()"
        )


def non_empty_lists(table: CaptureTable) -> tuple[str, ...]:
    """Lists that recorded at least one person."""
    return tuple(name for name, total in table.list_totals().items() if total > 0)


def require_lists(table: CaptureTable, method: str, minimum: int = 3) -> None:
    """Refuse a table with fewer than ``minimum`` non-empty lists."""
    present = non_empty_lists(table)
    if len(present) < minimum:
        raise EstimationError(
            f"{method} needs at least {minimum} lists that recorded someone; this "
            f"table has {len(present)} ({list(present)!r} of {list(table.lists)!r}); "
            "use a two-list estimator (chapman) or merge strata"
        )


def overlap_messages(table: CaptureTable) -> list[Message]:
    """One warning per pair of non-empty lists that share nobody."""
    totals = table.list_totals()
    messages: list[Message] = []
    for (a, b), both in table.pairwise_overlaps().items():
        if both == 0 and totals[a] > 0 and totals[b] > 0:
            messages.append(
                (
                    f"lists {a!r} and {b!r} never overlap: nothing in the data "
                    "measures how they depend on each other, so the estimate leans "
                    "on the model's assumptions for that pair",
                    SparseCellsWarning,
                )
            )
    return messages


MAX_LOGLINEAR_LISTS = 15
"""Log-linear models fit all ``2**J - 1`` patterns: beyond this the table is too big
(and far too sparse) to fit (Rcapture already warns above 20 occasions)."""


def require_few_lists(table: CaptureTable, method: str) -> None:
    """Refuse tables with more lists than a full-pattern model can handle."""
    if table.n_lists > MAX_LOGLINEAR_LISTS:
        raise EstimationError(
            f"{method} fits every one of the 2^J - 1 patterns of lists; with "
            f"{table.n_lists} lists that is {2**table.n_lists - 1:,} patterns, too "
            f"many to fit (the limit is {MAX_LOGLINEAR_LISTS} lists); merge lists "
            "(e.g. by period or organisation) or choose some with select_lists(...)"
        )
