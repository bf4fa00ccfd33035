"""The nightly refresh: fetch, parse, check, diff, publish — or stop and say why.

One run takes every list either from local paths (``--list ID=PATH``, what tests and
air-gapped sites use) or by fetching the official files (conditional requests: a list
the publisher did not change costs one short request and is not parsed or re-indexed).
Each new list version is checked against the published one (:mod:`indexer.checks`) and
diffed against it (:mod:`indexer.diff`); only when every check passes is the new index
version built and swapped in, in one step, by the :class:`Publisher`. Any failure
leaves the published version serving and is reported: the report (:mod:`indexer.report`)
is the run's only output, and its status decides the exit status of the command.

Lists the run does not touch (not named by ``--list``, or kept after a failed download
with ``on_list_error="keep-previous"``) are carried into the new version unchanged; a
run that kept a list that way is *partial* (the report says which list and why; the
command exits 3). A list that succeeds a published retired one (``uk-fcdo`` after
``gb-ofsi``) replaces it, diffed as a change of source (:mod:`indexer.succession`).
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from core.model import ParsedList
from indexer.checks import Check, CheckFailure, CheckSettings, ListSummary, run_checks, unreadable
from indexer.diff import ListDiff, diff_lists, list_version
from indexer.download import DownloadSettings
from indexer.fetch import FetchResult, fetch_lists
from indexer.publishers import (
    IndexUnavailable,
    PublishedIndex,
    Publisher,
    PublisherLocked,
    PublishError,
)
from indexer.registry import ListSource, current_ids, load_registry, parse_source, registry_path
from indexer.report import RefreshReport, Status, decide_status, render_markdown, report_json
from indexer.state import StateLocked
from indexer.succession import diff_source_change

OnListError = Literal["fail", "keep-previous"]


class RefreshConfigError(Exception):
    """The refresh was asked for something impossible (unknown list, ...): exit status 2."""


@dataclass(frozen=True, slots=True)
class RefreshOptions:
    """What one refresh run does.

    ``local`` non-empty: read those lists from local paths and fetch nothing. Otherwise
    fetch ``fetch_ids`` (None: every list of the registry) into ``downloads``.
    """

    local: Sequence[tuple[str, Path]] = ()
    fetch_ids: Sequence[str] | None = None
    downloads: Path | None = None
    download_settings: DownloadSettings = field(default_factory=DownloadSettings)
    registry_file: Path | None = None
    on_list_error: OnListError = "fail"
    checks: CheckSettings = field(default_factory=CheckSettings)
    ignore_properties: frozenset[str] = frozenset()


@dataclass(slots=True)
class RefreshResult:
    """The report, and what re-screening needs: the lists parsed this run (by id) and
    the published index after the run (to read the lists carried over)."""

    report: RefreshReport
    parsed: dict[str, ParsedList] = field(default_factory=dict)
    published: PublishedIndex | None = None
    message: str = ""


class _Stages:
    """Seconds per stage, in the order the stages ran."""

    def __init__(self, timings: dict[str, float]) -> None:
        self.timings = timings

    @contextlib.contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - started


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _unchanged_diff(summary: ListSummary) -> ListDiff:
    """The diff of a list carried over: same version, no entity changes."""
    version = summary.version or ""
    published = summary.published.isoformat() if summary.published else None
    return ListDiff(
        list_id=summary.list_id,
        previous_version=version,
        current_version=version,
        previous_count=summary.entity_count,
        current_count=summary.entity_count,
        previous_published=published,
        current_published=published,
    )


def run_refresh(publisher: Publisher, options: RefreshOptions) -> RefreshResult:
    """One refresh (see the module docstring). Never raises for a list's trouble: that is
    a failure in the report. Raises :class:`RefreshConfigError` for a bad request."""
    registry = load_registry(options.registry_file or registry_path())
    wanted = [list_id for list_id, _ in options.local] or list(
        options.fetch_ids or current_ids(registry)
    )
    unknown = [list_id for list_id in wanted if list_id not in registry]
    if unknown:
        raise RefreshConfigError(
            f"unknown list id {', '.join(unknown)}; known: {', '.join(registry)}"
        )
    if len(wanted) != len(set(wanted)):
        raise RefreshConfigError(f"a list is given twice: {', '.join(wanted)}")
    for list_id in wanted:
        successor = registry[list_id].successor
        if successor in wanted:
            raise RefreshConfigError(
                f"{list_id} is retired and {successor} succeeds it: refresh one of them, "
                "not both (the index would hold every UK party twice)"
            )
    if not options.local and options.downloads is None:
        raise RefreshConfigError("fetching lists needs a downloads folder")

    report = RefreshReport(status=Status.UNCHANGED, diffs=[], started_at=_now())
    result = RefreshResult(report)
    stage = _Stages(report.timings)
    try:
        with publisher.lock():
            _run_locked(publisher, options, registry, wanted, result, stage)
    except (StateLocked, PublisherLocked) as exc:
        report.failures.append(CheckFailure("*", Check.LOCKED, str(exc)))
        report.status = Status.STOPPED
    except IndexUnavailable as exc:
        _unavailable(result, exc)
    report.finished_at = _now()
    result.message = _message(result)
    return result


def _unavailable(result: RefreshResult, exc: IndexUnavailable) -> None:
    """The store failed outside publish(): reading the published version (the run stops,
    nothing was published) or releasing the lock after a publication (which stands: the
    alias or pointer already moved, so it is a warning)."""
    report = result.report
    problem = CheckFailure("*", Check.UNAVAILABLE, str(exc))
    if report.status is Status.PUBLISHED and report.index_version_after is not None:
        report.warnings.append(problem)
        return
    report.failures.append(problem)
    report.status = Status.STOPPED
    report.index_version_after = report.index_version_before


def _run_locked(
    publisher: Publisher,
    options: RefreshOptions,
    registry: dict[str, ListSource],
    wanted: list[str],
    result: RefreshResult,
    stage: _Stages,
) -> None:
    report = result.report
    with stage("read_published"):
        before = publisher.current()
    summaries = before.summaries() if before else {}
    report.index_version_before = before.index_version if before else None
    for list_id in wanted:
        successor = registry[list_id].successor
        if successor is not None and successor in summaries:
            raise RefreshConfigError(
                f"{list_id} is retired and its successor {successor} is published: "
                f"{list_id} cannot be published beside it (read archived files with "
                "`screening lists inspect`)"
            )

    paths: dict[str, Path] = dict(options.local)
    errors: dict[str, str] = {}
    unchanged_fetches: set[str] = set()
    if not options.local:
        assert options.downloads is not None
        with stage("fetch"):
            fetched = fetch_lists(
                wanted,
                options.downloads,
                settings=options.download_settings,
                registry_file=options.registry_file or registry_path(),
            )
        for item in fetched:
            if item.outcome == "failed":
                errors[item.list_id] = f"download failed: {item.error}"
            else:
                paths[item.list_id] = options.downloads / item.list_id
                if item.outcome == "unchanged" and _published_from(item, summaries, before):
                    unchanged_fetches.add(item.list_id)

    parsed: dict[str, ParsedList] = {}
    with stage("parse"):
        for list_id in wanted:
            if list_id in errors or list_id in unchanged_fetches:
                continue
            try:
                parsed[list_id] = parse_source(registry[list_id], paths[list_id])
            except Exception as exc:  # any parser failure is this list's, not the run's
                errors[list_id] = f"{type(exc).__name__}: {exc}"

    for list_id, error in errors.items():
        failure = unreadable(list_id, error)
        if options.on_list_error == "keep-previous":
            fate = "the previous version is kept" if list_id in summaries else "it is left out"
            report.warnings.append(
                CheckFailure(list_id, failure.check, f"{failure.message}; {fate}")
            )
        else:
            report.failures.append(failure)

    # A list published for the first time that succeeds a published retired list.
    replaces = {
        list_id: succession.list_id
        for list_id in parsed
        if (succession := registry[list_id].succeeds) is not None
        and list_id not in summaries
        and succession.list_id in summaries
    }
    with stage("check"):
        for list_id, new in parsed.items():
            previous_summary = summaries.get(list_id)
            if list_id in replaces:  # the predecessor's count, not its date or version
                old = summaries[replaces[list_id]]
                previous_summary = ListSummary(list_id, None, old.entity_count)
            report.failures += run_checks(previous_summary, new, options.checks)

    changed: dict[str, ParsedList] = {}
    replaced = set(replaces.values())
    with stage("diff"):
        for list_id in sorted((set(summaries) - replaced) | set(parsed)):
            new_list = parsed.get(list_id)
            summary = summaries.get(list_id)
            if new_list is None or (summary and summary.version == list_version(new_list)):
                if summary is not None:
                    report.diffs.append(_unchanged_diff(summary))
                continue
            if list_id in replaces and before is not None:
                succession = registry[list_id].succeeds
                assert succession is not None
                report.diffs.append(
                    diff_source_change(before.load(replaces[list_id]), new_list, succession)
                )
            else:
                previous = before.load(list_id) if before and summary else None
                report.diffs.append(diff_lists(previous, new_list, options.ignore_properties))
            changed[list_id] = new_list

    report.status = decide_status(report.diffs, report.failures)
    result.parsed = changed
    if report.status is not Status.PUBLISHED:
        report.index_version_after = report.index_version_before
        result.published = before
        return
    kept = sorted(set(summaries) - set(changed) - replaced)
    with stage("publish"):
        try:
            publish_timings: dict[str, float] = {}
            new_version = publisher.publish(list(changed.values()), kept, publish_timings)
        except PublishError as exc:
            report.failures.append(CheckFailure("*", Check.PUBLISH_FAILED, str(exc)))
            report.status = Status.STOPPED
            report.index_version_after = report.index_version_before
            result.published = before
            return
    for step, seconds in publish_timings.items():
        report.timings[f"publish.{step}"] = seconds
    report.index_version_after = new_version
    result.published = publisher.current()


def _published_from(
    item: FetchResult, summaries: dict[str, ListSummary], before: PublishedIndex | None
) -> bool:
    """True when every file answered 304 and the published list was built from exactly
    those files (same names and SHA-256): the list need not be parsed again."""
    summary = summaries.get(item.list_id)
    if before is None or summary is None:
        return False
    files = before.files(item.list_id)
    fetched = {(f.file.lower(), f.sha256) for f in item.files}
    return bool(fetched) and {(name.lower(), sha) for name, sha in files} == fetched


def _message(result: RefreshResult) -> str:
    report = result.report
    if report.status is Status.STOPPED:
        reasons = "; ".join(f.message for f in report.failures)
        return f"stopped: the published version keeps serving: {reasons}"
    if report.status is Status.UNCHANGED:
        return (
            f"no change: index version {report.index_version_before} keeps serving"
            + _partial_note(report)
        )
    counts = ", ".join(
        f"{d.list_id}{_source_note(d)} +{len(d.added)} -{len(d.removed)} ~{len(d.changed)}"
        for d in report.diffs
        if d.version_changed
    )
    message = (
        f"published index version {report.index_version_after} "
        f"(was {report.index_version_before}): {counts}"
    )
    return message + _partial_note(report)


def _source_note(diff: ListDiff) -> str:
    change = diff.source_change
    if change is None:
        return ""
    return f" (replaces {change.previous_list}: {len(change.matched):,} parties matched)"


def _partial_note(report: RefreshReport) -> str:
    if not report.partial:
        return ""
    kept = "; ".join(w.message for w in report.partial)
    return f"; partial: {kept}"


def write_report(report: RefreshReport, folder: Path) -> tuple[Path, Path]:
    """report.json and report.md in ``folder``, each replaced whole (a CI job reading them
    never sees half a report)."""
    folder.mkdir(parents=True, exist_ok=True)
    json_path, md_path = folder / "report.json", folder / "report.md"
    _write_text(json_path, json.dumps(report_json(report), indent=2, ensure_ascii=False) + "\n")
    _write_text(md_path, render_markdown(report))
    return json_path, md_path


def _write_text(path: Path, text: str) -> None:
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
