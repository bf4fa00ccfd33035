"""The corpus check: alert recall, false alerts and candidate recall per script family,
the query's own listed name never counting as finding its party."""

from __future__ import annotations

from pathlib import Path

from core.links import group_parties
from core.model import Entity, Kind, Name, NameRole, ParsedList
from indexer.corpus import build_corpus, write_corpus
from indexer.corpus_check import WRITTEN_BACK, NameIndex, check, typo_sample
from indexer.corpus_check import main as check_main
from indexer.corpus_pairs import Pair
from tests.indexer.test_corpus import fixture_shared, namesake_lists
from tests.linked_parties import linked_lists


def org(entity_id: str, *names: str) -> Entity:
    roles = [NameRole.PRIMARY] + [NameRole.AKA] * (len(names) - 1)
    return Entity(
        entity_id,
        entity_id.split(":", 1)[0],
        Kind.ORGANIZATION,
        [Name(name, role) for name, role in zip(names, roles, strict=True)],
    )


def test_a_party_is_found_only_by_its_other_names() -> None:
    entities = [
        org("t:1", "ROSOBORONEXPORT", "Рособоронэкспорт"),
        org("t:2", "SEVERSTAL"),
        org("t:3", "ROSNEFT TRADING"),
    ]
    party_of = group_parties(entities).party_of
    names = NameIndex(entities)
    one, two = party_of["t:1"], party_of["t:2"]
    # the Cyrillic name, left out, still finds its party through the Latin one
    assert names.finds("Рособоронэкспорт", Kind.ORGANIZATION, one, party_of, "рособоронэкспорт")
    # SEVERSTAL has no other name: without it nothing finds the party
    assert not names.finds("SEVERSTAL", Kind.ORGANIZATION, two, party_of, "severstal")
    assert names.finds("SEVERSTAL", Kind.ORGANIZATION, two, party_of, "")


def test_figures_per_family_over_a_small_corpus() -> None:
    parsed = linked_lists() + namesake_lists()
    entities = [entity for item in parsed for entity in item.entities]
    corpus = build_corpus(parsed)
    pairs = [pair for part in corpus.parts.values() for pair in part]
    figures = check(pairs, entities)
    total = figures["all"]
    assert total.alert_recall.count == sum(p.label for p in pairs)
    assert total.false_alerts.count == sum(1 - p.label for p in pairs)
    assert total.candidate_recall.count == total.alert_recall.count
    assert sum(f.alert_recall.count for k, f in figures.items() if k != "all") == (
        total.alert_recall.count
    )
    # "Ali Hasan MOHAMED" for "Ali Hassan MOHAMMED": one spelling of one name, an alert
    latin = figures["latin"]
    assert latin.alert_recall.hits >= 1 and latin.candidate_recall.hits >= 1
    # "Ali Hassan MAHMOUD" is another man: his name is no alert for either spelling
    assert total.false_alerts.count >= 2 and total.false_alerts.hits == 0


def test_typo_queries_are_seeded_and_differ_from_the_name() -> None:
    pairs = [
        Pair("Рособоронэкспорт", "ROSOBORONEXPORT", "organisation", 1, "cross_script",
             "cyrillic", "P1", "t:1", True),
        Pair("ROSOBORONEXPORT", "Рособоронэкспорт", "organisation", 1, "cross_script",
             "latin", "P1", "t:1", True),
        Pair("華信船務", "HUAXIN SHIPPING", "organisation", 1, "cross_script",
             "chinese", "P2", "t:2", True),
        # another name of the party, not a spelling of it: no typo of it is asked
        Pair("Рособоронэкспорт", "ROSVOORUZHENIE", "organisation", 1, "alias",
             "cyrillic", "P1", "t:1", False),
    ]  # fmt: skip
    first, again = typo_sample(pairs, 13, 10), typo_sample(pairs, 13, 10)
    assert first == again
    assert sorted(p.family for p, _typo in first) == ["cyrillic", "latin"]  # no Chinese typos
    assert all(p.variant for p, _typo in first)
    assert all(typo != pair.query for pair, typo in first)


def test_written_back_hangul_for_the_part_s_north_korean_persons() -> None:
    kim = Entity(
        "un-sc:KPi.001",
        "un-sc",
        Kind.PERSON,
        [Name("KIM, Jong Un", family="KIM", given="Jong Un"), Name("KIM Chong Un", NameRole.AKA)],
        programs=["DPRK"],
    )
    parsed = [ParsedList("un-sc", None, [kim])]
    corpus = build_corpus(parsed)
    pairs = [pair for part in corpus.parts.values() for pair in part]
    assert pairs
    figures = check(pairs, [kim])
    assert figures[WRITTEN_BACK].typo_candidate_recall.count == 1


def test_the_command_on_fixture_lists(tmp_path: Path, capsys: object) -> None:
    shared = fixture_shared(tmp_path)
    from indexer.corpus import build_corpus as build
    from indexer.corpus import load_latest

    write_corpus(build(load_latest(shared)), tmp_path / "c")
    args = ["--corpus", str(tmp_path / "c"), "--shared", str(shared)]
    assert check_main([*args, "--part", "check"]) == 0
    assert check_main([*args, "--part", "fit", "--json"]) == 0
