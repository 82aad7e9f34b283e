"""Start-up time of the command line: what a user waits for before any work starts.

    python bench/bench_cli.py                       # this checkout
    python bench/bench_cli.py --baseline REV        # also an earlier revision, side by side
    python bench/bench_cli.py --write-docs docs/performance.md

Each command runs ``--runs`` times in a fresh interpreter (the way a shell or CI job runs
it); the table gives the median and the slowest run. The floor is the interpreter itself
(``python -c pass``): nothing ldn-graph does can start faster. ``--baseline REV`` checks out
REV in a temporary git worktree and times the same commands there (through PYTHONPATH,
with the same interpreter and installed dependencies).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from docs_section import replace_section
from worktree import checkout

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MARK_START, MARK_END = "<!-- cli:start -->", "<!-- cli:end -->"

# (label, python arguments); the CLI is run as `python -c` on its entry point so that a
# baseline checkout whose entry point lived elsewhere can be timed the same way.
ENTRY = (
    "import sys, importlib\n"
    "try:\n    mod = importlib.import_module('ldn_graph.cli.group')\n"
    "except ImportError:\n    mod = importlib.import_module('ldn_graph.cli')\n"
    "sys.argv = ['ldn-graph', *sys.argv[1:]]\n"
    "try:\n    mod.main()\nexcept SystemExit:\n    pass\n"
)
COMMANDS = [
    ("interpreter floor: python -c pass", ["-c", "pass"]),
    ("import ldn_graph", ["-c", "import ldn_graph"]),
    ("ldn-graph --version", ["-c", ENTRY, "--version"]),
    ("ldn-graph --help", ["-c", ENTRY, "--help"]),
    ("ldn-graph audit --help", ["-c", ENTRY, "audit", "--help"]),
]


def time_command(args: list[str], runs: int, source: Path) -> tuple[float, float]:
    env = {**os.environ, "PYTHONPATH": str(source)}
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run([sys.executable, *args], env=env, cwd=source,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        times.append(time.perf_counter() - start)
        if done.returncode:
            raise SystemExit(f"{args!r} failed in {source}: {done.stderr.decode()[-400:]}")
    return statistics.median(times), max(times)


def measure(source: Path, runs: int) -> dict[str, tuple[float, float]]:
    return {label: time_command(args, runs, source) for label, args in COMMANDS}


def section(rows: dict[str, dict[str, tuple[float, float]]], runs: int) -> str:
    names = list(rows)
    lines = [
        MARK_START,
        "## Command-line start-up",
        "",
        f"`python bench/bench_cli.py{' --baseline REV' if len(names) > 1 else ''}`: each command "
        f"run {runs} times in a fresh interpreter on this 2-core machine; median (slowest) in ms.",
        "",
        "| command | " + " | ".join(names) + " |",
        "|---|" + "---|" * len(names),
    ]
    for label, _args in COMMANDS:
        cells = [f"{rows[n][label][0] * 1000:.0f} ({rows[n][label][1] * 1000:.0f})" for n in names]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines += ["", MARK_END]
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=15, help="runs per command (default 15)")
    ap.add_argument("--baseline", metavar="REV", help="also time this git revision, side by side")
    ap.add_argument("--write-docs", type=Path, default=None, help="replace the start-up section of this Markdown file")
    opts = ap.parse_args()
    rows: dict[str, dict[str, tuple[float, float]]] = {}
    if opts.baseline:
        with checkout(opts.baseline) as tree:
            rows[f"baseline {opts.baseline}"] = measure(tree, opts.runs)
    rows["this checkout"] = measure(ROOT, opts.runs)
    text = section(rows, opts.runs)
    print(text)
    if opts.write_docs:
        replace_section(opts.write_docs, text)


if __name__ == "__main__":
    main()
