"""Counting helpers shared by stages that pick one value per group."""

from __future__ import annotations

import pandas as pd


def commonest_per_key(keys: pd.Series, values: pd.Series) -> pd.Series:
    """Per key, the value found most often with it; ties go to the first value in
    sort order (compared as text), so the choice never depends on row order.
    Rows with a missing key or value are left out; the result is indexed by key."""
    frame = pd.DataFrame({"key": keys.to_numpy(), "value": values.to_numpy()})
    frame = frame.dropna()
    if frame.empty:
        return pd.Series(dtype=object)
    counts = frame.value_counts().rename("n").reset_index()
    counts["order"] = counts["value"].astype(str)
    counts = counts.sort_values(["key", "n", "order"], ascending=[True, False, True])
    return counts.drop_duplicates("key").set_index("key")["value"]
