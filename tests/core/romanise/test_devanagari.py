"""Devanagari names (India) in the spellings Indian names are written in."""

from __future__ import annotations

import pytest

from core.normalise import normalise
from core.translit import romanisations


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("नरेन्द्र मोदी", "narendra modi"),  # a conjunct keeps its final a
        ("मसूद अज़हर", "masud azhar"),  # final and medial inherent vowels unsaid; ज़ = z
        ("हाफ़िज़ सईद", "hafiz said"),  # फ़ = f
        ("दाऊद इब्राहिम", "daud ibrahim"),
        ("राहुल गांधी", "rahul gandhi"),  # the anusvara after a vowel sign
        ("जैश-ए-मोहम्मद", "jaish e mohammad"),
        ("सलाहुद्दीन", "salahuddin"),
    ],
)
def test_devanagari_names(name: str, expected: str) -> None:
    assert expected in [r.text for r in romanisations(name)], romanisations(name)


def test_the_anusvara_after_a_vowel_sign_survives_normalising() -> None:
    assert normalise("गांधी") == "गांधी"
