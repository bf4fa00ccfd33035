"""`screening index` end to end on REAL engines: exit statuses and what the alias shows."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import pytest

from engines.client import open_client
from engines.server import engine_settings
from indexer.publish import IndexLock
from service.cli import main
from tests.engines.server_support import (
    FIXTURES,
    engine_client,
    remove_alias_family,
    run,
    unique_alias,
)

OFAC = f"us-ofac-sdn={FIXTURES / 'us-ofac-sdn'}"
UN = f"un-sc={FIXTURES / 'un-sc' / 'consolidated.xml'}"


@pytest.fixture(params=["elasticsearch", "opensearch"])
def engine_url(request: pytest.FixtureRequest) -> str:
    url: str = request.getfixturevalue(f"{request.param}_url")
    return url


def test_index_rollback_and_refusals(engine_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    alias = unique_alias()
    base = ["index", "--engine-url", engine_url, "--alias", alias, "--json"]
    try:
        assert main([*base, "--list", OFAC]) == 0
        first = json.loads(capsys.readouterr().out)
        assert first["entities"] == 7 and first["previous"] is None
        assert main([*base, "--list", OFAC, "--list", UN, "--workers", "2"]) == 0
        second = json.loads(capsys.readouterr().out)
        assert second["previous"] == first["index"] and second["entities"] == 11
        assert main([*base, "--list", OFAC, "--workers", "0"]) == 2

        # A broken file: exit 2 before the engine is touched.
        bad = f"un-sc={FIXTURES / 'gb-ofsi' / 'ConList.csv'}"
        assert main([*base, "--list", OFAC, "--list", bad]) == 2
        assert main([*base, "--rollback"]) == 0
        assert json.loads(capsys.readouterr().out)["alias_now"] == first["index"]

        # main() runs its own event loop: call it from a worker thread of this one.
        async def in_thread() -> int:
            async with engine_client(engine_url, alias) as client:
                lock = IndexLock(client, alias, timedelta(minutes=1))
                await lock.acquire()
                try:
                    return await asyncio.to_thread(main, [*base, "--list", OFAC])
                finally:
                    await lock.release()

        assert run(in_thread) == 1
        assert "holds the lock" in capsys.readouterr().err
    finally:

        async def clean() -> None:
            client = await open_client(engine_settings(engine_url, None, environ={}))
            try:
                await remove_alias_family(client, alias)
            finally:
                await client.close()

        run(clean)


def test_rollback_with_nothing_published_fails(
    engine_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    alias = unique_alias()
    assert main(["index", "--engine-url", engine_url, "--alias", alias, "--rollback"]) == 1
    assert "points to nothing" in capsys.readouterr().err
