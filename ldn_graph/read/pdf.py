"""PDF files → a :class:`~ldn_graph.read.layout.Layout` of paragraphs, with the page each
starts on ("page 3").

pypdf (imported only here) extracts each page's text line by line; the position, size
and weight of each line's first words come from its text visitor. Lines then become
blocks as a reader sees them:

- a line continues the paragraph above it unless a blank line, a larger vertical gap, a
  change of type size, an indented first line or a typed bullet or number says a new block
  starts, or the line above stopped short of the margin (a paragraph's last line);
- a word hyphenated at a line's end is joined again ("inflam-" + "mation"), keeping the
  hyphen only when the document writes that word with one elsewhere ("low-dose");
- a line repeated at the top or bottom of most pages (a running header or footer) and a
  page number there are dropped;
- a paragraph in a larger type than the body, a bold line standing alone, or a short
  capitalised line standing alone is a heading; a bulleted or numbered one a list item;
  under a "References" heading each paragraph is a reference entry.

Without positions (a PDF whose visitor reports none) the same rules run on the text alone.
"""

from __future__ import annotations

import io
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ldn_graph.errors import InputError
from ldn_graph.read.layout import Layout
from ldn_graph.read.sections import (
    BULLET_RE,
    TextBuilder,
    looks_like_heading,
    mark_item_headings,
    mark_reference_sections,
)
from ldn_graph.terms import SegmentRole
from ldn_graph.text import replace_unsafe

_PAGE_NUMBER_RE = re.compile(
    r"^\W*(?:(?:page|p\.|seite|pagina|página)\s*)?(?:\d{1,4}|[ivxlc]{1,7})"
    r"(?:\s*(?:of|/|von|de|sur)\s*\d{1,4})?\W*$",
    re.I,
)
# A table of contents entry: a title, a dot leader and a page number.
_CONTENTS_RE = re.compile(r"(?:\.\s?){4,}\s*(?:\d{1,4}|[ivxlc]{1,7})$|…\s*\d{1,4}$", re.I)
_BOLD_FONT_RE = re.compile(r"bold|black|heavy|semibold|demi", re.I)
_HYPHENATED_END_RE = re.compile(r"([^\W\d_]+)[-\u00ad]$")
_WORD_RE = re.compile(r"[^\W\d_][\w\-]*")
_SENTENCE_END = (".", "!", "?", ":", "…")
_RUNNING_WORDS = 15  # a running header or footer is a short line
_EDGE_LINES = 2  # lines at the top and at the bottom of a page that may be running text
_FULL_LINE = 0.75  # a line this share of the page's widest line reaches the margin
_GAP = 1.3  # a vertical gap this many times the usual line spacing starts a block
_HEADING_SIZE = 1.15  # a type this much larger than the body's is a heading's


@dataclass
class _Line:
    text: str
    page: int
    x: float | None = None
    y: float | None = None
    size: float = 0.0
    bold: bool = False


def _matrix(tm: Sequence[float], cm: Sequence[float]) -> tuple[float, ...]:
    """``tm`` × ``cm`` (PDF's 6-number affine matrices)."""
    a, b, c, d, e, f = (float(v) for v in tm)
    p, q, r, s, t, u = (float(v) for v in cm)
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


def _is_bold(font: Any) -> bool:
    try:
        return bool(_BOLD_FONT_RE.search(str(font.get("/BaseFont", "")))) if font is not None else False
    except Exception:  # a damaged font dictionary says nothing about weight
        return False


class _Collector:
    """A pypdf text visitor that cuts a page's text into lines with their first words'
    position, the type size most of their characters have and whether they are all bold
    (what the visitor is given, joined, is the page's text)."""

    def __init__(self, page: int) -> None:
        self.page = page
        self.lines: list[_Line] = []
        self.parts: list[str] = []
        self.place: tuple[float | None, float | None] | None = None
        self.sizes: dict[float, int] = {}
        self.bold = True

    def __call__(self, text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        for i, piece in enumerate(text.split("\n")):
            if i:
                self.close()
            if not piece:
                continue
            self.parts.append(piece)
            if piece.strip():
                x, y, points, bold = _attributes(cm, tm, font, size)
                if self.place is None:
                    self.place = (x, y)
                self.sizes[points] = self.sizes.get(points, 0) + len(piece)
                self.bold = self.bold and bold

    def close(self) -> None:
        text = replace_unsafe("".join(self.parts).replace("\r", " "), " ").rstrip()
        x, y = self.place or (None, None)
        size = max(self.sizes, key=self.sizes.__getitem__) if self.sizes else 0.0
        self.lines.append(_Line(text, self.page, x, y, size, self.bold and bool(self.sizes)))
        self.parts, self.place, self.sizes, self.bold = [], None, {}, True


def _attributes(cm: Any, tm: Any, font: Any, size: Any) -> tuple[float | None, float | None, float, bool]:
    try:
        m = _matrix(tm, cm)
        scale = math.hypot(m[2], m[3])
        points = float(size) * scale if scale > 0 else float(size)
        if not all(math.isfinite(v) for v in (m[4], m[5], points)):
            return None, None, 0.0, _is_bold(font)
        return m[4], m[5], round(points * 2) / 2, _is_bold(font)
    except (TypeError, ValueError, IndexError):
        return None, None, 0.0, _is_bold(font)


def _read_pages(data: bytes, name: str) -> list[list[_Line]]:
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
        pages = []
        for number, page in enumerate(reader.pages, 1):
            collector = _Collector(number)
            page.extract_text(visitor_text=collector)
            collector.close()
            pages.append(collector.lines)
    except InputError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{name}: cannot be read as a PDF ({type(exc).__name__}); re-save or re-export it") from None
    except (MemoryError, RecursionError) as exc:
        raise InputError(f"{name}: refused: the PDF is too deeply nested or too large to read ({type(exc).__name__})") from None
    except Exception as exc:  # pypdf raises many other types on malformed files
        raise InputError(f"{name}: cannot be read as a PDF ({type(exc).__name__}); re-save or re-export it") from None
    if not any(line.text.strip() for lines in pages for line in lines):
        raise InputError(
            f"{name}: the PDF has no text layer (a scan?); run OCR on it first or give the source text"
        )
    return pages


# --------------------------------------------------------------------------- running text


def _edges(lines: list[_Line]) -> list[int]:
    """Indices of the first and last few non-blank lines of a page."""
    filled = [i for i, line in enumerate(lines) if line.text.strip()]
    return sorted(set(filled[:_EDGE_LINES] + filled[-_EDGE_LINES:]))


def _shape(text: str) -> str:
    """A line as it repeats from page to page: numbers and spacing aside."""
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def drop_running_lines(pages: list[list[_Line]]) -> list[list[_Line]]:
    """Pages without their running headers and footers (a short line at the top or bottom
    of at least half the pages, two or more, numbers aside) and page numbers."""
    seen: Counter[str] = Counter()
    for lines in pages:
        seen.update({_shape(lines[i].text) for i in _edges(lines) if len(lines[i].text.split()) <= _RUNNING_WORDS})
    running = {shape for shape, n in seen.items() if n >= 2 and n * 2 >= len(pages)}
    out = []
    for lines in pages:
        drop = {
            i
            for i in _edges(lines)
            if _shape(lines[i].text) in running or _PAGE_NUMBER_RE.match(lines[i].text.strip())
        }
        out.append([line for i, line in enumerate(lines) if i not in drop])
    return out


# --------------------------------------------------------------------------- paragraphs


@dataclass
class _Geometry:
    body_size: float  # the type size of most of the text (0: unknown)
    spacing: float | None  # the usual distance between lines of a paragraph
    widest: dict[int, int]  # per page, the length of its widest body line


def _geometry(lines: Sequence[_Line]) -> _Geometry:
    sizes: Counter[float] = Counter()
    for line in lines:
        if line.size:
            sizes[line.size] += len(line.text)
    body = sizes.most_common(1)[0][0] if sizes else 0.0
    gaps = []
    for prev, line in zip(lines, lines[1:], strict=False):
        if (
            prev.page == line.page
            and prev.y is not None
            and line.y is not None
            and prev.size == line.size == body
            and prev.y - line.y > 0
        ):
            gaps.append(prev.y - line.y)
    gaps.sort()
    widest: dict[int, int] = {}
    for line in lines:
        if not body or line.size == body:
            widest[line.page] = max(widest.get(line.page, 0), len(line.text.strip()))
    return _Geometry(body, gaps[len(gaps) // 2] if gaps else None, widest)


def _continues(group: list[_Line], line: _Line, geo: _Geometry) -> bool:
    """Whether ``line`` goes on with the paragraph whose lines so far are ``group``."""
    prev = group[-1]
    before, text = prev.text.strip(), line.text.strip()
    if BULLET_RE.match(text) or _CONTENTS_RE.search(text) or _CONTENTS_RE.search(before):
        return False
    hyphenated = _HYPHENATED_END_RE.search(before) is not None and text[:1].islower()
    ends = before.endswith(_SENTENCE_END)
    if line.page != prev.page:  # a paragraph runs on over a page break only mid-sentence
        return not ends and text[:1].islower() and line.size == prev.size
    if prev.size and line.size and abs(line.size - prev.size) > 0.1 * max(prev.size, line.size):
        return False
    located = prev.y is not None and line.y is not None
    if located:
        assert prev.y is not None and line.y is not None
        gap = prev.y - line.y
        usual = geo.spacing or 1.2 * (line.size or 12)
        if gap <= 0 or gap > _GAP * usual:
            return False
        em = line.size or 10
        item = BULLET_RE.match(group[0].text.strip()) is not None
        if prev.x is not None and line.x is not None and line.x - prev.x > 0.9 * em and not item:
            return False  # an indented first line (a list item's text may hang indented)
        hanging = group[1].x if item and len(group) > 1 else None
        if hanging is not None and line.x is not None and line.x < hanging - 0.5 * em:
            return False  # back at the margin, out of an item whose lines hang indented
    if hyphenated:
        return True
    widest = geo.widest.get(prev.page, 0)
    full = len(before) >= _FULL_LINE * widest
    lower = text[:1].islower()
    if located:
        # a line that stops at a comma or mid-phrase goes on (a short one may be a heading)
        open_end = before[-1:] in ",;(" or (before[-1:].islower() and len(before) >= 0.5 * widest)
        return full or open_end or (lower and not ends)
    return (full and not ends) or lower


def _groups(lines: Iterable[_Line], geo: _Geometry) -> list[list[_Line]]:
    groups: list[list[_Line]] = []
    current: list[_Line] = []
    for line in lines:
        if not line.text.strip():
            current = []
            continue
        if current and _continues(current, line, geo):
            current.append(line)
            continue
        current = [line]
        groups.append(current)
    return groups


def _words(lines: Iterable[_Line]) -> set[str]:
    words: set[str] = set()
    for line in lines:
        words.update(w.lower() for w in _WORD_RE.findall(line.text))
    return words


def _joined(group: list[_Line], words: set[str]) -> str:
    """The lines of a paragraph as one line: a hyphenated word made whole."""
    text = group[0].text.strip()
    for line in group[1:]:
        after = line.text.strip()
        m = _HYPHENATED_END_RE.search(text)
        if m and after[:1].islower():
            head = m.group(1).lower()
            tail = _WORD_RE.match(after)
            tail_word = tail.group(0).lower() if tail else ""
            compound = f"{head}-{tail_word}" in words and f"{head}{tail_word}" not in words
            text = text[: m.end(1)] + ("-" if compound else "") + after
        else:
            text = f"{text} {after}"
    return text


def _role(group: list[_Line], text: str, geo: _Geometry, heading_sizes: list[float]) -> tuple[SegmentRole, int, int]:
    """(role, heading level, characters to skip: a typed bullet) of a paragraph."""
    size = group[0].size
    if _CONTENTS_RE.search(text):
        return SegmentRole.NAVIGATION, 0, 0
    typed = BULLET_RE.match(text)
    if size and geo.body_size and size >= _HEADING_SIZE * geo.body_size and len(group) <= 3 and len(text) <= 200:
        return SegmentRole.HEADING, heading_sizes.index(size) + 1, 0
    if len(group) == 1 and all(line.bold for line in group) and not (
        len(text.split()) > 12 or text.endswith((".", ";", ","))
    ) and not (typed and typed.group("bullet")):
        return SegmentRole.HEADING, len(heading_sizes) + 1, 0
    if typed and not (typed.group("number") and looks_like_heading(text)):
        skip = typed.end() if typed.end() < len(text) else 0
        return SegmentRole.LIST_ITEM, 0, skip
    if len(group) == 1 and looks_like_heading(text):
        return SegmentRole.HEADING, 0, 0
    return SegmentRole.SENTENCE, 0, 0


def _build(pages: list[list[_Line]]) -> TextBuilder:
    lines = [line for page in drop_running_lines(pages) for line in page]
    geo = _geometry(lines)
    words = _words(lines)
    groups = _groups(lines, geo)
    heading_sizes = sorted(
        {g[0].size for g in groups if geo.body_size and g[0].size >= _HEADING_SIZE * geo.body_size},
        reverse=True,
    )
    builder = TextBuilder()
    for group in groups:
        text = _joined(group, words)
        role, level, skip = _role(group, text, geo, heading_sizes)
        builder.add(text, role, min(level, 9), f"page {group[0].page}", skip)
    return builder


def pdf_layout(data: bytes, name: str) -> Layout:
    """The layout of a text-based PDF: its paragraphs, headings and list items by page."""
    builder = _build(_read_pages(data, name))
    text = builder.text
    return builder.layout(mark_reference_sections(text, mark_item_headings(text, builder.blocks)))


def unwrap_lines(text: str) -> str:
    """Plain text as the PDF reader joins its lines, without positions: one paragraph a line."""
    lines = [_Line(line.rstrip(), 1) for line in text.split("\n")]
    groups = _groups(lines, _geometry(lines))
    words = _words(lines)
    return "\n".join(_joined(group, words) for group in groups)
