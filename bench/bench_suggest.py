"""Suggested sources: what they cost in requests and time, beside what a user would
otherwise do (one PubMed search per claim, then fetch its hits).

    python bench/bench_suggest.py                    # 40 and 400 claims
    python bench/bench_suggest.py --write-docs docs/performance.md

Online, against the loopback E-utilities stand-in (``tests/eutils_server.py``: real HTTP,
the recorded MEDLINE test records, NCBI's 3 requests/s without an API key): a page of N
bupivacaine claims (the verdict test set's vocabulary; three concepts) with ``suggest``,
against a per-claim loop through the same client (``esearch`` then ``efetch`` of the hits,
as a script over Bio.Entrez would do). Offline, ``audit`` against ``suggest`` on the bundled
monograph repeated 50× and 200×, with a cache of the 608 imported MEDLINE test records and
the shipped seeds: the extra cost of judging every cached record as a candidate.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from docs_section import publish

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))
MARK_START, MARK_END = "<!-- suggest:start -->", "<!-- suggest:end -->"
VOCABULARY = ROOT / "tests" / "verdicts" / "bupivacaine.ttl"
MONOGRAPH = ROOT / "examples" / "001_4aaa9d78fd1a3130.txt"
CLAIMS = ("Bupivacaine reduces postoperative pain after surgery (note {}).",
          "Bupivacaine cuts rescue analgesic consumption (note {}).",
          "Bupivacaine infusions cause sedation (note {}).")
MAX_CANDIDATES = 200


def _page(folder: Path, n: int) -> Path:
    path = folder / f"claims-{n}.txt"
    path.write_text("\n\n".join(CLAIMS[i % 3].format(i) for i in range(n)) + "\n", encoding="utf-8")
    return path


def online(work: Path, n: int) -> tuple[dict[str, float], dict[str, float]]:
    from eutils_server import EutilsServer

    from ldn_graph.audit import AuditOptions, audit
    from ldn_graph.pubmed.cache import RecordCache
    from ldn_graph.pubmed.eutils.client import EntrezClient
    from ldn_graph.pubmed.retrieve import Retriever
    from ldn_graph.suggest import SuggestOptions

    page = _page(work, n)
    pmids = sorted(EutilsServer().records.records, key=int)
    with EutilsServer(esearch_pmids=pmids) as server:
        os.environ["LDN_GRAPH_EUTILS_URL"] = server.url
        os.environ["LDN_GRAPH_STATE"] = str(work / f"state-{n}")
        os.environ.setdefault("NCBI_EMAIL", "bench@example.org")
        os.environ.pop("NCBI_API_KEY", None)
        start = time.perf_counter()
        result = audit([page], AuditOptions(cache_dir=work / f"ours-{n}", vocabulary=VOCABULARY,
                                            suggest=SuggestOptions(max_candidates=MAX_CANDIDATES)))
        ours = {"time": time.perf_counter() - start, "esearch": len(server.requests("esearch")),
                "efetch": len(server.requests("efetch")), "claims": len(result.documents[0].claims)}
        server.clear_log()
        start = time.perf_counter()
        with RecordCache(work / f"naive-{n}") as cache:  # one search per claim, its hits fetched
            retriever = Retriever(cache, EntrezClient(batch_size=500))
            for claim in result.documents[0].claims:
                found = retriever.client.esearch(f"bupivacaine AND {claim.concept.label}", max_results=MAX_CANDIDATES)
                retriever.get(found.pmids)
        naive = {"time": time.perf_counter() - start, "esearch": len(server.requests("esearch")),
                 "efetch": len(server.requests("efetch")), "claims": ours["claims"]}
    return ours, naive


def offline(work: Path, times: int, cache: Path) -> tuple[float, float]:
    page = work / f"monograph-x{times}.txt"
    page.write_text(MONOGRAPH.read_text(encoding="utf-8") * times, encoding="utf-8")
    took = []
    for command in ("audit", "suggest"):
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "ldn_graph.cli.group", command, str(page), "--offline",
                               "--cache-dir", str(cache), "--format", "json", "-o", str(work / f"{command}.json")],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        took.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):
            raise SystemExit(f"{command} failed: {done.stderr.decode()[-400:]}")
    return took[0], took[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, nargs="+", default=[40, 400])
    parser.add_argument("--write-docs", type=Path)
    args = parser.parse_args()
    rows_online, rows_offline = [], []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for n in args.claims:
            ours, naive = online(work, n)
            for name, run in (("`suggest` (one search per concept)", ours), ("per-claim search loop", naive)):
                rows_online.append(f"| {run['claims']} | {name} | {run['esearch']} | {run['efetch']} | "
                                   f"{run['time']:.1f} s |")
        cache = work / "cache"
        subprocess.run([sys.executable, "-m", "ldn_graph.cli.group", "cache", "import", "--cache-dir", str(cache),
                        *map(str, sorted((ROOT / "tests" / "data" / "medline").glob("*.xml.gz")))],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        for times in (50, 200):
            plain, suggested = offline(work, times, cache)
            rows_offline.append(f"| {times}× | {plain:.1f} s | {suggested:.1f} s | {suggested - plain:+.1f} s |")
    lines = [
        MARK_START,
        "Online, against the loopback stand-in (3 requests/s, no API key; three concepts, up to "
        f"{MAX_CANDIDATES} hits a search):",
        "",
        "| claims | how | esearch | efetch | wall time |",
        "|---|---|---|---|---|",
        *rows_online,
        "",
        "Offline, the monograph repeated, with 611 cached records (608 MEDLINE test records and the 3 seeds) as "
        "candidates:",
        "",
        "| monograph | `audit --offline` | `suggest --offline` | cost of the suggestions |",
        "|---|---|---|---|",
        *rows_offline,
        MARK_END,
    ]
    publish("\n".join(lines), args.write_docs)


if __name__ == "__main__":
    main()
