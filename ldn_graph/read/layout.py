"""The layout a reader hands on: blocks with roles over the document's text, and the
segments (sentences, list items, headings …) cut from them.

Every reader (plain text, Markdown, HTML, Word, PDF) turns its input into a
:class:`Layout`: the text offsets refer to, the blocks the author laid out (a heading, a
paragraph, a list item, a caption …), the links and the spans that are markup rather than
copy. :func:`segment` then cuts paragraphs and list items into sentences, gives every
segment its role (see :class:`~ldn_graph.terms.SegmentRole`) and remembers, for a list
item, the sentence that leads into its list.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ldn_graph.extract.spans import SpanIndex
from ldn_graph.model import FieldCode, Link, Segment
from ldn_graph.read.roles import dateline, is_metadata, is_reference_entry, role_of_text
from ldn_graph.terms import PROSE_ROLES, SegmentRole
from ldn_graph.text import sentence_spans


@dataclass(frozen=True)
class Block:
    """A span of the text the author laid out as one thing.

    ``role`` is ``SENTENCE`` for a paragraph of prose (cut into sentences),
    ``LIST_ITEM`` for a list item (cut into sentences, each keeping the role), ``HEADING``
    for a heading (``level`` 1–9; 0 when the reader cannot tell), or a role that never
    carries claims (caption, metadata, navigation, disclaimer, reference entry, link text)
    when the reader knows it from the markup.
    """

    start: int
    end: int
    role: SegmentRole
    level: int = 0
    location: str | None = None  # "page 2", "paragraph 14"


@dataclass(frozen=True)
class Layout:
    """What a reader makes of a file: the text, its blocks in order, links and hidden spans."""

    text: str
    blocks: Sequence[Block]
    links: tuple[Link, ...] = ()
    hidden: tuple[tuple[int, int], ...] = ()
    fields: tuple[FieldCode, ...] = ()


_URL_RE = re.compile(r"(?:https?://|www\.)\S+", re.I)


def _words(text: str) -> int:
    """How many letters and digits ``text`` has, URLs aside (an address is not copy)."""
    return sum(1 for ch in _URL_RE.sub("", text) if ch.isalnum())


def _is_link_text(text: str, start: int, end: int, links: SpanIndex, hidden: SpanIndex) -> bool:
    """Whether the words of ``text[start:end]`` (markup aside) are nearly all link text."""
    linked = list(links.within(start, end))
    if not linked:
        return False
    total = _words(text[start:end])
    in_links = sum(_words(text[s:e]) for s, e in linked)
    in_hidden = sum(_words(text[s:e]) for s, e in hidden.within(start, end))
    visible = total - in_hidden
    return visible > 0 and in_links >= 0.8 * visible


# Page furniture whose fields a separator parts: a byline, a footer line.
_FIELD_ROLES = frozenset({SegmentRole.METADATA, SegmentRole.DISCLAIMER})
_FIELD_SEPARATOR_RE = re.compile(r"[ \t]+[·|•][ \t]+")


def _fields(
    text: str, start: int, end: int, role: SegmentRole, where: tuple[int, str | None], links: SpanIndex, hidden: SpanIndex
) -> list[Segment]:
    """The fields of ``text[start:end]`` between separators, each with its own role or else
    ``role``; a field that is a link is its link text."""
    out: list[Segment] = []
    cursor = start
    for m in [*_FIELD_SEPARATOR_RE.finditer(text, start, end), None]:
        stop = m.start() if m else end
        if stop > cursor:
            linked = list(links.within(cursor, stop))
            if len(linked) == 1 and _is_link_text(text, cursor, stop, links, hidden):
                out.append(Segment(*linked[0], SegmentRole.LINK_TEXT, *where))  # the link's words, not its markup
            else:
                out.append(Segment(cursor, stop, role_of_text(text[cursor:stop]) or role, *where))
        cursor = m.end() if m else end
    return out


# What parts the items of a menu typed as text: a separator between spaces, or a wide gap.
_MENU_GAP_RE = re.compile(r"[ \t]+[|>›»·•/][ \t]+|[ \t]{3,}")
# A caption's label cut off as a sentence of its own: "Figure 2.", "Table 1:".
_CAPTION_LABEL_RE = re.compile(r"\W*\w+\.?[ \t]*\d+[a-z]?[.:]")
# What stands between the links of a trail or a product list: "›", "|", a price aside.
_TRAIL_GAP_RE = re.compile(r"[\s|>›»·•/\\–—-]*")


def _pieces(
    text: str,
    start: int,
    end: int,
    role: SegmentRole,
    where: tuple[int, str | None],
    links: SpanIndex,
    hidden: SpanIndex,
) -> list[Segment]:
    """A non-prose block's segments: a menu, breadcrumb trail or product list one link and
    one other field at a time ("Related posts: A · B", "Home › Neurology", "Cooling vest
    $89.00"); a byline or a disclaimer one sentence and one field at a time ("Reviewed by
    … · Updated March 2026"); a caption one sentence at a time; anything else whole."""
    out: list[Segment] = []
    if role == SegmentRole.NAVIGATION and not links.overlaps(start, end) and len(_MENU_GAP_RE.findall(text, start, end)) >= 2:
        # a menu typed as text: "Reply | Quote | Report", "Forums > Thyroid > Treatments"
        cursor = start
        for m in [*_MENU_GAP_RE.finditer(text, start, end), None]:
            stop = m.start() if m else end
            if stop > cursor:
                out.append(Segment(cursor, stop, role, *where))
            cursor = m.end() if m else end
        return out
    if role in (SegmentRole.NAVIGATION, SegmentRole.LINK_TEXT):
        linked = list(links.within(start, end))
        if linked and (len(linked) > 1 or linked[0] != (start, end)):
            cursor = start
            for a, b in [*linked, (end, end)]:
                gap = _TRAIL_GAP_RE.match(text, cursor, a)
                left = gap.end() if gap else cursor
                if left < a:  # words between links: a field of their own
                    right = a
                    while right > left and (
                        text[right - 1].isspace() or text[right - 1] in "|>›»·•/\\–—-" or hidden.contains(right - 1)
                    ):
                        right -= 1
                    if right > left:
                        out.append(Segment(left, right, role, *where))
                if b > a:
                    out.append(Segment(a, b, role, *where))
                cursor = b
            return out
    if role in _FIELD_ROLES or role in (SegmentRole.CAPTION, SegmentRole.LINK_TEXT):
        spans = sentence_spans(text, start, end)
        if role == SegmentRole.CAPTION and len(spans) > 1 and _CAPTION_LABEL_RE.fullmatch(text, *spans[0]):
            spans = [(spans[0][0], spans[1][1]), *spans[2:]]  # "Figure 2. Pain scores." is one sentence
        for s, e in spans:
            if role in _FIELD_ROLES and _FIELD_SEPARATOR_RE.search(text, s, e):
                out.extend(_fields(text, s, e, role, where, links, hidden))
            else:
                out.append(Segment(s, e, role, *where))
        return out
    return [Segment(start, end, role, *where)]


def _field_lines_apart(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The sentences of a paragraph, a line that is a field of its own ("Written by … ·
    Last updated 2 March 2026" under a title, "Posted on 3 May" under a name) kept apart
    from the lines around it: one line, not a soft-wrapped sentence's next words."""
    spans: list[tuple[int, int]] = []
    cursor = start
    at = text.find("\n", start, end)
    if at != -1 and is_metadata(text[start:end]):
        at = -1  # a field wrapped onto a second line: "On Mon, 10 Mar, Dan\n<dan@…> wrote:"
    while at != -1:
        stop = text.find("\n", at + 1, end)
        line_end = end if stop == -1 else stop
        raw = text[at + 1 : line_end]
        line = raw.strip()
        if line and len(line) <= _FIELD_LINE and is_metadata(line) and role_of_text(line) == SegmentRole.METADATA:
            spans.extend(sentence_spans(text, cursor, at))
            first = at + 1 + len(raw) - len(raw.lstrip())
            spans.append((first, first + len(line)))
            cursor = line_end
        at = stop
    spans.extend(sentence_spans(text, cursor, end))
    return [(s, e) for s, e in spans if e > s and text[s:e].strip()]


_FIELD_LINE = 200  # a byline or date line is short
# Hashtags closing a post's sentence: "… ldnresearchtrust.org #LupusWarrior #LDN".
_TRAILING_TAGS_RE = re.compile(r"(?:[ \t]+#\w+){2,}[ \t]*$")


def _hashtags_apart(text: str, span: tuple[int, int]) -> list[tuple[int, int]]:
    """``span``, with a run of two or more hashtags at its end as a span of its own."""
    s, e = span
    m = _TRAILING_TAGS_RE.search(text, max(s, e - 300), e)
    if m is None or m.start() <= s or not text[s : m.start()].strip():
        return [span]
    return [(s, m.start()), (m.start() + len(m.group()) - len(m.group().lstrip()), e)]


def segment(layout: Layout) -> tuple[Segment, ...]:
    """The segments of ``layout``: one per heading or non-prose block, one per sentence of
    a paragraph or list item. Linear in the size of the text."""
    text = layout.text
    links = SpanIndex((link.start, link.end) for link in layout.links)
    hidden = SpanIndex(layout.hidden)
    segments: list[Segment] = []
    lead: tuple[int, int] | None = None
    for index, block in enumerate(layout.blocks):
        if block.end <= block.start:
            continue
        if block.role == SegmentRole.HEADING:
            if role_of_text(text[block.start : block.end]) == SegmentRole.NAVIGATION:
                # "Forums > Thyroid & Autoimmune > Treatments": a menu standing alone
                segments.extend(_pieces(text, block.start, block.end, SegmentRole.NAVIGATION, (index, block.location), links, hidden))
                continue
            if role_of_text(text[block.start : block.end]) == SegmentRole.METADATA:
                # "From: …", "Posted by …" standing alone: a field, not a section's heading
                segments.append(Segment(block.start, block.end, SegmentRole.METADATA, index, block.location))
                continue
            # a question heading with more said after it ("Q: Is it addictive? My daughter
            # worries."): one heading segment per sentence
            spans = sentence_spans(text, block.start, block.end)
            if len(spans) == 1 or not any(text[s:e].rstrip("\"”’'*_) ").endswith("?") for s, e in spans[:-1]):
                spans = [(block.start, block.end)]
            segments.extend(
                Segment(s, e, SegmentRole.HEADING, index, block.location, level=block.level) for s, e in spans
            )
            lead = (
                (block.start, block.end)
                if text[block.start : block.end].rstrip().endswith((":", "?"))
                else None
            )
            continue
        if block.role not in PROSE_ROLES:  # not cut into sentences, but into its own pieces
            segments.extend(_pieces(text, block.start, block.end, block.role, (index, block.location), links, hidden))
            continue
        if is_reference_entry(text[block.start : block.end]):
            segments.append(Segment(block.start, block.end, SegmentRole.REFERENCE_ENTRY, index, block.location))
            continue
        start = block.start
        place = dateline(text, start, block.end) if block.role == SegmentRole.SENTENCE else None
        if place:  # "CARDIFF, Wales - Rhian Pugh …": the dateline is no part of the story's first sentence
            segments.append(Segment(start, place[0], SegmentRole.METADATA, index, block.location))
            start = place[1]
        spans = [span for part in _field_lines_apart(text, start, block.end) for span in _hashtags_apart(text, part)]
        item_lead = lead if block.role == SegmentRole.LIST_ITEM else None
        for s, e in spans:
            role = role_of_text(text[s:e]) or (
                SegmentRole.LINK_TEXT if _is_link_text(text, s, e, links, hidden) else block.role
            )
            linked = list(links.within(s, e))
            if role in (SegmentRole.NAVIGATION, SegmentRole.LINK_TEXT) and len(linked) > 1:
                # a menu or breadcrumb trail: one segment per link, as the HTML reader
                # gives, and one for the words that lead into it ("Related posts:")
                segments.extend(_pieces(text, s, e, role, (index, block.location), links, hidden))
                continue
            if role in _FIELD_ROLES and _FIELD_SEPARATOR_RE.search(text, s, e):
                # "© 2026 The Pharmacy · [Privacy](/p)", "Reviewed by … · Updated March 2026":
                # each field by itself, a link as link text
                segments.extend(_fields(text, s, e, role, (index, block.location), links, hidden))
                continue
            segments.append(Segment(s, e, role, index, block.location, item_lead))
        if spans:
            last = (spans[-1][0], spans[-1][1])
            ends_in_colon = text[last[0] : last[1]].rstrip().endswith(":")
            if block.role == SegmentRole.LIST_ITEM:
                if ends_in_colon:
                    lead = last  # a nested list under "- Side effects include:"
            else:
                lead = last if ends_in_colon else None
    return tuple(segments)
