"""The candidate-recall measurement: its typo sets and its count of what was found."""

from __future__ import annotations

from core.model import Entity, Kind, Name, NameRole
from engines.embedded import EmbeddedIndex
from indexer.candidate_recall import Recall, hangul_of, typo_queries


def korean(entity_id: str, family: str, given: str) -> Entity:
    name = Name(f"{family}, {given}", NameRole.PRIMARY, given=given, family=family)
    return Entity(id=entity_id, list_id="t", kind=Kind.PERSON, names=[name], programs=["DPRK3"])


def test_a_listed_korean_name_is_written_back_in_hangul() -> None:
    # MR "un" is 운 and 은 alike: the first in code order stands in for either
    assert hangul_of(korean("k", "KIM", "Jong Un")) == "김정운"
    assert hangul_of(korean("r", "RI", "Pyong Chol")) == "리병철"
    assert hangul_of(korean("x", "SMITH", "John")) is None


def test_typo_sets_are_seeded_and_one_per_name() -> None:
    entities = [
        korean("k", "KIM", "Jong Un"),
        Entity(id="r", list_id="t", kind=Kind.ORGANIZATION, names=[Name("Рособоронэкспорт")]),
        Entity(id="l", list_id="t", kind=Kind.ORGANIZATION, names=[Name("ROSOBORONEXPORT")]),
    ]
    first, again = typo_queries(entities, 5, seed=3), typo_queries(entities, 5, seed=3)
    assert first == again
    assert [q[2] for q in first["Cyrl"]] == ["r"] and [q[2] for q in first["Hang"]] == ["k"]
    index = EmbeddedIndex(entities)
    recall = Recall()
    for typo, kind, entity_id, listed in first["Latn"] + first["Cyrl"]:
        assert typo != listed
        recall.add(index, typo, kind, entity_id)
    assert recall.queries == 3 and recall.found == recall.scored == 3
