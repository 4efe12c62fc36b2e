"""Simulated west Mosul lists: shape, truth, scripts, determinism."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from undercount.simulate.records import SimulatedLists, simulate_mosul_lists

ARABIC = re.compile(r"[\u0600-\u06FF]")


@pytest.fixture(scope="module")
def sim() -> SimulatedLists:
    return simulate_mosul_lists(n_dead=600, seed=7)


def test_every_record_has_a_true_person(sim: SimulatedLists) -> None:
    total = sum(len(frame) for frame in sim.lists.values())
    assert len(sim.truth) == total
    assert sim.truth["person_id"].isin(sim.population["person_id"]).all()
    for source, frame in sim.lists.items():
        assert frame["record_id"].is_unique
        assert set(frame["record_id"]) == set(
            sim.truth.loc[sim.truth["source"] == source, "record_id"]
        )


def test_documented_share_is_plausible(sim: SimulatedLists) -> None:
    # capture probabilities in mosul_profiles give P(on no list) ~ 0.22
    share = sim.n_documented / sim.n_dead
    assert 0.65 < share < 0.88
    table = sim.true_capture_table()
    assert table.n_observed == sim.n_documented


def test_scripts_and_columns_follow_profiles(sim: SimulatedLists) -> None:
    morgue, ngo = sim.lists["morgue"], sim.lists["ngo"]
    assert {"given_name", "father_name", "family_name"} <= set(morgue.columns)
    assert morgue["given_name"].str.contains(ARABIC).mean() > 0.99
    assert not ngo["name"].str.contains(ARABIC).any()
    assert sim.lists["hospital"]["name"].str.contains(ARABIC).mean() > 0.99
    # NGO dates are mostly month precision (YYYY-MM)
    assert ngo["date_of_death"].str.fullmatch(r"\d{4}-\d{2}").mean() > 0.5


def test_within_list_duplicates_exist(sim: SimulatedLists) -> None:
    dup = sim.truth.groupby(["source", "person_id"]).size()
    assert (dup > 1).sum() > 0


def test_same_seed_same_lists() -> None:
    a = simulate_mosul_lists(n_dead=150, seed=3)
    b = simulate_mosul_lists(n_dead=150, seed=3)
    c = simulate_mosul_lists(n_dead=150, seed=4)
    for source in a.lists:
        pd.testing.assert_frame_equal(a.lists[source], b.lists[source])
    assert not a.lists["ngo"].equals(c.lists["ngo"])


def test_no_two_children_of_a_household_share_a_name() -> None:
    # parents do not give two children (or a son and his father) the same name;
    # drawing names independently gave ~4% of victims such a twin name
    population = simulate_mosul_lists(n_dead=3000, seed=11).population
    same = population.groupby(["household_id", "sex", "given"]).size()
    assert (same == 1).all()
