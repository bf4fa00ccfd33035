"""Lookups: one typed name (/v1/search), one entity, one party, the loaded lists, an audit
record. Searching screens a single name, so it is audited like POST /v1/screen (and honours
decisions the same way): no key scope screens off the books. An entity or a party is read,
not screened: it needs no record."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request

from core.model import Kind
from core.score import Query as ScreeningQuery
from engines.base import Engine, EngineUnavailable, Hit, IndexInfo
from service.audit import API_SEARCH, AuditError, audit_record, record_screening
from service.auth import Scope
from service.decisions import honour_decisions
from service.freshness import index_freshness
from service.problems import problem_responses
from service.routes.errors import invalid
from service.routes.screen import check_lists
from service.schemas import (
    LIST_ID_PATTERN,
    MAX_LIMIT,
    NAME_PATTERN,
    EntityResponse,
    EntityType,
    LinkOut,
    ListingOut,
    ListOut,
    ListsResponse,
    ListVersionOut,
    Party,
    PartyResponse,
    ScreenRequest,
    ScreenResponse,
    SearchResponse,
    SourceFileOut,
    SplitOut,
    check_country,
    check_name,
)
from service.screening import (
    decision_of,
    engine_limit,
    kept_matches,
    list_versions,
    lists_used,
    on_one_version,
    party_result,
)
from service.security import SECURED, Caller, require
from service.state import ServiceState, get_engine, get_state, get_store
from service.store.access import StoreAccess

router = APIRouter(tags=["lookup"])

SEARCH_PARAMS = frozenset({"q", "type", "country", "list", "limit", "min_score", "group"})
_ERRORS: dict[int | str, dict[str, Any]] = problem_responses(401, 403, 422, 429, 503)


async def _info(engine: Engine) -> IndexInfo:
    try:
        return await engine.info()
    except EngineUnavailable as exc:
        raise HTTPException(503, f"the screening engine is unavailable: {exc.reason}") from exc


@router.get(
    "/v1/search",
    response_model=SearchResponse,
    summary="Match one typed name (recorded in the audit trail)",
    openapi_extra=SECURED,
    responses=_ERRORS,
)
async def search(
    request: Request,
    caller: Annotated[Caller, Depends(require(Scope.READ))],
    engine: Annotated[Engine, Depends(get_engine)],
    state: Annotated[ServiceState, Depends(get_state)],
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=1000,
            pattern=NAME_PATTERN,
            description="the name, any script",
            examples=["Мухаммад Юсуф"],
        ),
    ],
    type: Annotated[EntityType | None, Query(description="what the name is of")] = None,
    country: Annotated[
        str | None,
        Query(min_length=2, max_length=2, description="ISO 3166-1 alpha-2, upper or lower case"),
    ] = None,
    lists: Annotated[
        list[str] | None,
        Query(alias="list", max_length=50, description="only these list ids (repeatable)"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 10,
    min_score: Annotated[
        float, Query(ge=0.0, le=1.0, description="default 0: the nearest candidates")
    ] = 0.0,
    group: Annotated[
        bool, Query(description="one match per party (default); false: one per listing")
    ] = True,
) -> SearchResponse:
    unknown = sorted(set(request.query_params) - SEARCH_PARAMS)
    if unknown:
        raise invalid(("query", unknown[0]), f"unknown query parameter {unknown[0][:50]!r}")
    try:
        name = check_name(q, "q", state.settings.max_name_length)
    except ValueError as exc:
        raise invalid(("query", "q"), str(exc)) from exc
    code = None
    if country is not None:
        try:
            code = check_country(country)
        except ValueError as exc:
            raise invalid(("query", "country"), str(exc)) from exc
    for i, list_id in enumerate(lists or ()):
        if not re.match(LIST_ID_PATTERN, list_id):
            raise invalid(("query", "list", i), f"not a list id: {list_id[:50]!r}")
    query = ScreeningQuery(name, Kind(type) if type else None, code, None)
    lists = lists or None

    async def search_once(info: IndexInfo) -> list[Hit]:
        check_lists(lists, {item.id for item in info.lists}, ("query", "list"))
        return await engine.screen(
            query, limit=engine_limit(limit, group), lists=lists, min_score=min_score
        )

    try:
        info, hits = await on_one_version(engine, search_once)
    except EngineUnavailable as exc:
        raise HTTPException(503, f"the screening engine is unavailable: {exc.reason}") from exc
    party = Party(name=name, type=type, country=code)
    result = party_result(party, kept_matches(hits, min_score, q, group=group, limit=limit))
    try:
        await honour_decisions(state.store, [party], [result], [hits], None, group=group)
        versions = list_versions(lists_used(info, lists))
        screened = ScreenResponse(
            request_id=request.scope["state"]["request_id"],
            screened_at=datetime.now(UTC).isoformat(),
            decision=decision_of([result.decision == "alert"]),
            results=[result],
            lists=versions,
            index_version=info.version,
        )
        body = ScreenRequest(
            parties=[party], limit=limit, min_score=min_score, lists=lists, group=group
        )
        record = audit_record(
            body, screened, key_name=caller.key_name, min_score=min_score, channel=API_SEARCH
        )
        await record_screening(state.store, record)
    except AuditError as exc:
        raise HTTPException(
            503, f"the search was not answered because it could not be audited: {exc}"
        ) from exc
    return SearchResponse(
        query=q, matches=result.matches, lists=versions, index_version=info.version
    )


@router.get(
    "/v1/entities/{entity_id:path}",
    response_model=EntityResponse,
    summary="One listed entity, in full",
    dependencies=[Depends(require(Scope.READ))],
    openapi_extra=SECURED,
    responses={**_ERRORS, **problem_responses(404)},
)
async def entity(
    entity_id: Annotated[str, Path(max_length=200, examples=["us-ofac-sdn:36"])],
    engine: Annotated[Engine, Depends(get_engine)],
) -> EntityResponse:
    info = await _info(engine)
    try:
        found = await engine.entity(entity_id)
    except EngineUnavailable as exc:
        raise HTTPException(503, f"the screening engine is unavailable: {exc.reason}") from exc
    if found is None:
        raise HTTPException(404, f"no entity {entity_id[:200]!r} in the index")
    listed = info.list(found.list_id)
    return EntityResponse(
        entity=found.to_dict(),
        list=ListVersionOut(
            id=found.list_id,
            version=listed.version if listed else "unknown",
            published=listed.published.isoformat() if listed and listed.published else None,
        ),
        index_version=info.version,
    )


@router.get(
    "/v1/parties/{party_id}",
    response_model=PartyResponse,
    summary="One party: every listing of it, and the evidence that joins them",
    dependencies=[Depends(require(Scope.READ))],
    openapi_extra=SECURED,
    responses={**_ERRORS, **problem_responses(404)},
)
async def party(
    party_id: Annotated[str, Path(pattern=r"^P[0-9a-f]{16}$", examples=["P3c1f0e9a7b2d4c58"])],
    engine: Annotated[Engine, Depends(get_engine)],
) -> PartyResponse:
    info = await _info(engine)
    try:
        found = await engine.party(party_id)
    except EngineUnavailable as exc:
        raise HTTPException(503, f"the screening engine is unavailable: {exc.reason}") from exc
    if found is None:
        raise HTTPException(
            404, f"no party {party_id!r} in the index (party ids change when the lists change)"
        )
    listed, entities = found
    return PartyResponse(
        party_id=listed.id,
        listings=[ListingOut(**listing.to_dict()) for listing in listed.listings],
        links=[
            LinkOut(a=x.a, b=x.b, kind=x.kind, strength=x.strength, evidence=x.evidence)
            for x in listed.links
        ],
        splits=[
            SplitOut(entity_ids=list(x.entity_ids), cause=x.cause, reason=x.reason)
            for x in listed.splits
        ],
        entities=[entity.to_dict() for entity in entities],
        index_version=info.version,
    )


@router.get(
    "/v1/lists",
    response_model=ListsResponse,
    summary="The loaded lists and their versions",
    dependencies=[Depends(require(Scope.READ))],
    openapi_extra=SECURED,
    responses=_ERRORS,
)
async def lists(
    engine: Annotated[Engine, Depends(get_engine)],
    state: Annotated[ServiceState, Depends(get_state)],
) -> ListsResponse:
    info = await _info(engine)
    ages = index_freshness(info, datetime.now(UTC), state.settings)
    return ListsResponse(
        index_version=info.version,
        built_at=info.built_at.isoformat(),
        lists=[
            ListOut(
                id=item.id,
                title=item.title,
                publisher=item.publisher,
                version=item.version,
                published=item.published.isoformat() if item.published else None,
                loaded_at=item.loaded_at.isoformat(),
                entities=item.entities,
                format=item.format,
                files=[
                    SourceFileOut(name=f.name, sha256=f.sha256, size=f.size) for f in item.files
                ],
                stale=ages[item.id].stale,
                as_of=item.as_of.isoformat() if item.as_of else None,
                as_of_source=item.as_of_source,
                age_days=ages[item.id].age_days,
                stale_after_days=ages[item.id].stale_after_days,
            )
            for item in info.lists
        ],
    )


@router.get(
    "/v1/audit/{request_id}",
    summary="The audit record of one screening",
    dependencies=[Depends(require(Scope.ADMIN))],
    openapi_extra=SECURED,
    responses={**_ERRORS, **problem_responses(404)},
)
async def audit(
    request_id: Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[0-9a-f]+$")],
    store: Annotated[StoreAccess, Depends(get_store)],
) -> dict[str, object]:
    try:
        record = await store.read(store.store.screening, request_id)
    except AuditError as exc:
        raise HTTPException(503, str(exc)) from exc
    if record is None:
        raise HTTPException(404, f"no audit record {request_id!r}")
    return record
