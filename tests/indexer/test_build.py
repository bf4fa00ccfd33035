"""build_embedded: list provenance (versions, titles, file hashes) and a stable index version."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from core.score import Query
from indexer.build import DuplicateListError, build_embedded, index_version
from indexer.diff import list_version
from indexer.registry import parse_list
from tests.conftest import FIXTURES


def _parsed() -> list:  # type: ignore[type-arg]
    return [
        parse_list("un-sc", FIXTURES / "un-sc"),
        parse_list("us-ofac-sdn", FIXTURES / "us-ofac-sdn"),
    ]


def test_list_info_comes_from_the_files_and_the_registry() -> None:
    parsed = _parsed()
    moment = datetime(2026, 1, 2, tzinfo=UTC)
    engine = build_embedded(parsed, built_at=moment)
    info = asyncio.run(engine.info())
    un, sdn = info.lists
    assert un.id == "un-sc" and un.version == list_version(parsed[0])
    assert un.title == "United Nations Security Council Consolidated List"
    assert "United Nations" in un.publisher
    assert un.published is not None and un.published.isoformat() == "2026-03-04"
    assert un.loaded_at == moment and info.built_at == moment
    assert un.entities == 4 and sdn.entities == 7
    assert [f.name for f in un.files] == ["consolidated.xml"]
    assert un.files[0].sha256 == parsed[0].files[0].sha256
    assert un.format == "un-xml"
    assert info.list("us-ofac-sdn") is sdn and info.list("eu-fsf") is None


def test_the_index_version_depends_on_the_list_versions_only() -> None:
    first = asyncio.run(build_embedded(_parsed()).info())
    again = asyncio.run(build_embedded(list(reversed(_parsed()))).info())
    assert first.version == again.version
    assert first.version == index_version(first.lists)
    only_un = asyncio.run(build_embedded(_parsed()[:1]).info())
    assert only_un.version != first.version


def test_a_list_given_twice_is_refused() -> None:
    parsed = _parsed()
    with pytest.raises(DuplicateListError, match="un-sc"):
        build_embedded([parsed[0], parsed[0]])


def test_the_engine_screens_and_finds_entities() -> None:
    engine = build_embedded(_parsed())

    async def use() -> None:
        hits = await engine.screen(Query("OCEAN STAR"), limit=5, lists=["un-sc"])
        assert hits and all(h.entity.list_id == "un-sc" for h in hits)
        entity = await engine.entity("us-ofac-sdn:1004")
        assert entity is not None and entity.primary_name == "OCEAN STAR"
        assert await engine.entity("us-ofac-sdn:0") is None
        await engine.check()

    asyncio.run(use())
