"""The type of a claim, from its sentence; the vocabulary's type is only the default.

* A dose is a dosing claim, wherever it stands.
* "must not be combined with X", "should not be taken with X", or a contraindications
  section: a contraindication.
* "side effects include X", "may cause X", "adverse events such as X", or a side-effects
  section: a safety claim, whatever X's default type ("fatigue" among side effects is not
  a benefit).
* "improvement in X", "reduced X", "relief from X", "less X": a benefit, even where X is
  a side effect or a contraindication by default ("helps with insomnia").
* A benefit's symptom named as a harm is no benefit: one that got worse ("a flare of
  joint pain", "worse tiredness"), or one listed beside a harm ("shivers and aching",
  "aching or feeling flu-ish"); nor one listed beside a condition where nothing is said
  to get better ("Fibromyalgia and widespread body pain"), nor one a warning against
  combining names ("it blocks their pain relief": the other medicine's).
* Less of a concept that the vocabulary says less of is another ("ldng:lessIs": fewer
  opioids is an opioid-sparing benefit, not concurrent opioid use) is that other concept.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ldn_graph.extract.scores import falls, falls_after
from ldn_graph.model import Concept
from ldn_graph.terms import ClaimType

CONTRAINDICATION_CUE_RE = re.compile(
    r"\b(should not be (?:taken|used|combined)|must not be|do not (?:take|use|combine)|never (?:take|combine|use)|"
    r"contraindicat\w*|may precipitate|avoid (?:taking|using|use|combining)|not be taken with|"
    r"(?:isn't|is not|not) (?:safe|suitable) (?:to take |to combine )?(?:with|alongside|if|for))\b",
    re.I,
)
SAFETY_SECTION_RE = re.compile(
    r"\b(side[- ]effects?|adverse|precautions?|warnings?|use caution|common|less common|rare|"
    r"safety|interactions?)\b",
    re.I,
)
CONTRA_SECTION_RE = re.compile(r"\bcontraindicat", re.I)

# Before a concept, in its sentence: what follows is an adverse effect. Named as one,
# whatever the concept; caused, unless the concept is a mechanism ("the blockade can lead
# to a rebound in endorphins" is how it works).
_ADVERSE_CUE_RE = re.compile(
    r"\b(?:side[- ]?effects?|adverse (?:events?|effects?|reactions?)|unwanted effects?)\b[^.;]{0,40}?"
    r"\b(?:include[sd]?|including|such as|like|are|were|was|is|can be|may be|were mostly|reported)\b",
    re.I,
)
_CAUSED_CUE_RE = re.compile(
    r"\b(?:may|can|could|might|does|did|do|sometimes|occasionally|often|will|tends? to)\s+(?:\w+\s+)?"
    r"(?:cause|causes|caused|trigger|triggers|bring on|brings on|lead to|leads to|worsen|worsens|produce|give you|gave me)\b",
    re.I,
)
# Words of a change for the better, wherever they stand.
_BETTER_WORDS = r"improv\w*|better|reduc\w*|less|fewer|lower\w*|relie\w*|eas(?:e|es|ed|ing)|decreas\w*"
# Right before a concept (same clause): a change for the better.
_BETTER_BEFORE_RE = re.compile(
    r"\b(?:" + _BETTER_WORDS + r"|alleviat\w*|"
    r"resolv\w*|calm\w*|clear(?:s|ed|ing)?|lift(?:s|ed|ing)?|help(?:s|ed|ing)?(?:\s+with)?|fights?|tackles?|treat\w*|cut\w*(?:\s+right)?(?:\s+(?:down|back))?(?:\s+on)?|"
    r"need(?:s|ed)?\s+(?:less|fewer)|wean\w*(?:\s+off)?|taper\w*(?:\s+off)?|came\s+off|come\s+off|off|"
    r"(?:barely|hardly|rarely|seldom)\s+(?:touch|need|use|take|reach)\w*(?:\s+for)?|(?:less|reduced|lower)\s+(?:reliance|dependence)\s+on|"
    r"(?:haven't|hasn't|have\s+not|has\s+not)\s+needed(?:\s+a\s+single)?|halv(?:e|es|ed|ing)|down\s+to|(?:gets?|got|getting)\s+through\s+(?:[\w-]+\s+){0,3}without|"
    # taken less often than before: "I've gone from daily naproxen to …", "I used to need ibuprofen four times a day"
    r"(?:went|gone|go|going)\s+from|used\s+to\s+(?:need|take|rely\s+on|live\s+on)|"
    # idioms of less: "turns the volume down on persistent pain", "take the edge off", "dial down"
    r"turn(?:s|ed|ing)?\s+(?:the\s+volume\s+down|down\s+the\s+volume)\s+on|"
    r"t(?:ake|akes|ook|aking)\s+the\s+(?:edge|sting)\s+(?:off|out\s+of)|dial(?:s|led|ling)?\s+down|tone(?:s|d)?\s+down|quieten\w*|quiet(?:s|ed|ing)?)"
    # "cut down or stopped a regular painkiller", "fewer prescriptions for analgesics"
    r"(?:\s+or\s+stop(?:ped|ping)?(?:\s+(?:a|at\s+least\s+one|one))?)?"
    r"(?:\s+(?:in|of|from|on|the|their|your|my|his|her|our|its|overall|daily|nightly|night-time|some|much|any|"
    r"other|regular|strong|usual|rescue|as-needed|simple|odd|occasional|use\s+of|over-the-counter|OTC|"
    r"prescriptions\s+for))*\s*$",
    re.I,
)
# Right after a concept: "opioid use fell by a third", "insomnia eased".
_BETTER_AFTER_RE = re.compile(
    # (not across a denial: "pain that has not settled")
    r"(?:(?!\b(?:not|never|hasn't|haven't|hadn't|didn't|doesn't|won't|isn't|wasn't)\b)[\s\w'-]){0,25}?\b(?:fell|dropped|decreased|declined|went down|came down|halved|eased|improved|lessened|"
    r"settled|resolved|was reduced|were reduced|was cut|were cut|"
    # milder or rarer than they were: "flares come less often", "relapses seem milder"
    r"rarer|milder|shorter|less\s+(?:often|frequent|severe|intense|brutal|fierce|bad|disabling|debilitating|painful|draining|crushing)|nowhere\s+near\s+as\s+bad|"
    # … than they used to be: "flaring twice a year now instead of five or six times"
    r"(?:instead\s+of|rather\s+than)\s+(?:the\s+usual|a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d+|every))\b"
    # … or still there, but less: "The bad weeks still come, but they're shorter", "bad days, but fewer of them"
    r"|[\s\w'-]{0,25}?[,:]?\s+(?:[\w'’-]+,?\s+){0,4}?but\s+(?:[\w'’-]+\s+){0,6}?(?:short|shorter|mild|milder|rarer|fewer|quicker|"
    r"less\s+(?:often|frequent|severe)|(?:over|pass(?:es|ed)?)\s+more\s+quickly)\b"
    # … or lasted less than it used to: "it lasted four days instead of the usual fortnight"
    r"|[^.;]{0,80}?\b(?:lasted|lasting|took|over\s+in)\s+(?:[\w-]+\s+){0,3}(?:instead\s+of|rather\s+than)\s+the\s+usual\b",
    re.I,
)
_CLAUSE_RE = re.compile(r"[,;:(]")


def clause_before(text: str, start: int) -> str:
    """The clause of ``text`` up to ``start``: at most 60 characters, from the last comma,
    semicolon, colon or bracket on."""
    window = text[max(0, start - 60) : start]
    cut = max((m.end() for m in _CLAUSE_RE.finditer(window)), default=0)
    return window[cut:]


def better(text: str, start: int, end: int) -> bool:
    """Whether the sentence ``text`` says the concept at ``text[start:end]`` got better (less of it):
    "less pain", "flares are milder", "crashes went from every week to once a month"."""
    return better_before(text, start) or bool(_BETTER_AFTER_RE.match(text, end)) or falls_after(text, end)


def better_before(text: str, start: int) -> bool:
    """Whether the clause before ``text[start:]`` says what follows got better ("less", "eased")."""
    return bool(_BETTER_BEFORE_RE.search(clause_before(text, start)))


def adverse(concept: Concept, text: str, start: int) -> bool:
    """Whether the sentence ``text`` names the concept at ``start`` as an adverse effect."""
    before = text[max(0, start - 120) : start]
    if _ADVERSE_CUE_RE.search(before):
        return True
    return concept.claim_type != ClaimType.MECHANISM and bool(_CAUSED_CUE_RE.search(before))


# Right before a symptom, in its clause: it got worse ("a brief flare of joint pain",
# "worse tiredness", "an increase in aches").
_WORSE_WORDS = r"flare[sd]?(?:-ups?)?|worse|worsen(?:s|ed|ing)?"
_WORSE_BEFORE_RE = re.compile(
    r"(?:\b(?:" + _WORSE_WORDS + r")\b(?:\s+(?:of|in))?"
    # a rise as a noun only: "an increase in aches", not "increases daily walking"
    r"|\b(?:increases?|rises?|spikes?|surges?|upticks?)\s+(?:of|in))(?:\s+[\w-]+){0,2}\s*$",
    re.I,
)
# Between two symptoms of a list: "shivers and aching", "aching or feeling flu-ish", "pain or rash".
# A comma alone, or "and"/"or" with up to two words of the next item before it.
_LISTED_RE = re.compile(r"\s*,\s*|\s*,?\s*(?:and|or|&|/)\s+(?:(?!(?:but|for|with|in|on|to|at|as|if|when|than|which)\b)[\w-]+\s+){0,2}", re.I)

# Anywhere in a sentence: something got better (a list of conditions has no such word).
ANY_BETTER_RE = re.compile(
    r"\b(?:" + _BETTER_WORDS + r"|help\w*|lift\w*|calm\w*|fell|fall\w*|drop\w*|down|settl\w*|resolv\w*|manag\w*|"
    r"treat\w*|milder|edge\s+off|restor\w*|clear(?:s|ed|ing)?|sharpen\w*)\b", re.I)

# Anywhere in a sentence: symptoms got worse ("a brief worsening of your usual MS symptoms",
# "people with autoimmune conditions feel worse for a few days", "symptoms may stir up").
WORSENING_RE = re.compile(r"\b(?:" + _WORSE_WORDS + r"|stir(?:s|red)?\s+up|flicker\w*)\b", re.I)

# After a concept there is less of: it is to be stopped before the product is started ("come
# off opioids completely first", "complete the taper before LDN is started"), a precondition.
_BEFORE_STARTING_RE = re.compile(
    r"\b(?:before|prior\s+to)\s+(?:starting|you\s+start|beginning|LDN\s+is\s+started|it\s+is\s+started)\b|\b(?:completely\s+)?first\b",
    re.I)
# … unless the story goes on to needing less ("came off codeine first, and now rarely needs any").
_NEEDS_LESS_RE = re.compile(r"\b(?:rarely|barely|hardly|no\s+longer|(?:haven't|hasn't|have\s+not|has\s+not)\s+needed|only\s+need\w*|fewer|less)\b", re.I)

# A label that itself says there is less: "fewer painkillers", "less pain".
_LESS_RE = re.compile(r"(?:less|fewer|lower|reduced|no more)\b", re.I)

Span = tuple[Concept, int, int]


def without_harm_symptoms(found: list[Span], text: str, context: str) -> tuple[list[Span], set[tuple[int, int]]]:
    """``found`` without the benefits whose symptom the sentence names as a harm, though not
    as a side effect: one it says got worse, or one listed beside a harm ("a few days of
    aching or feeling flu-ish" names no pain relief); and those listed beside a condition
    where neither the sentence nor its heading or lead-in says anything gets better
    ("Fibromyalgia and whole-body pain", an item of a list of conditions). A concept whose
    words name a harm too (``harm_too``) listed beside a harm is kept, as that harm: the
    spans of those come back too, to be typed safety."""
    harms = [(s, e) for c, s, e in found if claim_type(c, text, s, e, context) == ClaimType.SAFETY]
    named_harms = list(harms)  # harms, not the conditions of a list of them
    if not (ANY_BETTER_RE.search(f"{context} {text}") or falls(text)):  # a list of conditions
        harms += [(s, e) for c, s, e in found if c.claim_type == ClaimType.INDICATION]
        if WORSENING_RE.search(text):  # "a brief worsening of your usual MS symptoms": the harm's setting
            found = [f for f in found if f[0].claim_type != ClaimType.INDICATION]
    # a warning against combining ("codeine … must not be taken with it: it blocks their pain
    # relief"): a benefit it names is the other medicine's
    warning = any(claim_type(c, text, s, e, context) == ClaimType.CONTRAINDICATION for c, s, e in found)
    dropped: set[tuple[int, int]] = set()
    harmed: set[tuple[int, int]] = set()  # … but a concept whose words name a harm too is that harm
    for c, s, e in sorted(found, key=lambda f: f[1]):
        if (claim_type(c, text, s, e, context) != ClaimType.BENEFIT or c.product_quality or better(text, s, e)
                or falls_after(text, e) or _LESS_RE.match(text, s)):  # "my pain went from an eight to a five"
            continue  # ("side effects include fatigue": a harm named as one stays; "fewer painkillers")
        beside = [(hs, he) for hs, he in harms if _LISTED_RE.fullmatch(text, e, hs) or _LISTED_RE.fullmatch(text, he, s)]
        if warning or _WORSE_BEFORE_RE.search(clause_before(text, s)) or beside:
            dropped.add((s, e))
            harms.append((s, e))  # "worse tiredness or joint aches": the aches too
            if harm_too(c) and any(b in named_harms for b in beside):
                harmed.add((s, e))  # "chills and tiredness for a few days": fatigue as a side effect
                named_harms.append((s, e))
    return [f for f in found if (f[1], f[2]) not in dropped or (f[1], f[2]) in harmed], harmed


# Right after a condition: a clause saying what it is like ("Fibromyalgia, where widespread
# pain, poor sleep and exhaustion travel together", "autoimmune conditions with a strong pain
# or fatigue component").
_DESCRIBED_RE = re.compile(
    r"\s*,\s*(?:where|in\s+which|especially\s+when)\b[^.;:]*"
    r"|\s+with\s+an?\s+(?:strong\s+|big\s+|major\s+|marked\s+)?(?:[\w-]+\s+){1,3}(?:component|element)\b", re.I)


# … which a finding is not: "Crohn's disease, where a small pilot reported remission".
_EVIDENCE_WORDS_RE = re.compile(r"\b(?:report\w*|found|show\w*|stud(?:y|ies)|trials?|pilot|research\w*|evidence|participants|went\s+into)\b", re.I)


def without_what_conditions_are_like(found: list[Span], text: str) -> list[Span]:
    """``found`` without the symptoms and conditions of a clause that says what a condition
    named right before it is like, where nothing in the clause gets better (a mechanism
    there stays: "fibromyalgia, in which neuroinflammation is thought to amplify pain")."""
    dropped: set[tuple[int, int]] = set()
    for c, _, e in found:
        described = _DESCRIBED_RE.match(text, e) if c.claim_type == ClaimType.INDICATION else None
        if described is not None and not (ANY_BETTER_RE.search(described.group()) or _EVIDENCE_WORDS_RE.search(described.group())):
            dropped.update((s2, e2) for c2, s2, e2 in found
                           if described.start() <= s2 and e2 <= described.end() and c2.claim_type != ClaimType.MECHANISM)
    return [f for f in found if (f[1], f[2]) not in dropped]


def reduced_concept(concept: Concept, text: str, start: int, end: int, by_iri: Mapping[str, Concept]) -> Concept:
    """The concept that less of ``concept`` is, where the sentence says there is less of it."""
    precondition = _BEFORE_STARTING_RE.search(text, end) and not _NEEDS_LESS_RE.search(text, end)
    if concept.reduced and better(text, start, end) and not precondition:
        return by_iri.get(concept.reduced, concept)
    return concept


def harm_too(concept: Concept) -> bool:
    """Whether ``concept``'s words name a harm as well as a benefit: more of it is itself
    (``ldng:worseIs`` names the concept; "tiredness" as a side effect is a fatigue claim)."""
    return concept.worsened == concept.iri


# A label of such a concept that says more of it: "more tired" ("worse tiredness" is
# ``_WORSE_BEFORE_RE``'s).
_MORE_OF_RE = re.compile(r"more\b", re.I)


# Before a concept: something that upsets it ("broke up their sleep", "if it interferes with
# your sleep", "plays havoc with my sleep", "patchy sleep"); after it: it got worse ("I slept
# worse", "if your sleep goes haywire").
_UPSET_BEFORE_RE = re.compile(
    r"\b(?:disturb(?:s|ed|ing)?|disrupt(?:s|ed|ing)?|interfer(?:e|es|ed|ing)\s+with|play(?:s|ed|ing)?\s+havoc\s+with|"
    r"(?:break|breaks|broke|breaking)\s+up|unsettl(?:e|es|ed|ing)|mess(?:es|ed|ing)?\s+(?:up|with)|"
    r"broken|patchy|disturbed|disrupted|fitful|restless)(?:\s+(?:the|your|my|their|his|her|our|a|an|of))*\s*$", re.I)
_WORSE_AFTER_RE = re.compile(
    r"(?:\s+(?:was|were|is|has|have|got|gets|get|went|goes|go|going|became|becomes|had|really|much|a\s+bit|even|been|gone))*"
    r"\s+(?:worse|haywire|downhill|to\s+pot)\b", re.I)


def worsened_concept(concept: Concept, text: str, start: int, by_iri: Mapping[str, Concept],
                     end: int | None = None) -> Concept:
    """The concept that more of ``concept`` is, where the sentence says it got worse ("a
    short-lived increase in your usual pain", "a brief flare of joint pain"), something upset
    it ("broke up their sleep") or it went worse after it ("I slept worse", with ``end``, the
    end of its words)."""
    if not concept.worsened:
        return concept
    before = clause_before(text, start)
    if _WORSE_BEFORE_RE.search(before) or _UPSET_BEFORE_RE.search(before) or (
            end is not None and _WORSE_AFTER_RE.match(text, end)):
        return by_iri.get(concept.worsened, concept)
    return concept


# Before a mechanism: a clause giving it as a reason ("Because naltrexone occupies opioid
# receptors, LDN blunts codeine"): a mechanism claim, in a warning too.
# ("such as" and "as well as" give examples, no reason)
_REASON_BEFORE_RE = re.compile(r"\b(?:because|since|(?<!such )(?<!well )as)\s+(?:[\w'’-]+\s+){0,4}$", re.I)


def given_as_reason(concept: Concept, text: str, start: int) -> bool:
    """Whether the mechanism at ``text[start:]`` is given as a reason ("because it blocks …")."""
    return concept.claim_type == ClaimType.MECHANISM and bool(_REASON_BEFORE_RE.search(text, max(0, start - 60), start))


def claim_type(concept: Concept, text: str, start: int, end: int, context: str) -> ClaimType:
    """The type the sentence ``text`` gives the concept at ``text[start:end]``; ``context`` is
    its section heading and list lead-in."""
    if concept.claim_type == ClaimType.DOSING:
        return ClaimType.DOSING
    if given_as_reason(concept, text, start):
        return ClaimType.MECHANISM
    if CONTRA_SECTION_RE.search(context) or CONTRAINDICATION_CUE_RE.search(text):
        return ClaimType.CONTRAINDICATION
    if concept.claim_type == ClaimType.CONTRAINDICATION:
        return ClaimType.CONTRAINDICATION
    if concept.product_quality:
        return concept.claim_type  # "well tolerated" says the same in a side-effects section
    if adverse(concept, text, start) or SAFETY_SECTION_RE.search(context):
        return ClaimType.SAFETY
    if harm_too(concept) and (_MORE_OF_RE.match(text, start) or _WORSE_BEFORE_RE.search(clause_before(text, start))):
        return ClaimType.SAFETY  # "more tired", "worse tiredness"
    if concept.claim_type == ClaimType.SAFETY and concept.reduced != concept.iri and better(text, start, end):
        return ClaimType.BENEFIT  # (a concept that less of is itself keeps its type: "needs less levothyroxine")
    return concept.claim_type
