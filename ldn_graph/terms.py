"""The closed sets of names of the domain: every verdict, finding kind, severity, evidence
level, claim type and record origin is defined here once.

Each member's value is the string of the JSON report (and of ``skos:notation`` in
``ontology/ldn-graph.ttl``); ``ontology_name`` is the local name of its individual in the
ldng namespace. CLI choices, report orders, the SVG legend, SPARQL ``VALUES`` and the RDF
term maps are generated from these enums; a test checks that the ontology names the same
members. Declaration order is the canonical order (the JSON summary's); readable reports
derive their own orders from these members (``report/rows.py``).
"""

from __future__ import annotations

from enum import StrEnum


def _camel(value: str) -> str:
    return "".join(part.capitalize() for part in value.split("_"))


class Verdict(StrEnum):
    """Whether a claim's sources support it (strongest first)."""

    SUPPORTED = "supported"
    CONTRADICTED = "contradicted"
    OFF_TOPIC = "off_topic"
    UNVERIFIED = "unverified"
    INFERRED = "inferred"
    UNSUPPORTED = "unsupported"

    @property
    def ontology_name(self) -> str:
        return _camel(self.value)

    @property
    def backed(self) -> bool:
        """A cited or listed study addresses the claim (the graph gets ``mp:supports``)."""
        return self in (Verdict.SUPPORTED, Verdict.INFERRED)


#: Verdicts a ``--fail-on`` gate can name: the ones that mean the claim is not backed.
GATE_VERDICTS = (Verdict.UNSUPPORTED, Verdict.CONTRADICTED, Verdict.OFF_TOPIC, Verdict.UNVERIFIED)
#: Verdicts whose claims get suggested sources (``suggest``, ``audit --suggest``); an
#: overstated claim gets them too, whatever its verdict.
SUGGEST_VERDICTS = frozenset({Verdict.UNSUPPORTED, Verdict.OFF_TOPIC, Verdict.CONTRADICTED})


class Severity(StrEnum):
    """How much a finding matters (most severe first)."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def ontology_name(self) -> str:
        return _camel(self.value)


class FindingKind(StrEnum):
    """What a finding is about; each kind has one severity."""

    UNSUPPORTED_CLAIM = "unsupported_claim"
    OFF_TOPIC_CITATION = "off_topic_citation"
    RETRACTED_SOURCE = "retracted_source"
    NULL_OR_NEGATIVE_RESULT = "null_or_negative_result"
    WEAK_EVIDENCE = "weak_evidence"
    CORRECTED_SOURCE = "corrected_source"
    REFERENCE_MISMATCH = "reference_mismatch"
    UNRESOLVED_REFERENCE = "unresolved_reference"
    UNVERIFIED_CLAIM = "unverified_claim"
    NON_PUBMED_SOURCE = "non_pubmed_source"
    DANGLING_CITATION = "dangling_citation"
    DUPLICATE_REFERENCE = "duplicate_reference"
    UNCITED_REFERENCE = "uncited_reference"
    CONTRADICTED_CLAIM = "contradicted_claim"
    CONFLICTING_EVIDENCE = "conflicting_evidence"
    OVERSTATED_CLAIM = "overstated_claim"
    NUMBER_MISMATCH = "number_mismatch"
    EVIDENCE_CONTRADICTS_CLAIM = "evidence_contradicts_claim"

    @property
    def severity(self) -> Severity:
        """The kind's usual severity."""
        return _FINDING_SEVERITY[self]

    @property
    def severities(self) -> tuple[Severity, ...]:
        """Every severity a finding of this kind may have (its usual one first)."""
        raised = _RAISED_SEVERITY.get(self)
        return (self.severity, raised) if raised else (self.severity,)


_FINDING_SEVERITY: dict[FindingKind, Severity] = {
    FindingKind.UNSUPPORTED_CLAIM: Severity.ERROR,
    FindingKind.OFF_TOPIC_CITATION: Severity.ERROR,
    FindingKind.RETRACTED_SOURCE: Severity.ERROR,
    FindingKind.NULL_OR_NEGATIVE_RESULT: Severity.WARNING,
    FindingKind.WEAK_EVIDENCE: Severity.WARNING,
    FindingKind.CORRECTED_SOURCE: Severity.WARNING,
    FindingKind.REFERENCE_MISMATCH: Severity.WARNING,
    FindingKind.UNRESOLVED_REFERENCE: Severity.WARNING,
    FindingKind.UNVERIFIED_CLAIM: Severity.WARNING,
    FindingKind.NON_PUBMED_SOURCE: Severity.INFO,
    FindingKind.DANGLING_CITATION: Severity.ERROR,
    FindingKind.DUPLICATE_REFERENCE: Severity.WARNING,
    FindingKind.UNCITED_REFERENCE: Severity.INFO,
    FindingKind.CONTRADICTED_CLAIM: Severity.ERROR,
    FindingKind.CONFLICTING_EVIDENCE: Severity.WARNING,
    FindingKind.OVERSTATED_CLAIM: Severity.WARNING,
    FindingKind.NUMBER_MISMATCH: Severity.WARNING,
    FindingKind.EVIDENCE_CONTRADICTS_CLAIM: Severity.ERROR,
}

#: Kinds that may be raised above their usual severity: an overstated claim is an error
#: when "cures" or "proven" rests on preclinical work or opinion.
_RAISED_SEVERITY: dict[FindingKind, Severity] = {FindingKind.OVERSTATED_CLAIM: Severity.ERROR}


class EvidenceLevel(StrEnum):
    """The design of a study as far as its record tells (strongest first).

    ``rank`` is the default strength (higher is stronger); ``ontology/evidence-levels.ttl``
    states the same ranks (a test checks) and a user's level file may re-rank them.
    """

    SYSTEMATIC_REVIEW = "systematic_review"
    RCT = "rct"
    CLINICAL_TRIAL = "clinical_trial"
    OBSERVATIONAL = "observational"
    CASE_REPORT = "case_report"
    REVIEW = "review"
    OPINION = "opinion"
    PRECLINICAL = "preclinical"
    UNKNOWN = "unknown"

    @property
    def ontology_name(self) -> str:
        return "RCT" if self is EvidenceLevel.RCT else _camel(self.value)

    @property
    def rank(self) -> int:
        members = list(EvidenceLevel)
        return len(members) - members.index(self)


#: Levels whose best support earns a ``weak_evidence`` finding.
WEAK_LEVELS = frozenset({EvidenceLevel.OPINION, EvidenceLevel.REVIEW, EvidenceLevel.PRECLINICAL})


class ClaimType(StrEnum):
    """What kind of statement a claim is."""

    MECHANISM = "mechanism"
    INDICATION = "indication"
    BENEFIT = "benefit"
    SAFETY = "safety"
    DOSING = "dosing"
    CONTRAINDICATION = "contraindication"

    @property
    def ontology_name(self) -> str:
        return _camel(self.value)


class Origin(StrEnum):
    """Where a cached PubMed record came from."""

    ENTREZ = "entrez"
    IMPORTED = "imported"
    TRANSCRIBED = "transcribed"


class Direction(StrEnum):
    """Which way a study's result goes for the claim it is linked to: the claim's way, no
    effect, the other way, or not known (a record with no abstract)."""

    POSITIVE = "positive"
    NULL = "null"
    NEGATIVE = "negative"
    UNKNOWN = "unknown"

    @property
    def contradicts(self) -> bool:
        return self in (Direction.NULL, Direction.NEGATIVE)


class Stage(StrEnum):
    """The stages of long work a progress callback hears about."""

    READ = "read"
    FETCH = "fetch"
    ASSESS = "assess"
    IMPORT = "import"
    BUILD = "build"
    EXPAND = "expand"


class SegmentRole(StrEnum):
    """What a segment of a document is, as its author laid it out.

    Only sentences, list items and question headings can carry claims
    (:data:`CLAIM_ROLES`; a heading carries one only when it is a question).
    """

    SENTENCE = "sentence"
    LIST_ITEM = "list item"
    HEADING = "heading"
    REFERENCE_ENTRY = "reference entry"
    LINK_TEXT = "link text"  # a segment that is (almost) all the text of links
    CAPTION = "caption"  # a figure or table caption
    METADATA = "metadata"  # keywords, bylines, dates, subject lines
    NAVIGATION = "navigation"  # menus, breadcrumbs, "back to top", share buttons
    DISCLAIMER = "disclaimer"  # legal and "not medical advice" text


#: Prose: the roles of blocks cut into sentences (:func:`ldn_graph.read.layout.segment`).
PROSE_ROLES = frozenset({SegmentRole.SENTENCE, SegmentRole.LIST_ITEM})
CLAIM_ROLES = PROSE_ROLES | {SegmentRole.HEADING}


class ReferenceKind(StrEnum):
    """What a reference of a document points at."""

    PUBMED = "pubmed"  # a PubMed record (PMID known or resolved)
    DOI = "doi"  # a DOI without a PMID
    PMC = "pmc"  # a PubMed Central article (PMCID or PMC link) without a PMID
    WEB = "web"  # a web page (not in PubMed)
    UNRESOLVED = "unresolved"  # citation text with no identifier


class RecordField(StrEnum):
    """The part of a PubMed record that matched a claim's concept (strongest first)."""

    MESH = "mesh"
    TITLE = "title"
    ABSTRACT = "abstract"
    KEYWORD = "keyword"


class ResolutionStatus(StrEnum):
    """What became of a reference-list entry without a PMID when it was resolved."""

    RESOLVED = "resolved"
    UNRESOLVED = "unresolved"
    AMBIGUOUS = "ambiguous"
    REJECTED = "rejected"
    UNVERIFIED = "unverified"
