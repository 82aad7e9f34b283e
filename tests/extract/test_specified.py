"""A general mention the sentence goes on to specify is the specified concept (synthetic text)."""

from __future__ import annotations

import pytest
from claim_helpers import concepts


@pytest.mark.parametrize(
    "sentence",
    [
        "LDN may work by blocking a receptor called TLR4.",
        "Lab work suggests LDN blocks a receptor on those cells known as toll-like receptor 4.",
        "It seems to do this by blocking a receptor on their surface, termed TLR4.",
    ],
)
def test_a_receptor_named_as_tlr4_is_no_opioid_receptor_blockade(vocab, sentence: str) -> None:
    found = concepts(sentence, vocab)
    assert "Tlr4Antagonism" in found
    assert "OpioidReceptorBlockade" not in found


def test_a_noun_without_an_article_keeps_its_concept(vocab) -> None:
    # "immune cells in the brain" names neuroinflammation as well as the microglia it is called
    found = concepts("LDN calms overactive immune cells in the brain, known as microglia.", vocab)
    assert "Neuroinflammation" in found


def test_the_blockade_named_as_itself_stays(vocab) -> None:
    assert "OpioidReceptorBlockade" in concepts("LDN blocks opioid receptors for a few hours at night.", vocab)


@pytest.mark.parametrize(
    ("sentence", "named"),
    [
        ("For some of us LDN just takes the edge off the exhaustion.", "Fatigue"),
        ("People told me LDN had taken the edge off their MS tiredness.", "Fatigue"),
        ("LDN takes the edge off my fatigue.", "Fatigue"),
    ],
)
def test_the_edge_taken_off_another_concept_is_no_pain_relief(vocab, sentence: str, named: str) -> None:
    found = concepts(sentence, vocab)
    assert named in found
    assert "PainRelief" not in found


@pytest.mark.parametrize(
    "sentence",
    ["Honestly LDN has taken the edge off, not a miracle.", "LDN took the edge off the all-over aching."],
)
def test_the_edge_taken_off_alone_or_off_pain_is_pain_relief(vocab, sentence: str) -> None:
    assert "PainRelief" in concepts(sentence, vocab)


def test_an_intransitive_particle_keeps_its_concept(vocab) -> None:
    # "drop off to sleep": no object after the particle
    assert "SleepDisturbance" in concepts("Side effects of LDN include trouble dropping off to sleep.", vocab)


@pytest.mark.parametrize(
    "sentence",
    [
        "Low-dose naltrexone (LDN) is the use of the opioid antagonist naltrexone at 0.5 to 4.5 mg.",
        "LDN doses (0.5–4.5 mg) are far below the doses used in alcohol and opioid dependence.",
    ],
)
def test_a_label_whose_last_word_modifies_the_next_noun_is_no_mention(sentence: str, vocab) -> None:
    # "opioid" here modifies "antagonist" and "dependence": no opioid use is named
    assert "OpioidUse" not in concepts(sentence, vocab)


@pytest.mark.parametrize("sentence", [
    "Lab studies suggest LDN lowers inflammatory messengers such as IL-6 and TNF-alpha.",
    "LDN may turn down inflammatory cytokines such as IL-6.",
])
def test_inflammatory_messengers_lowered_are_cytokines_not_inflammation(sentence: str, vocab) -> None:
    found = concepts(sentence, vocab)
    assert "CytokineReduction" in found and "AntiInflammatory" not in found
    assert "AntiInflammatory" in concepts("LDN may lower inflammation in the gut.", vocab)


def test_opioid_use_named_outright_stays(vocab) -> None:
    assert "OpioidUse" in concepts("Do not take LDN alongside the use of opioids.", vocab)


@pytest.mark.parametrize(
    "sentence",
    [
        "Ordinary pain relievers such as ibuprofen are fine to take with it.",
        "Most nerve-pain medicines are fine alongside it.",
        "LDN costs far less than most MS drugs.",
        "Please don't change any of your IBD medicines without your own team.",
    ],
)
def test_a_benefit_or_condition_naming_a_medicine_is_no_claim(vocab, sentence: str) -> None:
    assert concepts(sentence, vocab) == set()


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("LDN must never be combined with opioid painkillers.", "OpioidUse"),
        ("It seems to be a gentle medicine.", "Tolerability"),
        ("LDN may ease MS fatigue.", "MultipleSclerosis"),
    ],
)
def test_a_warning_or_a_quality_naming_a_medicine_stays(vocab, sentence: str, expected: str) -> None:
    assert expected in concepts(sentence, vocab)


def test_a_receptors_abbreviation_before_the_word_receptor_names_it(vocab) -> None:
    assert "Tlr4Antagonism" in concepts("LDN seems to act on TLR4 receptors on microglia.", vocab)
    assert "OpioidReceptorBlockade" in concepts("LDN briefly blocks opioid receptors.", vocab)


def test_calming_microglia_without_the_receptor_is_neuroinflammation(vocab) -> None:
    # docs/labelling-guide.md, "Microglia and TLR4"
    found = concepts("LDN may calm microglia, the immune cells of the brain.", vocab)
    assert "Neuroinflammation" in found
    assert "Tlr4Antagonism" not in found


@pytest.mark.parametrize(
    "sentence, expected",
    [
        # a mechanism's word before a class of medicines names the class (the word is read as
        # written: "anti-inflammatories" is no anti-inflammatory effect)
        ("You can carry on with paracetamol and anti-inflammatory tablets such as ibuprofen alongside LDN.", set()),
        ("LDN can be taken with paracetamol and anti-inflammatories such as naproxen.", set()),
        ("LDN may have an anti-inflammatory effect.", {"AntiInflammatory"}),
        # … not a longer mention whose last word modifies the class
        ("LDN sits on the same receptors that opioid medicines use.", {"OpioidReceptorBlockade"}),
    ],
)
def test_a_mechanisms_word_naming_a_class_of_medicines(vocab, sentence, expected):
    assert concepts(sentence, vocab) == expected
