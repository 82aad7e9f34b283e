"""A symptom said to last is someone's condition, not a benefit (synthetic text)."""

from __future__ import annotations

import pytest
from claim_helpers import concepts


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("LDN is offered to people with fibromyalgia, or with pain that has not settled with other treatments.", {"Fibromyalgia"}),
        ("Living with pain or exhaustion that never fully lifts is hard, and LDN is one option.", set()),
        ("We offer LDN to adults who have had pain for at least six months.", set()),
        ("LDN is proposed for adults with fibromyalgia whose pain has not responded to two medicines.", {"Fibromyalgia"}),
        ("Fatigue that lingers after a viral illness is a common reason people ask about LDN.", set()),
        # a symptom someone still has, and no change in the sentence
        ("Two years later I was still wiped out after the school run.", set()),
        ("My scans are stable on LDN, but the fatigue is flattening me.", set()),
    ],
)
def test_a_symptom_said_to_last_is_no_benefit(vocab, sentence, expected):
    assert concepts(sentence, vocab) == expected


@pytest.mark.parametrize(
    "sentence, expected",
    [
        # a relief word before it, also across a list, or the product taken for it
        ("LDN eases pain that has not settled with other medicines.", {"PainRelief"}),
        ("LDN may help clear the brain fog that lingers after COVID-19.", {"Cognition", "LongCovid"}),
        ("It lifts the tiredness that has dragged on for months.", {"Fatigue"}),
        ("We tried LDN to take the edge off your fatigue and the joint pain that has hung on since your infection.",
         {"Fatigue", "PainRelief"}),
        ("LDN is tried mainly for the exhaustion and brain fog that linger after the infection.", {"Fatigue", "Cognition"}),
        # it got better after all
        ("Case reports describe people with CRPS whose pain eased on LDN.", {"ComplexRegionalPainSyndrome", "PainRelief"}),
        # a change in the sentence, or a quality of the product
        ("On LDN I still nap, but far less often than before.", {"Fatigue"}),
        ("LDN is not habit-forming.", {"NonAddictive"}),
        # a count of flares had since is no lasting symptom
        ("I have Crohn's and I've had far fewer flare-ups since starting LDN.", {"CrohnDisease", "FlareSeverity"}),
    ],
)
def test_a_symptom_that_got_better_or_that_the_product_is_for_stays_a_benefit(vocab, sentence, expected):
    assert concepts(sentence, vocab) == expected
