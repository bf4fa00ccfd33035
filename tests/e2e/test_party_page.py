"""The party page in a real headless Chromium, over the real UN, OFAC SDN, UK and METI
lists: each lists KOMID once; the search shows one result naming the four listings, and
its party page shows them side by side, accessible and free of console errors."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from tests.e2e.conftest import ConsoleErrors, LiveServer, axe_violations, screenshot

PageFactory = Callable[..., tuple[Any, ConsoleErrors]]

KOMID = "Korea Mining Development Trading Corporation"


def test_search_then_every_listing_side_by_side(
    live_server: LiveServer, page_factory: PageFactory
) -> None:
    page, errors = page_factory(viewport={"width": 1280, "height": 900})
    page.goto(live_server.base_url + "/")
    page.get_by_label("Name, in any script").fill(KOMID)
    page.keyboard.press("Enter")
    first = page.locator(".result").first
    first.wait_for()
    assert "One party, 4 listings" in first.inner_text()
    first.get_by_role("link", name="All listings side by side").click()
    page.wait_for_url(re.compile(r"/party/P[0-9a-f]+"))
    table = page.locator("table.party-table")
    header = table.locator("thead").text_content() or ""
    for listing in ("un-sc:KPe.001", "us-ofac-sdn:9345", "gb-ofsi:10892", "jp-meti-eul:352"):
        assert listing in header
    assert page.get_by_role("heading", name="Why these listings are one party").is_visible()
    assert page.locator("td.differs").count() >= 1  # the lists' programs are named apart
    screenshot(page, "party-komid")
    assert list(errors) == [], errors
    assert axe_violations(page) == []
