"""HTML → plain text with block structure, for claim and reference finding.

Scripts, styles, comments and navigation chrome are dropped; block elements become
lines; list items keep their bullet or number (an ``<ol>`` numbers its items); a
link's ``href`` is written after its text as ``<URL>`` so that reference finding sees
it, and its span is returned.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from ldn_graph.text import as_superscript_citation

SKIP = {"script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
        "button", "svg", "iframe", "select", "option", "head", "title", "object", "canvas"}
BLOCK = {"p", "div", "section", "article", "main", "br", "tr", "table", "blockquote", "pre",
         "dd", "dt", "dl", "figure", "figcaption", "hr", "address", "details", "summary",
         "ul", "ol", "body", "html", "center"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
VOID = {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "source",
        "track", "wbr", "param"}
_DOCTYPE_RE = re.compile(r"<!DOCTYPE", re.I)
_SUBSET_OR_END_RE = re.compile(r"[^>\[]*(?:>|(\[))")
_SUBSET_END_RE = re.compile(r"\]\s*>")
_SPACE_RE = re.compile(r"\s+")


class _Extractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.length = 0
        self.skip_depth = 0
        self.stack: list[str] = []  # open elements
        self.open_count: dict[str, int] = {}  # how many of each are open (no scan per text)
        self.lists: list[list[int]] = []  # per open list: [is_ordered, counter]
        self.links: list[tuple[int, int, str]] = []
        self.open_links: list[tuple[int, int, str]] = []  # (offset, index in out, href)

    def _emit(self, text: str) -> None:
        self.out.append(text)
        self.length += len(text)

    def _newline(self) -> None:
        if self.out and not self.out[-1].endswith("\n"):
            self._emit("\n")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip_depth:
            if tag not in VOID:
                self.skip_depth += 1
            return
        attr = dict(attrs)
        hidden = attr.get("hidden") is not None or "display:none" in (attr.get("style") or "").replace(" ", "")
        role = (attr.get("role") or "").lower()
        if tag in SKIP or hidden or role in {"navigation", "banner", "contentinfo", "search"}:
            if tag not in VOID:
                self.skip_depth = 1
            return
        if tag in ("ul", "ol"):
            self._newline()
            counter = _list_start(attr.get("start")) - 1
            self.lists.append([1 if tag == "ol" else 0, counter])
        elif tag == "li":
            self._newline()
            if self.lists and self.lists[-1][0]:
                self.lists[-1][1] += 1
                self._emit(f"{self.lists[-1][1]}. ")
            else:
                self._emit("- ")
        elif tag in HEADINGS:
            self._newline()
            self._emit("#" * int(tag[1]) + " ")
        elif tag in BLOCK:
            self._newline()
        elif tag == "a":
            self.open_links.append((self.length, len(self.out), attr.get("href") or ""))
        elif tag in ("td", "th"):
            self._emit(" ")
        if tag not in VOID:
            self.stack.append(tag)
            self.open_count[tag] = self.open_count.get(tag, 0) + 1

    def _close(self, tag: str) -> None:
        """Close ``tag`` and the elements left open inside it (an end tag with no open
        element is ignored, as browsers do); each element is pushed and popped once."""
        if not self.open_count.get(tag):
            return
        while self.stack:
            top = self.stack.pop()
            self.open_count[top] -= 1
            if top == tag:
                return

    def _inside(self, tag: str) -> bool:
        return self.open_count.get(tag, 0) > 0

    def handle_endtag(self, tag: str) -> None:
        if self.skip_depth:
            self.skip_depth -= 1
            return
        self._close(tag)
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self._newline()
        elif tag in HEADINGS or tag in BLOCK or tag == "li":
            self._newline()
        elif tag == "a" and self.open_links:
            start, index, href = self.open_links.pop()
            href = href.strip()
            if href.lower().startswith(("http://", "https://")):
                anchor = "".join(self.out[index:]).strip()  # the link's own text only
                if href not in anchor:
                    self._emit(f" <{href}>")
                self.links.append((start, self.length, href))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        if self._inside("sup"):
            # <sup>1,3</sup> is a citation marker: keep it superscript (¹,³) so it is found
            data = as_superscript_citation(data) or data
        if not self._inside("pre"):
            data = _SPACE_RE.sub(" ", data)
            if self.out and self.out[-1].endswith(("\n", " ")):
                data = data.lstrip()
        if data:
            self._emit(data)


def _list_start(value: str | None) -> int:
    """The number of an ``<ol start>``'s first item: ASCII digits only (``"²"`` is a digit
    to ``str.isdigit`` but not to ``int``) and at most five of them (a 5,000-digit number
    is past ``int``'s limit; no list of copy is that long)."""
    value = (value or "").strip()
    if value.isascii() and value.isdigit() and len(value) <= 5:
        return int(value)
    return 1


def _strip_doctypes(html: str) -> str:
    r"""``html`` without its DOCTYPE declarations and their internal subsets, which name
    entities that must not be expanded (what ``re.sub`` of
    ``<!DOCTYPE[^>\[]*(\[.*?\]\s*)?>`` removes, in one pass: that pattern rescans to the
    end of the text from every unclosed ``<!DOCTYPE [``)."""
    out: list[str] = []
    pos = 0
    subset_can_close = True
    while (m := _DOCTYPE_RE.search(html, pos)) is not None:
        head = _SUBSET_OR_END_RE.match(html, m.end())
        if head is None:  # no ">" or "[" follows this one, nor any later one
            break
        out.append(html[pos : m.start()])
        if head.group(1) is None:  # <!DOCTYPE html>
            pos = head.end()
            continue
        tail = _SUBSET_END_RE.search(html, head.end()) if subset_can_close else None
        if tail is not None:  # <!DOCTYPE html [ … ]>
            pos = tail.end()
            continue
        # "[" never closed: kept as it is, with every "<!DOCTYPE" up to it (each would
        # reach the same "["), and no later subset can close either
        subset_can_close = False
        out.append(html[m.start() : head.end()])
        pos = head.end()
    out.append(html[pos:])
    return "".join(out)


def html_to_text(html: str) -> tuple[str, list[tuple[int, int, str]]]:
    html = _strip_doctypes(html)
    parser = _Extractor()
    parser.feed(html)
    if parser.rawdata[:1] == "<" and len(parser.rawdata) > 1:
        # feed() stops at the first tag, comment or declaration that never ends; at the
        # end of the text a browser (and Python from 3.13.4 on) drops it. Python 3.11's
        # close() instead re-parses from every later "<" to the end: quadratic.
        parser.rawdata = ""
    parser.close()
    text = "".join(parser.out)
    return text, parser.links
