"""The corpus of name pairs made from the lists: positives of one party, hard negatives of
another without namesakes, the split by party, deterministic files."""

from __future__ import annotations

import json
import shutil
from collections import defaultdict
from pathlib import Path

import pytest

from core.model import DateValue, Entity, Kind, Name, NameRole, ParsedList
from core.normalise import normalise
from indexer.corpus import (
    build_corpus,
    latest_snapshots,
    main,
    part_of,
    read_part,
    write_corpus,
)
from indexer.corpus_pairs import Pair, namesake_key, script_family
from tests.linked_parties import KOMID_JA, KOMID_LISTINGS, linked_lists

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def fixture_shared(root: Path) -> Path:
    """A ../shared of official-format fixtures: the UN's list in two snapshots (only the
    later one is read), the UK's, SEMA's and METI's."""
    lists = root / "lists"
    for list_id, date, files in [
        ("un-sc", "2026-08-01", ["un-sc/consolidated.xml"]),
        ("gb-ofsi", "2025-04-14", ["gb-ofsi/ConList.csv"]),
        ("ca-sema", "2025-03", ["ca-sema/sema-lmes.xml"]),
        ("jp-meti-eul", "2025-09-29", ["jp-meti-eul/end_user_list.xlsx"]),
    ]:
        (lists / list_id / date).mkdir(parents=True)
        for name in files:
            shutil.copy(FIXTURES / name, lists / list_id / date)
    (lists / "un-sc" / "2025-11-20").mkdir()  # older, and not even a list file: never read
    (lists / "un-sc" / "2025-11-20" / "consolidated.xml").write_text("not xml")
    return root


def positives(corpus_parts: dict[str, list[Pair]]) -> list[Pair]:
    return [p for pairs in corpus_parts.values() for p in pairs if p.label == 1]


def test_the_latest_snapshot_of_each_list(tmp_path: Path) -> None:
    shared = fixture_shared(tmp_path)
    found = dict(latest_snapshots(shared / "lists"))
    assert found["un-sc"].name == "2026-08-01"
    assert sorted(found) == ["ca-sema", "gb-ofsi", "jp-meti-eul", "un-sc"]


def test_names_of_one_listing_are_aliases_and_cross_script_pairs(tmp_path: Path) -> None:
    assert main(["--shared", str(fixture_shared(tmp_path)), "--output", str(tmp_path / "c")]) == 0
    pairs = read_part(tmp_path / "c" / "fit.jsonl") + read_part(tmp_path / "c" / "check.jsonl")
    najjar = {(p.query, p.listed): p for p in pairs if p.listing == "un-sc:QDi.901"}
    alias = najjar["Hamid al-Najjar", "Hamed al-Najar"]
    assert (alias.pair, alias.family, alias.kind, alias.label) == ("alias", "latin", "person", 1)
    arabic = najjar["حامد يوسف عبد الكريم النجار", "HAMID YUSUF ABD AL-KARIM AL-NAJJAR"]
    assert (arabic.pair, arabic.family) == ("cross_script", "arabic")
    # both ways: the Latin query against the Arabic listed name is a Latin query
    assert najjar["HAMID YUSUF ABD AL-KARIM AL-NAJJAR", "حامد يوسف عبد الكريم النجار"].family == (
        "latin"
    )
    families = {p.family for p in pairs}
    assert {"latin", "cyrillic", "arabic", "chinese", "japanese"} <= families
    for pair in pairs:
        if pair.label == 1:
            assert normalise(pair.query) != normalise(pair.listed)
            assert pair.family == script_family(pair.query)
    composition = json.loads((tmp_path / "c" / "composition.json").read_text())
    assert sum(composition["pairs"].values()) == len(pairs)


def test_names_two_lists_give_one_party_are_cross_list_pairs() -> None:
    corpus = build_corpus(linked_lists())
    komid = [p for p in positives(corpus.parts) if p.listing in KOMID_LISTINGS]
    assert len({p.party for p in komid}) == 1
    kinds = {(p.query, p.listed): p.pair for p in komid}
    # METI's name with its acronym, against the UN's name: two listings, one script
    assert kinds["KOREA MINING DEVELOPMENT TRADING CORPORATION (KOMID)", KOMID_JA] == (
        "cross_script"
    )
    assert kinds["KOMID", "KOREA MINING DEVELOPMENT TRADING CORPORATION (KOMID)"] == "cross_list"
    # METI's Japanese name is kanji only: Chinese characters by script (core.scripts)
    kanji = [p for p in komid if p.query == KOMID_JA]
    assert kanji and {(p.family, p.pair) for p in kanji} == {("chinese", "cross_script")}
    # the UN, the UK, OFAC and trade.gov spell KOMID's name alike: no pair of those
    assert not [p for p in komid if normalise(p.query) == normalise(p.listed)]
    # the vessel YU SON is one name on two lists: nothing to pair
    assert not [p for p in positives(corpus.parts) if p.query == "YU SON"]


def person(entity_id: str, born: str, *names: str) -> Entity:
    roles = [NameRole.PRIMARY] + [NameRole.AKA] * (len(names) - 1)
    return Entity(
        entity_id,
        entity_id.split(":", 1)[0],
        Kind.PERSON,
        [Name(name, role) for name, role in zip(names, roles, strict=True)],
        birth_dates=[DateValue(born)],
    )


def namesake_lists() -> list[ParsedList]:
    listed = person("x:1", "1970-01-01", "Ali Hassan MOHAMMED", "Ali Hasan MOHAMED")
    # the same name in another order, born another day: another party, a namesake
    namesake = person("y:1", "1980-02-02", "MOHAMMED Ali Hassan")
    other = person("z:1", "1990-03-03", "Ali Hassan MAHMOUD")
    # another name, but born on the day x:1 was: one person the links missed, maybe
    unlinked = person("z:2", "1970-01-01", "Ali Hassan MOHAMMADI")
    return [
        ParsedList("x", None, [listed]),
        ParsedList("y", None, [namesake]),
        ParsedList("z", None, [other, unlinked]),
    ]


def test_hard_negatives_are_other_parties_and_never_namesakes() -> None:
    corpus = build_corpus(namesake_lists())
    pairs = [p for part in corpus.parts.values() for p in part]
    negatives = [p for p in pairs if p.label == 0]
    assert negatives and {p.pair for p in negatives} == {"hard_negative"}
    assert {p.listing for p in negatives} == {"z:1"}
    assert {p.query for p in negatives} == {"Ali Hassan MOHAMMED", "Ali Hasan MOHAMED"}
    assert {p.listed for p in negatives} == {"Ali Hassan MAHMOUD"}
    party_of = {p.listing: p.party for p in pairs if p.label == 1}
    for negative in negatives:
        assert negative.party == party_of["x:1"]  # the query's party, for the split
        assert namesake_key(negative.query) != namesake_key(negative.listed)
    # the namesake of the listed name is never a negative, whichever spelling is asked
    assert not [p for p in negatives if p.listing == "y:1"]


def test_every_pair_of_a_party_is_on_one_side_of_the_split() -> None:
    corpus = build_corpus(linked_lists() + namesake_lists())
    sides: dict[str, set[str]] = defaultdict(set)
    for part, pairs in corpus.parts.items():
        for pair in pairs:
            sides[pair.party].add(part)
            assert part_of(pair.party, 13) == part
    assert sides and all(len(found) == 1 for found in sides.values())
    # about seven parties in ten go to the fit part; another seed draws other parties
    ids = [f"P{i:04d}" for i in range(2000)]
    share = sum(part_of(pid, 13) == "fit" for pid in ids) / len(ids)
    assert 0.66 < share < 0.74
    assert [part_of(pid, 13) for pid in ids] != [part_of(pid, 14) for pid in ids]


def test_the_files_are_the_same_for_the_same_lists_and_seed(tmp_path: Path) -> None:
    for name in ("one", "two"):
        write_corpus(build_corpus(linked_lists() + namesake_lists()), tmp_path / name)
    for file in ("fit.jsonl", "check.jsonl", "composition.json"):
        assert (tmp_path / "one" / file).read_bytes() == (tmp_path / "two" / file).read_bytes()
    assert not list(tmp_path.glob("*/.*.tmp"))  # written to a temporary name, then renamed
    line = (tmp_path / "one" / "fit.jsonl").read_text().splitlines()[0]
    assert set(json.loads(line)) == {
        "query",
        "listed",
        "kind",
        "label",
        "pair",
        "family",
        "party",
        "listing",
        "variant",
        "evidence",
    }


@pytest.mark.parametrize(
    ("text", "family"),
    [
        ("Мухаммад Юсуф", "cyrillic"),
        ("محمد يوسف", "arabic"),
        ("華信船務", "chinese"),
        ("김정은", "korean"),
        ("キム・ジョンウン", "japanese"),
        ("朝鮮鉱業開発貿易会社", "chinese"),  # kanji alone: Chinese characters, by script
        ("Ελλάδα", "other"),
        ("KIM Jong Un", "latin"),
    ],
)
def test_script_families(text: str, family: str) -> None:
    assert script_family(text) == family
