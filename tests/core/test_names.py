"""Name tokens: titles dropped, legal forms folded, generic words and initials marked."""

from __future__ import annotations

import pytest

from core.model import Kind
from core.names import (
    TokenRole,
    are_nicknames,
    fold_leet,
    fold_numbers,
    is_filiation,
    is_particle,
    name_tokens,
    split_cjk_legal_form,
    split_glued_legal_form,
    wade_giles_to_pinyin,
)
from core.translit import romanisations


def texts(name: str, kind: Kind | None = None) -> list[str]:
    return [t.text for t in name_tokens(name, kind)]


def roles(name: str, kind: Kind | None = None) -> list[TokenRole]:
    return [t.role for t in name_tokens(name, kind)]


def test_titles_are_not_name_evidence() -> None:
    assert texts("Haji Asad Khan") == ["asad", "khan"]
    assert texts("Shaikh Isa Bin Tarif", Kind.PERSON) == ["isa", "bin", "tarif"]
    assert texts("Mullah Mohammad Omar") == ["mohammad", "omar"]
    assert texts("Dr. Rami Makhlouf") == ["rami", "makhlouf"]


def test_a_name_that_is_only_a_title_keeps_it() -> None:
    assert texts("General", Kind.PERSON) == ["general"]


def test_legal_forms_fold_to_one_canonical_form_across_languages() -> None:
    assert texts("OOO Rosneft") == ["llc", "rosneft"]
    assert texts("ООО Роснефть") == ["llc", "роснефть"]
    assert texts("Rosneft Limited Liability Company") == ["rosneft", "llc"]
    assert texts("Siemens Aktiengesellschaft") == texts("Siemens AG")
    assert texts("X Trading Co., Ltd.") == ["x", "trading", "ltd"]
    assert roles("PT Bank Mandiri Tbk")[0] is TokenRole.LEGAL_FORM


def test_short_legal_forms_only_at_either_end() -> None:
    assert roles("Li Ao Ming", Kind.PERSON) == [TokenRole.NAME] * 3
    assert texts("AO Gazprom") == ["jsc", "gazprom"]


def test_generic_organisation_words_are_marked() -> None:
    tokens = name_tokens("Golden Star Trading International LLC")
    assert [t.role for t in tokens] == [
        TokenRole.NAME,
        TokenRole.NAME,
        TokenRole.ORG_WORD,
        TokenRole.ORG_WORD,
        TokenRole.LEGAL_FORM,
    ]


def test_initials_and_numbers() -> None:
    assert roles("Hans J Friedrich") == [TokenRole.NAME, TokenRole.INITIAL, TokenRole.NAME]
    assert roles("Fund II LP")[1] is TokenRole.NUMBER


def test_a_roman_numeral_that_is_also_a_name() -> None:
    # "Xi" and "Vi" are names first and numerals only after what they number.
    assert roles("Xi Jinping", Kind.PERSON) == [TokenRole.NAME, TokenRole.NAME]
    assert roles("Jinping Xi", Kind.PERSON) == [TokenRole.NAME, TokenRole.NAME]
    assert roles("Bain Capital Fund XI", Kind.ORGANIZATION)[-1] is TokenRole.NUMBER
    assert roles("Louis XIV", Kind.PERSON)[-1] is TokenRole.NUMBER
    assert roles("John Smith III", Kind.PERSON)[-1] is TokenRole.NUMBER


def test_cjk_legal_form_is_split_before_romanising() -> None:
    rest, suffix = split_cjk_legal_form("北京华为有限公司")
    assert rest == "北京华为"
    assert [t.text for t in suffix] == ["ltd"]
    assert split_cjk_legal_form("株式会社")[1] == ()  # nothing but the form: keep it


def test_number_words_fold_to_digits() -> None:
    assert fold_numbers(["brigade", "forty", "four"]) == ["brigade", "44"]
    assert fold_numbers(["brigade", "fourty", "4"]) == ["brigade", "44"]
    assert fold_numbers(["1st", "international", "bank"]) == ["1", "international", "bank"]
    assert fold_numbers(["first"]) == ["1"]
    assert fold_numbers(["one", "hundred"]) == ["100"]
    assert fold_numbers(["kim", "jong", "un"]) == ["kim", "jong", "un"]
    assert texts("Three Percenters", Kind.ORGANIZATION) == ["3", "percenters"]
    assert texts("Forty Jones", Kind.PERSON) == ["forty", "jones"]  # people's names keep words


def test_digits_between_letters_are_letters() -> None:
    assert fold_leet("sech1n") == "sechin"
    assert fold_leet("i9or") == "igor"
    assert fold_leet("ig0r") == "igor"
    for kept in ("x5", "3m", "7eleven", "a320", "44"):
        assert fold_leet(kept) == kept


def test_legal_form_glued_in_capitals_is_split() -> None:
    assert split_glued_legal_form("SiemensAG") == "Siemens AG"
    assert split_glued_legal_form("Acme TradingLLC Moscow") == "Acme Trading LLC Moscow"
    for kept in ("Texas", "McDonald", "SIEMENSAG", "ToAG", "MacArthur"):
        assert split_glued_legal_form(kept) == kept


def test_particles_and_filiation() -> None:
    assert is_particle("al") and is_particle("bin") and is_particle("van")
    assert not is_particle("abdul") and not is_particle("rawi")
    assert is_filiation("bin") and is_filiation("ibn") and is_filiation("ould")
    assert not is_filiation("al") and not is_filiation("abu")


def test_nicknames() -> None:
    assert are_nicknames("ted", "theodore") and are_nicknames("ted", "edward")
    assert are_nicknames("bill", "will")  # two short forms of William
    assert not are_nicknames("ted", "ted")
    assert not are_nicknames("ted", "william")
    assert not are_nicknames("mohammed", "ahmed")


def test_wade_giles_to_pinyin() -> None:
    assert wade_giles_to_pinyin(["hsi", "chin", "ping"]) == ["xi", "jin", "ping"]
    assert wade_giles_to_pinyin(["mao", "tse", "tung"]) == ["mao", "ze", "dong"]
    assert wade_giles_to_pinyin(["xi", "jinping"]) is None
    assert wade_giles_to_pinyin(["tang", "tai"]) is None  # both also pinyin
    assert wade_giles_to_pinyin(["john", "smith"]) is None


@pytest.mark.parametrize(
    "name",
    [
        "Публичное акционерное общество «Северсталь»",
        "ПАО Северсталь",
        "Акционерное общество Ромашка",
        "ЗАО Ромашка",
        "ОАО Ромашка",
        "ООО Ромашка",
        "ТОВ Ромашка",
        "Приватне акціонерне товариство Ромашка",
        "Товариство з обмеженою відповідальністю Ромашка",
        "ТОО Ромашка",
        "ЖШС Ромашка",
        "Ромашка ХХК",
    ],
)
def test_cis_legal_forms_are_tagged_in_every_reading(name: str) -> None:
    """Names are tokenised after romanising: every romanisation of a Cyrillic legal form
    must tag it (one of three Russian readings did, "aktsionernoye" was read as a name)."""
    readings = romanisations(name, limit=8)
    assert readings
    for reading in readings:
        tokens = name_tokens(reading.text)
        assert [t.role for t in tokens].count(TokenRole.LEGAL_FORM) == 1, reading
        assert [t.role for t in tokens].count(TokenRole.NAME) == 1, reading


def test_a_name_that_is_only_a_legal_form_has_no_tokens() -> None:
    for name in ("Акционерное общество", "aktsionernoye obshchestvo", "LLC", "Joint Stock Company"):
        assert name_tokens(name) == [], name
    assert texts("Акционерное общество", Kind.PERSON) != []  # a person's name has no forms
