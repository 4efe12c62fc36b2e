"""Hierarchical log-linear models with list interactions: enumeration and search.

A hierarchical model contains every list's main effect and, with each interaction, all
its lower-order interactions. It is named by its highest-order terms, as Rcapture's
``closedpMS.t`` does: ``[123,25,34]`` is the model with the three-list interaction of
lists 1, 2, 3, the two-list interactions 25 and 34, and everything they imply.

Exhaustive search (as ``closedpMS.t``): every hierarchical model whose terms have at
most ``maxorder`` lists (default ``J - 1``; the ``J``-list interaction is confounded
with the unobserved cell). Rcapture refuses the search when the model count explodes
(``J = 6`` with ``maxorder >= 3``, ``J >= 7`` with ``maxorder >= 2``); there we run a
stepwise search instead (:func:`stepwise_models`): start from the independence model
and repeatedly add the allowed term, or remove the maximal term, that most improves
the criterion, until nothing improves it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import combinations

import numpy as np
import numpy.typing as npt

from undercount.estimate._design import Term, cell_patterns

FloatArray = npt.NDArray[np.float64]

EXHAUSTIVE_LIMIT = 40_000
"""Largest number of models fitted in an exhaustive search."""


def interaction_terms(n_lists: int, maxorder: int) -> list[Term]:
    """All interaction terms of order 2..maxorder, by order then lexicographically."""
    return [
        term
        for size in range(2, maxorder + 1)
        for term in combinations(range(n_lists), size)
    ]


def exhaustive_is_feasible(n_lists: int, maxorder: int) -> bool:
    """Whether the exhaustive search is run (Rcapture's limits; see module notes)."""
    if n_lists <= 5:
        return True
    if n_lists == 6:
        return maxorder <= 2
    return maxorder <= 1


def enumerate_models(n_lists: int, maxorder: int) -> Iterator[tuple[Term, ...]]:
    """Yield the interaction sets (order >= 2) of every hierarchical model.

    Each yielded tuple is closed under taking subsets of size >= 2; main effects are
    implicit. Terms are decided in order of size, so a term is allowed only when all
    its sub-terms were included.
    """
    terms = interaction_terms(n_lists, maxorder)

    def walk(
        position: int, chosen: list[Term], chosen_set: set[Term]
    ) -> Iterator[tuple[Term, ...]]:
        if position == len(terms):
            yield tuple(chosen)
            return
        yield from walk(position + 1, chosen, chosen_set)
        term = terms[position]
        if len(term) == 2 or all(
            sub in chosen_set for sub in combinations(term, len(term) - 1)
        ):
            chosen.append(term)
            chosen_set.add(term)
            yield from walk(position + 1, chosen, chosen_set)
            chosen.pop()
            chosen_set.discard(term)

    yield from walk(0, [], set())


def generators(n_lists: int, interactions: Sequence[Term]) -> tuple[Term, ...]:
    """Maximal terms of a hierarchical model (main effects not covered included)."""
    covered = {i for term in interactions for i in term}
    terms = [*interactions, *((j,) for j in range(n_lists) if j not in covered)]
    as_sets = [set(t) for t in terms]
    kept = [
        t
        for t, s in zip(terms, as_sets, strict=True)
        if not any(s < u for u in as_sets)
    ]
    return tuple(sorted(kept, key=lambda t: (-len(t), t)))


def design_for(n_lists: int, interactions: Sequence[Term]) -> FloatArray:
    """Intercept, main effects, then the interaction columns."""
    patterns = cell_patterns(n_lists).astype(np.float64)
    columns = [np.ones((patterns.shape[0], 1)), patterns]
    if interactions:
        columns.append(
            np.column_stack([patterns[:, list(t)].prod(axis=1) for t in interactions])
        )
    return np.hstack(columns)


def addable_terms(
    n_lists: int, maxorder: int, interactions: Sequence[Term]
) -> list[Term]:
    """Terms that can be added keeping the model hierarchical."""
    present = set(interactions)
    return [
        term
        for term in interaction_terms(n_lists, maxorder)
        if term not in present
        and (
            len(term) == 2
            or all(sub in present for sub in combinations(term, len(term) - 1))
        )
    ]


def removable_terms(interactions: Sequence[Term]) -> list[Term]:
    """Terms that can be removed keeping the model hierarchical (the maximal ones)."""
    as_sets = [set(t) for t in interactions]
    return [
        t
        for t, s in zip(interactions, as_sets, strict=True)
        if not any(s < u for u in as_sets)
    ]
