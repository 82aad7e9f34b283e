"""Span lookups: what a set of spans covers in a range, and the text without them."""

from __future__ import annotations

from ldn_graph.extract.spans import SpanIndex


def test_within_gives_the_covered_parts_of_a_range_merged_and_clipped():
    spans = SpanIndex([(10, 20), (15, 25), (30, 35), (5, 5)])
    assert list(spans.within(12, 32)) == [(12, 25), (30, 32)]
    assert list(spans.within(0, 10)) == []
    assert spans.overlaps(24, 26) and not spans.overlaps(25, 30)
    assert spans.contains(30) and not spans.contains(35)


def test_cut_drops_the_spans_or_blanks_them_in_place():
    text = "LDN [eases pain](https://example.org) at night."
    link_target = (text.index("("), text.index(")") + 1)
    spans = SpanIndex([link_target])
    assert spans.cut(text, 0, len(text)) == "LDN [eases pain] at night."
    blanked = spans.cut(text, 0, len(text), keep_offsets=True)
    assert len(blanked) == len(text) and "example" not in blanked
    assert blanked.index("at night") == text.index("at night")
    assert spans.cut(text, 4, 10) == text[4:10]
