"""Smoke test: the graph benchmark runs end to end on 50 records (no timing asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from paths import ROOT

BENCH = ROOT / "bench" / "bench_graph.py"


def test_bench_graph_runs_on_50_records(tmp_path: Path) -> None:
    out = tmp_path / "rows.json"
    docs = tmp_path / "performance.md"
    docs.write_text("# Performance\n\n<!-- other:start -->\nanother section\n<!-- other:end -->\n", encoding="utf-8")
    proc = subprocess.run(
        [
            sys.executable, str(BENCH), "--real-limit", "50", "--scaled", "80", "--rdflib-max", "60", "--skip-input",
            "--workdir", str(tmp_path / "w"), "--json", str(out), "--write-docs", str(docs),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = json.loads(out.read_text())
    paths = [(r["records"], r["path"].split(" ")[0]) for r in rows]
    assert (50, "ldn-graph") in paths and (50, "rdflib") in paths
    assert (60, "rdflib") in paths and (80, "ldn-graph") in paths
    assert any(r.get("extrapolated") for r in rows)
    for r in rows:
        assert r["peak_rss_mb"] > 0
        if r["path"] in ("ldn-graph", "rdflib"):
            assert r["triples"] > 1000
    # both paths wrote the same number of triples at each size
    by_size: dict[int, set[int]] = {}
    for r in rows:
        if r["path"] in ("ldn-graph", "rdflib"):
            by_size.setdefault(r["records"], set()).add(r["triples"])
    assert all(len(v) == 1 for v in by_size.values())
    assert "| data | records | triples | path |" in proc.stdout
    # the docs section is added without touching the others
    text = docs.read_text(encoding="utf-8")
    assert "another section" in text
    assert text.count("<!-- graph:start -->") == 1 and "## Graph build and export" in text
    assert "scaled copy" in text and "PMIDs renumbered" in text
