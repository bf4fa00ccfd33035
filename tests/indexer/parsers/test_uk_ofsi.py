from __future__ import annotations

import shutil
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from core.model import DateKind, Entity, IdType, Kind, NameRole, ParsedList
from indexer.errors import ListFormatError
from indexer.parsers.uk_ofsi import parse_uk_ofsi_csv, parse_uk_ofsi_xlsx
from indexer.registry import parse_list
from tests.conftest import FIXTURES, shared_list

XLSX = FIXTURES / "gb-ofsi" / "ConList.xlsx"
CSV = FIXTURES / "gb-ofsi" / "ConList.csv"


def _by_id(parsed: ParsedList) -> dict[str, Entity]:
    return {entity.id: entity for entity in parsed.entities}


@pytest.fixture(params=["xlsx", "csv"])
def parsed(request: pytest.FixtureRequest) -> ParsedList:
    if request.param == "xlsx":
        return parse_uk_ofsi_xlsx(XLSX, "gb-ofsi")
    return parse_uk_ofsi_csv(CSV, "gb-ofsi")


def test_rows_of_one_group_become_one_entity(parsed: ParsedList) -> None:
    assert parsed.published == date(2025, 4, 14)
    assert [e.id for e in parsed.entities] == ["gb-ofsi:90001", "gb-ofsi:90002", "gb-ofsi:90003"]
    assert [e.kind for e in parsed.entities] == [Kind.PERSON, Kind.ORGANIZATION, Kind.VESSEL]


def test_name_variations_keep_their_roles_and_scripts(parsed: ParsedList) -> None:
    petrov = _by_id(parsed)["gb-ofsi:90001"]
    names = [(n.full, n.role, n.script) for n in petrov.names]
    # the primary name appears on two rows (one per date of birth) but is kept once
    assert names == [
        ("Ivan Ivanovich PETROV", NameRole.PRIMARY, "Latn"),
        ("Иван Иванович ПЕТРОВ", NameRole.ORIGINAL_SCRIPT, "Cyrl"),
        ("Ivan Ivanovich PETROFF", NameRole.AKA, "Latn"),
        ("Vanya PETROV", NameRole.WEAK, "Latn"),
    ]
    primary = petrov.names[0]
    assert (primary.given, primary.middle, primary.family, primary.title) == (
        "Ivan",
        "Ivanovich",
        "PETROV",
        "General",
    )
    assert petrov.names[1].lang == "ru"
    acme = _by_id(parsed)["gb-ofsi:90002"]
    assert [(n.full, n.role) for n in acme.names] == [
        ("ACME TRADING LLC", NameRole.PRIMARY),
        ("ACME LLC", NameRole.AKA),
        ("OLD ACME", NameRole.FKA),
    ]
    assert acme.names[0].family is None  # Name 6 is the whole name of an entity


def test_dates_places_and_identifiers_are_merged_without_repeats(parsed: ParsedList) -> None:
    petrov = _by_id(parsed)["gb-ofsi:90001"]
    assert [(d.value, d.kind, d.text) for d in petrov.birth_dates] == [
        ("1970", DateKind.EXACT, "00/00/1970"),
        ("1971-03-12", DateKind.EXACT, "12/03/1971"),
    ]
    assert [(p.full, p.country_code) for p in petrov.birth_places] == [("Tula, Russia", "RU")]
    assert [(c.name, c.code) for c in petrov.nationalities] == [("Russia", "RU")]
    assert [(a.full, a.city, a.country_code) for a in petrov.addresses] == [
        ("1 Example Street, Moscow, 101000, Russia", "Moscow", "RU")
    ]
    assert [(i.type, i.value, i.note) for i in petrov.identifiers] == [
        (IdType.PASSPORT, "710000001", "Russia number"),
        (IdType.PASSPORT, "720000002", "Ukraine number"),
        (IdType.PHONE, "+7-495-000-0001", None),
        (IdType.PHONE, "+7-495-000-0002", None),
        (IdType.EMAIL, "ivan@example.ru", None),
    ]
    assert petrov.gender == "male"
    assert petrov.listed_on == "2022-03-16"
    assert petrov.programs == ["Russia"]
    assert petrov.properties["uk_sanctions_list_ref"] == ["RUS9001"]
    assert petrov.properties["position"] == ["Deputy Minister"]
    assert petrov.remarks is not None and "Invented for a test" in petrov.remarks


def test_entity_and_ship_facts_from_other_information(parsed: ParsedList) -> None:
    acme = _by_id(parsed)["gb-ofsi:90002"]
    assert acme.programs == ["Russia", "Iran"]
    assert [(i.type, i.value) for i in acme.identifiers] == [
        (IdType.WEBSITE, "www.acme.example"),
        (IdType.REGISTRATION, "Tax Identification Number: INN 7700000001"),
    ]
    ship = _by_id(parsed)["gb-ofsi:90003"]
    assert [(i.type, i.value) for i in ship.identifiers] == [(IdType.IMO, "9999991")]
    assert ship.properties["vessel_flag"] == ["North Korea"]
    assert ship.properties["vessel_year_built"] == ["1975"]


def test_xlsx_and_csv_give_the_same_entities() -> None:
    from_xlsx = parse_uk_ofsi_xlsx(XLSX, "gb-ofsi")
    from_csv = parse_uk_ofsi_csv(CSV, "gb-ofsi")
    assert [e.to_dict() for e in from_xlsx.entities] == [e.to_dict() for e in from_csv.entities]


def test_registry_picks_the_reader_by_file(tmp_path: Path) -> None:
    shutil.copy(CSV, tmp_path / "ConList.csv")
    parsed = parse_list("gb-ofsi", tmp_path)
    assert parsed.format == "ofsi-csv" and len(parsed.entities) == 3


# --- bad input -------------------------------------------------------------------------


def test_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "ConList.xlsx"
    empty.write_bytes(b"")
    with pytest.raises(ListFormatError, match=r"ConList\.xlsx: file is empty"):
        parse_uk_ofsi_xlsx(empty, "gb-ofsi")


def test_truncated_xlsx(tmp_path: Path) -> None:
    broken = tmp_path / "ConList.xlsx"
    data = XLSX.read_bytes()
    broken.write_bytes(data[: len(data) // 2])
    with pytest.raises(ListFormatError, match=r"ConList\.xlsx"):
        parse_uk_ofsi_xlsx(broken, "gb-ofsi")


def test_csv_renamed_to_xlsx(tmp_path: Path) -> None:
    renamed = tmp_path / "ConList.xlsx"
    shutil.copy(CSV, renamed)
    with pytest.raises(ListFormatError, match="not an XLSX file"):
        parse_uk_ofsi_xlsx(renamed, "gb-ofsi")


def test_sheet_without_the_header(tmp_path: Path) -> None:
    other = FIXTURES / "jp-meti-eul" / "end_user_list.xlsx"
    with pytest.raises(ListFormatError, match=r"rows 1-4.*missing: name 6"):
        parse_uk_ofsi_xlsx(other, "gb-ofsi")


def test_csv_row_errors_name_the_row(tmp_path: Path) -> None:
    lines = CSV.read_text("utf-8-sig").splitlines()
    bad = tmp_path / "ConList.csv"
    bad.write_text("\n".join([*lines[:3], lines[3].replace("Individual", "Spaceship")]) + "\n")
    with pytest.raises(ListFormatError, match=r"ConList\.csv \(row 4\): unknown Group Type"):
        parse_uk_ofsi_csv(bad, "gb-ofsi")
    missing_id = tmp_path / "missing.csv"
    missing_id.write_text("\n".join([*lines[:2], lines[2].rsplit(",", 1)[0] + ","]) + "\n")
    with pytest.raises(ListFormatError, match=r"\(row 3\): row without a Group ID"):
        parse_uk_ofsi_csv(missing_id, "gb-ofsi")


def test_binary_csv_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "ConList.csv"
    bad.write_bytes(b"\xff\xfe\x00L\x00a")
    with pytest.raises(ListFormatError, match="not UTF-8"):
        parse_uk_ofsi_csv(bad, "gb-ofsi")


# --- the real snapshots ----------------------------------------------------------------

_KIND_OF_GROUP_TYPE = {"Individual": Kind.PERSON, "Entity": Kind.ORGANIZATION, "Ship": Kind.VESSEL}


def _raw_counts(path: Path) -> tuple[int, Counter[Kind], str, int]:
    """Rows, kinds per distinct Group ID, the "Last Updated" text and the number of groups
    with a "Primary name" row, read straight from the sheet without the parser."""
    workbook = CalamineWorkbook.from_path(str(path))
    rows = workbook.get_sheet_by_name(workbook.sheet_names[0]).to_python()
    header = rows[1]
    group_col, type_col = header.index("Group ID"), header.index("Group Type")
    alias_col = header.index("Alias Type")
    with_primary = {row[group_col] for row in rows[2:] if row[alias_col] == "Primary name"}
    groups = {row[group_col]: row[type_col] for row in rows[2:] if row[group_col] != ""}
    data_rows = sum(1 for row in rows[2:] if row[group_col] != "")
    kinds = Counter(_KIND_OF_GROUP_TYPE[t] for t in groups.values())
    return data_rows, kinds, str(rows[0][1]), len(with_primary)


@pytest.mark.shared_lists
@pytest.mark.parametrize(
    ("folder", "groups", "published"),
    [("2025-04-10", 4686, date(2025, 4, 10)), ("2025-04-14", 4688, date(2025, 4, 14))],
)
def test_real_snapshot(folder: str, groups: int, published: date) -> None:
    path = shared_list("gb-ofsi", folder, "ConList.xlsx")
    rows, kinds, last_updated, with_primary = _raw_counts(path)
    parsed = parse_uk_ofsi_xlsx(path, "gb-ofsi")
    assert rows > groups  # one row per name variation
    assert len(parsed.entities) == sum(kinds.values()) == groups
    assert Counter(e.kind for e in parsed.entities) == kinds
    assert parsed.published == published
    assert last_updated == published.strftime("%d/%m/%Y")
    assert len({e.id for e in parsed.entities}) == groups
    assert all(e.names for e in parsed.entities)
    # Groups without a "Primary name" row are listed under their first variation (a few
    # groups, e.g. 11241, carry two "Primary name" rows; both stay primary).
    assert with_primary < groups
    assert all(any(n.role is NameRole.PRIMARY for n in e.names) for e in parsed.entities)
    institute = _by_id(parsed)["gb-ofsi:16601"]
    assert institute.primary_name == "33RD SCIENTIFIC RESEARCH AND TESTING INSTITUTE"
    scripts = Counter(n.script for e in parsed.entities for n in e.names)
    assert scripts["Cyrl"] > 2000 and scripts["Arab"] > 500
    assert sum(len(e.birth_dates) for e in parsed.entities) > 3000
    assert all(e.properties.get("birth_date_text") is None for e in parsed.entities)
    ships = [e for e in parsed.entities if e.kind is Kind.VESSEL]
    assert all(any(i.type is IdType.IMO for i in e.identifiers) for e in ships)
