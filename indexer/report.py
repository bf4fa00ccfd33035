"""The refresh report: report.json for machines, report.md for people.

Compliance needs a record of what each nightly refresh did to the lists screening runs
against (which versions were replaced by which, who was added, removed or changed, and
why a refresh was stopped), and the on-call engineer needs the same in a form a CI job
summary shows. Both are built here from the refresh's results; nothing here reads files,
fetches lists or touches an index, so the refresh decides what happened and this module
only states it.

report.md is bounded: each list of entities shows at most ``max_entries`` lines followed
by "... and N more", so a list that changes wholesale cannot produce a summary larger
than a CI job accepts; report.json always holds everything.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from indexer.checks import Check, CheckFailure
from indexer.diff import EntityChange, ListDiff

REPORT_FORMAT = 1
DEFAULT_MAX_ENTRIES = 200
_MAX_TEXT = 160  # characters of one name or alert shown in report.md


class Status(enum.StrEnum):
    PUBLISHED = "published"  # a new index version serves now
    UNCHANGED = "unchanged"  # every list is the version already published; nothing swapped
    STOPPED = "stopped"  # a safety check failed; the previous version keeps serving


@dataclass(slots=True)
class RefreshReport:
    """Everything one refresh run reports.

    ``diffs`` holds one :class:`ListDiff` per list considered (for a stopped run, the diff
    that would have been published). ``failures`` stopped publication; ``warnings`` did not
    (e.g. a list that could not be read and kept its previous version: the run is then
    :attr:`partial`). ``timings`` are
    seconds per step, in the order the steps ran. ``new_alerts`` are the re-screening hits
    the refresh found against the new versions, as it chooses to describe them.
    """

    status: Status
    diffs: list[ListDiff]
    failures: list[CheckFailure] = field(default_factory=list)
    warnings: list[CheckFailure] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    index_version_before: str | None = None
    index_version_after: str | None = None
    new_alerts: list[dict[str, Any]] = field(default_factory=list)
    started_at: str | None = None
    finished_at: str | None = None

    @property
    def partial(self) -> list[CheckFailure]:
        """The lists this run could not bring up to date (a download or parse failed and
        the previous version was kept, or the list was left out): a run with any is
        "partial", exit status 3, even though it published the others."""
        return [w for w in self.warnings if w.check is Check.UNREADABLE]


def decide_status(diffs: Iterable[ListDiff], failures: Sequence[CheckFailure]) -> Status:
    """Stopped on any failure; unchanged when no list's version differs; else published.

    A new version of a list whose entities did not change still counts as published: the
    index records which list versions it was built from, and an audit must see the new one.
    """
    if failures:
        return Status.STOPPED
    if any(diff.version_changed for diff in diffs):
        return Status.PUBLISHED
    return Status.UNCHANGED


def _list_json(diff: ListDiff) -> dict[str, Any]:
    return {
        "previous": diff.previous_version,
        "current": diff.current_version,
        "published_before": diff.previous_published,
        "published_after": diff.current_published,
        "counts": {
            "before": diff.previous_count,
            "after": diff.current_count,
            "added": len(diff.added),
            "removed": len(diff.removed),
            "changed": len(diff.changed),
        },
        "changed_fields": diff.changed_field_counts(),
        "added": list(diff.added),
        "removed": list(diff.removed),
        "changed": [change.to_dict() for change in diff.changed],
        "names": dict(diff.names),
        "source_change": diff.source_change.to_dict() if diff.source_change else None,
    }


def report_json(report: RefreshReport) -> dict[str, Any]:
    """The report.json document (JSON-ready: only dicts, lists, strings, numbers, null)."""
    list_ids = [diff.list_id for diff in report.diffs]
    if len(list_ids) != len(set(list_ids)):
        raise ValueError(f"a report holds one diff per list, got {', '.join(list_ids)}")
    return {
        "format": REPORT_FORMAT,
        "status": str(report.status),
        "partial": [warning.list_id for warning in report.partial],
        "started_at": report.started_at,
        "finished_at": report.finished_at,
        "versions": {
            "before": report.index_version_before,
            "after": report.index_version_after,
        },
        "timings": {step: round(seconds, 3) for step, seconds in report.timings.items()},
        "totals": {
            "added": sum(len(d.added) for d in report.diffs),
            "removed": sum(len(d.removed) for d in report.diffs),
            "changed": sum(len(d.changed) for d in report.diffs),
        },
        "lists": {diff.list_id: _list_json(diff) for diff in report.diffs},
        "failures": [failure.to_dict() for failure in report.failures],
        "warnings": [warning.to_dict() for warning in report.warnings],
        "new_alerts": list(report.new_alerts),
    }


# --- report.md ---------------------------------------------------------------------------

_MARKDOWN_SPECIAL = str.maketrans(
    {c: "\\" + c for c in "\\`*_[]{}#|!~"}
    | {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\n": " ", "\r": " "}
)


def md_text(value: Any, limit: int = _MAX_TEXT) -> str:
    """``value`` as inert Markdown text: list data is untrusted and must not become links,
    HTML or table breaks in a CI summary; long values are cut at ``limit`` characters."""
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text.translate(_MARKDOWN_SPECIAL)


def _code(value: str) -> str:
    return "`" + value.replace("`", "'") + "`"


def _version(value: str | None) -> str:
    return _code(value) if value else "none"


def _bounded(lines: list[str], max_entries: int, what: str = "") -> list[str]:
    if len(lines) <= max_entries:
        return lines
    more = len(lines) - max_entries
    return [*lines[:max_entries], f"- ... and {more:,} more{what}"]


def _details(summary: str, lines: list[str], max_entries: int) -> list[str]:
    if not lines:
        return []
    body = _bounded(lines, max_entries, " (all in report.json)")
    return ["<details>", f"<summary>{summary}</summary>", "", *body, "", "</details>", ""]


def _entity_line(diff: ListDiff, entity_id: str) -> str:
    name = diff.names.get(entity_id, "")
    return f"- {_code(entity_id)} {md_text(name)}".rstrip()


def _summary_table(diffs: Sequence[ListDiff]) -> list[str]:
    lines = [
        "| list | previous version | current version | entities before "
        "| entities after | added | removed | changed |",
        "|---|---|---|--:|--:|--:|--:|--:|",
    ]
    for d in diffs:
        lines.append(
            f"| {md_text(d.list_id)} | {_version(d.previous_version)} "
            f"| {_version(d.current_version)} | {d.previous_count:,} | {d.current_count:,} "
            f"| {len(d.added):,} | {len(d.removed):,} | {len(d.changed):,} |"
        )
    return lines


def _changed_fields(change: EntityChange) -> str:
    """ "names (+1/-0), programs (+1/-1)": which fields, and how many values came and went."""
    parts = []
    for name in change.fields:
        delta = change.details[name]
        parts.append(f"{name} (+{len(delta['added'])}/-{len(delta['removed'])})")
    return ", ".join(parts)


def _list_section(diff: ListDiff, max_entries: int) -> list[str]:
    if not diff.has_entity_changes and diff.source_change is None:
        return []
    lines = [f"### {md_text(diff.list_id)}", ""]
    change = diff.source_change
    if change is not None:
        matched = sum(len(ids) for ids in change.matched.values())
        lines += [
            f"**Change of source**: replaces the retired {md_text(change.previous_list)} "
            f"(version {_version(diff.previous_version)}); {len(change.matched):,} of its "
            f"parties matched to {matched:,} entries by {md_text(change.matched_by)}. "
            f"Removed are {md_text(change.previous_list)} entries no entry matches; changed "
            f"are compared on {md_text(', '.join(change.compared_fields))}.",
            "",
        ]
    field_counts = diff.changed_field_counts()
    if field_counts:
        counted = ", ".join(f"{name} {n:,}" for name, n in field_counts.items())
        lines += [f"Changed fields (entities): {counted}", ""]
    added = [_entity_line(diff, i) for i in diff.added]
    removed = [_entity_line(diff, i) for i in diff.removed]
    changed = [f"{_entity_line(diff, c.id)}: {_changed_fields(c)}" for c in diff.changed]
    lines += _details(f"Added: {len(added):,}", added, max_entries)
    lines += _details(f"Removed: {len(removed):,}", removed, max_entries)
    lines += _details(f"Changed: {len(changed):,}", changed, max_entries)
    return lines


def _alert_line(alert: dict[str, Any]) -> str:
    text = "; ".join(f"{key}: {value}" for key, value in alert.items())
    return f"- {md_text(text, 2 * _MAX_TEXT)}"


def render_markdown(report: RefreshReport, max_entries: int = DEFAULT_MAX_ENTRIES) -> str:
    """report.md: a heading with the status, failures, a table per list, then details."""
    partial = " (partial)" if report.partial and report.status is not Status.STOPPED else ""
    lines = [f"## Screening lists refresh: {report.status}{partial}", ""]
    facts = [
        f"Index version {_version(report.index_version_before)} → "
        f"{_version(report.index_version_after)}"
    ]
    if report.started_at:
        facts.append(f"started {md_text(report.started_at)}")
    if report.finished_at:
        facts.append(f"finished {md_text(report.finished_at)}")
    if report.timings:
        facts.append(f"{sum(report.timings.values()):.1f} s in all")
    lines += [", ".join(facts), ""]

    if report.status is Status.STOPPED:
        lines += ["**Publication stopped: the previous version keeps serving.**", ""]
    elif report.partial:
        lines += [
            f"**Partial: {len(report.partial):,} list(s) could not be brought up to date; "
            "the others were refreshed.**",
            "",
        ]
        lines += [f"- {md_text(w.list_id)}: {md_text(w.message, 1000)}" for w in report.partial]
        lines.append("")
    if report.failures:
        lines += ["### Failed checks", ""]
        lines += [f"- {md_text(f.message, 1000)}" for f in report.failures] + [""]
    if report.warnings:
        lines += ["### Warnings", ""]
        lines += [f"- {md_text(w.message, 1000)}" for w in report.warnings] + [""]

    if report.diffs:
        lines += ["### Lists", "", *_summary_table(report.diffs), ""]
    for diff in report.diffs:
        lines += _list_section(diff, max_entries)

    if report.new_alerts:
        lines += [f"### New alerts: {len(report.new_alerts):,}", ""]
        lines += _details(
            "Parties matching the new versions",
            [_alert_line(a) for a in report.new_alerts],
            max_entries,
        )

    if report.timings:
        lines += ["### Timings", "", "| step | seconds |", "|---|--:|"]
        lines += [f"| {md_text(step)} | {s:.2f} |" for step, s in report.timings.items()]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
