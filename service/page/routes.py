"""The lookup page officers use: search any script, see why it matched, open the listing.

Server-rendered HTML forms (every feature works without JavaScript; ``static/page.js``
only adds keyboard and print conveniences) over the same :class:`engines.base.Engine` as
the API:

* ``GET /``: the search page; with ``q`` it shows ranked candidates and their explanations.
* ``GET /export.csv``: the same search as a CSV record for the case file.
* ``GET /entity/{id}``: one listing in full, with the list version it comes from.
* ``GET /status``: each loaded list's version, publication date and age.
* ``GET|POST /batch``: a pasted or uploaded CSV of parties, one result per row.
* ``POST /decision``: the decision form of results and entity pages
  (:mod:`service.page.decide`).
* ``GET|POST /signin``, ``POST /signout``: when API keys are configured, an officer signs in
  once with a key (held as a signed HttpOnly, SameSite=Strict session cookie).

Searching needs a key with the ``read`` scope, batch screening one with ``screen``. Every
search, export and batch is recorded in the audit trail like ``POST /v1/screen`` and
honours recorded decisions (:mod:`service.page.recording`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from core.countries import country_code, is_country_code
from core.model import Entity, Kind
from core.score import ALERT_THRESHOLD
from core.score import Query as ScreeningQuery
from engines.base import Engine, EngineUnavailable, Hit, IndexInfo, ListInfo
from service.audit import PAGE_BATCH, PAGE_EXPORT, PAGE_SEARCH, AuditError
from service.auth import Scope
from service.page.batch import BatchError, BatchRow, parse_batch
from service.page.explain import ExplanationView, explanation_view
from service.page.export import CheckedQuery, checks_csv
from service.page.recording import cleared_of, record_page_screening
from service.page.render import STATIC_DIR, Access, access_of, render, secure_cookies
from service.page.session import CSRF_FIELD, SESSION_COOKIE
from service.page.views import (
    KIND_LABELS,
    address_text,
    date_text,
    entity_summary,
    name_groups,
    property_label,
)
from service.schemas import _DOB, ClearedOut, Party, PartyResult, ScreenResponse, check_text
from service.screening import lists_used, query_of
from service.state import ServiceState, get_state

router = APIRouter(include_in_schema=False)

SEARCH_LIMITS = (5, 10, 25)
BATCH_MATCHES = 3  # candidates kept per batch row
STATIC_TYPES = {
    "page.css": "text/css; charset=utf-8",
    "page.js": "text/javascript; charset=utf-8",
    "favicon.svg": "image/svg+xml",
}

StateDep = Annotated[ServiceState, Depends(get_state)]


async def _info(state: ServiceState) -> IndexInfo | None:
    if state.engine is None:
        return None
    try:
        return await state.engine.info()
    except EngineUnavailable:
        return None


def _engine(state: ServiceState) -> Engine:
    if state.engine is None:
        raise EngineUnavailable("the screening engine is not open yet")
    return state.engine


async def _gate(
    request: Request, state: ServiceState, access: Access, scope: Scope, info: IndexInfo | None
) -> Response | None:
    """A sign-in redirect or a refusal page, or None when the officer may go on."""
    if not access.keys_required:
        return None
    if access.key is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/signin?next={quote(target)}", status_code=303)
    if scope not in access.key.scopes:
        message = f"The key “{access.key.name}” does not allow this ({scope.value} scope needed)."
        return render(
            request, access, "error.html", info=info, state=state, status=403, message=message
        )
    return None


async def _enter(
    request: Request, state: ServiceState, scope: Scope
) -> tuple[Access, IndexInfo | None, Response | None]:
    """What every gated page starts with: who asks, what is loaded, and whether they may."""
    access = access_of(state, request)
    info = await _info(state)
    return access, info, await _gate(request, state, access, scope, info)


def _unavailable(
    request: Request, access: Access, state: ServiceState, exc: EngineUnavailable
) -> HTMLResponse:
    message = f"The screening engine is unavailable: {exc.reason}"
    return render(
        request, access, "error.html", info=None, state=state, status=503, message=message
    )


# --- search ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SearchForm:
    q: str
    type: str
    country: str
    dob: str
    lists: tuple[str, ...]
    limit: int
    errors: dict[str, str]
    country_code: str | None

    def query_string(self, **extra: str) -> str:
        pairs = [("q", self.q), ("type", self.type), ("country", self.country), ("dob", self.dob)]
        pairs += [("list", item) for item in self.lists]
        pairs += [("limit", str(self.limit)), *extra.items()]
        return urlencode([(k, v) for k, v in pairs if v])

    def screening_query(self) -> ScreeningQuery:
        kind = Kind(self.type) if self.type else None
        return ScreeningQuery(self.q.strip(), kind, self.country_code, self.dob or None)

    def party(self) -> Party:
        """The searched name as the API's party (what the audit record and decisions use)."""
        return Party(
            name=self.q.strip(),
            type=self.type or None,  # type: ignore[arg-type]
            country=self.country_code,
            date_of_birth=self.dob or None,
        )


def search_form(request: Request, info: IndexInfo | None, max_name_length: int) -> SearchForm:
    params = request.query_params
    q = params.get("q", "")
    kind = params.get("type", "")
    country = params.get("country", "").strip()
    dob = params.get("dob", "").strip()
    loaded = {item.id for item in info.lists} if info else set()
    chosen = tuple(dict.fromkeys(v for v in params.getlist("list") if v in loaded))
    if set(chosen) == loaded:
        chosen = ()  # every list ticked: the same as none named
    try:
        limit = int(params.get("limit", "10"))
    except ValueError:
        limit = 10
    limit = limit if limit in SEARCH_LIMITS else 10
    errors: dict[str, str] = {}
    try:
        check_text(q, "the name", max_name_length)
    except ValueError as exc:
        errors["q"] = str(exc).capitalize()
    if kind and kind not in KIND_LABELS:
        errors["type"] = "Choose a type from the list."
        kind = ""
    code = None
    if country:
        code = country.upper() if len(country) == 2 else country_code(country)
        if code is None or not is_country_code(code):
            errors["country"] = "Unknown country: use a code such as IR or a name such as Iran."
            code = None
    if dob and not _DOB.match(dob):
        errors["dob"] = "Use YYYY, YYYY-MM or YYYY-MM-DD."
    return SearchForm(q, kind, country, dob, chosen, limit, errors, code)


@dataclass(frozen=True, slots=True)
class ResultItem:
    rank: int
    entity: Entity
    summary: str
    view: ExplanationView
    list_title: str
    cleared: ClearedOut | None = None  # a recorded decision cleared this hit


def result_items(
    query: str,
    hits: list[Hit],
    info: IndexInfo,
    cleared: dict[str, ClearedOut] | None = None,
) -> list[ResultItem]:
    ordered = sorted(hits, key=lambda h: (-h.score, h.entity.id))
    items = []
    for rank, hit in enumerate(ordered, 1):
        listed = info.list(hit.entity.list_id)
        items.append(
            ResultItem(
                rank=rank,
                entity=hit.entity,
                summary=entity_summary(hit.entity),
                view=explanation_view(query, hit.explanation),
                list_title=listed.title if listed else hit.entity.list_id,
                cleared=(cleared or {}).get(hit.entity.id),
            )
        )
    return items


def _searched(info: IndexInfo, chosen: tuple[str, ...]) -> list[ListInfo]:
    return lists_used(info, list(chosen) or None)


@router.get("/", response_class=HTMLResponse)
async def search_page(request: Request, state: StateDep) -> Response:
    access, info, refused = await _enter(request, state, Scope.READ)
    if refused is not None:
        return refused
    form = search_form(request, info, state.settings.max_name_length)
    context: dict[str, Any] = {
        "form": form,
        "items": None,
        "limits": SEARCH_LIMITS,
        "threshold": ALERT_THRESHOLD,
    }
    if form.q.strip() and not form.errors and info is not None:
        started = time.perf_counter()
        try:
            hits = await _engine(state).screen(
                form.screening_query(), limit=form.limit, lists=list(form.lists) or None
            )
            results, response = await record_page_screening(
                request, state, access, info, [form.party()], [hits],
                lists=form.lists, limit=form.limit, channel=PAGE_SEARCH,
            )  # fmt: skip
        except EngineUnavailable as exc:
            return _unavailable(request, access, state, exc)
        except AuditError as exc:
            return _unrecorded(request, access, state, exc)
        context |= {
            "items": result_items(form.q, hits, info, cleared_of(results[0])),
            "request_id": response.request_id,
            "party": form.party(),
            "elapsed_ms": (time.perf_counter() - started) * 1000,
            "checked_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
            "searched": _searched(info, form.lists),
            "export_url": "/export.csv?" + form.query_string(),
        }
    return render(request, access, "search.html", info=info, state=state, **context)


@router.get("/export.csv")
async def export_search(request: Request, state: StateDep) -> Response:
    access, info, refused = await _enter(request, state, Scope.READ)
    if refused is not None:
        return refused
    form = search_form(request, info, state.settings.max_name_length)
    if not form.q.strip() or form.errors or info is None:
        return RedirectResponse("/?" + form.query_string(), status_code=303)
    try:
        hits = await _engine(state).screen(
            form.screening_query(), limit=form.limit, lists=list(form.lists) or None
        )
        results, _ = await record_page_screening(
            request, state, access, info, [form.party()], [hits],
            lists=form.lists, limit=form.limit, channel=PAGE_EXPORT,
        )  # fmt: skip
    except EngineUnavailable as exc:
        return _unavailable(request, access, state, exc)
    except AuditError as exc:
        return _unrecorded(request, access, state, exc)
    hits = sorted(hits, key=lambda h: (-h.score, h.entity.id))
    now = datetime.now(UTC)
    check = CheckedQuery(
        row=1,
        name=form.q,
        type=form.type or None,
        country=form.country_code,
        date_of_birth=form.dob or None,
        decision=results[0].decision,
        hits=hits,
        cleared=cleared_of(results[0]),
    )
    text = checks_csv(
        [check],
        lists=_searched(info, form.lists),
        index_version=info.version,
        checked_at=now.isoformat(timespec="seconds"),
        checked_by=access.label,
    )
    return _csv_response(text, f"screening-check-{now:%Y%m%d-%H%M%S}.csv")


def _unrecorded(
    request: Request, access: Access, state: ServiceState, exc: AuditError
) -> HTMLResponse:
    message = f"Not screened: the check could not be recorded in the audit trail ({exc})."
    return render(
        request, access, "error.html", info=None, state=state, status=503, message=message
    )


def _csv_response(text: str, filename: str) -> Response:
    # A byte-order mark so spreadsheet programs read the names in every script as UTF-8.
    return Response(
        "\ufeff" + text,
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{filename}"'},
    )


# --- entity and status ---------------------------------------------------------------------


@router.get("/entity/{entity_id}", response_class=HTMLResponse)
async def entity_page(entity_id: str, request: Request, state: StateDep) -> Response:
    access, info, refused = await _enter(request, state, Scope.READ)
    if refused is not None:
        return refused
    try:
        entity = await _engine(state).entity(entity_id[:200])
    except EngineUnavailable as exc:
        return _unavailable(request, access, state, exc)
    if entity is None:
        message = f"No listed entity “{entity_id[:200]}” in the loaded lists."
        return render(
            request, access, "error.html", info=info, state=state, status=404, message=message
        )
    listed = info.list(entity.list_id) if info else None
    context: dict[str, Any] = {
        "entity": entity,
        "listed": listed,
        "groups": name_groups(entity.names),
        "kind_label": KIND_LABELS.get(entity.kind.value, entity.kind.value),
        "date_text": date_text,
        "address_text": address_text,
        "property_label": property_label,
        "back": request.query_params.get("back", ""),
        "party": _party_of(request),
    }
    return render(request, access, "entity.html", info=info, state=state, **context)


def _party_of(request: Request) -> Party | None:
    """The searched party the entity page was opened for (its decision form), if valid."""
    params = request.query_params
    name = params.get("q", "").strip()
    if not name:
        return None
    country = params.get("country", "").strip()
    code = (country.upper() if len(country) == 2 else country_code(country)) if country else None
    try:
        return Party(
            name=name,
            type=params.get("type") or None,  # type: ignore[arg-type]
            country=code,
            date_of_birth=params.get("dob") or None,
        )
    except ValueError:
        return None


@router.get("/status", response_class=HTMLResponse)
async def status_page(request: Request, state: StateDep) -> Response:
    access, info, refused = await _enter(request, state, Scope.READ)
    if refused is not None:
        return refused
    return render(request, access, "status.html", info=info, state=state)


# --- batch ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BatchResult:
    row: BatchRow
    decision: str  # alert / clear / error
    best: ResultItem | None
    alerts: int


@router.get("/batch", response_class=HTMLResponse)
async def batch_form(request: Request, state: StateDep) -> Response:
    access, info, refused = await _enter(request, state, Scope.SCREEN)
    if refused is not None:
        return refused
    return render(
        request,
        access,
        "batch.html",
        info=info,
        state=state,
        results=None,
        error=None,
        text="",
        chosen=(),
        max_rows=state.settings.page_batch_max_rows,
    )


async def _screen_batch(
    request: Request, state: StateDep, access: Access, rows: list[BatchRow], chosen: list[str]
) -> tuple[list[BatchResult], list[CheckedQuery], ScreenResponse | None]:
    """Screens the valid rows, records them in the audit trail, returns per-row results."""
    engine = _engine(state)
    info = await engine.info()
    parties = [row.party for row in rows if row.party is not None]
    hits_per_party: list[list[Hit]] = []
    for party in parties:
        hits = await engine.screen(query_of(party), limit=BATCH_MATCHES, lists=chosen or None)
        hits_per_party.append(sorted(hits, key=lambda h: (-h.score, h.entity.id)))
    response = None
    results: list[PartyResult] = []
    if parties:
        results, response = await record_page_screening(
            request, state, access, info, parties, hits_per_party,
            lists=chosen, limit=BATCH_MATCHES, channel=PAGE_BATCH,
        )  # fmt: skip
    out: list[BatchResult] = []
    checks: list[CheckedQuery] = []
    found = iter(zip(hits_per_party, results, strict=True))
    for row in rows:
        if row.party is None:
            out.append(BatchResult(row, "error", None, 0))
            checks.append(
                CheckedQuery(
                    row.line, ",".join(row.cells), None, None, None, f"error: {row.error}", []
                )
            )
            continue
        hits, result = next(found)
        cleared = cleared_of(result)
        alerts = sum(1 for m in result.matches if m.alert)
        best = result_items(row.party.name, hits[:1], info, cleared)[0] if hits else None
        out.append(BatchResult(row, result.decision, best, alerts))
        party = row.party
        checks.append(
            CheckedQuery(
                row.line,
                party.name,
                party.type,
                party.country,
                party.date_of_birth,
                result.decision,
                hits,
                cleared,
            )
        )
    return out, checks, response


@router.post("/batch", response_class=HTMLResponse)
async def batch_submit(request: Request, state: StateDep) -> Response:
    access, info, refused = await _enter(request, state, Scope.SCREEN)
    if refused is not None:
        return refused
    form = await request.form()
    if not access.signer.csrf_ok(request.cookies.get("screening_csrf"), _field(form, CSRF_FIELD)):
        return _csrf_refused(request, access, state, info)
    loaded = {item.id for item in info.lists} if info else set()
    chosen = [str(v) for v in form.getlist("list") if v in loaded]
    text = _field(form, "csv") or ""
    upload = form.get("file")
    data: str | bytes = text
    if isinstance(upload, UploadFile) and upload.filename:
        data = await upload.read()
    settings = state.settings
    context: dict[str, Any] = {
        "results": None,
        "error": None,
        "text": text,
        "chosen": chosen,
        "max_rows": settings.page_batch_max_rows,
    }
    try:
        rows = parse_batch(data, settings.page_batch_max_rows, settings.max_name_length)
    except BatchError as exc:
        context["error"] = str(exc)
        return render(request, access, "batch.html", info=info, state=state, status=200, **context)
    try:
        results, checks, response = await _screen_batch(request, state, access, rows, chosen)
    except EngineUnavailable as exc:
        return _unavailable(request, access, state, exc)
    except AuditError as exc:
        message = f"The batch was not screened because it could not be recorded: {exc}"
        return render(
            request, access, "error.html", info=info, state=state, status=503, message=message
        )
    now = datetime.now(UTC)
    if _field(form, "action") == "csv" and info is not None:
        csv_text = checks_csv(
            checks,
            lists=lists_used(info, chosen or None),
            index_version=info.version,
            checked_at=now.isoformat(timespec="seconds"),
            checked_by=access.label,
        )
        return _csv_response(csv_text, f"screening-batch-{now:%Y%m%d-%H%M%S}.csv")
    context |= {
        "results": results,
        "request_id": response.request_id if response else None,
        "checked_at": now.strftime("%Y-%m-%d %H:%M:%S UTC"),
        "alerts": sum(1 for r in results if r.decision == "alert"),
        "errors": sum(1 for r in results if r.decision == "error"),
        "searched": lists_used(info, chosen or None) if info else [],
    }
    return render(request, access, "batch.html", info=info, state=state, **context)


def _field(form: Any, name: str) -> str | None:
    value = form.get(name)
    return value if isinstance(value, str) else None


def _csrf_refused(
    request: Request, access: Access, state: ServiceState, info: IndexInfo | None
) -> HTMLResponse:
    message = (
        "This form had expired or did not come from this page (CSRF check failed). "
        "Go back, reload the page and submit it again."
    )
    return render(
        request, access, "error.html", info=info, state=state, status=403, message=message
    )


# --- sign-in -------------------------------------------------------------------------------


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never "//host" or "https://host" (an open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@router.get("/signin", response_class=HTMLResponse)
async def signin_form(request: Request, state: StateDep) -> Response:
    access = access_of(state, request)
    info = await _info(state)
    target = _safe_next(request.query_params.get("next"))
    return render(request, access, "signin.html", info=info, state=state, next=target, error=None)


@router.post("/signin", response_class=HTMLResponse)
async def signin_submit(request: Request, state: StateDep) -> Response:
    access = access_of(state, request)
    info = await _info(state)
    form = await request.form()
    target = _safe_next(_field(form, "next"))
    if not access.signer.csrf_ok(request.cookies.get("screening_csrf"), _field(form, CSRF_FIELD)):
        return _csrf_refused(request, access, state, info)
    if not access.keys_required:
        return RedirectResponse(target, status_code=303)
    key = state.keys.find((_field(form, "key") or "").strip())
    if key is None:
        return render(
            request,
            access,
            "signin.html",
            info=info,
            state=state,
            status=401,
            next=target,
            error="Unknown key. Check it and try again.",
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
    if not access.signer.csrf_ok(request.cookies.get("screening_csrf"), _field(form, CSRF_FIELD)):
        return _csrf_refused(request, access, state, await _info(state))
    response = RedirectResponse("/signin", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
    return response


# --- assets --------------------------------------------------------------------------------


@router.get("/static/{name}")
async def static_file(name: str) -> Response:
    """The page's own CSS, script and icon (a fixed set: no path from the request is read)."""
    media_type = STATIC_TYPES.get(name)
    if media_type is None:
        return Response("not found", status_code=404, media_type="text/plain")
    return Response((STATIC_DIR / name).read_bytes(), media_type=media_type)
