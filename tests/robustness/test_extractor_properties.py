"""Property-based tests: random text and random reference lists never crash the reference
and claim extractors, and every span they report lies inside the text."""

from __future__ import annotations

import re
from functools import lru_cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ldn_graph.errors import InputError
from ldn_graph.extract.claims import extract_claims
from ldn_graph.extract.references import find_references
from ldn_graph.model import Document, Vocabulary
from ldn_graph.ontology.vocabulary import load_vocabulary
from ldn_graph.read.documents import read_text_document

CLAIM_ID_RE = re.compile(r"[\w.-]+:[0-9a-f]{12}(?:-[1-9][0-9]*)?")
SETTINGS = settings(max_examples=200, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    return load_vocabulary()


# Words the extractors react to, mixed with anything at all.
WORDS = ["LDN", "low dose naltrexone", "naltrexone", "fibromyalgia", "Crohn's disease",
         "may help", "is not", "should not be taken with", "References", "Side effects:",
         "[1]", "[1,3]", "[2-4]", "[3–1]", "¹²", "²⁻³", "(Younger 2013)", "(Younger et al., 2013)",
         "PMID: 23359310", "https://pubmed.ncbi.nlm.nih.gov/17222320/", "doi:10.1016/x.y",
         "https://example.org/a?b=c", "e.g.", "1.5 mg", "- ", "• ", "1. ", "# ", "\n", "\n\n",
         "\r\n", "\t", "\xa0", "\u2028", "\ufeff", "\x00", "é", "’", "“", "”", ".", ",", ";", ":"]

text_strategy = st.lists(
    st.one_of(st.sampled_from(WORDS), st.text(max_size=12)), max_size=40
).map("".join)

reference_entry = st.builds(
    lambda author, year, tail: f"{author} {year}. {tail}",
    st.sampled_from(["Younger J, et al.", "Smith AB", "O'Byrne PM,", "Ünal K", "", "1."]),
    st.integers(min_value=1890, max_value=2030),
    st.one_of(st.sampled_from(["PMID: 23359310", "PMID: 0", "https://pubmed.ncbi.nlm.nih.gov/1/",
                               "doi:10.1234/abc)", "https://x.org/[1]", "J. 2013;1:1-9"]),
              st.text(max_size=20)),
)
reference_list = st.lists(reference_entry, max_size=8).flatmap(
    lambda entries: st.sampled_from(["numbered", "bracketed", "heading", "bare"]).map(
        lambda style: _render_list(entries, style)))


def _render_list(entries: list[str], style: str) -> str:
    if style == "numbered":
        lines = [f"{i}. {e}" for i, e in enumerate(entries, 1)]
    elif style == "bracketed":
        lines = [f"[{i}] {e}" for i, e in enumerate(entries, 1)]
    elif style == "heading":
        lines = ["References", *entries]
    else:
        lines = list(entries)
    return "\n".join(lines)


def document(body: str, refs: str, media_type: str = "text/plain") -> Document:
    """The text as a user's .txt (or .md) file would give it (lone surrogates become bytes
    that are not UTF-8); too many NULs or other control characters make it "binary", so
    those are dropped."""
    text = body + "\n\n" + refs
    name = "random.md" if media_type == "text/markdown" else "random.txt"
    try:
        return read_text_document(text.encode("utf-8", "surrogatepass"), name, media_type)
    except InputError:
        text = re.sub(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]", "", text)
        return read_text_document(text.encode("utf-8", "surrogatepass"), name, media_type)


def check(doc: Document) -> None:
    n = len(doc.text)
    previous_end = 0
    for seg in doc.segments:  # in reading order, inside the text, never overlapping
        assert previous_end <= seg.start < seg.end <= n, seg
        assert doc.text[seg.start : seg.end].strip(), seg
        previous_end = seg.end
    for start, end in doc.hidden:
        assert 0 <= start <= end <= n
    refs, markers = find_references(doc)
    labels = {r.label for r in refs}
    for ref in refs:
        assert 0 <= ref.start <= ref.end <= n, ref
        assert ref.text == doc.text[ref.start:ref.end], ref
    for marker in markers:
        assert 0 <= marker.start < marker.end <= n, marker
        assert doc.text[marker.start:marker.end] == marker.text
        assert set(marker.labels) <= labels, (marker, labels)
    claims = extract_claims(doc, vocabulary(), refs, markers)
    for claim in claims:
        assert 0 <= claim.start <= claim.match_start < claim.match_end <= claim.end <= n, claim
        assert claim.text == doc.text[claim.start:claim.end]
        assert set(claim.cited) <= labels, (claim.cited, labels)
        assert CLAIM_ID_RE.fullmatch(claim.id), claim.id
    assert len({c.id for c in claims}) == len(claims)  # repeats are numbered


@SETTINGS
@given(body=text_strategy, refs=reference_list)
def test_property_random_text_and_reference_lists_never_crash_and_spans_stay_inside(
    body: str, refs: str
) -> None:
    check(document(body, refs))


@SETTINGS
@given(body=text_strategy, refs=reference_list)
def test_property_random_markdown_never_crashes_and_spans_stay_inside(body: str, refs: str) -> None:
    check(document(body, refs, "text/markdown"))


@SETTINGS
@given(text=st.text(max_size=300), markdown=st.booleans())
def test_property_any_unicode_text_at_all(text: str, markdown: bool) -> None:
    check(document(text, "", "text/markdown" if markdown else "text/plain"))
