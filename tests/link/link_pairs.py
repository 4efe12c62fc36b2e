"""Scored pairs written by hand, for the clustering and joining tests."""

from __future__ import annotations

import math

import pandas as pd


def scored_pairs(
    rows: list[tuple[str, str, str, str, float]], vetoed: list[bool] | None = None
) -> pd.DataFrame:
    """Pairs ``(source_l, record_id_l, source_r, record_id_r, probability)`` with
    the match weight of each probability (and ``vetoed`` when given)."""
    frame = pd.DataFrame(
        rows,
        columns=[
            "source_l",
            "record_id_l",
            "source_r",
            "record_id_r",
            "match_probability",
        ],
    )
    frame["match_weight"] = [math.log2(p / (1 - p)) for p in frame["match_probability"]]
    if vetoed is not None:
        frame["vetoed"] = vetoed
    return frame
