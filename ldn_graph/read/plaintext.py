"""Plain text into blocks: headings, paragraphs and list items, line by line.

Used for .txt and .md files and, after their own clean-up, for the text of HTML, Word
and PDF files.
"""

from __future__ import annotations

import re

from ldn_graph.read.layout import Block, Layout
from ldn_graph.terms import SegmentRole

BULLET_RE = re.compile(
    r"^(?P<indent>[ \t\u00a0]*)(?P<mark>[-*•◦▪‣–·]|\d{1,5}[.)])(?:[ \t\u00a0]+|$)"
)
MD_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}\s+")
LONE_BULLET_RE = re.compile(r"^[ \t\u00a0]*[-*•◦▪‣–·][ \t\u00a0]*$")


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


def line_blocks(text: str, locations: dict[int, str] | None = None) -> list[Block]:
    """Blocks from a line-oriented text: each non-empty line is a heading, item or paragraph."""
    blocks: list[Block] = []
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
            blocks.append(Block(line_start + h.end(), e, SegmentRole.HEADING, location=location))
        elif m and e > line_start + m.end():
            item_start = line_start + m.end()
            numbered = m.group("mark")[0].isdigit()
            role = (
                SegmentRole.HEADING
                if _is_item_heading(text[item_start:e], numbered)
                else SegmentRole.LIST_ITEM
            )
            blocks.append(Block(item_start, e, role, location=location))
        elif pending_bullet:
            blocks.append(Block(s, e, SegmentRole.LIST_ITEM, location=location))
        elif _is_heading_line(body):
            blocks.append(Block(s, e, SegmentRole.HEADING, location=location))
        else:
            blocks.append(Block(s, e, SegmentRole.SENTENCE, location=location))
        pending_bullet = False
    # A short unpunctuated line right above a list introduces it ("Side effects").
    for i, block in enumerate(blocks[:-1]):
        body = text[block.start : block.end]
        if (
            block.role == SegmentRole.SENTENCE
            and blocks[i + 1].role == SegmentRole.LIST_ITEM
            and len(body.split()) <= 6
            and not body.rstrip().endswith((".", "!", ";", ","))
        ):
            blocks[i] = Block(block.start, block.end, SegmentRole.HEADING, location=block.location)
    return blocks


def _is_item_heading(body: str, numbered: bool) -> bool:
    """List items that are sub-headings ("Endorphin Modulation", "1. Immunomodulation").

    A bulleted single word ("Headache") is an item; a numbered one introduces a section.
    """
    stripped = body.strip()
    words = stripped.split()
    if (
        len(words) < (1 if numbered else 2)
        or len(words) > 6
        or stripped.endswith((".", ":", "?", ","))
    ):
        return False
    return all(
        w[:1].isupper()
        or w[:1].isdigit()
        or w[:1] == "("
        or w.lower() in {"and", "of", "or", "the", "in", "&"}
        for w in words
    )


def plain_layout(text: str, locations: dict[int, str] | None = None) -> Layout:
    """The layout of a plain text (``locations``: the location of the line starting at an offset)."""
    return Layout(text, line_blocks(text, locations))
