"""``/api/incidents``: incident reports, their matching and grading, and decisions.

Uploads (incident files of any kind, or acknowledgments) are imported by a
background job like list uploads; match and grade runs are jobs too. The incident
list is the latest grade run; one incident adds its stored reports and every link
that explains (or refused) its match. A report's free-text description is given
only to roles allowed ``incidents.descriptions``; raw rows are only in the
quarantine (``quarantine.read``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Path, Query, Request

from undercount.incidents import ReviewDecision
from undercount.service.deps import PrincipalDep, ServicesDep
from undercount.service.envelope import ApiError, Envelope, ListEnvelope, ok, ok_list
from undercount.service.ops.incidents import (
    FORMATS,
    grade_job,
    import_job,
    import_row_public,
    incident_config,
    match_job,
    report_public,
)
from undercount.service.ops.uploads import receive_request_body
from undercount.service.permissions import allowed
from undercount.service.routes._kinds import limit_query, offset_query
from undercount.service.routes.sources import SOURCE_PATTERN
from undercount.service.schemas import JobPublic
from undercount.service.schemas_incidents import (
    IncidentDecisionCreate,
    IncidentDecisionPublic,
    IncidentDetailPublic,
    IncidentImportPublic,
    IncidentPublic,
    IncidentQuarantinePublic,
    IncidentRunCreate,
)
from undercount.store import Store

router = APIRouter(prefix="/api/incidents", tags=["incidents"])

CLUSTER_PATTERN = r"^IC-[0-9a-f]{10}$"
_FORMAT_PATTERN = "^(" + "|".join(FORMATS) + ")$"

_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/octet-stream": {
                "schema": {"type": "string", "format": "binary"}
            }
        },
    }
}


def _tables(store: Store) -> Any:
    from undercount.incidents import ProjectIncidents

    return ProjectIncidents(store).tables


def _latest(kind: str) -> Any:
    def read(store: Store) -> dict[str, Any] | None:
        result: dict[str, Any] | None = _tables(store).latest_run(kind)
        return result

    return read


@router.get("", response_model=ListEnvelope[IncidentPublic])
async def read_incidents(
    services: ServicesDep,
    principal: PrincipalDep,
    grade: str | None = Query(None, max_length=32),
    limit: int = limit_query(),
    offset: int = offset_query(),
) -> dict[str, Any]:
    """Graded incidents of the latest grade run (empty before the first run)."""
    run = await services.db.read(_latest("grade"))
    items = [] if run is None else list(run["grades"])
    if grade:
        items = [g for g in items if g.get("grade") == grade]
    return ok_list(items[offset : offset + limit], count=len(items))


@router.get("/imports", response_model=ListEnvelope[IncidentImportPublic])
async def read_imports(
    services: ServicesDep, principal: PrincipalDep
) -> dict[str, Any]:
    """Every incident and acknowledgment import, oldest first, with its counts."""
    rows = await services.db.read(lambda store: _tables(store).imports())
    return ok_list([import_row_public(r) for r in rows])


@router.post(
    "/imports",
    response_model=Envelope[JobPublic],
    status_code=202,
    openapi_extra=_UPLOAD_BODY,
)
async def upload(
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
    source: str = Query(pattern=SOURCE_PATTERN, max_length=64),
    filename: str = Query(min_length=1, max_length=255),
    format: str | None = Query(
        None,
        pattern=_FORMAT_PATTERN,
        description="ucdp-ged, acled, generic or acknowledgments "
        "(default: detected from the header)",
    ),
) -> dict[str, Any]:
    """Upload an incident file (or acknowledgments; the file is the body): a job.

    The job's result has ``rows_in``, ``accepted`` and ``quarantined``; see the
    rows refused at ``GET /api/incidents/quarantine``.
    """
    stored = await receive_request_body(
        request,
        services.data_dir / "uploads" / "incidents" / source,
        filename,
        limit=services.settings.max_upload_bytes,
    )
    job = await services.jobs.submit(
        "incidents.import",
        {
            "source": source,
            "file": stored.original_name,
            "format": format,
            "size": stored.size,
            "sha256": stored.sha256,
        },
        principal.username,
        import_job(
            services.db,
            services.project_root,
            source,
            stored,
            format,
            principal.username,
        ),
    )
    return ok(job.public())


@router.get("/quarantine", response_model=ListEnvelope[IncidentQuarantinePublic])
async def read_quarantine(
    services: ServicesDep,
    principal: PrincipalDep,
    import_id: int | None = Query(None, ge=1, le=2_000_000_000),
    limit: int = limit_query(),
    offset: int = offset_query(),
) -> dict[str, Any]:
    """Quarantined incident rows with their reasons (the rows as read)."""
    rows = await services.db.read(lambda store: _tables(store).quarantine(import_id))
    page = [
        {
            "import_id": r["import_id"],
            "file_name": str(r["file"]).replace("\\", "/").rsplit("/", 1)[-1],
            "line": r["line"],
            "field": r["field"],
            "reason": r["reason"],
            "original": r["original"] if isinstance(r["original"], dict) else {},
        }
        for r in rows[offset : offset + limit]
    ]
    return ok_list(page, count=len(rows))


@router.post("/match", response_model=Envelope[JobPublic], status_code=202)
async def run_match(
    body: IncidentRunCreate, services: ServicesDep, principal: PrincipalDep
) -> dict[str, Any]:
    """Match the current reports across sources (a job; the run is saved)."""
    job = await services.jobs.submit(
        "incidents.match",
        {},
        principal.username,
        match_job(services.db, services.project_root, principal.username),
    )
    return ok(job.public())


@router.post("/grade", response_model=Envelope[JobPublic], status_code=202)
async def run_grade(
    body: IncidentRunCreate, services: ServicesDep, principal: PrincipalDep
) -> dict[str, Any]:
    """Match and grade the current reports (a job; both runs are saved)."""
    job = await services.jobs.submit(
        "incidents.grade",
        {},
        principal.username,
        grade_job(services.db, services.project_root, principal.username),
    )
    return ok(job.public())


@router.get("/decisions", response_model=ListEnvelope[IncidentDecisionPublic])
async def read_decisions(
    services: ServicesDep,
    principal: PrincipalDep,
    limit: int = limit_query(),
    offset: int = offset_query(),
) -> dict[str, Any]:
    """Reviewers' incident decisions, newest first."""
    rows = await services.db.read(lambda store: _tables(store).decisions())
    newest = [{**r, "decided_at": str(r["decided_at"])} for r in reversed(rows)]
    return ok_list(newest[offset : offset + limit], count=len(newest))


@router.post(
    "/decisions", response_model=Envelope[IncidentDecisionPublic], status_code=201
)
async def decide(
    body: IncidentDecisionCreate, services: ServicesDep, principal: PrincipalDep
) -> dict[str, Any]:
    """Record must-link, cannot-link, revoke, discount or restore (append-only).

    The reviewer is the logged-in user; the decision counts at the next match or
    grade run.
    """
    from undercount.incidents import ProjectIncidents

    decision = ReviewDecision.make(
        body.kind,
        body.key_a,
        body.key_b,
        reviewer=principal.username,
        reason=body.reason,
    )
    config = incident_config(services.project_root)
    await services.db.write(
        lambda store: ProjectIncidents(store, config).decide(
            decision, principal.username
        )
    )
    return ok(decision.to_row())


@router.get("/{cluster_id}", response_model=Envelope[IncidentDetailPublic])
async def read_incident(
    services: ServicesDep,
    principal: PrincipalDep,
    cluster_id: str = Path(pattern=CLUSTER_PATTERN),
) -> dict[str, Any]:
    """One incident of the latest grade run: its reports and why they match."""

    def read(store: Store) -> dict[str, Any] | None:
        tables = _tables(store)
        grades = tables.latest_run("grade")
        if grades is None:
            return None
        found = next(
            (g for g in grades["grades"] if g.get("cluster_id") == cluster_id), None
        )
        if found is None:
            return None
        keys = {m["key"] for m in found.get("members", [])}
        match = tables.latest_run("match")
        refused = [
            link
            for link in (match or {}).get("links", [])
            if not link.get("accepted", True)
            and (link.get("key_a") in keys or link.get("key_b") in keys)
        ]
        reports = [r for r in tables.current_records() if r["key"] in keys]
        return {
            "grade_run_id": grades["run_id"],
            "match_run_id": None if match is None else match["run_id"],
            "incident": found,
            "reports": reports,
            "refused_links": refused,
        }

    detail = await services.db.read(read)
    if detail is None:
        raise ApiError(
            404,
            f"no incident {cluster_id!r} in the latest grade run; list them at "
            "GET /api/incidents (run POST /api/incidents/grade first)",
        )
    descriptions = allowed(principal.user.role, "incidents.descriptions")
    detail["reports"] = [
        report_public(r, descriptions=descriptions) for r in detail["reports"]
    ]
    return ok(detail)
