"""A condition that only names who gets a harm is no indication (synthetic text;
docs/labelling-guide.md, "A condition that names who gets a harm")."""

from __future__ import annotations

import pytest
from claim_helpers import concepts


@pytest.mark.parametrize(
    "sentence, harm, condition",
    [
        ("Some people with Hashimoto's find they need less thyroid hormone once they are on LDN.",
         "ThyroidDoseChange", "HashimotoThyroiditis"),
        ("A few people with MS feel their usual symptoms flare for a few days when they start LDN.",
         "AutoimmuneFlare", "MultipleSclerosis"),
        ("If you have Crohn's disease and take codeine for diarrhoea, do not start LDN.", "OpioidUse", "CrohnDisease"),
        ("On LDN, people with autoimmune conditions may feel their usual symptoms flare after a dose increase.",
         "AutoimmuneFlare", "AutoimmuneDisease"),
    ],
)
def test_the_population_of_a_harm_is_no_indication(vocab, sentence, harm, condition):
    found = concepts(sentence, vocab)
    assert harm in found
    assert condition not in found


@pytest.mark.parametrize(
    "sentence, condition",
    [
        ("I take LDN for my fibro, and the dreams were wild.", "Fibromyalgia"),
        ("LDN may ease pain for people with fibromyalgia, though vivid dreams are common.", "Fibromyalgia"),
        ("Patients who take LDN for Crohn's disease sometimes have vivid dreams.", "CrohnDisease"),
        ("Plenty of people with Hashimoto's do take LDN, but the thyroxine dose may need trimming.", "HashimotoThyroiditis"),
        ("LDN is a low-risk thing to try for people with long COVID, though vivid dreams are common.", "LongCovid"),
    ],
)
def test_a_condition_the_product_is_taken_for_stays_an_indication(vocab, sentence, condition):
    assert condition in concepts(sentence, vocab)
