"""The lookup page's decision form (results and entity page) and what a decision changes
on the page: the search, its CSV export and batches show the hit cleared, by whom."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from tests.service.conftest import MakeClient
from tests.service.test_page_routes import csrf_token

LISTED = "us-ofac-sdn:1004"


def alerts_shown(html: str) -> int:
    return len(re.findall(r'<li class="result r-alert">', html))


def cleared_shown(html: str) -> int:
    return len(re.findall(r'<li class="result r-cleared-by-decision">', html))


def clear_on_entity_page(client: Any) -> None:
    page = client.get(f"/entity/{LISTED}", params={"q": "OCEAN STAR", "back": "/?q=OCEAN+STAR"})
    assert page.status_code == 200
    assert 'action="/decision"' in page.text and 'name="q" value="OCEAN STAR"' in page.text
    form = {
        "csrf_token": csrf_token(page.text),
        "q": "OCEAN STAR",
        "entity_id": LISTED,
        "decision": "cleared",
        "reason": "Another tanker of that name (IMO 9999999)",
        "back": "/?q=OCEAN+STAR",
    }
    done = client.post("/decision", data=form, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/?q=OCEAN+STAR"


def test_a_hit_cleared_on_the_entity_page_is_cleared_in_search_export_and_batch(
    make_client: MakeClient,
) -> None:
    client = make_client()
    before = client.get("/", params={"q": "OCEAN STAR"}).text
    assert "Record a decision on this candidate" in before
    assert alerts_shown(before) >= 1 and cleared_shown(before) == 0
    clear_on_entity_page(client)
    after = client.get("/", params={"q": "OCEAN STAR"}).text
    assert "Decided by anonymous-loopback" in after and "IMO 9999999" in after
    assert alerts_shown(after) == alerts_shown(before) - 1 and cleared_shown(after) == 1
    assert 'data-outcome="cleared by decision">Cleared by decision<' in after
    exported = client.get("/export.csv", params={"q": "OCEAN STAR"}).text.lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(exported)))
    (row,) = [r for r in rows if r["entity_id"] == LISTED]
    assert row["cleared_by"] == "anonymous-loopback" and row["cleared_decision"]
    assert row["cleared_reason"] == "Another tanker of that name (IMO 9999999)"
    assert row["candidate_outcome"] == "cleared by decision"
    token = csrf_token(client.get("/batch").text)
    batch = client.post("/batch", data={"csv": "OCEAN STAR", "csrf_token": token}).text
    assert "Decided by anonymous-loopback" in batch
    assert 'data-outcome="cleared by decision"' in batch


def test_a_bad_decision_form_is_refused_with_the_field_named(make_client: MakeClient) -> None:
    client = make_client()
    token = csrf_token(client.get("/batch").text)
    form = {"csrf_token": token, "q": "OCEAN STAR", "entity_id": LISTED, "decision": "cleared"}
    refused = client.post("/decision", data={**form, "reason": " "})
    assert refused.status_code == 422 and "reason" in refused.text
    unknown = client.post("/decision", data={**form, "reason": "r", "entity_id": "un-sc:nope"})
    assert unknown.status_code == 404
    forged = client.post("/decision", data={**form, "reason": "r", "csrf_token": "x"})
    assert forged.status_code == 403
