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

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from ldn_graph.extract.citations import parse_citation, surname_key
from ldn_graph.extract.markers import find_markers
from ldn_graph.extract.reference_lists import (
    classify_reference,
    find_reference_list,
    looks_like_citation,
)
from ldn_graph.extract.spans import SpanIndex
from ldn_graph.ids import identifier_key, identifiers_in
from ldn_graph.model import Document, Marker, Reference
from ldn_graph.terms import ReferenceKind

__all__ = ["classify_reference", "find_references", "looks_like_citation", "merge_resolved", "relabel"]

Place = tuple[str, int, int]  # identifier key (or "entry"), start, end


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
        url=url, in_list=False, places=(place,),
    )


def find_references(doc: Document) -> tuple[list[Reference], list[Marker]]:
    """All references (list entries first, then works identified only in the body), one
    per work, and the inline markers with the labels of the references they point to."""
    listed = find_reference_list(doc)
    works: list[Reference] = []
    owner: dict[str, int] = {}  # identifier or citation key → index into works
    alias: dict[str, str] = {}  # label of a merged entry → label of the work kept
    for ref in listed:
        places = _places(ref.text, ref.start)
        cited = _citation_key(ref.text)
        keys = [k for k, _s, _e in places] + ([cited] if cited else [])
        hit = next((owner[k] for k in keys if k in owner), None)
        if hit is None:
            hit = len(works)
            works.append(replace(ref, places=tuple(places)))
        else:
            alias[ref.label] = works[hit].label
            works[hit] = _merged(works[hit], ref, places)
        owner.update(dict.fromkeys(keys, hit))
    for place, url in _body_places(doc, listed):
        key, s, e = place
        if key not in owner:
            owner[key] = len(works)
            works.append(_body_reference(place, url, doc))
        elif all((s, e) != (ps, pe) for _k, ps, pe in works[owner[key]].places):
            work = works[owner[key]]
            works[owner[key]] = replace(work, places=(*work.places, place))
    by_identifier = {k: works[i].label for k, i in owner.items()}
    return works, find_markers(doc, works, by_identifier, alias)
