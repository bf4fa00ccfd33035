"""Korean names in Revised Romanisation also read as McCune-Reischauer."""

from __future__ import annotations

from core.romanise.korean_latin import mr_reading
from core.translit import romanisations


def test_revised_romanisation_reads_as_mr() -> None:
    assert mr_reading("kim jong eun") == "kim jong un"
    assert mr_reading("gim jeong eun") == "kim jong un"
    assert mr_reading("bak jeong hui") == "pak jong hui"


def test_names_already_in_mr_or_not_korean_are_left_alone() -> None:
    for name in ("kim jong un", "john smith", "dan kim", "ri pyong chol", "kim"):
        assert mr_reading(name) is None, name


def test_the_reading_is_a_second_form() -> None:
    assert [r.text for r in romanisations("Gim Jeong-eun")] == ["gim jeong eun", "kim jong un"]
