"""Citations a reference manager wrote into a Word file's fields.

A citation field's result is the marker the page shows ("[1]", "(Younger et al.,
2013)"); its instruction carries each cited work's record, identifiers included, often
before any bibliography is typed:

* Zotero: ``ADDIN ZOTERO_ITEM CSL_CITATION {json}`` — CSL citation JSON, one
  ``itemData`` per cited item;
* Mendeley: ``ADDIN CSL_CITATION {json}`` — the same CSL shape;
* EndNote: ``ADDIN EN.CITE <EndNote>…</EndNote>`` (the XML as the instruction's text),
  or ``ADDIN EN.CITE`` with the same XML base64-encoded in the field's data (from the
  ``EN.CITE.DATA`` field nested in it).

Bibliography fields (``ZOTERO_BIBL``, ``CSL_BIBLIOGRAPHY``, ``EN.REFLIST``) are not
citations: their result text is the document's reference list and is read as one. Other
fields (``PAGE``, ``HYPERLINK``, ``DATE`` …) are nothing here. A citation field whose data
cannot be read gives no works; its result text is still read like typed text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from ldn_graph.extract.works import csl_work, endnote_works
from ldn_graph.model import CitedWork, FieldCode

__all__ = ["ENDNOTE", "MENDELEY", "ZOTERO", "FieldCitation", "field_citation"]

ZOTERO = "zotero"
MENDELEY = "mendeley"
ENDNOTE = "endnote"

_CSL_RE = re.compile(r"^\s*ADDIN\s+(?P<zotero>ZOTERO_ITEM\s+)?CSL_CITATION\b\s*(?P<json>\{.*\})?\s*$", re.S)
_ENDNOTE_RE = re.compile(r"^\s*ADDIN\s+EN\.CITE\s*(?P<xml><EndNote\b.*)?$", re.S)


@dataclass(frozen=True)
class FieldCitation:
    """One citation field: the span of the marker it shows, the reference manager, and
    the works it cites, in order."""

    start: int
    end: int
    manager: str
    works: tuple[CitedWork, ...]


def _csl(payload: str, manager: str) -> tuple[CitedWork, ...]:
    try:
        data = json.loads(payload)
    except ValueError:
        return ()
    items = data.get("citationItems") if isinstance(data, dict) else None
    works = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("itemData"), dict):
            continue
        key = item.get("id", item["itemData"].get("id"))
        uris = item.get("uris") or item.get("uri")
        if isinstance(uris, list) and uris:
            key = uris[0]
        works.append(csl_work(item["itemData"], manager, None if key is None else str(key)))
    return tuple(works)


def _endnote_data(data: bytes | None) -> str | None:
    if not data:
        return None
    for encoding in ("utf-8", "utf-16"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "<EndNote" in text:
            return text[text.index("<EndNote"):]
    return None


def field_citation(field: FieldCode) -> FieldCitation | None:
    """The citation a field holds, or None for any other field."""
    instruction = field.instruction.replace("\x00", "")
    csl = _CSL_RE.match(instruction)
    if csl is not None:
        manager = ZOTERO if csl.group("zotero") else MENDELEY
        return FieldCitation(field.start, field.end, manager, _csl(csl.group("json") or "", manager))
    endnote = _ENDNOTE_RE.match(instruction)
    if endnote is not None:
        xml = endnote.group("xml") or _endnote_data(field.data)
        works = tuple(work for _display, work in endnote_works(xml, ENDNOTE)) if xml else ()
        return FieldCitation(field.start, field.end, ENDNOTE, works)
    return None
