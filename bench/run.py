"""Run every benchmark and write its section of docs/performance.md.

    python bench/run.py            # every benchmark (about 30 minutes on 2 cores)
    python bench/run.py pubmed     # one of them
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DOCS = HERE.parent / "docs" / "performance.md"
BENCHES = {
    "pubmed": HERE / "bench_pubmed.py",
    "graph": HERE / "bench_graph.py",
    "cli": HERE / "bench_cli.py",
    "input": HERE / "bench_input.py",
    "reading": HERE / "bench_reading.py",
    "matching": HERE / "bench_matching.py",
    "scaling": HERE / "bench_scaling.py",
    "jobs": HERE / "bench_jobs.py",
    "suggest": HERE / "bench_suggest.py",
}


def main(argv: list[str]) -> int:
    names = argv or list(BENCHES)
    unknown = [n for n in names if n not in BENCHES]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(BENCHES)}", file=sys.stderr)
        return 2
    for name in names:
        print(f"== {name}", flush=True)
        done = subprocess.run([sys.executable, str(BENCHES[name]), "--write-docs", str(DOCS)])
        if done.returncode:
            return done.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
