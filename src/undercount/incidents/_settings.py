"""Incident settings: the ``[incidents]`` table of ``undercount.toml``.

:class:`IncidentsConfig` is the one model of that table, read alike by
``undercount run`` (the pipeline), ``undercount gap`` and ``undercount incidents
...``, so that one project file is valid for every command::

    [incidents]
    files = { airwars = "incidents/airwars.csv" }    # imported by `undercount run`
    acknowledgments = ["incidents/acknowledgments.csv"]

    [incidents.sources.airwars]        # reading options of a generic table
    columns = { "Civilians killed" = "killed" }

    [incidents.matching]               # MatchSettings
    threshold = 3.5

    [incidents.grading]                # GradingRules
    not_credible_sources = ["party-media"]

Matching settings (windows, radii, points per piece of evidence, threshold) are
serialisable so that a match run can be repeated and audited. The defaults are
round numbers chosen for urban conflict reporting such as Mosul 2016-17 (several
strikes a day in one city, neighbourhoods 1-3 km across); ``docs/incidents.md``
explains each.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from undercount.errors import UserInputError
from undercount.incidents._generic import IncidentSourceConfig
from undercount.incidents._grading import GradingRules
from undercount.model import LocationPrecision

__all__ = ["IncidentsConfig", "MatchSettings", "MatchWeights"]


class MatchWeights(BaseModel):
    """Points added (or removed) by each piece of evidence about a pair.

    A pair is merged when the sum reaches :attr:`MatchSettings.threshold`.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    same_day: float = 2.0
    """Both reports give the same single day."""
    date_overlap: float = 1.0
    """The date windows share a day and neither is longer than a week (a day
    within a reported week)."""
    date_overlap_month: float = 0.5
    """The windows share a day and the longer is a month at most (17 March
    within "March 2017"): weaker evidence, a month holds many events."""
    date_overlap_long: float = 0.0
    """The windows share a day and one is longer than a month (a year-precision
    date): no evidence either way."""
    date_adjacent: float = 0.5
    """Windows one day apart (night-time events, time zones, late reports)."""
    date_apart: float = -1.0
    """Windows two or more days apart (still within the date window)."""
    coords_close: float = 2.0
    """Exact coordinates within :attr:`MatchSettings.close_km` of each other."""
    coords_near: float = 0.5
    """Two exact points within the sum of their radii (a building or street
    apart), added to ``coords_within``; ``coords_close`` replaces it."""
    coords_within: float = 1.0
    """Points within the distance their precisions allow (city scale or finer)."""
    coords_apart: float = -1.5
    """Two exact points further apart than their radii (different buildings or
    streets, within the candidate slack)."""
    location_unknown: float = -1.0
    """One report gives neither a point nor a place the gazetteer knows: the pair
    rests on date, figures and means alone, which many events share in a busy
    area, so it needs more of them."""
    same_place: float = 2.0
    """Same gazetteer place after alias normalisation."""
    place_conflict: float = -2.5
    """Two different named neighbourhoods."""
    casualties_overlap: float = 2.0
    """Death ranges overlap (and involve more than ``small_count`` deaths)."""
    casualties_overlap_small: float = 1.0
    """Death ranges overlap at small counts (1-4 deaths are common: weaker
    evidence that two reports describe one event)."""
    casualties_equal: float = 0.5
    """Added when both reports give one and the same figure (two or more
    deaths): identical counts are stronger evidence than overlapping ranges."""
    casualties_close: float = 0.5
    """Disjoint ranges within a factor 2."""
    casualties_apart: float = -1.0
    """Disjoint ranges within a factor 4."""
    casualties_far: float = -2.5
    """Disjoint ranges more than a factor 4 apart."""
    weapon_same: float = 1.0
    """A weapon category in common."""
    weapon_differ: float = -1.5
    """Known weapons with no category, nor kind, in common (an airstrike and a
    shooting)."""
    weapon_related: float = 0.0
    """Known weapons of different categories but one kind (an airstrike and
    artillery; a car bomb and an IED: sources confuse them)."""
    belligerent_same: float = 0.5
    """An alleged belligerent in common."""
    belligerent_differ: float = -0.5
    """Named belligerents with none in common (kept small: competing attributions
    of one event are exactly what the *contested* grade is for)."""
    text_similar: float = 1.0
    """Descriptions similar (token-set ratio >= ``text_similar_at``)."""
    text_related: float = 0.5
    """Descriptions related (token-set ratio >= ``text_related_at``)."""


def _radii() -> dict[LocationPrecision, float | None]:
    return {
        "exact": 1.0,
        "near": 10.0,
        "district": 50.0,
        "governorate": 200.0,
        "country": None,
    }


class MatchSettings(BaseModel):
    """How incident reports are compared and merged into clusters.

    Attributes
    ----------
    date_window_days
        Reports whose date windows are more than this many days apart are never
        candidates. A date's own precision widens its window first (a
        month-precision date covers the month).
    radius_km
        Uncertainty radius per location precision (``None``: unbounded); two
        points are candidates when closer than the sum of their radii plus
        ``distance_slack_km``, or when they name the same place.
    threshold
        Minimum total points for a merge.
    one_record_per_source
        A source reports each event once: two reports of one source are never
        merged automatically (a reviewer's must-link can still merge them).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    date_window_days: int = Field(3, ge=0, le=60)
    radius_km: dict[LocationPrecision, float | None] = Field(default_factory=_radii)
    distance_slack_km: float = Field(2.0, ge=0)
    close_km: float = Field(0.5, ge=0)
    small_count: int = Field(5, ge=0)
    """Overlapping death ranges below this many deaths score
    ``casualties_overlap_small``."""
    threshold: float = 3.5
    one_record_per_source: bool = True
    ambiguity_margin: float | None = Field(0.5, ge=0)
    """A report whose two best partners of one other source both reach the
    threshold within this many points is ambiguous (which event does it
    describe?): neither link is made automatically (see ``MatchResult.blocked``).
    ``None`` turns the guard off."""
    min_member_score: float | None = 1.0
    """When two groups merge, every pair of their members must be a candidate
    pair scoring at least this much (a chain A-B-C must not join A and C when
    they contradict each other). ``None`` turns the guard off."""
    text_similar_at: float = Field(70.0, ge=0, le=100)
    text_related_at: float = Field(50.0, ge=0, le=100)
    weights: MatchWeights = Field(default_factory=MatchWeights)
    belligerent_aliases: dict[str, str] = Field(default_factory=dict)
    """Extra ``alias = family`` entries for belligerent names."""
    weapon_aliases: dict[str, str] = Field(default_factory=dict)
    """Extra ``alias = category`` entries for weapons."""

    def radius(self, precision: LocationPrecision | None) -> float:
        """Radius in km for a precision (``inf`` when unknown or unbounded)."""
        if precision is None:
            return float("inf")
        value = self.radius_km.get(precision)
        return float("inf") if value is None else float(value)


class IncidentsConfig(BaseModel):
    """The ``[incidents]`` table of ``undercount.toml`` (one schema for every command).

    Attributes
    ----------
    files
        Source name -> incident file (relative to the project directory).
        ``undercount run`` and ``undercount gap`` import each into the project store
        first (once per file content: a file whose SHA-256 was already imported is
        not imported again), so that they meet the reports imported with
        ``undercount incidents import``.
    acknowledgments
        Acknowledgment tables (relative to the project directory), imported the
        same way (each as its own acknowledgment set, named by its path).
    sources
        Reading options of generic incident tables, per source.
    matching
        How reports are matched across sources.
    grading
        How matched incidents are graded.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    files: dict[str, str] = Field(default_factory=dict)
    acknowledgments: tuple[str, ...] = ()
    sources: dict[str, IncidentSourceConfig] = Field(default_factory=dict)
    matching: MatchSettings = Field(default_factory=MatchSettings)
    grading: GradingRules = Field(default_factory=GradingRules)

    @classmethod
    def from_project_extra(
        cls, extra: dict[str, Any] | None, where: str
    ) -> IncidentsConfig:
        """Validate the ``incidents`` table kept aside by the project config.

        Raises
        ------
        UserInputError
            Naming the file, the key, the rule and the value.
        """
        data = (extra or {}).get("incidents", {})
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise UserInputError(config_error(where, exc)) from None


def config_error(where: str, exc: ValidationError) -> str:
    """One line for the first problem of an ``[incidents]`` table."""
    first = exc.errors()[0]
    loc = ".".join(str(x) for x in first["loc"])
    message = str(first["msg"]).removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        message = (
            "unknown key; [incidents] takes files, acknowledgments, sources, "
            "matching and grading (see docs/incidents.md)"
        )
    got = first.get("input")
    return f"{where}: invalid value at incidents.{loc}: {message} (got {got!r})"
