"""Big inputs inside the size limits: a 45 MB text file and a 5 MB single line.

    python bench/bench_input.py                      # 45 MB and 5 MB, each at 3 sizes
    python bench/bench_input.py --scale 0.001        # the same shapes, 1000 times smaller
    python bench/bench_input.py --write-docs docs/performance.md

Both inputs repeat the bundled monograph (examples/001_…txt: headings, bullet lists,
sentences, a numbered reference list of PubMed links and web sources): the multi-line
file as it is, the single line with every run of white space made one space. Each input
is audited at a quarter, half and all of its size, each run in a fresh interpreter:
``ldn_graph.audit.audit([path], AuditOptions(offline=True))`` with an empty cache
folder, so the cited records come from the shipped seed (read, extract references and
claims, judge; no report is rendered). Linear growth shows as a steady time per MB.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from docs_section import replace_section

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MONOGRAPH = ROOT / "examples" / "001_4aaa9d78fd1a3130.txt"
MARK_START, MARK_END = "<!-- input:start -->", "<!-- input:end -->"
MB = 1_000_000
SHAPES = (("text file", 45 * MB), ("single line", 5 * MB))
FRACTIONS = (0.25, 0.5, 1.0)

# Runs in a child: audit one file, print what it found and how long the audit took.
CHILD = """
import json, resource, sys, time
from ldn_graph.audit import AuditOptions, audit
start, cpu = time.perf_counter(), time.process_time()
result = audit([sys.argv[1]], AuditOptions(offline=True, cache_dir=sys.argv[2]))
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
[doc] = result.documents
print(json.dumps({
    "seconds": seconds,
    "cpu_s": cpu,
    "claims": len(doc.claims),
    "references": len(doc.references),
    "segments": len(doc.document.segments),
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "errors": [e.message for e in result.errors],
}))
"""


def make_input(shape: str, size: int, target: Path) -> Path:
    """``size`` bytes (ASCII-clean UTF-8, cut at a whole character) of the monograph repeated."""
    page = MONOGRAPH.read_text(encoding="utf-8")
    unit = re.sub(r"\s+", " ", page).strip() + " " if shape == "single line" else page.rstrip("\n") + "\n\n"
    data = (unit * (size // len(unit.encode("utf-8")) + 1)).encode("utf-8")[:size]
    target.write_bytes(data.decode("utf-8", errors="ignore").encode("utf-8"))
    return target


def measure(path: Path, workdir: Path) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), str(workdir / "cache")],
        capture_output=True, text=True, env=env, check=False,
    )
    if done.returncode:
        raise SystemExit(f"audit of {path} failed: {done.stderr[-1500:]}")
    row: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    row["wall_s"] = time.perf_counter() - started
    row["bytes"] = path.stat().st_size
    if row["errors"]:
        raise SystemExit(f"audit of {path} reported errors: {row['errors']}")
    return row


def run(scale: float, workdir: Path) -> list[dict[str, Any]]:
    rows = []
    for shape, full in SHAPES:
        for fraction in FRACTIONS:
            size = max(int(full * scale * fraction), 1000)
            path = make_input(shape, size, workdir / f"{shape.replace(' ', '-')}-{size}.txt")
            row = measure(path, workdir)
            row["shape"] = shape
            rows.append(row)
            path.unlink()
            print(f"{shape:12} {row['bytes'] / MB:8.2f} MB  audit {row['seconds']:7.2f} s "
                  f"({row['cpu_s']:.2f} s CPU, {row['cpu_s'] / (row['bytes'] / MB):.2f} s/MB)  {row['claims']:,} claims  "
                  f"peak {row['peak_rss_mb']:,.0f} MB", file=sys.stderr, flush=True)
    return rows


def growth(rows: list[dict[str, Any]], shape: str) -> str:
    """CPU time at each size over the CPU time at the smallest, beside the size ratio."""
    mine = [r for r in rows if r["shape"] == shape]
    steps = ", ".join(
        f"{r['bytes'] / mine[0]['bytes']:.0f}× the bytes {r['cpu_s'] / mine[0]['cpu_s']:.1f}× the CPU time" for r in mine[1:]
    )
    return f"{shape}: {steps}"


def section(rows: list[dict[str, Any]], scale: float) -> str:
    command = "python bench/bench_input.py --write-docs docs/performance.md"
    if scale != 1.0:
        command += f" --scale {scale:g}"
    lines = [
        MARK_START,
        "## Big inputs: a 45 MB text file and a 5 MB single line",
        "",
        "Command (from the repository root):",
        "",
        "```",
        command,
        "```",
        "",
        f"Measured on {os.cpu_count()} CPU(s), {platform.system()} {platform.machine()}; Python "
        f"{platform.python_version()}; load average {', '.join(f'{x:.1f}' for x in os.getloadavg())} at the end (the",
        "machine is shared, so wall time is noisy: CPU time shows the growth). Both inputs repeat the bundled",
        "monograph (`examples/001_…txt`, with its numbered reference list every 5 KB): the text file as it is, the",
        "single line with its white space made single spaces. Each size is audited offline in a fresh interpreter",
        "(`audit([path], AuditOptions(offline=True))`: read, references, claims, judge; no report rendered);",
        "seconds are the audit call's own, peak RSS the child's (interpreter included).",
        "",
        "| input | MB | segments | claims | references | audit wall (s) | audit CPU (s) | CPU s per MB | peak RSS (MB) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['shape']} | {r['bytes'] / MB:,.2f} | {r['segments']:,} | {r['claims']:,} | {r['references']:,} | "
            f"{r['seconds']:,.1f} | {r['cpu_s']:,.1f} | {r['cpu_s'] / (r['bytes'] / MB):,.2f} | {r['peak_rss_mb']:,.0f} |"
        )
    lines += [
        "",
        f"Growth, {growth(rows, 'text file')}; {growth(rows, 'single line')}.",
        "Before the linear rewrite neither input finished in 300 s: sentence splitting copied",
        "the rest of a line after every sentence end, each segment scanned every marker and each list lookup",
        "every reference, and every claim checked every reference-list entry against its record.",
        MARK_END,
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=float, default=1.0, help="multiply both input sizes (default 1: 45 MB and 5 MB)")
    ap.add_argument("--json", type=Path, help="also write the rows here")
    ap.add_argument("--write-docs", type=Path, help="replace the big-input section of this Markdown file")
    opts = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="ldn-bench-input-") as tmp:
        rows = run(opts.scale, Path(tmp))
    text = section(rows, opts.scale)
    print(text)
    if opts.json:
        opts.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    if opts.write_docs:
        replace_section(opts.write_docs, text)


if __name__ == "__main__":
    main()
