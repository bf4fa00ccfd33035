"""Fetching the official files of a list into ``DEST/<list-id>/`` without ever losing a
good copy.

A list's files are downloaded into a staging folder beside the published ones, parsed
with the list's own parser, and only when that succeeds moved into place with
``os.replace`` (atomic per file on one file system). A failed download, an HTML error
page served with status 200, or a truncated file therefore leaves the previous files
untouched, and the files of one list are replaced together, after all of them passed,
or not at all. ``fetch.json`` (:mod:`indexer.fetch_record`) records what was fetched
(address, time, size, SHA-256, ETag, Last-Modified, status, and how many entities the
files held) and supplies the validators for the next, conditional, request, so an
unchanged list is not downloaded again.

A download that parses but holds less than half the entities of the copy it would
replace is refused as *collapsed*: a publisher's page redesigned (India's banned
organisations are a web page's table), a feed cut short at a record boundary. The
previous copy stays; the refresh's finer shrink check compares with what is published.
Retired lists are not fetched unless named.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import httpx

from indexer.download import DownloadError, DownloadSettings, Validators, download
from indexer.errors import ListError
from indexer.fetch_record import RECORD_NAME, FetchRecord, FileRecord, read_record, write_record
from indexer.registry import ListFormat, ListSource, current_ids, load_registry, registry_path

__all__ = ["RECORD_NAME", "FetchError", "FetchResult", "FileRecord", "fetch_list", "fetch_lists"]

Outcome = Literal["fetched", "unchanged", "failed"]
# A new download holding less than this share of the previous copy's entities collapsed.
COLLAPSE_SHARE = 0.5


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
    """Fetch every list named (every current list of the registry when none: retired
    lists only when named); one failure does not stop the others. Returns one result per
    list, in the order asked."""
    settings = settings or DownloadSettings()
    registry = load_registry(registry_file or registry_path())
    ids = list_ids or current_ids(registry)
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
    record = read_record(list_dir)
    previous = record.by_file() if record is not None else {}
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
                headers = item.request_headers()
            except KeyError as exc:
                raise FetchError(
                    source.id,
                    item.url,
                    f"the request needs the environment variable {exc.args[0]} "
                    "(see the list's terms: screening lists)",
                ) from exc
            try:
                got = download(client, item.url, staging / item.file, settings, validators, headers)
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
        entities = record.entities if record is not None else None
        if changed:
            previous_count = entities if record is not None and record.format == fmt.name else None
            entities = _validate(
                source, fmt, staging, [item.url for item in fmt.downloads], previous_count
            )
            for name in changed:
                os.replace(staging / name, list_dir / name)
        write_record(list_dir, FetchRecord(source.id, fmt.name, records, entities))
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


def _validate(
    source: ListSource,
    fmt: ListFormat,
    staging: Path,
    urls: list[str],
    previous_count: int | None,
) -> int:
    """Parse the staged files with the list's own parser; refuse them if it fails, if
    they hold no entries or if they collapsed against the copy they would replace.
    Returns how many entities they hold."""
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
    count = len(parsed.entities)
    if not count:
        raise FetchError(
            source.id, where, "downloaded list holds no entries, kept the previous copy"
        )
    if previous_count and count < previous_count * COLLAPSE_SHARE:
        raise FetchError(
            source.id,
            where,
            f"downloaded list collapsed: {count:,} entries where the copy it would replace "
            f"has {previous_count:,} (less than {COLLAPSE_SHARE:.0%}); kept the previous copy",
        )
    return count


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
