"""What changed in a list between the published version and a new one, keyed by entity id.

The nightly refresh must tell an officer *what* the publisher changed (a name added, a date
of birth corrected, a program dropped), not merely that a file's bytes differ, and it must
tell the index which entities to re-index and which parties to re-screen. So the diff works
on the parsed entity model, keyed by the stable entity id the publisher keeps across
versions, and compares field by field.

Comparison is by *sets of canonical JSON*: every value of a field is serialised with sorted
keys, and a field's values form a set. This makes the diff blind to the order in which a
publisher happens to write aliases or addresses this time, and to duplicated values; only
the presence or absence of a value counts.

Decisions a reader of the report should know:

* **Names** are compared as the set of (full name, role) pairs. A role change (an a.k.a.
  becoming the primary name, a strong alias demoted to weak) *is* a change, because
  screening weighs roles differently; it shows as the pair with the old role removed and
  the pair with the new role added. The parsed name parts (given, family, script, language)
  are derived from the full name and are not compared separately.
* **Scalar fields** (kind, listed_on, ends_on, remarks, gender) are sets of zero or one value, so a
  change reads as the old value removed and the new one added.
* **Properties** are compared as a set of {"key", "value"} pairs.
* ``source_url`` and ``list_id`` are not compared: they come from the registry, not from
  what the publisher says about the entity.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, TypedDict

from core.model import Entity, ParsedList

# The fields compared, in the order they are reported.
COMPARED_FIELDS: tuple[str, ...] = (
    "names",
    "kind",
    "birth_dates",
    "birth_places",
    "nationalities",
    "citizenships",
    "addresses",
    "identifiers",
    "programs",
    "listed_on",
    "ends_on",
    "remarks",
    "gender",
    "properties",
)

_HASH_CHARS = 8
_DIGITS = re.compile(r"(\d+)")


class FieldDelta(TypedDict):
    """The values of one field present only in the new version, and only in the old one."""

    added: list[Any]
    removed: list[Any]


@dataclass(frozen=True, slots=True)
class EntityChange:
    """An entity present in both versions whose compared fields differ."""

    id: str
    fields: list[str]
    details: dict[str, FieldDelta]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "fields": list(self.fields), "details": dict(self.details)}


@dataclass(frozen=True, slots=True)
class SourceChange:
    """The list replaced a retired one in this version: ``previous_list``'s entities were
    matched to this list's by the property ``matched_by`` (:mod:`indexer.succession`);
    ``matched`` maps each old entity id to the new ids of the same party."""

    previous_list: str
    matched_by: str
    matched: dict[str, list[str]] = field(default_factory=dict)
    compared_fields: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": self.previous_list,
            "matched_by": self.matched_by,
            "matched": sum(len(ids) for ids in self.matched.values()),
            "matched_previous": len(self.matched),
            "compared_fields": list(self.compared_fields),
            "mapping": {old: list(new) for old, new in self.matched.items()},
        }


@dataclass(slots=True)
class ListDiff:
    """The difference between two versions of one list (``previous`` None: first version).

    ``names`` maps every reported id to its primary name (the new version's for added and
    changed entities, the old version's for removed ones), so a report can show who an id
    is without keeping both lists in memory. ``source_change`` is set when the previous
    version was another, retired list (removed ids are then that list's).
    """

    list_id: str
    previous_version: str | None
    current_version: str
    previous_count: int
    current_count: int
    previous_published: str | None = None
    current_published: str | None = None
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[EntityChange] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    source_change: SourceChange | None = None

    @property
    def has_entity_changes(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    @property
    def version_changed(self) -> bool:
        return self.previous_version != self.current_version

    def changed_field_counts(self) -> dict[str, int]:
        """How many changed entities touch each field, in :data:`COMPARED_FIELDS` order."""
        counts = {name: 0 for name in COMPARED_FIELDS}
        for change in self.changed:
            for name in change.fields:
                counts[name] += 1
        return {name: n for name, n in counts.items() if n}


def canonical_json(value: Any) -> str:
    """One spelling per value: sorted keys, no insignificant whitespace, UTF-8 kept."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _scalar(value: Any) -> list[Any]:
    return [] if value is None else [value]


def _dicts(values: Iterable[Any]) -> list[Any]:
    return [asdict(v) for v in values]


# How each compared field is turned into a list of JSON-ready values; the diff then treats
# each list as a set of their canonical JSON.
_FIELD_VALUES: dict[str, Callable[[Entity], list[Any]]] = {
    "names": lambda e: [{"full": n.full, "role": str(n.role)} for n in e.names],
    "kind": lambda e: [str(e.kind)],
    "birth_dates": lambda e: _dicts(e.birth_dates),
    "birth_places": lambda e: _dicts(e.birth_places),
    "nationalities": lambda e: _dicts(e.nationalities),
    "citizenships": lambda e: _dicts(e.citizenships),
    "addresses": lambda e: _dicts(e.addresses),
    "identifiers": lambda e: _dicts(e.identifiers),
    "programs": lambda e: list(e.programs),
    "listed_on": lambda e: _scalar(e.listed_on),
    "ends_on": lambda e: _scalar(e.ends_on),
    "remarks": lambda e: _scalar(e.remarks),
    "gender": lambda e: _scalar(e.gender),
    "properties": lambda e: [
        {"key": key, "value": value} for key, values in e.properties.items() for value in values
    ],
}


def field_values(
    entity: Entity, name: str, ignore_properties: frozenset[str] = frozenset()
) -> set[str]:
    """The canonical JSON of each value of field ``name`` of ``entity``, as a set."""
    values = _FIELD_VALUES[name](entity)
    if name == "properties" and ignore_properties:
        values = [v for v in values if v["key"] not in ignore_properties]
    return {canonical_json(v) for v in values}


def compare_entities(
    old: Entity,
    new: Entity,
    ignore_properties: frozenset[str] = frozenset(),
    fields: tuple[str, ...] = COMPARED_FIELDS,
) -> EntityChange | None:
    """The change from ``old`` to ``new`` (same id), or None when no compared field differs.

    ``ignore_properties`` names property keys left out of the comparison, for facts a
    publisher adds to every record at once (the UN added ``INTERPOL_LINK`` to its file in
    2026, which otherwise reads as hundreds of changed entities). ``fields``: the fields
    compared (all of :data:`COMPARED_FIELDS` unless a caller narrows them).
    """
    if old.id != new.id:
        raise ValueError(f"cannot compare different entities {old.id!r} and {new.id!r}")
    details: dict[str, FieldDelta] = {}
    for name in fields:
        before = field_values(old, name, ignore_properties)
        after = field_values(new, name, ignore_properties)
        if before != after:
            details[name] = FieldDelta(
                added=[json.loads(v) for v in sorted(after - before)],
                removed=[json.loads(v) for v in sorted(before - after)],
            )
    if not details:
        return None
    return EntityChange(id=new.id, fields=list(details), details=details)


def entity_fingerprint(entity: Entity) -> str:
    """SHA-256 of the entity's canonical JSON, blind to the order of its multi-valued fields.

    Equal fingerprints mean the parsed entity is identical in every field (including the
    name parts and ``source_url`` the diff does not compare), so the index can skip
    re-indexing it; a different fingerprint means "look closer", not necessarily a change
    the diff reports.
    """
    data = entity.to_dict()
    for key, value in data.items():
        if isinstance(value, list):
            data[key] = sorted(value, key=canonical_json)
    data["properties"] = {k: sorted(v) for k, v in data["properties"].items()}
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


def list_version(parsed: ParsedList) -> str:
    """A version string for a parsed list: "<publication date>+<hash>", or "<hash>" alone.

    The hash is the first 8 hex digits of a SHA-256 over the source files' names (lower
    case, without folders, since the same file is read from a staging folder one night
    and the published one the next) and their SHA-256, so two downloads of the same bytes
    give the same version and a republication under the same date does not. A list built
    without source files (a hand-made list) is hashed over its entities' fingerprints.
    """
    digest = hashlib.sha256()
    if parsed.files:
        for name, sha in sorted(
            (f.path.replace("\\", "/").rsplit("/", 1)[-1].lower(), f.sha256) for f in parsed.files
        ):
            digest.update(f"{name}\0{sha}\n".encode())
    else:
        for fingerprint in sorted(entity_fingerprint(e) for e in parsed.entities):
            digest.update(f"{fingerprint}\n".encode())
    short = digest.hexdigest()[:_HASH_CHARS]
    return f"{parsed.published.isoformat()}+{short}" if parsed.published else short


def natural_key(entity_id: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key ordering "sdn:99" before "sdn:100" and "QDi.9" before "QDi.10"."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part) for part in _DIGITS.split(entity_id) if part
    )


def _by_id(parsed: ParsedList) -> dict[str, Entity]:
    entities: dict[str, Entity] = {}
    for entity in parsed.entities:
        if entity.id in entities:
            raise ValueError(f"{parsed.list_id}: entity id {entity.id!r} appears twice")
        entities[entity.id] = entity
    return entities


def diff_lists(
    previous: ParsedList | None,
    current: ParsedList,
    ignore_properties: frozenset[str] = frozenset(),
) -> ListDiff:
    """Entities added, removed and changed from ``previous`` to ``current``.

    ``previous`` None is a list's first publication: every entity is added. Ids are
    reported in natural order so a report reads the same from one run to the next.
    ``ignore_properties``: see :func:`compare_entities` (default: every property counts).
    """
    if previous is not None and previous.list_id != current.list_id:
        raise ValueError(f"cannot diff list {previous.list_id!r} against list {current.list_id!r}")
    old = _by_id(previous) if previous is not None else {}
    new = _by_id(current)
    diff = ListDiff(
        list_id=current.list_id,
        previous_version=list_version(previous) if previous is not None else None,
        current_version=list_version(current),
        previous_count=len(old),
        current_count=len(new),
        previous_published=(
            previous.published.isoformat() if previous and previous.published else None
        ),
        current_published=current.published.isoformat() if current.published else None,
        added=sorted(new.keys() - old.keys(), key=natural_key),
        removed=sorted(old.keys() - new.keys(), key=natural_key),
    )
    for entity_id in sorted(new.keys() & old.keys(), key=natural_key):
        change = compare_entities(old[entity_id], new[entity_id], ignore_properties)
        if change is not None:
            diff.changed.append(change)
    for entity_id in diff.added:
        diff.names[entity_id] = new[entity_id].primary_name
    for entity_id in diff.removed:
        diff.names[entity_id] = old[entity_id].primary_name
    for change in diff.changed:
        diff.names[change.id] = new[change.id].primary_name
    return diff
