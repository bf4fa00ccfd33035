"""The reference numbers one list writes for another list's entry of the same party.

The UN's permanent reference ("KPi.033") is the UN list's record id, and the UK, the EU and
Australia write it beside their own entry; trade.gov's consolidated list republishes OFAC
rows with their OFAC entry number; the FCDO's UK Sanctions List keeps, beside its own
Unique ID, the Group ID of OFSI's consolidated list it replaced (that list's record id).
Such a reference is the publisher's own statement that two entries are one party
(:mod:`core.links`), and two different ones say they are not (:mod:`core.contradictions`).
Which list writes which, where, is in the tables below.
"""

from __future__ import annotations

import re

from core.model import Entity

# UN permanent reference numbers: two capitals (regime), "i" (individual) or "e"
# (entity), a dot, a serial ("KPi.033", "QDe.004"); lists also write "QDi. 6", "QDE.131".
_UN_REF = re.compile(r"\b([A-Z]{2})([ieIE])\.\s?(\d{1,4})\b")
_LEADING_UN_REF = re.compile(r"\s*([A-Z]{2})([ieIE])\.\s?(\d{1,4})\b")
# Properties in which parsers keep the UN reference a list writes beside its own entry.
_UN_REF_PROPERTIES = ("un_reference", "un_ref", "un_id")
# Lists whose own record id is a UN reference, or an OFAC entry number (uid), and the
# property in which a list republishing OFAC rows keeps the OFAC entry number.
_UN_LISTS = frozenset({"un-sc"})
_OFAC_LISTS = frozenset({"us-ofac-sdn", "us-ofac-cons"})
_OFAC_UID_PROPERTIES = {"us-csl": "entity_number"}
# OFSI's Group ID: the record id of OFSI's (retired) consolidated list, and a property of
# the UK Sanctions List's entries (the one a refresh migrates parties by).
_OFSI_GROUP_LISTS = frozenset({"gb-ofsi"})
_OFSI_GROUP_PROPERTIES = {"uk-fcdo": "ofsi_group_id"}


def _un_ref(found: re.Match[str]) -> str:
    return f"{found[1]}{found[2].lower()}.{int(found[3]):03d}"


def un_reference(entity: Entity) -> str | None:
    """The UN permanent reference ("KPi.033") of a UN-listed party, from any list.

    The UN list keys its entries by it; the UK and EU parsers keep it as a property;
    DFAT writes it first in its entry's additional information ("QDi.037 Passport...").
    A reference *inside* a remark names an associate ("led by X (QDi.290)"), not this one.
    """
    if entity.list_id in _UN_LISTS:
        found = _UN_REF.search(entity.record_id)
        return _un_ref(found) if found else None
    for key in _UN_REF_PROPERTIES:
        for value in entity.properties.get(key, ()):
            found = _UN_REF.search(value)
            if found:
                return _un_ref(found)
    if entity.remarks:
        leading = _LEADING_UN_REF.match(entity.remarks)
        if leading:
            return _un_ref(leading)
    return None


def ofac_uid(entity: Entity) -> str | None:
    """The OFAC entry number of an OFAC listing, or of a list's copy of one (trade.gov)."""
    if entity.list_id in _OFAC_LISTS:
        uid = entity.record_id
    else:
        prop = _OFAC_UID_PROPERTIES.get(entity.list_id)
        values = entity.properties.get(prop, ()) if prop else ()
        uid = values[0] if values else ""
    uid = uid.strip()
    return uid if uid.isdigit() else None


def ofsi_group_id(entity: Entity) -> str | None:
    """The OFSI Group ID of a UK listing: OFSI's own record id, or the one the FCDO's UK
    Sanctions List writes beside its entry."""
    if entity.list_id in _OFSI_GROUP_LISTS:
        group = entity.record_id
    else:
        prop = _OFSI_GROUP_PROPERTIES.get(entity.list_id)
        values = entity.properties.get(prop, ()) if prop else ()
        group = values[0] if values else ""
    group = group.strip()
    return group if group.isdigit() else None
