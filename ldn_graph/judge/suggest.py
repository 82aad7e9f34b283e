"""Suggested sources: the studies of the product and a claim's concept that would back
the claim, or refute it, strongest first.

Pure functions. Candidates are judged with the same rules as cited studies
(:func:`~ldn_graph.judge.study_check.check_study`: product, concept, dose, the deciding
sentence and its direction, design, level); a retracted study, one that does not address
the concept is never suggested (the caller applies the search's filters). Ranking is by
strength of evidence: a known direction before an unknown one (a record with no abstract
never decides a finding), then the level, a controlled design before a pilot, single-arm or
open-label one, the sample size and the year. A study that would overstate the claim if
cited (animal or cell work for a claim about people, a study of another condition, a pilot
behind a definitive claim) is suggested with that caveat, by the overstatement rule cited
studies meet. When the strongest study found no effect or
the opposite, ``evidence_contradicts_claim`` says so; when strong studies disagree,
``conflicting_evidence`` names both. The claim's verdict never changes: suggestions are
advice to the writer, not evidence for the document.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from ldn_graph.judge.claim_fit import overstatement
from ldn_graph.judge.evidence import for_claim
from ldn_graph.judge.findings import (
    is_retracted,
    suggestion_contradicts_finding,
    suggestions_conflict_finding,
)
from ldn_graph.judge.study_check import StudyCheck, check_study
from ldn_graph.judge.topic import Matcher
from ldn_graph.model import Claim, Concept, Finding, Record, Reference, Study, Suggestion
from ldn_graph.ontology.levels import LevelRules
from ldn_graph.terms import Direction, EvidenceLevel, ReferenceKind

__all__ = ["STRONG_FROM", "Candidate", "concept_candidates", "suggest_for_claim"]

#: Studies at least this strong are "strong" when found studies disagree.
STRONG_FROM = EvidenceLevel.CLINICAL_TRIAL

Candidate = tuple[StudyCheck, Record]


def _as_reference(pmid: str) -> Reference:
    return Reference(label=f"pmid:{pmid}", kind=ReferenceKind.PUBMED, text=f"PMID {pmid}", start=0, end=0,
                     pmid=pmid, in_list=False, source="search")


def concept_candidates(concept: Concept, records: Iterable[Record], matcher: Matcher,
                       rules: LevelRules) -> list[Candidate]:
    """The records that address ``concept`` (and the product) and are not retracted, each
    with its check; once per concept, whatever its claims."""
    out: list[Candidate] = []
    for record in records:
        study = record.study
        if is_retracted(study):
            continue
        check = check_study(concept, _as_reference(study.pmid), record, matcher, rules)
        if check.addresses and check.evidence is not None:
            out.append((check, record))
    return out


def _suggestion(check: StudyCheck, study: Study, claim: Claim) -> Suggestion:
    ev = check.evidence
    assert ev is not None
    over = overstatement(claim.text, claim.hedged, ev.level, ev.uncontrolled, check.other_condition)
    return Suggestion(
        pmid=study.pmid, title=study.title, year=study.year, level=ev.level, direction=Direction(ev.direction),
        n=ev.sample_size, rationale=ev.rationale, rationale_field=ev.rationale_field,
        rationale_start=ev.rationale_start, rationale_end=ev.rationale_end, uncontrolled=ev.uncontrolled,
        caveat=over.why if over is not None else None,
    )


def _strength(s: Suggestion, rules: LevelRules) -> tuple[int, int, int, int, int, int]:
    """Sort key, strongest first."""
    return (s.direction == Direction.UNKNOWN, -rules.rank(s.level), s.uncontrolled, -(s.n or 0), -(s.year or 0),
            int(s.pmid))


def suggest_for_claim(claim: Claim, candidates: Sequence[Candidate], rules: LevelRules, limit: int,
                      cited: Collection[str] = ()) -> tuple[tuple[Suggestion, ...], list[Finding]]:
    """Up to ``limit`` suggested sources for ``claim``, strongest first (studies it
    already cites, ``cited``, left out), and the findings the strongest ones raise."""
    found = sorted((_suggestion(for_claim(check, claim), record.study, claim) for check, record in candidates
                    if record.study.pmid not in cited), key=lambda s: _strength(s, rules))
    findings: list[Finding] = []
    known = [s for s in found if s.direction != Direction.UNKNOWN]
    if known and known[0].direction.contradicts:
        findings.append(suggestion_contradicts_finding(claim, known[0]))
    strong = [s for s in known if rules.rank(s.level) >= rules.rank(STRONG_FROM) and not s.uncontrolled]
    backs = next((s for s in strong if s.direction == Direction.POSITIVE), None)
    against = next((s for s in strong if s.direction.contradicts), None)
    if backs is not None and against is not None:
        findings.append(suggestions_conflict_finding(claim, backs, against))
    return tuple(found[:limit]), findings
