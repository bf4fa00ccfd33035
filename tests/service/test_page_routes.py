"""The lookup page over HTTP (no browser): search, listing, status, export, batch, sign-in,
CSRF and the page's Content-Security-Policy, over the real embedded index of the fixture
lists. The browser tests (tests/e2e) drive the same pages in Chromium over the real lists.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from service.page.render import PAGE_CSP
from service.page.session import CSRF_COOKIE, SESSION_COOKIE
from tests.service.conftest import Keys, MakeClient


def csrf_token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token in the form"
    return found.group(1)


def test_search_shows_the_listing_its_score_and_why(make_client: MakeClient) -> None:
    client = make_client()
    response = client.get("/", params={"q": "Иван Петров"})
    assert response.status_code == 200
    assert response.headers["content-security-policy"] == PAGE_CSP
    assert response.headers["x-frame-options"] == "DENY"
    html = response.text
    first = html.index('class="result ')
    assert "Ivan Ivanovich PETROV" in html[first : first + 600]
    assert "Cyrillic" in html
    assert "<mark>petrov</mark> ← <bdi" in html  # the typed word as read and as written
    assert 'dir="auto"' in html


def test_the_api_keeps_its_own_strict_policy(make_client: MakeClient) -> None:
    client = make_client()
    assert client.get("/healthz").headers["content-security-policy"] == (
        "default-src 'none'; frame-ancestors 'none'"
    )


def test_bad_inputs_are_explained_in_the_form_not_searched(make_client: MakeClient) -> None:
    client = make_client()
    html = client.get("/", params={"q": "Ocean Star", "country": "Atlantis", "dob": "1990-13"}).text
    assert "Unknown country" in html
    assert "Use YYYY, YYYY-MM or YYYY-MM-DD." in html
    assert 'class="result ' not in html
    assert 'aria-invalid="true"' in html


def test_country_names_and_types_refine_the_search(make_client: MakeClient) -> None:
    client = make_client()
    html = client.get(
        "/", params={"q": "Ahmad Hassan", "country": "Iran", "type": "person", "limit": "5"}
    ).text
    assert "HASSAN, Ahmad Ali" in html
    assert '<details class="refine" open>' in html


def test_entity_page_shows_every_part_of_the_listing(make_client: MakeClient) -> None:
    client = make_client()
    html = client.get("/entity/un-sc:KPi.901").text
    assert "KIM CHOL SU" in html
    assert "List version" in html and "2026-03-04+" in html
    missing = client.get("/entity/un-sc:nope")
    assert missing.status_code == 404
    assert "No listed entity" in missing.text


def test_status_page_lists_versions_ages_and_stale_warning(make_client: MakeClient) -> None:
    client = make_client(list_max_age_days=36500, list_grace_days=36500)
    html = client.get("/status").text
    assert "un-sc" in html and "gb-ofsi" in html
    assert "2026-03-04" in html and "the publisher&#39;s date" in html
    # Only the OFAC fixture, which nothing dates, is stale: undated is never current.
    banner = html.split('class="banner warn"', 1)[1].split("</div>", 1)[0]
    assert "Stale list:" in banner and "is undated" in banner and "United Nations" not in banner
    assert html.count('class="stale"') == 1
    stale = make_client(list_max_age_days=1, list_grace_days=0).get("/status").text
    assert "Stale lists:" in stale and stale.count('class="stale"') == 3
    assert "stale after 1 days" in stale


def test_export_is_csv_with_the_check_time_and_list_versions(make_client: MakeClient) -> None:
    client = make_client()
    response = client.get("/export.csv", params={"q": "Ahmad Hassan"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert rows[0]["entity_id"] == "us-ofac-sdn:1001"
    assert rows[0]["query"] == "Ahmad Hassan"
    assert "un-sc 2026-03-04+" in rows[0]["lists_searched"]
    assert rows[0]["checked_by"].startswith("anonymous")


def test_static_assets_are_served_by_the_app_and_nothing_else(make_client: MakeClient) -> None:
    client = make_client()
    assert client.get("/static/page.css").headers["content-type"].startswith("text/css")
    assert client.get("/static/page.js").status_code == 200
    assert client.get("/static/settings.py").status_code == 404
    assert client.get("/static/..%2Fapp.py").status_code == 404


def test_batch_needs_the_csrf_token_and_is_audited(make_client: MakeClient) -> None:
    client = make_client()
    form = client.get("/batch")
    token = csrf_token(form.text)
    assert CSRF_COOKIE in form.cookies
    refused = client.post("/batch", data={"csv": "Ocean Star"})
    assert refused.status_code == 403
    forged = client.post("/batch", data={"csv": "Ocean Star", "csrf_token": "x" + token})
    assert forged.status_code == 403
    body = {"csv": "OCEAN STAR,vessel\nNobody Atall\nbad,spaceship", "csrf_token": token}
    response = client.post("/batch", data=body)
    assert response.status_code == 200
    html = response.text
    assert html.count('<tr class="r-') == 3
    assert "Unknown type" in html
    request_id = re.search(r'audit record <a href="/history/([0-9a-f]+)"><code>', html)
    assert request_id
    store: Any = client.app.state.service.store.store  # type: ignore[attr-defined]
    record = store.screening(request_id.group(1))
    assert [p["name"] for p in record["parties"]] == ["OCEAN STAR", "Nobody Atall"]
    assert record["parties"][0]["decision"] == "alert"


def test_batch_beyond_the_row_limit_is_refused_whole(make_client: MakeClient) -> None:
    client = make_client(page_batch_max_rows=2)
    token = csrf_token(client.get("/batch").text)
    html = client.post("/batch", data={"csv": "a b\nc d\ne f", "csrf_token": token}).text
    assert "at most 2 rows per batch (got 3)" in html
    assert "batch-table" not in html


def test_batch_upload_and_csv_download(make_client: MakeClient) -> None:
    client = make_client()
    token = csrf_token(client.get("/batch").text)
    upload = b"name,country\nKIM Chol Su,KP\n"
    response = client.post(
        "/batch",
        data={"csrf_token": token, "action": "csv"},
        files={"file": ("parties.csv", upload, "text/csv")},
    )
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert {r["entity_id"] for r in rows} >= {"un-sc:KPi.901", "us-ofac-sdn:1006"}
    assert rows[0]["query_country"] == "KP"


def test_sign_in_once_then_search_with_a_session(make_client: MakeClient, keys: Keys) -> None:
    client = make_client(keys=keys.ring())
    first = client.get("/?q=ocean", follow_redirects=False)
    assert first.status_code == 303
    assert first.headers["location"] == "/signin?next=/%3Fq%3Docean"
    signin = client.get("/signin", params={"next": "/?q=ocean"})
    token = csrf_token(signin.text)
    wrong = client.post("/signin", data={"key": "sk_wrong", "csrf_token": token, "next": "/"})
    assert wrong.status_code == 401
    assert "Unknown key" in wrong.text
    ok = client.post(
        "/signin",
        data={"key": keys.plain["lookup"], "csrf_token": token, "next": "/?q=ocean"},
        follow_redirects=False,
    )
    assert ok.status_code == 303
    assert ok.headers["location"] == "/?q=ocean"
    cookie = ok.headers["set-cookie"]
    assert SESSION_COOKIE in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert keys.plain["lookup"] not in cookie  # the key itself never leaves the server
    page = client.get("/?q=ocean star")
    assert page.status_code == 200 and "Signed in as" in page.text
    assert "OCEAN STAR" in page.text
    # The lookup key may read but not screen a batch.
    assert client.get("/batch").status_code == 403
    signout = client.post("/signout", data={"csrf_token": token}, follow_redirects=False)
    assert signout.status_code == 303
    assert client.get("/", follow_redirects=False).status_code == 303


def test_a_tampered_session_or_foreign_next_is_refused(make_client: MakeClient, keys: Keys) -> None:
    client = make_client(keys=keys.ring())
    token = csrf_token(client.get("/signin").text)
    ok = client.post(
        "/signin",
        data={"key": keys.plain["everything"], "csrf_token": token, "next": "//evil.example/"},
        follow_redirects=False,
    )
    assert ok.headers["location"] == "/"
    value = client.cookies[SESSION_COOKIE]
    client.cookies.set(SESSION_COOKIE, value[:-2] + ("AA" if not value.endswith("AA") else "BB"))
    assert client.get("/", follow_redirects=False).status_code == 303


def test_a_key_that_cannot_search_is_refused_at_sign_in(
    make_client: MakeClient, keys: Keys
) -> None:
    client = make_client(keys=keys.ring())
    token = csrf_token(client.get("/signin").text)
    refused = client.post(
        "/signin",
        data={"key": keys.plain["gateway"], "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert refused.status_code == 403
    assert "lacks the read scope" in refused.text and "gateway" in refused.text
    assert SESSION_COOKIE not in refused.headers.get("set-cookie", "")
    in_korean = client.post(
        "/signin",
        data={"key": keys.plain["auditor"], "csrf_token": token, "next": "/"},
        headers={"Accept-Language": "ko"},
    )
    assert in_korean.status_code == 403 and "read 범위가 없습니다" in in_korean.text


def test_every_listing_links_to_its_publisher(make_client: MakeClient) -> None:
    from indexer.build import build_embedded
    from indexer.registry import get_source, parse_list
    from tests.conftest import FIXTURES

    parsed = [
        parse_list("jp-meti-eul", FIXTURES / "jp-meti-eul" / "end_user_list.xlsx"),
        parse_list("au-dfat", FIXTURES / "au-dfat" / "2025" / "Consolidated.xlsx"),
        parse_list("gb-ofsi", FIXTURES / "gb-ofsi" / "ConList.csv"),
    ]
    client = make_client(engine_=build_embedded(parsed))
    for listed in parsed:
        list_id, entity = listed.list_id, listed.entities[0]
        assert entity.source_url is None  # the list file gives none: the registry does
        html = client.get(f"/entity/{entity.id}").text
        official = get_source(list_id).source_url or get_source(list_id).homepage
        assert f'<a href="{official}"' in html, list_id
        assert "not given by the list" not in html
    status = client.get("/status").text
    assert get_source("jp-meti-eul").homepage in status


def test_search_export_as_an_excel_workbook(make_client: MakeClient) -> None:
    from python_calamine import CalamineWorkbook

    client = make_client()
    response = client.get("/export.xlsx", params={"q": "Ahmad Hassan"})
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    rows = book.get_sheet_by_name("Screening").to_python()
    header = rows[0]
    assert rows[1][header.index("entity_id")] == "us-ofac-sdn:1001"
    lists = book.get_sheet_by_name("Lists").to_python()
    assert [r[0] for r in lists if r and r[0] == "un-sc"] == ["un-sc"]
    assert any(r[0] == "index_version" for r in lists if r)


def test_batch_file_with_unknown_columns_goes_through_the_picker(make_client: MakeClient) -> None:
    client = make_client()
    token = csrf_token(client.get("/batch").text)
    upload = "Invoice,Consignee,Country\n1001,KIM Chol Su,KP\n1002,Nobody Atall,SE\n"
    picker = client.post(
        "/batch",
        data={"csrf_token": token, "action": "screen"},
        files={"file": ("shipments.csv", upload.encode("cp949"), "text/csv")},
    )
    assert "Which column holds what?" in picker.text
    assert "batch-table" not in picker.text
    carried = re.search(r'name="file_data" value="([^"]+)"', picker.text)
    assert carried
    chosen = {
        "csrf_token": token,
        "file_data": carried.group(1),
        "file_name": "shipments.csv",
        "columns": "chosen",
        "col_name": "1",
        "col_country": "2",
        "header": "1",
        "action": "screen",
    }
    html = client.post("/batch", data=chosen).text
    assert html.count('<tr class="r-') == 2
    assert "KIM CHOL SU" in html and "was read as UTF-8 (detected)" in html
    # Every candidate at or above the review line, the others behind "more candidates".
    first_row = html.split('<tr class="r-', 2)[1]
    assert "more candidate" in first_row
    workbook = client.post("/batch", data={**chosen, "action": "xlsx"})
    assert workbook.headers["content-disposition"].endswith('.xlsx"')


def test_batch_in_a_legacy_code_page_is_named_and_can_be_read_again(
    make_client: MakeClient,
) -> None:
    client = make_client()
    token = csrf_token(client.get("/batch").text)
    upload = "이름,국적\n김철수,KP\nOCEAN STAR,\n홍길동,KR\n".encode("cp949")
    html = client.post(
        "/batch",
        data={"csrf_token": token, "action": "screen"},
        files={"file": ("parties.csv", upload, "text/csv")},
    ).text
    assert "EUC-KR (CP949), Korean" in html and "(detected)" in html
    assert "김철수" in html and "홍길동" in html
    carried = re.search(r'name="file_data" value="([^"]+)"', html)
    assert carried
    form = {"csrf_token": token, "file_data": carried.group(1), "file_name": "parties.csv"}
    again = client.post("/batch", data={**form, "encoding": "gb18030"}).text
    assert "(chosen)" in again and "GB18030, Simplified Chinese" in again
    wrong = client.post("/batch", data={**form, "encoding": "cp932"}).text
    assert "The file is not Shift_JIS (CP932), Japanese text" in wrong
