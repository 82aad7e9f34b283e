"""A concept's word used attributively: it names something other than the claim.

- A field of care: "a pain clinic", "your MS team", "pain medicine", "a special interest in
  pain", "consultations in pain" (but "a study from a post-COVID clinic" is the study's
  population, and "a gentle medicine" describes the product);
- a quality of another noun: a product-quality word (``ldng:productQuality``) brought in
  with a determiner, or opening the sentence, and followed by a noun that is not a medicine
  ("a gentle swimming class", "Gentle reminder", "for safe disposal", "a gentle start"). Said
  of the product it stays: "it is gentle", "gentle on the body", "a gentle, well-tolerated
  way", "a gentle medicine";
- the other of it: a word after "non-" ("non-opioid pain relievers such as paracetamol");
- the people who have a benefit's symptom, after a determiner: "our pain patients".
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ldn_graph.model import Concept
from ldn_graph.terms import ClaimType

# A concept word that names a field of care rather than an effect: "a pain clinic", "your
# MS team", "pain medicine", "a special interest in pain", "consultations in pain".
_FIELD_AFTER_RE = re.compile(  # … or a list of fields: "the pain, neurology and gastroenterology teams"
    r"(?:(?:\s*,\s*[\w'’-]+){0,3}\s*(?:\band\b|\bor\b|&|/)\s*[\w'’-]+)?"
    r"\s+(?:clinics?|clinicians?|services?|teams?|nurses?|specialists?|medicine|management|consultants?|consultations?|"
    r"research|societ(?:y|ies)|practices?|programmes?|programs?|units?|departments?|centres?|centers?|wards?|"
    r"doctors?|physicians?|charit(?:y|ies)|groups?|forums?|dietitians?|dieticians?|helplines?|advice\s+lines?)\b",
    re.I,
)
# After a quality of the product: a medicine it describes ("a gentle medicine"), not a field.
_A_MEDICINE_RE = re.compile(r"\s+(?:medicines?|medications?|drugs?)\b", re.I)
_FIELD_BEFORE_RE = re.compile(
    r"\b(?:consultations?|specialists?|consultants?|interest|expertise|experience|training|speciali[sz]ing|"
    r"specialty|speciality|doctor|nurse|professor|lecturer)\s+in\s+(?:\w+\s+){0,2}$",
    re.I,
)


# A study's setting: "a study from a post-COVID clinic", "case series from long COVID clinics":
# the clinic's patients are the study's population.
_STUDY_SETTING_RE = re.compile(
    r"\b(?:stud(?:y|ies)|series|trials?|audits?|reports?)\s+(?:\w+\s+){0,2}?(?:from|in|at)\s+(?:an?\s+|the\s+)?$", re.I)


def names_a_field(text: str, start: int, end: int) -> bool:
    """Whether the concept word at ``text[start:end]`` names a field of care (not a
    study's setting)."""
    if _STUDY_SETTING_RE.search(text, max(0, start - 60), start):
        return False
    return bool(_FIELD_AFTER_RE.match(text, end) or _FIELD_BEFORE_RE.search(text[max(0, start - 60) : start]))


# Before a product-quality word (or a benefit's word before people): a determiner, a
# quantifier or a preposition that takes a noun phrase; or nothing but the sentence's start
# (not "most": "the most tolerable med" compares the product)
_DETERMINER_BEFORE_RE = re.compile(
    r"\b(?:a|an|the|this|that|these|those|your|my|our|their|his|her|its|some|for|with|"
    r"several|many|all|few|other|of)\s+$", re.I
)
_OPENING_RE = re.compile(r"[\W_]*")
# After it, a word that opens no predicate ("on", "and", "to" …) and names no medicine
# ("a gentle medicine", "a safe option", "a low-risk thing to try")
_NOUN_AFTER_RE = re.compile(
    r"\s+(?!(?:and|or|but|nor|on|for|to|in|with|at|as|enough|than|when|if|even|so|overall|by|from|"
    r"over|during|across|alongside|compared|because|while|though|although|is|are|was|were|has|have|"
    r"medicines?|medications?|drugs?|treatments?|options?|choices?|therap(?:y|ies)|pills?|capsules?|"
    r"prescriptions?|remed(?:y|ies)|alternatives?|adjuncts?|add-ons?|ways?|ones?|things?|side|profile|record)\b)\w",
    re.I,
)
# One adjective in its plain form: "gentle", "safe", "low-risk" (not "the gentlest thing",
# whose noun is what is compared)
_PLAIN_ADJECTIVE_RE = re.compile(r"[\w-]+(?<!est)(?<!er)", re.I)


def qualifies_another_noun(concept: Concept, text: str, start: int, end: int) -> bool:
    """Whether the product-quality word at ``text[start:end]`` describes some other noun."""
    return (
        concept.product_quality
        and bool(_PLAIN_ADJECTIVE_RE.fullmatch(text, start, end))
        and bool(_DETERMINER_BEFORE_RE.search(text[max(0, start - 20) : start]) or _OPENING_RE.fullmatch(text, 0, start))
        and bool(_NOUN_AFTER_RE.match(text, end))
    )


# After a benefit's word, the people who have its symptom: "our pain patients", "several pain
# patients" — where a determiner shows the word is a noun ("tools that screen patients" is a
# verb and its object).
_PEOPLE_AFTER_RE = re.compile(r"[\s-]+(?:patients?|customers?|clients?|sufferers?)\b", re.I)


def names_its_people(concept: Concept, text: str, start: int, end: int) -> bool:
    """Whether a benefit's word at ``text[start:end]`` names the people who have the symptom."""
    return (concept.claim_type == ClaimType.BENEFIT and bool(_PEOPLE_AFTER_RE.match(text, end))
            and bool(_DETERMINER_BEFORE_RE.search(text[max(0, start - 20) : start])))


# Right before a concept's word: "non-", which makes it the other of it ("non-opioid medicines").
_NON_BEFORE_RE = re.compile(r"\bnon[\s-]$", re.I)


def without_fields(found: Sequence[tuple[Concept, int, int]], text: str) -> list[tuple[Concept, int, int]]:
    """``found`` without the words that name a field of care ("a pain clinic"), the people who
    have a benefit's symptom ("our pain patients") or, after "non-", the other of the concept
    ("non-opioid medicines")."""
    return [
        (c, s, e)
        for c, s, e in found
        if (not names_a_field(text, s, e) or (c.product_quality and _A_MEDICINE_RE.match(text, e)))
        and not _NON_BEFORE_RE.search(text, max(0, s - 4), s)
        and not names_its_people(c, text, s, e)
    ]


def without_qualities_of_other_nouns(
    found: Sequence[tuple[Concept, int, int]], text: str
) -> list[tuple[Concept, int, int]]:
    """``found`` without the product-quality words that describe another noun ("a gentle
    swimming class"). For the matcher's mentions only: a span another rule builds (a harm
    said to pass, "these fade within …") is no adjective."""
    return [(c, s, e) for c, s, e in found if not qualifies_another_noun(c, text, s, e)]
