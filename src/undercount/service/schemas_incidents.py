"""Request and response schemas of the incident and gap routes.

Incidents carry no victim's name; the public shapes still leave out the raw rows
(``original``) and acknowledgment ``notes`` (personal-field names, see
:mod:`undercount.service.privacy`), and a report's free-text ``description`` is
filled only for roles allowed ``incidents.descriptions``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from undercount.incidents import DECISION_KINDS

__all__ = [
    "IncidentAckPublic",
    "IncidentDecisionCreate",
    "IncidentDecisionPublic",
    "IncidentDetailPublic",
    "IncidentImportPublic",
    "IncidentLinkPublic",
    "IncidentMemberPublic",
    "IncidentPublic",
    "IncidentQuarantinePublic",
    "IncidentReportPublic",
    "IncidentRunCreate",
]

DecisionKind = Literal[DECISION_KINDS]  # type: ignore[valid-type]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class IncidentImportPublic(BaseModel):
    """One incident or acknowledgment import: ``rows_in == accepted + quarantined``."""

    import_id: int
    source: str
    kind: str
    format: str
    file_name: str
    file_sha256: str
    rows_in: int
    accepted: int
    quarantined: int


class IncidentQuarantinePublic(BaseModel):
    """One quarantined incident row: where and why, with the row as read."""

    import_id: int
    file_name: str
    line: int
    field: str
    reason: str
    original: dict[str, Any]


class IncidentMemberPublic(BaseModel):
    """One source's report in an incident, with its own figures."""

    key: str
    date: str | None = None
    place: str | None = None
    killed_min: int | None = None
    killed_max: int | None = None
    belligerents: list[str] = []
    weapon: str | None = None
    source_refs: list[str] = []


class IncidentAckPublic(BaseModel):
    """A belligerent's acknowledgment of an incident."""

    ack_id: str
    belligerent: str
    deaths: int
    document: str


class IncidentLinkPublic(BaseModel):
    """Why two reports were (or were not) judged to be one event."""

    key_a: str
    key_b: str
    score: float | None = None
    parts: dict[str, float] = {}
    reasons: list[str] = []
    origin: str = ""
    accepted: bool = True
    note: str | None = None


class IncidentPublic(BaseModel):
    """A graded incident: its reports' figures, grade and acknowledgment status."""

    cluster_id: str
    sources: list[str]
    window: list[str] | None = None
    place: str | None = None
    place_id: str | None = None
    reported_killed: list[int | None] | None = None
    documented_killed: list[int | None] | None = None
    alleged: list[str] = []
    grade: str
    reasons: list[str] = []
    also: list[str] = []
    acknowledged: int | None = None
    acknowledgment_status: str
    acknowledgments: list[IncidentAckPublic] = []
    members: list[IncidentMemberPublic] = []
    links: list[IncidentLinkPublic] = []


class IncidentReportPublic(BaseModel):
    """One stored report (``description`` only for roles that may read it)."""

    key: str
    source: str
    line: int | None = None
    incident_id: str | None = None
    date: str | None = None
    first_day: str | None = None
    last_day: str | None = None
    place: str | None = None
    place_context: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    location_precision: str | None = None
    belligerents: list[str] = []
    weapon: str | None = None
    killed_min: int | None = None
    killed_max: int | None = None
    injured_min: int | None = None
    injured_max: int | None = None
    children_killed: int | None = None
    women_killed: int | None = None
    source_refs: list[str] = []
    assessment: str | None = None
    description: str | None = Field(
        None, description="free text; null for roles without incidents.descriptions"
    )


class IncidentDetailPublic(BaseModel):
    """One incident with its reports and the reasons for its match and grade."""

    grade_run_id: int
    match_run_id: int | None
    incident: IncidentPublic
    reports: list[IncidentReportPublic]
    refused_links: list[IncidentLinkPublic] = Field(
        default_factory=list,
        description="candidate links touching its reports that were refused",
    )


class IncidentRunCreate(_In):
    """Start a match or grade run (no options: the project's settings apply)."""


class IncidentDecisionCreate(_In):
    """A reviewer's decision on incident reports (``undercount incidents review``)."""

    kind: DecisionKind
    key_a: str = Field(min_length=1, max_length=200)
    key_b: str | None = Field(None, min_length=1, max_length=200)
    reason: str = Field(min_length=1, max_length=2000)


class IncidentDecisionPublic(BaseModel):
    """One recorded incident decision."""

    kind: str
    key_a: str
    key_b: str | None = None
    reviewer: str
    reason: str
    decided_at: str
