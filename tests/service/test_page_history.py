"""The lookup page's history: each signed-in officer's own searches and batches, read from
the audit trail, and one reopened as it was answered, with the list versions of that day."""

from __future__ import annotations

import asyncio
import dataclasses
import re
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import quote

from engines.base import Engine
from indexer.build import build_embedded
from indexer.registry import parse_list
from service.audit import PAGE_SEARCH, audit_record, screening_entry
from service.outcomes import Outcome
from service.page.history import candidate_outcome_of
from service.schemas import Party, ScreenRequest, ScreenResponse
from service.screening import kept_matches, list_versions, party_result, query_of
from service.store.base import Pending
from service.store.chain import verify
from service.store.sql import SqlStore
from tests.service.conftest import FIXTURE_LISTS, Keys, MakeClient, MakeStore
from tests.service.test_page_routes import csrf_token


def signed_in(client: Any, key: str) -> Any:
    token = csrf_token(client.get("/signin").text)
    done = client.post(
        "/signin", data={"key": key, "csrf_token": token, "next": "/"}, follow_redirects=False
    )
    assert done.status_code == 303, done.text
    return client


def reopen_links(html: str) -> list[str]:
    return re.findall(r'<a class="reopen" href="/history/([0-9a-f]+)">', html)


def test_each_officer_sees_their_own_searches_and_batches_newest_first(
    make_client: MakeClient, make_store: MakeStore, keys: Keys
) -> None:
    ring = keys.ring()
    store = make_store()
    desk = signed_in(make_client(keys=ring, store=store), keys.plain["everything"])
    other = signed_in(make_client(keys=ring, store=store), keys.plain["lookup"])
    searched = desk.get("/", params={"q": "OCEAN STAR"}).text
    (search_id,) = re.findall(r'href="/history/([0-9a-f]+)"><code>', searched)
    batch = desk.post(
        "/batch", data={"csv": "OCEAN STAR\nNobody Atall", "csrf_token": csrf_token(searched)}
    ).text
    (batch_id,) = re.findall(r'href="/history/([0-9a-f]+)"><code>', batch)
    # Not the page: an API search with the same key is not the officer's page history.
    desk.get("/v1/search", params={"q": "Ahmad Hassan"}, headers=keys.bearer("everything"))
    others = other.get("/", params={"q": "Ahmad Hassan"}).text
    (other_id,) = re.findall(r'href="/history/([0-9a-f]+)"><code>', others)

    mine = desk.get("/history")
    assert mine.status_code == 200
    assert reopen_links(mine.text) == [batch_id, search_id]
    assert "Batch of 2 rows" in mine.text and "OCEAN STAR" in mine.text
    assert 'aria-current="page">History<' in mine.text
    assert reopen_links(other.get("/history").text) == [other_id]
    # Another officer's record is not found, as one that does not exist.
    assert desk.get(f"/history/{other_id}").status_code == 404
    assert desk.get("/history/not-hex").status_code == 404
    reopened = desk.get(f"/history/{batch_id}").text
    assert "Row 1" in reopened and "Row 2" in reopened and "Nobody Atall" in reopened
    assert "/entity/us-ofac-sdn%3A1004" in reopened  # OCEAN STAR's listing, as recorded


def _yesterdays_engine() -> Engine:
    """The fixture lists as an earlier publication: another version of each list."""
    parsed = [
        dataclasses.replace(parse_list(list_id, path), published=date(2020, 1, 15))
        for list_id, path in FIXTURE_LISTS
    ]
    return build_embedded(parsed)


def record_search(
    store: SqlStore, engine: Engine, name: str, key_name: str | None, at: datetime
) -> str:
    """A page search screened on ``engine`` at ``at``, recorded as the page records one and
    appended through the store's own API (so the chain verifies); its record id."""
    info = asyncio.run(engine.info())
    party = Party(name=name)
    hits = asyncio.run(engine.screen(query_of(party), limit=10, lists=None, min_score=0.0))
    result = party_result(party, kept_matches(hits, 0.0, name))
    response = ScreenResponse(
        request_id=uuid.uuid4().hex,
        screened_at=at.isoformat(),
        decision=result.decision,
        results=[result],
        lists=list_versions(info.lists),
        index_version=info.version,
    )
    body = ScreenRequest(parties=[party], limit=10, min_score=0.0)
    record = audit_record(body, response, key_name=key_name, min_score=0.0, channel=PAGE_SEARCH)
    store.append([Pending(screening_entry(record))])
    return response.request_id


def record_yesterdays_search(store: SqlStore, name: str, key_name: str | None) -> str:
    """A page search made yesterday against yesterday's lists."""
    yesterday = datetime.now(UTC) - timedelta(days=1)
    return record_search(store, _yesterdays_engine(), name, key_name, yesterday)


def test_yesterdays_search_reopens_with_that_days_list_versions(
    make_client: MakeClient, make_store: MakeStore, keys: Keys
) -> None:
    store = make_store()
    record_id = record_yesterdays_search(store, "OCEAN STAR", "lookup")
    old = {item["id"]: item["version"] for item in store.screening(record_id)["lists"]}  # type: ignore[index]
    client = signed_in(make_client(keys=keys.ring(), store=store), keys.plain["lookup"])
    now = {
        item["id"]: item["version"]
        for item in client.get("/v1/lists", headers=keys.bearer("lookup")).json()["lists"]
    }
    assert old.keys() == now.keys() and all(old[k] != now[k] for k in old)

    listed = client.get("/history").text
    assert reopen_links(listed) == [record_id]
    yesterday = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%d")
    assert yesterday in listed
    page = client.get(f"/history/{record_id}")
    assert page.status_code == 200
    html = page.text
    assert f"Checked {yesterday}" in html and record_id in html
    for list_id, version in old.items():
        assert f'<strong>{list_id}</strong> <code class="version">{version}</code>' in html
        assert f'loaded now: <code class="version">{now[list_id]}</code>' in html
    recorded = store.screening(record_id)
    assert recorded is not None
    best = recorded["parties"][0]["matches"][0]
    assert quote(best["entity_id"], safe="") in html and best["name"] in html
    assert 'data-outcome="alert"' in html  # OCEAN STAR alerted yesterday
    assert "/?q=OCEAN+STAR" in html  # search again with today's lists
    assert verify(store.rows(), store.head(), store.chain_key).ok


def test_a_candidate_cleared_then_shows_who_cleared_it(
    make_client: MakeClient, make_store: MakeStore
) -> None:
    client = make_client(store=make_store())
    token = csrf_token(client.get("/batch").text)
    decided = client.post(
        "/decision",
        data={
            "csrf_token": token,
            "q": "OCEAN STAR",
            "entity_id": "us-ofac-sdn:1004",
            "decision": "cleared",
            "reason": "Another tanker (IMO 9999999)",
            "back": "/",
        },
        follow_redirects=False,
    )
    assert decided.status_code == 303
    searched = client.get("/", params={"q": "OCEAN STAR"}).text
    (record_id,) = re.findall(r'href="/history/([0-9a-f]+)"><code>', searched)
    reopened = client.get(f"/history/{record_id}").text
    assert 'data-outcome="cleared by decision"' in reopened
    assert "Decided by anonymous-loopback" in reopened and "IMO 9999999" in reopened


def test_a_recorded_candidate_keeps_the_outcome_of_its_day() -> None:
    assert candidate_outcome_of({"score": 0.9, "alert": True}) is Outcome.ALERT
    # The answer that day did not alert: today's threshold does not change it.
    assert candidate_outcome_of({"score": 0.9, "alert": False}) is Outcome.NEEDS_REVIEW
    assert candidate_outcome_of({"score": 0.3, "alert": False}) is Outcome.CLEAR
    cleared = {"score": 0.9, "alert": False, "cleared": "d1"}
    assert candidate_outcome_of(cleared) is Outcome.CLEARED_BY_DECISION


def test_the_history_is_in_the_officers_language(make_client: MakeClient) -> None:
    client = make_client()
    client.get("/", params={"q": "OCEAN STAR"})
    page = client.get("/history", headers={"Accept-Language": "ja"}).text
    assert "履歴" in page and "あなたの検索と一括照合" in page and 'lang="ja"' in page
