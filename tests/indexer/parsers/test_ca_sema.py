from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from core.model import DateKind, IdType, Kind, NameRole
from indexer.errors import ListFormatError
from indexer.parsers.ca_sema import parse_ca_sema_xml, regime_name, split_aliases
from tests.conftest import shared_list
from tests.indexer.parsers._bad_input import BILLION_LAUGHS, HTML_PAGE, truncated_copy

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "ca-sema" / "sema-lmes.xml"


def test_fixture_kinds_ids_and_names() -> None:
    parsed = parse_ca_sema_xml(FIXTURE, "ca-sema")
    by_id = {e.record_id: e for e in parsed.entities}
    assert list(by_id) == [
        "russia/1-part-1/1",
        "belarus/1-part-1/1",  # same Schedule + Item as above, another regime
        "russia/1-part-2/7",
        "iran/part-2/12",
        "russia/1-1/3",
        "guatemala/1",  # no Schedule in this regime
    ]
    person = by_id["russia/1-part-1/1"]
    assert person.kind is Kind.PERSON
    assert (person.names[0].full, person.names[0].given, person.names[0].family) == (
        "Pavel Sergeyevich Ivanov",
        "Pavel Sergeyevich",
        "Ivanov",
    )
    assert [(n.full, n.role, n.script) for n in person.names[1:]] == [
        ("Павел Сергеевич Иванов", NameRole.AKA, "Cyrl"),
        ("Павло Сергійович Іванов", NameRole.AKA, "Cyrl"),
    ]
    assert [(d.value, d.kind) for d in person.birth_dates] == [
        ("1963", DateKind.EXACT),
        ("1964", DateKind.EXACT),
    ]
    assert person.programs == ["Russia"] and person.listed_on == "2022-02-24"
    assert person.nationalities == [] and person.addresses == []
    colonel = by_id["belarus/1-part-1/1"]
    assert colonel.names[0].title == "Colonel"
    assert [n.full for n in colonel.names[1:]] == ["Павел Іваноў", "Павел Иванов"]
    company = by_id["russia/1-part-2/7"]
    assert company.kind is Kind.ORGANIZATION
    assert [n.full for n in company.names[1:]] == [
        'Научно-исследовательский институт "Поиск", АО',
        "НИИ Поиск",
    ]
    assert by_id["iran/part-2/12"].names[1].script == "Arab"
    ship = by_id["russia/1-1/3"]
    assert ship.kind is Kind.VESSEL
    assert [(i.type, i.value) for i in ship.identifiers] == [(IdType.IMO, "9234567")]
    assert ship.birth_dates == [] and ship.properties["build_date"] == ["2003"]
    assert ship.properties["vessel_type"] == ["Crude Oil Tanker"]


def test_regime_names() -> None:
    assert regime_name("Russia / Russie") == "Russia"
    assert regime_name("Venezuela ") == "Venezuela"
    assert (
        regime_name(
            "Justice for Victims of Corrupt Foreign Officials Regulations (JVCFOR) / "
            "Règlement relatif à la justice pour les victimes de dirigeants étrangers "
            "corrompus (RJVDEC)"
        )
        == "JVCFOR"
    )


@pytest.mark.parametrize(
    ("text", "person", "expected"),
    [
        ("Банк Зенит, ПАО", False, ["Банк Зенит, ПАО"]),
        ("ОАО, БЭТО", False, ["ОАО БЭТО"]),
        (
            "Radiological Chemical and Biological Defence troops, Войска радиационной, "
            "химической и биологической защиты, РХБЗ",
            False,
            [
                "Radiological Chemical and Biological Defence troops",
                "Войска радиационной, химической и биологической защиты",
                "РХБЗ",
            ],
        ),
        (
            "Nikita Ivanovich Samoilenko, Микита Іванович Самойленко and Никита Іванович "
            "Самойленко",
            True,
            [
                "Nikita Ivanovich Samoilenko",
                "Микита Іванович Самойленко",
                "Никита Іванович Самойленко",
            ],
        ),
        (
            "Sergei Evgenievich Tsivilyov; Сергей Евгеньевич Цивилев, or Цивилёв",
            True,
            ["Sergei Evgenievich Tsivilyov", "Сергей Евгеньевич Цивилев", "Цивилёв"],
        ),
        ("ПАО \"НК \"ЛУКОЙЛ\"/ ЛУКОЙЛ", False, ['ПАО "НК "ЛУКОЙЛ"', "ЛУКОЙЛ"]),
        ("Pasdaran-e Eslami/GRI", False, ["Pasdaran-e Eslami/GRI"]),
        ("Motah Trading LLC    Arabic: موتة للتجارة", False, ["Motah Trading LLC", "موتة للتجارة"]),
        ("Фонд «Помощь, Надежда»", False, ["Фонд «Помощь, Надежда»"]),
    ],
)  # fmt: skip
def test_alias_splitting(text: str, person: bool, expected: list[str]) -> None:
    assert split_aliases(text, person=person) == expected


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "file is empty"),
        (BILLION_LAUGHS, "DOCTYPE"),
        (HTML_PAGE, "root element is <html>"),
        ("<data-set></data-set>", "no <record>"),
        ("<data-set><record><Country>Iran</Country><Item>1</Item></record></data-set>", "no name"),
    ],
)
def test_bad_input_is_refused(tmp_path: Path, content: str, message: str) -> None:
    bad = tmp_path / "sema-lmes.xml"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(ListFormatError, match=message) as caught:
        parse_ca_sema_xml(bad, "ca-sema")
    assert str(bad) in str(caught.value)


def test_truncated_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ListFormatError, match=r"\(line \d+\): broken XML"):
        parse_ca_sema_xml(truncated_copy(FIXTURE, tmp_path / "sema-lmes.xml"), "ca-sema")


def test_repeated_record_is_refused(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8").replace("<Item>7</Item>", "<Item>1</Item>")
    text = text.replace("<Schedule>1, Part 2</Schedule>", "<Schedule>1, Part 1</Schedule>")
    bad = tmp_path / "sema-lmes.xml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ListFormatError, match="repeats the one at line 3"):
        parse_ca_sema_xml(bad, "ca-sema")


@pytest.mark.shared_lists
def test_real_snapshot() -> None:
    path = shared_list("ca-sema", "2025-03", "sema-lmes.xml")
    raw = path.read_text(encoding="utf-8")
    records = re.findall(r"<record>(.*?)</record>", raw, re.S)
    assert len(records) == 4759  # the README's figure, counted from the raw file
    people = sum(1 for r in records if "<LastName>" in r or "<GivenName>" in r)
    ships = sum(1 for r in records if "<ShipIMONumber>" in r)
    parsed = parse_ca_sema_xml(path.parent, "ca-sema")
    kinds = Counter(e.kind for e in parsed.entities)
    assert kinds[Kind.PERSON] == people
    assert kinds[Kind.VESSEL] == ships
    assert kinds[Kind.ORGANIZATION] == len(records) - people - ships
    assert len({e.id for e in parsed.entities}) == len(records)  # ids are unique
    with_aliases = sum(1 for r in records if re.search(r"<Aliases>\s*\S", r))
    assert sum(1 for e in parsed.entities if len(e.names) > 1) >= with_aliases - 10
    scripts = Counter(n.script for e in parsed.entities for n in e.names if n.role is NameRole.AKA)
    assert scripts["Cyrl"] > 2000 and scripts["Arab"] > 100 and scripts["Hani"] > 0
    assert all("\ufffd" not in n.full for e in parsed.entities for n in e.names)
    imo = [i.value for e in parsed.entities for i in e.identifiers if i.type is IdType.IMO]
    assert len(imo) == ships and all(re.fullmatch(r"\d{7}", v) for v in imo)
    dated = sum(1 for r in records if "<DateOfBirthOrShipBuildDate>" in r and "<ShipIMO" not in r)
    assert sum(1 for e in parsed.entities if e.birth_dates) >= dated - 5
