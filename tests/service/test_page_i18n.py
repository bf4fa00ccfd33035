"""The page in the officer's language: catalogues read from the .po files, the language
chosen from the switcher's cookie or Accept-Language, right-to-left ready, listed names
never translated."""

from __future__ import annotations

import re
from pathlib import Path

from service.i18n import (
    LANG_COOKIE,
    choose_language,
    languages,
    load_languages,
    parse_accept_language,
    text_direction,
)
from tests.service.conftest import MakeClient


def test_the_shipped_languages_and_their_names() -> None:
    found = languages()
    assert list(found) == ["en", "ja", "ko", "zh-Hans", "zh-Hant", "hi"]
    assert found["ja"].gettext("Search") == "検索"
    assert found["zh-Hant"].gettext("Search") == "搜尋"
    assert found["hi"].ngettext("{n} row", "{n} rows", 3) == "{n} पंक्तियाँ"
    assert found["en"].gettext("Search") == "Search"


def test_accept_language_is_read_by_quality_and_region() -> None:
    assert parse_accept_language("en;q=0.5, ko-KR, ja;q=0.8") == ["ko-KR", "ja", "en"]
    available = languages()
    assert choose_language(None, "ko-KR,ko;q=0.9", available).tag == "ko"
    assert choose_language(None, "zh-TW,zh;q=0.9", available).tag == "zh-Hant"
    assert choose_language(None, "zh-CN", available).tag == "zh-Hans"
    assert choose_language(None, "zh-Hant-HK", available).tag == "zh-Hant"
    assert choose_language(None, "zh", available).tag == "zh-Hans"
    assert choose_language(None, "th-TH, hi;q=0.5", available).tag == "hi"  # no Thai yet
    assert choose_language(None, "fr-FR", available).tag == "en"
    assert choose_language("ja", "ko", available).tag == "ja"  # the switcher wins
    assert choose_language("xx", "ko", available).tag == "ko"


def test_a_right_to_left_catalogue_turns_the_page_around(tmp_path: Path) -> None:
    assert text_direction("ar") == text_direction("ur") == "rtl"
    assert text_direction("ja") == "ltr"
    folder = tmp_path / "ar" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        'msgid "Search"\nmsgstr "بحث"\n',
        "utf-8",
    )
    arabic = load_languages(tmp_path)["ar"]
    assert (arabic.dir, arabic.gettext("Search"), arabic.gettext("Batch")) == (
        "rtl",
        "بحث",
        "Batch",
    )


def test_the_page_speaks_the_browser_s_language(make_client: MakeClient) -> None:
    client = make_client()
    html = client.get("/", params={"q": "Иван Петров"}, headers={"Accept-Language": "ja"}).text
    assert '<html lang="ja" dir="ltr">' in html
    assert "この当事者は掲載されていますか？" in html
    assert "アラート" in html  # the glossary's word, translated
    assert "Ivan Ivanovich PETROV" in html  # the listed name as the list writes it
    assert "掲載名" in html  # the sentence, in Japanese
    korean = client.get("/status", headers={"Accept-Language": "ko-KR,ko;q=0.9"})
    assert korean.headers["content-language"] == "ko"
    assert "불러온 목록" in korean.text


def test_the_switcher_keeps_the_choice_and_goes_back(make_client: MakeClient) -> None:
    client = make_client()
    switched = client.get(
        "/language", params={"lang": "zh-Hant", "next": "/?q=x"}, follow_redirects=False
    )
    assert switched.status_code == 303 and switched.headers["location"] == "/?q=x"
    assert f"{LANG_COOKIE}=zh-Hant" in switched.headers["set-cookie"]
    html = client.get("/", headers={"Accept-Language": "ja"}).text
    assert '<html lang="zh-Hant"' in html
    links = re.findall(r'<a href="/language\?lang=([^&]+)&amp;next=[^"]*" lang="([^"]+)"', html)
    assert [tag for tag, _ in links] == ["en", "ja", "ko", "zh-Hans", "zh-Hant", "hi"]
    away = client.get(
        "/language", params={"lang": "ja", "next": "//evil.example/"}, follow_redirects=False
    )
    assert away.headers["location"] == "/"
    unknown = client.get("/language", params={"lang": "xx"}, follow_redirects=False)
    assert "set-cookie" not in unknown.headers


def test_every_catalogued_string_is_translated() -> None:
    """After ``make messages`` a new page string waits, empty, in every catalogue: this
    test names it until it is translated (the page meanwhile shows it in English)."""
    from babel.messages.pofile import read_po

    from service.i18n import LOCALES_DIR

    for path in sorted(LOCALES_DIR.glob("*/LC_MESSAGES/messages.po")):
        with path.open("rb") as handle:
            catalog = read_po(handle)
        missing = [
            m.id
            for m in catalog
            if m.id and not all(m.string if isinstance(m.string, tuple) else (m.string,))
        ]
        assert missing == [], f"{path.parts[-3]}: not translated: {missing[:5]}"
