"""Country codes for nationalities written as adjectives ("Russian", "Afghan", "Saudi Arabian").

DFAT's older layout (and some OFSI rows) give citizenship as a demonym, which the
country-name table in :mod:`core.countries` deliberately does not guess at. This table
holds the demonyms seen on those lists, exact matches only, so a nationality still gets
its ISO code for filtering and secondary evidence.
"""

from __future__ import annotations

import re

from core.countries import country_code

_DEMONYMS: dict[str, str] = {
    "afghan": "AF",
    "afghani": "AF",
    "albanian": "AL",
    "algerian": "DZ",
    "american": "US",
    "australian": "AU",
    "bahraini": "BH",
    "belarusian": "BY",
    "belarussian": "BY",
    "bosnian": "BA",
    "british": "GB",
    "burmese": "MM",
    "canadian": "CA",
    "chinese": "CN",
    "congolese": "CD",
    "cuban": "CU",
    "danish": "DK",
    "dutch": "NL",
    "egyptian": "EG",
    "emirati": "AE",
    "eritrean": "ER",
    "ethiopian": "ET",
    "filipino": "PH",
    "french": "FR",
    "georgian": "GE",
    "german": "DE",
    "indian": "IN",
    "indonesian": "ID",
    "iranian": "IR",
    "iraqi": "IQ",
    "israeli": "IL",
    "italian": "IT",
    "jordanian": "JO",
    "kazakh": "KZ",
    "kenyan": "KE",
    "kuwaiti": "KW",
    "kyrgyz": "KG",
    "lebanese": "LB",
    "libyan": "LY",
    "malaysian": "MY",
    "malian": "ML",
    "mauritanian": "MR",
    "mauritian": "MU",
    "moldovan": "MD",
    "moroccan": "MA",
    "nicaraguan": "NI",
    "nigerian": "NG",
    "nigerien": "NE",
    "north korean": "KP",
    "omani": "OM",
    "pakistani": "PK",
    "palestinian": "PS",
    "qatari": "QA",
    "russian": "RU",
    "rwandan": "RW",
    "saudi": "SA",
    "saudi arabian": "SA",
    "serbian": "RS",
    "somali": "SO",
    "south sudanese": "SS",
    "spanish": "ES",
    "sudanese": "SD",
    "swedish": "SE",
    "swiss": "CH",
    "syrian": "SY",
    "tajik": "TJ",
    "trinidadian": "TT",
    "tunisian": "TN",
    "turkish": "TR",
    "ugandan": "UG",
    "ukrainian": "UA",
    "uzbek": "UZ",
    "venezuelan": "VE",
    "yemeni": "YE",
    "zimbabwean": "ZW",
}


def nationality_code(text: str | None) -> str | None:
    """ISO 3166-1 alpha-2 code of a country name or a demonym; None when not recognised."""
    if not text:
        return None
    cleaned = " ".join(text.replace("\xa0", " ").split()).strip(" .,;")
    found = country_code(cleaned) or _DEMONYMS.get(cleaned.casefold())
    if found is None and "(" in cleaned:  # "Democratic People's Republic of Korea (North Korea)"
        found = nationality_code(re.sub(r"\s*\([^)]*\)", "", cleaned))
    return found
