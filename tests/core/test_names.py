"""Name tokens: titles dropped, legal forms folded, generic words and initials marked."""

from __future__ import annotations

from core.model import Kind
from core.names import TokenRole, name_tokens, split_cjk_legal_form


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


def test_cjk_legal_form_is_split_before_romanising() -> None:
    rest, suffix = split_cjk_legal_form("北京华为有限公司")
    assert rest == "北京华为"
    assert [t.text for t in suffix] == ["ltd"]
    assert split_cjk_legal_form("株式会社")[1] == ()  # nothing but the form: keep it
