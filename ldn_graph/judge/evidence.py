"""Claim ↔ study links, evidence levels, verdicts and findings.

Pure functions over model objects: no I/O. A study *addresses* a claim when it is about
the product (MeSH descriptor, chemical, or a product term in title/abstract, and not at
a dose above the vocabulary's low-dose ceiling) and about the claim's concept (MeSH
descriptor UIs first, then title, abstract sentences and keywords, by the vocabulary's
labels). Every verdict carries a reason a person can read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from ldn_graph.extract.claims import TermMatcher, fold
from ldn_graph.model import (
    Assessment,
    Claim,
    Concept,
    Evidence,
    Finding,
    Record,
    Reference,
    Study,
    Vocabulary,
)
from ldn_graph.ontology import LevelRules
from ldn_graph.read.documents import sentence_spans

SEVERITY = {
    "unsupported_claim": "error",
    "off_topic_citation": "error",
    "retracted_source": "error",
    "null_or_negative_result": "warning",
    "weak_evidence": "warning",
    "corrected_source": "warning",
    "reference_mismatch": "warning",
    "unresolved_reference": "warning",
    "unverified_claim": "warning",
    "non_pubmed_source": "info",
}
FINDING_KINDS = tuple(SEVERITY)

RETRACTED_PUBLICATION_UI = "D016441"
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
DOSE_RE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:mg|milligrams?)\b", re.I)
LOW_DOSE_RE = re.compile(r"\blow[\s-]+dose\b|\bLDN\b", re.I)
UNCONTROLLED_RE = re.compile(r"\b(pilot|open[\s-]label|single[\s-]arm|uncontrolled|case series)\b", re.I)
CONTROLLED_RE = re.compile(r"\b(placebo|controlled|randomi[sz]ed)\b", re.I)


# --------------------------------------------------------------------------- evidence levels


def evidence_level(study: Study, rules: LevelRules, origin: str | None = None) -> tuple[str, str]:
    """(level, reason) for one record.

    Publication types (by UI) first, then MeSH rules (Animals without Humans → preclinical),
    then design words in the title/abstract, then the journal; ``unknown`` with the reason.
    """
    pubtype = rules.level_for_publication_types(pt.ui for pt in study.publication_types)
    mesh_level = rules.level_for_mesh(m.ui for m in study.mesh)
    if mesh_level == "preclinical":
        return mesh_level, "MeSH lists Animals (D000818) or In Vitro Techniques without Humans (D006801)"
    if pubtype is not None:
        level, ui = pubtype
        return level, f"publication type {rules.publication_type_names.get(ui, ui)} ({ui})"
    if mesh_level is not None:
        return mesh_level, "MeSH rule"
    for where, text in (("title", study.title), ("abstract", study.abstract_text)):
        hits = rules.design_word_matches(text) if text else ()
        if hits:
            level, words = hits[0]
            return level, f"design words in its {where}: {words!r}"
    journal = rules.level_for_journal(study.journal, study.journal_abbrev)
    if journal is not None:
        return journal[0], f"published in {journal[1]}"
    why = []
    if origin == "transcribed":
        why.append("the cached record is a title-only transcription")
    if not study.publication_types:
        why.append("the record has no publication types")
    why.append("no design words in its title" + ("" if study.abstract else " (no abstract)"))
    return "unknown", "; ".join(why)


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
    matched_on: str  # mesh | title | abstract | keyword
    rationale: str
    field: str
    start: int | None
    end: int | None


class Matcher:
    """Decides whether a study is about the product and about a concept."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self._concept_matchers: dict[str, TermMatcher] = {}
        self._product = re.compile(
            r"(?<!\w)(?:" + "|".join(re.escape(fold(t)) for t in sorted(vocabulary.subject_terms, key=len, reverse=True)) + r")(?!\w)",
            re.I,
        )

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
        mention = self._product.search(fold(text))
        if not named and not mention:
            return False, f"the record does not mention {vocab.subject_label} (title, abstract, MeSH)"
        if vocab.max_dose_mg is not None and not LOW_DOSE_RE.search(text):
            doses = [float(d) for d in DOSE_RE.findall(text)]
            if doses and min(doses) > vocab.max_dose_mg:
                return False, (
                    f"the record studies {vocab.subject_label} at {min(doses):g} mg, above the "
                    f"{vocab.max_dose_mg:g} mg low-dose range"
                )
        if named:
            return True, f"MeSH {', '.join(named)}"
        return True, f"{mention.group(0)!r} in title/abstract" if mention else "named"

    def about_concept(self, study: Study, concept: Concept) -> TopicMatch | None:
        mesh = {m.ui: m.name for m in study.mesh}
        hit = [ui for ui in concept.mesh if ui in mesh]
        matcher = self._concept_matcher(concept)
        if hit:
            sentence = self._abstract_sentence(study, matcher)
            if sentence:
                return TopicMatch("mesh", sentence[0], "abstract", sentence[1], sentence[2])
            return TopicMatch("mesh", f"MeSH: {mesh[hit[0]]} ({hit[0]})", "mesh", None, None)
        found = matcher.find(study.title)
        if found:
            return TopicMatch("title", study.title, "title", found[0][1], found[0][2])
        sentence = self._abstract_sentence(study, matcher)
        if sentence:
            return TopicMatch("abstract", sentence[0], "abstract", sentence[1], sentence[2])
        for kw in study.keywords:
            if matcher.find(kw):
                return TopicMatch("keyword", kw, "keyword", None, None)
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


def _describe(ref: Reference) -> str:
    if ref.in_list:
        return f"[{ref.label}]" + (f" (PMID {ref.pmid})" if ref.pmid else "")
    return ref.label


def check_study(
    claim: Claim,
    ref: Reference,
    record: Record,
    matcher: Matcher,
    rules: LevelRules,
) -> StudyCheck:
    study = record.study
    about, why_product = matcher.about_product(study)
    if not about:
        return StudyCheck(ref, False, f"{_describe(ref)}: {why_product}")
    topic = matcher.about_concept(study, claim.concept)
    if topic is None:
        return StudyCheck(
            ref, False, f"{_describe(ref)} is about {matcher.vocabulary.subject_label} but not {claim.concept.label}"
        )
    level, level_reason = evidence_level(study, rules, record.provenance.origin)
    direction = "null_or_negative" if NULL_RESULT_RE.search(conclusion_text(study)) else "positive"
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
    why = f"{_describe(ref)} — {where} {claim.concept.label}; evidence level {level}: {level_reason}"
    return StudyCheck(ref, direction == "positive", why, evidence)


@dataclass
class DocumentContext:
    """What the evidence stage needs to know about one document."""

    references: Sequence[Reference]
    records: Mapping[str, Record]  # pmid -> record (cache or live)
    unavailable: Mapping[str, str]  # pmid -> why it could not be retrieved
    offline: bool = False

    def by_label(self) -> dict[str, Reference]:
        return {r.label: r for r in self.references}


def _unchecked_reason(ref: Reference, ctx: DocumentContext) -> str | None:
    """Why a reference cannot be checked, or None if its record is at hand."""
    if ref.kind == "pubmed" and ref.pmid:
        if ref.pmid in ctx.records:
            return None
        return f"{_describe(ref)} could not be retrieved ({ctx.unavailable.get(ref.pmid, 'not in the cache')})"
    if ref.kind == "web":
        return f"{_describe(ref)} is a web source, not a study"
    if ref.kind == "doi":
        return f"{_describe(ref)} has a DOI but no PMID"
    return f"{_describe(ref)} could not be resolved to a PubMed record"


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
            assert ref.pmid is not None
            checks.append(check_study(claim, ref, ctx.records[ref.pmid], matcher, rules))
        support = [c for c in checks if c.addresses]
        findings.extend(_null_findings(claim, checks))
        if support:
            return _assessment(claim, "supported", "cited " + "; ".join(c.why for c in support), support), findings
        if unchecked:
            reason = "cites sources that could not be checked: " + "; ".join(unchecked)
            return Assessment(claim.id, "unverified", reason), findings
        reason = "cited sources do not address it: " + "; ".join(c.why for c in checks)
        others = _list_support(claim, ctx, matcher, rules, exclude={r.label for r in cited})
        if others:
            reason += f" (but {others[0].why.split(' — ')[0]} in the reference list does)"
        for c in checks:
            findings.append(
                Finding(
                    "off_topic_citation",
                    SEVERITY["off_topic_citation"],
                    f"{_describe(c.reference)} is cited for {claim.concept.label} but does not address it",
                    claim.id,
                    c.reference.label,
                )
            )
        return Assessment(claim.id, "off_topic", reason), findings
    # nothing cited inline: look through the document's reference list
    checks = _list_checks(claim, ctx, matcher, rules, exclude=set())
    support = [c for c in checks if c.addresses]
    findings.extend(_null_findings(claim, checks))
    if support:
        reason = "no inline citation; the reference list has " + "; ".join(c.why for c in support)
        return _assessment(claim, "inferred", reason, support), findings
    missing = [
        r for r in ctx.references if r.kind == "pubmed" and r.pmid and r.pmid not in ctx.records
    ]
    if missing:
        reason = "no inline citation, nothing retrieved addresses it, and " + "; ".join(
            _unchecked_reason(r, ctx) or "" for r in missing
        )
        return Assessment(claim.id, "unverified", reason), findings
    studies = [r for r in ctx.references if r.kind == "pubmed"]
    if studies:
        reason = f"no inline citation, and none of the {len(studies)} PubMed reference(s) in the list addresses {claim.concept.label}"
    else:
        reason = "no inline citation and the document cites no PubMed study"
    return Assessment(claim.id, "unsupported", reason), findings


def _assessment(claim: Claim, verdict: str, reason: str, support: Sequence[StudyCheck]) -> Assessment:
    evidence = tuple(c.evidence for c in support if c.evidence is not None)
    return Assessment(claim.id, verdict, reason, evidence)


def _list_checks(
    claim: Claim, ctx: DocumentContext, matcher: Matcher, rules: LevelRules, exclude: set[str]
) -> list[StudyCheck]:
    out = []
    for ref in ctx.references:
        if ref.label in exclude or ref.kind != "pubmed" or not ref.pmid or ref.pmid not in ctx.records:
            continue
        out.append(check_study(claim, ref, ctx.records[ref.pmid], matcher, rules))
    return out


def _list_support(
    claim: Claim, ctx: DocumentContext, matcher: Matcher, rules: LevelRules, exclude: set[str]
) -> list[StudyCheck]:
    return [c for c in _list_checks(claim, ctx, matcher, rules, exclude) if c.addresses]


def _null_findings(claim: Claim, checks: Iterable[StudyCheck]) -> list[Finding]:
    return [
        Finding(
            "null_or_negative_result",
            SEVERITY["null_or_negative_result"],
            f"{_describe(c.reference)} addresses {claim.concept.label} but its conclusion reports no effect "
            "or a negative result; not counted as support",
            claim.id,
            c.reference.label,
        )
        for c in checks
        if c.evidence is not None and c.evidence.direction != "positive"
    ]


EFFICACY_TYPES = {"mechanism", "indication", "benefit"}
WEAK_LEVELS = {"opinion", "review", "preclinical"}


def weak_evidence_finding(claim: Claim, assessment: Assessment, rules: LevelRules) -> Finding | None:
    if claim.type not in EFFICACY_TYPES or not assessment.evidence:
        return None
    best = max(assessment.evidence, key=lambda e: rules.rank(e.level))
    pilot = best.level in ("clinical_trial", "unknown") and best.uncontrolled
    if best.level in WEAK_LEVELS or pilot:
        what = "an uncontrolled pilot" if pilot else best.level
        return Finding(
            "weak_evidence",
            SEVERITY["weak_evidence"],
            f"the best support for {claim.concept.label} (PMID {best.pmid}) is {what}: {best.level_reason}",
            claim.id,
            best.reference,
        )
    return None


# --------------------------------------------------------------------------- reference-level findings


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


def reference_findings(
    references: Sequence[Reference], records: Mapping[str, Record], unavailable: Mapping[str, str]
) -> list[Finding]:
    findings: list[Finding] = []
    for ref in references:
        if ref.kind == "web":
            findings.append(
                Finding(
                    "non_pubmed_source",
                    SEVERITY["non_pubmed_source"],
                    f"{_describe(ref)} is a web source ({ref.url}), not a PubMed study; it is reported but not used as evidence",
                    None,
                    ref.label,
                )
            )
        elif ref.kind in ("unresolved", "doi"):
            what = "a DOI without a PMID" if ref.kind == "doi" else "no PMID, DOI or URL"
            why = f" ({ref.resolution})" if ref.resolution else ""
            findings.append(
                Finding(
                    "unresolved_reference",
                    SEVERITY["unresolved_reference"],
                    f"{_describe(ref)} has {what}; it could not be matched to a PubMed record{why}",
                    None,
                    ref.label,
                )
            )
        elif ref.pmid and ref.pmid in records:
            study = records[ref.pmid].study
            retracted = any(pt.ui == RETRACTED_PUBLICATION_UI for pt in study.publication_types) or any(
                cc.ref_type == "RetractionIn" for cc in study.comments_corrections
            )
            if retracted:
                findings.append(
                    Finding("retracted_source", SEVERITY["retracted_source"], f"{_describe(ref)} has been retracted", None, ref.label)
                )
            corrections = sorted(
                {cc.ref_type for cc in study.comments_corrections if cc.ref_type in ("ErratumIn", "ExpressionOfConcernIn")}
            )
            if corrections:
                findings.append(
                    Finding(
                        "corrected_source",
                        SEVERITY["corrected_source"],
                        f"{_describe(ref)} has a published {' and '.join(corrections)}; check the corrected version",
                        None,
                        ref.label,
                    )
                )
            if ref.in_list:
                problems = reference_mismatches(ref, study)
                if problems:
                    findings.append(
                        Finding(
                            "reference_mismatch",
                            SEVERITY["reference_mismatch"],
                            f"{_describe(ref)} disagrees with its PubMed record: " + "; ".join(problems),
                            None,
                            ref.label,
                        )
                    )
    return findings


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
        if assessment.verdict == "unsupported":
            findings.append(
                Finding(
                    "unsupported_claim",
                    SEVERITY["unsupported_claim"],
                    f"{claim.concept.label} ({claim.type}) has no source: {assessment.reason}",
                    claim.id,
                )
            )
        elif assessment.verdict == "unverified":
            findings.append(
                Finding("unverified_claim", SEVERITY["unverified_claim"], f"{claim.concept.label}: {assessment.reason}", claim.id)
            )
        weak = weak_evidence_finding(claim, assessment, rules)
        if weak:
            findings.append(weak)
    findings.extend(reference_findings(ctx.references, ctx.records, ctx.unavailable))
    return assessments, findings
