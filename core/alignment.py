"""The best one-to-one alignment of the tokens of two names, and its score.

Tokens pair in any order ("KIM Jong Un" = "Jong Un Kim"); each pair earns a share of its
weight by how alike its tokens are, and the score is what the pairs earn over what the
tokens are worth, tokens left unpaired counting against the match (query tokens more than
listed ones: a list carries full names with every middle name). The rules of
:mod:`core.name_rules` then lower it. Every romanisation of both sides is tried and the
best pair kept; two names in the same syllabic script must also agree character by
character. A bound on the score skips alignments that cannot matter.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Final, NamedTuple

from core.edges import Edge, token_edges
from core.explanation import NameMatch, TokenMatch
from core.model import NameRole
from core.name_rules import apply_name_rules
from core.prepared import NameForm, PreparedName
from core.rarity import FormWeights, Rarity, form_weights, token_weights
from core.score_params import SCORE_PARAMS
from core.token_similarity import BOUND_SLACK

# Cost of unaligned tokens, per unit of their weight. A token only one side has is a name
# the other side left out (a middle name, a grandfather's name): cheap, cheaper still when
# the listing has it (lists carry full names). Tokens left over on *both* sides are names
# that disagree (Ahmed vs Mohamed in the same chain): expensive.
SURPLUS_QUERY_COST: Final = SCORE_PARAMS.surplus_query_cost
SURPLUS_LISTED_COST: Final = SCORE_PARAMS.surplus_listed_cost
CONFLICT_COST: Final = SCORE_PARAMS.conflict_cost


class Alignment(NamedTuple):
    """A scored alignment of one query form with one listed form (details built lazily)."""

    score: float
    query_form: NameForm
    listed_form: NameForm
    edges: list[Edge]
    free_query: list[int]
    free_listed: list[int]


def score_bound(edges: Sequence[Edge], wq: Sequence[float], wl: Sequence[float]) -> float:
    """A score no alignment of these edges can beat, computed in one pass over them.

    Screening wants the names that may reach the alert threshold, and of an entity's names
    only the best: most of the few hundred alignments a query makes can do neither, and
    this bound, cheaper than the alignment with its penalties and checks, finds them.
    Every step of :func:`align_forms` after the ratio ``earned / denominator`` only lowers the
    score, so bounding that ratio is enough: each token earns at most its best credit on
    any edge (times half its weight, as an edge weighs the mean of its two sides), and the
    denominator is at least what the tokens cost however they pair (see below).
    """
    credit_q = [-1.0] * len(wq)  # -1: no edge reaches the token, it stays unpaired
    credit_l = [-1.0] * len(wl)
    for edge in edges:
        credit = edge.credit
        for i in edge.query:
            if credit > credit_q[i]:
                credit_q[i] = credit
        for j in edge.listed:
            if credit > credit_l[j]:
                credit_l[j] = credit
    earned_q, total_q, alone_q = _side_sums(credit_q, wq)
    earned_l, total_l, alone_l = _side_sums(credit_l, wl)
    earned = earned_q + earned_l
    # In _denominator, possible is at least the weight of the pairs, (total_q - left_q +
    # total_l - left_l) / 2. What is left unpaired is unknown, but at least what no edge
    # reaches; the denominator is then concave in (left_q, left_l), so its least value is
    # at a corner of their ranges.
    total = total_q + total_l
    denominator = min(
        _denominator((total - alone_q - alone_l) / 2, alone_q, alone_l),
        _denominator((total - alone_q - total_l) / 2, alone_q, total_l),
        _denominator((total - total_q - alone_l) / 2, total_q, alone_l),
        _denominator(0.0, total_q, total_l),
    )
    return earned / denominator if denominator > 0.0 else math.inf


def _side_sums(credits: Sequence[float], weights: Sequence[float]) -> tuple[float, float, float]:
    """Of one side's tokens: what they can earn at most (half their weight times their best
    credit), their total weight, and the weight of those no edge reaches."""
    earned = total = alone = 0.0
    for k in range(len(weights)):
        total += weights[k]
        if credits[k] < 0.0:
            alone += weights[k]
        else:
            earned += credits[k] * weights[k] / 2
    return earned, total, alone


def _denominator(possible: float, left_q: float, left_l: float) -> float:
    """What an alignment's earned weight is divided by: the weight of its pairs with their
    disagreement (``possible``), and the weight left unpaired on each side, at the cost of
    a name one side left out, or of names that conflict when both sides left some."""
    conflict = min(left_q, left_l)
    return (
        possible
        + SURPLUS_QUERY_COST * (left_q - conflict)
        + SURPLUS_LISTED_COST * (left_l - conflict)
        + CONFLICT_COST * conflict
    )


def align_forms(
    query: NameForm,
    listed: NameForm,
    rarity: Rarity,
    distinctive: frozenset[str] = frozenset(),
    weights: tuple[Sequence[float], Sequence[float]] | None = None,
    floor: float = 0.0,
) -> Alignment | None:
    """The best alignment of two forms, or None when it cannot score ``floor`` or more."""
    qt, lt = query.tokens, listed.tokens
    if weights is None:
        weights = token_weights(query, rarity), token_weights(listed, rarity)
    wq, wl = weights
    edges = token_edges(query, listed, wq, wl)
    if floor > 0.0 and score_bound(edges, wq, wl) < floor - BOUND_SLACK:
        return None
    edges.sort(key=lambda e: (e.similarity >= 1.0, e.credit * e.weight, e.similarity), reverse=True)
    used_q: set[int] = set()
    used_l: set[int] = set()
    chosen: list[Edge] = []
    earned = possible = 0.0
    for edge in edges:
        if used_q.isdisjoint(edge.query) and used_l.isdisjoint(edge.listed):
            chosen.append(edge)
            used_q.update(edge.query)
            used_l.update(edge.listed)
            earned += edge.credit * edge.weight
            # The part of a pair its similarity does not earn counts as disagreement.
            possible += edge.weight * (1.0 + (CONFLICT_COST - 1.0) * (1.0 - edge.credit))
    free_q = [i for i in range(len(qt)) if i not in used_q]
    free_l = [j for j in range(len(lt)) if j not in used_l]
    left_q = sum(wq[i] for i in free_q)
    left_l = sum(wl[j] for j in free_l)
    denominator = _denominator(possible, left_q, left_l)
    score = earned / denominator if denominator > 0 else 0.0
    score = apply_name_rules(
        score, query, listed, chosen, free_q, free_l, weights, earned, distinctive
    )
    return Alignment(score, query, listed, chosen, free_q, free_l)


def best_alignment(
    query: PreparedName,
    listed: PreparedName,
    rarity: Rarity,
    weights: tuple[FormWeights, FormWeights] | None = None,
    floor: float = 0.0,
) -> Alignment | None:
    """Best alignment over every pair of romanisations of the two names.

    Two names in the same syllabic script must also agree as written: the native
    comparison caps the romanised one (romanisations that coincide prove nothing when
    the characters differ). ``weights``: :func:`form_weights` of the query and of the
    listed name, when the caller has them. ``floor``: the caller has no use for a score
    below it, so pairs of forms that cannot reach it (or beat the best so far) are not
    aligned, and the answer is None when no pair can.
    """
    query_weights, listed_weights = weights or (
        form_weights(query, rarity),
        form_weights(listed, rarity),
    )
    best: Alignment | None = None
    for qf, wq in zip(query.forms, query_weights, strict=True):
        for lf, wl in zip(listed.forms, listed_weights, strict=True):
            bound = floor if best is None else max(floor, best.score)
            alignment = align_forms(qf, lf, rarity, listed.distinctive, (wq, wl), bound)
            if alignment is not None and (best is None or alignment.score > best.score):
                best = alignment
    if best is None and query.forms and listed.forms:
        return None  # no pair of forms could reach the floor
    if (
        query.native is not None
        and listed.native is not None
        and query.native.romanisation.script == listed.native.romanisation.script
    ):
        native = align_forms(query.native, listed.native, rarity, floor=floor)
        if native is None:
            return None  # the native comparison caps the score below the floor
        if best is None or native.score < best.score:
            best = native
    return best


def describe(alignment: Alignment, listed: PreparedName, factor: float = 1.0) -> NameMatch:
    """The alignment in terms an explanation shows; ``factor`` scales its score."""
    qf, lf = alignment.query_form, alignment.listed_form
    matches = tuple(
        TokenMatch(
            " ".join(qf.tokens[i].surface for i in e.query),
            " ".join(lf.tokens[j].surface for j in e.listed),
            e.how,
            round(e.similarity, 3),
        )
        for e in alignment.edges
    )
    return NameMatch(
        score=alignment.score * factor,
        listed_name=listed.text,
        listed_role=listed.role.value if listed.role else None,
        listed_form=lf.romanisation,
        query_form=qf.romanisation,
        tokens=matches,
        unmatched_query=tuple(qf.tokens[i].surface for i in alignment.free_query),
        unmatched_listed=tuple(lf.tokens[j].surface for j in alignment.free_listed),
    )


# Weak (low-quality) aliases are the publisher's own warning that the name alone is thin.
WEAK_ALIAS_FACTOR: Final = SCORE_PARAMS.weak_alias_factor


def best_name_match(
    query: PreparedName,
    query_weights: FormWeights,
    listed: Iterable[tuple[PreparedName, FormWeights]],
    rarity: Rarity,
    floor: float = 0.0,
) -> NameMatch | None:
    """The best of one entity's listed names for a query (weak aliases discounted).

    Every engine scores its candidates with this, so an entity found through any engine
    gets the same score and explanation. ``floor``: a name score the caller needs; None
    when no name can reach it (then the work of scoring them is mostly saved).
    """
    best: tuple[Alignment, PreparedName, float] | None = None
    best_score = -1.0
    for name, weights in listed:
        factor = WEAK_ALIAS_FACTOR if name.role is NameRole.WEAK else 1.0
        # A name must beat the best so far (after its factor) and reach the floor.
        bound = max(floor, best_score) / factor
        alignment = best_alignment(query, name, rarity, (query_weights, weights), bound)
        if alignment is None:
            continue
        if alignment.score * factor > best_score:
            best, best_score = (alignment, name, factor), alignment.score * factor
    return None if best is None else describe(*best)


def compare_forms(query: PreparedName, listed: PreparedName, rarity: Rarity) -> NameMatch | None:
    """Best comparison over every pair of romanisations of the two names."""
    alignment = best_alignment(query, listed, rarity)
    return None if alignment is None else describe(alignment, listed)
