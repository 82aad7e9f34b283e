"""Whether a study is about the product and about a concept: the topical half of
judging a claim (:mod:`ldn_graph.judge.evidence` does the rest).

A study is about the product when its MeSH headings or chemicals name the product's
descriptor, or its title or abstract names the product (and not at a dose above the
vocabulary's low-dose ceiling); about a concept when its MeSH headings carry one of the
concept's descriptors, else its title, an abstract sentence or a keyword names it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ldn_graph.extract.context import ProductContext
from ldn_graph.judge.abstract import (
    BACKGROUND,
    RESULT_ANAPHOR_RE,
    abstract_sentences,
    significant_p,
)
from ldn_graph.judge.arms import TREATED_ARM_RE, TREATED_ARM_WORDS, arms_by_numbers
from ldn_graph.judge.polarity import polarity
from ldn_graph.matching import DEFINITION_RE, TermMatcher
from ldn_graph.model import Concept, Study, Vocabulary
from ldn_graph.terms import ClaimType, RecordField
from ldn_graph.text import sentence_spans

__all__ = ["Matcher", "TopicMatch"]


@dataclass(frozen=True)
class TopicMatch:
    matched_on: RecordField
    rationale: str
    field: RecordField
    start: int | None
    end: int | None


# "… surgery (study group)", "… (group 2)": the label of the arm that got the product
_ARM_LABEL_RE = re.compile(rf"\(\s*((?:the )?(?:{TREATED_ARM_WORDS}) (?:group|arm)|group [A-Z0-9]{{1,3}})\s*\)", re.I)
# the verb phrase that says what became of a concept named before it: "was significantly
# shorter", "pupated faster", "grew larger"
_COMPARATIVE = (
    r"(?:significantly\s+|much\s+|markedly\s+)?(?:faster|slower|sooner|later|earlier|longer|shorter|more|less|"
    r"higher|lower|better|worse|larger|smaller)\b"
)
_VERB_RE = re.compile(rf"\b(?:was|were|is|are|became|remained)\b[^.;,]{{0,30}}|\b[a-z]+(?:ed|s)\s+{_COMPARATIVE}")
# After a concept, in its clause: the change said of a measure of it ("prevalence followed a
# linear trend, with increased odds in 2012").
_WITH_CHANGE_RE = re.compile(
    r"\bwith\s+(?:an?\s+)?(?:significantly\s+)?(increas\w*|decreas\w*|higher|lower|greater|reduc\w*|rising|falling)\s+"
    r"(?:odds|risks?|rates?|levels?|prevalence|incidence|frequenc(?:y|ies)|numbers?|proportions?)\b", re.I)
# A harm that got better went down: "insomnia ratings improved", "headache resolved".
_HARM_EASED_RE = re.compile(r"\b(?:improv|resolv|subsid|abat|disappear|clear)\w*", re.I)
# A sentence that opens with what it compares against: "Compared with saline, …", "Versus placebo, …"
_OPENING_COMPARISON_RE = re.compile(
    r"\W*(?:compared\s+(?:with|to)|versus|vs\.?|relative\s+to|in\s+comparison\s+(?:with|to)|as\s+opposed\s+to)\s+[^,;]{1,60},",
    re.I)
_CONTRAST_RE = re.compile(r";|\b(?:whereas|while|but|although|though|however)\b", re.I)
_NOT_RE = re.compile(r"\b(?:not|no|never|nor)\b", re.I)
_NONE_BEFORE_RE = re.compile(r"\b(?:no|without(?: any)?|free of|absence of)\s+(?:[\w-]+\s+){0,2}$", re.I)
_INNER_ABBREVIATION_RE = re.compile(r"\s*\([A-Z][A-Za-z0-9-]{0,9}\)(?=\s+[a-z])")
_BRACKETED_RE = re.compile(r"\s*\([^()]*\)")


def _unbracketed(text: str) -> str:
    """``text`` without what stands in brackets (nested ones too)."""
    while True:
        shorter = _BRACKETED_RE.sub("", text)
        if shorter == text:
            return text
        text = shorter


# A comparison right after a concept that is a verb: "pupated faster", "healed sooner".
_COMPARATIVE_AFTER_RE = re.compile(rf"\s+{_COMPARATIVE}", re.I)
# A level a verb phrase gives the concept: "accuracy … was uniformly low", "was poor".
_LOW_LEVEL_RE = re.compile(r"\b(?:was|were|is|are|remained)\s+(?:\w+\s+)?(?:low|poor|weak|inadequate|unsatisfactory)\b", re.I)
_HIGH_LEVEL_RE = re.compile(r"\b(?:was|were|is|are|remained)\s+(?:\w+\s+)?(?:high|excellent|strong|good)\b", re.I)


def _level(phrase: str) -> int:
    """-1 when a verb phrase says the concept was low or poor, +1 high or good, else 0."""
    if _LOW_LEVEL_RE.search(phrase):
        return -1
    return 1 if _HIGH_LEVEL_RE.search(phrase) else 0


# A concept named as its error or deviation ("errors in predicted astigmatism"): what
# lowers the error raises the concept.
_ERROR_OF_RE = re.compile(r"\b(?:errors?|inaccurac(?:y|ies)|deviations?|bias)\s+(?:in|of|from)\s+(?:the\s+)?$", re.I)
# a sentence that compares two arms
_ARMS_RE = re.compile(r"\b(than|versus|vs\.?|compared (?:with|to)|as opposed to|relative to|in comparison (?:with|to))\b", re.I)


# An arm named as a group: "the stent group", "the TBME arm".
_ARM_NAME_RE = re.compile(r"\bthe (?P<arm>[\w-]+(?: [\w-]+)?) (?:group|arm|cohort)s?\b", re.I)


def _arm_of(text: str, start: int, end: int) -> str | None:
    """The arm whose result a concept named at ``text[start:end]`` is: the one named in
    the next few words after it ("hyphema was lower in the stent group"), else the one
    nearest before it in its clause ("…, with the stent group achieving a reduced incidence
    of hyphema"); None when no arm is named there."""
    after = _ARM_NAME_RE.search(text, end, min(len(text), end + 60))
    if after is not None and not re.search(r"[;,]|\band\b", text[end : after.start()]):
        return after.group("arm")
    clause = max(text.rfind(",", 0, start), text.rfind(";", 0, start))
    before = [m for m in _ARM_NAME_RE.finditer(text, clause + 1, start)]
    return before[-1].group("arm") if before else None


# Figures given item by item: "The sensitivity of KAP, BM and real-time PCR … was 21.4%,
# 37.5% and 76.8%, respectively".
_NUMBER_OF_LIST = r"-?\d+(?:\.\d+)?\s*%?"
_RESPECTIVE_VALUES_RE = re.compile(
    rf"(?P<values>{_NUMBER_OF_LIST}(?:\s*(?:,\s*(?:and\s+)?|and\s+){_NUMBER_OF_LIST})+)\s*\)?\s*,?\s*respectively\b", re.I
)
_ITEM = r"[A-Za-z][\w/.+-]*(?:\s+[A-Za-z][\w/.+-]*){0,3}"
_ITEM_LIST_RE = re.compile(rf"(?P<items>{_ITEM}(?:\s*,\s*{_ITEM})*\s*,?\s+and\s+{_ITEM})")


def _respective_figures(text: str, product: Callable[[str], bool]) -> int:
    """+1 when figures given "respectively" put the product's item highest, -1 lowest, 0
    otherwise (no such list, the product not one of its items, or neither end)."""
    m = _RESPECTIVE_VALUES_RE.search(text)
    if m is None:
        return 0
    values = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", m.group("values"))]
    lists = list(_ITEM_LIST_RE.finditer(text, 0, m.start()))
    if not lists:
        return 0
    items = [i.strip() for i in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", lists[0].group("items")) if i.strip()]
    if len(items) != len(values):
        return 0
    ours = [v for item, v in zip(items, values, strict=True) if product(item)]
    if len(ours) != 1:
        return 0
    if ours[0] == max(values) and values.count(ours[0]) == 1:
        return 1
    if ours[0] == min(values) and values.count(ours[0]) == 1:
        return -1
    return 0


class Matcher:
    """Decides whether a study is about the product and about a concept."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self._concept_matchers: dict[str, TermMatcher] = {}
        self._product = ProductContext(vocabulary)  # the product's names and its dose ceiling
        self._indications: TermMatcher | None = None
        self._broader = {c.iri: c.broader for c in vocabulary.concepts}

    def _concept_matcher(self, concept: Concept) -> TermMatcher:
        m = self._concept_matchers.get(concept.iri)
        if m is None:
            m = self._concept_matchers[concept.iri] = TermMatcher([concept])
        return m

    def said_absent(self, text: str, concept: Concept) -> bool:
        """Whether ``text`` says there was none of the concept: "There were no postoperative
        complications", "no serious adverse events" (a harm found absent is no effect)."""
        return any(_NONE_BEFORE_RE.search(text, max(0, start - 40), start)
                   for _, start, _ in self._concept_matcher(concept).find(text))

    def names(self, concept: Concept) -> Callable[[str], bool]:
        """Whether a text names ``concept``."""
        matcher = self._concept_matcher(concept)
        return lambda text: bool(matcher.find(text))

    def polarity(self, text: str, concept: Concept, product: Callable[[str], bool] | None = None) -> int:
        """Which way ``text`` says the concept moved: the words just before its first
        mention ("increases DFs", "lowers the dominant frequency"), else the verb phrase
        after it ("duration of sensory block was significantly shorter"); +1, -1 or 0. In a
        sentence that compares arms, the movement is the arm's named before "than": the
        product's when it is named there, the other way round when it is named only after
        ("higher in group PS than in group PP", PP the product's arm: -1), and 0 when the
        product is not named at all. ``product``: the study's own names for the product
        (:meth:`product_in`)."""
        found = self._concept_matcher(concept).find(text)
        anaphor = None if found else RESULT_ANAPHOR_RE.search(text)
        if not found and anaphor is None:
            return 0
        sign = 1
        names = product or self.names_product
        arms = _ARMS_RE.search(text)
        start, end = (found[0][1], found[0][2]) if found else anaphor.span()  # type: ignore[union-attr]
        if _ERROR_OF_RE.search(text, max(0, start - 30), start):
            sign = -sign
        opener = _OPENING_COMPARISON_RE.match(text)
        if opener and _CONTRAST_RE.search(text, opener.end(), start):
            opener = None  # "…, whereas the other arm conferred more risk for X": X is not in the opener's clause
        if opener:  # "Compared with saline, naltrexone reduced …": the comparator opens, the rest is the product's
            if names(opener.group(0)) and not names(text[opener.end():]):
                sign = -sign
        elif arms:
            if not names(text[: arms.start()]):
                if not names(text[arms.end():]):
                    return 0
                sign = -sign
        else:
            arm = _arm_of(text, start, end)
            if arm is not None and not names(arm) and not TREATED_ARM_RE.search(arm) and not names(text):
                sign = -sign  # "hyphema was lower in the stent group": the other arm's result
        # the words before the concept, figures in brackets aside ("decreases in total volume
        # (-459.2 mm(3); P = 0.04) and oropharynx volume": the oropharynx's is a decrease)
        # (a result named by referring back moves by what is said of it after: "this
        # increase was greater in group E")
        before = 0 if anaphor else polarity(_unbracketed(text[max(0, start - 200) : start])[-40:] + text[start:end])
        if before:
            return sign * before
        right_after = _COMPARATIVE_AFTER_RE.match(text, end)
        if right_after:  # "larvae … pupated faster than …": the concept is the verb
            return sign * polarity(right_after.group(0))
        harm = concept.claim_type == ClaimType.SAFETY
        for verb in _VERB_RE.finditer(text[end:end + 160]):  # "… was reached by 6 months and was higher"
            if harm and _HARM_EASED_RE.search(verb.group(0)) and not _NOT_RE.search(verb.group(0)):
                return -sign  # "insomnia ratings improved more with naltrexone": less of the harm
            moved = polarity(verb.group(0)) or _level(verb.group(0))
            if moved:
                return sign * moved
        with_change = _WITH_CHANGE_RE.search(text, end, end + 160)  # "… followed a linear trend, with increased odds"
        if with_change:
            return sign * polarity(with_change.group(1))
        named = product or self.names_product
        if significant_p(text):
            by_arm = arms_by_numbers(text, named)
            if by_arm:
                return by_arm
        return sign * _respective_figures(text, named)

    def names_product(self, text: str) -> bool:
        """Whether a text names the product, an abbreviation bracketed inside its name
        aside ("right ventricular (RV) pacing" names "right ventricular pacing")."""
        if self._product.product_mention(text) is not None:
            return True
        inside = _INNER_ABBREVIATION_RE.sub("", text)
        return inside != text and self._product.product_mention(inside) is not None

    def names_in(self, concept: Concept, study: Study) -> Callable[[str], bool]:
        """Whether a sentence of ``study`` names ``concept``, by its labels or by an
        abbreviation the abstract defines for one ("postoperative nausea and vomiting
        (PONV)")."""
        matcher = self._concept_matcher(concept)
        defined = matcher.defined_abbreviations(study.abstract_text)
        return lambda text: bool(matcher.find(text, defined))

    def product_in(self, study: Study) -> Callable[[str], bool]:
        """Whether a sentence of ``study`` names the product, by its names, by an
        abbreviation the abstract defines for one ("diethylstilbestrol (DES)", the rule of
        :meth:`~ldn_graph.matching.TermMatcher.defined_abbreviations`), or by the label of
        the arm it gives the product ("… laser-assisted surgery (study group)")."""
        text = study.abstract_text
        short = set()
        for regex in (DEFINITION_RE, _ARM_LABEL_RE):
            for m in regex.finditer(text):
                before = text[max(0, m.start() - 40):m.start()].rstrip()
                mention = self._product.product_mention(before)
                label = m.group(1)
                if mention and before.lower().endswith(mention.lower()) and (
                        regex is _ARM_LABEL_RE or label[0].lower() == mention[0].lower()):
                    short.add(label)
        if not short:
            return self.names_product
        pattern = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, sorted(short))) + r")s?(?![\w-])")
        return lambda sentence: self.names_product(sentence) or bool(pattern.search(sentence))

    def _conditions(self, text: str) -> list[tuple[Concept, int, int]]:
        """The vocabulary's conditions (its indication concepts) named in ``text``, where."""
        if self._indications is None:
            self._indications = TermMatcher([c for c in self.vocabulary.concepts if c.claim_type == ClaimType.INDICATION])
        return self._indications.find(text)

    def other_condition(self, study: Study, concept: Concept) -> str | None:
        """The condition a study's title is about when the claim's is a different one
        (an indication claim resting on a study of another indication)."""
        if concept.claim_type != ClaimType.INDICATION:
            return None
        others = [c for c, _s, _e in self._conditions(study.title) if c.iri != concept.iri]
        return others[0].label if others else None

    def _under(self, concept: Concept) -> set[str]:
        """``concept``'s IRI and those of every concept it is under by skos:broader."""
        seen: set[str] = set()
        todo = [concept.iri]
        while todo:
            iri = todo.pop()
            if iri not in seen:
                seen.add(iri)
                todo.extend(self._broader.get(iri, ()))
        return seen

    def conditions_named(self, text: str, concept: Concept) -> list[tuple[str, list[Concept]]]:
        """The conditions a claim of ``concept`` names for its people ("eases the aching joints
        of rheumatoid arthritis"), as written, each with the concepts it takes in by
        skos:broader, itself first (a study of Crohn's disease is one of an inflammatory
        disorder); not ``concept`` itself nor one it is under or that is under it."""
        own = self._under(concept)
        return [(text[start:end], [c, *(x for x in self.vocabulary.concepts if x is not c and c.iri in self._under(x))])
                for c, start, end in self._conditions(text) if c.iri not in own and concept.iri not in self._under(c)]

    def about_product(self, study: Study) -> tuple[bool, str]:
        vocab = self.vocabulary
        uis = {m.ui for m in study.mesh} | {c.ui for c in study.chemicals}
        text = f"{study.title} {study.abstract_text}"
        named = [ui for ui in vocab.subject_mesh if ui in uis]
        mention = self._product.product_mention(text)
        if not named and not mention:
            return False, f"the record does not mention {vocab.subject_label} (title, abstract, MeSH)"
        # what the study gave, not what its background recalls ("Low-dose naltrexone is used
        # off-label …" before a trial of naltrexone 50 mg)
        studied = " ".join([study.title, *(s.text for s in abstract_sentences(study) if s.part != BACKGROUND)])
        dose = None if self._product.names_low_dose_product(studied) else self._product.dose_above_ceiling(studied)
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
