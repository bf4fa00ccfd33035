from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from core.model import Entity, Kind, NameRole, ParsedList
from indexer.errors import ListFormatError
from indexer.parsers.jp_meti_eul import names_from_cell, parse_jp_meti_eul_xlsx, wmd_concerns
from tests.conftest import FIXTURES, shared_list

XLSX = FIXTURES / "jp-meti-eul" / "end_user_list.xlsx"


def _by_id(parsed: ParsedList) -> dict[str, Entity]:
    return {entity.id: entity for entity in parsed.entities}


def test_entries_names_concerns_and_countries() -> None:
    parsed = parse_jp_meti_eul_xlsx(XLSX, "jp-meti-eul")
    assert parsed.published is None
    assert [e.id for e in parsed.entities] == [f"jp-meti-eul:{n}" for n in (1, 2, 3)]
    assert {e.kind for e in parsed.entities} == {Kind.ORGANIZATION}
    first = _by_id(parsed)["jp-meti-eul:1"]
    assert [(n.full, n.role, n.script) for n in first.names] == [
        ("Example Aerospace Industries", NameRole.PRIMARY, "Latn"),
        ("EAI", NameRole.AKA, "Latn"),  # "（EAI）" on the line below the name
        ("Example Aero", NameRole.AKA, "Latn"),
        ("EXAMPLE AEROSPACE CO., LTD.", NameRole.AKA, "Latn"),  # commas stay inside a name
        ("エグザンプル航空", NameRole.ORIGINAL_SCRIPT, "Jpan"),
        ("Example Aero Group", NameRole.AKA, "Latn"),
    ]
    assert first.properties["wmd_concern"] == ["biological", "chemical", "missile", "nuclear"]
    assert first.properties["conventional_weapons_concern"] == ["yes"]
    assert [(a.country, a.country_code) for a in first.addresses] == [
        ("Islamic Republic of Iran", "IR")
    ]
    japanese_only = _by_id(parsed)["jp-meti-eul:2"]
    assert [(n.full, n.role) for n in japanese_only.names] == [("セソン技術貿易", NameRole.PRIMARY)]
    assert japanese_only.properties == {"wmd_concern": ["missile"]}
    assert japanese_only.addresses[0].country_code == "KP"
    lebanon = _by_id(parsed)["jp-meti-eul:3"]
    assert lebanon.addresses[0].country_code == "LB"  # "Republic of Lebanon"
    assert lebanon.properties["wmd_concern"] == ["nuclear"]  # full-width "Ｎ"


def test_alias_cell_forms() -> None:
    names = names_from_cell(" ・OOO Albatros \n・Albatross LLC\n\n・ＩＲＧＣＡＳＦ", primary=False)
    assert [n.full for n in names] == ["OOO Albatros", "Albatross LLC", "ＩＲＧＣＡＳＦ"]
    assert {n.role for n in names} == {NameRole.AKA}
    kanji_alias = names_from_cell("・朝鮮民族経済協力連合会\n・民経連", primary=False)
    assert [(n.role, n.script) for n in kanji_alias] == [(NameRole.AKA, "Hani")] * 2


def test_wmd_concern_forms() -> None:
    assert wmd_concerns("ミサイル、核\nM、N") == ["missile", "nuclear"]
    assert wmd_concerns("ミサイルM") == ["missile"]
    assert wmd_concerns("生物、化学") == ["biological", "chemical"]  # words only
    assert wmd_concerns(None) == []


# --- bad input -------------------------------------------------------------------------


def test_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "end_user_list.xlsx"
    empty.write_bytes(b"")
    with pytest.raises(ListFormatError, match=r"end_user_list\.xlsx: file is empty"):
        parse_jp_meti_eul_xlsx(empty, "jp-meti-eul")


def test_truncated_xlsx(tmp_path: Path) -> None:
    broken = tmp_path / "end_user_list.xlsx"
    broken.write_bytes(XLSX.read_bytes()[:1500])
    with pytest.raises(ListFormatError, match=r"end_user_list\.xlsx"):
        parse_jp_meti_eul_xlsx(broken, "jp-meti-eul")


def test_csv_renamed_to_xlsx(tmp_path: Path) -> None:
    renamed = tmp_path / "end_user_list.xlsx"
    shutil.copy(FIXTURES / "gb-ofsi" / "ConList.csv", renamed)
    with pytest.raises(ListFormatError, match="not an XLSX file"):
        parse_jp_meti_eul_xlsx(renamed, "jp-meti-eul")


def test_sheet_without_the_header() -> None:
    with pytest.raises(ListFormatError, match=r"missing: .*also known as"):
        parse_jp_meti_eul_xlsx(FIXTURES / "au-dfat" / "2025" / "Consolidated.xlsx", "jp-meti-eul")


def test_entry_without_a_number_names_the_row() -> None:
    with pytest.raises(ListFormatError, match=r"no_number\.xlsx \(row 5\): entry without a number"):
        parse_jp_meti_eul_xlsx(FIXTURES / "jp-meti-eul" / "no_number.xlsx", "jp-meti-eul")


# --- the real snapshot -----------------------------------------------------------------


@pytest.mark.shared_lists
def test_real_snapshot() -> None:
    path = shared_list("jp-meti-eul", "2025-09-29", "end_user_list.xlsx")
    workbook = CalamineWorkbook.from_path(str(path))
    rows = workbook.get_sheet_by_name(workbook.sheet_names[0]).to_python()
    numbers = {int(row[0]) for row in rows[1:] if row[0] != ""}
    # counted from the Japanese words, while the parser reads the Latin letters
    words = {"生物": "biological", "化学": "chemical", "ミサイル": "missile", "核": "nuclear"}
    raw_concerns = Counter(
        concern for row in rows[1:] for word, concern in words.items() if word in str(row[4])
    )
    parsed = parse_jp_meti_eul_xlsx(path, "jp-meti-eul")
    assert len(numbers) == len(parsed.entities) == 835
    assert {e.record_id for e in parsed.entities} == {str(n) for n in numbers}
    assert all(sum(1 for n in e.names if n.role is NameRole.PRIMARY) == 1 for e in parsed.entities)
    concerns = Counter(c for e in parsed.entities for c in e.properties.get("wmd_concern", []))
    assert concerns == raw_concerns
    assert sum(1 for e in parsed.entities if "wmd_concern" not in e.properties) == 54
    assert all(e.addresses and e.addresses[0].country_code for e in parsed.entities)
    assert sum(len(e.names) for e in parsed.entities) > 2000
