"""The links report: what the lists say about each other (``screening links``).

Over the lists given: the parties (groups of listings that name one party), how many
links each kind of evidence made, the groups split because their evidence contradicts,
and the compliance question an officer asks of several regimes: which parties are on one
list but missing from a list that usually follows it (UN-listed, but not on the UK or the
Australian list that implements UN sanctions).

"Usually follows" is read from the lists themselves, not from a table of regimes: list B
follows list A when B lists at least :data:`FOLLOW_SHARE` of A's parties (and A has at
least :data:`FOLLOW_MIN_PARTIES`). Over the latest snapshots that finds the UK and
Australia following the UN, and trade.gov's list following OFAC's consolidated list,
and nothing where lists only overlap (OFAC and the UK share a third of their parties).
A party "missing" from a follower has no listing linked to it there: either the follower
has not listed it (yet: its file may be older, the report gives both dates), or it lists
it without the evidence a link needs, or the evidence contradicted itself. The report
says which of the follower's listings come near: one a link was refused to (and why), or
one with the same name that nothing links (a person's name links only with a date or
the years of birth, an organisation's where it picks out one entry on each list), so an
officer checks those first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from core.links import LinkSummary, PartyGroups, Split, group_parties, name_keys
from core.model import Entity, ParsedList

# B follows A when B lists at least this share of A's parties: four in five. The UK and
# DFAT list 85 % and 95 % of the UN's parties; lists that merely overlap, at most 70 %.
FOLLOW_SHARE = 0.8
# Too few parties to say what a list usually does (the EU's four-row excerpt).
FOLLOW_MIN_PARTIES = 20


@dataclass(frozen=True, slots=True)
class MissingParty:
    """A party on the followed list without a listing on the follower."""

    entity_ids: tuple[str, ...]  # its listings on the followed list
    name: str
    listed_on: str | None
    near: tuple[str, ...] = ()  # the follower's listings that come near it, and how


@dataclass(slots=True)
class FollowGap:
    """A list that usually follows another, and the parties it does not list."""

    followed: str
    follower: str
    followed_parties: int
    shared_parties: int
    followed_published: date | None
    follower_published: date | None
    missing: list[MissingParty] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.shared_parties / self.followed_parties if self.followed_parties else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "followed": self.followed,
            "follower": self.follower,
            "followed_parties": self.followed_parties,
            "shared_parties": self.shared_parties,
            "share": round(self.share, 4),
            "followed_published": _iso(self.followed_published),
            "follower_published": _iso(self.follower_published),
            "missing": [
                {
                    "entity_ids": list(m.entity_ids),
                    "name": m.name,
                    "listed_on": m.listed_on,
                    "near": list(m.near),
                }
                for m in self.missing
            ],
        }


@dataclass(slots=True)
class LinksReport:
    lists: dict[str, int]  # list id -> entries
    summary: LinkSummary
    groups: PartyGroups
    names: dict[str, str]  # entity id -> primary name
    follows: list[FollowGap]

    def to_dict(self) -> dict[str, Any]:
        links_of: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for link in self.groups.links:
            links_of[self.groups.party_of[link.a]].append(
                {
                    "a": link.a,
                    "b": link.b,
                    "kind": link.kind,
                    "strength": link.strength,
                    "evidence": link.evidence,
                }
            )
        groups = [
            {
                "party_id": pid,
                "entity_ids": list(ids),
                "names": [self.names[i] for i in ids],
                "links": links_of[pid],
            }
            for pid, ids in sorted(self.groups.members.items(), key=lambda item: item[1])
            if len(ids) > 1
        ]
        return {
            "lists": self.lists,
            "summary": self.summary.to_dict(),
            "groups": groups,
            "splits": [_split_dict(split) for split in self.groups.splits],
            "follows": [gap.to_dict() for gap in self.follows],
        }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _split_dict(split: Split) -> dict[str, Any]:
    return {
        "entity_ids": list(split.entity_ids),
        "cause": split.cause,
        "reason": split.reason,
        "refused": [link.evidence for link in split.links],
    }


def follow_gaps(
    groups: PartyGroups,
    entities: dict[str, Entity],
    published: dict[str, date | None],
    *,
    share: float = FOLLOW_SHARE,
    min_parties: int = FOLLOW_MIN_PARTIES,
) -> list[FollowGap]:
    """Every (followed, follower) pair of lists the observed overlap makes a rule, with
    the followed list's parties the follower does not list."""
    refused: dict[str, list[tuple[str, str]]] = defaultdict(list)  # id -> (other id, why)
    for split in groups.splits:
        for link in split.links:
            refused[link.a].append((link.b, split.reason))
            refused[link.b].append((link.a, split.reason))
    lists_of: dict[str, set[str]] = {}
    parties_on: dict[str, set[str]] = defaultdict(set)
    for pid, ids in groups.members.items():
        lists_of[pid] = {entities[i].list_id for i in ids}
        for list_id in lists_of[pid]:
            parties_on[list_id].add(pid)
    gaps: list[FollowGap] = []
    named: dict[str, dict[str, list[str]]] = {}  # list id -> name key -> its entity ids
    for followed in sorted(parties_on):
        own = parties_on[followed]
        if len(own) < min_parties:
            continue
        for follower in sorted(parties_on):
            if follower == followed:
                continue
            shared = own & parties_on[follower]
            if len(shared) < share * len(own):
                continue
            gap = FollowGap(
                followed,
                follower,
                len(own),
                len(shared),
                published.get(followed),
                published.get(follower),
            )
            if follower not in named:
                named[follower] = _names_on(follower, entities)
            for pid in sorted(own - shared, key=lambda p: groups.members[p]):
                ids = tuple(i for i in groups.members[pid] if entities[i].list_id == followed)
                first = entities[ids[0]]
                near = _near(groups.members[pid], follower, entities, refused, named[follower])
                gap.missing.append(MissingParty(ids, first.primary_name, first.listed_on, near))
            gaps.append(gap)
    return gaps


def _names_on(list_id: str, entities: dict[str, Entity]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for entity in entities.values():
        if entity.list_id == list_id:
            for key in name_keys(entity):
                found[key].append(entity.id)
    return found


def _near(
    members: Sequence[str],
    follower: str,
    entities: dict[str, Entity],
    refused: dict[str, list[tuple[str, str]]],
    named: dict[str, list[str]],
) -> tuple[str, ...]:
    """Notes on the follower's listings that come near a party it does not list."""
    notes: dict[str, str] = {}
    for member in members:
        for other, why in refused.get(member, ()):
            if entities[other].list_id == follower:
                notes.setdefault(other, f"{other}: kept apart ({why.split(';')[0]})")
    for member in members:
        if (
            entities[member].kind.value != "person"
            and entities[member].kind.value != "organization"
        ):
            continue
        for key in name_keys(entities[member]):
            for other in named.get(key, ()):
                notes.setdefault(other, f"{other}: same name, no evidence links them")
    return tuple(notes[key] for key in sorted(notes))


def links_report(
    parsed: Sequence[ParsedList],
    *,
    share: float = FOLLOW_SHARE,
    min_parties: int = FOLLOW_MIN_PARTIES,
) -> LinksReport:
    entities = [entity for item in parsed for entity in item.entities]
    groups = group_parties(entities)
    by_id = {entity.id: entity for entity in entities}
    published = {item.list_id: item.published for item in parsed}
    return LinksReport(
        lists={item.list_id: len(item.entities) for item in parsed},
        summary=LinkSummary.of(groups),
        groups=groups,
        names={entity.id: entity.primary_name for entity in entities},
        follows=follow_gaps(groups, by_id, published, share=share, min_parties=min_parties),
    )


def render_text(report: LinksReport, *, show_groups: bool = False, show_missing: int = 20) -> str:
    """The report for a terminal: figures first, then splits and gaps (``show_missing``
    parties per gap; all of them, and every group, in the JSON form)."""
    summary = report.summary
    lines = [
        f"{len(report.lists)} lists, {summary.listings} listings, {summary.parties} parties "
        f"({summary.linked_parties} listed more than once)",
        "",
        "Links by evidence (inside parties):",
    ]
    lines += [f"  {kind:<24} {count:>7}" for kind, count in summary.links.items()]
    total_splits = sum(summary.splits.values())
    lines += ["", f"Groups split, the evidence contradicting: {total_splits}"]
    lines += [f"  {cause:<24} {count:>7}" for cause, count in summary.splits.items()]
    for split in report.groups.splits:
        lines.append(f"  - {', '.join(split.entity_ids)}")
        lines.append(f"    {split.reason}")
    lines += ["", "Lists that usually follow another (share of its parties they list):"]
    if not report.follows:
        lines.append("  none among these lists")
    for gap in report.follows:
        lines.append(
            f"  {gap.follower} follows {gap.followed}: {gap.share:.1%} "
            f"({gap.shared_parties} of {gap.followed_parties}); {len(gap.missing)} not on "
            f"{gap.follower} (files of {_iso(gap.followed_published) or 'no date'} and "
            f"{_iso(gap.follower_published) or 'no date'})"
        )
        near = sum(1 for missing in gap.missing if missing.near)
        if near:
            lines.append(f"    ({near} of them come near a {gap.follower} listing: see below each)")
        for missing in gap.missing[:show_missing]:
            since = f", listed {missing.listed_on}" if missing.listed_on else ""
            lines.append(f"    {', '.join(missing.entity_ids)}  {missing.name}{since}")
            lines += [f"      near {note}" for note in missing.near]
        if len(gap.missing) > show_missing:
            lines.append(f"    ... and {len(gap.missing) - show_missing} more (--json lists all)")
    if show_groups:
        lines += ["", "Parties listed more than once:"]
        for pid, ids in sorted(report.groups.members.items(), key=lambda item: item[1]):
            if len(ids) > 1:
                lines.append(f"  {pid}: " + "; ".join(f"{i} {report.names[i]}" for i in ids))
    return "\n".join(lines)
