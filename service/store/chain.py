"""The tamper-evident chain: every screening, decision and purge is a row that carries the
hash of the row before it, and the store keeps the hash of the last row (the head).

A row's hash covers every column it is stored with (its position, kind, id, time, key,
subject, entity and body, and the previous row's hash), so editing any field of any row,
deleting a row in the middle or at the end, or inserting one, breaks a link that
:func:`verify` names. With ``audit_chain_key`` set, the hashes are HMAC-SHA256 under that
key (``k:`` rows) and every row must be sealed so: someone who can write the database but
does not hold the key cannot rewrite the chain so that it verifies again (set the key
when the store is new; a chain begun without it verifies only without it). Without it
they are SHA-256 (``h:`` rows), which finds every change but one made by rewriting the
whole chain after it.

The retention purge removes a prefix of the chain and records itself in the chain (a
``purge`` row naming the last removed row and its hash), so a chain that starts later than
row 1 verifies only where a purge accounts for exactly the rows that are gone.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

GENESIS = "0" * 64
KINDS = ("screening", "decision", "purge")


def canonical(body: dict[str, Any]) -> str:
    """The one text form of a record: what is stored and hashed."""
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True, slots=True)
class Entry:
    """A record to append: the store gives it its position and hashes."""

    kind: str
    record_id: str
    at: str
    body: dict[str, Any]
    key_name: str | None = None
    subject: str | None = None  # a decision's party fingerprint key
    entity_id: str | None = None  # a decision's listing


@dataclass(frozen=True, slots=True)
class Row:
    """One stored row of the chain, exactly as stored."""

    seq: int
    kind: str
    record_id: str
    at: str
    key_name: str | None
    subject: str | None
    entity_id: str | None
    prev_hash: str
    hash: str
    body: str

    def record(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(self.body)
        return loaded

    def to_export(self) -> dict[str, Any]:
        """The row as an auditor's export carries it (the body parsed, the chain kept)."""
        return {
            "seq": self.seq,
            "kind": self.kind,
            "record_id": self.record_id,
            "at": self.at,
            "key_name": self.key_name,
            "subject": self.subject,
            "entity_id": self.entity_id,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
            "record": self.record(),
        }


COLUMNS = (
    "seq",
    "kind",
    "record_id",
    "at",
    "key_name",
    "subject",
    "entity_id",
    "prev_hash",
    "hash",
    "body",
)


def _material(row: Row | Entry, seq: int, prev_hash: str, body: str) -> bytes:
    parts = [
        str(seq),
        row.kind,
        row.record_id,
        row.at,
        row.key_name or "",
        row.subject or "",
        row.entity_id or "",
        prev_hash,
        body,
    ]
    return "\x1f".join(parts).encode("utf-8")


def link_hash(material: bytes, key: bytes | None) -> str:
    if key:
        return "k:" + hmac.new(key, material, hashlib.sha256).hexdigest()
    return "h:" + hashlib.sha256(material).hexdigest()


def seal(entry: Entry, seq: int, prev_hash: str, key: bytes | None) -> Row:
    """``entry`` as the row at ``seq`` after a row whose hash is ``prev_hash``."""
    body = canonical(entry.body)
    digest = link_hash(_material(entry, seq, prev_hash, body), key)
    return Row(
        seq,
        entry.kind,
        entry.record_id,
        entry.at,
        entry.key_name,
        entry.subject,
        entry.entity_id,
        prev_hash,
        digest,
        body,
    )


@dataclass(frozen=True, slots=True)
class Head:
    seq: int
    hash: str


@dataclass(slots=True)
class Verdict:
    """What :func:`verify` found: ``problem`` is None when the chain is whole."""

    checked: int = 0
    first_seq: int | None = None
    last_seq: int | None = None
    head: Head | None = None
    problem: str | None = None
    problem_seq: int | None = None
    purged_through: int = 0
    kinds: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.problem is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "checked": self.checked,
            "first_seq": self.first_seq,
            "last_seq": self.last_seq,
            "head": None if self.head is None else {"seq": self.head.seq, "hash": self.head.hash},
            "purged_through": self.purged_through,
            "kinds": self.kinds,
            "problem": self.problem,
            "problem_seq": self.problem_seq,
        }


def _name(row: Row) -> str:
    return f"record {row.seq} ({row.kind} {row.record_id}, {row.at})"


def _expected_hash(row: Row, key: bytes | None) -> str | None:
    """The hash the row should carry, or None when it cannot be checked (keyed without key)."""
    keyed = row.hash.startswith("k:")
    if keyed and not key:
        return None
    material = _material(row, row.seq, row.prev_hash, row.body)
    return link_hash(material, key if keyed else None)


def _purge_of(row: Row) -> tuple[int, str] | None:
    if row.kind != "purge":
        return None
    try:
        body = row.record()
        return int(body["removed_through_seq"]), str(body["removed_through_hash"])
    except (ValueError, KeyError, TypeError):
        return None


def verify(rows: Iterable[Row], head: Head | None, key: bytes | None) -> Verdict:
    """Walk the chain oldest first and name the first row that is missing or altered.

    ``rows`` must come ordered by ``seq``; the whole chain is read once, in one pass, and
    only the rows that start it are kept for the purge check at the end.
    """
    verdict = Verdict(head=head)
    if head is None:
        verdict.problem = "the chain head is missing: the store was tampered with or not set up"
        return verdict
    previous: Row | None = None
    first: Row | None = None
    purges: list[tuple[int, int, str]] = []  # (seq of the purge row, through seq, through hash)
    for row in rows:
        verdict.checked += 1
        verdict.kinds[row.kind] = verdict.kinds.get(row.kind, 0) + 1
        if first is None:
            first = row
            verdict.first_seq = row.seq
        expected = _expected_hash(row, key)
        if expected is None:
            verdict.problem = (
                f"{_name(row)} is sealed with audit_chain_key, which is not configured here"
            )
            verdict.problem_seq = row.seq
            return verdict
        if key and not row.hash.startswith("k:"):
            # With the key configured every record must be sealed with it: a forger who
            # lacks it could only reseal the chain with plain SHA-256.
            verdict.problem = f"{_name(row)} is not sealed with audit_chain_key (rewritten?)"
            verdict.problem_seq = row.seq
            return verdict
        if not hmac.compare_digest(expected, row.hash):
            verdict.problem = f"{_name(row)} was altered: its content does not match its hash"
            verdict.problem_seq = row.seq
            return verdict
        if previous is not None:
            if row.seq != previous.seq + 1:
                gap = (
                    f"record {previous.seq + 1}"
                    if row.seq == previous.seq + 2
                    else f"records {previous.seq + 1}-{row.seq - 1}"
                )
                verdict.problem = f"{gap} missing: the chain jumps from {previous.seq} to {row.seq}"
                verdict.problem_seq = previous.seq + 1
                return verdict
            if row.prev_hash != previous.hash:
                verdict.problem = (
                    f"{_name(previous)} was altered or replaced: record {row.seq} links to "
                    "a different hash"
                )
                verdict.problem_seq = previous.seq
                return verdict
        purge = _purge_of(row)
        if purge is not None:
            purges.append((row.seq, *purge))
        previous = row
    if first is not None and not _start_accounted(first, purges, verdict):
        return verdict
    last_seq = previous.seq if previous is not None else 0
    last_hash = previous.hash if previous is not None else GENESIS
    verdict.last_seq = previous.seq if previous is not None else None
    if head.seq != last_seq or head.hash != last_hash:
        if head.seq > last_seq:
            missing = (
                f"record {head.seq}"
                if head.seq == last_seq + 1
                else f"records {last_seq + 1}-{head.seq}"
            )
            verdict.problem = (
                f"{missing} missing: the chain ends at {last_seq}, its head at {head.seq}"
            )
            verdict.problem_seq = last_seq + 1
        else:
            verdict.problem = (
                f"the chain head ({head.seq}) does not match its last record ({last_seq}): "
                "records were added or changed outside the service"
            )
            verdict.problem_seq = last_seq
        return verdict
    return verdict


def _start_accounted(first: Row, purges: list[tuple[int, int, str]], verdict: Verdict) -> bool:
    """A chain starting after record 1 must start where the latest purge says it does."""
    if first.seq == 1:
        if first.prev_hash != GENESIS:
            verdict.problem = f"{_name(first)} was altered: the first record links to a hash"
            verdict.problem_seq = first.seq
            return False
        return True
    if not purges:
        missing = "record 1" if first.seq == 2 else f"records 1-{first.seq - 1}"
        verdict.problem = (
            f"{missing} missing: the chain starts at {first.seq} and no purge is recorded"
        )
        verdict.problem_seq = 1
        return False
    _, through, through_hash = purges[-1]
    verdict.purged_through = through
    if through != first.seq - 1:
        if through < first.seq - 1:
            verdict.problem = (
                f"records {through + 1}-{first.seq - 1} missing: the last purge removed "
                f"records up to {through}, the chain starts at {first.seq}"
            )
            verdict.problem_seq = through + 1
        else:
            verdict.problem = (
                f"the last purge removed up to {through} but record {first.seq} is kept"
            )
            verdict.problem_seq = first.seq
        return False
    if first.prev_hash != through_hash:
        verdict.problem = (
            f"{_name(first)} was altered or replaced: it does not link to the last purged record"
        )
        verdict.problem_seq = first.seq
        return False
    return True
