"""The issue's checks over the real lists, through the API: "Usama bin Laden" over UN,
OFAC, UK, DFAT and SEMA alerts on one party listed by at least four of them; KOMID's
Japanese name (as METI writes it) finds the company on every list that names it; an IMO
number alone finds the listed vessel."""

from __future__ import annotations

from typing import Any

import pytest

from engines.embedded_engine import EmbeddedEngine
from indexer.build import build_embedded
from indexer.registry import parse_list
from tests.conftest import shared_list
from tests.service.conftest import MakeClient, TestClient

pytestmark = pytest.mark.shared_lists

LISTS = {
    "un-sc": "2026-08-01",
    "us-ofac-sdn": "2023-12-28",  # the newest complete OFAC set (with its aliases)
    "gb-ofsi": "2025-04-14",
    "au-dfat": "2026-07",
    "ca-sema": "2025-03",
    "jp-meti-eul": "2025-09-29",
}
FIVE = ["un-sc", "us-ofac-sdn", "gb-ofsi", "au-dfat", "ca-sema"]


@pytest.fixture(scope="module")
def real_engine() -> EmbeddedEngine:
    return build_embedded([parse_list(i, shared_list(i, day)) for i, day in LISTS.items()])


@pytest.fixture
def real(make_client: MakeClient, real_engine: EmbeddedEngine) -> TestClient:
    return make_client(engine_=real_engine)


def matches(client: TestClient, party: dict[str, Any], **extra: Any) -> list[dict[str, Any]]:
    response = client.post("/v1/screen", json={"parties": [party], **extra})
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["results"][0]["matches"]
    return found


def lists_of(match: dict[str, Any]) -> set[str]:
    return {listing["list_id"] for listing in match["listings"]}


def test_usama_bin_laden_is_one_alerting_party_on_four_lists(real: TestClient) -> None:
    found = matches(real, {"name": "Usama bin Laden"}, lists=FIVE)
    alerting = [m for m in found if m["alert"]]
    assert any(len(lists_of(m)) >= 4 for m in alerting), [lists_of(m) for m in alerting]
    # one match per party: no listing appears under two matches
    listed = [listing["entity_id"] for m in found for listing in m["listings"]]
    assert len(listed) == len(set(listed))


def test_komid_by_its_japanese_name_is_found_on_every_list(real: TestClient) -> None:
    [top, *_] = matches(real, {"name": "朝鮮鉱業開発貿易会社"})
    assert top["alert"] and top["entity_id"] == "jp-meti-eul:352"
    assert lists_of(top) >= {"jp-meti-eul", "un-sc", "us-ofac-sdn", "gb-ofsi", "au-dfat"}


def test_an_imo_number_alone_finds_the_vessel(real: TestClient) -> None:
    [match] = matches(real, {"identifiers": [{"type": "imo", "value": "9187629"}]})
    assert match["entity_id"] == "us-ofac-sdn:15036" and match["alert"]
    assert match["name"] == "ARTAVIL"
