"""Read copy (.txt, .md, .html, .docx, .pdf) into a :class:`Document` of segments.

A segment is a sentence, a list item or a heading, with character offsets into
``Document.text``. For plain text and Markdown that text is the file's own text
(decoded), so offsets point into the source; for HTML, DOCX and PDF it is the text
extracted from the file, block by block, and segments carry a ``location`` (page or
paragraph) for the formats a reviewer opens in another program.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ldn_graph.errors import InputError
from ldn_graph.model import Document, Link, Segment
from ldn_graph.read.decoding import FIX_BY_KIND, decode_html, decode_text, sniff
from ldn_graph.terms import SegmentKind
from ldn_graph.text import replace_unsafe, sentence_spans

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
DOCX_SUFFIXES = {".docx"}
PDF_SUFFIXES = {".pdf"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | DOCX_SUFFIXES | PDF_SUFFIXES

MAX_INPUT_BYTES = 50 * 1024 * 1024  # copy larger than this is not a web page or monograph

# --------------------------------------------------------------------------- text


def _clean_text(text: str) -> str:
    """Line ends made ``\\n``; controls other than tab and newline, lone surrogates and
    non-characters (which cannot travel into RDF or XML) each made a space."""
    return replace_unsafe(text.replace("\r\n", "\n").replace("\r", "\n"), " ")


# --------------------------------------------------------------------------- segmentation

BULLET_RE = re.compile(r"^(?P<indent>[ \t\u00a0]*)(?P<mark>[-*•◦▪‣–·]|\d{1,5}[.)])(?:[ \t\u00a0]+|$)")
MD_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}\s+")
LONE_BULLET_RE = re.compile(r"^[ \t\u00a0]*[-*•◦▪‣–·][ \t\u00a0]*$")

@dataclass(frozen=True)
class _Block:
    start: int
    end: int
    kind: str  # "paragraph" | "item" | "heading"
    location: str | None = None


def _is_heading_line(text: str) -> bool:
    """A short line with no sentence punctuation that introduces what follows."""
    stripped = text.strip()
    if not stripped or len(stripped) > 90:
        return False
    if stripped.endswith((".", "!", ";", ",")):
        return False
    words = stripped.split()
    if stripped.endswith(("?", ":")):
        return len(words) <= 16
    if len(words) > 10:
        return False
    capitalised = sum(1 for w in words if w[:1].isupper() or not w[:1].isalpha())
    return capitalised == len(words)


def _line_blocks(text: str, locations: dict[int, str] | None = None) -> list[_Block]:
    """Blocks from a line-oriented text: each non-empty line is a heading, item or paragraph."""
    blocks: list[_Block] = []
    pos = 0
    pending_bullet = False
    for line in text.split("\n"):
        line_start, line_end = pos, pos + len(line)
        pos = line_end + 1
        if not line.strip():
            continue
        location = None
        if locations:
            location = locations.get(line_start)
        if LONE_BULLET_RE.match(line):
            pending_bullet = True
            continue
        s = line_start
        while s < line_end and text[s] in " \t\u00a0":
            s += 1
        e = line_end
        while e > s and text[e - 1] in " \t\u00a0":
            e -= 1
        m = BULLET_RE.match(line)
        h = MD_HEADING_RE.match(line)
        body = text[s:e]
        if h:
            blocks.append(_Block(line_start + h.end(), e, "heading", location))
        elif m and e > line_start + m.end():
            item_start = line_start + m.end()
            numbered = m.group("mark")[0].isdigit()
            kind = "heading" if _is_item_heading(text[item_start:e], numbered) else "item"
            blocks.append(_Block(item_start, e, kind, location))
        elif pending_bullet:
            blocks.append(_Block(s, e, "item", location))
        elif _is_heading_line(body):
            blocks.append(_Block(s, e, "heading", location))
        else:
            blocks.append(_Block(s, e, "paragraph", location))
        pending_bullet = False
    # A short unpunctuated line right above a list introduces it ("Side effects").
    for i, block in enumerate(blocks[:-1]):
        body = text[block.start : block.end]
        if (
            block.kind == "paragraph"
            and blocks[i + 1].kind == "item"
            and len(body.split()) <= 6
            and not body.rstrip().endswith((".", "!", ";", ","))
        ):
            blocks[i] = _Block(block.start, block.end, "heading", block.location)
    return blocks


def _is_item_heading(body: str, numbered: bool) -> bool:
    """List items that are sub-headings ("Endorphin Modulation", "1. Immunomodulation").

    A bulleted single word ("Headache") is an item; a numbered one introduces a section.
    """
    stripped = body.strip()
    words = stripped.split()
    if len(words) < (1 if numbered else 2) or len(words) > 6 or stripped.endswith((".", ":", "?", ",")):
        return False
    return all(
        w[:1].isupper() or w[:1].isdigit() or w[:1] == "(" or w.lower() in {"and", "of", "or", "the", "in", "&"}
        for w in words
    )


def segment(text: str, blocks: Iterable[_Block]) -> tuple[Segment, ...]:
    segments: list[Segment] = []
    lead: tuple[int, int] | None = None
    for index, block in enumerate(blocks):
        if block.kind == "heading":
            segments.append(Segment(block.start, block.end, SegmentKind.HEADING, index, block.location))
            body = text[block.start : block.end].rstrip()
            lead = (block.start, block.end) if body.endswith((":", "?")) else None
            continue
        if block.kind == "item":
            segments.append(Segment(block.start, block.end, SegmentKind.ITEM, index, block.location, lead))
            body = text[block.start : block.end].rstrip()
            if body.endswith(":"):
                lead = (block.start, block.end)
            continue
        spans = sentence_spans(text, block.start, block.end)
        for s, e in spans:
            segments.append(Segment(s, e, SegmentKind.SENTENCE, index, block.location))
        last = text[block.start : block.end].rstrip()
        lead = (spans[-1][0], spans[-1][1]) if spans and last.endswith(":") else None
    return tuple(segments)


# --------------------------------------------------------------------------- readers


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_text_document(data: bytes, path: str, media_type: str = "text/plain") -> Document:
    decoded, note = decode_text(data, path)
    text = _clean_text(decoded)
    notes = (note,) if note else ()
    return Document(path, _sha256(data), text, segment(text, _line_blocks(text)), media_type, notes=notes)


def read_html_document(data: bytes, path: str) -> Document:
    from ldn_graph.read.html import html_to_text

    raw, note = decode_html(data, path)
    text, links = html_to_text(raw)
    text = _clean_text(text)
    return Document(
        path,
        _sha256(data),
        text,
        segment(text, _line_blocks(text)),
        "text/html",
        tuple(Link(s, e, href) for s, e, href in links),
        (note,) if note else (),
    )


def _from_paragraphs(paragraphs: list[tuple[str, str]], path: str, sha: str, media_type: str) -> Document:
    """Build a document from (text, location) paragraphs, one line each."""
    parts: list[str] = []
    locations: dict[int, str] = {}
    pos = 0
    for para, location in paragraphs:
        for line in _clean_text(para).split("\n"):
            locations[pos] = location
            parts.append(line)
            pos += len(line) + 1
    text = "\n".join(parts)
    return Document(path, sha, text, segment(text, _line_blocks(text, locations)), media_type)


def read_docx_document(data: bytes, path: str) -> Document:
    from ldn_graph.read.office import docx_paragraphs

    paragraphs = [(t, f"paragraph {i}") for i, t in docx_paragraphs(data, path)]
    return _from_paragraphs(
        paragraphs,
        path,
        _sha256(data),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


def read_pdf_document(data: bytes, path: str) -> Document:
    from ldn_graph.read.office import pdf_pages

    paragraphs = [(t, f"page {n}") for n, t in pdf_pages(data, path)]
    return _from_paragraphs(paragraphs, path, _sha256(data), "application/pdf")


def _size_text(n: int) -> str:
    """``n`` bytes for a message: ``"812 bytes"``, ``"1.5 MiB"``."""
    if n < 1024:
        return f"{n} bytes"
    value = n / 1024
    for unit in ("KiB", "MiB"):
        if value < 1024:
            return f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GiB"


def _read_at_most(path: Path, limit: int) -> bytes:
    """Up to ``limit`` bytes of ``path``, read in chunks (``read(limit)`` would allocate
    the whole limit up front for every small file)."""
    chunks: list[bytes] = []
    total = 0
    with path.open("rb") as handle:
        while total < limit:
            chunk = handle.read(min(1 << 20, limit - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    return b"".join(chunks)


def _check_content_matches_suffix(data: bytes, name: str, suffix: str) -> None:
    """Refuse a file whose content is of another kind than its extension says."""
    found = sniff(data)
    if suffix in DOCX_SUFFIXES:
        expected = "zip"
    elif suffix in PDF_SUFFIXES:
        expected = "pdf"
        if found is None and b"%PDF-" not in data[:1024]:
            raise InputError(f"{name}: not a PDF (no %PDF header); give the PDF itself or the source text")
    else:
        expected = "text"
    if found is None or found[0] == expected:
        return
    kind, description = found
    raise InputError(f"{name}: the file is {description}, not what its {suffix} extension says; {FIX_BY_KIND[kind]}")


def read_document(path: str | Path) -> Document:
    """Read one input file. Raises :class:`InputError` with a one-line message."""
    p = Path(path)
    name = str(path)
    if not p.exists():
        raise InputError(f"{name}: no such file; check the path")
    if p.is_dir():
        raise InputError(f"{name}: is a directory; give the files inside it (e.g. {name}/*.txt)")
    if not p.is_file():
        raise InputError(f"{name}: not a regular file (a pipe or a device?); save the copy to a file first")
    suffix = p.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputError(
            f"{name}: unsupported file type {suffix or '(none)'!r}; give .txt, .md, .html, .docx or .pdf"
        )
    limit = MAX_INPUT_BYTES
    too_big = f"is larger than the {_size_text(limit)} limit for one document; split it into smaller files"
    try:
        size = p.stat().st_size
        if size > limit:
            raise InputError(f"{name}: {_size_text(size)} {too_big}")
        data = _read_at_most(p, limit + 1)  # never more than the limit, even if the file grew
    except PermissionError:
        raise InputError(f"{name}: permission denied; check the file's permissions") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot be read ({exc.strerror or exc}); check the file") from None
    if len(data) > limit:
        raise InputError(f"{name}: {too_big}")
    if not data.strip():
        raise InputError(f"{name}: the file is empty; nothing to audit")
    _check_content_matches_suffix(data, name, suffix)
    if suffix in HTML_SUFFIXES:
        doc = read_html_document(data, name)
    elif suffix in DOCX_SUFFIXES:
        doc = read_docx_document(data, name)
    elif suffix in PDF_SUFFIXES:
        doc = read_pdf_document(data, name)
    else:
        media = "text/markdown" if suffix in {".md", ".markdown"} else "text/plain"
        doc = read_text_document(data, name, media)
    if not doc.text.strip():
        raise InputError(f"{name}: no text found in the file; nothing to audit")
    return doc
