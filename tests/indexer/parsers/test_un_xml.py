from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from core.model import DateKind, IdType, Kind, NameRole
from indexer.errors import ListFormatError
from indexer.parsers.un_xml import document_type, parse_un_xml, split_alias
from tests.conftest import shared_list
from tests.indexer.parsers._bad_input import BILLION_LAUGHS, HTML_PAGE, truncated_copy

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "un-sc" / "consolidated.xml"


def _by_id(path: Path) -> dict[str, object]:
    return {e.id: e for e in parse_un_xml(path, "un-sc").entities}


def test_fixture_person_with_every_awkward_case() -> None:
    parsed = parse_un_xml(FIXTURE, "un-sc")
    assert parsed.published == date(2026, 3, 4)
    person = next(e for e in parsed.entities if e.id == "un-sc:QDi.901")
    assert person.kind is Kind.PERSON
    primary = person.names[0]
    assert primary.role is NameRole.PRIMARY
    assert primary.full == "HAMID YUSUF ABD AL-KARIM AL-NAJJAR"
    assert (primary.given, primary.middle, primary.family) == (
        "HAMID",
        "YUSUF ABD AL-KARIM",
        "AL-NAJJAR",
    )
    assert primary.title == "Maulavi"
    original = [n for n in person.names if n.role is NameRole.ORIGINAL_SCRIPT]
    assert [(n.full, n.script) for n in original] == [("حامد يوسف عبد الكريم النجار", "Arab")]
    akas = [n.full for n in person.names if n.role is NameRole.AKA]
    assert akas == ["Hamid al-Najjar", "Hamed al-Najar"]
    weak = [(n.full, n.script) for n in person.names if n.role is NameRole.WEAK]
    assert weak == [("Abu Yusuf", "Latn"), ("أبو يوسف", "Arab")]
    dates = [(d.value, d.kind, d.end) for d in person.birth_dates]
    assert dates == [
        ("1970-05-01", DateKind.EXACT, None),
        ("1968", DateKind.CIRCA, None),
        ("1965", DateKind.RANGE, "1969"),
        ("1971-02-03", DateKind.EXACT, None),  # the Low alias's own date of birth
    ]
    assert person.properties["birth_date_note"] == ["24/06/1389 (Hijri Calendar)"]
    assert [p.full for p in person.birth_places] == [
        "Tall Afar, Ninawa Province, Iraq",
        "Mosul, Iraq",
    ]
    assert [(c.name, c.code) for c in person.nationalities] == [
        ("Iraq", "IQ"),
        ("Syrian Arab Republic", "SY"),
    ]
    assert person.addresses[0].full == "12 Palestine Street, Baghdad, Iraq, as of 2019"
    assert [(i.type, i.value, i.country_code) for i in person.identifiers] == [
        (IdType.PASSPORT, "A1234567", "IQ"),
        (IdType.NATIONAL_ID, "00112233", "IQ"),
    ]
    assert person.identifiers[0].note == "issued 2010-06-01; expired"
    assert person.programs == ["Al-Qaida"]
    assert person.listed_on == "2014-09-23"
    assert person.gender == "male"
    assert person.properties["designation"] == ["Financier"]
    assert person.source_url and person.source_url.startswith("https://")


def test_fixture_year_with_month_note_and_empty_placeholders() -> None:
    person = next(e for e in parse_un_xml(FIXTURE, "un-sc").entities if e.id == "un-sc:KPi.901")
    assert [n.full for n in person.names] == ["KIM CHOL SU"]
    assert [(d.value, d.kind) for d in person.birth_dates] == [("1958-09", DateKind.EXACT)]
    assert person.addresses == [] and person.identifiers == [] and person.birth_places == []


def test_fixture_entities_fka_and_vessel() -> None:
    entities = {e.id: e for e in parse_un_xml(FIXTURE, "un-sc").entities}
    company = entities["un-sc:KPe.901"]
    assert company.kind is Kind.ORGANIZATION
    assert [(n.role, n.full, n.script) for n in company.names[1:]] == [
        (NameRole.FKA, "Blue Sea Trading Ltd.", "Latn"),
        (NameRole.AKA, "海星船务有限公司", "Hani"),
    ]
    assert [(i.type, i.value, i.label) for i in company.identifiers] == [
        (IdType.IMO, "5123456", "IMO company number")
    ]
    vessel = entities["un-sc:LYe.901"]
    assert vessel.kind is Kind.VESSEL
    assert [(i.type, i.value) for i in vessel.identifiers] == [(IdType.IMO, "9123456")]


def test_alias_splitting() -> None:
    assert split_alias("Azim Adhajani; Azim Agha-Jani") == ["Azim Adhajani", "Azim Agha-Jani"]
    assert split_alias("حاجى مالك نورزى (Hajji Malik Noorzai; Haji Malek Noorzai)") == [
        "حاجى مالك نورزى",
        "Hajji Malik Noorzai",
        "Haji Malek Noorzai",
    ]
    assert split_alias("Mohammed Sabet; Mohammad Sabet b) M. Javad Sabet") == [
        "Mohammed Sabet",
        "Mohammad Sabet",
        "M. Javad Sabet",
    ]
    assert split_alias("Al Qa'ida (The Base)") == ["Al Qa'ida (The Base)"]


def test_document_types() -> None:
    assert document_type("Numéro de passeport") is IdType.PASSPORT
    assert document_type("National Identification Number") is IdType.NATIONAL_ID
    assert document_type("Italian Fiscal Code:") is IdType.TAX_ID
    assert document_type("Birth certificate") is IdType.OTHER


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "file is empty"),
        (BILLION_LAUGHS, "DOCTYPE"),
        (HTML_PAGE, "root element is <html>"),
        ("this is not xml at all", "not XML"),
        ('<?xml version="1.0"?><CONSOLIDATED_LIST dateGenerated="2026-01-01T00:00:00Z">'
         "<INDIVIDUALS></INDIVIDUALS><ENTITIES></ENTITIES></CONSOLIDATED_LIST>", "no INDIVIDUAL"),
    ],
)  # fmt: skip
def test_bad_input_is_refused(tmp_path: Path, content: str, message: str) -> None:
    bad = tmp_path / "consolidated.xml"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(ListFormatError, match=message) as caught:
        parse_un_xml(bad, "un-sc")
    assert str(bad) in str(caught.value)


def test_truncated_file_is_refused_with_its_line(tmp_path: Path) -> None:
    bad = truncated_copy(FIXTURE, tmp_path / "consolidated.xml")
    with pytest.raises(ListFormatError, match=r"\(line \d+\): broken XML"):
        parse_un_xml(bad, "un-sc")


def test_duplicate_reference_number_is_refused(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8").replace("KPi.901", "QDi.901")
    bad = tmp_path / "consolidated.xml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ListFormatError, match=r"QDi\.901 appears twice"):
        parse_un_xml(bad, "un-sc")


@pytest.mark.shared_lists
@pytest.mark.parametrize(
    ("snapshot", "total"),
    [("2025-11-20", 1000), ("2026-01-28", 999), ("2026-02-27", 1003), ("2026-08-01", 1011)],
)
def test_real_snapshots(snapshot: str, total: int) -> None:
    path = shared_list("un-sc", snapshot, "consolidated.xml")
    raw = path.read_text(encoding="utf-8")
    individuals = len(re.findall(r"<INDIVIDUAL>", raw))
    entities = len(re.findall(r"<ENTITY>", raw))
    assert individuals + entities == total  # the README's figure, counted from the raw file
    parsed = parse_un_xml(path.parent, "un-sc")
    assert parsed.published == date.fromisoformat(snapshot)
    kinds = Counter(e.kind for e in parsed.entities)
    assert kinds[Kind.PERSON] == individuals
    assert kinds[Kind.ORGANIZATION] + kinds[Kind.VESSEL] == entities
    assert len({e.id for e in parsed.entities}) == total
    references = {r.strip() for r in re.findall(r"<REFERENCE_NUMBER>([^<]+)<", raw)}
    assert {e.record_id for e in parsed.entities} == references
    # every non-empty original-script name is kept, with its script
    originals = [m.strip() for m in re.findall(r"<NAME_ORIGINAL_SCRIPT>([^<]*)<", raw) if m.strip()]
    kept = [n for e in parsed.entities for n in e.names if n.role is NameRole.ORIGINAL_SCRIPT]
    assert len(kept) == len(originals)
    scripts = Counter(n.script for n in kept)
    assert scripts["Arab"] > 300 and scripts["Cyrl"] >= 10
    # every dated INDIVIDUAL_DATE_OF_BIRTH with a DATE/YEAR/FROM_YEAR gives a birth date
    structured = len(re.findall(r"<(?:DATE|YEAR|FROM_YEAR)>", raw))
    dates = [d for e in parsed.entities for d in e.birth_dates]
    assert len(dates) >= structured - 5  # a few repeat another date of the same person
    assert Counter(d.kind for d in dates)[DateKind.RANGE] == len(re.findall(r"<FROM_YEAR>", raw))
    passports = [i for e in parsed.entities for i in e.identifiers if i.type is IdType.PASSPORT]
    assert len(passports) > 300
