"""The tokens of a name, each with the role it plays as evidence of identity.

Screening compares names token by token, but not every token is evidence: a title
("Haji", "General") says nothing about who someone is, a legal form ("OOO", "LLC") says
only what kind of company it is, and generic words ("Trading", "International") are shared
by thousands of unrelated companies. This module turns a normalised name into tokens that
carry that role, folds legal forms of every language to one canonical form ("ООО" = "OOO"
= "LLC" = "Limited Liability Company" → ``llc``), and drops titles — never the whole name,
so a name that is only a title ("General") still has a token.

Order-insensitivity, initials and glued tokens are handled by the scorer on these tokens
(:mod:`core.score`); this module only says what each token is.
"""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass
from importlib import resources

from core.model import Kind
from core.normalise import normalise
from core.scripts import char_script
from core.variants import canonical


class TokenRole(enum.StrEnum):
    NAME = "name"  # a word of the name proper: evidence, weighted by its rarity
    INITIAL = "initial"  # a single letter standing for a name ("Hans J Friedrich")
    NUMBER = "number"  # digits or a Roman numeral: must agree exactly ("Fund II" ≠ "Fund III")
    ORG_WORD = "org_word"  # a generic organisation word ("trading", "international")
    LEGAL_FORM = "legal_form"  # a legal form folded to its canonical form ("llc", "jsc")


@dataclass(frozen=True, slots=True)
class NameToken:
    text: str  # normalised token; for a legal form, its canonical form ("llc")
    role: TokenRole
    surface: str  # the words of the normalised name it stands for ("co ltd", "ооо")


def _data_lines(filename: str) -> list[str]:
    text = resources.files("core.data").joinpath(filename).read_text("utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


@functools.cache
def titles() -> dict[tuple[str, ...], str]:
    """Titles (as normalised token tuples) that are not evidence of identity."""
    out: dict[tuple[str, ...], str] = {}
    for line in _data_lines("titles.txt"):
        words = tuple(normalise(line).split())
        if words:
            out[words] = " ".join(words)
    return out


@functools.cache
def legal_forms() -> dict[tuple[str, ...], str]:
    """Legal-form spellings (as normalised token tuples) → canonical form."""
    out: dict[tuple[str, ...], str] = {}
    for line in _data_lines("legal_forms.tsv"):
        spelling, _, canonical = line.partition("\t")
        words = tuple(normalise(spelling).split())
        if words and canonical.strip():
            out[words] = canonical.strip()
    return out


@functools.cache
def org_words() -> frozenset[str]:
    """Generic organisation words, down-weighted as evidence."""
    return frozenset(normalise(line) for line in _data_lines("org_words.txt"))


@functools.cache
def _cjk_legal_suffixes() -> tuple[tuple[str, str], ...]:
    """Legal forms written in CJK scripts, longest first: they end a name without a space."""
    found = [
        (words[0], canonical)
        for words, canonical in legal_forms().items()
        if len(words) == 1 and any(char_script(ch) in ("Hani", "Hang") for ch in words[0])
    ]
    return tuple(sorted(found, key=lambda item: -len(item[0])))


_ROMAN_NUMERALS = frozenset(
    [
        "i",
        "ii",
        "iii",
        "iv",
        "v",
        "vi",
        "vii",
        "viii",
        "ix",
        "x",
        "xi",
        "xii",
        "xiii",
        "xiv",
        "xv",
        "xvi",
        "xvii",
        "xviii",
        "xix",
        "xx",
    ]
)


def variant_key(token: str) -> str:
    """The key that name variants of ``token`` share (mohammed/muhammad/mohamed)."""
    return canonical(token)


def split_cjk_legal_form(text: str) -> tuple[str, tuple[NameToken, ...]]:
    """A CJK name without its trailing legal form ("某某有限公司" → "某某", ltd).

    Done before romanising, because a romaniser reads the legal form as part of the name.
    """
    stripped = text.rstrip()
    for suffix, canonical_form in _cjk_legal_suffixes():
        if stripped.endswith(suffix) and len(stripped) > len(suffix):
            token = NameToken(canonical_form, TokenRole.LEGAL_FORM, suffix)
            return stripped[: -len(suffix)], (token,)
    return text, ()


def _split_cjk_legal_form(word: str) -> list[str]:
    for suffix, _canonical in _cjk_legal_suffixes():
        if word.endswith(suffix) and len(word) > len(suffix):
            return [word[: -len(suffix)], suffix]
    return [word]


def _match_phrase(
    words: list[str], start: int, table: dict[tuple[str, ...], str]
) -> tuple[int, str] | None:
    """Longest phrase of ``table`` starting at ``words[start]``: (length, value)."""
    for length in range(min(6, len(words) - start), 0, -1):
        value = table.get(tuple(words[start : start + length]))
        if value is not None:
            return length, value
    return None


def _plain_role(word: str, organisation: bool) -> TokenRole:
    if word.isdigit() or (word in _ROMAN_NUMERALS and len(word) > 1):
        return TokenRole.NUMBER
    if len(word) == 1 and word.isalpha() and char_script(word) == "Latn":
        return TokenRole.INITIAL
    if organisation and word in org_words():
        return TokenRole.ORG_WORD
    return TokenRole.NAME


def name_tokens(text: str, kind: Kind | None = None) -> list[NameToken]:
    """Tokens of a name (raw or normalised text) with their roles.

    ``kind`` decides which vocabularies apply: titles are dropped from people's names,
    legal forms and generic words are recognised in organisations' (and vessels', which
    are often named after their owner). With no kind, legal forms are looked for first
    and titles are dropped only from a name that has none ("General Trading LLC" keeps
    its "General").
    """
    words: list[str] = []
    for word in normalise(text).split():
        words.extend(_split_cjk_legal_form(word))
    if not words:
        return []
    organisation_vocab = kind in (None, Kind.ORGANIZATION, Kind.VESSEL, Kind.AIRCRAFT)
    tokens: list[NameToken] = []
    i = 0
    while i < len(words):
        found = _match_phrase(words, i, legal_forms()) if organisation_vocab else None
        # A short one-word form ("ao", "sa", "as") is a legal form only at either end of
        # the name: inside it, it is more likely a name ("Li Ao Ming").
        if found is not None and (
            found[0] > 1 or len(words[i]) > 3 or i == 0 or i == len(words) - 1
        ):
            length, canonical = found
            surface = " ".join(words[i : i + length])
            tokens.append(NameToken(canonical, TokenRole.LEGAL_FORM, surface))
            i += length
            continue
        tokens.append(NameToken(words[i], _plain_role(words[i], organisation_vocab), words[i]))
        i += 1
    if kind is not Kind.PERSON and (
        kind is not None or any(t.role is TokenRole.LEGAL_FORM for t in tokens)
    ):
        # An organisation: a single letter is a name of its own ("L & H"), not an initial.
        return [
            NameToken(t.text, TokenRole.NAME, t.surface) if t.role is TokenRole.INITIAL else t
            for t in tokens
        ]
    if kind is None:  # no legal form: read it as a person's name
        tokens = [
            NameToken(t.text, TokenRole.NAME, t.surface) if t.role is TokenRole.ORG_WORD else t
            for t in tokens
        ]
    return _drop_titles(tokens)


def _drop_titles(tokens: list[NameToken]) -> list[NameToken]:
    """Tokens without titles; all of them when the name is nothing but titles."""
    words = [t.text for t in tokens]
    keep: list[NameToken] = []
    i = 0
    while i < len(tokens):
        found = _match_phrase(words, i, titles())
        if found is not None:
            i += found[0]
            continue
        keep.append(tokens[i])
        i += 1
    return keep or tokens


def evidence_tokens(tokens: list[NameToken]) -> list[NameToken]:
    """The tokens that identify: legal forms and generic words only when nothing else."""
    core = [t for t in tokens if t.role not in (TokenRole.LEGAL_FORM, TokenRole.ORG_WORD)]
    return core or tokens
