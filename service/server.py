"""Building the service from its settings, and running it under uvicorn.

``screening serve`` validates everything it can before any worker starts (settings, API
keys, audit store, engine implementation, list paths), so a mistake is one clear message
instead of N crashing workers. Each worker then calls :func:`app_from_environment` (the
uvicorn factory), which reads the same settings from the environment the command exported
and opens its engine: with ``--workers 2`` each worker parses the lists and builds its own
embedded index (memory ×2) from the lists the command parsed once.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import sys
import tempfile
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from core.model import ParsedList
from engines.base import Engine, EngineConfigError, load_server_engine_factory
from indexer.build import build_embedded
from indexer.errors import ListError, ListNotFoundError
from indexer.registry import get_source, parse_list
from service.app import create_app
from service.auth import KeyRing, load_keys
from service.logs import logging_config
from service.metrics import MULTIPROC_ENV
from service.ratelimit import SHARED_FILE_ENV
from service.reload import StateDirUnusable, check_state_dir_published, state_dir_app
from service.security import NO_KEY_LOOPBACK_ONLY
from service.settings import SETTINGS_FILE_ENV, Settings
from service.store import SqlStore, StoreError, open_store

log = logging.getLogger("screening.service")

# Where `serve` leaves the lists it parsed for its worker processes (a private temp file).
PARSED_LISTS_ENV = "_SCREENING_PARSED_LISTS"
WORKER_HEALTHCHECK_SECONDS = 60


class StartupError(RuntimeError):
    """The service cannot start with these settings; the message says why."""


def load_settings(**overrides: Any) -> Settings:
    file = os.environ.get(SETTINGS_FILE_ENV)
    if file and not Path(file).is_file():
        raise StartupError(f"{SETTINGS_FILE_ENV}={file}: no such settings file")
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValueError as exc:
        raise StartupError(f"invalid settings: {exc}") from exc


def list_specs(settings: Settings) -> list[tuple[str, Path]]:
    specs = []
    for text in settings.lists:
        list_id, sep, path = text.partition("=")
        if not sep or not list_id.strip() or not path.strip():
            raise StartupError(f"lists: expected ID=PATH, got {text!r}")
        specs.append((list_id.strip(), Path(path.strip()).expanduser()))
    return specs


def check_settings(settings: Settings) -> KeyRing:
    """Everything checkable without loading the lists; returns the key ring."""
    try:
        keys = KeyRing(load_keys(settings.api_keys_file, settings.api_keys))
    except ValueError as exc:
        raise StartupError(str(exc)) from exc
    if settings.engine_url:
        try:
            load_server_engine_factory()
        except EngineConfigError as exc:
            raise StartupError(str(exc)) from exc
    elif settings.state_dir is not None:
        check_state_dir(settings.state_dir)
    else:
        specs = list_specs(settings)
        if not specs:
            raise StartupError(
                "no lists to screen against: give --list ID=PATH (or SCREENING_LISTS), "
                "or SCREENING_ENGINE_URL for a shared index"
            )
        for list_id, path in specs:
            try:
                get_source(list_id).format_for(path)
            except ListNotFoundError as exc:
                raise StartupError(str(exc)) from exc
    return keys


def parse_lists(specs: list[tuple[str, Path]]) -> list[ParsedList]:
    """The lists, parsed, or a StartupError naming the file that is not what it claims."""
    try:
        return [parse_list(list_id, path) for list_id, path in specs]
    except ListError as exc:
        raise StartupError(str(exc)) from exc


def load_parsed(specs: list[tuple[str, Path]]) -> list[ParsedList]:
    """The lists as the parent process parsed them (see :func:`serve`), else parsed here."""
    cache = os.environ.get(PARSED_LISTS_ENV)
    if cache:
        with open(cache, "rb") as handle:
            parsed: list[ParsedList] = pickle.load(handle)
        if [p.list_id for p in parsed] == [list_id for list_id, _ in specs]:
            return parsed
    return parse_lists(specs)


def check_state_dir(path: Path) -> None:
    try:
        check_state_dir_published(path)
    except StateDirUnusable as exc:
        raise StartupError(str(exc)) from exc


def engine_opener(
    settings: Settings, parsed: list[ParsedList] | None = None
) -> Callable[[], Awaitable[Engine]]:
    """How the app opens its engine at start-up: the server engine at ``engine_url``, or
    an embedded index over ``parsed`` (else over the lists of the settings)."""
    if settings.engine_url:
        factory = load_server_engine_factory()
        url, kind = settings.engine_url, settings.engine_kind
        return lambda: factory(url, kind)
    specs = list_specs(settings)

    async def open_embedded() -> Engine:
        started = datetime.now(UTC)
        lists = parsed if parsed is not None else load_parsed(specs)
        engine = build_embedded(lists)
        seconds = (datetime.now(UTC) - started).total_seconds()
        count = sum(len(p.entities) for p in lists)
        log.info(
            "index loaded: %d entities from %d lists in %.1f s",
            count,
            len(lists),
            seconds,
            extra={"event": "index loaded", "entities": count},
        )
        return engine

    return open_embedded


def warn_if_open(keys: KeyRing) -> None:
    if not keys:
        banner = "!" * 78
        print(f"{banner}\nWARNING: {NO_KEY_LOOPBACK_ONLY}.\n{banner}", file=sys.stderr)


def store_of(settings: Settings) -> SqlStore:
    """The store the settings name (PostgreSQL at ``database_url``, else SQLite at
    ``audit_db``), migrated: what ``serve``, ``refresh`` and ``screening audit`` open."""
    url = settings.database_url.get_secret_value() if settings.database_url else None
    key = settings.audit_chain_key.get_secret_value() if settings.audit_chain_key else None
    try:
        return open_store(url, settings.audit_db, key)
    except StoreError as exc:
        raise StartupError(str(exc)) from exc


def build_app(settings: Settings, parsed: list[ParsedList] | None = None) -> FastAPI:
    keys = check_settings(settings)
    store = store_of(settings)
    try:
        if settings.state_dir is not None and not settings.engine_url:
            app = state_dir_app(settings, keys, store, close_store=True)
        else:
            app = create_app(
                engine_opener(settings, parsed), settings, keys, store, close_store=True
            )
    except StoreError as exc:
        store.close()
        raise StartupError(str(exc)) from exc
    warn_if_open(app.state.service.keys)
    return app


def app_from_environment() -> FastAPI:
    """The uvicorn factory of each worker process: settings from the environment."""
    return build_app(load_settings())


def export_settings(settings: Settings) -> None:
    """Put the effective settings into this process's environment for worker processes."""
    for name, value in settings.model_dump(mode="json").items():
        key = f"SCREENING_{name.upper()}"
        if value is None:
            os.environ.pop(key, None)
        elif isinstance(value, list | dict):
            os.environ[key] = json.dumps(value)
        else:
            os.environ[key] = str(value)


def serve(settings: Settings) -> None:
    """Run uvicorn: in this process with one worker, else N spawned worker processes."""
    import uvicorn

    check_settings(settings)
    store_of(settings).close()  # the store opens and is migrated once, before any worker
    # Parse once here, before any worker: a broken file is one clear message, and reading
    # a spreadsheet holds the GIL for seconds, long enough for uvicorn's supervisor to
    # take a worker parsing it for hung and restart it.
    parsed = None if settings.engine_url else parse_lists(list_specs(settings))
    if settings.workers == 1:
        uvicorn.run(
            build_app(settings, parsed),
            host=settings.host,
            port=settings.port,
            log_level=settings.log_level,
            log_config=logging_config(settings.log_level),
            access_log=False,  # the JSON access record of service.security replaces it
        )
        return
    # Workers re-read the settings from the environment; metrics are pooled in files.
    export_settings(settings)
    os.environ.pop(SETTINGS_FILE_ENV, None)  # already folded into the exported values
    with tempfile.TemporaryDirectory(prefix="screening-serve-") as folder:
        if parsed is not None:
            cache = Path(folder) / "parsed-lists.pickle"
            with cache.open("wb") as handle:
                pickle.dump(parsed, handle, pickle.HIGHEST_PROTOCOL)
            os.environ[PARSED_LISTS_ENV] = str(cache)
            parsed = None  # the supervisor need not keep the lists in memory
        metrics_dir = Path(folder) / "metrics"
        metrics_dir.mkdir()
        os.environ[MULTIPROC_ENV] = str(metrics_dir)
        # One set of rate-limit counters for all workers of this host (service.ratelimit).
        os.environ[SHARED_FILE_ENV] = str(Path(folder) / "rate-limits")
        uvicorn.run(
            "service.server:app_from_environment",
            factory=True,
            host=settings.host,
            port=settings.port,
            workers=settings.workers,
            log_level=settings.log_level,
            log_config=logging_config(settings.log_level),
            access_log=False,
            # Building the index holds a worker busy for up to a minute on a loaded machine.
            timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
        )
