"""What a record's abstract says, read for the judge: its sentences by the part of the
abstract they sit in, the sentence that decides a claim, which way that sentence goes,
the design the study names for itself, its sample size, and the numbers it reports.

Structured abstracts are read by their section labels and NLM categories (BACKGROUND,
METHODS, RESULTS, CONCLUSIONS); an unstructured one by position (its last two sentences
are its conclusion). A design word in a background sentence or in a sentence about
future work ("larger randomised trials are needed") says nothing about this study's
design. Pure functions over :class:`~ldn_graph.model.Study`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ldn_graph.judge.arms import CONTROL_ARM_RE, TREATED_ARM_RE
from ldn_graph.judge.result_words import CI_RE, NEGATIVE_RE, NULL_RE
from ldn_graph.model import Study
from ldn_graph.terms import Direction
from ldn_graph.text import sentence_spans

__all__ = [
    "BACKGROUND",
    "COUNTERPARTS",
    "RESULT_ANAPHOR_RE",
    "concept_clause",
    "CONCLUSIONS",
    "METHODS",
    "RESULTS",
    "Sentence",
    "abstract_sentences",
    "conclusion_direction",
    "deciding_sentence",
    "design_text",
    "direction_of",
    "no_effect_then_worse",
    "significant_p",
    "concept_not_significant",
    "group_left_out",
    "left_out",
    "not_significant",
    "reported_sample_size",
]

#: Where a sentence sits in the abstract.
BACKGROUND, METHODS, RESULTS, CONCLUSIONS = "background", "methods", "results", "conclusions"
_PART_RE = (
    (CONCLUSIONS, re.compile(r"conclu|interpret|implication|significance|discussion", re.I)),
    (RESULTS, re.compile(r"result|finding|outcome", re.I)),
    (METHODS, re.compile(r"method|design|setting|participant|patient|intervention|measure|material|subject", re.I)),
    (BACKGROUND, re.compile(r"background|introduction|context|rationale|objective|aim|purpose|importance", re.I)),
)

# "significantly higher in the bupivacaine group": the group that did better
_BETTER_IN_GROUP_RE = re.compile(
    r"\b(?:significantly )?(?:higher|longer|greater|better|superior)\b[^.;]{0,40}?\bin (?:the )?(?P<group>[\w-]+(?: [\w-]+)?) group",
    re.I,
)
_BETTER_THAN_RE = re.compile(
    r"\b(?:significantly )?(?:better|superior|more (?:accurate|effective|efficacious|precise|reliable|successful))\b"
    r"[^.;]{0,80}?\bthan (?P<than>[^.;]{1,60})", re.I)
# "worse during the naltrexone phase than during the placebo phase": the arm named before
# "than" did worse
_WORSE_THAN_RE = re.compile(r"\b(?:significantly )?(?:worse|poorer|inferior)\b[^.;]{0,80}?\bthan (?P<than>[^.;]{1,60})", re.I)
# "not worse than placebo", "no worse than": no worsening
_NEGATED_BEFORE_RE = re.compile(r"\b(?:not|no|never)\s+(?:\w+\s+)?$", re.I)
#: Null wordings that pass judgement on a finding rather than report one ("a result that
#: argues against a benefit"): a worsening reported by arms in the same sentence decides.
_VERDICT_ON_IT_RE = re.compile(r"argue[sd]? against|(?:is|are|was|were) not (?:strongly )?support(?:ive|ed)|"
                               r"does not support|(?:provide|offer)s? no support for", re.I)
# a result sentence that also says the drug did better is not a negative one
POSITIVE_RE = re.compile(
    r"\b(superior|improv\w*|reduc\w*|lower\w*|decreas\w*|reliev\w*|effective|benefi\w*|better|fewer)\b", re.I)
FUTURE_WORK_RE = re.compile(
    r"\b(are|is) (?:still |urgently |now |therefore |clearly )?(?:needed|required|warranted|necessary)|\bshould(?:,? \w+,?)? be\b|\bfuture\b|"
    r"\bwarrant(?:s|ed)?\b|\bfurther (?:\w+ ){0,3}(?:stud(?:y|ies)|trials?|research|investigation)|"
    r"\bwe (?:propose|recommend|suggest)\b|\bremains? to be\b|\bjustif(?:y|ies|ied)\b|\bcalls? for\b|"
    r"\bpaves? the way\b|\bmerits?\b|\bdeserves?\b|\b(?:is|are) planned\b",
    re.I,
)
#: Groups a claim may be about and an abstract may report on apart ("in women, … was not
#: associated"; "no such effect was seen in male patients"): a claim about one is decided
#: by the sentences about it, never by those about another group alone.
GROUPS = {
    "men": re.compile(r"\b(men|males?|boys)\b", re.I),
    "women": re.compile(r"\b(women|females?|girls)\b", re.I),
    "children": re.compile(r"\b(children|paediatric|pediatric|infants?|adolescents?)\b", re.I),
    "adults": re.compile(r"\b(adults?|elderly|older (?:adults|people|patients))\b", re.I),
    "singletons": re.compile(r"\b(singletons?|singleton pregnanc\w+)\b", re.I),
    "twins": re.compile(r"\b(twins?|twin pregnanc\w+|multiples|multiple pregnanc\w+)\b", re.I),
}
#: Each group and the group an abstract reports on apart from it: a study of women alone
#: ("Fifty-eight women …") reports on no group apart.
COUNTERPARTS = {"men": "women", "women": "men", "children": "adults", "adults": "children",
                "singletons": "twins", "twins": "singletons"}
# a sentence that speaks of the one before it ("no such effect", "this increase")
_ANAPHOR_RE = re.compile(r"^\W*(?:\w+\W+){0,3}?(?:such|this|these|the same|similar)\b", re.I)
#: A result named by referring back to the sentence before: "this increase was greater in
#: group E", "these changes did not differ".
RESULT_ANAPHOR_RE = re.compile(
    r"\b(?:this|these|such|the same)\s+(?:increases?|decreases?|rises?|falls?|drops?|reductions?|changes?|"
    r"differences?|effects?|improvements?|responses?|elevations?)\b", re.I)
# a sentence that says which way something went, or that two arms were compared
_CUE_RE = re.compile(r"\b(significan\w*|compared|than|versus|vs|differ\w*|similar|comparable|associated|"
                     r"effect\w*|benefi\w*|improv\w*|worse\w*|increas\w*|decreas\w*|reduc\w*|higher|lower|"
                     r"fewer|more|less|greater|smaller|rais\w*|prolong\w*|shorten\w*)\b", re.I)

_SAMPLE_RES = (
    re.compile(r"\b[nN]\s*=\s*(\d{1,6})\b"),
    re.compile(r"\b(\d{1,6})\s+(?:\w+\s){0,3}?(?:patients|participants|subjects|women|men|adults|children|"
               r"volunteers|individuals|people|cases|persons)\b", re.I),
)


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int  # offsets into the study's abstract_text
    end: int
    part: str  # background | methods | results | conclusions


def _part(label: str | None, category: str | None) -> str | None:
    """The part a section sits in: NLM's category first ("MAIN OUTCOME MEASURE(S)" is
    filed under METHODS, whatever its label's words), else its label's words."""
    for name in (category, label):
        part = next((part for part, regex in _PART_RE if name and regex.search(name)), None)
        if part is not None:
            return part
    return None


def abstract_sentences(study: Study) -> list[Sentence]:
    """The abstract's sentences in order, each with the part of the abstract it sits in
    (an unstructured abstract: its first sentence background, its last two conclusions,
    the rest results)."""
    out: list[Sentence] = []
    offset = 0
    structured = any(_part(s.label, s.category) for s in study.abstract)
    for section in study.abstract:
        text = section.text
        spans = sentence_spans(text, 0, len(text)) if text else []
        part = _part(section.label, section.category) if structured else None
        for s, e in spans:
            out.append(Sentence(text[s:e], offset + s, offset + e, part or RESULTS))
        offset += len(text) + 1  # abstract_text joins the sections with one space
    if not structured and out:
        last = len(out) - 2
        out = [Sentence(s.text, s.start, s.end, _unlabelled_part(s.text, i, last, len(out))) for i, s in enumerate(out)]
    return out


# In an unstructured abstract, what a study set out to do and how ("Here, we compared …",
# "To define the role of …", "This study aimed to …"), and the gap it fills ("The
# mechanisms remain unclear"): no finding, wherever they stand.
_AIM_RE = re.compile(
    r"^\W*(?:here,?\s+|in this study,?\s+|therefore,?\s+)?we\s+(?:compared|examined|investigated|assessed|evaluated|"
    r"measured|studied|aimed|sought|tested|hypothesi[sz]ed|explored|analy[sz]ed|determined whether)\b"
    r"|^\W*(?:to\s+(?:define|clarify|determine|assess|examine|investigate|evaluate|test|explore|compare)\b)"
    r"|\b(?:this|the present|our) (?:study|trial|work) (?:aimed|was designed|sought|set out)\b"
    r"|^\W*(?:the\s+)?(?:participants|subjects|volunteers)\s+(?:were|included|comprised)\b(?!\s+(?:more|less|significantly|not)\b)"
    r"|^\W*(?:the\s+)?(?:main\s+|primary\s+)?(?:aim|objective|purpose|goal)s?\s+of\s+(?:this|the present|our)\s+(?:study|trial|work|analysis)\s+(?:was|were|is)\b"
    r"|\b(?:were|was) (?:\w+ )?(?:included|enrolled|recruited|randomi[sz]ed to|allocated to|excluded|compared in|compared between)(?! in (?:the|this) (?:analysis|meta-analysis|review))\b"
    r"|\b(?:inclusion|exclusion|eligibility) criteria\b",
    re.I,
)
_GAP_RE = re.compile(r"\b(?:remains?|is|are)\s+(?:still\s+|largely\s+|mostly\s+|poorly\s+|as yet\s+)?(?:unclear|unknown|poorly understood|not (?:well )?(?:known|understood))\b", re.I)


_FIGURES_RE = re.compile(r"\b[Pp]\s*[=<>≤]|\d\s?%|\bCI\b")


def _unlabelled_part(text: str, i: int, last: int, count: int) -> str:
    """The part sentence ``i`` of ``count`` of an unstructured abstract sits in: its first
    background, its last two conclusions, the rest results, but an aim or a method is
    methods and a gap is background wherever it stands (not among the last two)."""
    if i >= last and not (i == last and _FIGURES_RE.search(text)):
        return CONCLUSIONS  # (the last but one is a result where it gives figures)
    if _AIM_RE.search(text):
        return METHODS
    if (i == 0 and count > 3) or _GAP_RE.search(text):
        return BACKGROUND
    return RESULTS


def group_left_out(text: str, group: str) -> bool:
    """Whether a sentence says its finding does not hold for ``group`` ("women, but not
    men, …", "except in children")."""
    return any(re.search(r"\b(?:but not|not|except|other than)\s+(?:in\s+|for\s+|among\s+)?(?:the\s+)?$",
                         text[max(0, m.start() - 24):m.start()], re.I)
               for m in GROUPS[group].finditer(text))


def claim_groups(text: str) -> frozenset[str]:
    """The groups (:data:`GROUPS`) a claim's words name."""
    return frozenset(name for name, regex in GROUPS.items() if regex.search(text))


def says_which_way(text: str) -> bool:
    """Whether a sentence says which way something went or compares arms (a sentence that
    only lists numbers, "the rates were 26% and 32%", does not)."""
    return any(regex.search(text) for regex in (_CUE_RE, NULL_RE, NEGATIVE_RE, POSITIVE_RE)) or significant_p(text)


def deciding_sentence(study: Study, names: Callable[[str], bool],
                      product: Callable[[str], bool] | None = None,
                      group: str | None = None) -> Sentence | None:
    """The sentence that decides a claim whose concept ``names`` recognises: the first in
    the conclusions that names it (one that names the ``product`` too first), else in the
    results, else anywhere but the background (a recommendation or a call for more
    research is no finding); None when the abstract never names it there. With a
    ``group`` (:data:`GROUPS`), only sentences about that group count, and a sentence
    that names the group and refers back to one naming the concept ("no such effect was
    seen in men") counts as naming it."""
    every = abstract_sentences(study)
    sentences = [s for s in every if not _advice(s.text, names)]  # advice is no finding
    if group is None:
        # a sentence naming the concept, or the next one naming its result by referring
        # back ("The MAP rose after intubation. … this increase was greater in group E …")
        follows = {b.start for a, b in zip(every, every[1:], strict=False)
                   if names(a.text) and not names(b.text) and RESULT_ANAPHOR_RE.search(b.text)}
        about = [s for s in sentences if names(s.text) or s.start in follows]
    else:
        regex = GROUPS[group]
        follows = {b.start for a, b in zip(every, every[1:], strict=False)
                   if names(a.text) and _ANAPHOR_RE.search(b.text)}
        about = [s for s in sentences if regex.search(s.text) and (names(s.text) or s.start in follows)]
        alone = [s for s in about if claim_groups(s.text) == {group}]  # "in men, but not in women": men's
        about = alone + [s for s in about if s not in alone]
    # a results or conclusions sentence that names the product too speaks of its effect
    # (one that names the concept alone may speak of another exposure), and one that
    # says which way it went decides before one that only lists numbers or methods
    named = [s for s in about if product is not None and product(s.text) and not _other_arms(s.text, names, product)]
    for pool in (named, about):
        for parts in ((CONCLUSIONS,), (RESULTS,)):
            found = next((s for s in pool if s.part in parts and says_which_way(s.text)), None)
            if found is not None:
                return found
    for parts in ((CONCLUSIONS,), (RESULTS,)):
        found = next((s for s in about if s.part in parts), None)
        if found is not None:
            return found
    return next((s for s in about if s.part == METHODS), None)


def _advice(text: str, names: Callable[[str], bool]) -> bool:
    """Whether a sentence is a recommendation or a call for more research where it speaks
    of the concept (its parts between semicolons that name it; all of them when none
    does): "…, LDN was associated with remission; controlled studies are warranted" is a
    finding."""
    parts = text.split(";")
    return all(FUTURE_WORK_RE.search(c) for c in [c for c in parts if names(c)] or parts)


# A result given for one arm: "… for the TBME group", "in the control arm".
_ARM_RESULT_RE = re.compile(r"\b(?:for|in|among|with)\s+(?:the\s+)?(?P<arm>[\w-]+(?:\s+[\w-]+)?)\s+(?:group|arm|cohort)s?\b", re.I)


def _other_arms(text: str, names: Callable[[str], bool], product: Callable[[str], bool]) -> bool:
    """Whether a sentence gives the concept's result for an arm that is not the
    product's ("increases in maxillary width for the BBME group and in nasal width for
    the TBME group": nasal width is the TBME arm's): the words up to each arm's name are
    that arm's result."""
    cursor = 0
    for m in _ARM_RESULT_RE.finditer(text):
        if names(text[cursor : m.start()]):
            return not product(m.group("arm")) and not TREATED_ARM_RE.search(m.group("arm"))
        cursor = m.end()
    return False


_P_VALUE_RE = re.compile(r"\b[Pp]\s*(?P<op>[=<>≤≥]|&lt;|&gt;)\s*(?P<value>0?\.\d+|1(?:\.0+)?)\b")
_SIGNIFICANT_RE = re.compile(r"\bsignifican", re.I)


# What a finding leaves out: "… after training, but not after computer games", "all
# parameters except corrected near acuity", "tubular injury and not necrosis".
_LEFT_OUT_RE = re.compile(r"\b(?:but not|and not (?=(?:by|in|with|after|for|through|via|from|at)\b)|rather than|instead of|except(?: for)?|with the exception of|other than|apart from)\b"
                          r"(?P<rest>[^.;,]{1,80})", re.I)


def left_out(text: str, names: Callable[[str], bool], product: Callable[[str], bool]) -> bool:
    """Whether a sentence leaves the product or the concept out of what it found: named
    right after "but not", "and not", "rather than", "except" or "other than" (the finding
    is someone else's)."""
    return any(product(m.group("rest")) or names(m.group("rest")) for m in _LEFT_OUT_RE.finditer(text))


def significant_p(text: str) -> bool:
    """Whether a sentence gives a P value below 0.05 ("(P < .0001)")."""
    return any(float(m.group("value")) < 0.05 or (m.group("op") in ("<", "&lt;", "≤") and float(m.group("value")) <= 0.05)
               for m in _P_VALUE_RE.finditer(text))


def concept_not_significant(text: str, names: Callable[[str], bool]) -> bool:
    """Whether the P value a sentence gives the concept is 0.05 or more, whatever it gives
    the others ("cholesterol was significantly higher (P=0.0088), and left atrial pressure
    was higher (P=0.0833)": the pressure's is not significant). The concept's value is the
    first that closes a stretch of the sentence naming the concept."""
    cursor = 0
    for m in _P_VALUE_RE.finditer(text):
        stretch = text[cursor : m.start()]
        if names(stretch):
            value = float(m.group("value"))
            return value >= 0.05 and m.group("op") not in ("<", "&lt;", "≤") and not _SIGNIFICANT_RE.search(stretch)
        cursor = m.end()
    return False


def not_significant(text: str) -> bool:
    """Whether a sentence reports its comparison with P values that are all 0.05 or more
    and no word of significance ("… 0.72 versus 0.51 logMAR (P = .37)"), or, with no P
    value, with confidence intervals that all take in no difference ("a difference of 0.3
    points (95% CI -0.5 to 1.1)"; for a ratio, one: "OR 1.6 (95% CI 0.9-2.8)")."""
    values = [(m.group("op"), float(m.group("value"))) for m in _P_VALUE_RE.finditer(text)]
    if not values:
        text = text.replace("\u2212", "-")  # a minus sign
        null = 1.0 if _RATIO_RE.search(text) else 0.0
        spans = [(float(b.group("low")), float(b.group("high"))) for m in CI_RE.finditer(text)
                 if (b := _BOUNDS_RE.search(m.group()))]
        return bool(spans) and not _SIGNIFICANT_RE.search(text) and all(low < null < high for low, high in spans)
    return not _SIGNIFICANT_RE.search(text) and all(v >= 0.05 and op not in ("<", "&lt;", "≤") for op, v in values)


# the two bounds of a confidence interval (``result_words.CI_RE``), after its "CI"
_BOUNDS_RE = re.compile(r"(?:CI|confidence intervals?)[\s:,=(]{0,3}(?P<low>-?\d+(?:\.\d+)?)\s*(?:to|–|—|,|-)\s*"
                        r"(?P<high>-?\d+(?:\.\d+)?)", re.I)
# a ratio, whose null is 1: odds, hazard, risk or rate ratios
_RATIO_RE = re.compile(r"\b(?:OR|HR|RR|IRR|aOR|aHR|(?:odds|hazard|risk|rate) ratios?)\b")


# after "and": what the product did to sleep ("did not relieve pain and disturbed sleep"), or
# more of something, or worse, than with the control ("and caused more sleep-related adverse
# effects than placebo", "and was associated with worse mood than placebo")
_DISTURBED_RE = re.compile(r"\b(?:disturbed|disrupted|impaired)\s+(?:\w+\s+)?sleep\b"
                           r"|\b(?:more|worse)\b[^.;]{0,60}?\bthan\s+(?:with\s+|on\s+|in\s+)?(?:the\s+)?(?:placebo|sham|control)",
                           re.I)


def no_effect_then_worse(text: str, names: Callable[[str], bool]) -> bool:
    """Whether ``text`` reports no effect and then, after "and" or "but", a worsening of
    the concept ``names`` recognises ("did not improve mood and was associated with a
    worsening of mood", "did not relieve pain and disturbed sleep" for sleep; not for
    pain): the worse finding is the one about the concept."""
    null = NULL_RE.search(text)
    worse = (NEGATIVE_RE.search(text, null.end()) or _DISTURBED_RE.search(text, null.end())) if null else None
    if null is None or worse is None:
        return False
    joint = re.search(r"\b(?:and|but)\b", text[null.end() : worse.start()])
    return joint is not None and names(text[null.end() + joint.start() :])


def direction_of(text: str, names_product: Callable[[str], bool] | None = None) -> Direction:
    """Which way a results or conclusions sentence goes: null ("no significant
    difference"), negative ("worsened", "more frequent with the drug than with placebo",
    or, given ``names_product``, "significantly longer in the bupivacaine group" when
    that group is not the product's), else positive."""
    worse = _WORSE_THAN_RE.search(text)
    worse_than_control = bool(worse and CONTROL_ARM_RE.search(worse.group("than"))
                              and not _NEGATED_BEFORE_RE.search(text, 0, worse.start()))
    null = NULL_RE.search(text)
    if (null and not (worse_than_control and _VERDICT_ON_IT_RE.fullmatch(null.group()))) or not_significant(text):
        return Direction.NULL
    if NEGATIVE_RE.search(text) and not POSITIVE_RE.search(NEGATIVE_RE.sub(" ", text)):
        return Direction.NEGATIVE  # ("reduced efficacy" is no reduction the drug brought about)
    if worse_than_control:
        return Direction.NEGATIVE  # "worse with naltrexone than with placebo"
    if names_product is not None:
        better = _BETTER_IN_GROUP_RE.search(text)
        group = better.group("group") if better else ""
        if better and not names_product(group) and not TREATED_ARM_RE.search(group):
            return Direction.NEGATIVE
        than = _BETTER_THAN_RE.search(text)  # "B gives a significantly longer … than <product>"
        if than and names_product(than.group("than")) and not names_product(text[: than.start()]):
            return Direction.NEGATIVE
    return Direction.POSITIVE


_CLAUSE_RE = re.compile(r";|,?\s+\b(?:but(?!\s+also\b)|while|whereas|although|though|however)\b|,\s+without\b|"
                        r"^\s*(?:while|although|though|whereas)\b", re.I)


def clauses(sentence: str) -> list[str]:
    """The clauses of ``sentence``, cut at ";", "but", "while", "whereas", "although" …;
    a clause opened by "while", "although" … ends at its first comma."""
    cuts = [0, *(m.start() for m in _CLAUSE_RE.finditer(sentence) if m.start() > 0), len(sentence)]
    out: list[str] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        part = sentence[a:b]
        opener = re.match(r"\W*(?:while|although|though|whereas)\b", part, re.I)
        comma = part.find(",", opener.end()) if opener else -1
        out.extend([part[:comma], part[comma + 1:]] if comma > 0 else [part])
    return [c for c in out if c.strip()]


_PRONOUN_RE = re.compile(r"\b(?:it|its|they|their)\b", re.I)


def concept_clause(sentence: str, names: Callable[[str], bool], product: Callable[[str], bool] | None = None) -> str:
    """The clause of ``sentence`` that names the concept ("while X may be lower, Y was not
    different": X's clause for X), or the whole sentence. Where several do, the one that
    names the ``product`` too ("NSVTs recurred after RV pacing; LV pacing did not induce
    NSVTs": RV pacing's)."""
    parts = clauses(sentence)
    named = [c for c in parts if names(c)]
    if len(named) > 1 and product is not None:
        named = [c for c in named if product(c) or _PRONOUN_RE.search(c)] or named  # "its deletion": the product's
    return named[0] if len(parts) > 1 and len(named) == 1 else sentence


def conclusion_direction(study: Study) -> Direction:
    """The direction of the abstract's conclusions as a whole (no sentence names the
    concept): null or negative when they say so, else positive."""
    text = " ".join(s.text for s in abstract_sentences(study) if s.part == CONCLUSIONS)
    return direction_of(text) if text else Direction.POSITIVE


def design_text(study: Study, *, title: bool = True) -> str:
    """The title (with ``title``) and the abstract's sentences that can say what this
    study was: not its background, not its calls for future work."""
    kept = [s.text for s in abstract_sentences(study)
            if s.part != BACKGROUND and not FUTURE_WORK_RE.search(s.text)]
    return " ".join([study.title, *kept] if title else kept)


def reported_sample_size(study: Study) -> int | None:
    """How many took part, as the methods or results say (else anywhere but the background)."""
    sentences = abstract_sentences(study)
    for parts in ((METHODS, RESULTS), (CONCLUSIONS,)):
        text = " ".join(s.text for s in sentences if s.part in parts)
        for regex in _SAMPLE_RES:
            m = regex.search(text)
            if m:
                return int(m.group(1))
    return None
