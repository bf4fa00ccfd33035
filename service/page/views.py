"""Display pieces of the entity page and the list status panel, from the entity model and
the engine's index info: names grouped by role, dates as the list states them, list
versions with their age, the publisher's official page of each listing (from the list
registry when the list file gives none). Kept out of the templates so the rules are
testable as Python. Headings and labels are English catalogue messages (``N_``) that the
templates translate; list data (names, places, remarks) is shown as the list writes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from core.model import Address, DateKind, DateValue, Entity, Name, NameRole
from core.scripts import detect_script
from engines.base import IndexInfo, ListInfo
from indexer.errors import ListError
from indexer.registry import get_source
from service.i18n import ENGLISH, Messages
from service.metrics import list_age_days
from service.outcomes import N_
from service.page.explain import ROLE_LABELS, script_name

ROLE_ORDER = (
    NameRole.PRIMARY,
    NameRole.ORIGINAL_SCRIPT,
    NameRole.AKA,
    NameRole.FKA,
    NameRole.WEAK,
)
ROLE_HEADINGS = {
    NameRole.PRIMARY: N_("Primary name"),
    NameRole.ORIGINAL_SCRIPT: N_("Original script"),
    NameRole.AKA: N_("Also known as"),
    NameRole.FKA: N_("Formerly known as"),
    NameRole.WEAK: N_("Low-quality aliases (so the list calls them)"),
}

KIND_LABELS = {
    "person": N_("Person"),
    "organization": N_("Organisation"),
    "vessel": N_("Vessel"),
    "aircraft": N_("Aircraft"),
}


@dataclass(frozen=True, slots=True)
class NameLine:
    text: str
    script: str | None  # a script name, shown when not Latin
    lang: str | None


@dataclass(frozen=True, slots=True)
class NameGroup:
    heading: str
    names: tuple[NameLine, ...]


def _name_line(name: Name) -> NameLine:
    code = name.script or detect_script(name.full)
    return NameLine(name.full, script_name(code) if code and code != "Latn" else None, name.lang)


def name_groups(names: Sequence[Name]) -> list[NameGroup]:
    """Names by role, in the order an officer reads them: primary, as written, aliases."""
    groups: list[NameGroup] = []
    for role in ROLE_ORDER:
        # A list may repeat a name within a role (two sources of one alias): show it once.
        lines = tuple(dict.fromkeys(_name_line(n) for n in names if n.role is role).keys())
        if lines:
            groups.append(NameGroup(ROLE_HEADINGS[role], lines))
    return groups


def date_text(date: DateValue, messages: Messages = ENGLISH) -> str:
    """A date as the list states it: its own wording when it has one."""
    if date.kind is DateKind.RANGE and date.end:
        shown = messages.tr("{start} to {end}", start=date.value, end=date.end)
    elif date.kind is DateKind.CIRCA:
        shown = messages.tr("circa {date}", date=date.value)
    else:
        shown = date.value
    if date.text and date.text.strip() not in (shown, date.value):
        return messages.tr("{date} (listed as “{text}”)", date=shown, text=date.text.strip())
    return shown


def address_text(address: Address) -> str:
    if address.full:
        parts = [address.full]
        if address.country and address.country not in address.full:
            parts.append(address.country)
        return ", ".join(parts)
    fields = (
        address.street,
        address.city,
        address.region,
        address.postal_code,
        address.country,
    )
    return ", ".join(f for f in fields if f)


def property_label(key: str) -> str:
    return key.replace("_", " ").capitalize()


@dataclass(frozen=True, slots=True)
class ListStatus:
    id: str
    title: str
    publisher: str
    version: str
    published: str | None
    age_days: int | None
    stale: bool
    entities: int
    loaded_at: str
    homepage: str | None  # the publisher's page of the list, from the registry


def _registry_entry(list_id: str) -> tuple[str | None, str | None]:
    """(record address template, list homepage) of a list in the registry."""
    try:
        source = get_source(list_id)
    except ListError:
        return None, None
    return source.source_url, source.homepage


def list_status(item: ListInfo, now: datetime, max_age_days: int) -> ListStatus:
    age = list_age_days(item.published, now) if item.published else None
    return ListStatus(
        id=item.id,
        title=item.title,
        publisher=item.publisher,
        version=item.version,
        published=item.published.isoformat() if item.published else None,
        age_days=age,
        stale=age is not None and age > max_age_days,
        entities=item.entities,
        loaded_at=item.loaded_at.strftime("%Y-%m-%d %H:%M UTC"),
        homepage=_registry_entry(item.id)[1],
    )


def lists_status(info: IndexInfo, now: datetime, max_age_days: int) -> list[ListStatus]:
    return [list_status(item, now, max_age_days) for item in info.lists]


def entity_role_label(role: str | None) -> str:
    return ROLE_LABELS.get(role or "", role or "")


@dataclass(frozen=True, slots=True)
class SourceLink:
    """Where the publisher shows a listing: its own record page, or the list's page."""

    url: str
    label: str  # an English catalogue message
    publisher: str


def source_link(entity: Entity, listed: ListInfo | None) -> SourceLink | None:
    """The listing's official address: as the list file gives it, else the registry's
    address for the record, else the registry's page of the whole list."""
    template, homepage = _registry_entry(entity.list_id)
    publisher = listed.publisher if listed else entity.list_id
    record_id = entity.id.split(":", 1)[1] if ":" in entity.id else entity.id
    if entity.source_url:
        url = entity.source_url
    elif template:
        url = template.replace("{record_id}", record_id)
    elif homepage:
        url = homepage
    else:
        return None
    # The registry's address without a record id is the whole list's page, not the record's.
    specific = url not in (homepage, template)
    label = N_("Official listing") if specific else N_("Publisher's list page")
    return SourceLink(url, label, publisher)


def entity_summary(entity: Entity, messages: Messages = ENGLISH) -> str:
    """Kind, first birth date and nationalities in one line, for result cards."""
    kind = KIND_LABELS.get(entity.kind.value)
    parts = [messages.gettext(kind) if kind else entity.kind.value]
    if entity.birth_dates:
        born = date_text(entity.birth_dates[0], messages)
        parts.append(messages.tr("born {date}", date=born))
    countries = [c.name for c in entity.nationalities or entity.citizenships]
    if countries:
        parts.append(", ".join(countries[:3]))
    return " · ".join(parts)
