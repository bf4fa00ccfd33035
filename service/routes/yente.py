"""yente-compatible endpoints: ``POST /match/{dataset}``, ``GET /entities/{id}``,
``GET /catalog``, ``GET /algorithms``, so a client written for OpenSanctions' yente
switches by changing its base URL (and adding its API key).

``/match`` screens through :func:`service.routes.screen.screen_and_record`, the path of
``POST /v1/screen``: the same matching, one audit record for the batch, the same limits,
recorded decisions honoured (a cleared result has ``match: false`` and ``cleared``), and
an ``Idempotency-Key`` makes a retry get the first answer.
The mapping is written out in service/API.md ("yente compatibility").
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response

from core.model import Entity
from core.score import ALERT_THRESHOLD
from engines.base import Engine, EngineUnavailable, IndexInfo
from service.audit import API_MATCH
from service.auth import Scope
from service.idempotency import idempotency_of
from service.problems import problem_responses
from service.routes.screen import IDEMPOTENCY_PARAMETER, screen_and_record
from service.schemas import MAX_LIMIT, MatchOut, Party, ScreenRequest, ScreenResponse
from service.security import SECURED, Caller, require
from service.state import get_engine, service_state
from service.yente_mapping import MATCHER, entity_response, parties_of, scored
from service.yente_schemas import (
    Algorithm,
    AlgorithmResponse,
    DataCatalogModel,
    DatasetModel,
    EntityMatches,
    EntityMatchQuery,
    EntityMatchResponse,
    EntityResponse,
    FtmSchema,
    TotalSpec,
)

router = APIRouter(tags=["yente compatibility"])

# Dataset names that mean every loaded list (yente's collections of sanctions lists).
ALL_LISTS = frozenset({"default", "sanctions", "all"})
DATASET_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,40}$"
ALGORITHM = "screening"
DEFAULT_CUTOFF = 0.5
MATCH_EXAMPLE = {
    "queries": {
        "q1": {
            "schema": "Person",
            "properties": {
                "name": ["Arkadiii Romanovich Rotenberg", "Ротенберг Аркадий"],
                "birthDate": ["1951"],
            },
        },
        "q2": {
            "schema": "Company",
            "properties": {"name": ["Stroygazmontazh"], "jurisdiction": ["Russia"]},
        },
    }
}


async def _info(engine: Engine) -> IndexInfo:
    try:
        return await engine.info()
    except EngineUnavailable as exc:
        raise HTTPException(503, f"the screening engine is unavailable: {exc.reason}") from exc


def dataset_lists(dataset: str, info: IndexInfo) -> list[str] | None:
    """The list ids a dataset name stands for (None: all); 404 for an unknown one.
    yente's underscored names are read as this service's ids (us_ofac_sdn = us-ofac-sdn)."""
    if dataset in ALL_LISTS:
        return None
    wanted = dataset.replace("_", "-")
    if info.list(wanted) is None:
        known = ", ".join(["default", *(item.id for item in info.lists)])
        raise HTTPException(404, f"no dataset {dataset[:50]!r} (known: {known})")
    return [wanted]


def _narrowed(
    lists: list[str] | None, info: IndexInfo, include: list[str], exclude: list[str]
) -> list[str] | None:
    loaded = [item.id for item in info.lists]
    chosen = loaded if lists is None else lists
    if include:
        wanted = {i.replace("_", "-") for i in include}
        chosen = [i for i in chosen if i in wanted]
    if exclude:
        unwanted = {e.replace("_", "-") for e in exclude}
        chosen = [i for i in chosen if i not in unwanted]
    if lists is None and not include and not exclude:
        return None
    return chosen


@router.post(
    "/match/{dataset}",
    response_model=EntityMatchResponse,
    summary="Query-by-example matching, as yente answers it",
    description="A batch of FollowTheMoney example entities (``queries``), each answered "
    "with its best matches among the listed entities of ``dataset`` (``default``: every "
    "loaded list; or a list id). Screened and audited like POST /v1/screen (one audit "
    "record for the batch, ``request_id``), honouring recorded decisions.",
    openapi_extra={
        **SECURED,
        "parameters": [IDEMPOTENCY_PARAMETER],
        "requestBody": {"content": {"application/json": {"example": MATCH_EXAMPLE}}},
    },
    responses=problem_responses(400, 401, 403, 404, 413, 415, 422, 429, 503),
)
async def match(
    body: EntityMatchQuery,
    request: Request,
    caller: Annotated[Caller, Depends(require(Scope.SCREEN))],
    engine: Annotated[Engine, Depends(get_engine)],
    dataset: Annotated[str, Path(pattern=DATASET_PATTERN, examples=["default"])],
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="results per query")] = 5,
    threshold: Annotated[
        float,
        Query(ge=0.0, le=1.0, description="score from which a result is a match"),
    ] = ALERT_THRESHOLD,
    cutoff: Annotated[
        float, Query(ge=0.0, le=1.0, description="results below this are left out")
    ] = DEFAULT_CUTOFF,
    algorithm: Annotated[
        str,
        Query(
            pattern=r"^[A-Za-z0-9_.-]{1,50}$",
            description="accepted for yente clients; this service has one matcher",
        ),
    ] = ALGORITHM,
    include_dataset: Annotated[
        list[str], Query(max_length=50, description="only these lists")
    ] = [],  # noqa: B006 - FastAPI copies query defaults
    exclude_dataset: Annotated[list[str], Query(max_length=50, description="not these lists")] = [],  # noqa: B006
    exclude_schema: Annotated[
        list[FtmSchema], Query(max_length=10, description="leave out results of these schemata")
    ] = [],  # noqa: B006
    exclude_entity_ids: Annotated[
        list[str], Query(max_length=50, description="leave out these entities")
    ] = [],  # noqa: B006
) -> Response:
    info = await _info(engine)
    lists = _narrowed(dataset_lists(dataset, info), info, include_dataset, exclude_dataset)
    parties: list[Party] = []
    spans: dict[str, tuple[int, int]] = {}
    echoes = {}
    for query_id, example in body.queries.items():
        found, echo = parties_of(query_id, example)
        spans[query_id] = (len(parties), len(parties) + len(found))
        parties.extend(found)
        echoes[query_id] = echo
    if lists == []:
        raise HTTPException(404, "include_dataset and exclude_dataset leave no list to match")
    request_body = ScreenRequest(
        parties=parties, limit=min(MAX_LIMIT, limit + len(exclude_entity_ids)), lists=lists
    )
    entities: dict[str, Entity] = {}
    excluded_ids = set(exclude_entity_ids)
    excluded_schemata = set(exclude_schema)

    def yente_answer(screened: ScreenResponse) -> str:
        """yente's answer: per query, the best matches over its parties' names."""
        responses = {}
        for query_id, (start, end) in spans.items():
            # One result per listed party, over the query's names (two scripts of one name
            # may be answered by two listings of the same party).
            best: dict[str, MatchOut] = {}
            for result in screened.results[start:end]:
                for found_match in result.matches:
                    kept = best.get(found_match.party_id)
                    if kept is None or found_match.score > kept.score:
                        best[found_match.party_id] = found_match
            ranked = sorted(best.values(), key=lambda m: (-m.score, m.entity_id))
            results = []
            for candidate in ranked:
                answer = scored(entities[candidate.entity_id], candidate, threshold, lists)
                listed = {item.entity_id for item in candidate.listings} | {candidate.entity_id}
                if listed & excluded_ids or answer.schema_ in excluded_schemata:
                    continue
                results.append(answer)
                if len(results) == limit:
                    break
            responses[query_id] = EntityMatches(
                results=results, total=TotalSpec(value=len(results)), query=echoes[query_id]
            )
        return EntityMatchResponse(
            responses=responses,
            matcher=MATCHER,
            limit=limit,
            request_id=screened.request_id,
            index_version=screened.index_version,
            decision=screened.decision,
        ).model_dump_json()

    settings = service_state(request).settings
    answered = await screen_and_record(
        request,
        caller,
        engine,
        request_body,
        min_score=min(cutoff, threshold),
        check_party_count=False,
        entities=entities,
        idempotency=idempotency_of(request, caller, body, settings.idempotency_hours),
        answer=yente_answer,
        channel=API_MATCH,
    )
    answered.headers["x-batch-size"] = str(len(body.queries))
    return answered


@router.get(
    "/entities/{entity_id:path}",
    response_model=EntityResponse,
    summary="One listed entity, as a FollowTheMoney entity",
    dependencies=[Depends(require(Scope.READ))],
    openapi_extra=SECURED,
    responses=problem_responses(401, 403, 404, 422, 429, 503),
)
async def entity(
    entity_id: Annotated[str, Path(max_length=200, examples=["us-ofac-sdn:36"])],
    engine: Annotated[Engine, Depends(get_engine)],
    nested: Annotated[bool, Query(description="accepted for yente clients")] = True,
) -> EntityResponse:
    try:
        found = await engine.entity(entity_id)
    except EngineUnavailable as exc:
        raise HTTPException(503, f"the screening engine is unavailable: {exc.reason}") from exc
    if found is None:
        raise HTTPException(404, f"no entity {entity_id[:200]!r} in the index")
    return entity_response(found)


@router.get(
    "/catalog",
    response_model=DataCatalogModel,
    summary="The loaded lists as yente's dataset catalog",
    dependencies=[Depends(require(Scope.READ))],
    openapi_extra=SECURED,
    responses=problem_responses(401, 403, 429, 503),
)
async def catalog(engine: Annotated[Engine, Depends(get_engine)]) -> DataCatalogModel:
    info = await _info(engine)
    datasets = [
        DatasetModel(
            name=item.id,
            title=item.title,
            summary=item.publisher,
            version=item.version,
            index_version=info.version,
        )
        for item in info.lists
    ]
    collection = DatasetModel(
        name="default",
        title="Every loaded list",
        version=info.version,
        index_version=info.version,
        children=[item.id for item in info.lists],
    )
    names = ["default", *(d.name for d in datasets)]
    return DataCatalogModel(datasets=[collection, *datasets], current=names)


@router.get(
    "/algorithms",
    response_model=AlgorithmResponse,
    summary="The matching algorithm (one), as yente lists its algorithms",
    dependencies=[Depends(require(Scope.READ))],
    openapi_extra=SECURED,
    responses=problem_responses(401, 403, 429),
)
async def algorithms() -> AlgorithmResponse:
    described = Algorithm(
        name=ALGORITHM,
        description="Transliteration-aware name matching with birth date, country and "
        "kind evidence; scores calibrated so that the alert threshold is "
        f"{ALERT_THRESHOLD}",
        features=MATCHER,
    )
    return AlgorithmResponse(algorithms=[described], default=ALGORITHM, best=ALGORITHM)
