"""Labels that name a concept only where their sentence says what happens to them
(``ldng:cuedLabel``, ``extract.cued``). Sentences are synthetic."""

from __future__ import annotations

import pytest
from claim_helpers import concepts

from ldn_graph.extract.cued import cued_hits
from ldn_graph.matching import TermMatcher, labels_matcher
from ldn_graph.model import Concept
from ldn_graph.terms import ClaimType


@pytest.mark.parametrize("sentence", [
    "Some people on LDN find their levothyroxine needs lowering after a few months.",
    "Check TSH six weeks after starting LDN in anyone taking levothyroxine.",
    "Make sure whoever prescribes your thyroid tablets knows you have started LDN.",
    "My GP had to cut my thyroid medication once I was on LDN.",
    "If you take thyroid hormone, watch for symptoms of having too much of it on LDN.",
    "Your levothyroxine dose may need lowering on low-dose naltrexone.",
    "Some people need a lower dose of levothyroxine after starting LDN.",
    "Starting LDN can mean a higher dose of levothyroxine later.",  # a dose of the medicine itself
])
def test_a_thyroid_medicine_named_with_what_happens_to_it_is_a_dose_change_claim(vocab, sentence: str) -> None:
    for learned in (True, False):  # the rule's claim, the sentence model's or not
        assert "ThyroidDoseChange" in concepts(sentence, vocab, learned)


@pytest.mark.parametrize("sentence", [
    "LDN is usually taken alongside the levothyroxine you already use.",
    "Most medicines are fine with LDN, including thyroid hormone and antidepressants.",
    "There is no chemical clash between LDN and levothyroxine, and many people take both.",
    "I still take thyroid tablets, and LDN helps my fibromyalgia pain.",
    "Thyroid medicines.",
    # a dose that names another product by its size is no dose said of the thyroid medicine
    "Some doctors add low-dose naltrexone to levothyroxine to help patients with Hashimoto's thyroiditis.",
    "Low dose naltrexone sits alongside levothyroxine for many people.",
    "A high-dose steroid course is sometimes given with levothyroxine.",
])
def test_a_thyroid_medicine_merely_named_is_no_dose_change_claim(vocab, sentence: str) -> None:
    assert "ThyroidDoseChange" not in concepts(sentence, vocab)


def test_the_thyroid_medicine_names_are_cued_labels_not_labels(vocab) -> None:
    [concept] = [c for c in vocab.concepts if c.name == "ThyroidDoseChange"]
    assert {"levothyroxine", "thyroid hormone", "thyroid tablets"} <= set(concept.cued)
    assert not {"levothyroxine", "thyroid hormone"} & set(concept.terms)


def _drug_vocabulary() -> tuple[Concept, TermMatcher | None]:
    # a second product's data: a synthetic concept with one cued label
    concept = Concept(iri="urn:example:B12", name="B12Monitoring", label="Vitamin B12 monitoring",
                      claim_type=ClaimType.SAFETY, cued=("vitamin B12", "B12 levels"))
    return concept, labels_matcher([concept], lambda c: c.cued)


def test_cued_hits_come_from_the_data_and_need_a_cue_outside_the_label() -> None:
    concept, matcher = _drug_vocabulary()
    by_iri = {concept.iri: concept}
    hits, seen = cued_hits(matcher, "Vitamin B12 levels can fall on long-term treatment.", set(), by_iri)
    assert [(c.name, s, e) for c, s, e in hits] == [("B12Monitoring", 0, 11)] and hits[0][0] is concept
    hits, seen = cued_hits(matcher, "It comes with vitamin B12 in the same box.", set(), by_iri)
    assert hits == [] and seen == {"B12Monitoring"}  # named, not claimed
    hits, _ = cued_hits(matcher, "Vitamin B12 levels can fall.", {concept.iri}, by_iri)
    assert hits == []  # already named by a label of its own
    assert cued_hits(matcher, "Your B12 levels.", set(), by_iri)[0] == []  # the label's own word is no cue
    assert cued_hits(None, "Vitamin B12 levels can fall.", set(), by_iri) == ([], set())
