"""Which headings carry claims.

A heading names what its section is about ("Side effects", "Fibromyalgia") and claims
nothing, with two kinds of exception: a question heading that takes a benefit for granted
("How does LDN ease pain?", "anyone else get the dreams?"), a hedged claim; and a short
heading that states a change ("Fewer bad days.", "Energy is so much better", "I got my
mornings back", "Dreams were wild at first") or gives an instruction on taking the product
("Start low, go slow", "Never with opioids."): a review's title, a benefit's or a rule's
lead-in says what the sentence it stands for would say. A short heading that names a quality
of the product ("Not habit-forming") is a claim too, and so is a card of a card grid that
names a condition ("Fibromyalgia" over "Fewer bad-pain days"): the card says what the
product is for.
"""

from __future__ import annotations

import re

from ldn_graph.extract.claim_types import ANY_BETTER_RE, WORSENING_RE
from ldn_graph.matching import TermMatcher
from ldn_graph.model import Document
from ldn_graph.terms import ClaimType, SegmentRole

# A question heading that takes a benefit for granted ("How does LDN ease pain?", "Could
# it be the answer for your fatigue?", "anyone else get the dreams?") is a hedged claim; a
# plain yes/no question is not.
PRESUPPOSING_QUESTION_RE = re.compile(
    r"^\W*(?:how|why|in what ways?)\b|\bcould\b.*\b(?:answer|key|solution|breakthrough|missing piece|help)\b"
    # "anyone else get a bit of nausea …?": the asker had it
    r"|(?:^|[^\w\s]\s*)(?:has\s+|does\s+|did\s+)?anyone\s+else\b",
    re.I,
)

# A heading short enough to be a title or a lead-in, not a sentence set as a heading.
_MAX_WORDS = 9
# A finite verb or "finally": the heading is a statement ("Dreams were wild at first",
# "Thyroid antibodies finally dropping"), not a topic's name.
_STATEMENT_RE = re.compile(
    r"\b(?:is|are|was|were|has|have|had|got|gets|made|makes|helps?|helped|gave|finally)\b"
    # a denied verb ("Stomach didn't agree with it", "Haven't needed the tramadol") or a
    # contrast ("Weird dreams, but worth it")
    r"|\b\w+n['’]t\b|,\s*but\b", re.I)
# A comparative of a benefit's quality: "Clearer thinking.", "Softer pain signals", "Steadier
# energy with MS", "Sleep more deeply".
_COMPARATIVE_RE = re.compile(
    r"\b(?:clear|soft|calm|deep|sharp|bright|strong|quiet|steadi|steady|easi|light|smooth|happi|health)(?:er|ier)\b"
    r"|\bmore\s+(?:deeply|soundly|clearly|easily|calmly|steadily)\b", re.I)


# A marketing imperative of change: "Turn down the pain …", "Rebalance your immune system",
# "Calm an overactive immune system".
_IMPERATIVE_BETTER_RE = re.compile(
    r"^\W*(?:turn\s+(?:down|\w+\s+down)|calm|settle|soothe|quiet(?:en)?|rebalance|restore|reclaim|ease|relieve|"
    r"take\s+back|get\s+back|feel\s+like\s+yourself|clear|cool|lift|boost|banish|beat|"
    # "Get your energy back"
    r"get\s+(?:your\s+)?(?:[\w-]+\s+){1,2}back)\b", re.I)
# A long heading opening with a question word is a section's title ("How LDN is thought to help …").
_TOPIC_TITLE_RE = re.compile(r"^\W*(?:\d+\.\s*)?(?:how|why|what|when|where|which|who)\b", re.I)
# An instruction on taking the product: "Start low, go slow", "Month 1: start low", "Never
# with opioids." (not "Keep an eye on …", which names what to watch)
_INSTRUCTION_RE = re.compile(r"^\W*(?:(?:month|week|step)\s+\d+:\s*)?(?:start|begin|build|never)\b", re.I)


def presupposing_question(text: str) -> bool:
    """A question heading that takes a benefit for granted."""
    return text.rstrip().endswith("?") and bool(PRESUPPOSING_QUESTION_RE.search(text))


def states_change(text: str) -> bool:
    """A heading, not a question, that carries a claim: a short one that says something got
    better or worse, is a statement ("Fewer bad days.", "Energy is so much better", "I got
    my mornings back") or an instruction ("Start low, go slow"); a marketing imperative of
    change ("Rebalance your immune system"); or a sentence set as a heading (a hero line, a
    headline) that says something gets better, unless it is a section's title ("How LDN is
    thought to help …"), an acronym ("LIFT-PC") or a topic's name ("Treatments")."""
    if "?" in text:
        return False
    if _IMPERATIVE_BETTER_RE.match(text):
        return True
    if len(text.split()) > _MAX_WORDS:
        return not _TOPIC_TITLE_RE.match(text) and any(
            not m.group().isupper() and not m.group().lower().startswith("treat") for m in ANY_BETTER_RE.finditer(text))
    return bool(
        ANY_BETTER_RE.search(text) or WORSENING_RE.search(text) or _STATEMENT_RE.search(text) or _INSTRUCTION_RE.search(text)
        or _COMPARATIVE_RE.search(text)
    )


# A quality named as a topic: an abstract noun ("Safety and tolerability").
_ABSTRACT_NOUN_RE = re.compile(r"(?:ity|ness)$", re.I)


def states_quality(heading: str, matcher: TermMatcher) -> bool:
    """A short heading, no table row, that says a quality of the product ("Not habit-forming",
    "Gentle on the body.")."""
    if len(heading.split()) > 5 or "|" in heading or "\t" in heading:
        return False
    return any(c.product_quality and not _ABSTRACT_NOUN_RE.search(heading[s:e]) for c, s, e in matcher.find(heading))


# A card grid: three or more sibling headings (one level), each short, no question, over a
# body of one or two segments ("Crohn's disease" / "Longer gaps between flare-ups."). A
# section of an evidence review has a longer body; a FAQ's headings are questions.
_CARD_WORDS = 6
_CARD_BODY = 2
_GRID = 3


def card_headings(doc: Document) -> frozenset[int]:
    """The indices (in ``doc.segments``) of the headings of ``doc``'s card grids."""
    heads = [i for i, seg in enumerate(doc.segments) if seg.role == SegmentRole.HEADING]
    ends = [*heads[1:], len(doc.segments)][: len(heads)]  # (none where there are no headings)
    texts = [doc.text[doc.segments[i].start : doc.segments[i].end] for i in heads]
    card = [1 <= end - i - 1 <= _CARD_BODY and len(text.split()) <= _CARD_WORDS and "?" not in text
            for i, end, text in zip(heads, ends, texts, strict=True)]
    grids: set[int] = set()
    k = 0
    while k < len(heads):
        j = k
        while j < len(heads) and card[j] and doc.segments[heads[j]].level == doc.segments[heads[k]].level:
            j += 1
        if j - k >= _GRID:
            grids.update(heads[k:j])
        k = max(j, k + 1)
    return frozenset(grids)


def names_conditions_only(heading: str, matcher: TermMatcher) -> bool:
    """Whether every concept ``heading`` names is a condition (an indication): a card's name
    ("Rheumatoid arthritis and lupus"), not a benefit's ("Long COVID fatigue")."""
    found = matcher.find(heading)
    return bool(found) and all(c.claim_type == ClaimType.INDICATION for c, _, _ in found)
