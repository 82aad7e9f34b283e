"""Reports: every format comes from the same AuditResult and agrees on every verdict;
every format says what was checked (tool, vocabulary hash, time, record origins and ages,
accepted findings); the terminal table is plain without colour; text is escaped."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from synthetic_audit import HOSTILE, RUN_AT, build_synthetic_result

from ldn_graph.audit import AuditOptions, audit
from ldn_graph.model import AuditResult
from ldn_graph.report.formats import RENDERERS
from ldn_graph.report.json import SCHEMA, render_json, to_json_dict
from ldn_graph.report.markdown import md_escape, render_markdown
from ldn_graph.report.rows import age_days, coverage, record_info
from ldn_graph.report.table import render_table
from ldn_graph.resources import example_paths

ANSI = re.compile(r"\x1b\[")
MONOGRAPH = "001_4aaa9d78fd1a3130.txt"


# --------------------------------------------------------------------------- parsers of each format


def table_verdicts(text: str) -> list[list[tuple[int, str]]]:
    """(claim number, verdict) per document from the plain terminal table."""
    docs: list[list[tuple[int, str]]] = []
    for line in text.splitlines():
        if line.startswith("┌"):
            docs.append([])
        elif line.startswith("│") and docs:
            cells = [c.strip() for c in line.split("│")[1:-1]]
            if cells and cells[0].isdigit():
                docs[-1].append((int(cells[0]), cells[3]))
    return docs


def markdown_verdicts(text: str) -> list[list[tuple[int, str]]]:
    docs: list[list[tuple[int, str]]] = []
    in_claims = False
    for line in text.splitlines():
        if line.startswith("## "):
            docs.append([])
            in_claims = False
        elif line.startswith("| # | Claim |"):
            in_claims = True
        elif in_claims and line.startswith("| ") and not line.startswith("|---"):
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
            verdict = re.fullmatch(r"\*\*(\w+)\*\*(?: \(accepted\))?", cells[3])
            assert verdict, cells[3]
            docs[-1].append((int(cells[0]), verdict.group(1)))
        elif not line.startswith("|"):
            in_claims = in_claims and line == ""
    return docs


class ClaimRowParser(HTMLParser):
    """Rows of the HTML claims tables: data attributes and the verdict cell's visible text."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, Any]] = []
        self._row: dict[str, Any] | None = None
        self._in_verdict = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "tr" and "data-claim-id" in a:
            self._row = {"id": a["data-claim-id"], "verdict": a["data-verdict"], "shown": ""}
            self.rows.append(self._row)
        elif tag == "td" and self._row is not None and a.get("class") == "verdict":
            self._in_verdict = 1
        elif tag == "span" and self._in_verdict and "badge" in (a.get("class") or ""):
            self._in_verdict = 2

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self._in_verdict == 2:
            self._in_verdict = 1
        elif tag == "td":
            self._in_verdict = 0
        elif tag == "tr":
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._in_verdict == 2 and self._row is not None:
            self._row["shown"] += data


def html_rows(text: str) -> list[dict[str, Any]]:
    parser = ClaimRowParser()
    parser.feed(text)
    return parser.rows


def expected_verdicts(result: AuditResult) -> list[list[tuple[int, str]]]:
    return [
        [(n, d.assessment(c.id).verdict) for n, c in enumerate(d.claims, 1)] for d in result.documents
    ]


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def examples_result(tmp_path_factory: pytest.TempPathFactory) -> AuditResult:
    cache = tmp_path_factory.mktemp("cache")
    return audit(example_paths(), AuditOptions(offline=True, cache_dir=cache))


@pytest.fixture(scope="module")
def monograph_result(tmp_path_factory: pytest.TempPathFactory) -> AuditResult:
    (path,) = [p for p in example_paths() if Path(p).name == MONOGRAPH]
    cache = tmp_path_factory.mktemp("cache")
    return audit([path], AuditOptions(offline=True, cache_dir=cache))


@pytest.fixture(scope="module")
def synthetic() -> AuditResult:
    return build_synthetic_result()


# --------------------------------------------------------------------------- the formats agree


def assert_formats_agree(result: AuditResult) -> None:
    expected = expected_verdicts(result)
    assert sum(len(d) for d in expected) == result.summary()["claims"] > 0
    assert table_verdicts(render_table(result, color=False, width=200)) == expected
    assert markdown_verdicts(render_markdown(result)) == expected
    rows = html_rows(RENDERERS["html"](result, color=False))
    by_id = {c.id: d.assessment(c.id).verdict for d in result.documents for c in d.claims}
    assert [(r["id"], r["verdict"]) for r in rows] == list(by_id.items())
    assert all(r["shown"] == r["verdict"].replace("_", "-") for r in rows)
    data = json.loads(render_json(result))
    assert [(c["id"], c["verdict"]) for d in data["documents"] for c in d["claims"]] == list(by_id.items())


def test_all_formats_agree_on_every_verdict_of_the_monograph(monograph_result: AuditResult) -> None:
    verdicts = {a.verdict for d in monograph_result.documents for a in d.assessments}
    assert len(verdicts) >= 2, "the monograph should exercise more than one verdict"
    assert_formats_agree(monograph_result)


def test_all_formats_agree_on_the_examples(examples_result: AuditResult) -> None:
    assert_formats_agree(examples_result)


def test_all_formats_agree_on_every_verdict_kind(synthetic: AuditResult) -> None:
    verdicts = {a.verdict for d in synthetic.documents for a in d.assessments}
    assert verdicts == {"supported", "inferred", "off_topic", "unverified", "unsupported"}
    assert_formats_agree(synthetic)


def test_the_parsers_see_a_changed_verdict(synthetic: AuditResult) -> None:
    """The agreement checks can fail: a verdict edited in one rendering is noticed."""
    md = render_markdown(synthetic).replace("| **supported** |", "| **unsupported** |", 1)
    assert markdown_verdicts(md) != expected_verdicts(synthetic)
    table = render_table(synthetic, color=False, width=200).replace("│ supported   │", "│ off_topic   │", 1)
    assert table_verdicts(table) != expected_verdicts(synthetic)


# --------------------------------------------------------------------------- terminal


def test_plain_table_has_no_escape_sequences(synthetic: AuditResult, examples_result: AuditResult) -> None:
    for result in (synthetic, examples_result):
        text = render_table(result, color=False)
        assert not ANSI.search(text)
        assert "\x1b" not in text
    coloured = render_table(synthetic, color=True)
    assert ANSI.search(coloured), "with colour the verdicts are styled"
    assert "\x1b[1;31munsupported" in coloured  # bold red


def test_table_groups_by_document_and_ends_with_a_summary(synthetic: AuditResult) -> None:
    text = render_table(synthetic, color=False, width=180)
    lines = text.splitlines()
    assert lines[-1] == "8 claims in 2 document(s): 1 supported, 2 inferred, 0 contradicted, 1 off-topic, 1 unverified, 3 unsupported"
    titles = [ln for ln in lines if "claims:" in ln and ln.rstrip().endswith("unsupported")]
    assert titles[0].startswith(f"pages/synthetic {HOSTILE}.html — 5 claims")
    assert titles[1].startswith("monograph-synthetic.txt — 3 claims")
    for header in ("Claim", "Concept", "Verdict", "Best evidence", "Reason"):
        assert header in text
    assert "PMID 23359310 (rct, title)" in text
    assert all(len(ln) <= 180 for ln in lines)
    assert not any(ln != ln.rstrip() for ln in lines)


# --------------------------------------------------------------------------- provenance in every format


def test_every_format_says_what_was_checked(synthetic: AuditResult) -> None:
    run = synthetic.run
    for name in ("table", "markdown", "html", "json"):
        text = render_table(synthetic, color=False, width=400) if name == "table" else RENDERERS[name](synthetic, color=False)
        assert run.tool_version in text, name
        assert run.vocabulary_source in text, name
        assert run.vocabulary_sha256 in text, name
        assert run.generated_at in text, name
        # origins and ages of the cited records
        assert "transcribed" in text, name
        assert "imported" in text, name
        if name != "json":
            assert "10 days old" in text, name  # seed records retrieved 2026-11-22, run 2026-12-02
            assert "59 days old" in text, name
            assert "title only" in text, name
            assert "offline and not in the cache" in text, name
        # the accepted finding with its justification, and the accepted claim
        assert "Accepted by the medical reviewer" in text, name
        assert "approved in review #12" in text, name


def test_json_keeps_its_contract_and_adds_ages(synthetic: AuditResult) -> None:
    data = to_json_dict(synthetic)
    assert data["schema"] == SCHEMA == "ldn-graph/audit/2"
    assert set(data) == {"schema", "provenance", "errors", "documents", "summary"}
    assert {"tool_version", "vocabulary", "generated_at"} <= set(data["provenance"])
    assert data["provenance"]["vocabulary"] == {"path": synthetic.run.vocabulary_source, "sha256": synthetic.run.vocabulary_sha256}
    refs = {r["label"]: r for r in data["documents"][0]["references"]}
    assert refs["1"]["record_origin"] == "transcribed" and refs["1"]["record_age_days"] == 10
    assert refs["2"]["record_origin"] == "imported" and refs["2"]["record_age_days"] == 59
    assert refs["3"]["record_origin"] is None and refs["3"]["unavailable"] == "offline and not in the cache"
    assert refs["4"]["record_age_days"] is None
    claim = data["documents"][0]["claims"][4]
    assert claim["suppressed"] == "Hedged FAQ answer, approved in review #12"
    assert {"id", "text", "start", "end", "location", "concept", "label", "mesh", "type", "hedged", "cited",
            "verdict", "reason", "evidence"} <= set(claim)
    cov = data["provenance"]["coverage"]
    assert cov == {
        "pubmed_references": 5,
        "records_by_origin": {"imported": 1, "transcribed": 3},
        "title_only": 3,
        "not_retrieved": 1,
        "other_sources": 1,
        "oldest_record_days": 59,
    }
    assert data["summary"] == synthetic.summary()


def test_record_info_and_coverage(synthetic: AuditResult) -> None:
    info = record_info(synthetic, "23359310")
    assert (info.origin, info.age_days, info.title_only) == ("transcribed", 10, True)
    assert info.citation == "Younger J et al. · Arthritis Rheum 2013"
    missing = record_info(synthetic, "29768149")
    assert not missing.checked and missing.summary == "not retrieved: offline and not in the cache"
    text = coverage(synthetic).sentence()
    assert text.startswith("4 of 5 cited PubMed record(s) checked (1 imported, 3 transcribed)")
    assert "1 could not be retrieved" in text


@pytest.mark.parametrize(
    ("retrieved", "now", "days"),
    [
        ("2026-11-22T00:00:00+00:00", RUN_AT, 10),
        ("2026-12-01T23:59:59+00:00", RUN_AT, 0),
        ("2026-12-03T00:00:00+00:00", RUN_AT, 0),  # a clock ahead never gives a negative age
        ("2026-11-22T00:00:00Z", "2026-11-23T00:00:00", 1),
        ("not a date", RUN_AT, None),
        (None, RUN_AT, None),
    ],
)
def test_age_days(retrieved: str | None, now: str, days: int | None) -> None:
    assert age_days(retrieved, now) == days


# --------------------------------------------------------------------------- Markdown


def test_markdown_is_a_paste_ready_ticket(synthetic: AuditResult) -> None:
    md = render_markdown(synthetic)
    assert md.startswith("# ldn-graph audit\n")
    assert "**8 claims in 2 document(s): 1 supported, 2 inferred, 0 contradicted, 1 off-topic, 1 unverified, 3 unsupported.**" in md
    # hostile text is inert: no raw HTML tag survives outside code spans, table cells are not split
    prose = re.sub(r"`[^`\n]*`", "", md)
    assert "<script>" not in prose and "<b>" not in prose and "<em>" not in prose
    assert f"`missing {HOSTILE}.docx`" in md
    assert r"\<script\>alert(1)\</script\>" in md
    for line in md.splitlines():
        if line.startswith("| ") and not line.startswith("|---"):
            assert len(re.split(r"(?<!\\)\|", line)) in (5, 8), line
    # the accepted finding is struck through with its justification
    assert "- ~~**warning** `weak_evidence` (claim #5, reference [5])" in md
    assert "— accepted: Accepted by the medical reviewer: hedged wording \\<ok\\>" in md
    # per-claim findings are grouped, the others listed
    assert "- **error** `unsupported_claim` on 1 claim (see the table): #3" in md
    assert "<https://pubmed.ncbi.nlm.nih.gov/23359310/>" in md
    assert "javascript:" not in md.split("### References")[0]


def test_md_escape() -> None:
    assert md_escape("a | b\nc") == r"a \| b c"
    assert md_escape("*x* _y_ `z` [l](u) <t> # ~") == r"\*x\* \_y\_ \`z\` \[l\](u) \<t\> # \~"


# --------------------------------------------------------------------------- the registry


def test_renderers_share_one_signature(synthetic: AuditResult) -> None:
    assert list(RENDERERS) == ["table", "markdown", "json", "jsonl", "html"]
    for name, render in RENDERERS.items():
        for color in (True, False):
            text = render(synthetic, color=color)
            assert isinstance(text, str) and text.endswith("\n"), name
    assert RENDERERS["json"](synthetic, color=True) == RENDERERS["json"](synthetic, color=False)


# --------------------------------------------------------------------------- orders, legends, layering


def test_orders_and_legends_come_from_terms() -> None:
    from ldn_graph.report import html, rows, svg, table
    from ldn_graph.terms import GATE_VERDICTS, Origin, Severity, Verdict

    assert set(rows.VERDICT_MEANING) == set(Verdict)
    assert set(svg.VERDICT_COLORS) == set(Verdict)
    assert set(table.VERDICT_STYLE) == set(Verdict)
    assert set(table.SEVERITY_STYLE) == set(Severity)
    assert set(rows.ORIGIN_TEXT) == set(Origin)
    assert set(svg.EDGE_STYLE) == set(svg.EDGE_LEGEND) == set(svg.EdgeKind)
    # every verdict once; the backed ones first in reports, the gate's verdicts first on the map
    assert sorted(rows.VERDICT_ORDER) == sorted(Verdict) == sorted(rows.PROBLEMS_FIRST)
    assert [v.backed for v in rows.VERDICT_ORDER] == sorted((v.backed for v in Verdict), reverse=True)
    assert rows.PROBLEMS_FIRST[: len(GATE_VERDICTS)] == GATE_VERDICTS
    # the legend shows a claim box per verdict and a line per kind of link
    legend = html._legend()
    assert legend.count('<svg width="22"') == len(Verdict)
    assert legend.count("<path ") == len(svg.EdgeKind)


def test_no_renderer_imports_another() -> None:
    """Renderers import the view model (rows); the one edge between them is html → svg."""
    import ast

    import ldn_graph.report as package

    folder = Path(package.__file__).parent
    allowed = {"html": {"rows", "svg"}}
    for path in folder.glob("*.py"):
        if path.stem in ("__init__", "formats"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {
            node.module.rsplit(".", 1)[-1]
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("ldn_graph.report.")
        }
        assert imported <= allowed.get(path.stem, {"rows"}) - {path.stem}, (path.name, imported)
