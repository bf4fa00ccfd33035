"""canonical()/variants(): one key for the spellings of one name, and no more."""

from __future__ import annotations

from collections import Counter
from importlib import resources

import pytest

from core.variants import canonical, canonical_tokens, group_keys, variants


def _same(*tokens: str) -> bool:
    return len({canonical(token) for token in tokens}) == 1


@pytest.mark.parametrize(
    "group",
    [
        ("mohammed", "muhammad", "mohamed", "muhammed", "mohammad", "mukhammad", "magomed"),
        ("yusuf", "yousef", "yusef", "youssef", "jusuf"),
        ("ri", "lee", "rhee", "yi"),
        ("kim", "gim"),
        ("pak", "park", "bak"),
        ("choe", "choi", "chwe"),
        ("jong", "chong", "jeong", "chung"),
        ("zhang", "chang", "cheung"),
        ("wang", "wong"),
        ("abdulrahman", "abdurrahman", "abdelrahman"),
        ("yevgeniy", "evgeny", "evgenii", "yevhen"),
        ("sergey", "sergei", "serhiy"),
        ("hussein", "husayn", "hossein"),
        ("ivanov", "ivanoff", "ivanow"),
        ("medvedev", "medvedeff"),
        ("andreev", "andreyev", "andreiev"),
        ("zelensky", "zelenskiy", "zelenskyy", "zelenskii"),
        ("yanukovich", "yanukovych"),
    ],
)
def test_true_variants_share_a_key(group: tuple[str, ...]) -> None:
    assert _same(*group), {token: canonical(token) for token in group}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("yusuf", "iosif"),  # both "Joseph", but not spellings of each other
        ("hassan", "hussein"),  # different names
        ("kim", "jin"),
        ("ali", "alla"),
        ("park", "pan"),
        ("wang", "huang"),
        ("lee", "le"),
        ("as", "al"),  # a company suffix (A/S) is not the Arabic article
        ("mohammed", "mahmoud"),
    ],
)
def test_different_names_keep_different_keys(a: str, b: str) -> None:
    assert canonical(a) != canonical(b)


def test_unknown_token_is_its_own_key() -> None:
    assert canonical("xylophonist") == "xylophonist"
    assert variants("xylophonist") == {"xylophonist"}


def test_variants_lists_the_whole_group() -> None:
    spellings = variants("mohammed")
    assert {"muhammad", "mohamed", "magomed", "mohammed"} <= spellings
    assert "mahmoud" not in spellings


def test_split_and_glued_abd_compounds_get_one_key() -> None:
    glued = canonical_tokens(["abdulrahman"])
    assert canonical_tokens(["abd", "al", "rahman"]) == glued
    assert canonical_tokens(["abdul", "rahman"]) == glued
    assert canonical_tokens(["abdel", "rahman"]) == glued
    assert canonical_tokens(["abd", "el", "aziz", "bin", "saud"])[0] == canonical("abdulaziz")


def test_no_spelling_is_in_two_groups() -> None:
    text = resources.files("core.data").joinpath("name_variants.tsv").read_text("utf-8")
    counts: Counter[str] = Counter()
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            counts.update(set(filter(None, line.split("\t"))))
    assert [token for token, n in counts.items() if n > 1] == []
    assert all(token == token.strip().lower() and " " not in token for token in group_keys())
