"""Cells and design matrices of the closed-population log-linear models.

A table of ``J`` lists has ``2**J - 1`` observable cells (every pattern but the
all-zero one), ordered here by pattern index (first list = most significant bit, as
:class:`~undercount.model.capture_table.CaptureTable` does). Cells nobody showed are
kept with a zero count: a pattern nobody showed is information, and dropping it
changes the fit.

Designs always start with the intercept column; the estimated number of people no
list recorded is ``exp(intercept)`` for every model but the behavioural ones (Mb, Mbh).

Heterogeneity columns (Rivest & Baillargeon 2007, JSS 19(5), Table 1) are functions of
the number of lists ``c`` a pattern belongs to:

* Chao lower bound: ``max(c - k + 1, 0)`` for ``k = 3..J`` (one column per ``k``);
* Poisson2: ``2**c - 1``; Darroch: ``c**2 / 2``; Gamma3.5: ``-log(3.5 + c) + log(3.5)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np
import numpy.typing as npt

from undercount.errors import UserInputError

FloatArray = npt.NDArray[np.float64]
Term = tuple[int, ...]
"""An interaction term: 0-based list indices in increasing order."""

HETEROGENEITY = ("Chao", "Poisson2", "Darroch", "Gamma3.5")


@cache
def cell_patterns(n_lists: int) -> npt.NDArray[np.int64]:
    """``(2**J - 1, J)`` 0/1 patterns of the observable cells, by pattern index 1.."""
    index = np.arange(1, 2**n_lists, dtype=np.int64)
    shifts = np.arange(n_lists - 1, -1, -1, dtype=np.int64)
    patterns = (index[:, None] >> shifts[None, :]) & 1
    patterns.setflags(write=False)
    return patterns


def heterogeneity_columns(kind: str, n_lists: int) -> FloatArray:
    """Heterogeneity columns for ``kind`` (one of :data:`HETEROGENEITY`)."""
    c = cell_patterns(n_lists).sum(axis=1).astype(np.float64)
    if kind == "Chao":
        if n_lists < 3:
            return np.zeros((c.size, 0))
        return np.column_stack(
            [np.maximum(c - k + 1.0, 0.0) for k in range(3, n_lists + 1)]
        )
    if kind == "Poisson2":
        return np.asarray((2.0**c - 1.0)[:, None], dtype=np.float64)
    if kind == "Darroch":
        return np.asarray((c**2 / 2.0)[:, None], dtype=np.float64)
    if kind == "Gamma3.5":
        return np.asarray((-np.log(3.5 + c) + np.log(3.5))[:, None], dtype=np.float64)
    raise UserInputError(
        f"unknown heterogeneity form {kind!r}; choose one of {list(HETEROGENEITY)!r}"
    )


def closedp_design(model: str, n_lists: int) -> FloatArray:
    """Design of one of Rcapture's ``closedp.t`` models.

    ``model`` is ``M0``, ``Mt``, ``Mb``, ``Mbh``, or ``Mh``/``Mth`` followed by a
    heterogeneity form, e.g. ``"Mth Darroch"`` or ``"Mh Chao"``.
    """
    patterns = cell_patterns(n_lists).astype(np.float64)
    ones = np.ones((patterns.shape[0], 1))
    captures = patterns.sum(axis=1, keepdims=True)
    if model == "M0":
        return np.hstack([ones, captures])
    if model == "Mt":
        return np.hstack([ones, patterns])
    if model in ("Mb", "Mbh"):
        # occasions before the first capture, captures after the first one
        before = np.argmax(patterns > 0, axis=1).astype(np.float64)[:, None]
        after = captures - 1.0
        if model == "Mb":
            return np.hstack([ones, before, after])
        return np.hstack([ones, 1.0 - patterns[:, :1], before, after])
    base, _, kind = model.partition(" ")
    if base in ("Mh", "Mth") and kind in HETEROGENEITY:
        main = captures if base == "Mh" else patterns
        return np.hstack([ones, main, heterogeneity_columns(kind, n_lists)])
    raise UserInputError(
        f"unknown model {model!r}; choose M0, Mt, Mb, Mbh, or Mh/Mth followed by "
        f"one of {list(HETEROGENEITY)!r}, or a hierarchical model such as '[12,3]'"
    )


def term_columns(terms: Sequence[Term], n_lists: int) -> FloatArray:
    """Intercept plus one product column per term (terms as given)."""
    patterns = cell_patterns(n_lists).astype(np.float64)
    columns = [np.ones(patterns.shape[0])]
    columns += [patterns[:, list(term)].prod(axis=1) for term in terms]
    return np.column_stack(columns)


def hierarchical_closure(generators: Sequence[Term]) -> tuple[Term, ...]:
    """Every term implied by the generators (all their non-empty subsets), sorted by
    order then lexicographically."""
    from itertools import combinations

    closure: set[Term] = set()
    for generator in generators:
        for size in range(1, len(generator) + 1):
            closure.update(combinations(generator, size))
    return tuple(sorted(closure, key=lambda t: (len(t), t)))


def hierarchical_design(generators: Sequence[Term], n_lists: int) -> FloatArray:
    """Design of the hierarchical model spanned by ``generators``."""
    return term_columns(hierarchical_closure(generators), n_lists)


def format_model(generators: Sequence[Term]) -> str:
    """Rcapture's notation: maximal terms, highest order first, e.g. ``[123,25,34]``.

    Lists are numbered from 1 in table order; with 10 lists or more the numbers are
    joined with ``:`` (``[1:10,2]``) since single digits no longer suffice.
    """
    ordered = sorted(generators, key=lambda t: (-len(t), t))
    wide = any(i >= 9 for term in ordered for i in term)
    joiner = ":" if wide else ""
    return "[" + ",".join(joiner.join(str(i + 1) for i in t) for t in ordered) + "]"


def parse_model(spec: str, lists: Sequence[str]) -> tuple[Term, ...]:
    """Parse ``[12,3,4]`` (list numbers) or ``[A:B,C,D]`` (list names) to generators.

    Main effects missing from the specification are added (every list keeps its
    own size), and generators implied by others are dropped.
    """
    text = spec.strip()
    if not (text.startswith("[") and text.endswith("]")):
        raise UserInputError(
            f"model {spec!r}: write a hierarchical model as its highest-order terms in "
            "brackets, e.g. '[12,3,4]' (list numbers) or '[A:B,C,D]' (list names)"
        )
    body = text[1:-1].strip()
    n_lists = len(lists)
    terms: list[Term] = []
    for raw in filter(None, (part.strip() for part in body.split(","))):
        terms.append(_parse_term(raw, lists, spec))
    terms += [(j,) for j in range(n_lists)]
    return maximal_terms(terms)


def _parse_term(raw: str, lists: Sequence[str], spec: str) -> Term:
    n_lists = len(lists)
    if ":" in raw or raw in lists:
        parts = [p.strip() for p in raw.split(":")]
        indices = []
        for part in parts:
            if part in lists:
                indices.append(list(lists).index(part))
            elif part.isdigit() and 1 <= int(part) <= n_lists:
                indices.append(int(part) - 1)
            else:
                raise UserInputError(
                    f"model {spec!r}: term {raw!r} names {part!r}, which is neither a "
                    f"list name nor a number 1..{n_lists}; lists are {list(lists)!r}"
                )
    elif raw.isdigit() and n_lists <= 9:
        indices = [int(ch) - 1 for ch in raw]
        if any(not 0 <= i < n_lists for i in indices):
            raise UserInputError(
                f"model {spec!r}: term {raw!r} uses a list number outside 1..{n_lists}"
            )
    else:
        raise UserInputError(
            f"model {spec!r}: cannot read term {raw!r}; use list numbers 1..{n_lists} "
            "(e.g. 12) or list names joined by ':'"
        )
    term = tuple(sorted(set(indices)))
    if len(term) != len(indices):
        raise UserInputError(f"model {spec!r}: term {raw!r} repeats a list")
    if len(term) == n_lists:
        raise UserInputError(
            f"model {spec!r}: the {n_lists}-list interaction cannot be estimated "
            "(it is confounded with the unobserved cell); the highest order is "
            f"{n_lists - 1}"
        )
    return term


def maximal_terms(terms: Sequence[Term]) -> tuple[Term, ...]:
    """Drop terms contained in another term; sort highest order first."""
    unique = set(terms)
    kept = [t for t in unique if not any(set(t) < set(u) for u in unique)]
    return tuple(sorted(kept, key=lambda t: (-len(t), t)))
