"""Publishing to REAL Elasticsearch and OpenSearch: versioned indices, one alias swap,
retention, rollback, the lock, and failures that leave the alias on the last good index."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from core.model import Entity, Kind, Name, NameRole, ParsedList
from engines.client import ServerClient
from engines.mapping import META_INDEX, is_versioned_index
from indexer.errors import ListFormatError
from indexer.publish import (
    IndexLock,
    IndexLocked,
    ListSource,
    PublishError,
    Settings,
    publish,
    rollback,
)
from tests.engines.server_support import engine_client, run, sources, unique_alias

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(params=["elasticsearch", "opensearch"])
def engine_url(request: pytest.FixtureRequest) -> str:
    url: str = request.getfixturevalue(f"{request.param}_url")
    return url


def people(list_id: str, *names: str) -> ParsedList:
    entities = [
        Entity(f"{list_id}:{i}", list_id, Kind.PERSON, [Name(name, NameRole.PRIMARY)])
        for i, name in enumerate(names, 1)
    ]
    return ParsedList(list_id, None, entities)


def generation(number: int) -> list[ListSource]:
    """A distinct list content per number, hence a distinct index version."""
    return sources([people("t", f"Ivan Petrov {number}", "Maria Gonzalez", "Li Wei")])


async def state(client: ServerClient, alias: str) -> tuple[list[str], list[str]]:
    """(indices of this alias family, the alias's targets)."""
    family = sorted(await client.indices(f"{alias}-*"))
    return family, await client.alias_targets(alias)


def test_versions_swap_keep_and_rollback(engine_url: str) -> None:
    async def work() -> None:
        alias = unique_alias()
        async with engine_client(engine_url, alias) as client:
            settings = Settings(alias=alias, keep=1)
            reports = [await publish(client, generation(n), settings=settings) for n in range(4)]
            names = [report.index for report in reports]
            assert all(is_versioned_index(name, alias) for name in names)
            assert len({report.version for report in reports}) == 4
            assert reports[0].previous is None
            assert [r.previous for r in reports[1:]] == names[:3]
            family, targets = await state(client, alias)
            # keep=1: the current index and one earlier version; older ones are gone.
            assert family == sorted(names[2:])
            assert targets == [names[3]]
            assert names[0] in reports[2].deleted and names[1] in reports[3].deleted
            assert await client.get_source(META_INDEX, names[0]) is None
            meta = await client.get_source(META_INDEX, names[3])
            assert meta is not None and meta["status"] == "complete"
            assert meta["entities"] == 3 and meta["names"] == 3

            undone, restored = await rollback(client, alias=alias)
            assert (undone, restored) == (names[3], names[2])
            assert (await state(client, alias))[1] == [names[2]]
            with pytest.raises(PublishError, match="no earlier complete version"):
                await rollback(client, alias=alias)
            # Publishing again after a rollback moves on from the restored version.
            fifth = await publish(client, generation(5), settings=settings)
            assert fifth.previous == names[2]
            assert (await state(client, alias))[1] == [fifth.index]

    run(work)


def test_second_indexer_fails_while_the_first_holds_the_lock(engine_url: str) -> None:
    async def work() -> None:
        alias = unique_alias()
        async with engine_client(engine_url, alias) as client:
            first = IndexLock(client, alias, timedelta(minutes=5))
            await first.acquire()
            try:
                with pytest.raises(IndexLocked, match=r"another indexer .* holds the lock"):
                    await publish(client, generation(1), settings=Settings(alias=alias))
                with pytest.raises(IndexLocked):
                    await rollback(client, alias=alias)
                family, targets = await state(client, alias)
                assert family == [] and targets == []
            finally:
                await first.release()
            report = await publish(client, generation(1), settings=Settings(alias=alias))
            assert (await state(client, alias))[1] == [report.index]

    run(work)


def test_two_indexers_at_once_one_wins(engine_url: str) -> None:
    async def work() -> None:
        alias = unique_alias()
        async with engine_client(engine_url, alias) as client:
            outcomes = await asyncio.gather(
                publish(client, generation(1), settings=Settings(alias=alias)),
                publish(client, generation(2), settings=Settings(alias=alias)),
                return_exceptions=True,
            )
            locked = [o for o in outcomes if isinstance(o, IndexLocked)]
            published = [o for o in outcomes if not isinstance(o, BaseException)]
            assert len(locked) == 1 and len(published) == 1
            assert (await state(client, alias))[1] == [published[0].index]

    run(work)


def test_an_expired_lock_is_broken(engine_url: str) -> None:
    async def work() -> None:
        alias = unique_alias()
        async with engine_client(engine_url, alias) as client:
            crashed = IndexLock(client, alias, timedelta(seconds=1))
            await crashed.acquire()  # and never released: its indexer "died"
            await asyncio.sleep(1.2)
            report = await publish(client, generation(1), settings=Settings(alias=alias))
            assert (await state(client, alias))[1] == [report.index]

    run(work)


def _failing_entities(good: ParsedList, after: int) -> Iterator[Entity]:
    """A list whose file turns out broken part-way through (as a streaming parser sees)."""
    yield from good.entities[:after]
    raise ListFormatError("second.xml", "unexpected end of file", "line 812")


def test_failure_halfway_leaves_the_alias_and_no_orphan(engine_url: str) -> None:
    async def work() -> None:
        alias = unique_alias()
        async with engine_client(engine_url, alias) as client:
            good = await publish(client, generation(1), settings=Settings(alias=alias))
            big = people("t2", *(f"Person Number{i} Surname{i}" for i in range(1200)))
            broken = [
                generation(2)[0],
                ListSource(sources([big])[0].info, _failing_entities(big, 1100)),
            ]
            with pytest.raises(ListFormatError, match="unexpected end of file"):
                await publish(client, broken, settings=Settings(alias=alias, bulk_documents=200))
            family, targets = await state(client, alias)
            assert family == [good.index] and targets == [good.index]

            # The engine refuses a document (too many names for the index's limit).
            many_names = people("t3", "Anna Berg")
            many_names.entities[0].names += [Name(f"Alias Number{i}") for i in range(30)]
            with pytest.raises(PublishError, match="refused a document"):
                await publish(
                    client, sources([many_names]), settings=Settings(alias=alias, nested_limit=10)
                )
            family, targets = await state(client, alias)
            assert family == [good.index] and targets == [good.index]

    run(work)


def test_repeated_id_in_a_later_batch_leaves_the_alias_and_no_index(engine_url: str) -> None:
    """A repeated id is found by the indexer (documents built by worker processes, bulk
    requests overlapped): the publish fails and nothing of the new index stays behind."""

    async def work() -> None:
        alias = unique_alias()
        async with engine_client(engine_url, alias) as client:
            good = await publish(client, generation(1), settings=Settings(alias=alias))
            big = people("t2", *(f"Person Number{i} Surname{i}" for i in range(900)))
            big.entities.append(big.entities[3])
            settings = Settings(alias=alias, bulk_documents=50, workers=2, bulk_requests=3)
            with pytest.raises(PublishError, match="t2:4 occurs twice"):
                await publish(client, sources([big]), settings=settings)
            family, targets = await state(client, alias)
            assert family == [good.index] and targets == [good.index]
            await asyncio.sleep(1.0)  # nothing arrives late either
            assert await state(client, alias) == (family, targets)

    run(work)


def test_bulk_error_on_a_closed_index_leaves_the_alias(engine_url: str) -> None:
    """The target index is closed under the indexer's feet (an operator, a full disk)."""
    import httpx

    async def work() -> None:
        alias = unique_alias()
        async with engine_client(engine_url, alias) as client:
            good = await publish(client, generation(1), settings=Settings(alias=alias))

            def closing_entities() -> Iterator[Entity]:
                big = people("t2", *(f"Person Number{i} Surname{i}" for i in range(600)))
                yield from big.entities[:250]
                building = [
                    name
                    for name in httpx.get(
                        f"{engine_url}/_cat/indices/{alias}-*?h=index"
                    ).text.split()
                    if name != good.index
                ]
                for name in building:
                    httpx.post(f"{engine_url}/{name}/_close").raise_for_status()
                yield from big.entities[250:]

            source = ListSource(generation(2)[0].info, closing_entities())
            with pytest.raises(PublishError):
                await publish(client, [source], settings=Settings(alias=alias, bulk_documents=100))
            family, targets = await state(client, alias)
            assert family == [good.index] and targets == [good.index]

    run(work)


KILLED_INDEXER = textwrap.dedent(
    """
    import asyncio, sys, time
    from datetime import timedelta
    from core.model import Entity, Kind, Name, NameRole, ParsedList
    from engines.client import open_client
    from engines.server import engine_settings
    from indexer.publish import ListSource, Settings, publish
    from tests.engines.server_support import sources

    def slow():
        for i in range(100000):
            if i and i % 200 == 0:
                print("loading", flush=True)
                time.sleep(0.5)
            yield Entity(f"k:{i}", "k", Kind.PERSON, [Name(f"Slow Person{i}", NameRole.PRIMARY)])

    async def main(url, alias):
        client = await open_client(engine_settings(url, "auto", environ={}))
        info = sources([ParsedList("k", None, [])])[0].info
        settings = Settings(alias=alias, lock_ttl=timedelta(seconds=3), bulk_documents=100)
        await publish(client, [ListSource(info, slow())], settings=settings)

    asyncio.run(main(sys.argv[1], sys.argv[2]))
    """
)


def test_killed_indexer_is_cleaned_up_by_the_next_run(engine_url: str) -> None:
    alias = unique_alias()
    process = subprocess.Popen(
        [sys.executable, "-c", KILLED_INDEXER, engine_url, alias],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "loading"  # its index exists, half full
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()

    async def work() -> None:
        async with engine_client(engine_url, alias) as client:
            family, targets = await state(client, alias)
            assert len(family) == 1 and targets == []  # the orphan, half-built
            with pytest.raises(IndexLocked):
                await publish(client, generation(1), settings=Settings(alias=alias))
            await asyncio.sleep(max(0.0, deadline - time.monotonic()))
            report = await publish(client, generation(1), settings=Settings(alias=alias))
            assert family[0] in report.deleted
            assert await state(client, alias) == ([report.index], [report.index])

    deadline = time.monotonic() + 3.5
    run(work)
