"""The search page, its exported record, the listing, the list status and the glossary.

* ``GET /``: the search page; with ``q`` it shows ranked candidates, each with its outcome
  and the one sentence that says why, the technical detail a click away; one result per
  party, naming the party's other listings.
* ``GET /export.csv``, ``GET /export.xlsx``: the same search as a record for the case file.
* ``GET /entity/{id}``: one listing in full, with the list version and the official source.
  (A party's listings side by side, ``GET /party/{id}``, are :mod:`service.page.party_routes`.)
* ``GET /status``: each loaded list's version, publication date, age and publisher's page.
* ``GET /glossary``: what the outcome words mean.

Every search and export is recorded in the audit trail like ``POST /v1/screen`` (channels
``page-search``, ``page-export``) and honours recorded decisions
(:mod:`service.page.recording`): a cleared candidate shows "Cleared by decision" with who,
when and why, and under each alerting candidate is the decision form.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from core.countries import country_code, is_country_code
from core.model import Entity, Kind
from core.parties import Party as ListedParty
from core.score import ALERT_THRESHOLD
from core.score import Query as ScreeningQuery
from engines.base import EngineUnavailable, Hit, IndexInfo, ListInfo
from service.audit import PAGE_EXPORT, PAGE_SEARCH, AuditError
from service.auth import Scope
from service.i18n import Messages
from service.outcomes import Outcome, ended_on, hit_outcome, party_outcome
from service.page.common import (
    CSV_TYPE,
    XLSX_TYPE,
    StateDep,
    download,
    engine_of,
    enter,
    unavailable,
    unrecorded,
)
from service.page.explain import ExplanationView, explanation_view
from service.page.export import CheckedQuery, RecordHead, checks_csv, checks_xlsx
from service.page.recording import matches_of, record_page_screening
from service.page.render import messages_of, render
from service.page.views import (
    KIND_LABELS,
    SourceLink,
    address_text,
    date_text,
    entity_summary,
    name_groups,
    property_label,
    source_link,
)
from service.schemas import _DOB, ClearedOut, MatchOut, Party, check_date, check_name, check_text
from service.screening import engine_limit, kept_hits, lists_used

router = APIRouter(include_in_schema=False)

SEARCH_LIMITS = (5, 10, 25)


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


def search_form(
    request: Request, info: IndexInfo | None, max_name_length: int, messages: Messages
) -> SearchForm:
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
    except ValueError:
        errors["q"] = messages.tr(
            "The name is longer than {n} characters or holds control characters.",
            n=max_name_length,
        )
    if kind and kind not in KIND_LABELS:
        errors["type"] = messages.gettext("Choose a type from the list.")
        kind = ""
    code = None
    if country:
        code = country.upper() if len(country) == 2 else country_code(country)
        if code is None or not is_country_code(code):
            errors["country"] = messages.gettext(
                "Unknown country: use a code such as IR or a name such as Iran."
            )
            code = None
    if q.strip() and "q" not in errors:
        try:
            check_name(q, "the name", max_name_length)
        except ValueError:
            errors["q"] = messages.gettext("The name has no letter or sign that shows.")
    if dob and not _DOB.match(dob):
        errors["dob"] = messages.gettext("Use YYYY, YYYY-MM or YYYY-MM-DD.")
    elif dob:
        try:
            check_date(dob, "dob")
        except ValueError:
            errors["dob"] = messages.gettext("There is no such day in the calendar.")
    return SearchForm(q, kind, country, dob, chosen, limit, errors, code)


@dataclass(frozen=True, slots=True)
class ResultItem:
    rank: int
    entity: Entity
    summary: str
    view: ExplanationView
    list_title: str
    source: SourceLink | None
    party: ListedParty | None = None  # the listing's party: its other listings are shown with it
    # The party's match in the recorded screening: each listing's alert and clearance.
    match: MatchOut | None = None

    @property
    def cleared(self) -> ClearedOut | None:
        """The decision that cleared this candidate: set once every listing of the party
        that alerted is cleared."""
        return self.match.cleared if self.match else None

    @property
    def outcome(self) -> Outcome:
        """The glossary's word for this candidate: its score's, or cleared by decision."""
        return Outcome.CLEARED_BY_DECISION if self.cleared else self.view.outcome

    @property
    def alerting_listings(self) -> list[str]:
        """The listings a decision on this line is about: every listing of the party that
        alerts now (the page's form clears the party, one decision per listing); once all
        are cleared, the cleared ones (a later decision supersedes theirs)."""
        if self.match is None:
            return [self.entity.id]
        listings = self.match.listings
        return (
            [item.entity_id for item in listings if item.alert]
            or [item.entity_id for item in listings if item.cleared]
            or [self.entity.id]
        )

    @property
    def cleared_listings(self) -> list[tuple[str, ClearedOut]]:
        """(list id, decision) of each listing of the party a recorded decision cleared."""
        if self.match is None:
            return []
        return [(item.list_id, item.cleared) for item in self.match.listings if item.cleared]


def result_items(
    query: str,
    hits: list[Hit],
    info: IndexInfo,
    messages: Messages,
    matches: Mapping[str, MatchOut] | None = None,
) -> list[ResultItem]:
    ordered = sorted(hits, key=lambda h: (-h.score, h.entity.id))
    items = []
    for rank, hit in enumerate(ordered, 1):
        listed = info.list(hit.entity.list_id)
        items.append(
            ResultItem(
                rank=rank,
                entity=hit.entity,
                summary=entity_summary(hit.entity, messages),
                view=explanation_view(
                    query, hit.explanation, messages, hit.entity.kind.value, ended_on(hit)
                ),
                list_title=listed.title if listed else hit.entity.list_id,
                source=source_link(hit.entity, listed),
                party=hit.party,
                match=(matches or {}).get(hit.entity.id),
            )
        )
    return items


def searched_lists(info: IndexInfo, chosen: tuple[str, ...]) -> list[ListInfo]:
    return lists_used(info, list(chosen) or None)


@router.get("/", response_class=HTMLResponse)
async def search_page(request: Request, state: StateDep) -> Response:
    access, info, refused = await enter(request, state, Scope.READ)
    if refused is not None:
        return refused
    messages = messages_of(request)
    form = search_form(request, info, state.settings.max_name_length, messages)
    context: dict[str, Any] = {
        "form": form,
        "items": None,
        "limits": SEARCH_LIMITS,
        "threshold": ALERT_THRESHOLD,
        "kinds": list(KIND_LABELS.items()),
    }
    if form.q.strip() and not form.errors and info is not None:
        started = time.perf_counter()
        party = form.party()
        try:
            hits = await engine_of(state).screen(
                form.screening_query(),
                limit=engine_limit(form.limit, True),
                lists=list(form.lists) or None,
            )
            results, response = await record_page_screening(
                request, state, access, info, [party], [hits],
                lists=form.lists, limit=form.limit, channel=PAGE_SEARCH,
            )  # fmt: skip
        except EngineUnavailable as exc:
            return unavailable(request, access, state, exc)
        except AuditError as exc:
            return unrecorded(request, access, state, exc)
        hits = kept_hits(hits, 0.0, limit=form.limit)  # one result per party
        items = result_items(form.q, hits, info, messages, matches_of(results[0]))
        outcomes = [item.outcome for item in items]
        context |= {
            "items": items,
            "request_id": response.request_id,
            "party": party,
            "result_outcome": party_outcome(outcomes),
            "alerts": outcomes.count(Outcome.ALERT),
            "elapsed_ms": (time.perf_counter() - started) * 1000,
            "checked_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
            "searched": searched_lists(info, form.lists),
            "export_url": "/export.csv?" + form.query_string(),
            "export_xlsx_url": "/export.xlsx?" + form.query_string(),
        }
    return render(request, access, "search.html", info=info, state=state, **context)


async def _export(request: Request, state: StateDep, workbook: bool) -> Response:
    access, info, refused = await enter(request, state, Scope.READ)
    if refused is not None:
        return refused
    form = search_form(request, info, state.settings.max_name_length, messages_of(request))
    if not form.q.strip() or form.errors or info is None:
        return RedirectResponse("/?" + form.query_string(), status_code=303)
    try:
        hits = await engine_of(state).screen(
            form.screening_query(),
            limit=engine_limit(form.limit, True),
            lists=list(form.lists) or None,
        )
        results, _ = await record_page_screening(
            request, state, access, info, [form.party()], [hits],
            lists=form.lists, limit=form.limit, channel=PAGE_EXPORT,
        )  # fmt: skip
    except EngineUnavailable as exc:
        return unavailable(request, access, state, exc)
    except AuditError as exc:
        return unrecorded(request, access, state, exc)
    hits = kept_hits(hits, 0.0, limit=form.limit)  # as the page shows them: one per party
    matches = matches_of(results[0])
    cleared = {entity_id for entity_id, match in matches.items() if match.cleared}
    now = datetime.now(UTC)
    check = CheckedQuery(
        row=1,
        name=form.q,
        type=form.type or None,
        country=form.country_code,
        date_of_birth=form.dob or None,
        outcome=party_outcome(hit_outcome(h, h.entity.id in cleared) for h in hits).value,
        hits=hits,
        matches=matches,
    )
    head = RecordHead(
        lists=searched_lists(info, form.lists),
        index_version=info.version,
        checked_at=now.isoformat(timespec="seconds"),
        checked_by=access.label,
    )
    name = f"screening-check-{now:%Y%m%d-%H%M%S}"
    if workbook:
        return download(checks_xlsx([check], head), XLSX_TYPE, name + ".xlsx")
    return download(checks_csv([check], head), CSV_TYPE, name + ".csv")


@router.get("/export.csv")
async def export_search(request: Request, state: StateDep) -> Response:
    return await _export(request, state, workbook=False)


@router.get("/export.xlsx")
async def export_search_workbook(request: Request, state: StateDep) -> Response:
    return await _export(request, state, workbook=True)


@router.get("/entity/{entity_id}", response_class=HTMLResponse)
async def entity_page(entity_id: str, request: Request, state: StateDep) -> Response:
    access, info, refused = await enter(request, state, Scope.READ)
    if refused is not None:
        return refused
    messages = messages_of(request)
    try:
        entity = await engine_of(state).entity(entity_id[:200])
    except EngineUnavailable as exc:
        return unavailable(request, access, state, exc)
    if entity is None:
        message = messages.tr("No listed entity “{id}” in the loaded lists.", id=entity_id[:200])
        return render(
            request, access, "error.html", info=info, state=state, status=404, message=message
        )
    listed = info.list(entity.list_id) if info else None
    kind = KIND_LABELS.get(entity.kind.value)
    context: dict[str, Any] = {
        "entity": entity,
        "listed": listed,
        "official": source_link(entity, listed),
        "groups": name_groups(entity.names),
        "kind_label": messages.gettext(kind) if kind else entity.kind.value,
        "date_text": lambda date: date_text(date, messages),
        "address_text": address_text,
        "property_label": property_label,
        "back": request.query_params.get("back", ""),
        "party": searched_party(request),
    }
    return render(request, access, "entity.html", info=info, state=state, **context)


def searched_party(request: Request) -> Party | None:
    """The searched party an entity or party page was opened for (its decision form), if
    valid."""
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
    access, info, refused = await enter(request, state, Scope.READ)
    if refused is not None:
        return refused
    return render(request, access, "status.html", info=info, state=state)


@router.get("/glossary", response_class=HTMLResponse)
async def glossary_page(request: Request, state: StateDep) -> Response:
    access, info, refused = await enter(request, state, Scope.READ)
    if refused is not None:
        return refused
    return render(
        request, access, "glossary.html", info=info, state=state, threshold=ALERT_THRESHOLD
    )
