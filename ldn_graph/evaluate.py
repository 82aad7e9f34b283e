"""Precision and recall of concept extraction against a hand-labelled gold file.

Gold file format (JSON, ``"schema": "ldn-graph/gold/1"``)::

    {
      "schema": "ldn-graph/gold/1",
      "document": "../../examples/001_4aaa9d78fd1a3130.txt",   # relative to the gold file
      "annotations": [
        {"text": "Headache",                                   # the sentence or list item, verbatim
         "start": 2048,                                        # optional: where it starts
         "claims": [{"concept": "Headache", "type": "safety"}]},
        ...
      ]
    }

Every claim-bearing sentence or list item of the document is listed with the concepts
(vocabulary local names) it asserts; sentences with no claim are simply absent. A
predicted claim counts as correct when its span overlaps an annotated sentence that
lists its concept. Precision and recall are over (sentence, concept) pairs; claim-type
agreement is reported for the pairs that match.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ldn_graph.errors import InputError
from ldn_graph.model import Vocabulary

GOLD_SCHEMA = "ldn-graph/gold/1"


@dataclass(frozen=True)
class GoldPair:
    start: int
    end: int
    concept: str
    type: str | None
    text: str


@dataclass
class Evaluation:
    gold_file: str
    document: str
    true_positives: int = 0
    false_positives: list[tuple[str, str]] = field(default_factory=list)  # (text, concept)
    false_negatives: list[tuple[str, str]] = field(default_factory=list)
    type_agreement: int = 0

    @property
    def precision(self) -> float:
        predicted = self.true_positives + len(self.false_positives)
        return self.true_positives / predicted if predicted else 1.0

    @property
    def recall(self) -> float:
        gold = self.true_positives + len(self.false_negatives)
        return self.true_positives / gold if gold else 1.0

    @property
    def type_accuracy(self) -> float:
        return self.type_agreement / self.true_positives if self.true_positives else 1.0


def load_gold(path: str | Path) -> tuple[Path, list[GoldPair]]:
    p = Path(path)
    try:
        data: Any = json.loads(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot read the gold file ({exc.strerror or exc})") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(data, dict) or data.get("schema") != GOLD_SCHEMA:
        raise InputError(f'{path}: not a gold file (expected "schema": "{GOLD_SCHEMA}")')
    document = (p.parent / str(data.get("document", ""))).resolve()
    if not document.is_file():
        raise InputError(f"{path}: its document {data.get('document')!r} was not found next to it")
    text = _document_text(document)
    pairs: list[GoldPair] = []
    cursor = 0
    for n, ann in enumerate(data.get("annotations") or [], 1):
        sentence = ann.get("text")
        if not isinstance(sentence, str) or not sentence:
            raise InputError(f"{path}: annotation {n} has no 'text'")
        start = ann.get("start")
        if not isinstance(start, int) or text[start : start + len(sentence)] != sentence:
            start = text.find(sentence, cursor)
            if start < 0:
                start = text.find(sentence)
        if start < 0:
            raise InputError(f"{path}: annotation {n}: text not found in the document: {sentence[:60]!r}")
        cursor = start + len(sentence)
        for claim in ann.get("claims") or []:
            pairs.append(GoldPair(start, start + len(sentence), claim["concept"], claim.get("type"), sentence))
    return document, pairs


def _document_text(path: Path) -> str:
    from ldn_graph.read.documents import read_document

    return read_document(path).text


def evaluate_gold(path: str | Path, vocabulary: Vocabulary) -> Evaluation:
    from ldn_graph.extract.claims import extract_claims
    from ldn_graph.extract.references import find_references
    from ldn_graph.read.documents import read_document

    document, gold = load_gold(path)
    known = {c.name for c in vocabulary.concepts}
    unknown = sorted({g.concept for g in gold} - known)
    if unknown:
        raise InputError(f"{path}: concepts not in the vocabulary: {', '.join(unknown)}")
    doc = read_document(document)
    refs, markers = find_references(doc)
    claims = extract_claims(doc, vocabulary, refs, markers)
    result = Evaluation(str(path), str(document))
    matched_gold: set[int] = set()
    for claim in claims:
        hit = next(
            (
                i
                for i, g in enumerate(gold)
                if g.concept == claim.concept.name and claim.start < g.end and g.start < claim.end and i not in matched_gold
            ),
            None,
        )
        if hit is None:
            result.false_positives.append((claim.text, claim.concept.name))
            continue
        matched_gold.add(hit)
        result.true_positives += 1
        if gold[hit].type in (None, claim.type):
            result.type_agreement += 1
    for i, g in enumerate(gold):
        if i not in matched_gold:
            result.false_negatives.append((g.text, g.concept))
    return result


def summarize(evaluations: Sequence[Evaluation]) -> Evaluation:
    total = Evaluation("(all)", "(all)")
    for e in evaluations:
        total.true_positives += e.true_positives
        total.false_positives += e.false_positives
        total.false_negatives += e.false_negatives
        total.type_agreement += e.type_agreement
    return total
