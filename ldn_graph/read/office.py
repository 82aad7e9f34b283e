"""Word (.docx) files → a :class:`~ldn_graph.read.layout.Layout`, with the location a
reviewer can find again ("paragraph 12", "table 2").

DOCX is a ZIP archive: member sizes and compression ratios are checked before anything
is decompressed (zip bombs); python-docx (imported only here) opens the package, and the
body is read from its XML in document order: paragraphs and tables as they come.

A paragraph's role comes from its style: "Heading 1" … "Heading 9" and "Title" (by name,
by style id such as ``Heading2`` even when the file has no styles part, by a few
localised names, by the style it is based on, or by an outline level) are headings;
list styles and numbered paragraphs are list items; "Caption" is a caption, table of
contents entries are navigation. A paragraph in the body style is a heading when it
stands alone as one (short, no full stop, bold or capitalised), a list item when it
starts with a typed bullet or number. Every paragraph of a table cell is a block of its
own. Under a "References" heading each paragraph is a reference entry. Superscript
citation numbers stay superscript (¹,³); a hyperlink's URL is written after its text as
``<URL>``, a hidden span.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from ldn_graph.errors import InputError
from ldn_graph.model import FieldCode, Link
from ldn_graph.read.layout import Layout
from ldn_graph.read.sections import (
    BULLET_RE,
    TextBuilder,
    looks_like_heading,
    mark_item_headings,
    mark_reference_sections,
)
from ldn_graph.read.word_fields import NoteNumbers, OpenField, SimpleFieldEnd, W, field_char
from ldn_graph.terms import SegmentRole
from ldn_graph.text import as_superscript_citation, replace_unsafe

MAX_MEMBER_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_RATIO = 200
MAX_MEMBERS = 10_000  # a Word document has dozens of parts, not thousands

# What opening a damaged archive raises (an unsupported compression method only shows when a
# part is read: python-docx's failure below, one line too).
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError)

R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
# "heading 1" and its names in other languages (a localised Word may write them as the
# style's name or, stripped of accents, as its id: "berschrift1", "Titre2", "Kop3").
_HEADING_STYLE_RE = re.compile(
    r"^(?:heading|[üu]?berschrift|titre|t[ií]?tulo|titolo|kop|rubrik|overskrift|otsikko"
    r"|nag[łl]?[óo]?wek|заголовок|見出し)\s*(?P<level>[1-9])$",
    re.I,
)
_TITLE_STYLES = {"title", "titel", "titre", "título", "titulo", "titolo"}
# Subtrees of a paragraph that are not its text: drawings and text boxes, deleted and
# moved-away text, properties, field codes.
_SKIP = {f"{W}{t}" for t in ("pPr", "rPr", "del", "moveFrom", "drawing", "pict", "object",
                               "delText", "fldData", "sectPr")}
_NOTE_REFERENCES = {f"{W}footnoteReference": "footnote", f"{W}endnoteReference": "endnote"}
_SKIP.add("{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent")
_MAX_STYLE_CHAIN = 20


def check_zip(data: bytes, name: str) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS:
        raise InputError(f"{name}: not a valid .docx (ZIP) file; re-save it from Word") from None
    total = 0
    with archive:
        if len(archive.infolist()) > MAX_MEMBERS:
            raise InputError(
                f"{name}: refused: the archive holds {len(archive.infolist())} members "
                f"(more than {MAX_MEMBERS}); it is not a Word document, re-save it from Word"
            )
        for info in archive.infolist():
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES or (
                info.file_size > 1024 * 1024 and ratio > MAX_RATIO
            ):
                raise InputError(
                    f"{name}: refused: archive member {info.filename!r} expands to "
                    f"{info.file_size} bytes ({ratio:.0f}x); the file looks like a zip bomb and was not "
                    "opened; re-save the document from Word"
                )
        if "word/document.xml" not in archive.namelist():
            raise InputError(f"{name}: not a Word document (no word/document.xml); give a .docx file")


def _open(data: bytes, name: str) -> Any:
    check_zip(data, name)
    try:
        import docx
    except ImportError:  # pragma: no cover - dependency declared in pyproject
        raise InputError("reading .docx needs python-docx: pip install python-docx") from None
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types on malformed parts
        raise InputError(f"{name}: cannot be read as a Word document ({type(exc).__name__})") from None


# --------------------------------------------------------------------------- styles


@dataclass(frozen=True)
class _Style:
    name: str  # lower case
    based_on: str | None
    outline: int | None  # 0-8 (heading levels 1-9)
    numbered: bool


@dataclass(frozen=True)
class _Kind:
    role: SegmentRole
    level: int = 0
    styled: bool = True  # the style says what it is (else: the body style)


def _val(element: Any, tag: str) -> str | None:
    child = element.find(f"{W}{tag}") if element is not None else None
    return child.get(f"{W}val") if child is not None else None


def _outline(ppr: Any) -> int | None:
    value = _val(ppr, "outlineLvl")
    return int(value) if value is not None and value.isdigit() and int(value) <= 8 else None


def _numbered(ppr: Any) -> bool:
    num = ppr.find(f"{W}numPr") if ppr is not None else None
    return num is not None and _val(num, "numId") not in (None, "0")


class _Styles:
    """The paragraph styles of a document, by id, and what each makes a paragraph."""

    def __init__(self, document: Any) -> None:
        self.by_id: dict[str, _Style] = {}
        self.kinds: dict[str | None, _Kind] = {}
        try:
            root = document.styles.element
        except Exception:  # a damaged styles part: styles are read from their ids alone
            return
        for style in root.iterchildren(f"{W}style"):
            if style.get(f"{W}type") not in (None, "paragraph"):
                continue
            style_id = style.get(f"{W}styleId")
            if style_id is None or style_id in self.by_id:
                continue
            ppr = style.find(f"{W}pPr")
            self.by_id[style_id] = _Style(
                (_val(style, "name") or "").strip().lower(),
                _val(style, "basedOn"),
                _outline(ppr),
                _numbered(ppr),
            )

    def kind(self, style_id: str | None) -> _Kind:
        if style_id not in self.kinds:
            self.kinds[style_id] = self._kind(style_id)
        return self.kinds[style_id]

    def _chain(self, style_id: str | None) -> Iterator[tuple[str, _Style]]:
        seen: set[str] = set()
        while style_id is not None and style_id not in seen and len(seen) < _MAX_STYLE_CHAIN:
            seen.add(style_id)
            style = self.by_id.get(style_id, _Style("", None, None, False))
            yield style_id, style
            style_id = style.based_on

    def _kind(self, style_id: str | None) -> _Kind:
        listed = False
        for sid, style in self._chain(style_id):
            for label in (style.name, sid.lower()):
                m = _HEADING_STYLE_RE.match(label)
                if m:
                    return _Kind(SegmentRole.HEADING, int(m.group("level")))
                if label in _TITLE_STYLES:
                    return _Kind(SegmentRole.HEADING, 1)
            if style.outline is not None:
                return _Kind(SegmentRole.HEADING, style.outline + 1)
            if style.name == "caption" or sid.lower() == "caption":
                return _Kind(SegmentRole.CAPTION)
            if style.name.startswith("toc") or sid.lower().startswith("toc"):
                return _Kind(SegmentRole.NAVIGATION)
            if style.name == "bibliography":
                return _Kind(SegmentRole.REFERENCE_ENTRY)
            if style.name == "subtitle":
                return _Kind(SegmentRole.METADATA)
            listed = listed or style.numbered or style.name.startswith("list") or sid.lower().startswith("list")
        if listed:
            return _Kind(SegmentRole.LIST_ITEM)
        return _Kind(SegmentRole.SENTENCE, styled=False)


# --------------------------------------------------------------------------- paragraphs


class _Text(TextBuilder):
    """A paragraph's text with its hyperlinks and the hidden spans of their URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.bold = True  # every run with text is bold
        self.fields: list[FieldCode] = []  # offsets in this paragraph's text
        self.number: int | None = None  # the note it opens (a footnote's or endnote's first paragraph)

    def add_text(self, text: str) -> None:
        self.write(replace_unsafe(text.replace("\r\n", "\n").replace("\r", "\n"), " "))


def _on(rpr: Any, tag: str) -> bool:
    child = rpr.find(f"{W}{tag}") if rpr is not None else None
    return child is not None and child.get(f"{W}val") not in ("0", "false", "off")


@dataclass(frozen=True)
class _LinkEnd:
    """Where a hyperlink ends, in the walk over a paragraph: its URL goes after its text."""

    start: int
    rid: str


def _paragraph_text(p: Any, targets: dict[str, str], notes: NoteNumbers | None = None) -> _Text:
    """The text of a ``w:p``: its runs in order (hyperlinks, insertions, field results and
    content controls included; drawings, text boxes and deleted text not). Fields are kept
    with their codes (``_Text.fields``); a footnote or endnote reference is written as its
    number in superscript."""
    out = _Text()
    fields: list[OpenField] = []
    stack: list[tuple[Any, bool] | _LinkEnd | SimpleFieldEnd] = [(p, False)]  # (element, in a superscript run)
    while stack:
        item = stack.pop()
        if isinstance(item, SimpleFieldEnd):
            out.fields.append(FieldCode(item.start, out.length, item.instruction))
            continue
        if isinstance(item, _LinkEnd):
            href = targets.get(item.rid, "")
            if href:
                out.links.append(Link(item.start, out.length, href))
            if href.lower().startswith(("http://", "https://")) and href not in out.text[item.start :]:
                out.add_text(" ")
                out.hidden.append((out.length, out.length + len(href) + 2))
                out.add_text(f"<{href}>")
            continue
        element, sup = item
        tag = element.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == f"{W}fldChar":
            field_char(element, out, fields)
            continue
        if tag == f"{W}instrText":
            if fields:
                fields[-1].code.append(element.text or "")
            continue
        if tag in _NOTE_REFERENCES and notes is not None and element.get(f"{W}id"):
            number = notes.number(_NOTE_REFERENCES[tag], element.get(f"{W}id"))
            out.add_text(as_superscript_citation(str(number)) or str(number))
            continue
        if tag == f"{W}fldSimple" and element.get(f"{W}instr"):
            stack.append(SimpleFieldEnd(out.length, element.get(f"{W}instr")))
        if tag == f"{W}t":
            text = element.text or ""
            out.add_text((as_superscript_citation(text) or text) if sup else text)
        elif tag == f"{W}tab":
            out.add_text("\t")
        elif tag in (f"{W}br", f"{W}cr"):
            out.add_text("\n")
        elif tag == f"{W}noBreakHyphen":
            out.add_text("-")
        elif tag == f"{W}r":
            rpr = element.find(f"{W}rPr")
            sup = _val(rpr, "vertAlign") == "superscript"
            if out.bold and any(t.text and t.text.strip() for t in element.iterchildren(f"{W}t")):
                out.bold = _on(rpr, "b")
        elif tag == f"{W}hyperlink" and element.get(R_ID):
            stack.append(_LinkEnd(out.length, element.get(R_ID)))
        stack.extend((child, sup) for child in reversed(element))
    return out


def _targets(document: Any) -> dict[str, str]:
    """Relationship id → external URL (hyperlinks)."""
    out: dict[str, str] = {}
    try:
        for rid, rel in document.part.rels.items():
            if rel.is_external:
                out[rid] = re.sub(r"\s", "", replace_unsafe(str(rel.target_ref), ""))
    except Exception:  # a damaged relationships part: links without their URLs
        return out
    return out


def _body_items(body: Any) -> Iterator[tuple[Any, str]]:
    """``(w:p, location)`` for the body's paragraphs and table cells' paragraphs, in order."""
    paragraphs = tables = 0
    stack: list[tuple[Any, str | None]] = [(child, None) for child in reversed(body)]
    while stack:
        element, table = stack.pop()
        tag = element.tag
        if tag == f"{W}p":
            if table is None:
                paragraphs += 1
            yield element, table or f"paragraph {paragraphs}"
        elif tag == f"{W}tbl":
            if table is None:
                tables += 1
            # rows and cells as written: spans are not expanded, a cell continuing a
            # vertical merge gives its own text (none, from Word)
            stack.extend((child, table or f"table {tables}") for child in reversed(element))
        elif tag in (f"{W}tr", f"{W}tc", f"{W}sdt", f"{W}sdtContent", f"{W}customXml",
                     f"{W}ins", f"{W}smartTag"):
            stack.extend((child, table) for child in reversed(element))


#: The heading the notes are written under, after the body (a sources heading, so the
#: notes are read as the document's reference list).
NOTES_HEADING = "Notes"
_NOTE_PARTS = {"footnote": "/relationships/footnotes", "endnote": "/relationships/endnotes"}


def _note_paragraphs(document: Any) -> dict[tuple[str, str], list[Any]]:
    """(kind, id) → the paragraphs of each footnote and endnote (separators aside)."""
    from docx.oxml.parser import parse_xml

    found: dict[tuple[str, str], list[Any]] = {}
    try:
        rels = list(document.part.rels.values())
    except Exception:  # a damaged relationships part: no notes
        return found
    for rel in rels:
        kind = next((k for k, suffix in _NOTE_PARTS.items() if str(rel.reltype).endswith(suffix)), None)
        if kind is None or rel.is_external:
            continue
        try:
            root = parse_xml(rel.target_part.blob)
        except Exception:  # a damaged notes part: the body is still read
            continue
        for note in root.iterchildren(f"{W}{kind}"):
            if note.get(f"{W}type") in (None, "normal") and note.get(f"{W}id") is not None:
                found[(kind, note.get(f"{W}id"))] = list(note.iter(f"{W}p"))
    return found


def _paragraphs(data: bytes, name: str, notes: NoteNumbers) -> Iterator[tuple[Any, _Text, str, _Styles]]:
    """The body's paragraphs, then the notes the body refers to, in their numbers' order."""
    document = _open(data, name)
    styles = _Styles(document)
    targets = _targets(document)
    body = document.element.find(f"{W}body")
    if body is None:
        return  # no body: no text
    for p, location in _body_items(body):
        yield p, _paragraph_text(p, targets, notes), location, styles
    if not notes.order:
        return
    texts = _note_paragraphs(document)
    for key in list(notes.order):
        number = notes.numbers[key]
        for k, p in enumerate(texts.get(key, [])):
            content = _paragraph_text(p, targets)
            content.number = number if k == 0 else None
            yield p, content, f"{key[0]} {number}", styles


def _kind(p: Any, styles: _Styles, content: _Text, in_table: bool) -> _Kind:
    ppr = p.find(f"{W}pPr")
    outline = _outline(ppr)
    if outline is not None:
        return _Kind(SegmentRole.HEADING, outline + 1)
    kind = styles.kind(_val(ppr, "pStyle"))
    if kind.styled:
        return kind
    if _numbered(ppr):
        return _Kind(SegmentRole.LIST_ITEM)
    text = content.text.strip()
    if in_table:
        return kind
    if content.bold and text and len(text.split()) <= 12 and not text.endswith((".", ";", ",")):
        return _Kind(SegmentRole.HEADING)
    typed = BULLET_RE.match(text)
    if typed and not (typed.group("number") and looks_like_heading(text)):
        return _Kind(SegmentRole.LIST_ITEM, styled=False)
    if looks_like_heading(text):
        return _Kind(SegmentRole.HEADING)
    return kind


def _keep(builder: TextBuilder, content: _Text, start: int) -> None:
    """The paragraph's links, hidden spans and fields, at their place in the document."""
    builder.links.extend(Link(start + k.start, start + k.end, k.href) for k in content.links)
    builder.hidden.extend((start + s, start + e) for s, e in content.hidden)
    builder.fields.extend(replace(f, start=start + f.start, end=start + f.end) for f in content.fields)


def docx_layout(data: bytes, name: str) -> Layout:
    """The layout of a Word document: its paragraphs, one block each, with their roles,
    then its footnotes and endnotes under :data:`NOTES_HEADING`, each numbered as Word
    shows it ("1. Younger J, …"), as a printed page gives them."""
    builder = TextBuilder()
    notes = NoteNumbers([], {})
    in_notes = False
    for p, content, location, styles in _paragraphs(data, name, notes):
        text = content.text
        if location.startswith(("footnote", "endnote")):
            if not in_notes:
                builder.add(NOTES_HEADING, SegmentRole.HEADING, 1)
                in_notes = True
            if not text.strip():
                continue
            if content.number is not None:  # the note's text follows its number after a space
                builder.write(f"{content.number}." + ("" if text[:1].isspace() else " "))
            start = builder.length
            builder.add(text, SegmentRole.REFERENCE_ENTRY, 0, location)
            _keep(builder, content, start)
            continue
        if not text.strip():
            continue
        kind = _kind(p, styles, content, location.startswith("table"))
        start = builder.length
        skip = 0
        if kind.role == SegmentRole.LIST_ITEM:
            typed = BULLET_RE.match(text)
            skip = typed.end() if typed and typed.end() < len(text.rstrip()) else 0
        builder.add(text, kind.role, kind.level, location, skip)
        _keep(builder, content, start)
    text = builder.text
    return builder.layout(mark_reference_sections(text, mark_item_headings(text, builder.blocks)))
