"""What one cited study says of one concept, for every claim of that concept.

A study *addresses* a concept when it is about the product (MeSH descriptor, chemical, or
a product term in title/abstract, and not at a dose above the vocabulary's low-dose
ceiling) and about the concept (MeSH descriptor UIs first, then title, abstract sentences
and keywords, by the vocabulary's labels). :func:`check_study` answers that once per
(concept, study) and keeps what a claim may still need: the sentence that decides it and
which way it goes, the abstract's numbers, its sentences about each group and each time
point. :mod:`ldn_graph.judge.evidence` turns the answer for each claim and gives verdicts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ldn_graph.judge.abstract import (
    CONCLUSIONS,
    COUNTERPARTS,
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
    no_effect_then_worse,
    reported_sample_size,
    says_which_way,
)
from ldn_graph.judge.arms import harm_by_arms
from ldn_graph.judge.claim_fit import time_points
from ldn_graph.judge.findings import describe
from ldn_graph.judge.levels import grade
from ldn_graph.judge.result_words import QUALIFIED_NULL_RE
from ldn_graph.judge.topic import Matcher
from ldn_graph.model import Concept, Evidence, Record, Reference, Study
from ldn_graph.ontology.levels import LevelRules
from ldn_graph.terms import ClaimType, Direction, RecordField

UNCONTROLLED_RE = re.compile(
    r"\b(pilot|open[\s-]label|single[\s-]arm|uncontrolled|case series|retrospective|phase (?:I|II|1|2)|"
    r"quasi[\s-]experimental|(?:no|without an?) (?:control|comparison) group)\b", re.I)
CONTROLLED_RE = re.compile(r"\b(placebo|controlled|randomi[sz]ed|crossover|cross-over)\b", re.I)


# --------------------------------------------------------------------------- study facts


def is_uncontrolled(study: Study) -> bool:
    """A pilot, open-label, single-arm or retrospective study that names no placebo or
    control group, as the study describes itself (not its background, not the trials it
    calls for)."""
    text = design_text(study)
    return bool(UNCONTROLLED_RE.search(text)) and not CONTROLLED_RE.search(text)


# The product taken away: "Sesn2 knockdown", "Akt(+/-) mice", "MDA5-deficient",
# "inhibition of ASIC1a", "ASIC1a antagonists".
_LOSS_AFTER_RE = re.compile(
    r"\s*(?:\(\s*[+-]\s*/\s*-\s*\)|[+-]/-)|[\s-]+(?:knock-?downs?|knock-?outs?|KO|deficien(?:t|cy)|"
    r"silencing|depletion|deletion|null|inhibitors?|antagonists?|blockade|loss)\b", re.I)
_LOSS_BEFORE_RE = re.compile(
    r"\b(?:(?:knock-?down|knock-?out|deletion|loss|lack|absence|inhibition|blockade|silencing|depletion|deficiency|"
    r"inhibitors?|antagonists?)\s+of|knocking (?:out|down)|deleting|inhibiting|blocking|silencing|depleting|without)"
    r"\s+(?:the\s+)?$", re.I)


def without_product(sentence: str, product: Callable[[str], bool]) -> bool:
    """Whether ``sentence`` names the product only as taken away (knocked down or out,
    deficient, deleted, inhibited, antagonised): its finding is what the product's absence
    did. Read word by word: a product known only by a name of several words is never
    taken for absent."""
    named = [w for w in re.finditer(r"\w[\w-]*", sentence) if product(w.group())]
    if not named:
        return False
    return all(_LOSS_AFTER_RE.match(sentence, w.end()) or _LOSS_BEFORE_RE.search(sentence[:w.start()]) for w in named)


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
    #: the record's title, abstract, MeSH headings and keywords (a claim's condition is looked for in it)
    record_text: str = ""


def _rationale(study: Study, names: Callable[[str], bool], product: Callable[[str], bool],
               named: Callable[[str], bool], group: str | None = None, *, harm: bool = False,
               ) -> tuple[str, RecordField, int | None, int | None, Direction]:
    """The sentence that decides a claim of a concept ``names`` recognises, where it is,
    and which way it goes: a results or conclusions sentence naming the concept; else the
    conclusions' first sentence (the conclusions' direction); the title when there is no
    abstract (direction unknown). A sentence that only lists numbers ("the rates were
    26% and 32%") says no direction: a sentence right after it that refers back to its
    figures ("the difference was not significant") says which way they went, else the
    conclusions decide when they report no effect or the opposite. ``product`` (the
    product's names and the abbreviations the abstract defines for them) picks the
    sentence; which arm did better is read by the names alone (``named``): an arm's
    letters say nothing of which way is better."""
    deciding = deciding_sentence(study, names, product, group)
    if deciding is not None and harm:
        arms = harm_by_arms(concept_clause(deciding.text, names, product), deciding.text, product)
        if arms is not None:  # "vivid dreams in 23% on naltrexone and 6% on placebo": more often with it
            found = {1: Direction.NEGATIVE, 0: Direction.NULL, -1: Direction.POSITIVE}[arms]
            return deciding.text, RecordField.ABSTRACT, deciding.start, deciding.end, found
    if deciding is not None:
        direction = _sentence_direction(deciding.text, names, product, named, group)
        if direction == Direction.POSITIVE and deciding.part == CONCLUSIONS:
            spun = _null_results(study, names, named)
            if spun is not None:  # the conclusions go beyond results that found nothing
                return spun.text, RecordField.ABSTRACT, spun.start, spun.end, Direction.NULL
        if says_which_way(deciding.text) or not study.abstract:
            return deciding.text, RecordField.ABSTRACT, deciding.start, deciding.end, direction
        verdict = _verdict_after(study, deciding, names)
        if verdict is not None:  # "Rates were 26% and 32%. The difference was not significant."
            text = study.abstract_text[deciding.start : verdict.end]
            direction = _sentence_direction(verdict.text, names, product, named, group)
            return text, RecordField.ABSTRACT, deciding.start, verdict.end, direction
        overall = conclusion_direction(study)
        if not overall.contradicts:
            return deciding.text, RecordField.ABSTRACT, deciding.start, deciding.end, direction
    if study.abstract and group is None:
        sentences = abstract_sentences(study)
        last = next((x for x in sentences if x.part == CONCLUSIONS), sentences[-1])
        return last.text, RecordField.ABSTRACT, last.start, last.end, conclusion_direction(study)
    return study.title, RecordField.TITLE, 0, len(study.title), Direction.UNKNOWN


# What a sentence calls the figures of the one before it: "the difference", "these
# results", "between the groups".
_BACK_TO_NUMBERS_RE = re.compile(
    r"\b(?:the|this|these|such|both)\s+(?:differences?|results?|findings?|values?|rates?|figures?|proportions?)\b(?!\s+(?:in|of|for)\b)"
    r"|\bbetween (?:the )?(?:two |three |both )?(?:groups|arms|cohorts)\b", re.I)


# A later time point after a null one: "…, but at week 12 were higher with naltrexone".
# (the time point itself is read by ``claim_fit.time_points``)
_LATER_RE = re.compile(r"\b(?:but|whereas|while)\s+(?P<rest>(?:at|by|after|from)\s+(?:[^.;]|\.\d)*)", re.I)
# The product named as what made no difference: "was not influenced by paternal diet".
_NOT_BY_RE = re.compile(r"\b(?:not (?:significantly )?(?:influenced|affected|altered|changed|modified)|unaffected|"
                        r"independent)\s+(?:by|of)\s+(?P<by>[^.;,]{1,60})", re.I)


def _verdict_after(study: Study, numbers: Sentence, names: Callable[[str], bool]) -> Sentence | None:
    """The sentence right after one that only gives the concept's numbers, when it says
    which way they went and names no concept of its own ("Survival was 97% and 91%. There
    was no significant difference between PS and MS."): it speaks of those numbers."""
    sentences = abstract_sentences(study)
    following = next((b for a, b in zip(sentences, sentences[1:], strict=False) if a.start == numbers.start), None)
    if following is None or following.part != numbers.part or names(following.text):
        return None
    return following if says_which_way(following.text) and _BACK_TO_NUMBERS_RE.search(following.text) else None


def _sentence_direction(text: str, names: Callable[[str], bool], product: Callable[[str], bool],
                        named: Callable[[str], bool], group: str | None = None) -> Direction:
    """Which way one sentence says the concept went, read in the concept's clause: no
    effect where the sentence qualifies its finding, leaves out the claim's group, the
    product or the concept, or gives the concept a P value of 0.05 or more."""
    clause = concept_clause(text, names, product)
    direction = direction_of(clause, named)
    if direction == Direction.NULL and no_effect_then_worse(clause, names):
        return Direction.NEGATIVE
    later = _LATER_RE.search(text) if direction == Direction.NULL else None
    if later is not None and time_points(later.group("rest")) and says_which_way(later.group("rest")):
        # "did not differ at week 4, but at week 12 were higher with naltrexone": the
        # later time point is the study's result (a claim naming a time point is read at it)
        return direction_of(later.group("rest"), named)
    if direction != Direction.POSITIVE:
        return direction
    if clause != text and not product(clause) and any(product(m.group("by")) for m in _NOT_BY_RE.finditer(text)):
        # "variation in methylation was dramatic …, but it was not influenced by diet": what
        # the sentence says the product did
        return Direction.NULL
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
        later = _LATER_RE.search(s.text)
        # "did not differ at week 4, but at week 12 were higher …": each time point its part
        parts = [s.text[: later.start()], later.group("rest")] if later and time_points(later.group("rest")) else [s.text]
        for part in parts:
            points = time_points(part)
            if len(points) == 1:
                direction = _sentence_direction(part, names, product, named)
                out.append((next(iter(points)), s.text, s.start, s.end, direction, matcher.polarity(part, concept, product)))
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
    reported = claim_groups(study.abstract_text)
    for group in (g for g in reported if COUNTERPARTS[g] in reported):  # reported on apart from its counterpart
        if deciding_sentence(study, names, product, group) is None:
            continue
        text, _, start, end, direction = _rationale(study, names, product, named, group,
                                                    harm=concept.claim_type == ClaimType.SAFETY)
        out[group] = (text, start, end, direction, matcher.polarity(text, concept, product))
    return out


def record_text(study: Study) -> str:
    """A record's title, abstract, MeSH headings and keywords, as one text."""
    return " ".join([study.title, study.abstract_text, *(m.name for m in study.mesh), *study.keywords])


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
    rationale, field_, start, end, direction = _rationale(study, names, product, matcher.names_product,
                                                          harm=concept.claim_type == ClaimType.SAFETY)
    moved = matcher.polarity(rationale, concept, product)
    if (field_ == RecordField.ABSTRACT and direction == Direction.POSITIVE and concept.claim_type == ClaimType.SAFETY
            and matcher.said_absent(rationale, concept)):
        direction = Direction.NULL  # "There were no postoperative complications": the harm did not occur
    if field_ == RecordField.ABSTRACT and without_product(rationale, product):
        # "Akt(+/-) mice were protected from fibrosis": what the product's loss did, the
        # product does the other way
        if moved:
            moved = -moved
        elif direction in (Direction.POSITIVE, Direction.NEGATIVE):
            direction = Direction.NEGATIVE if direction == Direction.POSITIVE else Direction.POSITIVE
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
                      moved, _by_group(study, names, product, concept, matcher), record_text(study))
