"""The lookup page's parties: a search result names every listing of its party, and the
party page shows the listings side by side with the facts lists state differently."""

from __future__ import annotations

import re

import pytest

from engines.embedded_engine import EmbeddedEngine
from indexer.build import build_embedded
from service.page.party_view import fact_row
from tests.linked_parties import KOMID, KOMID_JA, KOMID_LISTINGS, linked_lists
from tests.service.conftest import MakeClient, TestClient


@pytest.fixture(scope="module")
def linked_engine() -> EmbeddedEngine:
    return build_embedded(linked_lists())


@pytest.fixture
def linked(make_client: MakeClient, linked_engine: EmbeddedEngine) -> TestClient:
    return make_client(engine_=linked_engine)


def party_link(html: str) -> str:
    """The first result's link to its party page: with the searched name (the page's
    decision form is for it) and the way back to the search."""
    found = re.search(r'href="(/party/P[0-9a-f]+\?q=[^"]*&amp;back=[^"]*)"', html)
    assert found, "no link to a party page"
    return found.group(1).replace("&amp;", "&")


def test_a_search_result_names_every_listing_of_its_party(linked: TestClient) -> None:
    html = linked.get("/", params={"q": KOMID}).text
    assert html.count('class="result ') >= 1
    assert "One party, 6 listings" in html
    assert html.count("KOREA MINING DEVELOPMENT TRADING CORPORATION</bdi></a></h3>") <= 1
    assert "All listings side by side" in html


def test_the_party_page_shows_every_listing_side_by_side(linked: TestClient) -> None:
    html = linked.get(party_link(linked.get("/", params={"q": KOMID}).text)).text
    for entity_id in KOMID_LISTINGS:
        assert f"<code>{entity_id}</code>" in html
    assert KOMID_JA in html  # the name in the script the list writes it in
    assert f"{KOMID} (KOMID)" in html
    assert "https://sanctionssearch.ofac.treas.gov/Details.aspx?id=9345" in html
    assert "UN reference KPe.001 on both listings" in html
    assert "OFAC entry 9345 on both listings" in html
    programs = html[html.index('<th scope="row">Programs') :]
    programs = programs[: programs.index("</tr>")]
    assert "differs" in programs and programs.count('class="differs"') == 1  # DFAT's
    assert "1718 (DPRK)" in programs
    addresses = html[html.index('<th scope="row">Address') :]
    assert addresses[: addresses.index("</tr>")].count('class="differs"') == 1  # OFAC's


def test_a_party_kept_apart_says_why(linked: TestClient) -> None:
    html = linked.get("/", params={"q": "Hassan Ali Dhoore"}).text
    page = linked.get(party_link(html)).text
    assert "Listings kept apart" in page
    assert "different dates of birth" in page


def test_an_unknown_party_is_a_clear_404(linked: TestClient) -> None:
    response = linked.get("/party/P0000000000000000")
    assert response.status_code == 404
    assert "party ids change when the lists change" in response.text


def test_the_odd_listing_out_is_marked_else_every_stated_one() -> None:
    row = fact_row("x", [["a"], ["a"], ["b"], []], [{"a"}, {"a"}, {"b"}, set()])
    assert [cell.differs for cell in row.cells] == [False, False, True, False]
    assert row.differs
    split = fact_row("x", [["a"], ["b"]], [{"a"}, {"b"}])
    assert [cell.differs for cell in split.cells] == [True, True]
    same = fact_row("x", [["DPRK"], ["dprk"], []], [{"dprk"}, {"dprk"}, set()])
    assert not same.differs


def test_the_party_page_speaks_the_officer_s_language(linked: TestClient) -> None:
    japanese = {"Accept-Language": "ja"}
    search = linked.get("/", params={"q": KOMID}, headers=japanese).text
    assert "一つの当事者、6 件の掲載" in search and "すべての掲載を並べて表示" in search
    html = linked.get(party_link(search), headers=japanese).text
    assert "これらの掲載が一つの当事者である理由" in html
    assert "同じ国連参照番号" in html  # the kind of evidence, translated
    assert "UN reference KPe.001 on both listings" in html  # the record's own evidence
    assert "相違" in html and "制裁プログラム" in html
    assert KOMID_JA in html  # names as the lists write them, never translated


def test_every_kind_of_evidence_and_of_split_has_its_words() -> None:
    from core.links import STRENGTH
    from service.page.party_view import LINK_KINDS, SPLIT_CAUSES

    assert set(LINK_KINDS) == set(STRENGTH)
    causes = {"kind", "birth_date", "imo", "un_reference", "ofac_uid", "ofsi_group_id"}
    assert set(SPLIT_CAUSES) == causes | {"same_list"}
