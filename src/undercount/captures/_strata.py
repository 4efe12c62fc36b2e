"""Clusters -> capture histories with strata (month, place, sex, age group).

A person's stratum value is the one most of their records give (ties: the smallest
value, so the result is deterministic); a person no record describes on that field
gets ``unknown``. Strata let estimators model heterogeneity that is tied to time,
place, sex or age, and let results be reported by period and district.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from undercount.errors import UserInputError
from undercount.link import Clusters, LinkageResult
from undercount.model._tallies import commonest_per_key
from undercount.model.capture_table import CaptureTable

UNKNOWN = "unknown"
STRATA: tuple[str, ...] = ("month", "place", "sex", "age_group")
"""Strata that :func:`person_strata` can derive."""
AGE_GROUPS: tuple[tuple[int, int, str], ...] = (
    (0, 17, "0-17"),
    (18, 39, "18-39"),
    (40, 59, "40-59"),
    (60, 200, "60+"),
)
"""Age groups (inclusive bounds) used for the ``age_group`` stratum."""


def _mode_per_cluster(cluster_id: pd.Series, values: pd.Series) -> pd.Series:
    return commonest_per_key(cluster_id, values).astype(str)


def _age_group(age: float) -> str:
    for low, high, label in AGE_GROUPS:
        if low <= age <= high:
            return label
    return UNKNOWN


def person_strata(
    members: pd.DataFrame, records: pd.DataFrame, strata: Sequence[str] = STRATA
) -> pd.DataFrame:
    """Stratum values per person (cluster), indexed by ``cluster_id``.

    Parameters
    ----------
    members
        ``source``, ``record_id``, ``cluster_id`` (see
        :class:`~undercount.link.Clusters`).
    records
        The linkage table (``source_dataset``, ``unique_id``, ``dod_month``,
        ``place_key``, ``sex``, ``age_low``, ``age_high``).
    strata
        Any of :data:`STRATA`.
    """
    unknown = sorted(set(strata) - set(STRATA))
    if unknown:
        raise UserInputError(
            f"unknown strata {unknown!r}; choose from {list(STRATA)!r}"
        )
    joined = members.merge(
        records.rename(columns={"source_dataset": "source", "unique_id": "record_id"}),
        on=["source", "record_id"],
        how="left",
    )
    ids = pd.Index(sorted(members["cluster_id"].unique()), name="cluster_id")
    out = pd.DataFrame(index=ids)
    cid = joined["cluster_id"]
    if "month" in strata:
        out["month"] = _mode_per_cluster(cid, joined["dod_month"])
    if "place" in strata:
        out["place"] = _mode_per_cluster(cid, joined["place_key"])
    if "sex" in strata:
        out["sex"] = _mode_per_cluster(cid, joined["sex"])
    if "age_group" in strata:
        low = pd.to_numeric(joined["age_low"], errors="coerce").astype(float)
        high = pd.to_numeric(joined["age_high"], errors="coerce").astype(float)
        mid = (low + high) / 2
        median = mid.groupby(cid).median()
        out["age_group"] = median.map(
            lambda a: UNKNOWN if np.isnan(a) else _age_group(a)
        )
    return out[list(strata)].fillna(UNKNOWN).astype(str)


def capture_table(
    clusters: Clusters | pd.DataFrame,
    lists: Sequence[str],
    *,
    records: pd.DataFrame | None = None,
    strata: Sequence[str] = (),
) -> CaptureTable:
    """The capture table of linked lists: distinct people per pattern of lists.

    Parameters
    ----------
    clusters
        Clusters (or their ``members`` frame).
    lists
        List names in column order (lists that matched nobody are kept).
    records
        The linkage table; needed for strata.
    strata
        Stratum columns to add (any of :data:`STRATA`).
    """
    members = clusters.members if isinstance(clusters, Clusters) else clusters
    strata_frame = None
    if strata:
        if records is None:
            raise UserInputError("strata need the linkage table (records=...)")
        strata_frame = person_strata(members, records, strata)
    return CaptureTable.from_memberships(
        members,
        lists=list(lists),
        person_column="cluster_id",
        list_column="source",
        strata=strata_frame,
        origin="linkage clusters",
    )


def captures_from_linkage(
    result: LinkageResult,
    *,
    strata: Sequence[str] = (),
    clusters: Clusters | None = None,
) -> CaptureTable:
    """The capture table of a linkage run (or of ``clusters`` re-made from it)."""
    return capture_table(
        clusters or result.clusters, result.lists, records=result.records, strata=strata
    )
