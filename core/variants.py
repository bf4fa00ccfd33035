"""Spelling variants of name tokens: one key for the spellings of one name.

Two romanisations of the same name differ by more than an edit or two ("Mohammed" and
"Mukhammad", "Lee" and "Rhee", "Zhang" and "Cheung"), so string similarity alone misses
them; a key per variant group lets the index and the scorer treat them as one token.

- ``canonical(token)`` maps a normalised Latin token to its group's key: the groups of
  ``core/data/name_variants.tsv`` (one group per line, first spelling = key) and a few
  spelling rules for endings that vary regularly in Slavic surnames (-off/-ow → -ov,
  -yev/-iev/-eff → -ev, -skiy/-skii/-ski → -sky, -vych/-vitch → -vich, -iy/-ii → -y), and
  glued Arabic ``abd`` compounds (abdelrahman → the abdulrahman group). A token no group
  or rule knows is returned unchanged.
- ``variants(token)`` gives every spelling of the token's group (the token included).
- ``canonical_tokens(tokens)`` also glues split compounds first ("abd al rahman" →
  one token), so split and glued spellings get the same keys.

Groups hold only true variants of one name: merging different names (Hassan, Hussein)
would turn every Hassan into a match for every Hussein.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from importlib import resources

_ABD_KEY = "abd"
_AL_KEY = "al"
_GLUED_ABD = re.compile(r"^(?:abd|abdul|abdel|abdal|abdol|abdur|abdus|abdu|abdou)(?=[a-z]{3,}$)")
_SLAVIC_ENDINGS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?<=[a-z]{3})(?:off|ow)$"), "ov"),
    (re.compile(r"(?<=[a-z]{3})(?:yev|iev|jew|jev|eff|ew)$"), "ev"),
    (re.compile(r"(?<=[a-z]{2})(?:skiy|skii|skyi|skyy|skij|ski|skyj)$"), "sky"),
    (re.compile(r"(?<=[a-z]{2})(?:tskiy|tskii|tzky|tski)$"), "tsky"),
    (re.compile(r"(?<=[a-z]{2})(?:skaia|skaja)$"), "skaya"),
    (re.compile(r"(?<=[a-z]{3})(?:vych|vitch|vitsch|witsch|wicz|vitj|vic|vics)$"), "vich"),
    (re.compile(r"(?<=[a-z]{3})(?:iy|ii|ij|yy|yi)$"), "y"),
)


@functools.cache
def _groups() -> tuple[dict[str, str], dict[str, frozenset[str]]]:
    """(token → group key, group key → spellings), read once from the data file."""
    text = resources.files("core.data").joinpath("name_variants.tsv").read_text("utf-8")
    key_of: dict[str, str] = {}
    members: dict[str, set[str]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        spellings = [s.strip() for s in line.split("\t") if s.strip()]
        key = spellings[0]
        for spelling in spellings:
            key_of.setdefault(spelling, key)  # the first group a spelling is in wins
        members.setdefault(key, set()).update(spellings)
    return key_of, {key: frozenset(group) for key, group in members.items()}


def group_keys() -> dict[str, str]:
    """Every spelling the data file knows → its group key (for tests and diagnostics)."""
    return dict(_groups()[0])


def _fold_endings(token: str) -> str:
    for pattern, replacement in _SLAVIC_ENDINGS:
        folded = pattern.sub(replacement, token)
        if folded != token:
            return folded
    return token


@functools.lru_cache(maxsize=131072)
def canonical(token: str) -> str:
    """The key of the variant group of a normalised Latin token; unknown tokens unchanged."""
    key_of, _ = _groups()
    if token in key_of:
        return key_of[token]
    glued = _GLUED_ABD.match(token)
    if glued:
        rest = token[glued.end() :]
        candidate = "abdul" + rest
        if candidate in key_of:
            return key_of[candidate]
        for particle in ("ar", "as", "ash", "at", "az", "ad", "an", "al", "el", "ul", "ur"):
            if rest.startswith(particle) and ("abdul" + rest[len(particle) :]) in key_of:
                return key_of["abdul" + rest[len(particle) :]]
        return "abdul" + rest
    folded = _fold_endings(token)
    if folded != token:
        return key_of.get(folded, folded)
    return token


def known_group(token: str) -> str | None:
    """The key of the data file's group that lists ``token``; None for a name it lacks.

    Tells two *known* different names (Hussein, Hassan) from a spelling nobody listed
    (Yihya), for rules that would otherwise merge names by their consonants.
    """
    return _groups()[0].get(token)


def variants(token: str) -> set[str]:
    """All spellings in the token's variant group, the token itself included."""
    _, members = _groups()
    key = canonical(token)
    return {token, key, *members.get(key, ())}


def canonical_tokens(tokens: Sequence[str]) -> list[str]:
    """Keys of a token sequence, gluing split abd compounds ("abd al rahman", "abdel aziz")
    so they get the same key as the glued spelling ("abdulrahman", "abdelaziz")."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        key = canonical(tokens[i])
        if key == _ABD_KEY and i + 1 < len(tokens):
            rest_index = i + 1
            if canonical(tokens[rest_index]) == _AL_KEY and rest_index + 1 < len(tokens):
                rest_index += 1
            out.append(canonical("abdul" + tokens[rest_index]))
            i = rest_index + 1
            continue
        out.append(key)
        i += 1
    return out
