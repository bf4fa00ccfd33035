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
import itertools
import re
from dataclasses import dataclass
from importlib import resources

from core.model import Kind
from core.normalise import normalise
from core.scripts import char_script
from core.translit import word_spellings
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
    """Legal-form spellings (as normalised token tuples) → canonical form.

    A spelling written in an alphabet (Cyrillic, Armenian, Georgian, Greek) is there in
    every romanisation of it too: names are tokenised after romanising, and each reading
    of "Публичное акционерное общество" must tag the same words as a legal form.
    """
    out: dict[tuple[str, ...], str] = {}
    for line in _data_lines("legal_forms.tsv"):
        spelling, _, canonical = line.partition("\t")
        words = tuple(normalise(spelling).split())
        if not words or not canonical.strip():
            continue
        out[words] = canonical.strip()
        if not spelling.isascii():
            for romanised in _romanised_phrases(words):
                out.setdefault(romanised, canonical.strip())
    return out


# Romanised forms of one legal-form phrase: its words' spellings multiply.
_MAX_PHRASE_SPELLINGS = 512


def _romanised_phrases(words: tuple[str, ...]) -> list[tuple[str, ...]]:
    per_word = [word_spellings(word) for word in words]
    if not all(per_word):
        return []  # a script with no spelling of its own here (Han, Hangul: split before)
    phrases = [tuple(text.split()) for text in map(" ".join, itertools.product(*per_word))]
    return phrases[:_MAX_PHRASE_SPELLINGS]


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


# Shortest cut-off end of a legal form read as that form ("JOINT STOCK COMPAN").
TRUNCATED_LEGAL_FORM_MIN = 5


@functools.cache
def truncated_legal_forms() -> dict[tuple[str, ...], str]:
    """Legal forms whose last word is cut short, as fixed-width list fields cut them.

    "TACTICAL MISSILES CORPORATION JOINT STOCK COMPAN": a register's or a list's field
    ended inside the legal form. Only read at the very end of a name; a cut word that is
    itself a full legal form keeps that meaning.
    """
    full = legal_forms()
    cut: dict[tuple[str, ...], str] = {}
    for phrase, form in full.items():
        last = phrase[-1]
        for end in range(TRUNCATED_LEGAL_FORM_MIN, len(last)):
            key = (*phrase[:-1], last[:end])
            if key not in full:
                cut.setdefault(key, form)
    return cut


def _match_truncated_legal_form(words: list[str], start: int) -> tuple[int, str] | None:
    """A legal form cut off at the end of the name, from ``words[start]`` to the end."""
    length = len(words) - start
    if length > 6 or len(words[-1]) < TRUNCATED_LEGAL_FORM_MIN:
        return None
    value = truncated_legal_forms().get(tuple(words[start:]))
    return None if value is None else (length, value)


# Two-letter Roman numerals that are also given or family names ("Xi", "Vi", "Di").
_NAME_LIKE_NUMERALS = frozenset({"vi", "ix", "xi", "xv", "xx"})


def _plain_role(word: str, organisation: bool, first: bool = False) -> TokenRole:
    if word.isdigit():
        return TokenRole.NUMBER
    # A Roman numeral follows what it numbers ("Fund XI", "Louis XIV"): a first word is a
    # name ("Xi Jinping"), and in a person's name only the generational II-IV and the
    # longer numerals count, never a two-letter one that is also a name ("Jinping Xi").
    numeral = word in _ROMAN_NUMERALS and len(word) > 1 and not first
    if numeral and (organisation or word not in _NAME_LIKE_NUMERALS):
        return TokenRole.NUMBER
    if len(word) == 1 and word.isalpha() and char_script(word) == "Latn":
        return TokenRole.INITIAL
    if organisation and word in org_words():
        return TokenRole.ORG_WORD
    return TokenRole.NAME


@functools.cache
def number_words() -> dict[str, tuple[int, str]]:
    """English number words and ordinals → (value, unit | tens | hundred)."""
    out: dict[str, tuple[int, str]] = {}
    for line in _data_lines("number_words.tsv"):
        word, value, kind = line.split("\t")
        out[word.strip()] = (int(value), kind.strip())
    return out


_ORDINAL_DIGITS = re.compile(r"^(\d+)(?:st|nd|rd|th)$")


def fold_numbers(words: list[str]) -> list[str]:
    """Number words and ordinals as digits: "forty four" / "forty 4" → "44", "1st" → "1".

    Organisations write their numbers either way ("Brigade Forty-Four" = "Brigade 44",
    "First International Bank" = "1st International Bank"), so both fold to digits.
    """
    table = number_words()
    out: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        ordinal = _ORDINAL_DIGITS.match(word)
        if ordinal:
            out.append(str(int(ordinal.group(1))))
            i += 1
            continue
        entry = table.get(word)
        if entry is None or entry[1] == "hundred":
            out.append(word)
            i += 1
            continue
        value, kind = entry
        i += 1
        if kind == "tens" and i < len(words):
            unit = table.get(words[i])
            if unit is not None and unit[1] == "unit" and 1 <= unit[0] <= 9:
                value, i = value + unit[0], i + 1
            elif len(words[i]) == 1 and words[i] in "123456789":
                value, i = value + int(words[i]), i + 1
        if i < len(words) and table.get(words[i], (0, ""))[1] == "hundred":
            value, i = value * 100, i + 1
        out.append(str(value))
    return out


# Digits written for the letters they look like: "Ig0r Sech1n", "I9or".
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b",
                       "9": "g"})  # fmt: skip
_DIGIT_BETWEEN_LETTERS = re.compile(r"(?<=[a-z])[013457-9]+(?=[a-z])")


def fold_leet(word: str) -> str:
    """A Latin word with digits between its letters, read as the letters they look like.

    Only digits with a letter on both sides: "sech1n" → "sechin", but "x5", "3m" or
    "7eleven" keep their digits (those are how the names are really written).
    """
    if not any(ch.isdigit() for ch in word):
        return word
    return _DIGIT_BETWEEN_LETTERS.sub(lambda m: m.group(0).translate(_LEET), word)


_CAMEL_SUFFIX = re.compile(r"(?<=[a-z])([A-Z][A-Za-z]{1,5})$")


def split_glued_legal_form(text: str) -> str:
    """Raw text with a legal form glued to a word in capitals split off ("SiemensAG").

    Only where the case shows the seam (a capital after a lower-case letter, a word of at
    least four letters before it) and the part after it is a known one-word legal form:
    "SiemensAG" → "Siemens AG", but "Texas" or "McDonald" stay whole.
    """
    words = text.split(" ")
    for k, word in enumerate(words):
        found = _CAMEL_SUFFIX.search(word)
        if found is None or found.start() < 4:
            continue
        if (normalise(found.group(1)),) in legal_forms():
            words[k] = word[: found.start()] + " " + found.group(1)
    return " ".join(words)


def name_tokens(text: str, kind: Kind | None = None) -> list[NameToken]:
    """Tokens of a name (raw or normalised text) with their roles.

    ``kind`` decides which vocabularies apply: titles are dropped from people's names,
    legal forms and generic words are recognised in organisations' (and vessels', which
    are often named after their owner). With no kind, legal forms are looked for first
    and titles are dropped only from a name that has none ("General Trading LLC" keeps
    its "General"). A name that is nothing but a legal form has no tokens.
    """
    words: list[str] = []
    for word in normalise(text).split():
        words.extend(_split_cjk_legal_form(fold_leet(word)))
    if not words:
        return []
    organisation_vocab = kind in (None, Kind.ORGANIZATION, Kind.VESSEL, Kind.AIRCRAFT)
    if organisation_vocab:
        words = fold_numbers(words)
    tokens: list[NameToken] = []
    i = 0
    while i < len(words):
        found = _match_phrase(words, i, legal_forms()) if organisation_vocab else None
        if found is None and organisation_vocab and i > 0:
            found = _match_truncated_legal_form(words, i)
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
        role = _plain_role(words[i], organisation_vocab, first=not tokens)
        tokens.append(NameToken(words[i], role, words[i]))
        i += 1
    if all(t.role is TokenRole.LEGAL_FORM for t in tokens):
        # Nothing but a legal form ("Акционерное общество", one METI alias of a company):
        # it says what kind of company, not which, and must find or alert on nobody.
        return []
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


@functools.cache
def _particle_table() -> tuple[frozenset[str], frozenset[str]]:
    """(particles, filiation particles) from ``core/data/particles.txt``."""
    plain: set[str] = set()
    filiation: set[str] = set()
    for line in _data_lines("particles.txt"):
        word = line.strip()
        if word.startswith("filiation "):
            word = word.removeprefix("filiation ").strip()
            filiation.add(word)
        plain.add(word)
    return frozenset(plain), frozenset(filiation)


def is_particle(token: str) -> bool:
    """Whether a normalised token is a name particle (al, bin, abu, de, van...).

    Particles join names; two names that differ only in them are not two people.
    """
    return token in _particle_table()[0]


def is_filiation(token: str) -> bool:
    """Whether a token says "son/daughter of" (bin, ben, ibn, bint, walad, ould).

    The names before it are the person's own, those after it the father's, so
    "Salman bin Muhammad" and "Muhammad bin Salman" are father and son.
    """
    return token in _particle_table()[1]


@functools.cache
def _nickname_groups() -> dict[str, frozenset[int]]:
    """Token → the nickname groups (line numbers of ``nicknames.tsv``) it belongs to."""
    groups: dict[str, set[int]] = {}
    for number, line in enumerate(_data_lines("nicknames.tsv")):
        for name in line.split("\t"):
            if name.strip():
                groups.setdefault(name.strip(), set()).add(number)
    return {name: frozenset(found) for name, found in groups.items()}


def are_nicknames(a: str, b: str) -> bool:
    """Whether two different given names are one name and its short form (Ted/Theodore,
    Bill/William, Bibi/Benjamin), or two short forms of one name (Bill/Will)."""
    groups = _nickname_groups()
    found = groups.get(a)
    return a != b and found is not None and not found.isdisjoint(groups.get(b, ()))


@functools.cache
def _wade_giles() -> dict[str, tuple[str, bool]]:
    """Wade-Giles syllable → (pinyin, whether it is also a pinyin syllable)."""
    out: dict[str, tuple[str, bool]] = {}
    for line in _data_lines("wade_giles.tsv"):
        fields = line.split("\t")
        out[fields[0].strip()] = (fields[1].strip(), len(fields) > 2)
    return out


def wade_giles_to_pinyin(words: list[str]) -> list[str] | None:
    """A Chinese name written in Wade-Giles, in pinyin; None when it does not look like one.

    "hsi chin ping" → "xi jin ping" ("Xi Jinping"), "mao tse tung" → "mao ze dong". At
    least two syllables must convert, one of them unmistakably Wade-Giles (hsi, tse, chin:
    not pinyin syllables), so a Western or pinyin name is left alone.
    """
    table = _wade_giles()
    out: list[str] = []
    changed = certain = 0
    for word in words:
        found = table.get(word)
        if found is None:
            out.append(word)
            continue
        out.append(found[0])
        changed += 1
        certain += not found[1]
    return out if changed >= 2 and certain >= 1 else None
