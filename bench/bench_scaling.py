"""How audit time and memory grow with the document: the bundled monograph repeated 50×
and 200× (its reference list repeated with it), audited offline in a fresh process.

    python bench/bench_scaling.py
    python bench/bench_scaling.py --baseline REV     # also an earlier revision, side by side
    python bench/bench_scaling.py --write-docs docs/performance.md

Linear growth means 200× takes about 4× the time of 50×; the table gives each size's
median wall time, its peak resident memory, and the ratio. ``--baseline REV`` checks out
REV in a temporary git worktree and runs the same audits there (PYTHONPATH, the same
interpreter and installed dependencies): what a user of that revision waits for.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from docs_section import publish
from worktree import checkout

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MONOGRAPH = ROOT / "examples" / "001_4aaa9d78fd1a3130.txt"
MARK_START, MARK_END = "<!-- scaling:start -->", "<!-- scaling:end -->"
SIZES = (50, 200)
AUDIT = (
    "import sys, importlib, resource\n"
    "mod = importlib.import_module('ldn_graph.cli.group')\n"
    "sys.argv = ['ldn-graph', 'audit', '--offline', '--format', 'json', '-o', sys.argv[2], sys.argv[1]]\n"
    "try:\n    mod.main()\nexcept SystemExit:\n    pass\n"
    "sys.stderr.write(f'PEAK_KB {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\\n')\n"
)


def run_once(source: Path, page: Path, out: Path, cache: Path) -> tuple[float, float]:
    """(seconds, peak MB) of one audit in a fresh interpreter."""
    env = {**os.environ, "PYTHONPATH": str(source), "LDN_GRAPH_CACHE": str(cache)}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", AUDIT, str(page), str(out)], env=env, cwd=source,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    took = time.perf_counter() - start
    peak = re.search(rb"PEAK_KB (\d+)", done.stderr)
    if done.returncode not in (0, 1) or peak is None:
        raise SystemExit(f"audit failed in {source}: {done.stderr.decode()[-400:]}")
    return took, int(peak.group(1)) / 1024


def measure(source: Path, runs: int, work: Path) -> dict[int, tuple[float, float]]:
    text = MONOGRAPH.read_text(encoding="utf-8")
    rows: dict[int, tuple[float, float]] = {}
    for size in SIZES:
        page = work / f"monograph-x{size}.txt"
        page.write_text((text + "\n\n") * size, encoding="utf-8")
        got = [run_once(source, page, work / "out.json", work / "cache") for _ in range(runs)]
        rows[size] = (statistics.median(t for t, _m in got), max(m for _t, m in got))
    return rows


def section(results: dict[str, dict[int, tuple[float, float]]], runs: int) -> str:
    size_kb = {n: len(MONOGRAPH.read_bytes()) * n / 1024 for n in SIZES}
    lines = [
        MARK_START,
        f"Audit of the monograph repeated {SIZES[0]}× ({size_kb[SIZES[0]]:.0f} KB) and {SIZES[1]}× "
        f"({size_kb[SIZES[1]]:.0f} KB), offline, median of {runs} run(s) in a fresh process; peak memory "
        "is the process's own largest resident set (ru_maxrss), the largest of the runs.",
        "",
        f"| revision | {SIZES[0]}× time | {SIZES[1]}× time | ratio (linear ≈ {SIZES[1] // SIZES[0]}) "
        f"| {SIZES[0]}× peak | {SIZES[1]}× peak |",
        "|---|---|---|---|---|---|",
    ]
    for name, rows in results.items():
        (t1, m1), (t2, m2) = rows[SIZES[0]], rows[SIZES[1]]
        lines.append(f"| {name} | {t1:.1f} s | {t2:.1f} s | {t2 / t1:.1f} | {m1:.0f} MB | {m2:.0f} MB |")
    lines.append(MARK_END)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline", help="an earlier git revision to run side by side")
    parser.add_argument("--write-docs", type=Path)
    args = parser.parse_args()
    results: dict[str, dict[int, tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        results["this checkout"] = measure(ROOT, args.runs, work)
        if args.baseline:
            with checkout(args.baseline) as tree:
                results[args.baseline] = measure(tree, args.runs, work)
    text = section(results, args.runs)
    publish(text, args.write_docs)


if __name__ == "__main__":
    main()
