"""``/api/review``: uncertain pairs side by side, and reviewers' decisions.

The queue is the latest finished linkage run's pairs in the review band that no
decision covers yet, most uncertain first. Blind review (``?blind=true``, or for
everyone with the ``blind_review`` setting) hides the scores and shuffles the
order. Decisions are append-only; the latest per pair is in force, and it counts
at once in estimates (clusters are re-made with it).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool

from undercount.link import ReviewDecision
from undercount.service.deps import PrincipalDep, ServicesDep
from undercount.service.envelope import ApiError, Envelope, ListEnvelope, ok, ok_list
from undercount.service.ops.linkage import (
    LinkageRun,
    add_decision,
    latest_run_id,
    list_decisions,
    next_pair,
    store_decisions,
)
from undercount.service.schemas import DecisionCreate, DecisionPublic, ReviewNext

router = APIRouter(prefix="/api/review", tags=["review"])


async def _latest_run(services: ServicesDep) -> LinkageRun | None:
    run_id = await services.db.read(latest_run_id)
    if run_id is None:
        return None
    return await run_in_threadpool(services.runs.load, run_id)


@router.get("/next", response_model=Envelope[ReviewNext])
async def read_next(
    services: ServicesDep, principal: PrincipalDep, blind: bool = False
) -> dict[str, Any]:
    """The next pair to review (``pair`` is null when the queue is empty)."""
    blind = blind or services.settings.blind_review
    run = await _latest_run(services)
    if run is None:
        return ok({"run_id": None, "blind": blind, "remaining": 0, "pair": None})
    decisions = await services.db.read(store_decisions)
    pair, remaining = await run_in_threadpool(
        lambda: next_pair(run, decisions, blind=blind)
    )
    return ok(
        {"run_id": run.run_id, "blind": blind, "remaining": remaining, "pair": pair}
    )


@router.get("/decisions", response_model=ListEnvelope[DecisionPublic])
async def read_decisions(
    services: ServicesDep,
    principal: PrincipalDep,
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=1_000_000_000),
) -> dict[str, Any]:
    """Every decision, newest first."""
    decisions = await services.db.read(list_decisions)
    newest = list(reversed(decisions))
    return ok_list(newest[offset : offset + limit], count=len(newest))


@router.post("/decisions", response_model=Envelope[DecisionPublic], status_code=201)
async def decide(
    body: DecisionCreate, services: ServicesDep, principal: PrincipalDep
) -> dict[str, Any]:
    """Record same / different / unsure on a pair of the latest linkage run."""
    run = await _latest_run(services)
    if run is None:
        raise ApiError(409, "there is no linkage run to review yet; run linkage first")
    left = (body.source_l, body.record_id_l)
    right = (body.source_r, body.record_id_r)
    if not await run_in_threadpool(run.has_pair, left, right):
        raise ApiError(
            404, "this pair is not among the scored pairs of the latest linkage run"
        )
    decision = ReviewDecision.make(
        left, right, body.verdict, principal.username, note=body.note
    )
    decision_id = await services.db.write(
        lambda store: add_decision(store, decision, run.run_id)
    )
    rows = await services.db.read(list_decisions)
    return ok(next(d for d in rows if d["decision_id"] == decision_id))
