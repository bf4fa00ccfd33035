"""Candidate keys: shared by spellings of one name, never deciding a match."""

from __future__ import annotations

from core.keys import PHONETICS, name_keys, phonetic_codes
from core.names import name_tokens


def keys(name: str) -> set[str]:
    return name_keys(name_tokens(name))


def test_spellings_of_one_name_share_keys() -> None:
    assert keys("Mohamed Yousef") & keys("Muhammad YUSUF")
    variant_keys = {k for k in keys("Mohamed") if k.startswith("v:")}
    assert variant_keys and variant_keys <= keys("Muhammad")


def test_glued_and_split_forms_share_keys() -> None:
    assert "n:alqaida" in keys("Al Qa'ida")
    assert keys("ALQAIDA") & keys("Al Qa'ida")
    assert keys("Abdulrahman") & keys("Abd al-Rahman")


def test_phonetic_codes_are_double_metaphone_by_default() -> None:
    assert phonetic_codes("hussein") == phonetic_codes("hassan")  # finds, does not decide
    assert phonetic_codes("ab") == ()  # too short to mean anything
    assert set(PHONETICS) >= {"doublemetaphone", "metaphone", "nysiis", "soundex"}


def test_initials_give_no_keys() -> None:
    assert not {k for k in keys("J") if k.startswith("n:")}
