"""The arms of a study as its abstract names them: the arm that got the product, the
control arm, and a figure given for each ("23% of participants taking naltrexone and 6% of
those taking placebo"). Pure functions over sentences; which names are the product's is
given as a callable (``topic.Matcher.product_in``)."""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["CONTROL_ARM_RE", "PEOPLE_NOUNS", "TREATED_ARM_RE", "TREATED_ARM_WORDS", "arms_by_numbers", "harm_by_arms"]

#: The nouns a study or a claim counts its people by ("58 women", "participants taking …").
PEOPLE_NOUNS = r"(?:patients|participants|people|persons|subjects|women|men|adults|children|volunteers|individuals|" \
    r"sufferers|users)"
# the arm that got the product, however a paper names it
TREATED_ARM_WORDS = "study|treatment|treated|intervention|active|experimental|drug"
TREATED_ARM_RE = re.compile(rf"\b({TREATED_ARM_WORDS})\b", re.I)
#: The arm that did not get the product.
CONTROL_ARM_RE = re.compile(r"\b(?:placebo|control|sham|usual care|standard care|comparator|untreated|saline)\b", re.I)


# a figure and the arm it belongs to: "1.84% of eyes in the study group"
_ARM_FIGURE_RE = re.compile(r"(?P<value>\d+(?:\.\d+)?)\s?%[^.;%]{0,40}?\b(?:in|with|of|for) (?P<arm>(?:the )?"
                            r"[\w-]+(?: [\w-]+){0,3}? (?:group|arm|patients|participants|subjects|cases|eyes))\b")


def arms_by_numbers(text: str, product: Callable[[str], bool]) -> int:
    """+1 when a sentence's figures put the product's arm above the control arm ("occurred
    in 1.84% of eyes in the study group and 0.22% of eyes in the control group"), -1 when
    below, 0 when it does not give one figure for each."""
    ours, theirs = None, None
    for m in _ARM_FIGURE_RE.finditer(text):
        arm, value = m.group("arm"), float(m.group("value"))
        if CONTROL_ARM_RE.search(arm):
            theirs = value if theirs is None else theirs
        elif product(arm) or TREATED_ARM_RE.search(arm):
            ours = value if ours is None else ours
    if ours is None or theirs is None or ours == theirs:
        return 0
    return 1 if ours > theirs else -1


# A figure and the arm it belongs to, as harms are reported: "23% of participants taking
# naltrexone", "12% in the
# naltrexone group", "6% on placebo", "14% of those given placebo".
_PERCENT = r"(?P<value>\d+(?:\.\d+)?)\s?%\)?"  # "16%", "9/58 (16%)"
_ARM_FIGURE_RES = (
    re.compile(_PERCENT + rf"\s+(?:of\s+)?(?:the\s+)?(?:{PEOPLE_NOUNS}|those)?"
               r"\s*(?:who\s+(?:took|received|were\s+given)|taking|given|receiving|on|in|with|during|assigned\s+to|allocated\s+to)\s+"
               r"(?:the\s+)?(?P<arm>[\w-]+(?:\s+[\w-]+)?)", re.I),
)
# Two figures for the two arms in the order the sentence named the arms: "…; insomnia by 19%
# and 6%, respectively", "Adverse events, LDN vs placebo: nausea 14% vs 4%".
_PAIRED_FIGURES_RE = re.compile(_PERCENT + r"\s*(?:(?:,\s*|\s+)and\s+(?P<other>\d+(?:\.\d+)?)\s?%[^.;]{0,20}?respectively"
                              r"|\s+(?:vs\.?|versus)\s+(?P<versus>\d+(?:\.\d+)?)\s?%)", re.I)


def _arm_side(arm: str, product: Callable[[str], bool]) -> int:
    """+1 for the product's arm, -1 for the control arm, 0 for neither."""
    if CONTROL_ARM_RE.search(arm):
        return -1
    return 1 if product(arm) or TREATED_ARM_RE.search(arm) else 0


def harm_by_arms(clause: str, sentence: str, product: Callable[[str], bool]) -> int | None:
    """How often a harm came with the product against the control arm, by the figures each
    arm is given ("vivid dreams were reported by 23% of participants taking naltrexone and
    6% of those taking placebo"; "…; insomnia by 19% and 6%, respectively", the arms in the
    order the ``sentence`` named them): +1 clearly more often (at least 5 points and half
    as much again), -1 clearly less often, 0 about as often; None when ``clause`` gives no
    figure for each arm."""
    ours = theirs = None
    for regex in _ARM_FIGURE_RES:
        for m in regex.finditer(clause):
            side = _arm_side(m.group("arm"), product)
            if side > 0 and ours is None:
                ours = float(m.group("value"))
            elif side < 0 and theirs is None:
                theirs = float(m.group("value"))
    pair = _PAIRED_FIGURES_RE.search(clause)
    if (ours is None or theirs is None) and pair:
        sides = [_arm_side(m.group("arm"), product) for r in _ARM_FIGURE_RES for m in r.finditer(sentence)]
        sides = [x for x in sides if x][:2]
        control, at = CONTROL_ARM_RE.search(sentence), sentence.find(pair.group(0))
        if sorted(sides) != [-1, 1] and control is not None and control.start() < at:
            # the arms named before the figures, by name: "LDN vs placebo: nausea 14% vs 4%"
            if product(sentence[: control.start()]):
                sides = [1, -1]
            elif product(sentence[control.end() : at]):
                sides = [-1, 1]
        if sorted(sides) == [-1, 1]:
            first, second = float(pair.group("value")), float(pair.group("other") or pair.group("versus"))
            ours, theirs = (first, second) if sides[0] > 0 else (second, first)
    if ours is None or theirs is None:
        return None
    if ours - theirs >= 5 and ours >= 1.5 * theirs:
        return 1
    if theirs - ours >= 5 and theirs >= 1.5 * ours:
        return -1
    return 0
