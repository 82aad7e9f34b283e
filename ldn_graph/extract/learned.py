"""Claims the sentence model (``extract.sentence_model``) adds to the matcher's.

The vocabulary matcher and its rules know the phrasings someone wrote down; the model has
read every labelled development sentence. Where it rates a sentence as a claim about the
product and a concept as likely in it (the thresholds its file carries), and no rule
proposed that concept there, the concept is added: a paraphrase no label covers ("easy to
take" for tolerability). The rules' decisions stand: the model never removes a claim, never
adds a concept a rule proposed and then set aside (a denial, another drug's purpose), and
adds nothing to a sentence the rules do not read as about the product, nor to a sentence
with a negation (the model reads words, not their scope). It reads a segment alone, so it
adds to sentences only, never to a list item or a heading whose sense its lead-in gives,
nor to a sentence that opens by pointing back ("These usually settle").
An added claim says so (``Claim.learned`` is the model's probability) and rests on the
words that weigh most for its concept; its type comes from its sentence like any other.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ldn_graph.extract.claim_types import claim_type
from ldn_graph.extract.markers import markers_within
from ldn_graph.extract.sentence_model import SentenceModel
from ldn_graph.model import Claim, Concept, Document, Marker, Segment, Vocabulary
from ldn_graph.terms import SegmentRole

_CONTRACTED_NOT_RE = re.compile(r"n['’]t\b", re.I)  # "couldn't", "didn’t"
# a sentence opening with a word that points back: what it speaks of is in the sentence before
_POINTS_BACK_RE = re.compile(r"\W*(?:these|those|they|this|it|such)\b", re.I)


@dataclass(frozen=True)
class OpenSegment:
    """A segment the extractor read as a place for claims about the product: its visible
    text, the section it sits in and the concepts the rules proposed in it (kept or not)."""

    segment: Segment
    text: str
    section: str
    matched: frozenset[str]
    spans: tuple[tuple[int, int], ...]  # where in ``text`` the matcher found them


def segment_claim(doc: Document, seg: Segment, concept: Concept, start: int, end: int, **fields: Any) -> Claim:
    """The claim of ``concept`` in segment ``seg`` of ``doc``, named by the segment's words at
    ``[start, end)``; its id is given later (``with_claim_ids``)."""
    return Claim(id="", document=doc.path, text=doc.text[seg.start : seg.end], start=seg.start, end=seg.end,
                 concept=concept, match_start=seg.start + start, match_end=seg.start + end, location=seg.location,
                 role=seg.role, **fields)


def _without_markers(o: OpenSegment, markers: Sequence[Marker], starts: Sequence[int]) -> str:
    text = o.text
    for mk in markers[bisect_left(starts, o.segment.start) : bisect_left(starts, o.segment.end)]:
        s, e = mk.start - o.segment.start, min(mk.end, o.segment.end) - o.segment.start
        text = text[:s] + " " * (e - s) + text[e:]
    return text


def with_added_claims(
    claims: Sequence[Claim],
    opened: Sequence[OpenSegment],
    doc: Document,
    model: SentenceModel,
    vocabulary: Vocabulary,
    markers: Sequence[Marker],
    hedge: re.Pattern[str],
    negation: re.Pattern[str],
) -> list[Claim]:
    """``claims`` and the ones ``model`` adds (see the module docstring), in document order."""
    # the model reads a segment alone: a list item or a heading without the sentence that
    # leads into it, so it adds to sentences only
    scored = [o for o in opened if o.segment.role == SegmentRole.SENTENCE]
    # the model reads the words, not the citation markers ("[2]", "(Smith et al., 2007)")
    starts = [mk.start for mk in markers]
    words = [_without_markers(o, markers, starts) for o in scored]
    readings = dict(zip((o.segment.start for o in scored), model.read(words), strict=True))
    limits = model.thresholds
    by_name = {c.name: c for c in vocabulary.concepts}
    added: list[Claim] = []
    for o, text in zip(scored, words, strict=True):
        reading = readings[o.segment.start]
        if (reading.claims < limits.gate or negation.search(o.text) or _CONTRACTED_NOT_RE.search(o.text)
                or _POINTS_BACK_RE.match(o.text)):
            continue
        for name, p in sorted(reading.concepts.items(), key=lambda kv: -kv[1]):
            if p < limits.add or name in o.matched:  # the matcher's and its rules' decision stands
                continue
            cue = model.cue(text, name)
            if cue is None or any(cue[0] < e and s < cue[1] for s, e in o.spans):
                continue  # no words to show for it, or words a rule read as another concept ("reduce their opioid use")
            seg, concept, (s, e) = o.segment, by_name[name], cue
            lead = doc.text[seg.lead[0] : seg.lead[1]] if seg.lead else ""
            cited, dangling = markers_within(markers, starts, seg.start, seg.end)
            added.append(segment_claim(
                doc, seg, concept, s, e, hedged=bool(hedge.search(o.text) or hedge.search(lead)), negated=False,
                cited=cited, dangling=dangling, claim_type=claim_type(concept, o.text, s, e, f"{o.section} {lead}"),
                learned=round(p, 3)))
    return sorted([*claims, *added], key=lambda c: (c.start, c.match_start))
