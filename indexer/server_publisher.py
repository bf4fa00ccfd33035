"""The refresh's publisher for Elasticsearch/OpenSearch: the alias, read back and swapped.

:mod:`indexer.refresh` needs three things of an index store (:mod:`indexer.publishers`):
the lock, the published version (summaries, source files, entities for the diff) and an
atomic publish. On a server all three already exist in :mod:`indexer.publish`; this module
is the adapter:

* **lock** — the indexer lock of :mod:`indexer.publish` (a document in ``screening-locks``
  named after the alias), taken when the refresh starts and held until it has published,
  so neither a second refresh nor a ``screening index`` can move the alias between this
  run's diff and its swap. It expires if the holder dies; while the refresh parses (no
  engine call for minutes) a heartbeat extends it.
* **current** — the alias's index and its metadata document in ``screening-meta``: per
  list the version, publication date, entity count and the official files with their
  SHA-256 (so an unchanged fetch is not parsed again). ``load(list_id)`` scrolls that
  index over the list's documents and rebuilds the ParsedList from ``_source.entity``, in
  the order the entities were indexed (``_seq_no``: the parser's order on one shard).
* **publish** — a new versioned index of the new lists plus the kept lists, then the one
  ``update_aliases`` swap, retention and clean-up, all by :func:`indexer.publish.publish_locked`.

Kept lists are *read back and re-sent*, not copied with the engine's ``_reindex``: every
document of the new index is then made by this code's :func:`engines.mapping.entity_document`
(an upgrade that changes the name keys re-keys the kept lists too, instead of leaving an
index with two kinds of keys), the token rarity table of the metadata needs every name's
tokens anyway, and the same path runs on both engines. Reading back ~100k entities costs
seconds (the refresh report times it as ``publish.read_kept``).

The refresh is synchronous and the engine clients are asynchronous: the publisher runs one
event loop in a thread of its own for its whole life (the client and its connections
belong to that loop) and waits on each call. Close it (:meth:`ServerPublisher.close`, or
``with``) when done, after re-screening has read the lists it needs.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Awaitable, Callable, Coroutine, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, TypeVar

from core.model import Entity, ParsedList, SourceFile
from engines.base import EngineUnavailable, ListInfo
from engines.client import ServerClient, ServerError, open_client
from engines.connection import EngineError, EngineSettings
from engines.mapping import (
    ENTITY_READABLE_SCHEMAS,
    META_INDEX,
    IndexMeta,
    entity_from_source,
    meta_from_json,
    meta_index_settings,
)
from indexer import publish as server
from indexer.build import list_info
from indexer.checks import ListSummary
from indexer.diff import list_version
from indexer.publishers import IndexUnavailable, PublisherLocked, PublishError

T = TypeVar("T")
SCROLL_PAGE = 1_000
# Everything a call to the engine can fail with (the client's error model, engines.client).
ENGINE_ERRORS = (EngineUnavailable, EngineError, ServerError)


class _LoopThread:
    """An event loop running in a daemon thread; :meth:`run` waits for one coroutine."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(
            target=self.loop.run_forever, name="server-publisher", daemon=True
        )
        self.thread.start()

    def submit(self, work: Coroutine[Any, Any, T]) -> Future[T]:
        return asyncio.run_coroutine_threadsafe(work, self.loop)

    def run(self, work: Coroutine[Any, Any, T]) -> T:
        return self.submit(work).result()

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join()
        self.loop.close()


def _summary(info: ListInfo) -> ListSummary:
    return ListSummary(info.id, info.published, info.entities, info.version)


@dataclass(frozen=True, slots=True)
class ServerPublished:
    """The index the alias points to, as the refresh sees it (a PublishedIndex)."""

    publisher: ServerPublisher
    meta: IndexMeta

    @property
    def index_version(self) -> str:
        return self.meta.info.version

    @property
    def index(self) -> str:
        """The concrete versioned index (``screening-entities-<version>-<time>``)."""
        return self.meta.index

    def summaries(self) -> dict[str, ListSummary]:
        return {info.id: _summary(info) for info in self.meta.info.lists}

    def files(self, list_id: str) -> list[tuple[str, str]]:
        info = self.meta.info.list(list_id)
        return [] if info is None else [(f.name, f.sha256) for f in info.files]

    def load(self, list_id: str) -> ParsedList:
        info = self.meta.info.list(list_id)
        if info is None:
            raise KeyError(list_id)
        return self.publisher.call(
            lambda client: read_list(client, self.meta.index, info),
            f"reading {list_id} back from {self.meta.index}",
        )


async def read_list(client: ServerClient, index: str, info: ListInfo) -> ParsedList:
    """The list ``info`` describes, rebuilt from the documents of ``index``; refuses a list
    whose documents do not add up to what the metadata says (count and version)."""
    body = {
        "query": {"term": {"list_id": info.id}},
        "sort": ["_seq_no"],
        "_source": ["entity"],
        "size": SCROLL_PAGE,
    }
    entities: list[Entity] = []
    async for hits in client.scroll(index, body):
        entities += [entity_from_source(hit["_source"]) for hit in hits]
    if len(entities) != info.entities:
        raise IndexUnavailable(
            f"{index} holds {len(entities)} documents of {info.id}, its metadata says "
            f"{info.entities}"
        )
    parsed = ParsedList(
        list_id=info.id,
        published=info.published,
        entities=entities,
        files=[SourceFile(f.name, f.sha256, f.size) for f in info.files],
        format=info.format,
    )
    if list_version(parsed) != info.version:
        raise IndexUnavailable(f"{index}: {info.id} does not hash to its version {info.version}")
    return parsed


class ServerPublisher:
    """Publishes into the alias of an Elasticsearch/OpenSearch cluster (a Publisher).

    ``shards``/``replicas`` None: those of the index serving now (what the operator chose
    with ``screening index --shards/--replicas``), or one shard and no replica for the
    first index. ``settings`` gives the alias, the number of versions kept, the lock's
    lifetime and the bulk size (:class:`indexer.publish.Settings`).
    """

    def __init__(
        self,
        engine: EngineSettings,
        settings: server.Settings | None = None,
        *,
        shards: int | None = None,
        replicas: int | None = None,
    ) -> None:
        self.engine = engine
        self.settings = settings or server.Settings()
        self.shards = shards
        self.replicas = replicas
        self.description = f"alias {self.settings.alias!r} at {', '.join(engine.urls)}"
        self._loop: _LoopThread | None = None
        self._client: ServerClient | None = None
        self._lock: server.IndexLock | None = None

    # --- running engine calls --------------------------------------------------------

    async def _with_client(self, work: Callable[[ServerClient], Awaitable[T]]) -> T:
        if self._client is None:
            self._client = await open_client(self.engine)
        return await work(self._client)

    def call(self, work: Callable[[ServerClient], Awaitable[T]], doing: str) -> T:
        """Run ``work(client)`` on the publisher's loop; an engine failure becomes
        :class:`IndexUnavailable` saying what was being done."""
        if self._loop is None:
            self._loop = _LoopThread()
        try:
            return self._loop.run(self._with_client(work))
        except ENGINE_ERRORS as exc:
            raise IndexUnavailable(f"{self.description}: {doing}: {exc}") from exc

    def close(self) -> None:
        """Close the client and stop the loop (the publisher is not used afterwards)."""
        if self._loop is None:
            return
        if self._client is not None:
            with contextlib.suppress(Exception):
                self._loop.run(self._client.close())
            self._client = None
        self._loop.close()
        self._loop = None

    def __enter__(self) -> ServerPublisher:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # --- the lock --------------------------------------------------------------------

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """The indexer lock for the whole refresh; :class:`PublisherLocked` at once if
        another refresh or indexer holds it."""
        alias = self.settings.alias

        async def acquire(client: ServerClient) -> server.IndexLock:
            lock = server.IndexLock(client, alias, self.settings.lock_ttl)
            await client.ensure_index(META_INDEX, meta_index_settings())
            await lock.acquire()
            return lock

        try:
            lock = self.call(acquire, "taking the lock")
        except server.IndexLocked as exc:
            raise PublisherLocked(
                f"{self.description}: another refresh is running: {exc}; "
                "nothing was changed by this one"
            ) from exc
        assert self._loop is not None
        heartbeat = self._loop.submit(self._heartbeat(lock))
        self._lock = lock
        try:
            yield
        except BaseException:
            self._unlock(heartbeat, lock, quiet=True)
            raise
        self._unlock(heartbeat, lock, quiet=False)

    def _heartbeat_seconds(self) -> float:
        return min(server.LOCK_EXTEND_EVERY_S, self.settings.lock_ttl.total_seconds() / 3)

    async def _heartbeat(self, lock: server.IndexLock) -> None:
        """Extend the lock while the refresh works without the engine (fetch, parse).
        A failed extension is not fatal here: the publish extends it (and checks that it
        still holds it) before it moves the alias."""
        while True:
            await asyncio.sleep(self._heartbeat_seconds())
            with contextlib.suppress(Exception):
                await lock.extend(force=True)

    def _unlock(self, heartbeat: Future[None], lock: server.IndexLock, *, quiet: bool) -> None:
        heartbeat.cancel()
        self._lock = None
        try:
            self.call(lambda _client: lock.release(), "releasing the lock")
        except IndexUnavailable as exc:
            if not quiet:
                raise IndexUnavailable(
                    f"{exc} (the lock expires by itself {self.settings.lock_ttl} after its "
                    "last extension; until then another refresh stops as locked)"
                ) from exc

    # --- reading ---------------------------------------------------------------------

    async def _read_current(self, client: ServerClient) -> IndexMeta | None:
        alias = self.settings.alias
        targets = await client.alias_targets(alias)
        if not targets:
            return None
        if len(targets) > 1:
            raise IndexUnavailable(f"alias {alias!r} points to several indices: {targets}")
        source = await client.get_source(META_INDEX, targets[0])
        if source is None or source.get("status") != "complete":
            raise IndexUnavailable(
                f"{targets[0]} (behind alias {alias!r}) has no complete metadata in {META_INDEX}"
            )
        try:
            # Only the entities are read back: an index of the previous schema version is
            # republished in the current one.
            return meta_from_json(source, ENTITY_READABLE_SCHEMAS)
        except (KeyError, TypeError, ValueError) as exc:
            raise IndexUnavailable(f"metadata of {targets[0]} unreadable: {exc}") from exc

    def current(self) -> ServerPublished | None:
        meta = self.call(self._read_current, "reading the published index")
        return None if meta is None else ServerPublished(self, meta)

    # --- publishing ------------------------------------------------------------------

    def publish(
        self,
        new: Sequence[ParsedList],
        kept: Sequence[str],
        timings: dict[str, float] | None = None,
    ) -> str:
        timings = timings if timings is not None else {}
        if self._lock is None:
            raise PublishError(f"{self.description}: publish() needs the lock (use lock())")
        lock = self._lock
        try:
            return self.call(
                lambda client: self._publish(client, lock, new, kept, timings), "publishing"
            )
        except (server.PublishError, IndexUnavailable) as exc:
            raise PublishError(
                f"{self.description}: publishing failed, the alias was not moved: {exc}"
            ) from exc

    async def _publish(
        self,
        client: ServerClient,
        lock: server.IndexLock,
        new: Sequence[ParsedList],
        kept: Sequence[str],
        timings: dict[str, float],
    ) -> str:
        built_at = datetime.now(UTC)
        started = time.perf_counter()
        current = await self._read_current(client)
        sources: dict[str, server.ListSource] = {}
        for list_id in kept:
            info = current.info.list(list_id) if current else None
            if current is None or info is None:
                raise server.PublishError(f"{list_id}: kept, but not in the published index")
            carried = await read_list(client, current.index, info)
            sources[list_id] = server.ListSource(info, carried.entities)
        timings["read_kept"] = time.perf_counter() - started
        for parsed in new:
            sources[parsed.list_id] = server.ListSource(
                list_info(parsed, built_at), parsed.entities
            )
        shards, replicas = self.shards, self.replicas
        if (shards is None or replicas is None) and current is not None:
            now_shards, now_replicas = await client.replication(current.index)
            shards = now_shards if shards is None else shards
            replicas = now_replicas if replicas is None else replicas
        settings = replace(
            self.settings,
            shards=self.settings.shards if shards is None else shards,
            replicas=self.settings.replicas if replicas is None else replicas,
        )
        # In list-id order, whichever lists changed: the same lists give the same index.
        ordered = [sources[list_id] for list_id in sorted(sources)]
        report = await server.publish_locked(
            client, ordered, lock, settings=settings, built_at=built_at
        )
        timings.update(report.timings)
        return report.version
