"""The curated name and place tables behind simulated victims.

The tables live in ``undercount/data/names/`` (see its SOURCE.md): Arabic-script names
with several Latin transliterations each and rough relative frequencies. This module
loads them once and draws from them with a seeded generator.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import numpy.typing as npt

_PACKAGE = "undercount.data.names"


@dataclass(frozen=True, slots=True)
class NameEntry:
    """One name (or place): its Arabic spelling, Latin spellings and weight.

    Attributes
    ----------
    arabic
        The name in Arabic script (compounds joined, family names with ال).
    latin
        Transliterations, most common first.
    weight
        Rough relative frequency (unitless).
    """

    arabic: str
    latin: tuple[str, ...]
    weight: float


@dataclass(frozen=True, slots=True)
class NameTable:
    """A weighted table of names from which to draw with a seeded generator."""

    kind: str
    entries: tuple[NameEntry, ...]

    @property
    def probabilities(self) -> npt.NDArray[np.float64]:
        """Sampling probability of each entry (weights normalised)."""
        weights = np.array([e.weight for e in self.entries], dtype=np.float64)
        normalised: npt.NDArray[np.float64] = weights / weights.sum()
        return normalised

    def draw(self, rng: np.random.Generator, size: int) -> npt.NDArray[np.int64]:
        """Indices of ``size`` entries drawn with replacement by weight."""
        return rng.choice(len(self.entries), size=size, p=self.probabilities)

    def __len__(self) -> int:
        return len(self.entries)


def _read_table(filename: str, kind: str) -> NameTable:
    source = resources.files(_PACKAGE).joinpath(filename)
    text = source.read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    entries = tuple(
        NameEntry(
            arabic=row["arabic"].strip(),
            latin=tuple(v.strip() for v in row["latin"].split("|") if v.strip()),
            weight=float(row["weight"]),
        )
        for row in rows
    )
    return NameTable(kind=kind, entries=entries)


@cache
def male_given_names() -> NameTable:
    """Male given names (also used for fathers and grandfathers)."""
    return _read_table("given_male.csv", "given_male")


@cache
def female_given_names() -> NameTable:
    """Female given names."""
    return _read_table("given_female.csv", "given_female")


@cache
def family_names() -> NameTable:
    """Family and tribal names common in Ninewa (Arabic with the article)."""
    return _read_table("family.csv", "family")


@cache
def west_mosul_places() -> NameTable:
    """Neighbourhoods of west Mosul, weighted by a rough share of deaths."""
    return _read_table("places_west_mosul.csv", "place")
