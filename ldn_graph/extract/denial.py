"""Denials: a sentence that says an outcome did not happen (a null result or a report, no
claim: "it did not improve fatigue", "no nausea at all"), and a claim that denies (a
negated claim: "LDN does not cause insomnia", "insomnia isn't a side effect of LDN", "LDN
does not disturb sleep")."""

from __future__ import annotations

import re
from collections.abc import Callable

from ldn_graph.model import Concept
from ldn_graph.terms import ClaimType
from ldn_graph.text import same_clause

__all__ = ["NEGATION_RE", "NOT_A_HARM_RE", "denied", "product_denies"]

# Words that negate the clause before a concept ("does not", "never", "isn't"; not the
# "don't" of "don't-touch-me pain", a word of its own).
NEGATION_RE = re.compile(
    r"\b(not|no|never|without|should not|must not|do not|does not|cannot|avoid|unsafe|\w+n['’]t(?!-))\b", re.I
)
# after the concept, the harm denied: "insomnia isn't a side effect", "headaches, they are not a known risk"
NOT_A_HARM_RE = re.compile(r"(?:\s*,\s*(?:it|they|this|that))?\s+(?:is|are|was)\s*(?:not|n['’]t)\s+(?:an?\s+|one of the\s+)?(?:\w+\s+)?"
                            r"(?:side[- ]effects?|adverse (?:effects?|events?)|risks?)\b", re.I)

# Before an outcome: it did not happen ("did not improve", "no", "will not numb").
_DENIED_BEFORE_RE = re.compile(
    r"\b(?:did not|didn't|does not|doesn't|has not|hasn't|have not|haven't|will not|won't|cannot|can't|not|no|never|neither|nor)\b"
    r"(?:[\s,]+(?:however|really|actually|much|any|real|significant|difference|help|improve|change|reduce|affect|my|the|with|at all|had|have|get|got|a|single|one|in|even|"
    # what an effect would do to it: "will not numb pain", "did not touch their pain"
    r"numb|curb|touch|cure|fix|relieve|ease|lift|shift|prevent|lower|boost|their|her|his|your|its|our)\b)*[\s,]*$",
    re.I,
)

# After an outcome: it did not change ("… was no better than on placebo", "barely budged").
_DENIED_AFTER_RE = re.compile(
    r"^[^.;]{0,60}?\b(?:(?:was|were|is|are)\s+(?:no|not)\s+(?:(?:measurably|clearly|significantly|much)\s+)?(?:better|different|improved)|"
    r"no (?:real |significant |clear |meaningful |measurable )?difference|(?:barely|hardly)\s+(?:budged?|shifted|changed|moved|improved)|"
    r"(?:is|are|was|were)\s+not\s+(?:an?\s+)?(?:proven|established|recognised|recognized)\b|"
    r"(?:did not|didn't|does not|doesn't|has not|hasn't|have not|haven't)\s+(?:(?:clearly|really|noticeably|significantly|much)\s+)?"
    r"(?:changed?|improved?|get better|got better|budged?|"
    r"shift(?:ed)?|eased?|lift(?:ed)?|differ)|"
    r"(?:noticed|saw|felt|found|made|makes|make)\s+(?:no|little)\s+(?:real\s+|big\s+)?(?:difference|change))\b",
    re.I,
)


def product_denies(concept: Concept, text: str, start: int, names_product: Callable[[str], bool]) -> bool:
    """Whether the product, named before it in its clause, is said not to bring on the harm
    at ``start`` ("LDN does not disturb sleep"): a claim that denies a harm."""
    verb = _NEGATED_VERB_RE.search(text, max(0, start - 24), start)
    return (concept.claim_type == ClaimType.SAFETY and verb is not None
            and names_product(re.split(r"[;:,]", text[: verb.start()])[-1]))


# Right before a harm named by its verb ("disturb sleep"): the verb negated.
_NEGATED_VERB_RE = re.compile(r"\b(?:(?:does|do|will|would)\s+not|doesn['’]t|don['’]t|won['’]t|wouldn['’]t)\s+$", re.I)
# After a denied symptom: it stopped ("not napping every afternoon any more").
_ANY_MORE_RE = re.compile(r"[^.;,]{0,40}?\b(?:any\s*more|any\s+longer)\b", re.I)


def denied(text: str, start: int, end: int) -> bool:
    """Whether the sentence denies the outcome named at ``text[start:end]`` (a denial in a
    contrasting clause after it, "…, although others noticed no change", is another's)."""
    if _DENIED_BEFORE_RE.search(text[max(0, start - 60) : start]):
        return not _ANY_MORE_RE.match(text, end)  # "I'm not napping every afternoon any more": it stopped
    after = _DENIED_AFTER_RE.search(text[end:])
    return after is not None and same_clause(text, end, end + after.end())
