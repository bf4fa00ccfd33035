"""Abbreviations and original-script names written in brackets after a name.

"United Liberation Front of Assam (ULFA)", "SOCIÉTÉ GRANDS TRAVAUX MGHAIETH (GTM)",
"JIANGSU ZHONGTIAN TECHNOLOGY CO., LTD. (江苏中天科技股份有限公司)": the bracket holds
another name of the same party, and left in place it is a word the screened name lacks.
So a bracket is taken out as an alias when it is an abbreviation *of the name before it*
(its letters are, in order, letters of the preceding words, at least half of them the
words' initials: GTM, ULFA, PREPAK, MBZ), and as an original-script name when it is in
another script. Anything else ("(Maoist)", "(GROUP)", "(SIERRA LEONE BRANCH OFFICE)")
is part of the name and stays: lists written in capitals give no other clue.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from core.scripts import detect_script

# One bracket, full-width ones included, holding at most one nested bracket.
BRACKET = re.compile(r"[(（]((?:[^()（）]|[(（][^()（）]*[)）])*)[)）]")
_WORD = re.compile(r"[^\W\d_]+")
_ABBREVIATION = re.compile(r"[A-Z][A-Z0-9&.\-]{1,9}")
_SPACE = re.compile(r"\s+")


@dataclass(slots=True)
class BracketedNames:
    """A name with its bracketed abbreviations and original-script names taken out."""

    name: str
    abbreviations: list[str] = field(default_factory=list)
    original_script: list[str] = field(default_factory=list)


def is_abbreviation_of(abbreviation: str, words_before: str) -> bool:
    """True when ``abbreviation`` abbreviates ``words_before``: its first letter starts a
    word, and all its letters can be found in order in the words with at least half of
    them starting a word (see the module docstring)."""
    letters = [c for c in abbreviation.upper() if c.isalpha()]
    words = [w.upper() for w in _WORD.findall(words_before)]
    if len(letters) < 2 or not words:
        return False
    text = "".join(words)
    initials: set[int] = set()
    offset = 0
    for word in words:
        initials.add(offset)
        offset += len(word)

    @functools.cache
    def most_initials(index: int, position: int) -> int:
        """The most word initials letters[index:] can use from text[position:]; -1: none."""
        if index == len(letters):
            return 0
        best = -1
        found = text.find(letters[index], position)
        while found >= 0:
            if index > 0 or found in initials:
                rest = most_initials(index + 1, found + 1)
                if rest >= 0:
                    best = max(best, rest + (found in initials))
            found = text.find(letters[index], found + 1)
        return best

    return most_initials(0, 0) * 2 >= len(letters)


def take_bracketed(text: str) -> BracketedNames:
    """``text`` without the brackets that are other names of the party, and those names."""
    found = BracketedNames(name=text)
    kept: list[str] = []
    last = 0
    for match in BRACKET.finditer(text):
        inner = _SPACE.sub(" ", match[1]).strip()
        before = text[: match.start()]
        script = detect_script(inner)
        if inner and script not in (None, "Latn"):
            found.original_script.append(inner)
        elif _ABBREVIATION.fullmatch(inner) and is_abbreviation_of(inner, before):
            found.abbreviations.append(inner)
        else:
            continue
        kept.append(text[last : match.start()])
        last = match.end()
    kept.append(text[last:])
    found.name = _SPACE.sub(" ", "".join(kept)).replace(" ,", ",").strip(" ,;")
    if not found.name:  # the whole text was a bracket: keep it as written
        found.name = _SPACE.sub(" ", text).strip()
        found.abbreviations.clear()
        found.original_script.clear()
    return found
