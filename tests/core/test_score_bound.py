"""The score bound that lets screening skip names that cannot reach the alert threshold:
it must never be below the score the full alignment gives, or an alert would be lost."""

from __future__ import annotations

import csv

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from core.alignment import WEAK_ALIAS_FACTOR, align_forms
from core.edges import token_edges
from core.model import Kind
from core.names import NameToken, TokenRole
from core.score import (
    Evidence,
    PreparedName,
    best_alignment,
    best_name_match,
    default_rarity,
    form_weights,
    learn_spellings,
    name_floor,
    prepare_name,
    score_bound,
    string_similarity,
)
from core.token_similarity import (
    _alike_bound,
    _letter_mask,
    _spelling,
    _surely_apart,
    token_similarity,
)
from tests.conftest import SHARED

CASES = SHARED / "eval" / "peers" / "nomenklatura-name-bench" / "cases.csv"

# Names whose alignments exercise every kind of edge and penalty: exact, fuzzy, variant,
# phonetic, glued, acronym, initials, legal forms, filiation, patronymics, syllabic scripts.
HAND_PICKED = [
    ("Muhammad bin Salman", "Salman bin Muhammad", Kind.PERSON),
    ("Abdulrahman Hassan", "Abd al Rahman HASAN", Kind.PERSON),
    ("People's Liberation Army", "PLA", Kind.ORGANIZATION),
    ("A.B.C. Trading LLC", "ABC Trading OOO", Kind.ORGANIZATION),
    ("Deutsche Bank AG", "Deutsche Bank GmbH", Kind.ORGANIZATION),
    ("Hans O Friedrich", "Hans Joachim Friedrich", Kind.PERSON),
    ("Oleksandr Ivanov", "Oleksandrovych Ivanov", Kind.PERSON),
    ("Alexsandr Wiktorowytsch JANUKOWYTSCH", "Viktor Fedorovych YANUKOVYCH", Kind.PERSON),
    ("김정은", "김정일", Kind.PERSON),
    ("Kim Jong Un", "김정은", Kind.PERSON),
    ("Мухаммад Юсуф", "Muhammad YUSUF", None),
    ("Fund XI", "Fund X", None),
    ("N.N.", "Nursultan Nazarbayev", Kind.PERSON),
    ("Mohammed", "Mohammed Ali Hassan al-Tikriti", Kind.PERSON),
]


def assert_bound_holds(query: PreparedName, listed: PreparedName) -> None:
    rarity = default_rarity()
    for qf, wq in zip(query.forms, form_weights(query, rarity), strict=True):
        for lf, wl in zip(listed.forms, form_weights(listed, rarity), strict=True):
            alignment = align_forms(qf, lf, rarity, listed.distinctive, (wq, wl))
            assert alignment is not None
            bound = score_bound(token_edges(qf, lf, wq, wl), wq, wl)
            assert alignment.score <= bound + 1e-12, (qf.romanisation, lf.romanisation)


def assert_floor_changes_nothing_it_keeps(query: PreparedName, listed: PreparedName) -> None:
    """With a floor, the best alignment is the same whenever it reaches the floor."""
    rarity = default_rarity()
    full = best_alignment(query, listed, rarity)
    assert full is not None
    for floor in (0.2, 0.45, 0.62, full.score, 0.8, 0.95):
        kept = best_alignment(query, listed, rarity, floor=floor)
        if full.score >= floor:
            assert kept is not None and kept.score == full.score
            assert kept.query_form == full.query_form and kept.edges == full.edges
        else:
            assert kept is None or kept.score < floor


@pytest.mark.parametrize(("query", "listed", "kind"), HAND_PICKED)
def test_bound_is_never_below_the_score(query: str, listed: str, kind: Kind | None) -> None:
    q, lst = prepare_name(query, kind), prepare_name(listed, kind)
    assert_bound_holds(q, lst)
    assert_bound_holds(lst, q)
    assert_floor_changes_nothing_it_keeps(q, lst)


def test_bound_holds_on_the_pair_benchmark() -> None:
    with CASES.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) > 400
    for row in rows:
        kind = Kind.PERSON if row["schema"] == "Person" else None
        query, listed = prepare_name(row["name1"], kind), prepare_name(row["name2"], kind)
        assert_bound_holds(query, listed)
        assert_floor_changes_nothing_it_keeps(query, listed)


TOKENS = [
    "muhammad", "mohammed", "yusuf", "yousef", "ali", "hassan", "hussein", "bin", "al",
    "abd", "rahman", "abdulrahman", "kim", "jong", "un", "ivanov", "iwanow", "ivanovich",
    "petrov", "trading", "company", "llc", "ltd", "gmbh", "bank", "a", "b", "c", "j",
    "xi", "ii", "3", "sergei", "sergeevich", "of", "the", "and", "abc", "pla", "people",
    "liberation", "army", "shipping", "zawahiri",
]  # fmt: skip
names = st.lists(st.sampled_from(TOKENS), min_size=1, max_size=6).map(" ".join)
kinds = st.sampled_from([None, Kind.PERSON, Kind.ORGANIZATION])


@settings(max_examples=300, deadline=None)
@given(query=names, listed=names, kind=kinds)
def test_bound_holds_for_generated_names(query: str, listed: str, kind: Kind | None) -> None:
    q, lst = prepare_name(query, kind), prepare_name(listed, kind)
    assume(q.forms and lst.forms)  # a name that is only a legal form ("company") has none
    assert_bound_holds(q, lst)
    assert_floor_changes_nothing_it_keeps(q, lst)


def test_best_name_match_with_a_floor_keeps_the_best_name_or_none() -> None:
    rarity = default_rarity()
    query = prepare_name("Mohamed Yousef Hassan", Kind.PERSON)
    names = [
        prepare_name(text, Kind.PERSON)
        for text in ("Ali Hassan", "Muhammad YUSUF HASAN", "Yusuf Islam", "Mohammed Ali")
    ]
    listed = [(name, form_weights(name, rarity)) for name in names]
    weights = form_weights(query, rarity)
    full = best_name_match(query, weights, listed, rarity)
    assert full is not None and full.listed_name == "Muhammad YUSUF HASAN"
    assert best_name_match(query, weights, listed, rarity, floor=full.score) == full
    above = best_name_match(query, weights, listed, rarity, floor=full.score + 0.01)
    assert above is None or above.score < full.score + 0.01  # the bound may be loose
    unrelated = prepare_name("Vladimir Petrov", Kind.PERSON)
    assert best_name_match(unrelated, form_weights(unrelated, rarity), listed, rarity, 0.5) is None
    assert WEAK_ALIAS_FACTOR < 1.0  # weak aliases must beat the best after their factor


def test_name_floor_allows_for_evidence_and_rounding() -> None:
    assert name_floor(0.0, [Evidence("country", 0.02, "")]) == 0.0
    assert name_floor(0.62, []) == pytest.approx(0.6199)
    boosted = [Evidence("birth_date", 0.05, ""), Evidence("country", 0.02, "")]
    assert name_floor(0.62, boosted) == pytest.approx(0.5499)
    assert name_floor(0.62, [Evidence("birth_date", -0.12, "")]) == pytest.approx(0.7399)


# Letters repeated (up to 10 a): the mask gives up past 8 of one character.
words = st.text(alphabet="aaaabcdehiklmnorstuvwyzщ", min_size=1, max_size=14)


@settings(max_examples=2000, deadline=None)
@given(a=words, b=words)
def test_the_letter_bound_is_never_below_the_letter_similarity(a: str, b: str) -> None:
    bound = _alike_bound(a, _letter_mask(a), b, _letter_mask(b))
    assert bound >= string_similarity(a, b) - 1e-12


@settings(max_examples=2000, deadline=None)
@given(a=st.sampled_from(TOKENS) | words, b=st.sampled_from(TOKENS) | words)
def test_tokens_surely_apart_are_never_paired(a: str, b: str) -> None:
    """The shortcut taken for most token pairs gives what the full rules give."""
    if a != b and _surely_apart(a, _spelling(a), b, _spelling(b)):
        pair = token_similarity(NameToken(a, TokenRole.NAME, a), NameToken(b, TokenRole.NAME, b))
        assert pair == (0.0, "")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("janukowytsch", "yanukovych"),  # folds
        ("lavrovs", "lavrov"),  # Baltic ending
        ("yehya", "yihya"),  # vowel variant
        ("jonguun", "jongun"),  # doubled letter
        ("ted", "theodore"),  # nickname
        ("mohammed", "muhammad"),  # variant
        ("yousef", "yusuf"),  # phonetic lift
    ],
)
def test_pairs_that_rules_other_than_spelling_make_are_not_apart(a: str, b: str) -> None:
    pair = token_similarity(NameToken(a, TokenRole.NAME, a), NameToken(b, TokenRole.NAME, b))
    assert pair[0] > 0.0


def test_most_unrelated_tokens_are_apart() -> None:
    for a, b in (("kozhin", "petrov"), ("vladimir", "hassan")):
        assert _surely_apart(a, _spelling(a), b, _spelling(b))


def test_spellings_learnt_ahead_stop_at_the_cache_size(monkeypatch: pytest.MonkeyPatch) -> None:
    import core.token_similarity

    monkeypatch.setattr(core.token_similarity, "_SPELLINGS", {})
    monkeypatch.setattr(core.token_similarity, "SPELLING_CACHE", 2)
    learn_spellings(["kozhin", "petrov", "hassan"])
    assert sorted(core.token_similarity._SPELLINGS) == ["kozhin", "petrov"]
