"""The network view of the graph, for Gephi, Cytoscape and GraphML: one projection.

:func:`networkx_from_triples` projects RDF triples onto the node kinds, attribute keys and
edge relations of :mod:`ldn_graph.rdf.network_schema`. It is the only projection: an
audit is projected from its triples (:func:`build_networkx` over
:func:`~ldn_graph.rdf.triples.audit_triples`), an embedded store from the triples it
holds, so ``export --format graphml`` gives the same schema with and without ``--store``.
Triples are the common ground because a store holds nothing else; the predicates are the
ones the writers use (:class:`~ldn_graph.rdf.backends.ConstantTerms`).

Assessments, evidence, findings and references fold into the attributes of claims and
studies and into ``supports`` / ``considered`` / ``cites`` edges; Web Annotation
selectors, provenance, authors and journals are read for attributes, never shown as
nodes. Lists keep the order of the triples (an audit's: the record's order).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from ldn_graph.model import AuditResult
from ldn_graph.rdf.backends import ConstantTerms, OxigraphTerms, Triple
from ldn_graph.rdf.namespaces import MESH
from ldn_graph.rdf.network_schema import NODE_KINDS, RELATIONS, NodeKind
from ldn_graph.rdf.triples import audit_triples
from ldn_graph.terms import EvidenceLevel
from ldn_graph.text import replace_unsafe

if TYPE_CHECKING:
    import networkx as nx

#: The writers' predicates and classes, as IRI strings.
V = ConstantTerms(str)
_LEVELS = {iri: str(level) for level, iri in V.levels.items()}
_VERDICTS = {iri: str(verdict) for verdict, iri in V.verdicts.items()}
_CLAIM_TYPES = {iri: str(t) for t, iri in V.claim_types.items()}
_RANK = {level.value: level.rank for level in EvidenceLevel}
_UNKNOWN = EvidenceLevel.UNKNOWN.value
_CITO = {iri: iri.rsplit("/", 1)[1] for iri in V.cito.values()}
DOCUMENT, CLAIM, CONCEPT, STUDY, SOURCE = (NODE_KINDS[k] for k in ("document", "claim", "concept", "study", "source"))
_AUTHOR_NUMBER_RE = re.compile(r"/author/(\d+)$")
_YEAR_RE = re.compile(r"^-?\d+")

#: The only predicates the projection reads (nothing else is held in memory).
_READ = frozenset({
    V.type, V.label, V.title, V.creator, V.name, V.familyName, V.hasPubMedId,
    V.hasPublicationYear, V.isPartOf, V.subject, V.dctype, V.recordOrigin, V.evidenceLevel,
    V.identifier, V.prefLabel, V.claimType, V.closeMatch, V.aboutConcept, V.inDocument,
    V.hedged, V.negated, V.citesReference, V.referenceLabel, V.references, V.seeAlso,
    V.hasBody, V.hasTarget, V.hasSelector, V.start, V.end, V.assesses, V.verdict, V.reason,
    V.hasEvidence, V.wasDerivedFrom, V.matchedOn, V.rationale, V.direction, V.supports,
    V.findingKind, V.concerns, V.hasSuggestion, V.suggestionRank, V.searchQuery, *_CITO,
})


class _Index:
    """Subject → predicate → objects (IRIs and literal values as strings, in the order
    the triples came, without repeats) for the predicates the projection reads, and
    class → subjects for ``rdf:type``."""

    def __init__(self, triples: Iterable[Triple]) -> None:
        from pyoxigraph import Literal, NamedNode

        self.out: dict[str, dict[str, dict[str, None]]] = {}
        self.typed: dict[str, dict[str, None]] = {}
        for s, p, o in triples:
            pv = p.value
            if pv not in _READ or not isinstance(s, NamedNode) or not isinstance(o, NamedNode | Literal):
                continue
            if pv == V.type:
                self.typed.setdefault(o.value, {})[s.value] = None
            else:
                self.out.setdefault(s.value, {}).setdefault(pv, {})[o.value] = None

    def all(self, s: str, p: str) -> list[str]:
        return list(self.out.get(s, {}).get(p, ()))

    def first(self, s: str, p: str) -> str | None:
        return next(iter(self.out.get(s, {}).get(p, ())), None)

    def has(self, s: str, p: str, o: str) -> bool:
        return o in self.out.get(s, {}).get(p, ())

    def of_type(self, cls: str) -> list[str]:
        return list(self.typed.get(cls, ()))

    def is_a(self, s: str, cls: str) -> bool:
        return s in self.typed.get(cls, {})


def build_networkx(result: AuditResult) -> nx.MultiDiGraph:
    """The network view of an audit (its triples, projected by :func:`networkx_from_triples`)."""
    return networkx_from_triples(audit_triples(result, OxigraphTerms()))


def networkx_from_triples(triples: Iterable[Triple]) -> nx.MultiDiGraph:
    """Documents, claims, concepts, studies and web sources of a graph (pyoxigraph terms
    ``(s, p, o)``: an audit's triples, or a store's) as typed nodes and named edges.

    Node ids are strings (``claim:…``, ``pubmed:23359310``); every node has ``kind`` and
    ``label``, every edge ``relation``; the keys are those of
    :mod:`~ldn_graph.rdf.network_schema`. Attributes are scalars or JSON-encoded lists,
    never None.
    """
    import networkx as nx

    g = _Index(triples)
    G = nx.MultiDiGraph()
    nodes: dict[str, str] = {}  # IRI → node id

    def add(kind: NodeKind, iri: str, local: str, attrs: dict[str, Any]) -> None:
        unknown = attrs.keys() - kind.keys
        if unknown:
            raise ValueError(f"{sorted(unknown)} are not attributes of a {kind.name} node in the network schema")
        node = kind.prefix + local
        nodes[iri] = node
        G.add_node(node, kind=kind.name, **{k: v for k, v in attrs.items() if v is not None})

    for s in sorted(g.of_type(V.JournalArticle), key=lambda s: _pmid_key(_pmid(g, s))):
        add(STUDY, s, _pmid(g, s), _study(g, s))
    for d in g.of_type(V.Document):
        path = replace_unsafe(g.first(d, V.label) or "")
        sha = g.first(d, V.identifier) or ""
        add(DOCUMENT, d, _tail(d), {"label": path or d, "path": path, "sha256": sha.removeprefix("sha256:"), "iri": d})
    for src in g.of_type(V.NonPubMedSource):
        url = replace_unsafe(g.first(src, V.seeAlso) or src)
        add(SOURCE, src, _tail(src), {"label": url, "url": url})
    for c in g.of_type(V.Concept):
        add(CONCEPT, c, c, {
            "label": replace_unsafe(g.first(c, V.prefLabel) or c),
            "claim_type": _CLAIM_TYPES.get(g.first(c, V.claimType) or ""),
            "mesh": json.dumps(_mesh_uis(g.all(c, V.closeMatch))),
            "iri": c,
        })
    assessments = {c: a for a in g.of_type(V.Assessment) for c in g.all(a, V.assesses)}
    findings: dict[str, list[str]] = {}
    for f in g.of_type(V.Finding):
        for target in g.all(f, V.concerns):
            findings.setdefault(target, []).append(g.first(f, V.findingKind) or "")
    spans = dict(_claim_spans(g))
    for c in g.of_type(V.Claim):
        add(CLAIM, c, _claim_node(g, c), _claim(g, c, assessments.get(c), findings.get(c, []), spans.get(c)))

    def link(u: str | None, v: str | None, relation: str, key: str, **attrs: Any) -> None:
        attrs["relation"] = relation
        unknown = attrs.keys() - RELATIONS[relation].keys
        if unknown:
            raise ValueError(f"{sorted(unknown)} are not attributes of a {relation} edge in the network schema")
        if u in nodes and v in nodes:  # never a node without kind and label
            G.add_edge(nodes[u], nodes[v], key=key, **attrs)

    for study in g.of_type(V.JournalArticle):
        for predicate, prop in _CITO.items():
            for other in g.all(study, predicate):
                if g.is_a(other, V.JournalArticle):
                    link(study, other, prop, f"{prop}:{_pmid(g, other)}")
    for d in g.of_type(V.Document):
        for source, target, label in _citations(g, d):
            link(source, target, "cites", f"cites:{label}", reference=label)
    for c in g.of_type(V.Claim):
        link(g.first(c, V.inDocument), c, "asserts", "asserts")
        link(c, g.first(c, V.aboutConcept), "about", "about")
        for source, target, label in _citations(g, c):
            link(source, target, "cites", f"cites:{label}", reference=label)
    for c, a in assessments.items():
        verdict = _VERDICTS.get(g.first(a, V.verdict) or "")
        for e in g.all(a, V.hasEvidence):
            weighed = g.first(e, V.wasDerivedFrom)
            if weighed is None or c not in nodes:
                continue
            relation = "supports" if g.has(weighed, V.supports, c) else "considered"
            link(weighed, c, relation, f"{relation}:{nodes[c].removeprefix(CLAIM.prefix)}",
                 verdict=verdict,
                 level=_LEVELS.get(g.first(e, V.evidenceLevel) or "", _UNKNOWN),
                 matched_on=g.first(e, V.matchedOn) or "",
                 direction=g.first(e, V.direction) or "",
                 rationale=g.first(e, V.rationale) or "")
    for c in g.of_type(V.Claim):
        for sg in g.all(c, V.hasSuggestion):
            if c in nodes:
                link(g.first(sg, V.wasDerivedFrom), c, "suggested", f"suggested:{nodes[c].removeprefix(CLAIM.prefix)}",
                     rank=g.first(sg, V.suggestionRank) or "", query=g.first(sg, V.searchQuery) or "",
                     level=_LEVELS.get(g.first(sg, V.evidenceLevel) or "", _UNKNOWN),
                     direction=g.first(sg, V.direction) or "", rationale=g.first(sg, V.rationale) or "")
    return G


# --------------------------------------------------------------------------- attributes


def _tail(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def _claim_node(g: _Index, c: str) -> str:
    """``<document>/<claim id>``: a claim id names the sentence and concept, the same in
    every document that makes the claim, so the document tells the nodes apart."""
    document = g.first(c, V.inDocument)
    claim_id = replace_unsafe(g.first(c, V.identifier) or c)
    return f"{_tail(document)}/{claim_id}" if document else claim_id


def _pmid(g: _Index, study: str) -> str:
    return g.first(study, V.hasPubMedId) or _tail(study)


def _pmid_key(pmid: str) -> tuple[int, str]:
    return len(pmid), pmid


def _mesh_uis(iris: Iterable[str]) -> list[str]:
    return [iri[len(MESH):] for iri in iris if iri.startswith(MESH)]


def _study(g: _Index, s: str) -> dict[str, Any]:
    pmid = _pmid(g, s)
    origin = g.first(s, V.recordOrigin)
    if origin is None:  # cited or weighed, but the graph holds no record of it
        return {"label": f"PMID {pmid}", "pmid": pmid, "origin": "unavailable", "iri": s}
    year_text = g.first(s, V.hasPublicationYear)
    year = _YEAR_RE.match(year_text) if year_text else None
    journal = g.first(s, V.isPartOf)
    level = g.first(s, V.evidenceLevel)
    return {
        "label": _study_label(g, s, pmid, year.group(0) if year else ""),
        "pmid": pmid,
        "title": g.first(s, V.title) or "",
        "journal": (g.first(journal, V.title) if journal else None) or "",
        "origin": origin,
        "mesh": json.dumps(_mesh_uis(g.all(s, V.subject))),
        "publication_types": json.dumps([g.first(t, V.label) or t[len(MESH):] for t in g.all(s, V.dctype) if t.startswith(MESH)]),
        "iri": s,
        "year": int(year.group(0)) if year else None,
        "evidence_level": _LEVELS.get(level, _UNKNOWN) if level else None,
    }


def _study_label(g: _Index, s: str, pmid: str, year: str) -> str:
    """``Younger et al. 2013``: the first named author (a group's name, else the family
    name), ``et al.`` when there are more, and the year."""
    authors = [(a, name) for a in g.all(s, V.creator) if (name := g.first(a, V.name))]
    authors.sort(key=lambda item: int(m.group(1)) if (m := _AUTHOR_NUMBER_RE.search(item[0])) else 0)
    who = ""
    if authors:
        first, name = authors[0]
        who = name if g.is_a(first, V.Group) else (g.first(first, V.familyName) or name)
        if len(authors) > 1:
            who += " et al."
    parts = [p for p in (who, year) if p]
    return replace_unsafe(" ".join(parts) or f"PMID {pmid}")


def _claim_spans(g: _Index) -> Iterator[tuple[str, tuple[int, int]]]:
    """(claim, (start, end)) from the text position selector of each claim's annotation."""
    for ann in g.of_type(V.Annotation):
        for body in g.all(ann, V.hasBody):
            for target in g.all(ann, V.hasTarget):
                for sel in g.all(target, V.hasSelector):
                    start, end = g.first(sel, V.start), g.first(sel, V.end)
                    if g.is_a(sel, V.TextPositionSelector) and start is not None and end is not None:
                        yield body, (int(start), int(end))


def _claim(g: _Index, c: str, a: str | None, findings: list[str], span: tuple[int, int] | None) -> dict[str, Any]:
    text = g.first(c, V.label) or ""
    concept = g.first(c, V.aboutConcept)
    concept_label = (g.first(concept, V.prefLabel) if concept else None) or ""
    document = g.first(c, V.inDocument)
    attrs: dict[str, Any] = {
        "label": f"{concept_label}: {text[:60]}",
        "text": text,
        "concept": concept_label,
        "claim_type": _CLAIM_TYPES.get(g.first(c, V.claimType) or ""),
        "hedged": g.first(c, V.hedged) in ("true", "1"),
        "negated": g.first(c, V.negated) in ("true", "1"),
        "start": span[0] if span else None,
        "end": span[1] if span else None,
        "document": (g.first(document, V.label) if document else None),
        "cited": json.dumps([g.first(r, V.referenceLabel) or "?" for r in g.all(c, V.citesReference)]),
        "findings": json.dumps(findings),
        "iri": c,
    }
    if a is not None:
        attrs["verdict"] = _VERDICTS.get(g.first(a, V.verdict) or "")
        attrs["reason"] = g.first(a, V.reason)
        levels = [_LEVELS.get(g.first(e, V.evidenceLevel) or "", _UNKNOWN) for e in g.all(a, V.hasEvidence)]
        attrs["evidence_level"] = max(levels, key=lambda lv: _RANK.get(lv, -1)) if levels else None
    return attrs


def _citations(g: _Index, citing: str) -> Iterator[tuple[str, str, str]]:
    """(citing, cited, reference label) for each reference ``citing`` cites."""
    for ref in g.all(citing, V.citesReference):
        label = g.first(ref, V.referenceLabel) or "?"
        for target in g.all(ref, V.references):
            yield citing, target, label

