"""Downloading one official file: bounded retries, conditional requests, a size limit.

Publishers' servers are slow, occasionally down and sometimes answer with an error page,
so a download retries what is worth retrying (connection errors, timeouts, 5xx, 429)
with exponential backoff, never reads more than a set number of bytes, and asks the
server whether the file changed since the last download (ETag / Last-Modified) so an
unchanged list costs one short request. It writes only to the path it is given; putting
the file in place is the caller's business (see :mod:`indexer.fetch`).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_CHUNK = 1 << 16


@dataclass(frozen=True, slots=True)
class DownloadSettings:
    """How patient and how generous a download is; tests shrink every figure."""

    timeout: float = 60.0  # seconds to connect, and between two chunks of data
    total_timeout: float = 1800.0  # seconds for the whole file
    retries: int = 3  # further attempts after the first
    backoff: float = 2.0  # seconds before the first retry, doubled each time
    backoff_max: float = 60.0
    max_bytes: int = 200 * 1024 * 1024
    user_agent: str = "screening-indexer/0.1 (+https://github.com/; official list fetch)"


@dataclass(frozen=True, slots=True)
class Validators:
    """What the server said about the copy we hold, sent back to ask "changed since?"."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class Downloaded:
    """The outcome of one successful request: a new body (200) or "not modified" (304)."""

    url: str
    status: int
    size: int | None
    sha256: str | None
    etag: str | None
    last_modified: str | None
    attempts: int


class DownloadError(Exception):
    """A download failed for good; ``retryable`` says whether it was worth retrying."""

    def __init__(self, url: str, problem: str, *, retryable: bool = False) -> None:
        self.url = url
        self.problem = problem
        self.retryable = retryable
        super().__init__(f"{url}: {problem}")


def download(
    client: httpx.Client,
    url: str,
    target: Path,
    settings: DownloadSettings,
    validators: Validators | None = None,
    headers: dict[str, str] | None = None,
) -> Downloaded:
    """Fetch ``url`` into ``target`` (a 304 leaves ``target`` untouched and absent),
    sending ``headers`` besides our own (a key the publisher's API asks for).

    Raises :class:`DownloadError` after the last attempt, naming the URL and the problem.
    """
    attempt = 0
    while True:
        attempt += 1
        try:
            return _attempt(client, url, target, settings, validators, attempt, headers)
        except DownloadError as exc:
            target.unlink(missing_ok=True)
            if not exc.retryable or attempt > settings.retries:
                if exc.retryable and attempt > 1:
                    raise DownloadError(
                        url, f"{exc.problem} (gave up after {attempt} attempts)"
                    ) from exc
                raise
        time.sleep(min(settings.backoff * 2 ** (attempt - 1), settings.backoff_max))


def _attempt(
    client: httpx.Client,
    url: str,
    target: Path,
    settings: DownloadSettings,
    validators: Validators | None,
    attempt: int,
    extra_headers: dict[str, str] | None = None,
) -> Downloaded:
    headers = {"User-Agent": settings.user_agent, **(extra_headers or {})}
    if validators and validators.etag:
        headers["If-None-Match"] = validators.etag
    if validators and validators.last_modified:
        headers["If-Modified-Since"] = validators.last_modified
    started = time.monotonic()
    try:
        with client.stream("GET", url, headers=headers) as response:
            if response.status_code == 304 and validators is not None:
                return Downloaded(
                    url=url,
                    status=304,
                    size=None,
                    sha256=None,
                    etag=response.headers.get("ETag") or validators.etag,
                    last_modified=response.headers.get("Last-Modified") or validators.last_modified,
                    attempts=attempt,
                )
            if response.status_code != 200:
                raise DownloadError(
                    url,
                    f"HTTP {response.status_code} {response.reason_phrase}".strip(),
                    retryable=response.status_code in _RETRY_STATUSES,
                )
            _refuse_declared_size(url, response, settings.max_bytes)
            size, digest = _save_body(url, response, target, settings, started)
            return Downloaded(
                url=url,
                status=200,
                size=size,
                sha256=digest,
                etag=response.headers.get("ETag"),
                last_modified=response.headers.get("Last-Modified"),
                attempts=attempt,
            )
    except httpx.TimeoutException as exc:
        raise DownloadError(url, f"timed out ({type(exc).__name__})", retryable=True) from exc
    except httpx.TransportError as exc:
        # Refused or dropped connections, a body cut short of its Content-Length, ...
        raise DownloadError(url, f"connection failed: {exc}", retryable=True) from exc


def _refuse_declared_size(url: str, response: httpx.Response, max_bytes: int) -> None:
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise DownloadError(
            url, f"file of {int(declared)} bytes exceeds the size limit of {max_bytes} bytes"
        )


def _save_body(
    url: str,
    response: httpx.Response,
    target: Path,
    settings: DownloadSettings,
    started: float,
) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with target.open("wb") as handle:
        for chunk in response.iter_bytes(_CHUNK):
            size += len(chunk)
            if size > settings.max_bytes:
                raise DownloadError(
                    url, f"download exceeds the size limit of {settings.max_bytes} bytes; aborted"
                )
            if time.monotonic() - started > settings.total_timeout:
                raise DownloadError(
                    url, f"download took longer than {settings.total_timeout:g} s", retryable=True
                )
            digest.update(chunk)
            handle.write(chunk)
    return size, digest.hexdigest()
