"""Find claims in a document: one claim per (sentence or list item, concept).

Each claim keeps the exact span of its sentence/item and of the words that named the
concept, whether it is hedged ("may", "is thought to", "further studies are needed"),
whether a negation or warning governs it, and which references it cites inline. Its
type is the one its sentence gives (``extract.claim_types``), the vocabulary's type being
the default. Concepts are found by ``ldn_graph.matching``, and by four kinds of vocabulary
data read in context: labels that name a concept only where the sentence says there is
less of them (``ldng:lessLabel``: "cut back on NSAIDs") or what happens to them
(``ldng:cuedLabel``, ``extract.cued``: "lower the levothyroxine"), the concept named when someone
can do an everyday thing again (``ldng:regainedActivity``, ``extract.regained``) and the
one named where side effects are said to be few, mild or passing (``ldng:mildHarms``,
``extract.tolerable``). Headings (but a presupposing question or a short statement of
change, ``extract.headings``), the reference list, storage, shipping and legal text,
questions, null results, contrasts, the conditions of an instruction, a study's methods
and the trials still to be done carry no claims.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from ldn_graph.extract.attributive import without_fields, without_qualities_of_other_nouns
from ldn_graph.extract.background import OTHER_DRUG_FOR_RE, names_other_drug
from ldn_graph.extract.claim_ids import with_claim_ids
from ldn_graph.extract.claim_types import (
    CONTRA_SECTION_RE,
    CONTRAINDICATION_CUE_RE,
    SAFETY_SECTION_RE,
    better,
    claim_type,
    given_as_reason,
    harm_too,
    reduced_concept,
    without_harm_symptoms,
    without_what_conditions_are_like,
    worsened_concept,
)
from ldn_graph.extract.context import BACKGROUND, RUN_IN_LABEL_RE, ProductContext
from ldn_graph.extract.cued import cued_hits
from ldn_graph.extract.denial import NEGATION_RE, NOT_A_HARM_RE, denied, product_denies
from ldn_graph.extract.dose_range import without_particular_doses
from ldn_graph.extract.headings import (
    PRESUPPOSING_QUESTION_RE,
    card_headings,
    names_conditions_only,
    presupposing_question,
    states_change,
    states_quality,
)
from ldn_graph.extract.lasting import without_lasting_symptoms
from ldn_graph.extract.learned import OpenSegment, revised_by_model, segment_claim
from ldn_graph.extract.markers import markers_within
from ldn_graph.extract.null_results import null_result_starts, only_a_limitation
from ldn_graph.extract.populations import without_harm_populations
from ldn_graph.extract.recorded import without_recorded
from ldn_graph.extract.regained import regained_span
from ldn_graph.extract.schedules import ScheduleReader, opens_with_step
from ldn_graph.extract.sentence_model import SentenceModel, shipped_sentence_model
from ldn_graph.extract.spans import SpanIndex
from ldn_graph.extract.specified import without_specified
from ldn_graph.extract.tolerable import HARMS_RE, mild_harms_span
from ldn_graph.matching import DOSE_EXPRESSION_RE, TermMatcher, labels_matcher
from ldn_graph.model import Claim, Concept, Document, Marker, Reference, Vocabulary
from ldn_graph.terms import CLAIM_ROLES, ClaimType, SegmentRole
from ldn_graph.text import ATTRIBUTION, same_clause

HEDGE_RE = re.compile(
    r"\b(may|might|could|can help|can be considered|is thought|are thought|believed|suggests?|"
    r"suggested|potential(?:ly)?|possibl[ey]|has been shown|have been shown|"
    r"further (?:studies|research|trials) (?:are|is) needed|preliminary|appears? to|reportedly|"
    r"likely|thought to|some (?:patients|people|studies))\b",
    re.I,
)
# Shipping words: shop talk, unless the sentence says what the product changes (_ignored).
_SHIPPING = r"\bship(?:s|ping|ped)?\b|\bdeliver\w*\b"
_SHIPPING_RE = re.compile(_SHIPPING, re.I)
IGNORE_RE = re.compile(
    rf"^\s*(?:store|keep)\b|\bstorage\b|\bexcursions permitted\b|{_SHIPPING}|"
    r"\bdisclaimer\b|\beducational purposes\b|\bnot been reviewed\b|\bnot intended to diagnose\b|"
    r"\b1-800\b|\bcall your doctor\b|\bno claims are made\b|\bimages are for reference\b",
    re.I,
)


# "(monitor mood)", "(see below)": instructions in parentheses assert nothing. Bounded, so
# that an unclosed "(see" is not scanned to the end of a long paragraph from every one.
INSTRUCTION_RE = re.compile(r"\((?:monitor|see|consult|ask|check|call)\b[^)]{0,300}\)", re.I)

# The claim types a warning is about, and those whose words in a warning only describe the hazard.
_WARNING_TYPES = (ClaimType.SAFETY, ClaimType.CONTRAINDICATION)
_HAZARD_WORD_TYPES = (ClaimType.MECHANISM, ClaimType.BENEFIT)


# A segment that is somebody's question, quoted: it ends in a question mark inside closing
# quotes, with who asked after it or not.
_ASKED_RE = re.compile(rf"\?\s*[\"”’]\s*(?:{ATTRIBUTION})?\W*$")
# A segment that is a question: it ends in a question mark (markup and a citation aside).
_QUESTION_RE = re.compile(r"\?[\s*_\"”’)\]\d,]*$|^\W*true\s+or\s+false\b", re.I)  # (a quiz's statement to judge)


# Outcomes (a benefit, an adverse effect) a sentence says did not happen are reports of a
# null result, not claims: "it did not, however, improve fatigue", "no nausea at all",
# "sleep was no better than on placebo".
_OUTCOME_TYPES = (ClaimType.BENEFIT, ClaimType.SAFETY)
# Whatever the concept's type: not offered for it ("we do not supply LDN as a cancer treatment").
# The items of a list before the one a concept names ("cancer, addiction or " before "weight
# loss"): a denial of the first holds for the rest.
_ITEMS_BEFORE = r"(?:[\w'’/-]+(?:\s+[\w'’/-]+)?\s*(?:,\s*(?:or\s+|and\s+)?|\s(?:or|and)\s+))*$"
# … or it is no replacement for it: "it is not a replacement for the thyroid hormone you take",
# "it does not replace levothyroxine" (the other medicine's, listed items included).
_NOT_INSTEAD_RE = re.compile(
    r"\b(?:(?:is|it's|was)\s+not|isn't|not)\s+(?:a\s+)?(?:replacement|substitute)\s+for\s+(?:the\s+|your\s+|any\s+)?"
    r"|\b(?:does|do|will)\s+not\s+replace\s+|\b(?:doesn't|don't|won't)\s+replace\s+", re.I)
_ITEMS_BEFORE_RE = re.compile(_ITEMS_BEFORE, re.I)
_NOT_OFFERED_RE = re.compile(
    r"\b(?:do not|don't|does not|doesn't|will not|won't|never)\s+(?:use|supply|prescribe|offer|recommend|sell|market)\s+"
    r"(?:[\w-]+\s+)?(?:as|for)\s+(?:an?\s+)?(?:(?:treatment|therapy|cure|remedy)\s+(?:for|of)\s+)?" + _ITEMS_BEFORE,
    re.I,
)
# Before a condition: it is not what the product is licensed, approved or recommended for
# ("LDN is not licensed for ME/CFS", "**not recommended** for multiple sclerosis, long COVID
# or ME/CFS"), with the items listed after the first. A use it is not recommended in
# ("not recommended in pregnancy") is a contraindication, and stays.
_NOT_LICENSED = r"(?:\bnot|n't)\W{0,2}\s+(?:licen[sc]ed|approved|recommended|indicated)"
_NOT_LICENSED_RE = re.compile(
    _NOT_LICENSED + r"\W{0,2}\s+(?:(?:in the UK|by the FDA)\s+)?for\s+(?:any\s+|either\s+|use\s+in\s+)?" + _ITEMS_BEFORE,
    re.I,
)
_LICENSED_USE_TYPES = (ClaimType.INDICATION, ClaimType.BENEFIT)
# A benefit named as an off-label use ("using it for pain or fatigue is off-label", "LDN is
# used off-label for pain"): the use's name, no claim that it works. (A condition named so,
# "prescribed off-label for Crohn's", is still what it is prescribed for.)
_OFF_LABEL_RE = re.compile(r"\b(?:off[\s-]label|unlicen[sc]ed)\b", re.I)
# … and a use whose being off-label is what the sentence says ("Using it for CRPS is
# off-label, meaning …", "Prescribing LDN for Crohn's or colitis is unlicensed"): the
# condition too is the use's name.
_USE_IS_OFF_LABEL_RE = re.compile(
    r"\W*(?:using|taking|prescribing|giving)\s+(?:it|this|LDN|low[\s-]dose\s+naltrexone|(?:the|this)\s+medicine)\s+"
    r"(?:for|in)\s+([^.;:!?]{1,120}?)\s+(?:is|are)\s+(?:an?\s+)?(?:off[\s-]label|unlicen[sc]ed|not\s+licen[sc]ed)\b", re.I)
_FOR_USE_RE = re.compile(r"\bfor\s+" + _ITEMS_BEFORE, re.I)
# A heading or lead-in over a list of such uses: "Uses not recommended", "Not licensed for:".
_NOT_LICENSED_HEADING_RE = re.compile(_NOT_LICENSED + r"\b", re.I)
# … and a run-in label it is not licensed or recommended for: "Long COVID: not recommended
# outside a clinical trial", "**CRPS:** not recommended for routine use".
_NOT_LICENSED_RUN_IN_RE = re.compile(r"[^:.;!?]{1,60}:\W{0,3}\s*" + _NOT_LICENSED + r"\b", re.I)
# … or an opening "For …," clause: "For fibromyalgia and long COVID, routine prescribing is not recommended".
_NOT_LICENSED_FOR_RE = re.compile(r"\W*for\s+([^.;:!?]{1,120}?),\s+(?:[\w-]+\s+){0,4}?(?:is|are)\s+" + _NOT_LICENSED + r"\b", re.I)
# Before a contraindication's word, in its clause: what the writer takes or is on ("I take
# co-codamol", "I'd been living on ibuprofen and codeine", "my pain clinic gives me tramadol").
_WRITER_TAKES_RE = re.compile(
    r"\b(?:I|I'm|I've|I'd|we|my\s+(?:GP|doctor|consultant|(?:pain\s+)?clinic))\b[^.;,:]{0,30}?"
    r"\b(?:take|takes|taking|took|use|using|am on|'m on|was on|been on|living on|gives? me|gave me|prescribed me)\b"
    r"[^.;,:]{0,30}$", re.I)


# The claim types a null result in their clause cancels (extract/null_results.py).
_NULL_RESULT_TYPES = (ClaimType.BENEFIT, ClaimType.INDICATION, ClaimType.MECHANISM)
_COORDINATED_RE = re.compile(r"[\s,]*(?:\b(?:or|and|nor)\b)[\s,]*", re.I)


# What a sentence sets its claim against ("Unlike opioid painkillers, LDN is not
# habit-forming") and the condition of an instruction ("continue if tolerated", "a morning
# dose if sleep is affected") are not claimed.
_CONTRAST_BEFORE_RE = re.compile(
    r"\b(?:unlike|compared (?:with|to)|rather than|instead of|in place of|in contrast to|as opposed to|"
    r"outside(?: of)?)\s+(?:[\w'-]+\s+){0,3}$", re.I
)  # … and what the sentence sets apart: "Outside fibromyalgia, it is used for CRPS"
_CONDITION_BEFORE_RE = re.compile(r"\b(?:if|unless|whether)\b[^,;:.!?]{0,40}$", re.I)


# Before a dose change, in a sentence naming a harm: when the harm comes ("aches after a dose
# increase", "feeling flu-ish when starting or raising the dose").
_WHEN_HARM_RE = re.compile(
    r"\b(?:after|following|when|of)\s+(?:(?:you|they|people)\s+)?(?:start(?:ing)?\s+or\s+(?:of\s+)?)?"
    r"(?:(?:a|an|each|any|every|the)\s+)?$", re.I)

# A word of two letters or more: a segment with none besides its doses is a list of strengths.
_WORD_RE = re.compile(r"[^\W\d_]{2,}")
# A price list's row: prices, and besides its doses only the words of a listing ("Capsules
# 0.5 mg $34.00 $89.00", "4.5 mg capsule 90 $89.00 90-day supply") asserts nothing either.
_PRICE_RE = re.compile(r"[$£€]\s?\d[\d,.]*")
_LISTING_WORDS_RE = re.compile(
    r"\b(?:capsules?|caps|tablets?|liquid|oral|solution|suspension|drops|packs?|supply|bottles?|days?|months?|ml|count|qty|each)\b", re.I)


# A list lead-in that sets a condition ("Contact the advice line the same day if you
# have:"): its items are conditions too.
_CONDITION_LEAD_RE = re.compile(r"\b(?:if|unless|when|whenever)\b[^.!?,;]*:\W*$", re.I)


# Right around a benefit: it is said to get deeper or more restful ("you'll sleep more
# soundly", "deeper, more refreshing sleep"; not "may suit you better given your sleep").
_BETTER_NEAR_RE = re.compile(r"\b(?:more\s+(?:soundly|deeply|restful\w*|refreshing)|deeper|sounder|restful|refreshing)\b", re.I)


def _said_better(concept: Concept, start: int, end: int, text: str) -> bool:
    """Whether a benefit another concept names as its sign ("sleep" in a sentence about the
    time of the dose) is said to get better right around it: then it is claimed."""
    return concept.claim_type == ClaimType.BENEFIT and bool(_BETTER_NEAR_RE.search(text, max(0, start - 30), end + 30))


def _set_aside(concept: Concept, text: str, start: int, lead: str) -> bool:
    """Whether the concept at ``text[start:]`` is a contrast or, for a benefit, a condition
    (in its sentence, or set by its list's lead-in ``lead``) or another medicine's purpose."""
    before = text[max(0, start - 60) : start]
    if _CONTRAST_BEFORE_RE.search(before):
        return True
    return concept.claim_type == ClaimType.BENEFIT and bool(
        _CONDITION_BEFORE_RE.search(before) or _CONDITION_LEAD_RE.search(lead) or OTHER_DRUG_FOR_RE.search(before)
    )


# What a study did, not what it found ("We followed adults starting LDN for six months",
# "The design was retrospective"), and when to look ("Review at 4 and 12 weeks: …").
METHODS_RE = re.compile(
    r"^\W*(?:(?:therefore|then|so|here|first|next),?\s+)?we\s+(?:therefore\s+)?(?:followed|recruited|enrolled|reviewed|retrieved|"
    r"extracted|analy[sz]ed|collected|recorded|conducted|designed|searched|screened|surveyed|interviewed|audited)\b"
    r"|^\W*(?:the\s+)?(?:study\s+)?(?:design|sample)\s+(?:was|were)\b"
    # a monitoring schedule: "Review at 4 and 12 weeks: pain score, sleep"
    r"|^\W*(?:review|monitor|re-?assess|assess|record)\s+(?:\w+\s+){0,3}(?:at|after|every)\s+\d"
    # what a study measured: "The primary outcome was change in mean weekly pain"
    r"|^\W*(?:the\s+)?(?:primary|secondary|main|co-primary)\s+(?:outcomes?|end\s*-?points?)\s+(?:was|were|is|are)\b"
    # a study still to be done: "A randomised trial … is now warranted", "Such studies should also measure …"
    r"|^\W*(?:an?|the|such|further|larger|more|future|new)\b[^.;:]{0,100}\b(?:trials?|stud(?:y|ies)|research)\b[^.;:]{0,60}?"
    r"\b(?:is|are|would be|will be)\s+(?:now\s+|still\s+|urgently\s+|clearly\s+)?(?:warranted|needed|required|underway|planned|"
    r"ongoing|recruiting|due to (?:report|finish|start))\b"
    r"|^\W*(?:such|future|further|larger)\s+(?:studies|trials|research)\s+should\b"
    # what a study or protocol aims at, and who is eligible: "The primary aim of LIFT-PC is to
    # estimate …", "Eligible participants have had fatigue for at least 12 weeks"
    r"|^\W*(?:the\s+)?(?:primary\s+|secondary\s+|main\s+)?aims?\s+(?:of\s+(?:this|the|our)?\s*[\w-]+\s+)?(?:is|are|was|were)\s+to\b"
    r"|^\W*eligible\s+(?:participants|patients|adults|people)\b"
    # a review question's run-in labels: "**Population:** adults with Crohn's disease …" (not the
    # intervention: its dose is a claim)
    r"|^\W{0,4}(?:population|participants|comparators?|comparison|outcomes?(?:\s+measured)?|requested\s+by|"
    r"review\s+question|search(?:\s+strategy)?|(?:inclusion|exclusion|eligibility)\s+criteria)\W{0,4}:"
    # somebody's question reported: "Tom asked about his tramadol."
    r"|^\W*(?:[\w'-]+\s+){1,3}(?:asked|asks|wondered|wonders|enquired|inquired)\s+(?:about|whether|if)\b",
    re.I,
)
# A lead-in over what a study will measure or who may join it ("The team will also look at:",
# "People may be able to join if they:"): its items are the study's, no claims
_STUDY_LEAD_RE = re.compile(
    r"\b(?:will|would)\s+(?:also\s+)?(?:look\s+at|measure|record|track|assess|compare)\b"
    # (not who may not: "cannot take part if they take opioids" lists contraindications)
    r"|(?<!not\s)(?<!unable\s)\b(?:able|eligible)\s+to\s+(?:join|take\s+part|enrol)\b"
    r"|(?<!cannot\s)(?<!can't\s)(?<!not\s)\b(?:join|take\s+part|enrol)\s+if\b", re.I)
# What is measured, not what changed: "Pain, fatigue and sleep scores, reported every four
# weeks", "thyroid antibody results": a concept word naming a measure, in a segment with no
# word of change. The measure word may close a series the concept opens ("Pain, fatigue
# and sleep scores").
_MEASURED_RE = re.compile(
    r"(?:\s*(?:,|\band\b|\bor\b|&|/)\s*[\w'’-]+){0,6}"
    r"[\s-]+(?:scores?|scales?|ratings?|questionnaires?|diar(?:y|ies)|results?|measures?|measurements?|tests?|"
    r"data|records?|logs?|tracking|outcomes?)\b",
    re.I,
)
_CHANGE_RE = re.compile(
    r"\b(?:fell|fall(?:s|ing)?|dropp?(?:ed|s|ing)?|lower(?:s|ed|ing)?|reduc\w*|improv\w*|better|worse|increas\w*|ris(?:e|es|ing)|rose|"
    r"declin\w*|eas(?:e|ed|es|ing)|halv\w*|less|fewer|more|higher|cut|boost\w*|help\w*|relie\w*|changed?|normali[sz]\w*|"
    r"(?:went|gone|go(?:es)?|going|came|come|coming)\s+(?:up|down)|climb\w*|"  # "scores went up"
    # "a small gain in mental-health scores", "results trending down", "scores are down from 7",
    # "heading the right way", "tests have stayed completely normal"
    r"gain(?:s|ed)?|trend(?:s|ed|ing)|(?:down|up)\s+(?:from|to)|heading\s+the\s+right\s+way|"
    r"(?:stayed|stay|remained|remain|came\s+back|come\s+back)\s+(?:\w+\s+)?normal)\b",
    re.I,
)
# A proper name ending in an organisation's head noun ("the Pain Management Service",
# "Crohn's and Colitis Foundation"): its words name the body, not a claim.
ORGANISATION_RE = re.compile(
    r"\b(?:[A-Z][\w'’&.-]*\s+(?:(?:and|of|for|&)\s+)?){1,5}(?:Service|Clinic|Centre|Center|Department|Unit|Society|"
    r"Trust|Foundation|Association|Network|Institute|Hospital|Observatory|Council|Alliance|Programme|Program|Group|Circle|Support|Charity|Forum)s?\b"
)


# Right after a benefit's word, a noun it qualifies: a signal ("pain signals") or the body's
# own substances that do it ("its own pain-relieving chemicals") — no relief claimed of it
# (the people who have the symptom, "our pain patients", are attributive.names_its_people).
_SIGNAL_AFTER_RE = re.compile(
    r"(?:-[a-z]+(?:ing|ed))?[\s-]+(?:signals?|signalling|signaling|pathways?|processing|transmission|chemicals?|substances?|molecules?|"
    r"messengers?|hormones?)\b"
    # … or a symptom kept going ("the microglia that can keep pain and tiredness going")
    r"|(?:\s+(?:and|or)\s+[\w-]+)?\s+(?:going|firing|turned\s+up|switched\s+on|on\s+high\s+alert|amplified|alive)\b", re.I)
# Right before a benefit's word: what drives the symptom ("the nerve inflammation thought to
# amplify pain", "which some scientists believe drives much of the pain") is how the
# illness works, and a substance said to act on it ("endorphins, the natural chemicals that
# dampen pain") is the mechanism's; no relief of it.
_DRIVES_BEFORE_RE = re.compile(
    r"(?:\b(?:drives?|driving|amplif(?:y|ies|ying)|fuels?|fuelling|fueling|sustains?|underl(?:ie|ies|ying))\s+"
    r"|\b(?:chemicals?|substances?|molecules?|messengers?|hormones?)\s+(?:involved\s+in\s+|(?:that|which)\s+(?:[\w-]+\s+){1,2}))"
    r"(?:(?:much|some|most|part)\s+of\s+)?(?:the\s+|their\s+|your\s+)?$", re.I)


def _ignored(text: str, matcher: TermMatcher, defined: Mapping[str, Concept]) -> bool:
    """Whether a segment is shop talk or boilerplate (:data:`IGNORE_RE`: storage,
    shipping, disclaimers), a cue inside a vocabulary term aside ("the rate of assisted
    delivery" is an outcome, not a delivery)."""
    cues = [m.span() for m in IGNORE_RE.finditer(text)]
    if not cues:
        return False
    terms = SpanIndex((s, e) for _c, s, e in matcher.find(text, defined))
    cues = [(s, e) for s, e in cues if not terms.overlaps(s, e)]
    if cues and all(_SHIPPING_RE.fullmatch(text, s, e) for s, e in cues) and _CHANGE_RE.search(text):
        return False  # "… and delivered groceries lowers blood pressure": what the programme does
    return bool(cues)


def extract_claims(
    doc: Document,
    vocabulary: Vocabulary,
    references: Sequence[Reference] = (),
    markers: Sequence[Marker] = (),
    learned: bool = True,
    model: SentenceModel | None = None,
) -> list[Claim]:
    """The claims of ``doc``; with ``learned``, as the vocabulary's sentence model revises
    them where one ships for it (``extract.learned``), or as ``model`` does where given."""
    matcher = TermMatcher(vocabulary.concepts, vocabulary.subject_terms)
    regained = next((c for c in vocabulary.concepts if c.regained), None)
    tolerable = next((c for c in vocabulary.concepts if c.mild_harms), None)
    harms_named = False  # the segment before named side effects ("These usually settle" speaks of them)
    less_of = labels_matcher(vocabulary.concepts, lambda c: c.less_of)  # ldng:lessLabel
    cued = labels_matcher(vocabulary.concepts, lambda c: c.cued)  # ldng:cuedLabel
    reference_list = SpanIndex((r.start, r.end) for r in references if r.in_list)
    ordered = sorted(markers, key=lambda mk: mk.start)
    marker_starts = [mk.start for mk in ordered]
    section = ""
    claims: list[Claim] = []
    opened: list[OpenSegment] = []  # the segments the sentence model may add claims to
    asides: list[OpenSegment] = []  # sentences read as asides, where only the model may find claims
    # link targets and link text are not claim text ("visit [Crohn's & Colitis UK](…)")
    not_claim_text = SpanIndex([*doc.hidden, *((link.start, link.end) for link in doc.links)])
    visible = not_claim_text.cut(doc.text, 0, len(doc.text), keep_offsets=True)
    context_of = ProductContext(vocabulary)
    about = context_of.judge(doc)
    defined = matcher.defined_abbreviations(visible)  # "toll-like receptor 4 (TLR4)": TLR4 from then on
    by_iri = {c.iri: c for c in vocabulary.concepts}
    schedule = ScheduleReader(matcher)
    cards = card_headings(doc)  # "Fibromyalgia" over "Fewer bad-pain days", among its siblings
    for index, (seg, topic) in enumerate(zip(doc.segments, about, strict=True)):
        text = visible[seg.start : seg.end]
        after_harms, harms_named = harms_named or bool(HARMS_RE.search(section)), bool(HARMS_RE.search(text))
        in_schedule = schedule.read(text)  # "| 1–2 | 1.5 mg |" under "| Week | Dose |"
        question = False
        if seg.role == SegmentRole.HEADING and not in_schedule:  # a schedule's row read as a heading is a row
            section = text
            question = presupposing_question(text)  # "How does LDN ease pain?": hedged
            if not (question or states_change(text) or states_quality(text, matcher) or opens_with_step(text)
                    or (index in cards and names_conditions_only(text, matcher))):
                continue  # claims: "Fewer bad days.", "Not habit-forming", "Month 1: 1.5 mg"; not a title ("Safety")
        # a sentence read as an aside ("Now the fog has lifted") in a page about the product, naming
        # no other drug: the sentence model may still find a claim in it (``extract.learned``)
        aside = (seg.role == SegmentRole.SENTENCE and topic.reason == BACKGROUND and context_of.page_about
                 and not names_other_drug(text))
        if seg.role not in CLAIM_ROLES or not (topic.about_product or aside):  # navigation, link text, metadata …
            continue
        if (_ASKED_RE.search(text) or _QUESTION_RE.search(text)) and not PRESUPPOSING_QUESTION_RE.search(text):
            continue  # a question ("Does it interact with the tramadol I take?"), quoted or not, asserts nothing
        if reference_list.overlaps(seg.start, seg.end) or _ignored(text, matcher, defined) or METHODS_RE.search(text) or (
                METHODS_RE.search(RUN_IN_LABEL_RE.sub("", text, count=1))):  # "**Methods:** We enrolled …"
            continue
        if not in_schedule and not _WORD_RE.search(DOSE_EXPRESSION_RE.sub(" ", text)):
            continue  # "1.5 mg | 3 mg | 4.5 mg": a list of strengths asserts nothing (a schedule's step does)
        if _PRICE_RE.search(text) and not _WORD_RE.search(_LISTING_WORDS_RE.sub(" ", DOSE_EXPRESSION_RE.sub(" ", text))):
            continue  # "Capsules | 0.5 mg | $34.00": a price list's row
        lead_text = doc.text[seg.lead[0] : seg.lead[1]] if seg.lead else ""
        if seg.role == SegmentRole.LIST_ITEM and _STUDY_LEAD_RE.search(lead_text):
            continue  # an item of what a study will measure, or of who may join it
        context = f"{section} {lead_text}"
        cited, dangling = markers_within(ordered, marker_starts, seg.start, seg.end)
        hedged = question or bool(HEDGE_RE.search(text) or (seg.role == SegmentRole.LIST_ITEM and HEDGE_RE.search(lead_text)))
        if aside:
            asides.append(OpenSegment(seg, text, section, frozenset(), ()))
            continue
        found = matcher.find(ORGANISATION_RE.sub(lambda m: " " * len(m.group()), text), defined)
        with_cue, named_uncued = cued_hits(cued, text, {c.iri for c, _, _ in found}, by_iri)  # "lower the levothyroxine"
        found += with_cue
        proposed = {c.name for c, _, _ in found} | named_uncued
        found = without_qualities_of_other_nouns(without_specified(found, text), text)  # "a gentle swimming class"
        # a schedule row's step, even where the row's note names the concept too ("| Weeks 1–2 |
        # 0.5–1.5 mg | Start low … |"): the row's dose is the step's
        spans = {(c.iri, s, e) for c, s, e in found}
        found += [h for h in in_schedule if (h[0].iri, h[1], h[2]) not in spans]
        found = without_particular_doses(found, text)  # "start at 1.5 mg": the step's dose, no dose range
        if less_of is not None:  # "cut back on NSAIDs": less of them names the concept
            named = {c.iri for c, _, _ in found}
            fewer = [(c, s, e) for c, s, e in less_of.find(text) if c.iri not in named and better(text, s, e)
                     and not any(hc.claim_type == ClaimType.BENEFIT and hs <= s and e <= he and he - hs > e - s
                                 for hc, hs, he in found)]  # a longer benefit's label stands: "afternoon crashes"
            # what there is less of is that concept only: "cut back on pain relievers" is no pain relief
            found = [h for h in found if not any(h[1] < e and s < h[2] for _, s, e in fewer)] + fewer
        if regained is not None and not any(c.iri == regained.iri for c, _, _ in found):
            again = regained_span(text)  # "I can walk the dog again": a return to daily life
            if again is not None:
                found.append((regained, *again))
        if tolerable is not None and not any(c.iri == tolerable.iri for c, _, _ in found):
            # "side effects … tend to be mild", "These usually settle"
            mild = mild_harms_span(text, after_harms, [s for c, s, _ in found if c.claim_type == ClaimType.SAFETY])
            if mild is not None:
                found.append((tolerable, *mild))
        found = [(worsened_concept(reduced_concept(c, text, s, e, by_iri), text, s, by_iri, e), s, e)
                 for c, s, e in found]  # "less opioid use" is opioid-sparing, "worse joint pain" a flare
        # what every source proposed, kept or not: the sentence model adds none of it
        opened.append(OpenSegment(seg, text, section, frozenset(proposed | {c.name for c, _, _ in found}),
                                  tuple((s, e) for _, s, e in found), context_of.names_product(text)))
        found = without_lasting_symptoms(found, text)  # "pain that has not settled": who has it
        found = without_fields(found, text)  # "a pain clinic", but "a gentle medicine"
        found = without_recorded(found, text)  # "keep a pain and sleep diary"
        signs = {sign for c, _, _ in found for sign in c.signs}  # ldng:hasSign: "jittery" where the thyroid dose is too high
        found = [f for f in found if f[0].iri not in signs or _said_better(*f, text)]
        # a benefit's word naming a signal the mechanism acts on: "the microglia that keep
        # pain signals firing" is no pain relief
        found = [(c, s, e) for c, s, e in found if c.claim_type != ClaimType.BENEFIT or not (
            _SIGNAL_AFTER_RE.match(text, e) or _DRIVES_BEFORE_RE.search(text, max(0, s - 40), s))]
        if not _CHANGE_RE.search(text) and any(_MEASURED_RE.match(text, e) for _, _, e in found):
            continue  # a list of what is measured ("pain and sleep scores", "antibody results")
        instructions = [(m.start(), m.end()) for m in INSTRUCTION_RE.finditer(text)]
        if instructions:
            inside = SpanIndex(instructions).contains
            found = [(concept, s, e) for concept, s, e in found if not inside(s)]
        found, as_harms = without_harm_symptoms(found, text, context)  # "chills and tiredness": fatigue as a harm
        found = without_what_conditions_are_like(found, text)  # "fibromyalgia, where pain and poor sleep travel together"
        found = without_harm_populations(found, text, context)  # "people with Hashimoto's may need less thyroxine"
        if any(c.claim_type == ClaimType.SAFETY for c, _, _ in found) or HARMS_RE.search(text):
            # "flu-like aches after a dose increase": when a harm comes, no dosing claim
            found = [(c, s, e) for c, s, e in found
                     if c.claim_type != ClaimType.DOSING or not _WHEN_HARM_RE.search(text, max(0, s - 30), s)]
        in_warning = bool(SAFETY_SECTION_RE.search(context) or CONTRA_SECTION_RE.search(context))
        if in_warning and any(c.claim_type in _WARNING_TYPES for c, _, _ in found):
            # "Autoimmune flare risk: … during immune modulation": in a warning, the
            # mechanism or benefit words only describe the hazard.
            found = [(c, s, e) for c, s, e in found if c.claim_type not in _HAZARD_WORD_TYPES or c.product_quality
                     or harm_too(c) or given_as_reason(c, text, s)]  # "Because it blocks opioid receptors, …": claimed
        seen: set[str] = set()
        denied_end: int | None = None
        nulls = null_result_starts(text)
        limited = only_a_limitation(text)  # "there was no comparison group": a study's limitation
        for concept, s, e in found:
            if concept.iri in seen or _set_aside(concept, text, s, lead_text) or _NOT_OFFERED_RE.search(text, max(0, s - 120), s):
                continue
            instead = next(_NOT_INSTEAD_RE.finditer(text, max(0, s - 80), s), None)
            if instead is not None and _ITEMS_BEFORE_RE.fullmatch(text, instead.end(), s):
                continue  # "not a replacement for thyroid hormone": the other medicine's, no claim
            if concept.claim_type in _LICENSED_USE_TYPES and (
                    _NOT_LICENSED_RE.search(text, max(0, s - 120), s)
                    or ((run_in := _NOT_LICENSED_RUN_IN_RE.match(text)) is not None and e <= text.index(":", 0, run_in.end()))
                    or ((for_in := _NOT_LICENSED_FOR_RE.match(text)) is not None and e <= for_in.end(1))
                    or ((use := _USE_IS_OFF_LABEL_RE.match(text)) is not None and e <= use.end(1))
                    or (seg.role == SegmentRole.LIST_ITEM and _NOT_LICENSED_HEADING_RE.search(context))
                    or (concept.claim_type == ClaimType.BENEFIT and _FOR_USE_RE.search(text, max(0, s - 80), s)
                        and any(same_clause(text, m.start(), s) for m in _OFF_LABEL_RE.finditer(text)))):
                continue  # "LDN is not licensed for ME/CFS", an item under "Uses not recommended": no claim
            if (concept.claim_type == ClaimType.CONTRAINDICATION and _WRITER_TAKES_RE.search(text, max(0, s - 60), s)
                    and not CONTRAINDICATION_CUE_RE.search(text)):
                continue  # "I take co-codamol for headaches": what the writer takes, no warning
            seen.add(concept.iri)
            if concept.claim_type in _NULL_RESULT_TYPES and (any(same_clause(text, s, at) for at in nulls) or limited):
                continue  # "noticed no difference in my MS fatigue": a null result, not a claim
            if concept.claim_type in _OUTCOME_TYPES and not concept.product_quality and not product_denies(
                    concept, text, s, context_of.names_product) and (
                denied(text, s, e) or (denied_end is not None and _COORDINATED_RE.fullmatch(text, denied_end, s))
            ):
                denied_end = e
                continue  # "did not improve fatigue or sleep", "no nausea at all": outcomes that did not happen
            clause_start = max(text.rfind(",", 0, s), text.rfind(";", 0, s), text.rfind(":", 0, s), 0)
            negated = bool(NEGATION_RE.search(text[clause_start:s]) or NOT_A_HARM_RE.match(text, e))
            claims.append(segment_claim(doc, seg, concept, s, e, hedged=hedged, negated=negated, cited=cited,
                                        dangling=dangling, claim_type=ClaimType.SAFETY if (s, e) in as_harms
                                        else claim_type(concept, text, s, e, context)))
            harms_named = harms_named or claims[-1].type == ClaimType.SAFETY
    model = (model or shipped_sentence_model(vocabulary)) if learned else None
    if model is not None:
        claims = revised_by_model(claims, opened, asides, doc, model, vocabulary, ordered, HEDGE_RE, NEGATION_RE)
    return with_claim_ids(doc, claims)

