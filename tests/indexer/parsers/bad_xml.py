"""Bad inputs every XML parser must refuse with a ListFormatError naming file and line."""

from __future__ import annotations

from pathlib import Path

HTML_PAGE = (
    "<html>\n<head><title>503 Service Unavailable</title></head>\n"
    "<body><h1>Service Unavailable</h1></body>\n</html>\n"
)

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    ' <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n]>\n'
    "<root>&lol2;</root>\n"
)


def bad_files(good: Path, folder: Path, name: str) -> dict[str, Path]:
    """Files named ``name`` in subfolders of ``folder``: truncated, empty, HTML, DOCTYPE."""
    text = good.read_bytes()
    contents = {
        "truncated": text[: len(text) * 2 // 3],
        "empty": b"",
        "html": HTML_PAGE.encode(),
        "doctype": BILLION_LAUGHS.encode(),
    }
    files: dict[str, Path] = {}
    for case, content in contents.items():
        target = folder / case / name
        target.parent.mkdir(parents=True)
        target.write_bytes(content)
        files[case] = target
    return files
