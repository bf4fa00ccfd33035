"""Person or organization, for lists that do not say: the BIS Denied Persons List and the
untyped Denied Persons and ITAR-debarred rows of the Consolidated Screening List.

Both lists name people "GIVEN FAMILY" and companies by their trading names, so the name
is the only evidence. A name is an organization when it holds a legal-form or business
word (INC, LTD, LLC, CO., GMBH, AIRLINES, TRADING...; :data:`ORGANIZATION_WORDS`), a web
domain, or a spaced dash ("AVIASTAR - TU": people's double names are joined without
spaces, "GUAJARDO-CAVAZOS"), or is a single word (every person on these lists has at
least two names); every other name is a person. Checked against every such name in the
2023-11-30 DPL and the 2022-05 CSL (DPL and DTC rows): the words below leave no company
read as a person there, and no person read as a company. It errs towards "person" for
an unusual company name, which a reviewer sees at once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from core.model import Kind

# Whole words (after removing full stops) that mark a business name.
ORGANIZATION_WORDS = frozenset(
    {
        "INC",
        "INCORPORATED",
        "LTD",
        "LIMITED",
        "LLC",
        "LLP",
        "LP",
        "CO",
        "COMPANY",
        "CORP",
        "CORPORATION",
        "GMBH",
        "AG",
        "SA",
        "SARL",
        "SRL",
        "SPA",
        "BV",
        "NV",
        "PLC",
        "PTE",
        "PTY",
        "FZE",
        "FZCO",
        "FZC",
        "JSC",
        "OOO",
        "ZAO",
        "OAO",
        "PJSC",
        "KG",
        "AB",
        "AS",
        "OY",
        "ENTERPRISE",
        "ENTERPRISES",
        "INDUSTRIES",
        "INDUSTRY",
        "INTERNATIONAL",
        "TRADING",
        "TRADE",
        "GROUP",
        "HOLDING",
        "HOLDINGS",
        "AIRLINES",
        "AIRLINE",
        "AIRWAYS",
        "AVIATION",
        "AIR",
        "CARGO",
        "LOGISTICS",
        "SHIPPING",
        "FREIGHT",
        "TECH",
        "TECHNOLOGY",
        "TECHNOLOGIES",
        "ELECTRONICS",
        "ENGINEERING",
        "SYSTEMS",
        "SOLUTIONS",
        "SERVICES",
        "SUPPLY",
        "SUPPLIES",
        "PRODUCTS",
        "IMPORT",
        "EXPORT",
        "EXPORTS",
        "IMPORTS",
        "CORPORATE",
        "ASSOCIATES",
        "PARTNERS",
        "FIRM",
        "BANK",
        "UNIVERSITY",
        "INSTITUTE",
        "LABORATORIES",
        "LABS",
        "AGENCY",
        "SL",
        "TECHNIK",
        "VERTRIEBS",
        "COMPUTER",
        "COMPUTERS",
        "METALS",
        "COMMERCIO",
        "RESULTS",
    }
)
_WORD = re.compile(r"[A-Z0-9]+")
_DOMAIN = re.compile(r"[A-Z0-9]\.(?:COM|NET|ORG)\b")
_SPACED_DASH = re.compile(r"\s[-\u2013\u2014]\s")


def has_business_mark(name: str) -> bool:
    """True when the name holds a business word, a web domain or a spaced dash."""
    upper = name.upper()
    if _DOMAIN.search(upper) or _SPACED_DASH.search(upper):
        return True
    return bool(set(_WORD.findall(upper.replace(".", ""))) & ORGANIZATION_WORDS)


def infer_kind(name: str) -> Kind:
    """Organization when the name has a business mark or is a single word; else person."""
    if has_business_mark(name) or len(_WORD.findall(name.upper().replace(".", ""))) == 1:
        return Kind.ORGANIZATION
    return Kind.PERSON


def infer_kind_of_names(names: Sequence[str]) -> Kind:
    """The kind of a party listed under ``names`` (its primary name first, then the aliases
    written inside the same cell): a business mark in any of them makes an organization
    ("SIBERIAN AIRLINES D/B/A S7 AIRLINES"); otherwise the primary name decides, since a
    person's alias may be a one-word nickname."""
    if any(has_business_mark(name) for name in names[1:]):
        return Kind.ORGANIZATION
    return infer_kind(names[0])
