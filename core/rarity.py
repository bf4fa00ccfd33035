"""How much sharing a token says: rarer tokens on the lists are stronger evidence.

A token counts by its inverse document frequency on the lists (sharing "Zawahiri" is
strong evidence, sharing "Mohammed" weak) times what its kind of token is worth (a legal
form or a generic organisation word is shared by unrelated names). The weights of a
prepared name's tokens are computed once per name, not once per comparison.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Final

from core.names import NameToken, TokenRole, variant_key
from core.prepared import NameForm, PreparedName
from core.score_params import SCORE_PARAMS

# What each kind of token is worth before rarity; legal forms and generic words are shared
# by unrelated organisations, initials stand for many names.
ROLE_WEIGHT: Final[Mapping[TokenRole, float]] = {
    TokenRole.NAME: SCORE_PARAMS.role_weight_name,
    TokenRole.INITIAL: SCORE_PARAMS.role_weight_initial,
    TokenRole.NUMBER: SCORE_PARAMS.role_weight_number,
    TokenRole.ORG_WORD: SCORE_PARAMS.role_weight_org_word,
    TokenRole.LEGAL_FORM: SCORE_PARAMS.role_weight_legal_form,
}
# A token's rarity weight: its normalised idf plus an offset, between a floor and 1.
RARITY_MIN_WEIGHT: Final = SCORE_PARAMS.rarity_min_weight
RARITY_OFFSET: Final = SCORE_PARAMS.rarity_offset


@dataclass(slots=True)
class Rarity:
    """Token document frequencies on the lists, for inverse-document-frequency weights.

    Keys are variant keys, so mohammed/muhammad/mohamed share one frequency.
    """

    documents: int
    frequencies: dict[str, int] = field(default_factory=dict)
    _weights: dict[str, float] = field(default_factory=dict, repr=False, compare=False)

    def weight(self, token: str) -> float:
        """From RARITY_MIN_WEIGHT (on every other name) to 1.0 (unseen or unique)."""
        found = self._weights.get(token)
        if found is not None:
            return found
        df = self.frequencies.get(variant_key(token), 0)
        if df <= 1 or self.documents <= 1:
            weight = 1.0
        else:
            idf = math.log(self.documents / df) / math.log(self.documents)
            weight = max(RARITY_MIN_WEIGHT, min(1.0, RARITY_OFFSET + idf))
        self._weights[token] = weight
        return weight

    @classmethod
    def from_token_lists(cls, names: Iterable[Sequence[NameToken]]) -> Rarity:
        counts: dict[str, int] = {}
        documents = 0
        for tokens in names:
            documents += 1
            for key in {variant_key(t.text) for t in tokens if t.role is not TokenRole.INITIAL}:
                counts[key] = counts.get(key, 0) + 1
        return cls(documents, counts)


@functools.cache
def default_rarity() -> Rarity:
    """Frequencies of common name tokens, for comparing names with no index at hand.

    ``core/data/token_frequencies.tsv`` holds how many names of the OFAC SDN list
    (a public-domain US government work) contain each of its most common tokens.
    """
    text = resources.files("core.data").joinpath("token_frequencies.tsv").read_text("utf-8")
    documents = 0
    counts: dict[str, int] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        token, _, count = line.partition("\t")
        if token == "*documents*":
            documents = int(count)
        else:
            counts[token] = int(count)
    return Rarity(documents, counts)


def token_weight(token: NameToken, rarity: Rarity) -> float:
    if token.role in (TokenRole.NAME, TokenRole.ORG_WORD):
        return ROLE_WEIGHT[token.role] * rarity.weight(token.text)
    return ROLE_WEIGHT[token.role]


FormWeights = tuple[tuple[float, ...], ...]


def token_weights(form: NameForm, rarity: Rarity) -> tuple[float, ...]:
    return tuple(token_weight(t, rarity) for t in form.tokens)


def form_weights(name: PreparedName, rarity: Rarity) -> FormWeights:
    """The token weights of each romanised form of a name, for :func:`best_alignment`.

    Weights depend only on the name and the lists' rarities, so an index computes a
    listed name's once, and a query's once per search, instead of once per comparison.
    """
    return tuple(token_weights(form, rarity) for form in name.forms)
