"""Korean names in Hanja, read as Korean as well as Chinese."""

from __future__ import annotations

import pytest

from core.romanise.hanja import romanise, to_hangul
from core.translit import romanisations


@pytest.mark.parametrize(
    ("hanja", "hangul", "romanised"),
    [
        ("金正恩", "김정은", "kim jong un"),  # 金 is 금 (gold), but 김 as a surname
        ("崔龍海", "최룡해", "choe ryong hae"),
        ("李炳哲", "이병철", "ri pyong chol"),
        ("朴奉珠", "박봉주", "pak pong ju"),
        ("鄭", None, None),  # a surname alone is no name
        ("习近平", None, None),  # 习 is no Korean surname
    ],
)
def test_a_korean_name_in_hanja_reads_as_korean(
    hanja: str, hangul: str | None, romanised: str | None
) -> None:
    assert to_hangul(hanja) == hangul
    texts = [reading.text for reading in romanise(hanja)]
    assert (texts[0] if texts else None) == romanised


def test_korean_surname_spellings_come_from_the_surname_table() -> None:
    texts = [reading.text for reading in romanise("李炳哲", limit=8)]
    assert "lee byong chul" in texts or "lee byongchul" in texts


def test_a_hanja_name_is_read_as_chinese_and_as_korean() -> None:
    texts = [rom.text for rom in romanisations("金正恩", limit=4)]
    assert texts[0] == "jin zhengen"  # Chinese first: 金 is a Chinese surname too
    assert "kim jong un" in texts


def test_simplified_characters_of_a_korean_name_read_too() -> None:
    assert to_hangul("郑明淑") == to_hangul("鄭明淑") == "정명숙"
