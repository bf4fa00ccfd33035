"""The OFAC SDN CSV set parser: exact values from a hand-written fixture set in the
official format, bad input, and the real snapshots counted independently of the parser."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from core.model import (
    Address,
    Country,
    DateKind,
    DateValue,
    Entity,
    Identifier,
    IdType,
    Kind,
    NameRole,
    ParsedList,
    Place,
)
from indexer.errors import ListFormatError
from indexer.parsers.ofac_csv import parse_ofac_csv
from indexer.registry import parse_list
from tests.conftest import FIXTURES, shared_list

FIXTURE_SET = FIXTURES / "us-ofac-sdn"
LIST_ID = "us-ofac-sdn"


@pytest.fixture(scope="module")
def parsed() -> ParsedList:
    return parse_ofac_csv(FIXTURE_SET, LIST_ID)


def by_id(parsed: ParsedList, ent_num: str) -> Entity:
    return next(e for e in parsed.entities if e.id == f"{LIST_ID}:{ent_num}")


# --- the fixture set -------------------------------------------------------------------


def test_fixture_files_are_in_the_official_byte_format() -> None:
    for name in ("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"):
        data = (FIXTURE_SET / name).read_bytes()
        assert data.endswith(b"\r\n\x1a"), name
        assert not data.startswith(b"ent_num"), name  # no header row
    assert b",-0- ," in (FIXTURE_SET / "sdn.csv").read_bytes()


def test_every_entity_kind_and_provenance(parsed: ParsedList) -> None:
    assert [(e.id, e.kind) for e in parsed.entities] == [
        ("us-ofac-sdn:1001", Kind.PERSON),
        ("us-ofac-sdn:1002", Kind.PERSON),
        ("us-ofac-sdn:1003", Kind.ORGANIZATION),
        ("us-ofac-sdn:1004", Kind.VESSEL),
        ("us-ofac-sdn:1005", Kind.AIRCRAFT),
        ("us-ofac-sdn:1006", Kind.PERSON),
        ("us-ofac-sdn:1007", Kind.ORGANIZATION),
    ]
    assert parsed.published is None
    assert [Path(f.path).name for f in parsed.files] == [
        "sdn.csv",
        "add.csv",
        "alt.csv",
        "sdn_comments.csv",
    ]
    assert all(len(f.sha256) == 64 and f.size > 0 for f in parsed.files)
    assert by_id(parsed, "1003").source_url == (
        "https://sanctionssearch.ofac.treas.gov/Details.aspx?id=1003"
    )


def test_person_names_aliases_and_weak_aliases(parsed: ParsedList) -> None:
    names = by_id(parsed, "1001").names
    assert [(n.full, n.role, n.family, n.given, n.script) for n in names] == [
        ("HASSAN, Ahmad Ali", NameRole.PRIMARY, "HASSAN", "Ahmad Ali", "Latn"),
        ("HASAN, Ahmed Ali", NameRole.AKA, "HASAN", "Ahmed Ali", "Latn"),
        ("ABU ALI", NameRole.WEAK, None, None, "Latn"),
        ("THE ENGINEER", NameRole.WEAK, None, None, "Latn"),
    ]


def test_several_dobs_passports_nationality_and_citizenship(parsed: ParsedList) -> None:
    person = by_id(parsed, "1001")
    assert person.birth_dates == [
        DateValue("1960-01-01", DateKind.EXACT, None, "01 Jan 1960"),
        DateValue("1962", DateKind.EXACT, None, "1962"),
    ]
    assert person.birth_places == [Place("Tehran, Iran", "Iran", "IR")]
    assert person.nationalities == [Country("Iran", "IR")]
    assert person.citizenships == [Country("Iraq", "IQ")]
    assert person.gender == "male"
    assert person.programs == ["SDGT", "IRAN"]
    assert person.identifiers == [
        Identifier(IdType.PASSPORT, "A1234567", "Passport", "Iran", "IR", "expires 31 Dec 2020"),
        Identifier(
            IdType.PASSPORT,
            "B7654321",
            "Passport",
            "Iraq",
            "IQ",
            "issued 02 Feb 2015; expires 01 Feb 2025",
        ),
        Identifier(IdType.NATIONAL_ID, "0012345678", "National ID No.", "Iran", "IR"),
    ]
    assert person.properties == {
        "position": ["Deputy Commander", "Brigadier General"],
        "additional_sanctions_information": ["Subject to Secondary Sanctions"],
    }
    assert person.addresses == [
        Address(full="Tehran, Iran", city="Tehran", country="Iran", country_code="IR")
    ]


def test_circa_and_range_dates_and_two_nationalities(parsed: ParsedList) -> None:
    person = by_id(parsed, "1002")
    assert person.birth_dates == [
        DateValue("1955", DateKind.CIRCA, None, "circa 1955"),
        DateValue("1955", DateKind.RANGE, "1958", "1955 to 1958"),
    ]
    assert person.nationalities == [Country("Ukraine", "UA"), Country("Russia", "RU")]
    assert person.citizenships == [Country("Russia", "RU")]
    assert person.gender == "female"
    assert person.identifiers == [
        Identifier(IdType.TAX_ID, "771234567890", "Tax ID No.", "Russia", "RU"),
        Identifier(IdType.NATIONAL_ID, "12345678", "Cedula No.", "Colombia", "CO"),
    ]
    assert person.addresses == []  # add.csv holds only OFAC's all-"-0-" placeholder row


def test_comments_continue_cut_remarks_before_extraction(parsed: ParsedList) -> None:
    org = by_id(parsed, "1003")
    assert org.remarks is not None
    # the word cut at the end of sdn.csv's Remarks ("A") is completed by sdn_comments ("li")
    assert "Linked To: HASSAN, Ahmad Ali; Digital Currency Address - ETH" in org.remarks
    assert org.properties == {
        "organization_established": ["2005-03-12"],
        "linked_to": ["HASSAN, Ahmad Ali"],
    }
    assert org.identifiers == [
        Identifier(IdType.WEBSITE, "www.gulf-example-trading.ae", "Website"),
        Identifier(IdType.EMAIL, "info@gulf-example-trading.ae", "Email Address"),
        Identifier(IdType.SWIFT_BIC, "GEXTAEAD", "SWIFT/BIC"),
        Identifier(
            IdType.REGISTRATION, "1123581", "Registration Number", "United Arab Emirates", "AE"
        ),
        Identifier(
            IdType.CRYPTO_WALLET,
            "0x8576acc5c05d6ce88f4e49bf65bdf0c62f91353c",
            "Digital Currency Address - ETH",
        ),
        Identifier(IdType.PHONE, "97141234567", "Phone Number"),
    ]
    assert [(n.full, n.role) for n in org.names] == [
        ("GULF EXAMPLE TRADING LLC", NameRole.PRIMARY),
        ("OLD GULF TRADING CO.", NameRole.FKA),
        ("GULF EXAMPLE GENERAL TRADING L.L.C.", NameRole.FKA),  # nka
        ("GET", NameRole.WEAK),  # the weak a.k.a. came from sdn_comments.csv
    ]
    assert [a.country_code for a in org.addresses] == ["AE", "GB"]
    assert org.addresses[1] == Address(
        full="Unit 5, 2 Example Road, London EC3N 1DY, United Kingdom",
        street="Unit 5, 2 Example Road",
        city="London EC3N 1DY",
        country="United Kingdom",
        country_code="GB",
    )


def test_vessel_columns_and_imo(parsed: ParsedList) -> None:
    vessel = by_id(parsed, "1004")
    assert vessel.identifiers == [
        Identifier(IdType.OTHER, "9BXY1", "Call Sign"),
        Identifier(IdType.IMO, "9187629", "Vessel Registration Identification"),
        Identifier(IdType.MMSI, "422036100", "MMSI"),
    ]
    assert vessel.properties == {
        "vessel_type": ["Crude Oil Tanker"],
        "tonnage": ["150,000"],
        "gross_registered_tonnage": ["81,000"],
        "vessel_flag": ["Iran"],
        "vessel_owner": ["NATIONAL IRANIAN TANKER COMPANY"],
        "former_vessel_flag": ["Panama"],
        "linked_to": ["NATIONAL IRANIAN TANKER COMPANY"],
    }
    assert vessel.names[0].family is None  # not a person: no family/given split


def test_aircraft_serials_tail_and_facts(parsed: ParsedList) -> None:
    aircraft = by_id(parsed, "1005")
    assert aircraft.identifiers == [
        Identifier(
            IdType.AIRCRAFT_SERIAL,
            "1234",
            "Aircraft Construction Number (also called L/N or S/N or F/N)",
        ),
        Identifier(IdType.AIRCRAFT_SERIAL, "0567", "Aircraft Manufacturer's Serial Number (MSN)"),
        Identifier(IdType.AIRCRAFT_TAIL, "EP-ABC", "Aircraft Tail Number"),
    ]
    assert aircraft.properties == {
        "aircraft_manufacture_date": ["1994-04-01"],
        "aircraft_model": ["A310-304"],
        "aircraft_operator": ["MAHAN AIR"],
        "nationality_of_registration": ["Iran"],
        "linked_to": ["MAHAN AIR"],
    }
    assert aircraft.nationalities == []  # the registration country is not a nationality
    assert aircraft.programs == ["SDGT", "IRGC"]


def test_comma_country_names_and_month_precision(parsed: ParsedList) -> None:
    person = by_id(parsed, "1006")
    assert person.birth_dates == [
        DateValue("1970", DateKind.RANGE, "1972", "1970 to 1972"),
        DateValue("1971-03", DateKind.EXACT, None, "Mar 1971"),
    ]
    assert person.nationalities == [Country("Korea, North", "KP")]
    assert person.identifiers[0] == Identifier(
        IdType.PASSPORT, "563120356", "Passport", "Korea, North", "KP"
    )
    assert person.addresses[0].country_code == "KP"


def test_entity_without_remarks(parsed: ParsedList) -> None:
    org = by_id(parsed, "1007")
    assert org.remarks is None and org.identifiers == [] and org.addresses == []


def test_sdn_csv_path_uses_its_siblings(parsed: ParsedList) -> None:
    direct = parse_ofac_csv(FIXTURE_SET / "sdn.csv", LIST_ID)
    assert [e.to_dict() for e in direct.entities] == [e.to_dict() for e in parsed.entities]


def test_sdn_csv_alone_still_parses(tmp_path: Path) -> None:
    shutil.copy(FIXTURE_SET / "sdn.csv", tmp_path / "SDN.CSV")
    alone = parse_ofac_csv(tmp_path, LIST_ID)
    assert len(alone.entities) == 7
    assert [Path(f.path).name for f in alone.files] == ["SDN.CSV"]
    org = next(e for e in alone.entities if e.record_id == "1003")
    assert org.addresses == [] and [n.role for n in org.names] == [NameRole.PRIMARY]


def test_registry_picks_this_parser() -> None:
    result = parse_list(LIST_ID, FIXTURE_SET)
    assert result.format == "ofac-csv" and len(result.entities) == 7


def test_cp1252_bytes_decode(tmp_path: Path) -> None:
    row = b'5,"M\xdcLLER, J\xf6rg","individual","SDGT",' + b"-0- ," * 7 + b"-0- \r\n\x1a"
    (tmp_path / "sdn.csv").write_bytes(row)
    name = parse_ofac_csv(tmp_path, LIST_ID).entities[0].names[0]
    assert (name.full, name.family, name.given) == ("MÜLLER, Jörg", "MÜLLER", "Jörg")


# --- bad input -------------------------------------------------------------------------


def _broken_set(tmp_path: Path, name: str, data: bytes) -> Path:
    for child in FIXTURE_SET.iterdir():
        shutil.copy(child, tmp_path / child.name)
    (tmp_path / name).write_bytes(data)
    return tmp_path


def test_truncated_row_names_file_and_line(tmp_path: Path) -> None:
    lines = (FIXTURE_SET / "sdn.csv").read_bytes().split(b"\r\n")
    lines[2] = lines[2][: lines[2].index(b',"IRAN"')]  # record 3 loses its last 10 fields
    folder = _broken_set(tmp_path, "sdn.csv", b"\r\n".join(lines))
    with pytest.raises(ListFormatError, match=r"sdn\.csv \(line 3\): expected 12 fields, found 3"):
        parse_ofac_csv(folder, LIST_ID)


def test_unterminated_quote_names_the_line_it_opens(tmp_path: Path) -> None:
    data = (FIXTURE_SET / "alt.csv").read_bytes()
    cut = data[: data.index(b"OLD GULF") + 5]  # file cut inside the quoted alt_name of line 2
    folder = _broken_set(tmp_path, "alt.csv", cut)
    with pytest.raises(ListFormatError, match=r"alt\.csv \(line 2\): broken CSV record"):
        parse_ofac_csv(folder, LIST_ID)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "file is empty"),
        (b"\x1a", "file holds no records"),
        (b"\r\n\r\n\x1a", "file holds no records"),
        (b"<!DOCTYPE html>\n<html><body>Service unavailable</body></html>", r"\(line 1\).*HTML"),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00", r"\(line 1\).*binary"),
        (b"this is, not, an OFAC file\n", r"\(line 1\): expected 12 fields, found 3"),
    ],
)
def test_bad_sdn_file(tmp_path: Path, data: bytes, message: str) -> None:
    (tmp_path / "sdn.csv").write_bytes(data)
    with pytest.raises(ListFormatError, match=message) as error:
        parse_ofac_csv(tmp_path, LIST_ID)
    assert str(tmp_path / "sdn.csv") in str(error.value)


def test_side_file_pointing_to_a_missing_entry(tmp_path: Path) -> None:
    data = (FIXTURE_SET / "add.csv").read_bytes().replace(b"1007,208", b"9999,208")
    folder = _broken_set(tmp_path, "add.csv", data)
    with pytest.raises(ListFormatError, match=r"add\.csv \(line 8\): ent_num 9999 is not in"):
        parse_ofac_csv(folder, LIST_ID)


def test_unknown_sdn_type(tmp_path: Path) -> None:
    data = (FIXTURE_SET / "sdn.csv").read_bytes().replace(b'"vessel"', b'"spaceship"')
    folder = _broken_set(tmp_path, "sdn.csv", data)
    with pytest.raises(ListFormatError, match=r"sdn\.csv \(line 4\): unknown SDN_Type"):
        parse_ofac_csv(folder, LIST_ID)


def test_folder_without_sdn_csv(tmp_path: Path) -> None:
    shutil.copy(FIXTURE_SET / "alt.csv", tmp_path / "alt.csv")
    with pytest.raises(ListFormatError, match=r"expected one of sdn\.csv"):
        parse_ofac_csv(tmp_path, LIST_ID)


# --- the real snapshots, counted without the parser -------------------------------------

# One record per line in these files (no field holds a line break), so the figures below
# come from the raw lines. The same, by shell, e.g. for 2023-12-28:
#   grep -c '^[0-9]*,' sdn.csv                                      # 13821 entries
#   awk -F'"' '{print $5 == "," ? $6 : "-0-"}' sdn.csv | sort | uniq -c   # kinds
#   grep -c '^[0-9]*,' alt.csv                                      # 17091 aliases
#   grep -vc '^[0-9]*,[0-9]*,-0- ,-0- ,-0- ,' add.csv               # real addresses
_RECORD = re.compile(rb"^\d+,", re.M)
_SDN_TYPE = re.compile(rb'^\d+,"[^"]*",(-0- |"[a-z]+"),', re.M)
_PLACEHOLDER_ADDRESS = re.compile(rb"^\d+,\d+,-0- ,-0- ,-0- ,", re.M)
_ALT_TYPE = re.compile(rb'^\d+,\d+,"([a-z]+)",', re.M)
_TYPE_TO_KIND = {
    b'"individual"': Kind.PERSON,
    b"-0- ": Kind.ORGANIZATION,
    b'"vessel"': Kind.VESSEL,
    b'"aircraft"': Kind.AIRCRAFT,
}

SNAPSHOTS = [
    # date, entries per the shared README, aliases per the README (None: not stated)
    ("2021-07-07", 8976, None),
    ("2023-12-28", 13821, 17091),
    ("2024-05-03", 14965, None),
]


@pytest.fixture(scope="module")
def real_sets() -> dict[str, ParsedList]:
    """Each snapshot parsed once. (Parse time is measured by `make bench`, not here.)"""
    return {
        day: parse_ofac_csv(shared_list("us-ofac-sdn", day), LIST_ID) for day, _, _ in SNAPSHOTS
    }


@pytest.mark.shared_lists
@pytest.mark.parametrize(("day", "entries", "aliases"), SNAPSHOTS)
def test_real_snapshot_counts(
    real_sets: dict[str, ParsedList], day: str, entries: int, aliases: int | None
) -> None:
    folder = shared_list("us-ofac-sdn", day)
    parsed = real_sets[day]
    sdn = (folder / "sdn.csv").read_bytes()
    assert len(_RECORD.findall(sdn)) == entries == len(parsed.entities)
    assert len({e.id for e in parsed.entities}) == entries

    kinds = Counter(_TYPE_TO_KIND[t] for t in _SDN_TYPE.findall(sdn))
    assert sum(kinds.values()) == entries
    assert Counter(e.kind for e in parsed.entities) == kinds

    roles = Counter(n.role for e in parsed.entities for n in e.names)
    assert roles[NameRole.PRIMARY] == entries
    if (folder / "alt.csv").exists():
        alt = (folder / "alt.csv").read_bytes()
        alt_types = Counter(_ALT_TYPE.findall(alt))
        assert len(_RECORD.findall(alt)) == sum(alt_types.values())
        assert roles[NameRole.AKA] == alt_types[b"aka"]
        assert roles[NameRole.FKA] == alt_types[b"fka"] + alt_types[b"nka"]
        if aliases is not None:
            assert roles[NameRole.AKA] + roles[NameRole.FKA] == aliases
    if (folder / "add.csv").exists():
        add = (folder / "add.csv").read_bytes()
        real = len(_RECORD.findall(add)) - len(_PLACEHOLDER_ADDRESS.findall(add))
        assert sum(len(e.addresses) for e in parsed.entities) == real

    # weak aliases: every quoted x.k.a. in sdn.csv Remarks and the spillover file (an alias
    # cut across the two files has its "a.k.a. '" in sdn.csv only, so it counts once)
    text = sdn + ((folder / "sdn_comments.csv").read_bytes() if day != "2024-05-03" else b"")
    quoted = len(re.findall(rb"[afn]\.k\.a\. '", text))
    assert roles[NameRole.WEAK] == quoted

    # dates of birth: distinct "DOB ..." values per record
    dobs = sum(
        len(set(re.findall(rb"DOB ([^;\"]+?)(?:;|\.?\"\r?$)", line))) for line in sdn.splitlines()
    )
    assert sum(len(e.birth_dates) for e in parsed.entities) == dobs


@pytest.mark.shared_lists
def test_real_snapshot_known_entry(real_sets: dict[str, ParsedList]) -> None:
    parsed = real_sets["2023-12-28"]
    bank = next(e for e in parsed.entities if e.record_id == "306")
    assert bank.primary_name == "BANCO NACIONAL DE CUBA"
    assert bank.kind is Kind.ORGANIZATION and bank.programs == ["CUBA"]
    assert [n.full for n in bank.names if n.role is NameRole.WEAK] == ["BNC"]
    assert [a.country_code for a in bank.addresses] == ["CH", "ES", "JP", "PA"]
    # ent_num 28263's weak alias was cut mid-word in sdn.csv and ends in sdn_comments.csv
    hacker = next(e for e in parsed.entities if e.record_id == "28263")
    assert "snowsjohn" in [n.full for n in hacker.names if n.role is NameRole.WEAK]
    assert hacker.properties["linked_to"] == ["LAZARUS GROUP"]
