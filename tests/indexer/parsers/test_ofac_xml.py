"""The SDN.XML-schema reader, on a hand-written fixture and the real CONSOLIDATED.XML."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from core.model import DateKind, IdType, Kind, NameRole
from indexer.errors import ListFormatError
from indexer.parsers.ofac_xml import parse_ofac_xml
from tests.conftest import FIXTURES, shared_list
from tests.indexer.parsers.bad_xml import bad_files

FIXTURE = FIXTURES / "us-ofac-cons" / "xml" / "SDN.XML"


@pytest.fixture(scope="module")
def parsed_fixture() -> dict[str, object]:
    parsed = parse_ofac_xml(FIXTURE, "us-ofac-sdn")
    return {"list": parsed, **{e.record_id: e for e in parsed.entities}}


def test_fixture_publication_and_ids() -> None:
    parsed = parse_ofac_xml(FIXTURE.parent, "us-ofac-sdn")
    assert parsed.published == date(2025, 2, 14)
    assert [e.id for e in parsed.entities] == [
        "us-ofac-sdn:1001",
        "us-ofac-sdn:1002",
        "us-ofac-sdn:1003",
        "us-ofac-sdn:1004",
    ]
    assert [e.kind for e in parsed.entities] == [
        Kind.PERSON,
        Kind.VESSEL,
        Kind.AIRCRAFT,
        Kind.ORGANIZATION,
    ]
    assert parsed.files[0].size == FIXTURE.stat().st_size


def test_person_names_and_roles() -> None:
    person = parse_ofac_xml(FIXTURE, "us-ofac-sdn").entities[0]
    assert [(n.full, n.role) for n in person.names] == [
        ("Ivan Petrovich SIDOROV", NameRole.PRIMARY),
        ("Ivan SIDOROFF", NameRole.AKA),
        ("VANYA", NameRole.WEAK),
        ("Ivan PETROV", NameRole.FKA),
    ]
    primary = person.names[0]
    assert (primary.given, primary.family, primary.script) == ("Ivan Petrovich", "SIDOROV", "Latn")
    assert person.properties["title"] == ["Director General"]
    assert person.programs == ["RUSSIA-EO14024", "UKRAINE-EO13661"]
    assert person.remarks == "Test person with several dates of birth."


def test_several_dates_of_birth_main_entry_first() -> None:
    person = parse_ofac_xml(FIXTURE, "us-ofac-sdn").entities[0]
    assert [(d.value, d.kind, d.end) for d in person.birth_dates] == [
        ("1960-01-01", DateKind.EXACT, None),
        ("1960", DateKind.CIRCA, None),
        ("1955", DateKind.RANGE, "1958"),
    ]
    assert person.birth_dates[1].text == "circa 1960"
    assert person.birth_places[0].full == "Leningrad, Russia"
    assert person.birth_places[0].country_code == "RU"


def test_person_identifiers_facts_and_countries() -> None:
    person = parse_ofac_xml(FIXTURE, "us-ofac-sdn").entities[0]
    by_label = {i.label: i for i in person.identifiers}
    assert set(by_label) == {"Passport", "Tax ID No.", "Email Address"}
    passport = by_label["Passport"]
    assert (passport.type, passport.value, passport.country_code) == (
        IdType.PASSPORT,
        "753123456",
        "RU",
    )
    assert passport.note == "issued 01 Mar 2015; expires 01 Mar 2025"
    assert by_label["Tax ID No."].type is IdType.TAX_ID
    assert by_label["Email Address"].type is IdType.EMAIL
    assert person.gender == "male"
    assert person.properties["secondary_sanctions_risk"] == [
        "See Section 11 of Executive Order 14024."
    ]
    assert [(c.name, c.code) for c in person.nationalities] == [("Russia", "RU")]
    assert [(c.name, c.code) for c in person.citizenships] == [("Cyprus", "CY")]
    address = person.addresses[0]
    assert address.street == "Ul. Tverskaya 1, Office 5"
    assert address.full == "Ul. Tverskaya 1, Office 5, Moscow, 125009, Russia"
    assert address.country_code == "RU"


def test_vessel_info_and_vessel_identifiers() -> None:
    vessel = parse_ofac_xml(FIXTURE, "us-ofac-sdn").entities[1]
    assert vessel.primary_name == "NORTHERN STAR"
    assert [(n.full, n.role) for n in vessel.names][1] == ("SOUTHERN STAR", NameRole.FKA)
    ids = {(i.type, i.value, i.label) for i in vessel.identifiers}
    assert ids == {
        (IdType.IMO, "9187629", "Vessel Registration Identification"),
        (IdType.MMSI, "572469210", "MMSI"),
        (IdType.OTHER, "9HA1234", "Vessel Call Sign"),
    }
    assert vessel.properties == {
        "vessel_type": ["Crude Oil Tanker"],
        "vessel_flag": ["Panama"],
        "vessel_owner": ["EXAMPLE SHIPPING LTD"],
        "vessel_tonnage": ["150000"],
        "vessel_gross_registered_tonnage": ["81000"],
    }


def test_aircraft_and_entity_identifiers() -> None:
    parsed = parse_ofac_xml(FIXTURE, "us-ofac-sdn")
    aircraft, company = parsed.entities[2], parsed.entities[3]
    assert {i.type for i in aircraft.identifiers} == {
        IdType.AIRCRAFT_SERIAL,
        IdType.AIRCRAFT_TAIL,
    }
    types = {i.label: i.type for i in company.identifiers}
    assert types == {
        "Digital Currency Address - XBT": IdType.CRYPTO_WALLET,
        "SWIFT/BIC": IdType.SWIFT_BIC,
        "Website": IdType.WEBSITE,
        "National ID No.": IdType.NATIONAL_ID,
    }
    assert company.addresses[0].full == "Riga, Riga Region, Latvia"
    assert company.addresses[0].street is None


@pytest.mark.parametrize("case", ["truncated", "empty", "html", "doctype"])
def test_bad_input_is_refused_naming_file_and_place(case: str, tmp_path: Path) -> None:
    bad = bad_files(FIXTURE, tmp_path, "sdn.xml")[case]
    with pytest.raises(ListFormatError) as info:
        parse_ofac_xml(bad, "us-ofac-sdn")
    assert info.value.path == str(bad)
    if case != "empty":
        assert info.value.where is not None and info.value.where.startswith(("line", "start"))


def test_record_count_mismatch_is_refused(tmp_path: Path) -> None:
    text = FIXTURE.read_text("utf-8").replace("<Record_Count>4<", "<Record_Count>5<")
    bad = tmp_path / "sdn.xml"
    bad.write_text(text, "utf-8")
    with pytest.raises(ListFormatError, match="Record_Count says 5"):
        parse_ofac_xml(bad, "us-ofac-sdn")


@pytest.mark.parametrize(("snapshot", "entries"), [("2025-03-28", 443), ("2026-01-08", 442)])
def test_real_consolidated_counts_and_kinds(snapshot: str, entries: int) -> None:
    path = shared_list("us-ofac-cons", snapshot, "CONSOLIDATED.XML")
    raw = path.read_text("utf-8")
    parsed = parse_ofac_xml(path, "us-ofac-cons")
    assert len(parsed.entities) == raw.count("<sdnEntry>") == entries
    kinds = {kind: 0 for kind in Kind}
    for entity in parsed.entities:
        kinds[entity.kind] += 1
    assert kinds[Kind.PERSON] == raw.count("<sdnType>Individual</sdnType>")
    assert kinds[Kind.ORGANIZATION] == raw.count("<sdnType>Entity</sdnType>")
    uids = re.findall(r"<sdnEntry>\s*<uid>(\d+)</uid>", raw)
    assert [e.record_id for e in parsed.entities] == uids
    names = sum(len(e.names) for e in parsed.entities)
    assert names == raw.count("<sdnEntry>") + raw.count("<aka>")
    weak = sum(1 for e in parsed.entities for n in e.names if n.role is NameRole.WEAK)
    assert weak == raw.count("<category>weak</category>")
    dobs = sum(len(e.birth_dates) for e in parsed.entities)
    assert dobs == raw.count("<dateOfBirth>")
    assert parsed.published is not None and parsed.published.isoformat() == snapshot
