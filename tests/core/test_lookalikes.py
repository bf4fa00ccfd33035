"""Look-alike letters: a word mixing scripts is read in the script its twins allow."""

from __future__ import annotations

import pytest

from core.lookalikes import word_readings
from core.normalise import alternative_reading, normalise
from core.translit import romanisations


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Cyrillic В, А, К, М, Е in a Latin name: N, L, I, R have no Cyrillic twin.
        ("ВАNК МЕLLI IRАN", "bank melli iran"),
        # Cyrillic А Е О С В in AEROCARIBBEAN AIRLINES (R, I, N, L, S are Latin)
        ("АЕRОСАRIВВЕАN АIRLINЕS", "aerocaribbean airlines"),
        # Greek capitals: Ν is N (its small letter ν would be a v)
        ("ΑΕRΟCΑRΙΒΒΕΑΝ ΑΙRLΙΝΕS", "aerocaribbean airlines"),
        ("Рutin", "putin"),
        # the UK's Latin I inside a Belarusian name stays Cyrillic: З and Ч have no twin
        ("КАЗАКЕВIЧ", "казакевіч"),
        ("Сергей", "сергей"),  # one script: untouched
        ("OOO Газпром", "ooo газпром"),  # whole words in each script stay as they are
    ],
)
def test_a_mixed_word_takes_the_reading_its_look_alikes_allow(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_greek_small_nu_is_a_latin_v() -> None:
    assert word_readings("νodka")[0] == "vodka"


def test_a_word_that_reads_both_ways_offers_the_other_reading() -> None:
    # С, А, Р, Н Cyrillic and a Latin A: Cyrillic "саран" by majority, Latin "capah" too
    assert normalise("САРAН") == "саран"
    assert alternative_reading("САРAН") == "capah"
    assert alternative_reading("КАЗАКЕВIЧ") is None  # only Cyrillic is possible
    assert alternative_reading("Bank Melli") is None
    texts = [rom.text for rom in romanisations("САРAН")]
    assert texts[0] == "saran" and "capah" in texts
