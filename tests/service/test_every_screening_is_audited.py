"""No screening path answers without a record: every route of the app is called, over the
real embedded index counted as it is asked to screen, and each call that screened must
have left an audit record in the store.

Every route must have a sample request below, so a route added later (one that screens or
not) fails this test until it is listed: nobody can add a path that screens off the books
without this test noticing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from fastapi.routing import APIRoute
from starlette.routing import Route

from core.model import Entity
from core.parties import Party
from core.score import Query
from engines.base import Hit, IndexInfo
from engines.embedded_engine import EmbeddedEngine
from tests.service.conftest import MakeClient


class CountingEngine:
    """The real embedded engine, counting the screenings it is asked for."""

    def __init__(self, inner: EmbeddedEngine) -> None:
        self.inner = inner
        self.screenings = 0

    async def screen(
        self, query: Query, *, limit: int, lists: Sequence[str] | None, min_score: float = 0.0
    ) -> list[Hit]:
        self.screenings += 1
        return await self.inner.screen(query, limit=limit, lists=lists, min_score=min_score)

    async def entity(self, entity_id: str) -> Entity | None:
        return await self.inner.entity(entity_id)

    async def party(self, party_id: str) -> tuple[Party, list[Entity]] | None:
        return await self.inner.party(party_id)

    async def info(self) -> IndexInfo:
        return await self.inner.info()

    async def check(self) -> None:
        await self.inner.check()

    async def close(self) -> None:
        return None


def _token(client: Any) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/batch").text)
    assert found
    return found.group(1)


Call = Callable[[Any], Any]
PARTY = {"name": "OCEAN STAR"}
# The party of OCEAN STAR's listing, found by a screening before the routes are called.
FOUND: dict[str, str] = {}
SAMPLES: dict[tuple[str, str], Call] = {
    ("POST", "/v1/screen"): lambda c: c.post("/v1/screen", json={"parties": [PARTY]}),
    ("GET", "/v1/search"): lambda c: c.get("/v1/search", params={"q": "OCEAN STAR"}),
    ("GET", "/"): lambda c: c.get("/", params={"q": "OCEAN STAR"}),
    ("GET", "/export.csv"): lambda c: c.get("/export.csv", params={"q": "OCEAN STAR"}),
    ("GET", "/export.xlsx"): lambda c: c.get("/export.xlsx", params={"q": "OCEAN STAR"}),
    ("POST", "/match/{dataset}"): lambda c: c.post(
        "/match/default",
        json={"queries": {"q1": {"schema": "Vessel", "properties": {"name": ["OCEAN STAR"]}}}},
    ),
    ("GET", "/entities/{entity_id:path}"): lambda c: c.get("/entities/us-ofac-sdn:1004"),
    ("GET", "/catalog"): lambda c: c.get("/catalog"),
    ("GET", "/algorithms"): lambda c: c.get("/algorithms"),
    ("GET", "/glossary"): lambda c: c.get("/glossary"),
    ("GET", "/history"): lambda c: c.get("/history"),
    ("GET", "/history/{record_id}"): lambda c: c.get("/history/abc"),
    ("GET", "/language"): lambda c: c.get("/language", params={"lang": "ja", "next": "/"}),
    ("GET", "/docs/assets/{name}"): lambda c: c.get("/docs/assets/swagger-ui.css"),
    ("POST", "/batch"): lambda c: c.post(
        "/batch", data={"csv": "OCEAN STAR\nNobody", "csrf_token": _token(c)}
    ),
    ("GET", "/batch"): lambda c: c.get("/batch"),
    ("POST", "/v1/decisions"): lambda c: c.post(
        "/v1/decisions",
        json={
            "party": PARTY,
            "entity_id": "us-ofac-sdn:1004",
            "decision": "escalated",
            "reason": "r",
        },
    ),
    ("GET", "/v1/decisions"): lambda c: c.get("/v1/decisions"),
    ("POST", "/decision"): lambda c: c.post(
        "/decision",
        data={
            "q": "OCEAN STAR",
            "entity_id": "us-ofac-sdn:1004",
            "decision": "escalated",
            "reason": "r",
            "csrf_token": _token(c),
        },
    ),
    ("GET", "/v1/entities/{entity_id:path}"): lambda c: c.get("/v1/entities/us-ofac-sdn:1004"),
    ("GET", "/v1/lists"): lambda c: c.get("/v1/lists"),
    ("GET", "/v1/audit/{request_id}"): lambda c: c.get("/v1/audit/abc"),
    ("GET", "/v1/alerts"): lambda c: c.get("/v1/alerts", params={"since": "2026-01-01"}),
    ("GET", "/healthz"): lambda c: c.get("/healthz"),
    ("GET", "/readyz"): lambda c: c.get("/readyz"),
    ("GET", "/metrics"): lambda c: c.get("/metrics"),
    ("GET", "/entity/{entity_id}"): lambda c: c.get("/entity/us-ofac-sdn:1004?q=OCEAN+STAR"),
    # A party and its page read the index (and the page the decisions): they screen nothing.
    ("GET", "/v1/parties/{party_id}"): lambda c: c.get(f"/v1/parties/{FOUND['party_id']}"),
    ("GET", "/party/{party_id}"): lambda c: c.get(
        f"/party/{FOUND['party_id']}", params={"q": "OCEAN STAR"}
    ),
    ("GET", "/status"): lambda c: c.get("/status"),
    ("GET", "/signin"): lambda c: c.get("/signin"),
    ("POST", "/signin"): lambda c: c.post("/signin", data={"csrf_token": _token(c)}),
    ("POST", "/signout"): lambda c: c.post("/signout", data={"csrf_token": _token(c)}),
    ("GET", "/static/{name}"): lambda c: c.get("/static/page.css"),
    ("GET", "/openapi.json"): lambda c: c.get("/openapi.json"),
    ("GET", "/docs"): lambda c: c.get("/docs"),
    ("GET", "/docs/oauth2-redirect"): lambda c: c.get("/docs/oauth2-redirect"),
    ("GET", "/redoc"): lambda c: c.get("/redoc"),
}
SCREENING_ROUTES = {
    ("POST", "/v1/screen"),
    ("GET", "/v1/search"),
    ("GET", "/"),
    ("GET", "/export.csv"),
    ("GET", "/export.xlsx"),
    ("POST", "/batch"),
    ("POST", "/match/{dataset}"),
}


def routes_of(routes: Sequence[Any]) -> set[tuple[str, str]]:
    """(method, path) of every route, walking into included routers (FastAPI keeps an
    included router whole; the app's routers are included without a prefix)."""
    found = set()
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            found |= routes_of(included.routes)
        elif isinstance(route, APIRoute | Route):
            found |= {(m, route.path) for m in route.methods or () if m != "HEAD"}
    return found


def test_every_route_that_screens_leaves_a_record(
    make_client: MakeClient, engine: EmbeddedEngine
) -> None:
    counted = CountingEngine(engine)
    client = make_client(engine_=counted)
    store = client.app.state.service.store.store  # type: ignore[attr-defined]
    routes = routes_of(client.app.routes)  # type: ignore[attr-defined]
    assert len(routes) > 20
    unlisted = routes - set(SAMPLES)
    assert not unlisted, f"add a sample request for {sorted(unlisted)} to this test"
    found = client.post("/v1/screen", json={"parties": [PARTY]}).json()
    FOUND["party_id"] = found["results"][0]["matches"][0]["party_id"]
    screened = set()
    for route in sorted(routes):
        before_screens, before_records = counted.screenings, store.count()
        response = SAMPLES[route](client)
        assert response.status_code < 500, (route, response.status_code, response.text[:300])
        if "party_id" in route[1]:
            assert response.status_code == 200, (route, response.text[:300])
        if counted.screenings > before_screens:
            screened.add(route)
            assert store.count() > before_records, f"{route} screened without a record"
    assert screened == SCREENING_ROUTES
    # Each record names the path it came by, and the list versions searched.
    channels = {r.record()["channel"] for r in store.rows() if r.kind == "screening"}
    assert channels == {
        "api-screen",
        "api-match",
        "api-search",
        "page-search",
        "page-export",
        "page-batch",
    }
    assert all(r.record()["lists"] for r in store.rows() if r.kind == "screening")


def test_no_lists_and_an_empty_list_name_every_list_version(client: Any) -> None:
    for lists in (None, []):
        body: dict[str, Any] = {
            "parties": [PARTY],
            **({"lists": lists} if lists is not None else {}),
        }
        answer = client.post("/v1/screen", json=body).json()
        assert {item["id"] for item in answer["lists"]} == {"us-ofac-sdn", "un-sc", "gb-ofsi"}
        record = client.get(f"/v1/audit/{answer['request_id']}").json()
        assert record["lists"] == answer["lists"] and record["lists_requested"] is None
    searched = client.get("/v1/search", params={"q": "OCEAN STAR"}).json()
    assert len(searched["lists"]) == 3
