"""The officer's history in a real Chromium: yesterday's search, recorded against
yesterday's lists (the UN list of 2026-02-27, METI's of 2025-09-29), reopens with those
versions beside today's (UN 2026-08-01 is loaded now), only for the officer who made it;
axe-clean and 390 px wide without sideways scroll."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from engines.base import Engine
from indexer.build import build_embedded
from indexer.registry import parse_list
from service.auth import KeyRing, hash_key, load_keys, new_key
from service.settings import Settings
from service.store.chain import verify
from service.store.sqlite import SQLiteStore
from tests.conftest import shared_list
from tests.e2e.conftest import ConsoleErrors, LiveServer, browser_parts, screenshot, serve
from tests.e2e.test_lookup_page import CYRILLIC, assert_clean
from tests.service.test_page_history import record_search

PageFactory = Callable[..., tuple[Any, ConsoleErrors]]
YESTERDAYS_LISTS = (("un-sc", "2026-02-27"), ("jp-meti-eul", "2025-09-29"))
OFFICERS = {name: new_key() for name in ("desk-a", "desk-b")}


@pytest.fixture(scope="module")
def history_server(
    real_engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[LiveServer, SQLiteStore, dict[str, str]]]:
    """Its own server, store and officers; yesterday's searches already in the trail."""
    browser_parts()
    yesterdays = build_embedded(
        [
            parse_list(list_id, shared_list(list_id, version))
            for list_id, version in YESTERDAYS_LISTS
        ]
    )
    store = SQLiteStore(tmp_path_factory.mktemp("e2e-history") / "store.sqlite3")
    yesterday = datetime.now(UTC) - timedelta(days=1)
    today = asyncio.run(real_engine.info()).list("un-sc")
    assert today is not None
    records = {
        "desk-a": record_search(store, yesterdays, CYRILLIC, "desk-a", yesterday),
        "desk-b": record_search(store, yesterdays, "Ivan Petrov", "desk-b", yesterday),
        "un-sc today": today.version,
    }
    entries = [
        {"name": name, "sha256": hash_key(key), "scopes": ["read", "screen"]}
        for name, key in OFFICERS.items()
    ]
    keys = KeyRing(load_keys(None, json.dumps(entries)))
    running = serve(real_engine, Settings(), keys, store)
    yield running, store, records
    running.stop()
    store.close()


def sign_in(page: Any, server: LiveServer, officer: str) -> None:
    page.goto(server.base_url + "/")
    page.get_by_label("Screening key").fill(OFFICERS[officer])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(server.base_url + "/")


def test_history_reopens_yesterdays_search_with_its_list_versions(
    history_server: tuple[LiveServer, SQLiteStore, dict[str, str]], page_factory: PageFactory
) -> None:
    server, store, records = history_server
    page, errors = page_factory(viewport={"width": 1280, "height": 900})
    sign_in(page, server, "desk-a")
    page.get_by_role("link", name="History").click()
    page.wait_for_url("**/history")
    entries = page.locator(".history-item")
    assert entries.count() == 1  # desk-b's search of yesterday is desk-b's alone
    yesterday = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%d")
    assert yesterday in entries.first.inner_text()
    assert_clean(page, errors)
    screenshot(page, "history")

    entries.first.locator("a.reopen").click()
    page.wait_for_url(f"**/history/{records['desk-a']}")
    recorded = store.screening(records["desk-a"])
    assert recorded is not None
    then = {item["id"]: item["version"] for item in recorded["lists"]}
    assert set(then) == {"un-sc", "jp-meti-eul"}
    changed = page.locator(".versions li.changed").inner_text()
    assert changed.startswith("un-sc") and then["un-sc"] in changed
    assert f"loaded now: {records['un-sc today']}" in changed
    same = page.locator(".versions li.same").inner_text()  # METI's list is the same today
    assert same.startswith("jp-meti-eul") and then["jp-meti-eul"] in same
    first = page.locator(".result").first
    assert recorded["parties"][0]["matches"][0]["name"] in first.inner_text()
    assert page.locator('h1 [data-outcome="alert"]').count() == 1
    assert_clean(page, errors)
    screenshot(page, "history-reopened")

    # Another officer's record is not shown to desk-a.
    refused = page.goto(f"{server.base_url}/history/{records['desk-b']}")
    assert refused is not None and refused.status == 404

    # On a phone: no sideways scroll, still accessible.
    narrow, narrow_errors = page_factory(viewport={"width": 390, "height": 844})
    sign_in(narrow, server, "desk-a")
    for path in ("/history", f"/history/{records['desk-a']}"):
        narrow.goto(server.base_url + path)
        overflow = narrow.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} wider than a 390 px screen by {overflow} px"
        assert_clean(narrow, narrow_errors)
    screenshot(narrow, "history-reopened-narrow")
    # Reading the history changed nothing: the chain verifies.
    assert verify(store.rows(), store.head(), store.chain_key).ok
