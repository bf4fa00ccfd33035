"""Identifier normalisation: two lists' ways of writing one number give one key."""

from __future__ import annotations

import pytest

from core.identifiers import identifier_keys, imo_check_digit_ok, normalise_identifier, split_key
from core.model import Identifier, IdType


def key(kind: IdType, value: str, **extra: str) -> str | None:
    return normalise_identifier(Identifier(kind, value, **extra))


@pytest.mark.parametrize("value", ["9187629", "IMO 9187629", "IMO: 9187629.", "918 7629"])
def test_imo_numbers_are_their_seven_digits(value: str) -> None:
    assert key(IdType.IMO, value) == "imo:9187629"


def test_imo_check_digit() -> None:
    assert imo_check_digit_ok("9187629")
    assert imo_check_digit_ok("7406784")
    assert not imo_check_digit_ok("9187628")  # one digit off: not an IMO number
    assert key(IdType.IMO, "9187628") is None
    assert key(IdType.IMO, "918762") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("BMJIIRTH", "swift_bic:BMJIIRTH"),
        ("bmji irth", "swift_bic:BMJIIRTH"),
        ("BMJIIRTHXXX", "swift_bic:BMJIIRTH"),  # the head office of the 8-character code
        ("BMJIIRTH123", "swift_bic:BMJIIRTH123"),  # a branch stays a branch
        ("BMJIZZTH", None),  # ZZ is no country
        ("BMJIIRT", None),
    ],
)
def test_bic_lengths_and_branches(value: str, expected: str | None) -> None:
    assert key(IdType.SWIFT_BIC, value) == expected


def test_passport_spaces_dashes_dots_and_case_compare_equal() -> None:
    forms = ["H 236483", "H236483", "h-236483", "H.236483"]
    keys = {key(IdType.PASSPORT, form, country_code="MA") for form in forms}
    assert keys == {"passport:MA:H236483"}


def test_country_scoped_key_carries_the_country_from_wherever_the_list_writes_it() -> None:
    assert key(IdType.PASSPORT, "A1234567", country="Iran") == "passport:IR:A1234567"
    assert key(IdType.PASSPORT, "R00005943, South Sudan") == "passport:SS:R00005943"
    assert key(IdType.NATIONAL_ID, "261122400761", note="Kuwait") == "national_id:KW:261122400761"
    assert key(IdType.PASSPORT, "A1234567") == "passport::A1234567"


def test_labels_brackets_and_dates_are_not_the_number() -> None:
    assert key(IdType.PASSPORT, "381110042 (Expired 25 Jan. 2016)") == "passport::381110042"
    assert key(IdType.REGISTRATION, "UK Company no. 06527449") == "registration::6527449"
    text = "national identity card number 44103-5251752-5"
    assert key(IdType.NATIONAL_ID, text, country_code="PK") == "national_id:PK:4410352517525"
    assert key(IdType.PASSPORT, "issued 1995-06-28") is None


def test_all_digit_numbers_lose_leading_zeros() -> None:
    assert key(IdType.PASSPORT, "00490327") == key(IdType.PASSPORT, "490327")


def test_one_value_can_hold_several_numbers() -> None:
    value = "License number: 328 INN: 7831000122 OGRN: 1027800000084"
    assert identifier_keys(Identifier(IdType.REGISTRATION, value, country_code="RU")) == (
        "registration:RU:7831000122",
        "registration:RU:1027800000084",
    )


@pytest.mark.parametrize("value", ["", "N/A", "unknown", "000000", "1111111", "4302", "-"])
def test_weak_values_give_no_key(value: str) -> None:
    assert key(IdType.PASSPORT, value) is None


def test_types_that_do_not_name_one_party_give_no_key() -> None:
    assert key(IdType.EMAIL, "info@example.com") is None
    assert key(IdType.PHONE, "+98 21 1234 5678") is None
    assert key(IdType.OTHER, "12345678") is None


def test_aircraft_serials_and_tails() -> None:
    assert key(IdType.AIRCRAFT_TAIL, "RA-65690") == "aircraft_tail:RA65690"
    assert key(IdType.AIRCRAFT_SERIAL, "45-389") == "aircraft_serial:45389"
    assert key(IdType.AIRCRAFT_SERIAL, "175") is None  # a line number, shared by many types


def test_mmsi_is_nine_digits() -> None:
    assert key(IdType.MMSI, "677049700") == "mmsi:677049700"
    assert key(IdType.MMSI, "67704970") is None


def test_split_key() -> None:
    assert split_key("passport:IR:A1234567") == ("passport", "IR", "A1234567")
    assert split_key("passport::A1234567") == ("passport", "", "A1234567")
    assert split_key("imo:9187629") == ("imo", "", "9187629")
