"""What every page route starts with: who asks, what is loaded, whether they may, and the
pages that refuse (sign-in redirect, missing scope, engine down, CSRF failure)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from engines.base import Engine, EngineUnavailable, IndexInfo
from service.auth import Scope
from service.page.render import Access, access_of, messages_of, render
from service.page.session import CSRF_COOKIE, CSRF_FIELD
from service.state import ServiceState, get_state

StateDep = Annotated[ServiceState, Depends(get_state)]


async def index_info(state: ServiceState) -> IndexInfo | None:
    if state.engine is None:
        return None
    try:
        return await state.engine.info()
    except EngineUnavailable:
        return None


def engine_of(state: ServiceState) -> Engine:
    if state.engine is None:
        raise EngineUnavailable("the screening engine is not open yet")
    return state.engine


def scope_missing(request: Request, key_name: str, scope: Scope) -> str:
    """The message naming the scope a key lacks, in the officer's language."""
    return messages_of(request).tr(
        "The key “{key}” does not allow this: it lacks the {scope} scope.",
        key=key_name,
        scope=scope.value,
    )


async def gate(
    request: Request, state: ServiceState, access: Access, scope: Scope, info: IndexInfo | None
) -> Response | None:
    """A sign-in redirect or a refusal page, or None when the officer may go on."""
    if not access.keys_required:
        return None
    if access.key is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/signin?next={quote(target)}", status_code=303)
    if scope not in access.key.scopes:
        message = scope_missing(request, access.key.name, scope)
        return render(
            request, access, "error.html", info=info, state=state, status=403, message=message
        )
    return None


async def enter(
    request: Request, state: ServiceState, scope: Scope
) -> tuple[Access, IndexInfo | None, Response | None]:
    """What every gated page starts with: who asks, what is loaded, and whether they may."""
    access = access_of(state, request)
    info = await index_info(state)
    return access, info, await gate(request, state, access, scope, info)


def unavailable(
    request: Request, access: Access, state: ServiceState, exc: EngineUnavailable
) -> HTMLResponse:
    message = messages_of(request).tr(
        "The screening engine is unavailable: {reason}", reason=exc.reason
    )
    return render(
        request, access, "error.html", info=None, state=state, status=503, message=message
    )


def unrecorded(
    request: Request, access: Access, state: ServiceState, exc: Exception
) -> HTMLResponse:
    """A screening (or a decision) that could not be recorded is not shown (503)."""
    message = messages_of(request).tr(
        "Nothing was shown because it could not be recorded in the audit trail: {reason}",
        reason=str(exc),
    )
    return render(
        request, access, "error.html", info=None, state=state, status=503, message=message
    )


def unavailable_store(
    request: Request, access: Access, state: ServiceState, exc: Exception
) -> HTMLResponse:
    """The audit trail could not be read (the history's pages): 503, saying why."""
    message = messages_of(request).tr(
        "The audit trail cannot be read just now: {reason}", reason=str(exc)
    )
    return render(
        request, access, "error.html", info=None, state=state, status=503, message=message
    )


def field(form: Any, name: str) -> str | None:
    value = form.get(name)
    return value if isinstance(value, str) else None


def csrf_ok(request: Request, access: Access, form: Any) -> bool:
    return access.signer.csrf_ok(request.cookies.get(CSRF_COOKIE), field(form, CSRF_FIELD))


def csrf_refused(
    request: Request, access: Access, state: ServiceState, info: IndexInfo | None
) -> HTMLResponse:
    message = messages_of(request).gettext(
        "This form had expired or did not come from this page (CSRF check failed). "
        "Go back, reload the page and submit it again."
    )
    return render(
        request, access, "error.html", info=info, state=state, status=403, message=message
    )


def download(body: str | bytes, media_type: str, filename: str) -> Response:
    """A file to save: CSV gets a byte-order mark so spreadsheets read every script."""
    if isinstance(body, str):
        body = "\ufeff" + body
    return Response(
        body,
        media_type=media_type,
        headers={"content-disposition": f'attachment; filename="{filename}"'},
    )


CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
