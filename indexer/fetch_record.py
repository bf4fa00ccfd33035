"""``fetch.json``: what the last successful fetch of a list saved beside its files.

The fetch (:mod:`indexer.fetch`) writes it; the next fetch reads it for its conditional
requests (ETag, Last-Modified) and to see whether a new download collapsed (the entity
count of the copy it replaces); dating a list (:mod:`indexer.freshness`) reads it for the
publisher's Last-Modified or the download time of exactly those files. One small module,
so reading the record needs neither HTTP nor the registry.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

RECORD_NAME = "fetch.json"


@dataclass(slots=True)
class FileRecord:
    """What was fetched for one official file."""

    file: str
    url: str
    fetched_at: str
    status: int
    size: int
    sha256: str
    etag: str | None = None
    last_modified: str | None = None
    checked_at: str | None = None  # the last request, a 304 included


@dataclass(slots=True)
class FetchRecord:
    """The record of one list's folder: its format, files and the entities they held."""

    list_id: str
    format: str
    files: list[FileRecord] = field(default_factory=list)
    entities: int | None = None  # as the list's parser read the files; None: not recorded

    def by_file(self) -> dict[str, FileRecord]:
        return {record.file: record for record in self.files}


def read_record(folder: Path) -> FetchRecord | None:
    """The record in ``folder``; None when there is none or it is unreadable (the worst
    outcome is one unconditional download, or a list dated from its records)."""
    path = folder / RECORD_NAME
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        entities = data.get("entities")
        return FetchRecord(
            list_id=str(data["list_id"]),
            format=str(data.get("format", "")),
            files=[FileRecord(**f) for f in data.get("files", [])],
            entities=int(entities) if entities is not None else None,
        )
    except (OSError, ValueError, TypeError, KeyError):
        return None


def write_record(folder: Path, record: FetchRecord) -> None:
    """Replace ``folder``'s record whole (a reader never sees half of it)."""
    data = {
        "list_id": record.list_id,
        "format": record.format,
        "entities": record.entities,
        "files": [asdict(r) for r in record.files],
    }
    handle, temp = tempfile.mkstemp(prefix=".fetch-", suffix=".json", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, indent=2, ensure_ascii=False)
            out.write("\n")
        os.replace(temp, folder / RECORD_NAME)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
