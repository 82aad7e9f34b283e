"""Which headings carry claims (synthetic copy)."""

from __future__ import annotations

import pytest

from ldn_graph.extract.claims import extract_claims
from ldn_graph.extract.headings import presupposing_question, states_change
from ldn_graph.extract.references import find_references
from ldn_graph.ontology.vocabulary import load_vocabulary
from ldn_graph.read.documents import read_text_document


@pytest.mark.parametrize(("heading", "claims"), [
    ("Fewer bad days.", True),  # a benefit's lead-in
    ("Energy is so much better", True),  # a review's title
    ("I got my mornings back", True),
    ("Dreams were wild at first", True),
    ("Start low, go slow", True),  # an instruction on taking it
    ("Month 1: start low, go slow", True),
    ("**Never with opioids.**", True),
    ("Keep an eye on your thyroid dose", False),  # what to watch, not how to take it
    ("Side effects", False),  # a section's topic
    ("Fibromyalgia and chronic pain", False),
    ("Does LDN help fibromyalgia?", False),  # a plain question
    ("How LDN is thought to help with pain, fatigue and inflammation in long-term conditions", False),  # a section's title
    ("Rebalance your immune system", True),  # a marketing imperative of change
    ("Turn down the pain and calm an overactive immune system with one tiny capsule at bedtime", True),
    ("Half of members who tried low dose naltrexone say their fatigue eased, survey finds", True),  # a headline
    ("Low-dose naltrexone for persistent fatigue after COVID-19 (LIFT-PC): protocol for a randomised trial", False),
    ("GutFeelings Community :: Crohn's & Colitis :: Medications and Treatments", False),
])
def test_a_short_heading_that_states_a_change_carries_claims(heading, claims):
    assert states_change(heading) is claims


def test_a_question_heading_that_presupposes_a_benefit_is_a_hedged_claim():
    assert presupposing_question("How does LDN ease pain?")
    assert not presupposing_question("Is LDN safe?")


def test_a_review_title_is_read_as_its_claim():
    vocab = load_vocabulary()
    text = "# Low dose naltrexone (LDN) capsules\n\n## Reviews\n\n### Fewer bad days\n\nFive stars, arrived fast.\n"
    doc = read_text_document(text.encode(), "synthetic.md")
    found = {(c.text, c.concept.name, c.hedged) for c in extract_claims(doc, vocab, *find_references(doc))}
    assert ("Fewer bad days", "FlareSeverity", False) in found
