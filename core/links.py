"""One party, many listings: which entries of different lists name the same party.

An officer wants one line per party with every list that names it, and to see where the
lists disagree. The lists say it themselves, in their own files: the UK, the EU and
Australia write the UN reference of a UN-listed party beside their own entry; the trade.gov
list carries the OFAC entry number of its OFAC rows; vessels keep one IMO number for life;
a bank one SWIFT/BIC. Each piece of such evidence is a :class:`Link` with a strength and
a readable sentence, so an answer can show why two listings are one party.

Weaker evidence, the same name with the same full date of birth (persons) or the same
name where no country disagrees (organisations; vessels and aircraft change names and
link only on numbers), links only where the name picks out a single entry in each list:
a list that names two entries so has told us the name alone does not identify one party.

Transitive groups of links are parties. Evidence can disagree: a link may join a person
and a company, or two persons born on different full dates. :func:`group_parties` takes
links strongest first and refuses any that would put a contradicting pair in one party;
each refusal is reported as a :class:`Split`, never merged silently. A name does not
join two entries one list keeps apart either (a number may: DFAT lists some parties once
per regime). The references lists write for each other are read in :mod:`core.references`,
the contradictions in :mod:`core.contradictions`; identifiers compare as the keys of
:mod:`core.identifiers`.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources

from core.contradictions import (
    ListingFacts,
    contradiction,
    facts_contradiction,
    full_birth_dates,
)
from core.identifiers import (
    COUNTRY_SCOPED,
    LABELS,
    family,
    identifier_keys,
    normalise_identifier,
    split_key,
)
from core.model import Entity, Kind, NameRole
from core.names import is_particle, legal_forms, org_words
from core.normalise import normalise
from core.references import ofac_uid, ofsi_group_id, un_reference

__all__ = [
    "STRENGTH",
    "Link",
    "LinkSummary",
    "PartyGroups",
    "Split",
    "contradiction",
    "find_links",
    "group_parties",
    "normalise_identifier",
    "ofac_uid",
    "ofsi_group_id",
    "party_id",
    "un_reference",
]

# How sure each kind of evidence makes us that two listings are one party. A reference
# one list writes to another's entry is the publisher's own statement; a worldwide
# registry number (IMO, BIC) next; numbers a country issues next (a typo or a reused
# number is possible); names with a date or country last. Groups take links in this order.
STRENGTH: dict[str, float] = {
    "un_reference": 1.0,
    "ofac_uid": 1.0,
    "ofsi_group_id": 1.0,
    "imo": 0.95,
    "swift_bic": 0.95,
    "passport": 0.9,
    "national_id": 0.9,
    "registration": 0.9,
    "tax_id": 0.9,
    "aircraft_serial": 0.85,
    "mmsi": 0.85,
    "aircraft_tail": 0.8,
    "name_birth_nationality": 0.8,
    "name_birth": 0.7,
    "name_birth_year": 0.65,
    "name_country": 0.6,
    "name": 0.5,
}
NAME_KINDS = frozenset(
    {"name_birth_nationality", "name_birth", "name_birth_year", "name_country", "name"}
)

# A key held by more entries than this is a placeholder or a shared office, not a party.
_MAX_BUCKET = 40

_BRACKETED = re.compile(r"\([^()]*\)")
# Marks a bucket of persons by their years of birth (not a full date).
_YEARS = "years:"
_MIN_NAME_LETTERS = 6
# Each further name two listings share adds this to a name link, up to the cap (so a
# name link stays below the next kind of evidence).
_NAME_BONUS = 0.01
_NAME_BONUS_CAP = 5


@dataclass(frozen=True, slots=True)
class Link:
    """Evidence that two listings (entity ids, ``a < b``) name the same party."""

    a: str
    b: str
    kind: str
    strength: float
    evidence: str


@dataclass(frozen=True, slots=True)
class Split:
    """Listings that links would have joined but whose facts contradict: kept apart."""

    entity_ids: tuple[str, ...]
    reason: str
    # The links refused, strongest first.
    links: tuple[Link, ...] = ()
    # What disagreed: "kind", "birth_date", "imo", "un_reference", "ofac_uid",
    # "ofsi_group_id", or
    # "same_list" (a name would join two entries one list keeps apart).
    cause: str = ""


@dataclass(slots=True)
class PartyGroups:
    party_of: dict[str, str]  # entity id -> party id (every entity, singletons too)
    members: dict[str, tuple[str, ...]]  # party id -> its entity ids, sorted
    links: list[Link]  # the links inside parties (the evidence for each)
    splits: list[Split] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class LinkSummary:
    """What the links made of some lists: the figures an index build or a report gives."""

    listings: int
    parties: int
    linked_parties: int  # parties with more than one listing
    links: dict[str, int]  # links inside parties, per kind of evidence
    splits: dict[str, int]  # groups split, per cause

    @classmethod
    def of(cls, groups: PartyGroups) -> LinkSummary:
        links: dict[str, int] = {}
        for link in groups.links:
            links[link.kind] = links.get(link.kind, 0) + 1
        splits: dict[str, int] = {}
        for split in groups.splits:
            splits[split.cause] = splits.get(split.cause, 0) + 1
        return cls(
            listings=len(groups.party_of),
            parties=len(groups.members),
            linked_parties=sum(1 for ids in groups.members.values() if len(ids) > 1),
            links=dict(sorted(links.items(), key=lambda item: (-item[1], item[0]))),
            splits=dict(sorted(splits.items(), key=lambda item: (-item[1], item[0]))),
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "listings": self.listings,
            "parties": self.parties,
            "linked_parties": self.linked_parties,
            "links": dict(self.links),
            "splits": dict(self.splits),
        }


def party_id(member_ids: Iterable[str]) -> str:
    """A party's id, the same for the same members in every process and every engine."""
    text = "\n".join(sorted(member_ids))
    return "P" + hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


# -- facts compared ------------------------------------------------------------------


def _countries(entity: Entity) -> frozenset[str]:
    codes = [c.code for c in entity.nationalities] + [c.code for c in entity.citizenships]
    if entity.kind is not Kind.PERSON:
        codes += [a.country_code for a in entity.addresses]
    return frozenset(code for code in codes if code)


@functools.cache
def _generic_words() -> frozenset[str]:
    """Words that name no one in particular: particles, legal forms, generic
    organisation words ("the", "al", "company", "trading", "ooo")."""
    legal = {token for spelling in legal_forms() for token in spelling}
    return frozenset(legal | org_words())


@functools.cache
def _group_words() -> frozenset[str]:
    """Words armed and political groups name themselves with ("army", "liberation",
    "front"): core/data/group_words.txt."""
    text = resources.files("core.data").joinpath("group_words.txt").read_text("utf-8")
    lines = (line for line in text.splitlines() if line.strip() and not line.startswith("#"))
    return frozenset(normalise(line) for line in lines)


def name_keys(entity: Entity) -> frozenset[str]:
    """The entity's names (not its weak aliases) as sorted normalised tokens, also without
    a bracketed acronym ("Korea Mining ... Corporation (KOMID)").

    A key needs two words that are not particles ("al qaida" is one word and a particle);
    an organisation's also a word that is not generic ("the base", "trading company
    limited" name no one), as names alone are weak evidence. An organisation's alias made
    only of the words groups name themselves with ("People's Liberation Army", often a
    translation) is no key either: such a name picks out a party only as a list's own
    primary name of it."""
    keys: set[str] = set()
    organisation = entity.kind is not Kind.PERSON
    generic = _generic_words()
    group = generic | _group_words()
    for name in entity.names:
        if name.role is NameRole.WEAK:
            continue
        for text in {name.full, _BRACKETED.sub(" ", name.full)}:
            tokens = normalise(text).split()
            words = [token for token in tokens if not is_particle(token) and token != "the"]
            if len(words) < 2 or sum(map(len, words)) < _MIN_NAME_LETTERS:
                continue
            if organisation and not any(word not in generic for word in words):
                continue
            primary = name.role is NameRole.PRIMARY
            if organisation and not primary and not any(word not in group for word in words):
                continue
            keys.add(" ".join(sorted(tokens)))
    return frozenset(keys)


# -- finding links -------------------------------------------------------------------


class _Collector:
    """Links found so far, one per pair and kind, and one name link per pair (the best)."""

    def __init__(self) -> None:
        self.links: dict[tuple[str, str, str], Link] = {}

    def add(self, x: str, y: str, kind: str, evidence: str, strength: float | None = None) -> None:
        if x == y:
            return
        a, b = (x, y) if x < y else (y, x)
        slot = (a, b, "name" if kind in NAME_KINDS else kind)
        strength = STRENGTH[kind] if strength is None else strength
        held = self.links.get(slot)
        if held is None or held.strength < strength:
            self.links[slot] = Link(a, b, kind, strength, evidence)


def _pairs(bucket: Sequence[int]) -> Iterable[tuple[int, int]]:
    for i, x in enumerate(bucket):
        for y in bucket[i + 1 :]:
            yield x, y


def _identifies_one(bucket: Sequence[int], entities: Sequence[Entity]) -> bool:
    """False when one list has two entries in the bucket: the key does not pick one party."""
    if len(bucket) > _MAX_BUCKET:
        return False
    lists = [entities[i].list_id for i in bucket]
    return len(lists) == len(set(lists))


_REFERENCE_WORDS = {
    "un_reference": "UN reference",
    "ofac_uid": "OFAC entry",
    "ofsi_group_id": "OFSI group ID",
}


def _reference_links(entities: Sequence[Entity], found: _Collector) -> None:
    buckets: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, entity in enumerate(entities):
        ref = un_reference(entity)
        if ref:
            buckets["un_reference", ref].append(index)
        uid = ofac_uid(entity)
        if uid:
            buckets["ofac_uid", uid].append(index)
        group = ofsi_group_id(entity)
        if group:
            buckets["ofsi_group_id", group].append(index)
    for (kind, ref), bucket in buckets.items():
        if len(bucket) > _MAX_BUCKET:
            continue
        text = f"{_REFERENCE_WORDS[kind]} {ref}"
        for x, y in _pairs(bucket):
            found.add(entities[x].id, entities[y].id, kind, f"{text} on both listings")


def _identifier_links(entities: Sequence[Entity], found: _Collector) -> None:
    # (family, value) -> [(entity index, type, country)], one row per entity
    buckets: dict[tuple[str, str], dict[int, tuple[str, str]]] = defaultdict(dict)
    for index, entity in enumerate(entities):
        for identifier in entity.identifiers:
            for key in identifier_keys(identifier):
                kind, country, value = split_key(key)
                buckets[family(kind), value].setdefault(index, (kind, country))
    scoped = {t.value for t in COUNTRY_SCOPED}
    for (shared_family, value), rows in buckets.items():
        bucket = list(rows)
        if len(bucket) < 2 or not _identifies_one(bucket, entities):
            continue
        for x, y in _pairs(bucket):
            (kind_x, country_x), (kind_y, country_y) = rows[x], rows[y]
            if country_x and country_y and country_x != country_y:
                continue
            kind = kind_x if kind_x == kind_y else shared_family
            country = country_x or country_y
            where = f" ({country})" if shared_family in scoped and country else ""
            text = f"{LABELS[kind]} {value}{where} on both listings"
            found.add(entities[x].id, entities[y].id, kind, text)


def _name_links(entities: Sequence[Entity], found: _Collector) -> None:
    """Same name and full date of birth (persons), or the same years of birth where one
    list gives no full date (many UN-listed persons have only a year), same name
    (organisations), where the countries do not disagree. More shared names make a pair
    a little stronger, so that where one list writes two parties' names on one entry
    (OFAC's Al Qa'ida carries "Egyptian Islamic Jihad"), the party it shares most names
    with is joined first."""
    persons: dict[tuple[str, str], list[int]] = defaultdict(list)
    organisations: dict[tuple[str, str], list[int]] = defaultdict(list)
    full = [bool(full_birth_dates(e)) if e.kind is Kind.PERSON else False for e in entities]
    for index, entity in enumerate(entities):
        if entity.kind is Kind.PERSON:
            dates = full_birth_dates(entity)
            years = sorted({d.value[:4] for d in entity.birth_dates if d.value[:4].isdigit()})
            for key in name_keys(entity) if entity.birth_dates else ():
                for date in dates:
                    persons[key, date].append(index)
                if years:
                    persons[key, _YEARS + ",".join(years)].append(index)
        elif entity.kind is Kind.ORGANIZATION:
            for key in name_keys(entity):
                organisations[key, ""].append(index)
    countries = [_countries(e) for e in entities]
    # (x, y) -> (kind, the shared names, the date and country of the strongest kind)
    pairs: dict[tuple[int, int], tuple[str, set[str], str, str | None]] = {}
    for buckets in (persons, organisations):
        for (key, date), bucket in buckets.items():
            if len(bucket) < 2 or not _identifies_one(bucket, entities):
                continue
            for x, y in _pairs(bucket):
                if date.startswith(_YEARS) and full[x] and full[y]:
                    continue  # both give full dates: those say whether they agree
                shared = countries[x] & countries[y]
                if countries[x] and countries[y] and not shared:
                    continue
                country = min(shared) if shared else None
                kind = _name_kind(date, country)
                held = pairs.get((x, y))
                if held is None or STRENGTH[held[0]] < STRENGTH[kind]:
                    pairs[x, y] = (kind, (held[1] if held else set()) | {key}, date, country)
                else:
                    held[1].add(key)
    for (x, y), (kind, keys, date, country) in pairs.items():
        bonus = _NAME_BONUS * min(len(keys) - 1, _NAME_BONUS_CAP)
        text = _name_evidence(keys, date, country)
        found.add(entities[x].id, entities[y].id, kind, text, STRENGTH[kind] + bonus)


def _name_kind(date: str, country: str | None) -> str:
    if date.startswith(_YEARS):
        return "name_birth_year"
    if date:
        return "name_birth_nationality" if country else "name_birth"
    return "name_country" if country else "name"


def _name_evidence(keys: set[str], date: str, country: str | None) -> str:
    """The sentence of a name link: the longest shared name, and how many more."""
    key = max(sorted(keys), key=len)
    name = f'same name "{key}"'
    if len(keys) > 1:
        more = len(keys) - 1
        name += f" (and {more} other name{'s' if more > 1 else ''})"
    if date.startswith(_YEARS):
        years = date[len(_YEARS) :].replace(",", ", ")
        where = f" and nationality {country}" if country else ""
        return f"{name}, born in {years}{where} (no full date on one list)"
    if date and country:
        return f"{name}, date of birth {date} and nationality {country}"
    if date:
        return f"{name} and date of birth {date}"
    if country:
        return f"{name} in {country}"
    return f"{name}, the only entry so named in each list"


def find_links(entities: Iterable[Entity]) -> list[Link]:
    """Every link the listings' own data gives, one per pair and kind of evidence (one
    name link per pair, the strongest), sorted by (a, b, kind)."""
    listed = list(entities)
    found = _Collector()
    _reference_links(listed, found)
    _identifier_links(listed, found)
    _name_links(listed, found)
    return sorted(found.links.values(), key=lambda link: (link.a, link.b, link.kind))


# -- grouping ------------------------------------------------------------------------


def group_parties(entities: Sequence[Entity], links: Sequence[Link] | None = None) -> PartyGroups:
    """Parties as transitive groups of links, strongest links first. A link is refused,
    and reported as a split, where it would put a contradicting pair in one party, or
    where it is only a name and both sides already hold an entry of the same list (that
    list names them as two parties; a number or reference may still join them).

    Party ids depend only on the members, so the same lists give the same ids in every
    process (the embedded index, the server publisher and the report agree)."""
    if links is None:
        links = find_links(entities)
    facts = {entity.id: ListingFacts.of(entity) for entity in entities}
    list_of = {entity.id: entity.list_id for entity in entities}
    root: dict[str, str] = {entity_id: entity_id for entity_id in facts}
    members: dict[str, list[str]] = {entity_id: [entity_id] for entity_id in facts}

    def find(entity_id: str) -> str:
        while root[entity_id] != entity_id:
            root[entity_id] = root[root[entity_id]]
            entity_id = root[entity_id]
        return entity_id

    refused: list[tuple[Link, str, str]] = []
    ordered = sorted(links, key=lambda link: (-link.strength, link.kind, link.a, link.b))
    for link in ordered:
        if link.a not in facts or link.b not in facts:
            continue
        ra, rb = find(link.a), find(link.b)
        if ra == rb:
            continue
        found = _first_contradiction(members[ra], members[rb], facts)
        if found is None and link.kind in NAME_KINDS:
            found = _same_list(members[ra], members[rb], list_of)
        if found:
            refused.append((link, *found))
            continue
        if len(members[ra]) < len(members[rb]):
            ra, rb = rb, ra
        root[rb] = ra
        members[ra].extend(members.pop(rb))

    groups = PartyGroups(party_of={}, members={}, links=[], splits=[])
    for ids in members.values():
        ordered_ids = tuple(sorted(ids))
        pid = party_id(ordered_ids)
        groups.members[pid] = ordered_ids
        for entity_id in ordered_ids:
            groups.party_of[entity_id] = pid
    groups.links = [
        link
        for link in links
        if link.a in facts and link.b in facts and find(link.a) == find(link.b)
    ]
    groups.splits = _splits(refused, groups)
    return groups


def _first_contradiction(
    left: Sequence[str], right: Sequence[str], facts: dict[str, ListingFacts]
) -> tuple[str, str] | None:
    for x in sorted(left):
        for y in sorted(right):
            found = facts_contradiction(facts[x], facts[y])
            if found:
                return found
    return None


def _same_list(
    left: Sequence[str], right: Sequence[str], list_of: dict[str, str]
) -> tuple[str, str] | None:
    on_left = {list_of[x]: x for x in sorted(left, reverse=True)}
    for y in sorted(right):
        x = on_left.get(list_of[y])
        if x is not None:
            return "same_list", f"{list_of[y]} lists {x} and {y} as two entries"
    return None


def _splits(refused: Sequence[tuple[Link, str, str]], groups: PartyGroups) -> list[Split]:
    """One split per pair of parties kept apart, with its first (strongest) reason."""
    by_pair: dict[tuple[str, str], list[tuple[Link, str, str]]] = {}
    for link, cause, reason in refused:
        pa, pb = sorted((groups.party_of[link.a], groups.party_of[link.b]))
        by_pair.setdefault((pa, pb), []).append((link, cause, reason))
    splits = []
    for (pa, pb), items in by_pair.items():
        ids = tuple(sorted(groups.members[pa] + groups.members[pb]))
        first_link, cause, reason = items[0]
        text = f"{reason}; not joined on {first_link.evidence}"
        splits.append(Split(ids, text, tuple(item[0] for item in items), cause))
    return sorted(splits, key=lambda split: split.entity_ids)
