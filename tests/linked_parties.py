"""Small lists whose entries name the same parties, written as each list writes them.

The shapes are those of the real files (the UN's own reference as record id, the UK's and
the EU's "UN Ref" property, DFAT's reference at the start of its additional information,
trade.gov's copy of an OFAC entry with the OFAC entry number, METI's name with its
acronym in brackets), with the contradictions the real lists hold: DFAT giving a
UN-listed person another date of birth (SOi.010), a list writing one party's UN reference
on a listing of another kind (DFAT writes Al-Shabaab's SOe.001 on a person). Engine and
service tests use them to see one hit per party.
"""

from __future__ import annotations

from core.model import (
    Address,
    DateValue,
    Entity,
    Identifier,
    IdType,
    Kind,
    Name,
    NameRole,
    ParsedList,
)

KOMID = "KOREA MINING DEVELOPMENT TRADING CORPORATION"
KOMID_JA = "朝鮮鉱業開発貿易会社"
VESSEL_IMO = "9187629"


def _org(entity_id: str, *names: str, country: str = "KP", **extra: object) -> Entity:
    list_id = entity_id.split(":", 1)[0]
    entity = Entity(
        entity_id,
        list_id,
        Kind.ORGANIZATION,
        [Name(n, NameRole.PRIMARY if i == 0 else NameRole.AKA) for i, n in enumerate(names)],
        addresses=[Address(country_code=country)] if country else [],
        programs=["DPRK"],
        listed_on="2009-04-24",
    )
    for key, value in extra.items():
        setattr(entity, key, value)
    return entity


def _person(entity_id: str, name: str, born: str, **extra: object) -> Entity:
    entity = Entity(
        entity_id,
        entity_id.split(":", 1)[0],
        Kind.PERSON,
        [Name(name)],
        birth_dates=[DateValue(born)],
        programs=["SOMALIA"],
    )
    for key, value in extra.items():
        setattr(entity, key, value)
    return entity


def _vessel(entity_id: str, name: str, imo: str) -> Entity:
    return Entity(
        entity_id,
        entity_id.split(":", 1)[0],
        Kind.VESSEL,
        [Name(name)],
        identifiers=[Identifier(IdType.IMO, imo, "IMO number")],
        programs=["RUSSIA"],
    )


def linked_lists() -> list[ParsedList]:
    un = [
        _org("un-sc:KPe.001", KOMID, "CHANGGWANG SINYONG CORPORATION"),
        _person("un-sc:SOi.010", "HASSAN ALI DHOORE", "1984-05-06"),
        _person("un-sc:CDi.037", "PROTOGENE RUVUGAYIMIKORE", "1960-01-01"),
    ]
    uk = [
        _org("gb-ofsi:10892", KOMID, properties={"un_ref": ["KPe.001"]}),
        _person(
            "gb-ofsi:12030", "Hassan Ali DHOORE", "1984-05-06", properties={"un_ref": ["SOi.010"]}
        ),
        # A UN reference written on a listing of another kind: never one party.
        _org("gb-ofsi:16181", "MACHANGA LTD", country="UG", properties={"un_ref": ["CDi.037"]}),
        _vessel("gb-ofsi:13658", "YU SON", "8691702"),
    ]  # fmt: skip
    dfat = [
        _org(
            "au-dfat:1113",
            "Korea Mining Development Trading Corporation",
            remarks="KPe.001 Primary arms dealer",
            programs=["1718 (DPRK)"],  # DFAT names the regime by its UN resolution
        ),
        # Another date of birth for the same UN reference: split and reported.
        _person("au-dfat:1295", "Hassan Ali Dhoore", "1986-05-06", remarks="SOi.010 Senior member"),
        _vessel("au-dfat:8228", "NOCTIS", VESSEL_IMO),
    ]  # fmt: skip
    ofac = [
        _org(
            "us-ofac-sdn:9345",
            KOMID,
            "KOMID",
            addresses=[Address(city="Pyongyang", country_code="KP"), Address(country_code="CN")],
        ),
        _vessel("us-ofac-sdn:23744", "YU SON", "8691702"),
    ]
    csl = [_org("us-csl:9345", KOMID, properties={"entity_number": ["9345"]})]
    meti = [_org("jp-meti-eul:352", f"{KOMID} (KOMID)", KOMID_JA)]
    sema = [_vessel("ca-sema:russia/1-1/21", "Asher", f"IMO {VESSEL_IMO}")]
    return [
        ParsedList("un-sc", None, un),
        ParsedList("gb-ofsi", None, uk),
        ParsedList("au-dfat", None, dfat),
        ParsedList("us-ofac-sdn", None, ofac),
        ParsedList("us-csl", None, csl),
        ParsedList("jp-meti-eul", None, meti),
        ParsedList("ca-sema", None, sema),
    ]


KOMID_LISTINGS = (
    "au-dfat:1113",
    "gb-ofsi:10892",
    "jp-meti-eul:352",
    "un-sc:KPe.001",
    "us-csl:9345",
    "us-ofac-sdn:9345",
)
