"""Term factories: the same triples as rdflib nodes or as pyoxigraph terms.

One set of generators (:mod:`ldn_graph.rdf.triples`) writes every triple; a *term
factory* decides whether the terms are rdflib nodes (:class:`RdflibTerms`, for pyshacl
and the rdflib API) or pyoxigraph terms (:class:`OxigraphTerms`, for the embedded store
and the fast serializers). Every literal passes through
:func:`~ldn_graph.text.replace_unsafe` (no C0 controls but tab/newline/CR, no lone
surrogates, no U+FFFE/U+FFFF), so every serialization — Turtle, N-Triples, JSON-LD,
GraphML/XML — can hold it.

The individuals for verdicts, claim types, evidence levels and severities are generated
from :mod:`ldn_graph.terms` (each member's ``ontology_name``).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ldn_graph.rdf.namespaces import (
    BIBO_NS,
    BIRO_NS,
    CITO_NS,
    CITO_REF_TYPES,
    DCTERMS_NS,
    FABIO_NS,
    FOAF_NS,
    MP_NS,
    OA_NS,
    ONTOLOGY,
    OWL_NS,
    PREFIXES,
    PRISM_NS,
    PROV_NS,
    RDF_NS,
    RDFS_NS,
    SKOS_NS,
    XSD_NS,
)
from ldn_graph.terms import ClaimType, EvidenceLevel, Severity, Verdict
from ldn_graph.text import replace_unsafe

if TYPE_CHECKING:
    from rdflib import Graph

Triple = tuple[Any, Any, Any]

_DATETIME_RE = re.compile(r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")


class ConstantTerms:
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
        self.SuggestedSource = iri(ONTOLOGY + "SuggestedSource")
        self.suggestedSupport = iri(ONTOLOGY + "suggestedSupport")
        self.hasSuggestion = iri(ONTOLOGY + "hasSuggestion")
        self.searchQuery = iri(ONTOLOGY + "searchQuery")
        self.suggestionRank = iri(ONTOLOGY + "suggestionRank")
        self.verdicts: dict[str, Any] = {v: iri(ONTOLOGY + v.ontology_name) for v in Verdict}
        self.claim_types: dict[str, Any] = {t: iri(ONTOLOGY + t.ontology_name) for t in ClaimType}
        self.levels: dict[str, Any] = {lv: iri(ONTOLOGY + lv.ontology_name) for lv in EvidenceLevel}
        self.severities: dict[str, Any] = {s: iri(ONTOLOGY + s.ontology_name) for s in Severity}
        # datatypes
        self.xsd_dateTime = iri(XSD_NS + "dateTime")
        self.xsd_gYear = iri(XSD_NS + "gYear")
        self.xsd_anyURI = iri(XSD_NS + "anyURI")


class TermFactory:
    """Makes RDF terms for one backend (rdflib or pyoxigraph): the same triples either way.

    A backend gives its IRI and literal classes; only language tags differ in spelling.
    """

    v: ConstantTerms
    _iri: Any
    _lit: Any
    _lang_keyword = "lang"

    def iri(self, value: str) -> Any:
        return self._iri(value)

    def lit(self, value: str) -> Any:
        """A plain (xsd:string) literal of cleaned text."""
        return self._lit(replace_unsafe(value))

    def typed(self, value: str, datatype: Any) -> Any:
        return self._lit(replace_unsafe(value), datatype=datatype)

    def lang(self, value: str, language: str) -> Any:
        return self._lit(replace_unsafe(value), **{self._lang_keyword: language})

    def boolean(self, value: bool) -> Any:
        return self._lit(bool(value))

    def integer(self, value: int) -> Any:
        return self._lit(int(value))

    def datetime(self, value: str) -> Any:
        """xsd:dateTime in canonical form when the text is one, else a plain literal (never
        a broken typed one)."""
        canonical = canonical_datetime(value or "")
        if canonical is not None:
            return self.typed(canonical, self.v.xsd_dateTime)
        return self.lit(value or "")


class RdflibTerms(TermFactory):
    def __init__(self) -> None:
        from rdflib import Literal, URIRef

        self._iri = URIRef
        self._lit = Literal
        self.v = ConstantTerms(URIRef)


class OxigraphTerms(TermFactory):
    _lang_keyword = "language"

    def __init__(self) -> None:
        from pyoxigraph import Literal, NamedNode

        self._iri = NamedNode
        self._lit = Literal
        self.v = ConstantTerms(NamedNode)


def canonical_datetime(value: str) -> str | None:
    """``2024-05-01T12:00:00+02:00`` → ``2024-05-01T10:00:00Z`` (UTC, the canonical form a
    store such as Oxigraph writes back); None when the text is not an ISO date-time."""
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


def bind_prefixes(graph: Graph) -> Graph:
    """``graph`` with the project's prefixes bound (rdflib)."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph
