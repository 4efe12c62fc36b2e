"""Simulated victim lists with known truth: the test bed for linkage and estimation.

A population of victims (:func:`simulate_population`) is recorded by several sources,
each with its own reach and its own way of writing names, dates and ages
(:class:`ListProfile`). The truth is kept: every record carries the id of the person
it describes, so that linkage can be scored pair by pair and the estimate from linked
lists compared with the estimate from the true links.

Examples
--------
>>> from undercount.simulate.records import simulate_mosul_lists
>>> sim = simulate_mosul_lists(n_dead=300, seed=1)
>>> sorted(sim.lists)
['hospital', 'media', 'morgue', 'ngo']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from undercount.model.capture_table import CaptureTable
from undercount.simulate._records_lists import (
    ListProfile,
    mosul_profiles,
    record_person,
)
from undercount.simulate._records_population import simulate_population

__all__ = [
    "ListProfile",
    "SimulatedLists",
    "mosul_profiles",
    "simulate_lists",
    "simulate_mosul_lists",
    "simulate_population",
]

VISIBLE_SHARE = 0.6
"""Share of victims in the easy-to-document latent class."""


@dataclass(frozen=True)
class SimulatedLists:
    """Lists of the dead as sources wrote them, with the truth behind them.

    Attributes
    ----------
    population
        Every victim (documented or not); see :func:`simulate_population`.
    lists
        ``{source: records}`` in canonical victim-list columns (DESIGN.md).
    truth
        One row per record: ``source``, ``record_id``, ``person_id``.
    """

    population: pd.DataFrame
    lists: dict[str, pd.DataFrame]
    truth: pd.DataFrame

    @property
    def n_dead(self) -> int:
        """The true number of victims."""
        return len(self.population)

    @property
    def n_documented(self) -> int:
        """Distinct victims recorded by at least one list."""
        return int(self.truth["person_id"].nunique())

    def true_pairs(self) -> set[tuple[str, str]]:
        """Every unordered pair of records of one person, as ``"source|record_id"`` keys
        (sorted within the pair)."""
        keys = self.truth["source"] + "|" + self.truth["record_id"]
        pairs: set[tuple[str, str]] = set()
        for members in keys.groupby(self.truth["person_id"]).agg(list):
            members = sorted(members)
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    pairs.add((a, b))
        return pairs

    def true_capture_table(self, *, strata: Sequence[str] = ()) -> CaptureTable:
        """The capture table perfect linkage would give (optionally stratified by
        population columns such as ``sex``)."""
        strata_frame = None
        if strata:
            strata_frame = self.population.set_index("person_id")[list(strata)]
        return CaptureTable.from_memberships(
            self.truth,
            lists=list(self.lists),
            person_column="person_id",
            strata=strata_frame,
            origin="simulated truth",
        )

    def write_csv(self, directory: str | Path) -> list[Path]:
        """Write each list to ``directory/<source>.csv`` (and ``truth.csv``)."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        paths = []
        for source, frame in self.lists.items():
            path = directory / f"{source}.csv"
            frame.to_csv(path, index=False)
            paths.append(path)
        self.truth.to_csv(directory / "truth.csv", index=False)
        return paths


def simulate_lists(
    population: pd.DataFrame,
    profiles: Sequence[ListProfile],
    seed: int | np.random.Generator,
) -> SimulatedLists:
    """Record ``population`` by each source in ``profiles``.

    Each person belongs to the easy-to-document class with probability
    :data:`VISIBLE_SHARE`; a list records them independently given the class with
    its ``capture_visible`` / ``capture_hidden`` probability; a recorded person is
    entered twice with the list's ``duplicate`` probability. Records are shuffled
    and numbered ``<source>-00001``...
    """
    rng = np.random.default_rng(seed)
    visible = rng.random(len(population)) < VISIBLE_SHARE
    people = population.to_dict("records")
    lists: dict[str, pd.DataFrame] = {}
    truth_parts: list[pd.DataFrame] = []
    for profile in profiles:
        p = np.where(visible, profile.capture_visible, profile.capture_hidden)
        captured = np.flatnonzero(rng.random(len(population)) < p)
        rows: list[dict[str, object]] = []
        person_ids: list[int] = []
        for index in captured:
            person = people[index]
            copies = 2 if rng.random() < profile.duplicate else 1
            for _ in range(copies):
                rows.append(record_person(person, profile, rng))
                person_ids.append(int(person["person_id"]))
        order = rng.permutation(len(rows))
        width = max(5, len(str(len(rows))))
        record_ids = [f"{profile.name}-{i + 1:0{width}d}" for i in range(len(rows))]
        frame = pd.DataFrame([rows[i] for i in order])
        frame.insert(0, "record_id", record_ids)
        lists[profile.name] = frame.fillna("")
        truth_parts.append(
            pd.DataFrame(
                {
                    "source": profile.name,
                    "record_id": record_ids,
                    "person_id": [person_ids[i] for i in order],
                }
            )
        )
    truth = pd.concat(truth_parts, ignore_index=True)
    return SimulatedLists(population=population, lists=lists, truth=truth)


def simulate_mosul_lists(
    n_dead: int = 6000,
    seed: int = 2017,
    profiles: Sequence[ListProfile] | None = None,
) -> SimulatedLists:
    """West Mosul 2017: ``n_dead`` victims recorded by four sources (two in Arabic
    script, two in Latin script); see :func:`mosul_profiles`."""
    rng = np.random.default_rng(seed)
    population = simulate_population(n_dead, rng)
    return simulate_lists(
        population, mosul_profiles() if profiles is None else profiles, rng
    )
