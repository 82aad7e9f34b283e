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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ldn_graph.extract.context import ProductContext
from ldn_graph.judge.findings import (
    citation_findings,
    describe,
    null_result_finding,
    off_topic_finding,
    reference_findings,
    verdict_finding,
    weak_evidence_finding,
)
from ldn_graph.judge.levels import grade
from ldn_graph.matching import TermMatcher
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
from ldn_graph.terms import Direction, RecordField, ReferenceKind, Verdict
from ldn_graph.text import sentence_spans

NULL_RESULT_RE = re.compile(
    r"\b(no (?:statistically )?significant (?:difference|effect|improvement|benefit|change|reduction)s?|"
    r"did not (?:significantly )?(?:improve|reduce|differ|change|alter|decrease|increase)|"
    r"(?:was|were|is|are) not (?:effective|efficacious|superior|better|associated)|"
    r"no (?:clinical |therapeutic )?(?:benefit|effect)|failed to (?:show|demonstrate|improve|reduce)|"
    r"not (?:more )?effective|ineffective|no evidence (?:of|for) (?:efficacy|benefit|an effect))\b",
    re.I,
)
SAMPLE_SIZE_RES = (
    re.compile(r"\b[nN]\s*=\s*(\d{1,6})\b"),
    re.compile(
        r"\b(\d{1,6})\s+(?:\w+\s){0,2}?(?:patients|participants|subjects|women|men|adults|children|"
        r"volunteers|individuals|people|cases)\b",
        re.I,
    ),
)
UNCONTROLLED_RE = re.compile(r"\b(pilot|open[\s-]label|single[\s-]arm|uncontrolled|case series)\b", re.I)
CONTROLLED_RE = re.compile(r"\b(placebo|controlled|randomi[sz]ed)\b", re.I)


# --------------------------------------------------------------------------- study facts


def is_uncontrolled(study: Study) -> bool:
    """A pilot, open-label or single-arm study that names no placebo or control group."""
    text = f"{study.title} {study.abstract_text}"
    return bool(UNCONTROLLED_RE.search(text)) and not CONTROLLED_RE.search(text)


def sample_size(study: Study) -> int | None:
    for regex in SAMPLE_SIZE_RES:
        m = regex.search(study.abstract_text)
        if m:
            return int(m.group(1))
    return None


# --------------------------------------------------------------------------- topical matching


@dataclass(frozen=True)
class TopicMatch:
    matched_on: RecordField
    rationale: str
    field: RecordField
    start: int | None
    end: int | None


class Matcher:
    """Decides whether a study is about the product and about a concept."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self._concept_matchers: dict[str, TermMatcher] = {}
        self._product = ProductContext(vocabulary)  # the product's names and its dose ceiling

    def _concept_matcher(self, concept: Concept) -> TermMatcher:
        m = self._concept_matchers.get(concept.iri)
        if m is None:
            m = self._concept_matchers[concept.iri] = TermMatcher([concept])
        return m

    def about_product(self, study: Study) -> tuple[bool, str]:
        vocab = self.vocabulary
        uis = {m.ui for m in study.mesh} | {c.ui for c in study.chemicals}
        text = f"{study.title} {study.abstract_text}"
        named = [ui for ui in vocab.subject_mesh if ui in uis]
        mention = self._product.product_mention(text)
        if not named and not mention:
            return False, f"the record does not mention {vocab.subject_label} (title, abstract, MeSH)"
        dose = None if self._product.names_low_dose_product(text) else self._product.dose_above_ceiling(text)
        if dose is not None:
            return False, (
                f"the record studies {vocab.subject_label} at {dose:g} mg, above the "
                f"{vocab.max_dose_mg:g} mg low-dose range"
            )
        if named:
            return True, f"MeSH {', '.join(named)}"
        return True, f"{mention!r} in title/abstract" if mention else "named"

    def about_concept(self, study: Study, concept: Concept) -> TopicMatch | None:
        mesh = {m.ui: m.name for m in study.mesh}
        hit = [ui for ui in concept.mesh if ui in mesh]
        matcher = self._concept_matcher(concept)
        if hit:
            sentence = self._abstract_sentence(study, matcher)
            if sentence:
                return TopicMatch(RecordField.MESH, sentence[0], RecordField.ABSTRACT, sentence[1], sentence[2])
            return TopicMatch(RecordField.MESH, f"MeSH: {mesh[hit[0]]} ({hit[0]})", RecordField.MESH, None, None)
        found = matcher.find(study.title)
        if found:
            return TopicMatch(RecordField.TITLE, study.title, RecordField.TITLE, found[0][1], found[0][2])
        sentence = self._abstract_sentence(study, matcher)
        if sentence:
            return TopicMatch(RecordField.ABSTRACT, sentence[0], RecordField.ABSTRACT, sentence[1], sentence[2])
        for kw in study.keywords:
            if matcher.find(kw):
                return TopicMatch(RecordField.KEYWORD, kw, RecordField.KEYWORD, None, None)
        return None

    @staticmethod
    def _abstract_sentence(study: Study, matcher: TermMatcher) -> tuple[str, int, int] | None:
        text = study.abstract_text
        if not text:
            return None
        for s, e in sentence_spans(text, 0, len(text)):
            if matcher.find(text[s:e]):
                return text[s:e], s, e
        return None


def conclusion_text(study: Study) -> str:
    for section in study.abstract:
        if re.search(r"conclusion|interpretation", f"{section.label or ''} {section.category or ''}", re.I):
            return section.text
    text = study.abstract_text
    spans = sentence_spans(text, 0, len(text)) if text else []
    return " ".join(text[s:e] for s, e in spans[-2:])


# --------------------------------------------------------------------------- assessment


@dataclass(frozen=True)
class StudyCheck:
    """The outcome of checking one cited record against one claim."""

    reference: Reference
    addresses: bool
    why: str
    evidence: Evidence | None = None


def check_study(
    concept: Concept,
    ref: Reference,
    record: Record,
    matcher: Matcher,
    rules: LevelRules,
) -> StudyCheck:
    """Whether ``record`` (cited as ``ref``) addresses ``concept``; claims of one concept
    get the same answer, so a document asks once per concept (:class:`DocumentContext`)."""
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
    direction = Direction.NULL_OR_NEGATIVE if NULL_RESULT_RE.search(conclusion_text(study)) else Direction.POSITIVE
    where = {"mesh": "MeSH lists", "title": "title mentions", "abstract": "abstract mentions", "keyword": "keyword"}[
        topic.matched_on
    ]
    evidence = Evidence(
        pmid=study.pmid,
        reference=ref.label,
        matched_on=topic.matched_on,
        rationale=topic.rationale,
        rationale_field=topic.field,
        rationale_start=topic.start,
        rationale_end=topic.end,
        level=level,
        level_reason=level_reason,
        sample_size=sample_size(study),
        direction=direction,
        uncontrolled=is_uncontrolled(study),
    )
    why = f"{describe(ref)} — {where} {concept.label}; evidence level {level}: {level_reason}"
    return StudyCheck(ref, direction == Direction.POSITIVE, why, evidence)


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
    _checks: dict[tuple[str, str, int], StudyCheck] = field(default_factory=dict, init=False, repr=False)
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
        """:func:`check_study` for a reference whose record is at hand, asked once."""
        key = (concept.iri, ref.label, ref.start)
        found = self._checks.get(key)
        if found is None:
            assert ref.pmid is not None
            found = self._checks[key] = check_study(concept, ref, self.records[ref.pmid], matcher, rules)
        return found

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
            checks.append(ctx.check(claim.concept, ref, matcher, rules))
        support = [c for c in checks if c.addresses]
        findings.extend(_null_findings(claim, checks))
        if support:
            return _assessment(claim, Verdict.SUPPORTED, "cited " + _named([c.why for c in support]), support), findings
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
    checks = ctx.list_checks(claim.concept, matcher, rules)
    support = [c for c in checks if c.addresses]
    findings.extend(_null_findings(claim, checks))
    if support:
        where = "the reference list has" if all(c.reference.in_list for c in support) else "the document cites"
        reason = f"no inline citation; {where} " + _named([c.why for c in support])
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
    return [
        null_result_finding(claim, c.reference)
        for c in checks
        if c.evidence is not None and c.evidence.direction != Direction.POSITIVE
    ]


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
