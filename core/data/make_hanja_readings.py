"""Writes ``hanja_readings.tsv``: the Korean (Hangul) reading of each Hanja of KS X 1001.

Korean names are also written in Chinese characters (金正恩 = 김정은 = Kim Jong Un); reading
them as Korean needs each character's Korean sound. The readings come from the table of
the ``hanja`` package on PyPI (Sumin Byeon, WTFPL: free to copy and change), one reading
per character, limited to the 4,888 Hanja of the Korean standard character set KS X 1001
(the ``euc_kr`` codec), which Korean names are written in::

    python3 -m venv /tmp/hanja && /tmp/hanja/bin/pip install hanja==0.15.1
    python -m core.data.make_hanja_readings \\
        /tmp/hanja/lib/python3.11/site-packages/hanja/table.yml > core/data/hanja_readings.tsv

The table gives a character's reading at the start of a word in South Korean usage where
the initial-sound rule applies; ``core.romanise.hanja`` reads names with it and the
surname table (``korean_hanja_surnames.tsv``) for the surname.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

_ENTRY = re.compile(r'^"\\u([0-9A-Fa-f]{4,5})":\s*"\\u([0-9A-Fa-f]{4})"')


def _in_ks_x_1001(ch: str) -> bool:
    try:
        ch.encode("euc_kr")
    except UnicodeEncodeError:
        return False
    return True


def hanja_readings(table: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in table.read_text(encoding="utf-8").splitlines():
        found = _ENTRY.match(line)
        if found is None:
            continue
        hanja, hangul = chr(int(found.group(1), 16)), chr(int(found.group(2), 16))
        if "\u4e00" <= hanja <= "\u9fff" and _in_ks_x_1001(hanja):
            out[hanja] = hangul
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m core.data.make_hanja_readings TABLE_YML", file=sys.stderr)
        return 2
    readings = hanja_readings(Path(argv[0]))
    print("# Korean readings of the Hanja of KS X 1001: Hanja TAB Hangul.")
    print("# Made by core/data/make_hanja_readings.py from the hanja 0.15.1 table (WTFPL).")
    for hanja in sorted(readings):
        print(f"{hanja}\t{readings[hanja]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
