"""The embedded index behind the async :class:`engines.base.Engine` protocol.

Screening one name on the embedded index takes a few milliseconds of pure Python, so
:meth:`EmbeddedEngine.screen` calls it directly on the event loop instead of a worker
thread: a thread hop would cost about as much as the work and, under the GIL, buy no
parallelism (the service scales with worker *processes*). To keep a 100-party batch from
holding the loop for its whole duration, each call ends with ``await asyncio.sleep(0)``,
which lets other requests of the same worker run between two parties.

The engine also knows the *parties*: the links between listings of different lists
(:mod:`core.links`), worked out when it is built from the lists (about three seconds for
all twelve lists, 46,448 listings), and the identifiers of every listing, so that a query
giving an IMO or a passport number finds the listing without a name.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence

from core.identifiers import IdentifierIndex
from core.model import Entity
from core.parties import Party, parties_of
from core.score import Query
from engines.base import EngineUnavailable, Hit, IndexInfo
from engines.embedded import EmbeddedIndex
from engines.identifiers import with_identifier_hits


class EmbeddedEngine:
    """An :class:`EmbeddedIndex` plus what it was built from (:class:`IndexInfo`)."""

    def __init__(
        self, index: EmbeddedIndex, info: IndexInfo, parties: Mapping[str, Party] | None = None
    ) -> None:
        """``parties``: each entity id's party, when already known; else found here."""
        self.index: EmbeddedIndex | None = index
        self._info = info
        self._by_id = {entity.id: entity for entity in index.entities}
        self._parties = parties if parties is not None else parties_of(index.entities)
        self._by_party = {party.id: party for party in self._parties.values()}
        self._identifiers = IdentifierIndex(index.entities)

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
        index = self._loaded()
        hits = index.screen(query, limit=limit, lists=lists, min_score=min_score)
        if query.identifiers:
            found = (index.entities[p] for p in self._identifiers.find(query.identifiers))
            listed = [entity for entity in found if not lists or entity.list_id in lists]
            hits = with_identifier_hits(hits, listed, query, threshold=index.threshold, limit=limit)
        parties = self._parties
        hits = [Hit(hit.entity, hit.explanation, parties.get(hit.entity.id)) for hit in hits]
        await asyncio.sleep(0)
        return hits

    async def party(self, party_id: str) -> tuple[Party, list[Entity]] | None:
        self._loaded()
        party = self._by_party.get(party_id)
        if party is None:
            return None
        return party, [self._by_id[entity_id] for entity_id in party.entity_ids]

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
        self._parties = {}
        self._by_party = {}
