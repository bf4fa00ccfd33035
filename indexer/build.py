"""Building an index from parsed lists, with the provenance every answer must carry.

Screening answers and audit records name the list versions and the index version used, so
the builder computes them once here: each list's version is
:func:`indexer.diff.list_version` (publication date + hash of the official files), its
title and publisher come from the registry, and the index version is a hash of the list
versions it holds — the same lists give the same index version in every worker process
and after every restart.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime

from core.model import ParsedList
from engines.base import IndexInfo, ListInfo, SourceFileInfo
from engines.embedded import EmbeddedIndex
from engines.embedded_engine import EmbeddedEngine
from indexer.diff import list_version
from indexer.registry import load_registry

_INDEX_HASH_CHARS = 12


class DuplicateListError(ValueError):
    """The same list id was given twice; entity ids would collide."""


def list_info(parsed: ParsedList, loaded_at: datetime) -> ListInfo:
    source = load_registry().get(parsed.list_id)
    files = tuple(
        SourceFileInfo(
            name=f.path.replace("\\", "/").rsplit("/", 1)[-1], sha256=f.sha256, size=f.size
        )
        for f in parsed.files
    )
    return ListInfo(
        id=parsed.list_id,
        title=source.title if source else parsed.list_id,
        publisher=source.publisher if source else "",
        version=list_version(parsed),
        published=parsed.published,
        loaded_at=loaded_at,
        entities=len(parsed.entities),
        files=files,
        format=parsed.format,
        as_of=parsed.as_of,
        as_of_source=str(parsed.as_of_source) if parsed.as_of_source else None,
    )


def index_version(lists: Sequence[ListInfo]) -> str:
    """A short hash of the (list id, list version) pairs: equal lists, equal version."""
    digest = hashlib.sha256()
    for info in sorted(lists, key=lambda i: i.id):
        digest.update(f"{info.id}\0{info.version}\n".encode())
    return digest.hexdigest()[:_INDEX_HASH_CHARS]


def index_info(parsed_lists: Sequence[ParsedList], built_at: datetime) -> IndexInfo:
    seen: set[str] = set()
    for parsed in parsed_lists:
        if parsed.list_id in seen:
            raise DuplicateListError(f"list {parsed.list_id} given twice")
        seen.add(parsed.list_id)
    lists = tuple(list_info(parsed, built_at) for parsed in parsed_lists)
    return IndexInfo(version=index_version(lists), built_at=built_at, lists=lists)


def build_embedded(
    parsed_lists: Sequence[ParsedList], *, built_at: datetime | None = None
) -> EmbeddedEngine:
    """An embedded engine over ``parsed_lists`` (OFAC SDN + UN + UK: a few seconds)."""
    info = index_info(parsed_lists, built_at or datetime.now(UTC))
    index = EmbeddedIndex(entity for parsed in parsed_lists for entity in parsed.entities)
    return EmbeddedEngine(index, info)
