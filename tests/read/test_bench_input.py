"""Smoke test: the big-input benchmark runs at tiny sizes and writes its section (no
timing asserted; the 45 MB and 5 MB runs are bench/bench_input.py's own)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from paths import ROOT

BENCH = ROOT / "bench" / "bench_input.py"


def test_bench_input_runs_at_tiny_sizes_and_keeps_other_sections(tmp_path: Path) -> None:
    docs = tmp_path / "performance.md"
    docs.write_text("# Performance\n\n<!-- other:start -->\nanother section\n<!-- other:end -->\n", encoding="utf-8")
    rows_file = tmp_path / "rows.json"
    proc = subprocess.run(
        [sys.executable, str(BENCH), "--scale", "0.0005", "--json", str(rows_file), "--write-docs", str(docs)],
        capture_output=True, text=True, check=False, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = json.loads(rows_file.read_text(encoding="utf-8"))
    assert [r["shape"] for r in rows] == ["text file"] * 3 + ["single line"] * 3
    for shape in ("text file", "single line"):
        sizes = [r["bytes"] for r in rows if r["shape"] == shape]
        assert sizes == sorted(sizes) and len(set(sizes)) == 3
    assert all(r["claims"] > 0 and r["segments"] > 0 for r in rows)
    text = docs.read_text(encoding="utf-8")
    assert "another section" in text
    section = text[text.index("<!-- input:start -->"):text.index("<!-- input:end -->")]
    assert "| text file |" in section and "| single line |" in section
    assert "--scale 0.0005" in section
