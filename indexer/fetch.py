"""Fetching the official files of a list into ``DEST/<list-id>/`` without ever losing a
good copy.

A list's files are downloaded into a staging folder beside the published ones, parsed
with the list's own parser, and only when that succeeds moved into place with
``os.replace`` (atomic per file on one file system). A failed download, an HTML error
page served with status 200, or a truncated file therefore leaves the previous files
untouched, and the files of one list are replaced together, after all of them passed,
or not at all. ``fetch.json`` records what was fetched (address, time, size, SHA-256,
ETag, Last-Modified, status) and supplies the validators for the next, conditional,
request, so an unchanged list is not downloaded again.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import httpx

from indexer.download import DownloadError, DownloadSettings, Validators, download
from indexer.errors import ListError
from indexer.registry import ListFormat, ListSource, load_registry, registry_path

RECORD_NAME = "fetch.json"
Outcome = Literal["fetched", "unchanged", "failed"]


@dataclass(slots=True)
class FileRecord:
    """What was fetched for one official file; kept in ``fetch.json``."""

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
class FetchResult:
    list_id: str
    outcome: Outcome
    format: str | None = None
    files: list[FileRecord] = field(default_factory=list)
    error: str | None = None

    def summary(self) -> str:
        if self.outcome == "failed":
            return f"{self.list_id}: failed: {self.error}"
        if self.outcome == "unchanged":
            return f"{self.list_id}: unchanged (304)"
        total = sum(f.size for f in self.files)
        return f"{self.list_id}: fetched {len(self.files)} file(s), {total} bytes ({self.format})"


class FetchError(ListError):
    """Fetching one list failed; the message names the list, the address and the problem."""

    def __init__(self, list_id: str, url: str | None, problem: str) -> None:
        self.list_id = list_id
        self.url = url
        self.problem = problem
        super().__init__(f"{list_id}: {self.reason}")

    @property
    def reason(self) -> str:
        """The address and the problem, without the list id."""
        return f"{self.url}: {self.problem}" if self.url else self.problem


def fetch_lists(
    list_ids: list[str] | None,
    dest: Path,
    *,
    format_name: str | None = None,
    settings: DownloadSettings | None = None,
    registry_file: Path | None = None,
) -> list[FetchResult]:
    """Fetch every list named (all lists of the registry when none); one failure does not
    stop the others. Returns one result per list, in the order asked."""
    settings = settings or DownloadSettings()
    registry = load_registry(registry_file or registry_path())
    ids = list_ids or list(registry)
    timeout = httpx.Timeout(settings.timeout)
    results: list[FetchResult] = []
    with httpx.Client(timeout=timeout, follow_redirects=True) as client:
        for list_id in ids:
            try:
                source = registry.get(list_id)
                if source is None:
                    raise FetchError(
                        list_id, None, f"unknown list id; known: {', '.join(registry)}"
                    )
                results.append(fetch_list(client, source, dest, format_name, settings))
            except FetchError as exc:
                results.append(FetchResult(list_id=list_id, outcome="failed", error=exc.reason))
            except OSError as exc:  # the destination folder cannot be written
                results.append(FetchResult(list_id=list_id, outcome="failed", error=str(exc)))
    return results


def fetch_list(
    client: httpx.Client,
    source: ListSource,
    dest: Path,
    format_name: str | None,
    settings: DownloadSettings,
) -> FetchResult:
    """Fetch, validate and publish the files of one list (see the module docstring)."""
    fmt = _choose_format(source, format_name)
    list_dir = dest / source.id
    list_dir.mkdir(parents=True, exist_ok=True)
    previous = _read_records(list_dir)
    staging = Path(tempfile.mkdtemp(prefix=".fetch-", dir=list_dir))
    try:
        now = _now()
        records: list[FileRecord] = []
        changed: list[str] = []
        for item in fmt.downloads:
            published = list_dir / item.file
            old = previous.get(item.file)
            usable_old = (
                old if old is not None and old.url == item.url and published.is_file() else None
            )
            validators = (
                Validators(etag=usable_old.etag, last_modified=usable_old.last_modified)
                if usable_old
                else None
            )
            try:
                got = download(client, item.url, staging / item.file, settings, validators)
            except DownloadError as exc:
                raise FetchError(source.id, exc.url, exc.problem) from exc
            if got.status == 304 and usable_old is not None:
                shutil.copy2(published, staging / item.file)  # the set is validated whole
                usable_old.etag, usable_old.last_modified = got.etag, got.last_modified
                usable_old.checked_at = now
                records.append(usable_old)
                continue
            if got.size is None or got.sha256 is None:  # a 304 we did not ask for
                raise FetchError(source.id, item.url, f"unexpected HTTP {got.status}")
            changed.append(item.file)
            records.append(
                FileRecord(
                    file=item.file,
                    url=item.url,
                    fetched_at=now,
                    status=got.status,
                    size=got.size,
                    sha256=got.sha256,
                    etag=got.etag,
                    last_modified=got.last_modified,
                    checked_at=now,
                )
            )
        if changed:
            _validate(source, fmt, staging, [item.url for item in fmt.downloads])
            for name in changed:
                os.replace(staging / name, list_dir / name)
        _write_record(list_dir, source.id, fmt.name, records)
        return FetchResult(
            list_id=source.id,
            outcome="fetched" if changed else "unchanged",
            format=fmt.name,
            files=records,
        )
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _choose_format(source: ListSource, format_name: str | None) -> ListFormat:
    if format_name is None:
        if not source.formats or not source.formats[0].downloads:
            raise FetchError(source.id, None, "the registry names no download for this list")
        return source.formats[0]
    for fmt in source.formats:
        if fmt.name == format_name:
            if not fmt.downloads:
                raise FetchError(source.id, None, f"format {format_name} has no download")
            return fmt
    known = ", ".join(f.name for f in source.formats)
    raise FetchError(source.id, None, f"no format {format_name!r} (known: {known})")


def _validate(source: ListSource, fmt: ListFormat, staging: Path, urls: list[str]) -> None:
    """Parse the staged files with the list's own parser; refuse them if it fails."""
    where = ", ".join(urls)
    if not fmt.matches(staging):
        raise FetchError(source.id, where, f"downloaded files do not match {fmt.name}")
    try:
        parsed = fmt.parser()(staging, source.id)
    except ListError as exc:
        raise FetchError(
            source.id,
            where,
            f"downloaded file is not a valid {fmt.name} list, kept the previous copy: {exc}",
        ) from exc
    except Exception as exc:  # a parser that cannot be imported or trips over garbage
        raise FetchError(
            source.id,
            where,
            f"could not validate with {fmt.parser_path}, kept the previous copy: "
            f"{type(exc).__name__}: {exc}",
        ) from exc
    if not parsed.entities:
        raise FetchError(
            source.id, where, "downloaded list holds no entries, kept the previous copy"
        )


def _read_records(list_dir: Path) -> dict[str, FileRecord]:
    """The records of the last successful fetch; an unreadable record is ignored (the
    worst outcome is one unconditional download)."""
    path = list_dir / RECORD_NAME
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return {f["file"]: FileRecord(**f) for f in data.get("files", [])}
    except (OSError, ValueError, TypeError, KeyError):
        return {}


def _write_record(
    list_dir: Path, list_id: str, format_name: str, records: list[FileRecord]
) -> None:
    data = {
        "list_id": list_id,
        "format": format_name,
        "files": [asdict(r) for r in records],
    }
    handle, temp = tempfile.mkstemp(prefix=".fetch-", suffix=".json", dir=list_dir)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, indent=2, ensure_ascii=False)
            out.write("\n")
        os.replace(temp, list_dir / RECORD_NAME)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
