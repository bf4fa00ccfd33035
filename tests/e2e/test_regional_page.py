"""The lookup page as an officer of the region uses it, in a real Chromium over the real
UN, OFAC SDN, UK and METI lists: batch files as Japanese and Korean offices export them
(Shift_JIS and EUC-KR CSV of 20 rows each) and an Excel workbook with headers the page
does not know; the page in every language it has (axe-core clean in each, Japanese and
Korean screenshots for the docs), 390 px wide without sideways scrolling, a right-to-left
layout; and the time from Enter to the first result for a Latin and an Arabic name.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter

from tests.e2e.conftest import (
    ConsoleErrors,
    LiveServer,
    axe_violations,
    record_timing,
    screenshot,
)

PageFactory = Callable[..., tuple[Any, ConsoleErrors]]
LANGUAGES = ("en", "ja", "ko", "zh-Hans", "zh-Hant", "hi")

# name as a Japanese office's system exports it → the listing's primary name the page
# must show (METI's End User List writes these names in Japanese).
JAPANESE_HITS = {
    "国防科学院": "Academy of National Defense Science",
    "ロケット産業省": "MINISTRY OF ROCKET INDUSTRY",
    "高麗航空": "Air Koryo",
    "鴨緑江開発銀行": "Amroggang Development Banking Corporation",
    "朝鮮中央銀行": "Choson Central Bank",
    "金日成総合大学": "Kim Il Sung University",
    "対外技術貿易センター": "Korea Foreign Technical Trade Center",
    "保健食品科学院": "Academy of Health and Food Science",
    "金策工業総合大学": "Kim Chaek University of Technology",
    "黄海製鉄連合企業所": "Hwanghai Steel Union Co., Ltd.",
}
JAPANESE_OTHERS = (
    "株式会社東京精密商事",
    "大阪港湾物流株式会社",
    "田中太郎",
    "山田花子",
    "横浜電子部品有限会社",
    "名古屋機械工業",
    "北海道水産加工",
    "九州化学",
    "Sakura Trading KK",
    "Nippon Precision Instruments",
)
# Korean: the UK lists five North Koreans in Hangul; OFAC and the UK list the others in
# Latin letters, which the page must find from their Hangul.
KOREAN_HITS = {
    "김정은": "KIM, Jong Un",
    "김여정": "KIM, Yo Jong",
    "최룡해": "CHOE, Ryong Hae",
    "리병철": "PYONG CHOL",
    "김영복": "KIM YONG BOK",
    "리창호": "RI CHANG HO",
    "노광철": "NO KWANG CHOL",
    "신금철": "SIN KUM CHOL",
    "리송진": "RI SONG JIN",
}
KOREAN_OTHERS = (
    "홍길동",
    "이순신",
    "현대상선",
    "서울무역상사",
    "부산항만물류",
    "대한정밀",
    "한국전자부품",
    "인천수산",
    "경기화학",
    "Seoul Precision Co.",
    "Busan Marine Logistics",
)


def _csv(tmp_path: Path, name: str, header: str, rows: list[str], encoding: str) -> Path:
    path = tmp_path / name
    path.write_bytes(("\r\n".join([header, *rows]) + "\r\n").encode(encoding))
    return path


def _screen_file(page: Any, server: LiveServer, path: Path) -> Any:
    page.goto(server.base_url + "/batch")
    page.locator("#file").set_input_files(str(path))  # labelled in the page's language
    page.locator('form.batch button[value="screen"]').click()
    rows = page.locator(".batch-table tbody tr")
    rows.first.wait_for()
    return rows


def _row_of(rows: Any, name: str) -> str:
    texts: list[str] = rows.all_inner_texts()
    return next(t for t in texts if name in t)


def wider(page: Any) -> list[str]:
    """Elements that reach past the right edge (for a failure message)."""
    found: list[str] = page.evaluate(
        "() => { const w = document.documentElement.clientWidth;"
        " return [...document.querySelectorAll('body *')]"
        ".filter(e => e.getBoundingClientRect().right > w + 1)"
        ".slice(0, 5).map(e => e.tagName + '.' + e.className); }"
    )
    return found


def assert_clean(page: Any, errors: ConsoleErrors) -> None:
    assert list(errors) == [], f"console errors on {page.url}: {errors}"
    violations = axe_violations(page)
    assert violations == [], f"accessibility violations on {page.url}: {violations}"


def test_a_shift_jis_csv_of_20_rows(
    live_server: LiveServer, page_factory: PageFactory, tmp_path: Path
) -> None:
    page, errors = page_factory(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    rows_in = [f"{name},KP" for name in JAPANESE_HITS] + [f"{n},JP" for n in JAPANESE_OTHERS]
    assert len(rows_in) == 20
    path = _csv(tmp_path, "荷受人.csv", "氏名,国籍", rows_in, "shift_jis")
    rows = _screen_file(page, live_server, path)
    assert rows.count() == 20
    assert "Shift_JIS" in page.locator("#read-as").inner_text()
    assert page.locator("html").get_attribute("lang") == "ja"
    for typed, listed in JAPANESE_HITS.items():
        row = _row_of(rows, typed)
        assert listed in row, (typed, row)
        assert "アラート" in row or "Alert" in row, (typed, row)
    screenshot(page, "batch-shift-jis")
    assert_clean(page, errors)


def test_an_euc_kr_csv_of_20_rows(
    live_server: LiveServer, page_factory: PageFactory, tmp_path: Path
) -> None:
    page, errors = page_factory(viewport={"width": 1280, "height": 900})
    rows_in = [f"{name},KP" for name in KOREAN_HITS] + [f"{n},KR" for n in KOREAN_OTHERS]
    assert len(rows_in) == 20
    path = _csv(tmp_path, "parties.csv", "이름,국적", rows_in, "euc_kr")
    rows = _screen_file(page, live_server, path)
    assert rows.count() == 20
    assert "EUC-KR (CP949)" in page.locator("#read-as").inner_text()
    for typed, listed in KOREAN_HITS.items():
        row = _row_of(rows, typed)
        assert listed.upper() in row.upper(), (typed, row)
        assert "Alert" in row, (typed, row)
    # Every candidate above the review line, the best open and the others a click away.
    more = page.locator(".batch-table details.more").first
    more.locator("summary").click()
    assert more.locator(".more-list li").count() >= 1
    screenshot(page, "batch-euc-kr")
    assert_clean(page, errors)
    page.set_viewport_size({"width": 390, "height": 844})  # the results table scrolls alone
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"batch results wider than 390 px by {overflow} px: {wider(page)}"


def test_an_excel_workbook_with_its_own_headers(
    live_server: LiveServer, page_factory: PageFactory, tmp_path: Path
) -> None:
    page, errors = page_factory(viewport={"width": 1280, "height": 900})
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("Manifest")
    sheet.write_row(0, 0, ["Invoice", "Consignee", "Consignee country", "Port"])
    sheet.write_row(1, 0, [20261001, "김정은", "KP", "Nampo"])
    sheet.write_row(2, 0, [20261002, "高麗航空", "KP", "Nampo"])
    sheet.write_row(3, 0, [20261003, "Умаров Доку Хаматович", "RU", "Vladivostok"])
    sheet.write_row(4, 0, [20261004, "Wilhelmina Pettersson-Quarles", "SE", "Busan"])
    book.close()
    path = tmp_path / "manifest.xlsx"
    path.write_bytes(out.getvalue())
    page.goto(live_server.base_url + "/batch")
    page.get_by_label("…or upload a file").set_input_files(str(path))
    page.locator("form.batch").get_by_role("button", name="Screen", exact=True).click()
    picker = page.locator(".picker")
    picker.wait_for()
    assert "Manifest" in picker.inner_text()  # the sheet it read
    assert_clean(page, errors)
    picker.get_by_label("Party name").select_option(label="Column 2: Consignee")
    picker.get_by_label("Country").select_option(label="— none —")
    picker.get_by_role("button", name="Screen", exact=True).click()
    rows = page.locator(".batch-table tbody tr")
    rows.first.wait_for()
    assert rows.count() == 4
    assert "KIM, Jong Un" in _row_of(rows, "김정은")
    assert "Air Koryo" in _row_of(rows, "高麗航空")
    assert "UMAROV" in _row_of(rows, "Умаров").upper()
    assert "Clear" in _row_of(rows, "Wilhelmina")
    screenshot(page, "batch-xlsx")
    assert_clean(page, errors)
    with page.expect_download() as download_info:
        page.locator("form.downloads").get_by_role("button", name="Download Excel").click()
    assert download_info.value.suggested_filename.endswith(".xlsx")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_is_accessible_and_fits_a_phone(
    live_server: LiveServer, page_factory: PageFactory, language: str
) -> None:
    page, errors = page_factory(
        viewport={"width": 390, "height": 844}, extra_http_headers={"Accept-Language": language}
    )
    for path in ("/?q=%EA%B9%80%EC%A0%95%EC%9D%80", "/batch", "/status", "/glossary"):
        page.goto(live_server.base_url + path)
        assert page.locator("html").get_attribute("lang") == language
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} in {language}: wider than 390 px by {overflow} px"
        assert_clean(page, errors)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.base_url + "/?q=%EA%B9%80%EC%A0%95%EC%9D%80")
    assert "KIM, Jong Un" in page.locator(".result h3").first.inner_text()
    assert_clean(page, errors)


@pytest.mark.parametrize(("language", "name"), [("ja", "japanese"), ("ko", "korean")])
def test_the_page_in_japanese_and_korean(
    live_server: LiveServer, page_factory: PageFactory, language: str, name: str
) -> None:
    page, errors = page_factory(viewport={"width": 1280, "height": 900})
    page.goto(live_server.base_url + "/")
    page.locator(".lang-menu summary").click()
    page.locator(f'.lang-menu a[lang="{language}"]').click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == language
    box = page.locator("#q")
    box.fill("김정은")
    box.press("Enter")
    first = page.locator(".result").first
    first.wait_for()
    assert "KIM, Jong Un" in first.locator("h3").inner_text()  # as the list writes it
    sentence = first.locator(".sentence").inner_text()
    assert "KIM, Jong Un" in sentence and "김정은" in sentence
    assert ("掲載名" if language == "ja" else "목록상 이름") in sentence
    first.locator(".detail summary").click()
    screenshot(page, f"search-{name}", full_page=False)
    assert_clean(page, errors)


def test_a_right_to_left_layout_holds(live_server: LiveServer, page_factory: PageFactory) -> None:
    """No catalogue is right-to-left yet: the page is turned around as an Arabic or Urdu
    one would be (``<html dir="rtl">``) and must mirror without breaking."""
    page, errors = page_factory(viewport={"width": 390, "height": 844})
    page.goto(live_server.base_url + "/?q=%D9%85%D8%AD%D9%85%D8%AF%20%D8%AD%D9%85%D8%B2%D8%A9")
    page.evaluate("document.documentElement.dir = 'rtl'")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    brand = page.locator(".brand").bounding_box()
    assert brand is not None and brand["x"] > 390 / 3  # starts on the right
    result = page.locator(".result").first
    border = result.evaluate("el => getComputedStyle(el).borderRightWidth")
    assert border == "5px"  # the outcome stripe on the starting (right) side
    screenshot(page, "search-rtl")
    assert list(errors) == []


@pytest.mark.parametrize(
    ("timing", "name", "listed"),
    [("latin", "Sergey Petrov", "PETROV"), ("arabic", "محمد حمزة زبيدي", "ZUBAIDI")],
)
def test_enter_to_first_result(
    live_server: LiveServer, page_factory: PageFactory, timing: str, name: str, listed: str
) -> None:
    """Measured (and printed at the end of the run), not asserted: the issue's 300 ms is
    for the reference machine, and this one is shared while tests run."""
    page, _ = page_factory(viewport={"width": 1280, "height": 900})
    page.goto(live_server.base_url + "/")
    box = page.locator("#q")
    best = float("inf")
    for _attempt in range(3):  # the first search warms the caches of a cold process
        page.goto(live_server.base_url + "/")
        box.fill(name)
        started = time.perf_counter()
        box.press("Enter")
        page.locator(".result").first.wait_for()
        best = min(best, (time.perf_counter() - started) * 1000)
    assert listed in " ".join(page.locator(".result h3").all_inner_texts()).upper()
    record_timing(f"{timing}_enter_to_first_result_best_of_3_ms", best)
