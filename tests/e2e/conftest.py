"""End-to-end fixtures: the real app served by uvicorn on an ephemeral loopback port, over
the embedded index built from the REAL UN, OFAC SDN, UK and Japanese METI lists
(``tests.conftest.regional_engine``), driven by Debian's Chromium through Playwright.

What the browser tests need is installed by ``deploy/test-browser-setup`` (Chromium from
Debian, axe-core from npm into ``.cache/npm-e2e``); where any part is missing the tests
skip and say which. Screenshots go to ``artifacts/screenshots/`` (git-ignored); the
timings measured (Enter to first result...) to ``artifacts/e2e-timings.json``, and are
printed at the end of the run.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from engines.base import Engine
from service.app import create_app
from service.auth import KeyRing
from service.settings import Settings
from service.store.sql import SqlStore
from service.store.sqlite import SQLiteStore
from tests.conftest import REPO

CHROMIUM = Path(os.environ.get("SCREENING_E2E_CHROMIUM", "/usr/bin/chromium"))
E2E_CACHE = Path(os.environ.get("SCREENING_E2E_CACHE", REPO / ".cache" / "npm-e2e"))
AXE_JS = E2E_CACHE / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = REPO / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
# The flags that keep Chromium off the network on a closed machine (and quiet in CI).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SETUP_HINT = "run deploy/test-browser-setup (as root) to install it"


def browser_parts() -> tuple[Any, Path]:
    """Playwright's sync API and the axe-core script, or a skip naming what is missing."""
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}: {SETUP_HINT}")
    if not AXE_JS.exists():
        pytest.skip(f"axe-core not found at {AXE_JS}: {SETUP_HINT}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright Python package is not installed (pip install playwright)")
    return sync_playwright, AXE_JS


@dataclass
class LiveServer:
    base_url: str
    server: Any
    thread: threading.Thread

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)


def serve(engine: Engine, settings: Settings, keys: KeyRing, audit: SqlStore) -> LiveServer:
    """The app under uvicorn in a thread, on 127.0.0.1 and a port the OS picks."""
    import uvicorn

    app = create_app(engine, settings, keys, audit)
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="e2e-uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    return LiveServer(f"http://127.0.0.1:{port}", server, thread)


@pytest.fixture(scope="session")
def real_engine(regional_engine: Engine) -> Engine:
    """The embedded index over the real UN, OFAC SDN, UK and METI lists."""
    return regional_engine


@pytest.fixture(scope="session")
def live_server(
    real_engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    browser_parts()  # skip before starting anything when the browser is missing
    folder = tmp_path_factory.mktemp("e2e-audit")
    audit = SQLiteStore(folder / "audit.sqlite3")
    running = serve(real_engine, Settings(audit_db=audit.path), KeyRing([]), audit)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Module-scoped: Playwright's sync API keeps an event loop running in this thread
    while it is open, and later tests call asyncio.run()."""
    sync_playwright, _ = browser_parts()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class ConsoleErrors(list[str]):
    """Console errors and uncaught page errors seen by one page."""


@pytest.fixture
def page_factory(browser: Any) -> Iterator[Callable[..., tuple[Any, ConsoleErrors]]]:
    contexts: list[Any] = []

    def make(**context_options: Any) -> tuple[Any, ConsoleErrors]:
        context = browser.new_context(accept_downloads=True, **context_options)
        contexts.append(context)
        page = context.new_page()
        errors = ConsoleErrors()
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
        return page, errors

    yield make
    for context in contexts:
        context.close()


TIMINGS_FILE = ARTIFACTS / "e2e-timings.json"
TIMINGS: dict[str, float] = {}


def record_timing(name: str, milliseconds: float) -> None:
    TIMINGS[name] = round(milliseconds, 1)
    ARTIFACTS.mkdir(exist_ok=True)
    TIMINGS_FILE.write_text(json.dumps(TIMINGS, indent=2) + "\n")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The timings of this run, printed (they are measured, not asserted)."""
    if TIMINGS:
        terminalreporter.section("lookup page timings (ms)")
        for name, value in TIMINGS.items():
            terminalreporter.write_line(f"{name}: {value}")


def screenshot(page: Any, name: str, full_page: bool = True) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations of the page as it is now."""
    _, axe_js = browser_parts()
    # Evaluated through the DevTools protocol, which the page's CSP does not restrict.
    page.evaluate(axe_js.read_text("utf-8"))
    result: dict[str, Any] = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v.get("impact") in ("serious", "critical")
    ]
