"""The embedded index behind the async :class:`engines.base.Engine` protocol.

Screening one name on the embedded index takes a few milliseconds of pure Python, so
:meth:`EmbeddedEngine.screen` calls it directly on the event loop instead of a worker
thread: a thread hop would cost about as much as the work and, under the GIL, buy no
parallelism (the service scales with worker *processes*). To keep a 100-party batch from
holding the loop for its whole duration, each call ends with ``await asyncio.sleep(0)``,
which lets other requests of the same worker run between two parties.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from core.model import Entity
from core.score import Query
from engines.base import EngineUnavailable, Hit, IndexInfo
from engines.embedded import EmbeddedIndex


class EmbeddedEngine:
    """An :class:`EmbeddedIndex` plus what it was built from (:class:`IndexInfo`)."""

    def __init__(self, index: EmbeddedIndex, info: IndexInfo) -> None:
        self.index: EmbeddedIndex | None = index
        self._info = info
        self._by_id = {entity.id: entity for entity in index.entities}

    def _loaded(self) -> EmbeddedIndex:
        if self.index is None:
            raise EngineUnavailable("the embedded index is closed")
        return self.index

    async def screen(
        self,
        query: Query,
        *,
        limit: int,
        lists: Sequence[str] | None,
        min_score: float = 0.0,
    ) -> list[Hit]:
        hits = self._loaded().screen(query, limit=limit, lists=lists, min_score=min_score)
        await asyncio.sleep(0)
        return hits

    async def entity(self, entity_id: str) -> Entity | None:
        self._loaded()
        return self._by_id.get(entity_id)

    async def info(self) -> IndexInfo:
        return self._info

    async def check(self) -> None:
        index = self._loaded()
        if len(index) == 0:
            raise EngineUnavailable("the embedded index holds no entities (no lists loaded)")

    async def close(self) -> None:
        self.index = None
        self._by_id = {}
