"""What the HTML, Word and PDF readers share once their blocks are laid out: reference
sections, non-claim prose cut into sentences, and a builder for texts written block by block.

A heading such as "References", "Sources" or "Bibliography" opens a reference section:
every block under it, up to the next heading of the same or a higher level, is a
reference entry (one per line), never prose. Prose a reader knows to carry no claims (a
page footer's disclaimer, a cookie banner) keeps its role but is still cut into
sentences, so each sentence is a segment of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from ldn_graph.extract.reference_lists import SOURCES_USED_RE
from ldn_graph.model import FieldCode, Link
from ldn_graph.read.layout import Block, Layout
from ldn_graph.read.roles import role_of_text
from ldn_graph.terms import PROSE_ROLES, SegmentRole
from ldn_graph.text import sentence_spans

REFERENCE_HEADING_RE = re.compile(
    r"^\W*(?:\d+(?:\.\d+)*\.?\s+)?"
    r"(?:references?|sources?|bibliography|works\s+cited|citations?|literature(?:\s+cited)?"
    r"|further\s+reading|reading\s+list|selected\s+references|key\s+references"
    r"|references\s+and\s+further\s+reading|studies\s+cited)\W*$",
    re.I,
)

_REFERENCE_CUE_RE = re.compile(
    r"\b(?:19|20)\d\d\b|https?://|\bwww\.|\bdoi\b|\b10\.\d{4,9}/|\bPMID\b|\bet al\b", re.I
)



# Roles of blocks that can be entries of a reference section.
_ENTRY_ROLES = PROSE_ROLES | {SegmentRole.LINK_TEXT, SegmentRole.DISCLAIMER, SegmentRole.NAVIGATION}


# A bullet or a number typed at the start of a line ("• ", "- ", "3. ", "2) ").
BULLET_RE = re.compile(r"^[ \t\u00a0]*(?:(?P<bullet>[-*•◦▪‣–·●○■□➢➤✓✔✅→➜▶►◆♦])|(?P<number>\d{1,5}[.)]))(?:[ \t\u00a0]+|$)")
MINOR_WORDS = frozenset(
    {"a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "of", "on", "or", "over", "the", "to", "vs",
     "with", "without", "&"}
)  # words a title leaves in lower case


def looks_like_heading(text: str) -> bool:
    """A line that stands alone as a heading: short, with no sentence punctuation at its end,
    and either a question or statement of up to 16 words ending in "?" or ":", or up to 10
    words each capitalised (minor words aside): "Side Effects", "2. Dosing"."""
    stripped = text.strip()
    if not stripped or len(stripped) > 90 or stripped.endswith((".", "!", ";", ",")):
        return False
    words = stripped.split()
    if stripped.endswith(("?", ":")):
        return len(words) <= 16
    if len(words) > 10:
        return False
    return all(
        w[:1].isupper() or not w[:1].isalpha() or w.lower() in MINOR_WORDS for w in words
    )


def looks_like_item_heading(body: str, numbered: bool) -> bool:
    """A list item that is a sub-heading ("Endorphin Modulation", "1. Immunomodulation"):
    up to six capitalised words with no end punctuation, or a numbered line in capitals of
    up to twelve; a bulleted single word ("Headache") is an item, a numbered one
    introduces a section."""
    stripped = body.strip()
    words = stripped.split()
    letters = [c for c in stripped if c.isalpha()]
    if numbered and len(letters) >= 2 and not any(c.islower() for c in letters) and 1 <= len(words) <= 12:
        return not stripped.endswith((".", ",", ";"))  # "3. MEMBERS' EXPERIENCES OF LOW DOSE NALTREXONE (LDN)"
    if len(words) < (1 if numbered else 2) or len(words) > 6 or stripped.endswith((".", ":", "?", ",", ";", "!")):
        return False
    return all(
        w[:1].isupper() or w[:1].isdigit() or w[:1] == "(" or w.lower() in MINOR_WORDS for w in words
    )


def mark_item_headings(text: str, blocks: Sequence[Block]) -> list[Block]:
    """``blocks`` with list items that head the item after them made headings.

    "- Endorphin Modulation" followed by "- By briefly blocking opioid receptors, LDN …." is
    a sub-heading and its description; in a run of short capitalised items ("- Better
    Sleep", "- Less Pain") each is an item.
    """
    out = list(blocks)
    for i, block in enumerate(blocks):
        if block.role != SegmentRole.LIST_ITEM or i + 1 >= len(blocks):
            continue
        line_start = text.rfind("\n", 0, block.start) + 1
        numbered = any(ch.isdigit() for ch in text[line_start : block.start])
        if not looks_like_item_heading(text[block.start : block.end], numbered):
            continue
        after = blocks[i + 1]
        described = (
            after.role in PROSE_ROLES
            and text[after.start : after.end].rstrip().endswith((".", "!", "?"))
            and len(text[after.start : after.end].split()) >= 5
        )
        previous = out[i - 1] if i else None
        in_a_run = (
            previous is not None
            and previous.role == SegmentRole.LIST_ITEM
            and looks_like_item_heading(text[previous.start : previous.end], numbered)
        )
        if described and not in_a_run:
            out[i] = Block(block.start, block.end, SegmentRole.HEADING, 0, block.location)
    return out


def is_reference_heading(text: str) -> bool:
    """``"References"``, ``"5. Sources:"``, ``"Further reading"``: a reference list follows."""
    stripped = text.strip()
    return len(text) <= 60 and (REFERENCE_HEADING_RE.match(stripped) or SOURCES_USED_RE.match(stripped)) is not None


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` without the white space at either end."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def line_blocks(text: str, block: Block, role: SegmentRole) -> Iterator[Block]:
    """``block`` cut at its line breaks, each non-empty line a block of ``role``."""
    start = block.start
    while start < block.end:
        stop = text.find("\n", start, block.end)
        stop = block.end if stop < 0 else stop
        s, e = trimmed(text, start, stop)
        if e > s:
            yield Block(s, e, role, block.level, block.location)
        start = stop + 1


def sentence_blocks(text: str, block: Block, role: SegmentRole) -> Iterator[Block]:
    """``block`` cut into sentences, each a block of ``role`` (prose that carries no claims)."""
    for s, e in sentence_spans(text, block.start, block.end):
        yield Block(s, e, role, block.level, block.location)


class ReferenceSection:
    """Tracks the reference section a reader is in, block by block.

    A reference heading opens it; a heading of the same or a higher level (any heading,
    when either level is unknown) closes it, and so does the first block after an entry
    that does not look like a reference (no year, link or identifier: a disclaimer under
    the list), or a block in another region of the page (the main text after a footer).
    """

    def __init__(self) -> None:
        self.level: int | None = None  # level of the open reference heading
        self.region: object = None
        self.entries = 0
        self.items = False  # the entries so far are list items

    def heading(self, text: str, level: int, region: object = None) -> None:
        if self.level is not None and not (self.level and level and level > self.level):
            self.level = None
        if self.level is None and is_reference_heading(text):
            self.level, self.region, self.entries, self.items = level, region, 0, False

    def is_entry(self, text: str, region: object = None, item: bool = False) -> bool:
        """Whether a (non-heading) block with ``text`` is a reference entry; an ``item`` of
        the list the entries are in is one even without a year or a link (a report, a
        product label)."""
        if self.level is None:
            return False
        if region != self.region:
            self.level = None
            return False
        if role_of_text(text) == SegmentRole.DISCLAIMER:
            self.level = None  # "© 2026 The Clinic Ltd.", "This leaflet is for general information …"
            return False
        if looks_like_reference(text) or (item and self.items):
            self.entries += 1
            self.items = item
            return True
        if self.entries:
            self.level = None
        return False


def looks_like_reference(text: str) -> bool:
    """A year, a link, a DOI or a PMID: what every entry of a reference list has."""
    return _REFERENCE_CUE_RE.search(text) is not None


def mark_reference_sections(text: str, blocks: Iterable[Block], per_line: bool = True) -> list[Block]:
    """``blocks`` with those of a reference section made reference entries: one per line
    (``per_line``: text extracted from HTML, Word or PDF), or one per block (plain text and
    Markdown, whose entries may wrap onto continuation lines)."""
    out: list[Block] = []
    section = ReferenceSection()
    for block in blocks:
        body = text[block.start : block.end]
        if block.role == SegmentRole.HEADING:
            section.heading(body, block.level)
            out.append(block)
        elif block.role in _ENTRY_ROLES and section.is_entry(body, item=block.role == SegmentRole.LIST_ITEM):
            if per_line:
                out.extend(line_blocks(text, block, SegmentRole.REFERENCE_ENTRY))
            else:
                out.append(Block(block.start, block.end, SegmentRole.REFERENCE_ENTRY, block.level, block.location))
        else:
            out.append(block)
    return out


class TextBuilder:
    """A text written block by block, one line (or more) each, with the blocks' spans."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.blocks: list[Block] = []
        self.links: list[Link] = []
        self.hidden: list[tuple[int, int]] = []
        self.fields: list[FieldCode] = []

    def write(self, text: str) -> int:
        """Append ``text`` (no block); return where it starts."""
        at = self.length
        self.parts.append(text)
        self.length += len(text)
        return at

    def add(
        self,
        text: str,
        role: SegmentRole,
        level: int = 0,
        location: str | None = None,
        skip: int = 0,
    ) -> Block | None:
        """Append ``text`` on a line of its own as one block (trimmed, and starting after its
        first ``skip`` characters: a bullet); None if blank."""
        at = self.write(text)
        self.write("\n")
        s, e = trimmed(text, skip, len(text))
        if e <= s:
            return None
        block = Block(at + s, at + e, role, level, location)
        self.blocks.append(block)
        return block

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def layout(self, blocks: Iterable[Block] | None = None) -> Layout:
        text = self.text
        return Layout(
            text,
            tuple(self.blocks if blocks is None else blocks),
            tuple(self.links),
            tuple(self.hidden),
            tuple(self.fields),
        )
