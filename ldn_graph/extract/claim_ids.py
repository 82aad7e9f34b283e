"""Claim ids: what a claim says, not where it sits.

A claim's id is ``<concept>:<12 hex>`` — the concept's local name and the first 12 hex
digits of the SHA-256 of the claim's sentence in normal form (:func:`normal_sentence`) —
with ``-2``, ``-3`` … for the second, third … claim of the same sentence and concept in
one document (``Fibromyalgia:3f9a0c1b2d4e``, ``Fibromyalgia:3f9a0c1b2d4e-2``). It names
neither the document nor an offset, so it survives every edit that leaves the claim's own
words alone: another paragraph changed, a sentence added before, the text re-wrapped,
a reference list renumbered; and the same sentence gets
the same id in every document it appears in.

The normal form keeps the words and nothing else: the document's hidden spans (markup,
link targets) are dropped; typographic quotes, dashes and no-break spaces are folded,
compatibility characters (ligatures, full-width letters) made plain (NFKC) and case
folded; numeric citation markers (``[3]``, ``[1, 4-6]``, ``[^2]``, superscript digits)
and a leading list marker (``-``, ``•``, ``3.``, ``(b)``) are dropped; what is left is
its runs of letters and digits, one space apart — so punctuation, quotes, emphasis marks
and line breaks never change an id, and any changed, added or removed word does.

Ids written before (``<first 12 hex of the document's sha256>:<start>-<end>:<concept>``)
are recognised by :func:`parse_offset_id`, so a saved suppression can be matched once
more by offset while its document is unchanged.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from ldn_graph.extract.spans import SpanIndex
from ldn_graph.model import Claim, Concept, Document
from ldn_graph.text import fold

#: Hex digits of the sentence hash in an id: 48 bits, unique among any document's sentences.
HASH_HEX = 12

# A concept's local name goes into an id as it is when it is made of these (every one
# IRI-safe: letters and digits of any script, "_", "." and "-").
_NAME_RE = re.compile(r"[\w.-]+")
_NAME_BAD_RE = re.compile(r"[^\w.-]+")
# On text already folded: "[3]", "[1, 4-6]", "[^2]" (superscript digits fold to "^").
_CITATION_RE = re.compile(r"\[\^?\s*\d{1,4}(?:\s*[,;-]\s*\^?\d{1,4})*\s*\]")
_LIST_MARKER_RE = re.compile(r"\s*(?:[-*+•▪◦‣]|\(?\d{1,3}[.)]|\(?[a-z]\))\s+")
_WORD_RE = re.compile(r"[^\W_]+")
_OLD_ID_RE = re.compile(r"([0-9a-f]{12}):(\d+)-(\d+):(.+)", re.S)


def normal_sentence(text: str) -> str:
    """The words of ``text``, in the form two sentences that say the same words share.

    >>> normal_sentence("LDN “may” ease\\nfibromyalgia pain [3].")
    'ldn may ease fibromyalgia pain'
    """
    folded = unicodedata.normalize("NFKC", fold(text)).casefold()
    folded = _CITATION_RE.sub(" ", folded)
    marker = _LIST_MARKER_RE.match(folded)
    if marker:
        folded = folded[marker.end() :]
    return " ".join(_WORD_RE.findall(folded))


def sentence_hash(text: str) -> str:
    """The first :data:`HASH_HEX` hex digits of the SHA-256 of ``text``'s normal form."""
    data = normal_sentence(text).encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()[:HASH_HEX]


def concept_part(concept: Concept) -> str:
    """The concept's local name as an id shows it: as it is when it is IRI-safe, else
    with every other run of characters made ``_`` and a short hash of the name added (so
    two names never share it)."""
    if _NAME_RE.fullmatch(concept.name):
        return concept.name
    cleaned = _NAME_BAD_RE.sub("_", concept.name).strip("_") or "concept"
    digest = hashlib.sha256(concept.name.encode("utf-8", "surrogatepass")).hexdigest()[:6]
    return f"{cleaned}_{digest}"


def claim_id(sentence: str, concept: Concept, occurrence: int = 1) -> str:
    """The id of the ``occurrence``-th claim about ``concept`` made by ``sentence`` in a
    document (1 for the first)."""
    base = f"{concept_part(concept)}:{sentence_hash(sentence)}"
    return base if occurrence <= 1 else f"{base}-{occurrence}"


def with_claim_ids(doc: Document, claims: Iterable[Claim]) -> list[Claim]:
    """``claims`` (of ``doc``, in document order) with their ids: each from the words of
    its sentence, ``doc.text[start:end]`` without the document's hidden spans, and its
    concept; a repeat of the same sentence and concept is numbered. Linear in the claims
    and the hidden spans."""
    hidden = SpanIndex(doc.hidden)
    seen: dict[str, int] = {}
    out: list[Claim] = []
    for claim in claims:
        base = claim_id(hidden.cut(doc.text, claim.start, claim.end), claim.concept)  # **LDN** reads LDN
        n = seen[base] = seen.get(base, 0) + 1
        out.append(replace(claim, id=base if n == 1 else f"{base}-{n}"))
    return out


# --------------------------------------------------------------------------- id forms


@dataclass(frozen=True)
class OffsetId:
    """An id in the form written before ids named the sentence."""

    sha_prefix: str  # the first 12 hex digits of the document's sha256
    start: int
    end: int
    concept: str  # the concept's local name


def parse_offset_id(value: str) -> OffsetId | None:
    """``"4aaa9d78fd1a:1020-1090:Pain"`` → its parts; None for anything else."""
    m = _OLD_ID_RE.fullmatch(value.strip())
    if m is None:
        return None
    return OffsetId(m.group(1), int(m.group(2)), int(m.group(3)), m.group(4))


def offset_matches(old: OffsetId, doc: Document, claims: Sequence[Claim]) -> list[Claim]:
    """The claims of ``doc`` an offset-style id named: ``doc`` is the document it was
    written for (same sha256 prefix), the concept is the same and the claim's sentence
    overlaps the span (the sentence may have been cut differently since)."""
    if not doc.sha256.startswith(old.sha_prefix):
        return []
    lo, hi = old.start, max(old.end, old.start + 1)
    return [c for c in claims if c.concept.name == old.concept and c.start < hi and lo < c.end]
