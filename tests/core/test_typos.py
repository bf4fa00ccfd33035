"""The typo generator behind the candidate-recall measurement (indexer.candidate_recall)."""

from __future__ import annotations

import random

import pytest
from rapidfuzz.distance import OSA

from core.scripts import char_script
from core.typos import KINDS, one_typo


@pytest.mark.parametrize(
    ("name", "script"),
    [("Rosoboronexport", "Latn"), ("Рособоронэкспорт", "Cyrl"), ("محمد يوسف", "Arab")],
)
def test_one_typo_is_one_edit_in_the_names_script(name: str, script: str) -> None:
    rng = random.Random(1)
    for kind in KINDS:
        typo = one_typo(name, script, rng, kind)
        if typo is None:
            continue
        assert typo != name and OSA.distance(typo, name) == 1, (kind, typo)
        assert all(char_script(ch) in (script, None) for ch in typo)


def test_hangul_typos_change_one_jamo() -> None:
    rng = random.Random(2)
    typos = {one_typo("김정은", "Hang", rng, "wrong") for _ in range(20)}
    assert all(t is not None and len(t) == 3 and t != "김정은" for t in typos)
    assert one_typo("김정은", "Hang", rng, "missing") in {"기정은", "김저은", "김정으"}


def test_the_generator_is_seeded() -> None:
    def draw(seed: int) -> list[str | None]:
        rng = random.Random(seed)
        return [one_typo("Rosoboronexport", "Latn", rng) for _ in range(10)]

    assert draw(7) == draw(7)
