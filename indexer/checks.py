"""Safety checks that stop a refresh from publishing a list version that looks wrong.

A truncated download, a publisher's outage page saved as the list, or a stale mirror all
parse into *something*; publishing it would silently drop sanctioned parties from
screening. So before a new version replaces the published one, it is compared with what is
published now, and any failure stops publication: the old version keeps serving and the
report says why. The checks are pure functions of the two versions' summaries, so the
refresh can run them on a freshly parsed list against the summary it stored last night,
without re-reading last night's files.

Every message names the list, the numbers and the threshold, because the person reading
it at 03:00 must decide whether the publisher really halved the list or the download broke.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from typing import Any

from core.model import ParsedList

DEFAULT_MAX_SHRINK = 0.10


class Check(enum.StrEnum):
    """The names of the checks, as they appear in report.json."""

    EMPTY = "empty"  # the new version has no entities
    SHRINK = "shrink"  # it lost more than the allowed share of entities
    DATE_MISSING = "date_missing"  # the published version had a date, the new one has none
    DATE_OLDER = "date_older"  # its publication date is older than the published one's
    UNREADABLE = "unreadable"  # it could not be downloaded or parsed
    LOCKED = "locked"  # another refresh holds the index; this one changed nothing
    PUBLISH_FAILED = "publish_failed"  # building or swapping in the new index version failed
    UNAVAILABLE = "index_unavailable"  # the index store could not be reached or read


@dataclass(frozen=True, slots=True)
class CheckFailure:
    """One reason not to publish ``list_id``'s new version."""

    list_id: str
    check: Check
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"list_id": self.list_id, "check": str(self.check), "message": self.message}


@dataclass(frozen=True, slots=True)
class CheckSettings:
    """Thresholds of the checks.

    ``max_shrink`` is the largest share of entities a new version may lose (0.10: a list
    going from 1,000 to 899 entities fails, to 900 passes). ``allow_older`` lets an
    operator deliberately roll a list back to an older publication.
    """

    max_shrink: float = DEFAULT_MAX_SHRINK
    allow_older: bool = False

    def __post_init__(self) -> None:
        if not 0.0 <= self.max_shrink <= 1.0:
            raise ValueError(f"max_shrink must be a share between 0 and 1, not {self.max_shrink}")


@dataclass(frozen=True, slots=True)
class ListSummary:
    """What the checks need to know of a list version: enough to store between runs."""

    list_id: str
    published: date | None
    entity_count: int
    version: str | None = None

    @classmethod
    def of(cls, parsed: ParsedList, version: str | None = None) -> ListSummary:
        return cls(parsed.list_id, parsed.published, len(parsed.entities), version)

    def to_dict(self) -> dict[str, Any]:
        return {
            "list_id": self.list_id,
            "published": self.published.isoformat() if self.published else None,
            "entity_count": self.entity_count,
            "version": self.version,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ListSummary:
        published = data.get("published")
        return cls(
            list_id=data["list_id"],
            published=date.fromisoformat(published) if published else None,
            entity_count=int(data["entity_count"]),
            version=data.get("version"),
        )


def _summary(value: ParsedList | ListSummary) -> ListSummary:
    return ListSummary.of(value) if isinstance(value, ParsedList) else value


def check_empty(current: ListSummary) -> list[CheckFailure]:
    if current.entity_count > 0:
        return []
    return [
        CheckFailure(
            current.list_id,
            Check.EMPTY,
            f"{current.list_id}: the new version has 0 entities; a list is never empty, "
            "so the download or the file is broken",
        )
    ]


def check_shrink(
    previous: ListSummary, current: ListSummary, max_shrink: float
) -> list[CheckFailure]:
    """Fails when the new version lost more than ``max_shrink`` of the published entities."""
    if previous.entity_count <= 0 or current.entity_count >= previous.entity_count:
        return []
    lost = previous.entity_count - current.entity_count
    share = lost / previous.entity_count
    if share <= max_shrink:
        return []
    return [
        CheckFailure(
            current.list_id,
            Check.SHRINK,
            f"{current.list_id}: the new version has {current.entity_count:,} entities, "
            f"{lost:,} fewer than the {previous.entity_count:,} published "
            f"(-{share:.1%}), more than the {max_shrink:.0%} allowed (max_shrink={max_shrink})",
        )
    ]


def check_dates(
    previous: ListSummary, current: ListSummary, allow_older: bool = False
) -> list[CheckFailure]:
    """Fails when the new version lost its publication date or is older than the published."""
    if previous.published is None:
        return []
    if current.published is None:
        return [
            CheckFailure(
                current.list_id,
                Check.DATE_MISSING,
                f"{current.list_id}: the new version carries no publication date, while the "
                f"published version is dated {previous.published.isoformat()}; the file "
                "lost its header or is not the official list",
            )
        ]
    if current.published < previous.published and not allow_older:
        return [
            CheckFailure(
                current.list_id,
                Check.DATE_OLDER,
                f"{current.list_id}: the new version is dated {current.published.isoformat()}, "
                f"older than the published {previous.published.isoformat()} "
                f"({(previous.published - current.published).days} days); a stale mirror "
                "or cache would roll the list back",
            )
        ]
    return []


def run_checks(
    previous: ParsedList | ListSummary | None,
    current: ParsedList | ListSummary,
    settings: CheckSettings | None = None,
) -> list[CheckFailure]:
    """Every check of ``current`` against the published ``previous`` (None: first version).

    An empty list means the new version may be published. Each check is independent, so
    an empty file reports both "empty" and "shrink".
    """
    settings = settings or CheckSettings()
    now = _summary(current)
    failures = check_empty(now)
    if previous is None:
        return failures
    before = _summary(previous)
    if before.list_id != now.list_id:
        raise ValueError(f"cannot check list {now.list_id!r} against list {before.list_id!r}")
    failures += check_shrink(before, now, settings.max_shrink)
    failures += check_dates(before, now, settings.allow_older)
    return failures


def unreadable(list_id: str, error: BaseException | str) -> CheckFailure:
    """The failure for a list that could not be downloaded or parsed, for the report."""
    return CheckFailure(
        list_id,
        Check.UNREADABLE,
        f"{list_id}: could not be downloaded or parsed: {error}",
    )
