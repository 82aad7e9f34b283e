"""Plain text into blocks: headings, paragraphs and list items, as its author laid them out."""

from __future__ import annotations

import re
from bisect import bisect_right

from ldn_graph.read.layout import Block, Layout
from ldn_graph.read.sections import (
    MINOR_WORDS,
    looks_like_heading,
    looks_like_item_heading,
    mark_reference_sections,
)
from ldn_graph.read.speakers import recurring_speakers, speaker_tag, turn_opening
from ldn_graph.terms import PROSE_ROLES, SegmentRole
from ldn_graph.text import closes_sentence, sentence_spans
from ldn_graph.urls import opens_with_address, url_spans

# --------------------------------------------------------------------------- paragraphs
# A plain-text file as its author wrote it: blank lines part paragraphs; the lines of a
# hard-wrapped paragraph (an e-mail wrapped at 72 columns) join into one block; list items
# keep their indented continuation lines; a short line is a heading only when it stands
# alone.

_ITEM_RE = re.compile(
    r"(?P<indent>[ \t\u00a0]*)"
    r"(?![(][cC][)][ \t]*(?:19|20)\d\d)"  # "(c) 2026 …" is a copyright line, not item (c)
    r"(?P<mark>[-*•◦▪‣–·+○●■□►▸➢✓✔☑✅❌✗✘→]|(?P<section>\d{1,2}(?:\.\d{1,2})+)\.?(?=[ \t]+[A-Z])|\d{1,5}[.)]|\(\d{1,3}\)|\[\d{1,5}\]|\(?[a-zA-Z]\)|\(?[ivxIVX]{1,4}\))"
    r"[ \t\u00a0]+(?=\S)"
)
# A rule: three or more of one character ("-----", "=====", "* * *", "###").
_RULE_RE = re.compile(r"[ \t]*([-=_*~#+])(?:[ \t]*\1){2,}[ \t]*$")
_QUOTE_RE = re.compile(r"[ \t]{0,3}(?:>[ \t]?)+")
_LONE_RE = re.compile(r"[-*•◦▪‣–·][ \t\u00a0]*$")
_HASHES_RE = re.compile(r"#{1,6}[ \t]+")
# Words no line ends on unless its sentence goes on below it (a title may end on "for",
# "in", "by", "this": "Who it is for").
_GOES_ON = frozenset({
    "a", "an", "the", "and", "or", "nor", "but", "of", "with", "than", "whose", "very", "their",
    "its", "your", "our", "my",
})
# … and the words a line of running prose does not end on either (a title may).
_GOES_ON_IN_PROSE = frozenset({
    "in", "on", "at", "for", "to", "from", "by", "as", "into", "about", "after", "before", "during",
    "between", "over", "under", "is", "are", "was", "were", "that", "which", "who", "when", "if",
})
_WRAP_SLACK = 2  # columns a wrapped line may fall short of the measured width
# The end of a quoted message's header: "… <dan@example.org> wrote:"
_WROTE_RE = re.compile(r"\bwrote:[ \t]*$")
# A line opening with a field's label: "Apologies: ", "Date of review: ".
_FIELD_LABEL_RE = re.compile(r"[A-Z][a-z]+(?:[ \t][a-z]+){0,3}:[ \t]")
# A line that is a telephone number: a contact block's next field (as an address is).
_PHONE_RE = re.compile(r"\+?\(?\d[\d ()-]{6,}\d\s*$")
# A reference's identifier on the line under it: "PMID: 23359310", "doi:10.1002/…".
_IDENTIFIER_RE = re.compile(r"(?:pmid|pmcid|doi)\s*:?\s*(?:\d|10\.|pmc)", re.I)
# A sentence that ends on a line and another one that begins after it ("them. Store").
_SENTENCE_BEGUN_RE = re.compile(r"[a-z0-9)][.!?][\"”’)]?[ \t]+[\"“‘(]?[A-Z][\w'’-]*(?:[ \t]+[\w'’-]+)+[ \t]*$")


class _Line:
    """One line of the text: where it starts, where its words start and end, its kind."""

    __slots__ = ("start", "body", "end", "kind", "indent", "quote", "numbered", "borders")

    def __init__(
        self, start: int, body: int, end: int, kind: str, indent: int, quote: int, numbered: bool = False
    ) -> None:
        self.start, self.body, self.end = start, body, end
        self.borders: tuple[tuple[int, int], ...] = ()  # a box's "|" edges on the line (markup)
        self.kind = kind  # "blank", "rule", "item", "lone", "heading", "text"
        self.indent = indent  # columns before the words (a list item: before its marker)
        self.quote = quote  # depth of "> " quoting
        self.numbered = numbered  # a list item numbered "1." or "1)", not bulleted


# A box drawn in text: its top and bottom edges, and a side at a line's start.
_BOX_EDGE_RE = re.compile(r"[ \t]*\+[-=]{3,}\+[ \t]*")
_BOX_SIDE_RE = re.compile(r"[ \t]*(?P<bar>\|)[ \t]*")


def _bordered(borders: tuple[tuple[int, int], ...], line: _Line) -> _Line:
    line.borders = borders
    return line


def _lines(text: str, speakers: frozenset[str] = frozenset()) -> list[_Line]:
    lines = []
    pos = 0
    boxed = False  # inside a box drawn with "+----+" and "|"
    for raw in text.split("\n"):
        start, stop = pos, pos + len(raw)
        pos = stop + 1
        end = stop
        while end > start and text[end - 1] in " \t\u00a0":
            end -= 1
        if _BOX_EDGE_RE.fullmatch(text, start, end):
            boxed = not boxed
            lines.append(_Line(start, start, end, "rule", 0, 0))
            continue
        borders: list[tuple[int, int]] = []
        body = start
        if boxed and (bar := _BOX_SIDE_RE.match(text, start, end)):
            borders.append((bar.start("bar"), bar.end("bar")))
            body = bar.end("bar")
            if end > body and text[end - 1] == "|":
                borders.append((end - 1, end))
                end -= 1
                while end > body and text[end - 1] in " \t\u00a0":
                    end -= 1
        quote = 0
        q = _QUOTE_RE.match(text, body, end)
        if q and q.end() > body:
            quote = text.count(">", body, q.end())
            body = q.end()
        while body < end and text[body] in " \t\u00a0":
            body += 1
        indent = body - start
        if body >= end or text[body:end].isspace():  # " ", "\u2028": nothing on the line
            lines.append(_bordered(tuple(borders), _Line(start, end, end, "blank", indent, quote)))
            continue
        if _RULE_RE.match(text, body, end):
            lines.append(_bordered(tuple(borders), _Line(start, body, end, "rule", indent, quote)))
            continue
        if _LONE_RE.match(text, body, end):
            lines.append(_bordered(tuple(borders), _Line(start, body, end, "lone", indent, quote)))
            continue
        h = _HASHES_RE.match(text, body, end)
        if h:
            lines.append(_bordered(tuple(borders), _Line(start, h.end(), end, "heading", indent, quote)))
            continue
        item = _ITEM_RE.match(text, body, end)
        if item and _YEAR_MARK_RE.fullmatch(item.group("mark")) and lines and lines[-1].kind == "text" and text[lines[-1].end - 1] not in ".!?:;":
            item = None  # "… diagnosed with MS in\n2011. By 2022 …": a year, not item 2011
        if item:
            numbered = item.group("mark").lstrip("([")[:1].isdigit()
            lines.append(_bordered(tuple(borders), _Line(start, item.end(), end, "item", indent, quote, numbered)))
            continue
        body = turn_opening(text, body, end, speakers)  # "[00:01:10] MAYA: ", "Q: ", "HOST: "
        lines.append(_bordered(tuple(borders), _Line(start, body, end, "text", indent, quote)))
    return _bare_numbered_runs(text, lines)


# A list number that is a year ("2011.")
_YEAR_MARK_RE = re.compile(r"(?:1[89]|20)\d\d[.)]")
# "1 LDN Research Trust - …": a line opening with a bare number and a space.
_BARE_NUMBER_RE = re.compile(r"(\d{1,3})[ \t]+(?=[A-Z(\[\"“])")


def _bare_numbered_runs(text: str, lines: list[_Line]) -> list[_Line]:
    """Lines numbered 1, 2, 3 … with a bare number and a space, one right under another: a
    numbered list ("1 Brown & Panksepp, …", "2 Younger et al., …"), not "3 mg daily"."""
    found = [
        _BARE_NUMBER_RE.match(text, line.body, line.end) if line.kind == "text" else None for line in lines
    ]
    numbers = [int(m.group(1)) if m else -1 for m in found]
    out = list(lines)
    i = 0
    while i < len(out):
        j = i + 1
        while numbers[i] >= 0 and j < len(out) and numbers[j] == numbers[j - 1] + 1:
            j += 1
        if j - i >= 2:
            for k in range(i, j):
                line, m = out[k], found[k]
                assert m is not None
                out[k] = _bordered(line.borders, _Line(line.start, m.end(), line.end, "item", line.indent, line.quote, True))
        i = j
    return out


def _first_word(text: str, line: _Line) -> str:
    stop = line.body
    while stop < line.end and not text[stop].isspace():
        stop += 1
    return text[line.body : stop]


def _certainly_wraps(text: str, line: _Line, below: _Line) -> bool:
    """The words of ``line`` certainly go on on the line ``below``: it opens in lower case
    (an address or e-mail aside) or with a reference's PMID or DOI, or ``line`` ends in a
    word broken by a hyphen, in one a sentence does not end on, in a sentence begun after
    a full stop on the line ("… reach them. Store below"), or inside brackets."""
    if below.kind != "text" or below.quote != line.quote:
        return False
    first = text[below.body]
    if _WROTE_RE.search(text, below.body, below.end) and not closes_sentence(text, line.body, line.end):
        return True  # "On Mon, 10 Mar 2025 at 21:17, Daniel Okafor\n<dan@…> wrote:"
    if opens_with_address(text, below.body, below.end) or _PHONE_RE.match(text, below.body, below.end):
        return False  # "Jane Doe, Head of Communications" / "press@example.org"
    if _IDENTIFIER_RE.match(text, below.body, below.end):
        return True
    if first.islower():
        # a line that ends its sentence is no wrap by itself, whatever case the next one
        # opens in ("… wishful thinking lol.\nstarted at 0.5 mg …", chat and forum posts)
        return not closes_sentence(text, line.body, line.end)
    if text[line.end - 1] not in ".!?:;,\"”’)" and _SENTENCE_BEGUN_RE.search(text, line.body, line.end):
        return True
    if text.count("(", line.body, line.end) > text.count(")", line.body, line.end):
        return True  # a bracket left open: '… both?" (Priya,' goes on below
    if text[line.end - 1] == "-" and line.end - 2 >= line.body and text[line.end - 2].isalpha():
        return first.isalpha()
    word_start = line.end
    while word_start > line.body and not text[word_start - 1].isspace():
        word_start -= 1
    last = text[word_start : line.end]
    if last in _GOES_ON:
        return True
    # a line of running prose (several words, not a title) that stops on a comma, or on a
    # word no sentence ends on with no new sentence opening below: "… Jim Oduya,\nLinda
    # Parkes …", "… MS in\n2019 and …" (not "… symptoms early on\nIf a side effect …")
    goes_on = last.endswith(",") or (last in _GOES_ON_IN_PROSE and not first.isupper())
    return goes_on and _is_prose_line(text[line.body : line.end])


def _is_prose_line(line: str) -> bool:
    """A line of running text: six words or more, not set as a title."""
    return len(line.split()) >= 6 and not _is_headline(line) and not looks_like_heading(line)


def _is_address_line(text: str, line: _Line) -> bool:
    """A line that is one bare web or e-mail address and nothing else."""
    spans = url_spans(text, line.body, line.end)
    return len(spans) == 1 and spans[0] == (line.body, line.end)


def _wrap_width(text: str, lines: list[_Line]) -> int | None:
    """The column a hard-wrapped text is wrapped at, measured on the lines that certainly
    go on below; None when the text is not hard-wrapped (one line per paragraph)."""
    widths = sorted(
        a.end - a.start
        for a, b in zip(lines, lines[1:], strict=False)
        if a.kind in ("text", "item") and _certainly_wraps(text, a, b)
    )
    if len(widths) < 2:
        return None
    return widths[(len(widths) * 9) // 10 - (1 if len(widths) % 10 == 0 else 0)]


def _wraps(text: str, line: _Line, below: _Line, wrapped: bool, width: int | None, first: bool) -> bool:
    """Whether the break between ``line`` and ``below`` is a soft wrap inside a paragraph:
    certainly (see :func:`_certainly_wraps`), or, in a paragraph that is hard-wrapped, when
    ``line`` is full: the first word below would not have fitted on it. ``first``: ``line``
    opens its paragraph."""
    if _certainly_wraps(text, line, below):
        return True
    if not wrapped or width is None or below.kind != "text" or below.quote != line.quote:
        return False
    if _is_address_line(text, below):
        return False  # an address on a line of its own is set apart, not wrapped onto it
    if first and (text[line.end - 1] == "?" or _is_title(text[line.body : line.end])):
        return False  # a question or title opening a paragraph heads it: "What is it?\nIt is …"
    if text[line.end - 1] in ".!?:" and _is_title(text[below.body : below.end]):
        return False  # "… endorphins.\nWho Can Take It\nAdults …"
    if _FIELD_LABEL_RE.match(text, below.body, below.end):
        return False  # "Present: …\nApologies: …": the next field of a form or minutes
    length = line.end - line.start
    return length + 1 + len(_first_word(text, below)) > width - _WRAP_SLACK and length <= width + 8


def _is_title(line: str) -> bool:
    """A title-cased line of a few words with no sentence punctuation ("Who Can Take It")."""
    words = line.split()
    return 2 <= len(words) <= 8 and line[-1:].isalnum() and looks_like_heading(line)


def _chunks(lines: list[_Line]) -> list[list[int]]:
    """Runs of line indexes not parted by a blank line, a rule or a change of quoting."""
    chunks: list[list[int]] = []
    current: list[int] = []
    for i, line in enumerate(lines):
        if line.kind in ("blank", "rule") or (current and lines[current[-1]].quote != line.quote):
            if current:
                chunks.append(current)
            current = [] if line.kind in ("blank", "rule") else [i]
            continue
        current.append(i)
    if current:
        chunks.append(current)
    return chunks


def _underlined(text: str, lines: list[_Line], line: int, start: int, end: int) -> bool:
    """A line standing alone with a rule of "=" or "-" right under it, about as long as
    the line (not a line of a banner framed by rules, nor a rule's neighbour in a run)."""
    if line + 1 >= len(lines) or lines[line + 1].kind != "rule":
        return False
    if line > 0 and lines[line - 1].kind not in ("blank",):
        return False
    rule = lines[line + 1]
    if text[rule.body] not in "=-":
        return False
    return 0.6 * (end - start) <= rule.end - rule.body <= 1.5 * (end - start)


def _section_title(text: str, line: _Line, body: str) -> bool:
    """An item numbered like a section ("3.2 Inflammatory bowel disease") that is a title:
    a few words with no sentence punctuation at the end."""
    stripped = body.strip()
    return (
        bool(_SECTION_NUMBER_RE.match(text, line.start + line.indent, line.end))
        and len(stripped.split()) <= 10
        and not stripped.endswith((".", "!", ";", ",", ":", "?"))
    )


# A numbered section's heading, sentence case or not: "3.2 Inflammatory bowel disease".
_SECTION_NUMBER_RE = re.compile(r"\d{1,2}(?:\.\d{1,2})+\.?[ \t]+[A-Z]")


def _stand_alone_role(body: str, underlined: bool) -> SegmentRole:
    """The role of a one-line paragraph: a heading when it is underlined, in capitals, a
    short question, or a short title-cased line; a line ending in ":" leads into what
    follows and is a sentence."""
    stripped = body.strip()
    if stripped.endswith(":"):
        return SegmentRole.SENTENCE
    if underlined and not stripped.endswith((".", "!", ";", ",")):
        return SegmentRole.HEADING
    words = stripped.split()
    if stripped.endswith("?"):  # a question on its own: "What is it?", not "Thanks. Any tips?"
        one = len(words) <= 16 and len(sentence_spans(stripped, 0, len(stripped))) == 1
        return SegmentRole.HEADING if one else SegmentRole.SENTENCE
    if _SECTION_NUMBER_RE.match(stripped) and len(words) <= 10 and not stripped.endswith((".", "!", ";", ",")):
        return SegmentRole.HEADING  # "3.2 Inflammatory bowel disease"
    letters = [c for c in stripped if c.isalpha()]
    if len(letters) >= 2 and not any(c.islower() for c in letters) and len(words) <= 12 and not stripped.endswith("."):
        return SegmentRole.HEADING  # "SURVEY RESULTS"
    return SegmentRole.HEADING if looks_like_heading(stripped) or _is_headline(stripped) else SegmentRole.SENTENCE




def _is_headline(line: str) -> bool:
    """A stand-alone line in headline case, however long ("Pharmacy Opens New Service for
    Patients With Chronic Pain"): no sentence punctuation at its end, and its words other
    than the minor ones capitalised."""
    if line.endswith((".", "!", ";", ",", ":")):
        return False
    words = [w.strip("\"'“”‘’()[]") for w in line.split()]
    major = [w for w in words if w and w.lower() not in MINOR_WORDS]
    if len(major) < 3 or len(words) > 30:
        return False
    return sum(1 for w in major if w[0].isupper() or w[0].isdigit()) >= 0.9 * len(major)


def _raw_blocks(text: str, lines: list[_Line]) -> list[list[int]]:
    """[kind, start, end, first line, last line, indent] of every heading ("#" lines), list
    item and paragraph, soft-wrapped lines joined. kind: 0 heading, 1 item, 2 paragraph."""
    width = _wrap_width(text, lines)
    raw: list[list[int]] = []
    for chunk in _chunks(lines):
        wrapped = any(_certainly_wraps(text, lines[a], lines[b]) for a, b in zip(chunk, chunk[1:], strict=False))
        current: list[int] | None = None
        pending_bullet, bullet_indent = False, 0
        for i in chunk:
            line = lines[i]
            if line.kind == "heading":
                raw.append([0, line.body, line.end, i, i, line.indent])
                current = None
            elif line.kind == "lone":
                current, pending_bullet, bullet_indent = None, True, line.indent
            elif line.kind == "item":
                current = [1, line.body, line.end, i, i, line.indent]
                raw.append(current)
                pending_bullet = False
            else:
                if current is not None:
                    above = lines[current[4]]
                    opens = current[3] == current[4] and current[0] == 2
                    if (current[0] == 1 and line.indent > current[5]) or _wraps(
                        text, above, line, wrapped, width, opens
                    ):
                        current[2], current[4] = line.end, i
                        continue
                current = [1, line.body, line.end, i, i, bullet_indent] if pending_bullet else [2, line.body, line.end, i, i, -1]
                raw.append(current)
                pending_bullet = False
    return raw


def text_layout(text: str) -> Layout:
    """The layout of a plain-text file: headings, paragraphs (hard-wrapped lines joined)
    and list items (with their continuation lines); bare URLs hidden."""
    speakers = recurring_speakers(text)
    lines = _lines(text, speakers)
    blocks: list[Block] = []
    for kind, start, end, first, last, _indent in _raw_blocks(text, lines):
        line = lines[first]
        tag = speaker_tag(text, line.start + line.indent, line.body, speakers)
        if tag is not None:  # "[00:02:10] DR OKAFOR:": who speaks, and when
            blocks.append(Block(tag[0], tag[1], SegmentRole.METADATA))
        body = text[start:end]
        if kind == 0:
            blocks.append(Block(start, end, SegmentRole.HEADING))
            continue
        if kind == 1:
            heading = first == last and (
                looks_like_item_heading(body, lines[first].numbered) or _section_title(text, lines[first], body)
            )
            blocks.append(Block(start, end, SegmentRole.HEADING if heading else SegmentRole.LIST_ITEM))
            continue
        if first == last:
            role = _stand_alone_role(body, _underlined(text, lines, last, start, end))
        else:
            role = SegmentRole.SENTENCE
        blocks.append(Block(start, end, role))
    _head_lists(text, blocks)
    _head_paragraphs(text, blocks)
    _lead_ins_to_addresses(text, lines, blocks)
    borders = [span for line in lines for span in line.borders]  # a box's sides are markup
    return Layout(
        text, mark_reference_sections(text, blocks, per_line=False), hidden=tuple(sorted([*url_spans(text), *borders]))
    )


_LINK_LEAD_WORDS = 12  # a link's label is short


def _lead_ins_to_addresses(text: str, lines: list[_Line], blocks: list[Block]) -> None:
    """A short line ending in ":" right above a line that is one bare address labels the
    link ("Open it in your browser:" over "https://…"): both are link text, as HTML and
    Markdown give a link's words."""
    starts = [line.start for line in lines]
    for n, block in enumerate(blocks):
        body = text[block.start : block.end]
        if block.role not in PROSE_ROLES or "\n" in body or not body.endswith(":") or len(body.split()) > _LINK_LEAD_WORDS:
            continue
        below = bisect_right(starts, block.start)  # the line after the block's own
        if below < len(lines) and _is_address_line(text, lines[below]):
            blocks[n] = Block(block.start, block.end, SegmentRole.LINK_TEXT)
            at = next((k for k in range(n + 1, min(n + 2, len(blocks))) if blocks[k].start == lines[below].body), None)
            if at is not None:  # the address itself, a link too
                blocks[at] = Block(blocks[at].start, blocks[at].end, SegmentRole.LINK_TEXT)


# Cells of a fixed-width table's row: "Headache            9 (7%)".
_CELL_GAP_RE = re.compile(r"\S[ \t]{3,}\S")


def _head_paragraphs(text: str, blocks: list[Block]) -> None:
    """A short line with no sentence punctuation set directly on the paragraph under it
    heads it ("What it may do" over "Many patients find …"), as leaflets lay them out; rows
    of a fixed-width table ("Headache      9 (7%)" over "Nausea      8 (6%)") do not."""
    for i, block in enumerate(blocks[:-1]):
        below = blocks[i + 1]
        body = text[block.start : block.end]
        if (
            block.role == SegmentRole.SENTENCE
            and below.role in PROSE_ROLES
            and "\n" not in body
            and len(body.split()) <= 8
            and not body.rstrip().endswith((".", "!", ";", ",", ":", "?", '"', "”"))
            and text.count("\n", block.end, below.start) == 1
            and text[below.start : below.start + 1].isupper()
            and not (_CELL_GAP_RE.search(body) and _CELL_GAP_RE.search(text, below.start, below.end))
        ):
            blocks[i] = Block(block.start, block.end, SegmentRole.HEADING)


def _head_lists(text: str, blocks: list[Block]) -> None:
    """A short unpunctuated line right above a list introduces it ("Side effects")."""
    for i, block in enumerate(blocks[:-1]):
        body = text[block.start : block.end]
        if (
            block.role == SegmentRole.SENTENCE
            and blocks[i + 1].role == SegmentRole.LIST_ITEM
            and len(body.split()) <= 6
            and "\n" not in body
            and not body.rstrip().endswith((".", "!", ";", ",", ":"))
        ):
            blocks[i] = Block(block.start, block.end, SegmentRole.HEADING)
