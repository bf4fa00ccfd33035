"""Rendering pages: the Jinja2 environment, the page's Content-Security-Policy, and the
per-request access (signed-in key, CSRF nonce) and language every page template needs.

Templates live in ``service/templates`` and assets in ``service/static``; both are read
from the package, never from a CDN, so the page works on a closed network.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from engines.base import IndexInfo
from service.auth import ApiKey
from service.freshness import index_freshness
from service.i18n import LANG_COOKIE, Messages, choose_language, languages
from service.outcomes import GLOSSARY, REVIEW_LINE, Outcome
from service.page.session import CSRF_COOKIE, SESSION_COOKIE, Signer, new_nonce
from service.page.views import lists_status
from service.problems import (
    PROBLEM_MEDIA_TYPE,
    prefers_json,
    problem_body,
    problem_bytes,
    problem_type_for,
)
from service.state import ServiceState

SERVICE_DIR = Path(__file__).resolve().parents[1]
TEMPLATES_DIR = SERVICE_DIR / "templates"
STATIC_DIR = SERVICE_DIR / "static"

# Scripts and styles only from this app; no inline script or style, no framing, forms post
# only here. Images: the favicon (and data: for the print of the meter in some browsers).
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)

environment = Environment(
    loader=FileSystemLoader(TEMPLATES_DIR),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def signer_of(state: ServiceState, request: Request) -> Signer:
    """The app's signer: from the settings, or one random secret for this process."""
    signer: Signer | None = getattr(request.app.state, "page_signer", None)
    if signer is None:
        secret = state.settings.page_session_secret
        signer = Signer.from_setting(secret.get_secret_value() if secret else None)
        request.app.state.page_signer = signer
    return signer


@dataclass(slots=True)
class Access:
    """Who is looking at the page, and the CSRF nonce of this browser."""

    signer: Signer
    keys_required: bool
    key: ApiKey | None
    nonce: str
    nonce_is_new: bool

    @property
    def csrf_token(self) -> str:
        return self.signer.csrf_token(self.nonce)

    @property
    def label(self) -> str:
        """Who made a check, for records: the key's name."""
        if self.key is not None:
            return self.key.name
        return "anonymous (loopback, no keys configured)"


def access_of(state: ServiceState, request: Request) -> Access:
    signer = signer_of(state, request)
    key = signer.session_key(request.cookies.get(SESSION_COOKIE), state.keys)
    nonce = request.cookies.get(CSRF_COOKIE)
    fresh = not nonce or len(nonce) > 64
    return Access(signer, state.keys_required, key, new_nonce() if fresh else str(nonce), fresh)


def messages_of(request: Request) -> Messages:
    """The language of this request: the switcher's cookie, else Accept-Language."""
    found: Messages | None = getattr(request.state, "page_messages", None)
    if found is None:
        found = choose_language(
            request.cookies.get(LANG_COOKIE),
            request.headers.get("accept-language"),
            languages(),
        )
        request.state.page_messages = found
    return found


def secure_cookies(request: Request) -> bool:
    return request.url.scheme == "https"


def render(
    request: Request,
    access: Access,
    template: str,
    *,
    info: IndexInfo | None,
    state: ServiceState,
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    if status >= 400 and prefers_json(request.headers.get("accept")):
        # An API client asking a page for JSON gets the API's error shape.
        message = str(context.get("message", "")) or "the page cannot be shown"
        kind = problem_type_for(status)
        state_ = request.scope.get("state") or {}
        instance = str(state_.get("correlation_id") or state_.get("request_id", ""))
        body = problem_bytes(problem_body(status, message, instance, kind=kind))
        return HTMLResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE)
    now = datetime.now(UTC)
    statuses = lists_status(info, index_freshness(info, now, state.settings)) if info else []
    messages = messages_of(request)
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    html = environment.get_template(template).render(
        **messages.template_globals(),
        languages=list(languages().values()),
        glossary=GLOSSARY,
        Outcome=Outcome,
        review_line=REVIEW_LINE,
        here=here,
        request_path=request.url.path,
        access=access,
        csrf_token=access.csrf_token,
        statuses=statuses,
        stale=[s for s in statuses if s.stale],
        max_age_days=state.settings.list_max_age_days,
        info=info,
        **context,
    )
    response = HTMLResponse(html, status_code=status)
    response.headers["content-security-policy"] = PAGE_CSP
    response.headers["content-language"] = messages.tag
    response.headers["vary"] = "Accept-Language, Cookie"
    if access.nonce_is_new:
        response.set_cookie(
            CSRF_COOKIE,
            access.nonce,
            httponly=True,
            samesite="strict",
            secure=secure_cookies(request),
            path="/",
        )
    return response


def preload_templates() -> None:
    """Compile every template now (a few hundred ms), not during an officer's first search."""
    for name in environment.list_templates(extensions=["html"]):
        environment.get_template(name)


preload_templates()
