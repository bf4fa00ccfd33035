"""The FCDO's UK Sanctions List: the XML and the CSV, hand-written in the published format
(tests/fixtures/uk-fcdo/{xml,csv}: the same six designations, the CSV one row per name,
address, date of birth, nationality and number as the FCDO writes it)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from core.model import AsOfSource, DateValue, IdType, Kind, NameRole
from indexer.errors import ListFormatError
from indexer.parsers.uk_fcdo import parse_uk_fcdo_csv, parse_uk_fcdo_xml
from indexer.registry import get_source, parse_list
from tests.conftest import FIXTURES

XML = FIXTURES / "uk-fcdo" / "xml"
CSV = FIXTURES / "uk-fcdo" / "csv"
HEADER = (
    (FIXTURES / "uk-fcdo" / "csv" / "UK-Sanctions-List.csv")
    .read_text(encoding="utf-8")
    .splitlines()[1]
)


@pytest.fixture(scope="module", params=["xml", "csv"])
def parsed(request: pytest.FixtureRequest) -> dict[str, object]:
    folder = XML if request.param == "xml" else CSV
    result = parse_list("uk-fcdo", folder)
    return {"format": request.param, "list": result, "by_id": {e.id: e for e in result.entities}}


def test_both_formats_are_read_with_the_publication_date(parsed: dict[str, object]) -> None:
    result = parsed["list"]
    assert result.format == f"fcdo-{parsed['format']}"  # type: ignore[attr-defined]
    assert result.published == date(2026, 10, 8)  # type: ignore[attr-defined]
    assert result.as_of_source is AsOfSource.PUBLISHER  # type: ignore[attr-defined]
    ids = [e.record_id for e in result.entities]  # type: ignore[attr-defined]
    assert ids == ["AFG0006", "RUS1777", "AFG0001", "CYB0031", "RUS2176", "DPR0260"]


def test_an_individual_with_every_name_type_and_its_details(parsed: dict[str, object]) -> None:
    akhund = parsed["by_id"]["uk-fcdo:AFG0006"]  # type: ignore[index]
    assert akhund.kind is Kind.PERSON
    roles = [(n.full, n.role, n.script) for n in akhund.names]
    assert roles == [
        ("MOHAMMAD HASSAN AKHUND", NameRole.PRIMARY, "Latn"),
        ("Mullah Mohammad Hassan", NameRole.AKA, "Latn"),  # Alias, good quality
        ("MULLAH HASSAN", NameRole.WEAK, "Latn"),  # "ALias", low quality
        ("محمد حسن آخوند", NameRole.ORIGINAL_SCRIPT, "Arab"),
    ]
    primary = akhund.names[0]
    assert (primary.given, primary.middle, primary.family) == ("MOHAMMAD", "HASSAN", "AKHUND")
    assert primary.title == "Mullah"
    assert akhund.names[3].lang == "ps"  # Pashto
    assert akhund.birth_dates == [
        DateValue("1945", text="dd/mm/1945"),
        DateValue("1946", text="dd/mm/1946"),
        DateValue("1958-01-01", text="01/01/1958"),
    ]
    assert [p.full for p in akhund.birth_places] == [
        "Pashmul village, Panjwai District, Kandahar Province, Afghanistan"
    ]
    assert [(c.name, c.code) for c in akhund.nationalities] == [("Afghanistan", "AF")]
    assert akhund.gender == "male"
    assert akhund.programs == ["The Afghanistan (Sanctions) (EU Exit) Regulations 2020"]
    assert akhund.listed_on == "2001-01-25"
    assert akhund.remarks.startswith("A close associate of Mullah Mohammed Omar")
    props = akhund.properties
    assert props["uk_sanctions_list_ref"] == ["AFG0006"]
    assert props["ofsi_group_id"] == ["7172"]
    assert props["un_ref"] == ["TAi.002"]  # as the OFSI parser stores the UN reference
    assert props["designation_source"] == ["UN"]
    assert props["sanctions_imposed"] == ["Asset freeze", "Travel Ban", "Arms embargo"]
    assert props["last_updated"] == ["2026-04-14"]
    assert len(props["position"]) == 2
    assert [a.full for a in akhund.addresses] == ["Kabul, Afghanistan"]


def test_multi_valued_identifiers_nationalities_and_addresses(parsed: dict[str, object]) -> None:
    sidorov = parsed["by_id"]["uk-fcdo:RUS1777"]  # type: ignore[index]
    assert [(n.full, n.role) for n in sidorov.names] == [
        ("Ivan Petrovich SIDOROV", NameRole.PRIMARY),
        ("Ivan Petrovich SIDOROFF", NameRole.AKA),  # Primary Name Variation
        ("Иван Петрович СИДОРОВ", NameRole.ORIGINAL_SCRIPT),
    ]
    assert (sidorov.names[2].script, sidorov.names[2].lang) == ("Cyrl", "ru")
    assert [c.code for c in sidorov.nationalities] == ["RU", "CY"]
    assert [(i.type, i.value, i.note) for i in sidorov.identifiers] == [
        (IdType.PASSPORT, "753123456", "Russian passport"),
        (IdType.PASSPORT, "K00412345", "Cypriot passport, issued 2015"),
        (IdType.NATIONAL_ID, "770123456789", "Tax identification number (INN)"),
    ]
    moscow, limassol = sidorov.addresses
    assert (moscow.street, moscow.city, moscow.postal_code, moscow.country_code) == (
        "Ulitsa Tverskaya 7, Office 12",
        "Moscow",
        "125009",
        "RU",
    )
    assert limassol.country_code == "CY"
    assert sidorov.properties["uk_statement_of_reasons"][0].startswith("Ivan Petrovich SIDOROV")
    assert "un_ref" not in sidorov.properties  # a UK designation


def test_an_entity_with_contacts_registrations_and_its_group(parsed: dict[str, object]) -> None:
    exchange = parsed["by_id"]["uk-fcdo:AFG0001"]  # type: ignore[index]
    assert exchange.kind is Kind.ORGANIZATION
    assert [n.role for n in exchange.names] == [
        NameRole.PRIMARY,
        NameRole.AKA,
        NameRole.AKA,
        NameRole.ORIGINAL_SCRIPT,
    ]
    assert exchange.names[0].family is None  # no name parts claimed for an entity
    assert exchange.names[3].lang == "fa"  # "Persian/Farsi"
    found = [(i.type, i.value) for i in exchange.identifiers]
    assert found == [
        (IdType.PHONE, "+93 799 123 456"),
        (IdType.PHONE, "+971 4 123 4567"),
        (IdType.EMAIL, "info@khairullah-exchange.example"),  # two addresses in one field
        (IdType.EMAIL, "dubai@khairullah-exchange.example"),
        (IdType.WEBSITE, "www.khairullah-exchange.example"),
        (IdType.REGISTRATION, "MSP-044"),
        (IdType.REGISTRATION, "DED 778899"),
    ]
    assert exchange.properties["entity_type"] == ["Money service provider"]
    assert exchange.properties["parent_company"] == ["Haji Khairullah Trading Group"]
    assert len(exchange.properties["subsidiaries"]) == 2
    assert [a.country_code for a in exchange.addresses] == ["AF", "AE"]


def test_a_new_designation_in_chinese_without_an_ofsi_group(parsed: dict[str, object]) -> None:
    company = parsed["by_id"]["uk-fcdo:CYB0031"]  # type: ignore[index]
    assert "ofsi_group_id" not in company.properties
    original = company.names[-1]
    assert (original.full, original.script, original.lang) == (
        "上海华云网络科技有限公司",
        "Hani",
        "zh",
    )
    assert company.addresses[0].postal_code == "200120"


def test_a_ship_with_its_particulars(parsed: dict[str, object]) -> None:
    ship = parsed["by_id"]["uk-fcdo:RUS2176"]  # type: ignore[index]
    assert ship.kind is Kind.VESSEL
    assert (ship.identifiers[0].type, ship.identifiers[0].value) == (IdType.IMO, "9826902")
    props = ship.properties
    assert props["vessel_owner"] == ["Stream Ship Management FZCO"]
    assert props["vessel_previous_owner"] == ["Sovcomflot"]
    assert props["vessel_flag"] == ["Gabon"]
    assert props["vessel_previous_flags"] == ["Liberia", "Russia"]
    assert props["vessel_type"] == ["Oil Tanker"]
    assert props["vessel_tonnage"] == ["62,000"]
    assert props["vessel_length"] == ["250"]
    assert props["vessel_year_built"] == ["2019"]
    if parsed["format"] == "csv":  # the CSV's column; the XML has no element for it
        assert ship.identifiers[1].label == "Hull identification number"


def test_a_designation_under_name_variations_only_gets_a_primary_name(
    parsed: dict[str, object],
) -> None:
    ri = parsed["by_id"]["uk-fcdo:DPR0260"]  # type: ignore[index]
    assert [(n.full, n.role) for n in ri.names] == [
        ("Pyong Chol RI", NameRole.PRIMARY),
        ("Byong Chol RI", NameRole.AKA),
        ("리병철", NameRole.ORIGINAL_SCRIPT),
    ]
    assert ri.names[2].script == "Hang" and ri.properties["un_ref"] == ["KPi.048"]


def test_xml_and_csv_give_the_same_entities() -> None:
    """One mapping for both formats: they differ only in what one of them carries (the
    XML's measure flags, the CSV's hull identification number)."""
    xml = parse_uk_fcdo_xml(XML, "uk-fcdo")
    csv = parse_uk_fcdo_csv(CSV, "uk-fcdo")
    for a, b in zip(xml.entities, csv.entities, strict=True):
        left, right = a.to_dict(), b.to_dict()
        left["properties"].pop("measures", None)
        right["identifiers"] = [i for i in right["identifiers"] if "Hull" not in (i["label"] or "")]
        assert left == right, a.id
    measures = xml.entities[0].properties["measures"]
    assert measures == ["asset_freeze", "arms_embargo", "travel_ban"]  # "true" flags only


def test_the_format_follows_the_files_present(tmp_path: Path) -> None:
    source = get_source("uk-fcdo")
    assert source.format_for(XML).name == "fcdo-xml"
    assert source.format_for(CSV).name == "fcdo-csv"
    assert source.succeeds is not None and source.succeeds.list_id == "gb-ofsi"
    assert get_source("gb-ofsi").retired and get_source("gb-ofsi").successor == "uk-fcdo"


def test_the_csv_header_of_earlier_files_is_read_too(tmp_path: Path) -> None:
    text = (CSV / "UK-Sanctions-List.csv").read_text(encoding="utf-8")
    older = text.replace(",Designation Type,", ',"Individual, Entity, Ship",', 1)
    (tmp_path / "UK-Sanctions-List.csv").write_text(older, encoding="utf-8")
    assert len(parse_uk_fcdo_csv(tmp_path, "uk-fcdo").entities) == 6


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "<ConsolidatedList><Designation/></ConsolidatedList>",
            "root element is <ConsolidatedList>",
        ),
        ("<Designations><Designation><Names/></Designation></Designations>", "without a UniqueID"),
        (
            "<Designations><Designation><UniqueID>X1</UniqueID><IndividualEntityShip>Aircraft"
            "</IndividualEntityShip><Names><Name><Name6>A</Name6></Name></Names>"
            "</Designation></Designations>",
            "unknown designation type 'Aircraft'",
        ),
        (
            "<Designations><Designation><UniqueID>X1</UniqueID><IndividualEntityShip>Entity"
            "</IndividualEntityShip></Designation></Designations>",
            "without a name",
        ),
        (
            "<Designations><DateGenerated>01/01/2026</DateGenerated></Designations>",
            "no designations",
        ),
        ("<Designations><Designation><UniqueID>X1", "broken XML"),
    ],
)
def test_broken_xml_is_refused_naming_the_problem(tmp_path: Path, body: str, message: str) -> None:
    (tmp_path / "UK-Sanctions-List.xml").write_text(body, encoding="utf-8")
    with pytest.raises(ListFormatError, match=message):
        parse_uk_fcdo_xml(tmp_path, "uk-fcdo")


def test_a_duplicate_unique_id_is_refused(tmp_path: Path) -> None:
    one = "<Designation><UniqueID>X1</UniqueID><IndividualEntityShip>Entity</IndividualEntityShip>"
    one += "<Names><Name><Name6>A</Name6><NameType>Primary Name</NameType></Name></Names>"
    one += "</Designation>"
    (tmp_path / "UK-Sanctions-List.xml").write_text(f"<Designations>{one}{one}</Designations>")
    with pytest.raises(ListFormatError, match="UniqueID X1 appears twice"):
        parse_uk_fcdo_xml(tmp_path, "uk-fcdo")


def test_csv_without_the_header_or_a_unique_id_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "UK-Sanctions-List.csv"
    path.write_text("Report Date: 08-Oct-2026\nName,Country\nA,B\n", encoding="utf-8")
    with pytest.raises(ListFormatError, match="no header row"):
        parse_uk_fcdo_csv(path, "uk-fcdo")
    row = ",".join("" for _ in HEADER.split(","))
    path.write_text(f"Report Date: 08-Oct-2026\n{HEADER}\n{row[:-1]}x\n", encoding="utf-8")
    with pytest.raises(ListFormatError, match="a row without a Unique ID"):
        parse_uk_fcdo_csv(path, "uk-fcdo")
