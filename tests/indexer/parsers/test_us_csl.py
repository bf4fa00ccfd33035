"""The CSL CSV parser against a hand-written fixture and the real 2022-05 snapshot."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from core.model import DateKind, IdType, Kind, NameRole
from indexer.errors import ListFormatError
from indexer.parsers.us_csl import parse_us_csl_csv, source_code
from indexer.registry import parse_list
from tests.conftest import shared_list

LIST = "us-csl"


def test_fixture_rows_become_entities_with_their_kinds(fixtures: Path) -> None:
    parsed = parse_us_csl_csv(fixtures / "us-csl", LIST)
    kinds = {e.record_id: e.kind for e in parsed.entities}
    assert kinds == {
        "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678": Kind.ORGANIZATION,  # empty type
        "90001": Kind.PERSON,
        "90002": Kind.ORGANIZATION,
        "90003": Kind.VESSEL,
        "90004": Kind.AIRCRAFT,
        "f00dfeedf00dfeedf00dfeedf00dfeedf00dfeed": Kind.ORGANIZATION,
        "c0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ff": Kind.ORGANIZATION,
    }
    assert parsed.published is None
    assert parsed.files[0].size == (fixtures / "us-csl" / "consolidated.csv").stat().st_size


def test_individual_names_dates_countries_ids(fixtures: Path) -> None:
    entity = next(
        e for e in parse_us_csl_csv(fixtures / "us-csl", LIST).entities if e.record_id == "90001"
    )
    assert entity.id == "us-csl:90001"
    assert entity.primary_name == "EXAMPLEV, Ivan Petrovich"
    assert entity.names[0].family == "EXAMPLEV" and entity.names[0].given == "Ivan Petrovich"
    assert [(n.full, n.role) for n in entity.names[1:]] == [
        ("EKZAMPLEV, Ivan", NameRole.AKA),
        ("IVANOV, Ivan", NameRole.AKA),
    ]
    assert entity.programs == ["SDGT", "IRGC"]
    assert [(d.value, d.kind, d.end) for d in entity.birth_dates] == [
        ("1962-08-06", DateKind.EXACT, None),
        ("1960", DateKind.CIRCA, None),
        ("1955", DateKind.RANGE, "1958"),
    ]
    assert [c.code for c in entity.nationalities] == ["RU", "SY"]
    assert [c.code for c in entity.citizenships] == ["RU"]
    assert entity.birth_places[0].country_code == "RU"
    assert [(a.full, a.country_code) for a in entity.addresses] == [
        ("Basrah, IQ", "IQ"),
        ("Lenina 1, Moscow, 101000, RU", "RU"),
    ]
    assert entity.gender == "male"
    passport, tax = entity.identifiers
    assert (passport.type, passport.value, passport.country_code) == (
        IdType.PASSPORT,
        "7100001",
        "RU",
    )
    assert passport.note == "expires 2024-01-02; issued 2014-01-03"
    assert (tax.type, tax.value, tax.label) == (IdType.TAX_ID, "123456789012", "Tax ID No.")
    assert entity.properties["sanctions_information"][0].startswith("Secondary sanctions risk:")
    assert entity.properties["title"] == ["Director"]
    assert entity.remarks == "(Linked To: EXAMPLE HOLDING LIMITED)"
    assert entity.source_url == "http://bit.ly/1I7ipyR"
    assert entity.properties["source_list_code"] == ["SDN"]


def test_rows_sharing_an_id_are_one_party_on_several_lists(fixtures: Path) -> None:
    parsed = parse_us_csl_csv(fixtures / "us-csl", LIST)
    assert len({e.id for e in parsed.entities}) == len(parsed.entities) == 7
    holding = next(e for e in parsed.entities if e.record_id == "90002")
    assert holding.properties["source_list_code"] == ["CAP", "SDN"]
    assert [i.type for i in holding.identifiers] == [IdType.REGISTRATION, IdType.WEBSITE]
    assert len(holding.addresses) == 1
    assert holding.addresses[0].country_code == "CY"


def test_dpl_row_vessel_aircraft_and_entity_list_row(fixtures: Path) -> None:
    entities = {e.record_id: e for e in parse_us_csl_csv(fixtures / "us-csl", LIST).entities}
    dpl = entities["a1b2c3d4e5f60718293a4b5c6d7e8f9012345678"]
    assert dpl.listed_on == "2022-08-24"
    assert dpl.properties["end_date"] == ["2026-01-14"]
    assert dpl.properties["federal_register_notice"] == ["87 F.R. 52741 8/29/2022"]
    assert dpl.properties["source_list_code"] == ["DPL"]
    assert dpl.addresses[0].country_code == "US"
    vessel = entities["90003"]
    assert [(i.type, i.value) for i in vessel.identifiers] == [
        (IdType.IMO, "9000001"),
        (IdType.MMSI, "422000001"),
    ]
    assert vessel.properties["vessel_flag"] == ["Iran"]
    assert vessel.properties["call_sign"] == ["EPBX1"]
    assert vessel.properties["former_vessel_flag"] == ["Panama"]
    aircraft = entities["90004"]
    assert aircraft.properties["aircraft_model"] == ["A300B4-605R"]
    assert [(i.type, i.value) for i in aircraft.identifiers] == [(IdType.AIRCRAFT_SERIAL, "530")]
    plant = entities["f00dfeedf00dfeedf00dfeedf00dfeedf00dfeed"]
    assert [n.full for n in plant.names] == [
        "Example Repair Plant",
        "Open Joint Stock Company Example Repair Plant",
        "JSC Example Repair Plant",
    ]
    assert plant.properties["license_policy"] == ["Policy of denial."]
    bank = entities["c0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ff"]
    assert bank.properties["source_list_code"] == ["NS-MBS"]
    assert {i.type for i in bank.identifiers} == {IdType.SWIFT_BIC, IdType.CRYPTO_WALLET}


def test_source_code() -> None:
    assert source_code("Entity List (EL) - Bureau of Industry and Security") == "EL"
    assert source_code("Military End User (MEU) List - Bureau of Industry and Security") == "MEU"
    assert source_code("no code") is None


def test_html_page_and_truncated_file_are_refused(tmp_path: Path, fixtures: Path) -> None:
    html = tmp_path / "consolidated.csv"
    html.write_text("<!DOCTYPE html><html><body>Service Unavailable</body></html>\n")
    with pytest.raises(ListFormatError, match="header lacks column"):
        parse_us_csl_csv(html, LIST)
    text = (fixtures / "us-csl" / "consolidated.csv").read_text()
    html.write_text(text[: text.index("90003") + 40])
    with pytest.raises(ListFormatError, match="fields"):
        parse_us_csl_csv(html, LIST)


@pytest.mark.shared_lists
def test_real_snapshot_counts_match_the_csv_module() -> None:
    path = shared_list("us-csl", "2022-05", "consolidated.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 14160
    parsed = parse_list(LIST, path.parent)
    assert parsed.format == "csl-csv"
    # One entity per distinct _id; the same _id on several lists is one party.
    assert len(parsed.entities) == len({r["_id"] for r in rows}) == 14048
    by_code: Counter[str] = Counter()
    for entity in parsed.entities:
        by_code.update(entity.properties["source_list_code"])
    per_list = Counter(
        source_code(source) for _id, source in {(r["_id"], r["source"]) for r in rows}
    )
    assert by_code == per_list
    assert by_code["SDN"] == 10026 and by_code["EL"] == 2001 and by_code["DPL"] == 462
    assert len(by_code) == 13
    first_type: dict[str, str] = {}
    for row in rows:
        first_type.setdefault(row["_id"], row["type"])
    expected = Counter(
        {
            "Individual": "person",
            "Entity": "organization",
            "Vessel": "vessel",
            "Aircraft": "aircraft",
            "": "organization",
        }[t]
        for t in first_type.values()
    )
    assert Counter(e.kind.value for e in parsed.entities) == expected
    assert expected["person"] == 5284
    assert sum(1 for e in parsed.entities if e.birth_dates) == len(
        {r["_id"] for r in rows if r["dates_of_birth"].strip()}
    )
