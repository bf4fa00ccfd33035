"""Arabic-script names (Arabic, Persian, Urdu) into vowelled Latin spellings, ranked.

Arabic script writes no short vowels, so a letter-by-letter transliteration gives a
consonant skeleton ("mhmd") that matches nothing a list prints ("Muhammad", "Mohammed").
Names are therefore looked up in a dictionary of customary spellings written for this
project (``core/data/arabic_names.tsv``); the particles are handled as words: ال → al/el
(also as a prefix: الرحمن → al rahman), بن → bin/ben/ibn, ابو → abu, عبد + a name →
abdul/abd al/abdel forms. A word not in the dictionary is romanised from its letters with
plausible vowels (long vowels from ا و ي, "a" between consonants) and kept also without
the inserted vowels, and as the bare skeleton, so the scorer can still relate it.
"""

from __future__ import annotations

import functools
from importlib import resources

from core.romanise._rank import Reading, best_products

_UNIFY = str.maketrans(
    {
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ی": "ي", "ک": "ك",
        "ؤ": "و", "ئ": "ي", "ۀ": "ه", "ے": "ي", "ھ": "ه", "ۃ": "ه", "ې": "ي", "ۍ": "ي",
    }
)  # fmt: skip
_PERSIAN_LETTERS = frozenset("پچژگکیۀ")
_CONSONANTS: dict[str, str] = {
    "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh",
    "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z",
    "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ک": "k", "ل": "l", "م": "m", "ن": "n",
    "ه": "h", "ھ": "h", "ۀ": "h", "پ": "p", "چ": "ch", "ژ": "zh", "گ": "g", "ٹ": "t",
    "ڈ": "d", "ڑ": "r", "ں": "n", "ڤ": "v", "ع": "", "ء": "", "ټ": "t", "ځ": "dz",
    "څ": "ts", "ډ": "d", "ړ": "r", "ږ": "zh", "ښ": "sh", "ګ": "g", "ڼ": "n",
}  # fmt: skip
_LONG_A = frozenset("اآأٱى")
_YA = frozenset("يیئېۍے")
_WAW = frozenset("وؤ")
_ALEF_HAMZA_BELOW = "إ"
_WEIGHT_DECAY = 0.85
_MAX_SPELLINGS_PER_WORD = 5


def unify(word: str) -> str:
    """One spelling of letters that vary between writers (أ إ آ → ا, ى → ي, ة → ه)."""
    return word.translate(_UNIFY)


@functools.cache
def dictionary() -> dict[str, tuple[str, ...]]:
    """The name dictionary: unified Arabic-script name → Latin spellings, commonest first."""
    text = resources.files("core.data").joinpath("arabic_names.tsv").read_text("utf-8")
    table: dict[str, tuple[str, ...]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, spellings = line.split("\t", 1)
        key = unify(name.strip())
        existing = table.get(key, ())
        new = tuple(s.strip() for s in spellings.split("|") if s.strip())
        table[key] = existing + tuple(s for s in new if s not in existing)
    return table


def _weighted(spellings: tuple[str, ...], weight: float = 1.0) -> list[tuple[str, float]]:
    return [
        (spelling, weight * _WEIGHT_DECAY**rank)
        for rank, spelling in enumerate(spellings[:_MAX_SPELLINGS_PER_WORD])
    ]


def _is_vowel_letter(ch: str) -> bool:
    return ch in _LONG_A or ch in _YA or ch in _WAW or ch == _ALEF_HAMZA_BELOW


def _letters(word: str, persian: bool, insert_vowels: bool) -> str:
    """Romanise a word from its letters; with ``insert_vowels`` put "a" inside clusters."""
    out: list[str] = []
    n = len(word)
    for i, ch in enumerate(word):
        previous = word[i - 1] if i else ""
        following = word[i + 1] if i + 1 < n else ""
        if ch in _LONG_A:
            out.append("a")
        elif ch == _ALEF_HAMZA_BELOW:
            out.append("i")
        elif ch in _YA:
            consonantal = i == 0 or (following in _LONG_A) or previous in _LONG_A
            out.append("y" if consonantal and following else "i")
        elif ch in _WAW:
            if i == 0 or following in _LONG_A or previous in _LONG_A:
                out.append("v" if persian else "w")
            else:
                out.append("o" if persian else "u")
        elif ch == "ة":  # ta marbuta: a final -a (-at before a following name)
            out.append("eh" if persian else "a")
        elif ch in _CONSONANTS:
            if ch == "ه" and i == n - 1 and i > 0:
                out.append("eh" if persian else "a")
                continue
            out.append(_CONSONANTS[ch])
            cluster = bool(following) and not _is_vowel_letter(following)
            final_a = following in "هة" and i + 2 == n  # read as a vowel: no "a" before it
            opens = (i == 0 and ch == "ع") or (following in _CONSONANTS and not final_a)
            if insert_vowels and cluster and opens:
                out.append("a")
        else:
            out.append(ch)
    return "".join(out)


def _skeleton(word: str) -> str:
    """The consonant skeleton (every letter, no vowels added): what general tools produce."""
    table = {**_CONSONANTS, "ع": "", "ا": "a", "و": "w", "ي": "y", "ی": "y", "ى": "a", "ة": "h"}
    return "".join(table.get(ch, ch) for ch in unify(word))


@functools.lru_cache(maxsize=65536)
def word_options(word: str, persian: bool = False) -> tuple[tuple[str, float], ...]:
    """Ranked spellings of one Arabic-script word (a name, a particle, or ال/عبد + name)."""
    key = unify(word)
    table = dictionary()
    if key in table:
        return tuple(_weighted(table[key]))
    if key.startswith("عبد") and len(key) > 4:
        rest = key[3:]
        rest_key = rest[2:] if rest.startswith("ال") and len(rest) > 3 else rest
        rest_options = word_options(rest_key, persian)[:2]
        out: list[tuple[str, float]] = []
        for text, weight in rest_options:
            out += [
                (f"abdul {text}", weight),
                (f"abd al {text}", weight * 0.9),
                (f"abdel {text}", weight * 0.8),
                (f"abdul{text}", weight * 0.7),
            ]
        return tuple(out)
    if key.startswith("ال") and len(key) > 3:
        rest_options = word_options(key[2:], persian)[:3]
        out = []
        for text, weight in rest_options:
            out += [(f"al {text}", weight), (f"el {text}", weight * 0.7), (text, weight * 0.6)]
        return tuple(out)
    for split in range(2, len(key) - 1):
        head, tail = key[:split], key[split:]
        if head in table and tail in table and len(tail) >= 2:
            return tuple(
                (f"{a} {b}", wa * wb)
                for a, wa in _weighted(table[head])[:2]
                for b, wb in _weighted(table[tail])[:2]
            )
    spellings = [
        (_letters(word, persian, insert_vowels=True), 0.6),
        (_letters(word, persian, insert_vowels=False), 0.55),
        (_skeleton(word), 0.3),
    ]
    if persian and ("و" in word):
        spellings.append((_letters(word, persian, False).replace("o", "u"), 0.5))
    if not persian and ("ب" in word or "ف" in word):
        # a word outside the dictionary is often a foreign name, whose p and v Arabic
        # writes ب and ف (بوتين = Putin, فلاديمير = Vladimir)
        foreign = _letters(word.replace("ب", "پ").replace("ف", "ڤ"), persian, False)
        spellings.append((foreign, 0.5))
    distinct: dict[str, float] = {}
    for text, weight in spellings:
        if text and text not in distinct:
            distinct[text] = weight
    return tuple(distinct.items())


def _join_particles(words: list[str]) -> list[str]:
    """Glue عبد/ابو to the following name, as the dictionary and the options expect."""
    out: list[str] = []
    i = 0
    while i < len(words):
        key = unify(words[i])
        if key == "عبد" and i + 1 < len(words):
            out.append(words[i] + words[i + 1])
            i += 2
            continue
        out.append(words[i])
        i += 1
    return out


@functools.lru_cache(maxsize=16384)
def romanise(run: str, limit: int = 8) -> list[Reading]:
    """Ranked Latin forms of a normalised Arabic-script run."""
    persian = bool(set(run) & _PERSIAN_LETTERS)
    words = _join_particles(run.split())
    options = [list(word_options(word, persian)) for word in words]
    return [
        Reading(" ".join(text.split()), weight, "Arabic script, name dictionary and letters")
        for text, weight in best_products(options, limit)
    ]
