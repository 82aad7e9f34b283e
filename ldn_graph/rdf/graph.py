"""AuditResult / cached records → RDF triples (rdflib or pyoxigraph) and → NetworkX.

The RDF reuses established vocabularies (Micropublications, Web Annotation, SKOS, CiTO,
FaBiO, BiRO, BIBO, DCTerms, PROV-O, FOAF, MeSH); only assessments, verdicts, findings,
claim types and evidence levels live in the project's namespace (``ontology/ldn-graph.ttl``
shows the pattern, ``ontology/shapes.ttl`` constrains it).

One set of generators writes every triple; a small *term factory* decides whether the
terms are rdflib nodes (:func:`build_rdf`, for pyshacl and the rdflib API) or pyoxigraph
terms (the embedded store and the fast serializers). Generators yield ``(s, p, o)``;
nothing is collected, so a graph of 100k records streams.

Instance IRIs are minted from hashes, PMIDs, MeSH UIs and percent-encoded slugs, never
from raw user text (which is kept as a literal). Every literal passes through
:func:`clean_text` (no C0 controls but tab/newline/CR, no lone surrogates, no U+FFFE/U+FFFF),
so every serialization — Turtle, N-Triples, JSON-LD, GraphML/XML — can hold it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ldn_graph.model import (
    AuditResult,
    Claim,
    Concept,
    DocumentAudit,
    Record,
    Reference,
    RunInfo,
    Study,
)

if TYPE_CHECKING:
    import networkx as nx
    from rdflib import Graph

# --------------------------------------------------------------------------- namespaces

ONTOLOGY = "https://w3id.org/ldn-graph/ontology#"
INSTANCES = "https://w3id.org/ldn-graph/id/"
VOCAB = "https://w3id.org/ldn-graph/vocab/ldn#"
MESH = "http://id.nlm.nih.gov/mesh/"

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_NS = "http://www.w3.org/2000/01/rdf-schema#"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
OWL_NS = "http://www.w3.org/2002/07/owl#"
SKOS_NS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS_NS = "http://purl.org/dc/terms/"
PROV_NS = "http://www.w3.org/ns/prov#"
FOAF_NS = "http://xmlns.com/foaf/0.1/"
MP_NS = "http://purl.org/mp/"
OA_NS = "http://www.w3.org/ns/oa#"
CITO_NS = "http://purl.org/spar/cito/"
FABIO_NS = "http://purl.org/spar/fabio/"
BIRO_NS = "http://purl.org/spar/biro/"
BIBO_NS = "http://purl.org/ontology/bibo/"
PRISM_NS = "http://prismstandard.org/namespaces/basic/2.0/"

PREFIXES: dict[str, str] = {
    "ldng": ONTOLOGY,
    "ldnv": VOCAB,
    "ldn": INSTANCES,
    "pubmed": f"{INSTANCES}pubmed/",
    "mesh": MESH,
    "rdf": RDF_NS,
    "rdfs": RDFS_NS,
    "xsd": XSD_NS,
    "owl": OWL_NS,
    "skos": SKOS_NS,
    "dcterms": DCTERMS_NS,
    "prov": PROV_NS,
    "foaf": FOAF_NS,
    "mp": MP_NS,
    "oa": OA_NS,
    "cito": CITO_NS,
    "fabio": FABIO_NS,
    "biro": BIRO_NS,
    "bibo": BIBO_NS,
    "prism": PRISM_NS,
}

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

#: PubMed CommentsCorrections RefType → CiTO property (subject: the record holding it).
CITO_REF_TYPES = {
    "Cites": "cites",
    "RetractionIn": "isRetractedBy",
    "RetractionOf": "retracts",
    "ErratumIn": "isCorrectedBy",
    "ErratumFor": "corrects",
    "CommentIn": "isDiscussedBy",
    "CommentOn": "discusses",
    "UpdateIn": "isUpdatedBy",
    "UpdateOf": "updates",
}

# --------------------------------------------------------------------------- text and IRIs

# C0 controls except tab, LF, CR; DEL; C1 controls; lone surrogates; XML non-characters.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_PMID_RE = re.compile(r"^\s*0*([1-9][0-9]{0,8})\s*$")
_MESH_UI_RE = re.compile(r"^[A-Z][0-9]{6,9}$")
_DATETIME_RE = re.compile(r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")
# RFC 3987: characters never allowed in an IRI (plus controls and spaces).
_IRI_BAD_RE = re.compile(r"[\x00-\x20<>\"{}|^`\\\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_IRI_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]")


def clean_text(text: str) -> str:
    """Text every serialization can hold: controls (but tab/newline/CR), lone surrogates
    and XML non-characters become U+FFFD."""
    if _CONTROL_RE.search(text) is None:
        return text
    return _CONTROL_RE.sub("\ufffd", text)


def slug(text: str) -> str:
    """A percent-encoded IRI segment (never raw user text)."""
    return quote(clean_text(text), safe="")


def short_hash(*parts: str, n: int = 16) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:n]


def normalize_pmid(value: str | None) -> str | None:
    """``"0012345 "`` → ``"12345"``; anything that is not a PMID → None."""
    if not value:
        return None
    m = _PMID_RE.match(value)
    return m.group(1) if m else None


def is_mesh_ui(value: str | None) -> bool:
    return bool(value) and _MESH_UI_RE.match(value or "") is not None


def safe_iri(iri: str) -> str:
    """An IRI every RDF store accepts, for IRIs that come from outside (a vocabulary file).

    Characters RFC 3987 forbids are percent-encoded; something that is not an absolute
    IRI at all is replaced by a hash IRI under the instance namespace.
    """
    text = clean_text(str(iri)).strip()
    if not _IRI_SCHEME_RE.match(text):
        return f"{INSTANCES}concept/{short_hash(str(iri))}"
    if _IRI_BAD_RE.search(text) is None:
        return text
    return _IRI_BAD_RE.sub(lambda m: quote(m.group(0), safe=""), text)


def document_iri(doc_sha256: str) -> str:
    return f"{INSTANCES}document/{doc_sha256[:16]}"


def claim_iri(claim: Claim) -> str:
    sha, span, name = (claim.id.split(":", 2) + ["", ""])[:3]
    return f"{INSTANCES}claim/{slug(sha)}-{slug(span)}-{slug(name)}"


def assessment_iri(claim: Claim) -> str:
    return f"{INSTANCES}assessment/{claim_iri(claim).rsplit('/', 1)[1]}"


def study_iri(pmid: str) -> str:
    return f"{INSTANCES}pubmed/{pmid}"


def record_iri(record: Record) -> str:
    key = record.provenance.sha256 or short_hash(record.provenance.origin, record.provenance.retrieved_at)
    return f"{INSTANCES}record/{record.study.pmid}-{key[:16]}"


def reference_iri(doc_sha256: str, ref: Reference) -> str:
    return f"{INSTANCES}reference/{doc_sha256[:16]}-{short_hash(ref.label, n=12)}"


def source_iri(url: str) -> str:
    return f"{INSTANCES}source/{short_hash(url)}"


def journal_iri(title: str) -> str:
    return f"{INSTANCES}journal/{short_hash(title.casefold())}"


def concept_iri(concept: Concept) -> str:
    return safe_iri(concept.iri)


def run_iri(run: RunInfo, doc_sha256s: Iterable[str]) -> str:
    return f"{INSTANCES}run/{short_hash(run.generated_at, *doc_sha256s)}"


def agent_iri(tool_version: str) -> str:
    return f"{INSTANCES}software/ldn-graph/{slug(tool_version)}"


def graph_iri(doc_sha256s: Iterable[str]) -> str:
    """The default named graph of a set of inputs: a hash of their sorted sha256s.

    The same documents give the same graph IRI whatever their paths or order, so pushing
    them again replaces the graph instead of adding a second copy.
    """
    shas = sorted(set(doc_sha256s))
    return f"{INSTANCES}graph/{short_hash(*shas, n=32) if shas else 'empty'}"


def result_graph_iri(result: AuditResult) -> str:
    return graph_iri(d.document.sha256 for d in result.documents)


# --------------------------------------------------------------------------- term factories


class Terms:
    """The constant terms (predicates and classes) of one backend, made once."""

    def __init__(self, iri: Callable[[str], Any]) -> None:
        self.type = iri(RDF_NS + "type")
        self.label = iri(RDFS_NS + "label")
        self.comment = iri(RDFS_NS + "comment")
        self.seeAlso = iri(RDFS_NS + "seeAlso")
        self.versionInfo = iri(OWL_NS + "versionInfo")
        # SKOS
        self.Concept = iri(SKOS_NS + "Concept")
        self.prefLabel = iri(SKOS_NS + "prefLabel")
        self.altLabel = iri(SKOS_NS + "altLabel")
        self.definition = iri(SKOS_NS + "definition")
        self.closeMatch = iri(SKOS_NS + "closeMatch")
        # DCTerms
        self.title = iri(DCTERMS_NS + "title")
        self.abstract = iri(DCTERMS_NS + "abstract")
        self.creator = iri(DCTERMS_NS + "creator")
        self.subject = iri(DCTERMS_NS + "subject")
        self.dctype = iri(DCTERMS_NS + "type")
        self.date = iri(DCTERMS_NS + "date")
        self.isPartOf = iri(DCTERMS_NS + "isPartOf")
        self.language = iri(DCTERMS_NS + "language")
        self.identifier = iri(DCTERMS_NS + "identifier")
        self.format = iri(DCTERMS_NS + "format")
        self.source = iri(DCTERMS_NS + "source")
        self.bibliographicCitation = iri(DCTERMS_NS + "bibliographicCitation")
        # PROV-O
        self.Activity = iri(PROV_NS + "Activity")
        self.Entity = iri(PROV_NS + "Entity")
        self.SoftwareAgent = iri(PROV_NS + "SoftwareAgent")
        self.startedAtTime = iri(PROV_NS + "startedAtTime")
        self.wasAssociatedWith = iri(PROV_NS + "wasAssociatedWith")
        self.used = iri(PROV_NS + "used")
        self.wasGeneratedBy = iri(PROV_NS + "wasGeneratedBy")
        self.wasDerivedFrom = iri(PROV_NS + "wasDerivedFrom")
        self.generatedAtTime = iri(PROV_NS + "generatedAtTime")
        # FOAF
        self.Person = iri(FOAF_NS + "Person")
        self.Group = iri(FOAF_NS + "Group")
        self.name = iri(FOAF_NS + "name")
        self.familyName = iri(FOAF_NS + "familyName")
        self.givenName = iri(FOAF_NS + "givenName")
        self.primaryTopic = iri(FOAF_NS + "primaryTopic")
        # bibliographic
        self.JournalArticle = iri(FABIO_NS + "JournalArticle")
        self.Journal = iri(FABIO_NS + "Journal")
        self.WebPage = iri(FABIO_NS + "WebPage")
        self.hasPubMedId = iri(FABIO_NS + "hasPubMedId")
        self.hasPubMedCentralId = iri(FABIO_NS + "hasPubMedCentralId")
        self.hasPublicationYear = iri(FABIO_NS + "hasPublicationYear")
        self.doi = iri(BIBO_NS + "doi")
        self.volume = iri(BIBO_NS + "volume")
        self.issue = iri(BIBO_NS + "issue")
        self.pages = iri(BIBO_NS + "pages")
        self.keyword = iri(PRISM_NS + "keyword")
        self.BibliographicReference = iri(BIRO_NS + "BibliographicReference")
        self.references = iri(BIRO_NS + "references")
        self.cito = {ref_type: iri(CITO_NS + prop) for ref_type, prop in CITO_REF_TYPES.items()}
        self.cites = self.cito["Cites"]
        self.citesAsEvidence = iri(CITO_NS + "citesAsEvidence")
        # Micropublications and Web Annotation
        self.Claim = iri(MP_NS + "Claim")
        self.supports = iri(MP_NS + "supports")
        self.Annotation = iri(OA_NS + "Annotation")
        self.hasBody = iri(OA_NS + "hasBody")
        self.hasTarget = iri(OA_NS + "hasTarget")
        self.hasSource = iri(OA_NS + "hasSource")
        self.hasSelector = iri(OA_NS + "hasSelector")
        self.TextPositionSelector = iri(OA_NS + "TextPositionSelector")
        self.TextQuoteSelector = iri(OA_NS + "TextQuoteSelector")
        self.start = iri(OA_NS + "start")
        self.end = iri(OA_NS + "end")
        self.exact = iri(OA_NS + "exact")
        # ldng
        self.Document = iri(ONTOLOGY + "Document")
        self.Assessment = iri(ONTOLOGY + "Assessment")
        self.Evidence = iri(ONTOLOGY + "Evidence")
        self.Finding = iri(ONTOLOGY + "Finding")
        self.NonPubMedSource = iri(ONTOLOGY + "NonPubMedSource")
        self.claimType = iri(ONTOLOGY + "claimType")
        self.aboutConcept = iri(ONTOLOGY + "aboutConcept")
        self.inDocument = iri(ONTOLOGY + "inDocument")
        self.hedged = iri(ONTOLOGY + "hedged")
        self.negated = iri(ONTOLOGY + "negated")
        self.citesReference = iri(ONTOLOGY + "citesReference")
        self.referenceLabel = iri(ONTOLOGY + "referenceLabel")
        self.assesses = iri(ONTOLOGY + "assesses")
        self.verdict = iri(ONTOLOGY + "verdict")
        self.reason = iri(ONTOLOGY + "reason")
        self.hasEvidence = iri(ONTOLOGY + "hasEvidence")
        self.evidenceLevel = iri(ONTOLOGY + "evidenceLevel")
        self.levelReason = iri(ONTOLOGY + "levelReason")
        self.matchedOn = iri(ONTOLOGY + "matchedOn")
        self.rationale = iri(ONTOLOGY + "rationale")
        self.direction = iri(ONTOLOGY + "direction")
        self.sampleSize = iri(ONTOLOGY + "sampleSize")
        self.recordOrigin = iri(ONTOLOGY + "recordOrigin")
        self.findingKind = iri(ONTOLOGY + "findingKind")
        self.severity = iri(ONTOLOGY + "severity")
        self.concerns = iri(ONTOLOGY + "concerns")
        self.suppressedBecause = iri(ONTOLOGY + "suppressedBecause")
        self.verdicts = {k: iri(ONTOLOGY + v) for k, v in VERDICT_TERMS.items()}
        self.claim_types = {k: iri(ONTOLOGY + v) for k, v in CLAIM_TYPE_TERMS.items()}
        self.levels = {k: iri(ONTOLOGY + v) for k, v in LEVEL_TERMS.items()}
        self.severities = {k: iri(ONTOLOGY + v) for k, v in SEVERITY_TERMS.items()}
        # datatypes
        self.xsd_dateTime = iri(XSD_NS + "dateTime")
        self.xsd_gYear = iri(XSD_NS + "gYear")
        self.xsd_anyURI = iri(XSD_NS + "anyURI")


class TermFactory:
    """Makes RDF terms for one backend (rdflib or pyoxigraph): the same triples either way.

    A backend gives its IRI and literal classes; only language tags differ in spelling.
    """

    v: Terms
    _iri: Any
    _lit: Any
    _lang_keyword = "lang"

    def iri(self, value: str) -> Any:
        return self._iri(value)

    def lit(self, value: str) -> Any:
        """A plain (xsd:string) literal of cleaned text."""
        return self._lit(clean_text(value))

    def typed(self, value: str, datatype: Any) -> Any:
        return self._lit(clean_text(value), datatype=datatype)

    def lang(self, value: str, language: str) -> Any:
        return self._lit(clean_text(value), **{self._lang_keyword: language})

    def boolean(self, value: bool) -> Any:
        return self._lit(bool(value))

    def integer(self, value: int) -> Any:
        return self._lit(int(value))


class RdflibTerms(TermFactory):
    def __init__(self) -> None:
        from rdflib import Literal, URIRef

        self._iri = URIRef
        self._lit = Literal
        self.v = Terms(URIRef)


class OxigraphTerms(TermFactory):
    _lang_keyword = "language"

    def __init__(self) -> None:
        from pyoxigraph import Literal, NamedNode

        self._iri = NamedNode
        self._lit = Literal
        self.v = Terms(NamedNode)


Triple = tuple[Any, Any, Any]
Level = tuple[str, str | None]  # (level, reason)


def canonical_datetime(value: str) -> str | None:
    """``2024-05-01T12:00:00+02:00`` → ``2024-05-01T10:00:00Z`` (UTC, the canonical form a
    store such as Oxigraph writes back); None when the text is not an ISO date-time."""
    import datetime as _dt

    if not _DATETIME_RE.match(value or ""):
        return None
    try:
        moment = _dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        text = moment.isoformat()
    else:
        text = moment.astimezone(_dt.UTC).replace(tzinfo=None).isoformat() + "Z"
    if "." in text:
        head, _, tail = text.partition(".")
        digits = tail.rstrip("Z").rstrip("0")
        text = head + (f".{digits}" if digits else "") + ("Z" if tail.endswith("Z") else "")
    return text


def _datetime(T: TermFactory, value: str) -> Any:
    """xsd:dateTime in canonical form when the text is one, else a plain literal (never a
    broken typed one)."""
    canonical = canonical_datetime(value or "")
    if canonical is not None:
        return T.typed(canonical, T.v.xsd_dateTime)
    return T.lit(value or "")


# --------------------------------------------------------------------------- triples: records


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
    yield r, v.generatedAtTime, _datetime(T, prov.retrieved_at)
    if prov.source:
        yield r, v.source, T.lit(prov.source)
    if prov.sha256:
        yield r, v.identifier, T.lit(f"sha256:{prov.sha256}")
    if level is not None:
        yield s, v.evidenceLevel, v.levels.get(level[0], v.levels["unknown"])
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
        if heading.ui and _MESH_UI_RE.match(heading.ui):
            yield s, v.subject, T.iri(MESH + heading.ui)
    for pt in study.publication_types:
        if pt.ui and _MESH_UI_RE.match(pt.ui):
            yield s, v.dctype, T.iri(MESH + pt.ui)
    for kw in study.keywords:
        if kw:
            yield s, v.keyword, T.lit(kw)
    seen: set[tuple[str, str]] = set()
    for ref in study.references:
        target = normalize_pmid(ref.pmid)
        if target and target != pmid and ("Cites", target) not in seen:
            seen.add(("Cites", target))
            yield from _cited_study(T, s, v.cites, target)
    for cc in study.comments_corrections:
        prop = v.cito.get(cc.ref_type)
        target = normalize_pmid(cc.pmid)
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
    yield c, v.claimType, v.claim_types.get(concept.claim_type, v.claim_types["indication"])
    for ui in concept.mesh:
        if _MESH_UI_RE.match(ui):
            yield c, v.closeMatch, T.iri(MESH + ui)


# --------------------------------------------------------------------------- triples: provenance


def activity_triples(
    T: TermFactory, activity: str, *, tool_version: str, started: str, label: str | None = None
) -> Iterator[Triple]:
    v = T.v
    a = T.iri(activity)
    agent = T.iri(agent_iri(tool_version))
    yield a, v.type, v.Activity
    yield a, v.startedAtTime, _datetime(T, started)
    yield a, v.wasAssociatedWith, agent
    if label:
        yield a, v.label, T.lit(label)
    yield agent, v.type, v.SoftwareAgent
    yield agent, v.label, T.lit(f"ldn-graph {tool_version}")
    yield agent, v.versionInfo, T.lit(tool_version)


def vocabulary_entity_iri(sha256: str) -> str:
    return f"{INSTANCES}vocabulary/{sha256[:16]}"


# --------------------------------------------------------------------------- triples: audits


def audit_levels(result: AuditResult) -> dict[str, Level]:
    """The evidence level the audit gave each study it judged (first one seen)."""
    levels: dict[str, Level] = {}
    for doc in result.documents:
        for a in doc.assessments:
            for ev in a.evidence:
                if ev.level and ev.pmid not in levels:
                    levels[ev.pmid] = (ev.level, ev.level_reason)
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
    for pmid in sorted(result.records, key=lambda p: (len(p), p)):
        record = result.records[pmid]
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
        pmid = normalize_pmid(ref.pmid)
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
        ciri = claim_iri(claim)
        c = T.iri(ciri)
        claim_nodes[claim.id] = c
        yield c, v.type, v.Claim
        yield c, v.label, T.lit(claim.text)
        yield c, v.identifier, T.lit(claim.id)
        yield c, v.aboutConcept, T.iri(concept_iri(claim.concept))
        yield c, v.claimType, v.claim_types.get(claim.type, v.claim_types["indication"])
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

        assessment = by_claim.get(claim.id)
        if assessment is None:
            continue
        airi = assessment_iri(claim)
        a = T.iri(airi)
        yield a, v.type, v.Assessment
        yield a, v.assesses, c
        yield a, v.verdict, v.verdicts[assessment.verdict]
        yield a, v.reason, T.lit(assessment.reason.strip() or assessment.verdict)
        yield a, v.wasGeneratedBy, run
        counts_as_support = assessment.verdict in ("supported", "inferred")
        for ev in assessment.evidence:
            pmid = normalize_pmid(ev.pmid)
            if not pmid:
                continue
            s = T.iri(study_iri(pmid))
            if pmid not in result.records:
                yield s, v.type, v.JournalArticle
                yield s, v.hasPubMedId, T.lit(pmid)
            if counts_as_support and ev.direction == "positive":
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
                yield e, v.evidenceLevel, v.levels.get(ev.level, v.levels["unknown"])
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
        f = T.iri(f"{INSTANCES}finding/{doc.sha256[:16]}-{n}-{slug(finding.kind)}")
        yield f, v.type, v.Finding
        yield f, v.findingKind, T.lit(finding.kind)
        yield f, v.severity, v.severities.get(finding.severity, v.severities["warning"])
        yield f, v.comment, T.lit(finding.message)
        yield f, v.wasDerivedFrom, d
        yield f, v.wasGeneratedBy, run
        if finding.suppressed:
            yield f, v.suppressedBecause, T.lit(finding.suppressed)
        if finding.claim and finding.claim in claim_nodes:
            yield f, v.concerns, claim_nodes[finding.claim]
        if finding.reference and finding.reference in ref_nodes:
            yield f, v.concerns, ref_nodes[finding.reference]


# --------------------------------------------------------------------------- rdflib graph


def bind_prefixes(graph: Graph) -> Graph:
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph


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


def records_rdf(records: Iterable[Record], *, levels: Mapping[str, Level] | None = None) -> Graph:
    """An rdflib graph of cached records alone (tests, SHACL checks of cache builds)."""
    from rdflib import Graph

    g = bind_prefixes(Graph())
    T = RdflibTerms()
    for record in records:
        for triple in record_triples(record, T, level=(levels or {}).get(record.study.pmid)):
            g.add(triple)
    return g


# --------------------------------------------------------------------------- NetworkX view


def study_label(study: Study) -> str:
    first = next((a for a in study.authors if a.display), None)
    who = (first.collective_name or first.last_name or first.display) if first else ""
    if who and len(study.authors) > 1:
        who += " et al."
    parts = [p for p in (who, str(study.year) if study.year else "") if p]
    return clean_text(" ".join(parts) or f"PMID {study.pmid}")


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
            target = normalize_pmid(cited.pmid)
            if target and target != pmid:
                G.add_edge(node, study_node(target), key=f"cites:{target}", relation="cites")
        for cc in study.comments_corrections:
            target = normalize_pmid(cc.pmid)
            prop = CITO_REF_TYPES.get(cc.ref_type)
            if prop and target and target != pmid:
                G.add_edge(node, study_node(target), key=f"{prop}:{target}", relation=prop)
    for doc_audit in result.documents:
        doc = doc_audit.document
        dnode = f"document:{doc.sha256[:16]}"
        G.add_node(dnode, kind="document", label=doc.path, path=doc.path, sha256=doc.sha256, iri=document_iri(doc.sha256))
        labels = {r.label: r for r in doc_audit.references}
        for ref in doc_audit.references:
            ref_pmid = normalize_pmid(ref.pmid)
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
            cnode = f"claim:{clean_text(claim.id)}"
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
                best = max((e.level or "unknown" for e in a.evidence), default=None, key=_level_rank)
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
                cited_pmid = normalize_pmid(cited_ref.pmid) if cited_ref else None
                if cited_pmid:
                    G.add_edge(cnode, f"pubmed:{cited_pmid}", key=f"cites:{label}", relation="cites", reference=label)
                elif cited_ref and cited_ref.url:
                    G.add_edge(cnode, f"source:{short_hash(cited_ref.url)}", key=f"cites:{label}", relation="cites", reference=label)
            if a is None:
                continue
            for ev in a.evidence:
                ev_pmid = normalize_pmid(ev.pmid)
                if not ev_pmid:
                    continue
                study_node(ev_pmid)
                relation = "supports" if a.verdict in ("supported", "inferred") and ev.direction == "positive" else "considered"
                G.add_edge(
                    f"pubmed:{ev_pmid}",
                    cnode,
                    key=f"{relation}:{clean_text(claim.id)}",
                    relation=relation,
                    verdict=a.verdict,
                    level=ev.level or "unknown",
                    matched_on=ev.matched_on,
                    direction=ev.direction,
                    rationale=ev.rationale,
                )
    return G


_RANK = {name: i for i, name in enumerate(reversed(list(LEVEL_TERMS)))}


def _level_rank(level: str) -> int:
    return _RANK.get(level, -1)


# --------------------------------------------------------------------------- RDF → NetworkX

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


def compact(iri: str) -> str:
    """``ldng:Supported`` for a known namespace, else the IRI itself."""
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(best) and prefix not in ("ldn",):
            best = ns
            name = f"{prefix}:{iri[len(ns):]}"
    return name if best else iri


def local(iri: str) -> str:
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
            literals.setdefault(s, {}).setdefault(local(p), []).append(o.python())
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
            kind = "mesh" if iri.startswith(MESH) else (local(ts[0]).lower() if ts else "resource")
        attrs: dict[str, Any] = {"kind": kind, "iri": iri}
        if ts:
            attrs["types"] = json.dumps(sorted(compact(t) for t in ts))
        for name, values in sorted(literals.get(iri, {}).items()):
            values = sorted(set(values), key=str)
            attrs[name] = values[0] if len(values) == 1 else json.dumps([str(x) for x in values])
        label = next((attrs[local(p)] for p in _LABEL_PROPS if local(p) in attrs and isinstance(attrs[local(p)], str)), None)
        attrs["label"] = clean_text(label or compact(iri))
        G.add_node(iri, **attrs)

    for s, p, o in links:
        if s in skip or o in skip:
            continue
        add_node(s)
        add_node(o)
        rel = compact(p)
        G.add_edge(s, o, key=rel, relation=local(p), predicate=rel)
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
        return clean_text(self.value)
