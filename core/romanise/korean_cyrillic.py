"""Korean names written in Cyrillic (the Kontsevich system and Russian custom), read as
the Latin spellings lists print: Ким Чен Ын = Kim Jong Un, Чхве Рён Хэ = Choe Ryong Hae.

Russian writes Korean names syllable by syllable (Ким Чен Ын, Пак Пон Чжу), and a
Russian reading of them ("Kim Chen Yn") matches nothing a list prints. A Cyrillic name
whose first or last word is a Korean surname as Russian writes it (Ким, Ли, Пак, Чхве,
Цой, ...) and whose other words are all Korean syllables is also read syllable by
syllable into McCune-Reischauer as North Korean names are listed: the onset (ч = j, чх =
ch, кх = kh, чж/дж = j), the vowel (о = o for both ㅗ and ㅓ, ы = u, э = ae, е = ye or, as
Russian custom writes 정 "Чен", o before a final), the final (н is ㄴ n or ㅇ ng, ль l).
The readings rank with the Russian ones (``core.translit`` interleaves them).
"""

from __future__ import annotations

import functools

from core.romanise._rank import Reading, best_products

# Korean surnames as Russian writes them → their McCune-Reischauer and common spellings.
_SURNAMES: dict[str, tuple[str, ...]] = {
    "ким": ("kim",), "ли": ("ri", "lee", "yi", "li"), "ри": ("ri", "lee"), "пак": ("pak", "park"),
    "чхве": ("choe", "choi"), "цой": ("choe", "tsoi", "choi"), "чон": ("jong", "jon", "chon"),
    "чжон": ("jong",), "кан": ("kang",), "чо": ("jo", "cho"), "юн": ("yun", "yoon"),
    "чан": ("jang", "chang"), "чжан": ("jang",), "им": ("im", "rim", "lim"), "рим": ("rim", "im"),
    "хан": ("han",), "о": ("o", "oh"), "со": ("so", "seo"), "син": ("sin", "shin"),
    "квон": ("kwon",), "хван": ("hwang",), "ан": ("an", "ahn"), "сон": ("song", "son"),
    "рю": ("ryu", "yu"), "ю": ("yu",), "хон": ("hong",), "мун": ("mun", "moon"),
    "ян": ("yang",), "рян": ("ryang", "yang"), "пэ": ("pae", "bae"), "пэк": ("paek", "baek"),
    "хо": ("ho",), "но": ("no", "roh"), "ро": ("ro", "roh"), "нам": ("nam",), "сим": ("sim",),
    "ха": ("ha",), "квак": ("kwak",), "чха": ("cha",), "чу": ("ju", "chu"), "у": ("u", "woo"),
    "ку": ("ku",), "ра": ("ra",), "на": ("na",), "рём": ("ryom",), "ём": ("yom",),
    "хён": ("hyon",), "тхэ": ("thae",), "чхэ": ("chae",), "мён": ("myong",), "пан": ("pang",),
    "пён": ("pyon",), "ом": ("om",), "вон": ("won",), "чхон": ("chon",), "чи": ("ji", "chi"),
    "чин": ("jin",), "хам": ("ham",), "киль": ("kil",), "сок": ("sok",), "пхё": ("pyo",),
    "тхак": ("thak",), "пон": ("pong",), "кон": ("kong",), "мин": ("min",), "тон": ("tong",),
}  # fmt: skip

# Onsets, longest first: Cyrillic → (MR spelling, weight), first the likeliest.
_ONSETS: tuple[tuple[str, tuple[tuple[str, float], ...]], ...] = (
    ("ччж", (("jj", 1.0),)), ("чж", (("j", 1.0),)), ("дж", (("j", 1.0),)),
    ("чх", (("ch", 1.0),)), ("кх", (("kh", 1.0), ("k", 0.8))), ("тх", (("th", 1.0), ("t", 0.8))),
    ("пх", (("ph", 1.0), ("p", 0.8))), ("кк", (("kk", 1.0),)), ("тт", (("tt", 1.0),)),
    ("пп", (("pp", 1.0),)), ("сс", (("ss", 1.0),)), ("ч", (("j", 1.0), ("ch", 0.8))),
    ("к", (("k", 1.0), ("g", 0.7))), ("т", (("t", 1.0), ("d", 0.7))),
    ("п", (("p", 1.0), ("b", 0.7))),
    ("н", (("n", 1.0),)), ("р", (("r", 1.0),)), ("л", (("r", 1.0),)), ("м", (("m", 1.0),)),
    ("с", (("s", 1.0),)), ("х", (("h", 1.0),)), ("", (("", 1.0),)),
)  # fmt: skip
# Vowels, longest first: Cyrillic → (spelling without a final, with a final).
_VOWELS: tuple[tuple[str, tuple[tuple[str, float], ...], tuple[tuple[str, float], ...]], ...] = (
    ("ый", (("ui", 1.0),), (("ui", 1.0),)),
    ("вэ", (("wae", 1.0),), (("wae", 1.0),)), ("ве", (("oe", 1.0), ("we", 0.8)), (("we", 1.0),)),
    ("ва", (("wa", 1.0),), (("wa", 1.0),)), ("во", (("wo", 1.0),), (("wo", 1.0),)),
    ("ви", (("wi", 1.0),), (("wi", 1.0),)), ("йе", (("ye", 1.0),), (("ye", 1.0),)),
    ("а", (("a", 1.0),), (("a", 1.0),)), ("э", (("ae", 1.0), ("e", 0.8)), (("ae", 1.0),)),
    ("я", (("ya", 1.0),), (("ya", 1.0),)), ("о", (("o", 1.0),), (("o", 1.0),)),
    ("е", (("e", 1.0), ("ye", 0.8), ("o", 0.7)), (("o", 1.0), ("e", 0.6), ("yo", 0.5))),
    ("ё", (("yo", 1.0),), (("yo", 1.0),)), ("у", (("u", 1.0),), (("u", 1.0),)),
    ("ы", (("u", 1.0),), (("u", 1.0),)), ("ю", (("yu", 1.0),), (("yu", 1.0),)),
    ("и", (("i", 1.0),), (("i", 1.0),)),
)  # fmt: skip
# Finals: н is ㄴ or ㅇ (ng is the commoner after a, o, yo: 정 Jong, 창 Chang, 영 Yong).
_FINALS: tuple[tuple[str, str], ...] = (
    ("нъ", "ng"), ("ль", "l"), ("н", "n"), ("к", "k"), ("м", "m"), ("п", "p"), ("т", "t"),
    ("л", "l"), ("р", "l"), ("", ""),
)  # fmt: skip
_NG_AFTER_OPEN_VOWEL, _NG_AFTER_OTHER = 0.95, 0.8
_MAX_SYLLABLES = 3

Option = tuple[str, float]


def _syllable_options(onset: str, vowel: str, final: str) -> list[Option] | None:
    onsets = next(options for cyr, options in _ONSETS if cyr == onset)
    vowels = next(
        (with_final if final else open_) for cyr, open_, with_final in _VOWELS if cyr == vowel
    )
    out: list[Option] = []
    for latin_onset, w_onset in onsets:
        for latin_vowel, w_vowel in vowels:
            finals = [(dict(_FINALS)[final], 1.0)]
            if final == "н":
                open_vowel = latin_vowel in ("a", "o", "yo", "ya", "wa", "wo")
                ng = _NG_AFTER_OPEN_VOWEL if open_vowel else _NG_AFTER_OTHER
                finals.append(("ng", ng))
            for latin_final, w_final in finals:
                out.append((latin_onset + latin_vowel + latin_final, w_onset * w_vowel * w_final))
    return sorted(out, key=lambda option: -option[1])


@functools.lru_cache(maxsize=16384)
def _parse(word: str) -> tuple[tuple[str, str, str], ...] | None:
    """The word as Korean syllables (onset, vowel, final), fewest syllables; None if none."""
    if not word:
        return ()
    best: tuple[tuple[str, str, str], ...] | None = None
    for onset, _ in _ONSETS:
        if not word.startswith(onset):
            continue
        rest = word[len(onset) :]
        for vowel, _open, _closed in _VOWELS:
            if not rest.startswith(vowel):
                continue
            tail = rest[len(vowel) :]
            for final, _latin in _FINALS:
                if not tail.startswith(final):
                    continue
                after = _parse(tail[len(final) :])
                if after is not None and (best is None or len(after) + 1 < len(best)):
                    best = ((onset, vowel, final), *after)
    return best


def _word_options(word: str, limit: int) -> list[Option] | None:
    syllables = _parse(word)
    if not syllables or len(syllables) > _MAX_SYLLABLES:
        return None
    per_syllable: list[list[Option]] = []
    for onset, vowel, final in syllables:
        options = _syllable_options(onset, vowel, final)
        if not options:
            return None
        per_syllable.append(options)
    return [(text.replace(" ", ""), w) for text, w in best_products(per_syllable, limit)]


@functools.lru_cache(maxsize=16384)
def romanise(run: str, limit: int = 8) -> list[Reading]:
    """McCune-Reischauer readings of a Korean name in Cyrillic; [] for any other name."""
    words = run.split()
    if not 2 <= len(words) <= 4:
        return []
    surname_first = words[0] in _SURNAMES
    if not surname_first and words[-1] not in _SURNAMES:
        return []
    surname = words[0] if surname_first else words[-1]
    given = words[1:] if surname_first else words[:-1]
    per_word: list[list[Option]] = []
    for word in given:
        options = _word_options(word, limit)
        if options is None:
            return []
        per_word.append(options)
    if sum(len(_parse(word) or ()) for word in given) > _MAX_SYLLABLES:
        return []
    family = [(spelling, 0.9**rank) for rank, spelling in enumerate(_SURNAMES[surname])]
    ordered = [family, *per_word] if surname_first else [*per_word, family]
    return [
        Reading(text, weight, "Korean in Cyrillic, McCune-Reischauer")
        for text, weight in best_products(ordered, limit)
    ]
