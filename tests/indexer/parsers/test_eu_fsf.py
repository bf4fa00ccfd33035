from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from core.model import DateKind, IdType, Kind, NameRole
from indexer.errors import ListFormatError
from indexer.parsers.eu_fsf import parse_eu_fsf_csv, parse_eu_fsf_xml
from tests.conftest import SHARED, shared_list
from tests.indexer.parsers._bad_input import BILLION_LAUGHS, HTML_PAGE, truncated_copy

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "eu-fsf"
XML = FIXTURES / "xmlFullSanctionsList_1_1.xml"
CSV = FIXTURES / "csvFullSanctionsList_1_1.csv"


def test_xml_fixture_is_valid_against_the_published_schema() -> None:
    schema_path = SHARED / "schemas" / "eu_fsf_schema_1_1.xsd"
    if not schema_path.exists():
        pytest.skip("EU FSF schema not available")
    schema = etree.XMLSchema(etree.parse(str(schema_path)))
    assert schema.validate(etree.parse(str(XML))), schema.error_log


def test_xml_person() -> None:
    parsed = parse_eu_fsf_xml(XML, "eu-fsf")
    assert parsed.published == date(2026, 3, 2)
    person = parsed.entities[0]
    assert person.id == "eu-fsf:90001" and person.kind is Kind.PERSON
    assert [(n.full, n.role, n.lang, n.script) for n in person.names] == [
        ("Sergei Viktorovich Petrov", NameRole.PRIMARY, None, "Latn"),
        ("Сергей Викторович Петров", NameRole.AKA, "ru", "Cyrl"),
        ("Serguei Viktorovitch Petrov", NameRole.AKA, "fr", "Latn"),
        ("Seryozha", NameRole.WEAK, None, "Latn"),
    ]
    primary = person.names[0]
    assert (primary.given, primary.middle, primary.family) == ("Sergei", "Viktorovich", "Petrov")
    assert [(d.value, d.kind) for d in person.birth_dates] == [
        ("1961", DateKind.CIRCA),
        ("1961-07-14", DateKind.EXACT),
    ]
    assert [(p.full, p.country_code) for p in person.birth_places] == [
        ("Tambov, RUSSIAN FEDERATION", "RU")
    ]
    assert [(c.name, c.code) for c in person.citizenships] == [("RUSSIAN FEDERATION", "RU")]
    passport = next(i for i in person.identifiers if i.type is IdType.PASSPORT)
    assert (passport.value, passport.country_code, passport.label) == (
        "7512345678",
        "RU",
        "National passport",
    )
    assert passport.note and "known expired" in passport.note
    assert any(i.type is IdType.EMAIL for i in person.identifiers)
    assert person.addresses[0].postal_code == "103265"
    assert person.programs == ["UKR"]
    assert person.listed_on == "2022-02-23"
    assert person.gender == "male"
    assert person.remarks == "Test entry written for the parser tests."
    assert person.properties["function"] == ["Member of the State Duma"]


def test_xml_enterprise() -> None:
    company = parse_eu_fsf_xml(XML, "eu-fsf").entities[1]
    assert company.kind is Kind.ORGANIZATION
    assert company.listed_on == "2023-06-23"  # no designationDate: the regulation's date
    assert [(i.type, i.value) for i in company.identifiers] == [
        (IdType.REGISTRATION, "1027800000000")
    ]
    assert company.addresses[0].full == "P.O. Box 17, Saint Petersburg, RUSSIAN FEDERATION"


def test_csv_fixture_groups_rows_into_entities() -> None:
    parsed = parse_eu_fsf_csv(CSV, "eu-fsf")
    assert parsed.published == date(2026, 3, 4)
    with CSV.open(encoding="utf-8", newline="") as handle:
        ids = {row["Entity_LogicalId"] for row in csv.DictReader(handle, delimiter=";")}
    assert [e.record_id for e in parsed.entities] == sorted(ids)
    person, company = parsed.entities
    assert [n.role for n in person.names] == [NameRole.PRIMARY, NameRole.AKA, NameRole.AKA]
    assert [(d.value, d.kind, d.end) for d in person.birth_dates] == [
        ("1961", DateKind.CIRCA, None),
        ("1958", DateKind.RANGE, "1960"),
    ]
    assert person.identifiers[0].type is IdType.PASSPORT
    assert person.citizenships[0].code == "RU"
    assert company.kind is Kind.ORGANIZATION
    assert company.names[1].full == 'АО "Восток; Инжиниринг"'  # ; inside a quoted cell
    assert company.addresses[0].city == "Saint Petersburg"


@pytest.mark.shared_lists
def test_real_csv_excerpt() -> None:
    path = shared_list("eu-fsf", "2024-10-02", "excerpt_csvFullSanctionsList_1_1.csv")
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(";")
    id_column = header.index("Entity_LogicalId")
    expected_ids = {line.split(";")[id_column] for line in lines[1:]}
    parsed = parse_eu_fsf_csv(path.parent, "eu-fsf")
    assert parsed.published == date(2024, 10, 2)
    assert {e.record_id for e in parsed.entities} == expected_ids
    assert len(parsed.entities) == 4
    saddam = next(e for e in parsed.entities if e.record_id == "13")
    assert saddam.primary_name == "Saddam Hussein Al-Tikriti"
    assert [n.lang for n in saddam.names] == [None, None, "fr"]
    assert [d.value for d in saddam.birth_dates] == ["1937-04-28"]
    assert saddam.birth_places[0].full == "al-Awja, near Tikrit, IRAQ"
    assert saddam.programs == ["IRQ"]
    uday = next(e for e in parsed.entities if e.record_id == "23")
    assert [d.value for d in uday.birth_dates] == ["1964", "1967"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "file is empty"),
        (BILLION_LAUGHS, "DOCTYPE"),
        (HTML_PAGE, "root element is <html>"),
        ('<?xml version="1.0"?><export xmlns="http://eu.europa.ec/fpi/fsd/export" '
         'generationDate="2026-01-01T00:00:00" globalFileId="1"/>', "no sanction entities"),
    ],
)  # fmt: skip
def test_bad_xml_is_refused(tmp_path: Path, content: str, message: str) -> None:
    bad = tmp_path / "list.xml"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(ListFormatError, match=message) as caught:
        parse_eu_fsf_xml(bad, "eu-fsf")
    assert str(bad) in str(caught.value)


def test_truncated_xml_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ListFormatError, match="broken XML"):
        parse_eu_fsf_xml(truncated_copy(XML, tmp_path / "list.xml"), "eu-fsf")


@pytest.mark.parametrize(
    ("content", "message", "where"),
    [
        ("", "file is empty", None),
        (HTML_PAGE, "header lacks Entity_LogicalId", "line 1"),
        ("a;b;c\n1;2;3\n", "header lacks", "line 1"),
    ],
)
def test_bad_csv_is_refused(tmp_path: Path, content: str, message: str, where: str | None) -> None:
    bad = tmp_path / "list.csv"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(ListFormatError, match=message) as caught:
        parse_eu_fsf_csv(bad, "eu-fsf")
    assert caught.value.where == where


def test_truncated_csv_is_refused_at_its_line(tmp_path: Path) -> None:
    text = CSV.read_text(encoding="utf-8")
    bad = tmp_path / "list.csv"
    bad.write_text(text[: len(text) - 200], encoding="utf-8")
    with pytest.raises(ListFormatError, match="truncated") as caught:
        parse_eu_fsf_csv(bad, "eu-fsf")
    assert caught.value.where == f"line {len(text[: len(text) - 200].splitlines())}"
