"""Operations: liveness, readiness (index loaded, engine reachable, audit store usable)
and Prometheus metrics."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse

from engines.base import Engine, EngineUnavailable
from service.audit import AuditError
from service.auth import Scope
from service.freshness import index_freshness
from service.metrics import METRICS_CONTENT_TYPE
from service.problems import PROBLEM_MEDIA_TYPE, problem_responses
from service.schemas import HealthResponse, ListFreshnessOut, ReadyResponse
from service.security import authorise
from service.state import ServiceState, get_engine, get_state

router = APIRouter(tags=["operations"])


@router.get("/healthz", response_model=HealthResponse, summary="The process is alive")
async def healthz() -> HealthResponse:
    return HealthResponse(status="ok")


@router.get(
    "/readyz",
    response_model=ReadyResponse,
    summary="Ready to screen: index loaded, engine reachable, audit store usable",
    responses={
        503: {
            "description": "not ready, with the reason (problem details when the engine is "
            "not open yet)",
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/ReadyResponse"}},
                PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}},
            },
        }
    },
)
async def readyz(
    engine: Annotated[Engine, Depends(get_engine)],
    state: Annotated[ServiceState, Depends(get_state)],
) -> ReadyResponse | JSONResponse:
    try:
        await engine.check()
        info = await engine.info()
        await state.store.read(state.store.store.check)
    except (EngineUnavailable, AuditError) as exc:
        reason = exc.reason if isinstance(exc, EngineUnavailable) else str(exc)
        body = ReadyResponse(status="unavailable", reason=reason)
        return JSONResponse(body.model_dump(), status_code=503)
    ages = index_freshness(info, datetime.now(UTC), state.settings)
    return ReadyResponse(
        status="ready",
        index_version=info.version,
        entities=sum(item.entities for item in info.lists),
        lists=[
            ListFreshnessOut(
                id=list_id,
                as_of=age.as_of.isoformat() if age.as_of else None,
                as_of_source=age.source,
                age_days=age.age_days,
                stale_after_days=age.stale_after_days,
                stale=age.stale,
            )
            for list_id, age in ages.items()
        ],
        stale=[list_id for list_id, age in ages.items() if age.stale],
    )


@router.get(
    "/metrics",
    summary="Prometheus metrics",
    response_class=Response,
    responses={
        200: {"content": {"text/plain": {"schema": {"type": "string"}}}},
        **problem_responses(401, 403, 429, 503),
    },
)
async def metrics(
    request: Request,
    engine: Annotated[Engine, Depends(get_engine)],
    state: Annotated[ServiceState, Depends(get_state)],
) -> Response:
    if state.settings.metrics_require_key:
        authorise(request, Scope.ADMIN)
    try:
        info = await engine.info()
    except EngineUnavailable:
        info = None
    ages = index_freshness(info, datetime.now(UTC), state.settings) if info else {}
    text = state.metrics.render(info, ages)
    return Response(text, media_type=METRICS_CONTENT_TYPE)
