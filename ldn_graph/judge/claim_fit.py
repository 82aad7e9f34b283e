"""Whether a claim says more than the study behind it: a definitive claim resting on weak
designs, a claim about people resting on animal or cell work, a claim about one condition
resting on a study of another, and numbers that disagree with the abstract.

Pure functions. A hedged claim ("may", "in one small study") is never overstated. Numbers
are compared kind by kind (percentages and proportions, how many took part, how long, the
dose in mg): a claim's number disagrees when the abstract gives numbers of the same kind,
none is within the tolerance of :func:`_close`, and the abstract does not write it at all.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields

from ldn_graph.judge.arms import PEOPLE_NOUNS
from ldn_graph.judge.result_words import CI_RE, NOT_THE_LITERATURE
from ldn_graph.matching import NUMBER_WORDS
from ldn_graph.model import Claim
from ldn_graph.terms import ClaimType, Direction, EvidenceLevel
from ldn_graph.word_keys import STOPWORDS, word_key

__all__ = [
    "DEFINITIVE_RE",
    "Numbers",
    "Overstatement",
    "claim_direction",
    "condition_not_studied",
    "on_a_par",
    "parity_claimed",
    "difference_found",
    "number_mismatch",
    "numbers_in",
    "overstatement",
]

#: Words that state a benefit as settled ("relieves", "cures", "is proven to"), and a verb
#: of effect in the present tense, said as a general truth ("LDN lowers thyroid
#: antibodies", "prevents the side effects", "puts Crohn's disease into remission", "is an
#: effective treatment"; not a study's finding reported in the past, "reduced pain in 31
#: women"); the strong ones ("cures", "proven") on preclinical work or opinion are an
#: error, not a warning.
DEFINITIVE_RE = re.compile(
    r"\b(relieve[sd]?|reverse[sd]?|cure[sd]?|curing|proven|clinically (?:shown|proven)|eliminate[sd]?|"
    r"eradicate[sd]?|heal[sed]*|guarantee[sd]?|stops?|restores?|resolves?|fixes|"
    r"reduces|lowers|decreases|prevents|improves|increases|boosts|eases|treats|calms|normali[sz]es|clears|lifts|"
    r"puts\b[^.;]{0,40}\binto remission|induces remission|(?:is|are) (?:an? )?(?:highly )?effective|"
    # … said in the passive ("is reliably reduced by LDN"), as giving something back ("gives
    # patients their energy back"), or as a benefit ("LDN benefits people with MS"; not "the
    # benefits of LDN")
    r"(?:is|are) (?:\w+ly )?(?:reduced|relieved|reversed|improved|eased|lowered|prevented|cured|resolved|restored|"
    r"eliminated|alleviated|normali[sz]ed) by|(?:gives?|brings?)\b[^.;]{0,60}?\bback|"
    r"benefits(?!\s+(?:of|for|from|include|are|were|and)\b)|needs? (?:fewer|less)\b)\b",
    re.I,
)
STRONG_RE = re.compile(r"\b(cure[sd]?|curing|proven|clinically proven|guarantee[sd]?)\b", re.I)
#: Designs too weak to carry a definitive claim.
WEAK_FOR_DEFINITIVE = frozenset({
    EvidenceLevel.CASE_REPORT, EvidenceLevel.REVIEW, EvidenceLevel.OPINION, EvidenceLevel.PRECLINICAL,
})
# A claim about animals or cells ("in mice", "in cultured cells"; not "sickle cell disease"),
# unless it names people too ("patients with sickle cell disease").
_PEOPLE_EXEMPT_RE = re.compile(
    r"\b(mice|mouse|rats?|animals?|in vitro|cells?(?!\s+(?:disease|an(?:a)?emia|carcinoma|lymphoma|leuka?emia|arteritis|"
    r"trait))|cell lines?|murine|rodents?)\b", re.I)
_PEOPLE_RE_IN_CLAIM = re.compile(rf"\b(?:{PEOPLE_NOUNS}|patient|person|adult|humans?|you|your)\b", re.I)

# the drug keeps a function from harm: a benefit, not a side effect
_PROTECTS_RE = re.compile(r"\b(protect\w*|preserv\w*|safeguard\w*|spar(?:e|es|ed|ing)|shield\w*)\b", re.I)

_WORD_SHARES = {"half": 50.0, "halved": 50.0, "halves": 50.0, "halving": 50.0, "a third": 33.3, "one third": 33.3, "two thirds": 66.7, "a quarter": 25.0,
                "one quarter": 25.0, "three quarters": 75.0, "most": None}
# Counts written out ("sixty women", "two weeks", "nine out of ten"): the whole number words
# the dose reader knows (``matching.NUMBER_WORDS``: one to twenty, twenty-five, fifty) and the
# tens, alone or with a unit ("sixty-two").
_COUNTS = {word: int(value) for word, value in NUMBER_WORDS.items() if value.is_integer() and " " not in word}
_TENS = {word: 10 * n for n, word in enumerate(("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
                                               "ninety"), 2)}
_DIGIT_WORDS = "|".join(w for w, n in _COUNTS.items() if n < 10)
_SPELLED = (rf"(?:{'|'.join(_TENS)})(?:[-\s](?:{_DIGIT_WORDS}))?(?![\w-])|"
            + "|".join(sorted(_COUNTS, key=len, reverse=True)))
_COUNT_RE = rf"\d{{1,3}}(?:,\d{{3}})+|\d+|{_SPELLED}"


def _count(written: str) -> int:
    """The value of a count written in digits ("1,200") or words ("sixty-two")."""
    if written[0].isdigit():
        return int(written.replace(",", ""))
    words = written.lower()
    if words in _COUNTS:
        return _COUNTS[words]
    tens, *unit = re.split(r"[-\s]+", words)
    return _TENS[tens] + (_COUNTS[unit[0]] if unit else 0)


# a percentage, not a confidence level ("95% CI", "(95% confidence interval")
_PERCENT_RE = re.compile(r"(\d{1,3}(?:\.\d+)?)\s?(?:%|per ?cent\b)(?!\s*(?:CI\b|confidence))", re.I)
_SHARE_RE = re.compile(r"\b(" + "|".join(k.replace(" ", r"[\s-]") for k, v in _WORD_SHARES.items() if v) + r")\b", re.I)
# "nine in ten", "3 out of 4", "21 of 36 participants" (the whole is no count of people)
_FRACTION_RE = re.compile(rf"\b({_COUNT_RE})\s+(?:in|out\s+of|of)\s+(?:the\s+)?({_COUNT_RE})\b", re.I)
_PEOPLE_RE = re.compile(
    rf"\b({_COUNT_RE})(?:\s+(?:(?!of\b)[\w-]+\s){{0,2}}?{PEOPLE_NOUNS}"
    r"|-(?:patient|participant|person|subject|woman|man|adult|child)\b)\b", re.I)  # "a 300-patient study"
_DOSE_RE = re.compile(r"\b(\d{1,4}(?:\.\d+)?)\s?(mg|milligrams?|µg|μg|mcg|micrograms?|g)\b", re.I)
_DOSE_MG = {"mg": 1.0, "milligram": 1.0, "µg": 0.001, "μg": 0.001, "mcg": 0.001, "microgram": 0.001, "g": 1000.0}
# a duration, not an age ("a 34-year-old woman")
_DURATION_RE = re.compile(rf"\b(\d{{1,3}}|{_SPELLED})\s*(?:-|\s)?(days?|weeks?|months?|years?)\b(?![\s-]+old\b)", re.I)
_DAYS = {"day": 1, "week": 7, "month": 30.4, "year": 365}


@dataclass(frozen=True)
class Overstatement:
    why: str
    strong: bool  # an error: "cures"/"proven" on preclinical work or opinion


def overstatement(claim_text: str, hedged: bool | None, level: EvidenceLevel | None, uncontrolled: bool,
                  other_condition: str | None = None, unstudied: str | None = None) -> Overstatement | None:
    """Whether a claim says more than its best evidence (``level``; ``uncontrolled``: a
    pilot, open-label or single-arm study; ``other_condition``: the condition the study
    is about when it is not the claim's; ``unstudied``: the condition the claim names that
    the study never does, :func:`condition_not_studied`)."""
    if hedged:
        return None
    about_people = bool(_PEOPLE_RE_IN_CLAIM.search(claim_text)) or not _PEOPLE_EXEMPT_RE.search(claim_text)
    definitive = DEFINITIVE_RE.search(claim_text)
    if level == EvidenceLevel.PRECLINICAL and about_people:
        strong = bool(STRONG_RE.search(claim_text))
        return Overstatement("a claim about people rests only on animal or laboratory work", strong)
    if other_condition:
        return Overstatement(f"the study is about {other_condition}, not the claim's condition", False)
    if unstudied:
        return Overstatement(f"the claim is about {unstudied}, which the study never names", False)
    if definitive is None:
        return None
    word = definitive.group(0)
    if level == EvidenceLevel.PRECLINICAL:
        return None  # a claim about animals or cells ("in mice, … lowers …") on such work says no more than it
    if level in WEAK_FOR_DEFINITIVE:
        strong = bool(STRONG_RE.search(claim_text)) and level == EvidenceLevel.OPINION
        return Overstatement(f"{word!r} is stated as settled, but the best evidence is {level}", strong)
    if uncontrolled:
        return Overstatement(f"{word!r} is stated as settled, but the best evidence is an uncontrolled pilot", False)
    return None


# The people a claim is about, by their condition: "in narcolepsy", "among people with MS",
# "for women in labour", "in patients with chronic cancer pain", or a sentence opening "In
# Crohn's disease, …". The condition is a short run of words (no determiner before it: "in
# the mouse lens" is a place) that ends the clause: punctuation, a marker, the sentence's
# end or a little word ("in prostate cancer than …").
_PEOPLE = rf"(?:{PEOPLE_NOUNS}|those)"
_CONDITION_WORD = r"(?!(?:the|a|an|this|that|their|its|his|her|our|your|these|those|more|less|over|under|about|" \
    r"nearly|almost|up|some|many|most|who|which|that|whose|than|and|or|but|such|like|" + _SPELLED + r")\b)[A-Za-z][\w'’-]*"
_CLAUSE_END = r"(?=\s*(?:$|[,.;:()\[]|(?:than|who|which|that|when|where|while|and|or|but|because|after|before|since|" \
    r"compared|versus|vs|seen|treated|given|taking|" + "|".join(sorted(STOPWORDS)) + r")\b))"
_CONDITION_PHRASE = r"(?P<condition>" + _CONDITION_WORD + r"(?:\s+" + _CONDITION_WORD + r"){0,3}?)"
_CONDITION_RE = re.compile(
    r"\b(?:(?:in|among)\s+(?:(?:the\s+)?" + _PEOPLE + r"\s+(?:with|who\s+have|suffering\s+from|living\s+with|"
    r"undergoing|recovering\s+from)\s+)?|for\s+" + _PEOPLE + r"\s+(?:with|in|who\s+have|suffering\s+from|living\s+with|"
    r"undergoing|recovering\s+from)\s+)" + _CONDITION_PHRASE + _CLAUSE_END, re.I)
# … or right after the concept's words: "the joint pain of rheumatoid arthritis", "the fatigue
# that comes with lupus", "pain caused by endometriosis" (not a place: "tumours of the gut")
# — or after the rest of the concept's noun phrase ("the burning nerve pain of diabetic
# neuropathy", not "… along with fatigue")
_ATTACHED_CONDITION_RE = re.compile(
    r"(?:\s+(?:from|with)|(?:\s+(?!(?:and|or|but|along|together|than|as|in|on|at|for|to|by)\b)[\w'-]+){0,2}?"
    r"\s+(?:of|(?:that|which)\s+(?:comes?|goes?)\s+with|caused\s+by|brought\s+on\s+by|linked\s+to|"
    r"associated\s+with|due\s+to))\s+" + _CONDITION_PHRASE + _CLAUSE_END, re.I)
_OPENING_CONDITION_RE = re.compile(
    r"\W*(?:In|Among|If you (?:live|are living) with|If you have|For (?:" + _PEOPLE + r"|anyone) (?:with|living with))\s+"
    + _CONDITION_PHRASE + ",")
# Words of a condition phrase that name no condition: its people, how bad or how long.
_NO_CONDITION_WORDS = frozenset({
    "people", "patients", "patient", "adults", "adult", "women", "woman", "men", "man", "children", "child",
    "individuals", "sufferers", "those", "users", "others", "everyone", "chronic", "acute", "severe", "mild",
    "moderate", "persistent", "longstanding", "long-standing", "refractory", "older", "elderly", "younger", "young",
    "healthy", "adolescents", "teens", "general", "practice", "clinic", "care", "symptoms", "symptom", "everyday",
    "daily", "ordinary", "normal", "usual", "typical", "common", "life", "lives",
    "condition", "conditions", "disease", "diseases", "disorder", "disorders", "illness", "cases", "samples",
    "populations", "population", "cohorts", "groups", "subjects", "participants", "volunteers", "syndrome",
    "syndromes",
})
# A phrase that is no population: a time ("in the morning", "in weeks"), a study ("in trials"),
# an idiom ("in check", "in balance"), a verb's object ("in reducing"), or animals and cells
# (the preclinical rule speaks of those).
_WORD_RE = re.compile(r"[a-z0-9]+")
_NOT_A_POPULATION_RE = re.compile(
    r"\b(?:morning|evening|night|bedtime|weeks?|months?|years?|days?|hours?|minutes?|time|studies|study|trials?|"
    r"research|practice|theory|humans?|vitro|vivo|cultures?|check|control|balance|line|place|order|particular|"
    r"part|turn|fact|addition|short|half|\w+ing)\b", re.I)


def condition_not_studied(claim: Claim, record_text: str) -> str | None:
    """The condition a benefit or indication claim names for its people ("relieves
    daytime sleepiness in narcolepsy") when the record (title, abstract, MeSH, keywords)
    names none of its words: the claim rests on a study of other people. Compared by word
    keys (``word_keys.word_key``), so "labour" and "labor", "tumours" and "tumor" are one;
    the words of the claim's concept, as matched and as the vocabulary labels it ("pain
    relief in chronic cancer pain", "takes the edge off … in complex regional pain
    syndrome"), and words that name no condition ("patients", "chronic") are left out."""
    if claim.type not in (ClaimType.BENEFIT, ClaimType.INDICATION, ClaimType.MECHANISM) or not record_text:
        return None
    offset = claim.match_end - claim.start
    attached = _ATTACHED_CONDITION_RE.match(claim.text, offset)
    found = [attached.group("condition")] if attached else []
    found += [m.group("condition") for m in _CONDITION_RE.finditer(claim.text, offset)][:1]
    opening = _OPENING_CONDITION_RE.match(claim.text)
    if opening:
        found.append(opening.group("condition"))
    found = [p for p in found if not _NOT_A_POPULATION_RE.search(p) and not _PEOPLE_EXEMPT_RE.search(p)]
    known = {word_key(w) for w in _WORD_RE.findall(record_text.lower())}
    named = " ".join([claim.text[claim.match_start - claim.start : offset], claim.concept.label, *claim.concept.synonyms])
    concept = {word_key(w) for w in _WORD_RE.findall(named.lower())}
    for phrase in found:
        words = {word_key(w) for w in _WORD_RE.findall(re.sub(r"[’']s\b", "", phrase.lower()))
                 if w not in STOPWORDS and w not in _NO_CONDITION_WORDS and w not in NUMBER_WORDS} - concept
        if words and not words & known:
            return phrase
    return None


# Before a harm: the claim says there is none of it ("is free of bleeding", "has done
# away with infection").
_FREE_OF_RE = re.compile(r"\b(?:free (?:of|from)|done away with|(?:does|do) away with|without any|spared?(?:\s+from)?|spares)\s+(?:\w+\s+){0,2}$", re.I)

# The claim says the harm is no more frequent with the product ("headache was no more common
# with LDN than with placebo", "they turned up no more often on naltrexone"): it denies one.
_NO_MORE_RE = re.compile(
    r"\b(?:no|not(?:\s+any)?)\s+(?:\w+\s+)?more\s+(?:common(?:ly)?|often|frequent(?:ly)?|likely|prevalent)\b"
    # "caused no more of them than a sugar pill did"
    r"|\bno\s+more\s+(?:of\s+(?:them|it|these|those)\s+)?than\s+(?:with\s+|on\s+)?(?:an?\s+|the\s+)?(?:placebo|sugar|dummy|sham|control)",
    re.I)
# After the concept: the claim says it does not change ("leaves pregnancy rates unaffected").
_UNAFFECTED_RE = re.compile(r"\s*(?:[\w'-]+\s+){0,4}?(?:unaffected|unchanged|untouched|intact|undisturbed)\b", re.I)


def claim_direction(direction: Direction, claim: Claim) -> Direction:
    """A study's direction as it bears on ``claim``: a harm found more often with the
    drug bears a side-effect claim out; no difference in harms bears out a claim of good
    tolerance; a claim that denies an effect is borne out by no effect, and the effect found
    is the opposite of it. A claim that the drug protects or preserves what a harm would
    damage ("protects renal function") is a claim of benefit, whatever its concept's type."""
    if claim.type in (ClaimType.SAFETY, ClaimType.CONTRAINDICATION) and not _PROTECTS_RE.search(claim.text):
        if claim.concept.product_quality:
            direction = Direction.POSITIVE if direction == Direction.NULL else direction
        elif direction == Direction.NEGATIVE:
            direction = Direction.POSITIVE
    harm = claim.type in (ClaimType.SAFETY, ClaimType.CONTRAINDICATION)
    if claim.negated or _UNAFFECTED_RE.match(claim.text, claim.match_end - claim.start) or (harm and (
            _FREE_OF_RE.search(claim.text, 0, claim.match_start - claim.start) or _NO_MORE_RE.search(claim.text))):
        # "does not lower sperm counts" against a study that found lower counts: the opposite
        direction = {Direction.POSITIVE: Direction.NEGATIVE, Direction.NULL: Direction.POSITIVE}.get(direction, direction)
    return direction


# A claim that the product does better than something: "better than open surgery", "more
# accurately than the 2-D method", "superior to", "outperforms" (not "rather than", "more
# than 50%").
_SUPERIOR_RE = re.compile(
    r"\b(?:(?!(?:rather|other)\b)(?:better|[a-z]{3,}er|more\s+[a-z]+|less\s+[a-z]+)(?:\s+[a-z]+){0,2}?\s+than\b(?!\s+(?:\d|half\b|a\s+(?:third|quarter|half)\b|ever\b|before\b|usual\b|expected\b))"
    r"|superior\s+to\b|outperform\w*)", re.I)
# A study finding the two on a par: "results comparable to open surgery", "similar to that of
# placebo" (not "comparable to previous studies", a comparison with the literature).
_PARITY_RE = re.compile(
    r"\b(?:comparable|similar|equivalent|non-?inferior|on a par)\s+(?:[\w-]+\s+){0,2}?(?:to|with)\b" + NOT_THE_LITERATURE,
    re.I)


def on_a_par(claim_text: str, sentence: str) -> bool:
    """Whether ``sentence`` finds on a par what ``claim_text`` says the product does better
    than: a claim of superiority against a finding of parity is a null result."""
    return bool(_SUPERIOR_RE.search(claim_text) and _PARITY_RE.search(sentence))


# A claim that the product does as well as something, or the same: "the same chance of a
# live delivery as younger women", "as accurately as in Western samples", "just like whole
# glomeruli", "sensitivity comparable to serum testing".
_PARITY_CLAIM_RE = re.compile(
    r"\b(?:(?:the\s+)?same\b[^.;]{0,40}?\bas\b|as\s+(?:well|good|accurately|effectively|reliably|much|fast|quickly|"
    r"sensitive|specific|precisely|safely)\s+as\b|just\s+(?:like|as)\b|comparable\s+to\b|similar\s+to\b|"
    r"equal(?:ly)?\s+to\b|on\s+a\s+par\s+with\b|no\s+(?:worse|less)\s+than\b)", re.I)
# A study finding the two apart: "significantly lower in women aged 40-44 compared with
# younger women", "an altered mechanism in comparison to other CE4 members", "unlike".
_DIFFERENCE_RE = re.compile(
    r"\b(?:lower|higher|less|more|greater|smaller|worse|better|poorer|shorter|longer|weaker|stronger)\b[^.;]{0,60}?"
    r"\b(?:than|compared\s+(?:with|to)|in\s+comparison\s+(?:to|with)|relative\s+to)\b"
    r"|\b(?:differ(?:s|ed)?\s+from|different\s+from|distinct\s+from|altered|unlike|in\s+contrast\s+to)\b", re.I)


def parity_claimed(claim_text: str) -> bool:
    """Whether a claim says the product does as well as something, or the same."""
    return bool(_PARITY_CLAIM_RE.search(claim_text)) and not _SUPERIOR_RE.search(claim_text)


def difference_found(sentence: str) -> bool:
    """Whether a study sentence sets two things apart ("lower … compared with", "altered",
    "unlike")."""
    return bool(_DIFFERENCE_RE.search(sentence))


# --------------------------------------------------------------------------- numbers


@dataclass(frozen=True)
class Numbers:
    shares: tuple[float, ...] = ()  # percentages (proportions as percentages)
    people: tuple[float, ...] = ()
    days: tuple[float, ...] = ()
    doses: tuple[float, ...] = ()  # in mg
    #: the values said as bounds ("more than half", "under 10 patients"): (kind, value) -> +1 at least, -1 at most
    bounds: Mapping[tuple[str, float], int] = field(default_factory=dict)
    #: the shares given in words or as fractions, not as a written percentage
    derived: frozenset[float] = frozenset()


_AT_LEAST_RE = re.compile(r"\b(?:more than|over|at least|upwards of|above|in excess of)\s+(?:the\s+)?$", re.I)
_AT_MOST_RE = re.compile(r"\b(?:less than|fewer than|under|up to|at most|below|no more than)\s+(?:the\s+)?$", re.I)


def _bound(text: str, start: int) -> int:
    before = text[max(0, start - 20) : start]
    return 1 if _AT_LEAST_RE.search(before) else -1 if _AT_MOST_RE.search(before) else 0


def numbers_in(text: str) -> Numbers:
    found: dict[str, list[tuple[float, int]]] = {"share": [], "people": [], "duration": [], "dose": []}
    for m in _PERCENT_RE.finditer(text):
        found["share"].append((float(m.group(1)), m.start()))
    for m in _SHARE_RE.finditer(text):
        if (v := _WORD_SHARES[re.sub(r"[\s-]+", " ", m.group(1).lower())]) is not None:  # "three-quarters"
            found["share"].append((v, m.start()))
    fractions = [m for m in _FRACTION_RE.finditer(text) if 0 < _count(m.group(1)) <= _count(m.group(2))]
    found["share"] += [(round(100 * _count(m.group(1)) / _count(m.group(2)), 1), m.start()) for m in fractions]
    parts = {m.start(g) for m in fractions for g in (1, 2)}  # "nine out of ten people": no count of people
    found["people"] = [(float(_count(m.group(1))), m.start()) for m in _PEOPLE_RE.finditer(text)
                       if m.start(1) not in parts]
    found["duration"] = [(_count(m.group(1)) * _DAYS[m.group(2).lower().rstrip("s")], m.start())
                         for m in _DURATION_RE.finditer(text)]
    found["dose"] = [(float(m.group(1)) * _DOSE_MG[m.group(2).lower().rstrip("s")], m.start())
                     for m in _DOSE_RE.finditer(text)]
    # a share or a count said as a bound ("more than half", "over 300 patients"); "over 12 weeks" is a span
    bounds = {(kind, v): b for kind in ("share", "people") for v, at in found[kind] if (b := _bound(text, at))}
    # shares the text gives in words or as a fraction ("eight in ten" is 80%): no bare "80" bears them out
    derived = frozenset(v for v, _ in found["share"][len(_PERCENT_RE.findall(text)):])
    def values(kind: str) -> tuple[float, ...]:
        return tuple(v for v, _ in found[kind])

    return Numbers(values("share"), values("people"), values("duration"), values("dose"), bounds, derived)


# A time point a sentence is about: "1 week postoperatively", "at 6 months", "one week after
# surgery", "within the first postoperative month".
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "sixth": 6, "twelfth": 12}
_TIME_POINT_RE = re.compile(
    rf"\b(?:(?P<n>{_COUNT_RE})[\s-]+(?P<unit>day|week|month|year)s?"
    r"\s+(?:post-?operatively|after\s+(?:surgery|the\s+(?:operation|procedure|surgery)|treatment|starting)|"
    r"postoperative(?:ly)?|later|of\s+follow-?up)"
    rf"|(?:at|by)\s+(?P<n2>{_COUNT_RE})\s+(?P<unit2>day|week|month|year)s?\b"
    r"|\b(?:within\s+)?the\s+(?P<ord>first|second|third|fourth|sixth|twelfth)\s+(?:post-?operative\s+)?(?P<unit3>day|week|month|year)\b"
    rf"|(?:at|by|in)\s+(?:the\s+)?(?P<unit4>day|week|month|year)\s+(?P<n4>\d{{1,3}})\b)",  # "at week 12"
    re.I,
)


def time_points(text: str) -> set[float]:
    """The time points (in days) a sentence is about: "1 week postoperatively", "at 6
    months", "within the first postoperative month" (30.4 days)."""
    found: set[float] = set()
    for m in _TIME_POINT_RE.finditer(text):
        if m.group("ord"):
            n, unit = _ORDINALS[m.group("ord").lower()], m.group("unit3")
        elif m.group("n4"):
            n, unit = int(m.group("n4")), m.group("unit4")
        else:
            raw, unit = (m.group("n"), m.group("unit")) if m.group("n") else (m.group("n2"), m.group("unit2"))
            n = _count(raw)
        found.add(n * _DAYS[unit.lower()])
    return found


def _close(a: float, b: float, absolute: float, relative: float) -> bool:
    return abs(a - b) <= max(absolute, relative * max(abs(a), abs(b)))


_BARE_RE = re.compile(r"\d+(?:\.\d+)?")


#: How far (percentage points) a share said in words or as a fraction may be from the figure.
_WORDED_SHARE_SLACK = 4.0


def number_mismatch(claim_text: str, abstract: str, about: str = "") -> str | None:
    """What number of the claim no number of the same kind in the abstract bears out
    ("the claim says 70% but the abstract reports 31%"), or None. The numbers are those
    of the sentences ``about`` the claim's concept where they give one of that kind (a
    survival rate elsewhere in the abstract does not bear out a response rate), else the
    whole abstract's. A confidence interval is no result; a claim's number written
    anywhere in the abstract (a table-like "9.75 ± 13.95 vs. 56.42 ± 12.46 mg") bears
    it out."""
    abstract = CI_RE.sub(" ", abstract)
    said, everywhere = numbers_in(claim_text), numbers_in(abstract)
    near = numbers_in(CI_RE.sub(" ", about))
    found = Numbers(*(getattr(near, f.name) or getattr(everywhere, f.name) for f in fields(Numbers)))
    bare = [float(x) for x in _BARE_RE.findall(abstract)] + [
        float(_count(m.group(0))) for m in re.finditer(rf"\b(?:{_SPELLED})\b", abstract, re.I)]
    for kind, claim_values, values, absolute, relative, unit in (
        ("share", said.shares, found.shares, 2.0, 0.0, "%"),
        ("people", said.people, found.people, 0.0, 0.1, " people"),
        ("duration", said.days, found.days, 1.0, 0.1, " days"),
        ("dose", said.doses, found.doses, 0.0, 0.05, " mg"),
    ):
        if not claim_values or not values:
            continue
        for value in claim_values:
            bound = said.bounds.get((kind, value), 0)
            if bound and any(bound * (v - value) > 0 for v in values):
                continue  # "more than half" against 61.5%
            # a number written anywhere bears it out; a duration (in days) or a share in words is compared by kind only
            written = not (kind == "duration" or (kind == "share" and value in said.derived))
            # a share in words is a rounded one ("two in three" for 69%)
            slack = _WORDED_SHARE_SLACK if kind == "share" and value in said.derived else absolute
            if not any(_close(value, v, slack, relative) for v in values) and not (written and value in bare):
                shown = ", ".join(f"{v:g}{unit}" for v in values[:4])
                return f"the claim says {value:g}{unit} ({kind}) but the abstract reports {shown}"
    return None
