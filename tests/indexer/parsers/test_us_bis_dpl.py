"""The BIS Denied Persons List parser against a hand-written fixture and the real snapshot."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from core.model import Kind, NameRole
from indexer.errors import ListFormatError
from indexer.parsers._party_kind import infer_kind
from indexer.parsers.us_bis_dpl import parse_us_bis_dpl, record_id
from indexer.registry import parse_list
from tests.conftest import shared_list

LIST = "us-bis-dpl"


def test_fixture_rows_of_one_party_are_one_entity_with_several_addresses(fixtures: Path) -> None:
    parsed = parse_us_bis_dpl(fixtures / "us-bis-dpl", LIST)
    assert parsed.published is None
    names = [e.primary_name for e in parsed.entities]
    # Six rows: two address rows of the same party (same first FR citation) merge; the
    # same name under another citation (another denial) stays apart.
    assert names == [
        "JOHN Q. EXAMPLE",
        "EXAMPLE AIR CARGO LTD",
        "EXAMPLE AIR CARGO LTD",
        "EXAMPLETRONIC",
        "EXAMPLE-NET.COM",
    ]
    cargo = parsed.entities[1]
    assert [a.country_code for a in cargo.addresses] == ["AE", "IQ"]
    assert cargo.properties["federal_register_citation"] == [
        "80 F.R. 30435 5/28/15, 88 F.R. 30078 5/10/2023",
        "80 F.R. 30435 5/28/15",
    ]
    assert len({e.id for e in parsed.entities}) == 5


def test_fixture_fields(fixtures: Path) -> None:
    john = parse_us_bis_dpl(fixtures / "us-bis-dpl" / "dpl.txt", LIST).entities[0]
    assert re.fullmatch(r"us-bis-dpl:[0-9a-f]{16}", john.id)
    assert john.record_id == record_id("JOHN Q. EXAMPLE", "87 F.R. 52741 8/29/2022")
    assert john.kind is Kind.PERSON
    assert john.listed_on == "2022-08-24"
    assert john.properties["effective_date"] == ["2022-08-24"]
    assert john.properties["expiration_date"] == ["2026-01-14"]
    assert john.properties["standard_order"] == ["Y"]
    assert john.properties["action"] == ["F.R. NOTICE ADDED"]
    (address,) = john.addresses
    assert (address.street, address.city, address.region, address.postal_code) == (
        "100 MAIN STREET",
        "EL PASO",
        "TX",
        "79905",
    )
    assert address.country_code is None  # the row leaves the country empty: not invented


def test_record_id_is_stable_across_renewals_and_spacing() -> None:
    first = record_id("AIR FREIGHT LTD", "80 F.R. 30435 5/28/15")
    assert first == record_id("AIR  FREIGHT LTD", "80 F.R. 30435 5/28/15, 88 F.R. 30078 5/10/2023")
    assert first != record_id("AIR FREIGHT LTD", "73 F.R. 12073 3/6/08")
    assert first != record_id("AIR FREIGHT LIMITED", "80 F.R. 30435 5/28/15")


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("AIR FREIGHT LTD", Kind.ORGANIZATION),
        ("ELECMAT, INC.", Kind.ORGANIZATION),
        ("BIB INDUSTRIE-HANDEL DIPL.ING M. MANGELSEN GMBH", Kind.ORGANIZATION),
        ("GHARE SABZ CO.", Kind.ORGANIZATION),
        ("KOTO COMMERCIO IBERICA, S.L.", Kind.ORGANIZATION),
        ("SYNAPTIX.NET", Kind.ORGANIZATION),
        ("EMTRASUR", Kind.ORGANIZATION),
        # read as people before: a spaced dash, and business words missing from the list
        ("AVIASTAR - TU", Kind.ORGANIZATION),
        ("ADVANCED TECH SOLUTIONS", Kind.ORGANIZATION),
        ("HYDEL ENGINEERING PRODUCTS", Kind.ORGANIZATION),
        ("ADRIANA GABRIELA GUAJARDO-CAVAZOS", Kind.PERSON),
        ("ABEL HERNANDEZ, JR.", Kind.PERSON),
        ("I. ASH", Kind.PERSON),
        ("COLONEL ELYAZGI", Kind.PERSON),
    ],
)
def test_kind_is_inferred_from_business_words(name: str, kind: Kind) -> None:
    assert infer_kind(name) is kind


_HEADER = (
    '"Name"\t"Street_Address"\t"City"\t"State"\t"Country"\t"Postal_Code"\t"Effective_Date"'
    '\t"Expiration_Date"\t"Standard_Order"\t"Last_Update"\t"Action"\t"FR_Citation"'
)


def _dpl_row(name: str, citation: str) -> str:
    cells = [name, "", "MOSCOW", "", "RU", "", "02/10/2022", "", "Y", "2022-02-22", "", citation]
    return "\t".join(f'"{cell}"' for cell in cells)


@pytest.mark.parametrize(
    ("cell", "names", "kind"),
    [
        (
            "FUYI EXAMPLE A/K/A FRANK EXAMPLE",
            [("FUYI EXAMPLE", NameRole.PRIMARY), ("FRANK EXAMPLE", NameRole.AKA)],
            Kind.PERSON,
        ),
        (
            "EXAMPLE AIRLINES D/B/A EX7 AIRLINES",
            [("EXAMPLE AIRLINES", NameRole.PRIMARY), ("EX7 AIRLINES", NameRole.AKA)],
            Kind.ORGANIZATION,
        ),
        (
            "PEARL (A.K.A. NEI-CHIEN EXAMPLE) LI",
            [("PEARL LI", NameRole.PRIMARY), ("NEI-CHIEN EXAMPLE", NameRole.AKA)],
            Kind.PERSON,
        ),
        (
            "NEW EXAMPLE LTD F/K/A OLD EXAMPLE LTD AKA EXAMPLE",
            [
                ("NEW EXAMPLE LTD", NameRole.PRIMARY),
                ("OLD EXAMPLE LTD", NameRole.FKA),
                ("EXAMPLE", NameRole.AKA),
            ],
            Kind.ORGANIZATION,
        ),
        (
            "EXAMPLE SHOP T/A EXAMPLE TRADERS, ALSO KNOWN AS EXAMPLE BAZAAR",
            [
                ("EXAMPLE SHOP", NameRole.PRIMARY),
                ("EXAMPLE TRADERS", NameRole.AKA),
                ("EXAMPLE BAZAAR", NameRole.AKA),
            ],
            Kind.PERSON,  # no business word: the heuristic's stated bias
        ),
    ],
)
def test_aliases_inside_a_name_become_names_of_their_own(
    tmp_path: Path, cell: str, names: list[tuple[str, NameRole]], kind: Kind
) -> None:
    table = tmp_path / "dpl.txt"
    table.write_text(f"{_HEADER}\n{_dpl_row(cell, '87 F.R. 9030 2/17/2022')}\n")
    (entity,) = parse_us_bis_dpl(table, LIST).entities
    assert [(n.full, n.role) for n in entity.names] == names
    assert entity.kind is kind
    # the id stays that of the cell as written, as before the split
    assert entity.record_id == record_id(cell, "87 F.R. 9030 2/17/2022")
    assert entity.properties["name_as_listed"] == [cell]


def test_garbage_is_refused(tmp_path: Path, fixtures: Path) -> None:
    page = tmp_path / "dpl.txt"
    page.write_text("<html><head><title>404 Not Found</title></head></html>\n")
    with pytest.raises(ListFormatError, match="header lacks column"):
        parse_us_bis_dpl(page, LIST)
    text = (fixtures / "us-bis-dpl" / "dpl.txt").read_text()
    page.write_text(text[: text.index("EXAMPLETRONIC") + 30])
    with pytest.raises(ListFormatError, match="fields"):
        parse_us_bis_dpl(page, LIST)
    page.write_text("")
    with pytest.raises(ListFormatError, match="empty"):
        parse_us_bis_dpl(page, LIST)


@pytest.mark.shared_lists
def test_real_snapshot_counts_match_the_csv_module() -> None:
    path = shared_list("us-bis-dpl", "2023-11-30", "dpl.txt")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    assert len(rows) == 665
    parsed = parse_list(LIST, path.parent)
    assert parsed.format == "bis-dpl-txt"
    # Independent count of parties: distinct (name, first "<vol> F.R. <page>" citation).
    first_citation = re.compile(r"(\d+)\s*F\.?\s*R\.?\s*(\d+)")

    def party(row: dict[str, str]) -> tuple[str, str]:
        found = first_citation.search(row["FR_Citation"])
        citation = f"{found[1]}-{found[2]}" if found else " ".join(row["FR_Citation"].split())
        return " ".join(row["Name"].upper().split()), citation

    parties = {party(row) for row in rows}
    assert len(parsed.entities) == len(parties) == 547
    assert len({e.id for e in parsed.entities}) == 547
    distinct_addresses = {
        (
            party(r),
            *(
                " ".join(r[c].split())
                for c in ("Street_Address", "City", "State", "Postal_Code", "Country")
            ),
        )
        for r in rows
        if any(r[c].strip() for c in ("Street_Address", "City", "State", "Postal_Code", "Country"))
    }
    assert sum(len(e.addresses) for e in parsed.entities) == len(distinct_addresses)
    kinds = Counter(e.kind.value for e in parsed.entities)
    assert kinds == {"person": 439, "organization": 108}  # "AVIASTAR - TU" an organization
    names = {e.primary_name: e for e in parsed.entities}
    assert [(n.full, n.role) for n in names["FUYI SUN"].names] == [
        ("FUYI SUN", NameRole.PRIMARY),
        ("FRANK SUN", NameRole.AKA),
    ]
    s7 = names["SIBERIAN AIRLINES"]
    assert [n.full for n in s7.names] == ["SIBERIAN AIRLINES", "S7 AIRLINES"]
    assert s7.kind is Kind.ORGANIZATION
    assert [n.full for n in names["PEARL LI"].names] == ["PEARL LI", "NEI-CHIEN CHU"]
    assert names["AVIASTAR - TU"].kind is Kind.ORGANIZATION
    # ids are those of the name cells as written: the same as before the split
    assert s7.record_id == record_id(
        "SIBERIAN AIRLINES D/B/A S7 AIRLINES", s7.properties["federal_register_citation"][0]
    )
    with_country = Counter(e.addresses[0].country_code for e in parsed.entities if e.addresses)
    assert with_country["US"] > 50
