"""Find claims in a document: one claim per (sentence or list item, concept).

Each claim keeps the exact span of its sentence/item and of the words that named the
concept, whether it is hedged ("may", "is thought to", "further studies are needed"),
whether a negation or warning governs it, and which references it cites inline. Its
type comes from the vocabulary, unless the section says otherwise (a benefit word in a
side-effects list is a safety statement; "should not be taken with" is a
contraindication). Headings, the reference list, storage, shipping and legal text
carry no claims.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence

from ldn_graph.extract.spans import SpanIndex
from ldn_graph.model import Claim, Concept, Document, Marker, Reference, Segment, Vocabulary
from ldn_graph.terms import CLAIM_ROLES, ClaimType, SegmentRole
from ldn_graph.text import TermMatcher

HEDGE_RE = re.compile(
    r"\b(may|might|could|can help|can be considered|is thought|are thought|believed|suggests?|"
    r"suggested|potential(?:ly)?|possibl[ey]|has been shown|have been shown|"
    r"further (?:studies|research|trials) (?:are|is) needed|preliminary|appears? to|reportedly|"
    r"likely|thought to|some (?:patients|people|studies))\b",
    re.I,
)
NEGATION_RE = re.compile(
    r"\b(not|no|never|without|should not|must not|do not|does not|cannot|avoid|unsafe)\b", re.I
)
CONTRAINDICATION_CUE_RE = re.compile(
    r"\b(should not be (?:taken|used|combined)|must not be|do not (?:take|use)|contraindicat\w*|"
    r"may precipitate|avoid (?:taking|using|use)|not be taken with)\b",
    re.I,
)
SAFETY_SECTION_RE = re.compile(
    r"\b(side[- ]effects?|adverse|precautions?|warnings?|use caution|common|less common|rare|"
    r"safety|interactions?)\b",
    re.I,
)
CONTRA_SECTION_RE = re.compile(r"\bcontraindicat", re.I)
IGNORE_RE = re.compile(
    r"^\s*(?:store|keep)\b|\bstorage\b|\bexcursions permitted\b|\bship(?:s|ping|ped)?\b|\bdeliver\w*\b|"
    r"\bdisclaimer\b|\beducational purposes\b|\bnot been reviewed\b|\bnot intended to diagnose\b|"
    r"\b1-800\b|\bcall your doctor\b|\bno claims are made\b|\bimages are for reference\b",
    re.I,
)


# "(monitor mood)", "(see below)": instructions in parentheses assert nothing. Bounded, so
# that an unclosed "(see" is not scanned to the end of a long paragraph from every one.
INSTRUCTION_RE = re.compile(r"\((?:monitor|see|consult|ask|check|call)\b[^)]{0,300}\)", re.I)

# The claim types a warning is about, and those whose words in a warning only describe the hazard.
_WARNING_TYPES = (ClaimType.SAFETY, ClaimType.CONTRAINDICATION)
_HAZARD_WORD_TYPES = (ClaimType.MECHANISM, ClaimType.BENEFIT)


def claim_id(doc: Document, seg: Segment, concept: Concept) -> str:
    return f"{doc.sha256[:12]}:{seg.start}-{seg.end}:{concept.name}"


def extract_claims(
    doc: Document,
    vocabulary: Vocabulary,
    references: Sequence[Reference] = (),
    markers: Sequence[Marker] = (),
) -> list[Claim]:
    matcher = TermMatcher(vocabulary.concepts)
    reference_list = SpanIndex((r.start, r.end) for r in references if r.in_list)
    ordered = sorted(markers, key=lambda mk: mk.start)
    marker_starts = [mk.start for mk in ordered]
    section = ""
    claims: list[Claim] = []
    for seg in doc.segments:
        text = doc.text[seg.start : seg.end]
        if seg.role == SegmentRole.HEADING:
            section = text
            continue
        if seg.role not in CLAIM_ROLES:  # navigation, link text, captions, metadata …
            continue
        if reference_list.overlaps(seg.start, seg.end) or IGNORE_RE.search(text):
            continue
        lead_text = doc.text[seg.lead[0] : seg.lead[1]] if seg.lead else ""
        context = f"{section} {lead_text}"
        first, last = bisect_left(marker_starts, seg.start), bisect_left(marker_starts, seg.end)
        cited = tuple(dict.fromkeys(label for mk in ordered[first:last] for label in mk.labels))
        hedged = bool(HEDGE_RE.search(text) or (seg.role == SegmentRole.LIST_ITEM and HEDGE_RE.search(lead_text)))
        found = matcher.find(text)
        instructions = [(m.start(), m.end()) for m in INSTRUCTION_RE.finditer(text)]
        if instructions:
            inside = SpanIndex(instructions).contains
            found = [(concept, s, e) for concept, s, e in found if not inside(s)]
        in_warning = bool(SAFETY_SECTION_RE.search(context) or CONTRA_SECTION_RE.search(context))
        if in_warning and any(c.claim_type in _WARNING_TYPES for c, _, _ in found):
            # "Autoimmune flare risk: … during immune modulation": in a warning, the
            # mechanism or benefit words only describe the hazard.
            found = [(c, s, e) for c, s, e in found if c.claim_type not in _HAZARD_WORD_TYPES]
        seen: set[str] = set()
        for concept, s, e in found:
            if concept.iri in seen:
                continue
            seen.add(concept.iri)
            clause_start = max(text.rfind(",", 0, s), text.rfind(";", 0, s), text.rfind(":", 0, s), 0)
            negated = bool(NEGATION_RE.search(text[clause_start:s]))
            claims.append(
                Claim(
                    id=claim_id(doc, seg, concept),
                    document=doc.path,
                    text=text,
                    start=seg.start,
                    end=seg.end,
                    concept=concept,
                    match_start=seg.start + s,
                    match_end=seg.start + e,
                    hedged=hedged,
                    negated=negated,
                    cited=cited,
                    location=seg.location,
                    claim_type=_claim_type(concept, text, context),
                )
            )
    return claims


def _claim_type(concept: Concept, text: str, context: str) -> ClaimType:
    if concept.claim_type in (ClaimType.CONTRAINDICATION, ClaimType.DOSING):
        return concept.claim_type
    if CONTRA_SECTION_RE.search(context) or CONTRAINDICATION_CUE_RE.search(text):
        return ClaimType.CONTRAINDICATION
    if SAFETY_SECTION_RE.search(context):
        return ClaimType.SAFETY
    return concept.claim_type
