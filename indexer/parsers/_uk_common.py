"""What the UK's two lists share: OFSI's consolidated list (``gb-ofsi``) and the FCDO's UK
Sanctions List (``uk-fcdo``) write names as Name 1-6 with a name type and an alias
quality, non-Latin names with an English script and language name, and the same kinds.

Both parsers map these the same way, so a party read from either list is the same
entity, and moving an installation from one to the other (:mod:`indexer.succession`)
diffs what the lists say, not how two parsers differ.
"""

from __future__ import annotations

import functools

import pycountry

from core.model import Kind, Name, NameRole
from core.scripts import detect_script

KINDS = {"individual": Kind.PERSON, "entity": Kind.ORGANIZATION, "ship": Kind.VESSEL}

# The UK's "Non-Latin Script Type" values (misspellings included) -> ISO 15924.
SCRIPT_TYPES = {
    "cyrillic": "Cyrl",
    "cryillic": "Cyrl",
    "cyrilic": "Cyrl",
    "russian": "Cyrl",
    "arabic": "Arab",
    "persian": "Arab",
    "chinese": "Hani",
    "georgian": "Geor",
    "hebrew": "Hebr",
    "hangul": "Hang",
    "korean": "Hang",
    "thai": "Thai",
    "greek": "Grek",
    "burmese": "Mymr",
}

script_of = functools.lru_cache(maxsize=1 << 16)(detect_script)


def name_role(name_type: str | None, quality: str | None) -> NameRole:
    """OFSI's Alias Type / the FCDO's Name type, with the alias quality (strength).

    "Primary name" is the primary name; "fka" a former name; an alias of low quality a
    weak one; "AKA", "Alias", "Primary name variation" (a spelling of the primary name)
    and anything new are aliases. Case and spacing vary in both files ("ALias")."""
    kind = " ".join((name_type or "").split()).casefold()
    strength = (quality or "").casefold()
    if kind == "primary name":
        return NameRole.PRIMARY
    if kind == "fka":
        return NameRole.FKA
    if kind in ("aka", "alias") and strength.startswith("low"):
        return NameRole.WEAK
    return NameRole.AKA


def latin_name(
    parts: list[str | None], role: NameRole, kind: Kind, title: str | None
) -> Name | None:
    """The name of Name 1-6 (``parts``, six values): Name 1 is the given name, Name 2-5
    middle names and Name 6 the family name of an individual; an entity's or ship's whole
    name is usually in Name 6, so no name parts are claimed for them."""
    given, *middle_parts, family = (list(parts) + [None] * 6)[:6]
    middle = [p for p in middle_parts if p]
    full = " ".join(p for p in (given, *middle, family) if p)
    if not full:
        return None
    person = kind is Kind.PERSON
    return Name(
        full=full,
        role=role,
        script=script_of(full),
        given=given if person else None,
        middle=(" ".join(middle) or None) if person else None,
        family=family if person else None,
        title=title if person else None,
    )


def original_script_name(text: str, script_type: str | None, language: str | None) -> Name:
    return Name(
        full=text,
        role=NameRole.ORIGINAL_SCRIPT,
        script=script_of(text) or SCRIPT_TYPES.get((script_type or "").casefold()),
        lang=language_code(language),
    )


# English names the UK uses that ISO 639 spells otherwise.
_LANGUAGE_NAMES = {"pashto": "ps", "farsi": "fa", "dari": "prs"}


@functools.lru_cache(maxsize=256)
def language_code(language: str | None) -> str | None:
    """ISO 639-1 (else 639-3) code of a language the UK names in English ("Persian/Farsi")."""
    if not language:
        return None
    for candidate in language.split("/"):
        if candidate.strip().casefold() in _LANGUAGE_NAMES:
            return _LANGUAGE_NAMES[candidate.strip().casefold()]
        found = pycountry.languages.get(name=candidate.strip())
        if found is not None:
            return str(getattr(found, "alpha_2", None) or found.alpha_3)
    return None
