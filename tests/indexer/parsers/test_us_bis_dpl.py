"""The BIS Denied Persons List parser against a hand-written fixture and the real snapshot."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from core.model import Kind
from indexer.errors import ListFormatError
from indexer.parsers.us_bis_dpl import infer_kind, parse_us_bis_dpl, record_id
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
        ("ABEL HERNANDEZ, JR.", Kind.PERSON),
        ("I. ASH", Kind.PERSON),
        ("COLONEL ELYAZGI", Kind.PERSON),
    ],
)
def test_kind_is_inferred_from_business_words(name: str, kind: Kind) -> None:
    assert infer_kind(name) is kind


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
    assert kinds == {"person": 440, "organization": 107}
    with_country = Counter(e.addresses[0].country_code for e in parsed.entities if e.addresses)
    assert with_country["US"] > 50
