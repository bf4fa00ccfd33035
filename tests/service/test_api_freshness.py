"""Freshness as the service shows it, and a listing the list itself ended.

The first test serves exactly the lists ``make run`` serves (read from the Makefile):
OFAC SDN of 2023-12-28 carries no date, so it is dated by its newest dated record and
must be stale on the page, in /v1/lists, /readyz and the metrics alike.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from indexer.build import build_embedded
from indexer.registry import parse_list
from tests.conftest import FIXTURES, REPO, SHARED
from tests.service.conftest import MakeClient

WORLD_BANK = FIXTURES / "world-bank-debarred"


def make_run_lists() -> list[tuple[str, Path]]:
    """The ``RUN_LISTS`` of the Makefile, with ``$(SHARED)`` resolved."""
    text = (REPO / "Makefile").read_text(encoding="utf-8")
    block = re.search(r"^RUN_LISTS := (.*?)(?:\n(?!\s))", text, re.S | re.M)
    assert block, "the Makefile defines RUN_LISTS"
    specs = re.findall(r"([a-z0-9-]+)=\$\(SHARED\)/(\S+)", block[1])
    return [(list_id, SHARED / path) for list_id, path in specs]


@pytest.mark.shared_lists
def test_make_run_shows_ofac_sdn_of_2023_stale_everywhere(make_client: MakeClient) -> None:
    specs = make_run_lists()
    assert ("us-ofac-sdn", SHARED / "lists/us-ofac-sdn/2023-12-28") in specs
    if not all(path.exists() for _, path in specs):
        pytest.skip("../shared/lists is absent")
    client = make_client(engine_=build_embedded([parse_list(i, p) for i, p in specs]))

    lists = {item["id"]: item for item in client.get("/v1/lists").json()["lists"]}
    ofac = lists["us-ofac-sdn"]
    assert (ofac["as_of"], ofac["as_of_source"]) == ("2022-02-24", "newest_record")
    assert ofac["stale"] is True and ofac["stale_after_days"] == 3

    ready = client.get("/readyz").json()
    assert ready["status"] == "ready" and "us-ofac-sdn" in ready["stale"]

    metrics = client.get("/metrics").text
    assert 'screening_list_stale{list="us-ofac-sdn"} 1.0' in metrics
    seconds = re.search(
        r'screening_list_age_seconds\{list="us-ofac-sdn",source="newest_record"\} (\S+)', metrics
    )
    assert seconds and float(seconds[1]) > 3 * 86400

    page = client.get("/status").text
    row = page.split("us-ofac-sdn", 1)[0].rsplit("<tr", 1)[1]
    assert 'class="stale"' in row
    assert "Specially Designated Nationals" in page.split('class="banner warn"', 1)[1]


def test_an_expired_debarment_is_shown_but_does_not_alert(make_client: MakeClient) -> None:
    client = make_client(engine_=build_embedded([parse_list("world-bank-debarred", WORLD_BANK)]))
    body = {"parties": [{"name": "Jiangsu Zhongtian Technology Co Ltd", "type": "organization"}]}
    answer = client.post("/v1/screen", json=body, params={"min_score": 0.5}).json()
    (result,) = answer["results"]
    top = result["matches"][0]
    assert top["entity_id"] == "world-bank-debarred:421709"
    assert top["listing_ends_on"] == "2021-01-20" and top["listing_ended"] is True
    assert top["alert"] is False and top["explanation"]["alert"] is True  # the name alone would
    assert result["decision"] == "clear" and answer["decision"] == "clear"

    permanent = client.post(
        "/v1/screen", json={"parties": [{"name": "Jonathan Example Marlowe"}]}
    ).json()
    match = permanent["results"][0]["matches"][0]
    assert match["listing_ends_on"] is None and match["listing_ended"] is False
    assert match["alert"] is True

    page = client.get("/", params={"q": "Jiangsu Zhongtian Technology Co Ltd"}).text
    assert "Listing ended" in page and "the listing ended on 2021-01-20" in page
    assert 'data-outcome="alert"' not in page  # the glossary's word is the only verdict
    assert top["reason"].startswith("Listing ended. Not an alert: the listing ended on 2021-01-20.")
