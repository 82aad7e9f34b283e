"""AuditResult → RDF graph (rdflib) and → NetworkX MultiDiGraph.

The RDF reuses established vocabularies (Micropublications, Web Annotation, SKOS, CiTO,
FaBiO, BIBO, DCTerms, PROV-O, MeSH); only assessments, verdicts, findings, claim types
and evidence levels live in the project's namespace. Instance IRIs are minted from
hashes, PMIDs and percent-encoded names, never from raw user text (which is kept as a
label).
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from .model import AuditResult, Claim, DocumentAudit, Reference, Study

if TYPE_CHECKING:
    import networkx as nx
    from rdflib import Graph, URIRef

ONTOLOGY = "https://w3id.org/ldn-graph/ontology#"
INSTANCES = "https://w3id.org/ldn-graph/id/"
MESH = "http://id.nlm.nih.gov/mesh/"

VERDICT_TERMS = {
    "supported": "Supported",
    "off_topic": "OffTopic",
    "unverified": "Unverified",
    "inferred": "Inferred",
    "unsupported": "Unsupported",
}
CLAIM_TYPE_TERMS = {
    "mechanism": "Mechanism",
    "indication": "Indication",
    "benefit": "Benefit",
    "safety": "Safety",
    "dosing": "Dosing",
    "contraindication": "Contraindication",
}
LEVEL_TERMS = {
    "systematic_review": "SystematicReview",
    "rct": "RCT",
    "clinical_trial": "ClinicalTrial",
    "observational": "Observational",
    "case_report": "CaseReport",
    "review": "Review",
    "opinion": "Opinion",
    "preclinical": "Preclinical",
    "unknown": "Unknown",
}
SEVERITY_TERMS = {"error": "Error", "warning": "Warning", "info": "Info"}

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Text safe for every serialization: no C0 controls (but tab/newline), no lone surrogates."""
    return _CONTROL_RE.sub("\ufffd", text)


def slug(text: str) -> str:
    """A percent-encoded IRI segment (never raw user text)."""
    return quote(clean_text(text), safe="")


def short_hash(*parts: str, n: int = 16) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:n]


def document_iri(doc_sha256: str) -> str:
    return f"{INSTANCES}document/{doc_sha256[:16]}"


def claim_iri(claim: Claim) -> str:
    sha, span, name = claim.id.split(":", 2)
    return f"{INSTANCES}claim/{sha}-{span}-{slug(name)}"


def study_iri(pmid: str) -> str:
    return f"{INSTANCES}pubmed/{pmid}"


def reference_iri(doc_sha256: str, ref: Reference) -> str:
    return f"{INSTANCES}reference/{doc_sha256[:16]}-{short_hash(ref.label, n=12)}"


def source_iri(url: str) -> str:
    return f"{INSTANCES}source/{short_hash(url)}"


def build_rdf(result: AuditResult, *, include_vocabulary: bool = True) -> Graph:
    """The RDF graph of an audit."""
    from rdflib import Graph, Literal, Namespace, URIRef
    from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, SKOS, XSD

    g = Graph()
    LDNG = Namespace(ONTOLOGY)
    MP = Namespace("http://purl.org/mp/")
    OA = Namespace("http://www.w3.org/ns/oa#")
    CITO = Namespace("http://purl.org/spar/cito/")
    FABIO = Namespace("http://purl.org/spar/fabio/")
    BIBO = Namespace("http://purl.org/ontology/bibo/")
    MESHNS = Namespace(MESH)
    for prefix, ns in (
        ("ldng", LDNG), ("ldn", Namespace(INSTANCES)), ("mp", MP), ("oa", OA), ("cito", CITO),
        ("fabio", FABIO), ("bibo", BIBO), ("mesh", MESHNS), ("skos", SKOS), ("dcterms", DCTERMS),
        ("prov", PROV), ("foaf", FOAF),
    ):
        g.bind(prefix, ns)

    def lit(text: str | None) -> Literal:
        return Literal(clean_text(text or ""))

    run = URIRef(f"{INSTANCES}run/{short_hash(result.run.generated_at, *(d.document.sha256 for d in result.documents))}")
    agent = URIRef(f"{INSTANCES}software/ldn-graph/{slug(result.run.tool_version)}")
    g.add((run, RDF.type, PROV.Activity))
    g.add((run, PROV.startedAtTime, Literal(result.run.generated_at, datatype=XSD.dateTime)))
    g.add((run, PROV.wasAssociatedWith, agent))
    g.add((agent, RDF.type, PROV.SoftwareAgent))
    g.add((agent, RDFS.label, lit(f"ldn-graph {result.run.tool_version}")))
    vocab_node = URIRef(f"{INSTANCES}vocabulary/{result.run.vocabulary_sha256[:16]}")
    g.add((run, PROV.used, vocab_node))
    g.add((vocab_node, RDF.type, PROV.Entity))
    g.add((vocab_node, RDFS.label, lit(result.run.vocabulary_source)))
    g.add((vocab_node, LDNG.sha256, lit(result.run.vocabulary_sha256)))

    concepts = {}
    for doc_audit in result.documents:
        for claim in doc_audit.claims:
            concepts[claim.concept.iri] = claim.concept
    if include_vocabulary:
        for concept in concepts.values():
            c = URIRef(concept.iri)
            g.add((c, RDF.type, SKOS.Concept))
            g.add((c, SKOS.prefLabel, Literal(concept.label, lang="en")))
            g.add((c, LDNG.claimType, LDNG[CLAIM_TYPE_TERMS[concept.claim_type]]))
            for ui in concept.mesh:
                g.add((c, SKOS.closeMatch, MESHNS[ui]))

    # studies
    for pmid, record in sorted(result.records.items()):
        _add_study(g, record.study, record.provenance.origin, record.provenance.retrieved_at, result, LDNG, FABIO, BIBO, MESHNS, lit)

    for doc_audit in result.documents:
        _add_document(g, doc_audit, run, result, LDNG, MP, OA, CITO, FABIO, lit)
    return g


def _add_study(g: Graph, study: Study, origin: str, retrieved_at: str, result: AuditResult, LDNG: Any, FABIO: Any, BIBO: Any, MESHNS: Any, lit: Any) -> None:
    from rdflib import Literal, URIRef
    from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, XSD

    s = URIRef(study_iri(study.pmid))
    g.add((s, RDF.type, FABIO.JournalArticle))
    g.add((s, FABIO.hasPubMedId, Literal(study.pmid)))
    g.add((s, RDFS.seeAlso, URIRef(f"https://pubmed.ncbi.nlm.nih.gov/{study.pmid}/")))
    if study.title:
        g.add((s, DCTERMS.title, lit(study.title)))
        g.add((s, RDFS.label, lit(study.title)))
    if study.doi:
        g.add((s, BIBO.doi, lit(study.doi)))
    if study.pmcid:
        g.add((s, FABIO.hasPubMedCentralId, lit(study.pmcid)))
    if study.year:
        g.add((s, FABIO.hasPublicationYear, Literal(str(study.year), datatype=XSD.gYear)))
    if study.pub_date:
        g.add((s, DCTERMS.date, lit(study.pub_date)))  # plain literal: may be "1998 Dec-1999 Jan"
    journal = study.journal or study.journal_abbrev
    if journal:
        g.add((s, DCTERMS.isPartOf, URIRef(f"{INSTANCES}journal/{slug(journal)}")))
        g.add((URIRef(f"{INSTANCES}journal/{slug(journal)}"), RDFS.label, lit(journal)))
    for author in study.authors:
        name = author.display
        if not name:
            continue
        a = URIRef(f"{INSTANCES}agent/{short_hash(name)}")
        g.add((s, DCTERMS.creator, a))
        g.add((a, RDF.type, FOAF.Group if author.collective_name else FOAF.Person))
        g.add((a, FOAF.name, lit(name)))
    for heading in study.mesh:
        if heading.ui:
            g.add((s, DCTERMS.subject, MESHNS[heading.ui]))
    for pt in study.publication_types:
        if pt.ui:
            g.add((s, DCTERMS.type, MESHNS[pt.ui]))
    g.add((s, LDNG.recordOrigin, lit(origin)))
    g.add((s, PROV.generatedAtTime, Literal(retrieved_at, datatype=XSD.dateTime)))
    for ref in study.references:
        if ref.pmid:
            g.add((s, URIRef("http://purl.org/spar/cito/cites"), URIRef(study_iri(ref.pmid))))
    for cc in study.comments_corrections:
        if cc.ref_type == "Cites" and cc.pmid:
            g.add((s, URIRef("http://purl.org/spar/cito/cites"), URIRef(study_iri(cc.pmid))))


def _add_document(g: Graph, doc_audit: DocumentAudit, run: URIRef, result: AuditResult, LDNG: Any, MP: Any, OA: Any, CITO: Any, FABIO: Any, lit: Any) -> None:
    from rdflib import Literal, URIRef
    from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

    doc = doc_audit.document
    d = URIRef(document_iri(doc.sha256))
    g.add((d, RDF.type, LDNG.Document))
    g.add((d, RDFS.label, lit(doc.path)))
    g.add((d, DCTERMS.format, lit(doc.media_type)))
    g.add((d, LDNG.sha256, lit(doc.sha256)))
    g.add((run, PROV.used, d))
    ref_nodes: dict[str, URIRef] = {}
    for ref in doc_audit.references:
        r = URIRef(reference_iri(doc.sha256, ref))
        ref_nodes[ref.label] = r
        g.add((r, RDFS.label, lit(ref.text)))
        g.add((r, LDNG.referenceLabel, lit(ref.label)))
        g.add((d, LDNG.hasReference, r))
        if ref.pmid:
            target = URIRef(study_iri(ref.pmid))
            g.add((r, LDNG.refersTo, target))
            g.add((d, CITO.cites, target))
            if ref.pmid not in result.records:
                g.add((target, RDF.type, FABIO.JournalArticle))
                g.add((target, FABIO.hasPubMedId, Literal(ref.pmid)))
        elif ref.url:
            target = URIRef(source_iri(ref.url))
            g.add((target, RDF.type, LDNG.NonPubMedSource))
            g.add((target, RDFS.label, lit(ref.text)))
            g.add((target, RDFS.seeAlso, Literal(clean_text(ref.url), datatype=XSD.anyURI)))
            g.add((r, LDNG.refersTo, target))
            g.add((d, CITO.cites, target))
    by_claim = {a.claim_id: a for a in doc_audit.assessments}
    labels = {r.label: r for r in doc_audit.references}
    for claim in doc_audit.claims:
        c = URIRef(claim_iri(claim))
        g.add((c, RDF.type, MP.Claim))
        g.add((c, RDFS.label, lit(claim.text)))
        g.add((c, LDNG.aboutConcept, URIRef(claim.concept.iri)))
        g.add((c, LDNG.claimType, LDNG[CLAIM_TYPE_TERMS[claim.type]]))
        g.add((c, LDNG.inDocument, d))
        g.add((c, DCTERMS.identifier, lit(claim.id)))
        if claim.hedged is not None:
            g.add((c, LDNG.hedged, Literal(claim.hedged)))
        if claim.negated is not None:
            g.add((c, LDNG.negated, Literal(claim.negated)))
        if claim.location:
            g.add((c, LDNG.location, lit(claim.location)))
        for label in claim.cited:
            if label in ref_nodes:
                g.add((c, LDNG.citesReference, ref_nodes[label]))
        ann = URIRef(f"{c}/annotation")
        target = URIRef(f"{c}/target")
        pos = URIRef(f"{c}/position")
        quote_sel = URIRef(f"{c}/quote")
        g.add((ann, RDF.type, OA.Annotation))
        g.add((ann, OA.hasBody, c))
        g.add((ann, OA.hasTarget, target))
        g.add((target, OA.hasSource, d))
        g.add((target, OA.hasSelector, pos))
        g.add((target, OA.hasSelector, quote_sel))
        g.add((pos, RDF.type, OA.TextPositionSelector))
        g.add((pos, OA.start, Literal(claim.start, datatype=XSD.nonNegativeInteger)))
        g.add((pos, OA.end, Literal(claim.end, datatype=XSD.nonNegativeInteger)))
        g.add((quote_sel, RDF.type, OA.TextQuoteSelector))
        g.add((quote_sel, OA.exact, lit(claim.text)))
        assessment = by_claim.get(claim.id)
        if assessment is None:
            continue
        a = URIRef(f"{INSTANCES}assessment/{str(c).rsplit('/', 1)[1]}")
        g.add((a, RDF.type, LDNG.Assessment))
        g.add((a, LDNG.assesses, c))
        g.add((a, LDNG.verdict, LDNG[VERDICT_TERMS[assessment.verdict]]))
        g.add((a, LDNG.reason, lit(assessment.reason)))
        g.add((a, PROV.wasGeneratedBy, run))
        for ev in assessment.evidence:
            s = URIRef(study_iri(ev.pmid))
            g.add((s, MP.supports, c))
            if ev.reference and ev.reference in claim.cited:
                g.add((c, CITO.citesAsEvidence, s))
            if ev.level:
                g.add((s, LDNG.evidenceLevel, LDNG[LEVEL_TERMS[ev.level]]))
            if ev.sample_size is not None:
                g.add((s, LDNG.sampleSize, Literal(ev.sample_size)))
            e = URIRef(f"{a}/evidence/{ev.pmid}")
            g.add((a, LDNG.hasEvidence, e))
            g.add((e, RDF.type, OA.Annotation))
            g.add((e, OA.hasBody, a))
            g.add((e, LDNG.matchedOn, lit(ev.matched_on)))
            g.add((e, LDNG.rationale, lit(ev.rationale)))
            etarget = URIRef(f"{e}/target")
            g.add((e, OA.hasTarget, etarget))
            g.add((etarget, OA.hasSource, s))
            if ev.rationale_start is not None and ev.rationale_end is not None:
                sel = URIRef(f"{e}/position")
                g.add((etarget, OA.hasSelector, sel))
                g.add((sel, RDF.type, OA.TextPositionSelector))
                g.add((sel, OA.start, Literal(ev.rationale_start, datatype=XSD.nonNegativeInteger)))
                g.add((sel, OA.end, Literal(ev.rationale_end, datatype=XSD.nonNegativeInteger)))
                g.add((sel, LDNG.field, lit(ev.rationale_field)))
    for n, finding in enumerate(doc_audit.findings):
        f = URIRef(f"{INSTANCES}finding/{doc.sha256[:16]}-{n}-{slug(finding.kind)}")
        g.add((f, RDF.type, LDNG.Finding))
        g.add((f, LDNG.findingKind, lit(finding.kind)))
        g.add((f, LDNG.severity, LDNG[SEVERITY_TERMS[finding.severity]]))
        g.add((f, RDFS.comment, lit(finding.message)))
        g.add((f, LDNG.inDocument, d))
        if finding.suppressed:
            g.add((f, LDNG.suppressedBecause, lit(finding.suppressed)))
        if finding.claim:
            claim = next((cl for cl in doc_audit.claims if cl.id == finding.claim), None)
            if claim is not None:
                g.add((f, LDNG.concerns, URIRef(claim_iri(claim))))
        if finding.reference and finding.reference in labels:
            g.add((f, LDNG.concerns, ref_nodes[finding.reference]))


# --------------------------------------------------------------------------- NetworkX view


def build_networkx(result: AuditResult) -> nx.MultiDiGraph:
    """Documents, claims, concepts, studies and web sources as typed nodes.

    Node ids are strings (``claim:…``, ``pubmed:23359310``); attributes are scalars.
    """
    import networkx as nx

    G = nx.MultiDiGraph()
    for pmid, record in result.records.items():
        study = record.study
        G.add_node(
            f"pubmed:{pmid}",
            kind="study",
            label=f"PMID {pmid}",
            title=study.title,
            year=study.year or 0,
            journal=study.journal or study.journal_abbrev or "",
            origin=record.provenance.origin,
            mesh=json.dumps([m.ui for m in study.mesh if m.ui]),
        )
        for ref in study.references:
            if ref.pmid:
                _ensure(G, f"pubmed:{ref.pmid}", kind="study", label=f"PMID {ref.pmid}")
                G.add_edge(f"pubmed:{pmid}", f"pubmed:{ref.pmid}", key="cites", relation="cites")
    for doc_audit in result.documents:
        doc = doc_audit.document
        dnode = f"document:{doc.sha256[:16]}"
        G.add_node(dnode, kind="document", label=doc.path, sha256=doc.sha256)
        labels = {r.label: r for r in doc_audit.references}
        for ref in doc_audit.references:
            if ref.pmid:
                node = f"pubmed:{ref.pmid}"
                _ensure(G, node, kind="study", label=f"PMID {ref.pmid}", origin="unavailable")
            elif ref.url:
                node = f"source:{short_hash(ref.url)}"
                _ensure(G, node, kind="source", label=ref.url, url=ref.url)
            else:
                continue
            G.add_edge(dnode, node, key=f"cites:{ref.label}", relation="cites", reference=ref.label)
        verdicts = {a.claim_id: a for a in doc_audit.assessments}
        for claim in doc_audit.claims:
            a = verdicts[claim.id]
            cnode = f"claim:{claim.id}"
            best = max((e.level or "unknown" for e in a.evidence), default="", key=_level_rank)
            G.add_node(
                cnode,
                kind="claim",
                label=f"{claim.concept.label}: {claim.text[:60]}",
                text=claim.text,
                concept=claim.concept.label,
                claim_type=claim.type,
                verdict=a.verdict,
                reason=a.reason,
                hedged=bool(claim.hedged),
                start=claim.start,
                end=claim.end,
                evidence_level=best,
                document=doc.path,
            )
            G.add_edge(dnode, cnode, key="asserts", relation="asserts")
            concept_node = f"concept:{claim.concept.iri}"
            _ensure(G, concept_node, kind="concept", label=claim.concept.label, claim_type=claim.concept.claim_type, iri=claim.concept.iri)
            G.add_edge(cnode, concept_node, key="about", relation="about")
            for label in claim.cited:
                ref = labels.get(label)
                if ref and ref.pmid:
                    G.add_edge(cnode, f"pubmed:{ref.pmid}", key=f"cites:{label}", relation="cites", reference=label)
                elif ref and ref.url:
                    G.add_edge(cnode, f"source:{short_hash(ref.url)}", key=f"cites:{label}", relation="cites", reference=label)
            for ev in a.evidence:
                G.add_edge(
                    f"pubmed:{ev.pmid}",
                    cnode,
                    key="supports",
                    relation="supports",
                    verdict=a.verdict,
                    level=ev.level or "unknown",
                    matched_on=ev.matched_on,
                    rationale=ev.rationale,
                )
    return G


def _ensure(G: nx.MultiDiGraph, node: str, **attrs: Any) -> None:
    if node not in G:
        G.add_node(node, **attrs)


_RANK = {name: i for i, name in enumerate(reversed(list(LEVEL_TERMS)))}


def _level_rank(level: str) -> int:
    return _RANK.get(level, -1)
