"""Decomposable (chordal) graphs on J lists, with their cliques and separators.

A decomposable graphical model for J lists says which lists may depend on each other
directly: lists joined by an edge interact, the others are independent given their
neighbours. Its marginal likelihood factorises over the maximal cliques and the
separators of a junction tree (Dawid & Lauritzen 1993), which is what makes the
Bayesian model averaging of Madigan & York (1997) exact and fast.

We generate every labelled graph on J vertices (``2**(J (J - 1) / 2)`` edge sets),
keep the chordal ones (repeatedly remove a simplicial vertex), and find the maximal
cliques by enumeration and the separators from a maximum-weight spanning tree of the
clique-intersection graph. Counts: 8 graphs for 3 lists, 61 for 4, 822 for 5 (OEIS
A058862); a test checks them.

Vertices are bit positions: list ``j`` (0-based, in table order) is the bit
``1 << (J - 1 - j)``, matching the capture-pattern index of :class:`CaptureTable`
(first list = most significant bit). A vertex set is an int bit mask.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from itertools import combinations


@dataclass(frozen=True)
class DecomposableGraph:
    """One decomposable graph: its edges, maximal cliques and separators (bit masks).

    ``separators`` is the multiset of non-empty separators of a junction tree; empty
    ones (between disconnected components) are left out, since they contribute
    nothing to the marginal likelihood.
    """

    n_vertices: int
    edges: tuple[tuple[int, int], ...]
    cliques: tuple[int, ...]
    separators: tuple[int, ...]

    def vertex_sets(self, masks: tuple[int, ...]) -> list[tuple[int, ...]]:
        """Bit masks as sorted tuples of 0-based list positions."""
        return [
            tuple(
                j
                for j in range(self.n_vertices)
                if mask >> (self.n_vertices - 1 - j) & 1
            )
            for mask in masks
        ]

    def label(self, names: tuple[str, ...] | None = None) -> str:
        """The model in the usual bracket notation, e.g. ``[A,B][B,C][D]``.

        Lists are named by ``names`` or numbered from 1.
        """
        names = names or tuple(str(j + 1) for j in range(self.n_vertices))
        parts = [
            "[" + ",".join(names[j] for j in clique) + "]"
            for clique in sorted(self.vertex_sets(self.cliques))
        ]
        return "".join(parts)


def _bit(j: int, n: int) -> int:
    return 1 << (n - 1 - j)


def _neighbour_masks(n: int, edges: tuple[tuple[int, int], ...]) -> list[int]:
    masks = [0] * n
    for a, b in edges:
        masks[a] |= _bit(b, n)
        masks[b] |= _bit(a, n)
    return masks


def _is_complete(vertices: int, neighbours: list[int], n: int) -> bool:
    """Whether every pair of the vertex set ``vertices`` is joined."""
    for j in range(n):
        if vertices & _bit(j, n) and (vertices & ~_bit(j, n)) & ~neighbours[j]:
            return False
    return True


def _is_chordal(n: int, neighbours: list[int]) -> bool:
    """Chordal iff vertices can be removed one by one, each simplicial when removed."""
    remaining = (1 << n) - 1
    while remaining:
        for j in range(n):
            if remaining & _bit(j, n) and _is_complete(
                neighbours[j] & remaining, neighbours, n
            ):
                remaining &= ~_bit(j, n)
                break
        else:
            return False
    return True


def _maximal_cliques(n: int, neighbours: list[int]) -> list[int]:
    complete = [mask for mask in range(1, 1 << n) if _is_complete(mask, neighbours, n)]
    return [
        mask
        for mask in complete
        if not any(other != mask and other & mask == mask for other in complete)
    ]


def _junction_separators(cliques: list[int]) -> list[int]:
    """Non-empty separators of a maximum-weight spanning tree of the cliques.

    Kruskal on clique pairs by decreasing intersection size; the result satisfies the
    running-intersection property for a chordal graph (Jensen & Jensen 1994).
    """
    parent = list(range(len(cliques)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    pairs = sorted(
        combinations(range(len(cliques)), 2),
        key=lambda p: -(cliques[p[0]] & cliques[p[1]]).bit_count(),
    )
    separators = []
    for a, b in pairs:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[ra] = rb
            shared = cliques[a] & cliques[b]
            if shared:
                separators.append(shared)
    return sorted(separators)


@cache
def decomposable_graphs(n_vertices: int) -> tuple[DecomposableGraph, ...]:
    """All decomposable graphs on ``n_vertices`` labelled vertices (2 to 6).

    Ordered by number of edges, then by edge set; the first is the independence
    model (no edges) and the last the saturated model (one clique).
    """
    if not 2 <= n_vertices <= 6:
        raise ValueError(
            f"decomposable graphs are enumerated for 2-6 lists, got {n_vertices}"
        )
    all_edges = list(combinations(range(n_vertices), 2))
    graphs = []
    for code in range(1 << len(all_edges)):
        edges = tuple(e for i, e in enumerate(all_edges) if code >> i & 1)
        neighbours = _neighbour_masks(n_vertices, edges)
        if not _is_chordal(n_vertices, neighbours):
            continue
        cliques = sorted(_maximal_cliques(n_vertices, neighbours), reverse=True)
        graphs.append(
            DecomposableGraph(
                n_vertices=n_vertices,
                edges=edges,
                cliques=tuple(cliques),
                separators=tuple(_junction_separators(cliques)),
            )
        )
    graphs.sort(key=lambda g: (len(g.edges), g.edges))
    return tuple(graphs)
