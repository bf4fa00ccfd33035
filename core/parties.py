"""Parties as an answer shows them: one id, every listing, and the evidence that joins them.

An answer has one hit per party, naming each of its listings (the list, the entry, the
name that list gives, its programs, the listing date), so an officer sees at once that
the UN, the UK and Australia list the same company. A :class:`Party` is computed once,
when the lists are loaded (:func:`parties_of`), and travels with every hit on one of its
listings; server indices store it in each member's document (``to_dict``/``from_dict``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from core.links import Link, PartyGroups, Split, group_parties, party_id
from core.model import Entity


@dataclass(frozen=True, slots=True)
class Listing:
    """One list's entry for a party, as an answer names it."""

    list_id: str
    entity_id: str
    name: str  # the primary name on that list
    programs: tuple[str, ...]
    listed_on: str | None

    @classmethod
    def of(cls, entity: Entity) -> Listing:
        return cls(
            entity.list_id, entity.id, entity.primary_name, tuple(entity.programs), entity.listed_on
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "list_id": self.list_id,
            "entity_id": self.entity_id,
            "name": self.name,
            "programs": list(self.programs),
            "listed_on": self.listed_on,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Listing:
        return cls(
            data["list_id"],
            data["entity_id"],
            data["name"],
            tuple(data.get("programs", ())),
            data.get("listed_on"),
        )


@dataclass(frozen=True, slots=True)
class Party:
    """A party: its listings (by list, then entry), the links between them and the
    splits that kept other listings out of it."""

    id: str
    listings: tuple[Listing, ...]
    links: tuple[Link, ...] = ()
    splits: tuple[Split, ...] = ()

    @property
    def entity_ids(self) -> tuple[str, ...]:
        return tuple(listing.entity_id for listing in self.listings)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "listings": [listing.to_dict() for listing in self.listings],
            "links": [_link_dict(link) for link in self.links],
            "splits": [
                {
                    "entity_ids": list(split.entity_ids),
                    "reason": split.reason,
                    "cause": split.cause,
                    "links": [_link_dict(link) for link in split.links],
                }
                for split in self.splits
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Party:
        return cls(
            data["id"],
            tuple(Listing.from_dict(item) for item in data.get("listings", ())),
            tuple(_link(item) for item in data.get("links", ())),
            tuple(
                Split(
                    tuple(item["entity_ids"]),
                    item["reason"],
                    tuple(_link(link) for link in item.get("links", ())),
                    item.get("cause", ""),
                )
                for item in data.get("splits", ())
            ),
        )


def _link_dict(link: Link) -> dict[str, Any]:
    return {
        "a": link.a,
        "b": link.b,
        "kind": link.kind,
        "strength": link.strength,
        "evidence": link.evidence,
    }


def _link(data: Mapping[str, Any]) -> Link:
    return Link(data["a"], data["b"], data["kind"], float(data["strength"]), data["evidence"])


def single_party(entity: Entity) -> Party:
    """The party of a listing nothing links to another (an index built without links)."""
    return Party(party_id([entity.id]), (Listing.of(entity),))


def parties_of(entities: Sequence[Entity], groups: PartyGroups | None = None) -> dict[str, Party]:
    """Each entity id's party (one shared object per party), from ``groups`` or from the
    links the entities' own data gives (:func:`core.links.group_parties`)."""
    groups = groups if groups is not None else group_parties(entities)
    by_id = {entity.id: entity for entity in entities}
    links: dict[str, list[Link]] = {}
    for link in groups.links:
        links.setdefault(groups.party_of[link.a], []).append(link)
    splits: dict[str, list[Split]] = {}
    for split in groups.splits:
        for pid in dict.fromkeys(groups.party_of[entity_id] for entity_id in split.entity_ids):
            splits.setdefault(pid, []).append(split)
    found: dict[str, Party] = {}
    for pid, member_ids in groups.members.items():
        listings = sorted(
            (Listing.of(by_id[entity_id]) for entity_id in member_ids),
            key=lambda listing: (listing.list_id, listing.entity_id),
        )
        party = Party(pid, tuple(listings), tuple(links.get(pid, ())), tuple(splits.get(pid, ())))
        for entity_id in member_ids:
            found[entity_id] = party
    return found
