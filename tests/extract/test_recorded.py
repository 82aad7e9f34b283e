"""What a diary, a log or a note records is no claim (synthetic text)."""

from __future__ import annotations

import pytest
from claim_helpers import concepts

from ldn_graph.extract.recorded import recorded


@pytest.mark.parametrize(
    "sentence",
    [
        "Keep a simple pain and sleep diary for two weeks before you start.",
        "And keep a fatigue diary beforehand, so you know what changed.",
        "We judge it from your weekly diary scores for energy, pain and activity.",
        "It helps to jot down one line a day about energy, sleep and pain.",
        "Write down what you hope LDN might change, such as fatigue or pain.",
        "Keep a simple diary of energy, sleep and mood for a month before you start.",
        "Before the day, we'll send you a short questionnaire about your pain, sleep and mood.",
    ],
)
def test_what_a_record_keeps_is_no_claim(vocab, sentence):
    assert concepts(sentence, vocab) == set()


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("My pain diary shows fewer bad days, and my sleep is deeper.", {"FlareSeverity", "Sleep"}),
        ("LDN eased my pain; I wrote down the date it started.", {"PainRelief"}),
        ("Write it down: LDN may ease fatigue for some people.", {"Fatigue"}),
        # a trial's quality-of-life questionnaire is what it scored
        ("On LDN, scores on a quality-of-life questionnaire improved.", {"QualityOfLife"}),
    ],
)
def test_what_is_said_beside_a_record_is_still_a_claim(vocab, sentence, expected):
    assert concepts(sentence, vocab) == expected


def test_the_record_is_read_around_the_mention():
    text = "keep a pain and sleep diary"
    assert recorded(text, text.index("pain"), text.index("pain") + 4)
    assert recorded(text, text.index("sleep"), text.index("sleep") + 5)
    assert not recorded("pain eased", 0, 4)
