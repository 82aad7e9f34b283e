"""Claim ↔ study links and verdicts.

Pure functions over model objects: no I/O. A study *addresses* a claim when it is about
the product (MeSH descriptor, chemical, or a product term in title/abstract, and not at
a dose above the vocabulary's low-dose ceiling) and about the claim's concept (MeSH
descriptor UIs first, then title, abstract sentences and keywords, by the vocabulary's
labels). Every verdict carries a reason a person can read; the findings it earns come
from :mod:`ldn_graph.judge.findings`, the evidence levels from :mod:`ldn_graph.judge.levels`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from ldn_graph.judge.abstract import (
    CONCLUSIONS,
    QUALIFIED_NULL_RE,
    RESULTS,
    Sentence,
    abstract_sentences,
    claim_groups,
    concept_clause,
    concept_not_significant,
    conclusion_direction,
    deciding_sentence,
    design_text,
    direction_of,
    group_left_out,
    left_out,
    polarity,
    reported_sample_size,
    says_which_way,
)
from ldn_graph.judge.claim_fit import claim_direction, number_mismatch, overstatement, time_points
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
from ldn_graph.judge.levels import grade
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
    Study,
    Vocabulary,
)
from ldn_graph.ontology.levels import LevelRules
from ldn_graph.terms import ClaimType, Direction, RecordField, ReferenceKind, Verdict

UNCONTROLLED_RE = re.compile(
    r"\b(pilot|open[\s-]label|single[\s-]arm|uncontrolled|case series|retrospective|phase (?:I|II|1|2))\b", re.I)
CONTROLLED_RE = re.compile(r"\b(placebo|controlled|randomi[sz]ed|crossover|cross-over)\b", re.I)


# --------------------------------------------------------------------------- study facts


def is_uncontrolled(study: Study) -> bool:
    """A pilot, open-label, single-arm or retrospective study that names no placebo or
    control group, as the study describes itself (not its background, not the trials it
    calls for)."""
    text = design_text(study)
    return bool(UNCONTROLLED_RE.search(text)) and not CONTROLLED_RE.search(text)


# --------------------------------------------------------------------------- assessment


@dataclass(frozen=True)
class StudyCheck:
    """The outcome of checking one cited record against one concept: whether it
    ``addresses`` it (product and concept), and if so its evidence, whose ``direction``
    is the study's own (:func:`claim_direction` turns it for a claim)."""

    reference: Reference
    addresses: bool
    why: str
    evidence: Evidence | None = None
    other_condition: str | None = None  # the condition the study is about, when not the concept
    abstract: str = ""  # the record's abstract (numbers are compared against it)
    about: str = ""  # its sentences that name the concept (their numbers first)
    #: its sentences about the concept at one time point: (days, text, start, end, direction, polarity)
    timed: tuple[tuple[float, str, int, int, Direction, int], ...] = ()
    polarity: int = 0  # which way the deciding sentence says the concept moved (+1 up, -1 down)
    #: the deciding sentence for a claim about one group the abstract reports on apart
    #: ("in women …"): group -> (rationale, start, end, direction, polarity)
    by_group: Mapping[str, tuple[str, int | None, int | None, Direction, int]] = field(default_factory=dict)


def _rationale(study: Study, names: Callable[[str], bool], product: Callable[[str], bool],
               named: Callable[[str], bool], group: str | None = None,
               ) -> tuple[str, RecordField, int | None, int | None, Direction]:
    """The sentence that decides a claim of a concept ``names`` recognises, where it is,
    and which way it goes: a results or conclusions sentence naming the concept; else the
    conclusions' first sentence (the conclusions' direction); the title when there is no
    abstract (direction unknown). A sentence that only lists numbers ("the rates were
    26% and 32%") says no direction: when the conclusions report no effect or the
    opposite, they decide. ``product`` (the product's names and the abbreviations the
    abstract defines for them) picks the sentence; which arm did better is read by the
    names alone (``named``): an arm's letters say nothing of which way is better."""
    deciding = deciding_sentence(study, names, product, group)
    if deciding is not None:
        direction = _sentence_direction(deciding.text, names, product, named, group)
        if direction == Direction.POSITIVE and deciding.part == CONCLUSIONS:
            spun = _null_results(study, names, named)
            if spun is not None:  # the conclusions go beyond results that found nothing
                return spun.text, RecordField.ABSTRACT, spun.start, spun.end, Direction.NULL
        if says_which_way(deciding.text) or not study.abstract:
            return deciding.text, RecordField.ABSTRACT, deciding.start, deciding.end, direction
        overall = conclusion_direction(study)
        if not overall.contradicts:
            return deciding.text, RecordField.ABSTRACT, deciding.start, deciding.end, direction
    if study.abstract and group is None:
        sentences = abstract_sentences(study)
        last = next((x for x in sentences if x.part == CONCLUSIONS), sentences[-1])
        return last.text, RecordField.ABSTRACT, last.start, last.end, conclusion_direction(study)
    return study.title, RecordField.TITLE, 0, len(study.title), Direction.UNKNOWN


def _sentence_direction(text: str, names: Callable[[str], bool], product: Callable[[str], bool],
                        named: Callable[[str], bool], group: str | None = None) -> Direction:
    """Which way one sentence says the concept went, read in the concept's clause: no
    effect where the sentence qualifies its finding, leaves out the claim's group, the
    product or the concept, or gives the concept a P value of 0.05 or more."""
    direction = direction_of(concept_clause(text, names), named)
    if direction != Direction.POSITIVE:
        return direction
    if QUALIFIED_NULL_RE.search(text):
        return Direction.NULL  # "…, although these confidence intervals included the null"
    if group is not None and group_left_out(text, group):
        return Direction.NULL  # "women, but not men, …" for a claim about men
    if left_out(text, names, product):
        return Direction.NULL  # "… after training, but not after computer games"
    if concept_not_significant(text, names):
        return Direction.NULL  # "…, and left atrial pressure was higher (P=0.0833)"
    return direction


def _timed(study: Study, names: Callable[[str], bool], product: Callable[[str], bool],
           named: Callable[[str], bool], concept: Concept, matcher: Matcher,
           ) -> tuple[tuple[float, str, int, int, Direction, int], ...]:
    """The results and conclusions sentences about the concept that name one time point
    ("1 week postoperatively"): (days, text, start, end, direction, polarity), for a claim
    that names the same time point."""
    out = []
    for s in abstract_sentences(study):
        if s.part not in (RESULTS, CONCLUSIONS) or not names(s.text):
            continue
        points = time_points(s.text)
        if len(points) == 1:
            direction = _sentence_direction(s.text, names, product, named)
            out.append((next(iter(points)), s.text, s.start, s.end, direction, matcher.polarity(s.text, concept, product)))
    return tuple(out)


def _null_results(study: Study, names: Callable[[str], bool], named: Callable[[str], bool]) -> Sentence | None:
    """The first results sentence about the concept when every one of them reports no
    effect ("no significant difference in ΔT max between the groups (p=0.27)"), else None:
    conclusions more upbeat than such results do not decide."""
    about = [s for s in abstract_sentences(study) if s.part == RESULTS and names(s.text)]
    if not about:
        return None
    null = [s for s in about
            if direction_of(concept_clause(s.text, names), named) == Direction.NULL or concept_not_significant(s.text, names)]
    return null[0] if len(null) == len(about) else None


def _by_group(study: Study, names: Callable[[str], bool], product: Callable[[str], bool], concept: Concept,
              matcher: Matcher) -> dict[str, tuple[str, int | None, int | None, Direction, int]]:
    """The deciding sentence for each group the abstract reports on apart, where one of
    its sentences about that group speaks of the concept."""
    named = matcher.names_product
    out: dict[str, tuple[str, int | None, int | None, Direction, int]] = {}
    for group in claim_groups(study.abstract_text):
        if deciding_sentence(study, names, product, group) is None:
            continue
        text, _, start, end, direction = _rationale(study, names, product, named, group)
        out[group] = (text, start, end, direction, matcher.polarity(text, concept, product))
    return out


def check_study(
    concept: Concept,
    ref: Reference,
    record: Record,
    matcher: Matcher,
    rules: LevelRules,
) -> StudyCheck:
    """Whether ``record`` (cited as ``ref``) addresses ``concept``, and what its abstract
    says of it; claims of one concept get the same answer, so a document asks once per
    concept and study (:class:`DocumentContext`)."""
    study = record.study
    about, why_product = matcher.about_product(study)
    if not about:
        return StudyCheck(ref, False, f"{describe(ref)}: {why_product}")
    topic = matcher.about_concept(study, concept)
    if topic is None:
        return StudyCheck(
            ref, False, f"{describe(ref)} is about {matcher.vocabulary.subject_label} but not {concept.label}"
        )
    level, level_reason = grade(record, rules)
    names, product = matcher.names_in(concept, study), matcher.product_in(study)
    rationale, field_, start, end, direction = _rationale(study, names, product, matcher.names_product)
    where = {"mesh": "MeSH lists", "title": "title mentions", "abstract": "abstract mentions", "keyword": "keyword"}[
        topic.matched_on
    ]
    evidence = Evidence(
        pmid=study.pmid,
        reference=ref.label,
        matched_on=topic.matched_on,
        rationale=rationale,
        rationale_field=field_,
        rationale_start=start,
        rationale_end=end,
        level=level,
        level_reason=level_reason,
        sample_size=reported_sample_size(study),
        direction=direction,
        uncontrolled=is_uncontrolled(study),
    )
    other = matcher.other_condition(study, concept) if topic.matched_on == RecordField.ABSTRACT else None
    why = f"{describe(ref)} — {where} {concept.label}; evidence level {level}: {level_reason}"
    about_concept = " ".join(s.text for s in abstract_sentences(study) if names(s.text))
    return StudyCheck(ref, True, why, evidence, other, study.abstract_text, about_concept,
                      _timed(study, names, product, matcher.names_product, concept, matcher),
                      matcher.polarity(rationale, concept, product), _by_group(study, names, product, concept, matcher))


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
            checks.append(for_claim(ctx.check(claim.concept, ref, matcher, rules), claim))
        support = [c for c in checks if c.addresses and not _contradicts(c)]
        against = [c for c in checks if c.addresses and _contradicts(c)]
        if support:
            findings.extend(conflicting_finding(claim, support[0].reference, c.reference, _ev(c)) for c in against)
            findings.extend(fit_findings(claim, support))
            reason = "cited " + _named([c.why + _direction_note(c) for c in support])
            if against:
                reason += "; but " + _named([_against(c) for c in against])
            return _assessment(claim, Verdict.SUPPORTED, reason, [*support, *against]), findings
        if against:
            findings.extend(contradicted_finding(claim, c.reference, _ev(c)) for c in against)
            findings.extend(fit_findings(claim, against, numbers_only=True))
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
    checks = [for_claim(c, claim) for c in ctx.list_checks(claim.concept, matcher, rules)]
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


def for_claim(check: StudyCheck, claim: Claim) -> StudyCheck:
    """``check`` (a study's own direction for a concept) as it bears on ``claim``: the
    sentence about the claim's group when the abstract reports groups apart, a movement
    the claim's words go against, and the claim's type and negation (:func:`claim_direction`)."""
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
    against = said * check.polarity < 0  # the claim says it goes down, the study that it went up (or back)
    harm = claim.type in (ClaimType.SAFETY, ClaimType.CONTRAINDICATION)
    if direction == Direction.POSITIVE and against and not harm:
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


def fit_findings(claim: Claim, checks: Sequence[StudyCheck], *, numbers_only: bool = False) -> list[Finding]:
    """Overstatement (against the best evidence) and numbers that disagree with the
    deciding study's abstract."""
    found: list[Finding] = []
    best = checks[0]
    assert best.evidence is not None
    if not numbers_only:
        over = overstatement(claim.text, claim.hedged, best.evidence.level, best.evidence.uncontrolled,
                             best.other_condition)
        if over is not None:
            found.append(overstated_finding(claim, best.reference, best.evidence, over.why, over.strong))
    for check in checks:
        mismatch = number_mismatch(claim.text, check.abstract, check.about) if check.abstract else None
        if mismatch:
            found.append(number_finding(claim, check.reference, _ev(check), mismatch))
            break
    return found


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
