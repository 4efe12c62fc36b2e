"""Request and response schemas (FastAPI template style: Create / Update / Public).

``*Create`` and ``*Update`` are what a client may send; ``*Public`` is what the API
returns. Public schemas of routes a viewer may call contain no personal field (see
:mod:`undercount.service.privacy`; a test checks the OpenAPI schema).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from undercount.service.permissions import Role

__all__ = [
    "AuditEntryPublic",
    "DecisionCreate",
    "DecisionPublic",
    "EstimateCreate",
    "EstimateFigures",
    "EstimatePublic",
    "HealthPublic",
    "ImportPublic",
    "JobKind",
    "JobPublic",
    "JobStatus",
    "LinkageRunCreate",
    "LinkageRunPublic",
    "LoginRequest",
    "MethodsPublic",
    "PairPublic",
    "PairRecord",
    "ProjectPublic",
    "ProjectUpdate",
    "QuarantinePublic",
    "ReportFilePublic",
    "ReportPublic",
    "ReportRunCreate",
    "ReviewNext",
    "SessionPublic",
    "SourcePublic",
    "TokenPublic",
    "UserCreate",
    "UserPublic",
    "UserUpdate",
]

USERNAME_PATTERN = r"^[a-z0-9][a-z0-9_.-]{1,63}$"
JobStatus = Literal["queued", "running", "done", "failed", "interrupted"]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


# -- health and sessions ----------------------------------------------------------


class HealthPublic(BaseModel):
    """The service is up; versions of the code and of the store's schema."""

    status: Literal["ok"] = "ok"
    version: str
    schema_version: int
    service_schema_version: int


class LoginRequest(_In):
    """User name and password."""

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


class SessionPublic(BaseModel):
    """A cookie login: send ``csrf_token`` as ``X-CSRF-Token`` on every write."""

    username: str
    role: Role
    expires_at: datetime
    csrf_token: str


class TokenPublic(BaseModel):
    """A bearer token for scripts: ``Authorization: Bearer <token>``."""

    token: str
    token_type: Literal["bearer"] = "bearer"
    username: str
    role: Role
    expires_at: datetime


# -- users --------------------------------------------------------------------------


class UserCreate(_In):
    """A new user (created by an admin)."""

    username: str = Field(pattern=USERNAME_PATTERN)
    password: str = Field(min_length=1, max_length=1024)
    role: Role


class UserUpdate(_In):
    """Changes to a user; omitted fields stay as they are."""

    role: Role | None = None
    password: str | None = Field(None, min_length=1, max_length=1024)
    active: bool | None = None


class UserPublic(BaseModel):
    """A user as the API shows it (never the password hash)."""

    username: str
    role: Role
    active: bool
    created_at: datetime
    created_by: str


class AuditEntryPublic(BaseModel):
    """One audit-log entry."""

    id: int
    at: datetime
    actor: str
    action: str
    details: dict[str, Any]
    entry_hash: str


# -- sources, imports, quarantine ---------------------------------------------------


class ImportPublic(BaseModel):
    """One import of one file: ``rows_in == accepted + quarantined``."""

    import_id: int
    source: str
    version: int
    file_name: str
    file_sha256: str
    file_size: int
    format: str
    encoding: str | None
    rows_in: int
    accepted: int
    quarantined: int
    blank_lines: int
    status: str
    started_at: datetime
    finished_at: datetime
    actor: str


class SourcePublic(BaseModel):
    """A source (one list) and what its current version holds."""

    source: str
    title: str | None
    versions: int
    current_version: int | None
    records: int
    quarantined: int
    last_import: ImportPublic | None


class QuarantinePublic(BaseModel):
    """One quarantined row: why, and the row as read (personal fields)."""

    import_id: int
    source: str
    version: int
    file_name: str
    line: int
    field: str
    reason: str
    errors: list[dict[str, Any]]
    original: dict[str, Any]


# -- jobs -----------------------------------------------------------------------------


#: What a background job does (``GET /api/jobs?kind=`` filters on it).
JobKind = Literal[
    "import",
    "linkage",
    "estimate",
    "report",
    "incidents.import",
    "incidents.match",
    "incidents.grade",
]


class JobPublic(BaseModel):
    """A background job (an import, linkage, estimate, report or incident run)."""

    job_id: str
    kind: JobKind
    status: JobStatus
    progress: float | None = Field(None, description="0 to 1 when known")
    message: str | None = None
    created_by: str
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    params: dict[str, Any] = {}
    result: dict[str, Any] | None = None
    error: str | None = None


# -- linkage and review ---------------------------------------------------------------


class LinkageRunCreate(_In):
    """Options of a linkage run (defaults: the linkage settings' own)."""

    threshold: float | None = Field(None, gt=0, lt=1)
    seed: int | None = Field(None, ge=0, le=2**31 - 1)


class LinkageRunPublic(BaseModel):
    """A linkage run: counts only (no record)."""

    run_id: str
    status: JobStatus
    created_by: str
    created_at: datetime
    finished_at: datetime | None = None
    lists: list[str] = []
    records: int | None = None
    pairs: int | None = None
    people: int | None = None
    to_review: int | None = None
    threshold: float | None = None
    error: str | None = None


class PairRecord(BaseModel):
    """One side of a pair, as a reviewer sees it (personal fields)."""

    source: str
    record_id: str
    name: str | None = None
    date: str | None = None
    age_low: float | None = None
    age_high: float | None = None
    sex: str | None = None
    place: str | None = None


class PairPublic(BaseModel):
    """A pair of records to review; scores are absent in blind review."""

    left: PairRecord
    right: PairRecord
    match_probability: float | None = None
    match_weight: float | None = None


class ReviewNext(BaseModel):
    """The next pair to review (``pair`` is null when none is left)."""

    run_id: str | None
    blind: bool
    remaining: int
    pair: PairPublic | None


class DecisionCreate(_In):
    """A reviewer's verdict on one pair."""

    source_l: str = Field(min_length=1, max_length=64)
    record_id_l: str = Field(min_length=1, max_length=256)
    source_r: str = Field(min_length=1, max_length=64)
    record_id_r: str = Field(min_length=1, max_length=256)
    verdict: Literal["same", "different", "unsure"]
    note: str = Field("", max_length=2000)


class DecisionPublic(BaseModel):
    """A recorded decision (append-only: the latest per pair is in force)."""

    decision_id: int
    source_l: str
    record_id_l: str
    source_r: str
    record_id_r: str
    verdict: Literal["same", "different", "unsure"]
    reviewer: str
    decided_at: datetime
    note: str
    run_id: str | None


# -- estimates ------------------------------------------------------------------------


class EstimateCreate(_In):
    """Run one estimator on the capture table of a linkage run."""

    method: str = Field(min_length=1, max_length=64)
    level: float = Field(0.95, gt=0, lt=1)
    run_id: str | None = Field(
        None, max_length=64, description="linkage run (default: the latest finished)"
    )
    options: dict[str, int | float | bool | str] = Field(
        default_factory=dict, max_length=20
    )


class EstimateFigures(BaseModel):
    """The estimator's result (``estimate`` is the MLE or posterior median)."""

    method: str
    lists: list[str]
    observed: int
    estimate: float
    lower: float
    upper: float
    level: float
    diagnostics: dict[str, Any] = {}
    warnings: list[str] = []


class EstimatePublic(BaseModel):
    """An estimation job and, once done, its figures."""

    estimate_id: str
    status: JobStatus
    method: str
    run_id: str | None
    created_by: str
    created_at: datetime
    finished_at: datetime | None = None
    result: EstimateFigures | None = None
    error: str | None = None


class MethodsPublic(BaseModel):
    """Estimation methods available by name."""

    methods: list[str]


# -- report ---------------------------------------------------------------------------


class ReportFilePublic(BaseModel):
    """One file of the report."""

    file: Literal["report.html", "report.pdf", "results.json"]
    size: int
    url: str


class ReportRunCreate(_In):
    """Options of a pipeline run (``undercount run``) writing the report."""

    public: bool = Field(
        False, description="leave every personal field out, suppress small cells"
    )
    pdf: bool = Field(False, description="also write report.pdf (slower)")


class ReportPublic(BaseModel):
    """Whether a report exists (written by ``undercount run``) and its files."""

    available: bool
    public: bool | None = None
    title: str | None = None
    files: list[ReportFilePublic] = []


# -- project --------------------------------------------------------------------------

DataLabel = Literal["real", "simulated", "undeclared"]


class ProjectPublic(BaseModel):
    """The project's name and what its data are declared to be (``[report] data``).

    The report labels the data by this declaration: ``real`` -> REAL DATA,
    ``simulated`` -> SIMULATED DATA, ``undeclared`` -> "data provenance not
    declared".
    """

    title: str
    """The project's name (``[project] name``)."""
    description: str | None = None
    data: DataLabel


class ProjectUpdate(BaseModel):
    """Declare what the project's data are (admins; written to undercount.toml)."""

    model_config = ConfigDict(extra="forbid")

    data: DataLabel
