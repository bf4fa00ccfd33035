"""The embedded engine: an in-process index over the lists, for the command line and tests.

Screening a name is two steps. First, *candidates*: every listed name sharing a key with
the query (:mod:`core.keys` — normalised token, variant key, phonetic code, glued runs)
gets the rarity of the keys it shares, and only the best few dozen entities go on. Then
*scoring*: each candidate entity's names are compared with the query by the core scorer
(:mod:`core.score`), the best name wins, and date of birth, country and kind adjust it.

No server, no files: the index is built from a list of :class:`core.model.Entity` in
memory (OFAC SDN, 13.8k entities and 31k names, in a few seconds).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

from core.keys import DEFAULT_PHONETIC, glued_keys, token_keys
from core.model import Entity, Kind, Name
from core.names import TokenRole
from core.normalise import normalise
from core.parties import Party
from core.score import (
    ALERT_THRESHOLD,
    Explanation,
    PreparedName,
    Query,
    Rarity,
    best_name_match,
    entity_countries,
    explain,
    form_weights,
    learn_spellings,
    name_floor,
    prepare_name,
    secondary_evidence,
)

# Entities whose names are scored per query; enough for recall, few enough for speed.
MAX_CANDIDATES = 30
# Names of one candidate entity scored per query, those sharing the most (rare) keys first:
# an entity with dozens of aliases (Al-Qaida, IRGC) otherwise costs dozens of comparisons.
MAX_NAMES_PER_ENTITY = 8
# Keys on more than this share of all names (a legal form, "mohammed") only rank
# candidates found by other keys; walking their postings would cost more than it finds.
COMMON_KEY_SHARE = 0.03
# Candidates put in order at first (a query finds hundreds of entities; few are scored).
RANKED_FIRST = 64


def distinctive_tokens(entity: Entity, name: Name, prepared: PreparedName) -> frozenset[str]:
    """Tokens of a listed name that may identify it alone when rare on the lists.

    A person's family name as the list gives it ("KHORAMABADI"), never a given name
    ("Ignace"); any word of an organisation's, vessel's or aircraft's name ("TAGHTIRAN").
    A person whose list does not separate the family name gets none.
    """
    if entity.kind is Kind.PERSON:
        return frozenset(normalise(name.family).split()) if name.family else frozenset()
    return frozenset(t.text for form in prepared.forms for t in form.tokens)


class Candidate(NamedTuple):
    """An entity sharing keys with a query: its position in the index, the ids of its
    names that share keys (best first), and the key weight its best name shares."""

    entity: int
    names: list[int]
    total: float


@dataclass(frozen=True, slots=True)
class Hit:
    entity: Entity
    explanation: Explanation
    # The listing's party (core.parties), where the engine knows the links.
    party: Party | None = None

    @property
    def score(self) -> float:
        return self.explanation.score

    @property
    def alert(self) -> bool:
        """The score says alert, and the listing is still in force (an expired debarment
        matches but is no alert: :attr:`listing_ended` says why)."""
        return self.explanation.alert and not self.entity.listing_ended()

    @property
    def listing_ended(self) -> bool:
        """The list's own end date for this listing has passed (see Entity.ends_on)."""
        return self.entity.listing_ended()


class EmbeddedIndex:
    """Inverted index key → listed names, with token rarities for weighting."""

    def __init__(
        self,
        entities: Iterable[Entity],
        phonetic: str = DEFAULT_PHONETIC,
        max_candidates: int = MAX_CANDIDATES,
        threshold: float = ALERT_THRESHOLD,
    ) -> None:
        self.phonetic = phonetic
        self.max_candidates = max_candidates
        self.threshold = threshold
        self.entities: list[Entity] = []
        self._names: list[PreparedName] = []
        self._name_entity: list[int] = []
        self._entity_names: list[list[int]] = []
        # Name ids grow as names are added: each key's list comes out sorted.
        postings: dict[str, list[int]] = {}
        words: set[str] = set()  # the listed names' words, for learn_spellings
        for entity in entities:
            entity_index = len(self.entities)
            self.entities.append(entity)
            name_ids: list[int] = []
            for name in entity.names:
                prepared = prepare_name(name.full, entity.kind, name.role)
                if not prepared.forms:
                    continue
                prepared = replace(prepared, distinctive=distinctive_tokens(entity, name, prepared))
                name_id = len(self._names)
                self._names.append(prepared)
                self._name_entity.append(entity_index)
                name_ids.append(name_id)
                keys: set[str] = set()  # every form's keys, each posted once
                for form in prepared.forms:
                    keys |= glued_keys(form.tokens, phonetic)
                    for token in form.tokens:
                        keys |= token_keys(token, phonetic)
                        if token.role in (TokenRole.NAME, TokenRole.ORG_WORD):
                            words.add(token.text)
                for key in keys:
                    ids = postings.get(key)
                    if ids is None:
                        postings[key] = [name_id]
                    else:
                        ids.append(name_id)
            self._entity_names.append(name_ids)
        self._postings: dict[str, tuple[int, ...]] = {
            key: tuple(ids) for key, ids in postings.items()
        }
        self.rarity = Rarity.from_token_lists(p.forms[0].tokens for p in self._names)
        learn_spellings(sorted(words))
        self._weights = [form_weights(name, self.rarity) for name in self._names]
        self._common_limit = max(50, int(COMMON_KEY_SHARE * len(self._names)))
        # The names of each common key as a set, made once: candidates() asks "does this
        # name have it?" for every name found, for every query that has the key.
        self._common_members = {
            key: frozenset(ids)
            for key, ids in self._postings.items()
            if len(ids) > self._common_limit
        }

    def __len__(self) -> int:
        return len(self.entities)

    @property
    def name_count(self) -> int:
        return len(self._names)

    def _key_weight(self, key: str) -> float:
        df = len(self._postings.get(key, ()))
        return math.log((len(self._names) + 1) / (df + 1)) if df else 0.0

    def candidates(self, query: PreparedName) -> Iterator[Candidate]:
        """Entities sharing keys with the query, most (rare) keys first.

        Each comes with the ids of its names that share keys, best first: the names worth
        scoring (an alias sharing nothing with the query cannot be its best match).
        """
        groups: list[frozenset[str]] = []
        for form in query.forms:
            groups.extend(frozenset(token_keys(t, self.phonetic)) for t in form.tokens)
            groups.extend(frozenset({k}) for k in sorted(glued_keys(form.tokens, self.phonetic)))
        totals: dict[int, float] = {}
        deferred: list[tuple[frozenset[str], dict[int, float]]] = []
        # A token in every romanisation of the query repeats its group: its postings are
        # walked once, and its weight still added once per occurrence, in order (so the
        # totals, floating-point sums, are what walking each occurrence would give).
        walked: dict[frozenset[str], tuple[dict[int, float], frozenset[str]]] = {}
        for keys in groups:
            if keys not in walked:
                walked[keys] = self._walk_rare(keys)
            rare_best, common = walked[keys]
            if not rare_best and not common:
                continue
            best = rare_best
            if common:
                best = dict(rare_best)  # the common keys below raise it per occurrence
                deferred.append((common, best))
            for name_id, weight in best.items():
                totals[name_id] = totals.get(name_id, 0.0) + weight
        if not totals:
            # Only common keys ("Mohammed"): walk them after all, the query has nothing else.
            for common, _best in deferred:
                for key in sorted(common):
                    weight = self._key_weight(key)
                    for name_id in self._postings[key]:
                        totals[name_id] = totals.get(name_id, 0.0) + weight
        else:
            # Common keys only add to names already found by rarer ones.
            for common, best in deferred:
                for key in sorted(common):
                    weight = self._key_weight(key)
                    # The names found so far that have the key (a set operation in C).
                    for name_id in self._common_members[key].intersection(totals):
                        if best.get(name_id, 0.0) < weight:
                            totals[name_id] += weight - best.get(name_id, 0.0)
                            best[name_id] = weight
        by_entity: dict[int, float] = {}
        for name_id, total in totals.items():
            entity_index = self._name_entity[name_id]
            if total > by_entity.get(entity_index, -1.0):
                by_entity[entity_index] = total
        # Ties are broken by position on the lists, never by set iteration order, so every
        # worker process (each with its own hash seed) ranks a query the same way. The
        # caller mostly takes the first few dozen: those are found without sorting them
        # all, and the rest sorted only if it asks for more.
        ranked = ((-total, e) for e, total in by_entity.items())
        first = heapq.nsmallest(RANKED_FIRST, ranked)
        for _, e in first:
            yield self._candidate(e, by_entity[e], totals)
        if len(first) == RANKED_FIRST:
            rest = sorted((-total, e) for e, total in by_entity.items())
            for _, e in rest[RANKED_FIRST:]:
                yield self._candidate(e, by_entity[e], totals)

    def _walk_rare(self, keys: frozenset[str]) -> tuple[dict[int, float], frozenset[str]]:
        """The best weight each name shares with one query token through its rare keys,
        and the token's common keys (present on the lists, walked only if need be)."""
        rare: list[tuple[float, tuple[int, ...]]] = []
        common: list[str] = []
        for key in sorted(keys):
            ids = self._postings.get(key, ())
            if not ids:
                continue
            if len(ids) > self._common_limit:
                common.append(key)
            else:
                rare.append((self._key_weight(key), ids))
        # Lightest key first, each heavier one overwriting: every name ends with the
        # heaviest weight it shares, in dict operations that run in C.
        best: dict[int, float] = {}
        for weight, ids in sorted(rare, key=lambda pair: pair[0]):
            best.update(dict.fromkeys(ids, weight))
        return best, frozenset(common)

    def _candidate(self, entity: int, total: float, totals: dict[int, float]) -> Candidate:
        names = [n for n in self._entity_names[entity] if n in totals]
        names.sort(key=lambda n: (-totals[n], n))
        return Candidate(entity, names, total)

    def screen(
        self,
        query: Query,
        limit: int = 10,
        lists: Sequence[str] | None = None,
        kinds: Sequence[Kind] | None = None,
        countries: Sequence[str] | None = None,
        min_score: float = 0.0,
    ) -> list[Hit]:
        """The best ``limit`` listed entities for ``query``, best first, with explanations.

        ``min_score``: only entities scoring at least this (the alert threshold, for an
        API call that wants alerts) are wanted; most candidates are then set aside before
        their names are fully scored (see :func:`core.alignment.score_bound`).
        """
        prepared = prepare_name(query.name, query.kind)
        if not prepared.forms:
            return []
        query_weights = form_weights(prepared, self.rarity)
        hits: list[Hit] = []
        considered = 0
        # At least as many candidates as answers asked for (limit is up to 100).
        most = max(self.max_candidates, limit)
        for entity_index, name_ids, _total in self.candidates(prepared):
            entity = self.entities[entity_index]
            if lists and entity.list_id not in lists:
                continue
            if kinds and entity.kind not in kinds:
                continue
            if countries and not entity_countries(entity) & set(countries):
                continue
            considered += 1
            if considered > most:
                break
            listed = [(self._names[n], self._weights[n]) for n in name_ids[:MAX_NAMES_PER_ENTITY]]
            evidence = secondary_evidence(query, entity)
            floor = name_floor(min_score, evidence)
            match = best_name_match(prepared, query_weights, listed, self.rarity, floor)
            if match is None:
                continue
            hit = Hit(entity, explain(match, evidence, self.threshold))
            if hit.score >= min_score:
                hits.append(hit)
        hits.sort(key=lambda hit: (-hit.score, hit.entity.id))
        return hits[:limit]
