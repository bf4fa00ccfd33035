"""Who may call the service, and what every answer carries.

Two layers:

* :class:`GuardMiddleware`, a plain ASGI middleware in front of everything: the request id
  (the caller's ``X-Request-ID`` when it sends a usable one), the loopback-only rule when
  no API key is configured, the body-size limit (413, checked on the declared length *and*
  on the bytes actually received), 415 for an API body that is not JSON, security and
  rate-limit headers on every response, the request metrics and the JSON access log.
  Plain ASGI rather than Starlette's ``BaseHTTPMiddleware`` because it adds microseconds,
  not a task per request.
* :func:`require`, a FastAPI dependency per endpoint: the API key (``Authorization:
  Bearer`` or ``X-API-Key``) must be known (401) and hold the endpoint's scope (403), and
  the key's request rate must allow the request (429, :mod:`service.ratelimit`).
"""

from __future__ import annotations

import ipaddress
import logging
import re
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from fastapi import HTTPException, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.auth import KeyRing
from service.auth import Scope as KeyScope
from service.logs import log_access
from service.metrics import ServiceMetrics
from service.problems import (
    API_PREFIXES,
    BAD_REQUEST,
    FORBIDDEN,
    INTERNAL,
    PROBLEM_MEDIA_TYPE,
    RATE_LIMITED,
    TOO_LARGE,
    UNSUPPORTED_MEDIA_TYPE,
    ProblemError,
    ProblemType,
    problem_body,
    problem_bytes,
)
from service.ratelimit import Limits, limits_of, rate_headers

log = logging.getLogger("screening.service")

API_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
    (b"cross-origin-resource-policy", b"same-origin"),
)
API_CSP = b"default-src 'none'; frame-ancestors 'none'"
# Swagger UI and ReDoc are served by the service itself (service.docs): scripts only from
# here, no inline script; their styles set inline style attributes, ReDoc a blob worker.
DOCS_CSP = (
    b"default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    b"img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src blob:; "
    b"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
DOCS_PATHS = frozenset({"/docs", "/redoc", "/docs/oauth2-redirect"})
# A caller's X-Request-ID is taken when it is 1-128 of these characters; else ours is used.
_CALLER_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:/+=@-]{1,128}$")
_JSON_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})

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


async def _send_problem(
    send: Send, scope: Scope, kind: ProblemType, detail: str, status: int | None = None
) -> None:
    """A problem answered by the middleware itself (before or instead of the app)."""
    state = scope.setdefault("state", {})
    state["problem"] = kind.slug
    code = status or kind.status
    body = problem_bytes(
        problem_body(code, detail, str(state.get("correlation_id", "")), kind=kind)
    )
    headers = [
        (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
        (b"content-length", str(len(body)).encode()),
    ]
    await send({"type": "http.response.start", "status": code, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _is_json(content_type: bytes) -> bool:
    media = content_type.split(b";", 1)[0].strip().lower()
    return media == b"application/json" or (
        media.startswith(b"application/") and media.endswith(b"+json")
    )


def caller_request_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"x-request-id":
            text = value.decode("latin-1").strip()
            return text if _CALLER_REQUEST_ID.match(text) else None
    return None


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
        correlation_id = caller_request_id(scope) or request_id
        state = scope.setdefault("state", {})
        # request_id: ours, unique (a screening's id, its audit record's key);
        # correlation_id: what X-Request-ID, the logs and problem details carry.
        state["request_id"] = request_id
        state["correlation_id"] = correlation_id
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
                    (b"x-request-id", correlation_id.encode()),
                ]
                verdicts = state.get("rate_verdicts")
                if verdicts:
                    headers += rate_headers(verdicts)
                message = {**message, "headers": headers}
            await send(message)

        try:
            client = scope.get("client")
            if self.config.loopback_only and not is_loopback(client[0] if client else None):
                await _send_problem(send_with_headers, scope, FORBIDDEN, NO_KEY_LOOPBACK_ONLY)
                return
            body_receive = await self._bounded_body(scope, receive, send_with_headers)
            if body_receive is None:
                return
            await self.app(scope, body_receive, send_with_headers)
        except Exception:
            # Answer a bug with a plain 500 that still carries the security headers.
            log.exception(
                "unhandled error answering %s %s",
                scope["method"],
                scope["path"],
                extra={"request_id": correlation_id},
            )
            if started_response:
                raise
            await _send_problem(send_with_headers, scope, INTERNAL, "internal error")
        finally:
            route = scope.get("route")
            endpoint = getattr(route, "path", None) or "unmatched"
            seconds = time.perf_counter() - started
            self.metrics.observe_request(endpoint, scope["method"], status_seen, seconds)
            fields: dict[str, Any] = {
                "request_id": correlation_id,
                "method": scope["method"],
                "route": endpoint,
                "status": status_seen,
                "duration_ms": round(seconds * 1000, 2),
            }
            for name in _ACCESS_FIELDS:
                value = state.get(name)
                if value is not None:
                    fields[name] = value
            log_access(fields)

    async def _bounded_body(self, scope: Scope, receive: Receive, send: Send) -> Receive | None:
        """The request body read up front within the limit, replayed; None once refused."""
        limit = self.config.max_body_bytes
        content_type: bytes | None = None
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await _send_problem(send, scope, BAD_REQUEST, "Content-Length is not a number")
                    return None
                if declared > limit:
                    detail = f"request body larger than {limit} bytes"
                    await _send_problem(send, scope, TOO_LARGE, detail)
                    return None
            elif name == b"content-type":
                content_type = value
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
                await _send_problem(
                    send, scope, TOO_LARGE, f"request body larger than {limit} bytes"
                )
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if (
            scope["method"] in _JSON_BODY_METHODS
            and scope["path"].startswith(API_PREFIXES)
            and (content_type is not None or body)
            and not _is_json(content_type or b"")
        ):
            given = (content_type or b"none").decode("latin-1")[:100]
            detail = f"send the body as Content-Type: application/json (got {given})"
            await _send_problem(send, scope, UNSUPPORTED_MEDIA_TYPE, detail)
            return None
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return replay


# What routes leave on the request state for the access log (see service.logs).
_ACCESS_FIELDS = ("key", "decision", "parties", "audit_id", "problem", "names")

_OWN_HEADERS = frozenset(
    {name for name, _ in API_HEADERS}
    | {b"content-security-policy", b"x-request-id", b"ratelimit", b"ratelimit-policy"}
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
    rate: str | None = None  # the key's own rate ("50/s"); None: the default

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
        caller = Caller(None)
    else:
        keys: KeyRing = state.keys
        presented = presented_key(request)
        if not presented:
            raise _unauthorized("an API key is required (Authorization: Bearer or X-API-Key)")
        key = keys.find(presented)
        if key is None:
            raise _unauthorized("unknown API key")
        if scope not in key.scopes:
            raise HTTPException(403, f"the key {key.name!r} lacks the {scope.value!r} scope")
        caller = Caller(key.name, key.rate)
    request.scope["state"]["key"] = caller.label
    charge(request, caller, "requests", 1)
    return caller


def charge(request: Request, caller: Caller, policy: str, cost: float) -> None:
    """Take ``cost`` requests or parties from the caller's buckets: 429 when they are
    empty. Every verdict goes into the answer's RateLimit headers."""
    limits: Limits = limits_of(request)
    rate = limits.rate_of(caller.rate)
    if rate is None:
        return
    verdict = limits.limiter.take(caller.label, rate, policy, cost)
    if verdict is None:
        return
    state = request.scope["state"]
    state.setdefault("rate_verdicts", []).append(verdict)
    if not verdict.allowed:
        what = "requests" if policy == "requests" else f"parties ({cost:g} in this request)"
        raise ProblemError(
            RATE_LIMITED,
            f"the key {caller.label!r} is over its limit of {what}; "
            f"retry in {verdict.retry_after} s",
            retry_after=verdict.retry_after,
        )


def require(scope: KeyScope) -> Callable[..., Awaitable[Caller]]:
    """A dependency admitting callers whose key holds ``scope``."""

    async def dependency(request: Request) -> Caller:
        return authorise(request, scope)

    return dependency
