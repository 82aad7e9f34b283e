"""The claim map: an AuditResult drawn as an inline SVG, laid out in columns.

Documents → claims → concepts → studies, one horizontal band per document. Each claim is a row coloured by its verdict
(unsupported claims are red); concepts and studies sit at the average height of what
they connect to, so edges stay short and mostly horizontal. Studies are linked from
the concepts they were checked for: green where a study backs a claim, dashed magenta
where a study was cited for a concept it does not address, dashed grey where the
record could not be retrieved.

Pure string building, no graphviz; every piece of text is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from ldn_graph.model import AuditResult, Claim, DocumentAudit
from ldn_graph.report.rows import (
    PROBLEMS_FIRST,
    ClaimRow,
    claim_rows,
    esc,
    file_name,
    record_info,
    verdict_counts,
)
from ldn_graph.terms import Direction, ReferenceKind, Verdict
from ldn_graph.text import one_line

VERDICT_COLORS: dict[Verdict, tuple[str, str]] = {
    # verdict: (stroke/text, fill)
    Verdict.SUPPORTED: ("#1a7f37", "#dafbe1"),
    Verdict.CONTRADICTED: ("#a40e26", "#ffd8d3"),
    Verdict.INFERRED: ("#0969da", "#ddf4ff"),
    Verdict.OFF_TOPIC: ("#8250df", "#fbefff"),
    Verdict.UNVERIFIED: ("#9a6700", "#fff8c5"),
    Verdict.UNSUPPORTED: ("#cf222e", "#ffebe9"),
}


class EdgeKind(StrEnum):
    """How a concept is linked to a study on the map (declaration order: which link wins
    when a concept meets a study twice)."""

    SUPPORTED = "supported"
    INFERRED = "inferred"
    NULL_RESULT = "null_result"
    OFF_TOPIC = "off_topic"
    NOT_RETRIEVED = "not_retrieved"


EDGE_STYLE: dict[EdgeKind, tuple[str, str, float]] = {
    # kind: (colour, dash pattern or "", width)
    EdgeKind.SUPPORTED: (VERDICT_COLORS[Verdict.SUPPORTED][0], "", 2.2),
    EdgeKind.INFERRED: (VERDICT_COLORS[Verdict.INFERRED][0], "", 1.8),
    EdgeKind.NULL_RESULT: ("#9a6700", "5 3", 1.6),
    EdgeKind.OFF_TOPIC: (VERDICT_COLORS[Verdict.OFF_TOPIC][0], "5 3", 1.6),
    EdgeKind.NOT_RETRIEVED: ("#8c959f", "2 3", 1.4),
}

#: What each kind of link means, for the legend beside the map.
EDGE_LEGEND: dict[EdgeKind, str] = {
    EdgeKind.SUPPORTED: "study backs the claim",
    EdgeKind.INFERRED: "backed only via the reference list",
    EdgeKind.NULL_RESULT: "study reports no effect",
    EdgeKind.OFF_TOPIC: "cited, but about something else",
    EdgeKind.NOT_RETRIEVED: "cited, record not retrieved",
}
_EDGE_RANK = {kind: i for i, kind in enumerate(EdgeKind)}

# geometry (px)
MARGIN = 12
TOP = 40  # room for the column titles
DOC_X, DOC_W = MARGIN, 164
CLAIM_X, CLAIM_W = 206, 336
CONCEPT_X, CONCEPT_W = 596, 212
STUDY_X, STUDY_W = 872, 220
WIDTH = STUDY_X + STUDY_W + MARGIN
CLAIM_PITCH, CLAIM_H = 19, 15
DOC_GAP = 22
CONCEPT_PITCH, CONCEPT_H = 25, 19
STUDY_PITCH, STUDY_H = 40, 33
FONT = 10.5
CHAR_W = 6.3  # average advance of the sans-serif font at FONT px, for truncation
BOLD_W = 7.0


def truncate(text: str, limit: int) -> str:
    text = one_line(text)
    return text if len(text) <= limit else text[: max(1, limit - 1)].rstrip() + "…"


def claim_snippet(claim: Claim, limit: int) -> tuple[str, str, str]:
    """(before, match, after) of the claim text, a window around the words that named the concept."""
    text = claim.text
    start, end = claim.match_start - claim.start, claim.match_end - claim.start
    if not (0 <= start < end <= len(text)):
        return truncate(text, limit), "", ""
    before, match, after = text[:start], text[start:end], text[end:]
    before, match, after = one_line(before), one_line(match), one_line(after)
    if before and text[start - 1].isspace():
        before += " "
    if after and text[end].isspace():
        after = " " + after
    match = truncate(match, limit)
    room = max(0, limit - len(match))
    keep_before = min(len(before), max(room // 3, room - len(after)))
    if keep_before < len(before):
        before = "…" + before[len(before) - max(0, keep_before - 1):]
    room_after = max(0, limit - len(match) - len(before))
    if len(after) > room_after:
        after = after[: max(0, room_after - 1)] + "…" if room_after > 1 else ""
    return before, match, after


@dataclass
class _Node:
    key: str
    y: float = 0.0  # top
    desired: float = 0.0
    links: list[float] = field(default_factory=list)


def spread(nodes: Sequence[_Node], pitch: float, top: float) -> float:
    """Place nodes in order of their desired height without overlap; return the bottom."""
    ordered = sorted(nodes, key=lambda n: (n.desired, n.key))
    y = top
    for n in ordered:
        n.y = max(n.desired, y)
        y = n.y + pitch
    # pull back up if the column ran far below its wish list (keeps short columns centred)
    bottom = max((n.desired for n in ordered), default=top) + pitch
    for i in range(len(ordered) - 1, -1, -1):
        limit = bottom - pitch if i == len(ordered) - 1 else ordered[i + 1].y - pitch
        ordered[i].y = max(top if i == 0 else ordered[i - 1].y + pitch, min(ordered[i].y, limit))
    return max((n.y + pitch for n in ordered), default=top)


def _curve(x1: float, y1: float, x2: float, y2: float) -> str:
    mid = (x1 + x2) / 2
    return f"M{x1:.1f},{y1:.1f} C{mid:.1f},{y1:.1f} {mid:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"


def _wrap(text: str, width: int, lines: int) -> list[str]:
    words, out, line = text.split(), [], ""
    for w in words:
        if len(line) + len(w) + (1 if line else 0) <= width:
            line = f"{line} {w}" if line else w
        else:
            if line:
                out.append(line)
            while len(w) > width:  # a long file name: break after . _ - if possible
                cut = max(w.rfind(ch, 1, width) for ch in "._-")
                cut = cut if cut > width // 2 else width
                out.append(w[:cut])
                w = w[cut:]
            line = w
    if line:
        out.append(line)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = truncate(out[-1] + " …", width)
    return out


@dataclass
class _Band:
    """One document's horizontal band of the map: its claims, concepts and studies."""

    doc: DocumentAudit
    top: float
    bottom: float = 0.0
    rows: list[tuple[ClaimRow, float]] = field(default_factory=list)  # (row, centre y)
    concepts: dict[str, _Node] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    verdicts: dict[str, list[Verdict]] = field(default_factory=dict)
    studies: dict[str, _Node] = field(default_factory=dict)
    edges: dict[tuple[str, str], EdgeKind] = field(default_factory=dict)  # (concept, pmid) -> kind

    def add_edge(self, iri: str, pmid: str, kind: EdgeKind) -> None:
        old = self.edges.get((iri, pmid))
        if old is None or _EDGE_RANK[kind] < _EDGE_RANK[old]:
            self.edges[(iri, pmid)] = kind


def layout_band(result: AuditResult, doc: DocumentAudit, top: float) -> _Band:
    band = _Band(doc, top)
    y = top
    for row in claim_rows(doc):
        band.rows.append((row, y + CLAIM_H / 2))
        y += CLAIM_PITCH
    claims_bottom = y - CLAIM_PITCH + CLAIM_H if doc.claims else top + 64
    # concepts, at the mean height of their claims
    for row, cy in band.rows:
        iri = row.claim.concept.iri
        band.concepts.setdefault(iri, _Node(iri)).links.append(cy)
        band.labels[iri] = row.claim.concept.label
        band.verdicts.setdefault(iri, []).append(row.verdict)
    for node in band.concepts.values():
        node.desired = sum(node.links) / len(node.links) - CONCEPT_H / 2
    concepts_bottom = spread(list(band.concepts.values()), CONCEPT_PITCH, top) - (CONCEPT_PITCH - CONCEPT_H)
    # studies: every PubMed reference of the document, linked from the concepts checked against it
    labels = {r.label: r for r in doc.references}
    for r in doc.references:
        if r.kind == ReferenceKind.PUBMED and r.pmid:
            band.studies.setdefault(r.pmid, _Node(r.pmid))
    for row, _cy in band.rows:
        iri = row.claim.concept.iri
        backed = set()
        for ev in row.assessment.evidence:
            band.studies.setdefault(ev.pmid, _Node(ev.pmid))
            backed.add(ev.pmid)
            if Direction(ev.direction).contradicts:
                band.add_edge(iri, ev.pmid, EdgeKind.NULL_RESULT)
            else:
                band.add_edge(iri, ev.pmid, EdgeKind.SUPPORTED if row.verdict is Verdict.SUPPORTED else EdgeKind.INFERRED)
        for label in row.claim.cited:
            ref = labels.get(label)
            if ref is None or ref.kind != ReferenceKind.PUBMED or not ref.pmid or ref.pmid in backed:
                continue
            band.studies.setdefault(ref.pmid, _Node(ref.pmid))
            band.add_edge(iri, ref.pmid, EdgeKind.OFF_TOPIC if ref.pmid in result.records else EdgeKind.NOT_RETRIEVED)
    for (iri, pmid), _kind in band.edges.items():
        band.studies[pmid].links.append(band.concepts[iri].y + CONCEPT_H / 2)
    for node in band.studies.values():
        node.desired = (sum(node.links) / len(node.links) - STUDY_H / 2) if node.links else claims_bottom
    studies_bottom = spread(list(band.studies.values()), STUDY_PITCH, top) - (STUDY_PITCH - STUDY_H)
    band.bottom = max(claims_bottom, concepts_bottom, studies_bottom)
    return band


def render_claim_map(result: AuditResult, *, title: str = "Claim map") -> str:
    """The whole audit as one ``<svg>`` element: one band per document, in columns
    documents → claims → concepts → studies."""
    bands: list[_Band] = []
    y = float(TOP)
    for d in result.documents:
        band = layout_band(result, d, y)
        bands.append(band)
        y = band.bottom + DOC_GAP
    height = (bands[-1].bottom if bands else TOP) + MARGIN
    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="claim-map" role="img" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" width="{WIDTH}" height="{height:.0f}" '
        f'aria-labelledby="map-title" font-size="{FONT}">',
        f'<title id="map-title">{esc(title)}</title>',
    ]
    for x, w, label in (
        (DOC_X, DOC_W, "Documents"),
        (CLAIM_X, CLAIM_W, "Claims (sentence × concept)"),
        (CONCEPT_X, CONCEPT_W, "Concepts"),
        (STUDY_X, STUDY_W, "Cited PubMed studies"),
    ):
        out.append(f'<text class="col-title" x="{x + w / 2:.0f}" y="18" text-anchor="middle">{esc(label)}</text>')
    for i, band in enumerate(bands):
        if i:
            sep = band.top - DOC_GAP / 2
            out.append(f'<path d="M{MARGIN},{sep:.1f} H{WIDTH - MARGIN}" stroke="#d0d7de" stroke-dasharray="4 4"/>')
        out.extend(_draw_band(result, band))
    out.append("</svg>")
    return "\n".join(out)


def _draw_band(result: AuditResult, band: _Band) -> list[str]:
    out: list[str] = []
    # edges first, so nodes sit on top
    out.append('<g class="edges" fill="none">')
    for _row, cy in band.rows:
        out.append(f'<path d="M{DOC_X + DOC_W},{cy:.1f} H{CLAIM_X}" stroke="#d0d7de" stroke-width="1"/>')
    for row, cy in band.rows:
        stroke, _ = VERDICT_COLORS[row.verdict]
        concept = band.concepts[row.claim.concept.iri]
        out.append(
            f'<path d="{_curve(CLAIM_X + CLAIM_W, cy, CONCEPT_X, concept.y + CONCEPT_H / 2)}" '
            f'stroke="{stroke}" stroke-opacity="0.5" stroke-width="1.1"/>'
        )
    for (iri, pmid), kind in sorted(band.edges.items(), key=lambda kv: -_EDGE_RANK[kv[1]]):
        colour, dash, width = EDGE_STYLE[kind]
        c, s = band.concepts[iri], band.studies[pmid]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<path class="edge-{kind}" d="{_curve(CONCEPT_X + CONCEPT_W, c.y + CONCEPT_H / 2, STUDY_X, s.y + STUDY_H / 2)}" '
            f'stroke="{colour}" stroke-width="{width}"{dash_attr}><title>{esc(band.labels[iri])} → PMID {esc(pmid)}: '
            f'{esc(kind.replace("_", " "))}</title></path>'
        )
    out.append("</g>")

    # the document
    d = band.doc
    counts = verdict_counts(d)
    name = file_name(d)
    out.append(
        f'<g class="document-node"><title>{esc(d.document.path)}</title>'
        f'<rect x="{DOC_X}" y="{band.top - 2:.1f}" width="{DOC_W}" height="{band.bottom - band.top + 4:.1f}" rx="6" '
        f'fill="#f6f8fa" stroke="#8c959f"/>'
    )
    ty = band.top + 14
    for line in _wrap(name, int((DOC_W - 14) / BOLD_W), 3):
        out.append(f'<text x="{DOC_X + 8}" y="{ty:.1f}" font-weight="600">{esc(line)}</text>')
        ty += 13
    out.append(f'<text x="{DOC_X + 8}" y="{ty:.1f}" fill="#57606a">{len(d.claims)} claims</text>')
    ty += 13
    for verdict in PROBLEMS_FIRST:
        if counts.get(verdict) and ty < band.bottom - 2:
            colour, _ = VERDICT_COLORS[verdict]
            out.append(
                f'<text x="{DOC_X + 8}" y="{ty:.1f}" fill="{colour}">{counts[verdict]} {esc(verdict.replace("_", "-"))}</text>'
            )
            ty += 13
    out.append("</g>")

    # claims
    limit = int((CLAIM_W - 36) / 6.6)  # room for some bold words
    for row, cy in band.rows:
        stroke, fill = VERDICT_COLORS[row.verdict]
        before, match, after = claim_snippet(row.claim, limit)
        top = cy - CLAIM_H / 2
        strong = row.verdict is Verdict.UNSUPPORTED
        tip = f"#{row.number} {row.verdict.upper()}: {row.claim.text}\n{row.claim.concept.label} — {row.assessment.reason}"
        if row.suppressed:
            tip += f"\naccepted: {row.suppressed}"
        out.append(
            f'<a href="#{esc(row.anchor)}"><g class="claim-node" data-claim-id="{esc(row.claim.id)}" '
            f'data-verdict="{esc(row.verdict)}"><title>{esc(tip)}</title>'
            f'<rect x="{CLAIM_X}" y="{top:.1f}" width="{CLAIM_W}" height="{CLAIM_H}" rx="3" fill="{fill}" '
            f'stroke="{stroke}" stroke-width="{1.3 if strong else 0.8}"/>'
            f'<rect x="{CLAIM_X}" y="{top:.1f}" width="4" height="{CLAIM_H}" fill="{stroke}"/>'
            f'<text x="{CLAIM_X + 24}" y="{cy + 3.6:.1f}" text-anchor="end" fill="#57606a">{row.number}</text>'
            f'<text x="{CLAIM_X + 30}" y="{cy + 3.6:.1f}" fill="#1f2328">{esc(before)}'
            f'<tspan font-weight="700" fill="{stroke}">{esc(match)}</tspan>{esc(after)}</text></g></a>'
        )

    # concepts
    for iri, node in band.concepts.items():
        verdicts = band.verdicts[iri]
        n_bad = sum(1 for v in verdicts if v is Verdict.UNSUPPORTED)
        label = truncate(band.labels[iri], int((CONCEPT_W - 34) / CHAR_W))
        out.append(
            f'<g class="concept-node" data-concept="{esc(iri)}"><title>{esc(band.labels[iri])}: {len(verdicts)} claim(s) '
            f'in this document, {n_bad} unsupported\n{esc(iri)}</title>'
            f'<rect x="{CONCEPT_X}" y="{node.y:.1f}" width="{CONCEPT_W}" height="{CONCEPT_H}" rx="9" '
            f'fill="#ffffff" stroke="#57606a"/>'
            f'<text x="{CONCEPT_X + 9}" y="{node.y + CONCEPT_H / 2 + 3.6:.1f}" fill="#1f2328">{esc(label)}</text>'
            f'<text x="{CONCEPT_X + CONCEPT_W - 8}" y="{node.y + CONCEPT_H / 2 + 3.6:.1f}" text-anchor="end" '
            f'font-weight="600" fill="{VERDICT_COLORS[Verdict.UNSUPPORTED][0] if n_bad else "#57606a"}">{len(verdicts)}</text></g>'
        )

    # studies
    backing = {pmid for (_iri, pmid), kind in band.edges.items() if kind in (EdgeKind.SUPPORTED, EdgeKind.INFERRED)}
    for pmid, node in band.studies.items():
        info = record_info(result, pmid)
        if not info.checked:
            fill, stroke, dash = "#f6f8fa", "#8c959f", ' stroke-dasharray="3 3"'
        elif pmid in backing:
            fill, stroke, dash = VERDICT_COLORS[Verdict.SUPPORTED][1], VERDICT_COLORS[Verdict.SUPPORTED][0], ""
        else:
            fill, stroke, dash = "#ffffff", "#57606a", ""
        second = info.citation or ("not retrieved" if not info.checked else "")
        first = f"PMID {pmid}" + (" · title only" if info.title_only else "")
        tip = f"PMID {pmid}: {info.title or ''}\n{info.summary}"
        out.append(
            f'<a href="#ref-pmid-{esc(pmid)}"><g class="study-node" data-pmid="{esc(pmid)}"><title>{esc(tip)}</title>'
            f'<rect x="{STUDY_X}" y="{node.y:.1f}" width="{STUDY_W}" height="{STUDY_H}" rx="5" fill="{fill}" '
            f'stroke="{stroke}"{dash}/>'
            f'<text x="{STUDY_X + 8}" y="{node.y + 13.5:.1f}" font-weight="600" fill="#1f2328">{esc(first)}</text>'
            f'<text x="{STUDY_X + 8}" y="{node.y + 27:.1f}" fill="#57606a">'
            f'{esc(truncate(second, int((STUDY_W - 14) / CHAR_W)))}</text></g></a>'
        )
    return out
