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
_DOCTYPE_RE = re.compile(r"<!DOCTYPE[^>\[]*(\[.*?\]\s*)?>", re.I | re.S)


class _Extractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.length = 0
        self.skip_depth = 0
        self.stack: list[str] = []
        self.lists: list[list[int]] = []  # per open list: [is_ordered, counter]
        self.links: list[tuple[int, int, str]] = []
        self.open_links: list[tuple[int, str]] = []

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
            start = attr.get("start")
            counter = int(start) - 1 if start and start.isdigit() else 0
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
            self.open_links.append((self.length, attr.get("href") or ""))
        elif tag in ("td", "th"):
            self._emit(" ")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.skip_depth:
            self.skip_depth -= 1
            return
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self._newline()
        elif tag in HEADINGS or tag in BLOCK or tag == "li":
            self._newline()
        elif tag == "a" and self.open_links:
            start, href = self.open_links.pop()
            href = href.strip()
            if href.lower().startswith(("http://", "https://")):
                anchor = "".join(self.out)[start:].strip()
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
        if "sup" in self.stack:
            # <sup>1,3</sup> is a citation marker: keep it superscript (¹,³) so it is found
            data = as_superscript_citation(data) or data
        if "pre" not in self.stack:
            data = re.sub(r"\s+", " ", data)
            if self.out and self.out[-1].endswith(("\n", " ")):
                data = data.lstrip()
        if data:
            self._emit(data)


def html_to_text(html: str) -> tuple[str, list[tuple[int, int, str]]]:
    html = _DOCTYPE_RE.sub("", html)
    parser = _Extractor()
    parser.feed(html)
    parser.close()
    text = "".join(parser.out)
    return text, parser.links
