"""Which writing system a piece of text is in.

Lists label original-script names inconsistently (or not at all), and the matching core
chooses a transliteration per script run, so script detection is needed on both sides.
Uses ISO 15924 codes ("Latn", "Cyrl", "Arab", "Hani", ...) and the Unicode character
names, which carry the script as their first word; no third-party data needed.
"""

from __future__ import annotations

import functools
import unicodedata
from collections import Counter
from collections.abc import Iterator

# First word of a Unicode character name -> ISO 15924 code.
_NAME_PREFIX_TO_SCRIPT: dict[str, str] = {
    "LATIN": "Latn",
    "CYRILLIC": "Cyrl",
    "ARABIC": "Arab",
    "GREEK": "Grek",
    "HEBREW": "Hebr",
    "CJK": "Hani",
    "HIRAGANA": "Hira",
    "KATAKANA": "Kana",
    "HALFWIDTH": "Kana",  # HALFWIDTH KATAKANA ... (NFKC folds most of these)
    "HANGUL": "Hang",
    "GEORGIAN": "Geor",
    "ARMENIAN": "Armn",
    "DEVANAGARI": "Deva",
    "BENGALI": "Beng",
    "GURMUKHI": "Guru",
    "GUJARATI": "Gujr",
    "TAMIL": "Taml",
    "TELUGU": "Telu",
    "KANNADA": "Knda",
    "MALAYALAM": "Mlym",
    "SINHALA": "Sinh",
    "THAI": "Thai",
    "LAO": "Laoo",
    "KHMER": "Khmr",
    "MYANMAR": "Mymr",
    "TIBETAN": "Tibt",
    "ETHIOPIC": "Ethi",
    "SYRIAC": "Syrc",
    "THAANA": "Thaa",
    "MONGOLIAN": "Mong",
}


@functools.lru_cache(maxsize=65536)
def char_script(ch: str) -> str | None:
    """ISO 15924 code of a letter's script; None for digits, punctuation, spaces, marks."""
    if not ch.isalpha():
        return None
    name = unicodedata.name(ch, "")
    if not name:
        return None
    first = name.split(" ", 1)[0]
    if first == "FULLWIDTH" and "LATIN" in name:
        return "Latn"
    if first in ("IDEOGRAPHIC",) or "IDEOGRAPH" in name:
        return "Hani"
    return _NAME_PREFIX_TO_SCRIPT.get(first)


def script_runs(text: str) -> Iterator[tuple[str | None, str]]:
    """Split text into maximal runs of one script; neutral characters join the run they are in."""
    current: str | None = None
    buf: list[str] = []
    for ch in text:
        script = char_script(ch)
        if script is None or script == current or current is None:
            if script is not None:
                current = script
            buf.append(ch)
            continue
        yield current, "".join(buf)
        current, buf = script, [ch]
    if buf:
        yield current, "".join(buf)


def detect_script(text: str) -> str | None:
    """The dominant script of a text by letter count; any kana makes it Japanese ("Jpan")."""
    if text.isascii():
        return "Latn" if any(ch.isalpha() for ch in text) else None  # most names: no lookups
    counts: Counter[str] = Counter()
    for ch in text:
        script = char_script(ch)
        if script:
            counts[script] += 1
    if not counts:
        return None
    if counts.get("Hira") or counts.get("Kana"):
        return "Jpan"
    return counts.most_common(1)[0][0]
