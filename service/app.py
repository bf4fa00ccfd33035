"""The FastAPI application: routes, guard middleware, CORS, error shapes.

:func:`create_app` takes ready parts (an engine, keys, an audit store), so tests build it
over a real embedded index and the server (:mod:`service.server`) over whatever engine the
settings name. Shutting the app down closes the parts it opened (see :func:`create_app`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from engines.base import Engine, EngineUnavailable
from service.audit import AuditStore
from service.auth import KeyRing
from service.metrics import ServiceMetrics
from service.page import party as party_page
from service.page import routes as page
from service.routes import alerts, ops, read, screen
from service.security import SECURITY_SCHEMES, GuardConfig, GuardMiddleware
from service.settings import Settings
from service.state import ServiceState

log = logging.getLogger("screening.service")

PURGE_EVERY_SECONDS = 24 * 3600

DESCRIPTION = """Denied-party screening over the official sanctions lists.

Authenticate with `Authorization: Bearer <key>` or `X-API-Key: <key>`. Scopes: `screen`
(POST /v1/screen), `read` (search, entities, lists), `admin` (audit records).
Every /v1/screen call is recorded in the audit trail before it is answered.
"""


async def _purge_daily(audit: AuditStore) -> None:
    """Apply the audit retention once a day (it was applied at start)."""
    while True:
        await asyncio.sleep(PURGE_EVERY_SECONDS)
        try:
            removed = await asyncio.to_thread(audit.purge)
        except Exception:  # a failed purge must not stop the service; it retries tomorrow
            log.exception("audit purge failed")
        else:
            log.info("audit purge removed %d records", removed)


EngineOpener = Callable[[], Awaitable[Engine]]

ENGINE_RETRY_SECONDS = (1.0, 2.0, 5.0, 10.0, 30.0)


async def _open_when_reachable(opener: EngineOpener, state: ServiceState) -> None:
    """Retry opening the engine with growing pauses until it answers."""
    attempt = 0
    while state.engine is None:
        await asyncio.sleep(ENGINE_RETRY_SECONDS[min(attempt, len(ENGINE_RETRY_SECONDS) - 1)])
        attempt += 1
        try:
            state.engine = await opener()
        except EngineUnavailable as exc:
            state.engine_error = exc.reason
        else:
            state.engine_error = None
            log.info("engine reachable after %d retries", attempt)


def create_app(
    engine: Engine | EngineOpener,
    settings: Settings,
    keys: KeyRing,
    audit: AuditStore,
    metrics: ServiceMetrics | None = None,
    *,
    close_audit: bool = False,
) -> FastAPI:
    """The app over ``engine``, or over the engine ``engine()`` opens at start-up (a server
    engine's client must be created inside the event loop that will use it).

    Shutting down closes what the app opened: an engine it opened itself, and the audit
    store when ``close_audit``; a ready engine passed in stays its caller's to close.
    """
    ready = engine if isinstance(engine, Engine) else None
    state = ServiceState(ready, settings, keys, audit, metrics or ServiceMetrics())

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        tasks = [asyncio.create_task(_purge_daily(audit))]
        if state.engine is None and not isinstance(engine, Engine):
            try:
                state.engine = await engine()
            except EngineUnavailable as exc:
                # A shared engine that is down must not stop the service: it answers 503
                # with the reason (readiness probes hold traffic back) and keeps trying.
                log.warning("engine unavailable at start, retrying: %s", exc.reason)
                state.engine_error = exc.reason
                tasks.append(asyncio.create_task(_open_when_reachable(engine, state)))
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            if state.engine is not None and not isinstance(engine, Engine):
                await state.engine.close()
                state.engine = None
            if close_audit:
                audit.close()

    app = FastAPI(
        title="screening",
        summary="Denied-party (sanctions) screening",
        description=DESCRIPTION,
        version="1",
        lifespan=lifespan,
        docs_url="/docs" if settings.docs_enabled else None,
        redoc_url="/redoc" if settings.docs_enabled else None,
    )
    app.state.service = state
    app.include_router(screen.router)
    app.include_router(read.router)
    app.include_router(ops.router)
    app.include_router(alerts.router)
    app.include_router(page.router)
    app.include_router(party_page.router)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        # FastAPI's shape, minus the echoed input: a rejected name may be long or sensitive.
        errors = [
            {"type": e.get("type"), "loc": list(e.get("loc", ())), "msg": e.get("msg")}
            for e in exc.errors()
        ]
        return JSONResponse({"detail": errors}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse(
            {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
        )

    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "X-API-Key", "Content-Type"],
            max_age=600,
        )

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                summary=app.summary,
                description=app.description,
                routes=app.routes,
            )
            schema.setdefault("components", {})["securitySchemes"] = SECURITY_SCHEMES
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    guard = GuardConfig(max_body_bytes=settings.max_body_bytes, loopback_only=not keys)
    app.add_middleware(GuardMiddleware, config=guard, metrics=state.metrics)
    return app
