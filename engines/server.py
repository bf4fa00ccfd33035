"""The Elasticsearch / OpenSearch engine: candidates from the server, scores from the core.

Screening one name is the embedded index's two steps, split between server and service:

1. *candidates*, on the server: the entities whose names share the query's keys, ranked by
   the keys' rarity (:mod:`engines.query` builds the query; both servers get the same body);
2. *scoring*, here: the matching core (:mod:`core.score`) compares the query with each
   candidate's matching names, with the token rarities the indexer stored in the index's
   metadata document, so every service replica (and the embedded index over the same
   lists) gives the same scores.

The service reads the alias (``screening-entities``); the indexer moves it atomically to a
new index (:mod:`indexer.publish`). A replica notices the move within
:data:`ALIAS_RECHECK_SECONDS`, or at once when a search answers from another index, and
then loads the new index's metadata. Key document frequencies (the query's weights) are
counted by the server per key and cached per index.
"""

from __future__ import annotations

import asyncio
import functools
import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from core.keys import DEFAULT_PHONETIC
from core.model import Entity, Kind, Name, NameRole
from core.parties import Party
from core.score import (
    ALERT_THRESHOLD,
    PreparedName,
    Query,
    Rarity,
    best_name_match,
    explain,
    form_weights,
    name_floor,
    prepare_name,
    secondary_evidence,
)
from engines.base import EngineUnavailable, Hit, IndexInfo
from engines.client import ServerClient, ServerError, open_client
from engines.connection import KINDS, EngineSettings
from engines.embedded import (
    MAX_CANDIDATES,
    MAX_NAMES_PER_ENTITY,
    distinctive_tokens,
)
from engines.identifiers import with_identifier_hits
from engines.mapping import (
    ENTITY_ALIAS,
    META_INDEX,
    IndexMeta,
    entity_from_source,
    identifier_terms,
    meta_from_json,
    party_from_source,
)
from engines.query import (
    KeyStats,
    candidate_query,
    frequency_query,
    identifier_query,
    key_groups,
    party_query,
    plan,
    rank_entities,
    read_frequencies,
)

# How long a replica trusts its idea of which index the alias points to.
ALIAS_RECHECK_SECONDS = 10.0
# Candidates fetched beyond MAX_CANDIDATES, so float32 near-ties on the server cannot push
# an entity the exact ranking keeps out of the window.
FETCH_FACTOR = 2
# Per-index cache of key document frequencies (a key is ~20 bytes; 200k keys ~ 30 MB).
FREQUENCY_CACHE_SIZE = 200_000
# Listings fetched for a query's identifiers, and for one party (both a handful in fact).
IDENTIFIER_HITS = 50
MAX_PARTY_LISTINGS = 500


class _AliasMoved(Exception):
    """A search answered from another index than the one whose metadata is loaded."""


def _prepared_listed(name: Name, kind: Kind) -> PreparedName:
    """A listed name prepared exactly as the embedded index prepares it (distinctive
    tokens included), once per process: romanising is the costly part."""
    return _prepared_cached(name.full, name.role, name.family, kind)


@functools.lru_cache(maxsize=100_000)
def _prepared_cached(full: str, role: NameRole, family: str | None, kind: Kind) -> PreparedName:
    name = Name(full=full, role=role, family=family)
    prepared = prepare_name(full, kind, role)
    entity = Entity(id="", list_id="", kind=kind)
    return replace(prepared, distinctive=distinctive_tokens(entity, name, prepared))


@dataclass(slots=True)
class _IndexState:
    meta: IndexMeta
    checked_at: float
    frequencies: dict[str, int] = field(default_factory=dict)


class ServerEngine:
    """The :class:`engines.base.Engine` protocol over an Elasticsearch/OpenSearch alias."""

    def __init__(
        self,
        client: ServerClient,
        *,
        alias: str = ENTITY_ALIAS,
        max_candidates: int = MAX_CANDIDATES,
        threshold: float = ALERT_THRESHOLD,
        phonetic: str = DEFAULT_PHONETIC,
    ) -> None:
        self.client = client
        self.alias = alias
        self.max_candidates = max_candidates
        self.threshold = threshold
        self.phonetic = phonetic
        self._state: _IndexState | None = None
        self._lock = asyncio.Lock()
        self._closed = False

    @property
    def kind(self) -> str:
        return self.client.kind

    # --- which index, with which metadata ---------------------------------------------

    async def _load(self) -> _IndexState:
        targets = await self.client.alias_targets(self.alias)
        if len(targets) != 1:
            raise EngineUnavailable(
                f"no screening index behind alias {self.alias!r} at {self.client.url} "
                f"(found {targets or 'none'}): run `screening index`"
            )
        index = targets[0]
        if self._state is not None and self._state.meta.index == index:
            self._state.checked_at = time.monotonic()
            return self._state
        source = await self.client.get_source(META_INDEX, index)
        if source is None or source.get("status") != "complete":
            raise EngineUnavailable(f"index {index} has no complete metadata in {META_INDEX}")
        try:
            meta = meta_from_json(source)
        except (KeyError, ValueError) as error:
            raise EngineUnavailable(f"metadata of {index} unreadable: {error}") from error
        self._state = _IndexState(meta, time.monotonic())
        return self._state

    async def _current(self, *, force: bool = False) -> _IndexState:
        if self._closed:
            raise EngineUnavailable("the server engine is closed")
        state = self._state
        fresh = state is not None and time.monotonic() - state.checked_at < ALIAS_RECHECK_SECONDS
        if state is not None and fresh and not force:
            return state
        async with self._lock:
            return await self._load()

    async def _frequencies(self, state: _IndexState, keys: Sequence[str]) -> KeyStats:
        cache = state.frequencies
        missing = sorted({key for key in keys if key not in cache})
        if missing:
            answer = await self.client.search(state.meta.index, frequency_query(missing))
            if len(cache) + len(missing) > FREQUENCY_CACHE_SIZE:
                cache.clear()
            cache.update(read_frequencies(missing, answer))
        return KeyStats(state.meta.names, {key: cache[key] for key in keys if key in cache})

    # --- the protocol ------------------------------------------------------------------

    async def screen(
        self,
        query: Query,
        *,
        limit: int,
        lists: Sequence[str] | None,
        kinds: Sequence[Kind] | None = None,
        countries: Sequence[str] | None = None,
        min_score: float = 0.0,
    ) -> list[Hit]:
        prepared = prepare_name(query.name, query.kind)
        groups = key_groups(prepared, self.phonetic) if prepared.forms else []
        if not groups and not query.identifiers:
            return []
        state = await self._current()
        most = max(self.max_candidates, limit)  # at least as many candidates as answers
        for _attempt in range(2):
            try:
                hits = await self._name_hits(
                    state, prepared, query, groups, lists, kinds, countries, min_score, most
                )
                if query.identifiers:
                    hits = await self._with_identifiers(state, hits, query, lists, limit)
            except _AliasMoved:
                state = await self._current(force=True)
                continue
            hits.sort(key=lambda hit: (-hit.score, hit.entity.id))
            return hits[:limit]
        raise EngineUnavailable(f"alias {self.alias!r} kept moving during the search")

    async def _search(self, state: _IndexState, body: dict[str, Any]) -> list[dict[str, Any]]:
        """The hits of one search on the alias; :class:`_AliasMoved` when they come from
        another index than ``state``'s (a refresh moved the alias meanwhile)."""
        answer = await self.client.search(self.alias, body)
        found: list[dict[str, Any]] = answer["hits"]["hits"]
        if any(hit["_index"] != state.meta.index for hit in found):
            raise _AliasMoved
        return found

    async def _name_hits(
        self,
        state: _IndexState,
        prepared: PreparedName,
        query: Query,
        groups: list[frozenset[str]],
        lists: Sequence[str] | None,
        kinds: Sequence[Kind] | None,
        countries: Sequence[str] | None,
        min_score: float,
        most: int,
    ) -> list[Hit]:
        """The ``most`` best-ranked candidates of the name's keys, scored."""
        if not groups:
            return []
        stats = await self._frequencies(state, sorted({k for g in groups for k in g}))
        candidate = plan(groups, stats)
        if candidate is None:
            return []
        body = candidate_query(
            candidate,
            stats,
            size=most * FETCH_FACTOR,
            lists=lists,
            kinds=[kind.value for kind in kinds] if kinds else None,
            countries=countries,
        )
        found = await self._search(state, body)
        ranked = rank_entities(found, candidate, stats)[:most]
        hits = []
        for entry in ranked:
            entity = entity_from_source(entry.source)
            rarity = state.meta.rarity
            hit = self._score(prepared, query, entity, entry.positions, rarity, min_score)
            if hit is not None and hit.score >= min_score:
                hits.append(Hit(entity, hit.explanation, party_from_source(entry.source)))
        return hits

    async def _with_identifiers(
        self,
        state: _IndexState,
        hits: list[Hit],
        query: Query,
        lists: Sequence[str] | None,
        limit: int,
    ) -> list[Hit]:
        """The name hits plus the listings carrying one of the query's identifiers."""
        terms = identifier_terms(query.identifiers)
        body = identifier_query(terms, size=IDENTIFIER_HITS, lists=lists)
        found = await self._search(state, body)
        entities = [entity_from_source(hit["_source"]) for hit in found]
        parties = {
            entity.id: party
            for entity, hit in zip(entities, found, strict=True)
            if (party := party_from_source(hit["_source"])) is not None
        }
        return with_identifier_hits(
            hits, entities, query, threshold=self.threshold, limit=limit, parties=parties
        )

    def _score(
        self,
        prepared: PreparedName,
        query: Query,
        entity: Entity,
        positions: Sequence[int],
        rarity: Rarity,
        min_score: float,
    ) -> Hit | None:
        """The embedded index's scoring of one candidate: its best matching name + evidence."""
        scored = positions[:MAX_NAMES_PER_ENTITY]
        names = [_prepared_listed(entity.names[p], entity.kind) for p in scored]
        listed = [(name, form_weights(name, rarity)) for name in names]
        evidence = secondary_evidence(query, entity)
        floor = name_floor(min_score, evidence)
        match = best_name_match(prepared, form_weights(prepared, rarity), listed, rarity, floor)
        if match is None:
            return None
        return Hit(entity, explain(match, evidence, self.threshold))

    async def entity(self, entity_id: str) -> Entity | None:
        await self._current()
        source = await self.client.get_source(self.alias, entity_id)
        return entity_from_source(source) if source is not None else None

    async def party(self, party_id: str) -> tuple[Party, list[Entity]] | None:
        state = await self._current()
        for _attempt in range(2):
            try:
                found = await self._search(state, party_query(party_id, size=MAX_PARTY_LISTINGS))
            except _AliasMoved:
                state = await self._current(force=True)
                continue
            if not found:
                return None
            party = party_from_source(found[0]["_source"])
            if party is None:
                return None
            by_id = {str(hit["_id"]): entity_from_source(hit["_source"]) for hit in found}
            return party, [by_id[entity_id] for entity_id in party.entity_ids if entity_id in by_id]
        raise EngineUnavailable(f"alias {self.alias!r} kept moving during the search")

    async def info(self) -> IndexInfo:
        return (await self._current()).meta.info

    async def meta(self) -> IndexMeta:
        return (await self._current()).meta

    async def check(self) -> None:
        try:
            await self._current(force=True)
        except ServerError as error:
            raise EngineUnavailable(f"search engine at {self.client.url}: {error}") from error

    async def close(self) -> None:
        self._closed = True
        self._state = None
        await self.client.close()


def engine_settings(
    url: str | None = None, kind: str | None = None, environ: Mapping[str, str] | None = None
) -> EngineSettings:
    """Settings from SCREENING_ENGINE_* (credentials, TLS, timeouts), URL and kind overridden."""
    env: dict[str, str] = dict(os.environ if environ is None else environ)
    if url:
        env["SCREENING_ENGINE_URL"] = url
    if kind:
        env["SCREENING_ENGINE_KIND"] = kind
    return EngineSettings.from_env(env)


async def open_server_engine(url: str, kind: str) -> ServerEngine:
    """The service's server engine opener (``engines.base.SERVER_ENGINE_FACTORY``).

    Reads credentials, TLS and timeouts from SCREENING_ENGINE_*; raises
    EngineUnavailable when the engine cannot be reached.
    """
    if kind not in KINDS:
        raise ValueError(f"engine kind must be one of {', '.join(KINDS)}: {kind!r}")
    client = await open_client(engine_settings(url, kind))
    return ServerEngine(client)
