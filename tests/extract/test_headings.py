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


_GRID_PAGE = """<html><body><h1>Low dose naltrexone, prescribed online</h1>
<p>Our doctors prescribe low dose naltrexone (LDN) for long-term conditions.</p>
<h2>Conditions we help with</h2>
<div><h3>Fibromyalgia</h3><p>Fewer bad-pain days for many people.</p></div>
<div><h3>Crohn's disease</h3><p>Longer gaps between flare-ups.</p></div>
<div><h3>Long COVID fatigue</h3><p>A little more in the tank each morning.</p></div>
<div><h3>Rheumatoid arthritis and lupus</h3><p>Calmer, less swollen joints.</p></div>
<h2>How LDN works</h2>
<p>LDN briefly blocks opioid receptors.</p>
<p>The body answers by making more of its own endorphins.</p>
<p>These calm pain signals and the immune system.</p>
</body></html>"""

# the same cards as sections with longer bodies: an evidence review's headings, no grid
_SECTIONS_PAGE = """# Low dose naltrexone: the evidence

## Fibromyalgia

LDN eased daily pain in a small crossover trial.
Fatigue did not differ from placebo.
The certainty is low.

## Crohn's disease

An open-label pilot reported fewer flare-ups.
There was no control group.
The certainty is very low.

## Rheumatoid arthritis

Case reports describe less joint pain.
No trial has been published.
The certainty is very low.
"""


def _heading_concepts(doc) -> set[str]:
    claims = extract_claims(doc, load_vocabulary(), *find_references(doc))
    headings = {(s.start, s.end) for s in doc.segments if s.role.value == "heading"}
    return {c.concept.name for c in claims if (c.start, c.end) in headings}


def test_a_card_grids_condition_headings_say_what_the_product_is_for():
    from ldn_graph.read.documents import read_html_document

    doc = read_html_document(_GRID_PAGE.encode(), "synthetic.html")
    # the cards that name only conditions; "Long COVID fatigue" names a benefit too, and the
    # section titles over the grid and after it are no cards
    assert _heading_concepts(doc) == {"Fibromyalgia", "CrohnDisease", "RheumatoidArthritis", "Lupus"}


def test_section_headings_over_longer_bodies_are_titles():
    doc = read_text_document(_SECTIONS_PAGE.encode(), "synthetic.md", "text/markdown")
    assert _heading_concepts(doc) == set()


def test_a_grid_needs_three_cards_of_one_level():
    from ldn_graph.extract.headings import card_headings
    from ldn_graph.read.documents import read_html_document

    page = _GRID_PAGE.replace("<div><h3>Long COVID fatigue</h3><p>A little more in the tank each morning.</p></div>\n", "")
    two = page.replace("<div><h3>Rheumatoid arthritis and lupus</h3><p>Calmer, less swollen joints.</p></div>\n", "")
    mixed = page.replace("<h3>Rheumatoid arthritis and lupus</h3>", "<h4>Rheumatoid arthritis and lupus</h4>")
    long = page.replace("<h3>Rheumatoid arthritis and lupus</h3>",
                        "<h3>What our patients with rheumatoid arthritis and lupus tell us</h3>")
    bare = page.replace("<p>Calmer, less swollen joints.</p>", "")  # a heading over nothing is no card
    headless = "<html><body><p>LDN may ease pain.</p></body></html>"
    for html, cards in ((page, 3), (two, 0), (mixed, 0), (long, 0), (bare, 0), (headless, 0)):
        doc = read_html_document(html.encode(), "synthetic.html")
        assert len(card_headings(doc)) == cards, html
