"""The OFAC enhanced XML reader, on a hand-written fixture and the real CONS_ENHANCED.XML."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from core.model import DateKind, IdType, Kind, NameRole
from indexer.errors import ListFormatError
from indexer.parsers.ofac_enhanced_xml import parse_ofac_enhanced_xml
from indexer.parsers.ofac_xml import parse_ofac_xml
from tests.conftest import FIXTURES, shared_list
from tests.indexer.parsers.bad_xml import bad_files

FIXTURE = FIXTURES / "us-ofac-cons" / "enhanced" / "SDN_ENHANCED.XML"
SDN_XML = FIXTURES / "us-ofac-cons" / "xml" / "SDN.XML"


def test_fixture_ids_kinds_and_publication() -> None:
    parsed = parse_ofac_enhanced_xml(FIXTURE.parent, "us-ofac-sdn")
    assert parsed.published == date(2025, 2, 14)
    assert [(e.id, e.kind) for e in parsed.entities] == [
        ("us-ofac-sdn:1001", Kind.PERSON),
        ("us-ofac-sdn:1002", Kind.VESSEL),
    ]


def test_translations_become_names_with_their_script() -> None:
    person = parse_ofac_enhanced_xml(FIXTURE, "us-ofac-sdn").entities[0]
    assert [(n.full, n.role, n.script) for n in person.names] == [
        ("Ivan Petrovich SIDOROV", NameRole.PRIMARY, "Latn"),
        ("Иван Петрович СИДОРОВ", NameRole.PRIMARY, "Cyrl"),
        ("Ivan SIDOROFF", NameRole.AKA, "Latn"),
        ("إيفان سيدوروف", NameRole.AKA, "Arab"),
        ("VANYA", NameRole.WEAK, "Latn"),
        ("Ivan PETROV", NameRole.FKA, "Latn"),
    ]
    assert person.names[0].patronymic == "Petrovich"


def test_birth_dates_from_text_or_bounds_primary_first() -> None:
    person = parse_ofac_enhanced_xml(FIXTURE, "us-ofac-sdn").entities[0]
    assert [(d.value, d.kind, d.end) for d in person.birth_dates] == [
        ("1960-01-01", DateKind.EXACT, None),
        ("1960", DateKind.CIRCA, None),
        ("1955", DateKind.RANGE, "1958"),  # its text is not a date: read from the bounds
    ]


def test_features_documents_addresses() -> None:
    person = parse_ofac_enhanced_xml(FIXTURE, "us-ofac-sdn").entities[0]
    assert person.gender == "male"
    assert [(c.name, c.code) for c in person.nationalities] == [("Russia", "RU")]
    assert [(c.name, c.code) for c in person.citizenships] == [("Cyprus", "CY")]
    assert [a.full for a in person.addresses] == [
        "Ul. Tverskaya 1, Office 5, Moscow, 125009, Russia"
    ]
    by_label = {i.label: i for i in person.identifiers}
    assert by_label["Passport"].type is IdType.PASSPORT
    assert by_label["Passport"].country_code == "RU"
    assert by_label["Tax ID No."].note == "fraudulent"
    assert by_label["Email Address"].type is IdType.EMAIL
    assert person.listed_on == "2022-03-11"
    assert person.remarks == "Test person with several dates of birth."


def test_vessel() -> None:
    vessel = parse_ofac_enhanced_xml(FIXTURE, "us-ofac-sdn").entities[1]
    assert vessel.primary_name == "NORTHERN STAR"
    assert {(i.type, i.value) for i in vessel.identifiers} == {
        (IdType.IMO, "9187629"),
        (IdType.MMSI, "572469210"),
        (IdType.OTHER, "9HA1234"),
    }
    assert vessel.properties["vessel_flag"] == ["Panama"]
    assert vessel.properties["owned_or_controlled_by"] == ["us-ofac-sdn:1001"]


def test_same_party_same_entity_as_sdn_xml() -> None:
    enhanced = parse_ofac_enhanced_xml(FIXTURE, "us-ofac-sdn").entities[0]
    xml = parse_ofac_xml(SDN_XML, "us-ofac-sdn").entities[0]
    assert enhanced.id == xml.id
    latin = [(n.full, n.role) for n in enhanced.names if n.script == "Latn"]
    assert latin == [(n.full, n.role) for n in xml.names]
    assert [(d.value, d.kind, d.end) for d in enhanced.birth_dates] == [
        (d.value, d.kind, d.end) for d in xml.birth_dates
    ]
    assert enhanced.programs == xml.programs
    assert enhanced.addresses == xml.addresses
    assert enhanced.birth_places == xml.birth_places
    assert {(i.type, i.value) for i in enhanced.identifiers} == {
        (i.type, i.value) for i in xml.identifiers
    }


@pytest.mark.parametrize("case", ["truncated", "empty", "html", "doctype"])
def test_bad_input_is_refused_naming_file_and_place(case: str, tmp_path: Path) -> None:
    bad = bad_files(FIXTURE, tmp_path, "sdn_enhanced.xml")[case]
    with pytest.raises(ListFormatError) as info:
        parse_ofac_enhanced_xml(bad, "us-ofac-sdn")
    assert info.value.path == str(bad)
    if case != "empty":
        assert info.value.where is not None and info.value.where.startswith(("line", "start"))


def test_real_cons_enhanced_counts_kinds_and_scripts() -> None:
    path = shared_list("us-ofac-cons", "2025-01-10", "CONS_ENHANCED.XML")
    raw = path.read_text("utf-8")
    parsed = parse_ofac_enhanced_xml(path, "us-ofac-cons")
    assert parsed.published == date(2025, 1, 10)
    assert len(parsed.entities) == raw.count("<entity ") == 443
    assert [e.record_id for e in parsed.entities] == re.findall(r'<entity id="(\d+)"', raw)
    kinds = Counter(e.kind for e in parsed.entities)
    assert kinds[Kind.PERSON] == raw.count(">Individual</entityType>")
    assert kinds[Kind.ORGANIZATION] == raw.count(">Entity</entityType>")
    # Names by script: count the name translations (those with a formattedFullName).
    raw_scripts = Counter(re.findall(r'<script refId="\d+">([^<]+)</script>\s*<formatted', raw))
    by_script = Counter(n.script for e in parsed.entities for n in e.names)
    assert by_script == {
        "Latn": raw_scripts["Latin"],
        "Cyrl": raw_scripts["Cyrillic"],
        "Hans": raw_scripts["Chinese Simplified"],
        "Hant": raw_scripts["Chinese Traditional"],
    }
    assert by_script["Cyrl"] > 0 and by_script["Hans"] > 0
    weak = sum(1 for e in parsed.entities for n in e.names if n.role is NameRole.WEAK)
    name_blocks = re.findall(r"<name id=.*?</name>\s*(?=<name id=|</names>)", raw, re.S)
    weak_translations = sum(
        block.count("<formattedFullName>")
        for block in name_blocks
        if "<isLowQuality>true</isLowQuality>" in block
    )
    assert weak == weak_translations


def test_real_enhanced_ids_agree_with_consolidated_xml() -> None:
    enhanced = parse_ofac_enhanced_xml(
        shared_list("us-ofac-cons", "2025-01-10", "CONS_ENHANCED.XML"), "us-ofac-cons"
    )
    xml = parse_ofac_xml(
        shared_list("us-ofac-cons", "2025-03-28", "CONSOLIDATED.XML"), "us-ofac-cons"
    )
    by_id = {e.id: e for e in xml.entities}
    shared = [e for e in enhanced.entities if e.id in by_id]
    assert len(shared) >= 0.95 * len(enhanced.entities)
    assert all(e.kind is by_id[e.id].kind for e in shared)
    same_primary = sum(1 for e in shared if e.primary_name == by_id[e.id].primary_name)
    assert same_primary >= 0.95 * len(shared)
    same_latin_names = sum(
        1
        for e in shared
        if sorted(n.full for n in e.names if n.script == "Latn")
        == sorted(n.full for n in by_id[e.id].names)
    )
    assert same_latin_names >= 0.95 * len(shared)
