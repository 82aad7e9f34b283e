"""Read copy (.txt, .md, .html, .docx, .pdf) into a :class:`Document` of segments.

A segment is a sentence, a list item or a heading, with character offsets into
``Document.text``. For plain text and Markdown that text is the file's own text
(decoded), so offsets point into the source; for HTML, DOCX and PDF it is the text
extracted from the file, block by block, and segments carry a ``location`` (page or
paragraph) for the formats a reviewer opens in another program.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ldn_graph.errors import InputError
from ldn_graph.model import Document
from ldn_graph.read.decoding import FIX_BY_KIND, decode_html, decode_text, sniff
from ldn_graph.read.layout import Layout, segment
from ldn_graph.read.plaintext import text_layout
from ldn_graph.text import replace_unsafe

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


# --------------------------------------------------------------------------- readers


def _document(
    path: str, sha: str, layout: Layout, media_type: str, notes: tuple[str, ...] = ()
) -> Document:
    return Document(
        path, sha, layout.text, segment(layout), media_type, layout.links, notes, layout.hidden,
        layout.fields,
    )


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_text_document(data: bytes, path: str, media_type: str = "text/plain") -> Document:
    decoded, note = decode_text(data, path)
    text = _clean_text(decoded)
    notes = (note,) if note else ()
    if media_type == "text/markdown":
        from ldn_graph.read.markdown import markdown_layout

        layout = markdown_layout(text)
    else:
        layout = text_layout(text)
    return _document(path, _sha256(data), layout, media_type, notes)


def read_html_document(data: bytes, path: str) -> Document:
    from ldn_graph.read.html import html_layout

    raw, note = decode_html(data, path)
    layout = html_layout(raw)  # line ends and unsafe characters already made safe
    return _document(path, _sha256(data), layout, "text/html", (note,) if note else ())


def read_docx_document(data: bytes, path: str) -> Document:
    from ldn_graph.read.office import docx_layout

    layout = docx_layout(data, path)
    media_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return _document(path, _sha256(data), layout, media_type)


def read_pdf_document(data: bytes, path: str) -> Document:
    from ldn_graph.read.pdf import pdf_layout

    return _document(path, _sha256(data), pdf_layout(data, path), "application/pdf")


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
            raise InputError(
                f"{name}: not a PDF (no %PDF header); give the PDF itself or the source text"
            )
    else:
        expected = "text"
    if found is None or found[0] == expected:
        return
    kind, description = found
    raise InputError(
        f"{name}: the file is {description}, not what its {suffix} extension says; {FIX_BY_KIND[kind]}"
    )


#: What ``--type`` names for input without a file name (standard input).
TYPE_SUFFIXES = {"txt": ".txt", "md": ".md", "html": ".html", "docx": ".docx", "pdf": ".pdf"}


def sniff_suffix(data: bytes) -> str:
    """The suffix input without a name reads as: a PDF, a Word file (a ZIP archive), HTML
    (it opens with a tag), Markdown (it opens with a "#" heading or front matter), else
    plain text."""
    head = data[:2048].lstrip()
    found = sniff(data)
    if found is not None and found[0] == "pdf":
        return ".pdf"
    if found is not None and found[0] == "zip":
        return ".docx"
    if head[:1] == b"<" and (b"<html" in head.lower() or b"<!doctype" in head.lower() or b"<p" in head.lower()
                              or b"<div" in head.lower() or b"<body" in head.lower()):
        return ".html"
    if head.startswith((b"#", b"---\n")):
        return ".md"
    return ".txt"


def read_document_bytes(data: bytes, name: str, suffix: str, what: str = "input") -> Document:
    """Read input already in memory (standard input, or a file's bytes: ``what``) as a
    file of type ``suffix`` named ``name``; :class:`InputError` with a one-line message."""
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"{name}: {_size_text(len(data))} is larger than the {_size_text(MAX_INPUT_BYTES)} "
                         "limit for one document; split it into smaller files")
    if not data.strip():
        raise InputError(f"{name}: the {what} is empty; nothing to audit")
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
        raise InputError(f"{name}: no text found in the {what}; nothing to audit")
    return doc


def read_document(path: str | Path) -> Document:
    """Read one input file. Raises :class:`InputError` with a one-line message."""
    p = Path(path)
    name = str(path)
    if not p.exists():
        raise InputError(f"{name}: no such file; check the path")
    if p.is_dir():
        raise InputError(f"{name}: is a directory; give the files inside it (e.g. {name}/*.txt)")
    if not p.is_file():
        raise InputError(
            f"{name}: not a regular file (a pipe or a device?); save the copy to a file first"
        )
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
        raise InputError(
            f"{name}: cannot be read ({exc.strerror or exc}); check the file"
        ) from None
    if len(data) > limit:
        raise InputError(f"{name}: {too_big}")
    return read_document_bytes(data, name, suffix, "file")
