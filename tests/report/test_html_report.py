"""The HTML report as text: self-contained, every piece of outside text escaped, links safe.
(What a person sees in a browser is tested in test_html_browser.py.)"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from html.parser import HTMLParser

import pytest
from synthetic_audit import HOSTILE, build_synthetic_result

from ldn_graph.model import AuditResult
from ldn_graph.report.html import render_html, safe_inline_markup, safe_url
from ldn_graph.report.rows import esc
from ldn_graph.terms import Verdict


class Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.fixture(scope="module")
def result() -> AuditResult:
    return build_synthetic_result()


@pytest.fixture(scope="module")
def page(result: AuditResult) -> str:
    return render_html(result)


@pytest.fixture(scope="module")
def parsed(page: str) -> Collector:
    c = Collector()
    c.feed(page)
    return c


def test_hostile_text_is_escaped_everywhere(page: str, parsed: Collector) -> None:
    assert "<script" not in page.lower()
    assert HOSTILE not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>fast</b>" not in page and "&lt;b&gt;fast&lt;/b&gt;" in page
    assert "<em>blog</em>" not in page
    # the text a reader sees still says exactly what the document said
    assert HOSTILE in "".join(parsed.text)
    assert not any(tag == "script" for tag, _ in parsed.tags)


def test_self_contained_no_network_assets(page: str, parsed: Collector) -> None:
    for needle in ("<link", "<img", "<iframe", "<object", "<embed", "@import", "url(", " src=", "@font-face"):
        assert needle not in page.lower(), needle
    style = page[page.index("<style>") : page.index("</style>")]
    assert "http" not in style
    hrefs = [a["href"] or "" for tag, a in parsed.tags if tag == "a"]
    assert hrefs
    for href in hrefs:
        assert href.startswith("#") or re.match(r"https://(pubmed\.ncbi\.nlm\.nih\.gov|doi\.org|www\.ncbi\.nlm\.nih\.gov/pmc)/", href) or href.startswith(("http://", "https://")), href
    assert not any("javascript" in h.lower() for h in hrefs)
    assert "javascript:alert(2)" in "".join(parsed.text), "shown as text, never as a link"


def test_every_anchor_target_exists_once(parsed: Collector) -> None:
    ids = Counter(a["id"] for _, a in parsed.tags if a.get("id"))
    assert all(n == 1 for n in ids.values()), [i for i, n in ids.items() if n > 1]
    for tag, a in parsed.tags:
        if tag == "a" and (a.get("href") or "").startswith("#"):
            assert a["href"][1:] in ids, a["href"]


def test_claim_rows_carry_their_verdicts(result: AuditResult, parsed: Collector) -> None:
    rows = [(a["data-claim-id"], a["data-verdict"]) for tag, a in parsed.tags if tag == "tr" and "data-claim-id" in a]
    assert rows == [(c.id, d.assessment(c.id).verdict) for d in result.documents for c in d.claims]
    accepted = [a for tag, a in parsed.tags if tag == "tr" and "data-claim-id" in a and "data-suppressed" in a]
    assert len(accepted) == 1


def test_summary_findings_references(result: AuditResult, page: str, parsed: Collector) -> None:
    counts = {a["data-verdict"]: int(a["data-count"] or 0) for tag, a in parsed.tags if tag == "div" and "data-count" in a}
    summary = result.summary()
    assert counts == {v: summary[v] for v in counts} and len(counts) == len(Verdict)
    findings = [a for tag, a in parsed.tags if tag == "tr" and "data-kind" in a and "data-severity" in a]
    assert len(findings) == sum(len(d.findings) for d in result.documents)
    suppressed = [a for a in findings if "data-suppressed" in a]
    assert [a["data-kind"] for a in suppressed] == ["weak_evidence"]
    assert "Accepted by the medical reviewer: hedged wording &lt;ok&gt;" in page
    for pmid in ("23359310", "27797938", "29768149", "19041189", "17222320"):
        assert f'href="https://pubmed.ncbi.nlm.nih.gov/{pmid}/"' in page
    # the rationale sentence (the matching title) is quoted under the evidence
    assert "<blockquote>Low-dose naltrexone for the treatment of fibromyalgia" in page
    # the record title keeps its italics, and only those
    assert '<div class="rtitle">Leucocyte telomere length, genetic variants at the<i>TERT</i>gene region' in page
    # provenance of every cited record
    assert "transcribed bibliographic record" in page and "imported from a PubMed XML file" in page
    assert "retrieved 2026-11-22 · 10 days old" in page and "retrieved 2026-10-03 · 59 days old" in page
    assert "offline and not in the cache" in page


def test_the_map_is_inline_svg_and_well_formed(page: str) -> None:
    assert page.count("<svg") >= 2  # the map and the legend swatches
    start = page.index('<svg xmlns="http://www.w3.org/2000/svg" class="claim-map"')
    svg = page[start : page.index("</svg>", start) + len("</svg>")]
    root = ET.fromstring(svg)  # escaping errors would make this fail
    assert root.tag.endswith("svg")


def test_safe_inline_markup() -> None:
    assert safe_inline_markup("the <i>TERT</i> gene & <sup>2</sup>") == "the <i>TERT</i> gene &amp; <sup>2</sup>"
    assert safe_inline_markup("<i>open") is None
    assert safe_inline_markup("<i><b>x</i></b>") is None
    assert safe_inline_markup('<i class="x">y</i>') is None  # not a bare tag: stays text, unbalanced close
    assert safe_inline_markup("<script>x</script>") == "&lt;script&gt;x&lt;/script&gt;"
    assert safe_inline_markup('<img src=x onerror="alert(1)">') == "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"


def test_safe_url_and_esc() -> None:
    assert safe_url("https://example.org/a?b=1&c=2") == "https://example.org/a?b=1&c=2"
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("data:text/html,<script>") is None
    assert safe_url('https://x.org/"onmouseover=') is None
    assert esc('a<b>&"\'\x00\x1b') == "a&lt;b&gt;&amp;&quot;&#x27;"
