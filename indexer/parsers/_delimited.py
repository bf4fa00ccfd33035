"""Reading delimited text lists (CSV, tab-separated) row by row, refusing what is not one.

A download that went wrong (an HTML error page, a file cut off mid-row) must fail loudly
instead of yielding a shorter list, so the header is checked against the columns the
format needs and every row must have exactly as many fields as the header.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from indexer.errors import ListFormatError
from indexer.parsers._common import require_nonempty

# Some cells (CSL addresses and ids of large entities) exceed csv's default 128 KiB limit
# in principle; allow 8 MiB per cell, far above anything real, still bounded.
_FIELD_LIMIT = 8 * 1024 * 1024


def iter_delimited(
    path: Path, *, delimiter: str, required: tuple[str, ...]
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line number, row as {header: cell})`` for each data row of ``path``.

    Raises :class:`ListFormatError` when the file is empty, not UTF-8, lacks one of the
    ``required`` columns, or has a row whose field count differs from the header's.
    """
    require_nonempty(path)
    csv.field_size_limit(_FIELD_LIMIT)
    try:
        with path.open("r", encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, delimiter=delimiter, strict=True)
            header = next(reader, None)
            if header is None:
                raise ListFormatError(path, "no header row", "line 1")
            header = [column.strip() for column in header]
            missing = [column for column in required if column not in header]
            if missing:
                raise ListFormatError(
                    path,
                    f"header lacks column(s) {', '.join(missing)}: not this list's format",
                    "line 1",
                )
            for row in reader:
                line = reader.line_num
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue
                if len(row) != len(header):
                    raise ListFormatError(
                        path,
                        f"row has {len(row)} fields, the header {len(header)} "
                        "(truncated or broken file)",
                        f"line {line}",
                    )
                yield line, dict(zip(header, row, strict=True))
    except UnicodeDecodeError as exc:
        raise ListFormatError(path, f"not UTF-8 text: {exc.reason}", f"byte {exc.start}") from exc
    except csv.Error as exc:
        raise ListFormatError(path, f"broken delimited text: {exc}") from exc
