"""The judge of whether two names of a party are spellings of one name (apart from the
scorer), on pairs the lists themselves give."""

from __future__ import annotations

import pytest

from indexer.corpus_variants import latin_words, same_name, skeleton


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Khaled QADDOUR", "Khalid QADDUR"),
        ("BA'ASYIR, Abdul Rachim", "BASHIR, Abdurrochim"),  # glued words
        ("Alexandr Fedorovich SAULENKO", "Oleksandr Fedorovich SAULENKO"),
        ("Mohamad Ghazi AL-JALALI", "Mohamad Ghazi JALALI"),
        ("ALSHAER, Saleh Mesfer Saleh", "AL-SHAER, Salih Misfer"),
        ("MYANMAR GEMS ENTERPRISE", "MYANMAR GEMS CORPORATION"),  # generic words left out
        ("حسین مروفی", "Hossein MAROUFI"),  # Arabic script: consonant skeletons
        ("مثنى حارث سلمان الضاري", "Muthanna Hareth Al-Dhari"),
        ("عیسی زارع پور", "Eisa ZAREPOUR"),
        ("وسيم قطان", "Wasim AL-KATTAN"),
        ("ابوالفضل نظری", "Abualfazl NAZERI"),
        ("Екатерина Юрьевна ГУБАРЕВА", "Ekaterina Yurevna GUBEREVA"),
        ("김정은", "KIM Jong Un"),
        ("キム・ジョンウン", "KIM Jong Un"),
    ],
)
def test_spellings_of_one_name(a: str, b: str) -> None:
    assert same_name(a, b) and same_name(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Stonefly", "Jumpy Pisces"),  # a party's other name
        ("Guru", "Madhav"),  # a vessel's former name
        ("UMMC", "Otkrytoe Aktsionernoe Obshchestvo Uralskaya Gorno"),
        ("朝鮮大成貿易会社", "Korea Daesong Trading Company"),  # a translation
        ("Vladimir Mikhailovich KONONOV", "Vladimir Mikhailovich MOROZOV"),
        ("Леонов Сергей Дмитриевич", "Леонов Олег Юрьевич"),
        ("Ali Hassan MAHMOUD", "Ali Hassan MOHAMMED"),  # one skeleton, two Latin names
        ("Бату Сергеевич Хасиков", "BASU"),  # one short word is no spelling of three
        ("Акционерное общество", "OJSC ROSOBORONEXPORT"),  # only a legal form
    ],
)
def test_other_names(a: str, b: str) -> None:
    assert not same_name(a, b) and not same_name(b, a)


def test_words_in_latin_letters() -> None:
    assert latin_words("AL-QAIDA Company Ltd") == ["qaida"]
    assert latin_words("金正恩") == ["jinzhengen"]  # syllabic: one glued word
    assert skeleton("hossein") == "sn" == skeleton("hsyn")
    assert skeleton("nazeri") == "nzr" == skeleton("ndhry")
