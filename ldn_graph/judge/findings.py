"""Findings: what the judge reports about claims and references besides their verdicts.

Pure functions over model objects. Each finding's severity is its kind's
(:attr:`~ldn_graph.terms.FindingKind.severity`). Claim findings follow from a verdict or
from the evidence behind it; reference findings compare the document's citation with the
PubMed record it names (retraction, corrections, author/year/title/journal mismatches).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from difflib import SequenceMatcher

from ldn_graph.model import (
    Assessment,
    Claim,
    Evidence,
    Finding,
    Marker,
    Record,
    Reference,
    Study,
    Suggestion,
)
from ldn_graph.ontology.levels import LevelRules
from ldn_graph.terms import (
    WEAK_LEVELS,
    ClaimType,
    Direction,
    EvidenceLevel,
    FindingKind,
    ReferenceKind,
    Verdict,
)
from ldn_graph.text import fold

RETRACTED_PUBLICATION_UI = "D016441"
#: Claim types whose support is weak when it is only opinion, review or preclinical.
EFFICACY_TYPES = frozenset({ClaimType.MECHANISM, ClaimType.INDICATION, ClaimType.BENEFIT})


def describe(ref: Reference) -> str:
    """How a message names a reference: ``[3] (PMID 123)`` for a list entry, else its label."""
    if ref.in_list:
        return f"[{ref.label}]" + (f" (PMID {ref.pmid})" if ref.pmid else "")
    return ref.label


# --------------------------------------------------------------------------- claim findings


def off_topic_finding(claim: Claim, ref: Reference) -> Finding:
    return Finding.of(
        FindingKind.OFF_TOPIC_CITATION,
        f"{describe(ref)} is cited for {claim.concept.label} but does not address it",
        claim.id,
        ref.label,
    )


def null_result_finding(claim: Claim, ref: Reference) -> Finding:
    return Finding.of(
        FindingKind.NULL_OR_NEGATIVE_RESULT,
        f"{describe(ref)} addresses {claim.concept.label} but its conclusion reports no effect "
        "or a negative result; not counted as support",
        claim.id,
        ref.label,
    )


def _quote(ev: Evidence) -> str:
    return f"PMID {ev.pmid}: “{ev.rationale}”"


def is_retracted(study: Study) -> bool:
    """Whether PubMed marks the record retracted (publication type or a retraction notice)."""
    return any(pt.ui == RETRACTED_PUBLICATION_UI for pt in study.publication_types) or any(
        cc.ref_type == "RetractionIn" for cc in study.comments_corrections)


def _suggested(s: Suggestion) -> str:
    return f"PMID {s.pmid} ({s.level or 'unknown level'}{f', n={s.n}' if s.n else ''})"


def suggestion_contradicts_finding(claim: Claim, strongest: Suggestion) -> Finding:
    """The strongest study PubMed has for an unsupported claim finds no effect, or the
    opposite: citing the literature would not back the claim."""
    what = "found no effect" if strongest.direction == Direction.NULL else "found the opposite"
    return Finding.of(
        FindingKind.EVIDENCE_CONTRADICTS_CLAIM,
        f"{claim.concept.label}: the strongest study found for it, {_suggested(strongest)}, {what} — "
        f"“{strongest.rationale}”", claim.id)


def suggestions_conflict_finding(claim: Claim, support: Suggestion, against: Suggestion) -> Finding:
    """Strong studies found for a claim disagree: one backs it, another does not."""
    return Finding.of(
        FindingKind.CONFLICTING_EVIDENCE,
        f"{claim.concept.label}: studies found for it disagree: {_suggested(support)} supports it, "
        f"{_suggested(against)} does not — “{against.rationale}”", claim.id)


def contradicted_finding(claim: Claim, ref: Reference, ev: Evidence) -> Finding:
    """A cited study addresses the claim and its result is null or goes the other way."""
    what = "found no effect" if ev.direction == Direction.NULL else "found the opposite"
    return Finding.of(
        FindingKind.CONTRADICTED_CLAIM, f"{claim.concept.label}: {describe(ref)} {what} — {_quote(ev)}",
        claim.id, ref.label,
    )


def conflicting_finding(claim: Claim, support: Reference, against: Reference, ev: Evidence) -> Finding:
    """One cited study supports the claim and another contradicts it."""
    return Finding.of(
        FindingKind.CONFLICTING_EVIDENCE,
        f"{claim.concept.label}: {describe(support)} supports it but {describe(against)} does not — {_quote(ev)}",
        claim.id, against.label,
    )


def overstated_finding(claim: Claim, ref: Reference, ev: Evidence, why: str, strong: bool) -> Finding:
    """The claim says more than its best evidence (an error for "cures"/"proven" on
    preclinical work or opinion)."""
    return Finding.of(
        FindingKind.OVERSTATED_CLAIM, f"{claim.concept.label}: {why} — {_quote(ev)}", claim.id, ref.label,
        raised=strong,
    )


def number_finding(claim: Claim, ref: Reference, ev: Evidence, mismatch: str) -> Finding:
    """A number of the claim that the deciding study's abstract does not bear out."""
    return Finding.of(
        FindingKind.NUMBER_MISMATCH, f"{claim.concept.label}: {mismatch} ({describe(ref)}) — {_quote(ev)}",
        claim.id, ref.label,
    )


def verdict_finding(claim: Claim, assessment: Assessment) -> Finding | None:
    """The finding an unsupported or unverified claim earns."""
    if assessment.verdict == Verdict.UNSUPPORTED:
        return Finding.of(
            FindingKind.UNSUPPORTED_CLAIM,
            f"{claim.concept.label} ({claim.type}) has no source: {assessment.reason}",
            claim.id,
        )
    if assessment.verdict == Verdict.UNVERIFIED:
        return Finding.of(FindingKind.UNVERIFIED_CLAIM, f"{claim.concept.label}: {assessment.reason}", claim.id)
    return None


def weak_evidence_finding(claim: Claim, assessment: Assessment, rules: LevelRules) -> Finding | None:
    """A finding when the best support of an efficacy claim is weak (opinion, review,
    preclinical, or an uncontrolled pilot)."""
    if claim.type not in EFFICACY_TYPES or not assessment.evidence:
        return None
    best = max(assessment.evidence, key=lambda e: rules.rank(e.level))
    pilot = best.level in (EvidenceLevel.CLINICAL_TRIAL, EvidenceLevel.UNKNOWN) and best.uncontrolled
    if best.level in WEAK_LEVELS or pilot:
        what = "an uncontrolled pilot" if pilot else best.level
        return Finding.of(
            FindingKind.WEAK_EVIDENCE,
            f"the best support for {claim.concept.label} (PMID {best.pmid}) is {what}: {best.level_reason}",
            claim.id,
            best.reference,
        )
    return None


# --------------------------------------------------------------------------- reference findings


def _quoted_title(text: str) -> str | None:
    m = re.search(r"[“\"](.+?)[”\"]", text)
    return m.group(1).strip() if m else None


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]", "", re.sub(r"\s+", " ", fold(text).lower())).strip()


def reference_mismatches(ref: Reference, study: Study) -> list[str]:
    """Where the document's citation text disagrees with the PubMed record."""
    text = ref.text
    problems: list[str] = []
    body = re.sub(r"https?://\S+", "", text)
    if len(body.strip()) < 15:
        return problems  # a bare URL or PMID has nothing to compare
    first = next((a for a in study.authors if a.last_name or a.collective_name), None)
    lead = re.match(r"\s*([A-Z][^\s,.;]+)", body)
    if (
        first
        and first.last_name
        and lead
        and _norm(lead.group(1)) != _norm(first.last_name)
        and _norm(first.last_name) not in _norm(body[:80])
    ):
        problems.append(f"first author {lead.group(1)!r} vs {first.last_name!r} in PubMed")
    years = re.findall(r"\b(?:19|20)\d\d\b", body)
    if study.year and years and str(study.year) not in years:
        problems.append(f"year {years[0]} vs {study.year} in PubMed")
    title = _quoted_title(body)
    if title and study.title:
        a, b = _norm(title), _norm(study.title)
        ratio = SequenceMatcher(None, a, b).ratio()
        if ratio < 0.75 and not (a and (a in b or b.startswith(a[: max(20, len(a) // 2)]))):
            problems.append(f"title differs from PubMed's ({ratio:.0%} similar)")
    journal = study.journal_abbrev or study.journal
    if journal and title:
        after = body[body.find(title) + len(title) :] if title in body else ""
        jm = re.match(r"[”\"\s]*([A-Z][A-Za-z .&]+?)\.?\s*(?:\d{4}|;)", after)
        cited_journal = _norm(jm.group(1)) if jm else ""
        known = {_norm(study.journal_abbrev or ""), _norm(study.journal or "")}
        if jm and cited_journal not in known and not _norm(journal).startswith(cited_journal[:8]):
            problems.append(f"journal {jm.group(1).strip()!r} vs {journal!r} in PubMed")
    return problems


def reference_findings(references: Sequence[Reference], records: Mapping[str, Record]) -> list[Finding]:
    """Findings about the references themselves: web sources, references without a PMID,
    retracted or corrected records, and citations that disagree with their record."""
    findings: list[Finding] = []
    for ref in references:
        if ref.kind == ReferenceKind.WEB:
            findings.append(
                Finding.of(
                    FindingKind.NON_PUBMED_SOURCE,
                    f"{describe(ref)} is a web source ({ref.url}), not a PubMed study; it is reported but not used as evidence",
                    None,
                    ref.label,
                )
            )
        elif ref.kind in (ReferenceKind.UNRESOLVED, ReferenceKind.DOI, ReferenceKind.PMC):
            what = {ReferenceKind.DOI: "a DOI without a PMID", ReferenceKind.PMC: "a PMCID without a PMID"}.get(
                ref.kind, "no PMID, DOI or URL")
            why = f" ({ref.resolution})" if ref.resolution else ""
            findings.append(
                Finding.of(
                    FindingKind.UNRESOLVED_REFERENCE,
                    f"{describe(ref)} has {what}; it could not be matched to a PubMed record{why}",
                    None,
                    ref.label,
                )
            )
        elif ref.pmid and ref.pmid in records:
            study = records[ref.pmid].study
            if is_retracted(study):
                findings.append(
                    Finding.of(FindingKind.RETRACTED_SOURCE, f"{describe(ref)} has been retracted", None, ref.label)
                )
            corrections = sorted(
                {cc.ref_type for cc in study.comments_corrections if cc.ref_type in ("ErratumIn", "ExpressionOfConcernIn")}
            )
            if corrections:
                findings.append(
                    Finding.of(
                        FindingKind.CORRECTED_SOURCE,
                        f"{describe(ref)} has a published {' and '.join(corrections)}; check the corrected version",
                        None,
                        ref.label,
                    )
                )
            if ref.in_list:
                problems = reference_mismatches(ref, study)
                if problems:
                    findings.append(
                        Finding.of(
                            FindingKind.REFERENCE_MISMATCH,
                            f"{describe(ref)} disagrees with its PubMed record: " + "; ".join(problems),
                            None,
                            ref.label,
                        )
                    )
    return findings


# --------------------------------------------------------------------------- citation findings


def _listed(references: Sequence[Reference]) -> str:
    numbers = sorted(int(r.label) for r in references if r.in_list and r.label.isdigit())
    if not numbers:
        return "the document has no numbered reference list"
    return f"its list has {numbers[0]}–{numbers[-1]}" if len(numbers) > 1 else f"its list has only {numbers[0]}"


def citation_findings(references: Sequence[Reference], markers: Sequence[Marker],
                      claims: Sequence[Claim]) -> list[Finding]:
    """How the text cites its list: a marker that points at no entry (``dangling_citation``,
    with the claim whose sentence carries it), a work the list names twice
    (``duplicate_reference``), and, in a document that cites its list with markers, an
    entry no marker cites (``uncited_reference``; a list without markers is the
    ``inferred`` case, not a fault)."""
    findings: list[Finding] = []
    ordered = sorted(claims, key=lambda c: c.start)
    for marker in markers:
        if not marker.missing:
            continue
        owner = next((c.id for c in ordered if c.start <= marker.start < c.end), None)
        what = ", ".join(marker.missing)
        where = ("no bibliography file given with --references holds it"
                 if all(m.startswith("@") for m in marker.missing) else _listed(references))
        findings.append(Finding.of(
            FindingKind.DANGLING_CITATION,
            f"the marker {marker.text!r} cites {what}, which the document does not list ({where})",
            owner,
        ))
    for ref in references:
        if ref.duplicates:
            others = ", ".join(f"[{label}]" for label in ref.duplicates)
            findings.append(Finding.of(
                FindingKind.DUPLICATE_REFERENCE,
                f"{describe(ref)} and {others} are the same work; the list should name it once",
                None,
                ref.label,
            ))
    cited = {label for m in markers for label in m.labels}
    listed = [r for r in references if r.in_list]
    if any(r.label in cited for r in listed):
        for ref in listed:
            if ref.label not in cited:
                findings.append(Finding.of(
                    FindingKind.UNCITED_REFERENCE,
                    f"{describe(ref)} is in the reference list, but no marker in the text cites it",
                    None,
                    ref.label,
                ))
    return findings
