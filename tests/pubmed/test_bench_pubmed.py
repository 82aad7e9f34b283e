"""A smoke run of bench/bench_pubmed.py on tiny sizes (benchmarks are not tests: this
only checks that the benchmark runs, counts what it should, and edits only its own
section of the performance page)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from paths import ROOT

BENCH = ROOT / "bench" / "bench_pubmed.py"


def load_bench() -> object:
    spec = importlib.util.spec_from_file_location("bench_pubmed", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_write_docs_replaces_only_its_own_section(tmp_path: Path) -> None:
    bench = load_bench()
    page = tmp_path / "performance.md"
    write = bench.write_docs  # type: ignore[attr-defined]
    write(page, "## PubMed parsing and retrieval\n\nfirst\n")
    assert page.read_text() == ("# Performance\n\n<!-- pubmed:start -->\n## PubMed parsing and "
                                "retrieval\n\nfirst\n<!-- pubmed:end -->\n")
    other = "## Graph\n\ntheir table\n"
    page.write_text("# Performance\n\n" + other + "\n" + page.read_text().split("\n\n", 1)[1]
                    + "\n## Later section\n\nalso theirs\n")
    write(page, "## PubMed parsing and retrieval\n\nsecond\n")
    text = page.read_text()
    assert text.count("<!-- pubmed:start -->") == 1 and "first" not in text and "second" in text
    assert other in text and text.endswith("## Later section\n\nalso theirs\n")


@pytest.mark.slow
def test_bench_runs_on_tiny_sizes(tmp_path: Path) -> None:
    page = tmp_path / "performance.md"
    done = subprocess.run(
        [sys.executable, str(BENCH), "--scaled", "700", "--fetch", "30", "--baseline", "2",
         "--repeat", "1", "--contenders", "ldn-parse", "--write-docs", str(page)],
        capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    text = page.read_text()
    assert "| real (604), original MedlineCitationSet | ldn-import | 604 |" in text
    assert "| scaled (700) | ldn-parse | 700 |" in text
    assert "| 30 | ldn-graph Retriever.get (cold) | 1 | 30 |" in text
    assert "| 30 | ldn-graph Retriever.get (warm) | 0 | – |" in text
    assert "| 2 | Bio.Entrez.efetch per PMID (measured) | 2 | 1.00 |" in text
    assert f"--write-docs {page}" in text
    cold = next(line for line in text.splitlines() if "(cold) |" in line)
    assert cold.rstrip(" |").endswith("| 30 | 0")  # 30 records, no 429
