"""Choosing blocking rules within a comparison budget."""

from __future__ import annotations

import pandas as pd

from undercount.link._blocking import BlockingRule, choose_rules, count_pairs


def _table() -> pd.DataFrame:
    # 40 records: one given name, two families, two months, two places, two sexes
    rows = [
        {
            "given_phon": "mhmd",
            "family_phon": "jbr" if i % 2 else "tai",
            "dod_month": "2017-03" if i % 4 < 2 else "2017-04",
            "place_key": "old city" if i % 8 < 4 else "zanjili",
            "sex": "M" if i % 16 < 8 else "F",
        }
        for i in range(40)
    ]
    return pd.DataFrame(rows)


def test_pairs_are_counted_exactly_from_block_sizes() -> None:
    table = _table()
    assert count_pairs(table, ["given_phon"]) == 40 * 39 // 2
    assert count_pairs(table, ["given_phon", "family_phon"]) == 2 * (20 * 19 // 2)
    with_gap = table.assign(family_phon=[None] * 10 + list(table["family_phon"][10:]))
    assert count_pairs(with_gap, ["family_phon"]) == 15 * 14 // 2 * 2


def test_a_rule_over_budget_is_tightened_until_it_fits() -> None:
    chosen = choose_rules(_table(), budget=200, candidates=[("given_phon",)])
    ((rule, n),) = chosen
    assert rule.columns[0] == "given_phon" and len(rule.columns) > 1
    assert n <= 200


def test_a_rule_tightened_into_another_is_dropped_as_a_repeat() -> None:
    # family + month tightened by place, and family + place tightened by month,
    # are one rule: running it twice costs the join twice for no new pair
    chosen = choose_rules(
        _table(),
        budget=60,
        candidates=[("family_phon", "dod_month"), ("family_phon", "place_key")],
    )
    column_sets = [frozenset(r.columns) for r, _ in chosen]
    assert len(column_sets) == len(set(column_sets))


def test_rules_on_empty_columns_are_left_out() -> None:
    table = _table().assign(place_key=None)
    chosen = choose_rules(
        table, budget=1e9, candidates=[("place_key",), ("family_phon",)]
    )
    assert [r for r, _ in chosen] == [BlockingRule(("family_phon",))]
