"""Letters of one script that look like letters of another, and which reading a word takes.

Typing a few Cyrillic or Greek letters into a Latin name ("ВАNК МЕLLI IRАN": В, А, К, М,
Е are Cyrillic) is a classic way past a screening filter: the text no longer equals the
listed name, and a romaniser reads the Cyrillic letters as Cyrillic ("va n k"). The other
way round, lists themselves type Latin letters into Cyrillic words (the UK writes the
Belarusian "КАЗАКЕВІЧ" with a Latin I). A word that mixes Latin with Cyrillic or Greek
letters is therefore read in the script its look-alikes allow:

- as Latin when every Cyrillic/Greek letter in it has a Latin twin, as Cyrillic when every
  Latin letter has a Cyrillic twin; when only one reading is possible, that one ("ВАNК":
  N has no Cyrillic twin, so Latin "BANK", though most of its letters are Cyrillic);
- when both are possible, the majority's script first, and the other reading offered as
  an alternative (:func:`word_readings`), which ``core.translit`` romanises as well.

Twins depend on case: the Greek capital Ν is a Latin N, its small ν a Latin v; the
Cyrillic capital Н is an H. The tables hold the pairs that print alike in common fonts
(the Latin/Cyrillic/Greek part of Unicode's confusables, by hand); a word in one script
alone is never touched ("Сергей" stays Cyrillic, "СОМРАНУ" is a Cyrillic word).
"""

from __future__ import annotations

from core.scripts import char_script

# Cyrillic and Greek letters → the Latin letter they look like, capitals and small letters.
_TO_LATIN: dict[str, str] = {
    # Cyrillic capitals
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
    "С": "C", "Т": "T", "У": "Y", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S", "Һ": "H",
    "Ү": "Y", "Ӏ": "I", "Ԛ": "Q", "Ԝ": "W", "Ԁ": "D",
    # Cyrillic small letters (в к м н т are small capitals of B K M H T)
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d",
    "һ": "h", "ӏ": "l", "ԛ": "q", "ԝ": "w", "ү": "y",
    # Greek capitals
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M",
    "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "Ϲ": "C", "Ϳ": "J",
    # Greek small letters
    "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "ϲ": "c", "ϳ": "j",
}  # fmt: skip

# Latin letters → the Cyrillic letter they look like (typed inside a Cyrillic word).
_TO_CYRILLIC: dict[str, str] = {
    "A": "А", "B": "В", "E": "Е", "K": "К", "M": "М", "H": "Н", "O": "О", "P": "Р",
    "C": "С", "T": "Т", "Y": "У", "X": "Х", "I": "І", "J": "Ј", "S": "Ѕ",
    "a": "а", "b": "в", "e": "е", "k": "к", "m": "м", "h": "н", "o": "о", "p": "р",
    "c": "с", "t": "т", "y": "у", "x": "х", "i": "і", "j": "ј", "s": "ѕ",
}  # fmt: skip

_LATIN_TABLE = str.maketrans(_TO_LATIN)
_CYRILLIC_TABLE = str.maketrans(_TO_CYRILLIC)


def word_readings(word: str) -> tuple[str, str | None]:
    """(the reading of ``word``, another possible reading or None), see the module docstring.

    A word in one script, or mixing scripts that have no twins here, is its own reading.
    """
    latin = cyrillic = greek = 0
    latin_twinned = other_twinned = True
    for ch in word:
        script = char_script(ch)
        if script == "Latn":
            latin += 1
            latin_twinned = latin_twinned and ch in _TO_CYRILLIC
        elif script in ("Cyrl", "Grek"):
            cyrillic += script == "Cyrl"
            greek += script == "Grek"
            other_twinned = other_twinned and ch in _TO_LATIN
    if not latin or not (cyrillic or greek):
        return word, None
    as_latin = word.translate(_LATIN_TABLE) if other_twinned else None
    # Greek letters in the word leave no Cyrillic reading.
    as_cyrillic = word.translate(_CYRILLIC_TABLE) if latin_twinned and not greek else None
    if as_latin is not None and as_cyrillic is not None:
        if latin >= cyrillic:
            return as_latin, as_cyrillic
        return as_cyrillic, as_latin
    return as_latin or as_cyrillic or word, None
