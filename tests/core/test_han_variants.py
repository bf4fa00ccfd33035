"""Traditional and simplified Chinese as one text."""

from __future__ import annotations

from core.han_variants import fold_han_variants, has_han_variants
from core.normalise import normalise
from core.score import compare, prepare_name
from core.translit import romanisations


def test_traditional_and_simplified_fold_to_one_form() -> None:
    assert fold_han_variants("華信船務(香港)有限公司") == "华信船务(香港)有限公司"
    assert normalise("華信船務(香港)有限公司") == normalise("华信船务(香港)有限公司")
    assert fold_han_variants("僞") == fold_han_variants("偽") == "伪"  # Taiwan, Hong Kong forms
    assert not has_han_variants("习近平") and has_han_variants("習近平")


def test_japanese_kanji_keep_their_form() -> None:
    # with kana the text is Japanese: 國 is not folded (a Japanese reader knows 國, not 国)
    assert normalise("國分さん") == "國分さん"
    # a kanji-only name is read as Japanese from its own form, not the folded one
    assert normalise("高橋", han_variants=False) == "高橋"


def test_simplified_spelling_of_a_listed_traditional_name_matches() -> None:
    listed = "華信船務(香港)有限公司"
    assert compare("华信船务(香港)有限公司", listed).score >= 0.95
    assert prepare_name("华信船务(香港)有限公司").native == prepare_name(listed).native
    assert romanisations("習近平")[0].text == romanisations("习近平")[0].text == "xi jinping"
