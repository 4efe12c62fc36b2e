"""The pipeline's part of ``undercount.toml``: ``[linkage]``, ``[estimate]``,
``[report]`` and ``[[acknowledgments]]``.

:mod:`undercount.project` validates ``[project]`` and ``[sources.*]`` and keeps the
other tables as they are; this module validates the tables the pipeline reads, with
the same rule: a typo or an impossible value is a one-line
:class:`~undercount.errors.UserInputError` naming the key, the value and the fix.

Example::

    [linkage]                 # undercount.link.LinkageSettings keys
    threshold = 0.9
    decisions = "review/decisions.json"   # reviewer decisions (optional)

    [estimate]
    methods = ["lcmcr", "loglinear", "chao"]   # shown side by side
    headline = "lcmcr"        # the method the headline quotes
    level = 0.95
    seed = 2017
    strata = ["month"]        # also estimate per stratum and add up
    [estimate.options.lcmcr]  # constructor options per method
    burnin = 10000
    [estimate.strata_options.lcmcr]  # per-stratum fits (over options)
    thinning = 50

    [report]
    title = "Civilian deaths in west Mosul, 2017"
    small_cells = 5           # public mode: counts below this are suppressed
    data = "real"             # or "simulated"; undeclared: "provenance not declared"

    [incidents]               # imported into the store by `run` and `gap`
    files = { airwars = "incidents/airwars.csv" }
    acknowledgments = ["incidents/acknowledgments.csv"]
    [incidents.matching]      # the incidents stage's keys (docs/incidents.md)
    threshold = 3.5
    [incidents.sources.airwars.columns]
    "Civilians killed" = "killed"

    [[acknowledgments]]       # undercount.model.Acknowledgment fields
    belligerent = "CJTF-OIR"
    period_start = "2016-10"
    period_end = "2017-07"
    deaths_acknowledged = 100
    document = "monthly civilian casualty report (title, URL)"
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from undercount.errors import UserInputError
from undercount.incidents._settings import IncidentsConfig
from undercount.model import Acknowledgment

__all__ = [
    "DEFAULT_METHODS",
    "EstimateConfig",
    "PipelineConfig",
    "ReportConfig",
    "pipeline_config",
]

DEFAULT_METHODS: tuple[str, ...] = ("lcmcr", "loglinear", "dga", "chao")
"""Methods estimated side by side unless ``[estimate] methods`` says otherwise."""

STRATA_CHOICES: tuple[str, ...] = ("month", "place", "sex", "age_group")


class EstimateConfig(BaseModel):
    """The ``[estimate]`` table."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    methods: tuple[str, ...] = DEFAULT_METHODS
    headline: str | None = None
    """Method quoted in the headline (default: the first of ``methods``)."""
    level: float = Field(0.95, gt=0.0, lt=1.0)
    seed: int = 2017
    strata: tuple[str, ...] = ()
    stratified_methods: tuple[str, ...] | None = None
    """Methods also fitted per stratum (default: those of ``methods`` that can be)."""
    options: dict[str, dict[str, Any]] = Field(default_factory=dict)
    strata_options: dict[str, dict[str, Any]] = Field(default_factory=dict)
    """Options for the per-stratum fits, over ``options`` (e.g. shorter chains)."""
    sensitivity_method: str | None = "loglinear"
    """Method re-fitted at each linkage threshold (``None``: counts only)."""
    thresholds: tuple[float, ...] = (0.5, 0.7, 0.8, 0.9, 0.95, 0.99)
    linkage_imputations: int = Field(10, ge=0, le=1000)
    """Imputations of the uncertain links for the headline method's estimate
    pooled over linkage uncertainty (``0``: off); see
    :func:`undercount.captures.estimate_over_linkage`."""

    @field_validator("methods")
    @classmethod
    def _some_methods(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("methods must name at least one method, e.g. ['lcmcr']")
        if len(set(value)) != len(value):
            raise ValueError(f"methods lists a method twice: {list(value)!r}")
        return value

    @field_validator("strata")
    @classmethod
    def _known_strata(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [s for s in value if s not in STRATA_CHOICES]
        if unknown:
            raise ValueError(
                f"unknown strata {unknown!r}; choose from {list(STRATA_CHOICES)!r}"
            )
        return value

    @property
    def headline_method(self) -> str:
        """The method the headline quotes."""
        return self.headline or self.methods[0]


class ReportConfig(BaseModel):
    """The ``[report]`` table."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str | None = None
    small_cells: int = Field(5, ge=1)
    """Public mode: counts 1 to ``small_cells - 1`` are shown as ``<small_cells``."""
    review_examples: int = Field(8, ge=0)
    """Uncertain pairs shown side by side in the (non-public) linkage section."""
    data: Literal["real", "simulated"] | None = None
    """What the data are, as the user declares them: ``"real"`` (the report labels
    the project REAL DATA), ``"simulated"`` (SIMULATED DATA); undeclared, the report
    says "data provenance not declared" and never calls the data real."""
    simulated: bool = False
    """Older spelling of ``data = "simulated"``."""

    @model_validator(mode="after")
    def _one_declaration(self) -> ReportConfig:
        if self.simulated and self.data == "real":
            raise ValueError(
                'simulated = true contradicts data = "real"; keep one of them'
            )
        return self

    @property
    def provenance(self) -> Literal["real", "simulated", "undeclared"]:
        """``real``, ``simulated`` or ``undeclared`` (what the user declared)."""
        if self.simulated or self.data == "simulated":
            return "simulated"
        return self.data or "undeclared"


class PipelineConfig(BaseModel):
    """Everything the pipeline reads from ``undercount.toml`` besides the sources."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    linkage: dict[str, Any] = Field(default_factory=dict)
    decisions: str | None = None
    estimate: EstimateConfig = Field(default_factory=EstimateConfig)
    report: ReportConfig = Field(default_factory=ReportConfig)
    acknowledgments: tuple[Acknowledgment, ...] = ()
    incidents: IncidentsConfig = Field(default_factory=IncidentsConfig)
    """The ``[incidents]`` table: the incidents stage's own model
    (:class:`undercount.incidents._settings.IncidentsConfig`), shared with
    ``undercount incidents ...`` and ``undercount gap``."""


_OWN = ("linkage", "estimate", "report", "acknowledgments", "incidents")


def pipeline_config(extra: dict[str, Any] | None) -> PipelineConfig:
    """Validate the pipeline's tables of ``undercount.toml``.

    Parameters
    ----------
    extra
        The top-level tables :mod:`undercount.project` did not validate
        (``ProjectConfig.model_extra``); tables of other stages are ignored.

    Raises
    ------
    UserInputError
        When a table breaks a rule (the message names the key and the fix).
    """
    extra = dict(extra or {})
    data: dict[str, Any] = {k: extra[k] for k in _OWN if k in extra}
    linkage = data.get("linkage")
    if linkage is not None and not isinstance(linkage, dict):
        raise UserInputError(
            f"undercount.toml: [linkage] must be a table, got {linkage!r}"
        )
    if isinstance(linkage, dict) and "decisions" in linkage:
        linkage = dict(linkage)
        data["decisions"] = linkage.pop("decisions")
        data["linkage"] = linkage
    try:
        config = PipelineConfig.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        message = str(first["msg"]).removeprefix("Value error, ")
        if first["type"] == "extra_forbidden":
            doc = (
                "docs/incidents.md"
                if where.startswith("incidents")
                else ("docs/report.md")
            )
            message = f"unknown key; see {doc} for the keys of [{where}]"
        raise UserInputError(
            f"undercount.toml: invalid value at {where}: {message} "
            f"(got {first.get('input')!r})"
        ) from None
    if config.linkage:
        from undercount.link import LinkageSettings

        LinkageSettings.from_dict(config.linkage)  # raises a UserInputError
    return config
