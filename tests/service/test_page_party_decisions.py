"""The lookup page's decisions on a party that several lists name: the form on a party's
line clears the party (one decision per alerting listing, each its own record of the
chain), the party page shows each listing's clearance and has the form, and search, CSV
export, batch and History show the cleared listings with who, when and why."""

from __future__ import annotations

import csv
import html as htmllib
import io
import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from engines.embedded_engine import EmbeddedEngine
from indexer.build import build_embedded
from service.audit import PAGE_SEARCH, screening_entry
from service.store.base import Pending
from service.store.chain import verify
from service.store.sql import SqlStore
from tests.linked_parties import KOMID, KOMID_LISTINGS, linked_lists
from tests.service.conftest import MakeClient, TestClient
from tests.service.test_page_routes import csrf_token

UN = "un-sc:KPe.001"


@pytest.fixture(scope="module")
def linked_engine() -> EmbeddedEngine:
    return build_embedded(linked_lists())


@pytest.fixture
def linked(make_client: MakeClient, linked_engine: EmbeddedEngine) -> TestClient:
    return make_client(engine_=linked_engine)


def komid_line(html: str) -> str:
    """The search result of KOMID's party (its <li>)."""
    found = [part for part in html.split('<li class="result ')[1:] if KOMID in part]
    assert found, "no result for KOMID"
    return found[0].split("</article>")[0]


def form_listings(line: str) -> list[str]:
    return re.findall(r'<input type="hidden" name="entity_id" value="([^"]+)">', line)


def decide(client: TestClient, entity_ids: list[str], reason: str, back: str = "/") -> Any:
    """The page's decision form, posted with ``entity_id`` once per listing."""
    form = {
        "csrf_token": csrf_token(client.get("/batch").text),
        "q": KOMID,
        "decision": "cleared",
        "reason": reason,
        "back": back,
        "entity_id": entity_ids,
    }
    return client.post("/decision", data=form, follow_redirects=False)


def decisions_in(store: SqlStore) -> list[dict[str, Any]]:
    return [r.record() for r in store.rows() if r.kind == "decision"]


def test_the_form_on_a_party_line_clears_the_party(linked: TestClient) -> None:
    store: SqlStore = linked.app.state.service.store.store  # type: ignore[attr-defined]
    line = komid_line(linked.get("/", params={"q": KOMID}).text)
    listings = form_listings(line)
    assert sorted(listings) == sorted(KOMID_LISTINGS)  # every listing alerts
    assert "One decision for each of its 6 alerting listings." in line

    done = decide(linked, listings, "Another company of that name", back=f"/?q={KOMID}")
    assert done.status_code == 303
    recorded = decisions_in(store)
    assert sorted(d["entity_id"] for d in recorded) == sorted(KOMID_LISTINGS)
    # One decision per listing, each against that listing's own list version.
    assert {d["listing"]["list_id"] for d in recorded} == {i.split(":")[0] for i in listings}
    assert verify(store.rows(), store.head(), store.chain_key).ok

    after = komid_line(linked.get("/", params={"q": KOMID}).text)
    assert after.startswith("r-cleared-by-decision")
    assert after.count('class="cleared-note"') == len(KOMID_LISTINGS)
    assert after.count("Another company of that name") == len(KOMID_LISTINGS)


def test_a_party_partly_cleared_still_alerts_and_shows_the_cleared_listing(
    linked: TestClient,
) -> None:
    assert decide(linked, [UN], "UN entry reviewed").status_code == 303
    html = linked.get("/", params={"q": KOMID}).text
    line = komid_line(html)
    assert line.startswith("r-alert")
    assert line.count('class="cleared-note"') == 1
    note = line[line.index('class="cleared-note"') :]
    assert '<span class="badge list">un-sc</span> Cleared by decision' in note
    assert "Decided by anonymous-loopback" in note and "UN entry reviewed" in note
    # The form now clears the rest: the listings still alerting.
    assert sorted(form_listings(line)) == sorted(i for i in KOMID_LISTINGS if i != UN)

    exported = linked.get("/export.csv", params={"q": KOMID}).text.lstrip("\ufeff")
    (row,) = [r for r in csv.DictReader(io.StringIO(exported)) if r["entity_id"] in KOMID_LISTINGS]
    assert row["candidate_outcome"] == "alert" and row["cleared_by"] == ""
    assert row["cleared_listings"].startswith(f"{UN}: cleared by anonymous-loopback at ")
    assert "UN entry reviewed (decision " in row["cleared_listings"]

    token = csrf_token(linked.get("/batch").text)
    batch = linked.post("/batch", data={"csv": KOMID, "csrf_token": token}).text
    assert '<span class="badge list">un-sc</span> Cleared by decision' in batch
    assert "UN entry reviewed" in batch


def test_a_decision_on_several_listings_is_all_or_none(linked: TestClient) -> None:
    store: SqlStore = linked.app.state.service.store.store  # type: ignore[attr-defined]
    unknown = decide(linked, [UN, "un-sc:nope"], "r")
    assert unknown.status_code == 404
    assert decisions_in(store) == []  # the known listing was not decided either
    many = decide(linked, [f"un-sc:X{i}" for i in range(51)], "r")
    assert many.status_code == 422 and "at most 50 listings" in many.text
    assert decisions_in(store) == []


def party_page(client: TestClient) -> str:
    search = client.get("/", params={"q": KOMID}).text
    found = re.search(r'href="(/party/P[0-9a-f]+\?q=[^"]*)"', komid_line(search))
    assert found
    page = client.get(htmllib.unescape(found.group(1)))
    assert page.status_code == 200
    text: str = page.text
    return text


def test_the_party_page_shows_each_listing_s_clearance_and_has_the_form(
    linked: TestClient,
) -> None:
    page = party_page(linked)
    assert 'action="/decision"' in page and "One decision for each listing ticked" in page
    ticked = re.findall(r'name="entity_id" value="([^"]+)" checked>', page)
    assert sorted(ticked) == sorted(KOMID_LISTINGS)
    assert 'class="cleared-note"' not in page

    assert decide(linked, [UN], "UN entry reviewed").status_code == 303
    page = party_page(linked)
    assert page.count('class="cleared-note"') == 1 and "UN entry reviewed" in page
    ticked = re.findall(r'name="entity_id" value="([^"]+)" checked>', page)
    assert sorted(ticked) == sorted(i for i in KOMID_LISTINGS if i != UN)
    # Without a searched party the page shows the listings only: no clearance, no form.
    bare = linked.get(re.sub(r"\?.*", "", re.findall(r"/party/P[0-9a-f]+", page)[0])).text
    assert 'action="/decision"' not in bare


def test_history_reopens_a_grouped_record_with_each_listing_s_clearance(
    linked: TestClient,
) -> None:
    assert decide(linked, [UN], "UN entry reviewed").status_code == 303
    searched = linked.get("/", params={"q": KOMID}).text
    (record_id,) = re.findall(r'href="/history/([0-9a-f]+)"><code>', searched)
    reopened = linked.get(f"/history/{record_id}").text
    assert "One party, 6 listings" in reopened
    assert '<span class="badge list">un-sc</span> Cleared by decision' in reopened
    assert "UN entry reviewed" in reopened
    line = reopened[reopened.index('class="result-list"') :]
    assert line.split('<li class="result ')[1].startswith("r-alert")  # the others alert


def test_history_reopens_a_record_written_before_parties(linked: TestClient) -> None:
    """A per-listing record (as the service wrote them before screening by party) and one
    written while listings were plain ids both reopen."""
    store: SqlStore = linked.app.state.service.store.store  # type: ignore[attr-defined]
    at = (datetime.now(UTC) - timedelta(days=2)).isoformat()
    old_match = {
        "entity_id": UN, "list": "un-sc", "score": 1.0, "alert": True, "name": KOMID,
        "matched_name": KOMID,
    }  # fmt: skip
    ids_match = {**old_match, "party_id": "P0123456789abcdef", "listings": list(KOMID_LISTINGS)}
    record_ids = []
    for match in (old_match, ids_match):
        record = {
            "request_id": uuid.uuid4().hex,
            "screened_at": at,
            "channel": PAGE_SEARCH,
            "key_name": None,
            "decision": "alert",
            "document": {"reference": "lookup page (page-search)"},
            "limit": 10,
            "min_score": 0.0,
            "lists_requested": None,
            "parties": [{"name": KOMID, "decision": "alert", "matches": [match]}],
            "lists": [{"id": "un-sc", "version": "v-old", "published": None}],
            "index_version": "old",
        }
        store.append([Pending(screening_entry(record))])
        record_ids.append(record["request_id"])
    for record_id in record_ids:
        page = linked.get(f"/history/{record_id}")
        assert page.status_code == 200, page.text
        assert 'data-outcome="alert"' in page.text and "/entity/un-sc%3AKPe.001" in page.text
    assert "One party, 6 listings" in linked.get(f"/history/{record_ids[1]}").text
