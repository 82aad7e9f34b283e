"""A symptom said to last is someone's condition, not a benefit.

"Pain that has not settled with other treatments", "living with pain or exhaustion that
never lifts", "adults who have had pain for at least six months", "people whose pain has
not responded": the sentence says who has the symptom and for how long, not that the
product eases it, so the benefit the symptom's word names is no claim (the condition, where
the sentence names one, still is). A relief word before it in its clause keeps the benefit
("it eases pain that has lasted for years"), and so does a symptom that got better after
all ("people whose pain eased on LDN").
"""

from __future__ import annotations

import re

from ldn_graph.extract.claim_types import better, better_before
from ldn_graph.model import Concept
from ldn_graph.terms import ClaimType

_DENIAL = r"(?:not|never|n't|hasn't|haven't|hadn't|doesn't|don't|didn't|won't|isn't)"
# After the symptom: it has not got better ("that has not settled", "which never fully
# switches off", "whose pain has not responded") or it lasts ("that has lingered", "that has
# dragged on for years", "lasting longer than three months", "for at least six months").
_NOT_BETTER_OR_LASTS = (
    r"(?:(?:has|have|had|is|are|was|were|does|do|did|will|would)\s+)?"
    rf"(?P<modifiers>(?:(?:still|yet|fully|really|ever|seem(?:s|ed)?\s+to|been|{_DENIAL})\s+)*)"
    r"(?P<verb>settl\w*|respond\w*|improv\w*|budg\w*|lift\w*|eas\w*|clear\w*|resolv\w*|switch\w*|"
    r"last\w*|linger\w*|outlast\w*|persist\w*|drag\w*|hung|hang\w*|gone\s+on|go(?:es)?\s+on|recur\w*|"
    r"keeps?\s+(?:coming|going))\b"
)
_FOR_MONTHS = (
    r"\s+(?:for|lasting|lasted)\s+(?:at\s+least\s+|more\s+than\s+|over\s+|longer\s+than\s+|many\s+|several\s+)?"
    r"(?:[\w-]+\s+)?(?:months|years|decades)\b"
)
_LASTING_AFTER_RE = re.compile(rf"\s+(?:that|which)\s+{_NOT_BETTER_OR_LASTS}|{_FOR_MONTHS}", re.I)
_WHOSE_LASTING_RE = re.compile(rf"\s+{_NOT_BETTER_OR_LASTS}", re.I)  # "whose pain has not responded"
# Verbs of getting better count only denied: "pain that eased" got better.
_GOT_BETTER_RE = re.compile(r"settl|respond|improv|budg|lift|eas|clear|resolv|switch", re.I)
_DENIAL_RE = re.compile(rf"\b{_DENIAL}(?=\s)", re.I)
_WHOSE_RE = re.compile(r"\bwhose\s+(?:[\w'’-]+\s+){0,2}$", re.I)
# Before the symptom: someone living with it ("living with pain that …"), or who has had it
# for a time or since something ("adults who have had pain for at least six months"; not "I've
# had one mild flare since", "far fewer flare-ups since starting").
_LIVES_WITH_RE = re.compile(r"\b(?:living|live|lives|lived)\s+with\s+(?:[\w'’-]+\s+){0,2}$", re.I)
_HAS_HAD_RE = re.compile(
    r"\b(?:have|has|had|'ve|'d)\s+had\s+"
    r"(?:(?!(?:no|one|fewer|far|few|a|only|just|less|any|mild\w*|two|three)\b)[\w'’-]+\s+){0,2}$", re.I)
_FOR_A_TIME_RE = re.compile(r"\s+(?:\w+\s+){0,3}?(?:for|since)\s", re.I)
# A symptom someone takes the product for, or that it eases, with the items listed before it
# ("tried mainly for the exhaustion and brain fog that linger", "takes the edge off your
# fatigue and the joint pain that has hung on"), is its use or its benefit.
_TAKEN_FOR_RE = re.compile(
    r"\b(?:for|eas(?:e|es|ed|ing)|reliev\w*|reduc\w*|lower\w*|take[sn]?\s+the\s+edge\s+off|help\w*\s+with)\s+"
    r"(?:(?:the|your|their|my|her|his)\s+)?(?:[\w'’-]+(?:\s+[\w'’-]+)?\s*(?:,\s*|\s+(?:and|or)\s+)(?:the\s+|your\s+)?)*"
    r"(?:[\w'’-]+\s+)?$",  # (and a word naming where: "the joint pain")
    re.I)


def lasting(text: str, start: int, end: int) -> bool:
    """Whether the sentence ``text`` says the symptom at ``text[start:end]`` lasts (and not
    that it got better)."""
    last_word = text.rfind(" ", start, end) + 1
    if last_word > start and better_before(text, last_word):
        return False  # the mention says it got better itself: "eases pain"
    before = text[max(0, start - 40) : start]
    if _TAKEN_FOR_RE.search(text, max(0, start - 80), start):
        return False
    after = _LASTING_AFTER_RE.match(text, end)
    if after is None and _WHOSE_RE.search(before):
        after = _WHOSE_LASTING_RE.match(text, end)
        if after is None:
            return False  # "patients whose pain eased", "whose antibodies were checked"
    if after is not None:
        if after.group("verb") and _GOT_BETTER_RE.match(after.group("verb")):
            if not _DENIAL_RE.search(after.group("modifiers") or ""):
                return False  # "pain that eased": it got better
            return not better_before(text, start)  # (what follows is "has not settled": no better)
    elif not (_LIVES_WITH_RE.search(before) or (_HAS_HAD_RE.search(before) and _FOR_A_TIME_RE.match(text, end))):
        return False
    return not better(text, start, end)


# A symptom someone still has ("I was still wiped out after the school run", "I still nap",
# "the fatigue is flattening me"), in a sentence with no word of change: how they are, no
# benefit.
_IN_A_STATE_RE = re.compile(
    r"\b(?:still|always|constantly|permanently)\s+(?:(?:so|really|very|just|completely|totally|utterly)\s+)?$", re.I)
_WEARS_ON_RE = re.compile(
    r"\s+(?:is|was|has\s+been|'s)\s+(?:still\s+|just\s+|really\s+)?(?:flattening|crushing|wrecking|killing|ruining|"
    r"destroying|relentless|constant|unbearable|overwhelming|the\s+worst)\b", re.I)
# Words of a change: with one in the sentence, the symptom is no state ("I still nap, but far less").
_CHANGE_WORDS_RE = re.compile(
    r"\b(?:less|fewer|better|improv\w*|eas(?:e|ed|es|ing)|lift\w*|gone|no\s+longer|any\s*more|used\s+to|"
    r"before|until|since|now|reduc\w*|help\w*|instead|rather)\b", re.I)


def in_a_state(text: str, start: int, end: int) -> bool:
    """Whether the sentence ``text`` says someone has the symptom at ``text[start:end]``
    (their state, with no change in the sentence)."""
    if _CHANGE_WORDS_RE.search(text):
        return False
    return bool(_IN_A_STATE_RE.search(text, max(0, start - 40), start) or _WEARS_ON_RE.match(text, end))


def without_lasting_symptoms(found: list[tuple[Concept, int, int]], text: str) -> list[tuple[Concept, int, int]]:
    """``found`` without the benefits whose symptom the sentence says lasts."""
    return [(c, s, e) for c, s, e in found
            if c.claim_type != ClaimType.BENEFIT or c.product_quality or not (lasting(text, s, e) or in_a_state(text, s, e))]
