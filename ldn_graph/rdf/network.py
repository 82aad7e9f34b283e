"""NetworkX views of the graph, for Gephi, Cytoscape and GraphML.

- :func:`build_networkx` projects an audit onto typed nodes (documents, claims, concepts,
  studies, web sources) and named edges (``cites``, ``asserts``, ``about``, ``supports``,
  ``considered``), with verdicts and evidence levels as attributes.
- :func:`networkx_from_triples` is a network view of any RDF graph (an embedded store):
  typed resources become nodes, IRI-valued properties edges, literals attributes.

The two views have different schemas (``export --format graphml`` with and without
``--store``); making them one projection is a later step.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ldn_graph.ids import parse_pmid
from ldn_graph.model import AuditResult, Study
from ldn_graph.rdf.iris import claim_iri, concept_iri, document_iri, short_hash, study_iri
from ldn_graph.rdf.namespaces import (
    BIRO_NS,
    CITO_REF_TYPES,
    DCTERMS_NS,
    FABIO_NS,
    FOAF_NS,
    MESH,
    MP_NS,
    OA_NS,
    ONTOLOGY,
    PROV_NS,
    RDF_NS,
    RDFS_NS,
    SKOS_NS,
    XSD_NS,
    compact,
)
from ldn_graph.rdf.triples import Level, audit_levels
from ldn_graph.terms import Direction, EvidenceLevel, Verdict
from ldn_graph.text import replace_unsafe

if TYPE_CHECKING:
    import networkx as nx

_RANK = {level.value: level.rank for level in EvidenceLevel}
_BACKED = frozenset(v for v in Verdict if v.backed)
_UNKNOWN = EvidenceLevel.UNKNOWN.value


def _level_rank(level: str) -> int:
    return _RANK.get(level, -1)


def study_label(study: Study) -> str:
    first = next((a for a in study.authors if a.display), None)
    who = (first.collective_name or first.last_name or first.display) if first else ""
    if who and len(study.authors) > 1:
        who += " et al."
    parts = [p for p in (who, str(study.year) if study.year else "") if p]
    return replace_unsafe(" ".join(parts) or f"PMID {study.pmid}")


def build_networkx(result: AuditResult, *, levels: Mapping[str, Level] | None = None) -> nx.MultiDiGraph:
    """Documents, claims, concepts, studies, web sources and findings as typed nodes.

    Node ids are strings (``claim:…``, ``pubmed:23359310``); every node has ``kind`` and
    ``label`` (what Gephi and Cytoscape show); every edge has ``relation``. Attributes are
    scalars or JSON-encoded lists, never None.
    """
    import networkx as nx

    levels = dict(levels) if levels is not None else audit_levels(result)
    G = nx.MultiDiGraph()

    def study_node(pmid: str, **attrs: Any) -> str:
        node = f"pubmed:{pmid}"
        if node not in G:
            G.add_node(node, kind="study", label=f"PMID {pmid}", pmid=pmid, **attrs)
        return node

    for pmid in sorted(result.records, key=lambda p: (len(p), p)):
        record = result.records[pmid]
        study = record.study
        attrs: dict[str, Any] = {
            "kind": "study",
            "label": study_label(study),
            "pmid": pmid,
            "title": study.title,
            "journal": study.journal or study.journal_abbrev or "",
            "origin": record.provenance.origin,
            "mesh": json.dumps([m.ui for m in study.mesh if m.ui]),
            "publication_types": json.dumps([p.name for p in study.publication_types]),
            "iri": study_iri(pmid),
        }
        if study.year:
            attrs["year"] = study.year
        if pmid in levels:
            attrs["evidence_level"] = levels[pmid][0]
        node = f"pubmed:{pmid}"
        if node in G:
            G.nodes[node].update(attrs)
        else:
            G.add_node(node, **attrs)
        for cited in study.references:
            target = parse_pmid(cited.pmid)
            if target and target != pmid:
                G.add_edge(node, study_node(target), key=f"cites:{target}", relation="cites")
        for cc in study.comments_corrections:
            target = parse_pmid(cc.pmid)
            prop = CITO_REF_TYPES.get(cc.ref_type)
            if prop and target and target != pmid:
                G.add_edge(node, study_node(target), key=f"{prop}:{target}", relation=prop)
    for doc_audit in result.documents:
        doc = doc_audit.document
        dnode = f"document:{doc.sha256[:16]}"
        G.add_node(dnode, kind="document", label=doc.path, path=doc.path, sha256=doc.sha256, iri=document_iri(doc.sha256))
        labels = {r.label: r for r in doc_audit.references}
        for ref in doc_audit.references:
            ref_pmid = parse_pmid(ref.pmid)
            if ref_pmid:
                node = study_node(ref_pmid, origin="unavailable" if ref_pmid not in result.records else "")
            elif ref.url:
                node = f"source:{short_hash(ref.url)}"
                if node not in G:
                    G.add_node(node, kind="source", label=ref.url, url=ref.url)
            else:
                continue
            G.add_edge(dnode, node, key=f"cites:{ref.label}", relation="cites", reference=ref.label)
        verdicts = {a.claim_id: a for a in doc_audit.assessments}
        findings_by_claim: dict[str, list[str]] = {}
        for finding in doc_audit.findings:
            if finding.claim:
                findings_by_claim.setdefault(finding.claim, []).append(finding.kind)
        for claim in doc_audit.claims:
            a = verdicts.get(claim.id)
            cnode = f"claim:{replace_unsafe(claim.id)}"
            attrs = {
                "kind": "claim",
                "label": f"{claim.concept.label}: {claim.text[:60]}",
                "text": claim.text,
                "concept": claim.concept.label,
                "claim_type": claim.type,
                "hedged": bool(claim.hedged),
                "negated": bool(claim.negated),
                "start": claim.start,
                "end": claim.end,
                "document": doc.path,
                "cited": json.dumps(list(claim.cited)),
                "findings": json.dumps(findings_by_claim.get(claim.id, [])),
                "iri": claim_iri(claim),
            }
            if a is not None:
                best = max((e.level or _UNKNOWN for e in a.evidence), default=None, key=_level_rank)
                attrs.update(verdict=a.verdict, reason=a.reason)
                if best:
                    attrs["evidence_level"] = best
            G.add_node(cnode, **attrs)
            G.add_edge(dnode, cnode, key="asserts", relation="asserts")
            concept_node = f"concept:{concept_iri(claim.concept)}"
            if concept_node not in G:
                G.add_node(
                    concept_node,
                    kind="concept",
                    label=claim.concept.label,
                    claim_type=claim.concept.claim_type,
                    mesh=json.dumps(list(claim.concept.mesh)),
                    iri=concept_iri(claim.concept),
                )
            G.add_edge(cnode, concept_node, key="about", relation="about")
            for label in claim.cited:
                cited_ref = labels.get(label)
                cited_pmid = parse_pmid(cited_ref.pmid) if cited_ref else None
                if cited_pmid:
                    G.add_edge(cnode, f"pubmed:{cited_pmid}", key=f"cites:{label}", relation="cites", reference=label)
                elif cited_ref and cited_ref.url:
                    G.add_edge(cnode, f"source:{short_hash(cited_ref.url)}", key=f"cites:{label}", relation="cites", reference=label)
            if a is None:
                continue
            for ev in a.evidence:
                ev_pmid = parse_pmid(ev.pmid)
                if not ev_pmid:
                    continue
                study_node(ev_pmid)
                relation = "supports" if a.verdict in _BACKED and ev.direction == Direction.POSITIVE else "considered"
                G.add_edge(
                    f"pubmed:{ev_pmid}",
                    cnode,
                    key=f"{relation}:{replace_unsafe(claim.id)}",
                    relation=relation,
                    verdict=a.verdict,
                    level=ev.level or _UNKNOWN,
                    matched_on=ev.matched_on,
                    direction=ev.direction,
                    rationale=ev.rationale,
                )
    return G


_KIND_BY_CLASS = {
    MP_NS + "Claim": "claim",
    FABIO_NS + "JournalArticle": "study",
    ONTOLOGY + "Document": "document",
    SKOS_NS + "Concept": "concept",
    ONTOLOGY + "Assessment": "assessment",
    ONTOLOGY + "Evidence": "evidence",
    ONTOLOGY + "Finding": "finding",
    ONTOLOGY + "NonPubMedSource": "source",
    BIRO_NS + "BibliographicReference": "reference",
    FABIO_NS + "Journal": "journal",
    FOAF_NS + "Person": "author",
    FOAF_NS + "Group": "author",
    PROV_NS + "Activity": "activity",
    PROV_NS + "SoftwareAgent": "software",
}
# Helper nodes of Web Annotation and PROV that only clutter a network view.
_SKIP_CLASSES = {
    OA_NS + "Annotation",
    OA_NS + "TextPositionSelector",
    OA_NS + "TextQuoteSelector",
}
_LABEL_PROPS = (SKOS_NS + "prefLabel", RDFS_NS + "label", DCTERMS_NS + "title", FOAF_NS + "name")


def _local(iri: str) -> str:
    return re.split(r"[#/]", iri.rstrip("/#"))[-1]


def networkx_from_triples(triples: Iterable[tuple[str, str, Any]]) -> nx.MultiDiGraph:
    """A network view of any RDF graph (e.g. an embedded store).

    ``triples`` are ``(subject IRI, predicate IRI, object)`` where the object is a ``str``
    IRI or a :class:`LiteralValue`. Typed resources become nodes with ``kind`` (from
    their class) and ``label``; IRI-valued properties between nodes become edges named
    after the property; literal properties become node attributes (JSON lists when a
    property has several values). Web Annotation helper nodes are folded away.
    """
    import networkx as nx

    types: dict[str, list[str]] = {}
    literals: dict[str, dict[str, list[Any]]] = {}
    links: list[tuple[str, str, str]] = []
    for s, p, o in triples:
        if isinstance(o, LiteralValue):
            literals.setdefault(s, {}).setdefault(_local(p), []).append(o.python())
        elif p == RDF_NS + "type":
            types.setdefault(s, []).append(o)
        else:
            links.append((s, p, o))
    skip = {s for s, ts in types.items() if any(t in _SKIP_CLASSES for t in ts)}
    G = nx.MultiDiGraph()

    def add_node(iri: str) -> None:
        if iri in G:
            return
        ts = types.get(iri, [])
        kind = next((_KIND_BY_CLASS[t] for t in ts if t in _KIND_BY_CLASS), None)
        if kind is None:
            kind = "mesh" if iri.startswith(MESH) else (_local(ts[0]).lower() if ts else "resource")
        attrs: dict[str, Any] = {"kind": kind, "iri": iri}
        if ts:
            attrs["types"] = json.dumps(sorted(compact(t) for t in ts))
        for name, values in sorted(literals.get(iri, {}).items()):
            values = sorted(set(values), key=str)
            attrs[name] = values[0] if len(values) == 1 else json.dumps([str(x) for x in values])
        label = next((attrs[_local(p)] for p in _LABEL_PROPS if _local(p) in attrs and isinstance(attrs[_local(p)], str)), None)
        attrs["label"] = replace_unsafe(label or compact(iri))
        G.add_node(iri, **attrs)

    for s, p, o in links:
        if s in skip or o in skip:
            continue
        add_node(s)
        add_node(o)
        rel = compact(p)
        G.add_edge(s, o, key=rel, relation=_local(p), predicate=rel)
    for s in types:
        if s not in skip:
            add_node(s)
    return G


class LiteralValue:
    """A literal handed to :func:`networkx_from_triples`: lexical form + datatype IRI."""

    __slots__ = ("value", "datatype", "language")

    def __init__(self, value: str, datatype: str | None = None, language: str | None = None) -> None:
        self.value = value
        self.datatype = datatype
        self.language = language

    def python(self) -> Any:
        dt = self.datatype or ""
        try:
            if dt == XSD_NS + "boolean":
                return self.value in ("true", "1")
            if dt in (XSD_NS + "integer", XSD_NS + "nonNegativeInteger", XSD_NS + "int", XSD_NS + "long"):
                return int(self.value)
            if dt in (XSD_NS + "double", XSD_NS + "decimal", XSD_NS + "float"):
                return float(self.value)
        except ValueError:
            pass
        return replace_unsafe(self.value)
