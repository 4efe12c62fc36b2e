"""Accuracy of the cross-script keys on held-out real name pairs.

Data: ``tests/data/names/heldout_pairs_sample.csv`` (2,000 Wikidata pairs from the
held-out split, CC0; see its SOURCE.md). The floors and ceilings below sit a little
below / above what the keys measured on this file when the test was written
(canonical: exact 0.388, JW>=0.88 0.739, false matches 0.000 / 0.002; consonant:
exact 0.824, JW>=0.88 0.878, false matches 0.001 / 0.0045; Arabic-letter subset of
186 pairs: canonical exact 0.742, consonant exact 0.876), so a regression fails.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from rapidfuzz.distance import JaroWinkler

from undercount.names import canonical_key, consonant_key

_ARABIC_LETTERS = frozenset("عحصضطظقةء")


def _load(data_dir: Path) -> list[tuple[str, str]]:
    path = data_dir / "names" / "heldout_pairs_sample.csv"
    with path.open(encoding="utf-8") as handle:
        return [(row["arabic"], row["latin"]) for row in csv.DictReader(handle)]


def _scores(
    pairs: list[tuple[str, str]], key: Callable[[str], str | None]
) -> dict[str, float]:
    ar = [key(a) for a, _ in pairs]
    la = [key(b) for _, b in pairs]

    def sim(x: str | None, y: str | None) -> float:
        return JaroWinkler.similarity(x, y) if x and y else 0.0

    pos = np.array([sim(x, y) for x, y in zip(ar, la, strict=True)])
    order = np.random.default_rng(5).permutation(len(pairs))
    negatives = [
        (ar[i], la[j]) for i, j in enumerate(order) if pairs[i][0] != pairs[j][0]
    ]
    neg = np.array([sim(x, y) for x, y in negatives])
    return {
        "exact": float(
            np.mean([x is not None and x == y for x, y in zip(ar, la, strict=True)])
        ),
        "jw88": float(np.mean(pos >= 0.88)),
        "fmr_exact": float(np.mean([x is not None and x == y for x, y in negatives])),
        "fmr_jw88": float(np.mean(neg >= 0.88)),
    }


@pytest.mark.parametrize(
    ("key", "floor_exact", "floor_jw88", "ceil_fmr", "ceil_fmr88"),
    [
        (canonical_key, 0.36, 0.71, 0.002, 0.005),
        (consonant_key, 0.80, 0.85, 0.003, 0.008),
    ],
)
def test_names_heldout_recall_and_false_matches(
    data_dir: Path,
    key: Callable[[str], str | None],
    floor_exact: float,
    floor_jw88: float,
    ceil_fmr: float,
    ceil_fmr88: float,
) -> None:
    scores = _scores(_load(data_dir), key)
    assert scores["exact"] >= floor_exact, scores
    assert scores["jw88"] >= floor_jw88, scores
    assert scores["fmr_exact"] <= ceil_fmr, scores
    assert scores["fmr_jw88"] <= ceil_fmr88, scores


@pytest.mark.parametrize(
    ("key", "floor"), [(canonical_key, 0.70), (consonant_key, 0.84)]
)
def test_names_heldout_recall_on_arabic_names(
    data_dir: Path, key: Callable[[str], str | None], floor: float
) -> None:
    pairs = [p for p in _load(data_dir) if not _ARABIC_LETTERS.isdisjoint(p[0])]
    assert len(pairs) > 150
    assert _scores(pairs, key)["exact"] >= floor


def test_names_heldout_sample_is_what_source_md_says(data_dir: Path) -> None:
    pairs = _load(data_dir)
    assert len(pairs) == 2000
    assert len({a for a, _ in pairs}) > 1000
