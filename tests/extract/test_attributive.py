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
