"""What a server index holds: its mapping, one document per listed entity, its metadata.

Why this shape. The embedded index posts each listed *name* under its keys
(:mod:`core.keys`) and ranks entities by their best name. A server index does the same
with one document per entity and one nested object per name: a nested query scored with
``score_mode: max`` ranks an entity by its best name, and the names' keys, returned in
``_source``, say which of its names shared keys with the query, exactly the names the
embedded index scores. Keys are
computed here in Python by the matching core, never by an analyser, so both servers and the
embedded index index the very same strings.

The entity itself travels in ``_source`` (``entity``, not indexed): the matching core
re-scores candidates from it, and ``GET /v1/entities/{id}`` answers from it. Only the list,
kind and countries are indexed beside the keys, for filters. Each document also carries
its listing's party (``party``, not indexed: :class:`core.parties.Party`, worked out by
the indexer over all the lists published together), with ``party_id`` indexed to fetch a
party's listings, and ``identifiers``, the listing's identifier numbers as
``<type family>:<value>`` (:mod:`core.identifiers`) for a query that gives one.
``ordinal`` is the entity's position in the published lists (the embedded index's entity
order): the candidate query sorts on it after the score, so equal scores rank as the
embedded index ranks them instead of by shard and Lucene document order, which parallel
bulk loads and merges shuffle.

Everything here is pure (no client, no I/O), so the mapping and documents are tested
without a server and are the same for Elasticsearch and OpenSearch.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from core.identifiers import entity_keys, family, split_key
from core.keys import DEFAULT_PHONETIC, glued_keys, token_keys
from core.model import Entity
from core.names import TokenRole, variant_key
from core.parties import Party, single_party
from core.score import PreparedName, Rarity, entity_countries, prepare_name
from engines.base import IndexInfo, ListInfo, SourceFileInfo

# The alias the service reads; concrete indices are "<alias>-<index version>-<timestamp>".
ENTITY_ALIAS = "screening-entities"
META_INDEX = "screening-meta"
LOCK_INDEX = "screening-locks"
# Nested names per entity (Elasticsearch's default limit is 10,000; OFAC's longest
# entity has a few hundred aliases).
MAX_NAMES_PER_ENTITY = 5_000
# Mapping version: bumped when documents change shape, so a service never reads an index
# it does not understand (checked against the metadata document). Adding ``ordinal`` did
# not bump it: the query sorts on it with ``unmapped_type``, so an index built before it
# still answers (score ties then in server order, as they were), and an older service
# ignores the field.
SCHEMA_VERSION = 2  # 2: party, party_id and identifiers
# Versions whose documents keep ``entity`` as this one does: a refresh reads the lists of
# such an index back (and publishes them in the current version) where a service refuses
# to answer from it.
ENTITY_READABLE_SCHEMAS = frozenset({1, 2})
# The entity's position in the published lists, the tie-break of the candidate ranking.
ORDINAL_FIELD = "ordinal"


def index_settings(shards: int = 1, replicas: int = 0) -> dict[str, Any]:
    """Settings and strict mapping of one versioned entity index."""
    return {
        "settings": {
            "number_of_shards": shards,
            "number_of_replicas": replicas,
            "index.mapping.nested_objects.limit": 100_000,
            "index.max_inner_result_window": MAX_NAMES_PER_ENTITY,
        },
        "mappings": {
            "dynamic": "strict",
            "_meta": {"schema_version": SCHEMA_VERSION},
            "properties": {
                "list_id": {"type": "keyword"},
                "kind": {"type": "keyword"},
                "countries": {"type": "keyword"},
                # Sorted on (doc values), never searched: no inverted index needed.
                ORDINAL_FIELD: {"type": "integer", "index": False},
                "names": {
                    "type": "nested",
                    "properties": {
                        # Position of the name in entity.names (answers say which matched).
                        "position": {"type": "integer", "index": False},
                        "keys": {"type": "keyword"},
                    },
                },
                "entity": {"type": "object", "enabled": False},
                "party_id": {"type": "keyword"},
                "party": {"type": "object", "enabled": False},
                "identifiers": {"type": "keyword"},
            },
        },
    }


def identifier_terms(keys: Iterable[str]) -> list[str]:
    """The ``identifiers`` values of keys: ``<family>:<value>``, the country left out (a
    key without a country finds a listing with one; the core compares countries after)."""
    terms = set()
    for key in keys:
        kind, _country, value = split_key(key)
        terms.add(f"{family(kind)}:{value}")
    return sorted(terms)


def meta_index_settings() -> dict[str, Any]:
    """The metadata index: one document per entity index, keyed by the index's name."""
    return {
        "settings": {"number_of_shards": 1, "number_of_replicas": 0},
        "mappings": {
            "dynamic": "strict",
            "properties": {
                "index": {"type": "keyword"},
                "alias": {"type": "keyword"},
                "version": {"type": "keyword"},
                "status": {"type": "keyword"},  # building | complete | failed
                "built_at": {"type": "date"},
                "schema_version": {"type": "integer"},
                "entities": {"type": "long"},
                "names": {"type": "long"},
                "lists": {"type": "object", "enabled": False},
                "rarity": {"type": "object", "enabled": False},
            },
        },
    }


def lock_index_settings() -> dict[str, Any]:
    return {
        "settings": {"number_of_shards": 1, "number_of_replicas": 0},
        "mappings": {
            "dynamic": "strict",
            "properties": {
                "owner": {"type": "keyword"},
                "acquired_at": {"type": "date"},
                "expires_at": {"type": "date"},
            },
        },
    }


# --- names and keys ----------------------------------------------------------------------


def prepared_names(entity: Entity) -> Iterator[tuple[int, PreparedName]]:
    """(position in entity.names, prepared name) for each name the matching core can read."""
    for position, name in enumerate(entity.names):
        prepared = prepare_name(name.full, entity.kind, name.role)
        if prepared.forms:
            yield position, prepared


def listed_name_keys(prepared: PreparedName, phonetic: str = DEFAULT_PHONETIC) -> set[str]:
    """The keys a listed name is found by: those the embedded index posts it under."""
    keys: set[str] = set()
    for form in prepared.forms:
        keys |= glued_keys(form.tokens, phonetic)
        for token in form.tokens:
            keys |= token_keys(token, phonetic)
    return keys


def rarity_tokens(prepared: PreparedName) -> set[str]:
    """The variant keys one name adds to the token frequencies (as Rarity counts them)."""
    return {
        variant_key(t.text) for t in prepared.forms[0].tokens if t.role is not TokenRole.INITIAL
    }


@dataclass(frozen=True, slots=True)
class EntityDocument:
    """One entity as indexed, plus what the rarity table needs from it."""

    id: str
    body: dict[str, Any]
    name_count: int
    rarity_tokens: tuple[frozenset[str], ...]


def entity_document(
    entity: Entity, ordinal: int, phonetic: str = DEFAULT_PHONETIC, party: Party | None = None
) -> EntityDocument:
    """The indexed form of ``entity``, the ``ordinal``-th entity (from 0) of the lists in
    publishing order: the embedded index over the same lists breaks ties by that order.
    ``party``: its party over the lists published with it (alone when not given)."""
    names: list[dict[str, Any]] = []
    tokens: list[frozenset[str]] = []
    for position, prepared in prepared_names(entity):
        keys = listed_name_keys(prepared, phonetic)
        names.append({"position": position, "keys": sorted(keys)})
        tokens.append(frozenset(rarity_tokens(prepared)))
    body = {
        "list_id": entity.list_id,
        "kind": entity.kind.value,
        "countries": sorted(entity_countries(entity)),
        ORDINAL_FIELD: ordinal,
        "names": names,
        "entity": entity.to_dict(),
        "party_id": (party or single_party(entity)).id,
        "party": (party or single_party(entity)).to_dict(),
        "identifiers": identifier_terms(entity_keys(entity)),
    }
    return EntityDocument(entity.id, body, len(names), tuple(tokens))


class RarityCounter:
    """Counts token document frequencies over all indexed names, as Rarity does."""

    def __init__(self) -> None:
        self.documents = 0
        self.counts: dict[str, int] = {}

    def add(self, document: EntityDocument) -> None:
        for tokens in document.rarity_tokens:
            self.documents += 1
            for token in tokens:
                self.counts[token] = self.counts.get(token, 0) + 1

    def merge(self, other: RarityCounter) -> None:
        """Add the counts of another part of the lists (a batch counted elsewhere)."""
        self.documents += other.documents
        for token, count in other.counts.items():
            self.counts[token] = self.counts.get(token, 0) + count

    def rarity(self) -> Rarity:
        return Rarity(self.documents, dict(self.counts))


@dataclass(frozen=True, slots=True)
class DocumentBatch:
    """Consecutive entities as bulk request bodies, plus what the indexer keeps of them.

    Built by :func:`document_batch`, in a worker process when publishing (the Python work
    of a document costs more than the engine's indexing of it), so it is all plain data.
    """

    ids: tuple[str, ...]
    names: int
    rarity: RarityCounter
    payloads: tuple[bytes, ...]  # NDJSON bulk bodies (an action line and a document each)


def document_batch(
    entities: Sequence[Entity],
    first_ordinal: int,
    *,
    max_bytes: int,
    phonetic: str = DEFAULT_PHONETIC,
    parties: Sequence[Party | None] | None = None,
) -> DocumentBatch:
    """The documents of ``entities`` (ordinals from ``first_ordinal``), as bodies of at most
    about ``max_bytes`` each, for ``POST /<index>/_bulk``; ``parties``: each one's party."""
    counter = RarityCounter()
    ids: list[str] = []
    names = 0
    payloads: list[bytes] = []
    body = bytearray()
    for offset, entity in enumerate(entities):
        party = parties[offset] if parties is not None else None
        document = entity_document(entity, first_ordinal + offset, phonetic, party)
        ids.append(document.id)
        names += document.name_count
        counter.add(document)
        action = json.dumps({"index": {"_id": document.id}}, ensure_ascii=False)
        source = json.dumps(document.body, ensure_ascii=False, separators=(",", ":"))
        body += f"{action}\n{source}\n".encode()
        if len(body) >= max_bytes:
            payloads.append(bytes(body))
            body.clear()
    if body:
        payloads.append(bytes(body))
    return DocumentBatch(tuple(ids), names, counter, tuple(payloads))


def rarity_to_json(rarity: Rarity) -> dict[str, Any]:
    """A compact form for the metadata document: one "token<TAB>count" line per token."""
    lines = "\n".join(f"{token}\t{count}" for token, count in sorted(rarity.frequencies.items()))
    return {"documents": rarity.documents, "table": lines}


def rarity_from_json(data: Mapping[str, Any]) -> Rarity:
    counts: dict[str, int] = {}
    for line in str(data.get("table", "")).split("\n"):
        token, sep, count = line.rpartition("\t")
        if sep:
            counts[token] = int(count)
    return Rarity(int(data["documents"]), counts)


# --- metadata ----------------------------------------------------------------------------


def list_info_from_json(data: Mapping[str, Any]) -> ListInfo:
    published = data.get("published")
    as_of = data.get("as_of")
    return ListInfo(
        id=data["id"],
        title=data["title"],
        publisher=data["publisher"],
        version=data["version"],
        published=date.fromisoformat(published) if published else None,
        loaded_at=datetime.fromisoformat(data["loaded_at"]),
        entities=int(data["entities"]),
        files=tuple(
            SourceFileInfo(name=f["name"], sha256=f["sha256"], size=int(f["size"]))
            for f in data.get("files", [])
        ),
        format=data.get("format"),
        as_of=date.fromisoformat(as_of) if as_of else None,
        as_of_source=data.get("as_of_source"),
    )


def meta_document(
    *,
    index: str,
    info: IndexInfo,
    status: str,
    entities: int,
    names: int,
    rarity: Rarity | None,
) -> dict[str, Any]:
    return {
        "index": index,
        "alias": ENTITY_ALIAS,
        "version": info.version,
        "status": status,
        "built_at": info.built_at.isoformat(),
        "schema_version": SCHEMA_VERSION,
        "entities": entities,
        "names": names,
        "lists": {"items": [item.to_dict() for item in info.lists]},
        "rarity": rarity_to_json(rarity) if rarity is not None else {},
    }


@dataclass(frozen=True, slots=True)
class IndexMeta:
    """What a service replica needs to re-score candidates of one concrete index."""

    index: str
    info: IndexInfo
    entities: int
    names: int
    rarity: Rarity


def meta_from_json(
    data: Mapping[str, Any], schemas: frozenset[int] = frozenset({SCHEMA_VERSION})
) -> IndexMeta:
    """The metadata of an index of one of ``schemas`` (this service's version only,
    unless the caller reads nothing but the entities: :data:`ENTITY_READABLE_SCHEMAS`)."""
    if int(data.get("schema_version", 0)) not in schemas:
        raise ValueError(
            f"index {data.get('index')} has schema version {data.get('schema_version')}, "
            f"this service reads {SCHEMA_VERSION}: re-run `screening index`"
        )
    lists = tuple(list_info_from_json(item) for item in data["lists"]["items"])
    info = IndexInfo(
        version=data["version"], built_at=datetime.fromisoformat(data["built_at"]), lists=lists
    )
    return IndexMeta(
        index=data["index"],
        info=info,
        entities=int(data["entities"]),
        names=int(data["names"]),
        rarity=rarity_from_json(data["rarity"]),
    )


def entity_from_source(source: Mapping[str, Any]) -> Entity:
    return Entity.from_dict(dict(source["entity"]))


def party_from_source(source: Mapping[str, Any]) -> Party | None:
    party = source.get("party")
    return Party.from_dict(party) if party else None


def versioned_index_name(version: str, stamp: datetime, alias: str = ENTITY_ALIAS) -> str:
    """``screening-entities-<index version>-<UTC time to the millisecond>`` (sortable)."""
    return f"{alias}-{version}-{stamp.strftime('%Y%m%dt%H%M%S%f')[:-3]}"


def is_versioned_index(name: str, alias: str = ENTITY_ALIAS) -> bool:
    """Whether ``name`` is one of ours (``<alias>-<12 hex>-<stamp>``)."""
    prefix = alias + "-"
    if not name.startswith(prefix):
        return False
    parts = name[len(prefix) :].split("-")
    return len(parts) == 2 and all(parts) and parts[1][:8].isdigit()


def index_stamp(name: str) -> str:
    """The time part of a versioned index name (sorts like the build time)."""
    return name.rsplit("-", 1)[-1]


def newest_first(names: Iterable[str]) -> list[str]:
    return sorted(names, key=index_stamp, reverse=True)
