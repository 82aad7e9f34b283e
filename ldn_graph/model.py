"""Plain data objects that flow through the pipeline.

Every object is a frozen dataclass so stages cannot mutate each other's input.
PMIDs are always ``str``. ``to_dict``/``from_dict`` give the JSON form used by the
cache and the ``audit --format json`` contract.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ldn_graph.study import (
    AbstractSection,
    Author,
    Chemical,
    CitedReference,
    CommentCorrection,
    MeshHeading,
    Provenance,
    PublicationType,
    Qualifier,
    Record,
    Study,
)
from ldn_graph.terms import (
    ClaimType,
    Direction,
    EvidenceLevel,
    FindingKind,
    RecordField,
    ReferenceKind,
    SegmentRole,
    Severity,
    Verdict,
)

#: The model's classes; the PubMed record's (:mod:`ldn_graph.study`) are re-exported here,
#: so every stage imports the model from one place.
__all__ = [
    "AbstractSection",
    "Assessment",
    "AuditResult",
    "Author",
    "Chemical",
    "CitedReference",
    "CitedWork",
    "Claim",
    "ClaimSuggestions",
    "CommentCorrection",
    "Concept",
    "Document",
    "DocumentAudit",
    "Evidence",
    "FieldCode",
    "Finding",
    "InputProblem",
    "Link",
    "Marker",
    "MeshHeading",
    "Provenance",
    "PublicationType",
    "Qualifier",
    "Record",
    "Reference",
    "RunInfo",
    "Segment",
    "Study",
    "Suggestion",
    "Vocabulary",
]

# --------------------------------------------------------------------------- documents


@dataclass(frozen=True)
class Segment:
    """A sentence, list item, heading … of a document, with offsets into ``Document.text``."""

    start: int
    end: int
    role: SegmentRole
    block: int  # index of the block (paragraph / list item / heading) it sits in
    location: str | None = None  # "page 2", "paragraph 14" for PDF/DOCX, else None
    lead: tuple[int, int] | None = None  # span of the sentence a list item continues
    level: int = 0  # a heading's level (1 = top); 0 for other segments


@dataclass(frozen=True)
class Link:
    """A hyperlink kept from HTML: the anchor's span in the text and its href."""

    start: int
    end: int
    href: str


@dataclass(frozen=True)
class FieldCode:
    """A field of a word-processor file kept by its reader: the span of its result text
    (what the page shows, e.g. "[1]") and its instruction (``ADDIN ZOTERO_ITEM
    CSL_CITATION {…}``), with the field's binary data (EndNote's ``w:fldData``) if any."""

    start: int
    end: int
    instruction: str
    data: bytes | None = None


@dataclass(frozen=True)
class CitedWork:
    """A work as a reference manager's field or a bibliography file describes it
    (``None``/empty: not given). ``key`` is what the document cites it by: a citation key,
    a record number or an item id."""

    source: str  # zotero | mendeley | endnote | the bibliography file's name
    key: str | None = None
    authors: tuple[str, ...] = ()  # "Younger J", first author first
    title: str | None = None
    journal: str | None = None
    year: int | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Document:
    path: str
    sha256: str
    text: str
    segments: tuple[Segment, ...]
    media_type: str = "text/plain"
    links: tuple[Link, ...] = ()
    notes: tuple[str, ...] = ()  # for the report's provenance (e.g. damaged UTF-8 read anyway)
    # spans of the text that are markup or link targets, not words of the copy (a Markdown
    # link's "(https://…)", emphasis marks): kept in ``text`` so offsets stay those of the
    # source, never read as claim words
    hidden: tuple[tuple[int, int], ...] = ()
    fields: tuple[FieldCode, ...] = ()  # word-processor fields (reference-manager citations)


# --------------------------------------------------------------------------- references


@dataclass(frozen=True)
class Reference:
    """One entry of a document's reference list, or a bare PMID/DOI/URL found in the text."""

    label: str  # "1", "2" … for numbered lists; "pmid:123" etc. for bare mentions
    kind: ReferenceKind
    text: str
    start: int
    end: int
    pmid: str | None = None
    doi: str | None = None
    url: str | None = None
    pmcid: str | None = None
    in_list: bool = True  # part of the reference list (vs an identifier in the body)
    resolution: str | None = None  # how a PMID was found for it, or why none was
    # every place the same work is identified, as (identifier key, start, end): the entry's
    # own identifiers, a PubMed link in a sentence, a second entry of the list …
    places: tuple[tuple[str, int, int], ...] = ()
    duplicates: tuple[str, ...] = ()  # labels of further list entries naming the same work
    # where it came from: "list" (its list or notes), "text" (the body), "zotero"/"mendeley"/
    # "endnote" (a Word citation field), or a bibliography file's name (--references)
    source: str = "list"


@dataclass(frozen=True)
class Marker:
    """An inline citation marker (``[1]``, ``[2-4]``, ``¹²``, ``(Younger 2013)``)."""

    start: int
    end: int
    text: str
    labels: tuple[str, ...]  # reference labels it points to (may be empty if unresolved)
    style: str = "bracket"
    missing: tuple[str, ...] = ()  # what it cites that the document does not list ("7" of "[7]")


# --------------------------------------------------------------------------- vocabulary


@dataclass(frozen=True)
class Concept:
    iri: str
    name: str  # local name, used in claim ids
    label: str
    claim_type: ClaimType
    mesh: tuple[str, ...] = ()  # descriptor UIs, e.g. "D005356"
    synonyms: tuple[str, ...] = ()  # altLabel + hiddenLabel, as they appear in copy
    definition: str | None = None
    case_sensitive: tuple[str, ...] = ()  # short abbreviations matched only as written ("MS")
    as_written: tuple[str, ...] = ()  # labels never matched by word family ("opioids", not "opioid")
    shared: tuple[str, ...] = ()  # another concept's labels that name this one too ("microglia")
    less_of: tuple[str, ...] = ()  # labels that name it only where there is less of them ("cut back on NSAIDs")
    cued: tuple[str, ...] = ()  # labels that name it only where the sentence says what happens to them ("lower the levothyroxine")
    product_quality: bool = False  # a quality of the product itself ("well tolerated"), never a hazard's words
    regained: bool = False  # named where someone can do everyday things again ("walking the dog again")
    mild_harms: bool = False  # named where side effects are said to be few, mild or passing ("these usually settle")
    dose_range: tuple[float, float] | None = None  # a stated dose (mg) in this range names the concept
    dose_steps: bool = False  # a schedule's steps ("start at 1.5 mg, then up by 1.5 mg"): a dose there is a step's
    reduced: str | None = None  # IRI of the concept that less of this one is ("less opioid use": opioid-sparing)
    worsened: str | None = None  # IRI of the concept that more of this one is ("an increase in joint pain": a flare)
    signs: tuple[str, ...] = ()  # IRIs of concepts that, in a sentence naming this one, are its signs (no claims)
    broader: tuple[str, ...] = ()  # IRIs of its skos:broader concepts ("Crohn's disease" is an inflammatory disorder)
    # (descriptor UI, SKOS mapping property) for every MeSH descriptor in ``mesh``:
    # exactMatch, closeMatch, broadMatch, narrowMatch or relatedMatch (a search uses them)
    mesh_matches: tuple[tuple[str, str], ...] = ()

    @property
    def terms(self) -> tuple[str, ...]:
        return (self.label, *self.synonyms)


@dataclass(frozen=True)
class Vocabulary:
    source: str  # path or "builtin:<path>"
    sha256: str
    concepts: tuple[Concept, ...]
    subject_label: str  # the product the vocabulary is about (from the vocabulary file)
    subject_terms: tuple[str, ...]
    subject_mesh: tuple[str, ...] = ()
    max_dose_mg: float | None = None  # a study dose above this is not about the product
    mesh_labels: tuple[tuple[str, str], ...] = ()  # (descriptor UI, its MeSH name), as the file gives them

    def mesh_label(self, ui: str) -> str | None:
        """The MeSH name of descriptor ``ui`` as the vocabulary file gives it."""
        return dict(self.mesh_labels).get(ui)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form ``ldn-graph vocab --format json`` prints."""
        return {
            "source": self.source,
            "sha256": self.sha256,
            "product": {
                "label": self.subject_label,
                "terms": list(self.subject_terms),
                "mesh": list(self.subject_mesh),
                "max_dose_mg": self.max_dose_mg,
            },
            "concepts": [
                {"iri": c.iri, "name": c.name, "label": c.label, "type": c.claim_type,
                 "mesh": list(c.mesh), "synonyms": list(c.synonyms)}
                for c in self.concepts
            ],
        }


# --------------------------------------------------------------------------- claims


@dataclass(frozen=True)
class Claim:
    id: str
    document: str  # document path
    text: str  # the sentence or list item
    start: int
    end: int
    concept: Concept
    match_start: int  # the words that named the concept
    match_end: int
    hedged: bool | None = None
    negated: bool | None = None
    cited: tuple[str, ...] = ()  # reference labels cited inline
    dangling: tuple[str, ...] = ()  # its markers that point at no reference ("[7]" with five entries)
    location: str | None = None
    claim_type: ClaimType | None = None  # None: the concept's type
    role: SegmentRole = SegmentRole.SENTENCE  # the segment it sits in: sentence, list item, question heading
    learned: float | None = None  # the sentence model's probability, where the claim is the model's addition

    @property
    def type(self) -> ClaimType:
        return self.claim_type or self.concept.claim_type


# --------------------------------------------------------------------------- evidence


@dataclass(frozen=True)
class Evidence:
    pmid: str
    reference: str | None  # reference label in the document
    matched_on: RecordField  # the part of the record that names the concept
    rationale: str  # the field text / abstract sentence that matched
    rationale_field: RecordField = RecordField.TITLE  # the field the rationale quotes
    rationale_start: int | None = None  # offsets into that field
    rationale_end: int | None = None
    level: EvidenceLevel | None = None
    level_reason: str | None = None
    sample_size: int | None = None
    direction: Direction = Direction.POSITIVE
    uncontrolled: bool = False  # pilot / open-label / single-arm, with no control group named


@dataclass(frozen=True)
class Assessment:
    claim_id: str
    verdict: Verdict
    reason: str
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Finding:
    """A problem found in a document; ``severity`` is one its kind allows
    (``kind.severities``: the kind's usual one, raised for a few kinds; the constructor
    refuses any other)."""

    kind: FindingKind
    severity: Severity
    message: str
    claim: str | None = None
    reference: str | None = None
    suppressed: str | None = None  # justification when a reviewer accepted it

    def __post_init__(self) -> None:
        allowed = FindingKind(self.kind).severities
        if self.severity not in allowed:
            raise ValueError(f"a {self.kind} finding has severity {' or '.join(allowed)}, not {self.severity!r}")

    @classmethod
    def of(cls, kind: FindingKind, message: str, claim: str | None = None, reference: str | None = None,
           *, raised: bool = False) -> Finding:
        """A finding of ``kind`` with the severity of its kind (``raised``: the higher one
        the kind allows)."""
        return cls(kind, kind.severities[-1] if raised else kind.severity, message, claim, reference)


@dataclass(frozen=True)
class Suggestion:
    """A PubMed study that would back a claim, or refute it: advice to the writer, never
    evidence for the document (the claim's verdict does not change)."""

    pmid: str
    title: str
    year: int | None
    level: EvidenceLevel | None
    direction: Direction  # which way its result goes for the claim
    n: int | None  # how many took part, as its abstract says
    rationale: str  # the sentence that decides it (the title when there is no abstract)
    rationale_field: RecordField = RecordField.TITLE
    rationale_start: int | None = None
    rationale_end: int | None = None
    uncontrolled: bool = False
    caveat: str | None = None  # why citing it would overstate the claim (animal work, another condition …)


@dataclass(frozen=True)
class ClaimSuggestions:
    """The suggested sources of one claim, strongest first, and how they were found:
    the PubMed ``query`` (shown to the user) and how many of its hits were judged."""

    claim_id: str
    query: str
    considered: int
    suggestions: tuple[Suggestion, ...] = ()
    note: str | None = None  # why there are none, or what limited the search


@dataclass(frozen=True)
class DocumentAudit:
    document: Document
    references: tuple[Reference, ...]
    markers: tuple[Marker, ...]
    claims: tuple[Claim, ...]
    assessments: tuple[Assessment, ...]
    findings: tuple[Finding, ...]
    suppressed_claims: tuple[tuple[str, str], ...] = ()  # (claim id, justification)
    suggestions: tuple[ClaimSuggestions, ...] = ()  # suggested sources, per claim that needs them

    def suggested(self, claim_id: str) -> ClaimSuggestions | None:
        """The suggested sources of ``claim_id``, when it was given any search."""
        return self._suggested.get(claim_id)

    def suppression(self, claim_id: str) -> str | None:
        """The justification under which ``claim_id`` was accepted, or None."""
        return self._suppressions.get(claim_id)

    def assessment(self, claim_id: str) -> Assessment:
        """The assessment of ``claim_id`` (KeyError when it has none)."""
        return self._assessments[claim_id]

    # Built once, on first use: a report asks once per claim (the first entry of an id wins).
    @cached_property
    def _assessments(self) -> dict[str, Assessment]:
        by_id: dict[str, Assessment] = {}
        for a in self.assessments:
            by_id.setdefault(a.claim_id, a)
        return by_id

    @cached_property
    def _suggested(self) -> dict[str, ClaimSuggestions]:
        return {s.claim_id: s for s in self.suggestions}

    @cached_property
    def _suppressions(self) -> dict[str, str]:
        by_id: dict[str, str] = {}
        for cid, why in self.suppressed_claims:
            by_id.setdefault(cid, why)
        return by_id


@dataclass(frozen=True)
class InputProblem:
    path: str
    message: str


@dataclass(frozen=True)
class RunInfo:
    tool_version: str
    generated_at: str
    vocabulary_source: str
    vocabulary_sha256: str
    offline: bool
    notes: tuple[str, ...] = ()  # e.g. "network unavailable: used the cache only"


@dataclass(frozen=True)
class AuditResult:
    run: RunInfo
    documents: tuple[DocumentAudit, ...]
    errors: tuple[InputProblem, ...]
    records: dict[str, Record] = field(default_factory=dict)  # pmid -> record used
    unavailable: dict[str, str] = field(default_factory=dict)  # pmid -> why not retrieved
    vocabulary: Vocabulary | None = None
    baseline: Any = None  # the comparison with an earlier report (judge.baseline.Baseline), when asked for
    suggested_records: dict[str, Record] = field(default_factory=dict)  # pmid -> record of a suggested source

    def summary(self) -> dict[str, int]:
        counts = {"claims": 0, **{v.value: 0 for v in Verdict}}
        for doc in self.documents:
            for a in doc.assessments:
                counts["claims"] += 1
                counts[a.verdict] += 1
        return counts
