"""Precision and recall of concept extraction against hand-labelled gold files.

Gold file format (JSON, ``"schema": "ldn-graph/gold/1"``, see docs/gold-format.md)::

    {
      "schema": "ldn-graph/gold/1",
      "document": "../../examples/001_4aaa9d78fd1a3130.txt",   # relative to the gold file
      "genre": "clinic-page", "split": "dev",                   # optional (evaluation corpus)
      "annotations": [
        {"text": "Headache",                                   # the sentence or list item, verbatim
         "start": 2048,                                        # optional: where it starts
         "claims": [{"concept": "Headache", "type": "safety"}]},
        ...
      ],
      "unmapped_claims": [{"text": ..., "claim": ..., "type": ..., "proposed_concept": ...}],
      "non_claims": [{"text": ..., "why": "background"}]
    }

Every claim-bearing sentence or list item of the document is listed with the concepts
(vocabulary local names) it asserts. A predicted claim counts as correct when its span
overlaps an annotated sentence that lists its concept; otherwise it is a false positive,
tagged with the ``why`` of a non-claim sentence it overlaps. Unmapped claims (real claims
the vocabulary has no concept for) are listed, never counted. Precision and recall are over
(sentence, concept) pairs; claim-type agreement is reported for the pairs that match.
Segmentation agreement is the share of labelled sentences that are exactly one segment of
the read document (whitespace, and markup or quotation marks at either end, aside: the
measure is where the text is cut, not which markup characters a labeller kept); a non-claim
label the reader cuts finer, into whole segments none of which is prose, agrees too and is
counted apart (``tiled``). ``evaluate.tables.render`` lays the results out as text or Markdown.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path

from ldn_graph.errors import InputError
from ldn_graph.evaluate.gold import (
    GoldFile,
    Labelled,
    document_path,
    genre_families,
    read_gold,
    read_json,
    squash,
)
from ldn_graph.extract.sentence_model import SentenceModel
from ldn_graph.extract.spans import SpanIndex
from ldn_graph.model import Document, Vocabulary
from ldn_graph.terms import PROSE_ROLES


@dataclass
class Evaluation:
    gold_file: str
    document: str
    genre: str | None = None
    split: str | None = None
    family: str | None = None  # the genre's family (genres.json beside the gold file)
    true_positives: int = 0
    false_positives: list[tuple[str, str]] = field(default_factory=list)  # (text, concept)
    false_negatives: list[tuple[str, str]] = field(default_factory=list)
    type_agreement: int = 0
    non_claim_hits: list[tuple[str, str, str]] = field(default_factory=list)  # (text, concept, why)
    unmapped: list[tuple[str, str]] = field(default_factory=list)  # (text, proposed concept)
    claim_sentences: int = 0  # segments the extractor took claims from
    claim_sentences_right: int = 0  # … that are labelled claim sentences (annotated or unmapped)
    wrong_sentences: list[tuple[str, str]] = field(default_factory=list)  # the others: (text, label)
    sentences: int = 0  # labelled sentences
    segmented: int = 0  # … that are one segment of the read document
    dropped: int = 0  # … of them non-claims the reader left out of the text or hid (scripts, URLs)
    tiled: int = 0  # … of them non-claims the reader cut finer, into pieces none of which is prose
    missed_segments: list[tuple[str, str]] = field(default_factory=list)  # (text, label)

    @property
    def predicted(self) -> int:
        return self.true_positives + len(self.false_positives)

    @property
    def labelled_pairs(self) -> int:
        return self.true_positives + len(self.false_negatives)

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.labelled_pairs if self.labelled_pairs else 1.0


# --------------------------------------------------------------------------- scoring


# What a segment and a label may differ by at either end and still cut the text at the
# same place: list markers and numbers, heading and quote marks, emphasis, quotation marks.
_EDGE_MARKUP_RE = re.compile(r"^(?:[\s#>*_+•·|\"“”'‘’-]|\d{1,3}(?:\.\d{1,2})*[.)]?\s|\(\d{1,3}\)\s|\[\d{1,3}\]\s)+|[\s#>*_|\"“”'‘’]+$")


# A Markdown link's or image's target, a question or answer turn ("Q: ", a chat's "You: "
# and "Assistant: ") and a footnote's label ("[^1]: ") are markup too.
_LINK_MARKUP_RE = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")
_TURN_RE = re.compile(r"^(?:(?:Q|A)\d{0,2}:|\[\^[\w-]{1,12}\]:|(?:you|user|me|human|assistant|ai|bot):)\s*", re.I)


UNLABELLED = "(no label)"


def label_name(label: Labelled) -> str:
    """How a table names a label: "claim", "unmapped claim" or "non-claim: <why>"."""
    return {"claim": "claim", "unmapped": "unmapped claim"}.get(label.kind, f"non-claim: {label.why}")


def _boundary_form(text: str) -> str:
    text = _LINK_MARKUP_RE.sub(r"\1", squash(text))
    return _EDGE_MARKUP_RE.sub("", _TURN_RE.sub("", _EDGE_MARKUP_RE.sub("", text)))


def _covered(spans: SpanIndex, start: int, end: int) -> bool:
    """Whether the spans cover all of ``[start, end)``."""
    return sum(e - s for s, e in spans.within(start, end)) == end - start


def _tiled(doc: Document, ends: list[int], hidden: SpanIndex, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is cut into whole segments none of which is prose: a menu
    labelled as one line and read one link at a time, a byline read as its two fields. Every
    segment that reaches into the span lies inside it, and every letter or digit of the span
    that is not hidden markup lies in one of them. ``ends``: the segments' ends (segments
    are in reading order and never overlap, so these are sorted too)."""
    pieces = []
    for seg in doc.segments[bisect_right(ends, start) :]:
        if seg.start >= end:
            break
        pieces.append(seg)
    if not pieces or any(s.role in PROSE_ROLES or s.start < start or s.end > end for s in pieces):
        return False
    covered = SpanIndex([(s.start, s.end) for s in pieces] + list(hidden.within(start, end)))
    return not any(ch.isalnum() for ch in covered.cut(doc.text, start, end))


def _segmentation(doc: Document, gold: GoldFile, result: Evaluation) -> None:
    exact = {(s.start, s.end) for s in doc.segments}
    forms: set[str] = {_boundary_form(doc.text[s.start : s.end]) for s in doc.segments}
    # what can never be claim text: hidden markup and link text (the spans claims skip)
    hidden = SpanIndex([*doc.hidden, *((link.start, link.end) for link in doc.links)])
    ends = [s.end for s in doc.segments]
    for label in gold.labelled:
        result.sentences += 1
        if label.start is not None and (
            (label.start, label.end) in exact or _boundary_form(doc.text[label.start : label.end]) in forms
        ):
            result.segmented += 1
        elif label.kind == "non-claim" and (label.start is None or _covered(hidden, label.start, label.end or label.start)):
            # a script, an attribute, a link target or a link's text the reader dropped,
            # hid or kept as a link: it cannot be cut wrongly nor become claim text
            # (counted, and shown, as agreeing)
            result.segmented += 1
            result.dropped += 1
        elif label.kind == "non-claim" and label.start is not None and _tiled(doc, ends, hidden, label.start, label.end or label.start):
            result.segmented += 1
            result.tiled += 1
        else:
            result.missed_segments.append((label.text, label_name(label)))


@dataclass(frozen=True)
class Scored:
    """A claim scored against the gold: the extractor's, or a second labeller's label."""

    start: int
    end: int
    text: str
    concept: str
    type: str


def _second_labeller(gold: GoldFile, against: Path, doc: Document, vocabulary: Vocabulary) -> list[Scored]:
    """The (sentence, concept, type) labels of ``against``, a second labelling of the
    document ``gold`` labels (a concept's default type where a label gives none)."""
    second = read_gold(against, doc)
    if second.document != gold.document:
        raise InputError(f"{against}: labels {second.document.name}, not {gold.document.name} as {gold.path.name} does")
    defaults = {c.name: c.claim_type.value for c in vocabulary.concepts}
    unknown = sorted({g.concept for g in second.pairs} - set(defaults))
    if unknown:
        raise InputError(f"{against}: concepts not in the vocabulary: {', '.join(unknown)}")
    return [Scored(g.start, g.end, g.text, g.concept, g.type or defaults[g.concept]) for g in second.pairs]


def evaluate_gold(path: str | Path, vocabulary: Vocabulary, against: str | Path | None = None,
                  learned: bool = True, model: SentenceModel | None = None) -> Evaluation:
    """Score the extractor's claims on the document ``path`` labels against its labels; with
    ``against``, score that second labelling of the same document instead (agreement
    between two labellers: precision is the share of the second's labels the first has).
    ``learned``: the extractor uses the vocabulary's sentence model where one ships, or
    ``model`` where given."""
    from ldn_graph.extract.claims import extract_claims
    from ldn_graph.extract.references import find_references
    from ldn_graph.read.documents import read_document

    p = Path(path)
    doc = read_document(document_path(p, read_json(p)))
    gold = read_gold(p, doc)
    known = {c.name for c in vocabulary.concepts}
    unknown = sorted({g.concept for g in gold.pairs} - known)
    if unknown:
        raise InputError(f"{path}: concepts not in the vocabulary: {', '.join(unknown)}")
    if against is None:
        refs, markers = find_references(doc)
        claims = [Scored(c.start, c.end, c.text, c.concept.name, c.type.value)
                  for c in extract_claims(doc, vocabulary, refs, markers, learned, model)]
    else:
        claims = _second_labeller(gold, Path(against), doc, vocabulary)
    result = Evaluation(str(path), str(gold.document), gold.genre, gold.split)
    if gold.genre:
        result.family = genre_families(p.parent).get(gold.genre)
    non_claims = [lab for lab in gold.labelled if lab.kind == "non-claim" and lab.start is not None]
    matched_gold: set[int] = set()
    for claim in claims:
        hit = next(
            (
                i
                for i, g in enumerate(gold.pairs)
                if g.concept == claim.concept and claim.start < g.end and g.start < claim.end and i not in matched_gold
            ),
            None,
        )
        if hit is None:
            result.false_positives.append((claim.text, claim.concept))
            why = next((n.why for n in non_claims if claim.start < (n.end or 0) and (n.start or 0) < claim.end), None)
            if why is not None:
                result.non_claim_hits.append((claim.text, claim.concept, why))
            continue
        matched_gold.add(hit)
        result.true_positives += 1
        if gold.pairs[hit].type in (None, claim.type):
            result.type_agreement += 1
    for i, g in enumerate(gold.pairs):
        if i not in matched_gold:
            result.false_negatives.append((g.text, g.concept))
    claim_labels = [lab for lab in gold.labelled if lab.kind in ("claim", "unmapped") and lab.start is not None]
    for start, end, text in sorted({(c.start, c.end, c.text) for c in claims}):
        result.claim_sentences += 1
        if any(start < (lab.end or 0) and (lab.start or 0) < end for lab in claim_labels):
            result.claim_sentences_right += 1
        else:
            why = next((label_name(n) for n in non_claims if start < (n.end or 0) and (n.start or 0) < end), UNLABELLED)
            result.wrong_sentences.append((text, why))
    result.unmapped = [(lab.text, lab.why) for lab in gold.labelled if lab.kind == "unmapped"]
    _segmentation(doc, gold, result)
    return result


def summarize(evaluations: Sequence[Evaluation], name: str = "(all)") -> Evaluation:
    """The counts and lists of ``evaluations`` added up, under ``name``."""
    total = Evaluation(name, name)
    for e in evaluations:
        for f in fields(Evaluation):
            if f.name not in _LABELS:
                setattr(total, f.name, getattr(total, f.name) + getattr(e, f.name))
    return total


_LABELS = frozenset({"gold_file", "document", "genre", "split", "family"})  # not added up


