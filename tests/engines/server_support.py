"""Helpers of the server engine tests: real engines, unique aliases, fixture lists.

Every test publishes under its own alias (``screening-test-<hex>``), so tests never see
each other's indices and a shared, already-running engine is left as it was found (the
helper deletes the test's indices and metadata at the end).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from core.model import ParsedList
from engines.client import ServerClient, open_client
from engines.mapping import LOCK_INDEX, META_INDEX
from engines.server import engine_settings
from indexer.publish import ListSource, sources_from_parsed
from indexer.registry import parse_list

T = TypeVar("T")
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FIXTURE_LISTS: tuple[tuple[str, Path], ...] = (
    ("us-ofac-sdn", FIXTURES / "us-ofac-sdn"),
    ("un-sc", FIXTURES / "un-sc" / "consolidated.xml"),
    ("gb-ofsi", FIXTURES / "gb-ofsi" / "ConList.csv"),
    ("eu-fsf", FIXTURES / "eu-fsf" / "xmlFullSanctionsList_1_1.xml"),
    ("ca-sema", FIXTURES / "ca-sema" / "sema-lmes.xml"),
)


def run(work: Callable[[], Awaitable[T]]) -> T:
    async def main() -> T:
        return await work()

    return asyncio.run(main())


def unique_alias() -> str:
    return f"screening-test-{uuid.uuid4().hex[:10]}"


def fixture_lists() -> list[ParsedList]:
    return [parse_list(list_id, path) for list_id, path in FIXTURE_LISTS]


def sources(parsed: list[ParsedList]) -> list[ListSource]:
    return sources_from_parsed(parsed, datetime(2026, 1, 1, tzinfo=UTC))


async def remove_alias_family(client: ServerClient, alias: str) -> None:
    """Delete every index, metadata document and lock of one test alias."""
    for name in await client.indices(f"{alias}-*"):
        await client.delete_index(name)
        await client.delete_document(META_INDEX, name)
    await client.delete_document(LOCK_INDEX, alias)


@asynccontextmanager
async def engine_client(url: str, alias: str) -> AsyncIterator[ServerClient]:
    client = await open_client(engine_settings(url, "auto", environ={}))
    try:
        yield client
    finally:
        try:
            await remove_alias_family(client, alias)
        finally:
            await client.close()
