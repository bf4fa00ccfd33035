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


def test_spelling_folds_are_keys() -> None:
    assert "f:ivanuv" in keys("IWANOW") & keys("Ivanov")
    assert keys("Janukowytsch") & keys("YANUKOVYCH")


def test_one_typo_shares_a_deletion_key() -> None:
    listed = keys("ROSOBORONEXPORT")
    for typo in ("ROSOBORONEXPRT", "ROSOBORONEXXPORT", "ROSOBIRONEXPORT", "ROSOBORNOEXPORT"):
        assert {k for k in keys(typo) & listed if k.startswith("d:")}, typo
    assert not {k for k in keys("Kim") if k.startswith("d:")}  # too short to have any


def test_the_ends_of_a_long_word_are_a_key() -> None:
    # three letters off (Росрбонэкспорт): only the ends are left in common
    assert "e:ros_ort" in keys("rosrboneksport") & keys("Rosoboroneksport")
