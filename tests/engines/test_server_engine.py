"""The server engine against REAL Elasticsearch and OpenSearch: the same answers as the
embedded index over the same entities, reads, filters, and a clear error when down."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from contextlib import closing
from typing import Any

import pytest

from core.model import Entity, Kind, Name, NameRole, ParsedList
from core.score import ALERT_THRESHOLD, Query
from engines.base import EngineUnavailable, Hit
from engines.embedded import EmbeddedIndex
from engines.server import ServerEngine, open_server_engine
from indexer.publish import ListSource, Settings, publish
from indexer.registry import parse_list
from tests.conftest import shared_list
from tests.engines.server_support import (
    engine_client,
    fixture_lists,
    run,
    sources,
    unique_alias,
)


@pytest.fixture(params=["elasticsearch", "opensearch"])
def engine_url(request: pytest.FixtureRequest) -> str:
    url: str = request.getfixturevalue(f"{request.param}_url")
    return url


def queries_for(entities: list[Entity], limit: int | None = None) -> Iterator[Query]:
    """Each listed name as written, reordered, and with a letter dropped (a typo)."""
    count = 0
    for entity in entities:
        for name in entity.names:
            words = name.full.replace(",", " ").split()
            variants = [name.full, " ".join(reversed(words))]
            longest = max(words, key=len, default="")
            if len(longest) > 4:
                variants.append(name.full.replace(longest, longest[:-2] + longest[-1], 1))
            for text in variants:
                yield Query(text, entity.kind if count % 2 else None)
                count += 1
                if limit is not None and count >= limit:
                    return


def summary(hits: list[Hit], top: int = 3) -> list[tuple[str, float]]:
    return [(hit.entity.id, hit.score) for hit in hits[:top]]


def assert_same(server: list[Hit], embedded: list[Hit], query: Query) -> None:
    ours, theirs = summary(server), summary(embedded)
    assert [i for i, _ in ours] == [i for i, _ in theirs], query
    for (_, a), (_, b) in zip(ours, theirs, strict=True):
        assert abs(a - b) <= 0.01, query


async def _parity(url: str, parsed: list[ParsedList], queries: list[Query], **settings: Any) -> int:
    alias = unique_alias()
    embedded = EmbeddedIndex([e for p in parsed for e in p.entities])
    async with engine_client(url, alias) as client:
        await publish(client, sources(parsed), settings=Settings(alias=alias, **settings))
        engine = ServerEngine(client, alias=alias)
        for query in queries:
            server_hits = await engine.screen(query, limit=10, lists=None)
            assert_same(server_hits, embedded.screen(query, limit=10), query)
            # With a minimum score, the names that cannot reach it are set aside unscored:
            # the answer is the full one less what scores below it.
            alerts = await engine.screen(query, limit=10, lists=None, min_score=ALERT_THRESHOLD)
            kept = [(h.entity.id, h.score) for h in server_hits if h.score >= ALERT_THRESHOLD]
            assert [(h.entity.id, h.score) for h in alerts] == kept, query
    return len(queries)


def test_fixture_lists_screen_as_the_embedded_index(engine_url: str) -> None:
    parsed = fixture_lists()
    queries = list(queries_for([e for p in parsed for e in p.entities]))
    queries += [Query("Владимир Путин"), Query("قاسم سليماني"), Query("Nobody Atall")]
    assert run(lambda: _parity(engine_url, parsed, queries)) == len(queries)


@pytest.mark.shared_lists
def test_real_un_list_screens_as_the_embedded_index(engine_url: str) -> None:
    parsed = [parse_list("un-sc", shared_list("un-sc", "2026-08-01"))]
    queries = list(queries_for(parsed[0].entities, limit=300))
    # Small batches: documents built by two worker processes, bulk requests overlapped.
    loading = {"bulk_documents": 100, "workers": 2, "bulk_requests": 3}
    assert run(lambda: _parity(engine_url, parsed, queries, **loading)) == 300


def test_ties_rank_as_the_embedded_index_across_shards(engine_url: str) -> None:
    """Many entities with the same name, over two shards: the candidate window holds the
    same tied entities as the embedded index's (the first by list position), whichever
    shard each landed on. Ids are shuffled against positions, so a different window
    shows in the answer (the same scores sort by id)."""
    names = ["Ivan Petrov"] * 100 + ["Maria Gonzalez"] * 45  # common keys, rare keys
    names += ["Li Wei", "Anna Berg", "John Smith", "Olena Kovalenko", "Ahmad Hassan"]
    entities = [
        Entity(f"t:{(i * 37) % len(names):03d}", "t", Kind.PERSON, [Name(name)])
        for i, name in enumerate(names)
    ]
    parsed = [ParsedList("t", None, entities)]
    embedded = EmbeddedIndex(entities)

    async def work() -> None:
        alias = unique_alias()
        async with engine_client(engine_url, alias) as client:
            await publish(client, sources(parsed), settings=Settings(alias=alias, shards=2))
            engine = ServerEngine(client, alias=alias)
            for text in ("Ivan Petrov", "Maria Gonzalez"):
                server = await engine.screen(Query(text), limit=10, lists=None)
                expected = embedded.screen(Query(text), limit=10)
                assert [h.entity.id for h in server] == [h.entity.id for h in expected], text

    run(work)


def test_reads_filters_and_info(engine_url: str) -> None:
    parsed = fixture_lists()

    async def work() -> None:
        alias = unique_alias()
        async with engine_client(engine_url, alias) as client:
            report = await publish(client, sources(parsed), settings=Settings(alias=alias))
            engine = ServerEngine(client, alias=alias)
            await engine.check()
            info = await engine.info()
            assert info.version == report.version
            assert [item.id for item in info.lists] == [p.list_id for p in parsed]
            assert info.lists[0].entities == len(parsed[0].entities)
            first = parsed[0].entities[0]
            assert await engine.entity(first.id) == first
            assert await engine.entity("us-ofac-sdn:does-not-exist") is None
            name = first.names[0].full
            everywhere = await engine.screen(Query(name), limit=5, lists=None)
            assert everywhere[0].entity.id == first.id
            elsewhere = await engine.screen(Query(name), limit=5, lists=["un-sc"])
            assert all(hit.entity.list_id == "un-sc" for hit in elsewhere)
            other_kind = Kind.VESSEL if first.kind is not Kind.VESSEL else Kind.PERSON
            assert not [
                hit
                for hit in await engine.screen(Query(name), limit=5, lists=None, kinds=[other_kind])
                if hit.entity.id == first.id
            ]
            assert await engine.screen(Query("Zzyzx Qwrtpl"), limit=5, lists=None) == []

    run(work)


def test_alias_move_is_seen_by_a_running_engine(engine_url: str) -> None:
    def entity(number: int, name: str) -> Entity:
        return Entity(f"t:{number}", "t", Kind.PERSON, [Name(name, NameRole.PRIMARY)])

    def source(*entities: Entity) -> list[ListSource]:
        # A second, unrelated name: in a one-name index every key is on every name and
        # weighs nothing, so the embedded index (and this one) find no candidate at all.
        parsed = ParsedList("t", None, [*entities, entity(99, "Maria Gonzalez")])
        return sources([parsed])

    async def work() -> None:
        alias = unique_alias()
        async with engine_client(engine_url, alias) as client:
            await publish(client, source(entity(1, "Ivan Petrov")), settings=Settings(alias=alias))
            engine = ServerEngine(client, alias=alias)
            hits = await engine.screen(Query("Ivan Petrov"), limit=3, lists=None)
            assert [hit.entity.id for hit in hits] == ["t:1"]
            second = await publish(
                client, source(entity(2, "Ivan Petrov")), settings=Settings(alias=alias)
            )
            # The cached index is stale: the answer comes from the new one all the same.
            hits = await engine.screen(Query("Ivan Petrov"), limit=3, lists=None)
            assert [hit.entity.id for hit in hits] == ["t:2"]
            assert (await engine.meta()).index == second.index

    run(work)


def _free_port() -> int:
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_unreachable_engine_is_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCREENING_ENGINE_RETRIES", "1")
    monkeypatch.setenv("SCREENING_ENGINE_RETRY_BACKOFF", "0.01")
    url = f"http://127.0.0.1:{_free_port()}"
    with pytest.raises(EngineUnavailable, match="connection refused"):
        run(lambda: open_server_engine(url, "auto"))


class _Relay:
    """A TCP relay in front of the real engine, which the test can cut like a dead node."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.server: asyncio.Server | None = None
        self.writers: list[asyncio.StreamWriter] = []

    async def start(self) -> int:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        port: int = self.server.sockets[0].getsockname()[1]
        return port

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        self.writers += [writer, up_writer]

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            try:
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                sink.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))

    async def cut(self) -> None:
        assert self.server is not None
        self.server.close()
        for writer in self.writers:
            writer.close()
        await self.server.wait_closed()


def test_engine_that_goes_down_is_unavailable(
    engine_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCREENING_ENGINE_RETRIES", "1")
    monkeypatch.setenv("SCREENING_ENGINE_RETRY_BACKOFF", "0.01")
    monkeypatch.setenv("SCREENING_ENGINE_TIMEOUT", "2")
    parsed = fixture_lists()

    async def work() -> None:
        alias = unique_alias()
        async with engine_client(engine_url, alias) as client:
            await publish(client, sources(parsed), settings=Settings(alias=alias))
            relay = _Relay(int(engine_url.rsplit(":", 1)[1]))
            port = await relay.start()
            engine = await open_server_engine(f"http://127.0.0.1:{port}", "auto")
            assert isinstance(engine, ServerEngine)
            engine.alias = alias
            try:
                await engine.check()
                name = parsed[0].entities[0].names[0].full
                assert await engine.screen(Query(name), limit=1, lists=None)
                await relay.cut()
                with pytest.raises(EngineUnavailable, match="unavailable"):
                    await engine.screen(Query("Somebody Else"), limit=1, lists=None)
                with pytest.raises(EngineUnavailable):
                    await engine.check()
            finally:
                await engine.close()

    run(work)
