"""Text out of .docx and .pdf files, with the location a reviewer can find again.

DOCX is a ZIP archive: member sizes and compression ratios are checked before anything
is decompressed (zip bombs). python-docx and pypdf are imported only here.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

from ldn_graph.errors import InputError
from ldn_graph.text import as_superscript_citation

MAX_MEMBER_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_RATIO = 200
MAX_MEMBERS = 10_000  # a Word document has dozens of parts, not thousands


# What opening a damaged archive raises (an unsupported compression method only shows when a
# part is read: python-docx's failure below, one line too).
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError)


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


def docx_paragraphs(data: bytes, name: str) -> list[tuple[int, str]]:
    """(1-based paragraph number, text) for body paragraphs and table cells, in order."""
    check_zip(data, name)
    try:
        import docx
    except ImportError:  # pragma: no cover - dependency declared in pyproject
        raise InputError("reading .docx needs python-docx: pip install python-docx") from None
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types on malformed parts
        raise InputError(f"{name}: cannot be read as a Word document ({type(exc).__name__})") from None
    out: list[tuple[int, str]] = []
    number = 0
    for para in document.paragraphs:
        number += 1
        text = _paragraph_text(para)
        style = (para.style.name if para.style is not None else "") or ""
        if text.strip():
            if style.lower().startswith("list") and not text.lstrip().startswith(("-", "•")):
                text = "- " + text
            elif style.lower().startswith("heading"):
                text = "# " + text
            out.append((number, text))
    for table in document.tables:
        for text in _cell_texts(table):
            number += 1
            if text.strip():
                out.append((number, text))
    return out


def _cell_texts(table: Any) -> Iterator[str]:
    """The text of each cell of a Word table, row by row, read from the XML.

    python-docx's ``row.cells`` lays the table out on its grid: it fails on a first row
    that continues a vertical merge or on merges that do not line up, and repeats a cell
    ``w:gridSpan`` times (50,000,000 times, if a file says so). Here every ``w:tc`` is
    read once, as written: spans are not expanded, and a cell that continues a vertical
    merge gives its own text (none, from Word), not the first cell's again.
    """
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    tr, tc, p = qn("w:tr"), qn("w:tc"), qn("w:p")
    for row in table._tbl.iterchildren(tr):
        for cell in row.iterchildren(tc):
            yield "\n".join(Paragraph(para, table).text for para in cell.iterchildren(p))


def _paragraph_text(para: object) -> str:
    """A Word paragraph's text, with superscript citation numbers kept superscript (¹,³)."""
    runs = getattr(para, "runs", None)
    if not runs:
        return str(getattr(para, "text", ""))
    parts = []
    for run in runs:
        text = run.text
        if run.font is not None and run.font.superscript:
            text = as_superscript_citation(text or "") or text
        parts.append(text)
    joined = "".join(parts)
    # hyperlinks and fields are not runs of the paragraph: fall back to the full text then
    return joined if len(joined.strip()) >= len(str(getattr(para, "text", "")).strip()) else str(getattr(para, "text", ""))


def pdf_pages(data: bytes, name: str) -> list[tuple[int, str]]:
    """(1-based page number, text) for every page of a text-based PDF."""
    try:
        from pypdf import PdfReader
        from pypdf.errors import DependencyError, PyPdfError
    except ImportError:  # pragma: no cover - dependency declared in pyproject
        raise InputError("reading .pdf needs pypdf: pip install pypdf") from None
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            # Only an owner password (restrictions on printing, copying …) and an empty user
            # password: every viewer opens it, and so do we.
            try:
                opened = reader.decrypt("")
            except DependencyError:
                raise InputError(
                    f"{name}: the PDF is AES-encrypted; reading it needs the cryptography package "
                    "(pip install cryptography), or save an unprotected copy"
                ) from None
            if not opened:
                raise InputError(f"{name}: the PDF needs a password to open; save an unprotected copy")
        pages = [(i + 1, page.extract_text() or "") for i, page in enumerate(reader.pages)]
    except InputError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{name}: cannot be read as a PDF ({type(exc).__name__}); re-save or re-export it") from None
    except (MemoryError, RecursionError) as exc:
        raise InputError(f"{name}: refused: the PDF is too deeply nested or too large to read ({type(exc).__name__})") from None
    except Exception as exc:  # pypdf raises many other types on malformed files
        raise InputError(f"{name}: cannot be read as a PDF ({type(exc).__name__}); re-save or re-export it") from None
    if not any(t.strip() for _, t in pages):
        raise InputError(
            f"{name}: the PDF has no text layer (a scan?); run OCR on it first or give the source text"
        )
    return [(n, unwrap_lines(t)) for n, t in pages]


_BLOCK_START_RE = re.compile(r"^\s*(?:[-*•◦▪‣–·]|\d{1,5}[.)]|\[\d{1,5}\]|#)(?:\s|$)")


def unwrap_lines(text: str) -> str:
    """Join the lines a PDF wrapped back into paragraphs.

    A line continues the previous one when it does not start a bullet or a numbered item
    and either begins in lower case or follows a nearly full line (wrapped at the margin)
    that does not end a sentence or introduce a list.
    """
    lines = [ln.rstrip() for ln in text.split("\n")]
    widest = max((len(ln) for ln in lines), default=0)
    out: list[str] = []
    for line in lines:
        if not line.strip():
            out.append("")
            continue
        if out and out[-1].strip():
            prev = out[-1]
            full = len(prev) >= 0.8 * widest and not prev.endswith((".", ":", "?", "!"))
            lower = line.strip()[:1].islower()
            if (full or lower) and not _BLOCK_START_RE.match(line):
                out[-1] = f"{prev} {line.strip()}"
                continue
        out.append(line)
    return "\n".join(out)
