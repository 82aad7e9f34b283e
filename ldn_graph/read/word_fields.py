"""Word fields and notes as the paragraph reader meets them (:mod:`ldn_graph.read.office`).

A complex field is ``w:fldChar`` begin, its code in ``w:instrText`` runs, ``separate``,
the result runs, ``end``; fields nest (EndNote's ``EN.CITE.DATA`` inside ``EN.CITE``),
and a begin may carry binary data (``w:fldData``, base64). :func:`field_char` keeps each
closed field with a result as a :class:`~ldn_graph.model.FieldCode` on the paragraph's
text. Footnote and endnote references are numbered in the order the body meets them
(:class:`NoteNumbers`).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any

from ldn_graph.model import FieldCode

__all__ = ["W", "NoteNumbers", "OpenField", "SimpleFieldEnd", "field_char"]

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass(frozen=True)
class SimpleFieldEnd:
    """Where a ``w:fldSimple`` ends, in the walk: its result is the text since ``start``."""

    start: int
    instruction: str


@dataclass
class OpenField:
    """A complex field being read: its code so far, where its result starts (after
    ``separate``), and its binary data."""

    code: list[str]
    data: bytes | None
    result: int | None = None


@dataclass
class NoteNumbers:
    """Footnote and endnote references met in the body, numbered in the order the body
    refers to them, as Word numbers them. A document with both kinds gets one sequence
    (Word numbers each kind on its own), so that each number names one note."""

    order: list[tuple[str, str]]  # (kind, id) in the order they are referred to
    numbers: dict[tuple[str, str], int]

    def number(self, kind: str, note_id: str) -> int:
        key = (kind, note_id)
        if key not in self.numbers:
            self.order.append(key)
            self.numbers[key] = len(self.order)
        return self.numbers[key]


def _field_data(fld_char: Any) -> bytes | None:
    found = fld_char.find(f"{W}fldData")
    if found is None or not (found.text or "").strip():
        return None
    try:
        return base64.b64decode("".join(found.text.split()), validate=False)
    except (ValueError, binascii.Error):
        return None


def field_char(element: Any, out: Any, fields: list[OpenField]) -> None:
    """A ``w:fldChar``: begin opens a field, separate starts its result, end closes it; a
    closed field with a result is kept, one without (EndNote's nested EN.CITE.DATA) hands
    its data to the field around it."""
    kind = element.get(f"{W}fldCharType")
    if kind == "begin":
        fields.append(OpenField([], _field_data(element)))
    elif kind == "separate" and fields:
        fields[-1].result = out.length
    elif kind == "end" and fields:
        field = fields.pop()
        if field.result is not None:
            out.fields.append(FieldCode(field.result, out.length, "".join(field.code), field.data))
        elif fields and field.data is not None and fields[-1].data is None:
            fields[-1].data = field.data
