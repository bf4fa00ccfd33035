"""A server engine behind a plain (blocking) call, for command-line tools and scripts.

``screening eval --engine-url``, the parity check and the benchmark screen thousands of
names one after another from synchronous code; this runs the async :class:`ServerEngine`
on one private event loop (``asyncio.Runner``) and offers the embedded index's
``screen(query, limit)`` shape, so the same loop of code drives either.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from core.model import Kind
from core.score import Query
from engines.base import Hit
from engines.client import open_client
from engines.mapping import ENTITY_ALIAS, IndexMeta
from engines.server import ServerEngine, engine_settings


class BlockingServerIndex:
    """``screen()`` / ``len()`` / ``name_count`` / ``threshold`` over a server alias."""

    def __init__(self, url: str, kind: str | None = None, alias: str = ENTITY_ALIAS) -> None:
        self._runner = asyncio.Runner()
        client = self._runner.run(open_client(engine_settings(url, kind)))
        self.engine = ServerEngine(client, alias=alias)
        self.meta: IndexMeta = self._runner.run(self.engine.meta())
        self.threshold = self.engine.threshold
        self.kind = client.kind

    def __len__(self) -> int:
        return self.meta.entities

    @property
    def name_count(self) -> int:
        return self.meta.names

    def screen(
        self,
        query: Query,
        limit: int = 10,
        lists: Sequence[str] | None = None,
        kinds: Sequence[Kind] | None = None,
        min_score: float = 0.0,
    ) -> list[Hit]:
        screening = self.engine.screen(
            query, limit=limit, lists=lists, kinds=kinds, min_score=min_score
        )
        return self._runner.run(screening)

    def close(self) -> None:
        self._runner.run(self.engine.close())
        self._runner.close()
