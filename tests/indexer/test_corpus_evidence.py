"""A hard negative is kept only where the lists show its two sides are two parties: each
rule of indexer.corpus_evidence on small listings, and the corpus that drops the rest."""

from __future__ import annotations

from core.model import (
    Country,
    DateValue,
    Entity,
    Identifier,
    IdType,
    Kind,
    Name,
    ParsedList,
)
from indexer.corpus import build_corpus
from indexer.corpus_evidence import UNKNOWN, different_parties


def listing(
    entity_id: str,
    name: str,
    kind: Kind = Kind.PERSON,
    *,
    born: str | None = None,
    ids: tuple[Identifier, ...] = (),
    nationality: str | None = None,
    un_ref: str | None = None,
) -> Entity:
    entity = Entity(
        entity_id,
        entity_id.split(":", 1)[0],
        kind,
        [Name(name)],
        birth_dates=[DateValue(born)] if born else [],
        identifiers=list(ids),
        nationalities=[Country(nationality, nationality)] if nationality else [],
    )
    if un_ref:
        entity.properties = {"un_ref": [un_ref]}
    return entity


def test_two_entries_of_one_list_are_two_parties() -> None:
    one = listing("x:1", "Ali Hassan MOHAMMED")
    other = listing("x:2", "Ali Hassan MAHMOUD")
    assert different_parties([one], [other]) == "same_list"
    # a party linked across lists is compared by every listing it has
    assert different_parties([listing("y:1", "A B"), one], [other]) == "same_list"


def test_listings_of_two_lists_with_nothing_to_tell_them_apart_are_unknown() -> None:
    sber = listing("x:1", "SBERBANK ROSSII", Kind.ORGANIZATION)
    jsc = listing("y:1", "JSC SBERBANK OF RUSSIA", Kind.ORGANIZATION)
    assert different_parties([sber], [jsc]) == UNKNOWN
    # a date of birth on one side only says nothing either
    assert (
        different_parties([listing("x:1", "A B", born="1970-01-01")], [listing("y:1", "A C")])
        == UNKNOWN
    )


def test_different_full_dates_of_birth_and_kinds_are_two_parties() -> None:
    born_70 = listing("x:1", "Ali Hassan MOHAMMED", born="1970-01-01")
    born_80 = listing("y:1", "Ali Hasan MOHAMED", born="1980-02-02")
    assert different_parties([born_70], [born_80]) == "birth_date"
    company = listing("y:2", "MOHAMMED TRADING", Kind.ORGANIZATION)
    assert different_parties([born_70], [company]) == "kind"
    # a year alone is not a full date: no evidence
    year = listing("y:3", "Ali Hasan MOHAMED", born="1970")
    assert different_parties([born_70], [year]) == UNKNOWN


def test_different_references_and_imo_numbers_are_two_parties() -> None:
    one = listing("gb-ofsi:1", "A B", un_ref="QDi.001")
    other = listing("eu-fsf:1", "A C", un_ref="QDi.002")
    assert different_parties([one], [other]) == "un_reference"
    ship = listing("x:1", "SEA STAR", Kind.VESSEL, ids=(Identifier(IdType.IMO, "9187629"),))
    boat = listing("y:1", "SEA STARS", Kind.VESSEL, ids=(Identifier(IdType.IMO, "9191773"),))
    assert different_parties([ship], [boat]) == "imo"


def passport(value: str, country: str | None = None) -> Identifier:
    return Identifier(IdType.PASSPORT, value, country_code=country)


def test_different_identifiers_of_one_type_are_two_parties() -> None:
    one = listing("x:1", "A B", ids=(passport("A1234567", "IR"),))
    other = listing("y:1", "A C", ids=(passport("B7654321", "IR"),))
    assert different_parties([one], [other]) == "identifier"
    # no country on one side: still numbers of one type that differ
    unstated = listing("y:2", "A C", ids=(passport("B7654321"),))
    assert different_parties([one], [unstated]) == "identifier"
    # passports of two countries: a person may hold both, no evidence
    abroad = listing("y:3", "A C", ids=(passport("B7654321", "IQ"),))
    assert different_parties([one], [abroad]) == UNKNOWN
    # one number in common among several: the same holder, not two
    both = listing("y:4", "A C", ids=(passport("B7654321", "IR"), passport("A1234567", "IR")))
    assert different_parties([one], [both]) == UNKNOWN
    # different types say nothing: a passport against a national id
    card = listing(
        "y:5", "A C", ids=(Identifier(IdType.NATIONAL_ID, "99887766", country_code="IR"),)
    )
    assert different_parties([one], [card]) == UNKNOWN
    # registration and tax numbers are one family (core.identifiers)
    inn = Identifier(IdType.TAX_ID, "7831000122", country_code="RU")
    ogrn = Identifier(IdType.REGISTRATION, "1027800000084", country_code="RU")
    bank = listing("x:2", "BANK ONE", Kind.ORGANIZATION, ids=(inn,))
    other_bank = listing("y:6", "BANK ONE JSC", Kind.ORGANIZATION, ids=(ogrn,))
    assert different_parties([bank], [other_bank]) == "identifier"


def test_persons_of_no_common_nationality_are_two_parties() -> None:
    iraqi = listing("x:1", "Ali Hassan MOHAMMED", nationality="IQ")
    syrian = listing("y:1", "Ali Hasan MOHAMED", nationality="SY")
    assert different_parties([iraqi], [syrian]) == "nationality"
    assert different_parties([iraqi], [listing("y:2", "A C", nationality="IQ")]) == UNKNOWN
    # one party linked over two lists with two nationalities shares one with the other
    dual = [syrian, listing("z:1", "Ali Hasan MOHAMED", nationality="IQ")]
    assert different_parties([iraqi], dual) == UNKNOWN
    # nationality is a person's: companies of two countries are not told apart by it
    one = listing("x:2", "SEA TRADE", Kind.ORGANIZATION, nationality="IQ")
    other = listing("y:3", "SEA TRADING", Kind.ORGANIZATION, nationality="SY")
    assert different_parties([one], [other]) == UNKNOWN


def test_the_corpus_keeps_negatives_with_evidence_and_counts_the_dropped() -> None:
    query = Entity("x:1", "x", Kind.ORGANIZATION, [Name("SBERBANK ROSSII"), Name("SBERBANK PAO")])
    # another list's entry without evidence: one bank the links missed, maybe
    unknown = Entity("y:1", "y", Kind.ORGANIZATION, [Name("JSC SBERBANK OF RUSSIA")])
    # another entry of the query's own list: two parties
    same_list = Entity("x:2", "x", Kind.ORGANIZATION, [Name("SBERBANK LEASING")])
    corpus = build_corpus(
        [ParsedList("x", None, [query, same_list]), ParsedList("y", None, [unknown])]
    )
    negatives = [p for part in corpus.parts.values() for p in part if p.label == 0]
    assert negatives and {p.listing for p in negatives} == {"x:2"}
    assert {p.evidence for p in negatives} == {"same_list"}
    # the composition says how many were kept by which evidence, and how many were dropped
    table = corpus.composition["negative_evidence"]["by_part_and_family"]
    rows = [families["latin"] for families in table.values()]
    assert sum(row.get("kept", {}).get("same_list", 0) for row in rows) == len(negatives)
    assert sum(row.get("dropped", {}).get(UNKNOWN, 0) for row in rows) >= 1
