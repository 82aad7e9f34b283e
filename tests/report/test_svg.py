"""The claim map: well-formed SVG, one node per claim in its verdict colour, the right
edges between concepts and studies, and a layout without overlapping boxes."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from synthetic_audit import HOSTILE, build_synthetic_result

from ldn_graph.model import AuditResult
from ldn_graph.report.svg import (
    CLAIM_H,
    CONCEPT_H,
    STUDY_H,
    VERDICT_COLORS,
    _Node,
    claim_snippet,
    render_claim_map,
    spread,
)

NS = {"s": "http://www.w3.org/2000/svg"}


@pytest.fixture(scope="module")
def result() -> AuditResult:
    return build_synthetic_result()


@pytest.fixture(scope="module")
def svg(result: AuditResult) -> ET.Element:
    return ET.fromstring(render_claim_map(result))


def _boxes(svg: ET.Element, cls: str) -> list[tuple[ET.Element, float, float]]:
    out = []
    for g in svg.iter("{http://www.w3.org/2000/svg}g"):
        if g.get("class") == cls:
            rect = g.find("s:rect", NS)
            assert rect is not None
            out.append((g, float(rect.get("y", "0")), float(rect.get("height", "0"))))
    return out


def test_one_node_per_claim_in_its_verdict_colour(result: AuditResult, svg: ET.Element) -> None:
    nodes = _boxes(svg, "claim-node")
    expected = [(c.id, d.assessment(c.id).verdict) for d in result.documents for c in d.claims]
    assert [(g.get("data-claim-id"), g.get("data-verdict")) for g, _, _ in nodes] == expected
    for g, _, _ in nodes:
        rect = g.find("s:rect", NS)
        assert rect is not None
        assert rect.get("stroke") == VERDICT_COLORS[g.get("data-verdict") or ""][0]
    red = [g for g, _, _ in nodes if g.get("data-verdict") == "unsupported"]
    assert red and all(g.find("s:rect", NS).get("stroke") == "#cf222e" for g in red)  # type: ignore[union-attr]


def test_hostile_text_stays_text(svg: ET.Element) -> None:
    text = " ".join("".join(t.itertext()) for t in svg.iter("{http://www.w3.org/2000/svg}title"))
    assert HOSTILE in text
    assert not list(svg.iter("{http://www.w3.org/2000/svg}script"))


def test_edges_between_concepts_and_studies(svg: ET.Element) -> None:
    kinds = {}
    for p in svg.iter("{http://www.w3.org/2000/svg}path"):
        cls = p.get("class") or ""
        if cls.startswith("edge-"):
            title = "".join(p.find("s:title", NS).itertext())  # type: ignore[union-attr]
            kinds[title.split(": ")[0]] = cls
    assert kinds["Fibromyalgia → PMID 23359310"] == "edge-supported"
    assert kinds["Crohn's disease & colitis → PMID 27797938"] == "edge-off_topic"
    assert kinds["Sleep → PMID 29768149"] == "edge-not_retrieved"
    assert kinds["Fatigue → PMID 19041189"] == "edge-inferred"
    assert kinds["Crohn's disease & colitis → PMID 17222320"] == "edge-inferred"


def test_no_overlapping_boxes_and_all_inside(svg: ET.Element) -> None:
    height = float(svg.get("height", "0"))
    for cls, h in (("claim-node", CLAIM_H), ("concept-node", CONCEPT_H), ("study-node", STUDY_H)):
        boxes = sorted((y, hh) for _, y, hh in _boxes(svg, cls))
        assert boxes, cls
        assert all(hh == h for _, hh in boxes)
        for (y1, h1), (y2, _h2) in zip(boxes, boxes[1:], strict=False):
            assert y2 >= y1 + h1, (cls, y1, y2)
        assert boxes[0][0] >= 0 and boxes[-1][0] + boxes[-1][1] <= height


def test_spread_keeps_order_and_spacing() -> None:
    nodes = [_Node("a", desired=50), _Node("b", desired=52), _Node("c", desired=10), _Node("d", desired=400)]
    bottom = spread(nodes, 20, 0)
    ys = {n.key: n.y for n in nodes}
    assert ys["c"] < ys["a"] < ys["b"] < ys["d"]
    ordered = sorted(ys.values())
    assert all(b - a >= 20 for a, b in zip(ordered, ordered[1:], strict=False))
    assert ys["d"] == 400 and bottom == 420


def test_claim_snippet_keeps_the_concept_words(result: AuditResult) -> None:
    for d in result.documents:
        for c in d.claims:
            before, match, after = claim_snippet(c, 30)
            assert match == " ".join(c.text[c.match_start - c.start : c.match_end - c.start].split())
            assert len(before + match + after) <= 31
