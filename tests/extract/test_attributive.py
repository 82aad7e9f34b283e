"""A product-quality word describing another noun is no claim (synthetic text)."""

from __future__ import annotations

import pytest
from claim_helpers import concepts


@pytest.mark.parametrize(
    "sentence",
    [
        "Since starting LDN I've joined a gentle swimming class.",
        "Gentle reminder: nobody here can give medical advice about LDN.",
        "Bring unused LDN capsules back to any pharmacy for safe disposal.",
    ],
)
def test_a_quality_of_another_noun_is_no_claim(vocab, sentence: str) -> None:
    assert not concepts(sentence, vocab) & {"Tolerability", "GeneralSafety"}


@pytest.mark.parametrize(
    ("sentence", "concept"),
    [
        ("LDN is gentle on the body.", "Tolerability"),
        ("Gentle on most people: LDN's side effects are usually mild.", "Tolerability"),
        ("LDN seems to be a gentle medicine.", "Tolerability"),
        ("LDN may offer a gentle, well-tolerated way to support immune balance.", "Tolerability"),
        ("My pharmacist says LDN is one of the safest things she fills.", "GeneralSafety"),
        ("LDN is a safe option for most people.", "GeneralSafety"),
        ("Honestly, LDN is the gentlest stuff I've ever taken.", "Tolerability"),
    ],
)
def test_a_quality_said_of_the_product_stays(vocab, sentence: str, concept: str) -> None:
    assert concept in concepts(sentence, vocab)


@pytest.mark.parametrize(
    "sentence, expected",
    [
        # "non-" makes the word the other of the concept
        ("LDN can be taken alongside most non-opioid medicines.", set()),
        ("Non-opioid pain relievers such as paracetamol are fine to take alongside LDN.", set()),
        ("LDN must not be taken with opioid painkillers.", {"OpioidUse"}),
        # vocabulary data: the body's own opioids are its endorphins, no opioid medicine
        ("LDN prompts a compensatory rise in the body's own opioids.", {"EndorphinRebound"}),
    ],
)
def test_the_other_of_a_concept_and_the_bodys_own_opioids(vocab, sentence, expected):
    assert concepts(sentence, vocab) == expected
