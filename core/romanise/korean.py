"""Hangul names into McCune-Reischauer (as North Korean names are listed) and Revised forms.

Sanctions lists print North Korean names in the North's McCune-Reischauer variant, one
syllable per word and no breves or apostrophes: 리병철 → "Ri Pyong Chol", 최룡해 → "Choe
Ryong Hae", 김정은 → "Kim Jong Un". South Korean names appear in Revised Romanisation
("Lee Minho", "Park Jisung") or older spellings ("Jung", "Sung"). Hangul syllables decompose
algorithmically into initial, vowel and final jamo, so each system is a table per jamo; the
surname is looked up in a table of its customary spellings (이 → Ri, Lee, Yi, Rhee, I).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from core.romanise._rank import Reading, merge_readings

_SYLLABLE_BASE = 0xAC00
_SYLLABLE_LAST = 0xD7A3

# Initial jamo, in Unicode order: ㄱ ㄲ ㄴ ㄷ ㄸ ㄹ ㅁ ㅂ ㅃ ㅅ ㅆ ㅇ ㅈ ㅉ ㅊ ㅋ ㅌ ㅍ ㅎ
_INITIAL_MR = ["k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "j", "jj", "ch",
               "kh", "th", "ph", "h"]  # fmt: skip
_INITIAL_RR = ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch",
               "k", "t", "p", "h"]  # fmt: skip
# Vowels: ㅏ ㅐ ㅑ ㅒ ㅓ ㅔ ㅕ ㅖ ㅗ ㅘ ㅙ ㅚ ㅛ ㅜ ㅝ ㅞ ㅟ ㅠ ㅡ ㅢ ㅣ
_VOWEL_MR = ["a", "ae", "ya", "yae", "o", "e", "yo", "ye", "o", "wa", "wae", "oe", "yo", "u",
             "wo", "we", "wi", "yu", "u", "ui", "i"]  # fmt: skip
_VOWEL_RR = ["a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u",
             "wo", "we", "wi", "yu", "eu", "ui", "i"]  # fmt: skip
# Older South Korean spellings: ㅓ → u (Jung, Sung), ㅕ → yu (Hyun), ㅡ → eu.
_VOWEL_SOUTH = ["a", "ae", "ya", "yae", "u", "e", "yu", "ye", "o", "wa", "wae", "oe", "yo", "u",
                "wo", "we", "wi", "yu", "eu", "ui", "i"]  # fmt: skip
# Finals: (none) ㄱ ㄲ ㄳ ㄴ ㄵ ㄶ ㄷ ㄹ ㄺ ㄻ ㄼ ㄽ ㄾ ㄿ ㅀ ㅁ ㅂ ㅄ ㅅ ㅆ ㅇ ㅈ ㅊ ㅋ ㅌ ㅍ ㅎ
_FINAL = ["", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m",
          "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t"]  # fmt: skip

# Customary spellings of common surnames: (North Korean listing, South Korean common, RR).
_SURNAMES: dict[str, tuple[str, ...]] = {
    "김": ("kim", "kim", "gim"),
    "이": ("ri", "lee", "yi", "rhee", "i", "li"),
    "리": ("ri", "lee", "yi", "li"),
    "박": ("pak", "park", "bak"),
    "최": ("choe", "choi", "chwe"),
    "정": ("jong", "jung", "jeong", "chung", "chong"),
    "강": ("kang", "kang", "gang"),
    "조": ("jo", "cho"),
    "윤": ("yun", "yoon"),
    "장": ("jang", "chang"),
    "임": ("im", "lim", "rim", "yim"),
    "림": ("rim", "lim", "im"),
    "한": ("han",),
    "오": ("o", "oh"),
    "서": ("so", "seo", "suh"),
    "신": ("sin", "shin"),
    "권": ("kwon", "kwon", "gwon"),
    "황": ("hwang",),
    "안": ("an", "ahn"),
    "송": ("song",),
    "류": ("ryu", "yu", "yoo", "ryoo"),
    "유": ("yu", "yoo"),
    "홍": ("hong",),
    "전": ("jon", "jeon", "chun", "jun", "chon"),
    "고": ("ko", "ko", "go"),
    "문": ("mun", "moon"),
    "양": ("yang",),
    "량": ("ryang", "yang"),
    "손": ("son", "sohn"),
    "배": ("pae", "bae"),
    "백": ("paek", "baek", "paik"),
    "허": ("ho", "heo", "hur", "huh"),
    "노": ("no", "roh", "noh"),
    "로": ("ro", "roh", "no"),
    "남": ("nam",),
    "심": ("sim", "shim"),
    "하": ("ha",),
    "곽": ("kwak", "kwak", "gwak"),
    "성": ("song", "sung", "seong"),
    "차": ("cha",),
    "주": ("ju", "joo", "chu"),
    "우": ("u", "woo"),
    "구": ("ku", "koo", "gu", "ku"),
    "라": ("ra", "na", "la"),
    "나": ("na", "ra"),
    "렴": ("ryom", "yeom", "yum"),
    "염": ("yom", "yeom", "yum"),
    "현": ("hyon", "hyun", "hyeon"),
    "태": ("thae", "tae"),
    "채": ("chae",),
    "명": ("myong", "myung", "myeong"),
    "방": ("pang", "bang"),
    "변": ("pyon", "byun", "byeon"),
    "엄": ("om", "eom", "um"),
    "원": ("won",),
    "천": ("chon", "cheon", "chun"),
    "지": ("ji", "chi"),
    "진": ("jin", "chin"),
    "함": ("ham",),
    "길": ("kil", "kil", "gil"),
    "석": ("sok", "seok", "suk"),
    "선": ("son", "sun", "seon"),
    "설": ("sol", "seol", "sul"),
    "마": ("ma",),
    "표": ("pyo",),
    "여": ("yo", "yeo", "yuh"),
    "추": ("chu",),
    "도": ("to", "do"),
    "탁": ("thak", "tak"),
    "팽": ("phaeng", "paeng"),
    "봉": ("pong", "bong"),
    "공": ("kong", "kong", "gong"),
    "민": ("min",),
    "동": ("tong", "dong"),
}
_TWO_SYLLABLE_SURNAMES: dict[str, tuple[str, ...]] = {
    "남궁": ("namgung",),
    "황보": ("hwangbo",),
    "제갈": ("jegal", "chegal"),
    "선우": ("sonu", "sunwoo", "seonu"),
    "독고": ("tokko", "dokgo"),
    "사공": ("sagong",),
}


def surname_spellings() -> list[tuple[str, ...]]:
    """The customary spellings of each surname, the North Korean (MR) one first."""
    return [
        (mr, *rest)
        for hangul, (mr, *rest) in _SURNAMES.items()
        if hangul not in ("이", "리") or mr == "ri"
    ]


def is_hangul_syllable(ch: str) -> bool:
    return _SYLLABLE_BASE <= ord(ch) <= _SYLLABLE_LAST


def _jamo(ch: str) -> tuple[int, int, int]:
    index = ord(ch) - _SYLLABLE_BASE
    return index // 588, (index % 588) // 28, index % 28


@functools.lru_cache(maxsize=16384)
def syllable(ch: str, system: str) -> str:
    """One syllable romanised on its own ("MR", "RR" or "South"), as NK names are written."""
    if not is_hangul_syllable(ch):
        return ch
    initial, vowel, final = _jamo(ch)
    if system == "MR":
        onset, nucleus = _INITIAL_MR[initial], _VOWEL_MR[vowel]
    elif system == "South":
        onset, nucleus = _INITIAL_RR[initial], _VOWEL_SOUTH[vowel]
        if not final and nucleus in ("u", "yu") and vowel in (4, 6):
            nucleus = _VOWEL_RR[vowel]  # 서 → seo, 여 → yeo; the u spellings need a final
        elif vowel == 6 and final == 21:
            nucleus = "yo"  # 영 → yong
    else:
        onset, nucleus = _INITIAL_RR[initial], _VOWEL_RR[vowel]
    coda = _FINAL[final]
    if onset == "s" and nucleus.startswith(("i", "wi")) and system == "South":
        onset = "sh"  # 신 → shin, 시 → shi
    return onset + nucleus + coda


def _join(syllables: Iterable[str]) -> str:
    """Syllables written as one word; ㄹ before ㄹ is "ll" (블라 → bulla, not bulra)."""
    return "".join(syllables).replace("lr", "ll")


def _split_surname(word: str) -> tuple[str, str]:
    if len(word) >= 3 and word[:2] in _TWO_SYLLABLE_SURNAMES:
        return word[:2], word[2:]
    return word[:1], word[1:]


def _surname_spellings(surname: str) -> tuple[str, str, str]:
    """(North Korean, South Korean common, Revised) spellings of a surname."""
    if surname in _TWO_SYLLABLE_SURNAMES:
        forms = _TWO_SYLLABLE_SURNAMES[surname]
        mr = "".join(syllable(ch, "MR") for ch in surname)
        rr = "".join(syllable(ch, "RR") for ch in surname)
        return mr, forms[-1] if len(forms) > 1 else forms[0], rr
    mr, rr = syllable(surname, "MR"), syllable(surname, "RR")
    if surname not in _SURNAMES:
        return mr, syllable(surname, "South"), rr
    spellings = _SURNAMES[surname]
    return spellings[0], spellings[1] if len(spellings) > 1 else spellings[0], rr


@functools.lru_cache(maxsize=16384)
def romanise(run: str, limit: int = 8) -> list[Reading]:
    """Ranked Latin forms of a Hangul name: surname first, given syllables spaced or joined.

    A single word of 2-4 syllables is read as surname + given name (Korean names are
    written without a space); several words are romanised syllable by syllable each.
    """
    words = run.split()
    if len(words) == 1 and 2 <= len(words[0]) <= 4:
        return _personal_name(words[0], limit)
    forms: list[Reading] = []
    for system, weight in (("RR", 1.0), ("MR", 0.9), ("South", 0.7)):
        spaced = " ".join(" ".join(syllable(ch, system) for ch in word) for word in words)
        joined = " ".join(_join(syllable(ch, system) for ch in word) for word in words)
        forms.append(Reading(joined, weight, f"Korean, {system}"))
        forms.append(Reading(spaced, weight * 0.9, f"Korean, {system} by syllable"))
    return merge_readings([forms], limit)


def _personal_name(word: str, limit: int) -> list[Reading]:
    surname, given = _split_surname(word)
    north, south, revised = _surname_spellings(surname)
    forms: list[Reading] = []
    for system, family, weight in (
        ("MR", north, 1.0),
        ("South", south, 0.9),
        ("RR", revised, 0.8),
        ("RR", south, 0.75),
        ("MR", south, 0.7),
    ):
        syllables = [syllable(ch, system) for ch in given]
        spaced = " ".join([family, *syllables])
        joined = f"{family} {_join(syllables)}"
        label = f"Korean, {system}, surname {family}"
        forms.append(Reading(spaced, weight, label))
        forms.append(Reading(joined, weight * 0.95, label + ", given name joined"))
    others = _SURNAMES.get(surname, ())
    extra = [
        Reading(f"{family} {' '.join(syllable(ch, 'RR') for ch in given)}", 0.5, "Korean")
        for family in others
    ]
    return merge_readings([forms, extra], limit)
