"""The engine protocol: what the HTTP service needs from a search back end, and nothing more.

The service answers the same requests over the embedded in-process index and over a shared
Elasticsearch/OpenSearch index, so it depends only on this protocol (a FastAPI dependency
hands it one :class:`Engine`). Every engine returns :class:`Hit` objects (listed entity +
explanation from :mod:`core.score`) and describes what it has loaded as an
:class:`IndexInfo`, so list versions in answers and audit records mean the same thing
whichever engine produced them.

``Hit`` has a single definition, in :mod:`engines.embedded` (the matching core's module,
which this package does not edit); it is re-exported here so server engines import it from
the protocol module.

Server engines plug in through :data:`SERVER_ENGINE_FACTORY`: a module exposing
``async def open_server_engine(url: str, kind: str) -> Engine``. While no such module is
installed, :func:`load_server_engine_factory` raises :class:`EngineConfigError` with a
message saying so, and the service refuses to start rather than pretend.
"""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol, runtime_checkable

from core.model import Entity
from core.parties import Party
from core.score import Query
from engines.embedded import Hit

__all__ = [
    "SERVER_ENGINE_FACTORY",
    "Engine",
    "EngineConfigError",
    "EngineUnavailable",
    "Hit",
    "IndexInfo",
    "ListInfo",
    "ServerEngineFactory",
    "SourceFileInfo",
    "load_server_engine_factory",
]

# "module:function" of the server engine opener (Elasticsearch / OpenSearch).
SERVER_ENGINE_FACTORY = "engines.server:open_server_engine"


class EngineUnavailable(Exception):
    """The engine cannot answer now (not loaded, unreachable, still starting); says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class EngineConfigError(Exception):
    """The configured engine cannot be used at all (e.g. no implementation installed)."""


@dataclass(frozen=True, slots=True)
class SourceFileInfo:
    """One official file a list was read from."""

    name: str  # file name without folders: where it was read from is not the API's business
    sha256: str
    size: int


@dataclass(frozen=True, slots=True)
class ListInfo:
    """One loaded list, as the index holds it."""

    id: str
    title: str
    publisher: str
    version: str  # indexer.diff.list_version: "<published>+<hash of files>"
    published: date | None
    loaded_at: datetime
    entities: int
    files: tuple[SourceFileInfo, ...] = ()
    format: str | None = None
    # The day the list is known to be current as of, and where that comes from
    # ("publisher", "last_modified", "fetched", "newest_record"; indexer.freshness).
    as_of: date | None = None
    as_of_source: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "publisher": self.publisher,
            "version": self.version,
            "published": self.published.isoformat() if self.published else None,
            "loaded_at": self.loaded_at.isoformat(),
            "entities": self.entities,
            "format": self.format,
            "files": [{"name": f.name, "sha256": f.sha256, "size": f.size} for f in self.files],
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "as_of_source": self.as_of_source,
        }


@dataclass(frozen=True, slots=True)
class IndexInfo:
    """What an engine's index holds: its version (a hash of the list versions) and lists."""

    version: str
    built_at: datetime
    lists: tuple[ListInfo, ...] = field(default=())

    def list(self, list_id: str) -> ListInfo | None:
        for info in self.lists:
            if info.id == list_id:
                return info
        return None


@runtime_checkable
class Engine(Protocol):
    """A screening back end. All methods are coroutines so network engines never block."""

    async def screen(
        self,
        query: Query,
        *,
        limit: int,
        lists: Sequence[str] | None,
        min_score: float = 0.0,
    ) -> list[Hit]:
        """The best ``limit`` entities for ``query``, best first (``lists`` None = all),
        of those scoring ``min_score`` or more: knowing it, an engine skips most of the
        scoring of candidates that cannot get there. Entities carrying an identifier of
        ``query.identifiers`` are found whatever their names. Each hit carries its
        listing's party (``Hit.party``)."""
        ...

    async def entity(self, entity_id: str) -> Entity | None:
        """One listed entity by its id ("us-ofac-sdn:36"), or None."""
        ...

    async def party(self, party_id: str) -> tuple[Party, list[Entity]] | None:
        """One party (:mod:`core.parties`) by its id, with the entity of each of its
        listings in the party's order, or None."""
        ...

    async def info(self) -> IndexInfo:
        """The index version and the lists loaded."""
        ...

    async def check(self) -> None:
        """Return when ready to answer; raise :class:`EngineUnavailable` (with why) if not."""
        ...

    async def close(self) -> None:
        """Release connections and memory; the engine is not used afterwards."""
        ...


ServerEngineFactory = Callable[[str, str], Awaitable[Engine]]


def load_server_engine_factory(path: str = SERVER_ENGINE_FACTORY) -> ServerEngineFactory:
    """The server engine opener named by ``path``, or EngineConfigError saying it is absent."""
    module_name, _, func_name = path.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name is not None and module_name.startswith(exc.name):
            raise EngineConfigError(
                f"SCREENING_ENGINE_URL is set, but no server engine is installed "
                f"({module_name} not found). Unset SCREENING_ENGINE_URL to run on the "
                f"embedded index over --list files."
            ) from exc
        raise
    factory = getattr(module, func_name, None)
    if not callable(factory):
        raise EngineConfigError(f"{module_name} has no {func_name}(url, kind) engine opener")
    opener: ServerEngineFactory = factory
    return opener
