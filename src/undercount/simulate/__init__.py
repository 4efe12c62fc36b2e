"""Stage: simulate (see DESIGN.md)."""

__all__: list[str] = []

from undercount.simulate.records import (
    ListProfile,
    SimulatedLists,
    mosul_profiles,
    simulate_lists,
    simulate_mosul_lists,
    simulate_population,
)

__all__ += [
    "ListProfile",
    "SimulatedLists",
    "mosul_profiles",
    "simulate_lists",
    "simulate_mosul_lists",
    "simulate_population",
]
