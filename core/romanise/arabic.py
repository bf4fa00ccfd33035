"""Arabic-script names (Arabic, Persian, Urdu) into vowelled Latin spellings, ranked.

Arabic script writes no short vowels, so a letter-by-letter transliteration gives a
consonant skeleton ("mhmd") that matches nothing a list prints ("Muhammad", "Mohammed").
Names are therefore looked up in a dictionary of customary spellings written for this
project (``core/data/arabic_names.tsv``); the particles are handled as words: ال → al/el
(also as a prefix: الرحمن → al rahman), بن → bin/ben/ibn, ابو → abu, عبد + a name →
abdul/abd al/abdel forms; a name + الدين/الله is one compound, read glued and split
(Nasiruddin, Nasir al-Din; Nasrullah). A word not in the dictionary is romanised from its
letters with plausible vowels (long vowels from ا و ي, "a" between consonants, the
patterns of :func:`_letters`; Persian consonant values in a Persian or Urdu name) and kept
also without the inserted vowels, and as the bare skeleton, so the scorer can still
relate it.

Organisations are listed under their English names ("Ministry of Defense and Armed Forces
Logistics") as often as romanised ("Vezarat-e Defa"): a name whose words of organisation
names (``core/data/arabic_org_words.tsv``) make it an organisation's also gets a reading
with those words in English, in the last of its slots.
"""

from __future__ import annotations

import functools
from importlib import resources

from core.romanise._rank import Reading, best_products

_UNIFY = str.maketrans(
    {
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ی": "ي", "ک": "ك",
        "ؤ": "و", "ئ": "ي", "ۀ": "ه", "ے": "ي", "ھ": "ه", "ۃ": "ه", "ې": "ي", "ۍ": "ي",
        "ہ": "ه", "ۂ": "ه", "ۓ": "ي",
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
# Letters that only differ in shape between Arabic, Persian and Urdu typography: the Urdu
# heh goal (ہ) and doachashmee (ھ) are the h of Arabic ه, ۃ its ta marbuta.
_LETTER_FORMS = str.maketrans({"ہ": "ه", "ۂ": "ه", "ھ": "ه", "ۃ": "ة", "ۓ": "ي"})
# Persian says the Arabic interdentals and emphatics as plain consonants (ث s, ذ ض ظ z) and
# its romanisations write ق as gh: مستضعفین Mostazafin, رضوی Razavi, مقاومت Moghavemat.
_PERSIAN_CONSONANTS: dict[str, str] = {"ث": "s", "ذ": "z", "ض": "z", "ظ": "z", "ق": "gh"}
_LONG_A = frozenset("اآأٱى")
_YA = frozenset("يیئېۍے")
_WAW = frozenset("وؤ")
_ALEF_HAMZA_BELOW = "إ"
_WEIGHT_DECAY = 0.85
# Second halves of compound names that romanisations glue to the first: Nasir al-Din =
# Nasiruddin = Nasreddin (Persian Nasiroddin), Nasr Allah = Nasrullah = Nasrallah (Persian
# Ruhollah). Endings as (Arabic, Persian/Urdu) readings write them, likeliest first; the
# glued and the split spelling come first, as a name is listed either way.
_COMPOUND_TAILS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "الدين": (("uddin", " al din", "eddin", "addin"), ("uddin", " al din", "oddin", "eddin")),
    "الله": (("ullah", " allah", "allah"), ("ullah", " allah", "ollah")),
}
_COMPOUND_DECAY = 0.9
# Words that are no first half of such a compound (عبد الله is joined as a particle).
_NOT_COMPOUND_HEADS = frozenset({"ال", "بن", "ابن", "بنت", "ابو", "ام", "عبد"})
_MAX_SPELLINGS_PER_WORD = 5


def unify(word: str) -> str:
    """One spelling of letters that vary between writers (أ إ آ → ا, ى → ي, ة → ه)."""
    return word.translate(_UNIFY)


def _data_rows(name: str) -> list[list[str]]:
    text = resources.files("core.data").joinpath(name).read_text("utf-8")
    return [
        [cell.strip() for cell in line.split("\t")]
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    ]


def _add_spellings(table: dict[str, tuple[str, ...]], word: str, spellings: str) -> None:
    key = unify(word)
    existing = table.get(key, ())
    new = tuple(s.strip() for s in spellings.split("|") if s.strip())
    table[key] = existing + tuple(s for s in new if s not in existing)


@functools.cache
def dictionary() -> dict[str, tuple[str, ...]]:
    """The name dictionary: unified Arabic-script name → Latin spellings, commonest first.

    Names from ``arabic_names.tsv``, then the romanised spellings of the words of
    organisation names (``arabic_org_words.tsv``).
    """
    table: dict[str, tuple[str, ...]] = {}
    for name, spellings in _data_rows("arabic_names.tsv"):
        _add_spellings(table, name, spellings)
    for word, _translation, spellings in _data_rows("arabic_org_words.tsv"):
        _add_spellings(table, word, spellings)
    return table


@functools.cache
def translations() -> dict[str, str]:
    """Unified Arabic-script word of organisation names → what lists print in English."""
    return {unify(word): english for word, english, _ in _data_rows("arabic_org_words.tsv")}


# Prefixes of Arabic words: "and the", "for the", "the", "and" (والتصدير, للتجارة).
_PREFIXES = ("وال", "لل", "ال", "و")


@functools.lru_cache(maxsize=16384)
def translation(word: str) -> str | None:
    """The English of a word of an organisation name, or None when it is not one.

    Found as written, without a prefix (and the, for the, the, and), as the masculine of a
    feminine adjective (التجارية → trading), without the Persian ezafe written ی after a
    vowel (نیروی → force), or as two such words written together (جهادخودکفایی).
    """
    key = unify(word)
    table = translations()
    if key in table:
        return table[key]
    for prefix in _PREFIXES:
        rest = key[len(prefix) :]
        if key.startswith(prefix) and len(rest) >= 3:
            found = translation(rest)
            if found is not None:
                return f"and {found}" if prefix.startswith("و") else found
    if key.endswith("ه") and key[:-1] in table:  # -iyya, unified from ة
        return table[key[:-1]]
    if len(key) > 3 and key.endswith("ي") and key[-2] in "او" and key[:-1] in table:
        return table[key[:-1]]
    for split in range(2, len(key) - 1):
        head, tail = key[:split], key[split:]
        if head in table and tail in table:
            return f"{table[head]} {table[tail]}"
    return None


def _weighted(spellings: tuple[str, ...], weight: float = 1.0) -> list[tuple[str, float]]:
    return [
        (spelling, weight * _WEIGHT_DECAY**rank)
        for rank, spelling in enumerate(spellings[:_MAX_SPELLINGS_PER_WORD])
    ]


def _feminine(spelling: str) -> str:
    return spelling if spelling.endswith("a") else spelling + "a"


# Romanised prefixes before a listed word: "and the" (والتصدير), "for the" (للتجارة), "for"
# before a hamza (لأهل الشام, li-ahl al-Sham).
_PREFIX_SPELLINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("وال", ("wa al", "wal")),
    ("لل", ("lil", "li al")),
    ("ل", ("li",)),
)


def _is_vowel_letter(ch: str) -> bool:
    return ch in _LONG_A or ch in _YA or ch in _WAW or ch == _ALEF_HAMZA_BELOW


def _is_consonant(ch: str) -> bool:
    return ch in _CONSONANTS


def _letters(word: str, persian: bool, insert_vowels: bool) -> str:
    """Romanise a word from its letters; with ``insert_vowels`` put "a" inside clusters.

    Besides a letter each, a few patterns of Arabic spelling are read as words are said:
    an initial ي/و before a consonant opens a syllable (يسار yasar, وسيم wasim); an initial
    اي/او before a consonant is a long i/u (ايران iran, اوسامة usama); و before a final ي
    is the w of the nisba -awi (علوي alawi, موسوي musawi); و + ي between consonants is
    the diminutive -uway- (حويك huwayk, الكويت al kuwayt); a final ه after ا or و is a
    consonant (سپاه sepah, گروه goruh), elsewhere the -a/-eh of a feminine ending.
    """
    word = word.translate(_LETTER_FORMS)
    out: list[str] = []
    n = len(word)
    skip_next = False
    for i, ch in enumerate(word):
        if skip_next:
            skip_next = False
            continue
        previous = word[i - 1] if i else ""
        following = word[i + 1] if i + 1 < n else ""
        after = word[i + 2] if i + 2 < n else ""
        if ch in _LONG_A:
            if i == 0 and _is_consonant(after) and (following in _YA or following in _WAW):
                out.append("i" if following in _YA else ("o" if persian else "u"))
                skip_next = True
                continue
            out.append("a")
        elif ch == _ALEF_HAMZA_BELOW:
            out.append("i")
        elif ch in _YA:
            if i == 0 and _is_consonant(following):
                out.append("ya" if insert_vowels else "y")
                continue
            consonantal = i == 0 or (following in _LONG_A) or previous in _LONG_A
            out.append("y" if consonantal and following else "i")
        elif ch in _WAW:
            w = "v" if persian else "w"
            if i == 0 and _is_consonant(following):
                out.append(w + "a" if insert_vowels else w)
            elif i == 0 or following in _LONG_A or previous in _LONG_A:
                out.append(w)
            elif following in _YA and not after and _is_consonant(previous):
                out.append("a" + w if insert_vowels else w)  # nisba -awi / -avi
            elif following in _YA and _is_consonant(previous) and _is_consonant(after):
                out.append("uway" if insert_vowels else "wai")  # diminutive fu'ayl
                skip_next = True
            else:
                out.append("o" if persian else "u")
        elif ch == "ة":  # ta marbuta: a final -a (-at before a following name)
            out.append("eh" if persian else "a")
        elif ch in _CONSONANTS:
            if ch == "ه" and i == n - 1 and i > 0:
                if previous in _LONG_A or previous in _WAW:
                    out.append("h")  # a consonant after a long vowel: shah, sepah
                else:
                    out.append("eh" if persian else "a")
                continue
            out.append(_PERSIAN_CONSONANTS.get(ch, _CONSONANTS[ch]) if persian else _CONSONANTS[ch])
            # before a consonantal و/ي (one followed by alef) a vowel is said: rawafid, shiya
            glide = (following in _WAW or following in _YA) and after in _LONG_A
            cluster = bool(following) and (not _is_vowel_letter(following) or glide)
            final_a = following in "هة" and i + 2 == n  # read as a vowel: no "a" before it
            opens = (i == 0 and ch == "ع") or (following in _CONSONANTS and not final_a) or glide
            if insert_vowels and cluster and opens:
                out.append("i" if glide and following in _YA else "a")  # ziyad, rawafid
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
    if len(key) > 3 and key.endswith("ه") and key[:-1] in table:
        # the feminine of a listed name or adjective (ة unified): Fawzi → Fawzia
        return tuple(_weighted(tuple(dict.fromkeys(_feminine(s) for s in table[key[:-1]]))))
    if len(key) > 3 and key.endswith("ي") and key[-2] in "او" and key[:-1] in table:
        # the Persian ezafe, written ی after a vowel: نیروی = Niru-ye
        return tuple(
            option
            for text, weight in _weighted(table[key[:-1]])[:2]
            for option in ((f"{text}ye", weight), (text, weight * 0.9))
        )
    for prefix, spellings in _PREFIX_SPELLINGS:
        rest = key[len(prefix) :]
        if prefix == "ل" and not rest.startswith("ا"):
            continue  # ل + a consonant is more often the Maghrebi article: لحسن Lahcen
        if key.startswith(prefix) and len(rest) >= 3 and rest in table:
            return tuple(
                (f"{spelling} {text}", weight * _WEIGHT_DECAY**rank)
                for text, weight in _weighted(table[rest])[:2]
                for rank, spelling in enumerate(spellings)
            )
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
        # the article is not repeated: in الالفي the second ال is the name's (al-Alfi)
        rest = key[2:]
        rest_options = (
            _letter_options(rest, persian) if rest.startswith("ال") else word_options(rest, persian)
        )[:3]
        out = []
        for text, weight in rest_options:
            out += [(f"al {text}", weight), (f"el {text}", weight * 0.7), (text, weight * 0.6)]
        return tuple(out)
    for tail in _COMPOUND_TAILS:
        at = key.find(tail, 2)
        if at >= 2 and key[at + len(tail) :] in ("", "ي"):  # -ي: the nisba, Alaeddini
            suffix = "i" if key.endswith("ي") and not tail.endswith("ي") else ""
            return compound_options(key[:at], tail, persian, suffix)
    for split in range(2, len(key) - 1):
        head, tail = key[:split], key[split:]
        if head in table and tail in table and len(tail) >= 2:
            return tuple(
                (f"{a} {b}", wa * wb)
                for a, wa in _weighted(table[head])[:2]
                for b, wb in _weighted(table[tail])[:2]
            )
    return _letter_options(word, persian)


def _letter_options(word: str, persian: bool) -> tuple[tuple[str, float], ...]:
    """Spellings of a word outside the dictionary, from its letters."""
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


@functools.lru_cache(maxsize=16384)
def compound_options(
    head: str, tail: str, persian: bool = False, suffix: str = ""
) -> tuple[tuple[str, float], ...]:
    """Ranked spellings of a compound name, its first half's spellings with each ending
    (``tail`` is a unified key of :data:`_COMPOUND_TAILS`, ``suffix`` a nisba -i)."""
    endings = _COMPOUND_TAILS[tail][persian]
    out = [
        (f"{text}{ending}{suffix}", weight * _COMPOUND_DECAY**rank)
        for text, weight in word_options(head, persian)[:2]
        for rank, ending in enumerate(endings)
    ]
    return tuple(sorted(out, key=lambda option: -option[1]))


def _word_options(words: list[str], persian: bool) -> list[list[tuple[str, float]]]:
    """Options per word, a name and a following الدين/الله read as one compound."""
    options: list[list[tuple[str, float]]] = []
    i = 0
    while i < len(words):
        if i + 1 < len(words):
            head, tail = unify(words[i]), unify(words[i + 1])
            if tail in _COMPOUND_TAILS and head not in _NOT_COMPOUND_HEADS:
                options.append(list(compound_options(head, tail, persian)))
                i += 2
                continue
        options.append(list(word_options(words[i], persian)))
        i += 1
    return options


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
    options = _word_options(words, persian)
    products = best_products(options, limit)
    translated = _translated(words, options)
    if translated is not None and limit >= 2 and products:
        # an organisation is often listed under its English name: the last slot
        products = [*products[: limit - 1], (translated, products[-1][1])]
    method = "Arabic script, name dictionary and letters"
    readings = [Reading(" ".join(text.split()), weight, method) for text, weight in products]
    if translated is not None and readings:
        readings[-1] = readings[-1]._replace(method="Arabic script, words translated")
    return readings


def _translated(words: list[str], options: list[list[tuple[str, float]]]) -> str | None:
    """The name with its words of organisation names in English, the rest romanised.

    None unless it names an organisation: its first word (the head noun in Arabic and
    Persian word order: شركة, سازمان, جبهة) or two of its words translate to something
    other than their romanisation; a person's name ("Jihad", a surname "Eslami") does not.
    A compound name taking two words (``options`` shorter than ``words``) is a person's.
    """
    if len(options) != len(words):
        return None
    out: list[str] = []
    translated: list[int] = []
    for i, (word, spellings) in enumerate(zip(words, options, strict=True)):
        english = translation(word)
        if english is not None and all(english != text for text, _ in spellings):
            translated.append(i)
            out.append(english)
        elif spellings:
            out.append(spellings[0][0])
    if len(translated) >= 2 or translated[:1] == [0]:
        return " ".join(out)
    return None
