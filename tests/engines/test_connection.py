"""The connection layer against REAL Elasticsearch and OpenSearch servers (see conftest.py).

Each test talks to the engine the way the service will: detect, create a strict index,
index, search with boosted term clauses, swap an alias atomically. Index names are unique
per test so that a shared, already-running engine is left as it was found.
"""

from __future__ import annotations

import asyncio
import socket
import uuid
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeVar

import pytest

from engines.connection import (
    EngineConnection,
    EngineInfo,
    EngineMismatch,
    EngineSettings,
    EngineUnavailable,
    connect,
    detect_engine,
    elasticsearch_client,
    opensearch_client,
)

T = TypeVar("T")

STRICT_MAPPING: dict[str, Any] = {
    "dynamic": "strict",
    "properties": {
        "name_key": {"type": "keyword"},
        "country": {"type": "keyword"},
        "list_id": {"type": "keyword"},
    },
}
ONE_SHARD = {"number_of_shards": 1, "number_of_replicas": 0}
# Both terms occur in two of the four documents, so their idf is equal and the boosts alone
# decide the order: A (3 + 1) > B (3) > C (1); D matches nothing.
DOCUMENTS: dict[str, dict[str, str]] = {
    "A": {"name_key": "putin", "country": "ru", "list_id": "us-ofac-sdn"},
    "B": {"name_key": "putin", "country": "ua", "list_id": "eu-fsf"},
    "C": {"name_key": "shoigu", "country": "ru", "list_id": "uk-ofsi"},
    "D": {"name_key": "shoigu", "country": "gb", "list_id": "un-sc"},
}


def run(work: Callable[[], Awaitable[T]]) -> T:
    async def main() -> T:
        return await work()

    return asyncio.run(main())


@pytest.fixture(params=["elasticsearch", "opensearch"])
def engine(request: pytest.FixtureRequest) -> tuple[str, str]:
    """(kind, URL) of each real engine in turn."""
    kind: str = request.param
    return kind, request.getfixturevalue(f"{kind}_url")


def unique_name(prefix: str) -> str:
    return f"screening-test-{prefix}-{uuid.uuid4().hex[:10]}"


async def create_index(conn: EngineConnection, name: str) -> None:
    await conn.client.indices.create(
        index=name, body={"settings": ONE_SHARD, "mappings": STRICT_MAPPING}
    )


async def index_documents(conn: EngineConnection, index: str, docs: dict[str, Any]) -> None:
    for doc_id, doc in docs.items():
        await conn.client.index(index=index, id=doc_id, body=doc)
    await conn.client.indices.refresh(index=index)


async def delete_indices(conn: EngineConnection, *names: str) -> None:
    for name in names:
        await conn.client.indices.delete(index=name, ignore_unavailable=True)


def test_connect_detects_kind_and_version(engine: tuple[str, str]) -> None:
    kind, url = engine

    async def work() -> tuple[EngineConnection, dict[str, Any]]:
        async with await connect(EngineSettings(urls=(url,))) as conn:
            return conn, dict(await conn.client.info())

    conn, info = run(work)
    assert conn.kind == kind
    assert conn.info.version_text == info["version"]["number"]
    assert conn.info.major >= 2
    assert conn.info.version == tuple(int(p) for p in info["version"]["number"].split("."))


def test_explicit_kind_must_match_the_server(engine: tuple[str, str]) -> None:
    kind, url = engine
    other = "opensearch" if kind == "elasticsearch" else "elasticsearch"
    with pytest.raises(EngineMismatch, match=f"is {kind} .* but {other} was configured"):
        run(lambda: detect_engine(EngineSettings(urls=(url,), kind=other)))  # type: ignore[arg-type]


def test_strict_mapping_rejects_unknown_fields(engine: tuple[str, str]) -> None:
    _, url = engine
    index = unique_name("strict")

    async def work() -> str:
        async with await connect(EngineSettings(urls=(url,))) as conn:
            await create_index(conn, index)
            try:
                mapping = await conn.client.indices.get_mapping(index=index)
                assert mapping[index]["mappings"]["dynamic"] == "strict"
                await conn.client.index(index=index, id="x", body={"unexpected": "field"})
            except Exception as error:  # the two clients raise their own BadRequestError
                return str(error)
            finally:
                await delete_indices(conn, index)
        return "accepted"

    assert "strict_dynamic_mapping_exception" in run(work)


def test_bool_should_of_boosted_terms_ranks_by_boost(engine: tuple[str, str]) -> None:
    _, url = engine
    index = unique_name("search")
    query = {
        "bool": {
            "should": [
                {"term": {"name_key": {"value": "putin", "boost": 3.0}}},
                {"term": {"country": {"value": "ru", "boost": 1.0}}},
            ]
        }
    }

    async def work() -> list[tuple[str, float]]:
        async with await connect(EngineSettings(urls=(url,))) as conn:
            await create_index(conn, index)
            try:
                await index_documents(conn, index, DOCUMENTS)
                answer = await conn.client.search(index=index, body={"query": query, "size": 10})
            finally:
                await delete_indices(conn, index)
        return [(hit["_id"], hit["_score"]) for hit in answer["hits"]["hits"]]

    hits = run(work)
    assert [doc_id for doc_id, _ in hits] == ["A", "B", "C"]
    scores = dict(hits)
    assert scores["A"] == pytest.approx(scores["B"] + scores["C"], rel=1e-3)
    assert scores["B"] == pytest.approx(3 * scores["C"], rel=1e-3)


def test_alias_moves_in_one_update_aliases_call(engine: tuple[str, str]) -> None:
    _, url = engine
    old, new, alias = unique_name("v1"), unique_name("v2"), unique_name("live")

    async def work() -> tuple[set[str], list[str]]:
        async with await connect(EngineSettings(urls=(url,))) as conn:
            try:
                for name, doc_id in ((old, "A"), (new, "B")):
                    await create_index(conn, name)
                    await index_documents(conn, name, {doc_id: DOCUMENTS[doc_id]})
                await conn.client.indices.put_alias(index=old, name=alias)
                await conn.client.indices.update_aliases(
                    body={
                        "actions": [
                            {"remove": {"index": old, "alias": alias}},
                            {"add": {"index": new, "alias": alias}},
                        ]
                    }
                )
                holders = set((await conn.client.indices.get_alias(name=alias)).keys())
                answer = await conn.client.search(index=alias, body={"query": {"match_all": {}}})
            finally:
                await delete_indices(conn, old, new)
        return holders, [hit["_id"] for hit in answer["hits"]["hits"]]

    holders, ids = run(work)
    assert holders == {new}
    assert ids == ["B"]


@pytest.fixture
def closed_port_url() -> str:
    """The address of a loopback port where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def silent_server_url() -> Iterator[str]:
    """A port that accepts TCP connections but never answers: a hung engine."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(16)
        yield f"http://127.0.0.1:{server.getsockname()[1]}"


def test_closed_port_is_engine_unavailable(closed_port_url: str) -> None:
    settings = EngineSettings(urls=(closed_port_url,), timeout=1.0, retries=1, retry_backoff=0.05)
    with pytest.raises(EngineUnavailable) as raised:
        run(lambda: connect(settings))
    assert raised.value.url == closed_port_url
    assert closed_port_url in str(raised.value)
    assert "refused" in raised.value.cause


def test_hung_engine_times_out_as_engine_unavailable(silent_server_url: str) -> None:
    settings = EngineSettings(urls=(silent_server_url,), timeout=0.5, retries=0)
    with pytest.raises(EngineUnavailable, match="timed out"):
        run(lambda: detect_engine(settings))


@pytest.mark.parametrize("make_client", [elasticsearch_client, opensearch_client])
def test_client_errors_become_engine_unavailable(
    closed_port_url: str, make_client: Callable[[EngineSettings], Any]
) -> None:
    """After connecting, an engine that goes away is reported the same way."""
    settings = EngineSettings(urls=(closed_port_url,), timeout=1.0, retries=0)
    info = EngineInfo("elasticsearch", (8,), "8", closed_port_url, "gone")

    async def work() -> None:
        conn = EngineConnection(info, make_client(settings), settings)
        async with conn, conn.unavailable_as_error():
            await conn.client.cluster.health()

    with pytest.raises(EngineUnavailable, match=closed_port_url):
        run(work)
