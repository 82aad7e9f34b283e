"""Which sentences speak about the product: product context.

A vocabulary word in a sentence is a claim only when the sentence says it of the
product. In a document about the product, a sentence is about it unless it is
background: its subject is a condition or another drug (a definition, a prevalence
figure, a list of symptoms, what a disease does). Headings pass the product on to what
they head, a list's lead-in to its items, a sentence's topic to the pronoun that opens
the next ("It is taken at night"). In a document that is not about the product (a
condition page with a section on it), a sentence needs the product named in it, in its
paragraph, its list lead-in or a heading above it, or a pronoun whose antecedent is the
product. A sentence about the product at a dose above the vocabulary's low-dose ceiling
is about another product (naltrexone at 50 mg is not LDN).

Product names and the dose ceiling come from the vocabulary; conditions are the
vocabulary's indication concepts plus general disease words; other drugs are named by
general drug-class words and the WHO International Nonproprietary Name stems. Nothing
here names one page's wording.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from ldn_graph.extract.background import (
    BACKGROUND_RE,
    CONDITION_RE,
    DRUG_CLASS_RE,
    NON_OPIOID_DRUG_RE,
)
from ldn_graph.matching import TermMatcher, stated_doses
from ldn_graph.model import Document, Vocabulary
from ldn_graph.terms import CLAIM_ROLES, PROSE_ROLES, ClaimType, SegmentRole
from ldn_graph.text import fold

# Doses are read by matching.stated_doses ("4.5 mg", "50mg", "0.5–4.5 mg", "fifty
# milligrams"); the same rules decide whether a cited study is about the low-dose product
# (judge.evidence).
# Words that make a product mention the low-dose product whatever dose follows.
LOW_DOSE_RE = re.compile(
    r"\b(?:low|lower|small|smaller|tiny|minimal)[\s-]+dos(?:es?|ed|ing)\b|\bultra[\s-]+low\b"
    r"|\b(?:a|one)[\s-](?:(?:very|small|tiny)\s+)?(?:fraction|sliver|tenth|twentieth|fiftieth|hundredth)\b"
    r"|\b(?:far|much)\s+smaller\s+(?:amounts?|doses?|strengths?)\b"
    r"|\bat\s+(?:these|such|ldn)\s+(?:doses|strengths|amounts)\b",  # "… flagged for 50 mg; at these doses …"
    re.I,
)
# A higher dose named only as a contrast ("unlike 50 mg naltrexone") is not the topic.
_CONTRAST_DOSE_RE = re.compile(
    r"\b(?:unlike|compared (?:with|to)|rather than|instead of|than|versus|vs\.?)\b[^.;]{0,40}?\d+(?:\.\d+)?\s*(?:mg|milligrams?)\b",
    re.I,
)
# A sentence that speaks of taking something already named: "people who take it",
# "report using it", "during treatment".
_USES_IT_RE = re.compile(
    r"\b(?:take|takes|taking|took|taken|use|uses|using|used|start|started|starting|tried|try|trying|"
    r"prescribe|prescribed|prescribing|on)\s+(?:it|this|them)\b"
    r"|\b(?:during|on|with|after|since)\s+(?:the\s+)?(?:treatment|therapy)\b"
    # customers' and patients' reports to the writer: "people with ME often tell us …"
    r"|\b(?:tell|tells|told)\s+us\b",
    re.I,
)
# "Liver disease: monitor …", "**Opioid therapy:** do not prescribe …": a label naming
# what the rest of the item is about; the statement after it is the product's.
RUN_IN_LABEL_RE = re.compile(r"^\W{0,4}[^:.!?]{1,60}?:\W{0,4}\s+(?=\S)")

# A heading asking what something is: "What is MS?", "About Crohn's", "Understanding fibromyalgia".
_WHAT_IS_RE = re.compile(r"\W*(?:what\s+(?:is|are)|about|understanding)\s+", re.I)
_IT_RE = re.compile(r"\b(?:it|its)\b", re.I)  # "How does it compare with duloxetine?"
# A sentence opening that refers back: "It", "This medicine", "The drug".
_ANAPHOR_RE = re.compile(
    r"^\W*(?:(?:but|and|so|also|however|still|yet|now|then|overall|in addition|moreover)\W+)*"
    r"(?:(?P<pronoun>it|its|this|these|they|their)\b(?!\s+(?:is|was)\s+(?:a|an|the)\s+(?:good|common|rare)\b)"
    r"|(?P<definite>(?:the|this|that|your|such)\s+(?:medicines?|medications?|drugs?|treatments?|"
    r"therap(?:y|ies)|capsules?|tablets?|pills?|doses?|formulations?|compounds?|preparations?)))\b",
    re.I,
)
# "… is a medication that", "… is an opioid antagonist": a sentence defining a substance.
_SUBSTANCE_DEFINITION_RE = re.compile(
    r"\s+(?:\([^)]{0,40}\)\s+)?(?:is|was)\s+(?:a|an)\s+(?:[\w-]+\s+){0,3}"
    r"(?:medications?|medicines?|drugs?|antagonists?|compounds?|molecules?|substances?)\b",
    re.I,
)
# A symptom word after a condition makes the symptom the subject ("Fibro pain went down").
_SYMPTOM_AFTER_RE = re.compile(
    r"[\s-]+(?:pain|fatigue|symptoms?|flares?|fog|scores?|levels?|relapses?|attacks?|days?|nights?|"
    # and a study word makes the study the subject ("In a Crohn's pilot, most went into remission")
    r"trials?|stud(?:y|ies)|pilots?|cohorts?|subgroups?)\b", re.I
)
# A condition's name that ends with its symptoms ("depressive symptoms")
_SYMPTOMS_END_RE = re.compile(r"\bsymptoms?$", re.I)
# The words a sentence may open with before its subject: discourse markers, determiners,
# quantities and "people with" ("Many people with lupus …" is about lupus).
_OPENING_RE = re.compile(
    r"(?:[^\w]+|\b(?:but|and|so|also|however|yet|overall|indeed|in fact|today|the|a|an|its|their|"
    r"many|most|some|all|about|around|roughly|nearly|almost|over|up to|more than|fewer than|less than|"
    r"as many as|one|two|three|four|five|ten|every|each|of|in|\d[\d.,]*\s*%?|percent|per cent|"
    r"(?:people|patients|adults|women|men|children|those|anyone|someone|individuals|sufferers)"
    r"(?:\s+(?:who\s+(?:have|has|live with|are living with|suffer from)|with|living with|suffering from))?)\b)*",
    re.I,
)


def _opening_end(folded: str) -> int:
    """Where a sentence's subject starts: after discourse words, quantities and "people
    with", and after an opening phrase set off by a comma ("In people with lupus, …")."""
    opening = _OPENING_RE.match(folded)
    at = opening.end() if opening else 0
    phrase = _FRONTED_PHRASE_RE.match(folded)
    if phrase:
        rest = _OPENING_RE.match(folded, phrase.end())
        at = max(at, rest.end() if rest else phrase.end())
    return at


# After someone's condition, a clause on what changed for them: "I have ME, and I'm finally
# sleeping", "… and I've had far fewer flare-ups since starting".
_SINCE_ON_IT_RE = re.compile(
    r"[,;]?\s+(?:and|but|so)\s+(?:[\w'’]+\s+){0,4}?(?:finally|now\s+(?:i|we)\b|fewer|less|better|improv\w*|"
    r"since\s+(?:starting|i\s+started|we\s+started|taking))",
    re.I,
)
# A sentence opening with a group of people who have a condition ("Some people with ME/CFS
# …"), and one reporting a change they notice ("… notice more energy", "… feel worse for a
# few days"): in a passage about the product, what they notice on it.
_POPULATION_RE = re.compile(
    # (a count of a study's patients too: "18 of the 34 patients with CRPS (53%) reported …")
    r"^\W*(?:(?:many|most|some|several|a\s+few|few|other|\d+(?:\s+of\s+(?:the\s+|our\s+|these\s+)?\d+)?)\s+)?(?:of\s+(?:our|the|my)\s+)?"
    r"(?:people|patients|adults|women|men|members|customers|clients|users|those)\s+(?:with|living\s+with|who\s+have)\b",
    re.I,
)
_REPORTED_CHANGE_RE = re.compile(
    r"\b(?:notice[sd]?|report(?:s|ed)?|find|finds|found|say|says|said|describe[sd]?|feel|feels|felt|tell\s+us|see|sees|saw)\b"
    r"[^.!?]{0,50}\b(?:more|less|fewer|better|improv\w*|eas(?:e|es|ed|ing)|lift\w*|sharper|clearer|calmer|brighter|down|drop\w*|fall|fell|"
    r"worse|worsen\w*|flare\w*|flicker\w*)\b",
    re.I,
)
# "In people with lupus, …", "For most patients, …": a phrase before the subject.
_FRONTED_PHRASE_RE = re.compile(r"^\W*(?:in|for|among|across|at|during|after|before|with|without)\b[^,.;:!?]{1,60},\s*", re.I)
# Someone having a condition: "I have …", "my sister has …", "he was diagnosed with …".
_HAS_CONDITION_RE = re.compile(
    r"^\W*(?:(?:i|we|he|she|they|my\s+[\w-]+(?:\s+[\w-]+)?|our\s+[\w-]+)(?:\s+|['’](?:ve|d|s)\s+)"
    r"(?:have|has|had|live with|lives with|(?:was|were|got)\s+diagnosed\s+with)\s+)",
    re.I,
)
# A forum poster introducing themselves by their condition: "Long COVID here", "Fibro here, no
# thyroid issues", "Nurse + long hauler here".
_HERE_RE = re.compile(r"^\W*([^.,;:!?]{2,40}?)\s+here\b(?!\s+(?:is|are|was|were)\b)", re.I)
# What follows a condition's name when the sentence says what the condition does.
_CONDITION_DOES_RE = re.compile(
    r"\s+(?:disease\s+|syndrome\s+)?(?:often\s+|usually\s+|typically\s+|can\s+|may\s+)?"
    r"(?:causes?|means|brings?|involves?|leads?\s+to|results?\s+in|is\s+marked\s+by|affects?)\b",
    re.I,
)
# A chat transcript's user turn: "You:", "**User:**", "Me:", "Human:".
_USER_TURN_RE = re.compile(r"^\W{0,4}(?:you|user|me|human|prompt|my question)\W{0,4}:", re.I)
# In a chat (a user's turn has been seen), any other speaker's turn ("Hollis:",
# "**Assistant:**", "A:"): the answer after a question; it speaks to the section's
# topic, whatever the question's was. Outside a chat, "Summary:" is a run-in label.
_ANSWER_TURN_RE = re.compile(r"^\W{0,4}[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2}\W{0,4}:(?:\s|$)")


# Metadata that names a document's subject: a subject line, a title.
_TITLE_RE = re.compile(r"\W*(?:subject|re|fwd?|title|topic)\s*:", re.I)
_EARLY_WORDS = 100  # the words of a page's opening that say what it is about


class Topic(Enum):
    """What a sentence (or the stretch of text it sits in) is about."""

    PRODUCT = "product"
    OTHER = "other"  # a condition or another drug: background
    HIGH_DOSE = "high dose"  # the product's substance above the low-dose ceiling
    NONE = "none"  # nothing said yet


@dataclass(frozen=True)
class Context:
    """The verdict on one segment: whether its claims are about the product, and why not."""

    about_product: bool
    reason: str = ""  # "background", "high dose", "not about the product"


_ABOUT = Context(True)
BACKGROUND = "background"  # the reason of a segment whose topic is another subject


class ProductContext:
    """Decides, segment by segment, which segments of a document speak about the product."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        terms = sorted({fold(t) for t in vocabulary.subject_terms if t.strip()}, key=len, reverse=True)
        self._product = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(t) for t in terms) + r")(?!\w)", re.I) if terms else None
        self._ceiling = vocabulary.max_dose_mg
        self._label = vocabulary.subject_label
        # the names of the low-dose product itself ("LDN", "low dose naltrexone"), as
        # against the substance's ("naltrexone", "naltrexone hydrochloride")
        base = fold(vocabulary.subject_label).lower()
        low = [t for t in terms if not t.lower().startswith(base)]
        self._low_names = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(t) for t in low) + r")(?!\w)", re.I) if low else None
        self._substance_only = False  # set per document: the substance's name alone is not the product
        self.page_about = False  # set per document by ``judge``: the page as a whole is about the product
        self._conditions = TermMatcher(c for c in vocabulary.concepts if c.claim_type == ClaimType.INDICATION)

    # ------------------------------------------------------------------ sentence facts

    def names_product(self, text: str) -> bool:
        if self._substance_only:
            return self.names_low_dose_product(text)
        return self.product_mention(text) is not None

    def names_low_dose_product(self, text: str) -> bool:
        """The low-dose product by one of its own names, or the substance with low-dose wording."""
        folded = fold(text)
        if self._low_names and self._low_names.search(folded):
            return True
        return bool(self._product and self._product.search(folded) and LOW_DOSE_RE.search(text))

    def about_the_substance_at_full_dose(self, doc: Document) -> bool:
        """Whether ``doc`` is about the substance at a dose above the ceiling (a leaflet for
        naltrexone 50 mg tablets): high-dose statements outnumber every mention of the
        low-dose product, which it names at most once."""
        texts = [doc.text[s.start : s.end] for s in doc.segments]
        high = sum(1 for t in texts if self.high_dose(t))
        low = sum(1 for t in texts if self.names_low_dose_product(t))
        return high >= 2 and low <= 1

    def product_mention(self, text: str) -> str | None:
        """The words that name the product in ``text`` (any of its names), or None."""
        m = self._product.search(fold(text)) if self._product else None
        return m.group(0) if m else None

    def dose_above_ceiling(self, text: str) -> float | None:
        """The lowest dose ``text`` states when every dose it states (contrasts aside) is
        above the ceiling and it has no low-dose wording; else None."""
        if self._ceiling is None or LOW_DOSE_RE.search(text):
            return None
        text = _CONTRAST_DOSE_RE.sub(" ", text)
        doses = stated_doses(text)
        return min(doses) if doses and min(doses) > self._ceiling else None

    def high_dose(self, text: str) -> bool:
        """A dose above the ceiling and none at or below it, and no low-dose wording."""
        return self.dose_above_ceiling(text) is not None

    def low_dose(self, text: str) -> bool:
        """Low-dose wording, or doses all at or below the ceiling."""
        if LOW_DOSE_RE.search(text):
            return True
        doses = stated_doses(text)
        return self._ceiling is not None and bool(doses) and max(doses) <= self._ceiling

    def _subject(self, text: str, heading: bool = False) -> Topic | None:
        """The topic the sentence opens with, if it opens with one: the product, a
        condition or another drug as its first noun phrase. A condition that only
        qualifies a symptom ("Fibro pain went down") is not the subject; a heading that
        only names a kind of thing ("Conditions it has been studied in") names no topic."""
        folded = fold(text)
        label = RUN_IN_LABEL_RE.match(folded)
        if label and not heading:
            folded = folded[label.end() :]  # the statement after "Liver disease:" is the subject's place
        at = _opening_end(folded)
        if self._product:
            m = self._product.match(folded, at)
            if m and (not self._substance_only or self.names_low_dose_product(text)):
                return Topic.PRODUCT
        found = [(start, end) for _, start, end in self._conditions.find(folded[at : at + 80])]
        if found and min(found)[0] == 0:
            start, end = min(found)
            # "Fibro pain went down", "Depressive symptoms eased": a symptom is the subject
            symptom = _SYMPTOM_AFTER_RE.match(folded, at + end) or _SYMPTOMS_END_RE.search(folded[at + start : at + end])
            return None if symptom else Topic.OTHER
        patterns = (DRUG_CLASS_RE,) if heading else (CONDITION_RE, DRUG_CLASS_RE)
        for rx in patterns:
            m = rx.match(folded, at)
            if m and not _SYMPTOM_AFTER_RE.match(folded, m.end()):
                return Topic.OTHER
        return None

    def _defines_substance(self, text: str) -> bool:
        """"Naltrexone is a medication that …": a definition of the substance itself (the
        vocabulary's product label with no low-dose wording), background for its low-dose use."""
        folded = fold(text)
        opening = _OPENING_RE.match(folded)
        at = opening.end() if opening else 0
        label = fold(self._label)
        return (
            bool(label)
            and folded[at : at + len(label)].lower() == label.lower()
            and not LOW_DOSE_RE.search(text)
            and bool(_SUBSTANCE_DEFINITION_RE.match(folded, at + len(label)))
        )

    def _defines(self, text: str) -> bool:
        """Whether ``text`` is a sentence of background shape that does not name the product."""
        return bool(BACKGROUND_RE.search(text)) and not self.names_product(text)

    def _has_condition(self, text: str) -> bool:
        """"I have Hashimoto's, my sister has MS", a forum's "Long COVID here, two years in":
        someone's condition, not the product's use; or what a condition does ("relapsing MS
        means attacks …")."""
        m = _HAS_CONDITION_RE.match(folded := fold(text))
        if m and self._conditions.find(folded[m.end() : m.end() + 60]):
            return True
        here = _HERE_RE.match(folded)
        return bool(here and self._conditions.find(here.group(1))) or self._condition_does(text)

    def _asks_what_condition_is(self, text: str) -> bool:
        """"What is MS?", "About Crohn's", "Understanding fibromyalgia": a heading on what a
        condition is."""
        m = _WHAT_IS_RE.match(folded := fold(text))
        if m is None:
            return False
        rest = folded[m.end():].rstrip(" ?!.:*_#")
        found = self._conditions.find(rest)
        return bool(found and found[0][1] == 0) or bool(CONDITION_RE.match(rest))

    def _condition_does(self, text: str) -> bool:
        """"Fibromyalgia causes widespread pain": what a condition does."""
        folded = fold(text)
        return any(_CONDITION_DOES_RE.match(folded, end) for _, _, end in self._conditions.find(folded))

    def topic_of(self, text: str, inherited: Topic, heading: bool = False) -> Topic:
        """The topic of one sentence, given the topic of what came before it."""
        if _USER_TURN_RE.match(text):
            return Topic.NONE  # the asker's words in a chat: what they say is not the answer's claim
        if heading and not self.names_product(text) and not _IT_RE.search(text) and (
                NON_OPIOID_DRUG_RE.search(text) or self._asks_what_condition_is(text)):
            # "Duloxetine (Cymbalta)", "Pros of pregabalin", "What is MS?": a section on
            # another drug or on the condition itself
            return Topic.OTHER
        if self.high_dose(text) and (self.names_product(text) or inherited in (Topic.PRODUCT, Topic.HIGH_DOSE)):
            return Topic.HIGH_DOSE
        subject = self._subject(text, heading)
        if subject is Topic.PRODUCT and not self._defines_substance(text):
            return Topic.PRODUCT
        if self._defines_substance(text):
            return Topic.OTHER
        if inherited is Topic.HIGH_DOSE and self.low_dose(text):
            return Topic.PRODUCT  # "… at 50 mg. Your team suggests 1 mg to 4.5 mg."
        anaphor = _ANAPHOR_RE.match(fold(text))
        if anaphor and inherited is not Topic.NONE:
            if BACKGROUND_RE.search(text) and not self.names_product(text):
                return Topic.OTHER  # "It affects about 2 in 100 people", "This episode is supported by …"
            return inherited
        if _USES_IT_RE.search(text) and inherited is Topic.PRODUCT:
            return Topic.PRODUCT  # "People with lupus who take it …": still the product
        # A condition opening a fragment ("Autoimmune conditions (lupus, MS)" under "What can
        # it help with?") answers what came before; opening a sentence, it is the subject.
        fragment = not text.rstrip().rstrip("\"'”’)*_").endswith((".", "!", "?"))
        if (
            subject is Topic.OTHER
            and inherited is Topic.PRODUCT
            and _POPULATION_RE.match(_FRONTED_PHRASE_RE.sub("", fold(text), count=1))
            and _REPORTED_CHANGE_RE.search(text)
            and not BACKGROUND_RE.search(text)
        ):
            return Topic.PRODUCT  # "People with ME/CFS sometimes notice more energy": what they notice on it
        if (
            subject is Topic.OTHER
            and inherited is Topic.PRODUCT
            and _POPULATION_RE.match(fold(text))
            and stated_doses(text)
            and self.low_dose(text)
        ):
            return Topic.PRODUCT  # "Many people with long COVID feel best on 1.5 to 3 mg": its dose
        if inherited is Topic.PRODUCT and _HAS_CONDITION_RE.match(fold(text)) and _SINCE_ON_IT_RE.search(text):
            return Topic.PRODUCT  # "I have Crohn's and I've had far fewer flare-ups since starting"
        if (subject is Topic.OTHER and not fragment) or BACKGROUND_RE.search(text) or self._has_condition(text):
            return Topic.PRODUCT if self.names_product(text) else Topic.OTHER
        if self.names_product(text):
            return Topic.PRODUCT
        return inherited

    # ------------------------------------------------------------------ the document

    def about_product(self, doc: Document) -> bool:
        """Whether the document as a whole is about the product: named in one of its first
        two headings (a page often opens with the publisher's name, then its title), its first four
        paragraphs or first hundred words, or in at least half of its sections that have text."""
        segments = [s for s in doc.segments if s.role in CLAIM_ROLES]
        if not segments:
            return False
        first_headings = [s for s in segments if s.role == SegmentRole.HEADING][:2]
        if any(self.names_product(doc.text[h.start : h.end]) for h in first_headings):
            return True
        # a page title, an e-mail's subject line or a masthead's tagline before the text
        # names what it is about
        first_text = next((s.start for s in segments if s.role != SegmentRole.HEADING), segments[0].start)
        if any(
            seg.role == SegmentRole.METADATA and seg.start < first_text and _TITLE_RE.match(doc.text, seg.start)
            and self.names_product(doc.text[seg.start : seg.end])
            for seg in doc.segments
        ):
            return True
        # the first four paragraphs (a dateline or a post's header may come first; a post, a line each)
        first_blocks = list(dict.fromkeys(s.block for s in segments if s.role != SegmentRole.HEADING))[:4]
        if any(self.names_product(doc.text[s.start : s.end]) for s in segments if s.block in first_blocks):
            return True
        words = 0  # … or its first hundred words, where every line is one (a thread's export)
        for seg in (s for s in segments if s.role != SegmentRole.HEADING):
            if self.names_product(doc.text[seg.start : seg.end]):
                return True
            words += len(doc.text[seg.start : seg.end].split())
            if words >= _EARLY_WORDS:
                break
        # sections: [names the product, has text]; a heading with nothing under it (an
        # address block read line by line) is not a section
        sections: list[list[bool]] = [[False, False]]
        for seg in segments:
            if seg.role == SegmentRole.HEADING:
                sections.append([False, False])
            else:
                sections[-1][1] = True
            if self.names_product(doc.text[seg.start : seg.end]):
                sections[-1][0] = True
        counted = [named for named, has_text in sections if has_text]
        return sum(counted) * 2 >= len(counted) > 0

    def judge(self, doc: Document) -> list[Context]:
        """One :class:`Context` per segment of ``doc``, in order."""
        self._substance_only = False
        self.page_about = False
        if self.about_the_substance_at_full_dose(doc):
            self._substance_only = True
            default = Topic.HIGH_DOSE
        else:
            self.page_about = self.about_product(doc)
            default = Topic.PRODUCT if self.page_about else Topic.NONE
        headings: list[tuple[int, Topic]] = []  # open headings: (level, topic they pass on)
        lead_topics: dict[tuple[int, int], Topic] = {}
        block_product: dict[int, bool] = {}
        for seg in doc.segments:
            if seg.role != SegmentRole.HEADING and self.names_product(doc.text[seg.start : seg.end]):
                block_product[seg.block] = True  # hashtags and link text of a post name its topic too
        out: list[Context] = []
        topic = default
        current_block = -1
        block_start = 0
        turn: Topic | None = None  # in a chat, what the current answer turn is about
        chat = False  # a user's turn has been seen: "Name:" lines are answer turns
        for seg in doc.segments:
            text = doc.text[seg.start : seg.end]
            user_turn = bool(_USER_TURN_RE.match(text))
            if user_turn:
                turn, chat = None, True
            if seg.role == SegmentRole.HEADING:
                turn = None
                level = seg.level or 9
                while headings and headings[-1][0] >= level:
                    headings.pop()
                above = headings[-1][1] if headings else default
                heading_topic = self.topic_of(text, above, heading=True)
                headings.append((level, heading_topic))
                topic = heading_topic
                current_block = seg.block
                out.append(self._verdict(heading_topic))
                lead_topics[(seg.start, seg.end)] = heading_topic
                continue
            if seg.role not in PROSE_ROLES:
                out.append(Context(False, seg.role.value))
                continue
            if seg.block != current_block:
                current_block = seg.block
                block_start = seg.start
                section = headings[-1][1] if headings else default
                if turn is not None:
                    section = turn  # the answer goes on below its first line
                if seg.lead is not None and seg.lead in lead_topics:
                    topic = lead_topics[seg.lead]
                else:
                    topic = section
                if topic is Topic.NONE and block_product.get(seg.block):
                    topic = Topic.PRODUCT  # the product is named in this paragraph
            if chat and _ANSWER_TURN_RE.match(text) and not user_turn:
                # an answer turn: back to the section's topic, or the document's where the
                # section is a question nobody answered for the product
                topic = turn = headings[-1][1] if headings and headings[-1][1] is not Topic.NONE else default
            first_of_item = seg.role == SegmentRole.LIST_ITEM and seg.lead is not None and seg.start == block_start
            before = topic
            # an item completes its lead-in sentence: it is about what the lead-in is about
            if not (first_of_item and topic is not Topic.NONE and not self.high_dose(text) and not self._defines(text)):
                topic = self.topic_of(text, topic)
            lead_topics[(seg.start, seg.end)] = topic
            out.append(self._verdict(topic))
            if topic is Topic.OTHER and before is Topic.PRODUCT and self._condition_does(text):
                topic = before  # "Fibromyalgia causes …" in a story about the product: an aside
        return out

    @staticmethod
    def _verdict(topic: Topic) -> Context:
        if topic is Topic.PRODUCT:
            return _ABOUT
        if topic is Topic.HIGH_DOSE:
            return Context(False, "high dose")
        if topic is Topic.OTHER:
            return Context(False, BACKGROUND)
        return Context(False, "not about the product")

