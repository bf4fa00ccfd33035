"""Kana of foreign names read as the names they write, ranked, besides Hepburn."""

from __future__ import annotations

import pytest

from core.romanise.japanese import foreign_word_spellings, romanise
from core.translit import romanisations


def texts(name: str, limit: int = 4) -> list[str]:
    return [r.text for r in romanisations(name, limit)]


@pytest.mark.parametrize(
    ("kana", "expected"),
    [
        ("キム・ジョンウン", "kim jongun"),  # Korean: ム's vowel dropped, ン before a vowel = ng
        ("きむ・じょんうん", "kim jongun"),  # the same in hiragana
        ("ムハンマド・ビン・サルマン", "muhammad bin sarman"),  # ン before m = m, ド = d
        ("ウサーマ・ビン・ラーディン", "usama bin ladin"),  # ー unwritten, ラ = la
        ("アイマン・ザワヒリ", "aiman zawahiri"),
        ("ジョン・スミス", "jon smis"),  # "Sumisu" = Smith: the vowels Japanese adds
        ("セルゲイ・ショイグ", "sergei shoig"),
        ("リ・ピョンチョル", "ri pyonchol"),  # l/r
    ],
)
def test_foreign_names_in_kana_read_as_written_in_latin(kana: str, expected: str) -> None:
    assert expected in texts(kana), texts(kana)


def test_readings_are_ranked_not_one() -> None:
    spellings = [text for text, _ in foreign_word_spellings("スミス")]
    assert {"sumis", "smis", "sumisu"} <= set(spellings)
    weights = [weight for _, weight in foreign_word_spellings("スミス")]
    assert weights == sorted(weights, reverse=True)


def test_kana_rules() -> None:
    spelled = {name: [t for t, _ in foreign_word_spellings(name)] for name in
               ("ヴィクトル", "ティム", "ディナ", "ファハド", "キャット", "カーター")}  # fmt: skip
    assert spelled["ヴィクトル"][0].startswith("vik")  # ヴ = v
    assert "tim" in spelled["ティム"] and "dina" in spelled["ディナ"]  # ティ, ディ
    assert "fahad" in spelled["ファハド"]  # ファ
    assert "kyat" in spelled["キャット"] and "kyatt" in spelled["キャット"]  # ッ: short or doubled
    assert "kata" in spelled["カーター"] and "katar" in spelled["カーター"]  # ー: long vowel or r


def test_katakana_ranks_the_foreign_reading_first_hiragana_the_japanese() -> None:
    assert romanise("キム")[0].method == "kana, as a foreign name"
    assert romanise("やまだ たろう")[0].text == "yamada tarou"
