"""The list diff: unit cases on hand-made lists, then real diffs of the official snapshots.

The real-snapshot tests establish added/removed ids *independently of the parsers*, from
the raw files (a regex over the UN XML, the Group ID column of the UK workbook read with
calamine, the first column of OFAC's sdn.csv read with the csv module), and require the
parser-based diff to match those set differences exactly. For "changed" they compare raw
records: a record identical in both files must not be reported, and a record whose raw
comments, aliases or programs differ must be reported with the matching field.
"""

from __future__ import annotations

import copy
import csv
import re
from collections import defaultdict
from datetime import date

import pytest
from lxml import etree
from python_calamine import CalamineWorkbook

from core.model import (
    Address,
    Country,
    DateValue,
    Entity,
    Identifier,
    IdType,
    Kind,
    Name,
    NameRole,
    ParsedList,
    Place,
    SourceFile,
)
from indexer.diff import (
    COMPARED_FIELDS,
    ListDiff,
    compare_entities,
    diff_lists,
    entity_fingerprint,
    list_version,
    natural_key,
)
from tests.conftest import shared_list
from tests.indexer._real_lists import OFAC_DAYS, UK_DAYS, UN_PAIRS, parsed_snapshot

# --- hand-made lists -----------------------------------------------------------------------


def person(record_id: str, *names: str, born: str = "1962-05-01") -> Entity:
    entity = Entity(
        id=f"un-sc:{record_id}",
        list_id="un-sc",
        kind=Kind.PERSON,
        names=[Name(names[0])] + [Name(n, NameRole.AKA) for n in names[1:]],
        birth_dates=[DateValue(born)],
        addresses=[Address(full="Kabul, Afghanistan", country_code="AF"), Address(city="Herat")],
        programs=["TA"],
        properties={"title": ["Maulavi", "Haji"]},
    )
    return entity


def listed(*entities: Entity, published: date | None = date(2026, 1, 1)) -> ParsedList:
    return ParsedList(list_id="un-sc", published=published, entities=list(entities))


def one_change(old: Entity, new: Entity) -> dict[str, object]:
    diff = diff_lists(listed(old), listed(new))
    assert not diff.added and not diff.removed
    assert len(diff.changed) == 1 and diff.changed[0].id == old.id
    return {"fields": diff.changed[0].fields, "details": diff.changed[0].details}


def test_added_and_removed_entities_by_id() -> None:
    a, b, c = person("TAi.1", "A"), person("TAi.2", "B"), person("TAi.3", "C")
    diff = diff_lists(listed(a, b), listed(b, c))
    assert diff.added == ["un-sc:TAi.3"]
    assert diff.removed == ["un-sc:TAi.1"]
    assert diff.changed == []
    assert (diff.previous_count, diff.current_count) == (2, 2)
    assert diff.names == {"un-sc:TAi.3": "C", "un-sc:TAi.1": "A"}


def test_first_version_adds_everything() -> None:
    diff = diff_lists(None, listed(person("TAi.2", "B"), person("TAi.1", "A")))
    assert diff.added == ["un-sc:TAi.1", "un-sc:TAi.2"]
    assert diff.previous_version is None and diff.previous_count == 0
    assert diff.version_changed


def test_a_name_added_is_a_names_change() -> None:
    old = person("TAi.1", "ABDUL KABIR", "A. KABIR")
    new = person("TAi.1", "ABDUL KABIR", "A. KABIR", "ABDUL KABIR MUHAMMAD JAN")
    change = one_change(old, new)
    assert change["fields"] == ["names"]
    assert change["details"] == {
        "names": {"added": [{"full": "ABDUL KABIR MUHAMMAD JAN", "role": "aka"}], "removed": []}
    }


def test_a_role_change_counts_as_a_name_removed_and_added() -> None:
    old = person("TAi.1", "ABDUL KABIR", "A. KABIR")
    new = copy.deepcopy(old)
    new.names[1].role = NameRole.WEAK
    change = one_change(old, new)
    assert change["details"] == {
        "names": {
            "added": [{"full": "A. KABIR", "role": "weak"}],
            "removed": [{"full": "A. KABIR", "role": "aka"}],
        }
    }


def test_a_date_of_birth_changed() -> None:
    change = one_change(person("TAi.1", "A", born="1962"), person("TAi.1", "A", born="1963"))
    assert change["fields"] == ["birth_dates"]
    details = change["details"]
    assert isinstance(details, dict)
    assert [d["value"] for d in details["birth_dates"]["added"]] == ["1963"]
    assert [d["value"] for d in details["birth_dates"]["removed"]] == ["1962"]


def test_a_program_changed_and_a_scalar_field_changed() -> None:
    old = person("TAi.1", "A")
    new = copy.deepcopy(old)
    new.programs = ["TA", "QD"]
    new.remarks = "Deputy minister."
    change = one_change(old, new)
    assert change["fields"] == ["programs", "remarks"]
    assert change["details"] == {
        "programs": {"added": ["QD"], "removed": []},
        "remarks": {"added": ["Deputy minister."], "removed": []},
    }


def test_property_values_compare_as_key_value_pairs() -> None:
    old = person("TAi.1", "A")
    new = copy.deepcopy(old)
    new.properties["title"] = ["Maulavi"]
    change = one_change(old, new)
    assert change["details"] == {
        "properties": {"added": [], "removed": [{"key": "title", "value": "Haji"}]}
    }


def test_order_and_duplicates_are_not_changes() -> None:
    old = person("TAi.1", "ABDUL KABIR", "A. KABIR", "KABIR")
    new = copy.deepcopy(old)
    new.names = [new.names[0], new.names[2], new.names[1], new.names[2]]
    new.addresses.reverse()
    new.properties = {"title": ["Haji", "Maulavi"]}
    assert compare_entities(old, new) is None
    assert entity_fingerprint(old) == entity_fingerprint(copy.deepcopy(old))
    reordered = copy.deepcopy(old)
    reordered.addresses.reverse()
    reordered.names.reverse()
    assert entity_fingerprint(reordered) == entity_fingerprint(old)
    assert diff_lists(listed(old), listed(new)).changed == []


def test_fingerprint_sees_what_the_diff_deliberately_ignores() -> None:
    old = person("TAi.1", "ABDUL KABIR")
    new = copy.deepcopy(old)
    new.names[0].given = "ABDUL"
    new.source_url = "https://example.org/TAi.1"
    assert compare_entities(old, new) is None
    assert entity_fingerprint(old) != entity_fingerprint(new)
    dob = copy.deepcopy(old)
    dob.birth_dates[0].value = "1962-05-02"
    assert entity_fingerprint(old) != entity_fingerprint(dob)


EVERY_FIELD = (
    "names",
    "birth_dates",
    "birth_places",
    "nationalities",
    "citizenships",
    "addresses",
    "identifiers",
    "programs",
    "kind",
    "listed_on",
    "ends_on",
    "remarks",
    "gender",
    "properties",
)


def test_every_compared_field_is_detected() -> None:
    assert set(COMPARED_FIELDS) == set(EVERY_FIELD)
    base = person("TAi.1", "A")
    for name in EVERY_FIELD:
        new = copy.deepcopy(base)
        value = getattr(new, name)
        if name == "kind":
            new.kind = Kind.ORGANIZATION
        elif name == "properties":
            new.properties["position"] = ["Governor"]
        elif isinstance(value, list):
            new_value = {
                "names": Name("B", NameRole.FKA),
                "birth_dates": DateValue("1970", text="1970"),
                "addresses": Address(full="Doha"),
                "programs": "QD",
            }.get(name)
            if new_value is None:
                new_value = {
                    "birth_places": Place("Kandahar"),
                    "nationalities": Country("Afghanistan", "AF"),
                    "citizenships": Country("Qatar", "QA"),
                    "identifiers": Identifier(IdType.PASSPORT, "D0009720"),
                }[name]
            value.append(new_value)
        else:
            dated = name in ("listed_on", "ends_on")
            setattr(new, name, "2001-01-25" if dated else "changed")
        change = compare_entities(base, new)
        assert change is not None and change.fields == [name], name


def test_ids_in_natural_order() -> None:
    ids = ["sdn:100", "sdn:99", "sdn:1000", "QDi.10", "QDi.9"]
    assert sorted(ids, key=natural_key) == ["QDi.9", "QDi.10", "sdn:99", "sdn:100", "sdn:1000"]


def test_refuses_mismatched_lists_and_duplicate_ids() -> None:
    other = ParsedList(list_id="gb-ofsi", published=None, entities=[])
    with pytest.raises(ValueError, match="gb-ofsi"):
        diff_lists(other, listed(person("TAi.1", "A")))
    with pytest.raises(ValueError, match="appears twice"):
        diff_lists(None, listed(person("TAi.1", "A"), person("TAi.1", "B")))


def test_list_version_is_date_plus_hash_of_source_files() -> None:
    files = [
        SourceFile("/staging/un-sc/consolidated.xml", "ab" * 32, 10),
    ]
    dated = ParsedList("un-sc", date(2026, 8, 1), [person("TAi.1", "A")], files=files)
    version = list_version(dated)
    assert re.fullmatch(r"2026-08-01\+[0-9a-f]{8}", version)
    moved = copy.deepcopy(dated)
    moved.files[0].path = "/published/un-sc/CONSOLIDATED.XML"
    assert list_version(moved) == version, "the folder and case of a file do not matter"
    edited = copy.deepcopy(dated)
    edited.files[0].sha256 = "cd" * 32
    assert list_version(edited) != version
    undated = copy.deepcopy(dated)
    undated.published = None
    assert list_version(undated) == version.split("+")[1]


def test_list_version_without_files_hashes_the_entities() -> None:
    a = listed(person("TAi.1", "A"), published=None)
    b = listed(person("TAi.1", "B"), published=None)
    assert re.fullmatch(r"[0-9a-f]{8}", list_version(a))
    assert list_version(a) != list_version(b)


# --- real snapshots: ids established from the raw files ------------------------------------

_UN_REFERENCE = re.compile(r"<REFERENCE_NUMBER>(.*?)</REFERENCE_NUMBER>", re.S)


def un_raw_ids(day: str) -> set[str]:
    text = (shared_list("un-sc", day) / "consolidated.xml").read_text(encoding="utf-8")
    return {f"un-sc:{ref.strip()}" for ref in _UN_REFERENCE.findall(text)}


def uk_raw_groups(day: str) -> tuple[list[str], dict[str, list[list[str]]]]:
    """The header and the rows of each Group ID of the UK workbook, read with calamine."""
    book = CalamineWorkbook.from_path(str(shared_list("gb-ofsi", day) / "ConList.xlsx"))
    rows = book.get_sheet_by_index(0).to_python()
    header_at = next(i for i, row in enumerate(rows) if "Group ID" in row)
    header = [str(cell) for cell in rows[header_at]]
    column = header.index("Group ID")
    groups: dict[str, list[list[str]]] = defaultdict(list)
    for row in rows[header_at + 1 :]:
        group = row[column]
        if group not in ("", None):
            key = str(int(group)) if isinstance(group, float) else str(group).strip()
            groups[f"gb-ofsi:{key}"].append([str(cell) for cell in row])
    return header, dict(groups)


def ofac_raw_rows(day: str, name: str) -> dict[str, list[list[str]]]:
    """Rows of one OFAC CSV file by ent_num (first column), read with the csv module."""
    rows: dict[str, list[list[str]]] = defaultdict(list)
    path = shared_list("us-ofac-sdn", day) / name
    with path.open(encoding="latin-1", newline="") as handle:
        for row in csv.reader(handle):
            if row and row[0].strip().isdigit():
                rows[f"us-ofac-sdn:{row[0].strip()}"].append(row)
    return dict(rows)


def assert_ids_match(diff: ListDiff, before: set[str], after: set[str]) -> None:
    assert set(diff.added) == after - before
    assert set(diff.removed) == before - after
    assert len(diff.added) == len(set(diff.added)) and len(diff.removed) == len(set(diff.removed))
    changed = {c.id for c in diff.changed}
    assert changed <= before & after
    assert (diff.previous_count, diff.current_count) == (len(before), len(after))


@pytest.mark.shared_lists
@pytest.mark.parametrize(("old_day", "new_day"), UN_PAIRS)
def test_un_consecutive_versions_added_and_removed(old_day: str, new_day: str) -> None:
    diff = diff_lists(parsed_snapshot("un-sc", old_day), parsed_snapshot("un-sc", new_day))
    assert_ids_match(diff, un_raw_ids(old_day), un_raw_ids(new_day))
    assert diff.previous_version and diff.previous_version.startswith(old_day + "+")
    assert diff.current_version.startswith(new_day + "+")


def _un_raw_records(day: str) -> dict[str, etree._Element]:
    tree = etree.parse(str(shared_list("un-sc", day) / "consolidated.xml"))
    return {
        f"un-sc:{(el.findtext('REFERENCE_NUMBER') or '').strip()}": el
        for el in tree.iter("INDIVIDUAL", "ENTITY")
    }


def _texts(element: etree._Element, path: str) -> set[str]:
    return {" ".join((e.text or "").split()) for e in element.iterfind(path)} - {""}


@pytest.mark.shared_lists
@pytest.mark.parametrize(("old_day", "new_day"), UN_PAIRS)
def test_un_changed_entities_follow_the_raw_records(old_day: str, new_day: str) -> None:
    diff = diff_lists(parsed_snapshot("un-sc", old_day), parsed_snapshot("un-sc", new_day))
    old, new = _un_raw_records(old_day), _un_raw_records(new_day)
    changes = {c.id: c for c in diff.changed}
    for entity_id in old.keys() & new.keys():
        a, b = old[entity_id], new[entity_id]
        if etree.tostring(a, method="c14n") == etree.tostring(b, method="c14n"):
            assert entity_id not in changes, f"{entity_id} is byte-identical yet reported"
            continue
        if _texts(a, "COMMENTS1") != _texts(b, "COMMENTS1"):
            assert "remarks" in changes[entity_id].fields, entity_id
        if _texts(a, ".//ALIAS_NAME") != _texts(b, ".//ALIAS_NAME"):
            assert "names" in changes[entity_id].fields, entity_id
        if _texts(a, "UN_LIST_TYPE") != _texts(b, "UN_LIST_TYPE"):
            assert "programs" in changes[entity_id].fields, entity_id


@pytest.mark.shared_lists
def test_un_a_raw_alias_added_is_reported_as_that_name() -> None:
    """TAi.003 gained the alias "ABDUL KABIR MUHAMMAD JAN" between February and August 2026
    (read here from the raw XML), and the diff must say exactly that."""
    alias = "ABDUL KABIR MUHAMMAD JAN"
    before, after = _un_raw_records("2026-02-27"), _un_raw_records("2026-08-01")
    assert alias not in _texts(before["un-sc:TAi.003"], ".//ALIAS_NAME")
    assert alias in _texts(after["un-sc:TAi.003"], ".//ALIAS_NAME")
    diff = diff_lists(
        parsed_snapshot("un-sc", "2026-02-27"), parsed_snapshot("un-sc", "2026-08-01")
    )
    change = next(c for c in diff.changed if c.id == "un-sc:TAi.003")
    assert {"full": alias, "role": "aka"} in change.details["names"]["added"]
    assert diff.names["un-sc:TAi.003"] == "ABDUL KABIR MOHAMMAD JAN"


def test_ignored_property_keys_are_not_changes() -> None:
    old = person("TAi.1", "A")
    new = copy.deepcopy(old)
    new.properties["interpol_link"] = ["https://www.interpol.int/"]
    assert one_change(old, new)["fields"] == ["properties"]
    assert diff_lists(listed(old), listed(new), frozenset({"interpol_link"})).changed == []
    new.properties["title"] = ["Maulavi"]
    ignoring = diff_lists(listed(old), listed(new), frozenset({"interpol_link"}))
    assert ignoring.changed[0].details == {
        "properties": {"added": [], "removed": [{"key": "title", "value": "Haji"}]}
    }


@pytest.mark.shared_lists
def test_un_interpol_links_added_in_2026_can_be_ignored() -> None:
    """The August 2026 file gives (most) records an INTERPOL_LINK the February one lacked:
    ignored, the only changes left are real ones, all still reported."""
    old, new = parsed_snapshot("un-sc", "2026-02-27"), parsed_snapshot("un-sc", "2026-08-01")
    everything = diff_lists(old, new)
    ignoring = diff_lists(old, new, frozenset({"interpol_link"}))
    assert (ignoring.added, ignoring.removed) == (everything.added, everything.removed)
    assert {c.id for c in ignoring.changed} < {c.id for c in everything.changed}
    assert all(
        "interpol_link" not in {p["key"] for p in c.details.get("properties", {}).get("added", [])}
        for c in ignoring.changed
    )


@pytest.mark.shared_lists
def test_uk_two_versions() -> None:
    header, old = uk_raw_groups(UK_DAYS[0])
    _, new = uk_raw_groups(UK_DAYS[1])
    diff = diff_lists(
        parsed_snapshot("gb-ofsi", UK_DAYS[0]), parsed_snapshot("gb-ofsi", UK_DAYS[1])
    )
    assert_ids_match(diff, set(old), set(new))
    changes = {c.id: c for c in diff.changed}
    raw_changed = {g for g in old.keys() & new.keys() if sorted(old[g]) != sorted(new[g])}
    assert set(changes) <= raw_changed, "a group whose rows are identical cannot change"

    def column(rows: list[list[str]], name: str) -> set[str]:
        return {row[header.index(name)] for row in rows} - {""}

    for group in raw_changed:
        if column(old[group], "Other Information") != column(new[group], "Other Information"):
            assert "remarks" in changes[group].fields, group
        if column(old[group], "Nationality") != column(new[group], "Nationality"):
            assert "nationalities" in changes[group].fields, group
    assert changes, "the April 2025 versions differ in at least one group's rows"


@pytest.mark.shared_lists
def test_ofac_sdn_2021_to_2023() -> None:
    old_sdn, new_sdn = (
        ofac_raw_rows(OFAC_DAYS[0], "sdn.csv"),
        ofac_raw_rows(OFAC_DAYS[1], "sdn.csv"),
    )
    diff = diff_lists(
        parsed_snapshot("us-ofac-sdn", OFAC_DAYS[0]), parsed_snapshot("us-ofac-sdn", OFAC_DAYS[1])
    )
    assert_ids_match(diff, set(old_sdn), set(new_sdn))
    assert diff.previous_version and "+" not in diff.previous_version, "the CSV set has no date"

    changes = {c.id: c for c in diff.changed}
    side = {
        name: (ofac_raw_rows(OFAC_DAYS[0], name), ofac_raw_rows(OFAC_DAYS[1], name))
        for name in ("add.csv", "alt.csv", "sdn_comments.csv")
    }
    for entity_id in old_sdn.keys() & new_sdn.keys():
        (a,), (b,) = old_sdn[entity_id], new_sdn[entity_id]
        identical = a == b and all(
            before.get(entity_id) == after.get(entity_id) for before, after in side.values()
        )
        if identical:
            assert entity_id not in changes, f"{entity_id} is identical in all four files"
            continue

        def programs(row: list[str]) -> set[str]:
            return {p.strip(" []") for p in row[3].split("] [")} - {"", "-0-"}

        if programs(a) != programs(b):
            change = changes[entity_id]
            assert "programs" in change.fields, entity_id
            assert programs(b) - programs(a) <= set(change.details["programs"]["added"])
        if a[1].strip() != b[1].strip():
            assert "names" in changes[entity_id].fields, entity_id
