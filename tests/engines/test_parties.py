"""Parties in each engine: every hit carries its listing's party, the embedded index,
Elasticsearch and OpenSearch give the same groups, and a query's identifier finds a
listing whatever its name."""

from __future__ import annotations

import pytest

from core.model import ParsedList
from core.score import ALERT_THRESHOLD, Query
from engines.base import Engine, Hit
from engines.embedded_engine import EmbeddedEngine
from engines.server import ServerEngine
from indexer.build import build_embedded
from indexer.publish import Settings, publish
from indexer.registry import parse_list
from tests.conftest import shared_list
from tests.engines.server_support import engine_client, run, sources, unique_alias
from tests.linked_parties import KOMID, KOMID_JA, KOMID_LISTINGS, VESSEL_IMO, linked_lists

QUERIES = [
    Query(KOMID),
    Query(KOMID_JA),
    Query("Hassan Ali Dhoore"),
    Query("Machanga"),
    Query("Yu Son"),
    Query("", identifiers=(f"imo:{VESSEL_IMO}",)),
    Query("Noctis", identifiers=(f"imo:{VESSEL_IMO}",)),
    Query("Someone Unrelated", identifiers=("imo:8691702",)),
]


@pytest.fixture(params=["elasticsearch", "opensearch"])
def engine_url(request: pytest.FixtureRequest) -> str:
    url: str = request.getfixturevalue(f"{request.param}_url")
    return url


def groups(hits: list[Hit]) -> list[tuple[str, float, str | None, tuple[str, ...]]]:
    return [
        (
            hit.entity.id,
            hit.score,
            hit.party.id if hit.party else None,
            hit.party.entity_ids if hit.party else (),
        )
        for hit in hits
    ]


def embedded(parsed: list[ParsedList] | None = None) -> EmbeddedEngine:
    return build_embedded(parsed or linked_lists())


def screen(engine: Engine, query: Query, **options: float) -> list[Hit]:
    return run(lambda: engine.screen(query, limit=10, lists=None, **options))


def test_every_hit_carries_its_party_with_every_listing() -> None:
    hits = screen(embedded(), Query(KOMID))
    komid = [hit for hit in hits if hit.entity.id in KOMID_LISTINGS]
    assert {hit.entity.id for hit in komid} == set(KOMID_LISTINGS)
    assert {hit.party.id for hit in komid if hit.party} == {
        komid[0].party.id if komid[0].party else ""
    }
    party = komid[0].party
    assert party is not None and party.entity_ids == KOMID_LISTINGS
    names = {listing.entity_id: listing.name for listing in party.listings}
    assert names["jp-meti-eul:352"] == f"{KOMID} (KOMID)"
    assert {link.kind for link in party.links} >= {"un_reference", "ofac_uid", "name_country"}


def test_the_japanese_name_finds_the_party_on_every_list() -> None:
    hits = screen(embedded(), Query(KOMID_JA), min_score=ALERT_THRESHOLD)
    assert hits and hits[0].entity.id == "jp-meti-eul:352"
    assert hits[0].party is not None and hits[0].party.entity_ids == KOMID_LISTINGS


def test_a_contradicted_listing_is_its_own_party_and_says_why() -> None:
    hits = screen(embedded(), Query("Hassan Ali Dhoore"))
    party_of = {hit.entity.id: hit.party for hit in hits}
    un, dfat = party_of["un-sc:SOi.010"], party_of["au-dfat:1295"]
    assert un is not None and dfat is not None
    assert un.entity_ids == ("gb-ofsi:12030", "un-sc:SOi.010")
    assert dfat.entity_ids == ("au-dfat:1295",)
    [split] = dfat.splits
    assert split.cause == "birth_date" and split in un.splits
    machanga = screen(embedded(), Query("Machanga"))[0]
    assert machanga.party is not None and machanga.party.entity_ids == ("gb-ofsi:16181",)


def test_an_identifier_finds_the_listing_without_a_name() -> None:
    hits = screen(embedded(), Query("", identifiers=(f"imo:{VESSEL_IMO}",)))
    assert {hit.entity.id for hit in hits} == {"au-dfat:8228", "ca-sema:russia/1-1/21"}
    for hit in hits:
        assert hit.alert and hit.score == 1.0
        assert hit.explanation.name_score == 0.0
        [evidence] = hit.explanation.evidence
        assert evidence.factor == "identifier"
        assert evidence.detail == f"IMO number {VESSEL_IMO}, as listed"
    assert len({hit.party.id for hit in hits if hit.party}) == 1


def test_an_identifier_counts_where_the_name_agrees_and_alerts_where_it_does_not() -> None:
    engine = embedded()
    plain = {h.entity.id: h for h in screen(engine, Query("Noktis"))}
    given = {
        h.entity.id: h for h in screen(engine, Query("Noktis", identifiers=(f"imo:{VESSEL_IMO}",)))
    }
    assert plain["au-dfat:8228"].score < given["au-dfat:8228"].score == 1.0
    assert "identifier" in {e.factor for e in given["au-dfat:8228"].explanation.evidence}
    assert given["ca-sema:russia/1-1/21"].alert  # listed as "Asher": the number alone
    other = screen(engine, Query("Someone Unrelated", identifiers=("imo:8691702",)))
    assert {hit.entity.id for hit in other if hit.alert} == {"gb-ofsi:13658", "us-ofac-sdn:23744"}


def test_list_filter_applies_to_identifier_hits() -> None:
    query = Query("", identifiers=(f"imo:{VESSEL_IMO}",))
    hits = run(lambda: embedded().screen(query, limit=10, lists=["ca-sema"]))
    assert [hit.entity.id for hit in hits] == ["ca-sema:russia/1-1/21"]


def test_party_by_id() -> None:
    engine = embedded()
    party = screen(engine, Query(KOMID))[0].party
    assert party is not None
    found = run(lambda: engine.party(party.id))
    assert found is not None
    same, entities = found
    assert same == party and [entity.id for entity in entities] == list(KOMID_LISTINGS)
    assert run(lambda: engine.party("Pnope")) is None


def test_server_engines_give_the_embedded_groups(engine_url: str) -> None:
    parsed = linked_lists()
    reference = embedded(parsed)

    async def work() -> None:
        alias = unique_alias()
        async with engine_client(engine_url, alias) as client:
            report = await publish(
                client, sources(parsed), settings=Settings(alias=alias, shards=2)
            )
            assert report.links is not None and report.links.splits == {"birth_date": 1, "kind": 1}
            server = ServerEngine(client, alias=alias)
            for query in QUERIES:
                theirs = await reference.screen(query, limit=10, lists=None)
                ours = await server.screen(query, limit=10, lists=None)
                assert groups(ours) == groups(theirs), query
                for hit in ours:
                    assert hit.party is not None
                    assert await server.party(hit.party.id) == await reference.party(hit.party.id)
            only_sema = await server.screen(QUERIES[5], limit=10, lists=["ca-sema"])
            assert [hit.entity.id for hit in only_sema] == ["ca-sema:russia/1-1/21"]
            assert await server.party("Pnope") is None

    run(work)


@pytest.mark.shared_lists
def test_real_un_and_uk_lists_give_the_same_parties_in_every_engine(engine_url: str) -> None:
    """The UN and the UK list most UN parties each once: the same groups, party ids and
    evidence on the server as in the embedded index, for names of both lists."""
    parsed = [
        parse_list("un-sc", shared_list("un-sc", "2026-08-01")),
        parse_list("gb-ofsi", shared_list("gb-ofsi", "2025-04-14")),
    ]
    reference = embedded(parsed)
    queries = [Query(e.primary_name) for e in parsed[0].entities[::25]]
    queries += [Query(e.primary_name) for e in parsed[1].entities[::120]]

    async def work() -> None:
        alias = unique_alias()
        async with engine_client(engine_url, alias) as client:
            await publish(client, sources(parsed), settings=Settings(alias=alias))
            server = ServerEngine(client, alias=alias)
            linked = 0
            for query in queries:
                theirs = await reference.screen(query, limit=5, lists=None)
                ours = await server.screen(query, limit=5, lists=None)
                assert groups(ours) == groups(theirs), query
                linked += sum(1 for hit in ours if hit.party and len(hit.party.listings) > 1)
                if ours and ours[0].party:
                    assert await server.party(ours[0].party.id) == await reference.party(
                        ours[0].party.id
                    )
            assert linked > len(queries) // 2  # most of these names are listed twice

    run(work)
