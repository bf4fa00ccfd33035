"""Korean names in Cyrillic (Kontsevich and Russian custom) read as McCune-Reischauer."""

from __future__ import annotations

import pytest

from core.romanise.korean_cyrillic import romanise
from core.translit import romanisations


@pytest.mark.parametrize(
    ("cyrillic", "expected"),
    [
        ("ким чен ын", "kim jong un"),
        ("ким чен ир", "kim jong il"),
        ("чхве рён хэ", "choe ryong hae"),
        ("пак пон чжу", "pak pong ju"),
        ("ли пён чхоль", "ri pyong chol"),
        ("ким ченын", "kim jongun"),  # the given name written as one word
    ],
)
def test_korean_names_in_cyrillic(cyrillic: str, expected: str) -> None:
    assert expected in [r.text for r in romanise(cyrillic)]


def test_russian_names_are_not_read_as_korean() -> None:
    assert romanise("владимир путин") == []
    assert romanise("ким петров") == []  # Ким is a surname, but no Korean syllable ends in в


def test_both_readings_are_offered() -> None:
    texts = [r.text for r in romanisations("Ким Чен Ын", limit=4)]
    assert texts[0] == "kim chen yn" and "kim jong un" in texts
