"""Markdown into blocks through a CommonMark parser (markdown-it-py, with GitHub tables and
footnotes), the text kept as the source itself.

A block's span is a slice of the source, markup included: a paragraph's consecutive lines
are one block; a list item starts after its marker and keeps its continuation lines (a
nested list's items are blocks of their own); a heading (ATX or setext) is its words; a
block quote's paragraph starts after its first ``>`` (later markers stay inside); a table
row is one block (the header row a heading); a footnote definition is a reference entry,
after its label. Code, HTML blocks and thematic breaks give no block. Link and image
targets, autolinks and bare URLs are hidden spans (never claim words); every link is kept
as a :class:`~ldn_graph.model.Link` over its text.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference, unescapeAll
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from ldn_graph.model import Link
from ldn_graph.read.layout import Block, Layout
from ldn_graph.read.sections import mark_reference_sections
from ldn_graph.terms import SegmentRole
from ldn_graph.urls import url_spans

# [text](destination "title"), ![alt](source), [text][label], [text][], [label]
_LINK_RE = re.compile(
    r"(?P<bang>!?)\[(?P<text>(?:[^\[\]\\]|\\.|\[(?:[^\[\]\\]|\\.)*\])*)\]"
    r"(?:\((?P<dest>[ \t\n]*(?:<[^<>\n]*>|[^\s()<]*(?:\([^\s()]*\)[^\s()]*)*)"
    r"(?:[ \t\n]+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?[ \t\n]*)\)"
    r"|\[(?P<ref>(?:[^\[\]\\]|\\.)*)\])?",
    re.S,
)
_AUTOLINK_RE = re.compile(
    r"<(?P<url>[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+)>"
)
# A paragraph that is a list written without list syntax, one entry a line: numbered
# lines ("1 Younger J, …", "1.Younger J …", "[1] …") or lines that open with a bold label
# ("**Audience:** GPs").
_LINE_NUMBER_RE = re.compile(r"[ \t]*(?:\[(?P<b>\d{1,3})\]|(?P<n>\d{1,3})(?:[.)](?!\d)|[ \t]))")
_LINE_LABEL_RE = re.compile(r"[ \t]*(?:\*\*[^*\n]+:\*\*|__[^_\n]+:__)")
_TABLE_LINE_RE = re.compile(r"[ \t>]*")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table").use(footnote_plugin).use(front_matter_plugin)


class _Source:
    """Line offsets of the source."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0]
        pos = text.find("\n")
        while pos >= 0:
            self.starts.append(pos + 1)
            pos = text.find("\n", pos + 1)

    def line(self, n: int) -> tuple[int, int]:
        """Start and end (trailing space dropped) of line ``n``."""
        n = min(max(n, 0), len(self.starts) - 1)
        start = self.starts[n]
        end = self.starts[n + 1] - 1 if n + 1 < len(self.starts) else len(self.text)
        while end > start and self.text[end - 1] in " \t":
            end -= 1
        return start, end

    def content_lines(self, token: Token) -> list[tuple[int, int]]:
        """Where each line of an inline token's content lies in the source."""
        assert token.map is not None
        first = token.map[0]
        spans = []
        for k, piece in enumerate(token.content.split("\n")):
            start, end = self.line(first + k)
            piece = piece.rstrip(" \t")
            at = end - len(piece)
            if at < start or self.text[at:end] != piece:
                found = self.text.find(piece.strip(), start, end) if piece.strip() else -1
                at = found if found >= 0 else start
            spans.append((at, end))
        return spans


def _inline_span(source: _Source, inline: Token) -> tuple[int, int] | None:
    if inline.map is None or not inline.content.strip():
        return None
    lines = source.content_lines(inline)
    return lines[0][0], lines[-1][1]


def _line_list(source: _Source, inline: Token) -> list[tuple[int, int]] | None:
    """The entries of a paragraph written as a list of lines, or None for prose."""
    if inline.map is None or "\n" not in inline.content:
        return None
    lines = source.content_lines(inline)
    text = source.text
    first = _LINE_NUMBER_RE.match(text, lines[0][0], lines[0][1])
    starts: list[int] = []
    if first:
        expected = int(first.group("b") or first.group("n"))
        for k, (s, e) in enumerate(lines):
            m = _LINE_NUMBER_RE.match(text, s, e)
            if m and int(m.group("b") or m.group("n")) == expected:
                starts.append(k)
                expected += 1
    elif _LINE_LABEL_RE.match(text, lines[0][0], lines[0][1]):
        starts = [k for k, (s, e) in enumerate(lines) if _LINE_LABEL_RE.match(text, s, e)]
    if len(starts) < 2:
        return None
    ends = [*starts[1:], len(lines)]
    return [(lines[a][0], lines[b - 1][1]) for a, b in zip(starts, ends, strict=True)]


def _hard_lines(source: _Source, inline: Token) -> list[tuple[int, int]] | None:
    """The lines of a paragraph its author broke by hand (a trailing backslash or two
    spaces: an address, a contact block, a signature), each without its break mark; None
    when it has no hard break."""
    if not any(c.type == "hardbreak" for c in inline.children or []):
        return None
    text = source.text
    entries: list[tuple[int, int]] = []
    start: int | None = None
    for s, e in source.content_lines(inline):
        start = s if start is None else start
        line_end = text.find("\n", e)
        raw_end = len(text) if line_end < 0 else line_end
        if text[e - 1 : e] == "\\":
            entries.append((start, e - 1))
            start = None
        elif text[e:raw_end].startswith("  "):
            entries.append((start, e))
            start = None
    lines = source.content_lines(inline)
    if start is not None:
        entries.append((start, lines[-1][1]))
    return [(s, e) for s, e in entries if e > s] or None


def _significant(inline: Token) -> list[Token]:
    """An inline token's children without the empty text tokens the parser leaves."""
    return [c for c in inline.children or [] if c.type != "text" or c.content]


def _only_emphasis(inline: Token) -> bool:
    """A paragraph that is one bold or italic phrase and no sentence ("**Sources**")."""
    children = _significant(inline)
    if len(children) != 3 or children[0].type not in ("strong_open", "em_open"):
        return False
    words = children[1].content.strip()
    return children[1].type == "text" and bool(words) and not words.endswith((".", "!", ":", ";", ","))


def _links(
    source: _Source, env: dict[str, Any], inlines: list[Token], s: int, e: int
) -> tuple[list[Link], list[tuple[int, int]]]:
    """The links of the inline tokens over ``s:e``: matched in order against the parser's
    links, so a bracket in a code span is not taken for one."""
    expected = [
        (c.attrGet("href") or c.attrGet("src") or "", c.type == "image", c.markup == "autolink")
        for inline in inlines
        for c in _walk(inline.children or [])
        if c.type in ("link_open", "image")
    ]
    if not expected:
        return [], []
    text = source.text
    md = _parser()
    references = env.get("references", {})
    candidates: list[tuple[int, int, int, int, str, bool, bool]] = []  # start, end, text span, href …
    for m in _LINK_RE.finditer(text, s, e):
        if m.group("dest") is not None:
            dest = m.group("dest").strip()
            dest = dest[1:-1] if dest.startswith("<") and dest.endswith(">") else dest.split()[0] if dest else ""
            href = unescapeAll(dest)  # normalised below, only if it differs from the parser's
        else:
            label = m.group("ref") or m.group("text")
            ref = references.get(normalizeReference(label)) if label else None
            if ref is None:
                continue
            href = ref["href"]
        candidates.append((m.start(), m.end(), m.start("text"), m.end("text"), href, bool(m.group("bang")), False))
    for m in _AUTOLINK_RE.finditer(text, s, e):
        url = m.group("url")
        href = url if ":" in url else f"mailto:{url}"
        candidates.append((m.start(), m.end(), m.start("url"), m.end("url"), href, False, True))
    candidates.sort()
    links: list[Link] = []
    hidden: list[tuple[int, int]] = []
    k = 0
    for start, end, ts, te, href, image, auto in candidates:
        if k >= len(expected):
            break
        want, want_image, want_auto = expected[k]
        if image != want_image or auto != want_auto:
            continue
        if href != want:
            if md.normalizeLink(href) != want:
                continue
            href = want
        k += 1
        if auto:
            hidden.append((start, end))
            links.append(Link(ts, te, href))
            continue
        hidden.append((start, ts))  # "[" or "!["
        hidden.append((te, end))  # "](…)" or "][label]" or "]"
        if not image:
            links.append(Link(ts, te, href))
    return links, hidden


def _walk(tokens: list[Token]) -> list[Token]:
    out: list[Token] = []
    for token in tokens:
        out.append(token)
        if token.children:
            out.extend(_walk(token.children))
    return out


def markdown_layout(text: str) -> Layout:
    """The layout of a Markdown text (offsets are those of ``text``)."""
    env: dict[str, Any] = {}
    tokens = _parser().parse(text, env)
    source = _Source(text)
    blocks: list[Block] = []
    links: list[Link] = []
    hidden: list[tuple[int, int]] = []
    containers: list[str] = []
    in_head = False

    def add(start: int, end: int, role: SegmentRole, inline: Token | None, level: int = 0) -> None:
        blocks.append(Block(start, end, role, level))
        if inline is not None:
            found, masked = _links(source, env, [inline], start, end)
            links.extend(found)
            hidden.extend(masked)

    for i, token in enumerate(tokens):
        kind = token.type
        if kind.endswith("_open") and kind[:-5] in ("list_item", "blockquote", "footnote"):
            containers.append(kind[:-5])
        elif kind.endswith("_close") and kind[:-6] in ("list_item", "blockquote", "footnote"):
            containers.pop()
        elif kind == "thead_open":
            in_head = True
        elif kind == "thead_close":
            in_head = False
        elif kind == "front_matter" and token.map:
            for n in range(token.map[0] + 1, token.map[1] - 1):
                s, e = source.line(n)
                if e > s:
                    blocks.append(Block(s, e, SegmentRole.METADATA))
        elif kind == "heading_open":
            inline = tokens[i + 1]
            span = _heading_span(source, inline)
            if span:
                add(span[0], span[1], SegmentRole.HEADING, inline, int(token.tag[1:]))
        elif kind == "tr_open" and token.map:
            s, e = source.line(token.map[0])
            lead = _TABLE_LINE_RE.match(text, s, e)
            s = lead.end() if lead else s
            if e > s:
                cells = [t for t in tokens[i + 1 : _closing(tokens, i)] if t.type == "inline"]
                blocks.append(Block(s, e, SegmentRole.HEADING if in_head else SegmentRole.SENTENCE))
                found, masked = _links(source, env, cells, s, e)
                links.extend(found)
                hidden.extend(masked)
        elif kind == "paragraph_open":
            _paragraph(source, tokens[i + 1], containers[-1] if containers else "", add)
    hidden.extend(url_spans(text))
    blocks.sort(key=lambda b: b.start)  # footnote definitions come last in the token stream
    blocks = mark_reference_sections(text, blocks, per_line=False)
    return Layout(text, blocks, tuple(sorted(set(links), key=lambda link: link.start)), tuple(sorted(set(hidden))))


def _closing(tokens: list[Token], i: int) -> int:
    depth = 0
    for j in range(i, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens)


def _heading_span(source: _Source, inline: Token) -> tuple[int, int] | None:
    content = inline.content.strip()
    if inline.map is None or not content:
        return None
    if "\n" in content:  # a setext heading of several lines
        return _inline_span(source, inline)
    start, end = source.line(inline.map[0])
    at = source.text.find(content, start, end)
    return (at, at + len(content)) if at >= 0 else (start, end)


def _paragraph(source: _Source, inline: Token, container: str, add: Any) -> None:
    span = _inline_span(source, inline)
    if span is None:
        return
    if container == "footnote":
        # the entry keeps its label: "[^1]: Younger J, et al. …"
        line_start = source.text.rfind("\n", 0, span[0]) + 1
        label = source.text[line_start : span[0]]
        start = line_start + len(label) - len(label.lstrip()) if label.lstrip().startswith("[^") else span[0]
        add(start, span[1], SegmentRole.REFERENCE_ENTRY, inline)
        return
    if all(c.type == "image" or not c.content.strip() for c in _significant(inline) if c.type != "softbreak"):
        add(span[0], span[1], SegmentRole.CAPTION, inline)  # "![A pill organiser](…)": an image's words
        return
    role = SegmentRole.LIST_ITEM if container == "list_item" else SegmentRole.SENTENCE
    entries = None if container == "list_item" else _line_list(source, inline)
    if entries is None:
        entries = _hard_lines(source, inline)
    if entries is None and role == SegmentRole.SENTENCE and _only_emphasis(inline):
        add(span[0], span[1], SegmentRole.HEADING, inline)
        return
    run_in = _run_in(source.text, span[0], span[1], inline)
    if run_in is not None:  # "**How it works.** A dose …": the label heads its paragraph
        add(span[0], run_in[0], SegmentRole.HEADING, inline)
        span = (run_in[1], span[1])
        entries = None
    for s, e in entries or [span]:
        add(s, e, role, inline)


# A bold or italic label at the start of a paragraph: "*Note.*", "**Is it safe?**",
# "**Key point:**"
_RUN_IN_RE = re.compile(r"(\*\*|__|\*|_)(?=\S)([^\n]*?\S)\1(?P<after>[.:]?)(?=[ \t\n])")
_SENTENCE_START_RE = re.compile(r"[ \t\n]+[\"“‘'(\[*_]*[A-Z]")


def _run_in(text: str, start: int, end: int, inline: Token) -> tuple[int, int] | None:
    """A run-in heading opening ``text[start:end]``: an emphasised label that ends in a
    full stop or question mark and is followed by a sentence of its own (one that ends in a
    colon is part of the sentence it introduces, as in every other format). Returns where the label
    ends and where the sentence starts."""
    children = _significant(inline)
    if not children or children[0].type not in ("strong_open", "em_open"):
        return None
    m = _RUN_IN_RE.match(text, start, end)
    if m is None or not (m.group(2).endswith((".", "?")) or m.group("after") == "."):
        return None  # "**Summary:** LDN is …": a colon leads into the sentence, which keeps it
    follows = _SENTENCE_START_RE.match(text, m.end(), end)
    if follows is None:
        return None
    rest = m.end()
    while rest < end and text[rest] in " \t\n":
        rest += 1
    return m.end(), rest
