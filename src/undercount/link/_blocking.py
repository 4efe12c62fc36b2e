"""Blocking rules that keep recall high within a comparison budget.

Every pair of records that could be one person must share at least one blocking key,
or it is never scored. The rules below cover the ways one victim is written in
different lists: same given and family name (two-part media names); same given name
and last word (a family name written without its article, taken for a grandfather);
same given and father name (three-part names without the tribe); same father and
family name (a misspelled given name); same given name in the same month or the same
place (names recorded with different parts); same father or family name in the same
month or the same place; the same day (names badly garbled; tightened by sex and
place on large lists); the same month, place and sex (a garbled name and a date
known only to the month); and the same given name and sex (a short media name
without date or place; on large lists it is tightened into the given-name rules
above and dropped as a repeat). The last four were added when the records of one
person that no rule brought together turned out to agree on exactly these keys
(simulated Mosul lists: 70 true pairs never compared).

A rule that would generate more comparisons than the budget (a very common name on a
million records) is tightened by adding sex, the month of death or the place (the
least tightening that fits), until it fits: the cost grows with the square of a
block's size, recall falls only for records that lack the added field.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

CANDIDATE_RULES: tuple[tuple[str, ...], ...] = (
    ("given_phon", "family_phon"),
    ("given_phon", "last_phon"),
    ("given_phon", "father_phon"),
    ("father_phon", "family_phon"),
    ("given_phon", "dod_month"),
    ("given_phon", "place_key"),
    ("father_phon", "dod_month"),
    ("family_phon", "dod_month"),
    ("dod_day",),
    ("father_phon", "place_key"),
    ("family_phon", "place_key"),
    ("dod_month", "place_key", "sex"),
    ("given_phon", "sex"),
)
"""Blocking keys of the default rules, in order (see module docstring)."""
TIGHTENERS: tuple[str, ...] = ("sex", "dod_month", "place_key")
"""Columns added, in order, to a rule over the comparison budget."""


@dataclass(frozen=True, slots=True)
class BlockingRule:
    """The columns a blocking rule requires to be equal (all non-null)."""

    columns: tuple[str, ...]

    @property
    def name(self) -> str:
        """Readable name, e.g. ``given_phon + family_phon``."""
        return " + ".join(self.columns)

    def to_splink(self) -> Any:
        """The Splink blocking rule creator."""
        from splink import block_on

        return block_on(*self.columns)


def count_pairs(table: pd.DataFrame, columns: Sequence[str]) -> int:
    """Number of record pairs (any source) that agree on all ``columns`` (non-null).

    Counted exactly from block sizes, ``sum(n * (n - 1) / 2)``: cheap even on a
    million records, and independent of the database backend.
    """
    keys = table[list(columns)].dropna()
    if keys.empty:
        return 0
    sizes = keys.value_counts(sort=False).to_numpy()
    return int((sizes * (sizes - 1) // 2).sum())


def choose_rules(
    table: pd.DataFrame,
    *,
    budget: float,
    candidates: Iterable[Sequence[str]] = CANDIDATE_RULES,
) -> list[tuple[BlockingRule, int]]:
    """The blocking rules to use on ``table`` and the pairs each generates.

    Rules whose columns are all empty are dropped; a rule over ``budget`` is
    tightened with one of :data:`TIGHTENERS` at a time: the one that keeps the most
    comparisons within budget (losing the least recall), or, if none fits, the one
    that cuts most, then again. A rule still over budget is dropped, so that the
    budget bounds the run time.
    """
    chosen: list[tuple[BlockingRule, int]] = []
    usable = {c for c in table.columns if table[c].notna().any()}
    for columns in candidates:
        cols = tuple(columns)
        if not set(cols) <= usable:
            continue
        n = count_pairs(table, cols)
        while n > budget:
            options = {
                extra: count_pairs(table, (*cols, extra))
                for extra in TIGHTENERS
                if extra not in cols and extra in usable
            }
            if not options:
                break
            fitting = {e: c for e, c in options.items() if c <= budget}
            # the least tightening that fits, else the strongest and go on
            if fitting:
                extra = max(fitting, key=lambda e: (fitting[e], -TIGHTENERS.index(e)))
            else:
                extra = min(options, key=lambda e: (options[e], TIGHTENERS.index(e)))
            cols, n = (*cols, extra), options[extra]
        if n > budget:
            continue  # no tightening brings it under budget: too costly to run
        rule = BlockingRule(cols)
        # a rule tightened into another's columns (in another order) is a repeat
        if frozenset(cols) not in {frozenset(r.columns) for r, _ in chosen}:
            chosen.append((rule, n))
    return chosen
