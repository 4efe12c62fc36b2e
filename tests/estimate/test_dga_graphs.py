"""Decomposable graphs: how many there are, and that cliques/separators are right."""

from __future__ import annotations

import pytest

from undercount.estimate._dga_graphs import decomposable_graphs


@pytest.mark.parametrize(
    ("n_lists", "expected"),
    # labelled chordal graphs on n vertices, OEIS A058862: 1, 2, 8, 61, 822, 18154;
    # the dga package ships 8, 61 and 822 graphs (data/graphs3/4/5.rda)
    [(2, 2), (3, 8), (4, 61), (5, 822)],
)
def test_number_of_decomposable_graphs(n_lists: int, expected: int) -> None:
    assert len(decomposable_graphs(n_lists)) == expected


def test_four_cycles_are_the_only_excluded_graphs_on_four_lists() -> None:
    # 64 graphs on 4 vertices; the 3 chordless 4-cycles are not decomposable
    edge_sets = {g.edges for g in decomposable_graphs(4)}
    cycle = ((0, 1), (0, 2), (1, 3), (2, 3))  # 1-2-4-3-1
    assert cycle not in edge_sets
    assert len(edge_sets) == 64 - 3


@pytest.mark.parametrize("n_lists", [3, 4, 5])
def test_cliques_and_separators_are_consistent(n_lists: int) -> None:
    full = (1 << n_lists) - 1
    for graph in decomposable_graphs(n_lists):
        union = 0
        for clique in graph.cliques:
            union |= clique
        assert union == full  # every list is in some clique
        # a junction tree has one edge less than cliques per connected component;
        # the parameter count identity: sum |C| - sum |S| = number of lists
        # holds for each component, so overall it equals n_lists
        assert (
            sum(c.bit_count() for c in graph.cliques)
            - sum(s.bit_count() for s in graph.separators)
            == n_lists
        )
        for separator in graph.separators:
            inside = [c for c in graph.cliques if c & separator == separator]
            assert len(inside) >= 2  # a separator sits in two cliques


def test_labels_name_the_lists() -> None:
    graphs = decomposable_graphs(3)
    assert graphs[0].label(("A", "B", "C")) == "[A][B][C]"
    assert graphs[-1].label(("A", "B", "C")) == "[A,B,C]"
