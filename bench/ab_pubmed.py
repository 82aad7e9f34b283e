"""Fetch and cache import of two source trees of ldn-graph, side by side (an A/B check).

    python bench/ab_pubmed.py BEFORE_TREE AFTER_TREE [--rounds 5] [--scaled 5000]

Each measurement runs in a fresh subprocess with one tree first on ``PYTHONPATH``; the
two trees alternate within every round (and swap order each round), so a busy machine
slows both alike. Reported: CPU seconds of the measuring process (``time.process_time``,
the stand-in server runs in this process and is not counted), minimum and median over
the rounds. Measured: ``RecordCache.import_files`` of the real MEDLINE file (604
citations) and of a scaled copy (see bench_pubmed.py), and a cold fetch of 1,000 and
10,000 synthetic PMIDs from the loopback stand-in (``rekey=True``; the client's rate is
raised so that no time goes to the rate limit).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]


def worker(task: str, arg: str, url: str) -> dict[str, Any]:
    """One measurement, in this (fresh) process, of the tree first on the path."""
    import ldn_graph.pubmed.retrieve as retrieve
    from ldn_graph.pubmed.cache import RecordCache

    with tempfile.TemporaryDirectory() as tmp, \
            RecordCache(Path(tmp) / "cache", seed=None) as cache:
        if task == "import":
            start = time.process_time()
            done = cache.import_files([arg]).stored
        else:
            try:
                from ldn_graph.pubmed.eutils.client import EntrezClient
            except ImportError:  # a tree from before issue 12
                from ldn_graph.pubmed.entrez import EntrezClient  # type: ignore[no-redef]

            def client() -> Any:
                return EntrezClient(base_url=url, api_key="", rate=1000.0,
                                    state_dir=Path(tmp) / "state",
                                    batch_size=retrieve.DEFAULT_BATCH_SIZE)

            pmids = [str(40_000_001 + i) for i in range(int(arg))]
            start = time.process_time()  # the client is built inside the timed part
            if hasattr(retrieve, "Retriever"):
                got = retrieve.Retriever(cache, client()).get(pmids)
            else:  # a tree from before issue 12
                got = retrieve.get_records(pmids, cache, client_factory=client)  # type: ignore[attr-defined]
            done = len(got.fetched)
        return {"cpu": time.process_time() - start, "done": done}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path, nargs="?", help="source tree measured first")
    parser.add_argument("after", type=Path, nargs="?", help="source tree measured second")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--scaled", type=int, default=5000, help="records in the scaled copy")
    parser.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(*args.worker)))
        return
    if args.before is None or args.after is None:
        parser.error("give the two source trees to compare")

    import bench_pubmed
    from eutils_server import EutilsServer

    trees = {"before": args.before.resolve(), "after": args.after.resolve()}
    tmp = Path(tempfile.mkdtemp(prefix="ldn-ab-"))
    real, scaled = tmp / "real.xml.gz", tmp / "scaled.xml.gz"
    bench_pubmed.write_wrapped(bench_pubmed.MEDLINE, real, None)
    bench_pubmed.write_wrapped(bench_pubmed.MEDLINE, scaled, args.scaled)
    tasks = {"import, real (604)": ("import", str(real)),
             f"import, scaled ({args.scaled:,})": ("import", str(scaled)),
             "fetch 1,000 PMIDs, cold": ("fetch", "1000"),
             "fetch 10,000 PMIDs, cold": ("fetch", "10000")}
    cpu: dict[str, dict[str, list[float]]] = {name: {"before": [], "after": []} for name in tasks}
    with EutilsServer(rekey=True) as server:
        for round_ in range(args.rounds):
            order = ["before", "after"] if round_ % 2 == 0 else ["after", "before"]
            for name, (task, arg) in tasks.items():
                for side in order:
                    env = {**os.environ, "PYTHONPATH": str(trees[side])}
                    env.pop("NCBI_API_KEY", None)
                    done = subprocess.run(
                        [sys.executable, __file__, "--worker", task, arg, server.url],
                        capture_output=True, text=True, env=env, check=False)
                    if done.returncode:
                        raise SystemExit(f"{side} {name} failed:\n{done.stderr}")
                    result = json.loads(done.stdout.strip().splitlines()[-1])
                    cpu[name][side].append(result["cpu"])
                    print(f"round {round_ + 1} {side:6} {name}: {result['cpu']:.3f} s CPU, "
                          f"{result['done']} records", flush=True)
    print(f"\n| measurement (CPU seconds, min / median of {args.rounds}) | before | after |")
    print("|---|---|---|")
    for name, sides in cpu.items():
        cells = [f"{min(v):.2f} / {statistics.median(v):.2f}" for v in sides.values()]
        print(f"| {name} | {cells[0]} | {cells[1]} |")


if __name__ == "__main__":
    main()
