"""Greek, Hebrew, Armenian and Georgian names, with tables written for how names are spelt.

anyascii reads these letter by letter, which misses the digraphs that matter for names:
Greek ου = u and ντ = d/nt, μπ = b/mb (Βλαντίμιρ → Vladimir); Armenian ու = u
(Պուտին → Putin); Hebrew has no vowels at all, so ו and י are read as vowels or
consonants by position and a dictionary of common names gives the vowelled forms.
"""

from __future__ import annotations

import functools
import re

from anyascii import anyascii

from core.normalise import normalise
from core.romanise._rank import Reading, best_products

_GREEK_DIGRAPHS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ου", ("u", "ou")),
    ("αυ", ("av", "af")),
    ("ευ", ("ev", "ef")),
    ("αι", ("e", "ai")),
    ("ει", ("i", "ei")),
    ("οι", ("i", "oi")),
    ("ντ", ("d", "nt")),
    ("μπ", ("b", "mb")),
    ("γγ", ("ng",)),
    ("γκ", ("g", "nk")),
    ("τσ", ("ts",)),
    ("τζ", ("tz", "dz")),
)
_GREEK_LETTERS: dict[str, tuple[str, ...]] = {
    "α": ("a",), "β": ("v",), "γ": ("g",), "δ": ("d",), "ε": ("e",), "ζ": ("z",),
    "η": ("i",), "θ": ("th",), "ι": ("i",), "κ": ("k",), "λ": ("l",), "μ": ("m",),
    "ν": ("n",), "ξ": ("x", "ks"), "ο": ("o",), "π": ("p",), "ρ": ("r",), "σ": ("s",),
    "ς": ("s",), "τ": ("t",), "υ": ("y", "i"), "φ": ("f",), "χ": ("ch", "kh", "h"),
    "ψ": ("ps",), "ω": ("o",),
}  # fmt: skip


def _greek_word(word: str, choice: int) -> str:
    """Romanise a Greek word taking alternative ``choice`` (0 = first) where there is one."""
    out: list[str] = []
    i = 0
    while i < len(word):
        pair = word[i : i + 2]
        matched = next((opts for digraph, opts in _GREEK_DIGRAPHS if digraph == pair), None)
        if matched is not None:
            out.append(matched[min(choice, len(matched) - 1)])
            i += 2
            continue
        options = _GREEK_LETTERS.get(word[i], (word[i],))
        out.append(options[min(choice, len(options) - 1)])
        i += 1
    return "".join(out)


@functools.lru_cache(maxsize=16384)
def romanise_greek(run: str, limit: int = 8) -> list[Reading]:
    """Greek names: the ELOT-like spelling, a digraph-faithful one, and anyascii's."""
    words = run.split()
    options = [
        _dedupe(
            [
                (_greek_word(word, 0), 1.0),
                (_greek_word(word, 1), 0.8),
                (_greek_word(word, 2), 0.6),
                (normalise(anyascii(word)), 0.5),
            ]
        )
        for word in words
    ]
    return [Reading(text, w, "Greek, name spelling") for text, w in best_products(options, limit)]


_ARMENIAN: dict[str, str] = {
    "ա": "a", "բ": "b", "գ": "g", "դ": "d", "ե": "e", "զ": "z", "է": "e", "ը": "y",
    "թ": "t", "ժ": "zh", "ի": "i", "լ": "l", "խ": "kh", "ծ": "ts", "կ": "k", "հ": "h",
    "ձ": "dz", "ղ": "gh", "ճ": "ch", "մ": "m", "յ": "y", "ն": "n", "շ": "sh", "ո": "o",
    "չ": "ch", "պ": "p", "ջ": "j", "ռ": "r", "ս": "s", "վ": "v", "տ": "t", "ր": "r",
    "ց": "ts", "ւ": "v", "փ": "p", "ք": "k", "օ": "o", "ֆ": "f", "և": "ev",
}  # fmt: skip


def _armenian_word(word: str) -> str:
    word = word.replace("ու", "u")
    out: list[str] = []
    for i, ch in enumerate(word):
        if ch == "ե" and i == 0:
            out.append("ye")
        elif ch == "ո" and i == 0:
            out.append("vo")
        else:
            out.append(_ARMENIAN.get(ch, ch))
    return "".join(out)


@functools.lru_cache(maxsize=16384)
def romanise_armenian(run: str, limit: int = 8) -> list[Reading]:
    """Armenian names: ու = u, initial ե = ye, initial ո = vo (Hübschmann-Meillet simplified)."""
    words = run.split()
    options = [
        _dedupe([(_armenian_word(word), 1.0), (normalise(anyascii(word)), 0.6)]) for word in words
    ]
    return [Reading(t, w, "Armenian, name spelling") for t, w in best_products(options, limit)]


_GEORGIAN: dict[str, str] = {
    "ა": "a", "ბ": "b", "გ": "g", "დ": "d", "ე": "e", "ვ": "v", "ზ": "z", "თ": "t",
    "ი": "i", "კ": "k", "ლ": "l", "მ": "m", "ნ": "n", "ო": "o", "პ": "p", "ჟ": "zh",
    "რ": "r", "ს": "s", "ტ": "t", "უ": "u", "ფ": "p", "ქ": "k", "ღ": "gh", "ყ": "q",
    "შ": "sh", "ჩ": "ch", "ც": "ts", "ძ": "dz", "წ": "ts", "ჭ": "ch", "ხ": "kh", "ჯ": "j",
    "ჰ": "h",
}  # fmt: skip


@functools.lru_cache(maxsize=16384)
def romanise_georgian(run: str, limit: int = 8) -> list[Reading]:
    """Georgian names (national system of 2002, no apostrophes), also without the nominative
    -i that Georgian adds to foreign names (პუტინი → Putini, Putin)."""
    words = run.split()
    options: list[list[tuple[str, float]]] = []
    for word in words:
        latin = "".join(_GEORGIAN.get(ch, ch) for ch in word)
        forms = [(latin, 1.0)]
        if latin.endswith("i") and len(latin) > 4:
            forms.append((latin[:-1], 0.8))
        options.append(_dedupe(forms))
    return [Reading(t, w, "Georgian, national") for t, w in best_products(options, limit)]


# Common Hebrew names and their usual spellings (Hebrew writes almost no vowels).
_HEBREW_NAMES: dict[str, tuple[str, ...]] = {
    "משה": ("moshe", "moses"), "דוד": ("david", "dovid"), "אברהם": ("avraham", "abraham"),
    "יצחק": ("yitzhak", "isaac", "itzhak"), "יעקב": ("yaakov", "jacob", "yakov"),
    "יוסף": ("yosef", "joseph", "yossef"), "שלמה": ("shlomo", "solomon"),
    "אהרן": ("aharon", "aaron"), "אהרון": ("aharon", "aaron"), "בנימין": ("binyamin", "benjamin"),
    "שמואל": ("shmuel", "samuel"), "דניאל": ("daniel",), "מיכאל": ("michael", "mikhael"),
    "יהודה": ("yehuda", "judah"), "חיים": ("chaim", "haim", "hayim"), "מאיר": ("meir",),
    "אליהו": ("eliyahu", "elijah"), "יונתן": ("yonatan", "jonathan"), "נתן": ("natan", "nathan"),
    "שרה": ("sarah", "sara"), "רחל": ("rachel", "rahel"), "לאה": ("leah", "lea"),
    "רבקה": ("rivka", "rebecca"), "מרים": ("miriam",), "אסתר": ("esther", "ester"),
    "כהן": ("cohen", "kohen"), "לוי": ("levi", "levy"), "ישראל": ("israel", "yisrael"),
    "אריאל": ("ariel",), "עמוס": ("amos",), "גדעון": ("gideon",), "אבי": ("avi",),
    "יוסי": ("yossi",), "אלון": ("alon",), "עומר": ("omer",), "נועם": ("noam",),
}  # fmt: skip
_HEBREW_CONSONANTS: dict[str, str] = {
    "א": "", "ב": "v", "ג": "g", "ד": "d", "ה": "h", "ז": "z", "ח": "kh", "ט": "t",
    "כ": "k", "ך": "kh", "ל": "l", "מ": "m", "ם": "m", "נ": "n", "ן": "n", "ס": "s",
    "ע": "", "פ": "p", "ף": "f", "צ": "ts", "ץ": "ts", "ק": "k", "ר": "r", "ש": "sh",
    "ת": "t",
}  # fmt: skip


def _hebrew_letters(word: str) -> str:
    """Letters read with ו/י as vowels between consonants (ולדימיר → vladimir)."""
    out: list[str] = []
    for i, ch in enumerate(word):
        following = word[i + 1] if i + 1 < len(word) else ""
        if ch == "ו":
            if i == 0:
                out.append("v")
            elif following == "ו":
                continue
            else:
                out.append("u" if word[i - 1] != "ו" else "v")
        elif ch == "י":
            out.append("y" if i == 0 or following in "וי" else "i")
        elif ch == "ה" and i == len(word) - 1:
            out.append("a")
        elif ch == "פ" and i == 0:
            out.append("p")
        elif ch == "ב" and i == 0:
            out.append("b")
        elif ch == "כ" and i == 0:
            out.append("k")
        else:
            out.append(_HEBREW_CONSONANTS.get(ch, ch))
    return "".join(out)


@functools.lru_cache(maxsize=16384)
def romanise_hebrew(run: str, limit: int = 8) -> list[Reading]:
    """Hebrew names: a dictionary of common names, else letters with ו/י as vowels."""
    options: list[list[tuple[str, float]]] = []
    for word in run.split():
        if word in _HEBREW_NAMES:
            options.append([(s, 0.9**i) for i, s in enumerate(_HEBREW_NAMES[word])])
            continue
        letters = _hebrew_letters(word)
        options.append(_dedupe([(letters, 0.7), (re.sub(r"(?<=[^aeiou])o", "u", letters), 0.5)]))
    return [Reading(t, w, "Hebrew, names and letters") for t, w in best_products(options, limit)]


def _dedupe(options: list[tuple[str, float]]) -> list[tuple[str, float]]:
    seen: set[str] = set()
    out: list[tuple[str, float]] = []
    for text, weight in options:
        if text and text not in seen:
            seen.add(text)
            out.append((text, weight))
    return out
