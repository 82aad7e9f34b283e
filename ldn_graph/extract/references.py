"""Find the references a document cites, and the inline markers that point to them.

References: numbered reference lists (with or without a "References" heading),
"References" sections of unnumbered entries, and PMIDs / PubMed or Europe PMC URLs / DOIs
written in the body (the patterns of :mod:`ldn_graph.ids`). Markers: ``[1]``, ``[1,3]``,
``[2-4]``, superscripts ``¹²``, ``(Younger 2013)``, ``(Younger et al., 2013)``, and a
PMID or PubMed URL in the sentence.

Traps handled: numbered section headings ("1. Opioid Receptor Modulation") are not
references, "1.5 mg" is not a citation, and a reference list needs no heading.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from ldn_graph.extract.spans import SpanIndex
from ldn_graph.ids import DOI_RE, PMCID_RE, PMID_LABEL_RE, PUBMED_URL_RE, clean_doi
from ldn_graph.model import Document, Marker, Reference
from ldn_graph.terms import ReferenceKind
from ldn_graph.text import MARKER_BODY, SUPERSCRIPTS, superscript_digits

URL_RE = re.compile(r"https?://[^\s<>\"“”]+", re.I)
YEAR_RE = re.compile(r"\b(?:19|20)\d\d\b")
# List numbers run to five digits (reference lists of thousands of entries exist); a run
# that starts at 1000 or above needs two entries, so a line opening with a year is no list.
NUMBERED_RE = re.compile(r"^[ \t\u00a0]*(?:\[(?P<b>\d{1,5})\]|(?P<n>\d{1,5})[.)])[ \t\u00a0]+(?P<body>\S.*)$")
REF_HEADING_RE = re.compile(
    r"^\s*(?:#+\s*)?(references?|bibliography|works cited|sources|citations|literature cited)\s*:?\s*$", re.I
)
AUTHOR_RE = re.compile(r"^[A-Z][A-Za-z'’\-]+(?:\s[A-Z][A-Za-z'’\-]+)?,?\s[A-Z]{1,3}\b")

BRACKET_MARKER_RE = re.compile(rf"\[(?P<body>{MARKER_BODY})\]")
SUPER_MARKER_RE = re.compile(rf"(?<=[^\s{SUPERSCRIPTS}])(?P<body>[{SUPERSCRIPTS}]+(?:[,⁻–-][{SUPERSCRIPTS}]+)*)")
AUTHOR_YEAR_RE = re.compile(
    r"\((?P<body>[A-Z][A-Za-z'’\-]+(?:\s(?:et\sal\.?|and|&)\s?(?:[A-Z][A-Za-z'’\-]+)?)?,?\s(?:19|20)\d\d[a-z]?"
    r"(?:;\s*[A-Z][A-Za-z'’\-]+(?:\s(?:et\sal\.?|and|&)\s?(?:[A-Z][A-Za-z'’\-]+)?)?,?\s(?:19|20)\d\d[a-z]?)*)\)"
)
ONE_AUTHOR_YEAR_RE = re.compile(r"(?P<name>[A-Z][A-Za-z'’\-]+).*?(?P<year>(?:19|20)\d\d)")


def looks_like_citation(body: str) -> bool:
    """A reference-list entry, as opposed to a numbered heading or step."""
    if PUBMED_URL_RE.search(body) or PMID_LABEL_RE.search(body) or DOI_RE.search(body) or URL_RE.search(body):
        return True
    if not YEAR_RE.search(body):
        return False
    return bool(
        re.search(r"\bet al\b", body)
        or AUTHOR_RE.match(body)
        or re.search(r";\s*\d+\s*\(\d+\)|:\s*\d+\s*[-–]\s*\d+", body)
    )


def classify_reference(label: str, body: str, start: int, end: int, in_list: bool = True) -> Reference:
    pmid = doi = url = pmcid = None
    m = PUBMED_URL_RE.search(body) or PMID_LABEL_RE.search(body)
    if m:
        pmid = m.group("pmid")
    dm = DOI_RE.search(body)
    if dm:
        doi = clean_doi(dm.group("doi"))
    pm = PMCID_RE.search(body)
    if pm:
        pmcid = pm.group("pmcid")
    um = URL_RE.search(body)
    if um:
        url = clean_doi(um.group(0))
    if pmid:
        kind = ReferenceKind.PUBMED
    elif doi:
        kind = ReferenceKind.DOI
    elif url:
        kind = ReferenceKind.WEB
    else:
        kind = ReferenceKind.UNRESOLVED
    return Reference(label, kind, body, start, end, pmid, doi, url, pmcid, in_list)


@dataclass(frozen=True)
class _Line:
    start: int
    end: int
    text: str


def _lines(text: str) -> list[_Line]:
    out = []
    pos = 0
    for line in text.split("\n"):
        out.append(_Line(pos, pos + len(line), line))
        pos += len(line) + 1
    return out


def find_reference_list(doc: Document) -> list[Reference]:
    """Entries of the document's reference list(s), numbered or under a References heading."""
    lines = [ln for ln in _lines(doc.text) if ln.text.strip()]
    refs: list[Reference] = []
    used: set[int] = set()
    # 1. numbered runs: consecutive numbers, most entries citation-like
    i = 0
    while i < len(lines):
        m = NUMBERED_RE.match(lines[i].text)
        if not m:
            i += 1
            continue
        run: list[tuple[int, re.Match[str]]] = [(i, m)]
        number = int(m.group("b") or m.group("n"))
        j = i + 1
        while j < len(lines):
            mj = NUMBERED_RE.match(lines[j].text)
            if not mj or int(mj.group("b") or mj.group("n")) != number + 1:
                break
            number += 1
            run.append((j, mj))
            j += 1
        citation_like = [looks_like_citation(mm.group("body")) for _, mm in run]
        lone_high = len(run) == 1 and number >= 1000
        if not lone_high and sum(citation_like) and sum(citation_like) * 2 >= len(run):
            for k, mm in run:
                ln = lines[k]
                start = ln.start + mm.start("body")
                end = ln.start + len(ln.text.rstrip())
                refs.append(classify_reference(mm.group("b") or mm.group("n"), doc.text[start:end], start, end))
                used.add(k)
        i = j
    # 2. unnumbered entries under a References heading
    for idx, ln in enumerate(lines):
        if not REF_HEADING_RE.match(ln.text):
            continue
        label = len(refs)
        for k in range(idx + 1, len(lines)):
            if k in used:
                break
            body = lines[k].text.strip().lstrip("-*•·").strip()
            if not looks_like_citation(body):
                break
            label += 1
            start = lines[k].start + lines[k].text.index(body[:1])
            end = lines[k].start + len(lines[k].text.rstrip())
            refs.append(classify_reference(str(label), doc.text[start:end], start, end))
            used.add(k)
    refs.sort(key=lambda r: r.start)
    return refs


def find_body_identifiers(doc: Document, reference_list: Iterable[Reference]) -> list[Reference]:
    """PMIDs, PubMed URLs and DOIs written in the body (outside the reference list)."""
    inside = SpanIndex((r.start, r.end) for r in reference_list).contains
    found: dict[str, Reference] = {}
    for regex, kind in ((PUBMED_URL_RE, "pmid"), (PMID_LABEL_RE, "pmid"), (DOI_RE, "doi")):
        for m in regex.finditer(doc.text):
            if inside(m.start()):
                continue
            if kind == "pmid":
                label = f"PMID {m.group('pmid')}"
                ref = Reference(label, ReferenceKind.PUBMED, m.group(0), m.start(), m.end(), pmid=m.group("pmid"), in_list=False)
            else:
                doi = clean_doi(m.group("doi"))
                label = f"doi:{doi}"
                ref = Reference(label, ReferenceKind.DOI, m.group(0), m.start(), m.end(), doi=doi, in_list=False)
            found.setdefault(label, ref)
    return sorted(found.values(), key=lambda r: r.start)


def _expand(body: str) -> list[str]:
    labels: list[str] = []
    for part in re.split(r"\s*,\s*", body):
        m = re.fullmatch(r"(\d+)\s*[-–⁻]\s*(\d+)", part.strip())
        if m:
            a, b = int(m.group(1)), int(m.group(2))
            if 0 < b - a <= 50:
                labels.extend(str(n) for n in range(a, b + 1))
                continue
        if part.strip().isdigit():
            labels.append(str(int(part.strip())))
    return labels


def _surname_key(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if ch.isalpha()).lower()


_YEAR_AT_RE = re.compile(r"(?=((?:19|20)\d\d))")


def _author_year_index(refs: Iterable[Reference]) -> dict[tuple[str, str], str]:
    """(surname key of the first word, year) → label of the first list entry that starts
    with that name and holds that year anywhere in its text (a dict, not a scan of the
    list per citation)."""
    index: dict[tuple[str, str], str] = {}
    for r in refs:
        if not r.in_list:
            continue
        first = re.match(r"\s*([^\s,]+)", r.text)
        if not first:
            continue
        name = _surname_key(first.group(1))
        for year in {m.group(1) for m in _YEAR_AT_RE.finditer(r.text)}:
            index.setdefault((name, year), r.label)
    return index


def find_markers(doc: Document, references: Iterable[Reference]) -> list[Marker]:
    refs = list(references)
    labels = {r.label for r in refs if r.in_list}
    in_list = SpanIndex((r.start, r.end) for r in refs if r.in_list).contains
    by_author_year = _author_year_index(refs)
    markers: list[Marker] = []
    text = doc.text
    for m in BRACKET_MARKER_RE.finditer(text):
        if in_list(m.start()):
            continue
        wanted = _expand(m.group("body"))
        markers.append(Marker(m.start(), m.end(), m.group(0), tuple(x for x in wanted if x in labels), "bracket"))
    for m in SUPER_MARKER_RE.finditer(text):
        if in_list(m.start()):
            continue
        digits = superscript_digits(m.group("body"))
        if digits.isdigit() and digits not in labels and all(d in labels for d in digits):
            wanted = list(digits)  # ¹²³ with references 1-3 but no 123
        else:
            wanted = _expand(digits)
        markers.append(Marker(m.start(), m.end(), m.group(0), tuple(x for x in wanted if x in labels), "superscript"))
    for m in AUTHOR_YEAR_RE.finditer(text):
        if in_list(m.start()):
            continue
        found: list[str] = []
        for part in m.group("body").split(";"):
            am = ONE_AUTHOR_YEAR_RE.search(part)
            if not am:
                continue
            label = by_author_year.get((_surname_key(am.group("name")), am.group("year")))
            if label is not None:
                found.append(label)
        markers.append(Marker(m.start(), m.end(), m.group(0), tuple(found), "author_year"))
    for regex in (PUBMED_URL_RE, PMID_LABEL_RE):
        for m in regex.finditer(text):
            if in_list(m.start()):
                continue
            markers.append(Marker(m.start(), m.end(), m.group(0), (f"PMID {m.group('pmid')}",), "identifier"))
    for m in DOI_RE.finditer(text):
        if not in_list(m.start()):
            doi = clean_doi(m.group("doi"))
            markers.append(Marker(m.start(), m.end(), m.group(0), (f"doi:{doi}",), "identifier"))
    markers.sort(key=lambda mk: mk.start)
    return markers


def find_references(doc: Document) -> tuple[list[Reference], list[Marker]]:
    """All references (list entries first, then body identifiers) and the inline markers."""
    listed = find_reference_list(doc)
    body = find_body_identifiers(doc, listed)
    refs = listed + body
    return refs, find_markers(doc, refs)
