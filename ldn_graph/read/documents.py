"""Read copy (.txt, .md, .html, .docx, .pdf) into a :class:`Document` of segments.

A segment is a sentence, a list item or a heading, with character offsets into
``Document.text``. For plain text and Markdown that text is the file's own text
(decoded), so offsets point into the source; for HTML, DOCX and PDF it is the text
extracted from the file, block by block, and segments carry a ``location`` (page or
paragraph) for the formats a reviewer opens in another program.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ldn_graph.errors import InputError
from ldn_graph.model import Document, Link, Segment
from ldn_graph.terms import SegmentKind
from ldn_graph.text import replace_unsafe, sentence_spans

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
DOCX_SUFFIXES = {".docx"}
PDF_SUFFIXES = {".pdf"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | DOCX_SUFFIXES | PDF_SUFFIXES

MAX_INPUT_BYTES = 50 * 1024 * 1024  # copy larger than this is not a web page or monograph

# What a file's first bytes say it is, for files whose extension says otherwise.
_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "pdf", "a PDF"),
    (b"PK\x03\x04", "zip", "a ZIP archive (such as a .docx)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole", "an old-style Office file (.doc)"),
    (b"{\\rtf", "rtf", "an RTF document"),
    (b"\x89PNG\r\n\x1a\n", "image", "a PNG image"),
    (b"\xff\xd8\xff", "image", "a JPEG image"),
    (b"GIF8", "image", "a GIF image"),
    (b"\x1f\x8b", "gzip", "gzip-compressed data"),
    (b"\xfd7zXZ\x00", "archive", "xz-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "archive", "a 7-Zip archive"),
    (b"\x28\xb5\x2f\xfd", "archive", "zstd-compressed data"),
    (b"Rar!\x1a\x07", "archive", "a RAR archive"),
    (b"\x7fELF", "program", "a program (ELF executable)"),
)
_BZIP2_RE = re.compile(rb"BZh[1-9]1AY&SY")  # "BZh" alone may open a text
_FIX_BY_KIND = {
    "pdf": "rename it to .pdf",
    "zip": "rename it to .docx if it is a Word document",
    "ole": "open it in Word and save it as .docx",
    "rtf": "save it as .docx or .txt",
    "image": "give the text itself (run OCR on an image first)",
    "gzip": "decompress it first",
    "archive": "extract the document from it first",
    "program": "give the text itself",
}

# Bytes no text file holds in numbers: C0 controls other than tab, LF, VT, FF, CR and ESC,
# and DEL. Compressed or executable data is about 11% of them; text, none or a few.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27)) + b"\x7f"
_BINARY_SAMPLE = 64 * 1024
_BINARY_SHARE = 0.02
_BINARY_MIN = 16  # a few stray controls in a short file are not a verdict
# At most this share of a file's bytes may be invalid UTF-8 for it to be read as damaged
# UTF-8 (with U+FFFD for the invalid bytes) rather than as Windows-1252.
_MAX_INVALID_UTF8 = 0.001
_ASCII = bytes(range(128))

# --------------------------------------------------------------------------- decoding


def decode_text(data: bytes, name: str) -> str:
    """Decode bytes of a text document: BOMs first, then UTF-8, then Windows-1252/latin-1."""
    return decode_text_noting(data, name)[0]


def decode_text_noting(data: bytes, name: str) -> tuple[str, str | None]:
    """:func:`decode_text`, and a note for the report when the text is damaged UTF-8.

    UTF-8 with at most 0.1 % invalid bytes (one bad byte in a long file) is decoded as
    UTF-8, each invalid sequence a U+FFFD, and the note names where; before, one invalid
    byte made the whole file Windows-1252 ("Crohn’s" became "Crohnâ€™s"). A file whose
    non-ASCII bytes are all invalid UTF-8 (no multi-byte character at all) is Windows-1252,
    as before. Binary data without NUL bytes is refused by its share of control bytes.
    """
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding), None
            except UnicodeDecodeError as exc:
                raise InputError(f"{name}: not valid {encoding} text ({exc.reason}); re-save it as UTF-8") from None
    if b"\x00" in data[:4096]:
        # UTF-16 without a BOM shows NULs in every other byte; anything else is binary.
        head = data[:4096]
        even = head[0::2].count(0) / max(len(head[0::2]), 1)
        odd = head[1::2].count(0) / max(len(head[1::2]), 1)
        guess = "utf-16-le" if odd > 0.7 and even < 0.1 else "utf-16-be" if even > 0.7 and odd < 0.1 else None
        if guess:
            try:
                return data.decode(guess), None
            except UnicodeDecodeError:
                pass
        elif head.count(0) * 100 <= len(head):
            # a stray NUL or two in UTF-8 text (pasted from a PDF, say): text, NULs cleaned
            try:
                return data.decode("utf-8"), None
            except UnicodeDecodeError:
                pass
        raise InputError(_binary_message(name))
    refuse_binary(data, name)
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    damage = _utf8_damage(data)
    if damage is None:
        return data.decode("cp1252", errors="replace"), None
    offsets = ", ".join(str(start) for start in damage[:5])
    more = f" and {len(damage) - 5} more" if len(damage) > 5 else ""
    note = (f"{name}: not valid UTF-8 at byte offset{'s' if len(damage) > 1 else ''} {offsets}{more}; "
            "read as UTF-8 with each invalid byte sequence shown as U+FFFD (\ufffd)")
    return data.decode("utf-8", errors="replace"), note


def _binary_message(name: str) -> str:
    return f"{name}: looks like a binary file, not text; give a .txt, .md, .html, .docx or .pdf file"


def refuse_binary(data: bytes, name: str) -> None:
    """Refuse data that is not text though it has no NUL byte (compressed or executable
    data renamed .txt): too many control bytes near its start."""
    head = data[:_BINARY_SAMPLE]
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if controls > max(_BINARY_SHARE * len(head), _BINARY_MIN):
        raise InputError(_binary_message(name))


def _utf8_damage(data: bytes) -> list[int] | None:
    """Where ``data`` is not UTF-8 (the offset of each invalid sequence), when it is UTF-8
    with a little damage; None when it is something else (too many invalid bytes, or no
    valid multi-byte character at all)."""
    limit = _MAX_INVALID_UTF8 * len(data)
    view = memoryview(data)
    starts: list[int] = []
    invalid = pos = 0
    while pos < len(data):
        try:
            codecs.utf_8_decode(view[pos:], "strict", True)  # a view: no copy of the rest
            break
        except UnicodeDecodeError as exc:
            starts.append(pos + exc.start)
            invalid += exc.end - exc.start
            if invalid > limit:
                return None
            pos += exc.end
    non_ascii = len(data) - len(data.translate(None, _ASCII))
    return starts if non_ascii > invalid else None


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
    decoded, note = decode_text_noting(data, path)
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


def decode_html(data: bytes, path: str) -> tuple[str, str | None]:
    """Decode an HTML page by its ``<meta charset>``, else as :func:`decode_text_noting`."""
    head = data[:2048].decode("ascii", errors="ignore")
    m = re.search(r"""<meta[^>]+charset=["']?([A-Za-z0-9_-]+)""", head, re.I)
    if m and not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        refuse_binary(data, path)
        try:
            return data.decode(m.group(1)), None
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text_noting(data, path)


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


def _sniff(data: bytes) -> tuple[str, str] | None:
    """(kind, description) from a file's magic bytes, or None for anything else."""
    for magic, kind, description in _SIGNATURES:
        if data.startswith(magic):
            return kind, description
    if _BZIP2_RE.match(data):
        return "archive", "bzip2-compressed data"
    return None


def _check_content_matches_suffix(data: bytes, name: str, suffix: str) -> None:
    """Refuse a file whose content is of another kind than its extension says."""
    found = _sniff(data)
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
    raise InputError(f"{name}: the file is {description}, not what its {suffix} extension says; {_FIX_BY_KIND[kind]}")


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
