"""Auditing a folder of pages in parallel: ``--jobs 1`` against ``--jobs N``.

    python bench/bench_jobs.py                    # 1,000 pages, --jobs 1 and 2
    python bench/bench_jobs.py --pages 200 --jobs 4
    python bench/bench_jobs.py --write-docs docs/performance.md

The pages are generated from the bundled examples' paragraphs (each page a different
slice, so no two are the same document), written to a temporary folder and audited
offline with ``audit -r FOLDER --format json``, each in a fresh process. The table gives
each run's wall time and pages per second, the speed-up, and whether the reports are the
same (the run time stamp aside): ``--jobs`` must change the speed, never the report.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from docs_section import publish

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MARK_START, MARK_END = "<!-- jobs:start -->", "<!-- jobs:end -->"


def make_pages(folder: Path, count: int) -> None:
    paragraphs = [p.strip() for path in sorted((ROOT / "examples").glob("*.txt"))
                  for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    for n in range(count):
        chosen = [paragraphs[(n * 7 + k) % len(paragraphs)] for k in range(6)]
        (folder / f"page-{n:04d}.txt").write_text(f"Page {n}\n\n" + "\n\n".join(chosen) + "\n", encoding="utf-8")


def run(folder: Path, jobs: int, out: Path, cache: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "ldn_graph.cli.group", "audit", "-r", str(folder), "--offline", "--cache-dir", str(cache),
         "--format", "json", "-o", str(out), "--jobs", str(jobs)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    took = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"audit --jobs {jobs} failed: {done.stderr.decode()[-400:]}")
    return took


def report(path: Path) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    data["provenance"].pop("generated_at", None)
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--write-docs", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        folder = work / "pages"
        folder.mkdir()
        make_pages(folder, args.pages)
        single = run(folder, 1, work / "one.json", work / "cache")
        parallel = run(folder, args.jobs, work / "many.json", work / "cache")
        same = report(work / "one.json") == report(work / "many.json")
    lines = [
        MARK_START,
        f"A folder of {args.pages} generated pages audited offline (`audit -r FOLDER --format json`), each run in "
        "a fresh process.",
        "",
        "| run | wall time | pages/s | speed-up | same report |",
        "|---|---|---|---|---|",
        f"| --jobs 1 | {single:.1f} s | {args.pages / single:.1f} | 1.0 | — |",
        f"| --jobs {args.jobs} | {parallel:.1f} s | {args.pages / parallel:.1f} | {single / parallel:.2f} | "
        f"{'yes' if same else 'NO'} |",
        MARK_END,
    ]
    text = "\n".join(lines)
    publish(text, args.write_docs)


if __name__ == "__main__":
    main()
