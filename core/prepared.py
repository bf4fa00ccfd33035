"""A name made ready to compare: its romanisations, tokenised, and its native form.

Preparing is per name, not per comparison: an index prepares each listed name once and a
search its query once. Each romanisation becomes a :class:`NameForm` (tokens, glued runs
of adjacent names, whether it names an organisation); a name in a syllabic script (Han,
Hangul, kana) also keeps one token per character, since romanisation collapses
distinctions those scripts keep.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.model import Kind, NameRole
from core.names import (
    NameToken,
    TokenRole,
    name_tokens,
    split_cjk_legal_form,
    split_glued_legal_form,
    variant_key,
    wade_giles_to_pinyin,
)
from core.normalise import normalise
from core.scripts import char_script, detect_script
from core.translit import Romanisation, romanisations


@dataclass(frozen=True, slots=True)
class NameForm:
    """One romanisation of a name, tokenised."""

    romanisation: Romanisation
    tokens: tuple[NameToken, ...]
    # Runs of 2-3 adjacent name tokens glued into one word, with the positions they cover.
    glued: tuple[tuple[tuple[int, ...], str], ...] = ()
    # An organisation's name (by kind, or by a legal form when the kind is unknown).
    organisation: bool = False


@dataclass(frozen=True, slots=True)
class PreparedName:
    """A name as written, with its romanised token forms (most likely first)."""

    text: str
    forms: tuple[NameForm, ...]
    role: NameRole | None = None
    # The name in its own syllabic script, one token per syllable (see _native_form).
    native: NameForm | None = None
    # Normalised tokens that may alone identify the name (see RARE_LONE_WEIGHT).
    distinctive: frozenset[str] = frozenset()


def prepare_name(
    text: str,
    kind: Kind | None = None,
    role: NameRole | None = None,
    limit: int = 4,
    distinctive: frozenset[str] = frozenset(),
) -> PreparedName:
    forms: list[NameForm] = []
    seen: set[tuple[str, ...]] = set()
    text, legal_suffix = split_cjk_legal_form(text)
    if kind is not Kind.PERSON:
        text = split_glued_legal_form(text)
    readings = romanisations(text, limit=limit)
    if kind in (None, Kind.PERSON) and readings and readings[0].method == "as written":
        pinyin = wade_giles_to_pinyin(readings[0].text.split())
        if pinyin is not None:
            readings.append(Romanisation(" ".join(pinyin), "Latn", "Wade-Giles as pinyin"))
    for rom in readings:
        tokens = tuple(name_tokens(rom.text, kind)) + legal_suffix
        organisation = kind in (Kind.ORGANIZATION, Kind.VESSEL, Kind.AIRCRAFT) or (
            kind is None and any(t.role is TokenRole.LEGAL_FORM for t in tokens)
        )
        joined = _join_letters(tokens)
        # In a person's name single letters are initials ("Hans J Friedrich"); in an
        # organisation's, a run of them is one acronym ("A.B.C." is ABC, not C.B.A.).
        variants = (joined,) if organisation and joined != tokens else (tokens, joined)
        for variant in variants:
            # Forms that differ only in spelling variants score alike: keep the likeliest.
            key = tuple(variant_key(t.text) for t in variant)
            if variant and key not in seen:
                seen.add(key)
                forms.append(NameForm(rom, variant, _glued_runs(variant), organisation))
    native = _native_form(text, kind, legal_suffix)
    return PreparedName(text, tuple(forms), role, native, distinctive)


# Scripts whose characters are syllables of a name: Han, Hangul, Japanese (Han + kana).
SYLLABIC_SCRIPTS = frozenset({"Hani", "Hang", "Jpan"})


def _native_form(
    text: str, kind: Kind | None, legal_suffix: tuple[NameToken, ...]
) -> NameForm | None:
    """A CJK or Hangul name as one token per character, for comparing two such names.

    Romanisation collapses distinctions these scripts keep: 김종은 and 김정은 are both
    "Kim Jong Un" in some romanisation, 高市 and 高石 both "Takaichi"-like readings. In a
    name of two to four syllables, one different syllable is a different person, so two
    names in the same syllabic script are also compared character by character.
    """
    script = detect_script(text)
    if script not in SYLLABIC_SCRIPTS:
        return None
    tokens: list[NameToken] = []
    for word in normalise(text).split():
        if all(char_script(ch) in ("Hani", "Hang", "Hira", "Kana") for ch in word):
            tokens.extend(NameToken(ch, TokenRole.NAME, ch) for ch in word)
        else:
            tokens.extend(name_tokens(word, kind))
    tokens.extend(legal_suffix)
    if not tokens:
        return None
    form = Romanisation(" ".join(t.text for t in tokens), script, "native script")
    return NameForm(form, tuple(tokens), ())


def _join_letters(tokens: tuple[NameToken, ...]) -> tuple[NameToken, ...]:
    """Runs of single letters joined into one token: "A.B.C. Company" → "abc company",
    and "H and M" → "hm" as "H&M" is (the tokeniser drops "&")."""
    out: list[NameToken] = []
    run: list[NameToken] = []
    for k, token in enumerate((*tokens, None)):
        if token is not None and len(token.text) == 1 and token.role is not TokenRole.NUMBER:
            run.append(token)
            continue
        following = tokens[k + 1] if k + 1 < len(tokens) else None
        if (
            run
            and token is not None
            and token.text == "and"
            and following is not None
            and len(following.text) == 1
            and following.role is not TokenRole.NUMBER
        ):
            continue  # "H and M": the run goes on over the "and"
        if len(run) >= 2:
            text = "".join(t.text for t in run)
            out.append(NameToken(text, TokenRole.NAME, " ".join(t.surface for t in run)))
        else:
            out.extend(run)
        run = []
        if token is not None:
            out.append(token)
    return tuple(out)


def _glued_runs(tokens: Sequence[NameToken]) -> tuple[tuple[tuple[int, ...], str], ...]:
    runs: list[tuple[tuple[int, ...], str]] = []
    for start in range(len(tokens)):
        for length in (2, 3):
            span = tokens[start : start + length]
            if len(span) < length or any(t.role is not TokenRole.NAME for t in span):
                break
            runs.append((tuple(range(start, start + length)), "".join(t.text for t in span)))
    return tuple(runs)
