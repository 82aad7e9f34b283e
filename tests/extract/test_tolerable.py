"""Side effects said to be few, mild or passing name the well-tolerated concept (synthetic copy)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ldn_graph.extract.claims import extract_claims
from ldn_graph.extract.references import find_references
from ldn_graph.extract.tolerable import mild_harms_span
from ldn_graph.ontology.vocabulary import load_vocabulary
from ldn_graph.read.documents import read_text_document


def tolerated(text: str, vocab) -> list[str]:
    doc = read_text_document(text.encode(), "synthetic.md")
    claims = extract_claims(doc, vocab, *find_references(doc))
    return [c.text for c in claims if c.concept.name == "Tolerability"]


@pytest.mark.parametrize(("sentence", "said"), [
    ("Side effects of LDN, when they happen, tend to be mild and fade within a couple of weeks.", True),
    ("In both LDN trials adverse effects were infrequent and generally mild.", True),
    ("Only 4% stopped LDN because of side effects.", True),
    ("Fewer than three participants in a hundred (2.6%) withdrew from LDN because of side effects.", True),
    ("We build the LDN dose up slowly, which keeps side effects to a minimum.", True),
    ("Reported side effects of LDN include vivid dreams and transient dizziness.", False),  # a harm it modifies
    ("Side effects of LDN reported in the first few weeks include headache.", False),  # a time, not few
    ("Step up the LDN dose once any side effects settle.", False),  # a harm's time
    ("When side effects of LDN do turn up, they tend to be mild.", True),  # said after the harms' time
    ("If side effects of LDN don't settle, you can take it in the morning.", False),
    ("Serious side effects of LDN are rare at these doses.", False),  # the product's safety, not mildness
    ("Side effects of LDN are rare and usually mild.", True),
])
def test_side_effects_said_to_be_few_mild_or_passing(sentence, said, vocab):
    assert bool(tolerated(sentence + "\n", vocab)) is said


def test_an_anaphor_speaks_of_the_side_effects_just_named(vocab):
    text = ("## Side effects of LDN\n\nLDN can cause vivid dreams and headaches.\n\n"
            "These usually settle within a fortnight.\n\nMost people have none worth mentioning.\n")
    assert tolerated(text, vocab) == ["These usually settle within a fortnight.", "Most people have none worth mentioning."]
    text = "## How LDN is taken\n\nLDN is taken at night.\n\nThese usually settle within a fortnight.\n"
    assert tolerated(text, vocab) == []  # nothing named before: no side effects to speak of


@pytest.mark.parametrize(("sentence", "after_harms", "harm_starts", "said"), [
    ("Side effects are not always mild.", False, (), False),  # denied
    ("They had faded by the time I reached 4.5 mg.", True, (), False),  # someone's story, not what they are like
    ("These usually fade within two weeks.", True, (), True),
    ("These effects usually ease within a couple of weeks.", True, (), True),
    ("For most people, these effects faded within two to four weeks.", True, (), True),  # past, with how long
    ("Most of these effects abate within a fortnight.", True, (), True),
    ("The most frequently reported effects are transient.", True, (), True),
    ("The most frequently reported effects are transient.", False, (), False),  # no side effects named before
    ("Vivid dreams are common side effects, which usually fade within two weeks.", False, (0,), False),
    ("Vivid dreams are common side effects, mostly mild.", False, (0,), True),
    # the harm named after the passing is another clause's
    ("Most of these effects fade with time; a morning dose helps if sleep is affected.", True, (70,), True),
    # few said before the side effects; most people with none, anywhere in the sentence
    ("Most members notice few, if any, side effects.", False, (), True),
    ("She says there are hardly any side effects.", False, (), True),
    ("There are not very few side effects.", False, (), False),  # denied
    ("It can cause side effects, though many people have none.", False, (), True),
    ("At these doses most people have none, or only mild ones.", True, (), True),
    ("At these doses most people have none.", False, (), False),  # no side effects named: none of what?
])
def test_passing_is_tolerability_only_before_a_harm_is_named(sentence, after_harms, harm_starts, said):
    assert (mild_harms_span(sentence, after_harms, harm_starts) is not None) is said


def test_another_products_vocabulary_gets_the_same_reading_from_its_own_flag(tmp_path: Path):
    # the rule reads the vocabulary's ldng:mildHarms flag, not a concept name of the LDN vocabulary
    metformin = (Path(__file__).parents[1] / "data" / "vocabulary-synthetic-metformin.ttl").read_text(encoding="utf-8")
    path = tmp_path / "metformin.ttl"
    path.write_text(metformin + '\nmet:WellTolerated a skos:Concept ; skos:inScheme met: ; ldng:claimType ldng:Benefit ;\n'
                    '    ldng:mildHarms true ; skos:prefLabel "Well tolerated"@en .\n', encoding="utf-8")
    vocab = load_vocabulary(path)
    doc = read_text_document(b"Side effects of metformin, when they happen, tend to be mild.\n", "synthetic.md")
    assert [c.concept.name for c in extract_claims(doc, vocab, *find_references(doc))] == ["WellTolerated"]
