"""Named capture scenarios: the populations the coverage benchmark replicates.

Each states which estimators' assumptions it meets, so a benchmark can hold an
estimator to its nominal coverage only where that is a fair demand:

- ``independent``: one class, four independent lists. Every method's assumptions hold.
- ``heterogeneous``: two equal latent classes (hard and easy to record) with
  independent lists within each class: LCMCR's model exactly; it induces positive
  dependence between every pair of lists, which log-linear models only approximate.
- ``hard_to_reach``: the same form, but 60% of people are rarely recorded and about
  half of them are on no list. LCMCR's model still holds, yet the data say little
  about the hidden class: every method underestimates (LCMCR by about 8%). It is a
  stress test, so no method is held to nominal coverage there.
- ``dependent``: one class, lists 1 and 2 positively dependent (odds ratio e^1.5):
  a hierarchical log-linear model (and a decomposable graph) with that one
  interaction is exactly true; a latent-class model is not.
- ``negative``: one class, lists 1 and 2 negatively dependent (odds ratio e^-1.2).
- ``sparse``: one class, five lists each recording about 10% of 1,000 people: few
  overlaps, the regime where estimates are fragile.
"""

from __future__ import annotations

from undercount.errors import UserInputError
from undercount.simulate.captures import CaptureScenario, ListDependence

_SCENARIOS: dict[str, CaptureScenario] = {
    s.name: s
    for s in (
        CaptureScenario(
            name="independent",
            size=2000,
            capture_probabilities=((0.30, 0.25, 0.20, 0.35),),
            meets=frozenset({"lcmcr", "loglinear", "dga"}),
            description="homogeneous capture, independent lists",
        ),
        CaptureScenario(
            name="heterogeneous",
            size=2000,
            capture_probabilities=(
                (0.25, 0.30, 0.20, 0.30),
                (0.60, 0.55, 0.50, 0.65),
            ),
            class_weights=(0.5, 0.5),
            meets=frozenset({"lcmcr"}),
            description="two latent classes (half hard, half easy to record)",
        ),
        CaptureScenario(
            name="hard_to_reach",
            size=2000,
            capture_probabilities=(
                (0.15, 0.20, 0.10, 0.20),
                (0.60, 0.55, 0.50, 0.65),
            ),
            class_weights=(0.6, 0.4),
            meets=frozenset(),
            description="two latent classes, 60% rarely recorded (half never seen)",
        ),
        CaptureScenario(
            name="dependent",
            size=2000,
            capture_probabilities=((0.25, 0.20, 0.30, 0.25),),
            dependence=(ListDependence(0, 1, 1.5),),
            meets=frozenset({"loglinear", "dga"}),
            description="lists 1 and 2 positively dependent (log odds ratio 1.5)",
        ),
        CaptureScenario(
            name="negative",
            size=2000,
            capture_probabilities=((0.30, 0.30, 0.25, 0.25),),
            dependence=(ListDependence(0, 1, -1.2),),
            meets=frozenset({"loglinear", "dga"}),
            description="lists 1 and 2 negatively dependent (log odds ratio -1.2)",
        ),
        CaptureScenario(
            name="sparse",
            size=1000,
            capture_probabilities=((0.10, 0.08, 0.12, 0.10, 0.09),),
            meets=frozenset({"lcmcr", "loglinear", "dga"}),
            description="five lists each recording about 10%: few overlaps",
        ),
    )
}


def capture_scenarios() -> dict[str, CaptureScenario]:
    """The named scenarios, by name."""
    return dict(_SCENARIOS)


def get_scenario(name: str) -> CaptureScenario:
    """The scenario called ``name``; a clear error lists the known ones."""
    try:
        return _SCENARIOS[name]
    except KeyError:
        raise UserInputError(
            f"unknown capture scenario {name!r}; choose one of {sorted(_SCENARIOS)!r}"
        ) from None
