"""A general mention the sentence goes on to specify as another concept.

Three shapes, all general:

- an appositive naming a noun brought in with "a" or "an": "blocking a receptor on these
  cells called toll-like receptor 4" is that receptor, not the one "receptor blockade"
  names. Where such a mention is followed by "called", "known as", "named" or "termed"
  (with a place between: "on those cells", "on their surface") and another concept's
  mention starts right after it, the named concept is what the sentence speaks of. A noun
  without the article keeps its own concept: "immune cells in the brain, known as
  microglia" names both;
- the object of a label that ends in a particle: "takes the edge off" is pain relief said
  alone ("it's taken the edge off") or of pain, but "takes the edge off their fatigue" is
  less fatigue. Where such a mention is followed by a determiner and (at most one word
  after it) by another concept's mention, that concept is what the sentence speaks of;
- a mention whose last word modifies the noun right after it: "the use of the opioid
  antagonist naltrexone", "used in alcohol and opioid dependence" name no opioid use, and
  "lowers inflammatory messengers such as IL-6" no anti-inflammatory effect of its own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ldn_graph.model import Concept
from ldn_graph.terms import ClaimType

# "a receptor": a noun brought in to be named
_INDEFINITE_RE = re.compile(r"\b(?:a|an)\s", re.I)
# "… on these cells called", ", known as", "on their surface termed the"
_NAMING_RE = re.compile(
    r"(?:\s+(?:on|in|of|at)\s+(?:[\w'’-]+\s+){0,3}?[\w'’-]+)?,?\s+(?:called|known\s+as|named|termed)\s+(?:the\s+)?",
    re.I,
)
# A noun right after a mention that its last word modifies: "use of the opioid antagonist",
# "used in alcohol and opioid dependence"
# "used in alcohol and opioid dependence", "lowers inflammatory messengers such as IL-6"
_HEAD_AFTER_RE = re.compile(r"[ \t-]+(?:antagonists?|agonists?|dependence|addiction|receptors?|blockers?|messengers?|"
                            r"cytokines?|markers?|molecules?|mediators?)\b", re.I)
# … but a receptor's abbreviation names the receptor before the word: "TLR4 receptors"
_ABBREVIATION_RE = re.compile(r"[A-Z][A-Z0-9-]*\d[A-Z0-9-]*")
_RECEPTOR_AFTER_RE = re.compile(r"[ \t-]+receptors?\b", re.I)
# … and, for a benefit or a condition, a medicine it names ("nerve-pain medicines", "the
# usual MS drugs"), or a mention that is itself one ("pain relievers such as ibuprofen")
_MEDICINE_AFTER_RE = re.compile(r"[ \t-]+(?:medicines?|medications?|meds|drugs?|relievers?|killers?|tablets?|pills?)\b", re.I)
_MEDICINE_RE = re.compile(r"(?:relievers?|killers?)$", re.I)
_NAMES_MEDICINE_TYPES = frozenset({ClaimType.BENEFIT, ClaimType.INDICATION})
# A mention ending in a particle: "takes the edge off"
_PARTICLE_END_RE = re.compile(r"\b(?:off|with|for|on|of|from)$", re.I)
_OFF_RE = re.compile(r"\s+off\b", re.I)
# … and its object's opening: "the", "their", "her MS"
_OBJECT_RE = re.compile(r"\s+(?P<word>(?:the|their|his|her|my|your|our|its|some\s+of\s+the)\s+)(?:[\w'’-]+\s+)?", re.I)


def without_specified(found: Sequence[tuple[Concept, int, int]], text: str) -> list[tuple[Concept, int, int]]:
    """``found`` without the mentions the sentence goes on to specify as another concept."""
    starts = {s: c.iri for c, s, _ in found}

    def specified(concept: Concept, s: int, e: int) -> bool:
        if _HEAD_AFTER_RE.match(text, e) and not (_ABBREVIATION_RE.fullmatch(text, s, e) and _RECEPTOR_AFTER_RE.match(text, e)):
            return True  # "the use of the opioid | antagonist naltrexone": its last word modifies the next
        if (concept.claim_type in _NAMES_MEDICINE_TYPES and not concept.product_quality
                and (_MEDICINE_AFTER_RE.match(text, e) or _MEDICINE_RE.search(text, s, e))):
            return True  # "other fibromyalgia | medicines", "pain relievers"
        if (concept.claim_type == ClaimType.MECHANISM and " " not in text[s:e]
                and (medicine := _MEDICINE_AFTER_RE.match(text, e)) and medicine.group().endswith("s")):
            # a mechanism's one word before a class of medicines names the class ("anti-inflammatory
            # tablets such as ibuprofen"; "an anti-inflammatory medicine" may be the product, and
            # "… receptors that opioid medicines use" is a longer mention)
            return True
        named = _NAMING_RE.match(text, e)
        if named and _INDEFINITE_RE.search(text, s, e) and starts.get(named.end(), concept.iri) != concept.iri:
            return True
        if not _PARTICLE_END_RE.search(text, s, e):
            off = _OFF_RE.match(text, e)  # the label's particle read as a little word: "taken the edge" off
            if off is None:
                return False
            e = off.end()
        # the object's first word after its determiner, or the one after that ("her MS tiredness")
        opening = _OBJECT_RE.match(text, e)
        if opening is None:
            return False
        return any(starts.get(at, concept.iri) != concept.iri for at in (opening.end("word"), opening.end()))

    return [(c, s, e) for c, s, e in found if not specified(c, s, e)]
