"""Stage: simulate — synthetic populations and lists with known truth (see DESIGN.md).

Capture level (:mod:`undercount.simulate.captures`): capture tables drawn from
populations with latent classes and list dependence, with the true ``N``, to check
estimators' coverage. Record level (:mod:`undercount.simulate.records`): victim lists
with names, dates and places, and the true links, to check linkage.
"""

from __future__ import annotations

from undercount.simulate._capture_scenarios import capture_scenarios, get_scenario
from undercount.simulate.captures import (
    CaptureScenario,
    ListDependence,
    pattern_probabilities,
    simulate_captures,
)
from undercount.simulate.records import (
    ListProfile,
    SimulatedLists,
    mosul_profiles,
    simulate_lists,
    simulate_mosul_lists,
    simulate_population,
)

__all__ = [
    "CaptureScenario",
    "ListDependence",
    "ListProfile",
    "SimulatedLists",
    "capture_scenarios",
    "get_scenario",
    "mosul_profiles",
    "pattern_probabilities",
    "simulate_captures",
    "simulate_lists",
    "simulate_mosul_lists",
    "simulate_population",
]
