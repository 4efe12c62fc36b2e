"""The hand-compiled west Mosul incident table shipped with undercount.

``data/incidents/`` holds, with their provenance in ``SOURCE.md``: 21 reports of 17
west Mosul incidents (February-June 2017) by Airwars, Amnesty International, CNN and
the UN Human Rights Office; belligerents' acknowledgments (per incident, and the
coalition's total for the battle as reported by AP); two reviewer decisions; and
published overall figures (AP, UNAMI/OHCHR, Amnesty, CJTF-OIR). Figures are as
published; descriptions are the compilers' own words.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from undercount.incidents._acknowledgments import (
    AcknowledgmentImport,
    read_acknowledgments,
)
from undercount.incidents._decisions import ReviewDecision, read_decisions
from undercount.incidents._generic import read_generic
from undercount.incidents._record import IncidentImport

__all__ = [
    "PublishedFigure",
    "demo_data_dir",
    "mosul_acknowledgments",
    "mosul_decisions",
    "mosul_incidents",
    "published_figures",
]


def demo_data_dir() -> Path:
    """The folder of the shipped incident data."""
    return Path(str(resources.files("undercount").joinpath("data", "incidents")))


def mosul_incidents() -> IncidentImport:
    """The hand-compiled reports (``mosul_incidents.csv``; source per row)."""
    return read_generic(demo_data_dir() / "mosul_incidents.csv", source="mosul")


def mosul_acknowledgments() -> AcknowledgmentImport:
    """Acknowledgments with their documents (``acknowledgments.csv``)."""
    return read_acknowledgments(demo_data_dir() / "acknowledgments.csv")


def mosul_decisions() -> list[ReviewDecision]:
    """The reviewer decisions shipped with the demo (``decisions.csv``)."""
    return read_decisions(demo_data_dir() / "decisions.csv")


@dataclass(frozen=True, slots=True)
class PublishedFigure:
    """An overall figure as published (``high`` is ``None`` for "at least")."""

    figure_id: str
    description: str
    low: int
    high: int | None
    scope: str
    period: str
    publisher: str
    published: str
    url: str


def published_figures() -> dict[str, PublishedFigure]:
    """Published overall figures by id (``published_figures.csv``)."""
    path = demo_data_dir() / "published_figures.csv"
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return {
        r["figure_id"]: PublishedFigure(
            r["figure_id"],
            r["description"],
            int(r["low"]),
            int(r["high"]) if r["high"] else None,
            r["scope"],
            r["period"],
            r["publisher"],
            r["published"],
            r["url"],
        )
        for r in rows
    }
