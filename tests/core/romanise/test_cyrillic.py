"""Cyrillic names in the region's other languages: Mongolian, Kazakh."""

from __future__ import annotations

from core.translit import romanisations


def texts(name: str) -> list[str]:
    return [r.text for r in romanisations(name)]


def test_mongolian_names_in_mongolian_spelling() -> None:
    assert "khurelsukh ukhnaa" in texts("Хүрэлсүх Ухнаа")  # ү = u
    assert "jargalsaikhan" in " ".join(texts("Өлзийбаяр Жаргалсайхан"))  # ж = j with ө
    assert "tsakhiagiin elbegdorzh" in texts("Цахиагийн Элбэгдорж")


def test_kazakh_letters_stay_kazakh() -> None:
    assert "nursultan nazarbayev" in texts("Нұрсұлтан Назарбаев")
