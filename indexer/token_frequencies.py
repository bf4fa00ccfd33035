"""Writing ``core/data/token_frequencies.tsv``: how common each name token is on a list.

The scorer weighs tokens by rarity. A screening index computes that from the lists it
holds; comparing two names with no index at hand (``screening compare``) uses this
bundled table instead, made from a public-domain list (OFAC SDN) by::

    python -m indexer.token_frequencies us-ofac-sdn=../shared/lists/us-ofac-sdn/2023-12-28

Only counts of the most common tokens are kept: rare tokens need no entry (a token
absent from the table weighs as a unique one).
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Sequence
from pathlib import Path

from core.model import Entity
from core.names import name_tokens
from core.score import Rarity

DEFAULT_OUTPUT = Path(__file__).resolve().parents[1] / "core" / "data" / "token_frequencies.tsv"


def rarity_of(entities: Iterable[Entity]) -> Rarity:
    """Document frequencies over every name of ``entities``."""
    return Rarity.from_token_lists(
        name_tokens(name.full, entity.kind) for entity in entities for name in entity.names
    )


def render(rarity: Rarity, top: int = 3000, min_count: int = 3) -> str:
    common = sorted(rarity.frequencies.items(), key=lambda item: (-item[1], item[0]))
    lines = [
        "# token<TAB>number of listed names containing it (variant keys); see",
        "# indexer/token_frequencies.py for how it is made.",
        f"*documents*\t{rarity.documents}",
    ]
    lines += [f"{token}\t{count}" for token, count in common[:top] if count >= min_count]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    from indexer.registry import parse_list
    from service.cli.common import list_spec

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("spec", type=list_spec, metavar="ID=PATH")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    list_id, path = args.spec
    args.output.write_text(render(rarity_of(parse_list(list_id, path).entities)), "utf-8")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
