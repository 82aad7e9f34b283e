"""The sentence model's (``extract.sentence_model``) revision of the matcher's claims.

The vocabulary matcher and its rules know the phrasings someone wrote down; the model has
read every labelled development sentence. It revises the rules' claims in sentences two
ways, at the thresholds its file carries (chosen by cross-validation on the development
half). It reads a segment alone, so it leaves list items and headings, whose sense their
lead-in gives, to the rules:

- **It adds** a concept no rule proposed where it rates a sentence as a claim about the
  product and the concept as likely in it: a paraphrase no label covers ("easy to take" for
  tolerability). It adds nothing where a rule proposed the concept and then set it aside
  (a denial, another drug's purpose), nor to a sentence with a negation (it reads words,
  not their scope), nor to one that opens by pointing back ("These usually settle"), nor to
  a schedule table's header row ("| Week | Dose at night |" names columns).
- **It reads asides too**: a sentence the rules read as about another subject, in a page
  about the product, naming no other medicine ("Now the brain fog has lifted, and my
  antibody numbers dropped." in a testimonial that never names the drug). The rules find
  nothing there; the model adds a concept only at the file's higher ``aside_gate`` and
  ``aside_add``. Other segments the rules do not read as about the product get nothing.
- **It drops** a rule's claim where it rates the sentence as almost surely no claim at all
  *and* the claim's concept as unlikely there: the words matched, but the sentence is an
  aside, a study's method, a signature line, the practice's own business ("It is seldom
  prescribed for pain, so most people pay privately."). It never drops a harm or a warning
  (a safety or contraindication claim), a cited claim, a claim in a sentence that names the
  product, nor a question the rules read as taking a benefit for granted ("Could LDN be the
  answer for your fatigue?").

An added claim says so (``Claim.learned`` is the model's probability) and rests on the
words that weigh most for its concept; its type comes from its segment like any other.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ldn_graph.extract.claim_types import claim_type
from ldn_graph.extract.headings import PRESUPPOSING_QUESTION_RE
from ldn_graph.extract.markers import markers_within
from ldn_graph.extract.schedules import is_schedule_header
from ldn_graph.extract.sentence_model import Reading, SentenceModel, Thresholds
from ldn_graph.model import Claim, Concept, Document, Marker, Segment, Vocabulary
from ldn_graph.terms import ClaimType, SegmentRole

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
    names_product: bool = False  # the segment names the product itself ("LDN", "low dose naltrexone")


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


def revised_by_model(
    claims: Sequence[Claim],
    opened: Sequence[OpenSegment],
    asides: Sequence[OpenSegment],
    doc: Document,
    model: SentenceModel,
    vocabulary: Vocabulary,
    markers: Sequence[Marker],
    hedge: re.Pattern[str],
    negation: re.Pattern[str],
) -> list[Claim]:
    """``claims`` without the ones ``model`` drops and with the ones it adds (see the module
    docstring), in document order; ``asides`` are sentences the rules read as asides."""
    # the model reads a segment alone: a list item or a heading without the sentence that
    # leads into it, so it reads sentences only
    sentences = [o for o in opened if o.segment.role == SegmentRole.SENTENCE]
    # the model reads the words, not the citation markers ("[2]", "(Smith et al., 2007)")
    starts = [mk.start for mk in markers]
    words = [_without_markers(o, markers, starts) for o in [*sentences, *asides]]
    readings = model.read(words)
    limits = model.thresholds
    by_start = {o.segment.start: (o, reading) for o, reading in zip(sentences, readings[: len(sentences)], strict=True)}
    kept = [c for c in claims if c.start not in by_start or not _dropped(c, *by_start[c.start], limits)]
    by_name = {c.name: c for c in vocabulary.concepts}
    added: list[Claim] = []
    least = [(limits.gate, limits.add)] * len(sentences) + [(limits.aside_gate, limits.aside_add)] * len(asides)
    for o, text, reading, (gate, add) in zip([*sentences, *asides], words, readings, least, strict=True):
        if (reading.claims < gate or negation.search(o.text) or _CONTRACTED_NOT_RE.search(o.text)
                or _POINTS_BACK_RE.match(o.text) or is_schedule_header(o.text)):
            continue
        for name, p in sorted(reading.concepts.items(), key=lambda kv: -kv[1]):
            if p < add or name in o.matched:  # the matcher's and its rules' decision stands
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
    return sorted([*kept, *added], key=lambda c: (c.start, c.match_start))


# harms and warnings are never dropped: a reviewer must see every one, and the model reads
# a sentence that opens like a list's lead-in ("Side effects of LDN include fatigue and
# headache.") as one that may claim nothing
_NEVER_DROPPED = frozenset({ClaimType.SAFETY, ClaimType.CONTRAINDICATION})


def _dropped(claim: Claim, o: OpenSegment, reading: Reading, limits: Thresholds) -> bool:
    """Whether the model drops a rule's ``claim`` in segment ``o``: a claim it may drop, in a
    segment rated as almost surely no claim, of a concept rated unlikely there.

    It may not drop a harm or a warning, a cited claim (the claims an author backs are the
    ones a reviewer checks first), a claim in a segment that names the product ("Low dose
    naltrexone improves sleep quality." reads, word by word, like the title of a study the
    corpus labels as no claim), nor a question the rules read as taking a benefit for
    granted (the corpus labels most questions as no claim; the rules keep only these)."""
    return (claim.type not in _NEVER_DROPPED and not claim.cited and not o.names_product
            and not PRESUPPOSING_QUESTION_RE.search(claim.text)
            and reading.claims < limits.drop_claim and reading.concepts.get(claim.concept.name, 0.0) < limits.drop_concept)
