"""Scoring reference detection and marker linking against hand-labelled citation files.

A citation gold file (``*.cite.json``, schema ``ldn-graph/citations-gold/1``; format in
docs/gold-format.md) lists a document's works — each with the text of its list entry and
every other place that identifies it — and its inline markers, each with the works it
points to (none for a dangling marker). Measured:

* **references found**: labelled works that some reference the tool reports covers (at
  one of the work's places);
* **invented references**: references the tool reports where no labelled work is;
* **works reported twice**: labelled works the tool reports as two or more references;
* **markers linked right**: labelled markers the tool finds, pointing at exactly the
  labelled works (a dangling marker: found, pointing at nothing, with what it cites
  missing);
* **markers invented**: markers the tool reports where none is labelled.

``ldn-graph evaluate`` scores the references as an offline first audit reports them:
resolved against the shipped seed records and merged when they name one record
(:func:`seed_resolver`).
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ldn_graph.errors import InputError
from ldn_graph.evaluate.gold import SPLITS, Locator, document_path, read_json
from ldn_graph.evaluate.tables import Table, share_text, table_lines
from ldn_graph.ids import identifier_key
from ldn_graph.model import Document, Marker, Reference

if TYPE_CHECKING:
    from ldn_graph.pubmed.retrieve import Retriever

__all__ = [
    "CITATION_SCHEMA",
    "CitationEvaluation",
    "evaluate_citations",
    "is_citation_gold",
    "render_citations",
    "seed_resolver",
]

CITATION_SCHEMA = "ldn-graph/citations-gold/1"


def is_citation_gold(path: str | Path) -> bool:
    """Whether ``path`` names a citation gold file (by its name: ``*.cite.json``)."""
    return str(path).endswith(".cite.json")


@dataclass
class CitationEvaluation:
    path: str
    split: str | None
    genre: str | None
    works: int = 0
    works_found: int = 0
    twice: int = 0
    invented: list[str] = field(default_factory=list)
    markers: int = 0
    markers_right: int = 0
    markers_invented: int = 0  # markers found where none is labelled
    problems: list[str] = field(default_factory=list)  # every miss and wrong link, one line each

    def add(self, other: CitationEvaluation) -> None:
        self.works += other.works
        self.works_found += other.works_found
        self.twice += other.twice
        self.invented += other.invented
        self.markers += other.markers
        self.markers_right += other.markers_right
        self.markers_invented += other.markers_invented
        self.problems += other.problems


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _spans_of(ref: Reference) -> list[tuple[int, int]]:
    return [(ref.start, ref.end)] + [(s, e) for _k, s, e in ref.places]


def _entries(data: dict[str, Any], key: str, path: Path) -> list[dict[str, Any]]:
    items = data.get(key) or []
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise InputError(f"{path}: '{key}' must be a list of objects")
    return items


@contextlib.contextmanager
def seed_resolver() -> Iterator[Retriever]:
    """What an offline first run resolves with: the records shipped with ldn-graph, in a
    cache of its own (never the user's), asking nothing."""
    from ldn_graph.pubmed.cache import RecordCache
    from ldn_graph.pubmed.retrieve import Policy, Retriever

    with tempfile.TemporaryDirectory(prefix="ldn-graph-evaluate-") as folder, RecordCache(folder) as cache:
        yield Retriever(cache, policy=Policy(offline=True))


def evaluate_citations(path: str | Path, doc: Document | None = None,
                       resolver: Retriever | None = None) -> CitationEvaluation:
    """Score the references and markers found in a citation gold file's document; with
    ``resolver``, after resolution and the merging of references that name one record,
    as an audit reports them (:func:`seed_resolver`)."""
    from ldn_graph.extract.references import find_references, merge_resolved, relabel
    from ldn_graph.pubmed.resolve import resolved_references
    from ldn_graph.read.bibliography import read_bibliography
    from ldn_graph.read.documents import read_document

    p = Path(path)
    data = read_json(p, CITATION_SCHEMA, "citation gold file")
    doc = doc or read_document(document_path(p, data))
    split = data.get("split") if data.get("split") in SPLITS else None
    genre = data.get("genre") if isinstance(data.get("genre"), str) else None
    result = CitationEvaluation(str(p), split, genre)
    files = data.get("references_files") or []
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        raise InputError(f"{p}: 'references_files' must be a list of file names beside the gold file")
    library = [work for name in files for work in read_bibliography(p.parent / name).works]
    refs, markers = find_references(doc, library)
    if resolver is not None:
        refs, alias = merge_resolved(resolved_references(refs, resolver))
        markers = [replace(m, labels=relabel(m.labels, alias)) for m in markers]
    locator = Locator(doc.text, doc.hidden)

    def locate(text: str) -> tuple[int, int] | None:
        locator.cursor = 0
        return locator.find(text)

    works: dict[str, list[tuple[int, int]]] = {}
    by_id: dict[str, str] = {}  # identifier key → a work the document does not write out (text null)
    for n, work in enumerate(_entries(data, "references", p), 1):
        key = str(work.get("key") or n)
        if work.get("text") is None:
            ids = work.get("ids") or {}
            for kind in ("pmid", "doi", "pmcid"):
                if isinstance(ids.get(kind), str):
                    by_id[identifier_key(kind, ids[kind])] = key
        places = []
        for text in [work.get("text"), *(work.get("also") or [])]:
            if isinstance(text, str) and text:
                span = locate(text)
                if span is None:
                    result.problems.append(f"label not found in the document: {text[:80]!r}")
                else:
                    places.append(span)
        works[key] = places
    # which labelled work each reported reference is
    work_of: dict[str, str | None] = {}
    for ref in refs:
        spans = _spans_of(ref)
        work_of[ref.label] = next((k for k, places in works.items() if any(_overlaps(s, w) for s in spans for w in places)),
                                  None) or _by_identifiers(ref, by_id)
        if work_of[ref.label] is None:
            result.invented.append(ref.text[:100])
            result.problems.append(f"invented reference {ref.label}: {ref.text[:80]!r}")
    result.works = len(works)
    for key in works:
        found = [label for label, k in work_of.items() if k == key]
        if found:
            result.works_found += 1
            if len(found) > 1:
                result.twice += 1
                result.problems.append(f"work {key} reported as {len(found)} references: {', '.join(found)}")
        else:
            result.problems.append(f"reference missed: work {key}")
    explained: set[tuple[int, int]] = set()  # the found markers some label accounts for
    for n, item in enumerate(_entries(data, "markers", p), 1):
        result.markers += 1
        marker_text, context = item.get("text"), item.get("context")
        wanted = {str(r) for r in item.get("refs") or []}
        if not (isinstance(marker_text, str) and isinstance(context, str)):
            raise InputError(f"{p}: marker {n} needs 'text' and 'context'")
        span = _marker_span(doc, locate(context), marker_text)
        if span is None:
            result.problems.append(f"marker label not found: {marker_text!r} in {context[:60]!r}")
            continue
        hit = _marker_at(markers, span)
        if hit is None:
            result.problems.append(f"marker missed: {marker_text!r} in {context[:60]!r}")
            continue
        explained.add((hit.start, hit.end))
        got = {work_of.get(label) for label in hit.labels}
        if got == wanted and (wanted or hit.missing):
            result.markers_right += 1
        else:
            shown = ", ".join(sorted(str(g) for g in got)) or "nothing"
            result.problems.append(
                f"marker {marker_text!r} in {context[:50]!r} links to {shown}, labelled {', '.join(sorted(wanted)) or 'nothing'}"
            )
    labelled_places = [place for places in works.values() for place in places]
    for m in markers:
        if (m.start, m.end) not in explained and not any(_overlaps((m.start, m.end), place) for place in labelled_places):
            result.markers_invented += 1
            around = doc.text[max(0, m.start - 40) : m.end + 10].replace("\n", " ")
            result.problems.append(f"invented marker {m.text!r} in {around!r}")
    return result


def _by_identifiers(ref: Reference, by_id: dict[str, str]) -> str | None:
    """The labelled work (one the document names only through a field or a bibliography
    file) that has one of the reference's identifiers."""
    for kind, value in (("pmid", ref.pmid), ("doi", ref.doi), ("pmcid", ref.pmcid)):
        if value and identifier_key(kind, value) in by_id:
            return by_id[identifier_key(kind, value)]
    return None


def _marker_span(doc: Document, context: tuple[int, int] | None, marker: str) -> tuple[int, int] | None:
    if context is None:
        return None
    start, end = context
    inner = Locator(doc.text[start:end])
    found = inner.find(marker)
    return (start + found[0], start + found[1]) if found else None


def _marker_at(markers: list[Marker], span: tuple[int, int]) -> Marker | None:
    return next((m for m in markers if _overlaps((m.start, m.end), span)), None)


def _scores(e: CitationEvaluation) -> list[str]:
    return [share_text(e.works_found, e.works), str(len(e.invented)), str(e.twice), share_text(e.markers_right, e.markers),
            str(e.markers_invented)]


_SCORES = ["references found", "invented", "reported twice", "markers linked right", "markers invented"]


def render_citations(results: list[CitationEvaluation], fmt: str = "text", verbose: bool = False) -> str:
    """Per file and per split: references found, invented, works reported twice, markers
    linked right; with ``verbose``, every miss and wrong link."""
    groups: dict[str, list[CitationEvaluation]] = {}
    for r in results:
        groups.setdefault(r.split or "no split", []).append(r)
    totals = []
    for name, members in groups.items():
        total = CitationEvaluation(name, None, None)
        for r in members:
            total.add(r)
        totals.append([name, str(len(members)), *_scores(total)])
    tables: list[Table] = [
        ("References and markers", ["gold file", "split", *_SCORES], [[r.path, r.split or "-", *_scores(r)] for r in results]),
        ("References and markers per split", ["split", "documents", *_SCORES], totals),
    ]
    if verbose:
        rows = [[r.path, problem] for r in results for problem in r.problems]
        tables.append(("Every missed reference and marker, and every wrong link", ["gold file", "problem"], rows))
    head = ["# Citations: evaluation", "", _ABOUT] if fmt == "markdown" else []
    return "\n".join(head + table_lines(tables, fmt, title_first=True)) + "\n"


_ABOUT = (
    "References found: labelled works some reported reference covers. Invented: references reported where "
    "no work is labelled. Reported twice: works reported as two or more references (after resolution "
    "against the shipped seed records, offline, as a first audit reports them). Markers linked right: "
    "labelled markers found and pointing at exactly the labelled works (a dangling marker: at nothing). "
    "Markers invented: markers reported where none is labelled (an identifier or link written in a sentence, "
    "labelled as a place of its work, is not one)."
)
