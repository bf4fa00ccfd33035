"""Serving a state directory: the embedded index follows what ``screening refresh`` publishes.

A nightly refresh must reach a running service without a restart (a restart drops
requests and, with several workers, rebuilds N indexes at once). So a service started
with ``--state-dir`` polls the directory's pointer every few seconds; when it names a new
index version, the new :class:`EmbeddedEngine` is built in a worker thread while the old
one keeps answering, and the service's engine reference is then replaced in one
assignment. A request resolves the engine once (FastAPI dependency) and uses it to the
end, so requests in flight finish on the old index; the old engine is not closed but
dropped, and the garbage collector frees it when the last of them is done.

A version that cannot be loaded (a damaged folder, a bug) is logged and skipped: the old
engine keeps serving, and the next different pointer value is tried again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from engines.embedded import EmbeddedIndex
from engines.embedded_engine import EmbeddedEngine
from indexer.build import index_info
from indexer.state import StateDir, StateError
from service.app import create_app
from service.auth import KeyRing
from service.settings import Settings
from service.state import ServiceState
from service.store.sql import SqlStore

log = logging.getLogger("screening.service")


class StateDirUnusable(Exception):
    """The state directory holds no published version the service could serve."""


def check_state_dir_published(path: Path) -> str:
    """The current version's name; :class:`StateDirUnusable` when there is none."""
    try:
        version = StateDir(path).current_version()
        if version is not None:
            StateDir(path).manifest(version)
    except StateError as exc:
        raise StateDirUnusable(str(exc)) from exc
    if version is None:
        raise StateDirUnusable(
            f"{path}: nothing published yet; run `screening refresh --state-dir {path}` first"
        )
    return version


def load_engine(state: StateDir, version: str) -> EmbeddedEngine:
    """The embedded engine over one published version (seconds of CPU: run in a thread)."""
    manifest, parsed = state.load(version)
    info = index_info(parsed, manifest.built_at)
    if info.version != manifest.index_version:
        raise StateError(
            f"{state.versions / version}: its lists hash to index version "
            f"{info.version}, not {manifest.index_version}"
        )
    return EmbeddedEngine(EmbeddedIndex(e for p in parsed for e in p.entities), info)


class StateDirReloader:
    """Keeps ``service.engine`` on the state directory's current version."""

    def __init__(self, root: Path, service: ServiceState, poll_seconds: float) -> None:
        self.state = StateDir(root)
        self.service = service
        self.poll_seconds = poll_seconds
        self.loaded: str | None = None
        self.served: set[str] = set()  # versions served since start
        self._failed: str | None = None
        self._lock = asyncio.Lock()

    async def open(self) -> EmbeddedEngine:
        """The engine over the current version, at start-up (fails loudly)."""
        version = check_state_dir_published(self.state.root)
        engine = await asyncio.to_thread(load_engine, self.state, version)
        self.loaded = version
        self.served.add(version)
        log.info(
            "index loaded: version %s from %s",
            version,
            self.state.root,
            extra={"event": "index loaded", "index_version": version},
        )
        return engine

    async def check_now(self) -> bool:
        """Load and swap in the current version if it is new; True when swapped."""
        async with self._lock:
            try:
                version = self.state.current_version()
            except StateError as exc:
                log.warning("state directory unreadable, still serving %s: %s", self.loaded, exc)
                return False
            if version is None or version in (self.loaded, self._failed):
                return False
            try:
                engine = await asyncio.to_thread(load_engine, self.state, version)
            except (StateError, OSError, ValueError) as exc:
                self._failed = version
                log.error(
                    "cannot load index version %s, still serving %s: %s",
                    version,
                    self.loaded,
                    exc,
                    extra={"event": "index load failed", "index_version": version},
                )
                return False
            self.service.engine = engine  # one assignment: requests in flight keep the old
            # A pointer back to a version served before is a rollback of the state dir.
            event = "index rolled back" if version in self.served else "index swapped"
            log.info(
                "%s: version %s replaces %s",
                event,
                version,
                self.loaded,
                extra={"event": event, "index_version": version, "previous": self.loaded},
            )
            self.served.add(version)
            self.loaded, self._failed = version, None
            return True

    async def run(self) -> None:
        while True:
            await asyncio.sleep(self.poll_seconds)
            try:
                await self.check_now()
            except Exception:  # polling must survive anything; the old engine keeps serving
                log.exception("checking the state directory failed")


def state_dir_app(
    settings: Settings, keys: KeyRing, store: SqlStore, *, close_store: bool = False
) -> FastAPI:
    """The app over ``settings.state_dir``, reloading as refreshes publish."""
    if settings.state_dir is None:
        raise ValueError("state_dir_app needs settings.state_dir")
    root = settings.state_dir
    holder: dict[str, StateDirReloader] = {}

    async def open_engine() -> EmbeddedEngine:
        return await holder["reloader"].open()

    app = create_app(open_engine, settings, keys, store, close_store=close_store)
    reloader = StateDirReloader(root, app.state.service, settings.state_poll_seconds)
    holder["reloader"] = reloader
    app.state.reloader = reloader
    inner = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(app_: Any) -> AsyncIterator[Any]:
        async with inner(app_) as value:
            poller = asyncio.create_task(reloader.run())
            try:
                yield value
            finally:
                poller.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await poller

    app.router.lifespan_context = lifespan
    return app
