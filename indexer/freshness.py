"""How current a list is: the date it is known to be current as of, and where it comes from.

Screening against a list three years old looks exactly like screening against today's,
unless something says how old it is. Many formats carry no date at all (OFAC's CSV,
METI's workbook, DFAT's), so every parsed list is dated, best evidence first:

1. the publication date the file states (``ParsedList.published``);
2. else what the download recorded in ``fetch.json`` beside the files, for exactly those
   bytes (same names, same SHA-256): the publisher's ``Last-Modified``, else the time the
   bytes were first downloaded;
3. else the newest listing date among the records (a designation, a listing date the
   remarks state, an update date): the list is at least that recent.

and the answer says which (:class:`core.model.AsOfSource`). A list none of these dates
is undated, and an undated list is never taken for a current one.

Whether a dated list is *stale* depends on how often its publisher releases it: the
registry's ``cadence_days`` (daily for OFAC and the UK), else a default the service
sets; :func:`freshness` is the one rule the page, ``/v1/lists``, ``/readyz`` and the
metrics share. Dates only: "as of" is a calendar day (UTC), and ages count from its
start.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from email.utils import parsedate_to_datetime
from pathlib import Path

from core.model import AsOfSource, Entity, ParsedList
from indexer.fetch_record import read_record
from indexer.parsers._dates import iso_prefix

# Entity properties that date an event of the listing itself (parsers' keys), beside
# ``listed_on``: an update of the record, a designation under another name.
LISTING_DATE_PROPERTIES = frozenset(
    {"last_day_updated", "last_update", "last_updated", "uk_date_designated"}
)
LISTING_DATE_PREFIXES = ("listing_date",)
# A listing date written into a remark: "Listing Date (EO 14024 Directive 2): 24 Feb 2022".
_LISTING_REMARK = re.compile(r"^Listing Date\b[^:]*:\s*(.+)$", re.I)
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def date_list(parsed: ParsedList, today: date | None = None) -> None:
    """Set ``parsed.as_of`` and ``parsed.as_of_source`` (see the module docstring)."""
    if parsed.published is not None:
        parsed.as_of, parsed.as_of_source = parsed.published, AsOfSource.PUBLISHER
        return
    downloaded = download_date(parsed)
    if downloaded is not None:
        parsed.as_of, parsed.as_of_source = downloaded
        return
    newest = newest_record_date(parsed.entities, today or datetime.now(UTC).date())
    if newest is not None:
        parsed.as_of, parsed.as_of_source = newest, AsOfSource.NEWEST_RECORD
        return
    parsed.as_of, parsed.as_of_source = None, None


def download_date(parsed: ParsedList) -> tuple[date, AsOfSource] | None:
    """The Last-Modified (else the download time) that ``fetch.json`` records for the
    very files the list was read from; None when no record describes them."""
    if not parsed.files:
        return None
    folders = {Path(f.path).parent for f in parsed.files}
    if len(folders) != 1:
        return None
    record = read_record(folders.pop())
    if record is None or record.list_id != parsed.list_id:
        return None
    by_name = {r.file.lower(): r for r in record.files}
    records = []
    for source in parsed.files:
        found = by_name.get(Path(source.path).name.lower())
        if found is None or found.sha256 != source.sha256:
            return None  # the files were replaced since: the record is not theirs
        records.append(found)
    modified = [_http_date(r.last_modified) for r in records if r.last_modified]
    if modified and all(modified):
        return max(d for d in modified if d), AsOfSource.LAST_MODIFIED
    fetched = [_iso_date(r.fetched_at) for r in records]
    if fetched and all(fetched):
        return max(d for d in fetched if d), AsOfSource.FETCHED
    return None


def _http_date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return parsedate_to_datetime(text).astimezone(UTC).date()
    except (TypeError, ValueError, IndexError):
        return None


def _iso_date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.date()


def _full_date(text: str) -> date | None:
    """A full ISO date at the start of ``text`` ("2022-02-24", "2022-02-24T..."); partial
    dates ("2022") do not date a list."""
    m = _ISO_DAY.match(text.strip())
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def record_dates(entity: Entity) -> Iterator[date]:
    """The full dates of listing events one entity states (see LISTING_DATE_PROPERTIES)."""
    if entity.listed_on:
        found = _full_date(entity.listed_on)
        if found:
            yield found
    for key, values in entity.properties.items():
        dated_key = key in LISTING_DATE_PROPERTIES or key.startswith(LISTING_DATE_PREFIXES)
        for value in values:
            text = value
            if not dated_key:
                m = _LISTING_REMARK.match(value)
                if not m:
                    continue
                text = m[1]
            found = _full_date(text) or _full_date(iso_prefix(text) or "")
            if found:
                yield found


def newest_record_date(entities: Iterable[Entity], not_after: date) -> date | None:
    """The newest listing date of any record, ignoring dates after ``not_after`` (a
    typing error in a record must not make a list look current)."""
    newest: date | None = None
    for entity in entities:
        for found in record_dates(entity):
            if found <= not_after and (newest is None or found > newest):
                newest = found
    return newest


@dataclass(frozen=True, slots=True)
class Freshness:
    """How current one loaded list is, as every part of the service shows it."""

    as_of: date | None
    source: str | None  # an AsOfSource value; None: undated
    age_days: int | None
    age_seconds: float | None
    stale_after_days: int
    stale: bool

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS.get(self.source or "", "undated")


SOURCE_LABELS = {
    AsOfSource.PUBLISHER.value: "the publisher's date",
    AsOfSource.LAST_MODIFIED.value: "the publisher's server (Last-Modified)",
    AsOfSource.FETCHED.value: "the download time",
    AsOfSource.NEWEST_RECORD.value: "its newest dated record",
}


def freshness(
    as_of: date | None, source: str | None, stale_after_days: int, now: datetime
) -> Freshness:
    """Age and staleness: stale when older than ``stale_after_days`` full days, or undated."""
    if as_of is None:
        return Freshness(None, None, None, None, stale_after_days, True)
    start = datetime.combine(as_of, time(0), tzinfo=UTC)
    seconds = max(0.0, (now - start).total_seconds())
    days = (now.astimezone(UTC).date() - as_of).days
    return Freshness(as_of, source, days, seconds, stale_after_days, days > stale_after_days)


def stale_after_days(cadence_days: int | None, default_days: int, grace_days: int) -> int:
    """Days after which a list is stale: its publisher's cadence plus ``grace_days`` (a
    weekend, a publisher's late run), or ``default_days`` for a list with no cadence."""
    return cadence_days + grace_days if cadence_days is not None else default_days
