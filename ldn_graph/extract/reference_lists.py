"""Reference lists: where a document lists the works it cites, entry by entry.

A list is found two ways, in any format (the readers put every block on its own line):

1. **A numbered run**: lines numbered one after another — "1.", "1)", "[1]", "1 " (a
   number and a space), a number glued to the first author as a PDF copy leaves it
   ("1Younger J, …"), a superscript number ("¹ Younger J") — most of whose entries read as
   citations, the first one included, unless a sources heading is over it. A run that
   does not start at 1 (a repost of entries 1012–1017) must be citations throughout, and
   two entries at least from 1000 on, so a line opening with a year is no list. Numbers
   run to five digits; a loose form ("1 ", glued, superscript) needs two entries.
2. **Under a heading that names sources** (:data:`SOURCE_HEADINGS`: References, Sources,
   Research, Bibliography, Notes, Further reading …): the entries that follow, numbered or
   not — bullets, one per paragraph or one per line — while each reads as a citation or
   links to a study or a page, and is not a sentence of prose citing a source in passing
   ("… pain scores were lower on LDN (Younger et al., 2013; PMID 23359310)."), whose
   identifiers stay the document's sources without making it an entry.

An entry goes on over the lines that wrap it (an indented line, a line that does not open
like a new entry) up to the next entry, a blank line before something else, or a heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ldn_graph.extract.spans import SpanIndex
from ldn_graph.ids import clean_doi, identifiers_in
from ldn_graph.model import Document, Reference
from ldn_graph.terms import ReferenceKind, SegmentRole

__all__ = [
    "NOTE_HEADINGS",
    "SOURCES_USED_RE",
    "SOURCE_HEADINGS",
    "ReferenceLists",
    "classify_reference",
    "find_reference_list",
    "looks_like_citation",
    "read_reference_lists",
]

# Where the sources a heading names were used: "Studies mentioned on this page", "Research
# cited in this article", "Sources used above", "Reviews and guidance consulted".
_USED_WHERE = (
    r"\s+(?:mentioned|cited|quoted|referred\s+to|discussed|used|linked|consulted|reviewed|drawn\s+on)"
    r"(?:\s+(?:on|in)\s+(?:this|the)\s+(?:page|article|post|guide|leaflet|piece|review|story|faq|summary)"
    r"|\s+(?:above|here|below))?")
_SOURCE_NOUN = r"(?:references?|sources?|studies|research|papers|reviews|guidance|guidelines|literature|articles|reading)"
#: A heading naming the sources the page used, one or several kinds of them ("Reviews and
#: guidance consulted", "Papers, guidelines and reviews cited"): a list of sources, whichever
#: reader met it.
SOURCES_USED_RE = re.compile(
    rf"^\W*(?:\d+(?:\.\d+)*\.?\s+)?(?:(?:the|key|main|selected|other)\s+)?{_SOURCE_NOUN}"
    rf"(?:\s*(?:,|and|&)\s*{_SOURCE_NOUN})*{_USED_WHERE}\W*$",
    re.I,
)

#: Headings over a list of sources (lower case, without markup or a closing colon).
SOURCE_HEADINGS = frozenset({
    "references", "reference", "reference list", "sources", "source", "sources cited",
    "research", "the research", "research cited", "key research", "bibliography",
    "citations", "notes", "endnotes", "footnotes", "further reading", "literature",
    "literature cited", "works cited", "studies", "key studies", "selected studies",
    "studies cited", "evidence", "the evidence", "what the research says",
    "what the studies say", "reading list", "selected references", "selected reading",
    "references and further reading", "sources and further reading",
    "notes and references", "research and references", "useful reading",
})

#: Sources headings over notes, which may be comments as well as citations: there a
#: numbered entry that does not read as a citation is a note, not a reference.
NOTE_HEADINGS = frozenset({"notes", "endnotes", "footnotes", "notes and references"})

# a Markdown footnote definition: "[^1]: Younger J …" (continued on indented lines)
_FOOTNOTE_DEF_RE = re.compile(r"^\[\^(?P<label>[^\]\s]{1,40})\]:[ \t]*")

URL_RE = re.compile(r"https?://[^\s<>\"“”]+", re.I)
YEAR_RE = re.compile(r"\b(?:19|20)\d\d\b")
AUTHOR_RE = re.compile(r"^[A-Z][A-Za-z'’\-]+(?:\s[A-Z][A-Za-z'’\-]+)?,?\s[A-Z]{1,3}\b")
_SUPER_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
# An entry wraps over a few lines at most; more is a paragraph under a numbered heading.
MAX_ENTRY_LINES = 6
_GAP = r"[ \t\u00a0]"
# A numbered entry's opening; ``body`` is the entry after its number.
_NUMBERED_RE = re.compile(
    rf"^{_GAP}*(?:[-*+•]{_GAP}+)?"
    rf"(?:\[(?P<b>\d{{1,5}})\]{_GAP}*|(?P<n>\d{{1,5}})[.)]{_GAP}+|(?P<sp>\d{{1,5}}){_GAP}+"
    rf"|(?P<g>\d{{1,5}})(?=[A-Z][\w'’-]+,?{_GAP}[A-Z]{{1,3}}\b)|(?P<sup>[{_SUPER_DIGITS}]{{1,5}}){_GAP}*)"
    r"(?P<body>\S.*)$"
)
_BULLET_RE = re.compile(rf"^{_GAP}*[-*+•·]{_GAP}+(?P<body>\S.*)$")
_HEADING_MARKUP_RE = re.compile(r"^[#*_=\s\d.)]*|[#*_:=\s]*$")
_ENDS_ENTRY_RE = re.compile(r"(?:[.)>\]]|\d|https?://\S+)\s*$")


def _number(m: re.Match[str]) -> int:
    if m.group("sup"):
        return int("".join(str(_SUPER_DIGITS.index(ch)) for ch in m.group("sup")))
    return int(m.group("b") or m.group("n") or m.group("sp") or m.group("g"))


def looks_like_citation(body: str) -> bool:
    """A reference-list entry, as opposed to a numbered heading or step."""
    if identifiers_in(body) or URL_RE.search(body):
        return True
    if not YEAR_RE.search(body):
        return False
    return bool(
        re.search(r"\bet al\b", body)
        or AUTHOR_RE.match(body)
        or re.search(r";\s*\d+\s*\(\d+\)|:\s*\d+\s*[-–]\s*\d+", body)
    )


_PARENTHESIS_RE = re.compile(r"\([^()]*\)")
# A paragraph whose words outside such parentheses make a sentence of prose.
_PROSE_WORDS = 12


def cites_in_passing(body: str) -> bool:
    """Whether a paragraph under a sources heading is prose that cites a source in passing
    ("The best-known trial … found that pain scores were lower on LDN (Younger et al., 2013;
    PMID 23359310)."), not an entry: outside its citing parentheses it does not read as a
    citation, opens with no author, names no "et al.", and runs to a sentence's length."""
    # a citing parenthesis holds a year or an identifier: "(Younger et al., 2013; PMID 23359310)"
    rest = _PARENTHESIS_RE.sub(lambda m: " " if YEAR_RE.search(m.group()) or identifiers_in(m.group()) else m.group(), body)
    if rest == body or re.search(r"\bet al\b", rest) or AUTHOR_RE.match(rest.strip()):
        return False
    return not looks_like_citation(rest) and len(rest.split()) >= _PROSE_WORDS and rest.rstrip().endswith((".", "!"))


def classify_reference(label: str, body: str, start: int, end: int, in_list: bool = True) -> Reference:
    """A reference of ``body``, with the identifiers it gives (a PMID, DOI, PMCID, URL)."""
    ids: dict[str, str] = {}
    for kind, value, _s, _e in identifiers_in(body):
        ids.setdefault(kind, value)
    um = URL_RE.search(body)
    url = clean_doi(um.group(0)) if um else None
    if "pmid" in ids:
        kind = ReferenceKind.PUBMED
    elif "doi" in ids:
        kind = ReferenceKind.DOI
    elif "pmcid" in ids:
        kind = ReferenceKind.PMC
    elif url:
        kind = ReferenceKind.WEB
    else:
        kind = ReferenceKind.UNRESOLVED
    return Reference(label, kind, body, start, end, ids.get("pmid"), ids.get("doi"), url, ids.get("pmcid"), in_list)


@dataclass(frozen=True)
class _Line:
    start: int
    end: int  # without trailing white space
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    @property
    def indent(self) -> int:
        return len(self.text) - len(self.text.lstrip())


def _lines(text: str) -> list[_Line]:
    out = []
    pos = 0
    for line in text.split("\n"):
        out.append(_Line(pos, pos + len(line.rstrip()), line.rstrip()))
        pos += len(line) + 1
    return out


def _heading_text(text: str) -> str:
    return _HEADING_MARKUP_RE.sub("", text).strip().lower()


def is_source_heading(text: str) -> bool:
    """Whether a line is a heading over a list of sources ("## References", "Sources:")."""
    heading = _heading_text(text)
    return len(text) <= 80 and (heading in SOURCE_HEADINGS or SOURCES_USED_RE.match(heading) is not None)


class _Reader:
    """The document's lines, and what the reader said of them (headings, page chrome)."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.lines = _lines(doc.text)
        self.links = SpanIndex((link.start, link.end) for link in doc.links)
        # links to pages elsewhere (a site's own menu links are relative)
        self.external = {(link.start, link.end): link.href.lower().startswith(("http://", "https://")) for link in doc.links}
        starts: dict[int, SegmentRole] = {}
        for seg in doc.segments:
            starts.setdefault(seg.start, seg.role)
        self.roles = starts

    def role_at(self, line: _Line) -> SegmentRole | None:
        return self.roles.get(line.start + line.indent)

    def is_heading(self, line: _Line) -> bool:
        return self.role_at(line) == SegmentRole.HEADING or is_source_heading(line.text)

    def entry_ok(self, start: int, end: int, links: bool = True) -> bool:
        """Whether ``text[start:end]`` reads as a citation (in its first lines: an entry
        is short) or links to a source elsewhere (a menu's links to the site's own pages
        are no sources)."""
        body = "\n".join(self.doc.text[start:end].split("\n")[:MAX_ENTRY_LINES])
        if looks_like_citation(body):
            return True
        if not links or self.roles.get(start) == SegmentRole.NAVIGATION:
            return False
        return any(self.external.get(span, False) for span in self.links.within(start, end))

    def continuation_end(self, i: int, stop: int, next_number: int | None = None) -> int:
        """The index after the last line that goes on with the entry opened on line ``i``
        (lines before ``stop`` only). With ``next_number``, the lines between this entry
        and the one numbered so, with no blank line, are this entry's whatever they look
        like (a hard-wrapped list has nowhere else to put them); so is a line that is only
        an identifier or a link ("PMC4951901" on the line after the entry)."""
        first = self.lines[i]
        j = i + 1
        stop = min(stop, i + MAX_ENTRY_LINES)
        while j < stop:
            line = self.lines[j]
            if line.blank or _NUMBERED_RE.match(line.text) or _BULLET_RE.match(line.text):
                break
            if self.is_heading(line) and line.indent <= first.indent and not self._bare_identifier(line):
                break
            previous = self.lines[j - 1].text
            opens_new = line.indent <= first.indent and line.text.lstrip()[:1].isupper() and _ENDS_ENTRY_RE.search(previous)
            if (opens_new and not self.doc.text[first.start : self.lines[j - 1].end].rstrip().endswith((",", ";"))
                    and not self._bare_identifier(line) and not self._before(j, stop, next_number)):
                break
            j += 1
        return j

    @staticmethod
    def _bare_identifier(line: _Line) -> bool:
        text = line.text.strip()
        found = identifiers_in(text)
        return bool(found and found[0][2] == 0 and found[-1][3] >= len(text.rstrip(".")))

    def _before(self, j: int, stop: int, number: int | None) -> bool:
        """Whether the lines from ``j`` run without a blank line into the entry ``number``."""
        if number is None:
            return False
        for line in self.lines[j:stop]:
            if line.blank:
                return False
            m = _NUMBERED_RE.match(line.text)
            if m:
                return _number(m) == number
        return False


@dataclass(frozen=True)
class ReferenceLists:
    """What a document's lists hold: its references in reading order, and the labels of
    notes that are not citations (a footnote that comments), which a marker may point at
    without citing anything."""

    references: list[Reference]
    notes: frozenset[str]


def find_reference_list(doc: Document) -> list[Reference]:
    """Entries of the document's reference list(s), in reading order."""
    return read_reference_lists(doc).references


def _footnote_definitions(doc: Document, reader: _Reader, used: set[int]) -> tuple[list[Reference], set[str]]:
    """Markdown footnote definitions ("[^1]: text", continued on indented lines): each a
    reference when it reads as a citation, else a note."""
    refs: list[Reference] = []
    notes: set[str] = set()
    lines = reader.lines
    for k, line in enumerate(lines):
        m = _FOOTNOTE_DEF_RE.match(line.text)
        if m is None or k in used:
            continue
        end = k + 1
        while end < len(lines) and not lines[end].blank and lines[end].indent > 0 and end - k < MAX_ENTRY_LINES:
            end += 1
        start, stop = line.start + m.end(), lines[end - 1].end
        body = doc.text[start:stop]
        if looks_like_citation(body):
            refs.append(classify_reference(m.group("label"), body, start, stop))
        else:
            notes.add(m.group("label"))
        used.update(range(k, end))
    return refs, notes


def read_reference_lists(doc: Document) -> ReferenceLists:
    """Entries of the document's reference list(s) and footnote definitions, in reading
    order, and the notes among them that are not citations."""
    reader = _Reader(doc)
    lines = reader.lines
    used: set[int] = set()
    refs, notes = _footnote_definitions(doc, reader, used)
    headed = {i for i, ln in enumerate(lines) if is_source_heading(ln.text)}
    noted: set[int] = set()  # lines under a notes heading
    under_heading: set[int] = set()
    for h in headed:  # the lines that follow a sources heading, up to the next heading
        for k in range(h + 1, len(lines)):
            line = lines[k]
            if k in headed or (
                not line.blank and reader.role_at(line) == SegmentRole.HEADING and not looks_like_citation(line.text)
            ):
                break
            under_heading.add(k)
            if _heading_text(lines[h].text) in NOTE_HEADINGS:
                noted.add(k)
    # 1. numbered runs
    i = 0
    while i < len(lines):
        m = _NUMBERED_RE.match(lines[i].text)
        if not m or (reader.is_heading(lines[i]) and not looks_like_citation(lines[i].text)):
            i += 1  # "4. Discussion": a numbered section heading opens no list
            continue
        run: list[tuple[int, re.Match[str], int]] = []
        number = _number(m)
        j = i
        while True:
            end = reader.continuation_end(j, len(lines), number + 1)
            run.append((j, m, end))
            k = end
            while k < len(lines) and lines[k].blank:
                k += 1
            nxt = _NUMBERED_RE.match(lines[k].text) if k < len(lines) else None
            if nxt is None or _number(nxt) != number + 1:
                break
            number += 1
            j, m = k, nxt
        bodies = [(lines[a].start + mm.start("body"), lines[e - 1].end) for a, mm, e in run]
        headed_run = run[0][0] in under_heading
        # a list of links counts under a sources heading; elsewhere the entries must read
        # as citations, the first one included ("Notes to editors" may cite one study)
        oks = [reader.entry_ok(s, e, links=headed_run) for s, e in bodies]
        citation_like = sum(oks)
        loose = any(mm.group("sp") or mm.group("g") or mm.group("sup") for _, mm, _ in run)
        enough = citation_like and citation_like * 2 >= len(run) and (headed_run or oks[0])
        if loose and len(run) < 2 and not headed_run:
            enough = False
        if _number(run[0][1]) != 1 and not headed_run and (citation_like < len(run) or number >= 1000 and len(run) == 1):
            enough = False  # a list that starts part-way through: every entry a citation
        if enough:
            for (a, mm, e), (s, t), ok in zip(run, bodies, oks, strict=True):
                if a in noted and not ok:
                    notes.add(str(_number(mm)))  # a note that comments, not a source
                else:
                    refs.append(classify_reference(str(_number(mm)), doc.text[s:t], s, t))
                used.update(range(a, e))
        # past the whole run, list or not: no part of a run that is no list is one (and
        # each line is looked at once)
        i = run[-1][2]
    # 2. unnumbered entries under a sources heading
    # an unnumbered list is numbered by position, unless the document numbers its list
    # (then "[2]" means the numbered entry, and these are "source 1", "source 2" …)
    prefix = "source " if refs else ""
    taken = {r.label for r in refs}
    position = 0
    for h in sorted(headed):
        k = h + 1
        while k < len(lines):
            line = lines[k]
            if line.blank:
                k += 1
                continue
            if k in used or k not in under_heading or is_source_heading(line.text):
                break
            if reader.is_heading(line) and not looks_like_citation(line.text):
                break  # the next section (a line the reader took for a heading may be an entry)
            bullet = _BULLET_RE.match(line.text)
            body_at = line.start + (bullet.start("body") if bullet else line.indent)
            end = reader.continuation_end(k, len(lines))
            stop = lines[end - 1].end
            if not reader.entry_ok(body_at, stop) or cites_in_passing(doc.text[body_at:stop]):
                break  # no entry: the list, if any, has ended
            position += 1
            while f"{prefix}{position}" in taken:
                position += 1
            refs.append(classify_reference(f"{prefix}{position}", doc.text[body_at:stop], body_at, stop))
            used.update(range(k, end))
            k = end
    refs.sort(key=lambda r: r.start)
    return ReferenceLists(refs, frozenset(notes))
