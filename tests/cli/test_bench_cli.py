"""Smoke test: the start-up benchmark runs and writes its section (no timing asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from paths import ROOT

BENCH = ROOT / "bench" / "bench_cli.py"


def test_bench_cli_runs_and_keeps_other_sections(tmp_path: Path) -> None:
    docs = tmp_path / "performance.md"
    docs.write_text("# Performance\n\n<!-- other:start -->\nanother section\n<!-- other:end -->\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(BENCH), "--runs", "1", "--write-docs", str(docs)],
        capture_output=True, text=True, check=False, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    text = docs.read_text(encoding="utf-8")
    assert "another section" in text
    section = text[text.index("<!-- cli:start -->"):text.index("<!-- cli:end -->")]
    for command in ("ldn-graph --help", "ldn-graph --version", "import ldn_graph"):
        assert f"| {command} | " in section
