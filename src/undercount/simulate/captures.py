"""Simulated capture tables with a known population size (capture level).

A population of ``N`` people is split into latent classes; within a class each list
records a person with the class's probability for that list, and optionally a list
records people more (or less) often when another list has recorded them (list
dependence, as when one organisation passes its cases to another). The result is a
:class:`~undercount.model.capture_table.CaptureTable` and the true ``N``: the test bed
for checking whether an estimator's intervals cover the truth when its assumptions
hold, and how far it goes wrong when they do not.

Tables are drawn directly as multinomial counts over the ``2**J`` patterns (the exact
distribution of the aggregated table), which keeps thousands of replicates cheap.

Examples
--------
>>> from undercount.simulate import simulate_captures
>>> table, true_n = simulate_captures("independent", seed=1)
>>> true_n, table.n_lists
(2000, 4)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd

from undercount.errors import UserInputError
from undercount.model.capture_table import CaptureTable

__all__ = [
    "CaptureScenario",
    "ListDependence",
    "pattern_probabilities",
    "simulate_captures",
]


@dataclass(frozen=True)
class ListDependence:
    """List ``second`` depends on list ``first`` (0-based positions, first < second).

    A person recorded by ``first`` has the log-odds of being recorded by ``second``
    shifted by ``log_odds_ratio``: positive values model referral or shared sources
    (positive dependence), negative values lists that avoid each other's cases.
    """

    first: int
    second: int
    log_odds_ratio: float


@dataclass(frozen=True)
class CaptureScenario:
    """A population and its lists.

    Attributes
    ----------
    name
        Short identifier.
    size
        True population size ``N``.
    capture_probabilities
        One row per latent class, one probability per list.
    class_weights
        Share of the population in each class (normalised).
    dependence
        Direct list-to-list dependences applied within every class.
    meets
        Estimators whose assumptions the scenario satisfies (``"lcmcr"``,
        ``"loglinear"``, ``"dga"``): where their intervals should cover the truth.
    description
        One line for reports.
    """

    name: str
    size: int
    capture_probabilities: tuple[tuple[float, ...], ...]
    class_weights: tuple[float, ...] = (1.0,)
    dependence: tuple[ListDependence, ...] = ()
    meets: frozenset[str] = field(default_factory=frozenset)
    description: str = ""

    @property
    def n_lists(self) -> int:
        """Number of lists ``J``."""
        return len(self.capture_probabilities[0])

    @property
    def list_names(self) -> tuple[str, ...]:
        """List names ``L1 .. LJ``."""
        return tuple(f"L{j + 1}" for j in range(self.n_lists))

    def validate(self) -> None:
        """Raise :class:`UserInputError` for an inconsistent scenario."""
        probs = np.asarray(self.capture_probabilities, dtype=float)
        if probs.ndim != 2 or probs.shape[1] < 2:
            raise UserInputError(
                f"scenario {self.name!r}: capture_probabilities must be a table of "
                "classes x lists (at least 2 lists), got "
                f"{self.capture_probabilities!r}"
            )
        if np.any((probs < 0) | (probs > 1)):
            raise UserInputError(
                f"scenario {self.name!r}: capture probabilities must be in [0, 1]"
            )
        weights = np.asarray(self.class_weights, dtype=float)
        if (
            weights.shape != (probs.shape[0],)
            or np.any(weights < 0)
            or weights.sum() <= 0
        ):
            raise UserInputError(
                f"scenario {self.name!r}: need one non-negative class weight per "
                f"class ({probs.shape[0]}), got {self.class_weights!r}"
            )
        if not isinstance(self.size, int) or self.size < 1:
            raise UserInputError(
                f"scenario {self.name!r}: size must be a positive whole number, got "
                f"{self.size!r}"
            )
        for dep in self.dependence:
            if not 0 <= dep.first < dep.second < probs.shape[1]:
                raise UserInputError(
                    f"scenario {self.name!r}: dependence {dep!r} must name two lists "
                    f"with first < second < {probs.shape[1]}"
                )


def _logit(p: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    clipped = np.clip(p, 1e-12, 1 - 1e-12)
    return np.asarray(np.log(clipped / (1 - clipped)), dtype=np.float64)


def pattern_probabilities(scenario: CaptureScenario) -> npt.NDArray[np.float64]:
    """Probability of each of the ``2**J`` patterns, per class: ``(classes, 2**J)``.

    Pattern index as in :class:`CaptureTable` (first list = most significant bit);
    index 0 is the probability of being on no list.
    """
    scenario.validate()
    probs = np.asarray(scenario.capture_probabilities, dtype=np.float64)
    n_classes, n_lists = probs.shape
    patterns = (
        np.arange(2**n_lists)[:, None] >> np.arange(n_lists - 1, -1, -1)[None, :]
    ) & 1
    out = np.ones((n_classes, 2**n_lists))
    for j in range(n_lists):
        # log-odds of list j given the earlier lists it depends on
        shift = np.zeros(2**n_lists)
        for dep in scenario.dependence:
            if dep.second == j:
                shift += dep.log_odds_ratio * patterns[:, dep.first]
        logits = _logit(probs[:, j])[:, None] + shift[None, :]
        on = 1.0 / (1.0 + np.exp(-logits))
        out *= np.where(patterns[:, j][None, :] == 1, on, 1.0 - on)
    return out


def simulate_captures(
    scenario: str | CaptureScenario,
    seed: int | np.random.Generator | None = None,
) -> tuple[CaptureTable, int]:
    """Draw one capture table from a scenario; return it with the true ``N``.

    Parameters
    ----------
    scenario
        A :class:`CaptureScenario` or the name of one of
        :func:`~undercount.simulate.capture_scenarios`.
    seed
        Seed or generator (``numpy.random.default_rng``): the same seed gives the
        same table.
    """
    if isinstance(scenario, str):
        from undercount.simulate._capture_scenarios import get_scenario

        scenario = get_scenario(scenario)
    rng = np.random.default_rng(seed)
    cells = pattern_probabilities(scenario)
    weights = np.asarray(scenario.class_weights, dtype=np.float64)
    class_sizes = rng.multinomial(scenario.size, weights / weights.sum())
    counts = np.zeros(cells.shape[1], dtype=np.int64)
    for size, probs in zip(class_sizes, cells, strict=True):
        counts += rng.multinomial(size, probs / probs.sum())
    n_lists = scenario.n_lists
    index = np.arange(1, 2**n_lists)
    keep = index[counts[1:] > 0]
    patterns = (keep[:, None] >> np.arange(n_lists - 1, -1, -1)[None, :]) & 1
    frame = pd.DataFrame(patterns, columns=list(scenario.list_names))
    frame["count"] = counts[keep]
    if frame.empty:
        raise UserInputError(
            f"scenario {scenario.name!r}: nobody was recorded by any list in this "
            "draw; raise the capture probabilities or the population size"
        )
    table = CaptureTable.from_frame(frame, origin=f"simulated {scenario.name!r}")
    return table, scenario.size
