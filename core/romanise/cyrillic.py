"""Cyrillic names into the spellings lists and people actually use, not one.

The same Russian name is written "Yevgeniy" (BGN/PCGN, the US and UK government system,
what OFAC and OFSI print), "Evgeny" (the press), "Evgenii" (ICAO passports since 2013);
a Ukrainian name "Volodymyr" (the 2010 national system) or "Vladimir" (read as Russian).
Each scheme is a letter table plus the context rules that differ between systems: the
iotated vowels (е ё ю я є) at the start of a word or after a vowel, й, and the -ий/-ый
endings. The tables are written here from the published systems; no library is needed.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from core.romanise._rank import Reading, best_products, merge_readings

_VOWELS = frozenset("аеёиоуыэюяіїєў")
_UKRAINIAN_LETTERS = frozenset("іїєґ")
_BELARUSIAN_LETTERS = frozenset("ў")
_SOUTH_SLAVIC_LETTERS = frozenset("јљњђћџѓќѕ")

# Letters every scheme writes the same way (Russian core and the other Cyrillic alphabets).
_COMMON: dict[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ж": "zh", "з": "z", "и": "i",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s",
    "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya", "й": "y", "е": "e",
    "ё": "yo", "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "u",
    # Serbian, Macedonian
    "ј": "j", "љ": "lj", "њ": "nj", "ђ": "dj", "ћ": "c", "џ": "dz", "ѓ": "gj", "ќ": "kj",
    "ѕ": "dz",
    # Kazakh, Kyrgyz, Tajik, Uzbek (old), Tatar, Bashkir, Mongolian
    "ә": "a", "ғ": "gh", "қ": "q", "ң": "ng", "ө": "o", "ұ": "u", "ү": "u", "һ": "h",
    "ҳ": "h", "ҷ": "j", "ӣ": "i", "ӯ": "u", "ҡ": "q", "ҙ": "z", "ҫ": "s", "ӑ": "a",
    "ӗ": "e", "ҫ̆": "s", "ӳ": "u", "ӱ": "u", "ӧ": "o", "ӓ": "a", "ӹ": "y", "ҥ": "ng",
}  # fmt: skip


@dataclass(frozen=True, eq=False)
class _Scheme:
    """One romanisation system: overrides of the common table plus its context rules."""

    name: str
    weight: float
    letters: dict[str, str] = field(default_factory=dict)
    # е, ё, ю, я, є at the start of a word or after a vowel/ъ/ь: (е, ё, ю, я, є)
    initial_iotated: tuple[str, str, str, str, str] = ("ye", "yo", "yu", "ya", "ye")
    # word endings, longest first
    endings: tuple[tuple[str, str], ...] = ()
    # whether the initial forms apply after a vowel too (Russian: yes; Ukrainian 2010: only
    # at the start of a word, Юлія → Yuliia)
    iotated_after_vowel: bool = True
    # й after a vowel and before a consonant ("Шойгу" → shoygu / shoigu)
    y_before_consonant: str = "y"

    @functools.cached_property
    def table(self) -> dict[str, str]:
        """The full letter table of this scheme."""
        return {**_COMMON, **self.letters}


_BGN = _Scheme(
    "BGN/PCGN",
    1.0,
    endings=(("ий", "iy"), ("ый", "yy")),
)
_PRESS = _Scheme(
    "common English",
    0.9,
    letters={"й": "i"},
    initial_iotated=("e", "yo", "yu", "ya", "ye"),
    endings=(("ий", "y"), ("ый", "y"), ("ей", "ei"), ("ай", "ai"), ("ой", "oy")),
    y_before_consonant="i",
)
_PRESS_YE = _Scheme(
    "common English (ye)",
    0.85,
    letters={"й": "i"},
    endings=(("ий", "y"), ("ый", "y"), ("ей", "ei"), ("ай", "ai"), ("ой", "oy")),
    y_before_consonant="i",
)
_ICAO = _Scheme(
    "ICAO passport",
    0.8,
    letters={"й": "i", "ё": "e", "ъ": "ie", "ю": "iu", "я": "ia", "є": "ie", "ї": "i"},
    initial_iotated=("e", "e", "iu", "ia", "ie"),
    y_before_consonant="i",
)
_UKRAINIAN = _Scheme(
    "Ukrainian national",
    0.7,
    letters={"г": "h", "и": "y", "є": "ie", "ї": "i", "ю": "iu", "я": "ia", "й": "i"},
    initial_iotated=("e", "yo", "yu", "ya", "ye"),
    endings=(("ий", "yi"), ("ій", "ii")),
    iotated_after_vowel=False,
    y_before_consonant="i",
)
_UKRAINIAN_G = _Scheme(
    "Ukrainian, g for г",
    0.65,
    letters={"и": "y", "ї": "yi", "й": "y"},
    initial_iotated=("e", "yo", "yu", "ya", "ye"),
    endings=(("ий", "y"), ("ій", "iy")),
)
_GERMAN_FRENCH = _Scheme(
    "h for х",
    0.5,
    letters={"х": "h", "й": "i"},
    initial_iotated=("e", "io", "iu", "ia", "ie"),
    endings=(("ий", "i"), ("ый", "y")),
    y_before_consonant="i",
)
_SERBIAN = _Scheme(
    "Serbian Latin",
    1.0,
    letters={"ж": "z", "ш": "s", "ч": "c", "ц": "c", "х": "h", "ћ": "c", "ђ": "dj", "џ": "dz",
             "ј": "j", "е": "e", "ю": "ju", "я": "ja"},
    initial_iotated=("e", "jo", "ju", "ja", "je"),
)  # fmt: skip
_SERBIAN_ENGLISH = _Scheme(
    "Serbian, English digraphs",
    0.8,
    letters={"ћ": "ch", "ђ": "dj", "џ": "dzh", "ј": "y", "х": "h", "ц": "c", "е": "e"},
    initial_iotated=("e", "yo", "yu", "ya", "ye"),
)

# Mongolian names as Mongolia writes them in Latin letters (its 2012 national standard and
# passports): ж is j, ү and ө are u and o, -ий is -ii (Элбэгдорж Elbegdorj, Хүрэлсүх
# Khurelsukh, Цахиагийн Tsakhiagiin).
_MONGOLIAN = _Scheme(
    "Mongolian",
    1.0,
    letters={"ж": "j", "й": "i", "ү": "u", "ө": "o", "е": "ye", "ё": "yo"},
    endings=(("ий", "ii"), ("ый", "ii")),
    y_before_consonant="i",
)
_MONGOLIAN_H = _Scheme(
    "Mongolian, h for х",
    0.8,
    letters={"ж": "j", "й": "i", "ү": "u", "ө": "o", "х": "h", "е": "ye", "ё": "yo"},
    endings=(("ий", "ii"), ("ый", "ii")),
    y_before_consonant="i",
)

_RUSSIAN_SCHEMES: tuple[_Scheme, ...] = (_BGN, _PRESS, _PRESS_YE, _ICAO, _UKRAINIAN, _GERMAN_FRENCH)
_UKRAINIAN_SCHEMES: tuple[_Scheme, ...] = (_UKRAINIAN, _UKRAINIAN_G, _BGN, _PRESS, _ICAO)
_SOUTH_SLAVIC_SCHEMES: tuple[_Scheme, ...] = (_SERBIAN, _SERBIAN_ENGLISH, _BGN)
_MONGOLIAN_SCHEMES: tuple[_Scheme, ...] = (_MONGOLIAN, _MONGOLIAN_H, _BGN)
_MONGOLIAN_LETTERS = frozenset("өү")
# Letters of the Turkic Cyrillic alphabets that Mongolian lacks (Kazakh ә ғ қ ң ұ һ і, ...).
_TURKIC_LETTERS = frozenset("әғқңұһіҳҷӣӯ")
_IOTATED = "еёюяє"


def _romanise_with(token: str, scheme: _Scheme) -> str:
    table = scheme.table
    ending = ""
    for cyr, lat in scheme.endings:
        if token.endswith(cyr) and len(token) > len(cyr) + 1:
            token, ending = token[: -len(cyr)], lat
            break
    out: list[str] = []
    for i, ch in enumerate(token):
        previous = token[i - 1] if i else ""
        following = token[i + 1] if i + 1 < len(token) else ""
        after_vowel = scheme.iotated_after_vowel and (previous in _VOWELS or previous in "ъь'")
        if ch in _IOTATED and (not previous or after_vowel):
            out.append(scheme.initial_iotated[_IOTATED.index(ch)])
        elif ch == "й" and previous in _VOWELS and following and following not in _VOWELS:
            out.append(scheme.y_before_consonant)
        else:
            out.append(table.get(ch, ch))
    return "".join(out) + ending


def _schemes_for(token: str) -> tuple[_Scheme, ...]:
    letters = set(token)
    if letters & _SOUTH_SLAVIC_LETTERS:
        return _SOUTH_SLAVIC_SCHEMES
    if letters & (_UKRAINIAN_LETTERS | _BELARUSIAN_LETTERS):
        return _UKRAINIAN_SCHEMES
    if letters & _MONGOLIAN_LETTERS and not letters & _TURKIC_LETTERS:
        return _MONGOLIAN_SCHEMES
    return _RUSSIAN_SCHEMES


@functools.lru_cache(maxsize=65536)
def token_readings(token: str, schemes: tuple[_Scheme, ...] | None = None) -> tuple[Reading, ...]:
    """Distinct spellings of one normalised Cyrillic token, most likely first."""
    chosen = schemes or _schemes_for(token)
    seen: dict[str, Reading] = {}
    for scheme in chosen:
        text = _romanise_with(token, scheme)
        if text and text not in seen:
            seen[text] = Reading(text, scheme.weight, f"Cyrillic, {scheme.name}")
    return tuple(seen.values())


_ALL_SCHEMES: tuple[_Scheme, ...] = tuple(
    dict.fromkeys(
        (*_RUSSIAN_SCHEMES, *_UKRAINIAN_SCHEMES, *_SOUTH_SLAVIC_SCHEMES, *_MONGOLIAN_SCHEMES)
    )
)


def every_spelling(token: str) -> tuple[str, ...]:
    """Every spelling of a normalised Cyrillic token under any scheme here, whatever the
    rest of the name would choose (for vocabularies matched on romanised text)."""
    return tuple(reading.text for reading in token_readings(token, _ALL_SCHEMES))


@functools.lru_cache(maxsize=16384)
def romanise(run: str, limit: int = 8) -> list[Reading]:
    """Ranked Latin forms of a normalised Cyrillic run: whole-name schemes first, then mixes."""
    tokens = run.split()
    schemes = _schemes_for(run)
    consistent = [
        Reading(
            " ".join(_romanise_with(token, scheme) for token in tokens),
            scheme.weight,
            f"Cyrillic, {scheme.name}",
        )
        for scheme in schemes
    ]
    per_token = [token_readings(token, schemes) for token in tokens]
    mixed = [
        Reading(text, weight, "Cyrillic, mixed systems")
        for text, weight in best_products(
            [[(r.text, r.weight) for r in readings] for readings in per_token], limit
        )
    ]
    return merge_readings([consistent, mixed], limit)
