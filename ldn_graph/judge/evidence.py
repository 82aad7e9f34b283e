"""Claim ↔ study links and verdicts.

Pure functions over model objects: no I/O. What each cited study says of a concept is
asked once per (concept, study) (:mod:`ldn_graph.judge.study_check`); here it is turned
for each claim (its words, type, negation, group and time point) and the claim gets its
verdict. Every verdict carries a reason a person can read; the findings it earns come
from :mod:`ldn_graph.judge.findings`, the evidence levels from :mod:`ldn_graph.judge.levels`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from ldn_graph.judge.abstract import claim_groups
from ldn_graph.judge.claim_fit import (
    Overstatement,
    claim_direction,
    condition_not_studied,
    difference_found,
    number_mismatch,
    on_a_par,
    overstatement,
    parity_claimed,
    time_points,
)
from ldn_graph.judge.findings import (
    citation_findings,
    conflicting_finding,
    contradicted_finding,
    describe,
    null_result_finding,
    number_finding,
    off_topic_finding,
    overstated_finding,
    reference_findings,
    verdict_finding,
    weak_evidence_finding,
)
from ldn_graph.judge.polarity import polarity
from ldn_graph.judge.study_check import StudyCheck, check_study, without_product
from ldn_graph.judge.topic import Matcher
from ldn_graph.model import (
    Assessment,
    Claim,
    Concept,
    Evidence,
    Finding,
    Marker,
    Record,
    Reference,
    Vocabulary,
)
from ldn_graph.ontology.levels import LevelRules
from ldn_graph.terms import ClaimType, Direction, ReferenceKind, Verdict


@dataclass
class DocumentContext:
    """What the evidence stage needs to know about one document, and what it has worked
    out once for the whole document: the labels, the records not retrieved, and each
    concept's check of each cited record (claims × references otherwise)."""

    references: Sequence[Reference]
    records: Mapping[str, Record]  # pmid -> record (cache or live)
    unavailable: Mapping[str, str]  # pmid -> why it could not be retrieved
    markers: Sequence[Marker] = ()
    _labels: dict[str, Reference] | None = field(default=None, init=False, repr=False)
    _missing: list[Reference] | None = field(default=None, init=False, repr=False)
    _pubmed_count: int | None = field(default=None, init=False, repr=False)
    _missing_reasons: str | None = field(default=None, init=False, repr=False)
    _checks: dict[tuple[str, str], StudyCheck] = field(default_factory=dict, init=False, repr=False)
    _list_checks: dict[str, list[StudyCheck]] = field(default_factory=dict, init=False, repr=False)

    def by_label(self) -> dict[str, Reference]:
        if self._labels is None:
            self._labels = {r.label: r for r in self.references}
        return self._labels

    def missing(self) -> list[Reference]:
        """Studies that could not be checked, in document order: PubMed references whose
        record could not be retrieved, and works cited by a DOI or PMCID that no PubMed
        record was found for."""
        if self._missing is None:
            self._missing = [
                r for r in self.references
                if (r.kind == ReferenceKind.PUBMED and r.pmid and r.pmid not in self.records)
                or r.kind in (ReferenceKind.DOI, ReferenceKind.PMC)
            ]
        return self._missing

    def missing_reasons(self) -> str:
        """Why the records of :meth:`missing` are not at hand (the first few), for reasons."""
        if self._missing_reasons is None:
            missing = self.missing()
            first = [_unchecked_reason(r, self) or "" for r in missing[:REASON_NAMES]]
            self._missing_reasons = _named(first, len(missing))
        return self._missing_reasons

    def pubmed_count(self) -> int:
        """How many references name a PubMed record."""
        if self._pubmed_count is None:
            self._pubmed_count = sum(1 for r in self.references if r.kind == ReferenceKind.PUBMED)
        return self._pubmed_count

    def check(self, concept: Concept, ref: Reference, matcher: Matcher, rules: LevelRules) -> StudyCheck:
        """:func:`check_study` for a reference whose record is at hand, asked once per
        (concept, study): another reference to the same study gets the same check, named
        after it."""
        assert ref.pmid is not None
        key = (concept.iri, ref.pmid)
        found = self._checks.get(key)
        if found is None:
            found = self._checks[key] = check_study(concept, ref, self.records[ref.pmid], matcher, rules)
        if found.reference is ref:
            return found
        evidence = replace(found.evidence, reference=ref.label) if found.evidence is not None else None
        why = describe(ref) + found.why.removeprefix(describe(found.reference))
        return replace(found, reference=ref, why=why, evidence=evidence)

    def list_checks(self, concept: Concept, matcher: Matcher, rules: LevelRules) -> list[StudyCheck]:
        """The retrieved records of the reference list checked against ``concept``, one
        per PMID (the first entry that cites it), in list order."""
        found = self._list_checks.get(concept.iri)
        if found is None:
            found = []
            pmids: set[str] = set()
            for ref in self.references:
                if ref.kind != ReferenceKind.PUBMED or not ref.pmid or ref.pmid not in self.records:
                    continue
                if ref.pmid not in pmids:
                    pmids.add(ref.pmid)
                    found.append(self.check(concept, ref, matcher, rules))
            self._list_checks[concept.iri] = found
        return found


def _unchecked_reason(ref: Reference, ctx: DocumentContext) -> str | None:
    """Why a reference cannot be checked, or None if its record is at hand."""
    if ref.kind == ReferenceKind.PUBMED and ref.pmid:
        if ref.pmid in ctx.records:
            return None
        return f"{describe(ref)} could not be retrieved ({ctx.unavailable.get(ref.pmid, 'not in the cache')})"
    if ref.kind == ReferenceKind.WEB:
        return f"{describe(ref)} is a web source, not a study"
    if ref.kind in (ReferenceKind.DOI, ReferenceKind.PMC):
        what = "a DOI" if ref.kind == ReferenceKind.DOI else "a PMCID"
        why = ref.resolution.split(": ", 1)[-1] if ref.resolution else "not looked up"
        return f"{describe(ref)} has {what} but no PubMed record was found for it ({why})"
    return f"{describe(ref)} could not be resolved to a PubMed record"


def assess_claim(
    claim: Claim, ctx: DocumentContext, matcher: Matcher, rules: LevelRules
) -> tuple[Assessment, list[Finding]]:
    findings: list[Finding] = []
    labels = ctx.by_label()
    cited = [labels[c] for c in claim.cited if c in labels]
    if cited:
        checks: list[StudyCheck] = []
        unchecked: list[str] = []
        for ref in cited:
            reason = _unchecked_reason(ref, ctx)
            if reason:
                unchecked.append(reason)
                continue
            checks.append(for_claim(ctx.check(claim.concept, ref, matcher, rules), claim, matcher.names_product))
        support = [c for c in checks if c.addresses and not _contradicts(c)]
        against = [c for c in checks if c.addresses and _contradicts(c)]
        if support:
            findings.extend(conflicting_finding(claim, support[0].reference, c.reference, _ev(c)) for c in against)
            reason = "cited " + _named([c.why + _direction_note(c) for c in support])
            over = _overstatement(claim, support[0], ctx, matcher, rules)  # against the best evidence
            if over is not None:
                findings.append(overstated_finding(claim, support[0].reference, _ev(support[0]), over.why, over.strong))
                reason += f"; overstated: {over.why}"
            findings.extend(number_findings(claim, support))
            if against:
                reason += "; but " + _named([_against(c) for c in against])
            return _assessment(claim, Verdict.SUPPORTED, reason, [*support, *against]), findings
        if against:
            findings.extend(contradicted_finding(claim, c.reference, _ev(c)) for c in against)
            findings.extend(number_findings(claim, against))
            reason = "no cited study supports it, and " + _named([_against(c) for c in against])
            return _assessment(claim, Verdict.CONTRADICTED, reason, against), findings
        if unchecked:
            reason = "cites sources that could not be checked: " + _named(unchecked)
            return Assessment(claim.id, Verdict.UNVERIFIED, reason), findings
        reason = "cited sources do not address it: " + _named([c.why for c in checks])
        cited_labels = {r.label for r in cited}
        other = next(
            (c for c in ctx.list_checks(claim.concept, matcher, rules) if c.addresses and c.reference.label not in cited_labels),
            None,
        )
        if other is not None:
            reason += f" (but {other.why.split(' — ')[0]} in the reference list does)"
        findings.extend(off_topic_finding(claim, c.reference) for c in checks)
        return Assessment(claim.id, Verdict.OFF_TOPIC, reason), findings
    if claim.dangling:
        # a marker the list cannot answer: the claim's own source is missing, and the
        # rest of the list is not read as if it had cited nothing
        reason = (f"it cites {', '.join(claim.dangling)}, which points at no entry of the reference list "
                  "(a citation to nothing)")
        return Assessment(claim.id, Verdict.UNSUPPORTED, reason), findings
    # nothing cited inline: look through the document's reference list
    checks = [for_claim(c, claim, matcher.names_product) for c in ctx.list_checks(claim.concept, matcher, rules)]
    support = [c for c in checks if c.addresses and not _contradicts(c)]
    findings.extend(_null_findings(claim, checks))
    if support:
        where = "the reference list has" if all(c.reference.in_list for c in support) else "the document cites"
        reason = f"no inline citation; {where} " + _named([c.why + _direction_note(c) for c in support])
        return _assessment(claim, Verdict.INFERRED, reason, support), findings
    missing = ctx.missing()
    if missing:
        reason = "no inline citation, nothing retrieved addresses it, and " + ctx.missing_reasons()
        return Assessment(claim.id, Verdict.UNVERIFIED, reason), findings
    studies = ctx.pubmed_count()
    if studies:
        reason = f"no inline citation, and none of the {studies} PubMed reference(s) in the list addresses {claim.concept.label}"
    else:
        reason = "no inline citation and the document cites no PubMed study"
    return Assessment(claim.id, Verdict.UNSUPPORTED, reason), findings


#: How many references a verdict's reason names; the rest are counted ("and 12 more"), so
#: a report grows with claims + references, not claims × references.
REASON_NAMES = 5


def _named(parts: Sequence[str], total: int | None = None) -> str:
    """The first :data:`REASON_NAMES` parts joined by "; ", then "and N more" for the rest
    (``total``: how many there are, when ``parts`` holds only the first few)."""
    more = (len(parts) if total is None else total) - REASON_NAMES
    return "; ".join(parts[:REASON_NAMES]) + (f"; and {more} more" if more > 0 else "")


def _null_findings(claim: Claim, checks: Iterable[StudyCheck]) -> list[Finding]:
    return [null_result_finding(claim, c.reference) for c in checks if c.addresses and _contradicts(c)]


def _ev(check: StudyCheck) -> Evidence:
    assert check.evidence is not None
    return check.evidence


def _contradicts(check: StudyCheck) -> bool:
    return check.evidence is not None and Direction(check.evidence.direction).contradicts


def for_claim(check: StudyCheck, claim: Claim,
              names_product: Callable[[str], bool] | None = None) -> StudyCheck:
    """``check`` (a study's own direction for a concept) as it bears on ``claim``: the
    sentence about the claim's group when the abstract reports groups apart, a movement
    the claim's words go against, a claim of doing better (or as well) against a finding
    on a par (or apart), and the claim's type and negation (:func:`claim_direction`).
    Given ``names_product``, a claim about the product's loss ("knocking out X raises Y")
    is read against the study's loss like with like."""
    evidence = check.evidence
    if evidence is None:
        return check
    groups = claim_groups(claim.text) & check.by_group.keys()
    if len(groups) == 1:  # a claim about women, decided by what the abstract says of women
        text, start, end, found, turn = check.by_group[next(iter(groups))]
        evidence = replace(evidence, rationale=text, rationale_start=start, rationale_end=end, direction=found)
        check = replace(check, polarity=turn, evidence=evidence)
    when = time_points(claim.text)
    at_time = [t for t in check.timed if len(when) == 1 and abs(t[0] - next(iter(when))) <= 0.1 * t[0]]
    if at_time:  # "… one week after surgery", decided by what the abstract says at 1 week
        _days, text, start, end, found, turn = at_time[0]
        evidence = replace(evidence, rationale=text, rationale_start=start, rationale_end=end, direction=found)
        check = replace(check, polarity=turn, evidence=evidence)
    direction = Direction(evidence.direction)
    at = claim.match_start - claim.start
    said = polarity(claim.text[max(0, at - 40) : claim.match_end - claim.start]) or polarity(
        re.split(r"\b(?:than|compared|versus|vs)\b", claim.text[claim.match_end - claim.start :])[0][:40])
    if names_product is not None and without_product(claim.text, names_product):
        # "knocking out HUSH loads … with more H3K9me3": what the product's loss does, the
        # product does the other way (as the study's own sentence is read)
        said = -said
        if check.polarity == 0 and without_product(evidence.rationale, names_product) and direction in (
                Direction.POSITIVE, Direction.NEGATIVE):
            # the study's loss was turned into the product's; the claim's loss turns it back
            direction = Direction.NEGATIVE if direction == Direction.POSITIVE else Direction.POSITIVE
    against = said * check.polarity < 0  # the claim says it goes down, the study that it went up (or back)
    harm = claim.type in (ClaimType.SAFETY, ClaimType.CONTRAINDICATION)
    if direction == Direction.POSITIVE and against and not harm:
        direction = Direction.NEGATIVE
    elif direction == Direction.POSITIVE and on_a_par(claim.text, evidence.rationale):
        direction = Direction.NULL  # "better than open surgery" against "comparable to open surgery"
    elif parity_claimed(claim.text):  # "the same chance as younger women": no difference bears it out
        if direction == Direction.NULL:
            direction = Direction.POSITIVE
        elif direction == Direction.POSITIVE and difference_found(evidence.rationale):
            direction = Direction.NEGATIVE
    turned = claim_direction(direction, claim)
    if harm and turned == Direction.POSITIVE and against:
        # "causes more sedation" against "less sedation": read after a harm's own turn
        # (a harm found more often with the drug bears the claim out)
        turned = Direction.NEGATIVE
    if turned == evidence.direction:
        return check
    return replace(check, evidence=replace(evidence, direction=turned))


def _direction_note(check: StudyCheck) -> str:
    if check.evidence is not None and check.evidence.direction == Direction.UNKNOWN:
        return " (the record has no abstract: which way its result goes is not known)"
    return ""


def _against(check: StudyCheck) -> str:
    assert check.evidence is not None
    what = "reports no effect" if check.evidence.direction == Direction.NULL else "reports the opposite"
    return f"{describe(check.reference)} {what}: “{check.evidence.rationale}”"


def _overstatement(claim: Claim, best: StudyCheck, ctx: DocumentContext, matcher: Matcher,
                   rules: LevelRules) -> Overstatement | None:
    assert best.evidence is not None
    named = matcher.conditions_named(claim.text, claim.concept) if claim.type in (ClaimType.BENEFIT, ClaimType.MECHANISM) else []
    # a condition of the vocabulary is judged by the vocabulary (its hierarchy, its lists);
    # any other by its words
    unstudied = _condition_left_out(named, best, ctx, matcher, rules) if named else condition_not_studied(
        claim, best.record_text)
    return overstatement(claim.text, claim.hedged, best.evidence.level, best.evidence.uncontrolled,
                         best.other_condition, unstudied)


def _condition_left_out(named: Sequence[tuple[str, Sequence[Concept]]], best: StudyCheck, ctx: DocumentContext,
                        matcher: Matcher, rules: LevelRules) -> str | None:
    """The first of the vocabulary's conditions a benefit or mechanism claim names ("eases
    the aching joints of rheumatoid arthritis", "• Ulcerative colitis: LDN lowers disease
    activity"; :meth:`Matcher.conditions_named`) when the study addresses none of them, nor
    any under them: the claim rests on a study of other people."""
    if any(ctx.check(c, best.reference, matcher, rules).addresses for _words, under in named for c in under):
        return None
    return named[0][0]


def number_findings(claim: Claim, checks: Sequence[StudyCheck]) -> list[Finding]:
    """The first number of the claim a cited study's abstract does not bear out."""
    for check in checks:
        mismatch = number_mismatch(claim.text, check.abstract, check.about) if check.abstract else None
        if mismatch:
            return [number_finding(claim, check.reference, _ev(check), mismatch)]
    return []


def _assessment(claim: Claim, verdict: Verdict, reason: str, support: Sequence[StudyCheck]) -> Assessment:
    evidence = tuple(c.evidence for c in support if c.evidence is not None)
    return Assessment(claim.id, verdict, reason, evidence)


def assess_document(
    claims: Sequence[Claim],
    ctx: DocumentContext,
    vocabulary: Vocabulary,
    rules: LevelRules,
) -> tuple[list[Assessment], list[Finding]]:
    matcher = Matcher(vocabulary)
    assessments: list[Assessment] = []
    findings: list[Finding] = []
    for claim in claims:
        assessment, extra = assess_claim(claim, ctx, matcher, rules)
        assessments.append(assessment)
        findings.extend(extra)
        for finding in (verdict_finding(claim, assessment), weak_evidence_finding(claim, assessment, rules)):
            if finding is not None:
                findings.append(finding)
    findings.extend(reference_findings(ctx.references, ctx.records))
    findings.extend(citation_findings(ctx.references, ctx.markers, claims))
    return assessments, findings
