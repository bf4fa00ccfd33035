"""The rules that tell two people or entities with similar names apart.

An alignment says how much of two names agrees; these rules say what the disagreement
means. Names left unpaired on both sides are evidence of a different person (one name
swapped among five is another member of the family), so are initials that disagree, a
son's name paired with a father's across bin/ibn, legal forms that disagree (two
registrations), and a different order that is not a rotation. One shared token out of a
longer name never alerts, unless it is a rare, distinctive part of the listed name, and
a match on little evidence is scaled down.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Final

from core.edges import Edge
from core.names import NameToken, TokenRole, is_filiation, is_particle
from core.prepared import NameForm
from core.score_params import SCORE_PARAMS

# Names left unpaired on *both* sides after alignment are evidence of a different person
# ("... Hasan al-Dulaimi" vs "... Hasan al-Tikriti", "Nessim ben Ali" vs "Nessim ben
# Romdhane"): however many other tokens agree, the score loses CONFLICT_PENALTY per unit
# of conflicting weight (up to one unit). A conflicting name weighs at least
# CONFLICT_MIN_WEIGHT whatever its rarity, as a father's "Ali" or "Mohamed" tells two
# people apart as surely as a rare name does; particles (al, bin, de) never conflict.
CONFLICT_PENALTY: Final = SCORE_PARAMS.conflict_penalty
CONFLICT_MIN_WEIGHT: Final = SCORE_PARAMS.conflict_min_weight
# Initials conflict with initials: "William G. Frost" and "William W. Frost" have
# different middle names; so does a middle initial with an unpaired name ("Hans O
# Friedrich" / "Hans Joachim Friedrich"). A last initial against a name says too little:
# it may be a name cut short.
# Legal forms on both sides that do not agree ("Deutsche Bank AG" / "Deutsche Bank GmbH":
# a joint-stock company and a limited one) are two registrations, two entities. Equivalent
# spellings fold to one canonical form first (OOO = LLC = GmbH, Ltd = Limited), so only
# a real difference costs this.
LEGAL_FORM_CLASH_PENALTY: Final = SCORE_PARAMS.legal_form_clash_penalty
# "Company" (co) names no registration form: "X Corporation" and "The X Company" agree.
LOOSE_LEGAL_FORMS = frozenset({"co"})
# A pair of names this far apart that do not even begin alike (Ahmed/Mohamed) is paired
# only for want of a better partner: for the conflict it counts as two unpaired names.
# (Transliterations keep the first letter: Nadheera/Nazira is one name.)
WEAK_PAIR_SIMILARITY: Final = SCORE_PARAMS.weak_pair_similarity
# Factor for names that pair a son's name with a father's: "Salman bin Muhammad" is the
# father of "Muhammad bin Salman" (the name before bin/ibn/ben is the person's own, the
# one after it the father's).
FILIATION_SWAP_FACTOR: Final = SCORE_PARAMS.filiation_swap_factor
# Factor for names whose aligned tokens are in a different order that is not a rotation:
# "Kim Jong Un" = "Jong Un Kim", but "Salman bin Muhammad" ≠ "Muhammad bin Salman".
SHUFFLED_ORDER_FACTOR: Final = SCORE_PARAMS.shuffled_order_factor
# Highest score a query can reach by sharing one token with a longer listed name: below
# ALERT_THRESHOLD, so a lone "Mohammed" never alerts whatever the rarities say.
SINGLE_TOKEN_CAP: Final = SCORE_PARAMS.single_token_cap
# ... unless that token is a *distinctive* part of the listed name (a person's family name,
# a word of an organisation's name) that is rare on the lists (rarity weight at least
# RARE_LONE_WEIGHT: on four names or fewer) and the query is that one name, closely spelt:
# "KHORRAMABADI" alone is a real hit on "KHORAMABADI, Abdolsamad"; "IGNACE" alone (a given
# name) and "Mohammed" (common) stay capped. Such a match scores at most RARE_LONE_CAP.
RARE_LONE_WEIGHT: Final = SCORE_PARAMS.rare_lone_weight
RARE_LONE_SIMILARITY: Final = SCORE_PARAMS.rare_lone_similarity
RARE_LONE_CAP: Final = SCORE_PARAMS.rare_lone_cap
RARE_LONE_MIN_LENGTH: Final = SCORE_PARAMS.rare_lone_min_length
# Matched evidence (sum of matched token weights) below which a score is scaled down: a
# lone common given name ("Mohammed") is not enough to alert on anyone.
MIN_EVIDENCE: Final = SCORE_PARAMS.min_evidence


def apply_name_rules(
    score: float,
    query: NameForm,
    listed: NameForm,
    chosen: Sequence[Edge],
    free_q: list[int],
    free_l: list[int],
    weights: tuple[Sequence[float], Sequence[float]],
    earned: float,
    distinctive: frozenset[str],
) -> float:
    """The alignment's score after the rules that tell two people or entities apart.

    Names left unpaired on both sides, disagreeing legal forms, a son paired with his
    father, a shuffled order, one shared token out of a longer name, thin evidence: each
    only lowers the score.
    """
    qt, lt = query.tokens, listed.tokens
    wq, wl = weights
    weak = [
        e
        for e in chosen
        if e.how == "fuzzy"
        and e.similarity < WEAK_PAIR_SIMILARITY
        and qt[e.query[0]].text[0] != lt[e.listed[0]].text[0]
    ]
    clash_q = free_q + [i for e in weak for i in e.query]
    clash_l = free_l + [j for e in weak for j in e.listed]
    clash = min(_conflict_weight(qt, clash_q, wq), _conflict_weight(lt, clash_l, wl))
    clash += CONFLICT_MIN_WEIGHT * min(_initials(qt, free_q), _initials(lt, free_l))
    # Organisations' names are translated word by word ("Public"/"People's Security",
    # "Plant"/"Combine") far more than people's names change: no conflict penalty there.
    organisation = query.organisation or listed.organisation
    if clash > 0 and not organisation:
        score = max(0.0, score - CONFLICT_PENALTY * min(1.0, clash))
    legal_clash = _has_legal_form(qt, free_q) and _has_legal_form(lt, free_l)
    if legal_clash and not any(e.how == "legal form" for e in chosen):
        score = max(0.0, score - LEGAL_FORM_CLASH_PENALTY)
    if _swaps_generations(chosen, qt, lt):
        score *= FILIATION_SWAP_FACTOR
    if len(chosen) > 2 and not _is_rotation([e.listed[0] for e in sorted(chosen)]):
        score *= SHUFFLED_ORDER_FACTOR
    # Name evidence: pairs of names. A person's initials, even run together ("JC", "N.N."),
    # stand for names without showing them; an organisation's acronym ("PLA") is a name.
    not_names = ("legal form", "initial") if organisation else ("legal form", "initial", "acronym")
    named = [e for e in chosen if e.how not in not_names and qt[e.query[0]].role is TokenRole.NAME]
    lone = len(named) <= 1 and free_l and any(lt[j].role is TokenRole.NAME for j in free_l)
    if lone or (not named and any(t.role is TokenRole.NAME for t in lt)):
        # One shared name ("Mohammed") out of a longer listed name is not enough to alert,
        # nor are initials alone ("N.N." for "Nursultan Nazarbayev").
        cap = SINGLE_TOKEN_CAP
        if _is_rare_lone_name(named, free_q, qt, lt, wl, distinctive):
            cap = RARE_LONE_CAP
        score = min(score, cap)
    if earned < MIN_EVIDENCE:
        score *= 0.7 + 0.3 * earned / MIN_EVIDENCE
    return score


def _is_rare_lone_name(
    named: Sequence[Edge],
    free_q: Sequence[int],
    qt: Sequence[NameToken],
    lt: Sequence[NameToken],
    wl: Sequence[float],
    distinctive: frozenset[str],
) -> bool:
    """Whether a one-token match may alert: see RARE_LONE_WEIGHT."""
    if len(named) != 1 or not distinctive:
        return False
    edge = named[0]
    if len(edge.listed) != 1 or edge.similarity < RARE_LONE_SIMILARITY:
        return False
    if any(qt[i].role is TokenRole.NAME for i in free_q):
        return False  # the query says more than the one name
    j = edge.listed[0]
    long_enough = len(lt[j].text) >= RARE_LONE_MIN_LENGTH  # "fo", "ao": not a name alone
    return long_enough and lt[j].text in distinctive and wl[j] >= RARE_LONE_WEIGHT


def _has_legal_form(tokens: Sequence[NameToken], positions: Sequence[int]) -> bool:
    return any(
        tokens[i].role is TokenRole.LEGAL_FORM and tokens[i].text not in LOOSE_LEGAL_FORMS
        for i in positions
    )


def _conflict_weight(
    tokens: Sequence[NameToken], free: Sequence[int], weights: Sequence[float]
) -> float:
    """How much the unpaired names of one side weigh as evidence of a different person."""
    named = sum(
        max(CONFLICT_MIN_WEIGHT, weights[i])
        for i in free
        if tokens[i].role is TokenRole.NAME and not is_particle(tokens[i].text)
    )
    # An unpaired middle initial found no name of its letter on the other side: "Hans O
    # Friedrich" is not "Hans Joachim Friedrich". (A last one may be a name cut short.)
    middle = [i for i in free if i < len(tokens) - 1]
    return named + CONFLICT_MIN_WEIGHT * _initials(tokens, middle)


def _initials(tokens: Sequence[NameToken], free: Sequence[int]) -> int:
    return sum(1 for i in free if tokens[i].role is TokenRole.INITIAL)


def _descent(tokens: Sequence[NameToken]) -> set[tuple[int, int]]:
    """(descendant, ancestor) positions linked by filiation particles, transitively.

    "Noureddine ben Mohamed ben Belkassem": Noureddine descends from Mohamed and
    Belkassem, Mohamed from Belkassem. Only the names next to a particle (particles like
    "al" skipped) are linked, so a list's inverted "AL BEN ALI, Isa ben Tarif" still says
    only that Isa descends from Tarif.
    """
    parent: dict[int, int] = {}
    for k, token in enumerate(tokens):
        if not is_filiation(token.text):
            continue
        before = next((i for i in range(k - 1, -1, -1) if not is_particle(tokens[i].text)), None)
        after = next(
            (i for i in range(k + 1, len(tokens)) if not is_particle(tokens[i].text)), None
        )
        if before is not None and after is not None:
            parent.setdefault(before, after)
    links: set[tuple[int, int]] = set()
    for child in parent:
        ancestor, hops = parent.get(child), 0
        while ancestor is not None and hops < len(tokens):
            links.add((child, ancestor))
            ancestor, hops = parent.get(ancestor), hops + 1
    return links


def _swaps_generations(
    chosen: Sequence[Edge], query: Sequence[NameToken], listed: Sequence[NameToken]
) -> bool:
    """Whether the query makes a father of someone the listed name makes a son."""
    query_links = _descent(query)
    if not query_links:
        return False
    listed_links = _descent(listed)
    partner = {e.query[0]: e.listed[0] for e in chosen}
    return any(
        (partner[ancestor], partner[child]) in listed_links
        for child, ancestor in query_links
        if child in partner and ancestor in partner
    )


def _is_rotation(positions: Sequence[int]) -> bool:
    """True when ``positions`` increase, or increase after one cyclic shift."""
    drops = sum(1 for a, b in itertools.pairwise(positions) if b < a)
    if drops == 0:
        return True
    return drops == 1 and positions[-1] < positions[0]
