"""What every request handler reaches through FastAPI dependencies.

Handlers depend on the :class:`engines.base.Engine` protocol only (:func:`get_engine`), so
the same routes answer over the embedded index now and the server engines later; tests
swap any part with ``app.dependency_overrides``.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import HTTPException, Request

from engines.base import Engine
from service.auth import KeyRing
from service.metrics import ServiceMetrics
from service.settings import Settings
from service.store.access import StoreAccess


@dataclass(slots=True)
class ServiceState:
    engine: Engine | None  # None until the lifespan has opened it
    settings: Settings
    keys: KeyRing  # replaced as a whole when the store's keys change (see service.keyring)
    store: StoreAccess  # audit ledger, decisions, idempotent answers, alerts, keys
    metrics: ServiceMetrics
    # Why the engine is not open yet (a server engine that was down at start-up).
    engine_error: str | None = None
    # Whether callers need a key: fixed at start (keys configured or stored then), so
    # revoking every key at run time refuses everyone instead of opening the service.
    keys_required: bool = False


def service_state(request: Request) -> ServiceState:
    state: ServiceState = request.app.state.service
    return state


# The dependencies are coroutines: FastAPI runs plain functions in a thread pool, a thread
# hop per dependency per request for a dictionary lookup.
async def get_state(request: Request) -> ServiceState:
    return service_state(request)


async def get_engine(request: Request) -> Engine:
    engine = service_state(request).engine
    if engine is None:
        state = service_state(request)
        reason = state.engine_error or "the screening engine is not open yet"
        raise HTTPException(503, reason)
    return engine


async def get_store(request: Request) -> StoreAccess:
    return service_state(request).store
