"""Linkage settings: a serialisable creator, and the Splink model generated from it.

:class:`LinkageSettings` is dialect-free and round-trips to JSON (for audit: every run
stores the settings it used). :func:`splink_settings` turns it, together with the kinds
of evidence the lists actually hold, into a Splink ``SettingsCreator`` with:

- one comparison per name part present, on the cross-script canonical key: exact (with
  term-frequency adjustment: a common name agreeing says little), two Jaro-Winkler
  levels, else; plus a token-set comparison on the whole name that catches parts
  written in another order or put in another slot;
- date of death aware of precision: same day, within ``date_close_days``, consistent
  (a month-precision date and a day inside that month agree as far as they can),
  consistent only at year precision, within ``date_near_days``, one of year, month
  and day mistyped, different;
- age intervals: same, overlapping or within 1 year, within each tolerance, different;
- sex; place key (after the alias table), with term-frequency adjustment.

Dates are day numbers and ages integers, so every level is plain SQL arithmetic that
DuckDB and Spark read alike.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from undercount.errors import UserInputError

NAME_PARTS: tuple[str, ...] = ("given", "father", "grandfather", "family")
LARGE_INPUT = 200_000
"""From this many records on, the default pair floor rises (memory)."""


@dataclass(frozen=True)
class LinkageSettings:
    """How to link: every choice that changes the result, in one serialisable object.

    Parameters
    ----------
    threshold
        Match probability at or above which a pair is linked when clustering.
        0.5 by default: link when the same person is more likely than not. A
        higher threshold trades missed links for false ones, and missed links
        bias the estimate far more than false ones (each split person becomes
        one-list captures, read as evidence of many unseen victims): on the
        simulated Mosul lists 0.8 gave precision 0.977, recall 0.928 and an
        LCMCR estimate 27% above the one from the true links; 0.5 gave 0.957,
        0.949 and 10% above. Two records of one list are joined only when
        their own pair scores near the threshold (see ``cluster_pairs``), which
        keeps precision at the lower threshold.
    review_band
        ``(low, high)``: pairs scored in this band go to the review queue.
    name_similarity
        Jaro-Winkler thresholds of the two fuzzy name levels (high, low).
    date_close_days, date_near_days
        Day-precision dates this close are "close"; intervals this close are "near".
    age_tolerances
        Gaps between age intervals (years) that make the graded age levels.
    term_frequency
        Term-frequency adjustment on name keys and places.
    token_comparison
        Add the whole-name token-set comparison (catches parts in other slots; off
        by default: it double-counts the per-part agreement of relatives).
    extra_columns
        Other identifying columns to compare (exact / Jaro-Winkler) and block on,
        e.g. an identity-card number, a phone number, a postcode.
    same_list_comparison
        Add the "both records from one list" comparison (duplicates inside a list
        are rarer than one person on two lists).
    veto
        Comparisons whose "clearly different" level vetoes automatic linking:
        given names both known and clearly different (Jaro-Winkler below the low
        threshold on the canonical key, different consonant skeletons and, in
        Arabic script, more than one typing slip apart), sexes different, ages
        more than the largest tolerance apart (``family_name`` can be added).
        Such pairs are relatives killed together (siblings, parent and child)
        far more often than one person written twice, which the Fellegi-Sunter
        independence assumption cannot see: within a household the father,
        grandfather and family names, the date and the place all agree. Vetoed
        pairs are never linked by their own score (they may still join through a
        third record, see ``cluster_pairs``) and go to the review queue when they
        score above the review band. The family name is not vetoed by default:
        relatives share it, so a clearly different family name with everything
        else agreeing was a typing slip 14 times in 15 on the simulated Mosul
        lists.
    blocking_budget
        Most comparisons one blocking rule may generate; a rule that would generate
        more is tightened (by sex, then month of death, then place) until it fits.
    u_max_pairs
        Random pairs sampled to estimate u probabilities.
    em_max_iterations
        Cap on expectation-maximisation iterations per training session.
    prior_recall
        Assumed recall of the deterministic rules used to estimate the probability
        that two random records match.
    pair_floor
        Scored pairs below this match probability are not kept. ``None``: 0.01,
        or 0.1 from 200,000 records on (millions of weak namesake pairs would not
        fit in memory; weak vetoed pairs then stop acting as cannot-links).
    seed
        Seed of every random step (u sampling).
    place_aliases
        Path of a place alias table (CSV ``place,aliases``), or ``None`` for the
        packaged west Mosul table.
    capture_prior
        After clustering at the threshold, join people whose posterior under the
        capture model's partition prior reaches the threshold (see
        :mod:`undercount.link._joining`). The pairwise probability assumes a
        record could be anyone; once the other candidates are ruled out, a
        weakly matching record is far more likely its one remaining candidate
        than a person no other list saw. Off: plain thresholding, which leaves
        too many people "seen by one list only" and inflates the estimate.
    """

    threshold: float = 0.5
    review_band: tuple[float, float] = (0.5, 0.95)
    name_similarity: tuple[float, float] = (0.92, 0.8)
    date_close_days: int = 3
    date_near_days: int = 10
    age_tolerances: tuple[int, ...] = (2, 5)
    term_frequency: bool = True
    token_comparison: bool = False
    same_list_comparison: bool = True
    extra_columns: tuple[str, ...] = ()
    veto: tuple[str, ...] = ("given_name", "sex", "age")
    blocking_budget: float = 5e7
    u_max_pairs: float = 2e6
    em_max_iterations: int = 25
    prior_recall: float = 0.55
    pair_floor: float | None = None
    seed: int = 0
    place_aliases: str | None = None
    capture_prior: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        problems = []
        if not 0.0 < self.threshold < 1.0:
            problems.append(f"threshold must be in (0, 1), got {self.threshold!r}")
        low, high = self.review_band
        if not 0.0 <= low <= high <= 1.0:
            problems.append(
                f"review_band must be 0 <= low <= high <= 1, got {self.review_band!r}"
            )
        if not all(0.0 < s < 1.0 for s in self.name_similarity):
            problems.append(
                "name_similarity values must be in (0, 1), "
                f"got {self.name_similarity!r}"
            )
        if self.pair_floor is not None and not 0.0 <= self.pair_floor < self.threshold:
            problems.append(
                f"pair_floor must be in [0, threshold), got {self.pair_floor!r}"
            )
        if problems:
            raise UserInputError("linkage settings: " + "; ".join(problems))

    def effective_pair_floor(self, n_records: int) -> float:
        """The pair floor in force for ``n_records`` records (see ``pair_floor``)."""
        if self.pair_floor is not None:
            return self.pair_floor
        return 0.01 if n_records < LARGE_INPUT else 0.1

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict."""
        out = asdict(self)
        for key, value in out.items():
            if isinstance(value, tuple):
                out[key] = list(value)
        return out

    def to_json(self) -> str:
        """JSON text (stable key order) for audit and re-runs."""
        return json.dumps(self.to_dict(), indent=2, sort_keys=True)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LinkageSettings:
        """Build from a dict (e.g. a config file's ``linkage`` table); unknown keys are
        an error naming the known ones."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise UserInputError(
                f"linkage settings: unknown key(s) {unknown!r}; "
                f"known keys are {sorted(known)!r}"
            )
        values = dict(data)
        for key in (
            "review_band",
            "name_similarity",
            "age_tolerances",
            "veto",
            "extra_columns",
        ):
            if key in values:
                values[key] = tuple(values[key])
        try:
            return cls(**values)
        except TypeError as exc:
            raise UserInputError(f"linkage settings: {exc}") from None

    @classmethod
    def from_json(cls, text: str) -> LinkageSettings:
        """Inverse of :meth:`to_json`."""
        return cls.from_dict(json.loads(text))

    def replace(self, **changes: Any) -> LinkageSettings:
        """A copy with some values changed."""
        return LinkageSettings.from_dict({**self.to_dict(), **changes})


M_START: dict[str, tuple[float, ...]] = {
    "name": (0.8, 0.07, 0.05, 0.04, 0.02, 0.01, 0.01),
    "name_tokens": (0.55, 0.3, 0.1, 0.05),
    "date_of_death": (0.45, 0.05, 0.36, 0.04, 0.05, 0.03, 0.02),
    "age": (0.3, 0.3, 0.15, 0.15, 0.1),
    "exact": (0.95, 0.05),
}
"""Starting m probabilities (non-null levels, in order) for EM: a record of one person
written twice agrees on most fields. EM refines them; starting near the "same person"
class keeps EM from settling on another class (e.g. "same household", which agrees on
father, family, date and place as well)."""


def _with_m(levels: list[Any], start: tuple[float, ...]) -> list[Any]:
    """Attach starting m probabilities to the non-null levels (null level first)."""
    out = [levels[0]]
    for level, m in zip(levels[1:], start, strict=True):
        out.append(level.configure(m_probability=m))
    return out


def _one_slip_filter(column: str, *, short_ok: bool) -> str:
    """Cheap SQL tests every pair one edit apart passes, run before the edit distance.

    One edit (insert, delete, substitute, swap two neighbours) changes the length by
    at most one and, in a word of three letters or more, leaves the first or the last
    letter in place; only a swap in a two-letter word changes both (``short_ok``
    keeps words of two letters or fewer). Most disagreeing name pairs fail these
    tests, so the edit distance runs on few of the ~170 million compared pairs.
    """
    left, right = f"{column}_l", f"{column}_r"
    ends = f"left({left}, 1) = left({right}, 1) OR right({left}, 1) = right({right}, 1)"
    if short_ok:
        ends = f"length({left}) <= 2 OR {ends}"
    return f"abs(length({left}) - length({right})) <= 1 AND ({ends})"


def _name_comparison(part: str, settings: LinkageSettings) -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    key = f"{part}_key"
    high, low = settings.name_similarity
    return cl.CustomComparison(
        output_column_name=f"{part}_name",
        comparison_description=f"{part} name (cross-script canonical key)",
        comparison_levels=_with_m(
            [
                cll.NullLevel(key),
                cll.ExactMatchLevel(
                    key, term_frequency_adjustments=settings.term_frequency
                ),
                cll.JaroWinklerLevel(key, high),
                cll.JaroWinklerLevel(key, low),
                cll.ExactMatchLevel(f"{part}_cons").configure(
                    label_for_charts="same consonants (vowels spelled differently)"
                ),
                cll.CustomLevel(
                    f"{_one_slip_filter(f'{part}_ar', short_ok=True)} AND "
                    f"damerau_levenshtein({part}_ar_l, {part}_ar_r) <= 1",
                    "one slip apart in Arabic script",
                ),
                cll.CustomLevel(
                    f"length({key}_l) >= 3 AND length({key}_r) >= 3 AND "
                    f"{_one_slip_filter(key, short_ok=False)} AND "
                    f"damerau_levenshtein({key}_l, {key}_r) <= 1",
                    "keys one slip apart",
                ),
                cll.ElseLevel(),
            ],
            M_START["name"],
        ),
    )


def _surname_comparison(settings: LinkageSettings) -> Any:
    """The last name part against the family name, when a side has no family name.

    A two-part name (``Mohammed Hiyali``) is split as given + father when the family
    name lacks its article; this comparison catches it against the other record's
    family name. When both sides have a family name it says nothing (the family name
    comparison already did).
    """
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    high, _ = settings.name_similarity
    return cl.CustomComparison(
        output_column_name="surname",
        comparison_description="last name part vs family name (one side lacks it)",
        comparison_levels=_with_m(
            [
                cll.CustomLevel(
                    "surname_key_l IS NULL OR surname_key_r IS NULL OR "
                    "(family_key_l IS NOT NULL AND family_key_r IS NOT NULL)"
                ).configure(is_null_level=True, label_for_charts="not applicable"),
                cll.ExactMatchLevel("surname_key"),
                cll.JaroWinklerLevel("surname_key", high),
                cll.ElseLevel(),
            ],
            (0.5, 0.1, 0.4),
        ),
    )


def _tokens_comparison() -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    return cl.CustomComparison(
        output_column_name="name_tokens",
        comparison_description="whole name as a set of canonical tokens (any order)",
        comparison_levels=_with_m(
            [
                cll.NullLevel("name_tokens"),
                cll.ArraySubsetLevel("name_tokens").configure(
                    label_for_charts="every token of the shorter name in the longer"
                ),
                cll.ArrayIntersectLevel("name_tokens", 2),
                cll.ArrayIntersectLevel("name_tokens", 1),
                cll.ElseLevel(),
            ],
            M_START["name_tokens"],
        ),
    )


def _date_comparison(settings: LinkageSettings) -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    both_days = "dod_precision_l = 'day' AND dod_precision_r = 'day'"
    overlap = "dod_start_l <= dod_end_r AND dod_start_r <= dod_end_l"
    narrow = "dod_end_l - dod_start_l < 32 AND dod_end_r - dod_start_r < 32"
    gap = "greatest(dod_start_l - dod_end_r, dod_start_r - dod_end_l)"
    close = settings.date_close_days
    return cl.CustomComparison(
        output_column_name="date_of_death",
        comparison_description="date of death, aware of precision",
        comparison_levels=_with_m(
            [
                cll.CustomLevel("dod_start_l IS NULL OR dod_start_r IS NULL").configure(
                    is_null_level=True, label_for_charts="date unknown"
                ),
                cll.CustomLevel(
                    f"{both_days} AND dod_start_l = dod_start_r", "same day"
                ),
                cll.CustomLevel(
                    f"{both_days} AND abs(dod_start_l - dod_start_r) <= {close}",
                    f"within {settings.date_close_days} days",
                ),
                cll.CustomLevel(f"{overlap} AND {narrow}", "consistent (same month)"),
                cll.CustomLevel(overlap, "consistent (year only)"),
                cll.CustomLevel(
                    f"{gap} <= {settings.date_near_days}",
                    f"within {settings.date_near_days} days",
                ),
                cll.CustomLevel(
                    f"{both_days} AND ("
                    "(dod_year_l = dod_year_r AND dod_m_l = dod_m_r) OR "
                    "(dod_year_l = dod_year_r AND dod_d_l = dod_d_r) OR "
                    "(dod_m_l = dod_m_r AND dod_d_l = dod_d_r))",
                    "one of year, month, day differs (a typing slip)",
                ),
                cll.ElseLevel(),
            ],
            M_START["date_of_death"],
        ),
    )


def _age_comparison(settings: LinkageSettings) -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    gap = "greatest(age_low_l - age_high_r, age_low_r - age_high_l)"
    levels: list[Any] = [
        cll.CustomLevel("age_low_l IS NULL OR age_low_r IS NULL").configure(
            is_null_level=True, label_for_charts="age unknown"
        ),
        cll.CustomLevel(
            "age_low_l = age_low_r AND age_high_l = age_high_r", "same age"
        ),
        cll.CustomLevel(f"{gap} <= 1", "ages overlap or 1 year apart"),
    ]
    for tolerance in settings.age_tolerances:
        levels.append(
            cll.CustomLevel(
                f"{gap} <= {int(tolerance)}", f"within {int(tolerance)} years"
            )
        )
    levels.append(cll.ElseLevel())
    start = M_START["age"]
    if len(levels) - 1 != len(start):
        n_tol = len(settings.age_tolerances)
        start = (0.3, 0.3, *[0.3 / n_tol] * n_tol, 0.1)
    total = sum(start)
    return cl.CustomComparison(
        output_column_name="age",
        comparison_description="age intervals (from age or birth year)",
        comparison_levels=_with_m(levels, tuple(m / total for m in start)),
    )


def _extra_comparison(column: str) -> Any:
    """An extra identifier: equal, nearly equal (a typo), different."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    key = f"x_{column}"
    return cl.CustomComparison(
        output_column_name=key,
        comparison_description=f"{column} (extra identifier)",
        comparison_levels=_with_m(
            [
                cll.NullLevel(key),
                cll.ExactMatchLevel(key),
                cll.JaroWinklerLevel(key, 0.9),
                cll.ElseLevel(),
            ],
            (0.85, 0.1, 0.05),
        ),
    )


def _same_list_comparison() -> Any:
    """Whether both records come from one list.

    A list rarely enters one person twice, while two lists often share people: the
    share of true matches inside one list (m) is far below the share of random pairs
    inside one list (u), so a within-list pair needs more evidence than a cross-list
    one. This is Fellegi-Sunter's way of saying "duplicates are rare".
    """
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    return cl.CustomComparison(
        output_column_name="same_list",
        comparison_description="both records from the same list",
        comparison_levels=_with_m(
            [
                cll.CustomLevel("list_name_l IS NULL OR list_name_r IS NULL").configure(
                    is_null_level=True
                ),
                cll.CustomLevel("list_name_l = list_name_r", "same list"),
                cll.ElseLevel(),
            ],
            (0.05, 0.95),
        ),
    )


def _exact_comparison(column: str, description: str, tf: bool) -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    return cl.CustomComparison(
        output_column_name=column,
        comparison_description=description,
        comparison_levels=_with_m(
            [
                cll.NullLevel(column),
                cll.ExactMatchLevel(column, term_frequency_adjustments=tf),
                cll.ElseLevel(),
            ],
            M_START["exact"],
        ),
    )


def comparisons_for(present: Iterable[str], settings: LinkageSettings) -> list[Any]:
    """The comparisons for the kinds of evidence ``present`` (see module docstring)."""
    present = set(present)
    comparisons = [_name_comparison(p, settings) for p in NAME_PARTS if p in present]
    if not comparisons:
        raise UserInputError(
            "no name part has any value in any list; linkage needs names "
            "(name, or given_name/father_name/grandfather_name/family_name)"
        )
    if settings.token_comparison:
        comparisons.append(_tokens_comparison())
    if "family" in present and len(comparisons) > 1:
        comparisons.append(_surname_comparison(settings))
    if "date" in present:
        comparisons.append(_date_comparison(settings))
    if "age" in present:
        comparisons.append(_age_comparison(settings))
    if settings.same_list_comparison:
        comparisons.append(_same_list_comparison())
    for column in settings.extra_columns:
        if f"x_{column}" in present:
            comparisons.append(_extra_comparison(column))
    if "sex" in present:
        comparisons.append(_exact_comparison("sex", "sex", False))
    if "place" in present:
        comparisons.append(
            _exact_comparison(
                "place_key", "place of death (alias table)", settings.term_frequency
            )
        )
    return comparisons


def splink_settings(
    present: Iterable[str],
    settings: LinkageSettings,
    blocking_rules: list[Any],
) -> Any:
    """A Splink ``SettingsCreator`` (link_and_dedupe) for these lists."""
    from splink import SettingsCreator

    return SettingsCreator(
        link_type="link_and_dedupe",
        unique_id_column_name="unique_id",
        source_dataset_column_name="source_dataset",
        comparisons=comparisons_for(present, settings),
        blocking_rules_to_generate_predictions=blocking_rules,
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=True,  # needed for the gamma_* levels
        max_iterations=settings.em_max_iterations,
    )


def read_settings_file(path: str | Path) -> dict[str, Any]:
    """Read a JSON or TOML config file into a dict (one-line error if unreadable)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UserInputError(
            f"config {str(path)!r} cannot be read: {exc.strerror}"
        ) from None
    try:
        if path.suffix.lower() == ".toml":
            import tomllib

            return tomllib.loads(text)
        data = json.loads(text)
    except ValueError as exc:
        kind = "TOML" if path.suffix.lower() == ".toml" else "JSON"
        raise UserInputError(
            f"config {str(path)!r} is not valid {kind}: {exc}"
        ) from None
    if not isinstance(data, dict):
        raise UserInputError(
            f"config {str(path)!r} must hold an object at the top level"
        )
    return data
