"""The OFAC advanced XML reader, on a hand-written fixture and the real cons_advanced.xml."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from core.model import DateKind, IdType, Kind, NameRole
from indexer.errors import ListFormatError
from indexer.parsers.ofac_advanced_xml import parse_ofac_advanced_xml
from indexer.parsers.ofac_xml import parse_ofac_xml
from tests.conftest import FIXTURES, shared_list
from tests.indexer.parsers.bad_xml import bad_files

FIXTURE = FIXTURES / "us-ofac-cons" / "advanced" / "sdn_advanced.xml"


def test_fixture_ids_kinds_and_publication() -> None:
    parsed = parse_ofac_advanced_xml(FIXTURE.parent, "us-ofac-sdn")
    assert parsed.published == date(2025, 2, 14)
    assert [(e.id, e.kind) for e in parsed.entities] == [
        ("us-ofac-sdn:1001", Kind.PERSON),
        ("us-ofac-sdn:1002", Kind.VESSEL),
    ]


def test_original_script_names_keep_their_alias_role_and_get_a_script() -> None:
    person = parse_ofac_advanced_xml(FIXTURE, "us-ofac-sdn").entities[0]
    assert [(n.full, n.role, n.script) for n in person.names] == [
        ("Ivan Petrovich SIDOROV", NameRole.PRIMARY, "Latn"),
        ("Иван Петрович СИДОРОВ", NameRole.PRIMARY, "Cyrl"),
        ("Ivan SIDOROFF", NameRole.AKA, "Latn"),
        ("إيفان سيدوروف", NameRole.AKA, "Arab"),
        ("VANYA", NameRole.WEAK, "Latn"),
        ("Ivan PETROV", NameRole.FKA, "Latn"),
    ]
    cyrillic = person.names[1]
    assert (cyrillic.given, cyrillic.family) == ("Иван Петрович", "СИДОРОВ")
    assert person.primary_name == "Ivan Petrovich SIDOROV"


def test_date_periods_become_exact_circa_and_range() -> None:
    person = parse_ofac_advanced_xml(FIXTURE, "us-ofac-sdn").entities[0]
    assert [(d.value, d.kind, d.end, d.text) for d in person.birth_dates] == [
        ("1960-01-01", DateKind.EXACT, None, "01 Jan 1960"),
        ("1960", DateKind.CIRCA, None, "circa 1960"),
        ("1955", DateKind.RANGE, "1958", "1955 to 1958"),
    ]


def test_features_documents_locations_and_sanctions_entries() -> None:
    person = parse_ofac_advanced_xml(FIXTURE, "us-ofac-sdn").entities[0]
    assert person.gender == "male"
    assert [(c.name, c.code) for c in person.nationalities] == [("Russia", "RU")]
    assert person.birth_places[0].country_code == "RU"
    address = person.addresses[0]
    assert (address.full, address.country_code) == ("Ul. Tverskaya 1, Moscow, Russia", "RU")
    passport = person.identifiers[0]
    assert (passport.type, passport.value, passport.country_code, passport.note) == (
        IdType.PASSPORT,
        "753123456",
        "RU",
        "Issue Date 01 Mar 2015",
    )
    assert person.programs == ["RUSSIA-EO14024"]
    assert person.listed_on == "2022-03-11"  # the earlier of its two entry events
    assert person.remarks == "Test person with names in two scripts."


def test_vessel_features_and_relationship() -> None:
    vessel = parse_ofac_advanced_xml(FIXTURE, "us-ofac-sdn").entities[1]
    assert {(i.type, i.value) for i in vessel.identifiers} == {
        (IdType.IMO, "9187629"),
        (IdType.OTHER, "9HA1234"),
    }
    assert vessel.properties["vessel_flag"] == ["Panama"]
    assert vessel.properties["vessel_type"] == ["Crude Oil Tanker"]
    assert vessel.properties["owned_or_controlled_by"] == ["us-ofac-sdn:1001"]
    assert vessel.programs == ["IRAN"]


def test_same_party_same_entity_as_sdn_xml() -> None:
    """The fixtures describe the same two parties; the facts both formats carry agree."""
    advanced = {e.id: e for e in parse_ofac_advanced_xml(FIXTURE, "us-ofac-sdn").entities}
    xml = {
        e.id: e
        for e in parse_ofac_xml(
            FIXTURES / "us-ofac-cons" / "xml" / "SDN.XML", "us-ofac-sdn"
        ).entities
    }
    for entity_id, entity in advanced.items():
        other = xml[entity_id]
        assert entity.kind is other.kind
        latin = {(n.full, n.role) for n in entity.names if n.script == "Latn"}
        assert latin == {(n.full, n.role) for n in other.names}
        assert {(d.value, d.kind, d.end) for d in entity.birth_dates} == {
            (d.value, d.kind, d.end) for d in other.birth_dates
        }
        assert entity.gender == other.gender


@pytest.mark.parametrize("case", ["truncated", "empty", "html", "doctype"])
def test_bad_input_is_refused_naming_file_and_place(case: str, tmp_path: Path) -> None:
    bad = bad_files(FIXTURE, tmp_path, "sdn_advanced.xml")[case]
    with pytest.raises(ListFormatError) as info:
        parse_ofac_advanced_xml(bad, "us-ofac-sdn")
    assert info.value.path == str(bad)
    if case != "empty":
        assert info.value.where is not None and info.value.where.startswith(("line", "start"))


def test_sdn_xml_is_not_taken_for_advanced() -> None:
    with pytest.raises(ListFormatError, match="root element is <sdnList>"):
        parse_ofac_advanced_xml(FIXTURES / "us-ofac-cons" / "xml" / "SDN.XML", "us-ofac-sdn")


def test_real_cons_advanced_counts_kinds_and_scripts() -> None:
    path = shared_list("us-ofac-cons", "2020-03-17", "cons_advanced.xml")
    raw = path.read_text("utf-8")
    parsed = parse_ofac_advanced_xml(path, "us-ofac-cons")
    assert parsed.published == date(2020, 3, 17)
    assert len(parsed.entities) == raw.count("<DistinctParty ") == 375
    fixed_refs = re.findall(r'<DistinctParty FixedRef="(\d+)"', raw)
    assert [e.record_id for e in parsed.entities] == fixed_refs
    kinds = Counter(e.kind for e in parsed.entities)
    # Sub-type 4 is "Unknown" under party type 1 (Individual), 3 under 2 (Entity).
    assert kinds[Kind.PERSON] == raw.count('PartySubTypeID="4"')
    assert kinds[Kind.ORGANIZATION] == raw.count('PartySubTypeID="3"')
    assert sum(len(e.names) for e in parsed.entities) == raw.count("<DocumentedName ")
    weak = sum(1 for e in parsed.entities for n in e.names if n.role is NameRole.WEAK)
    assert weak == len(re.findall(r'<Alias [^>]*LowQuality="true"', raw))
    # Names by script: every documented name's script is the one its ScriptID names.
    script_ids = Counter(
        re.findall(r'<DocumentedNamePart>\s*<NamePartValue [^>]*ScriptID="(\d+)"', raw)
    )
    by_script = Counter(n.script for e in parsed.entities for n in e.names)
    assert by_script["Latn"] == raw.count("<DocumentedName ") - sum(
        count for script_id, count in script_ids.items() if script_id != "215"
    )
    # This 2020 snapshot holds Latin names only: its ScriptValues list Latin alone.
    assert set(by_script) == {"Latn"}
    assert sum(len(e.birth_dates) for e in parsed.entities) == len(
        re.findall(r'FeatureTypeID="8"', raw)
    )
    assert all(e.listed_on and e.programs for e in parsed.entities)


def test_real_advanced_agrees_with_consolidated_xml_on_shared_parties() -> None:
    advanced = parse_ofac_advanced_xml(
        shared_list("us-ofac-cons", "2020-03-17", "cons_advanced.xml"), "us-ofac-cons"
    )
    xml = parse_ofac_xml(
        shared_list("us-ofac-cons", "2025-03-28", "CONSOLIDATED.XML"), "us-ofac-cons"
    )
    by_id = {e.id: e for e in xml.entities}
    shared = [e for e in advanced.entities if e.id in by_id]
    assert len(shared) >= 0.9 * len(advanced.entities)
    same_kind = sum(1 for e in shared if e.kind is by_id[e.id].kind)
    assert same_kind == len(shared)
    same_dob = sum(
        1
        for e in shared
        if [d.value for d in e.birth_dates] == [d.value for d in by_id[e.id].birth_dates]
    )
    assert same_dob == len(shared)
