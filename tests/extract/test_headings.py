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
    ("Clearer thinking.", True),  # a comparative of a benefit's quality
    ("Sleep more deeply", True),
    ("Get your energy back", True),  # a marketing imperative of change
    ("Clear the brain fog", True),
    ("Haven't needed the tramadol", True),  # a denied verb: a statement
    ("Weird dreams, but worth it", True),  # a contrast
    ("Dreams and sleep", False),
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


@pytest.mark.parametrize(("heading", "claimed"), [
    ("Not habit-forming.", {"NonAddictive"}),  # a quality of the product
    ("Gentle on the body.", {"Tolerability"}),
    ("Safety and tolerability", set()),  # the quality named as a topic
    ("| Week | Gentler plan |", set()),  # a table's header row
    ("Finally sleeping through", {"Sleep"}),  # vocabulary data: "sleep through"
])
def test_a_short_heading_that_says_a_quality_of_the_product_carries_it(heading, claimed):
    doc = read_text_document(f"# LDN\n\n## {heading}\n\nLDN is taken at night.\n".encode(), "synthetic.md")
    assert {c.concept.name for c in extract_claims(doc, load_vocabulary(), *find_references(doc))
            if heading.strip("#|. ") in c.text} == claimed
