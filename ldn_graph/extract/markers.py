"""Inline citation markers, wherever a writer sets them, and the entries they point to.

Numbered: ``[1]``, ``[1, 3-5]``, ``[1]–[3]``, superscripts ``¹²`` and ``¹⁻³`` (HTML and
Word superscripts arrive as these; glued to the word or after one space; never a power:
"m²", "x²", "10⁶"), a number glued to the full stop ("…pain.2") and bare
numbers after a sentence ("…in fibromyalgia. 1 3") — the last two only in a document
with a numbered list holding those numbers. Author–year: ``(Younger et al., 2013)``,
``(Younger and Mackey 2013)``, ``(Smith & Zagon, 2007)``, several works in one
parenthesis, a page inside ("Brown 2009, p. 334"), and narrative citations ("Younger et
al. (2013) found"). Links: a hyperlink or Markdown link whose target is a PubMed, PMC or
DOI address; identifiers written in a sentence (a PubMed URL, "PMID: 123", a PMCID, a DOI).
Notes: Markdown footnotes ``[^1]``/``[^younger]`` (a note that only comments cites
nothing). Pandoc: ``[@younger2013]``, ``[@a; @b]``, ``[see @a, p. 3]``, ``[-@a]``, and
``@younger2013`` in a sentence when a bibliography file holds that key. Word citation
fields are found by :mod:`ldn_graph.extract.fields`.

A marker's ``labels`` are the labels of the references it points to; a marker that points
at nothing keeps empty labels (a dangling citation).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Collection, Iterable, Mapping, Sequence

from ldn_graph.extract.citations import surname_key
from ldn_graph.extract.spans import SpanIndex
from ldn_graph.ids import identifier_key, identifiers_in
from ldn_graph.model import Document, Marker, Reference
from ldn_graph.text import (
    BARE_MARKER,
    GLUED_MARKER,
    MARKER_BODY,
    SENTENCE_OPENING,
    SUPERSCRIPTS,
    superscript_digits,
)

__all__ = ["expand_numbers", "find_markers"]

_BRACKET_RE = re.compile(rf"\[(?P<body>{MARKER_BODY})\](?:\s*[-–—]\s*\[(?P<to>\d{{1,5}})\])?")
# glued to the word ("pain²") or after one space ("elsewhere ⁵.")
_SUPER_RE = re.compile(
    rf"(?:(?<=[^\s{SUPERSCRIPTS}])|(?<=[^\s{SUPERSCRIPTS}][ \t]))(?P<body>[{SUPERSCRIPTS}]+(?:[,⁻–-][{SUPERSCRIPTS}]+)*)"
)
# a superscript glued to these is a power, not a citation: a single letter or a unit
# ("x²", "m²", "mg/m²"), or ten ("10⁶ cells")
_POWER_BASE_RE = re.compile(r"(?:(?<![A-Za-z])[A-Za-z]|(?<![\d.,])10|(?<![A-Za-z])(?:cm|mm|km|[µμ]m|ft))$")
# "pain.2", "pain.2,3" and "… fibromyalgia. 1 3": the sentence splitter's own patterns
_GLUED_RE = re.compile(rf"(?P<body>{GLUED_MARKER})(?=\s|$)")
_BARE_RE = re.compile(rf"(?<=[.!?])[ \t]+(?P<body>{BARE_MARKER})(?=[ \t]*(?:\n|$)|[ \t]+{SENTENCE_OPENING})")
_NAME = r"(?:(?:van|von|de|der|den|del|da|di|le|la)\s)?[A-Z][A-Za-z'’\-]+"
_AUTHORS = rf"{_NAME}(?:\s(?:et\sal\.?|and\s{_NAME}|&\s{_NAME}))?"
_YEAR = r"(?:19|20)\d\d[a-z]?"
_CITE = rf"{_AUTHORS},?\s{_YEAR}(?:,\s*(?:pp?\.|page)\s*\d+(?:\s*[-–]\s*\d+)?)?"
# an organisation as author: "(LDN Patient Alliance, 2022)"
_BODY = r"[A-Z][\w'’\-]*(?:\s[A-Z][\w'’\-]*){1,5}"
_ORG_CITE = rf"{_BODY},?\s{_YEAR}"
_PAREN_RE = re.compile(
    rf"\((?P<body>(?:e\.g\.,?\s|see\s|cf\.\s)?(?:{_CITE}|{_ORG_CITE})(?:;\s*(?:{_CITE}|{_ORG_CITE}))*)\)"
)
# Markdown footnotes and Pandoc citations
_FOOTNOTE_RE = re.compile(r"\[\^(?P<label>[^\]\s]{1,40})\](?!:)")
_KEY = r"[A-Za-z0-9_][\w:.#$%&+?<>~/-]*[\w]|[A-Za-z0-9_]"
_PANDOC_KEY_RE = re.compile(rf"(?:^|(?<=[\s;\[]))-?@({_KEY})")
_PANDOC_RE = re.compile(rf"\[(?P<body>[^\[\]\n]*?(?:^|(?<=[\s;\[]))-?@(?:{_KEY})[^\[\]\n]*)\]")
_PANDOC_NARRATIVE_RE = re.compile(rf"(?<![\w@\[\]\-])@(?P<key>{_KEY})")
_NARRATIVE_RE = re.compile(rf"(?P<body>{_AUTHORS})\s\((?P<year>{_YEAR})\)")
_ONE_RE = re.compile(rf"(?P<name>{_NAME}).*?(?P<year>(?:19|20)\d\d)")


def expand_numbers(body: str) -> list[str]:
    """``"1, 3-5"`` → 1, 3, 4, 5 (a range of at most 50 numbers)."""
    labels: list[str] = []
    for part in re.split(r"\s*,\s*|\s+", body.strip()):
        m = re.fullmatch(r"(\d+)\s*[-–⁻]\s*(\d+)", part)
        if m:
            a, b = int(m.group(1)), int(m.group(2))
            if 0 < b - a <= 50:
                labels.extend(str(n) for n in range(a, b + 1))
                continue
        if part.isdigit():
            labels.append(str(int(part)))
    return labels


_YEAR_AT_RE = re.compile(r"(?=((?:19|20)\d\d))")
_FIRST_WORD_RE = re.compile(r"\s*(?:[\[(]?\d{1,5}[.)\]]?\s*)?((?:(?:van|von|de|der|den|del|da|di|le|la)\s)?[^\s,.]+)")


def _author_year_index(refs: Iterable[Reference]) -> dict[tuple[str, str], str]:
    """(surname key of the first author, year) → label of the first list entry that starts
    with that name and holds that year."""
    index: dict[tuple[str, str], str] = {}
    for r in refs:
        if not r.in_list:
            continue
        first = _FIRST_WORD_RE.match(r.text)
        if not first:
            continue
        name = surname_key(first.group(1))
        for year in {m.group(1) for m in _YEAR_AT_RE.finditer(r.text)}:
            index.setdefault((name, year), r.label)
    return index


def find_markers(
    doc: Document,
    references: Iterable[Reference],
    by_identifier: Mapping[str, str],
    aliases: Mapping[str, str] | None = None,
    *,
    notes: Collection[str] = (),
    numbers: Collection[str] = (),
    keys: Mapping[str, str] | None = None,
) -> list[Marker]:
    """The document's inline markers. ``by_identifier``: identifier key → the label of the
    reference that holds it (:func:`ldn_graph.ids.identifier_key`); ``aliases``: the number of a
    list entry merged into another work → that work's label; ``notes``: labels of notes
    that are not citations (a marker may point there without citing); ``numbers``: numbers
    that name a work though no list entry shows them (a bibliography file's order);
    ``keys``: citation key (case-folded) → label, for Pandoc citations."""
    refs = list(references)
    aliases = aliases or {}
    keys = keys or {}
    numbered = {r.label for r in refs if r.in_list and r.label.isdigit()} | set(aliases) | set(numbers)
    footnotes = {r.label for r in refs if r.in_list}
    # a list entry with its number ("[1] Younger J …"): nothing in it is a marker
    entries = [(r.start, r.end) for r in refs if r.in_list]
    entries += [(s, e) for r in refs for kind, s, e in r.places if kind == "entry"]
    in_list = SpanIndex(sorted((doc.text.rfind("\n", 0, s) + 1, e) for s, e in entries)).contains
    by_author_year = _author_year_index(refs)
    text = doc.text
    markers: list[Marker] = []

    def add(start: int, end: int, labels: Iterable[str], style: str, missing: Iterable[str] = ()) -> None:
        named = (aliases.get(x, x) for x in labels)
        markers.append(Marker(start, end, text[start:end], tuple(dict.fromkeys(named)), style, tuple(missing)))

    def add_numbers(start: int, end: int, wanted: list[str], style: str) -> None:
        wanted = [x for x in wanted if x not in notes]  # a comment note cites nothing
        if wanted:
            add(start, end, [x for x in wanted if x in numbered], style, [x for x in wanted if x not in numbered])

    for m in _FOOTNOTE_RE.finditer(text):  # Markdown "[^1]", "[^younger]"
        label = m.group("label")
        if label not in notes and not in_list(m.start()):
            add(m.start(), m.end(), [label] if label in footnotes else [], "footnote",
                [] if label in footnotes else [label])
    for m in _PANDOC_RE.finditer(text):  # "[@younger2013]", "[see @a, p. 3; -@b]"
        cited = _PANDOC_KEY_RE.findall(m.group("body"))
        if cited and not in_list(m.start()):
            add(m.start(), m.end(), [keys[k.casefold()] for k in cited if k.casefold() in keys], "pandoc",
                [f"@{k}" for k in cited if k.casefold() not in keys])
    bracketed = SpanIndex((mk.start, mk.end) for mk in markers if mk.style == "pandoc").contains
    for m in _PANDOC_NARRATIVE_RE.finditer(text):  # "@younger2013 found": only a key the files hold
        key = m.group("key").casefold()
        if key in keys and not bracketed(m.start()) and not in_list(m.start()):
            add(m.start(), m.end(), [keys[key]], "pandoc")

    for m in _BRACKET_RE.finditer(text):
        if in_list(m.start()):
            continue
        wanted = expand_numbers(m.group("body"))
        if m.group("to") and wanted:
            last = int(m.group("to"))
            wanted += [str(n) for n in range(int(wanted[-1]) + 1, last + 1)] if 0 < last - int(wanted[-1]) <= 50 else []
        add_numbers(m.start(), m.end(), wanted, "bracket")
    for m in _SUPER_RE.finditer(text):
        if in_list(m.start()) or _POWER_BASE_RE.search(text, max(0, m.start() - 4), m.start()):
            continue
        digits = superscript_digits(m.group("body"))
        if digits.isdigit() and digits not in numbered and all(d in numbered for d in digits):
            wanted = list(digits)  # ¹²³ with references 1-3 but no 123
        else:
            wanted = expand_numbers(digits)
        add_numbers(m.start(), m.end(), wanted, "superscript")
    if numbered:  # plain numbers are markers only where a numbered list holds them
        for regex, style in ((_GLUED_RE, "superscript"), (_BARE_RE, "bare")):
            for m in regex.finditer(text):
                if in_list(m.start("body")):
                    continue
                wanted = expand_numbers(m.group("body"))
                if wanted and all(x in numbered for x in wanted):
                    add(m.start("body"), m.end("body"), wanted, style)
    for m in _PAREN_RE.finditer(text):
        if in_list(m.start()):
            continue
        found, missing = [], []
        for part in m.group("body").split(";"):
            one = _ONE_RE.search(part)  # past "e.g.", "see", "cf.": the first capital
            if one:
                label = by_author_year.get((surname_key(one.group("name")), one.group("year")))
                if label is not None:
                    found.append(label)
                else:
                    missing.append(part.strip())
        add(m.start(), m.end(), found, "author_year", missing)
    paren = SpanIndex((mk.start, mk.end) for mk in markers if mk.style == "author_year").contains
    for m in _NARRATIVE_RE.finditer(text):
        if in_list(m.start()) or paren(m.start()):
            continue
        name = re.match(_NAME, m.group("body"))
        label = by_author_year.get((surname_key(name.group(0)), m.group("year")[:4])) if name else None
        if label is None:
            continue  # "Smith (2013)" names a work only when the list has it
        add(m.start(), m.end(), [label], "author_year")
    for link in doc.links:  # a link to a study: its text is the marker
        named = [identifier_key(kind, value) for kind, value, _s, _e in identifiers_in(link.href)]
        if named and not in_list(link.start):
            add(link.start, link.end, [by_identifier[k] for k in named if k in by_identifier], "link")
    links = SpanIndex((mk.start, mk.end) for mk in markers if mk.style == "link")
    targets = SpanIndex(_link_targets(doc))
    for kind, value, s, e in identifiers_in(text):
        if in_list(s) or links.contains(s) or targets.contains(s):
            continue
        label = by_identifier.get(identifier_key(kind, value))
        add(s, e, [label] if label else [], "identifier")
    markers.sort(key=lambda mk: mk.start)
    return markers


def _link_targets(doc: Document) -> list[tuple[int, int]]:
    """The hidden spans that hold a link's address right after its text: Markdown's
    "](url)" starts where the text ends, the HTML reader's " <url>" a character or two on."""
    ends = {link.end for link in doc.links}
    return [(s, e) for s, e in sorted(doc.hidden) if ends & {s, s - 1, s - 2}]


def markers_within(ordered: Sequence[Marker], starts: Sequence[int], start: int,
                   end: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The reference labels the markers in ``[start, end)`` cite, and the markers among them
    that point at no reference; ``ordered`` is sorted by start, ``starts`` are its starts."""
    inside = ordered[bisect_left(starts, start) : bisect_left(starts, end)]
    return (tuple(dict.fromkeys(label for mk in inside for label in mk.labels)),
            tuple(dict.fromkeys(mk.text for mk in inside if mk.missing)))
