"""Side effects said to be few, mild or passing: the product is well tolerated.

A sentence about the product that says its side effects are few, mild or pass ("side
effects, when they happen, tend to be mild", "adverse effects were rated no worse than on
placebo", "a slow start keeps side effects to a minimum", "few, if any, side effects", "though
many people have none"), that few stopped it because of
them ("only 4% stopped because of side effects"), or — right after side effects were named,
in the sentence before or the section's heading — that "these usually settle within a
fortnight" or "most people have none" names the vocabulary's ``ldng:mildHarms`` concept
(the LDN vocabulary's "well tolerated"). Side effects said to be severe or lasting are not
("side effects are not always mild").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# What names the product's harms.
HARMS_RE = re.compile(
    r"\b(?:side[- ]?effects?|adverse (?:effects?|events?|reactions?)|unwanted effects?)\b", re.I)
# Few: "side effects were few", "rare", "uncommon".
_RARE = r"(?<!\ba )few|rare|rarely|infrequent|uncommon"
# Few or mild: "side effects were few and minor", "tend to be mild", "keeps side effects to a minimum".
_MILD_RE = re.compile(
    rf"\b(?:mild|mildly|minor|{_RARE}|short-lived|temporary|transient|brief|"
    r"a nuisance|to a minimum|no worse|easy to live with)\b", re.I)
# Harms said to be serious, whose rarity is the product's safety: "serious side effects are rare".
_SERIOUS_BEFORE_RE = re.compile(r"\b(?:serious|severe|major|dangerous|life-threatening)\s+$", re.I)
_RARE_RE = re.compile(_RARE, re.I)
# Passing: "these usually settle", "fade within a fortnight".
_PASSING_RE = re.compile(
    r"\b(?:settles?|settling|fades?|fading|eases?|easing|pass(?:es)?|passing|wears? off|wearing off|resolves?|resolving|"
    r"subsides?|abates?|go(?:es)? away|dies? down|calms? down"
    # past, with how long they take: "these faded within a month" (a rule, where "they had
    # faded by 4.5 mg" is a story)
    r"|(?:faded|settled|eased|passed|resolved|subsided|abated|wore off|went away|died down)\s+(?:\w+\s+)?within)\b", re.I)
# What follows a quality said of the side effects: punctuation, a little word, or nothing —
# not a noun it modifies ("transient dizziness", "a mild headache", "the first few weeks").
_PREDICATE_END_RE = re.compile(r"\s*(?:$|[^\w\s]|(?:and|or|but|nor|in|within|after|as|once|by|with|over|to|for|on|at|"
                                r"if|when|than|rather|because|though|although|until|during|overall|so|too|at all|"
                                r"compared|relative|ones?)\b)", re.I)
# "not always mild", "don't go away", "rarely settle": the mildness denied.
_DENIED_RE = re.compile(r"\b(?:not|n't|never|rarely|seldom|no longer)\s+(?:\w+\s+){0,2}$", re.I)
# Few who stopped because of them: "only 4% stopped because of side effects", "nobody had given up LDN".
_FEW_STOPPED_RE = re.compile(
    r"\b(?:only|just|nobody|no one|none|few|hardly anyone|(?:fewer|less)\s+than\s+(?:\d|one|two|three|four|five|ten|a|1 in))\b"
    r"[^;]{0,50}?\b(?:stopp(?:ed|ing)|gave up|given up|"
    r"discontinued|withdrew|withdrawn|dropped out|quit)\b[^.;]{0,40}?\b(?:because of|due to|owing to)\b", re.I)
# Right after harms were named, an anaphor or "most people" saying they are few, mild or pass:
# "These usually settle within a fortnight", "Most people have few or none".
_ANAPHOR_RE = re.compile(
    r"^\W*(?:(?:these|they|those|such effects|it|this|both|any)\b|(?:most|many)\s+(?:people|patients|of them|of these|"
    r"members|users)\b|usually only\b)", re.I)
# A harm's time, not what it is like: "once any side effects have settled", "if they don't go away".
_CONDITION_RE = re.compile(r"\b(?:once|when|until|till|if|unless|after|before)\s+(?:\w+\s+){0,2}$", re.I)
# After a clause of the harms' time, the harms taken up again: ", they", ", these", ", most".
_RESUMED_RE = re.compile(r",\s*(?:they|these|most\s+of\s+them|most)\b", re.I)
# … or, anywhere in the sentence, the effects with a word that points back to them: "For most
# people, these effects faded", "Most of these effects abate", "The most frequently reported
# effects are transient".
_BACK_TO_EFFECTS_RE = re.compile(
    r"\b(?:these|those|such|most|any|all|the)\s+(?:of\s+(?:these|them|the)\s+)?(?:[\w-]+\s+){0,3}?effects\b", re.I)
_NONE_RE = re.compile(r"\b(?:none|nothing at all|no trouble|little or no|very little trouble|few or none|mild ones)\b", re.I)
# Few said before the side effects: "few, if any, side effects", "hardly any side effects".
_FEW_BEFORE_RE = re.compile(r"\b(?:(?<!\ba )few|hardly any|barely any|very few)(?:,?\s+if\s+any,?)?\s+$", re.I)
# Most people with none, wherever it is said: "though many people have none", "at these doses
# most people get none, or only mild ones".
_MOST_HAVE_NONE_RE = re.compile(
    r"\b(?:most|many|plenty of)\s+(?:people|patients|members|users|of them)\s+(?:have|get|notice|report|experience)\s+"
    r"(?:none|hardly\s+any|few\s*,?\s*if\s+any|few\s+or\s+none)\b", re.I)


def mild_harms_span(text: str, after_harms: bool, harm_starts: Sequence[int] = ()) -> tuple[int, int] | None:
    """Where ``text`` says the product's side effects are few, mild or pass, or ``None``.

    ``after_harms``: the sentence before or the section's heading named side effects, so an
    anaphor ("These usually settle") speaks of them. ``harm_starts``: where the sentence
    names side effects itself; passing said after one is when it comes and goes ("vivid
    dreams, which usually fade within two weeks"), and only their being few or mild is
    tolerability.
    """
    few = _FEW_STOPPED_RE.search(text)
    if few is not None:
        return few.start(), few.end()
    # what is said of them comes after them: "side effects … tend to be mild" ("rare side
    # effects include …" lists harms)
    harms = HARMS_RE.search(text)
    few_before = _FEW_BEFORE_RE.search(text, max(0, harms.start() - 30), harms.start()) if harms is not None else None
    if harms is not None and few_before is not None and not _DENIED_RE.search(
            text, max(0, few_before.start() - 30), few_before.start()):
        return few_before.start(), harms.end()
    if harms is not None or after_harms:
        most = _MOST_HAVE_NONE_RE.search(text)
        if most is not None and not _DENIED_RE.search(text, max(0, most.start() - 30), most.start()):
            return most.start(), most.end()
    anaphor = (_ANAPHOR_RE.match(text) or _BACK_TO_EFFECTS_RE.search(text)) if after_harms and harms is None else None
    subject = harms or anaphor
    if subject is None:
        return None
    if _CONDITION_RE.search(text, max(0, subject.start() - 30), subject.start()):
        # "When side effects do turn up, they tend to be mild": what is said of them follows
        # the clause of their time
        subject = _RESUMED_RE.search(text, subject.end())
        if subject is None:
            return None
    said = [m for m in _MILD_RE.finditer(text, subject.end()) if _PREDICATE_END_RE.match(text, m.end())]
    if _SERIOUS_BEFORE_RE.search(text, max(0, subject.start() - 30), subject.start()):
        # "serious side effects are rare" says the product is safe (the vocabulary's own
        # label), not that its side effects are mild
        said = [m for m in said if not _RARE_RE.fullmatch(m.group())]
    # present only: "they had faded by 4.5 mg" is a story
    said += [m for m in _PASSING_RE.finditer(text, subject.end()) if not any(h < m.start() for h in harm_starts)]
    if anaphor is not None:  # "Most people have few or none"
        said += _NONE_RE.finditer(text, subject.end())
    for mild in sorted(said, key=lambda m: m.start()):
        if not _DENIED_RE.search(text, max(0, mild.start() - 30), mild.start()):
            return mild.start(), mild.end()
    return None
