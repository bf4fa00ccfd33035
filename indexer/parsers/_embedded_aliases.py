"""Aliases written inside a name: "FUYI SUN A/K/A FRANK SUN", "SIBERIAN AIRLINES D/B/A S7
AIRLINES", "PEARL (A.K.A. NEI-CHIEN CHU) LI", "LTS Holding Limited (f.k.a. IPP Ltd.)".

The Commerce and State lists (BIS DPL, and the Commerce/State rows of the CSL) have one
name cell per party and write a party's other names into it. Screening must match each
name on its own (the whole string matches neither "FUYI SUN" nor "FRANK SUN" well), so
the cell is cut at the alias markers: the text before the first is the primary name,
each later part an alias (f.k.a. parts formerly-known-as names). A bracketed alias is
taken out of the brackets and the rest of the name closed up around it; several aliases
in one bracket are separated by "; ". Markers are whole words after a space, comma or
bracket, so a name merely containing the letters ("YK-AKA") is not cut.
"""

from __future__ import annotations

import re

from core.model import NameRole

_AKA = r"A/K/A|A\.K\.A\.?|AKA|ALSO\s+KNOWN\s+AS"
_FKA = r"F/K/A|F\.K\.A\.?|FKA|FORMERLY\s+KNOWN\s+AS"
_DBA = r"D/B/A|D\.B\.A\.?|DBA|DOING\s+BUSINESS\s+AS|T/A|TRADING\s+AS"
_MARKER = rf"(?:{_AKA}|{_FKA}|{_DBA})"
# A marker: at the start or after a space/comma/bracket, then an optional comma and space.
_SPLIT = re.compile(rf"(?:^|(?<=[\s,(\[]))({_MARKER})(?=[\s,])[,\s]*", re.I)
_BRACKETED = re.compile(rf"[(\[]\s*({_MARKER})[,\s]+([^()\[\]]+?)\s*[)\]]", re.I)
_FKA_MARKER = re.compile(_FKA, re.I)
_SPACE = re.compile(r"\s+")


def _role(marker: str) -> NameRole:
    return NameRole.FKA if _FKA_MARKER.fullmatch(marker) else NameRole.AKA


def _tidy(text: str) -> str:
    """Whitespace collapsed, no space before a comma, no dangling comma or semicolon."""
    text = _SPACE.sub(" ", text).replace(" ,", ",").strip()
    return text.strip(",;").strip()


def split_embedded_aliases(name: str) -> list[tuple[str, NameRole]]:
    """The names inside ``name``: [(primary, PRIMARY), (alias, AKA or FKA), ...].

    A text without markers comes back whole as the one primary name. A text that starts
    with a marker ("f.k.a. X", as some alias cells do) has no primary part: it comes back
    as its aliases alone. Repeats are dropped."""
    aliases: list[tuple[str, NameRole]] = []

    def take_bracketed(match: re.Match[str]) -> str:
        role = _role(match[1])
        aliases.extend((part, role) for part in (_tidy(p) for p in match[2].split(";")) if part)
        return " "

    rest = _BRACKETED.sub(take_bracketed, name)
    pieces = _SPLIT.split(rest)
    # pieces: [before, marker1, after1, marker2, after2, ...]
    found: list[tuple[str, NameRole]] = []
    primary = _tidy(pieces[0])
    if primary:
        found.append((primary, NameRole.PRIMARY))
    for index in range(1, len(pieces) - 1, 2):
        part = _tidy(pieces[index + 1])
        if part:
            found.append((part, _role(pieces[index])))
    found.extend(aliases)
    if not found:
        return [(_tidy(name) or name, NameRole.PRIMARY)]
    unique: list[tuple[str, NameRole]] = []
    seen: set[str] = set()
    for text, role in found:
        if text.casefold() not in seen:
            seen.add(text.casefold())
            unique.append((text, role))
    return unique
