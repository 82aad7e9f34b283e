"""The view model every report shares: claim rows, record and coverage summaries, counts,
orders and the short texts more than one format prints.

All renderers read the same AuditResult through these functions, so the formats cannot
disagree; none of them decides a verdict. Every order (verdicts, severities, levels) comes
from :mod:`ldn_graph.terms`.
"""

from __future__ import annotations

import datetime as _dt
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ldn_graph.model import (
    Assessment,
    AuditResult,
    Claim,
    ClaimSuggestions,
    DocumentAudit,
    Evidence,
    Finding,
    Reference,
    Suggestion,
)
from ldn_graph.terms import (
    GATE_VERDICTS,
    Direction,
    EvidenceLevel,
    FindingKind,
    Origin,
    RecordField,
    ReferenceKind,
    Severity,
    Verdict,
)
from ldn_graph.text import drop_c0_controls

#: Verdicts in the order reports list them: good news first (the verdicts whose claim a
#: study backs), problems last, each group in the order of :class:`~ldn_graph.terms.Verdict`.
VERDICT_ORDER: tuple[Verdict, ...] = tuple(sorted(Verdict, key=lambda v: not v.backed))

#: Verdicts worst first: the ones a ``--fail-on`` gate can name, then the backed ones,
#: weakest first (the claim map's per-document counts).
PROBLEMS_FIRST: tuple[Verdict, ...] = (
    *GATE_VERDICTS,
    *(v for v in reversed(VERDICT_ORDER) if v not in GATE_VERDICTS),
)

VERDICT_MEANING: dict[Verdict, str] = {
    Verdict.SUPPORTED: "the sentence cites a study that addresses it",
    Verdict.CONTRADICTED: "a cited study addresses it and found no effect or the opposite",
    Verdict.INFERRED: "no inline citation, but a study in the reference list addresses it",
    Verdict.OFF_TOPIC: "the cited sources do not address it",
    Verdict.UNVERIFIED: "the cited sources could not be checked",
    Verdict.UNSUPPORTED: "no source: nothing cited, nothing in the list addresses it",
}

#: How a record was obtained, as a report says it (keys: the :class:`Origin` members).
ORIGIN_TEXT: dict[str, str] = {
    Origin.ENTREZ: "fetched from PubMed (E-utilities)",
    Origin.IMPORTED: "imported from a PubMed XML file",
    Origin.TRANSCRIBED: "transcribed bibliographic record",
}
_ORIGIN_COUNTED: dict[str, str] = {
    Origin.ENTREZ: "fetched live",
    Origin.IMPORTED: "imported",
    Origin.TRANSCRIBED: "transcribed",
}

#: What a report says of a reference that is not a PubMed record (keys: ``Reference.kind``).
OTHER_SOURCE_TEXT = {
    "doi": "DOI only: no PubMed record found, not checked",
    "pmc": "PMC only: no PubMed record found, not checked",
    "web": "web source: reported, not used as evidence",
    "unresolved": "could not be resolved to a record",
}

#: Findings that restate a claim's verdict; reports show them with the claim, not one by one.
VERDICT_FINDINGS = frozenset({
    FindingKind.UNSUPPORTED_CLAIM, FindingKind.UNVERIFIED_CLAIM, FindingKind.OFF_TOPIC_CITATION,
    FindingKind.CONTRADICTED_CLAIM,
})

_LEVELS: list[str] = list(EvidenceLevel)  # strongest first
_SEVERITY_RANK: dict[str, int] = {s: i for i, s in enumerate(Severity)}  # most severe first


# --------------------------------------------------------------------------- claims


@dataclass(frozen=True)
class ClaimRow:
    """One claim as every report shows it."""

    document: DocumentAudit
    number: int  # 1-based, per document, in document order
    claim: Claim
    assessment: Assessment
    suppressed: str | None  # reviewer's justification when the claim was accepted

    @property
    def verdict(self) -> Verdict:
        return Verdict(self.assessment.verdict)

    @property
    def anchor(self) -> str:
        """An HTML id for the claim's table row: the document's hash (the same claim id
        can be in two documents of one report) and the id (its ':' made '-', which CSS
        selectors need no escape for)."""
        return f"claim-{self.document.document.sha256[:12]}-" + re.sub(r"[^A-Za-z0-9_-]", "-", self.claim.id)


def claim_rows(doc: DocumentAudit) -> Iterator[ClaimRow]:
    for n, claim in enumerate(doc.claims, 1):
        yield ClaimRow(doc, n, claim, doc.assessment(claim.id), doc.suppression(claim.id))


def _level_rank(level: str | None) -> int:
    try:
        return _LEVELS.index(level or EvidenceLevel.UNKNOWN)
    except ValueError:
        return len(_LEVELS)


#: What a report adds after a study whose result does not simply go the claim's way.
DIRECTION_NOTE = {
    Direction.NULL: " [no effect reported]",
    Direction.NEGATIVE: " [result against the claim]",
    Direction.UNKNOWN: " [direction unknown: no abstract]",
}


def sorted_evidence(assessment: Assessment) -> list[Evidence]:
    """Positive evidence first, then by strength of design."""
    return sorted(
        assessment.evidence,
        key=lambda e: (Direction(e.direction).contradicts, _level_rank(e.level)),
    )


def best_evidence(assessment: Assessment) -> Evidence | None:
    ordered = sorted_evidence(assessment)
    return ordered[0] if ordered else None


def evidence_text(assessment: Assessment) -> str:
    """``PMID 23359310 (rct, title) +1 more`` or ``—``."""
    best = best_evidence(assessment)
    if best is None:
        return "—"
    text = f"PMID {best.pmid} ({best.level or EvidenceLevel.UNKNOWN}, {best.matched_on})"
    text += DIRECTION_NOTE.get(Direction(best.direction), "")
    more = len(assessment.evidence) - 1
    return text + (f" +{more} more" if more else "")


def finding_order(findings: tuple[Finding, ...]) -> list[Finding]:
    """Unsuppressed first, then by severity (error, warning, info), keeping document order."""
    return sorted(
        findings,
        key=lambda f: (f.suppressed is not None, _SEVERITY_RANK.get(f.severity, len(_SEVERITY_RANK))),
    )


# --------------------------------------------------------------------------- suggested sources

#: What a report says of a suggested study whose result does not go the claim's way.
SUGGESTION_DIRECTION = {
    Direction.POSITIVE: "backs the claim",
    Direction.NULL: "found no effect",
    Direction.NEGATIVE: "found the opposite",
    Direction.UNKNOWN: "direction unknown (no abstract)",
}


def suggestion_facts(s: Suggestion) -> str:
    """``rct, n=120, 2021``."""
    facts = [str(s.level or EvidenceLevel.UNKNOWN)]
    if s.uncontrolled:
        facts.append("uncontrolled")
    if s.n:
        facts.append(f"n={s.n}")
    if s.year:
        facts.append(str(s.year))
    return ", ".join(facts)


def suggestion_text(s: Suggestion) -> str:
    """``PMID 900000301 (rct, n=120, 2021): backs the claim`` (and its caveat)."""
    text = f"PMID {s.pmid} ({suggestion_facts(s)}): {SUGGESTION_DIRECTION[Direction(s.direction)]}"
    return text + (f"; caveat: {s.caveat}" if s.caveat else "")


def suggestion_rows(doc: DocumentAudit) -> list[tuple[ClaimRow, ClaimSuggestions]]:
    """The claims that were given suggested sources (or a search that found none), in
    document order."""
    return [(row, found) for row in claim_rows(doc) if (found := doc.suggested(row.claim.id)) is not None]


def matching_text(found: ClaimSuggestions) -> str:
    """``12 matching studies``, and why nothing is suggested when nothing is."""
    text = f"{found.considered} matching stud{'y' if found.considered == 1 else 'ies'}"
    return text + (f"; {found.note}" if found.note else "")


def searched_text(found: ClaimSuggestions) -> str:
    """``query: <query> (12 matching studies)``."""
    return f"query: {found.query} ({matching_text(found)})"


def suggestion_quote(s: Suggestion) -> str | None:
    """The deciding sentence of a suggested study, or None when it is only the title."""
    return s.rationale if s.rationale_field != RecordField.TITLE and s.rationale else None


# --------------------------------------------------------------------------- records


def _parse_time(value: str | None) -> _dt.datetime | None:
    if not value:
        return None
    try:
        when = _dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=_dt.UTC)


def age_days(retrieved_at: str | None, now: str | None) -> int | None:
    """Whole days from ``retrieved_at`` to ``now`` (the run's time); never negative."""
    start, end = _parse_time(retrieved_at), _parse_time(now)
    if start is None or end is None:
        return None
    return max(0, (end - start).days)


@dataclass(frozen=True)
class RecordInfo:
    """What a report says about the PubMed record behind a reference."""

    pmid: str
    origin: str | None  # an Origin, or None (not retrieved)
    retrieved_at: str | None
    age_days: int | None
    title_only: bool  # no abstract, MeSH headings or publication types to check against
    unavailable: str | None  # why it could not be retrieved
    title: str | None = None
    title_markup: str | None = None
    citation: str | None = None  # "Younger J et al. Arthritis Rheum 2013"

    @property
    def checked(self) -> bool:
        return self.origin is not None

    @property
    def summary(self) -> str:
        """``transcribed bibliographic record, title only; retrieved 2026-11-22 (3 days old)``."""
        if not self.checked:
            return f"not retrieved: {self.unavailable or 'unknown reason'}"
        text = ORIGIN_TEXT.get(self.origin or "", self.origin or "")
        if self.title_only:
            text += ", title only (no abstract, MeSH or publication types)"
        if self.retrieved_at:
            text += f"; retrieved {self.retrieved_at[:10]}"
        if self.age_days is not None:
            text += f" ({days_old(self.age_days)})"
        return text


def record_info(result: AuditResult, pmid: str) -> RecordInfo:
    record = result.records.get(pmid)
    if record is None:
        return RecordInfo(pmid, None, None, None, False, result.unavailable.get(pmid))
    study = record.study
    title_only = not study.abstract and not study.mesh and not study.publication_types
    first = study.authors[0].display if study.authors else None
    who = (first + (" et al." if len(study.authors) > 1 else "")) if first else None
    where = " ".join(p for p in (study.journal_abbrev or study.journal, str(study.year) if study.year else None) if p)
    return RecordInfo(
        pmid=pmid,
        origin=record.provenance.origin,
        retrieved_at=record.provenance.retrieved_at,
        age_days=age_days(record.provenance.retrieved_at, result.run.generated_at),
        title_only=title_only,
        unavailable=None,
        title=study.title or None,
        title_markup=study.title_markup,
        citation=" · ".join(p for p in (who, where) if p) or None,
    )


#: Where a reference came from, for a reader (keys: ``Reference.source``; any other
#: source is a bibliography file's name).
SOURCE_TEXT = {
    "list": "the document's reference list",
    "text": "named in the text",
    "zotero": "a Zotero citation field",
    "mendeley": "a Mendeley citation field",
    "endnote": "an EndNote citation field",
}


def reference_source(r: Reference) -> str:
    """Where the reference came from: "from a Zotero citation field", "from refs.bib" …"""
    return "from " + SOURCE_TEXT.get(r.source, f"the bibliography file {r.source}")


def reference_status(result: AuditResult, r: Reference) -> str:
    """What was checked for a reference: its record's summary, or why it was not checked;
    and where it came from, when that is not the document's own list."""
    if r.kind == ReferenceKind.PUBMED and r.pmid:
        status = f"PMID {r.pmid}: " + record_info(result, r.pmid).summary
    else:
        status = OTHER_SOURCE_TEXT.get(r.kind, f"{r.kind}: not checked")
    return status if r.source == "list" else f"{status} ({reference_source(r)})"


@dataclass(frozen=True)
class Coverage:
    """How much was actually checked: the cited PubMed records and where they came from."""

    pubmed: int  # distinct PMIDs cited by the documents
    by_origin: dict[str, int]
    title_only: int
    not_retrieved: int
    other_sources: int  # DOIs, websites, labels: reported, not checked
    oldest_days: int | None

    def sentence(self) -> str:
        if not self.pubmed:
            text = "The documents cite no PubMed study"
        else:
            got = self.pubmed - self.not_retrieved
            text = f"{got} of {self.pubmed} cited PubMed record(s) checked"
            parts = [f"{n} {_ORIGIN_COUNTED.get(o, o)}" for o, n in sorted(self.by_origin.items()) if n]
            if parts:
                text += " (" + ", ".join(parts) + ")"
            if self.title_only:
                text += f"; {self.title_only} of them title only, so claims were matched against titles alone"
            if self.not_retrieved:
                text += f"; {self.not_retrieved} could not be retrieved"
            if self.oldest_days is not None:
                text += f"; oldest record {self.oldest_days} day(s) old"
        if self.other_sources:
            text += f". {self.other_sources} other source(s) (DOI, web, unresolved) listed but not checked"
        return text + "."

    def to_dict(self) -> dict[str, Any]:
        return {
            "pubmed_references": self.pubmed,
            "records_by_origin": dict(sorted(self.by_origin.items())),
            "title_only": self.title_only,
            "not_retrieved": self.not_retrieved,
            "other_sources": self.other_sources,
            "oldest_record_days": self.oldest_days,
        }


def _cited_pmids(result: AuditResult) -> list[str]:
    seen: dict[str, None] = {}
    for d in result.documents:
        for r in d.references:
            if r.kind == ReferenceKind.PUBMED and r.pmid:
                seen.setdefault(r.pmid, None)
    return list(seen)


def coverage(result: AuditResult) -> Coverage:
    pmids = _cited_pmids(result)
    infos = [record_info(result, p) for p in pmids]
    by_origin: dict[str, int] = {}
    for info in infos:
        if info.origin:
            by_origin[info.origin] = by_origin.get(info.origin, 0) + 1
    ages = [i.age_days for i in infos if i.age_days is not None]
    other = sum(1 for d in result.documents for r in d.references if r.kind != ReferenceKind.PUBMED and r.in_list)
    return Coverage(
        pubmed=len(pmids),
        by_origin=by_origin,
        title_only=sum(1 for i in infos if i.checked and i.title_only),
        not_retrieved=sum(1 for i in infos if not i.checked),
        other_sources=other,
        oldest_days=max(ages) if ages else None,
    )


# --------------------------------------------------------------------------- counts and headers


def verdict_counts(doc: DocumentAudit) -> dict[Verdict, int]:
    counts = dict.fromkeys(Verdict, 0)
    for a in doc.assessments:
        verdict = Verdict(a.verdict)
        counts[verdict] += 1
    return counts


def counts_text(counts: dict[Verdict, int]) -> str:
    """``5 claims: 1 supported, 0 inferred, …`` in report order."""
    n = sum(counts.get(v, 0) for v in Verdict)
    parts = [f"{counts.get(v, 0)} {v.replace('_', '-')}" for v in VERDICT_ORDER]
    return f"{n} claim{'s' if n != 1 else ''}: " + ", ".join(parts)


def summary_line(result: AuditResult) -> str:
    s = result.summary()
    parts = [f"{s[v]} {v.replace('_', '-')}" for v in VERDICT_ORDER]
    return f"{s['claims']} claims in {len(result.documents)} document(s): " + ", ".join(parts)


def provenance_lines(result: AuditResult) -> list[tuple[str, str]]:
    """(label, value) pairs every report prints in its header."""
    run = result.run
    return [
        ("Tool", f"ldn-graph {run.tool_version}"),
        ("Run at", run.generated_at + (" (offline: cache only)" if run.offline else "")),
        ("Vocabulary", run.vocabulary_source),
        ("Vocabulary sha256", run.vocabulary_sha256),
        ("Records", coverage(result).sentence()),
    ]


def file_name(doc: DocumentAudit) -> str:
    """The document's file name without its folder (either kind of slash)."""
    return doc.document.path.replace("\\", "/").rsplit("/", 1)[-1]


def days_old(days: int) -> str:
    """``1 day old``, ``3 days old``."""
    return f"{days} day{'s' if days != 1 else ''} old"


# --------------------------------------------------------------------------- markup


def esc(text: object) -> str:
    """Text for HTML or SVG element content and quoted attribute values: escaped, without
    the control characters neither may carry."""
    return html.escape(drop_c0_controls(str(text)), quote=True)
