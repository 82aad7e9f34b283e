"""A number said to fall (synthetic sentences)."""

from __future__ import annotations

import pytest

from ldn_graph.extract.claims import extract_claims
from ldn_graph.extract.references import find_references
from ldn_graph.extract.scores import falls, falls_after
from ldn_graph.read.documents import read_text_document


@pytest.mark.parametrize(("sentence", "fell"), [
    ("My pain has gone from about an eight to a five.", True),
    ("TPO went from 900-something to 310.", True),
    ("Down from a six out of ten to a three on most days.", True),
    ("The burning pain went from a 7 to more like a 4.", True),
    ("I went from 1.5 mg to 4.5 mg over six weeks.", False),  # a rise
    ("From Monday to Friday I work.", False),  # no numbers
    ("Calprotectin went from 1,200 to 85.", True),  # a thousands comma
    ("Moved from 4,5 to 6 on the scale.", False),  # a decimal comma: a rise
    # how often: each side read as times a year
    ("My crashes went from every week to maybe once a month.", True),
    ("Flare-ups have gone from most weeks to about once a month.", True),
    ("I went from four bad days a week to maybe one.", True),  # the second side takes the first's period
    ("Naps went from daily to weekly.", True),
    ("Migraines went from weekly to hardly ever.", True),
    ("From every other day to a couple of times a month.", True),
    ("From every week to every other week.", True),  # "other" halves its own side only
    ("From every other week to every week.", False),
    ("Headaches went from once a month to every week.", False),  # more often
    ("From twice a week to twice a week.", False),
])
def test_a_number_that_goes_down_is_a_fall(sentence, fell):
    assert falls(sentence) is fell


def test_the_fall_must_follow_closely_in_the_clause():
    text = "My pain has gone from an eight to a five."
    assert falls_after(text, text.index("pain") + 4)
    text = "My pain is the same; my fatigue went from an eight to a five."
    assert not falls_after(text, text.index("pain") + 4)


def test_what_there_is_less_of_counts_where_it_happens_less_often(vocab):
    # "crashes" names reduced flares only where the sentence says there are fewer of them
    text = "# LDN\n\nOn LDN my crashes went from every week to maybe once a month.\n"
    doc = read_text_document(text.encode(), "synthetic.md")
    assert "FlareSeverity" in {c.concept.name for c in extract_claims(doc, vocab, *find_references(doc))}
    text = "# LDN\n\nOn LDN my crashes went from once a month to every week.\n"
    doc = read_text_document(text.encode(), "synthetic.md")
    assert "FlareSeverity" not in {c.concept.name for c in extract_claims(doc, vocab, *find_references(doc))}


def test_a_benefit_beside_a_condition_that_fell_is_claimed(vocab):
    # a sentence with a condition and no word of change reads as a list of conditions; a
    # number that fell is the change
    text = "# LDN\n\nI'm on LDN for fibromyalgia, and my everyday pain has gone from about an eight to a five.\n"
    doc = read_text_document(text.encode(), "synthetic.md")
    names = {c.concept.name for c in extract_claims(doc, vocab, *find_references(doc))}
    assert {"Fibromyalgia", "PainRelief"} <= names
