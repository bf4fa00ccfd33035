"""The FastAPI application: routes, guard middleware, CORS, error shapes, rate limits.

:func:`create_app` takes ready parts (an engine, keys, a store), so tests build it
over a real embedded index and the server (:mod:`service.server`) over whatever engine the
settings name. Shutting the app down closes the parts it opened (see :func:`create_app`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from starlette.responses import Response

from engines.base import Engine, EngineUnavailable
from service.auth import KeyRing
from service.docs import docs_router
from service.keyring import current_ring, keep_keys_current
from service.metrics import ServiceMetrics
from service.openapi import DocumentCache
from service.page import routes as page
from service.page.render import access_of, render
from service.problem_handlers import install_problem_handlers
from service.ratelimit import Buckets, Limits
from service.routes import alerts, decisions, ops, read, screen, yente
from service.security import GuardConfig, GuardMiddleware
from service.settings import Settings
from service.state import ServiceState, service_state
from service.store.access import StoreAccess
from service.store.base import StoreError
from service.store.sql import SqlStore

log = logging.getLogger("screening.service")

PURGE_EVERY_SECONDS = 24 * 3600

DESCRIPTION = """Denied-party screening over the official sanctions lists.

Authenticate with `Authorization: Bearer <key>` or `X-API-Key: <key>`. Scopes: `screen`
(POST /v1/screen, POST /match/{dataset}), `read` (search, entities, lists, catalog),
`decide` (decisions on hits), `admin` (audit records, alerts, decisions). Every screening
(/v1/screen, /match, /v1/search, the lookup page) is recorded in the audit trail before
it is answered. Errors are RFC 9457 problem details (`application/problem+json`). Each key
is held to a rate (requests and parties per second): over it, 429 with `Retry-After`;
every answer carries `RateLimit-Policy` and `RateLimit`. `X-Request-ID` is yours when you
send one, else the service's, and comes back on every answer. `POST /v1/screen`,
`POST /match/{dataset}` and `POST /v1/decisions` take an `Idempotency-Key`.
"""


def purge_now(store: SqlStore, retention_days: int, idempotency_hours: int) -> int:
    """Apply the audit retention (recorded in the chain) and drop expired idempotent
    answers; returns how many audit records went."""
    now = datetime.now(UTC)
    store.purge_idempotency(now - timedelta(hours=idempotency_hours))
    if not retention_days:
        return 0
    return store.purge(now - timedelta(days=retention_days), now)


async def _purge_daily(access: StoreAccess, settings: Settings) -> None:
    """Apply the audit retention at start and once a day."""
    while True:
        try:
            removed = await access.read(
                purge_now, access.store, settings.audit_retention_days, settings.idempotency_hours
            )
        except Exception:  # a failed purge must not stop the service; it retries tomorrow
            log.exception("audit purge failed")
        else:
            if removed:
                log.info("audit purge removed %d records", removed)
        await asyncio.sleep(PURGE_EVERY_SECONDS)


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
    store: SqlStore,
    metrics: ServiceMetrics | None = None,
    *,
    close_store: bool = False,
    buckets: Buckets | None = None,
) -> FastAPI:
    """The app over ``engine``, or over the engine ``engine()`` opens at start-up (a server
    engine's client must be created inside the event loop that will use it). ``keys`` are
    the configured ones; the store's are added to them (and kept current).

    Shutting down closes what the app opened: an engine it opened itself, and the store
    when ``close_store``; a ready engine passed in stays its caller's to close.
    ``buckets``: the rate-limit counters (default: the host's shared file that ``screening
    serve`` names, else this process's own).
    """
    ready = engine if isinstance(engine, Engine) else None
    configured = keys.all()
    try:
        ring = current_ring(configured, store.api_keys())
    except (StoreError, ValueError) as exc:
        raise StoreError(f"the API keys in the store cannot be read: {exc}") from exc
    access = StoreAccess(store)
    state = ServiceState(ready, settings, ring, access, metrics or ServiceMetrics())
    state.keys_required = bool(ring)
    limits = Limits(settings.rate_limit, buckets)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        tasks = [
            asyncio.create_task(_purge_daily(access, settings)),
            asyncio.create_task(keep_keys_current(state, configured, settings.keys_reload_seconds)),
        ]
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
            if close_store:
                await asyncio.to_thread(access.close)
            else:
                await asyncio.to_thread(access.stop)
            limits.close()

    app = FastAPI(
        title="screening",
        summary="Denied-party (sanctions) screening",
        description=DESCRIPTION,
        version="1",
        lifespan=lifespan,
        docs_url=None,  # served from the package, not a CDN (service.docs)
        redoc_url=None,
        openapi_url=None,  # served below: the document names the lists loaded now
    )
    app.state.service = state
    app.state.limits = limits
    app.include_router(screen.router)
    app.include_router(decisions.router)
    app.include_router(yente.router)
    app.include_router(read.router)
    app.include_router(ops.router)
    app.include_router(alerts.router)
    if settings.docs_enabled:
        app.include_router(docs_router())
    app.include_router(page.router)
    install_problem_handlers(app, html_error_page)

    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "X-API-Key", "Content-Type", "Idempotency-Key"],
            max_age=600,
        )

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = get_openapi(
                title=app.title,
                version=app.version,
                summary=app.summary,
                description=app.description,
                routes=app.routes,
            )
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    documents = DocumentCache(openapi, settings)

    @app.get("/openapi.json", include_in_schema=False)
    async def openapi_document() -> JSONResponse:
        info = None
        if state.engine is not None:
            with contextlib.suppress(EngineUnavailable):
                info = await state.engine.info()
        return JSONResponse(documents.for_index(info))

    guard = GuardConfig(max_body_bytes=settings.max_body_bytes, loopback_only=not ring)
    app.add_middleware(GuardMiddleware, config=guard, metrics=state.metrics)
    return app


def html_error_page(request: Request, status: int, message: str) -> Response:
    """The lookup page's error page, for a browser on one of the page's paths."""
    state = service_state(request)
    return render(
        request, access_of(state, request), "error.html", info=None, state=state,
        status=status, message=message,
    )  # fmt: skip
