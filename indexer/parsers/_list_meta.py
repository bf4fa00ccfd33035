"""What a parser checks before reading records: the root element of an XML file, and the
registry's address for a record.

Streaming with :func:`indexer.parsers._common.iter_xml` yields the root element last, so a
file that is well-formed but not the list claimed (an HTML error page, another list's
XML) would otherwise be read to the end and silently give zero entities. Peeking at the
first start tag lets a parser refuse it at once, naming the file and what it found.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from indexer.errors import ListError, ListFormatError
from indexer.parsers._common import _refuse_doctype, require_nonempty
from indexer.registry import get_source


def read_xml_root(path: Path, expected: str) -> dict[str, str]:
    """Attributes of the root element, after checking its local name is ``expected``.

    Reads only up to the first start tag; DOCTYPEs and entities are never loaded (the full
    parse refuses them too).
    """
    require_nonempty(path)
    _refuse_doctype(path)
    context = etree.iterparse(
        str(path),
        events=("start",),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
    )
    try:
        _event, root = next(iter(context))
    except StopIteration:
        raise ListFormatError(path, "no XML element found", "start") from None
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else "?"
        raise ListFormatError(path, f"not XML: {exc.msg}", f"line {line}") from exc
    tag = root.tag if isinstance(root.tag, str) else ""
    local = tag.rsplit("}", 1)[-1]
    if local != expected:
        raise ListFormatError(
            path,
            f"root element is <{local}>, expected <{expected}>",
            f"line {root.sourceline or '?'}",
        )
    return {str(k): str(v) for k, v in root.attrib.items()}


def registry_source_url(list_id: str, record_id: str) -> str | None:
    """The registry's address for a record of ``list_id`` (``{record_id}`` filled in).

    None when the list is not in the registry (a parser may be run on a test list id).
    """
    try:
        template = get_source(list_id).source_url
    except ListError:
        return None
    if template is None:
        return None
    return template.replace("{record_id}", record_id)
