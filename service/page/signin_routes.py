"""Signing in and out of the lookup page, and choosing its language.

``GET|POST /signin``, ``POST /signout``: when API keys are configured, an officer signs in
once with a key (held as a signed HttpOnly, SameSite=Strict session cookie). A key that
cannot search (no ``read`` scope) is refused at sign-in, with the scope it lacks named,
rather than let in to a page that could only refuse it.

``GET /language?lang=ja&next=/...``: the language switcher; a cookie keeps the choice.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from service.auth import Scope
from service.i18n import LANG_COOKIE, languages
from service.page.common import StateDep, csrf_ok, csrf_refused, field, index_info, scope_missing
from service.page.render import access_of, messages_of, render, secure_cookies
from service.page.session import SESSION_COOKIE

router = APIRouter(include_in_schema=False)

# The scope the page needs to be of any use: searching. Batches need "screen" as well.
SIGN_IN_SCOPE = Scope.READ
LANG_COOKIE_DAYS = 365


def safe_next(target: str | None) -> str:
    """Only a path on this site: never "//host" or "https://host" (an open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@router.get("/signin", response_class=HTMLResponse)
async def signin_form(request: Request, state: StateDep) -> Response:
    access = access_of(state, request)
    info = await index_info(state)
    target = safe_next(request.query_params.get("next"))
    return render(request, access, "signin.html", info=info, state=state, next=target, error=None)


@router.post("/signin", response_class=HTMLResponse)
async def signin_submit(request: Request, state: StateDep) -> Response:
    access = access_of(state, request)
    info = await index_info(state)
    form = await request.form()
    target = safe_next(field(form, "next"))
    if not csrf_ok(request, access, form):
        return csrf_refused(request, access, state, info)
    if not access.keys_required:
        return RedirectResponse(target, status_code=303)
    key = state.keys.find((field(form, "key") or "").strip())
    error = None
    if key is None:
        error = messages_of(request).gettext("Unknown key. Check it and try again.")
        status = 401
    elif SIGN_IN_SCOPE not in key.scopes:
        error = (
            scope_missing(request, key.name, SIGN_IN_SCOPE)
            + " "
            + messages_of(request).gettext(
                "The lookup page needs a key that may search; ask for one with that scope."
            )
        )
        status = 403
    if key is None or error is not None:
        return render(
            request,
            access,
            "signin.html",
            info=info,
            state=state,
            status=status,
            next=target,
            error=error,
        )
    response = RedirectResponse(target, status_code=303)
    hours = state.settings.page_session_hours
    response.set_cookie(
        SESSION_COOKIE,
        access.signer.session_value(key, hours),
        max_age=hours * 3600,
        httponly=True,
        samesite="strict",
        secure=secure_cookies(request),
        path="/",
    )
    return response


@router.post("/signout")
async def signout(request: Request, state: StateDep) -> Response:
    access = access_of(state, request)
    form = await request.form()
    if not csrf_ok(request, access, form):
        return csrf_refused(request, access, state, await index_info(state))
    response = RedirectResponse("/signin", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
    return response


@router.get("/language")
async def choose_language(request: Request) -> Response:
    """Keeps the officer's language in a cookie and goes back where they were."""
    tag = request.query_params.get("lang", "")
    target = safe_next(request.query_params.get("next"))
    response = RedirectResponse(target, status_code=303)
    if tag in languages():
        response.set_cookie(
            LANG_COOKIE,
            tag,
            max_age=LANG_COOKIE_DAYS * 86400,
            samesite="lax",
            secure=secure_cookies(request),
            path="/",
        )
    return response
