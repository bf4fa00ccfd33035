"""One small async API over the Elasticsearch and OpenSearch clients, with one error model.

Why: the service and the indexer make the same dozen calls on either engine, but the two
client libraries raise different exception classes (``elasticsearch.NotFoundError`` vs
``opensearchpy.NotFoundError``, ``ApiError.meta.status`` vs ``TransportError.status_code``)
and answer with different objects (``ObjectApiResponse`` vs ``dict``). Here every call
answers a plain ``dict`` and every failure is one of:

- :class:`engines.base.EngineUnavailable` — nothing answers, it timed out, or the cluster
  says it cannot serve now (429/502/503/504): the API turns it into 503;
- :class:`NotFound` / :class:`Conflict` — 404 / 409, which callers expect and handle;
- :class:`ServerError` — any other refusal, with the engine's own reason.

Request bodies are the same JSON for both engines (``body=``, which both clients accept).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from typing import Any, TypeVar

import elasticsearch
import opensearchpy

from engines.base import EngineUnavailable
from engines.connection import (
    CONNECTION_ERRORS,
    RETRYABLE_STATUSES,
    EngineConnection,
    EngineSettings,
    _describe,
    connect,
)
from engines.connection import EngineUnavailable as ConnectionUnavailable

T = TypeVar("T")


class ServerError(Exception):
    """The engine answered with an error we do not expect; carries its status and reason."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(f"HTTP {status}: {reason}")
        self.status = status
        self.reason = reason


class NotFound(ServerError):
    """404: no such index, alias or document."""


class Conflict(ServerError):
    """409: a document with that id exists, or it changed since it was read."""


def _status_of(error: BaseException) -> int | None:
    if isinstance(error, elasticsearch.ApiError):
        return int(error.meta.status)
    if isinstance(error, opensearchpy.TransportError) and isinstance(error.status_code, int):
        return error.status_code
    return None


def _reason_of(error: BaseException) -> str:
    info: Any = getattr(error, "info", None) or getattr(error, "body", None)
    if isinstance(info, Mapping):
        detail = info.get("error")
        if isinstance(detail, Mapping):
            root = detail.get("root_cause") or [detail]
            first = root[0] if isinstance(root, list) and root else detail
            return f"{first.get('type', '')}: {first.get('reason', '')}".strip(": ")
        if detail:
            return str(detail)
    return str(error)


def _plain(answer: Any) -> dict[str, Any]:
    body = getattr(answer, "body", answer)
    if isinstance(body, Mapping):
        return dict(body)
    return {"value": body}


class ServerClient:
    """The calls the screening engine and the indexer make, on either engine.

    ``settings.retries`` / ``retry_backoff`` also cover "not ready" answers (429, 503...),
    which the client libraries do not retry: each is retried with an exponential backoff
    before it becomes :class:`EngineUnavailable`.
    """

    def __init__(self, connection: EngineConnection) -> None:
        self.connection = connection
        # Typed as Any: the two libraries' signatures differ in details but both accept
        # every call below; their answers are normalised by _plain().
        self._client: Any = connection.client
        self.url = ", ".join(connection.settings.urls)

    @property
    def kind(self) -> str:
        return self.connection.kind

    async def close(self) -> None:
        await self.connection.close()

    async def _call(self, make: Callable[[], Awaitable[T]]) -> T:
        settings = self.connection.settings
        attempt = 0
        while True:
            try:
                return await make()
            except CONNECTION_ERRORS as error:
                raise EngineUnavailable(
                    f"search engine at {self.url} is unavailable: {_describe(error)}"
                ) from error
            except (elasticsearch.ApiError, opensearchpy.TransportError) as error:
                status = _status_of(error)
                reason = _reason_of(error)
                if status in RETRYABLE_STATUSES:
                    if attempt < settings.retries:
                        await asyncio.sleep(settings.retry_backoff * 2**attempt)
                        attempt += 1
                        continue
                    raise EngineUnavailable(
                        f"search engine at {self.url} is not ready (HTTP {status}): {reason}"
                    ) from error
                if status == 404:
                    raise NotFound(404, reason) from error
                if status == 409:
                    raise Conflict(409, reason) from error
                raise ServerError(status or 0, reason) from error

    async def _json(self, make: Callable[[], Awaitable[Any]]) -> dict[str, Any]:
        return _plain(await self._call(make))

    # --- reading ---------------------------------------------------------------------

    async def search(self, index: str, body: Mapping[str, Any]) -> dict[str, Any]:
        return await self._json(lambda: self._client.search(index=index, body=dict(body)))

    async def get_source(self, index: str, doc_id: str) -> dict[str, Any] | None:
        """A document's _source, or None when the document (or index) is absent."""
        try:
            answer = await self._json(lambda: self._client.get(index=index, id=doc_id))
        except NotFound:
            return None
        source = answer.get("_source")
        return dict(source) if isinstance(source, Mapping) else None

    async def get_document(self, index: str, doc_id: str) -> dict[str, Any] | None:
        """The whole document (with _seq_no and _primary_term), or None."""
        try:
            return await self._json(lambda: self._client.get(index=index, id=doc_id))
        except NotFound:
            return None

    async def alias_targets(self, alias: str) -> list[str]:
        """Indices the alias points to (empty when it does not exist)."""
        try:
            answer = await self._json(lambda: self._client.indices.get_alias(name=alias))
        except NotFound:
            return []
        return sorted(answer)

    async def indices(self, pattern: str) -> dict[str, list[str]]:
        """Indices matching ``pattern`` with the aliases of each."""
        try:
            answer = await self._json(
                lambda: self._client.indices.get_alias(index=pattern, expand_wildcards="all")
            )
        except NotFound:
            return {}
        return {name: sorted(value.get("aliases", {})) for name, value in answer.items()}

    async def scroll(
        self, index: str, body: Mapping[str, Any], *, keep_alive: str = "2m"
    ) -> AsyncIterator[list[dict[str, Any]]]:
        """Every hit of a search, page by page (the scroll API, alike on both engines).

        Why scroll rather than from/size or search_after: it reads any number of documents
        from the index as it was at the first page, and needs no unique sort field (the
        entity mapping has none). The scroll context is cleared at the end, or when the
        caller stops early.
        """
        answer = await self._json(
            lambda: self._client.search(index=index, body=dict(body), scroll=keep_alive)
        )
        scroll_id = answer.get("_scroll_id")
        try:
            while hits := answer["hits"]["hits"]:
                yield hits
                answer = await self._scroll_page(scroll_id, keep_alive)
                scroll_id = answer.get("_scroll_id", scroll_id)
        finally:
            if scroll_id:
                with contextlib.suppress(ServerError, EngineUnavailable):
                    await self._call(lambda: self._client.clear_scroll(scroll_id=scroll_id))

    async def _scroll_page(self, scroll_id: str | None, keep_alive: str) -> dict[str, Any]:
        return await self._json(lambda: self._client.scroll(scroll_id=scroll_id, scroll=keep_alive))

    async def replication(self, index: str) -> tuple[int, int]:
        """(primary shards, replicas per shard) of ``index``."""
        answer = await self._json(lambda: self._client.indices.get_settings(index=index))
        settings = next(iter(answer.values()))["settings"]["index"]
        return int(settings["number_of_shards"]), int(settings["number_of_replicas"])

    async def count(self, index: str) -> int:
        answer = await self._json(lambda: self._client.count(index=index))
        return int(answer["count"])

    async def stats(self, index: str) -> dict[str, Any]:
        return await self._json(lambda: self._client.indices.stats(index=index))

    async def process_cpu_seconds(self) -> float:
        """CPU time the engine's node processes used so far (for benchmarks)."""
        answer = await self._json(lambda: self._client.nodes.stats(metric="process"))
        nodes = answer.get("nodes", {}).values()
        return float(sum(node["process"]["cpu"]["total_in_millis"] for node in nodes)) / 1000

    async def ping(self) -> dict[str, Any]:
        return await self._json(lambda: self._client.info())

    # --- writing ---------------------------------------------------------------------

    async def ensure_index(self, index: str, body: Mapping[str, Any]) -> bool:
        """Create ``index`` unless it exists; True when this call created it."""
        try:
            await self._call(lambda: self._client.indices.create(index=index, body=dict(body)))
        except ServerError as error:
            if "resource_already_exists" in error.reason:
                return False
            raise
        return True

    async def create_index(self, index: str, body: Mapping[str, Any]) -> None:
        await self._call(lambda: self._client.indices.create(index=index, body=dict(body)))

    async def delete_index(self, index: str) -> None:
        with contextlib.suppress(NotFound):
            await self._call(lambda: self._client.indices.delete(index=index))

    async def put_settings(self, index: str, settings: Mapping[str, Any]) -> None:
        await self._call(
            lambda: self._client.indices.put_settings(index=index, body={"index": dict(settings)})
        )

    async def refresh(self, index: str) -> None:
        await self._call(lambda: self._client.indices.refresh(index=index))

    async def update_aliases(self, actions: Sequence[Mapping[str, Any]]) -> None:
        body = {"actions": [dict(action) for action in actions]}
        await self._call(lambda: self._client.indices.update_aliases(body=body))

    async def put_document(
        self, index: str, doc_id: str, body: Mapping[str, Any], *, refresh: bool = False
    ) -> None:
        await self._call(
            lambda: self._client.index(
                index=index, id=doc_id, body=dict(body), refresh="true" if refresh else "false"
            )
        )

    async def create_document(
        self, index: str, doc_id: str, body: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Index ``body`` only if no document has this id (Conflict otherwise)."""
        return await self._json(
            lambda: self._client.create(index=index, id=doc_id, body=dict(body), refresh="true")
        )

    async def delete_document(
        self,
        index: str,
        doc_id: str,
        *,
        if_seq_no: int | None = None,
        if_primary_term: int | None = None,
    ) -> bool:
        """Delete a document (only if unchanged, given its seq_no/primary_term)."""
        options: dict[str, Any] = {"refresh": "true"}
        if if_seq_no is not None:
            options["if_seq_no"] = if_seq_no
            options["if_primary_term"] = if_primary_term
        try:
            await self._call(lambda: self._client.delete(index=index, id=doc_id, **options))
        except NotFound:
            return False
        return True

    async def update_document_if(
        self,
        index: str,
        doc_id: str,
        body: Mapping[str, Any],
        *,
        if_seq_no: int,
        if_primary_term: int,
    ) -> dict[str, Any]:
        """Overwrite a document only if it has not changed since it was read."""
        return await self._json(
            lambda: self._client.index(
                index=index,
                id=doc_id,
                body=dict(body),
                if_seq_no=if_seq_no,
                if_primary_term=if_primary_term,
                refresh="true",
            )
        )

    async def bulk(self, index: str, payload: bytes) -> dict[str, Any]:
        """``POST /<index>/_bulk`` with a body already in NDJSON (built by the indexer's
        worker processes: serialising here would cost the event loop that time)."""
        return await self._json(
            lambda: self._client.bulk(index=index, body=payload, refresh="false")
        )


async def open_client(settings: EngineSettings) -> ServerClient:
    """Detect the engine and open a client; EngineUnavailable (base) when it is down."""
    try:
        connection = await connect(settings)
    except ConnectionUnavailable as error:
        raise EngineUnavailable(str(error)) from error
    return ServerClient(connection)


__all__ = [
    "Conflict",
    "NotFound",
    "ServerClient",
    "ServerError",
    "open_client",
]
