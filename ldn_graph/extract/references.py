"""Find the works a document cites and the inline markers that point to them.

References: the entries of its reference lists (:mod:`ldn_graph.extract.reference_lists`)
and the identifiers written in its body — PubMed, PMC and Europe PMC links, PMIDs,
PMCIDs, DOIs in every form (:func:`ldn_graph.ids.identifiers_in`), and hyperlinks to
them. One work is one reference: a PMID, a DOI and a PMC link of the same article,
wherever they stand, and a list that names an article twice (the same identifier, or the
same first author, year, volume and first page), are merged into one reference that keeps
every identifier and every place (``places``; the merged entries' labels in
``duplicates``). Markers: :mod:`ldn_graph.extract.markers`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from ldn_graph.extract.citations import parse_citation, surname_key
from ldn_graph.extract.fields import field_citation
from ldn_graph.extract.markers import expand_numbers, find_markers
from ldn_graph.extract.reference_lists import (
    classify_reference,
    looks_like_citation,
    read_reference_lists,
)
from ldn_graph.extract.spans import SpanIndex
from ldn_graph.extract.works import citation_text
from ldn_graph.ids import identifier_key, identifiers_in
from ldn_graph.model import CitedWork, Document, Marker, Reference
from ldn_graph.terms import ReferenceKind
from ldn_graph.text import superscript_digits

__all__ = ["classify_reference", "find_references", "looks_like_citation", "merge_resolved", "relabel"]

Place = tuple[str, int, int]  # identifier key (or "entry"), start, end
_NUMBERS_ONLY_RE = re.compile(r"[\s\[\]()\d,;\-–—]+")  # a field result that shows only numbers


def _places(text: str, offset: int = 0) -> list[Place]:
    return [(identifier_key(kind, value), offset + s, offset + e) for kind, value, s, e in identifiers_in(text)]


def _merged(keep: Reference, other: Reference, other_places: list[Place]) -> Reference:
    """``keep`` with ``other``'s identifiers and places added (``other`` a list entry, or
    a work identified in the body, whose own places are all it adds)."""
    pmid, doi = keep.pmid or other.pmid, keep.doi or other.doi
    pmcid = keep.pmcid or other.pmcid
    kind = (ReferenceKind.PUBMED if pmid else ReferenceKind.DOI if doi
            else ReferenceKind.PMC if pmcid else keep.kind)
    return replace(
        keep, kind=kind, pmid=pmid, doi=doi, pmcid=pmcid, url=keep.url or other.url,
        places=(*keep.places, *other_places, *([("entry", other.start, other.end)] if other.in_list else [])),
        duplicates=(*keep.duplicates, *([other.label] if other.in_list else [])),
    )


def merge_resolved(references: Sequence[Reference]) -> tuple[list[Reference], dict[str, str]]:
    """One reference per PMID once references are resolved (a list entry cited by its DOI
    and a PubMed link in the text are one work when the DOI resolves to that PMID):
    the first keeps every identifier and place of the later ones. Returns the references
    and each merged label's kept label, for :func:`relabel`."""
    works: list[Reference] = []
    owner: dict[str, int] = {}
    alias: dict[str, str] = {}
    for ref in references:
        index = owner.get(ref.pmid) if ref.pmid else None
        if index is None:
            if ref.pmid:
                owner[ref.pmid] = len(works)
            works.append(ref)
            continue
        alias[ref.label] = works[index].label
        works[index] = _merged(works[index], ref, [p for p in ref.places if p[0] != "entry"])
    return works, alias


def relabel(labels: Iterable[str], alias: Mapping[str, str]) -> tuple[str, ...]:
    """``labels`` with merged labels replaced by the kept ones, each once."""
    return tuple(dict.fromkeys(alias.get(label, label) for label in labels))


def _body_places(doc: Document, listed: list[Reference]) -> list[tuple[Place, str | None]]:
    """Identifiers outside the list, with the address they were read from: written in the
    text, or the target of a link whose text does not show it."""
    inside = SpanIndex((r.start, r.end) for r in listed).contains
    found: list[tuple[Place, str | None]] = []
    for key, s, e in _places(doc.text):
        if not inside(s):
            written = doc.text[s:e]
            found.append(((key, s, e), written if written.lower().startswith(("http", "www")) else None))
    shown = {(s, e) for (_k, s, e), _url in found}
    for link in doc.links:
        if inside(link.start) or (link.start, link.end) in shown:
            continue
        found.extend(((key, link.start, link.end), link.href) for key, _s, _e in _places(link.href))
    return found


def _citation_key(text: str) -> str | None:
    """What names a cited article whatever the entry's style: first author, year, volume
    and first page; None when the entry gives no author, year or place in the journal."""
    fields = parse_citation(text)
    if not (fields.first_author and fields.year and (fields.first_page or fields.volume)):
        return None
    return f"cite:{surname_key(fields.first_author)}|{fields.year}|{fields.volume or ''}|{fields.first_page or ''}"


def _body_reference(place: Place, url: str | None, doc: Document) -> Reference:
    key, s, e = place
    kind, value = key.split(":", 1)
    return Reference(
        f"PMID {value}" if kind == "pmid" else key,
        {"pmid": ReferenceKind.PUBMED, "doi": ReferenceKind.DOI, "pmcid": ReferenceKind.PMC}[kind],
        doc.text[s:e], s, e,
        pmid=value if kind == "pmid" else None,
        doi=value if kind == "doi" else None,
        pmcid=value if kind == "pmcid" else None,
        url=url, in_list=False, places=(place,), source="text",
    )


def _work_keys(work: CitedWork, text: str) -> list[str]:
    """What names a work a field or a bibliography file describes: its record (source and
    key), its identifiers and its citation key."""
    keys = [f"work:{work.source}:{work.key}"] if work.key else []
    keys += [identifier_key(kind, value) for kind, value in (("pmid", work.pmid), ("doi", work.doi),
                                                             ("pmcid", work.pmcid)) if value]
    cited = _citation_key(text)
    return keys + ([cited] if cited else [])


def _free_label(base: str, taken: set[str]) -> str:
    """``base``, or ``base`` with a letter ("Younger 2013b") or number added, not in ``taken``."""
    label, n = base, 1
    while label in taken:
        n += 1
        label = f"{base}{chr(ord('a') + n - 1) if n <= 26 else f'-{n}'}"
    return label


def _work_label(work: CitedWork, taken: set[str]) -> str:
    """A label for a work no number names: "Younger 2013" (then "Younger 2013b" …)."""
    first = work.authors[0].split()[0] if work.authors else (work.title or "work").split()[0]
    return _free_label(f"{first} {work.year}" if work.year else first, taken)


def _differ(a: Reference, b: Reference) -> bool:
    """Two references whose identifiers say they are different works."""
    return any(x and y and x.casefold() != y.casefold()
               for x, y in ((a.pmid, b.pmid), (a.doi, b.doi), (a.pmcid, b.pmcid)))


class _Works:
    """The document's works being gathered: one per work, however many places name it."""

    def __init__(self) -> None:
        self.refs: list[Reference] = []
        self.owner: dict[str, int] = {}  # identifier, record or citation key → index
        self.alias: dict[str, str] = {}  # label of a merged entry → label of the work kept
        self.by_label: dict[str, int] = {}

    def add(self, ref: Reference, keys: list[str], same_label: bool = False) -> str:
        """Add ``ref`` (or merge it into the work some key, or with ``same_label`` its
        label, already names); the label the work goes by."""
        hit = next((self.owner[k] for k in keys if k in self.owner and not _differ(self.refs[self.owner[k]], ref)), None)
        if hit is None and same_label and ref.label in self.by_label and not _differ(self.refs[self.by_label[ref.label]], ref):
            hit = self.by_label[ref.label]
        if hit is None:
            if ref.label in self.by_label and not ref.in_list:  # another work goes by this label
                ref = replace(ref, label=_free_label(ref.label, set(self.by_label)))
            hit = len(self.refs)
            self.refs.append(ref)
            self.by_label.setdefault(ref.label, hit)
        else:
            kept = self.refs[hit]
            if ref.label != kept.label:
                self.alias[ref.label] = kept.label
            self.refs[hit] = _merged(kept, ref, [p for p in ref.places if p[0] != "entry"])
        self.owner.update(dict.fromkeys(keys, hit))
        return self.refs[hit].label


def _field_number_labels(text: str, count: int) -> list[str] | None:
    """The numbers a field's result shows ("[1,3-5]", "¹⁻³" → 1, 3, 4, 5) when it shows
    only numbers, one per cited work; None for an author–year result."""
    plain = superscript_digits(text)
    if not _NUMBERS_ONLY_RE.fullmatch(plain):
        return None
    parts = [re.sub(r"\s+", "", p) for p in re.findall(r"\d+(?:\s*[-–]\s*\d+)?", plain)]
    numbers = expand_numbers(",".join(parts))
    return numbers if len(numbers) == count and numbers else None


def _work_reference(work: CitedWork, label: str, start: int, end: int) -> Reference:
    text = citation_text(work)
    return replace(classify_reference(label, text, start, end, in_list=False), source=work.source,
                   url=work.url or None)


def find_references(doc: Document, library: Sequence[CitedWork] = ()) -> tuple[list[Reference], list[Marker]]:
    """All references, one per work: list entries and notes first, then the works of the
    document's citation fields (Zotero, Mendeley, EndNote), then the works of the
    bibliography files (``library``, in file order) the document cites, then works
    identified only in the body; and the inline markers with the labels of the references
    they point to."""
    lists = read_reference_lists(doc)
    listed = lists.references
    works = _Works()
    for ref in listed:
        places = _places(ref.text, ref.start)
        cited = _citation_key(ref.text)
        works.add(replace(ref, places=tuple(places)), [k for k, _s, _e in places] + ([cited] if cited else []))
    # citation fields: each field a marker, each cited work a reference (merged into the
    # list entry it is, by identifier, citation key, or the number both show)
    field_markers: list[Marker] = []
    taken = {r.label for r in works.refs}
    for cite in (c for f in doc.fields if (c := field_citation(f)) is not None and c.works):
        shown = doc.text[cite.start:cite.end]
        numbers = _field_number_labels(shown, len(cite.works))
        labels = []
        for n, work in enumerate(cite.works):
            label = numbers[n] if numbers else _work_label(work, taken)
            ref = _work_reference(work, label, cite.start, cite.end)
            kept = works.add(ref, _work_keys(work, ref.text), same_label=numbers is not None)
            taken.add(kept)
            labels.append(kept)
        field_markers.append(Marker(cite.start, cite.end, shown, tuple(dict.fromkeys(labels)), "field"))
    # bibliography files: Pandoc keys, and numbers when the document lists nothing itself
    keys: dict[str, str] = {}
    numbers_named: dict[str, CitedWork] = {}
    pending: dict[str, CitedWork] = {}
    for work in library:
        if work.key:
            keys.setdefault(work.key.casefold(), work.key)
            pending.setdefault(work.key, work)
    if library and not any(r.label.isdigit() for r in works.refs):
        numbers_named = {str(n): work for n, work in enumerate(library, 1)}
    for place, url in _body_places(doc, listed):
        key, s, e = place
        if key not in works.owner:
            works.add(_body_reference(place, url, doc), [key])
        else:
            index = works.owner[key]
            work_ref = works.refs[index]
            if all((s, e) != (ps, pe) for _k, ps, pe in work_ref.places):
                works.refs[index] = replace(work_ref, places=(*work_ref.places, place))
    by_identifier = {k: works.refs[i].label for k, i in works.owner.items() if not k.startswith(("work:", "cite:"))}
    fields = SpanIndex((m.start, m.end) for m in field_markers)
    markers = [m for m in find_markers(doc, works.refs, by_identifier, works.alias, notes=lists.notes,
                                       numbers=numbers_named.keys(), keys=keys)
               if not fields.overlaps(m.start, m.end)]
    # the works of the files that markers cite become references
    cited_labels = {label for m in markers for label in m.labels}
    for label in sorted(cited_labels & (set(pending) | set(numbers_named)), key=_label_order):
        work = pending.get(label) or numbers_named[label]
        at = next(m for m in markers if label in m.labels)
        ref = _work_reference(work, label, at.start, at.end)
        kept = works.add(ref, _work_keys(work, ref.text))
        if kept != label:
            markers = [replace(m, labels=relabel(m.labels, {label: kept})) for m in markers]
    markers = sorted([*markers, *field_markers], key=lambda m: m.start)
    return works.refs, markers


def _label_order(label: str) -> tuple[int, str]:
    return (int(label), "") if label.isdigit() else (1 << 30, label)
