"""The candidate pairs between the tokens of two name forms, before any is chosen.

One token against one (any rule of :mod:`core.token_similarity`), a glued run of two or
three names against one word ("Abdulrahman" = "Abd al Rahman"), and an acronym against a
run of words ("PLA" = "People's Liberation Army"). Each edge carries its similarity, the
rule that made it, the share of weight it earns and the weight it is worth.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, NamedTuple

from core.names import NameToken, TokenRole
from core.prepared import NameForm
from core.score_params import SCORE_PARAMS
from core.token_similarity import PAIRS, pair_credit, string_similarity, token_similarity

# Least similarity of a word to a glued run of names for the two to pair.
GLUED_SIMILARITY: Final = SCORE_PARAMS.glued_similarity


class Edge(NamedTuple):
    query: tuple[int, ...]
    listed: tuple[int, ...]
    similarity: float
    how: str
    credit: float
    weight: float


def _may_be_glued(word: str, glued: str) -> bool:
    """Cheap test before comparing a word with a glued run: same first letter, similar length."""
    return word[0] == glued[0] and abs(len(word) - len(glued)) <= max(2, len(glued) // 4)


def token_edges(
    query_form: NameForm,
    listed_form: NameForm,
    wq: Sequence[float],
    wl: Sequence[float],
) -> list[Edge]:
    query, listed = query_form.tokens, listed_form.tokens
    edges: list[Edge] = []
    best_q = [0.0] * len(query)
    best_l = [0.0] * len(listed)
    name_role = TokenRole.NAME
    for i, q in enumerate(query):
        row = PAIRS.row(q)
        for j, t in enumerate(listed):
            key = t.text if t.role is name_role else (t.text, t.role)
            found = row.get(key)
            if found is None:
                similarity, how = token_similarity(q, t)
                found = row[key] = (similarity, how, pair_credit(similarity, how) if how else 0.0)
                PAIRS.size += 1
            similarity, how, credit = found
            if how:
                edges.append(Edge((i,), (j,), similarity, how, credit, (wq[i] + wl[j]) / 2))
                if similarity > best_q[i]:
                    best_q[i] = similarity
                if similarity > best_l[j]:
                    best_l[j] = similarity
    if edges and any(e.similarity >= 1.0 for e in edges):
        # A token paired exactly is taken: its near misses elsewhere ("state" ~ "states"
        # when "state" = "state") do not make the other token look paired.
        best_q, best_l = _best_without_taken(edges, len(query), len(listed))
    # Glued runs on one side against a single token on the other, for tokens that found
    # no close partner on their own.
    loose_q = [
        i
        for i, q in enumerate(query)
        if best_q[i] < 0.9 and q.role is TokenRole.NAME and len(q.text) >= 5
    ]
    loose_l = [
        j
        for j, t in enumerate(listed)
        if best_l[j] < 0.9 and t.role is TokenRole.NAME and len(t.text) >= 5
    ]
    for positions, glued in listed_form.glued if loose_q else ():
        for i in loose_q:
            q = query[i]
            if q.text[0] != glued[0] or not _may_be_glued(q.text, glued):
                continue
            similarity = string_similarity(q.text, glued)
            if similarity >= GLUED_SIMILARITY and similarity > max(best_l[j] for j in positions):
                weight = (wq[i] + sum(wl[j] for j in positions)) / 2
                credit = pair_credit(similarity, "glued")
                edges.append(Edge((i,), positions, similarity, "glued", credit, weight))
    for positions, glued in query_form.glued if loose_l else ():
        for j in loose_l:
            t = listed[j]
            if t.text[0] != glued[0] or not _may_be_glued(t.text, glued):
                continue
            similarity = string_similarity(glued, t.text)
            if similarity >= GLUED_SIMILARITY and similarity > max(best_q[i] for i in positions):
                weight = (sum(wq[i] for i in positions) + wl[j]) / 2
                credit = pair_credit(similarity, "glued")
                edges.append(Edge(positions, (j,), similarity, "glued", credit, weight))
    # An acronym is one unpaired token against a run of two or more unpaired words.
    open_q = sum(1 for b in best_q if b < 0.9)
    open_l = sum(1 for b in best_l if b < 0.9)
    organisation = query_form.organisation or listed_form.organisation
    if open_q and open_l >= 2:
        edges.extend(_acronym_edges(query, listed, wq, wl, best_q, best_l, organisation, True))
    if open_l and open_q >= 2:
        edges.extend(_acronym_edges(listed, query, wl, wq, best_l, best_q, organisation, False))
    return edges


def _best_without_taken(
    edges: Sequence[Edge], queries: int, listed: int
) -> tuple[list[float], list[float]]:
    """Each token's best similarity, not counting near misses with a token that has an
    exact partner (the alignment takes exact pairs first, so those misses never pair)."""
    exact_q = {e.query[0] for e in edges if e.similarity >= 1.0}
    exact_l = {e.listed[0] for e in edges if e.similarity >= 1.0}
    best_q = [0.0] * queries
    best_l = [0.0] * listed
    for e in edges:
        i, j = e.query[0], e.listed[0]
        exact = e.similarity >= 1.0
        if (exact or j not in exact_l) and e.similarity > best_q[i]:
            best_q[i] = e.similarity
        if (exact or i not in exact_q) and e.similarity > best_l[j]:
            best_l[j] = e.similarity
    return best_q, best_l


# Words an acronym leaves out ("PLA" = "People's Liberation Army", "BoE" = "Bank of England").
ACRONYM_SKIPPED = frozenset({"of", "the", "and", "for", "&"})
ACRONYM_SIMILARITY: Final = SCORE_PARAMS.acronym_similarity


def _acronym_edges(
    short: Sequence[NameToken],
    long: Sequence[NameToken],
    ws: Sequence[float],
    wl: Sequence[float],
    best: Sequence[float],
    best_long: Sequence[float],
    organisation: bool,
    forward: bool,
) -> list[Edge]:
    """Edges from a token that spells the initials of a run of the other side's tokens.

    "PLA" = "People's Liberation Army" (organisations: 3 to 6 letters, or 2 written as
    initials: "U.S."), "JC" = "Jean Claude" (a person's initials as one word: 2 or 3).
    Only a rare token (a common name like "Li" or "Ali" is a name, not initials) that
    found no close partner is read as an acronym, and only against words that found none
    either: a name followed by its acronym ("Reconnaissance General Bureau (RGB)") pairs
    word by word.
    """
    shortest, longest = (3, 6) if organisation else (2, 3)
    edges: list[Edge] = []
    for i, token in enumerate(short):
        text = token.text
        if (
            token.role is not TokenRole.NAME
            or not (2 if token.surface != text else shortest) <= len(text) <= longest
            or not text.isalpha()
            or best[i] >= 0.9
            or ws[i] < 0.9
        ):
            continue
        for start in range(len(long)):
            if long[start].text in ACRONYM_SKIPPED:
                continue
            run: list[int] = []
            letters = 0
            for j in range(start, len(long)):
                word = long[j]
                if word.role is TokenRole.LEGAL_FORM or best_long[j] >= 0.9 or len(word.text) < 2:
                    break  # an acronym spells words: not a legal form, a paired word, a letter
                run.append(j)
                if word.text in ACRONYM_SKIPPED:
                    continue
                if word.text[0] != text[letters]:
                    break
                letters += 1
                if letters == len(text):
                    break
            if letters != len(text) or len(run) < 2:
                continue
            weight = (ws[i] + sum(wl[j] for j in run)) / 2
            credit = pair_credit(ACRONYM_SIMILARITY, "acronym")
            positions = (i,), tuple(run)
            query, listed = positions if forward else positions[::-1]
            edges.append(Edge(query, listed, ACRONYM_SIMILARITY, "acronym", credit, weight))
    return edges
