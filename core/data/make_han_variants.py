"""Writes ``han_variants.tsv``: each traditional or regional form of a Chinese character
and the simplified character it folds to (``core.han_variants``).

Made from OpenCC's character dictionaries (Apache-2.0, the licence of this project), as
installed by the ``opencc`` package from PyPI::

    python3 -m venv /tmp/opencc && /tmp/opencc/bin/pip install opencc==1.4.2
    python -m core.data.make_han_variants \\
        /tmp/opencc/lib/python3.11/site-packages/opencc/dictionary > core/data/han_variants.tsv

``TSCharacters.txt`` maps traditional characters to simplified ones (first choice kept);
``TWVariants.txt`` and ``HKVariants.txt`` map a standard traditional character to the
forms Taiwan and Hong Kong print (僞/偽, 啓/啟), which fold to the standard one first.
Only one-character-to-one-character mappings are kept: the fold must keep every other
character of a name in its place.
"""

from __future__ import annotations

import sys
from pathlib import Path


def _pairs(path: Path) -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        source, _, targets = line.partition("\t")
        if source and targets:
            out.append((source, targets.split()))
    return out


def han_variants(dictionary: Path) -> dict[str, str]:
    """Character → simplified character, from an OpenCC dictionary folder."""
    simplified: dict[str, str] = {}
    for source, targets in _pairs(dictionary / "TSCharacters.txt"):
        if len(source) == 1 and len(targets[0]) == 1 and targets[0] != source:
            simplified[source] = targets[0]
    folds = dict(simplified)
    for name in ("TWVariants.txt", "HKVariants.txt"):
        for standard, variants in _pairs(dictionary / name):
            target = simplified.get(standard, standard)
            for variant in variants:
                if len(variant) == 1 and len(standard) == 1 and variant != target:
                    folds.setdefault(variant, target)
    return folds


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m core.data.make_han_variants OPENCC_DICTIONARY_DIR", file=sys.stderr)
        return 2
    folds = han_variants(Path(argv[0]))
    print("# Chinese characters folded to one form: traditional and regional -> simplified.")
    print("# Made by core/data/make_han_variants.py from OpenCC 1.4.2 (Apache-2.0).")
    for source in sorted(folds):
        print(f"{source}\t{folds[source]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
