"""Where a refresh publishes: the small interface between the refresh and an index store.

The refresh (:mod:`indexer.refresh`) fetches, parses, checks and diffs lists without
caring whether the result serves from an embedded state directory or from a shared
Elasticsearch/OpenSearch index. What it needs from the store is little:

* the lock, so two refreshes never publish over each other;
* :meth:`Publisher.current`: the published index version and, per list, its summary
  (for the safety checks) and a way to read its entities (for the diff) — read only for
  lists that changed, so an unchanged OFAC list costs nothing;
* :meth:`Publisher.publish`: the new lists plus the ids of the lists kept as they are,
  built into a new index version and swapped in atomically; returns the index version.

:class:`EmbeddedPublisher` implements it over :class:`indexer.state.StateDir`;
:class:`indexer.server_publisher.ServerPublisher` over an Elasticsearch/OpenSearch alias
(:mod:`indexer.publish`: versioned indices, the indexer lock, one alias swap).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from core.model import ParsedList
from indexer.checks import ListSummary
from indexer.state import DEFAULT_KEEP, Manifest, StateDir, StateError


class PublisherConfigError(Exception):
    """The publisher asked for cannot be used (exit status 2); the message says why."""


class PublishError(Exception):
    """Publishing failed; the previous version keeps serving. The message says where."""


class PublisherLocked(Exception):
    """Another refresh (or indexer) holds the store's lock; this run changed nothing."""


class IndexUnavailable(Exception):
    """The store could not be reached or read (an engine down, metadata unreadable); the
    message says which and what was being done. Nothing was published by this run."""


class PublishedIndex(Protocol):
    """The index version serving now, as the refresh needs to see it."""

    @property
    def index_version(self) -> str: ...

    def summaries(self) -> dict[str, ListSummary]:
        """Per list id: entity count, publication date and list version."""
        ...

    def load(self, list_id: str) -> ParsedList:
        """The published entities of one list, for the diff."""
        ...

    def files(self, list_id: str) -> list[tuple[str, str]]:
        """(file name, SHA-256) of the official files the published list was read from."""
        ...


class Publisher(Protocol):
    """An index store a refresh can publish to (see the module docstring)."""

    description: str

    def lock(self) -> contextlib.AbstractContextManager[None]:
        """Held for the whole refresh; raises at once when another refresh holds it."""
        ...

    def close(self) -> None:
        """Release what the publisher holds open (connections); called once, at the end,
        after re-screening has read what it needs from :meth:`current`."""
        ...

    def current(self) -> PublishedIndex | None: ...

    def publish(
        self,
        new: Sequence[ParsedList],
        kept: Sequence[str],
        timings: dict[str, float] | None = None,
    ) -> str:
        """Build and swap in the index of ``new`` plus the current version's ``kept``
        lists; returns the new index version. Raises :class:`PublishError` and leaves the
        current version serving when anything fails."""
        ...


@dataclass(frozen=True, slots=True)
class StatePublished:
    """A published version of a state directory."""

    state: StateDir
    manifest: Manifest

    @property
    def index_version(self) -> str:
        return self.manifest.index_version

    def summaries(self) -> dict[str, ListSummary]:
        return {item.list_id: item.summary for item in self.manifest.lists}

    def load(self, list_id: str) -> ParsedList:
        item = self.manifest.list(list_id)
        if item is None:
            raise KeyError(list_id)
        return self.state.load_list(self.manifest.index_version, item)

    def files(self, list_id: str) -> list[tuple[str, str]]:
        item = self.manifest.list(list_id)
        return [] if item is None else [(f.path, f.sha256) for f in item.files]


class EmbeddedPublisher:
    """Publishes into a state directory served by ``screening serve --state-dir``."""

    def __init__(self, root: Path, keep: int = DEFAULT_KEEP) -> None:
        self.state = StateDir(root)
        self.keep = keep
        self.description = f"state directory {root}"

    def lock(self) -> contextlib.AbstractContextManager[None]:
        return self.state.lock()

    def close(self) -> None:
        """Nothing to close: the state directory is read file by file."""

    def current(self) -> StatePublished | None:
        manifest = self.state.current()
        return None if manifest is None else StatePublished(self.state, manifest)

    def publish(
        self,
        new: Sequence[ParsedList],
        kept: Sequence[str],
        timings: dict[str, float] | None = None,
    ) -> str:
        timings = timings if timings is not None else {}
        current = self.state.current()
        folder = current.index_version if current else ""
        kept_items = []
        for list_id in kept:
            item = current.list(list_id) if current else None
            if current is None or item is None:
                raise PublishError(f"{list_id}: kept, but not in the published version")
            kept_items.append((folder, item))
        try:
            with _timed(timings, "build"):
                manifest = self.state.write_version(new, kept_items)
            with _timed(timings, "swap"):
                self.state.swap(manifest.index_version)
            with _timed(timings, "prune"):
                self.state.prune(self.keep)
        except (OSError, StateError, ValueError) as exc:
            raise PublishError(f"{self.state.root}: publishing failed: {exc}") from exc
        return manifest.index_version


@contextlib.contextmanager
def _timed(timings: dict[str, float], step: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        timings[step] = timings.get(step, 0.0) + time.perf_counter() - started


def open_publisher(
    *,
    state_dir: Path | None,
    engine_url: str | None,
    keep: int = DEFAULT_KEEP,
    engine_kind: str | None = None,
    alias: str | None = None,
    shards: int | None = None,
    replicas: int | None = None,
) -> Publisher:
    """The publisher the command line asks for: exactly one of a state dir or an engine.

    For an engine, credentials, TLS and timeouts come from ``SCREENING_ENGINE_*`` as for
    ``screening serve`` and ``screening index``; ``engine_url``/``engine_kind`` override
    the URL and kind. Nothing is contacted here: the first call (the lock) connects.
    """
    if (state_dir is None) == (engine_url is None):
        raise PublisherConfigError("give exactly one of --state-dir DIR or --engine-url URL")
    if state_dir is not None:
        return EmbeddedPublisher(state_dir, keep)
    assert engine_url is not None
    # Imported here: the engine client libraries are not needed for a state directory.
    from engines.server import engine_settings
    from indexer.publish import Settings
    from indexer.server_publisher import ServerPublisher

    try:
        engine = engine_settings(engine_url, engine_kind)
    except ValueError as exc:
        raise PublisherConfigError(f"--engine-url: {exc}") from exc
    settings = Settings(keep=keep) if alias is None else Settings(alias=alias, keep=keep)
    return ServerPublisher(engine, settings, shards=shards, replicas=replicas)
