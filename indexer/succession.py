"""A list replaced by its successor: the first refresh across two formats as a change of
source, not as every party removed and added again.

OFSI closed its consolidated list (``gb-ofsi``) on 28 January 2026; the FCDO's UK
Sanctions List (``uk-fcdo``) is the UK's list since. An installation that served
``gb-ofsi`` must move to ``uk-fcdo`` without losing what it knows: which parties were
already listed (re-screening must not raise thousands of "new" alerts), which are new,
which are gone. The registry says which list succeeds which and how their parties are
found again (``[lists.uk-fcdo.succeeds]``: the new entity's property ``ofsi_group_id``
holds the old entity's record id, OFSI's Group ID). One OFSI group may be several FCDO
designations (one per regime), so an old party maps to a list of new ones.

The two lists write the same party differently (OFSI packs facts into "Other
Information", names regimes in short, dates "00/00/1958"), so matched parties are
compared on what screening uses and both formats state alike (:data:`COMPARED_FIELDS`,
dates by value, identifiers by type and number); a difference there is a real one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from core.model import DateValue, Entity, Identifier, ParsedList
from indexer.diff import ListDiff, SourceChange, compare_entities, list_version, natural_key
from indexer.registry import Succession

# The fields compared across a change of source: what screening uses, in a form both
# formats state alike (regimes, remarks, properties and listing dates are each format's).
COMPARED_FIELDS: tuple[str, ...] = (
    "names",
    "kind",
    "birth_dates",
    "birth_places",
    "nationalities",
    "citizenships",
    "addresses",
    "identifiers",
    "gender",
    "ends_on",
)


def match_parties(
    previous: ParsedList, current: ParsedList, match_property: str
) -> dict[str, list[str]]:
    """Old entity id -> the new entity ids whose ``match_property`` holds its record id."""
    old_ids = {entity.id for entity in previous.entities}
    matched: dict[str, list[str]] = {}
    for entity in current.entities:
        for record_id in entity.properties.get(match_property, []):
            old_id = f"{previous.list_id}:{record_id}"
            if old_id in old_ids and entity.id not in matched.setdefault(old_id, []):
                matched[old_id].append(entity.id)
    return {old: new for old, new in matched.items() if new}


def _comparable(entity: Entity, entity_id: str) -> Entity:
    """``entity`` under ``entity_id``, with what differs only in form cleared."""
    return dataclasses.replace(
        entity,
        id=entity_id,
        birth_dates=[DateValue(value=d.value, kind=d.kind, end=d.end) for d in entity.birth_dates],
        identifiers=[Identifier(type=i.type, value=i.value) for i in entity.identifiers],
    )


def diff_source_change(
    previous: ParsedList, current: ParsedList, succession: Succession
) -> ListDiff:
    """The diff of ``current``'s first version against the retired list ``previous``.

    Added: new entities that match no old one; removed: old entities no new one matches
    (ids of the old list); changed: new entities whose matched old entity differs in
    :data:`COMPARED_FIELDS`. ``source_change`` holds the mapping.
    """
    if previous.list_id != succession.list_id:
        raise ValueError(f"{current.list_id} succeeds {succession.list_id}, not {previous.list_id}")
    matched = match_parties(previous, current, succession.match_property)
    old = {entity.id: entity for entity in previous.entities}
    new = {entity.id: entity for entity in current.entities}
    predecessor = {new_id: old_id for old_id, ids in matched.items() for new_id in ids}
    diff = ListDiff(
        list_id=current.list_id,
        previous_version=list_version(previous),
        current_version=list_version(current),
        previous_count=len(old),
        current_count=len(new),
        previous_published=previous.published.isoformat() if previous.published else None,
        current_published=current.published.isoformat() if current.published else None,
        added=sorted((i for i in new if i not in predecessor), key=natural_key),
        removed=sorted((i for i in old if i not in matched), key=natural_key),
        source_change=SourceChange(
            previous_list=previous.list_id,
            matched_by=succession.match_property,
            matched={k: matched[k] for k in sorted(matched, key=natural_key)},
            compared_fields=COMPARED_FIELDS,
        ),
    )
    for new_id in sorted(predecessor, key=natural_key):
        change = compare_entities(
            _comparable(old[predecessor[new_id]], new_id),
            _comparable(new[new_id], new_id),
            fields=COMPARED_FIELDS,
        )
        if change is not None:
            diff.changed.append(change)
    for entity_id in diff.added:
        diff.names[entity_id] = new[entity_id].primary_name
    for entity_id in diff.removed:
        diff.names[entity_id] = old[entity_id].primary_name
    for change in diff.changed:
        diff.names[change.id] = new[change.id].primary_name
    return diff


def previous_ids(diffs: list[ListDiff]) -> Mapping[str, list[str]]:
    """New entity id -> the ids it had on the lists it replaced (for re-screening: a
    party that alerted on the old id has already alerted on the new one)."""
    found: dict[str, list[str]] = {}
    for diff in diffs:
        if diff.source_change is None:
            continue
        for old_id, new_ids in diff.source_change.matched.items():
            for new_id in new_ids:
                found.setdefault(new_id, []).append(old_id)
    return found
