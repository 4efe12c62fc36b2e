"""The capture-history table: the hinge between linkage and estimation.

One row per observed pattern of lists (which lists recorded a person), with the number
of distinct people showing exactly that pattern, optionally split by strata (period,
district, sex...). The all-zero pattern is never stored: it is what estimators infer.

Pattern index convention (used by every estimator): with ``J`` lists, the pattern
``(x_1, ..., x_J)`` has index ``sum(x_j * 2**(J - j))`` for ``j = 1..J``: the first list
is the most significant bit, as in the capture files of the reference R packages.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from undercount.errors import DataQualityWarning, UserInputError

COUNT_COLUMN_NAMES: tuple[str, ...] = ("count", "Count", "freq", "Freq")
"""Column names accepted for the pattern counts, as R packages write them."""

StratumKey = tuple[Any, ...]


def _readonly(array: npt.NDArray[Any]) -> npt.NDArray[Any]:
    array.setflags(write=False)
    return array


@dataclass(frozen=True, eq=False)
class CaptureTable:
    """Counts of distinct people per pattern of lists (and per stratum).

    Build one with :meth:`from_frame`, :meth:`read_csv`, :meth:`from_records` or
    :meth:`from_memberships` rather than the constructor: those validate the input.

    Attributes
    ----------
    lists
        Names of the lists (the 0/1 columns), in column order.
    patterns
        ``(n_rows, n_lists)`` read-only array of 0/1 (uint8). No all-zero row.
    counts
        ``(n_rows,)`` read-only array of non-negative integer counts (int64).
    strata
        Names of the stratum columns (empty when unstratified).
    stratum_values
        ``(n_rows, n_strata)`` read-only object array of each row's stratum values.
    """

    lists: tuple[str, ...]
    patterns: npt.NDArray[np.uint8]
    counts: npt.NDArray[np.int64]
    strata: tuple[str, ...] = ()
    stratum_values: npt.NDArray[np.object_] = field(
        default_factory=lambda: np.empty((0, 0), dtype=object)
    )

    # ------------------------------------------------------------------ builders
    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        *,
        strata: Sequence[str] = (),
        count_column: str | None = None,
        origin: str = "capture table",
    ) -> CaptureTable:
        """Validate a frame of 0/1 list columns, a count column and strata columns.

        Every column that is neither the count column nor a stratum is a list.
        Duplicate patterns (within a stratum) are summed with a
        :class:`~undercount.errors.DataQualityWarning`; zero-count rows are dropped.

        Raises
        ------
        UserInputError
            Naming ``origin``, the row and the column: values other than 0/1,
            negative or fractional counts, an all-zero pattern, fewer than 2 lists,
            missing count or strata columns.
        """
        columns = [str(c) for c in frame.columns]
        repeated = sorted({c for c in columns if columns.count(c) > 1})
        if repeated:
            raise UserInputError(
                f"{origin}: column name(s) {repeated!r} appear more than once; give "
                "every list its own name"
            )
        frame = frame.set_axis(columns, axis=1)
        count_name = _find_count_column(columns, count_column, origin)
        missing = [s for s in strata if s not in columns]
        if missing:
            raise UserInputError(
                f"{origin}: strata column(s) {missing!r} not found; "
                f"columns are {columns!r}"
            )
        list_names = [c for c in columns if c != count_name and c not in strata]
        if len(list_names) < 2:
            raise UserInputError(
                f"{origin}: a capture table needs at least 2 list columns, "
                f"found {list_names!r}; every column other than {count_name!r} "
                "and the strata is read as a list"
            )
        patterns = _validated_patterns(frame, list_names, origin)
        counts = _validated_counts(frame[count_name], count_name, origin)
        all_zero = np.flatnonzero((patterns.sum(axis=1) == 0) & (counts > 0))
        if all_zero.size:
            row = int(all_zero[0]) + 2
            raise UserInputError(
                f"{origin}: row {row}: the all-zero pattern cannot be observed "
                f"(nobody is on no list), got count {int(counts[all_zero[0]])}; "
                f"remove that row{_more(all_zero)}"
            )
        if len(frame) and counts.sum() == 0:
            raise UserInputError(
                f"{origin}: every count is 0, so the table records nobody; a capture "
                "table needs at least one person"
            )
        stratum_values = frame[list(strata)].to_numpy(dtype=object)
        return _merge_and_build(
            tuple(list_names), patterns, counts, tuple(strata), stratum_values, origin
        )

    @classmethod
    def read_csv(
        cls,
        path: str | Path,
        *,
        strata: Sequence[str] = (),
        count_column: str | None = None,
    ) -> CaptureTable:
        """Read a capture file: 0/1 list columns and ``count`` (or Count/freq/Freq)."""
        path = Path(path)
        _check_header(path)
        try:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        except FileNotFoundError:
            raise UserInputError(f"{path}: file not found") from None
        except (
            pd.errors.ParserError,
            pd.errors.EmptyDataError,
            UnicodeDecodeError,
        ) as e:
            raise UserInputError(f"{path}: cannot read as CSV: {e}") from None
        if frame.empty:
            raise UserInputError(
                f"{path}: no rows: a capture file needs a header and rows"
            )
        return cls.from_frame(
            frame, strata=strata, count_column=count_column, origin=str(path)
        )

    @classmethod
    def from_records(
        cls,
        frame: pd.DataFrame,
        lists: Sequence[str],
        *,
        strata: Sequence[str] = (),
        origin: str = "records",
    ) -> CaptureTable:
        """Aggregate one row per person (0/1 per list) into pattern counts."""
        missing = [c for c in [*lists, *strata] if c not in frame.columns]
        if missing:
            raise UserInputError(
                f"{origin}: column(s) {missing!r} not found; "
                f"columns are {list(map(str, frame.columns))!r}"
            )
        patterns = _validated_patterns(frame, list(lists), origin)
        memberships = pd.DataFrame(patterns.astype(np.int64), columns=list(lists))
        for name in strata:
            memberships[name] = frame[name].to_numpy()
        counted = memberships.value_counts(dropna=False).rename("count").reset_index()
        return cls.from_frame(
            counted, strata=strata, count_column="count", origin=origin
        )

    @classmethod
    def from_memberships(
        cls,
        memberships: pd.DataFrame,
        *,
        lists: Sequence[str] | None = None,
        person_column: str = "cluster_id",
        list_column: str = "source",
        strata: pd.DataFrame | None = None,
        origin: str = "clusters",
    ) -> CaptureTable:
        """Build a table from (person, list) memberships, e.g. linkage clusters.

        ``memberships`` has one row per record with the person (cluster) id and the
        list it came from; several records of one person on one list count once.
        ``strata``, when given, is indexed by person id and holds stratum columns.
        ``lists`` fixes the list order (and keeps lists that matched nobody).
        """
        for column in (person_column, list_column):
            if column not in memberships.columns:
                raise UserInputError(f"{origin}: column {column!r} not found")
        names = (
            list(lists)
            if lists is not None
            else sorted(memberships[list_column].astype(str).unique())
        )
        unknown = sorted(set(memberships[list_column].astype(str)) - set(names))
        if unknown:
            raise UserInputError(
                f"{origin}: records from list(s) {unknown!r} not in lists {names!r}"
            )
        wide = (
            pd.crosstab(
                memberships[person_column], memberships[list_column].astype(str)
            )
            .reindex(columns=names, fill_value=0)
            .clip(upper=1)
        )
        strata_names: list[str] = []
        if strata is not None:
            strata_names = [str(c) for c in strata.columns]
            wide = wide.join(strata.reindex(wide.index))
        return cls.from_records(
            wide.reset_index(drop=True), names, strata=strata_names, origin=origin
        )

    # ---------------------------------------------------------------- properties
    @property
    def n_lists(self) -> int:
        """Number of lists ``J``."""
        return len(self.lists)

    @property
    def n_observed(self) -> int:
        """Number of distinct people recorded by at least one list (all strata)."""
        return int(self.counts.sum())

    @property
    def is_stratified(self) -> bool:
        """Whether the table carries stratum columns."""
        return bool(self.strata)

    @property
    def pattern_index(self) -> npt.NDArray[np.int64]:
        """Index of each row's pattern (first list = most significant bit)."""
        weights = 2 ** np.arange(self.n_lists - 1, -1, -1, dtype=np.int64)
        return np.asarray(self.patterns.astype(np.int64) @ weights, dtype=np.int64)

    def full_counts(self) -> npt.NDArray[np.int64]:
        """Counts for all ``2**J`` patterns by pattern index (index 0 = unobserved = 0).

        Strata are summed. Patterns nobody showed get 0.
        """
        full = np.zeros(2**self.n_lists, dtype=np.int64)
        np.add.at(full, self.pattern_index, self.counts)
        return full

    def list_totals(self) -> dict[str, int]:
        """Number of people each list recorded."""
        totals = self.counts @ self.patterns.astype(np.int64)
        return {name: int(t) for name, t in zip(self.lists, totals, strict=True)}

    def pairwise_overlaps(self) -> dict[tuple[str, str], int]:
        """Number of people recorded by both lists, for every pair of lists."""
        p = self.patterns.astype(np.int64)
        both = (p * self.counts[:, None]).T @ p
        return {
            (a, b): int(both[i, j])
            for i, a in enumerate(self.lists)
            for j, b in enumerate(self.lists)
            if i < j
        }

    # ---------------------------------------------------------------- transforms
    def collapse_strata(self) -> CaptureTable:
        """The same table with strata summed away."""
        if not self.strata:
            return self
        return _merge_and_build(
            self.lists,
            self.patterns.copy(),
            self.counts.copy(),
            (),
            np.empty((len(self.counts), 0), dtype=object),
            "capture table",
            warn=False,
        )

    def by_stratum(self) -> Iterator[tuple[StratumKey, CaptureTable]]:
        """Yield ``(stratum values, unstratified table)`` for each stratum, in order."""
        if not self.strata:
            yield (), self
            return
        keys = [tuple(row) for row in self.stratum_values]
        order: dict[StratumKey, list[int]] = {}
        for i, key in enumerate(keys):
            order.setdefault(key, []).append(i)
        for key in sorted(order, key=lambda k: tuple(map(str, k))):
            rows = np.asarray(order[key], dtype=np.int64)
            yield (
                key,
                CaptureTable(
                    lists=self.lists,
                    patterns=_readonly(self.patterns[rows].copy()),
                    counts=_readonly(self.counts[rows].copy()),
                    strata=(),
                    stratum_values=_readonly(np.empty((rows.size, 0), dtype=object)),
                ),
            )

    def select_lists(self, lists: Sequence[str]) -> CaptureTable:
        """Marginal table over some lists (people seen only on others drop out)."""
        unknown = [name for name in lists if name not in self.lists]
        if unknown:
            raise UserInputError(
                f"unknown list(s) {unknown!r}; lists are {self.lists!r}"
            )
        columns = [self.lists.index(name) for name in lists]
        patterns = self.patterns[:, columns]
        keep = patterns.sum(axis=1) > 0
        return _merge_and_build(
            tuple(lists),
            patterns[keep].copy(),
            self.counts[keep].copy(),
            self.strata,
            self.stratum_values[keep].copy(),
            "capture table",
            warn=False,
        )

    def to_frame(self) -> pd.DataFrame:
        """One row per (stratum, pattern): list columns, strata columns, ``count``."""
        frame = pd.DataFrame(self.patterns.astype(np.int64), columns=list(self.lists))
        for k, name in enumerate(self.strata):
            frame[name] = self.stratum_values[:, k]
        frame["count"] = self.counts
        return frame

    def to_csv(self, path: str | Path) -> None:
        """Write the table in the capture-file format :meth:`read_csv` reads."""
        self.to_frame().to_csv(path, index=False)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CaptureTable):
            return NotImplemented
        return bool(
            self.lists == other.lists
            and self.strata == other.strata
            and self.to_frame().equals(other.to_frame())
        )

    def __hash__(self) -> int:
        return hash((self.lists, self.strata, self.counts.tobytes()))

    def __repr__(self) -> str:
        strata = f", strata={list(self.strata)}" if self.strata else ""
        return (
            f"CaptureTable(lists={list(self.lists)}, patterns={len(self.counts)}, "
            f"observed={self.n_observed}{strata})"
        )


# ---------------------------------------------------------------------- helpers
def _more(rows: npt.NDArray[np.int64]) -> str:
    """Suffix naming the other offending rows (file line numbers), up to five."""
    if rows.size <= 1:
        return ""
    shown = ", ".join(str(int(r) + 2) for r in rows[1:6])
    extra = f" and {rows.size - 6} more" if rows.size > 6 else ""
    return f" (also rows {shown}{extra})"


def _check_header(path: Path) -> None:
    """Refuse repeated column names before pandas silently renames them."""
    import csv

    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            header = next(csv.reader(handle), [])
    except FileNotFoundError:
        raise UserInputError(f"{path}: file not found") from None
    except (UnicodeDecodeError, csv.Error):
        return  # reported by the CSV reader with its own message
    names = [name.strip() for name in header]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise UserInputError(
            f"{path}: row 1: column name(s) {repeated!r} appear more than once; give "
            "every list its own name"
        )


def _find_count_column(columns: list[str], requested: str | None, origin: str) -> str:
    if requested is not None:
        if requested not in columns:
            raise UserInputError(
                f"{origin}: count column {requested!r} not found; "
                f"columns are {columns!r}"
            )
        return requested
    found = [c for c in COUNT_COLUMN_NAMES if c in columns]
    if not found:
        raise UserInputError(
            f"{origin}: no count column: expected one of {list(COUNT_COLUMN_NAMES)!r}, "
            f"columns are {columns!r}"
        )
    if len(found) > 1:
        raise UserInputError(
            f"{origin}: several count columns {found!r}; keep one or pass count_column"
        )
    return found[0]


def _validated_patterns(
    frame: pd.DataFrame, list_names: list[str], origin: str
) -> npt.NDArray[np.uint8]:
    patterns = np.zeros((len(frame), len(list_names)), dtype=np.uint8)
    for j, name in enumerate(list_names):
        text = frame[name].astype(str).str.strip()
        ok = text.isin(["0", "1", "0.0", "1.0"])
        if not ok.all():
            bad = np.flatnonzero(~ok.to_numpy())
            row = int(bad[0])
            hint = (
                " (this looks like a row-number column written by R or pandas; "
                "remove it)"
                if name.startswith("Unnamed") or name == ""
                else ""
            )
            raise UserInputError(
                f"{origin}: row {row + 2}, column {name!r}: list membership must be "
                f"0 or 1, got {frame[name].iloc[row]!r}{_more(bad)}{hint}"
            )
        patterns[:, j] = text.isin(["1", "1.0"]).to_numpy()
    return patterns


def _validated_counts(
    column: pd.Series[Any], name: str, origin: str
) -> npt.NDArray[np.int64]:
    values = pd.to_numeric(column.astype(str).str.strip(), errors="coerce")
    array = values.to_numpy(dtype=float)
    bad = ~np.isfinite(array) | (array < 0) | (array != np.round(array))
    if bad.any():
        rows = np.flatnonzero(bad)
        row = int(rows[0])
        raise UserInputError(
            f"{origin}: row {row + 2}, column {name!r}: a count must be a "
            f"non-negative whole number, got {column.iloc[row]!r}{_more(rows)}"
        )
    return array.astype(np.int64)


def _merge_and_build(
    lists: tuple[str, ...],
    patterns: npt.NDArray[np.uint8],
    counts: npt.NDArray[np.int64],
    strata: tuple[str, ...],
    stratum_values: npt.NDArray[np.object_],
    origin: str,
    *,
    warn: bool = True,
) -> CaptureTable:
    """Sum duplicate (stratum, pattern) rows, drop zero counts, sort, freeze."""
    keys = pd.DataFrame(patterns.astype(np.int64), columns=list(lists))
    for k, name in enumerate(strata):
        keys[name] = stratum_values[:, k]
    keys["__count"] = counts
    group_cols = [*strata, *lists]
    grouped = keys.groupby(group_cols, sort=False, dropna=False)["__count"]
    sizes = grouped.size()
    if warn and (sizes > 1).any():
        n_dup = int((sizes > 1).sum())
        warnings.warn(
            f"{origin}: {n_dup} pattern(s) appear on several rows; their counts "
            "were summed",
            DataQualityWarning,
            stacklevel=3,
        )
    merged = grouped.sum().reset_index()
    merged = merged[merged["__count"] > 0]
    weights = 2 ** np.arange(len(lists) - 1, -1, -1, dtype=np.int64)
    merged["__index"] = merged[list(lists)].to_numpy(dtype=np.int64) @ weights
    merged = merged.sort_values(
        [*strata, "__index"], key=lambda s: s.astype(str) if s.name in strata else s
    )
    return CaptureTable(
        lists=lists,
        patterns=_readonly(merged[list(lists)].to_numpy(dtype=np.uint8)),
        counts=_readonly(merged["__count"].to_numpy(dtype=np.int64)),
        strata=strata,
        stratum_values=_readonly(merged[list(strata)].to_numpy(dtype=object)),
    )
