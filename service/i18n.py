"""The lookup page's own words in the officer's language: message catalogues and choosing one.

Translations are gettext catalogues kept in the repository as ``.po`` files
(``service/locales/<locale>/LC_MESSAGES/messages.po``), read directly at start-up with
Babel (no compile step, nothing generated to forget). English is the source language:
a message a catalogue lacks is shown in English.

The language of a request is, in order: the ``lang`` cookie the language switcher sets,
then the browser's ``Accept-Language``, then English. Each language knows its writing
direction, so a right-to-left catalogue (Arabic, Urdu) turns the page's layout around
(``<html dir="rtl">``) the moment its file is added.

Listed names, typed names and list data are never passed through a catalogue: only the
page's own text is.

Adding a string: write it in English inside ``_()`` (templates, Python), ``_f()`` (with
``{placeholders}``), ``_n()`` (plural) or ``N_()`` (a table of words), then run
``make messages``: it extracts ``service/locales/messages.pot`` and merges it into every
``.po`` file, where the new entry waits, empty, for its translation.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Mapping
from dataclasses import dataclass
from gettext import GNUTranslations, NullTranslations
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from markupsafe import Markup, escape

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
LANG_COOKIE = "screening_lang"
SOURCE_LANGUAGE = "en"

# The page's languages: BCP 47 tag (what <html lang> says and the switcher offers), the
# Babel locale of its catalogue folder, and its name in itself. Languages listed here
# without a catalogue file are not offered.
LANGUAGES: tuple[tuple[str, str, str], ...] = (
    ("en", "en", "English"),
    ("ja", "ja", "日本語"),
    ("ko", "ko", "한국어"),
    ("zh-Hans", "zh_Hans", "简体中文"),
    ("zh-Hant", "zh_Hant", "繁體中文"),
    ("hi", "hi", "हिन्दी"),
    ("th", "th", "ไทย"),
    ("id", "id", "Bahasa Indonesia"),
    ("ms", "ms", "Bahasa Melayu"),
    ("vi", "vi", "Tiếng Việt"),
    ("ar", "ar", "العربية"),
    ("ur", "ur", "اردو"),
)

# Browser tags that name a Chinese script by region: mainland and Singapore write
# Simplified, Taiwan, Hong Kong and Macao Traditional.
_CHINESE_REGIONS = {"cn": "zh-Hans", "sg": "zh-Hans", "tw": "zh-Hant", "hk": "zh-Hant"}
_CHINESE_REGIONS["mo"] = "zh-Hant"


def text_direction(locale: str) -> str:
    """ "rtl" for a right-to-left language (Arabic, Urdu, Hebrew...), else "ltr"."""
    try:
        order = Locale.parse(locale).character_order
    except (UnknownLocaleError, ValueError):
        return "ltr"
    return "rtl" if order == "right-to-left" else "ltr"


@dataclass(frozen=True, slots=True)
class Messages:
    """One language's translations, and the helpers templates and sentences call."""

    tag: str  # BCP 47: "ja", "zh-Hant"
    name: str  # the language's name in itself
    dir: str  # "ltr" | "rtl"
    translations: NullTranslations

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    def tr(self, message: str, **values: Any) -> str:
        """The translated message with its ``{placeholders}`` filled (plain text)."""
        return self.gettext(message).format(**values)

    def markup(self, message: str, **values: Any) -> Markup:
        """For templates: the translated message with its placeholders filled, the message
        and plain values escaped, values that are already Markup (a ``<bdi>`` around a
        name) kept."""
        return Markup(escape(self.gettext(message)).format(**values))

    def plural_markup(self, singular: str, plural: str, count: int, **values: Any) -> Markup:
        """The plural form for ``count``; ``{n}`` is ``count`` unless a value is given for it
        (``n="1,234"``, the count as it should be written)."""
        values.setdefault("n", count)
        return Markup(escape(self.ngettext(singular, plural, count)).format(**values))

    def template_globals(self) -> dict[str, Any]:
        """What every template gets: ``_``, ``_f``, ``_n`` and the language itself."""
        return {
            "_": self.gettext,
            "_f": self.markup,
            "_n": self.plural_markup,
            "lang": self,
        }


ENGLISH = Messages("en", "English", "ltr", NullTranslations())


class MessageError(ValueError):
    """An error whose message is a catalogue message with values: ``str()`` is English, and
    :meth:`say` is the officer's language."""

    def __init__(self, template: str, **values: Any) -> None:
        super().__init__(template.format(**values))
        self.template = template
        self.values = values

    def say(self, messages: Messages) -> str:
        return messages.tr(self.template, **self.values)


def read_catalogue(path: Path) -> GNUTranslations:
    """A ``.po`` file as gettext translations (fuzzy and empty entries left out)."""
    with path.open("rb") as handle:
        catalog = read_po(handle)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return GNUTranslations(buffer)


def load_languages(folder: Path = LOCALES_DIR) -> dict[str, Messages]:
    """English and every language of :data:`LANGUAGES` that has a catalogue in ``folder``."""
    found = {SOURCE_LANGUAGE: ENGLISH}
    for tag, locale, name in LANGUAGES:
        path = folder / locale / "LC_MESSAGES" / "messages.po"
        if tag != SOURCE_LANGUAGE and path.is_file():
            found[tag] = Messages(tag, name, text_direction(locale), read_catalogue(path))
    return found


@functools.cache
def languages() -> Mapping[str, Messages]:
    """The catalogues shipped with the service, read once per process."""
    return load_languages()


def _tag_for(requested: str, available: Mapping[str, Messages]) -> str | None:
    parts = requested.strip().replace("_", "-").lower().split("-")
    if not parts or not parts[0] or parts[0] == "*":
        return None
    by_lower = {tag.lower(): tag for tag in available}
    if parts[0] == "zh":
        script = next((p for p in parts[1:] if p in ("hans", "hant")), None)
        region = next((p for p in parts[1:] if p in _CHINESE_REGIONS), None)
        tag = f"zh-{script.capitalize()}" if script else _CHINESE_REGIONS.get(region or "cn")
        return tag if tag in available else None
    return by_lower.get(parts[0])


def parse_accept_language(header: str) -> list[str]:
    """The language ranges of an ``Accept-Language`` header, most wanted first."""
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate(header.split(",")[:30]):
        tag, _, params = item.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and quality > 0:
            ranked.append((-quality, position, tag.strip()))
    return [tag for _, _, tag in sorted(ranked)]


def choose_language(
    cookie: str | None, accept_language: str | None, available: Mapping[str, Messages]
) -> Messages:
    """The switcher's choice, else the browser's first language we have, else English."""
    if cookie:
        tag = _tag_for(cookie[:20], available)
        if tag:
            return available[tag]
    for requested in parse_accept_language(accept_language or ""):
        tag = _tag_for(requested, available)
        if tag:
            return available[tag]
    return available.get(SOURCE_LANGUAGE, ENGLISH)
