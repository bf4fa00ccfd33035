"""India's banned organisations: the Ministry of Home Affairs' web page, read from its table.

The hand-written page (tests/fixtures/in-mha-banned) has the ministry's markup around a
few rows; the real page saved on 2023-12-18 pins the count, counted again here from the
raw HTML with a regular expression (independently of the parser's HTML reader).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from core.model import Kind, NameRole
from indexer.errors import ListFormatError
from indexer.parsers.in_mha import organisation_names, parse_in_mha_html
from indexer.registry import parse_list
from tests.conftest import FIXTURES, shared_list

FIXTURE = FIXTURES / "in-mha-banned"
DAY = "2023-12-18"


def test_the_fixture_page_is_read_from_its_table() -> None:
    parsed = parse_list("in-mha-banned", FIXTURE)
    assert parsed.published == date(2017, 11, 20)  # the footer, later than "As on 30-03-2015"
    assert [e.record_id for e in parsed.entities] == ["5", "11", "25", "39"]
    lashkar, ulfa, mcc, nscn = parsed.entities
    assert [(n.full, n.role) for n in lashkar.names] == [
        ("Lashkar-E-Taiba", NameRole.PRIMARY),
        ("Pasban-E-Ahle Hadis", NameRole.AKA),
    ]
    assert [n.full for n in ulfa.names] == ["United Liberation Front of Assam", "ULFA"]
    assert [n.full for n in mcc.names] == ["Maoist Communist Centre", "MCC"]
    assert mcc.properties["scope"] == ["all its formations and front organisations"]
    assert [n.full for n in nscn.names] == [
        "National Socialist Council of Nagaland (Khaplang)",
        "NSCN (K)",
    ]
    assert nscn.properties["name_as_listed"][0].startswith("National Socialist Council")
    assert all(e.kind is Kind.ORGANIZATION for e in parsed.entities)
    assert lashkar.programs == ["UAPA 1967, First Schedule (terrorist organisations)"]
    assert lashkar.source_url == "https://www.mha.gov.in/en/banned-organisations"


@pytest.mark.parametrize(
    ("cell", "names", "scope"),
    [
        ("Babbar Khalsa International", ["Babbar Khalsa International"], None),
        (
            "Harkat-Ul-Mujahideen/Harkat-Ul-Ansar/Harkat-Ul-Jehad-E-Islami",
            ["Harkat-Ul-Mujahideen", "Harkat-Ul-Ansar", "Harkat-Ul-Jehad-E-Islami"],
            None,
        ),
        (
            "National Democratic Front of Bodoland (NDFB) in Assam",
            ["National Democratic Front of Bodoland in Assam", "NDFB"],
            None,
        ),
        (
            "Communist Party of India (Maoist) all its formations and front organizations.",
            ["Communist Party of India (Maoist)"],  # not an abbreviation: part of the name
            "all its formations and front organizations",
        ),
        (
            "Islamic State/Islamic State of Iraq and Levant /Islamic State of Iraq and "
            "Syria/Daish, and all its Manifestations",
            [
                "Islamic State",
                "Islamic State of Iraq and Levant",
                "Islamic State of Iraq and Syria",
                "Daish",
            ],
            "all its manifestations",
        ),
    ],
)
def test_names_aliases_abbreviations_and_scope(
    cell: str, names: list[str], scope: str | None
) -> None:
    assert organisation_names(cell) == (names, scope)


def test_the_real_page_parses_with_the_count_of_its_table() -> None:
    path = shared_list("in-mha-banned", DAY, "banned-organisations.html")
    raw = path.read_text(encoding="utf-8")
    numbers = re.findall(r"<tr>\s*<td>(\d+)</td>\s*<td>", raw)
    assert len(numbers) == 39
    parsed = parse_list("in-mha-banned", path.parent)
    assert [e.record_id for e in parsed.entities] == numbers
    assert parsed.published == date(2017, 11, 20)
    by_id = {e.record_id: e for e in parsed.entities}
    assert [n.full for n in by_id["21"].names] == ["Liberation Tigers of Tamil Eelam", "LTTE"]
    assert len(by_id["38"].names) == 4
    assert sum(1 for e in parsed.entities if "scope" in e.properties) == 8
    # Aliases, counted from the cells: one per "/", one per bracketed abbreviation, and
    # the abbreviation after a comma ("..., NSCN (K)").
    cells = re.findall(r"<tr>\s*<td>\d+</td>\s*<td>(.*?)</td>", raw)
    expected = sum(c.count("/") + len(re.findall(r"\(([A-Z]{2,})\)", c)) for c in cells)
    expected += sum(1 for c in cells if re.search(r", [A-Z]{2,} \([A-Z]\)", c))
    assert sum(len(e.names) - 1 for e in parsed.entities) == expected == 24


@pytest.mark.parametrize(
    ("page", "message"),
    [
        (
            "<html><body><p>Service unavailable</p></body></html>",
            "no table of banned organisations",
        ),
        (
            "<html><body><table><tr><th>Name</th><th>Country</th></tr>"
            "<tr><td>A</td><td>B</td></tr></table></body></html>",
            "no table of banned organisations",
        ),
        (
            "<html><body><table><tr><th>Sl -No</th><th>Organisation</th></tr>"
            "</table></body></html>",
            "has no rows",
        ),
        (
            "<html><body><table><tr><th>Sl -No</th><th>Organisation</th></tr>"
            "<tr><td>one</td><td>X</td></tr></table></body></html>",
            "'one' is not a number",
        ),
        (
            "<html><body><table><tr><th>Sl -No</th><th>Organisation</th></tr>"
            "<tr><td>1</td><td>X</td></tr><tr><td>1</td><td>Y</td></tr></table></body></html>",
            "serial number 1 appears twice",
        ),
    ],
)
def test_a_page_without_the_table_is_refused(tmp_path: Path, page: str, message: str) -> None:
    (tmp_path / "banned-organisations.html").write_text(page, encoding="utf-8")
    with pytest.raises(ListFormatError, match=message):
        parse_in_mha_html(tmp_path, "in-mha-banned")
