"""The app's exception handlers: every refusal leaves as RFC 9457 problem details.

FastAPI's own errors (a validation failure, 404 for an unknown path, 405, a body the JSON
parser gives up on) and the routes' errors (:class:`service.problems.ProblemError`,
``HTTPException``) all go through here. The lookup page's paths answer a browser with
an HTML error page instead (``html_page``), any other client with problem+json.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from service.problems import (
    API_PREFIXES,
    JSON_NESTING_NOTE,
    PROBLEM_MEDIA_TYPE,
    VALIDATION,
    ProblemError,
    ProblemType,
    field_errors,
    prefers_html,
    problem_body,
    problem_bytes,
    problem_type_for,
    validation_detail,
)

log = logging.getLogger("screening.service")

HtmlPage = Callable[[Request, int, str], Response]


def request_id_of(request: Request) -> str:
    """The id the caller knows the request by: the X-Request-ID it was answered with."""
    state = request.scope.get("state") or {}
    return str(state.get("correlation_id") or state.get("request_id", ""))


def note_problem(request: Request, kind: ProblemType, detail: str) -> None:
    """Leave the problem on the request for the access log (see service.logs)."""
    state = request.scope.setdefault("state", {})
    state["problem"] = kind.slug
    state["problem_detail"] = detail


def problem_response(
    request: Request,
    status: int,
    detail: str,
    *,
    kind: ProblemType | None = None,
    errors: list[dict[str, Any]] | None = None,
    headers: Mapping[str, str] | None = None,
    retry_after: int | None = None,
) -> Response:
    kind = kind or problem_type_for(status)
    note_problem(request, kind, detail)
    body = problem_body(
        status,
        detail,
        request_id_of(request),
        kind=kind,
        errors=errors,
        retry_after=retry_after,
    )
    return Response(
        problem_bytes(body), status_code=status, headers=headers, media_type=PROBLEM_MEDIA_TYPE
    )


def _wants_page(request: Request) -> bool:
    return not request.url.path.startswith(API_PREFIXES) and prefers_html(
        request.headers.get("accept")
    )


def install_problem_handlers(app: FastAPI, html_page: HtmlPage | None = None) -> None:
    """Register the handlers on ``app``; ``html_page`` renders the page's error page."""

    def answer(
        request: Request,
        status: int,
        detail: str,
        *,
        kind: ProblemType | None = None,
        errors: list[dict[str, Any]] | None = None,
        headers: Mapping[str, str] | None = None,
        retry_after: int | None = None,
    ) -> Response:
        if html_page is not None and _wants_page(request):
            note_problem(request, kind or problem_type_for(status), detail)
            page = html_page(request, status, detail)
            for name, value in (headers or {}).items():
                page.headers[name] = value
            return page
        return problem_response(
            request,
            status,
            detail,
            kind=kind,
            errors=errors,
            headers=headers,
            retry_after=retry_after,
        )

    async def invalid_request(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        errors = list(exc.errors())
        return answer(
            request, 422, validation_detail(errors), kind=VALIDATION, errors=field_errors(errors)
        )

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 400 and isinstance(exc.__cause__, RecursionError):
            # FastAPI's "There was an error parsing the body": the parser's recursion limit.
            errors = [{"loc": ("body",), "type": "json_too_deep", "msg": JSON_NESTING_NOTE}]
            return answer(
                request, 422, JSON_NESTING_NOTE, kind=VALIDATION, errors=field_errors(errors)
            )
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"no such path: {request.url.path[:200]}"
        elif exc.status_code == 405:
            detail = f"{request.method} is not allowed on {request.url.path[:200]}"
        return answer(request, exc.status_code, detail, headers=exc.headers)

    async def problem_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ProblemError)
        return answer(
            request,
            exc.kind.status,
            exc.detail,
            kind=exc.kind,
            headers=exc.headers,
            retry_after=exc.retry_after,
        )

    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(ProblemError, problem_error)
