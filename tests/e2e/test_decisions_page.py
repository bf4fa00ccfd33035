"""Clearing a hit on the lookup page in a real Chromium, then screening again (the page
and the API): the hit is marked cleared with who and when, and no longer alerts.

A result is a party: its form records one decision per alerting listing of the party, and
each listing shows its own clearance."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import unquote

import httpx
import pytest

from engines.base import Engine
from service.auth import KeyRing
from service.settings import Settings
from service.store.sqlite import SQLiteStore
from tests.e2e.conftest import ConsoleErrors, LiveServer, browser_parts, screenshot, serve
from tests.e2e.test_lookup_page import CYRILLIC, CYRILLIC_ID, assert_clean

PageFactory = Callable[..., tuple[Any, ConsoleErrors]]


@pytest.fixture(scope="module")
def decision_server(
    real_engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """Its own server and store: the decisions made here must not clear other tests' hits."""
    browser_parts()
    store = SQLiteStore(tmp_path_factory.mktemp("e2e-decisions") / "store.sqlite3")
    running = serve(real_engine, Settings(), KeyRing([]), store)
    yield running
    running.stop()
    store.close()


def test_clearing_a_hit_on_the_page_then_screening_again(
    decision_server: LiveServer, page_factory: PageFactory
) -> None:
    page, errors = page_factory()
    page.goto(decision_server.base_url + "/")
    page.get_by_label("Name, in any script").fill(CYRILLIC)
    page.keyboard.press("Enter")
    first = page.locator(".result").first
    first.wait_for()
    href = first.locator("h3 a").get_attribute("href") or ""
    cleared_id = unquote(href.split("/entity/", 1)[1].split("?", 1)[0])
    assert page.locator('#results-heading [data-outcome="alert"]').count() == 1
    form = first.locator("form.decision-form")
    listings = [
        form.locator('input[name="entity_id"]').nth(i).get_attribute("value") or ""
        for i in range(form.locator('input[name="entity_id"]').count())
    ]
    assert cleared_id in listings
    first.get_by_text("Record a decision on this candidate").click()
    first.get_by_label("Decision").select_option("cleared")
    first.get_by_label("Reason").fill("Born 1990 in Tashkent: not the listed person")
    assert_clean(page, errors)
    first.get_by_role("button", name="Record decision").click()
    page.wait_for_url("**/?q=*")
    page.locator(".cleared-note").first.wait_for()
    note = page.locator(".cleared-note").first.inner_text()
    assert "Decided by anonymous-loopback" in note
    assert first.locator('[data-outcome="cleared by decision"]').count() == 1
    assert "Born 1990 in Tashkent" in note
    # One note per listing cleared: the party's alerting listings, each its own decision.
    assert page.locator(".result").first.locator(".cleared-note").count() == len(listings)
    screenshot(page, "decision-cleared")
    assert_clean(page, errors)

    # The API's answer for the same party honours the page's decision.
    body = {"parties": [{"name": CYRILLIC}]}
    answer = httpx.post(decision_server.base_url + "/v1/screen", json=body, trust_env=False)
    matches = answer.json()["results"][0]["matches"]
    # UN's listing is one of the party's (the match shows its best-scoring listing).
    assert any(CYRILLIC_ID in {item["entity_id"] for item in m["listings"]} for m in matches)
    match = next(m for m in matches if m["entity_id"] == cleared_id)
    assert match["alert"] is False
    assert match["cleared"]["by"] == "anonymous-loopback"
    assert match["cleared"]["reason"] == "Born 1990 in Tashkent: not the listed person"
    states = {item["entity_id"]: item for item in match["listings"]}
    assert all(states[i]["cleared"] and states[i]["alert"] is False for i in listings)
    decisions = httpx.get(decision_server.base_url + "/v1/decisions", trust_env=False).json()
    assert [d["entity_id"] for d in decisions["decisions"]] == listings

    # Screening again on the page: the party is cleared by decision, nothing alerts for it.
    page.goto(decision_server.base_url + "/")
    page.get_by_label("Name, in any script").fill(CYRILLIC)
    page.keyboard.press("Enter")
    again = page.locator(".result").first
    again.wait_for()
    assert again.locator('[data-outcome="cleared by decision"]').count() == 1
    assert again.locator(".cleared-note").count() == len(listings)
    assert_clean(page, errors)
