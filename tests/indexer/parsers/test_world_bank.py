"""The World Bank's debarred firms and individuals: the JSON of its list API.

A hand-written file in the API's format (tests/fixtures/world-bank-debarred) pins the
mapping; the two real snapshots (2020-09-17, 2021-01-16) pin the counts, each counted
again here straight from the raw JSON, and the diff between them.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from core.model import IdType, Kind, NameRole
from core.score import Query
from engines.embedded import EmbeddedIndex
from indexer.diff import diff_lists
from indexer.errors import ListFormatError
from indexer.parsers.world_bank import parse_world_bank_json
from indexer.registry import parse_list
from tests.conftest import FIXTURES, shared_list
from tests.indexer._real_lists import parsed_snapshot

FIXTURE = FIXTURES / "world-bank-debarred"
DAYS = ("2020-09-17", "2021-01-16")


def raw_records(day: str) -> list[dict[str, object]]:
    data = json.loads(shared_list("world-bank-debarred", day, "sanction_list.json").read_bytes())
    records: list[dict[str, object]] = data["response"]["ZPROCSUPP"]
    return records


def test_the_fixture_maps_every_field() -> None:
    parsed = parse_list("world-bank-debarred", FIXTURE)
    assert parsed.published == date(2021, 1, 16)  # LAST_REFRESH_DATE
    by_id = {e.record_id: e for e in parsed.entities}
    firm = by_id["421709"]
    assert firm.kind is Kind.ORGANIZATION
    assert [(n.full, n.role, n.script) for n in firm.names] == [
        ("JIANGSU ZHONGTIAN TECHNOLOGY CO., LTD.", NameRole.PRIMARY, "Latn"),
        ("江苏中天科技股份有限公司", NameRole.ORIGINAL_SCRIPT, "Hani"),
    ]
    assert (firm.listed_on, firm.ends_on) == ("2019-05-21", "2021-01-20")
    assert [(i.type, i.value, i.label) for i in firm.identifiers] == [
        (IdType.REGISTRATION, "91320600138346792B", "Reg. No.")
    ]
    assert firm.programs == ["DEBARRED"]
    assert firm.properties["grounds"] == ["Procurement Guidelines, 1.16(a)(ii)"]
    assert firm.properties["footnote"] == ["479"]
    address = firm.addresses[0]
    assert (address.city, address.country, address.country_code) == (
        "JIANGSU PROVINCE",
        "China",
        "CN",
    )
    assert firm.remarks == "(江苏中天科技股份有限公司)(Reg. No.: 91320600138346792B)*479"

    person = by_id["900101"]
    assert person.kind is Kind.PERSON
    assert (person.names[0].full, person.names[0].title) == ("JONATHAN EXAMPLE MARLOWE", "MR")
    assert person.ends_on is None  # 2999-12-31: no end
    assert person.properties["ineligibility"] == ["Permanent"]
    assert person.identifiers[0].type is IdType.NATIONAL_ID

    former = by_id["900102"]
    assert [(n.full, n.role) for n in former.names] == [
        ("SNC-LAVALIN GEM QUEBEC INC.", NameRole.PRIMARY),
        ("GROUPE QUALITAS INC.", NameRole.FKA),
    ]
    assert former.properties["ineligibility"] == ["Ongoing"]

    alias_row = by_id["900103"]  # a listing of another name of a party
    assert [(n.full, n.role) for n in alias_row.names] == [
        ("COMPEQ", NameRole.PRIMARY),
        ("COMÉRCIO PRODUTOS E EQUIPAMENTOS LTDA", NameRole.AKA),
    ]
    assert alias_row.programs == ["X-DEBARRED"]  # cross-debarred after the IDB
    unstated = by_id["900104"]  # type "U": the name decides
    assert unstated.kind is Kind.PERSON


def test_an_expired_debarment_matches_but_does_not_alert() -> None:
    parsed = parse_world_bank_json(FIXTURE, "world-bank-debarred")
    index = EmbeddedIndex(parsed.entities)
    (hit, *_) = index.screen(Query("Jiangsu Zhongtian Technology Co Ltd"), limit=3)
    assert hit.entity.record_id == "421709"
    assert hit.explanation.alert  # the name alone would alert
    assert hit.listing_ended and not hit.alert
    (permanent, *_) = index.screen(Query("Jonathan Example Marlowe"), limit=3)
    assert permanent.entity.record_id == "900101" and permanent.alert
    assert not permanent.listing_ended
    entity = hit.entity
    assert not entity.listing_ended(date(2021, 1, 20))  # the last day is still in force
    assert entity.listing_ended(date(2021, 1, 21))


@pytest.mark.parametrize("day", DAYS)
def test_real_snapshots_parse_with_the_counts_of_the_raw_files(day: str) -> None:
    records = raw_records(day)
    parsed = parsed_snapshot("world-bank-debarred", day)
    assert len(parsed.entities) == len(records) == {"2020-09-17": 1225, "2021-01-16": 1264}[day]
    assert {e.record_id for e in parsed.entities} == {str(r["SUPP_ID"]) for r in records}
    people = sum(1 for r in records if r["SUPP_TYPE_CODE"] == "I")
    assert sum(1 for e in parsed.entities if e.kind is Kind.PERSON) >= people
    ending = sum(1 for r in records if str(r["DEBAR_TO_DATE"])[:4] < "2999")
    assert sum(1 for e in parsed.entities if e.ends_on) == ending
    refreshed = {str(r["LAST_REFRESH_DATE"])[:10] for r in records}
    assert parsed.published is not None and {parsed.published.isoformat()} == refreshed
    chinese = sum(
        1
        for r in records
        if any("\u4e00" <= c <= "\u9fff" for c in f"{r['SUPP_NAME']} {r['ADD_SUPP_INFO']}")
    )
    originals = [e for e in parsed.entities if any(n.script == "Hani" for n in e.names)]
    assert len(originals) == chinese


def test_the_diff_between_the_two_real_versions() -> None:
    old_records, new_records = raw_records(DAYS[0]), raw_records(DAYS[1])
    old_ids = {str(r["SUPP_ID"]) for r in old_records}
    new_ids = {str(r["SUPP_ID"]) for r in new_records}
    diff = diff_lists(
        parsed_snapshot("world-bank-debarred", DAYS[0]),
        parsed_snapshot("world-bank-debarred", DAYS[1]),
    )
    prefix = "world-bank-debarred:"
    assert {i.removeprefix(prefix) for i in diff.added} == new_ids - old_ids
    assert {i.removeprefix(prefix) for i in diff.removed} == old_ids - new_ids
    assert (len(diff.added), len(diff.removed)) == (len(new_ids - old_ids), len(old_ids - new_ids))

    # A changed period is a change of the listing: every record whose end moved (the year
    # 2999 being "no end": an end date replaced by an ongoing debarment is a change too).
    def end(record: dict[str, object]) -> object:
        text = str(record["DEBAR_TO_DATE"])
        return None if text[:4] >= "2999" else text

    old_by_id = {str(r["SUPP_ID"]): r for r in old_records}
    moved = {
        str(r["SUPP_ID"])
        for r in new_records
        if str(r["SUPP_ID"]) in old_by_id and end(r) != end(old_by_id[str(r["SUPP_ID"])])
    }
    ends_changed = {c.id.removeprefix(prefix) for c in diff.changed if "ends_on" in c.fields}
    assert ends_changed == moved
    assert diff.previous_published == "2020-09-17" and diff.current_published == "2021-01-16"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "file is empty"),
        (b"{not json", "broken JSON"),
        (b'{"response": {"FIRMS": []}}', "no response.ZPROCSUPP array"),
        (b'{"response": {"ZPROCSUPP": []}}', "holds no records"),
        (b'{"response": {"ZPROCSUPP": [{"SUPP_NAME": "X"}]}}', "without SUPP_ID"),
        (b'{"response": {"ZPROCSUPP": ["x"]}}', "not a JSON object"),
        (
            b'{"response": {"ZPROCSUPP": [{"SUPP_ID": 1, "SUPP_NAME": "A B"},'
            b' {"SUPP_ID": 1, "SUPP_NAME": "A B"}]}}',
            "SUPP_ID 1 appears twice",
        ),
    ],
)
def test_broken_files_are_refused_naming_the_problem(
    tmp_path: Path, body: bytes, message: str
) -> None:
    (tmp_path / "sanction_list.json").write_bytes(body)
    with pytest.raises(ListFormatError, match=message):
        parse_world_bank_json(tmp_path, "world-bank-debarred")
