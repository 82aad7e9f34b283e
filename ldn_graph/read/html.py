"""HTML → a :class:`~ldn_graph.read.layout.Layout`: the page's text, block by block, with
what each block is (heading, paragraph, list item, table row or cell, caption …) and
where it sits (the main content, or navigation, a sidebar, a form, the page footer).

Scripts, styles, templates, comments and hidden elements are dropped; every other
block is written on a line of its own. An ``<ol>`` numbers its items ("1. ", outside the
item's block); ``<sup>`` citation numbers (and those of an element styled
``vertical-align: super``) are kept superscript (¹,³) so markers are
found; a link's ``href`` is written after its text as ``<URL>``, a hidden span (never claim
words, but reference finding sees it). The page's ``<title>`` and its description and
keywords ``<meta>`` are metadata blocks at the top. Roles are given in
:mod:`ldn_graph.read.html_roles`. Linear in the size of the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from ldn_graph.model import Link
from ldn_graph.read.html_roles import RawBlock, Where, html_blocks
from ldn_graph.read.layout import Layout
from ldn_graph.read.sections import mark_item_headings
from ldn_graph.text import as_superscript_citation, replace_unsafe

SKIP = {"script", "style", "noscript", "template", "svg", "iframe", "select", "option",
        "datalist", "textarea", "object", "canvas", "math", "audio", "video", "map"}
# Elements that start and end a block (the text before and after them is another block).
BLOCK = {"p", "div", "section", "article", "main", "header", "footer", "nav", "aside", "form",
         "br", "hr", "tr", "td", "th", "table", "thead", "tbody", "tfoot", "caption",
         "blockquote", "pre", "dd", "dt", "dl", "figure", "figcaption", "address", "details",
         "summary", "ul", "ol", "li", "body", "html", "center", "fieldset", "legend",
         "label", "button", "dialog", "menu", "hgroup", "search", "head", "title", "h1",
         "h2", "h3", "h4", "h5", "h6", "noframes", "frameset", "output", "meter", "progress"}
VOID = {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "source",
        "track", "wbr", "param", "keygen"}
_NAV_ROLES = {"navigation", "search", "menubar", "menu", "tablist", "toolbar"}
_DIALOG_ROLES = {"dialog", "alertdialog"}
_DIALOG_CLASS_RE = re.compile(r"cookie|consent|gdpr", re.I)
# Class names and ids that pages without nav, aside or footer elements give their chrome
# (whole names only: "entry-header" or "has-sidebar" on the page's own text are not chrome).
_CHROME_CLASSES = {
    "nav": "nav", "navbar": "nav", "navigation": "nav", "menu": "nav", "main-menu": "nav",
    "main-nav": "nav", "site-nav": "nav", "site-navigation": "nav", "breadcrumb": "nav",
    "breadcrumbs": "nav", "skip-link": "nav", "sidebar": "aside", "widget-area": "aside",
    "related": "aside", "related-posts": "aside", "share": "aside", "sharing": "aside",
    "social-share": "aside", "footer": "footer", "site-footer": "footer", "page-footer": "footer",
}
_NOT_CHROME = {"html", "body", "main", "article"}
# Class names of bylines and dates ("byline", "entry-meta", "post-date" …).
_META_CLASSES = ("byline", "dateline", "meta", "author", "authors", "posted-on", "date",
                 "pubdate", "published", "timestamp", "reading-time", "read-time")
_META_NAMES = {"description", "keywords"}
_FORM_TAGS = {"form", "button", "label", "fieldset", "legend"}
# The kind of block an element makes of its text (other elements keep their parent's).
_KINDS = {"h1": "heading", "h2": "heading", "h3": "heading", "h4": "heading", "h5": "heading",
          "h6": "heading", "summary": "heading", "dt": "heading", "li": "item", "td": "cell",
          "th": "header cell", "caption": "caption", "figcaption": "caption", "dd": "text"}
_DOCTYPE_RE = re.compile(r"<!DOCTYPE", re.I)
_SUBSET_OR_END_RE = re.compile(r"[^>\[]*(?:>|(\[))")
_SUBSET_END_RE = re.compile(r"\]\s*>")
_SPACE_RE = re.compile(r"\s+")


@dataclass(frozen=True)
class _Element:
    tag: str
    where: Where
    raised: bool = False  # set superscript by its style or class, not by <sup>


def _raised(tag: str, style: str, attr: dict[str, str | None]) -> bool:
    """An element that renders its text superscript without being ``<sup>``: an inline
    style ``vertical-align: super`` (as e-mail builders write it), or the class
    ``sup``/``superscript``."""
    classes = (attr.get("class") or "").lower().split()
    return tag != "sup" and ("vertical-align:super" in style or "sup" in classes or "superscript" in classes)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.length = 0
        self.skip_depth = 0
        self.stack: list[_Element] = []  # open elements (not skipped ones)
        self.open_count: dict[str, int] = {}  # how many of each are open (no scan per text)
        self.raised = 0  # open elements set superscript by style or class
        self.where = Where()
        self.lists: list[list[int]] = []  # per open list: [is_ordered, counter]
        self.links: list[tuple[int, int, str]] = []
        self.open_links: list[tuple[int, int, str]] = []  # (offset, index in out, href)
        self.hidden: list[tuple[int, int]] = []
        self.blocks: list[RawBlock] = []
        self.run_start: int | None = None  # where the open block's text starts
        self.last_break = -1  # offset just after the last <br>'s line break
        self.saw_main = False
        self.articles = 0  # outermost <article> elements seen
        self.rows = 0
        self.cells = 0

    # ------------------------------------------------------------------ text

    def _emit(self, text: str) -> None:
        self.out.append(text)
        self.length += len(text)

    def _end_block(self, separator: str = "\n") -> None:
        """Close the open block (if it has text) and start a new line."""
        if self.run_start is not None:
            self.blocks.append(RawBlock(self.run_start, self.length, self.where))
            self.run_start = None
        if self.out and not self.out[-1].endswith(("\n", separator)):
            self._emit(separator)

    def _text(self, data: str, where: Where | None = None) -> None:
        if where is not None and where != self.where:
            self._end_block()
            saved, self.where = self.where, where
            self._text(data)
            self._end_block()
            self.where = saved
            return
        if self._inside("sup") or self.raised:
            # <sup>1,3</sup> is a citation marker: keep it superscript (¹,³) so it is found
            data = as_superscript_citation(data) or data
        data = replace_unsafe(data.replace("\r\n", "\n").replace("\r", "\n"), " ")
        if not self._inside("pre"):
            data = _SPACE_RE.sub(" ", data)
            if self.run_start is None or self.out[-1].endswith(("\n", " ", "\t")):
                data = data.lstrip()
        if not data:
            return
        if self.run_start is None:
            self.run_start = self.length
        self._emit(data)

    # ------------------------------------------------------------------ elements

    def _inside(self, tag: str) -> bool:
        return self.open_count.get(tag, 0) > 0

    def _enter(self, tag: str, attr: dict[str, str | None]) -> Where:
        """Where the content of ``tag`` sits (derived from where its parent's sits)."""
        where = self.where
        role = (attr.get("role") or "").lower()
        ids = " ".join(filter(None, (attr.get("class"), attr.get("id"))))
        change: dict[str, Any] = {}
        if tag == "main" or role == "main":
            self.saw_main = True
            change["main"] = True
        if tag == "article" and not where.article:
            self.articles += 1
            change["article"] = self.articles
        if tag == "nav" or role in _NAV_ROLES:
            change["chrome"] = "nav"
        elif tag == "aside" or role == "complementary":
            # an aside inside an article or the main content is its own (a fact box, a pull
            # quote, a callout), unless its class or id names chrome ("related-posts", "share")
            named_aside = _named_chrome(ids) if ids else None
            if not (where.article or where.main) or named_aside:
                change["chrome"] = named_aside or "aside"
        elif tag in _FORM_TAGS or role in ("form", "button"):
            change["chrome"] = "form"
        elif role in _DIALOG_ROLES or (ids and _DIALOG_CLASS_RE.search(ids)):
            change["chrome"] = "dialog"
        elif ids and tag not in _NOT_CHROME and not where.chrome and (named := _named_chrome(ids)):
            change["chrome"] = named
        elif tag == "header" or role == "banner":
            if not (where.main or where.article or where.chrome):
                change["chrome"] = "header"
        elif tag == "footer" or role == "contentinfo":
            if where.quote:  # a quotation's own footer is its attribution
                change["kind"] = "meta"
            else:
                change["chrome"] = "footer"
        kind = _KINDS.get(tag)
        if kind is not None:
            change["kind"] = kind
            if kind == "heading":
                change["level"] = int(tag[1]) if tag[0] == "h" else 0
        elif tag == "tr":
            self.rows += 1
            change["row"] = self.rows
        elif tag == "title":
            change.update(kind="meta", main=False)
        elif tag in ("blockquote", "figure"):
            change["quote"] = True
        elif tag == "cite" and where.quote and self.run_start is None:
            change["kind"] = "meta"  # "— <cite>Name</cite>" under a quotation
        if tag in ("td", "th"):
            self.cells += 1
            change["cell"] = self.cells
        if change.get("kind", where.kind) == "text" and _is_meta_class(attr.get("class")):
            change["kind"] = "meta"
        return where._replace(**change) if change else where

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip_depth:
            if tag not in VOID:
                self.skip_depth += 1
            return
        attr = dict(attrs)
        style = (attr.get("style") or "").replace(" ", "").lower()
        hidden = "hidden" in attr or "display:none" in style
        if tag in SKIP or hidden or (tag == "title" and self._inside("body")):
            if tag not in VOID:
                self.skip_depth = 1
            return
        if tag == "meta":
            name = (attr.get("name") or "").strip().lower()
            if name in _META_NAMES and attr.get("content"):
                self._text(attr.get("content") or "", self.where._replace(kind="meta", main=False))
            return
        if tag == "br":
            if self.last_break == self.length:  # <br><br>: a new block
                self._end_block()
            elif self.run_start is not None:
                self._emit("\n")
                self.last_break = self.length
            return
        if tag in BLOCK or (tag == "cite" and self.where.quote and self.run_start is None):
            self._end_block("\t" if self.where.row and tag in ("td", "th") else "\n")
        where = self._enter(tag, attr)
        if tag in ("ul", "ol", "menu"):
            self.lists.append([1 if tag == "ol" else 0, _list_start(attr.get("start")) - 1])
        elif tag == "li" and self.lists and self.lists[-1][0]:
            self.lists[-1][1] += 1
            self._emit(f"{self.lists[-1][1]}. ")
        elif tag == "a":
            self.open_links.append((self.length, len(self.out), attr.get("href") or ""))
        if tag not in VOID:
            raised = _raised(tag, style, attr)
            self.stack.append(_Element(tag, self.where, raised))
            self.open_count[tag] = self.open_count.get(tag, 0) + 1
            self.raised += raised
            self.where = where

    def _close(self, tag: str) -> bool:
        """Close ``tag`` and the elements left open inside it (an end tag with no open
        element is ignored, as browsers do); each element is pushed and popped once."""
        if not self.open_count.get(tag):
            return False
        while self.stack:
            top = self.stack.pop()
            self.open_count[top.tag] -= 1
            self.raised -= top.raised
            self.where = top.where
            if top.tag in ("ul", "ol", "menu") and self.lists:
                self.lists.pop()
            if top.tag == tag:
                break
        return True

    def handle_endtag(self, tag: str) -> None:
        if self.skip_depth:
            self.skip_depth -= 1
            return
        if tag in BLOCK or (tag == "cite" and self.where.kind == "meta" and self.where.quote):
            self._end_block("\t" if tag in ("td", "th") and self.where.cell else "\n")
        if tag == "a" and self.open_links and self._inside("a"):
            start, index, href = self.open_links.pop()
            href = replace_unsafe(_SPACE_RE.sub("", href), "")  # browsers drop tabs and newlines
            if href:
                self.links.append((start, self.length, href))
            if href.lower().startswith(("http://", "https://")):
                anchor = "".join(self.out[index:]).strip()  # the link's own text only
                if href not in anchor:
                    self._emit(" ")
                    self.hidden.append((self.length, self.length + len(href) + 2))
                    self._emit(f"<{href}>")
        if self._close(tag) and tag == "tr":
            self._end_block()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        if not self.skip_depth:
            self._text(data)


def _named_chrome(names: str) -> str | None:
    """The chrome a class or id names ("sidebar" → aside), or None."""
    for token in names.lower().split():
        if token in _CHROME_CLASSES:
            return _CHROME_CLASSES[token]
    return None


def _is_meta_class(value: str | None) -> bool:
    """A class naming a byline or a date: one of the names, or ending ``-name``/``_name``."""
    for token in (value or "").lower().split():
        for name in _META_CLASSES:
            if token == name or token.endswith(("-" + name, "_" + name)):
                return True
    return False


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


def html_layout(html: str) -> Layout:
    """The layout of an HTML page: its text, blocks with roles, links and hidden spans."""
    html = _strip_doctypes(html)
    reader = _Reader()
    reader.feed(html)
    if reader.rawdata[:1] == "<" and len(reader.rawdata) > 1:
        # feed() stops at the first tag, comment or declaration that never ends; at the
        # end of the text a browser (and Python from 3.13.4 on) drops it. Python 3.11's
        # close() instead re-parses from every later "<" to the end: quadratic.
        reader.rawdata = ""
    reader.close()
    reader._end_block()
    text = "".join(reader.out)
    main = "main" if reader.saw_main else "article" if reader.articles == 1 else ""
    blocks = mark_item_headings(text, html_blocks(text, reader.blocks, reader.links, reader.hidden, main))
    links = tuple(Link(s, e, href) for s, e, href in reader.links)
    return Layout(text, blocks, links, tuple(reader.hidden))
