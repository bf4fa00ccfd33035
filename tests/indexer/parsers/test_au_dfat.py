from __future__ import annotations

import re
import shutil
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from core.model import DateKind, Entity, IdType, Kind, NameRole, ParsedList
from indexer.errors import ListFormatError
from indexer.parsers.au_dfat import birth_dates, citizenships, parse_au_dfat_xlsx
from tests.conftest import FIXTURES, shared_list

OLD = FIXTURES / "au-dfat" / "old" / "regulation8_consolidated.xlsx"
NEW = FIXTURES / "au-dfat" / "2025" / "Consolidated.xlsx"


def _by_id(parsed: ParsedList) -> dict[str, Entity]:
    return {entity.id: entity for entity in parsed.entities}


def test_old_layout_merges_suffixed_references() -> None:
    parsed = parse_au_dfat_xlsx(OLD, "au-dfat")
    assert parsed.published is None
    assert [e.id for e in parsed.entities] == ["au-dfat:10", "au-dfat:11"]
    person = _by_id(parsed)["au-dfat:10"]
    assert person.kind is Kind.PERSON
    assert person.properties["dfat_layout"] == ["old"]
    # "10a", "10b" and "10c1" are names of reference 10; "Individual " has a trailing space
    assert [(n.full, n.role, n.script) for n in person.names] == [
        ("Abdul Rahman EXAMPLE", NameRole.PRIMARY, "Latn"),
        ("Abd al-Rahman Ekzampel", NameRole.AKA, "Latn"),
        ("عبد الرحمن إكزامبل", NameRole.ORIGINAL_SCRIPT, "Arab"),
        ("A. R. Example", NameRole.AKA, "Latn"),
    ]
    assert [(d.value, d.kind) for d in person.birth_dates] == [
        ("1960-02-01", DateKind.EXACT),
        ("1962", DateKind.CIRCA),
    ]
    assert [(p.full, p.country_code) for p in person.birth_places] == [
        ("Kabul, Afghanistan", "AF"),
        ("Quetta, Pakistan", "PK"),
    ]
    assert [(c.name, c.code) for c in person.citizenships] == [
        ("Russian", "RU"),
        ("Ukrainian", "UA"),
    ]
    assert person.addresses == []  # "NA"
    assert person.listed_on == "2001-01-25"
    assert person.programs == ["1988 (Taliban)"]
    assert person.properties["control_date"] == ["2014-12-15"]
    entity = _by_id(parsed)["au-dfat:11"]
    assert entity.kind is Kind.ORGANIZATION
    assert [(n.full, n.role) for n in entity.names] == [
        ("EXAMPLE SHIPPING LINES", NameRole.PRIMARY),
        ("ESL", NameRole.FKA),
    ]
    assert [(a.full, a.country_code) for a in entity.addresses] == [
        ("12 Example Road, Tehran, Iran", "IR"),
        ("Dubai, United Arab Emirates", "AE"),
    ]
    assert entity.listed_on == "2015-03-05"


def test_2025_layout_alias_strength_imo_and_measures() -> None:
    parsed = parse_au_dfat_xlsx(NEW.parent, "au-dfat")  # a folder holding Consolidated.xlsx
    person = _by_id(parsed)["au-dfat:20"]
    assert person.properties["dfat_layout"] == ["2025"]
    assert [(n.full, n.role, n.script) for n in person.names] == [
        ("Ivan PETROV", NameRole.PRIMARY, "Latn"),
        ("Vanya PETROV", NameRole.WEAK, "Latn"),
        ("Ivan PETROFF", NameRole.AKA, "Latn"),
        ("Иван ПЕТРОВ", NameRole.ORIGINAL_SCRIPT, "Cyrl"),
    ]
    assert [d.value for d in person.birth_dates] == ["1961-07-14"]  # an Excel date cell
    assert [c.code for c in person.citizenships] == ["RU", "UA"]
    assert person.properties["measures"] == ["targeted financial sanction", "travel ban"]
    assert person.properties["instrument_of_designation"] == [
        "Autonomous Sanctions Regulations 2011"
    ]
    vessel = _by_id(parsed)["au-dfat:21"]
    assert vessel.kind is Kind.VESSEL
    assert [(i.type, i.value) for i in vessel.identifiers] == [(IdType.IMO, "9288693")]
    assert vessel.properties["measures"] == ["maritime restriction"]
    assert vessel.listed_on == "2025-05-20"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (datetime(1962, 5, 1), [("1962-05-01", DateKind.EXACT, None)]),
        (1962.0, [("1962", DateKind.EXACT, None)]),
        ("circa 1962", [("1962", DateKind.CIRCA, None)]),
        ("01 Jan 1962", [("1962-01-01", DateKind.EXACT, None)]),
        ("Between 1955 and 1958", [("1955", DateKind.RANGE, "1958")]),
        (
            "a) 01/02/1960;  b) 03/04/1961",
            [("1960-02-01", DateKind.EXACT, None), ("1961-04-03", DateKind.EXACT, None)],
        ),
        (
            "Approximately 1963, 30/01/1972",
            [("1963", DateKind.CIRCA, None), ("1972-01-30", DateKind.EXACT, None)],
        ),
        ("1960, 1961\xa0\xa0", [("1960", DateKind.EXACT, None), ("1961", DateKind.EXACT, None)]),
        (
            "12/03/1960 14/05/1961",
            [("1960-03-12", DateKind.EXACT, None), ("1961-05-14", DateKind.EXACT, None)],
        ),
        ("na", []),
        ("Approximately (30-35 years old)", []),
    ],
)
def test_birth_date_forms(cell: object, expected: list[tuple[str, DateKind, str | None]]) -> None:
    assert [(d.value, d.kind, d.end) for d in birth_dates(cell)] == expected


def test_citizenship_forms() -> None:
    assert [c.code for c in citizenships("a) Afghanistan b) Pakistan")] == ["AF", "PK"]
    assert [c.code for c in citizenships("Russia;Ukraine")] == ["RU", "UA"]
    assert [c.name for c in citizenships("Trinidad and Tobago")] == ["Trinidad and Tobago"]
    assert [
        c.code for c in citizenships("Democratic People's Republic of Korea (North Korea)")
    ] == ["KP"]
    assert [(c.name, c.code) for c in citizenships("Possibly Ethiopian")] == [
        ("Possibly Ethiopian", None)
    ]


# --- bad input -------------------------------------------------------------------------


def test_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "Consolidated.xlsx"
    empty.write_bytes(b"")
    with pytest.raises(ListFormatError, match=r"Consolidated\.xlsx: file is empty"):
        parse_au_dfat_xlsx(empty, "au-dfat")


def test_truncated_xlsx(tmp_path: Path) -> None:
    broken = tmp_path / "Consolidated.xlsx"
    data = NEW.read_bytes()
    broken.write_bytes(data[: len(data) - 200])
    with pytest.raises(ListFormatError, match=r"Consolidated\.xlsx"):
        parse_au_dfat_xlsx(broken, "au-dfat")


def test_csv_renamed_to_xlsx(tmp_path: Path) -> None:
    renamed = tmp_path / "Consolidated.xlsx"
    shutil.copy(FIXTURES / "gb-ofsi" / "ConList.csv", renamed)
    with pytest.raises(ListFormatError, match="not an XLSX file"):
        parse_au_dfat_xlsx(renamed, "au-dfat")


def test_sheet_without_the_header() -> None:
    with pytest.raises(ListFormatError, match=r"ConList\.xlsx \(rows 1-10\): no header row"):
        parse_au_dfat_xlsx(FIXTURES / "gb-ofsi" / "ConList.xlsx", "au-dfat")


def test_unknown_type_names_the_row() -> None:
    with pytest.raises(
        ListFormatError, match=r"bad_type\.xlsx \(row 3\): unknown Type 'Spaceship'"
    ):
        parse_au_dfat_xlsx(FIXTURES / "au-dfat" / "bad_type.xlsx", "au-dfat")


# --- the real snapshots ----------------------------------------------------------------

_KIND_OF_TYPE = {"individual": Kind.PERSON, "entity": Kind.ORGANIZATION, "vessel": Kind.VESSEL}


def _raw_counts(path: Path) -> tuple[int, Counter[Kind]]:
    """Rows and kinds per reference number (suffix dropped), straight from the sheet."""
    workbook = CalamineWorkbook.from_path(str(path))
    rows = workbook.get_sheet_by_name(workbook.sheet_names[0]).to_python()
    header = rows[0]
    ref_col, type_col = header.index("Reference"), header.index("Type")
    data = [row for row in rows[1:] if str(row[ref_col]).strip()]
    kinds: dict[int, Kind] = {}
    for row in data:
        number = int(re.match(r"\d+", str(row[ref_col]).strip())[0])  # type: ignore[index]
        kinds.setdefault(number, _KIND_OF_TYPE[str(row[type_col]).strip().casefold()])
    return len(data), Counter(kinds.values())


@pytest.mark.shared_lists
@pytest.mark.parametrize(
    ("parts", "layout", "rows", "refs"),
    [
        (("2024-11", "regulation8_consolidated.xlsx"), "old", 9553, 3062),
        (("2026-07", "Consolidated.xlsx"), "2025", 11068, 3846),
    ],
)
def test_real_snapshot(parts: tuple[str, str], layout: str, rows: int, refs: int) -> None:
    path = shared_list("au-dfat", *parts)
    raw_rows, kinds = _raw_counts(path)
    assert (raw_rows, sum(kinds.values())) == (rows, refs)
    parsed = parse_au_dfat_xlsx(path, "au-dfat")
    assert len(parsed.entities) == refs
    assert Counter(e.kind for e in parsed.entities) == kinds
    assert {layout} == {e.properties["dfat_layout"][0] for e in parsed.entities}
    # every reference has exactly one Primary Name row
    assert all(sum(1 for n in e.names if n.role is NameRole.PRIMARY) == 1 for e in parsed.entities)
    scripts = Counter(n.script for e in parsed.entities for n in e.names)
    assert scripts["Arab"] > 400
    assert sum(len(e.birth_dates) for e in parsed.entities) > 2500
    unparsed = sum(len(e.properties.get("birth_date_text", [])) for e in parsed.entities)
    assert unparsed <= 2
    coded = [c.code for e in parsed.entities for c in e.citizenships]
    assert sum(1 for c in coded if c) / len(coded) > 0.98
    assert all(e.listed_on is None or re.fullmatch(r"\d{4}(-\d\d){0,2}", e.listed_on)
               for e in parsed.entities)  # fmt: skip
    assert parsed.published is None  # DFAT's workbook carries no publication date
