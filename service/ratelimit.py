"""Limits per API key: requests and parties per second, each a token bucket with a burst.

A key that sends more than its share gets 429 with ``Retry-After`` instead of taking the
CPU other integrators need; one 100-party batch costs a hundred single screenings, so
parties are counted apart from requests. A key's limit is written as text, the same in
``screening keys create --rate`` and in the key entry's ``"rate"`` field::

    50/s                              50 requests a second (parties: the default's)
    50/s, 500 parties/s               and 500 screened parties a second
    3000/min, 20000 parties/min, burst 5s
    unlimited                         no limit for this key

``burst`` is how many seconds of its rate a key may send at once (default 1 s): "50/s"
admits 50 requests at once, then 50 a second. A request larger than the whole bucket (a
1000-party batch under "500 parties/s") is admitted when the bucket is full and leaves it
in debt, so no request is refused for ever.

The buckets of all worker processes of one host are one set of counters: ``screening
serve --workers N`` gives its workers a small shared file (:class:`SharedBuckets`, a
memory-mapped table under an exclusive ``flock``, a few microseconds a request). Behind a
gateway with several hosts, each host counts alone (see service/API.md).
"""

from __future__ import annotations

import fcntl
import hashlib
import math
import mmap
import os
import re
import struct
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

SHARED_FILE_ENV = "_SCREENING_RATE_LIMIT_FILE"
UNLIMITED = frozenset({"unlimited", "off", "none"})
DEFAULT_BURST_SECONDS = 1.0

_UNITS = {
    "s": 1.0,
    "sec": 1.0,
    "second": 1.0,
    "m": 60.0,
    "min": 60.0,
    "minute": 60.0,
    "h": 3600.0,
    "hour": 3600.0,
}
_RATE_PART = re.compile(r"^(?P<count>\d+(?:\.\d+)?)\s*(?P<what>parties\s*)?/\s*(?P<unit>[a-z]+)$")
_BURST_PART = re.compile(r"^burst\s+(?P<seconds>\d+(?:\.\d+)?)\s*s$")


class RateSyntaxError(ValueError):
    """A rate that is not written as the module docstring shows."""


@dataclass(frozen=True, slots=True)
class Rate:
    """Requests (and parties) a second, and how many seconds of that may come at once."""

    requests: float
    parties: float | None
    burst_seconds: float

    @property
    def request_capacity(self) -> float:
        return max(1.0, self.requests * self.burst_seconds)

    @property
    def party_capacity(self) -> float:
        return max(1.0, (self.parties or 0.0) * self.burst_seconds)


def parse_rate(text: str, default: Rate | None = None) -> Rate | None:
    """The rate ``text`` names; None for "unlimited". A rate without a parties part takes
    the ``default``'s parties rate (and its burst when it names none)."""
    cleaned = text.strip().lower()
    if cleaned in UNLIMITED:
        return None
    requests: float | None = None
    parties: float | None = None
    burst: float | None = None
    for raw in cleaned.split(","):
        part = raw.strip()
        if (match := _BURST_PART.match(part)) is not None:
            burst = float(match["seconds"])
            continue
        match = _RATE_PART.match(part)
        unit = _UNITS.get(match["unit"]) if match else None
        if match is None or unit is None:
            raise RateSyntaxError(
                f"not a rate: {text[:60]!r} (write e.g. '50/s', '50/s, 500 parties/s, "
                "burst 2s', '3000/min' or 'unlimited')"
            )
        per_second = float(match["count"]) / unit
        if match["what"]:
            parties = per_second
        else:
            requests = per_second
    if requests is None:
        raise RateSyntaxError(f"not a rate: {text[:60]!r} names no requests per second")
    if requests <= 0 or (parties is not None and parties <= 0):
        raise RateSyntaxError(f"not a rate: {text[:60]!r} (a rate is above 0)")
    if burst is not None and not 0 < burst <= 3600:
        raise RateSyntaxError(f"not a rate: {text[:60]!r} (burst is 0-3600 s)")
    if parties is None and default is not None:
        parties = default.parties
    if burst is None:
        burst = default.burst_seconds if default is not None else DEFAULT_BURST_SECONDS
    return Rate(requests, parties, burst)


@dataclass(frozen=True, slots=True)
class Verdict:
    """What one take from a bucket decided, and what the RateLimit headers say."""

    allowed: bool
    policy: str  # "requests" or "parties"
    quota: int  # the bucket's size
    window: int  # seconds the bucket takes to refill from empty
    remaining: int
    reset: int  # seconds until the bucket is full again
    retry_after: int  # seconds to wait, when refused


class Buckets(Protocol):
    """Token buckets by caller name: in this process, or shared by a host's workers."""

    def take(
        self, name: str, capacity: float, per_second: float, cost: float, now: float
    ) -> tuple[bool, float]:
        """Refill ``name``'s bucket to ``now``, take ``cost`` if it is there (or if the
        bucket is full); returns (taken, tokens left)."""
        ...


def _refill_and_take(
    tokens: float, updated: float, capacity: float, per_second: float, cost: float, now: float
) -> tuple[bool, float]:
    tokens = min(capacity, tokens + max(0.0, now - updated) * per_second)
    if tokens >= cost or tokens >= capacity:
        return True, tokens - cost
    return False, tokens


class LocalBuckets:
    """Buckets of one process (a single worker, and the tests)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state: dict[str, tuple[float, float]] = {}

    def take(
        self, name: str, capacity: float, per_second: float, cost: float, now: float
    ) -> tuple[bool, float]:
        with self._lock:
            tokens, updated = self._state.get(name, (capacity, now))
            taken, left = _refill_and_take(tokens, updated, capacity, per_second, cost, now)
            self._state[name] = (left, now)
            return taken, left


_MAGIC = b"scrnrl01"
_HEADER = struct.Struct("<8sI4x")
_SLOT = struct.Struct("<16sdd")  # name digest, tokens, updated (monotonic seconds)
SHARED_SLOTS = 4096


class SharedBuckets:
    """Buckets in a memory-mapped file that every worker of a host opens.

    The table is open-addressed by a digest of the bucket name (a key name and a policy);
    a read-modify-write holds an exclusive ``flock`` on the file, so workers never lose
    an update. ``time.monotonic`` is the same clock in every process of a Linux host.
    When all slots are taken (thousands of keys), further names are not limited and the
    service says so once in its log.
    """

    def __init__(self, path: Path, slots: int = SHARED_SLOTS) -> None:
        self.path = path
        size = _HEADER.size + slots * _SLOT.size
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        self._lock = threading.Lock()
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        try:
            if os.fstat(self._fd).st_size < size:
                os.ftruncate(self._fd, size)
            self._map = mmap.mmap(self._fd, size)
            magic, count = _HEADER.unpack_from(self._map, 0)
            if magic != _MAGIC:
                _HEADER.pack_into(self._map, 0, _MAGIC, slots)
                count = slots
        finally:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        self.slots = int(count)
        self.full = False

    def _slot(self, digest: bytes) -> int | None:
        start = int.from_bytes(digest[:4], "little") % self.slots
        for probe in range(self.slots):
            index = (start + probe) % self.slots
            offset = _HEADER.size + index * _SLOT.size
            stored = bytes(self._map[offset : offset + 16])
            if stored == digest or stored == b"\0" * 16:
                return offset
        return None

    def take(
        self, name: str, capacity: float, per_second: float, cost: float, now: float
    ) -> tuple[bool, float]:
        digest = hashlib.blake2b(name.encode(), digest_size=16).digest()
        with self._lock:
            fcntl.flock(self._fd, fcntl.LOCK_EX)
            try:
                offset = self._slot(digest)
                if offset is None:
                    self.full = True
                    return True, capacity
                stored, tokens, updated = _SLOT.unpack_from(self._map, offset)
                if stored != digest:
                    tokens, updated = capacity, now
                taken, left = _refill_and_take(tokens, updated, capacity, per_second, cost, now)
                _SLOT.pack_into(self._map, offset, digest, left, now)
                return taken, left
            finally:
                fcntl.flock(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        self._map.close()
        os.close(self._fd)


class RateLimiter:
    """Takes requests and parties from each caller's buckets under the caller's rate."""

    def __init__(self, buckets: Buckets) -> None:
        self.buckets = buckets

    def take(self, name: str, rate: Rate, policy: str, cost: float) -> Verdict | None:
        """Take ``cost`` requests or parties (``policy``) for ``name``; None when the
        rate sets no limit of that kind."""
        per_second = rate.requests if policy == "requests" else rate.parties
        if per_second is None:
            return None
        capacity = rate.request_capacity if policy == "requests" else rate.party_capacity
        now = time.monotonic()
        allowed, left = self.buckets.take(f"{policy}:{name}", capacity, per_second, cost, now)
        wanted = min(cost, capacity)
        retry = 0 if allowed else max(1, math.ceil((wanted - left) / per_second))
        return Verdict(
            allowed=allowed,
            policy=policy,
            quota=math.floor(capacity),
            window=max(1, math.ceil(capacity / per_second)),
            remaining=max(0, math.floor(left)),
            reset=max(0, math.ceil((capacity - left) / per_second)),
            retry_after=retry,
        )


def open_buckets() -> Buckets:
    """The shared file ``screening serve`` named for its workers, else this process's own."""
    file = os.environ.get(SHARED_FILE_ENV)
    return SharedBuckets(Path(file)) if file else LocalBuckets()


def rate_headers(verdicts: list[Verdict]) -> list[tuple[bytes, bytes]]:
    """``RateLimit-Policy`` and ``RateLimit`` (draft-ietf-httpapi-ratelimit-headers),
    and ``Retry-After`` when one of them refused."""
    policies = ", ".join(f'"{v.policy}";q={v.quota};w={v.window}' for v in verdicts)
    states = ", ".join(f'"{v.policy}";r={v.remaining};t={v.reset}' for v in verdicts)
    headers = [(b"ratelimit-policy", policies.encode()), (b"ratelimit", states.encode())]
    refused = [v.retry_after for v in verdicts if not v.allowed]
    if refused:
        headers.append((b"retry-after", str(max(refused)).encode()))
    return headers


class Limits:
    """The app's limiter and the rates it applies: each key's own, else the default."""

    def __init__(self, default: str, buckets: Buckets | None = None) -> None:
        self.limiter = RateLimiter(buckets if buckets is not None else open_buckets())
        self.default = parse_rate(default)
        self._parsed: dict[str, Rate | None] = {}

    def rate_of(self, key_rate: str | None) -> Rate | None:
        """The rate a key is held to (None: unlimited); parsed once per distinct text
        (keys were checked when loaded, so this cannot fail on a loaded key)."""
        if key_rate is None:
            return self.default
        try:
            return self._parsed[key_rate]
        except KeyError:
            rate = parse_rate(key_rate, self.default)
            self._parsed[key_rate] = rate
            return rate

    def close(self) -> None:
        close = getattr(self.limiter.buckets, "close", None)
        if close is not None:
            close()


def limits_of(request: Any) -> Limits:
    """The :class:`Limits` of the app answering ``request`` (set by service.app)."""
    limits: Limits = request.app.state.limits
    return limits
