"""Find the works a document cites and the inline markers that point to them.

References: the entries of its reference lists (:mod:`ldn_graph.extract.reference_lists`)
and the identifiers written in its body — PubMed, PMC and Europe PMC links, PMIDs,
PMCIDs, DOIs in every form (:mod:`ldn_graph.ids`), and hyperlinks to them. One work is one
reference: a PMID, a DOI and a PMC link of the same article, wherever they stand, and a
list that names an article twice, are merged into one reference that keeps every
identifier and every place (``places``; the merged entries' labels in ``duplicates``).
Markers: :mod:`ldn_graph.extract.markers`.
"""

from __future__ import annotations

from dataclasses import replace

from ldn_graph.extract.citations import parse_citation
from ldn_graph.extract.markers import find_markers, identifier_keys
from ldn_graph.extract.reference_lists import (
    classify_reference,
    find_reference_list,
    looks_like_citation,
)
from ldn_graph.extract.spans import SpanIndex
from ldn_graph.model import Document, Marker, Reference
from ldn_graph.terms import ReferenceKind

__all__ = ["classify_reference", "find_references", "looks_like_citation"]


def _ids_of(keys: list[tuple[str, int, int]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, _s, _e in keys:
        kind, value = key.split(":", 1)
        out.setdefault(kind, value)
    return out


def _merged(keep: Reference, other: Reference, other_keys: list[tuple[str, int, int]]) -> Reference:
    """``keep`` with ``other``'s identifiers and places added."""
    places = keep.places + tuple(other_keys) + ((("entry", other.start, other.end),) if other.in_list else ())
    pmid = keep.pmid or other.pmid
    doi = keep.doi or other.doi
    kind = ReferenceKind.PUBMED if pmid else (ReferenceKind.DOI if doi and keep.kind != ReferenceKind.PUBMED else keep.kind)
    duplicates = keep.duplicates + ((other.label,) if other.in_list else ())
    return replace(
        keep, pmid=pmid, doi=doi, pmcid=keep.pmcid or other.pmcid, url=keep.url or other.url, kind=kind,
        places=places, duplicates=duplicates,
    )


def _body_identifiers(doc: Document, listed: list[Reference]) -> list[tuple[str, int, int]]:
    inside = SpanIndex((r.start, r.end) for r in listed).contains
    found = [k for k in identifier_keys(doc.text) if not inside(k[1])]
    seen = {(s, e) for _k, s, e in found}
    for link in doc.links:  # an anchor whose address the text does not show
        if inside(link.start):
            continue
        for key, _s, _e in identifier_keys(link.href):
            if (link.start, link.end) not in seen:
                found.append((key, link.start, link.end))
    return found


def _citation_key(text: str) -> str | None:
    """What names a cited article whatever the entry's style: first author, year, volume
    and first page; None when the entry gives no author, year or place in the journal."""
    fields = parse_citation(text)
    if not (fields.first_author and fields.year and (fields.first_page or fields.volume)):
        return None
    return f"cite:{_surname(fields.first_author)}|{fields.year}|{fields.volume or ''}|{fields.first_page or ''}"


def _surname(name: str) -> str:
    return "".join(ch for ch in name.casefold() if ch.isalpha())


def _label_for(key: str) -> str:
    kind, value = key.split(":", 1)
    return f"PMID {value}" if kind == "pmid" else f"{kind}:{value}"


def find_references(doc: Document) -> tuple[list[Reference], list[Marker]]:
    """All references (list entries first, then works identified only in the body), one
    per work, and the inline markers with the labels of the references they point to."""
    listed = find_reference_list(doc)
    works: list[Reference] = []
    owner: dict[str, int] = {}  # identifier key → index into works
    alias: dict[str, str] = {}  # label of a merged entry → label of the work kept
    for ref in listed:
        keys = identifier_keys(ref.text)
        keys = [(k, ref.start + s, ref.start + e) for k, s, e in keys]
        hit = next((owner[k] for k, _s, _e in keys if k in owner), None)
        cited = _citation_key(ref.text)
        if hit is None and cited is not None:
            hit = owner.get(cited)
        keys_for_owner = [*keys, (cited, ref.start, ref.end)] if cited is not None else keys
        if hit is None:
            owner.update({k: len(works) for k, _s, _e in keys_for_owner})
            works.append(replace(ref, places=tuple(keys)))
        else:
            alias[ref.label] = works[hit].label
            works[hit] = _merged(works[hit], ref, keys)
            owner.update({k: hit for k, _s, _e in keys_for_owner})
    for key, s, e in _body_identifiers(doc, listed):
        if key in owner:
            hit = owner[key]
            if all((s, e) != (ps, pe) for _k, ps, pe in works[hit].places):
                works[hit] = replace(works[hit], places=works[hit].places + ((key, s, e),))
            continue
        ids = _ids_of([(key, s, e)])
        ref = Reference(
            _label_for(key), ReferenceKind.PUBMED if "pmid" in ids else (ReferenceKind.DOI if "doi" in ids else ReferenceKind.WEB),
            doc.text[s:e], s, e, pmid=ids.get("pmid"), doi=ids.get("doi"), pmcid=ids.get("pmcid"),
            url=doc.text[s:e] if doc.text[s:e].lower().startswith(("http", "www")) else None,
            in_list=False, places=((key, s, e),),
        )
        owner[key] = len(works)
        works.append(ref)
    by_identifier = {k: works[i].label for k, i in owner.items()}
    return works, find_markers(doc, works, by_identifier, alias)
