"""Bad files every XML reader must refuse with a ListFormatError naming file and place."""

from __future__ import annotations

from pathlib import Path

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>\n'
    "<root>&lol2;</root>\n"
)
HTML_PAGE = (
    "<html><head><title>Error</title></head><body><p>Service unavailable</p></body></html>\n"
)


def truncated_copy(source: Path, target: Path, fraction: float = 0.5) -> Path:
    """The first part of a real XML file, cut mid-record as a broken download would be."""
    data = source.read_bytes()
    target.write_bytes(data[: int(len(data) * fraction)])
    return target
