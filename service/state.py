"""What every request handler reaches through FastAPI dependencies.

Handlers depend on the :class:`engines.base.Engine` protocol only (:func:`get_engine`), so
the same routes answer over the embedded index now and the server engines later; tests
swap any part with ``app.dependency_overrides``.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import HTTPException, Request

from engines.base import Engine
from service.audit import AuditStore
from service.auth import KeyRing
from service.metrics import ServiceMetrics
from service.settings import Settings


@dataclass(slots=True)
class ServiceState:
    engine: Engine | None  # None until the lifespan has opened it
    settings: Settings
    keys: KeyRing
    audit: AuditStore
    metrics: ServiceMetrics


def get_state(request: Request) -> ServiceState:
    state: ServiceState = request.app.state.service
    return state


def get_engine(request: Request) -> Engine:
    engine = get_state(request).engine
    if engine is None:
        raise HTTPException(503, "the screening engine is not open yet")
    return engine


def get_audit(request: Request) -> AuditStore:
    return get_state(request).audit
