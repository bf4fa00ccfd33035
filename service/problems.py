"""Errors as RFC 9457 problem details (``application/problem+json``), one shape everywhere.

An integrator's client handles one error format whatever refused the request: a route, the
framework (404 for an unknown path, 405, a body that is not JSON), the guard middleware
(413, the loopback-only rule) or the rate limiter (429). Every problem carries ``type`` (a
URN naming the kind of problem, stable for clients to branch on), ``title`` (fixed per
type), ``status``, ``detail`` (what went wrong this time) and ``instance`` (the request id,
so a caller can quote it to an operator). Validation problems add ``errors``: each failing
field with its location (``loc``, as FastAPI names it, and ``pointer``, a JSON Pointer
into the body), a machine ``type`` and a message; rejected input is never echoed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, Field

PROBLEM_MEDIA_TYPE = "application/problem+json"


@dataclass(frozen=True, slots=True)
class ProblemType:
    slug: str
    status: int
    title: str

    @property
    def uri(self) -> str:
        return f"urn:screening:problem:{self.slug}"


BAD_REQUEST = ProblemType("bad-request", 400, "The request cannot be read")
UNAUTHORIZED = ProblemType("unauthorized", 401, "An API key is needed")
FORBIDDEN = ProblemType("forbidden", 403, "Not allowed")
NOT_FOUND = ProblemType("not-found", 404, "Not found")
METHOD_NOT_ALLOWED = ProblemType("method-not-allowed", 405, "Method not allowed")
TOO_LARGE = ProblemType("too-large", 413, "Request body too large")
UNSUPPORTED_MEDIA_TYPE = ProblemType("unsupported-media-type", 415, "Unsupported media type")
VALIDATION = ProblemType("validation", 422, "The request is not valid")
RATE_LIMITED = ProblemType("rate-limited", 429, "Too many requests for this API key")
INTERNAL = ProblemType("internal", 500, "Internal error")
UNAVAILABLE = ProblemType("unavailable", 503, "Service unavailable")
# A kind of 422 of its own: the body is valid, but its Idempotency-Key came with another one.
IDEMPOTENCY_KEY_REUSED = ProblemType(
    "idempotency-key-reused", 422, "The Idempotency-Key was used for another request"
)

# The problem type of each status (what an HTTPException of that status becomes).
_GENERAL_TYPES: tuple[ProblemType, ...] = (
    BAD_REQUEST,
    UNAUTHORIZED,
    FORBIDDEN,
    NOT_FOUND,
    METHOD_NOT_ALLOWED,
    TOO_LARGE,
    UNSUPPORTED_MEDIA_TYPE,
    VALIDATION,
    RATE_LIMITED,
    INTERNAL,
    UNAVAILABLE,
)
PROBLEM_TYPES: tuple[ProblemType, ...] = (*_GENERAL_TYPES, IDEMPOTENCY_KEY_REUSED)
_BY_STATUS = {p.status: p for p in _GENERAL_TYPES}


def problem_type_for(status: int) -> ProblemType:
    """The problem type of a status (a status without its own type gets a generic one)."""
    found = _BY_STATUS.get(status)
    if found is not None:
        return found
    if status >= 500:
        return ProblemType(f"http-{status}", status, "Server error")
    return ProblemType(f"http-{status}", status, "Request refused")


class FieldError(BaseModel):
    """One failing field of a request."""

    loc: list[str | int] = Field(
        description="where: 'body', 'query', 'path' or 'header', then the field path",
        examples=[["body", "parties", 0, "name"]],
    )
    pointer: str | None = Field(
        None,
        description="the same place in the body as a JSON Pointer (body fields only)",
        examples=["#/parties/0/name"],
    )
    type: str = Field(description="kind of failure", examples=["value_error"])
    msg: str = Field(description="what is wrong", examples=["name is blank"])


class Problem(BaseModel):
    """An error answer (RFC 9457), served as application/problem+json."""

    type: str = Field(examples=[VALIDATION.uri])
    title: str = Field(examples=[VALIDATION.title])
    status: int = Field(ge=400, le=599, examples=[422])
    detail: str = Field(examples=["parties.0.name: name is blank"])
    instance: str = Field(
        description="the request id (also in the X-Request-ID header)",
        examples=["5b0c7e0a9d2f4a51b6c8e3f1a2b4c6d8"],
    )
    errors: list[FieldError] | None = Field(
        None, description="validation problems only: each failing field"
    )
    retry_after: int | None = Field(
        None, description="429 and some 503: seconds to wait before retrying"
    )


def pointer_of(loc: Sequence[str | int]) -> str | None:
    """``("body", "parties", 3, "name")`` as the JSON Pointer ``#/parties/3/name``."""
    if not loc or loc[0] != "body":
        return None
    parts = [str(p).replace("~", "~0").replace("/", "~1") for p in loc[1:]]
    return "#/" + "/".join(parts) if parts else "#"


def field_errors(errors: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """FastAPI/pydantic error dicts as problem ``errors`` (without the rejected input)."""
    out = []
    for error in errors:
        loc = [p if isinstance(p, int) else str(p) for p in error.get("loc", ())]
        out.append(
            {
                "loc": loc,
                "pointer": pointer_of(loc),
                "type": str(error.get("type", "value_error")),
                "msg": _plain(str(error.get("msg", "invalid"))),
            }
        )
    return out


def _plain(message: str) -> str:
    """pydantic's "Value error, name is blank" as "name is blank"."""
    return message.removeprefix("Value error, ")


def validation_detail(errors: Sequence[Mapping[str, Any]]) -> str:
    """A one-line summary of the first failures, for logs and simple clients."""
    parts = []
    for error in errors[:3]:
        loc = [str(p) for p in error.get("loc", ())]
        place = ".".join(loc[1:] if loc and loc[0] in ("body", "query", "path") else loc)
        parts.append(f"{place or 'request'}: {_plain(str(error.get('msg', 'invalid')))}")
    more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
    return "; ".join(parts) + more


def problem_body(
    status: int,
    detail: str,
    instance: str,
    *,
    kind: ProblemType | None = None,
    errors: list[dict[str, Any]] | None = None,
    retry_after: int | None = None,
) -> dict[str, Any]:
    kind = kind or problem_type_for(status)
    body: dict[str, Any] = {
        "type": kind.uri,
        "title": kind.title,
        "status": status,
        "detail": detail,
        "instance": instance,
    }
    if errors is not None:
        body["errors"] = errors
    if retry_after is not None:
        body["retry_after"] = retry_after
    return body


def problem_bytes(body: Mapping[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


class ProblemError(Exception):
    """Raised by a route for an answer that is a problem (rendered by the app's handler)."""

    def __init__(
        self,
        kind: ProblemType,
        detail: str,
        *,
        headers: Mapping[str, str] | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail
        self.headers = dict(headers or {})
        self.retry_after = retry_after


def prefers_html(accept: str | None) -> bool:
    """True when the client would rather read HTML than JSON (a browser)."""
    if not accept:
        return False
    best_html = best_json = -1.0
    for item in accept.split(","):
        media, _, params = item.strip().partition(";")
        media = media.strip().lower()
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media in ("text/html", "application/xhtml+xml"):
            best_html = max(best_html, quality)
        elif media in ("application/json", PROBLEM_MEDIA_TYPE) or media.endswith("+json"):
            best_json = max(best_json, quality)
    return best_html > 0 and best_html >= best_json


def prefers_json(accept: str | None) -> bool:
    """True when the client names JSON at least as high as HTML (an API client asking a
    page for JSON)."""
    if not accept:
        return False
    lowered = accept.lower()
    if "json" not in lowered:
        return False
    return not prefers_html(accept)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for these error statuses, as problem+json."""
    schema = {"$ref": "#/components/schemas/Problem"}
    out: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        kind = problem_type_for(status)
        out[status] = {
            "description": STATUS_DESCRIPTIONS.get(status, kind.title),
            "content": {PROBLEM_MEDIA_TYPE: {"schema": schema}},
        }
    return out


STATUS_DESCRIPTIONS: dict[int, str] = {
    400: "the body cannot be read (not UTF-8, a malformed Content-Length), or a malformed "
    "Idempotency-Key",
    401: "missing or unknown API key",
    403: "the key lacks the needed scope (or no key is configured and the client is remote)",
    404: "no such resource",
    405: "method not allowed on this path",
    413: "request body larger than max_body_bytes",
    415: "the body is not sent as application/json",
    422: "a missing, unknown or invalid field (errors lists each), or an Idempotency-Key "
    "reused with another request",
    429: "over this key's rate limit; Retry-After says when to try again",
    500: "internal error",
    503: "the engine is unavailable, or the audit record could not be written",
}


# --- rendering in the app ------------------------------------------------------------------

# Paths whose errors are always problem+json; elsewhere (the lookup page) a browser gets
# an HTML error page.
API_PREFIXES = (
    "/v1/",
    "/match/",
    "/entities/",
    "/catalog",
    "/algorithms",
    "/healthz",
    "/readyz",
    "/metrics",
    "/openapi.json",
    "/docs",
    "/redoc",
)
# Deeper than this the JSON parser gives up (Python's recursion limit); the message says so.
JSON_NESTING_NOTE = "the JSON body nests too deeply to be read (more than about 900 levels)"
