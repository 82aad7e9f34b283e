"""Claim ids name the claim (its sentence's words and its concept), not where it sits."""

from __future__ import annotations

import hashlib
import re

import pytest

from ldn_graph.extract.claim_ids import (
    OffsetId,
    claim_id,
    concept_part,
    normal_sentence,
    offset_matches,
    parse_offset_id,
    sentence_hash,
    with_claim_ids,
)
from ldn_graph.extract.claims import extract_claims
from ldn_graph.extract.references import find_references
from ldn_graph.model import Claim, Concept, Document, Segment, Vocabulary
from ldn_graph.ontology.vocabulary import load_vocabulary
from ldn_graph.read.documents import read_html_document, read_text_document
from ldn_graph.terms import ClaimType, SegmentRole

# IRI-safe (RFC 3987 iunreserved, plus the ":" a path segment may hold)
ID_RE = re.compile(r"[\w.-]+:[0-9a-f]{12}(?:-[1-9][0-9]*)?")
PAIN = Concept("https://example.org/v#PainRelief", "PainRelief", "Pain relief", ClaimType.BENEFIT)
SLEEP = Concept("https://example.org/v#Sleep", "Sleep", "Sleep", ClaimType.BENEFIT)


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return load_vocabulary()


def ids_of(doc: Document, vocab: Vocabulary) -> dict[tuple[str, str], str]:
    """(sentence words, concept) → id, for every claim of ``doc``."""
    claims = extract_claims(doc, vocab, *find_references(doc))
    assert all(ID_RE.fullmatch(c.id) for c in claims), [c.id for c in claims]
    return {(normal_sentence(c.text), c.concept.name): c.id for c in claims}


def text_ids(text: str, vocab: Vocabulary) -> dict[tuple[str, str], str]:
    return ids_of(read_text_document(text.encode(), "copy.txt"), vocab)


# --------------------------------------------------------------------------- the normal form


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Our compounded capsules may ease joint pain.", "our   compounded\ncapsules MAY ease joint pain"),
        ("It “may” ease joint pain — for some.", 'It "may" ease joint pain - for some!'),
        ("It may ease joint pain [3].", "It may ease joint pain [1, 4–6]."),
        ("It may ease joint pain.¹²", "It may ease joint pain.[^2]"),
        ("- It may ease joint pain.", "12. It may ease joint pain."),
        ("(b) It may ease joint pain.", "• It may ease joint pain."),
        ("It may ease ﬁbrous joint pain.", "It may ease fibrous joint pain."),  # a ligature
        ("It may *ease* joint `pain`.", "It may ease joint pain."),
    ],
)
def test_the_normal_form_keeps_the_words_only(a: str, b: str) -> None:
    assert normal_sentence(a) == normal_sentence(b)
    assert sentence_hash(a) == sentence_hash(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("It may ease joint pain.", "It may not ease joint pain."),
        ("It eases joint pain at 4.5 mg.", "It eases joint pain at 3 mg."),
        ("It may ease joint pain.", "It may ease back pain."),
        ("It may ease joint pain (in 12 of 30).", "It may ease joint pain (in 13 of 30)."),
    ],
)
def test_a_changed_word_changes_the_id(a: str, b: str) -> None:
    assert sentence_hash(a) != sentence_hash(b)
    assert claim_id(a, PAIN) != claim_id(b, PAIN)


def test_the_id_is_the_concept_and_a_hash_of_the_words() -> None:
    words = "it may ease joint pain"
    digest = hashlib.sha256(words.encode()).hexdigest()[:12]
    assert normal_sentence("It may ease joint pain.") == words
    assert claim_id("It may ease joint pain.", PAIN) == f"PainRelief:{digest}"
    assert claim_id("It may ease joint pain.", PAIN, 3) == f"PainRelief:{digest}-3"
    assert claim_id("It may ease joint pain.", SLEEP) == f"Sleep:{digest}"  # the same sentence shows


def test_a_concept_name_that_is_not_iri_safe_is_cleaned_and_kept_apart() -> None:
    odd = Concept("https://example.org/v#Odd name<x>", "Odd name<x>", "Odd", ClaimType.BENEFIT)
    other = Concept("https://example.org/v#Odd_name_x", "Odd name/x", "Odd", ClaimType.BENEFIT)
    assert concept_part(PAIN) == "PainRelief"
    assert concept_part(Concept("x", "Übelkeit", "Übelkeit", ClaimType.SAFETY)) == "Übelkeit"
    assert re.fullmatch(r"Odd_name_x_[0-9a-f]{6}", concept_part(odd))
    assert concept_part(odd) != concept_part(other)
    assert ID_RE.fullmatch(claim_id("It helps.", odd))


# --------------------------------------------------------------------------- edits

BEFORE = (
    "About the pharmacy\n\n"
    "We compound low dose naltrexone in capsules and creams.\n\n"
    "Low dose naltrexone may ease fibromyalgia pain in some patients.\n\n"
    "Our opening hours are Monday to Friday.\n"
)


def test_ids_survive_an_edit_of_another_paragraph(vocab: Vocabulary) -> None:
    before = text_ids(BEFORE, vocab)
    after = text_ids(BEFORE.replace("Monday to Friday", "Monday to Saturday, 9 to 5"), vocab)
    assert before and after == before


def test_ids_survive_a_sentence_added_before(vocab: Vocabulary) -> None:
    before = text_ids(BEFORE, vocab)
    after = text_ids(
        BEFORE.replace("Low dose naltrexone may", "Ask us about dosing. Low dose naltrexone may")
        .replace("About the pharmacy\n\n", "About the pharmacy\n\nWe opened in 1998.\n\n"),
        vocab,
    )
    assert before.items() <= after.items()


def test_ids_survive_re_wrapping(vocab: Vocabulary) -> None:
    para = "Low dose naltrexone may ease fibromyalgia pain and improve sleep in some patients."
    wrapped = para.replace("ease ", "ease\n    ").replace("in some", "in\nsome")
    html = "<html><body><h1>LDN</h1><p>{}</p></body></html>"
    before = ids_of(read_html_document(html.format(para).encode(), "a.html"), vocab)
    after = ids_of(read_html_document(html.format(wrapped).encode(), "a.html"), vocab)
    assert len(before) >= 2 and after == before
    # a reader that keeps the line breaks inside the sentence's span: the same ids
    plain = _doc(para)
    rewrapped = _doc(wrapped)
    assert [c.id for c in _claims(plain, PAIN, SLEEP)] == [c.id for c in _claims(rewrapped, PAIN, SLEEP)]


def test_hidden_markup_is_not_part_of_the_words() -> None:
    marked = "It may **ease** [joint pain](https://example.org/pain-relief/) in some."
    hidden: list[tuple[int, int]] = []
    for mark in ("**", "**", "[", "](https://example.org/pain-relief/)"):
        at = marked.index(mark, hidden[-1][1] if hidden else 0)
        hidden.append((at, at + len(mark)))
    doc = _doc(marked, tuple(hidden))
    assert [c.id for c in _claims(doc, PAIN)] == [c.id for c in _claims(_doc("It may ease joint pain in some."), PAIN)]
    # the link target's words would have changed the id
    assert [c.id for c in _claims(_doc(marked), PAIN)] != [c.id for c in _claims(doc, PAIN)]


# --------------------------------------------------------------------------- repeats


def test_a_repeated_sentence_and_concept_is_numbered(vocab: Vocabulary) -> None:
    line = "Low dose naltrexone may ease fibromyalgia pain."
    text = f"{line}\n\nWe compound it in capsules.\n\n{line}\n\nLow dose naltrexone may ease lupus pain.\n\n{line}\n"
    doc = read_text_document(text.encode(), "copy.txt")
    claims = extract_claims(doc, vocab, *find_references(doc))
    fibro = [c.id for c in claims if c.concept.name == "Fibromyalgia"]
    base = claim_id(line, fibro_concept(vocab))
    assert fibro == [base, f"{base}-2", f"{base}-3"]
    assert len({c.id for c in claims}) == len(claims)
    assert not any(c.id.endswith("-2") for c in claims if "lupus" in c.text)


def fibro_concept(vocab: Vocabulary) -> Concept:
    return next(c for c in vocab.concepts if c.name == "Fibromyalgia")


def test_the_same_claim_in_two_documents_has_the_same_id(vocab: Vocabulary) -> None:
    a = text_ids(BEFORE, vocab)
    b = text_ids("Patient stories\n\nLow dose naltrexone may ease fibromyalgia pain in some patients.\n", vocab)
    shared = a.keys() & b.keys()
    assert shared and all(a[k] == b[k] for k in shared)


# --------------------------------------------------------------------------- offset-style ids


def test_offset_style_ids_are_recognised() -> None:
    assert parse_offset_id("4aaa9d78fd1a:1020-1090:ChronicPain") == OffsetId("4aaa9d78fd1a", 1020, 1090, "ChronicPain")
    assert parse_offset_id(" 4aaa9d78fd1a:0-12:Odd name ") == OffsetId("4aaa9d78fd1a", 0, 12, "Odd name")
    for not_old in ("ChronicPain:4aaa9d78fd1a", "4aaa9d78fd1:1-2:X", "4AAA9D78FD1A:1-2:X", "4aaa9d78fd1a:1-2:", "x"):
        assert parse_offset_id(not_old) is None, not_old


def test_an_offset_style_id_names_the_overlapping_claims_of_its_concept_in_its_document() -> None:
    doc = _doc("It may ease joint pain. It may help sleep.")
    claims = _claims(doc, PAIN, SLEEP)
    pain, sleep = claims
    old = OffsetId(doc.sha256[:12], 0, 23, "PainRelief")
    assert offset_matches(old, doc, claims) == [pain]
    assert offset_matches(OffsetId(doc.sha256[:12], 20, 30, "Sleep"), doc, claims) == [sleep]
    assert offset_matches(OffsetId(doc.sha256[:12], 0, 23, "Sleep"), doc, claims) == []  # another concept
    assert offset_matches(OffsetId("0" * 12, 0, 23, "PainRelief"), doc, claims) == []  # another document


# --------------------------------------------------------------------------- helpers


def _doc(text: str, hidden: tuple[tuple[int, int], ...] = ()) -> Document:
    """``text``, its sentences cut at ". " (one segment each, line breaks and all)."""
    spans, start = [], 0
    for m in re.finditer(r"\.(?:\s+|$)", text):
        spans.append((start, m.start() + 1))
        start = m.end()
    segments = tuple(Segment(s, e, SegmentRole.SENTENCE, 0) for s, e in spans)
    sha = hashlib.sha256(text.encode()).hexdigest()
    return Document("copy.md", sha, text, segments, "text/markdown", hidden=hidden)


def _claims(doc: Document, *concepts: Concept) -> list[Claim]:
    """One claim per segment and concept whose label is in it (any case), ids given."""
    found = []
    for seg in doc.segments:
        text = doc.text[seg.start : seg.end]
        for concept in concepts:
            at = text.casefold().find(concept.label.split()[0].casefold())
            if at >= 0:
                found.append(Claim("", doc.path, text, seg.start, seg.end, concept, seg.start + at, seg.start + at + 1))
    return with_claim_ids(doc, found)
