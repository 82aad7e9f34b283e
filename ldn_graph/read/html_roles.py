"""The roles of an HTML page's blocks, from where each sits and what it is.

The main content is ``<main>`` (or ``role="main"``), else the page's only ``<article>``
(unless most of the page's text is outside it), else the whole page. Text outside it, and navigation, sidebars (an ``<aside>``
outside the article or main content; inside, a fact box or callout is content unless its
class names chrome), forms, dialogs (cookie banners) and the page header and footer anywhere, is chrome: it is kept (reference
finding and the reader's eye still see it) but never carries claims. Navigation is cut
into one block per link; chrome prose into sentences (a footer's as disclaimers). Under a
"References"-like heading, wherever it is, each line is a reference entry.

In the main content: headings keep their level (an FAQ's ``<summary>`` and a ``<dt>``
are headings too); a list item is a list item; a table row of short values ("2 | 3 mg |
7 to 14 days") or of a few phrases ("3–4 | 1.5mg | Raise if side effects are manageable")
is one sentence, a row with sentences in its cells gives a block per cell, and header
cells are captions, as are ``<caption>`` and ``<figcaption>``; a paragraph that is nothing
but links is link text; titles, ``<meta>`` descriptions, bylines and a quotation's
``<cite>`` are metadata.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from ldn_graph.read.layout import Block
from ldn_graph.read.sections import (
    BULLET_RE,
    ReferenceSection,
    line_blocks,
    sentence_blocks,
    trimmed,
)
from ldn_graph.terms import SegmentRole

# A table row whose cells all have at most this many words reads as one statement; so
# does a row of a few phrases ("3–4 | 1.5mg | Raise if side effects are manageable").
_SHORT_CELL_WORDS = 4
_PHRASE_ROW_CELLS = 4
_PHRASE_ROW_WORDS = 24
_SENTENCE_INSIDE_RE = re.compile(r"[.!?][\"”’)]*\s+\S")
# Chrome in which every link is a block of its own, whatever text sits between them.
_LINK_LISTS = frozenset({"nav", "header"})
_SEPARATORS = frozenset("|>›»·•/\\-–—:,;")
_PROSE_KINDS = frozenset({"text", "item", "cell", "header cell"})


class Where(NamedTuple):
    """Where a piece of a page's text sits: what block it is part of and in what region."""

    kind: str = "text"  # text, heading, item, cell, header cell, caption, meta
    level: int = 0  # a heading's level (0: a summary, a dt)
    chrome: str = ""  # "", nav, aside, form, dialog, header, footer
    main: bool = False  # inside <main> or role="main"
    article: int = 0  # which outermost <article> (1, 2 …; 0: none)
    quote: bool = False  # inside a <blockquote> or <figure>
    row: int = 0  # which table row (0: none)
    cell: int = 0  # which table cell (0: none)


@dataclass(frozen=True)
class RawBlock:
    """A block as the parser closed it: a span of the text (untrimmed) and where it sits."""

    start: int
    end: int
    where: Where


class _Spans:
    """Sorted, non-overlapping spans (links, hidden URLs) and those inside a range."""

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]

    def within(self, start: int, end: int) -> Iterator[tuple[int, int]]:
        i = bisect_left(self.starts, start)
        while i < len(self.spans) and self.spans[i][0] < end:
            yield self.spans[i]
            i += 1


def _words(text: str, block: RawBlock) -> int:
    return len(text[block.start : block.end].split())


def _rows(text: str, raw: Sequence[RawBlock]) -> Iterator[tuple[int, int, Where]]:
    """(start, end, where) per block, a table row of short cells made one block."""
    i = 0
    while i < len(raw):
        block = raw[i]
        row = block.where.row
        if not row or block.where.kind not in ("cell", "header cell"):
            yield block.start, block.end, block.where
            i += 1
            continue
        j = i
        while j < len(raw) and raw[j].where.row == row and raw[j].where.kind in ("cell", "header cell"):
            j += 1
        cells = raw[i:j]
        one_each = len({c.where.cell for c in cells}) == len(cells)
        short = all(_words(text, c) <= _SHORT_CELL_WORDS for c in cells)
        phrases = (
            len(cells) <= _PHRASE_ROW_CELLS
            and sum(_words(text, c) for c in cells) <= _PHRASE_ROW_WORDS
            and not any(_SENTENCE_INSIDE_RE.search(text, c.start, c.end) for c in cells)
        )
        if one_each and (short or phrases):
            kinds = {c.where.kind for c in cells}
            kind = "header cell" if kinds == {"header cell"} else "cell"
            where = Where(kind, chrome=block.where.chrome, main=block.where.main, article=block.where.article)
            yield cells[0].start, cells[-1].end, where
        else:
            for c in cells:
                yield c.start, c.end, c.where
        i = j


def _visible(text: str, start: int, end: int, cut: Sequence[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """The trimmed spans of ``text[start:end]`` between the spans ``cut`` (sorted)."""
    at = start
    for s, e in cut:
        if s > at:
            yield trimmed(text, at, min(s, end))
        at = max(at, e)
    if at < end:
        yield trimmed(text, at, end)


def _unseparated(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` without the separators at either end ("| ", " >", " ·")."""
    while start < end and (text[start].isspace() or text[start] in _SEPARATORS):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _SEPARATORS):
        end -= 1
    return start, end


def _has_words(text: str, start: int, end: int) -> bool:
    return any(ch.isalnum() for ch in text[start:end])


class _Roles:
    def __init__(
        self,
        text: str,
        links: Sequence[tuple[int, int, str]],
        hidden: Sequence[tuple[int, int]],
        main: str,
    ) -> None:
        self.text = text
        self.links = _Spans([(s, e) for s, e, _ in links if e > s])
        self.hidden = _Spans(hidden)
        self.main = main

    def chrome(self, where: Where) -> str:
        if where.chrome:
            return where.chrome
        if self.main == "main" and not where.main:
            return "outside"
        if self.main == "article" and where.article != 1:
            return "outside"
        return ""

    def pieces(self, start: int, end: int) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """The links of ``text[start:end]`` and the visible words between them."""
        links = [(max(s, start), min(e, end)) for s, e in self.links.within(start, end)]
        cut = sorted(links + list(self.hidden.within(start, end)))
        words = [(s, e) for s, e in _visible(self.text, start, end, cut) if _has_words(self.text, s, e)]
        return [trimmed(self.text, s, e) for s, e in links if _has_words(self.text, s, e)], words

    def chrome_blocks(self, start: int, end: int, where: Where, chrome: str) -> Iterator[Block]:
        role = SegmentRole.DISCLAIMER if chrome == "footer" else SegmentRole.NAVIGATION
        if where.kind == "heading":
            yield Block(start, end, SegmentRole.NAVIGATION)
            return
        if where.kind in ("meta", "caption"):
            yield Block(start, end, SegmentRole.METADATA if where.kind == "meta" else SegmentRole.CAPTION)
            return
        links, words = self.pieces(start, end)
        if links and (chrome in _LINK_LISTS or not words):
            words = [_unseparated(self.text, s, e) for s, e in words]
            spans = sorted([(s, e, SegmentRole.NAVIGATION) for s, e in links] + [(s, e, role) for s, e in words])
            for s, e, piece_role in spans:
                yield Block(s, e, piece_role)
            return
        yield from sentence_blocks(self.text, Block(start, end, role), role)

    def content_blocks(self, start: int, end: int, where: Where) -> Iterator[Block]:
        """The block of a span of the main content; a paragraph whose line breaks set off
        typed bullets or numbers ("Side effects:<br>• Headache<br>• Nausea") gives a block
        per line, the bulleted ones list items."""
        if where.kind in ("text", "item") and "\n" in self.text[start:end]:
            lines = list(line_blocks(self.text, Block(start, end, SegmentRole.SENTENCE), SegmentRole.SENTENCE))
            if any(BULLET_RE.match(self.text[b.start : b.end]) for b in lines[1:]):
                for line in lines:
                    typed = BULLET_RE.match(self.text[line.start : line.end])
                    if typed and line.start + typed.end() < line.end:
                        yield Block(line.start + typed.end(), line.end, SegmentRole.LIST_ITEM)
                    else:
                        yield self.content_block(line.start, line.end, where)
                return
        yield self.content_block(start, end, where)

    def content_block(self, start: int, end: int, where: Where) -> Block:
        kind = where.kind
        if kind == "heading":
            return Block(start, end, SegmentRole.HEADING, where.level)
        if kind == "meta":
            return Block(start, end, SegmentRole.METADATA)
        if kind in ("caption", "header cell"):
            return Block(start, end, SegmentRole.CAPTION)
        if kind == "item":
            return Block(start, end, SegmentRole.LIST_ITEM)
        if kind == "text":
            links, words = self.pieces(start, end)
            if links and not words:
                return Block(links[0][0], links[-1][1], SegmentRole.LINK_TEXT)
        return Block(start, end, SegmentRole.SENTENCE)


def _mostly_in_the_article(raw: Sequence[RawBlock]) -> bool:
    """Whether the page's only <article> holds at least as much text as the rest of the
    page outside its navigation, sidebars, header and footer."""
    inside = outside = 0
    for block in raw:
        if block.where.chrome or block.where.kind == "meta":
            continue
        if block.where.article:
            inside += block.end - block.start
        else:
            outside += block.end - block.start
    return inside >= outside


def html_blocks(
    text: str,
    raw: Sequence[RawBlock],
    links: Sequence[tuple[int, int, str]],
    hidden: Sequence[tuple[int, int]],
    main: str,
) -> list[Block]:
    """The blocks of a page's text with their roles. ``main``: ``"main"`` when the page has
    a ``<main>``, ``"article"`` when it has a single ``<article>``, else ``""``."""
    if main == "article" and not _mostly_in_the_article(raw):
        main = ""  # an <article> that is a card or a teaser beside the page's own text
    roles = _Roles(text, links, hidden, main)
    out: list[Block] = []
    section = ReferenceSection()
    for start, end, where in _rows(text, raw):
        start, end = trimmed(text, start, end)
        if end <= start:
            continue
        chrome = roles.chrome(where)
        region = (chrome, where.main, where.article)
        if where.kind == "heading":
            section.heading(text[start:end], where.level, region)
        elif where.kind in _PROSE_KINDS and section.is_entry(text[start:end], region):
            entry = Block(start, end, SegmentRole.REFERENCE_ENTRY)
            out.extend(line_blocks(text, entry, SegmentRole.REFERENCE_ENTRY))
            continue
        if chrome:
            out.extend(roles.chrome_blocks(start, end, where, chrome))
        else:
            out.extend(roles.content_blocks(start, end, where))
    return out
