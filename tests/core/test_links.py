"""Links between listings of one party, and parties as groups that evidence never
contradicts."""

from __future__ import annotations

import random

from core.links import (
    STRENGTH,
    Link,
    find_links,
    group_parties,
    name_keys,
    ofac_uid,
    party_id,
    un_reference,
)
from core.model import (
    Address,
    Country,
    DateKind,
    DateValue,
    Entity,
    Identifier,
    IdType,
    Kind,
    Name,
    NameRole,
)


def entity(
    entity_id: str,
    *names: str,
    kind: Kind = Kind.PERSON,
    born: tuple[str, ...] = (),
    nationality: tuple[str, ...] = (),
    country: tuple[str, ...] = (),
    ids: tuple[Identifier, ...] = (),
    properties: dict[str, list[str]] | None = None,
    remarks: str | None = None,
    weak: tuple[str, ...] = (),
) -> Entity:
    list_id = entity_id.split(":", 1)[0]
    return Entity(
        id=entity_id,
        list_id=list_id,
        kind=kind,
        names=[Name(n, NameRole.PRIMARY if i == 0 else NameRole.AKA) for i, n in enumerate(names)]
        + [Name(n, NameRole.WEAK) for n in weak],
        birth_dates=[DateValue(d) for d in born],
        nationalities=[Country(c, c) for c in nationality],
        addresses=[Address(country_code=c) for c in country],
        identifiers=list(ids),
        properties=properties or {},
        remarks=remarks,
    )


def kinds(links: list[Link]) -> set[tuple[str, str, str]]:
    return {(link.a, link.b, link.kind) for link in links}


# -- references ----------------------------------------------------------------------


def test_un_reference_from_every_list_that_writes_it() -> None:
    assert un_reference(entity("un-sc:KPi.033", "X")) == "KPi.033"
    assert un_reference(entity("gb-ofsi:1", "X", properties={"un_ref": ["KPi.033"]})) == "KPi.033"
    assert un_reference(entity("eu-fsf:1", "X", properties={"un_id": ["KPi.33"]})) == "KPi.033"
    dfat = entity("au-dfat:1", "X", remarks="QDi.037 Passport Number: a) 27082171")
    assert un_reference(dfat) == "QDi.037"
    assert un_reference(entity("gb-ofsi:2", "X", properties={"un_ref": ["QDE.131"]})) == "QDe.131"


def test_a_reference_inside_a_remark_names_an_associate_not_the_listing() -> None:
    remark = "Led by Doku Khamatovich Umarov (QDi.290)."
    assert un_reference(entity("au-dfat:2", "X", remarks=remark)) is None
    assert un_reference(entity("us-ofac-sdn:1", "X")) is None


def test_ofac_entry_numbers() -> None:
    assert ofac_uid(entity("us-ofac-sdn:9345", "X")) == "9345"
    assert ofac_uid(entity("us-ofac-cons:17013", "X")) == "17013"
    copy = entity("us-csl:abc", "X", properties={"entity_number": ["9345"]})
    assert ofac_uid(copy) == "9345"
    assert ofac_uid(entity("us-csl:def", "X")) is None
    assert ofac_uid(entity("gb-ofsi:9345", "X")) is None


# -- evidence kinds ------------------------------------------------------------------


def test_shared_un_reference_links_at_full_strength() -> None:
    links = find_links(
        [
            entity(
                "un-sc:KPe.001",
                "KOREA MINING DEVELOPMENT TRADING CORPORATION",
                kind=Kind.ORGANIZATION,
            ),
            entity(
                "gb-ofsi:10892", "KOMID", kind=Kind.ORGANIZATION, properties={"un_ref": ["KPe.001"]}
            ),
        ]
    )
    assert len(links) == 1
    assert links[0].kind == "un_reference" and links[0].strength == 1.0
    assert links[0].evidence == "UN reference KPe.001 on both listings"
    assert (links[0].a, links[0].b) == ("gb-ofsi:10892", "un-sc:KPe.001")  # a < b


def test_ofac_copy_links_to_its_ofac_entry() -> None:
    copy = entity("us-csl:x1", "Other Spelling", properties={"entity_number": ["6365"]})
    links = find_links([entity("us-ofac-sdn:6365", "BIN LADIN, Usama"), copy])
    assert kinds(links) == {("us-csl:x1", "us-ofac-sdn:6365", "ofac_uid")}


def test_identifiers_link_after_normalising() -> None:
    vessel_a = entity(
        "au-dfat:1", "NOCTIS", kind=Kind.VESSEL, ids=(Identifier(IdType.IMO, "9258868"),)
    )
    vessel_b = entity(
        "ca-sema:1", "Asher", kind=Kind.VESSEL, ids=(Identifier(IdType.IMO, "IMO 9258868"),)
    )
    links = find_links([vessel_a, vessel_b])
    assert kinds(links) == {("au-dfat:1", "ca-sema:1", "imo")}
    assert links[0].evidence == "IMO number 9258868 on both listings"


def test_passports_of_different_countries_do_not_link_unknown_country_does() -> None:
    iran = entity(
        "un-sc:IRi.1", "A B", ids=(Identifier(IdType.PASSPORT, "A 0009228", country_code="IR"),)
    )
    unknown = entity("gb-ofsi:1", "C D", ids=(Identifier(IdType.PASSPORT, "A0009228"),))
    syria = entity(
        "us-ofac-sdn:1", "E F", ids=(Identifier(IdType.PASSPORT, "A0009228", country_code="SY"),)
    )
    links = kinds(find_links([iran, unknown, syria]))
    assert ("gb-ofsi:1", "un-sc:IRi.1", "passport") in links
    assert ("gb-ofsi:1", "us-ofac-sdn:1", "passport") in links
    assert not any({a, b} == {"un-sc:IRi.1", "us-ofac-sdn:1"} for a, b, _ in links)


def test_registration_and_tax_numbers_compare_as_one_family() -> None:
    uk = entity(
        "gb-ofsi:1",
        "SBERBANK",
        kind=Kind.ORGANIZATION,
        ids=(Identifier(IdType.REGISTRATION, "INN: 7707083893"),),
    )
    us = entity(
        "us-ofac-sdn:2",
        "PJSC SBERBANK",
        kind=Kind.ORGANIZATION,
        ids=(Identifier(IdType.TAX_ID, "7707083893", country_code="RU"),),
    )
    links = find_links([uk, us])
    assert kinds(links) == {("gb-ofsi:1", "us-ofac-sdn:2", "registration")}
    assert links[0].evidence == "registration number 7707083893 (RU) on both listings"


def test_an_identifier_two_entries_of_one_list_share_links_neither() -> None:
    shared = (Identifier(IdType.PASSPORT, "N123456", country_code="IQ"),)
    links = find_links(
        [
            entity("a:1", "P Q", ids=shared),
            entity("a:2", "R S", ids=shared),
            entity("b:1", "T U", ids=shared),
        ]
    )
    assert links == []


def test_name_date_of_birth_and_nationality() -> None:
    uk = entity(
        "gb-ofsi:1", "Oleg Vladimirovich DERIPASKA", born=("1968-01-02",), nationality=("RU",)
    )
    us = entity(
        "us-ofac-sdn:1",
        "DERIPASKA, Oleg Vladimirovich",
        born=("1968-01-02", "1968"),
        nationality=("RU",),
    )
    ca = entity("ca-sema:1", "Oleg Vladimirovich Deripaska", born=("1968-01-02",))
    links = find_links([uk, us, ca])
    by_pair = {(link.a, link.b): link for link in links}
    assert by_pair["gb-ofsi:1", "us-ofac-sdn:1"].kind == "name_birth_nationality"
    assert by_pair["ca-sema:1", "gb-ofsi:1"].kind == "name_birth"
    assert STRENGTH["name_birth"] < STRENGTH["name_birth_nationality"] < STRENGTH["passport"]


def test_name_alone_never_links_persons_and_other_nationalities_block() -> None:
    no_date = [entity("a:1", "Mohammed ALI"), entity("b:1", "ALI, Mohammed")]
    assert find_links(no_date) == []
    other_dates = [
        entity("a:1", "Mohammed ALI", born=("1970-01-01",)),
        entity("b:1", "ALI, Mohammed", born=("1971-01-01",)),
    ]
    assert find_links(other_dates) == []
    nationalities = [
        entity("a:1", "Mohammed ALI", born=("1970-01-01",), nationality=("IQ",)),
        entity("b:1", "ALI, Mohammed", born=("1970-01-01",), nationality=("SY",)),
    ]
    assert find_links(nationalities) == []
    circa = entity("b:1", "ALI, Mohammed")
    circa.birth_dates = [DateValue("1970-01-01", DateKind.CIRCA)]
    [link] = find_links([entity("a:1", "Mohammed ALI", born=("1970-01-01",)), circa])
    assert link.kind == "name_birth_year"  # "circa" is no full date: the year only


def test_organisation_names_link_where_countries_agree() -> None:
    un = entity(
        "un-sc:KPe.001",
        "KOREA MINING DEVELOPMENT TRADING CORPORATION",
        kind=Kind.ORGANIZATION,
        country=("KP",),
    )
    meti = entity(
        "jp-meti-eul:352",
        "Korea Mining Development Trading Corporation (KOMID)",
        kind=Kind.ORGANIZATION,
        country=("KP",),
    )
    elsewhere = entity(
        "b:1",
        "Korea Mining Development Trading Corporation",
        kind=Kind.ORGANIZATION,
        country=("CN",),
    )
    links = find_links([un, meti, elsewhere])
    assert kinds(links) == {("jp-meti-eul:352", "un-sc:KPe.001", "name_country")}


def test_a_name_two_entries_of_one_list_carry_identifies_neither() -> None:
    orgs = [
        entity("a:1", "Bank Melli Iran", kind=Kind.ORGANIZATION),
        entity("a:2", "Bank Melli Iran", kind=Kind.ORGANIZATION),
        entity("b:1", "BANK MELLI IRAN", kind=Kind.ORGANIZATION),
    ]
    assert find_links(orgs) == []


def test_weak_aliases_particles_and_generic_names_are_no_keys() -> None:
    org = entity(
        "a:1",
        "AL-QAIDA",
        "The Base",
        "Trading Company Limited",
        "Usama Bin Laden Network",
        kind=Kind.ORGANIZATION,
        weak=("Islamic Salvation Foundation",),
    )
    assert name_keys(org) == {"bin laden network usama"}


def test_more_shared_names_make_a_name_link_stronger() -> None:
    one = [
        entity("a:1", "Egyptian Islamic Jihad", kind=Kind.ORGANIZATION),
        entity("b:1", "EGYPTIAN ISLAMIC JIHAD", kind=Kind.ORGANIZATION),
    ]
    three = [
        entity(
            "a:1",
            "Al Qaida Network",
            "Islamic Army Group",
            "Islamic Salvation Foundation",
            kind=Kind.ORGANIZATION,
        ),
        entity(
            "b:1",
            "AL QAIDA NETWORK",
            "ISLAMIC ARMY GROUP",
            "ISLAMIC SALVATION FOUNDATION",
            kind=Kind.ORGANIZATION,
        ),
    ]
    weaker, stronger = find_links(one)[0], find_links(three)[0]
    assert weaker.kind == stronger.kind == "name"
    assert weaker.strength < stronger.strength < STRENGTH["name_country"]


# -- grouping ------------------------------------------------------------------------


def _komid() -> list[Entity]:
    org = Kind.ORGANIZATION
    return [
        entity(
            "un-sc:KPe.001",
            "KOREA MINING DEVELOPMENT TRADING CORPORATION",
            kind=org,
            country=("KP",),
        ),
        entity(
            "gb-ofsi:10892",
            "KOREA MINING DEVELOPMENT TRADING CORPORATION",
            kind=org,
            properties={"un_ref": ["KPe.001"]},
        ),
        entity(
            "au-dfat:1113",
            "Korea Mining Development Trading Corporation",
            kind=org,
            remarks="KPe.001 Primary arms dealer",
        ),
        entity(
            "us-ofac-sdn:9345",
            "KOREA MINING DEVELOPMENT TRADING CORPORATION",
            kind=org,
            country=("KP", "CN"),
        ),
        entity(
            "us-csl:9345",
            "KOREA MINING DEVELOPMENT TRADING CORPORATION",
            kind=org,
            properties={"entity_number": ["9345"]},
        ),
        entity(
            "jp-meti-eul:352",
            "Korea Mining Development Trading Corporation (KOMID)",
            kind=org,
            country=("KP",),
        ),
        entity("un-sc:QDi.001", "Someone Else", born=("1960-01-01",)),
    ]


def test_transitive_groups_are_parties_and_every_entity_has_one() -> None:
    groups = group_parties(_komid())
    party = groups.party_of["un-sc:KPe.001"]
    assert groups.members[party] == (
        "au-dfat:1113",
        "gb-ofsi:10892",
        "jp-meti-eul:352",
        "un-sc:KPe.001",
        "us-csl:9345",
        "us-ofac-sdn:9345",
    )
    loner = groups.party_of["un-sc:QDi.001"]
    assert groups.members[loner] == ("un-sc:QDi.001",)
    assert set(groups.party_of) == {e.id for e in _komid()}
    assert all(groups.party_of[link.a] == groups.party_of[link.b] for link in groups.links)
    assert groups.splits == []


def test_party_ids_depend_only_on_the_members() -> None:
    entities = _komid()
    first = group_parties(entities)
    random.Random(4).shuffle(entities)
    second = group_parties(entities)
    assert first.party_of == second.party_of
    assert (
        first.members[first.party_of["un-sc:KPe.001"]]
        == second.members[second.party_of["un-sc:KPe.001"]]
    )
    assert party_id(["b", "a"]) == party_id(["a", "b"]) != party_id(["a"])


def test_different_full_dates_of_birth_split_the_group_and_say_why() -> None:
    # DFAT writes the UN reference of a person the UN and the UK list, with another date.
    un = entity("un-sc:SOi.010", "Hassan Ali DHOORE", born=("1984-05-06",))
    uk = entity(
        "gb-ofsi:12030",
        "Hassan Ali DHOORE",
        born=("1984-05-06",),
        properties={"un_ref": ["SOi.010"]},
    )
    au = entity(
        "au-dfat:1295", "Hassan Ali Dhoore", born=("1986-05-06",), remarks="SOi.010 Senior member"
    )
    groups = group_parties([un, uk, au])
    assert groups.party_of["un-sc:SOi.010"] == groups.party_of["gb-ofsi:12030"]
    assert groups.party_of["au-dfat:1295"] != groups.party_of["un-sc:SOi.010"]
    [split] = groups.splits
    assert split.entity_ids == ("au-dfat:1295", "gb-ofsi:12030", "un-sc:SOi.010")
    assert split.cause == "birth_date"
    assert "different dates of birth" in split.reason and "1986-05-06" in split.reason
    assert "UN reference SOi.010" in split.reason
    assert {link.kind for link in split.links} == {"un_reference"}
    assert not any({"au-dfat:1295"} & {link.a, link.b} for link in groups.links)


def test_a_person_and_a_company_are_never_one_party() -> None:
    person = entity("un-sc:CDi.037", "PROTOGENE RUVUGAYIMIKORE", born=("1960-01-01",))
    company = entity(
        "gb-ofsi:1", "MACHANGA LTD", kind=Kind.ORGANIZATION, properties={"un_ref": ["CDi.037"]}
    )
    groups = group_parties([person, company])
    assert len(groups.members) == 2
    [split] = groups.splits
    assert split.cause == "kind"
    assert "is an organization and un-sc:CDi.037 a person" in split.reason


def test_two_un_references_are_two_parties_even_where_a_list_merges_them() -> None:
    org = Kind.ORGANIZATION
    entities = [
        entity(
            "un-sc:QDe.004", "AL-QAIDA", "Usama Bin Laden Network", "Islamic Army Group", kind=org
        ),
        entity("un-sc:QDe.003", "EGYPTIAN ISLAMIC JIHAD", kind=org),
        # OFAC writes Egyptian Islamic Jihad as a name of Al Qa'ida
        entity(
            "us-ofac-sdn:6366",
            "AL QA'IDA",
            "Usama Bin Laden Network",
            "Islamic Army Group",
            "Egyptian Islamic Jihad",
            kind=org,
        ),
    ]
    groups = group_parties(entities)
    assert groups.party_of["us-ofac-sdn:6366"] == groups.party_of["un-sc:QDe.004"]
    assert groups.party_of["un-sc:QDe.003"] != groups.party_of["un-sc:QDe.004"]
    [split] = groups.splits
    assert split.cause == "un_reference"


def test_a_name_does_not_join_two_entries_one_list_keeps_apart_a_number_may() -> None:
    org = Kind.ORGANIZATION
    # SEMA writes a second company's name as an alias; the UK lists both companies.
    entities = [
        entity("ca-sema:1", "Ashtian Tablo", "Bals Alman", kind=org),
        entity("gb-ofsi:11548", "ASHTIAN TABLO", kind=org),
        entity("gb-ofsi:11549", "BALS ALMAN", kind=org),
    ]
    groups = group_parties(entities)
    assert groups.party_of["gb-ofsi:11548"] != groups.party_of["gb-ofsi:11549"]
    assert [split.cause for split in groups.splits] == ["same_list"]
    assert "gb-ofsi lists" in groups.splits[0].reason
    # DFAT lists one party under two regimes; the UN reference joins them.
    twice = [
        entity("au-dfat:7718", "CRUISE MISSILE INDUSTRY GROUP", kind=org, remarks="IRe.010 x"),
        entity("au-dfat:8506", "CRUISE MISSILE INDUSTRY GROUP", kind=org, remarks="IRe.010 y"),
    ]
    joined = group_parties(twice)
    assert len(joined.members) == 1 and joined.splits == []


def test_different_imo_numbers_keep_vessels_apart() -> None:
    vessel = Kind.VESSEL
    a = entity(
        "a:1",
        "X",
        kind=vessel,
        ids=(Identifier(IdType.IMO, "9187629"), Identifier(IdType.MMSI, "677049700")),
    )
    b = entity(
        "b:1",
        "Y",
        kind=vessel,
        ids=(Identifier(IdType.IMO, "7406784"), Identifier(IdType.MMSI, "677049700")),
    )
    groups = group_parties([a, b])
    assert len(groups.members) == 2
    assert groups.splits[0].cause == "imo"


def test_links_given_are_used_as_given() -> None:
    entities = [entity("a:1", "X Y"), entity("b:1", "Z W")]
    link = Link("a:1", "b:1", "passport", STRENGTH["passport"], "passport 1 on both listings")
    groups = group_parties(entities, [link, Link("a:1", "c:9", "imo", 0.95, "unknown entity")])
    assert len(groups.members) == 1 and groups.links == [link]


def test_years_of_birth_link_where_one_list_gives_no_full_date() -> None:
    un = entity("un-sc:QDi.271", "ARIF QASMANI", born=("1944",))
    dfat = entity("au-dfat:1118", "Arif Qasmani", born=("1944",))
    uk = entity("gb-ofsi:10906", "ARIF QASMANI", born=("1944", "1945"))
    links = find_links([un, dfat, uk])
    assert kinds(links) == {("au-dfat:1118", "un-sc:QDi.271", "name_birth_year")}
    assert "born in 1944 (no full date on one list)" in links[0].evidence
    assert STRENGTH["name_birth_year"] < STRENGTH["name_birth"]
    # both lists give full dates: those decide, the years alone do not link
    one = entity("a:1", "Ivan PETROV", born=("1960-01-01",))
    other = entity("b:1", "PETROV, Ivan", born=("1960-02-02",))
    assert find_links([one, other]) == []


def test_the_uk_sanctions_list_and_ofsi_s_list_meet_on_the_ofsi_group_id() -> None:
    old = entity("gb-ofsi:13658", "YU SON SHIPPING", kind=Kind.ORGANIZATION)
    new = entity(
        "uk-fcdo:RUS1234",
        "Yu Son Shipping Co",
        kind=Kind.ORGANIZATION,
        properties={"ofsi_group_id": ["13658"]},
    )
    other = entity(
        "uk-fcdo:RUS9999", "Yu Son Shipping", kind=Kind.ORGANIZATION,
        properties={"ofsi_group_id": ["20001"]},
    )  # fmt: skip
    assert ("gb-ofsi:13658", "uk-fcdo:RUS1234", "ofsi_group_id") in kinds(find_links([old, new]))
    groups = group_parties([old, new, other])
    assert groups.party_of["gb-ofsi:13658"] == groups.party_of["uk-fcdo:RUS1234"]
    # Another group id: another party, whatever the name says.
    assert groups.party_of["uk-fcdo:RUS9999"] != groups.party_of["gb-ofsi:13658"]
    assert any(split.cause == "ofsi_group_id" for split in groups.splits)


def test_an_alias_of_group_words_alone_links_nothing_a_primary_name_may() -> None:
    org = Kind.ORGANIZATION
    # India bans Manipur's People's Liberation Army; DFAT gives Peru's Shining Path the
    # alias "People's Liberation Army" (a translation): not one party.
    banned = entity("in-mha-banned:13", "People’s Liberation Army", "PLA", kind=org)
    shining = entity("au-dfat:293", "Shining Path", "People's Liberation Army", kind=org)
    assert not find_links([banned, shining])
    # The same words as both lists' primary name still link (DHKP-C on DFAT and OFAC).
    front = entity("au-dfat:292", "Revolutionary People’s Liberation Party/Front", kind=org)
    copy = entity("us-ofac-sdn:4713", "REVOLUTIONARY PEOPLE'S LIBERATION PARTY/FRONT", kind=org)
    assert kinds(find_links([front, copy])) == {("au-dfat:292", "us-ofac-sdn:4713", "name")}
