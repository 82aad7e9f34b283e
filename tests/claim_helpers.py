"""Claims found in a line of synthetic copy, for tests of extraction rules."""

from __future__ import annotations

from ldn_graph.extract.claims import extract_claims
from ldn_graph.extract.references import find_references
from ldn_graph.model import Vocabulary
from ldn_graph.read.documents import read_text_document


def concepts_in(text: str, vocab: Vocabulary, learned: bool = True) -> set[str]:
    """The concepts claimed in a synthetic Markdown document (``learned``: with the
    vocabulary's sentence model, as an audit reads it)."""
    doc = read_text_document(text.encode(), "synthetic.md", "text/markdown")
    return {c.concept.name for c in extract_claims(doc, vocab, *find_references(doc), learned)}


def concepts(text: str, vocab: Vocabulary, learned: bool = True) -> set[str]:
    """The concepts claimed in ``text``, set under a heading that names the product."""
    return concepts_in(f"# Low dose naltrexone\n\n{text}\n", vocab, learned)
