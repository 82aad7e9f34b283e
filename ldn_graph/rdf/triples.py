"""The triples of the graph: of an audit, of cached records, of vocabulary concepts and of
software activities (an audit run, a store build).

- :func:`audit_triples`: run provenance (PROV-O), the concepts claims are about, the cited
  records, and per document its references, claims (Micropublications, placed in the copy
  with Web Annotation selectors), assessments with their evidence, and findings.
- :func:`record_triples`: a cached PubMed record — the study, its authors, subjects and
  citations (CiTO), where the record came from (a ``prov:Entity``), and its evidence
  level when the caller graded it (grading is not this package's business).

Only assessments, verdicts, findings, claim types and evidence levels live in the
project's namespace (``ontology/ldn-graph.ttl`` shows the pattern, ``ontology/shapes.ttl``
constrains it). Generators yield ``(s, p, o)`` in the terms of a
:class:`~ldn_graph.rdf.backends.TermFactory`; nothing is collected, so a graph of 100k
records streams.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ldn_graph.ids import is_mesh_ui, parse_pmid
from ldn_graph.model import AuditResult, Claim, Concept, DocumentAudit, Record, Study
from ldn_graph.rdf.backends import OxigraphTerms, RdflibTerms, TermFactory, Triple, bind_prefixes
from ldn_graph.rdf.iris import (
    agent_iri,
    assessment_iri,
    claim_iri,
    concept_iri,
    document_iri,
    finding_iri,
    journal_iri,
    record_iri,
    reference_iri,
    run_iri,
    source_iri,
    study_iri,
    vocabulary_entity_iri,
)
from ldn_graph.rdf.namespaces import MESH
from ldn_graph.terms import ClaimType, Direction, EvidenceLevel, Severity, Verdict

if TYPE_CHECKING:
    from rdflib import Graph

#: An evidence level and the reason for it, as graded above this package.
Level = tuple[str, str | None]
#: The grade of a record (None: write no level).
LevelOf = Callable[[Record], Level | None]


# --------------------------------------------------------------------------- records


def record_triples(record: Record, T: TermFactory, *, level: Level | None = None) -> Iterator[Triple]:
    """A cached PubMed record: the study, its authors, subjects, citations, and where the
    record came from (a ``prov:Entity`` per record with its origin and retrieval time)."""
    v = T.v
    study = record.study
    s = T.iri(study_iri(study.pmid))
    yield from study_triples(study, T, s)
    prov = record.provenance
    origin = T.lit(prov.origin)
    yield s, v.recordOrigin, origin
    r = T.iri(record_iri(record))
    yield r, v.type, v.Entity
    yield r, v.primaryTopic, s
    yield r, v.recordOrigin, origin
    yield r, v.generatedAtTime, T.datetime(prov.retrieved_at)
    if prov.source:
        yield r, v.source, T.lit(prov.source)
    if prov.sha256:
        yield r, v.identifier, T.lit(f"sha256:{prov.sha256}")
    if level is not None:
        yield s, v.evidenceLevel, v.levels.get(level[0], v.levels[EvidenceLevel.UNKNOWN])
        if level[1]:
            yield s, v.levelReason, T.lit(level[1])


def study_triples(study: Study, T: TermFactory, s: Any = None) -> Iterator[Triple]:
    v = T.v
    pmid = study.pmid
    if s is None:
        s = T.iri(study_iri(pmid))
    yield s, v.type, v.JournalArticle
    yield s, v.hasPubMedId, T.lit(pmid)
    yield s, v.seeAlso, T.iri(f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/")
    if study.title:
        title = T.lit(study.title)
        yield s, v.title, title
        yield s, v.label, title
    abstract = study.abstract_text
    if abstract:
        yield s, v.abstract, T.lit(abstract)
    if study.doi:
        yield s, v.doi, T.lit(study.doi)
    if study.pmcid:
        yield s, v.hasPubMedCentralId, T.lit(study.pmcid)
    if study.year:
        yield s, v.hasPublicationYear, T.typed(f"{study.year:04d}", v.xsd_gYear)
    if study.pub_date:
        yield s, v.date, T.lit(study.pub_date)  # plain: may be "1998 Dec-1999 Jan"
    if study.volume:
        yield s, v.volume, T.lit(study.volume)
    if study.issue:
        yield s, v.issue, T.lit(study.issue)
    if study.pages:
        yield s, v.pages, T.lit(study.pages)
    if study.language:
        yield s, v.language, T.lit(study.language)
    journal = study.journal or study.journal_abbrev
    if journal:
        j = T.iri(journal_iri(journal))
        yield s, v.isPartOf, j
        yield j, v.type, v.Journal
        yield j, v.title, T.lit(journal)
    base = study_iri(pmid)
    for n, author in enumerate(study.authors, 1):
        name = author.display
        if not name:
            continue
        a = T.iri(f"{base}/author/{n}")
        yield s, v.creator, a
        yield a, v.type, v.Group if author.collective_name else v.Person
        yield a, v.name, T.lit(name)
        if author.last_name and not author.collective_name:
            yield a, v.familyName, T.lit(author.last_name)
            if author.fore_name:
                yield a, v.givenName, T.lit(author.fore_name)
    for heading in study.mesh:
        if heading.ui and is_mesh_ui(heading.ui):
            yield s, v.subject, T.iri(MESH + heading.ui)
    for pt in study.publication_types:
        if pt.ui and is_mesh_ui(pt.ui):
            t = T.iri(MESH + pt.ui)
            yield s, v.dctype, t
            if pt.name:
                yield t, v.label, T.lit(pt.name)  # the name a network view shows
    for kw in study.keywords:
        if kw:
            yield s, v.keyword, T.lit(kw)
    seen: set[tuple[str, str]] = set()
    for ref in study.references:
        target = parse_pmid(ref.pmid)
        if target and target != pmid and ("Cites", target) not in seen:
            seen.add(("Cites", target))
            yield from _cited_study(T, s, v.cites, target)
    for cc in study.comments_corrections:
        prop = v.cito.get(cc.ref_type)
        target = parse_pmid(cc.pmid)
        if prop is None or not target or target == pmid or (cc.ref_type, target) in seen:
            continue
        seen.add((cc.ref_type, target))
        yield from _cited_study(T, s, prop, target)


def _cited_study(T: TermFactory, s: Any, prop: Any, pmid: str) -> Iterator[Triple]:
    v = T.v
    o = T.iri(study_iri(pmid))
    yield s, prop, o
    yield o, v.type, v.JournalArticle
    yield o, v.hasPubMedId, T.lit(pmid)


def concept_triples(concept: Concept, T: TermFactory) -> Iterator[Triple]:
    v = T.v
    c = T.iri(concept_iri(concept))
    yield c, v.type, v.Concept
    yield c, v.prefLabel, T.lang(concept.label or concept.name, "en")
    for syn in concept.synonyms:
        yield c, v.altLabel, T.lang(syn, "en")
    if concept.definition:
        yield c, v.definition, T.lang(concept.definition, "en")
    yield c, v.claimType, v.claim_types.get(concept.claim_type, v.claim_types[ClaimType.INDICATION])
    for ui in concept.mesh:
        if is_mesh_ui(ui):
            yield c, v.closeMatch, T.iri(MESH + ui)


def activity_triples(
    T: TermFactory, activity: str, *, tool_version: str, started: str, label: str | None = None
) -> Iterator[Triple]:
    v = T.v
    a = T.iri(activity)
    agent = T.iri(agent_iri(tool_version))
    yield a, v.type, v.Activity
    yield a, v.startedAtTime, T.datetime(started)
    yield a, v.wasAssociatedWith, agent
    if label:
        yield a, v.label, T.lit(label)
    yield agent, v.type, v.SoftwareAgent
    yield agent, v.label, T.lit(f"ldn-graph {tool_version}")
    yield agent, v.versionInfo, T.lit(tool_version)


def record_stream(
    records: Iterable[Record],
    T: TermFactory,
    *,
    activity: Any | None = None,
    level_of: LevelOf | None = None,
    progress: Callable[[int], None] | None = None,
) -> Iterator[Triple]:
    """Triples of many records, one record at a time (``progress(1)`` after each)."""
    used = T.v.used
    for record in records:
        yield from record_triples(record, T, level=level_of(record) if level_of else None)
        if activity is not None:
            yield activity, used, T.iri(record_iri(record))
        if progress is not None:
            progress(1)


def records_rdf(records: Iterable[Record], *, levels: Mapping[str, Level] | None = None) -> Graph:
    """An rdflib graph of cached records alone (tests, SHACL checks of cache builds)."""
    from rdflib import Graph

    g = bind_prefixes(Graph())
    T = RdflibTerms()
    for record in records:
        for triple in record_triples(record, T, level=(levels or {}).get(record.study.pmid)):
            g.add(triple)
    return g

# --------------------------------------------------------------------------- audits


def audit_levels(result: AuditResult) -> dict[str, Level]:
    """The evidence level the audit gave each study it judged (first one seen)."""
    levels: dict[str, Level] = {}
    for doc in result.documents:
        for a in doc.assessments:
            for ev in a.evidence:
                if ev.level and ev.pmid not in levels:
                    levels[ev.pmid] = (ev.level, ev.level_reason)
        for found in doc.suggestions:
            for sg in found.suggestions:
                if sg.level and sg.pmid not in levels:
                    levels[sg.pmid] = (sg.level, None)
    return levels


def audit_triples(
    result: AuditResult,
    T: TermFactory,
    *,
    include_vocabulary: bool = False,
    levels: Mapping[str, Level] | None = None,
) -> Iterator[Triple]:
    """Every triple of an audit: run provenance, concepts, records, documents, claims,
    assessments, evidence and findings. ``include_vocabulary`` adds every concept of the
    vocabulary, not only those claims are about."""
    v = T.v
    run = result.run
    shas = [d.document.sha256 for d in result.documents]
    run_node_iri = run_iri(run, shas)
    run_node = T.iri(run_node_iri)
    yield from activity_triples(T, run_node_iri, tool_version=run.tool_version, started=run.generated_at, label="ldn-graph audit")
    vocab = T.iri(vocabulary_entity_iri(run.vocabulary_sha256))
    yield run_node, v.used, vocab
    yield vocab, v.type, v.Entity
    yield vocab, v.label, T.lit(run.vocabulary_source)
    yield vocab, v.identifier, T.lit(f"sha256:{run.vocabulary_sha256}")

    concepts: dict[str, Concept] = {}
    if include_vocabulary and result.vocabulary is not None:
        for concept in result.vocabulary.concepts:
            concepts.setdefault(concept.iri, concept)
    for doc_audit in result.documents:
        for claim in doc_audit.claims:
            concepts.setdefault(claim.concept.iri, claim.concept)
    for concept in concepts.values():
        yield from concept_triples(concept, T)

    levels = dict(levels) if levels is not None else audit_levels(result)
    everything = {**result.suggested_records, **result.records}
    for pmid in sorted(everything, key=lambda p: (len(p), p)):
        record = everything[pmid]
        yield from record_triples(record, T, level=levels.get(pmid))
        yield run_node, v.used, T.iri(record_iri(record))
    for doc_audit in result.documents:
        yield from document_triples(doc_audit, result, T, run_node)


def document_triples(doc_audit: DocumentAudit, result: AuditResult, T: TermFactory, run: Any) -> Iterator[Triple]:
    v = T.v
    doc = doc_audit.document
    d = T.iri(document_iri(doc.sha256))
    yield d, v.type, v.Document
    yield d, v.label, T.lit(doc.path)
    yield d, v.format, T.lit(doc.media_type)
    yield d, v.identifier, T.lit(f"sha256:{doc.sha256}")
    yield run, v.used, d

    ref_nodes: dict[str, Any] = {}
    ref_pmids: dict[str, str] = {}
    for ref in doc_audit.references:
        r = T.iri(reference_iri(doc.sha256, ref))
        ref_nodes[ref.label] = r
        yield r, v.type, v.BibliographicReference
        yield r, v.referenceLabel, T.lit(ref.label or "?")
        yield r, v.bibliographicCitation, T.lit(ref.text)
        yield d, v.citesReference, r
        if ref.doi:
            yield r, v.doi, T.lit(ref.doi)
        pmid = parse_pmid(ref.pmid)
        if pmid:
            ref_pmids[ref.label] = pmid
            target = T.iri(study_iri(pmid))
            yield r, v.references, target
            yield d, v.cites, target
            if pmid not in result.records:
                yield target, v.type, v.JournalArticle
                yield target, v.hasPubMedId, T.lit(pmid)
        elif ref.url:
            target = T.iri(source_iri(ref.url))
            yield target, v.type, v.NonPubMedSource
            yield target, v.type, v.WebPage
            yield target, v.label, T.lit(ref.text)
            yield target, v.seeAlso, T.typed(ref.url, v.xsd_anyURI)
            yield r, v.references, target
            yield d, v.cites, target

    by_claim = {a.claim_id: a for a in doc_audit.assessments}
    claim_nodes: dict[str, Any] = {}
    for claim in doc_audit.claims:
        ciri = claim_iri(doc_audit.document.sha256, claim)
        c = T.iri(ciri)
        claim_nodes[claim.id] = c
        yield c, v.type, v.Claim
        yield c, v.label, T.lit(claim.text)
        yield c, v.identifier, T.lit(claim.id)
        yield c, v.aboutConcept, T.iri(concept_iri(claim.concept))
        yield c, v.claimType, v.claim_types.get(claim.type, v.claim_types[ClaimType.INDICATION])
        yield c, v.inDocument, d
        if claim.hedged is not None:
            yield c, v.hedged, T.boolean(claim.hedged)
        if claim.negated is not None:
            yield c, v.negated, T.boolean(claim.negated)
        for label in claim.cited:
            if label in ref_nodes:
                yield c, v.citesReference, ref_nodes[label]
            if label in ref_pmids:
                yield c, v.citesAsEvidence, T.iri(study_iri(ref_pmids[label]))
        # where the claim sits in the copy
        ann, target = T.iri(f"{ciri}/annotation"), T.iri(f"{ciri}/target")
        pos, quote_sel = T.iri(f"{ciri}/position"), T.iri(f"{ciri}/quote")
        yield ann, v.type, v.Annotation
        yield ann, v.hasBody, c
        yield ann, v.hasTarget, target
        yield target, v.hasSource, d
        if claim.location:
            yield target, v.label, T.lit(claim.location)
        yield target, v.hasSelector, pos
        yield target, v.hasSelector, quote_sel
        yield pos, v.type, v.TextPositionSelector
        yield pos, v.start, T.integer(max(0, claim.start))
        yield pos, v.end, T.integer(max(0, claim.start, claim.end))
        yield quote_sel, v.type, v.TextQuoteSelector
        yield quote_sel, v.exact, T.lit(claim.text)

        yield from _suggestion_triples(doc_audit, claim, ciri, T, run)
        assessment = by_claim.get(claim.id)
        if assessment is None:
            continue
        airi = assessment_iri(doc_audit.document.sha256, claim)
        a = T.iri(airi)
        yield a, v.type, v.Assessment
        yield a, v.assesses, c
        yield a, v.verdict, v.verdicts[assessment.verdict]
        yield a, v.reason, T.lit(assessment.reason.strip() or assessment.verdict)
        yield a, v.wasGeneratedBy, run
        counts_as_support = Verdict(assessment.verdict).backed
        for ev in assessment.evidence:
            pmid = parse_pmid(ev.pmid)
            if not pmid:
                continue
            s = T.iri(study_iri(pmid))
            if pmid not in result.records:
                yield s, v.type, v.JournalArticle
                yield s, v.hasPubMedId, T.lit(pmid)
            if counts_as_support and not Direction(ev.direction).contradicts:
                yield s, v.supports, c
            eiri = f"{airi}/evidence/{pmid}"
            e = T.iri(eiri)
            yield a, v.hasEvidence, e
            yield e, v.type, v.Evidence
            yield e, v.wasDerivedFrom, s
            yield e, v.matchedOn, T.lit(ev.matched_on)
            yield e, v.rationale, T.lit(ev.rationale)
            yield e, v.direction, T.lit(ev.direction)
            if ev.level:
                yield e, v.evidenceLevel, v.levels.get(ev.level, v.levels[EvidenceLevel.UNKNOWN])
            if ev.level_reason:
                yield e, v.levelReason, T.lit(ev.level_reason)
            if ev.sample_size is not None and ev.sample_size >= 1:
                yield e, v.sampleSize, T.integer(ev.sample_size)
            # where the rationale sits in the record
            ea, et = T.iri(f"{eiri}/annotation"), T.iri(f"{eiri}/target")
            yield ea, v.type, v.Annotation
            yield ea, v.hasBody, e
            yield ea, v.hasTarget, et
            yield et, v.hasSource, s
            yield et, v.label, T.lit(f"{ev.rationale_field} of PMID {pmid}")
            q = T.iri(f"{eiri}/quote")
            yield et, v.hasSelector, q
            yield q, v.type, v.TextQuoteSelector
            yield q, v.exact, T.lit(ev.rationale)
            if ev.rationale_start is not None and ev.rationale_end is not None:
                sel = T.iri(f"{eiri}/position")
                start = max(0, ev.rationale_start)
                yield et, v.hasSelector, sel
                yield sel, v.type, v.TextPositionSelector
                yield sel, v.start, T.integer(start)
                yield sel, v.end, T.integer(max(start, ev.rationale_end))

    for n, finding in enumerate(doc_audit.findings):
        f = T.iri(finding_iri(doc.sha256, n, finding.kind))
        yield f, v.type, v.Finding
        yield f, v.findingKind, T.lit(finding.kind)
        yield f, v.severity, v.severities.get(finding.severity, v.severities[Severity.WARNING])
        yield f, v.comment, T.lit(finding.message)
        yield f, v.wasDerivedFrom, d
        yield f, v.wasGeneratedBy, run
        if finding.suppressed:
            yield f, v.suppressedBecause, T.lit(finding.suppressed)
        if finding.claim and finding.claim in claim_nodes:
            yield f, v.concerns, claim_nodes[finding.claim]
        if finding.reference and finding.reference in ref_nodes:
            yield f, v.concerns, ref_nodes[finding.reference]


def _suggestion_triples(doc_audit: DocumentAudit, claim: Claim, ciri: str, T: TermFactory, run: Any) -> Iterator[Triple]:
    """A claim's suggested sources: candidates (``ldng:suggestedSupport``), never citations
    or support, each with its rank, judgement and the query that found it."""
    found = doc_audit.suggested(claim.id)
    if found is None:
        return
    v = T.v
    c = T.iri(ciri)
    for rank, sg in enumerate(found.suggestions, 1):
        pmid = parse_pmid(sg.pmid)
        if not pmid:
            continue
        study = T.iri(study_iri(pmid))
        node = T.iri(f"{ciri}/suggestion/{pmid}")
        yield c, v.suggestedSupport, study
        yield c, v.hasSuggestion, node
        yield node, v.type, v.SuggestedSource
        yield node, v.wasDerivedFrom, study
        yield node, v.wasGeneratedBy, run
        yield node, v.suggestionRank, T.integer(rank)
        yield node, v.searchQuery, T.lit(found.query)
        yield node, v.direction, T.lit(sg.direction)
        yield node, v.rationale, T.lit(sg.rationale)
        yield node, v.evidenceLevel, v.levels.get(sg.level or EvidenceLevel.UNKNOWN, v.levels[EvidenceLevel.UNKNOWN])
        if sg.n is not None and sg.n >= 1:
            yield node, v.sampleSize, T.integer(sg.n)


def build_rdf(
    result: AuditResult,
    *,
    include_vocabulary: bool = False,
    levels: Mapping[str, Level] | None = None,
) -> Graph:
    """The RDF graph of an audit, as an rdflib graph (for pyshacl and the rdflib API)."""
    from rdflib import Graph

    g = bind_prefixes(Graph())
    add = g.add
    for triple in audit_triples(result, RdflibTerms(), include_vocabulary=include_vocabulary, levels=levels):
        add(triple)
    return g


def audit_graph_triples(result: AuditResult) -> list[Triple]:
    """The distinct triples of an audit (pyoxigraph terms)."""
    return list(dict.fromkeys(audit_triples(result, OxigraphTerms(), include_vocabulary=False)))
