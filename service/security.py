"""Who may call the service, and what every answer carries.

Two layers:

* :class:`GuardMiddleware`, a plain ASGI middleware in front of everything: a request id,
  the loopback-only rule when no API key is configured, the body-size limit (413, checked
  on the declared length *and* on the bytes actually received), security headers on every
  response, and the request metrics. Plain ASGI rather than Starlette's
  ``BaseHTTPMiddleware`` because it adds microseconds, not a task per request.
* :func:`require`, a FastAPI dependency per endpoint: the API key (``Authorization:
  Bearer`` or ``X-API-Key``) must be known (401) and hold the endpoint's scope (403).
"""

from __future__ import annotations

import ipaddress
import json
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from fastapi import HTTPException, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.auth import KeyRing
from service.auth import Scope as KeyScope
from service.metrics import ServiceMetrics

log = logging.getLogger("screening.service")

API_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
    (b"cross-origin-resource-policy", b"same-origin"),
)
API_CSP = b"default-src 'none'; frame-ancestors 'none'"
# Swagger UI and ReDoc load their scripts and styles from jsDelivr and run an inline script.
DOCS_CSP = (
    b"default-src 'none'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    b"style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
    b"font-src https://fonts.gstatic.com; img-src 'self' data: https://fastapi.tiangolo.com "
    b"https://cdn.redoc.ly; connect-src 'self'; worker-src blob:; frame-ancestors 'none'"
)
DOCS_PATHS = frozenset({"/docs", "/redoc", "/docs/oauth2-redirect"})

NO_KEY_LOOPBACK_ONLY = (
    "no API key is configured: this service accepts only loopback clients "
    "(set SCREENING_API_KEYS_FILE or SCREENING_API_KEYS)"
)


def is_loopback(host: str | None) -> bool:
    if host is None:
        return False
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True, slots=True)
class GuardConfig:
    max_body_bytes: int
    loopback_only: bool


async def _send_json(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        *API_HEADERS,
        (b"content-security-policy", API_CSP),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class GuardMiddleware:
    def __init__(self, app: ASGIApp, config: GuardConfig, metrics: ServiceMetrics) -> None:
        self.app = app
        self.config = config
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        status_seen = 500
        started_response = False
        csp = DOCS_CSP if scope["path"] in DOCS_PATHS else API_CSP

        async def send_with_headers(message: Message) -> None:
            nonlocal status_seen, started_response
            if message["type"] == "http.response.start":
                status_seen = message["status"]
                started_response = True
                given = message.get("headers", [])
                # A route may set a stricter-than-docs policy of its own (the lookup page).
                own_csp = next(
                    (v for k, v in given if k.lower() == b"content-security-policy"), None
                )
                headers = [(k, v) for k, v in given if k.lower() not in _OWN_HEADERS]
                headers += [
                    *API_HEADERS,
                    (b"content-security-policy", own_csp or csp),
                    (b"x-request-id", request_id.encode()),
                ]
                message = {**message, "headers": headers}
            await send(message)

        try:
            client = scope.get("client")
            if self.config.loopback_only and not is_loopback(client[0] if client else None):
                await _send_json(send_with_headers, 403, NO_KEY_LOOPBACK_ONLY)
                return
            body_receive = await self._bounded_body(scope, receive, send_with_headers)
            if body_receive is None:
                return
            await self.app(scope, body_receive, send_with_headers)
        except Exception:
            # Answer a bug with a plain 500 that still carries the security headers.
            log.exception("unhandled error answering %s %s", scope["method"], scope["path"])
            if started_response:
                raise
            await _send_json(send_with_headers, 500, "internal error")
        finally:
            route = scope.get("route")
            endpoint = getattr(route, "path", None) or "unmatched"
            self.metrics.observe_request(
                endpoint, scope["method"], status_seen, time.perf_counter() - started
            )

    async def _bounded_body(self, scope: Scope, receive: Receive, send: Send) -> Receive | None:
        """The request body read up front within the limit, replayed; None once refused."""
        limit = self.config.max_body_bytes
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await _send_json(send, 400, "Content-Length is not a number")
                    return None
                if declared > limit:
                    await _send_json(send, 413, f"request body larger than {limit} bytes")
                    return None
        if scope["method"] in ("GET", "HEAD", "OPTIONS", "DELETE"):
            return receive
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await _send_json(send, 413, f"request body larger than {limit} bytes")
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return replay


_OWN_HEADERS = frozenset(
    {name for name, _ in API_HEADERS} | {b"content-security-policy", b"x-request-id"}
)

# The two ways of presenting a key, for the OpenAPI document (see service.app). They are
# declared there rather than as FastAPI security dependencies, which would be solved on
# every request only to be ignored: :func:`authorise` reads the headers itself.
SECURITY_SCHEMES: dict[str, dict[str, str]] = {
    "bearerKey": {"type": "http", "scheme": "bearer", "description": "Authorization: Bearer <key>"},
    "apiKeyHeader": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
}
SECURED: dict[str, Any] = {"security": [{"bearerKey": []}, {"apiKeyHeader": []}]}


@dataclass(frozen=True, slots=True)
class Caller:
    """Who is calling: a named key, or an anonymous loopback client when no key is set."""

    key_name: str | None

    @property
    def label(self) -> str:
        return self.key_name or "anonymous-loopback"


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(401, detail, headers={"WWW-Authenticate": "Bearer"})


def presented_key(request: Request) -> str | None:
    """The key from ``Authorization: Bearer`` or else ``X-API-Key``; 401 when malformed."""
    authorization = request.headers.get("authorization")
    if authorization:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise _unauthorized("the Authorization header must be 'Bearer <API key>'")
        return token.strip()
    return request.headers.get("x-api-key") or None


def authorise(request: Request, scope: KeyScope) -> Caller:
    """The caller, if its key holds ``scope``: 401 for a missing or unknown key, 403 for a
    missing scope. Any caller when no key is configured (the guard let only loopback in)."""
    state = request.app.state.service
    if not state.keys_required:  # fixed at start: revoking every key never opens the door
        return Caller(None)
    keys: KeyRing = state.keys
    presented = presented_key(request)
    if not presented:
        raise _unauthorized("an API key is required (Authorization: Bearer or X-API-Key)")
    key = keys.find(presented)
    if key is None:
        raise _unauthorized("unknown API key")
    if scope not in key.scopes:
        raise HTTPException(403, f"the key {key.name!r} lacks the {scope.value!r} scope")
    return Caller(key.name)


def require(scope: KeyScope) -> Callable[..., Awaitable[Caller]]:
    """A dependency admitting callers whose key holds ``scope``."""

    async def dependency(request: Request) -> Caller:
        return authorise(request, scope)

    return dependency
