"""Display pieces of the entity page and the list status panel, from the entity model and
the engine's index info: names grouped by role, dates as the list states them, list
versions with their age. Kept out of the templates so the rules are testable as Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.model import Address, DateKind, DateValue, Entity, Name, NameRole
from core.scripts import detect_script
from engines.base import IndexInfo, ListInfo
from indexer.freshness import Freshness
from service.page.explain import ROLE_LABELS, script_name

ROLE_ORDER = (
    NameRole.PRIMARY,
    NameRole.ORIGINAL_SCRIPT,
    NameRole.AKA,
    NameRole.FKA,
    NameRole.WEAK,
)
ROLE_HEADINGS = {
    NameRole.PRIMARY: "Primary name",
    NameRole.ORIGINAL_SCRIPT: "Original script",
    NameRole.AKA: "Also known as",
    NameRole.FKA: "Formerly known as",
    NameRole.WEAK: "Low-quality aliases",
}

KIND_LABELS = {
    "person": "Person",
    "organization": "Organisation",
    "vessel": "Vessel",
    "aircraft": "Aircraft",
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


def date_text(date: DateValue) -> str:
    """A date as the list states it: its own wording when it has one."""
    if date.kind is DateKind.RANGE and date.end:
        shown = f"{date.value} to {date.end}"
    elif date.kind is DateKind.CIRCA:
        shown = f"circa {date.value}"
    else:
        shown = date.value
    if date.text and date.text.strip() not in (shown, date.value):
        return f"{shown} (listed as “{date.text.strip()}”)"
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
    as_of: str | None
    as_of_source: str  # in words: "the publisher's date", "its newest dated record", ...
    age_days: int | None
    stale_after_days: int
    stale: bool
    entities: int
    loaded_at: str


def list_status(item: ListInfo, freshness: Freshness) -> ListStatus:
    return ListStatus(
        id=item.id,
        title=item.title,
        publisher=item.publisher,
        version=item.version,
        published=item.published.isoformat() if item.published else None,
        as_of=freshness.as_of.isoformat() if freshness.as_of else None,
        as_of_source=freshness.source_label,
        age_days=freshness.age_days,
        stale_after_days=freshness.stale_after_days,
        stale=freshness.stale,
        entities=item.entities,
        loaded_at=item.loaded_at.strftime("%Y-%m-%d %H:%M UTC"),
    )


def lists_status(info: IndexInfo, freshness: dict[str, Freshness]) -> list[ListStatus]:
    return [list_status(item, freshness[item.id]) for item in info.lists]


def entity_role_label(role: str | None) -> str:
    return ROLE_LABELS.get(role or "", role or "")


def entity_summary(entity: Entity) -> str:
    """Kind, first birth date and nationalities in one line, for result cards."""
    parts = [KIND_LABELS.get(entity.kind.value, entity.kind.value)]
    if entity.birth_dates:
        parts.append("born " + date_text(entity.birth_dates[0]))
    countries = [c.name for c in entity.nationalities or entity.citizenships]
    if countries:
        parts.append(", ".join(countries[:3]))
    return " · ".join(parts)
