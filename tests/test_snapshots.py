"""Snapshot of every output the bundled examples produce.

Any change of output shows up here as a diff of ``tests/snapshots/`` to review. After an
intended change, rewrite the snapshots with ``pytest tests/test_snapshots.py
--update-snapshots`` and commit them with the change.

Only what differs from run to run is normalised: the run's own time stamps, the run IRI
derived from them, and record ages counted from the run's time.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from ldn_graph.cli.group import main

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOTS = Path(__file__).with_name("snapshots")
EXAMPLES = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "examples").glob("*.txt"))
GOLD_DOCUMENTS = sorted(
    str(p.relative_to(ROOT))
    for p in (ROOT / "tests" / "gold").glob("*.gold.json")
)

_NOW = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\+00:00|Z)")
_SEED_TIME = "2026-11-22T00:00:00"  # the shipped records' retrieval time stays as it is
_NORMALISE = [
    (re.compile(r"(/run/|/build/)[0-9a-f]{8,}"), r"\1RUN"),
    (re.compile(r'"(record_age_days|oldest_record_days)": \d+'), r'"\1": N'),
    (re.compile(r"\b\d+ days? old\b"), "N days old"),
    (re.compile(r"oldest record \d+ day\(s\) old"), "oldest record N day(s) old"),
    (re.compile(r"\b\d+(?:&nbsp;| )?d old\b"), "Nd old"),
]


def normalise(text: str) -> str:
    text = _NOW.sub(lambda m: m.group(0) if m.group(0).startswith(_SEED_TIME) else "NOW", text)
    for pattern, repl in _NORMALISE:
        text = pattern.sub(repl, text)
    return text


def _run(args: list[str], monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def _export(args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> str:
    out = tmp_path / name
    _run([*args, "-o", str(out)], monkeypatch)
    return out.read_text(encoding="utf-8")


#: The terminal table wraps its cells, so a record's age ("9 days old") moves line breaks:
#: the table is rendered for a run at a fixed time (the ages then never change).
FIXED_RUN_TIME = "2026-12-01T21:50:00+00:00"


def _table_at_a_fixed_time() -> str:
    from dataclasses import replace

    from ldn_graph.audit import AuditOptions, audit
    from ldn_graph.report.formats import RENDERERS

    result = audit(EXAMPLES, AuditOptions(offline=True))
    result = replace(result, run=replace(result.run, generated_at=FIXED_RUN_TIME))
    return RENDERERS["table"](result, color=False)


def _sorted_lines(text: str) -> str:
    return "".join(sorted(text.splitlines(keepends=True)))


def _canonical_graphml(text: str) -> str:
    """GraphML as sorted lines of nodes and edges with their attributes by name (key ids and
    element order are not part of the contract)."""
    import io
    import json

    import networkx as nx

    graph = nx.read_graphml(io.BytesIO(text.encode("utf-8")))
    lines = [f"graph {json.dumps(dict(sorted(graph.graph.items())), ensure_ascii=False)}\n"]
    for node, attrs in graph.nodes(data=True):
        lines.append(f"node {node} {json.dumps(dict(sorted(attrs.items())), ensure_ascii=False)}\n")
    for u, v, attrs in graph.edges(data=True):
        lines.append(f"edge {u} -> {v} {json.dumps(dict(sorted(attrs.items())), ensure_ascii=False)}\n")
    return "".join(sorted(lines))


CASES = {
    "audit-examples.json": lambda r, t: r(["audit", "--offline", "--format", "json", *EXAMPLES]),
    "audit-examples.md": lambda r, t: r(["audit", "--offline", "--format", "markdown", *EXAMPLES]),
    "audit-examples.txt": lambda r, t: _table_at_a_fixed_time(),
    "audit-examples.html": lambda r, t: t(["audit", "--offline", "--format", "html", *EXAMPLES], "r.html"),
    # suggested sources from the shipped seed records alone (the test cache is empty)
    "suggest-examples.md": lambda r, t: r(["suggest", "--offline", "--format", "markdown", *EXAMPLES]),
    "export-examples.nt": lambda r, t: _sorted_lines(t(["export", "--offline", "--format", "nt", *EXAMPLES], "g.nt")),
    "export-examples.graphml": lambda r, t: _canonical_graphml(
        t(["export", "--offline", "--format", "graphml", *EXAMPLES], "g.graphml")
    ),
}
for _doc in GOLD_DOCUMENTS:
    _stem = Path(_doc).name.removesuffix(".gold.json")
    CASES[f"audit-gold-{_stem}.json"] = (
        lambda r, t, d=_doc: r(["audit", "--offline", "--format", "json", _gold_document(d)])
    )


def _gold_document(gold: str) -> str:
    import json

    doc = json.loads((ROOT / gold).read_text(encoding="utf-8"))["document"]
    return str(((ROOT / gold).parent / doc).resolve().relative_to(ROOT))


@pytest.mark.parametrize("name", sorted(CASES))
def test_output_matches_snapshot(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 request: pytest.FixtureRequest) -> None:
    monkeypatch.chdir(ROOT)

    def run(args: list[str]) -> str:
        return _run(args, monkeypatch)

    def export(args: list[str], fname: str) -> str:
        return _export(args, tmp_path, monkeypatch, fname)

    got = normalise(CASES[name](run, export))
    path = SNAPSHOTS / name
    if request.config.getoption("--update-snapshots"):
        path.write_text(got, encoding="utf-8")
        return
    assert path.exists(), f"no snapshot {path.name}: run pytest --update-snapshots"
    want = path.read_text(encoding="utf-8")
    assert got == want, f"{name} differs from its snapshot (pytest --update-snapshots after review)"


@pytest.mark.parametrize("fmt", ["graphml", "nt"])
def test_store_export_matches_snapshot(fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       request: pytest.FixtureRequest) -> None:
    store = tmp_path / "store"
    _run(["build", "--offline", "--from-cache", "--store", str(store), *EXAMPLES], monkeypatch)
    got = normalise(_export(["export", "--store", str(store), "--format", fmt], tmp_path, monkeypatch, f"s.{fmt}"))
    got = _sorted_lines(got) if fmt == "nt" else _canonical_graphml(got)
    path = SNAPSHOTS / f"store-examples.{fmt}"
    if request.config.getoption("--update-snapshots"):
        path.write_text(got, encoding="utf-8")
        return
    assert got == path.read_text(encoding="utf-8"), f"{path.name} differs (pytest --update-snapshots after review)"
