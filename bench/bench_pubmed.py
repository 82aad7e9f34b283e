"""PubMed parsing and retrieval, measured side by side with the peers in one run.

(a) Parse throughput on the real MEDLINE file ``tests/data/medline/medline16n0902.xml.gz``
    (604 citations) and on a scaled copy (the same citations replicated, each replica's
    PMIDs offset by 10,000,000, so every PMID is distinct): ldn-graph's import (parse +
    SQLite cache) and bare parse against ``pubmed_parser.parse_medline_xml`` (0.5) and
    ``Bio.Entrez.read``. All contenders read the same input: the citations wrapped as a
    ``PubmedArticleSet`` (each ``MedlineCitation`` inside a ``PubmedArticle``) whose
    DOCTYPE names ``pubmed_150101.dtd``, a DTD Biopython ships, because pubmed_parser
    only reads ``PubmedArticle`` elements and Bio.Entrez cannot read the 2016
    MedlineCitationSet DTD offline. Each measurement runs in its own subprocess and
    reports records/s and peak RSS.
(b) Requests and wall time to fetch N PMIDs from the loopback E-utilities stand-in
    (tests/eutils_server.py) with ``rekey=True``: the requested PMIDs are synthetic and
    the stand-in answers each with a *re-keyed copy of a real record*. The stand-in
    enforces NCBI's limit (more than ``--rate`` requests in any 1 s window gets HTTP 429)
    and counts the 429s. ldn-graph (``Retriever.get``: cache-first, batched) runs cold, then
    warm; a one-request-per-record fetcher (plain ``Bio.Entrez.efetch`` per PMID through
    the same stand-in) runs on ``--baseline`` PMIDs and is extrapolated by the rate limit.

Usage (the defaults are the documented run; about 5 minutes on a 2-core machine)::

    python bench/bench_pubmed.py --write-docs docs/performance.md

Benchmarks are not part of the test suite.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import resource
import shlex
import subprocess
import sys
import tempfile
import time
from dataclasses import fields
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # also when loaded by path (tests)
from typing import Any

from docs_section import replace_section  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
MEDLINE = ROOT / "tests" / "data" / "medline" / "medline16n0902.xml.gz"
PMID_OFFSET = 10_000_000
FETCH_BASE_PMID = 40_000_001  # synthetic PMIDs for (b), answered with re-keyed copies
START, END = "<!-- pubmed:start -->", "<!-- pubmed:end -->"
CONTENDERS = ("ldn-import", "ldn-parse", "pubmed_parser", "Bio.Entrez.read")
DOCTYPE = ('<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2015//EN" '
           '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_150101.dtd">')

sys.path.insert(0, str(ROOT / "tests"))  # the stand-in server


def peak_rss_mb() -> float:
    """This process's peak resident set (VmHWM; ``ru_maxrss`` on Linux would include the
    parent's size at fork time, as it survives ``exec``)."""
    try:
        status = Path("/proc/self/status").read_text()
        found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
        if found:
            return int(found.group(1)) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


# ------------------------------------------------------------------------ input files
def _offset_pmid(shift: int, match: re.Match[str]) -> str:
    return f"{match.group(1)}{int(match.group(2)) + shift}{match.group(3)}"


def write_wrapped(source: Path, target: Path, records: int | None) -> int:
    """Write ``records`` citations of ``source`` (replicated with offset PMIDs when more are
    asked for than it holds) as a gzipped PubmedArticleSet; returns how many were written."""
    from lxml import etree

    with gzip.open(source) as handle:
        root = etree.parse(handle, etree.XMLParser(resolve_entities=False, no_network=True,
                                                   load_dtd=False)).getroot()
    citations = [etree.tostring(c, encoding="unicode", with_tail=False)
                 for c in root.iter("MedlineCitation")]
    wanted = records if records is not None else len(citations)
    pmid_re = re.compile(r"(<PMID[^>]*>)(\d+)(</PMID>)")
    written = 0
    with gzip.open(target, "wt", encoding="utf-8", compresslevel=6) as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n' + DOCTYPE + "\n<PubmedArticleSet>\n")
        replica = 0
        while written < wanted:
            for xml in citations:
                if written >= wanted:
                    break
                if replica:
                    # the citation's own PMID (the first PMID element) gets the offset
                    xml = pmid_re.sub(partial(_offset_pmid, replica * PMID_OFFSET), xml, count=1)
                out.write("<PubmedArticle>")
                out.write(xml)
                out.write("</PubmedArticle>\n")
                written += 1
            replica += 1
        out.write("</PubmedArticleSet>\n")
    return written


# ------------------------------------------------------------------ parse contenders
def parse_worker(contender: str, path: Path) -> dict[str, Any]:
    """One measurement, in this (fresh) process."""
    count = 0
    fields_kept: Any = None
    if contender in ("ldn-import", "ldn-parse"):
        from ldn_graph.model import Study
        from ldn_graph.pubmed.cache import RecordCache
        from ldn_graph.pubmed.parse import iter_records

        fields_kept = len(fields(Study))
        with tempfile.TemporaryDirectory() as tmp:
            if contender == "ldn-import":
                with RecordCache(Path(tmp) / "cache", seed=None) as cache:
                    start = time.perf_counter()
                    stats = cache.import_files([path])
                    seconds = time.perf_counter() - start
                    count = stats.stored
            else:
                start = time.perf_counter()
                for _ in iter_records(path, with_raw=False):
                    count += 1
                seconds = time.perf_counter() - start
    elif contender == "pubmed_parser":
        import pubmed_parser

        start = time.perf_counter()
        for article in pubmed_parser.parse_medline_xml(str(path)):  # lazy: consume it all
            count += 1
            if fields_kept is None:
                fields_kept = len(article)
        seconds = time.perf_counter() - start
    elif contender == "Bio.Entrez.read":
        from Bio import Entrez

        with tempfile.TemporaryDirectory() as tmp:
            Entrez.local_cache = tmp  # type: ignore[assignment] # never the user's DTD cache
            start = time.perf_counter()
            with gzip.open(path, "rb") as handle:
                result = Entrez.read(handle)
            # a list with the 2015 DTD, a dict of PubmedArticle/PubmedBookArticle with later ones
            count = len(result["PubmedArticle"] if isinstance(result, dict) else result)
            seconds = time.perf_counter() - start
        fields_kept = "all (whole tree)"
    else:
        raise SystemExit(f"unknown contender {contender}")
    return {"records": count, "seconds": seconds, "peak_rss_mb": peak_rss_mb(),
            "fields": fields_kept}


# -------------------------------------------------------------------- fetch workers
def fetch_worker(url: str, count: int, rate: float) -> dict[str, Any]:
    """ldn-graph's Retriever.get, cold then warm, in this process."""
    from ldn_graph.pubmed.cache import RecordCache
    from ldn_graph.pubmed.eutils.client import EntrezClient
    from ldn_graph.pubmed.retrieve import DEFAULT_BATCH_SIZE, Retriever

    pmids = [str(FETCH_BASE_PMID + i) for i in range(count)]
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        def client() -> EntrezClient:
            return EntrezClient(base_url=url, api_key="", rate=rate, state_dir=Path(tmp) / "s",
                                batch_size=DEFAULT_BATCH_SIZE)

        with RecordCache(Path(tmp) / "cache", seed=None) as cache:
            for phase in ("cold", "warm"):
                start = time.perf_counter()  # the client is built inside the timed part
                got = Retriever(cache, client()).get(pmids)
                seconds = time.perf_counter() - start
                out[phase] = {"seconds": seconds, "requests": got.requests,
                              "records": len(got.records), "unavailable": len(got.unavailable)}
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def baseline_worker(url: str, count: int) -> dict[str, Any]:
    """One ``Bio.Entrez.efetch`` per PMID (Biopython's own pacing), routed to ``url``."""
    import urllib.error
    import urllib.request

    from Bio import Entrez

    from ldn_graph.pubmed.eutils.biopython import EutilsRedirectHandler

    urllib.request.install_opener(urllib.request.build_opener(
        EutilsRedirectHandler(url, 30.0), urllib.request.ProxyHandler({})))
    Entrez.email = "bench@example.org"  # type: ignore[assignment]
    Entrez.api_key = None
    pmids = [str(FETCH_BASE_PMID + i) for i in range(count)]
    received = failed = 0
    start = time.perf_counter()
    for pmid in pmids:
        try:
            handle = Entrez.efetch(db="pubmed", id=pmid, retmode="xml")
            body = handle.read()
            handle.close()
        except urllib.error.HTTPError:  # Biopython retried a 429 at once and gave up
            failed += 1
            continue
        raw = body if isinstance(body, bytes) else body.encode()
        received += 1 if f"<PMID Version=\"1\">{pmid}</PMID>".encode() in raw else 0
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "requests": count, "records": received, "failed": failed,
            "peak_rss_mb": peak_rss_mb()}


def run_worker(args: list[str]) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("NCBI_API_KEY", None)
    done = subprocess.run([sys.executable, __file__, "--worker", *args], capture_output=True,
                          text=True, env=env, check=False)
    if done.returncode != 0:
        raise SystemExit(f"worker {args} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- rate-limited server
def rate_limited_server(rate: float) -> Any:
    from eutils_server import EutilsServer, Fault

    class RateLimitedStandIn(EutilsServer):
        """The stand-in with NCBI's limit: more than ``rate`` requests in 1 s → HTTP 429."""

        def _next_fault(self, utility: str) -> Fault | None:
            with self._lock:
                now = self.log[-1].time
                recent = sum(1 for r in self.log if now - r.time < 1.0)
            if recent > rate:
                return Fault("429", retry_after="1")
            return super()._next_fault(utility)

        def throttled(self) -> int:
            return sum(1 for r in self.log if r.fault == "429")

    return RateLimitedStandIn(rekey=True)


# --------------------------------------------------------------------------- report
def fmt_int(n: float) -> str:
    return f"{n:,.0f}"


def measure_parse(sizes: dict[str, Path], counts: dict[str, int], repeat: int,
                  contenders: list[str], rates: dict[tuple[str, str], float]) -> list[list[str]]:
    rows = []
    for label, path in sizes.items():
        for contender in contenders:
            runs = [run_worker(["parse", contender, str(path)])
                    for _ in range(repeat if counts[label] < 5000 else 1)]
            best = min(runs, key=lambda r: r["seconds"])
            if best["records"] != counts[label]:
                raise SystemExit(f"{contender} read {best['records']} of {counts[label]} records")
            rates[(label, contender)] = best["records"] / best["seconds"]
            rows.append([label, contender, fmt_int(best["records"]), f"{best['seconds']:.2f}",
                         fmt_int(best["records"] / best["seconds"]),
                         f"{best['peak_rss_mb']:.0f}", str(best["fields"])])
            print("  " + " | ".join(rows[-1]), flush=True)
    return rows


def table(headers: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def write_docs(path: Path, section: str) -> None:
    """Insert or replace only the text between the pubmed markers."""
    replace_section(path, f"{START}\n{section.rstrip()}\n{END}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scaled", type=int, default=50_000,
                        help="records in the scaled copy (default 50,000)")
    parser.add_argument("--fetch", default="1000,10000", help="PMID counts to fetch")
    parser.add_argument("--baseline", type=int, default=200,
                        help="PMIDs for the one-request-per-record fetcher")
    parser.add_argument("--rate", type=float, default=3.0, help="requests/s allowed (NCBI: 3)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per small measurement")
    parser.add_argument("--contenders", default=",".join(CONTENDERS),
                        help="parse contenders to run (comma-separated)")
    parser.add_argument("--write-docs", type=Path, help="update this Markdown file's section")
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        kind, *rest = args.worker
        if kind == "parse":
            result = parse_worker(rest[0], Path(rest[1]))
        elif kind == "fetch":
            result = fetch_worker(rest[0], int(rest[1]), float(rest[2]))
        else:
            result = baseline_worker(rest[0], int(rest[1]))
        print(json.dumps(result))
        return

    command = shlex.join(["python", "bench/bench_pubmed.py", *sys.argv[1:]])
    began = time.perf_counter()
    contenders = [c for c in args.contenders.split(",") if c]
    unknown = set(contenders) - set(CONTENDERS)
    if unknown:
        raise SystemExit(f"unknown contenders {sorted(unknown)}; choose from {CONTENDERS}")
    if "pubmed_parser" in contenders:
        try:
            import pubmed_parser  # noqa: F401
        except ImportError:
            print("pubmed_parser is not installed (pip install '.[bench]'); skipping it")
            contenders.remove("pubmed_parser")

    with tempfile.TemporaryDirectory() as tmp:
        real = Path(tmp) / "medline16n0902-wrapped.xml.gz"
        scaled = Path(tmp) / "medline16n0902-scaled.xml.gz"
        counts = {"real (604)": write_wrapped(MEDLINE, real, None)}
        label = f"scaled ({args.scaled:,})"
        counts[label] = write_wrapped(MEDLINE, scaled, args.scaled)
        print("(a) parse throughput", flush=True)
        rates: dict[tuple[str, str], float] = {}
        parse_rows = measure_parse({"real (604)": real, label: scaled}, counts, args.repeat,
                                   contenders, rates)
        original = run_worker(["parse", "ldn-import", str(MEDLINE)])
        parse_rows.append(["real (604), original MedlineCitationSet", "ldn-import",
                           fmt_int(original["records"]), f"{original['seconds']:.2f}",
                           fmt_int(original["records"] / original["seconds"]),
                           f"{original['peak_rss_mb']:.0f}", str(original["fields"])])

    print("(b) fetching from the stand-in", flush=True)
    fetch_rows: list[list[str]] = []
    fetched: dict[int, dict[str, Any]] = {}
    server = rate_limited_server(args.rate).start()
    try:
        for n in (int(x) for x in args.fetch.split(",") if x):
            time.sleep(1.1)  # a quiet second between phases, as NCBI's window is 1 s
            before = len(server.log)
            result = run_worker(["fetch", server.url, str(n), str(args.rate)])
            throttled = sum(1 for r in server.log[before:] if r.fault == "429")
            fetched[n] = {**result, "throttled": throttled}
            if len(server.log) - before != result["cold"]["requests"]:
                print(f"  note: the stand-in saw {len(server.log) - before} requests, the "
                      f"client counted {result['cold']['requests']}")
            for phase in ("cold", "warm"):
                data = result[phase]
                per = f"{n / data['requests']:,.0f}" if data["requests"] else "–"
                fetch_rows.append([f"{n:,}", f"ldn-graph Retriever.get ({phase})",
                                   fmt_int(data["requests"]), per, f"{data['seconds']:.1f}",
                                   fmt_int(data["records"]),
                                   str(throttled) if phase == "cold" else "0"])
                print("  " + " | ".join(fetch_rows[-1]), flush=True)
        time.sleep(1.1)
        before = len(server.log)
        base = run_worker(["baseline", server.url, str(args.baseline)])
        throttled = sum(1 for r in server.log[before:] if r.fault == "429")
        observed = len(server.log) - before  # Biopython's own immediate retries included
        fetch_rows.append([f"{args.baseline:,}", "Bio.Entrez.efetch per PMID (measured)",
                           fmt_int(observed), f"{args.baseline / observed:.2f}",
                           f"{base['seconds']:.1f}", fmt_int(base["records"]), str(throttled)])
        print("  " + " | ".join(fetch_rows[-1]), flush=True)
        for n in (int(x) for x in args.fetch.split(",") if x):
            fetch_rows.append([f"{n:,}", "Bio.Entrez.efetch per PMID (extrapolated)",
                               fmt_int(n), "1", f"≥ {n / args.rate:,.0f}", "–", "–"])
        print("  " + " | ".join(fetch_rows[-1]), flush=True)
    finally:
        server.stop()

    findings = []
    for size in counts:
        ours, peer = rates.get((size, "ldn-import")), rates.get((size, "pubmed_parser"))
        if ours and peer:
            findings.append(f"- Import (parse + cache) vs pubmed_parser's bare parse, {size}: "
                            f"{ours / peer:.2f}× ({fmt_int(ours)} vs {fmt_int(peer)} records/s); "
                            f"target ≥ 1.00×: {'met' if ours >= peer else 'NOT met'}.")
    for n, result in fetched.items():
        cold, warm = result["cold"], result["warm"]
        ok = cold["requests"] * 200 <= n and warm["requests"] == 0 and result["throttled"] == 0
        findings.append(
            f"- {n:,} PMIDs: {cold['requests']} requests cold (target ≤ {n // 200}), "
            f"{warm['requests']} warm, {result['throttled']} answered 429; "
            f"{'met' if ok else 'NOT met'}. A one-request-per-record fetcher needs {n:,} "
            f"requests, at least {n / args.rate / 60:,.1f} minutes at {args.rate:g} requests/s, "
            f"against {cold['seconds']:.1f} s here.")
    summary = "\n".join(findings)
    print(summary)

    elapsed = time.perf_counter() - began
    import Bio
    import lxml.etree

    versions = f"Python {platform.python_version()}, lxml {lxml.etree.__version__}, Biopython {Bio.__version__}"
    try:
        import importlib.metadata as md

        versions += f", pubmed_parser {md.version('pubmed_parser')}"
    except Exception:
        pass
    section = f"""## PubMed parsing and retrieval

Command (from the repository root, `pip install -e '.[bench]'` first):

```
{command}
```

Measured on {os.cpu_count()} CPU(s), {platform.system()} {platform.machine()}; {versions}.
The whole run took {elapsed / 60:.1f} minutes. Each parse measurement runs in its own
subprocess (best of {args.repeat} for the real file, one run for the scaled copy); peak RSS
is the subprocess's maximum resident set, interpreter and imports included.

Against the targets:

{summary}

### (a) Parse throughput

Input for every contender: the 604 real MEDLINE citations of
`tests/data/medline/medline16n0902.xml.gz` wrapped as a gzipped `PubmedArticleSet`
(each `MedlineCitation` inside a `PubmedArticle`, DOCTYPE `pubmed_150101.dtd`, which
Biopython ships): pubmed_parser 0.5 reads only `PubmedArticle` elements, and
`Bio.Entrez.read` cannot read the 2016 `MedlineCitationSet` DTD offline. The **scaled copy
replicates those citations with each replica's PMIDs offset by {PMID_OFFSET:,}** (so all
PMIDs differ); it is not new data. `ldn-import` = parse + store in the SQLite cache
(`RecordCache.import_files`, raw XML kept, one transaction per 5,000 records);
`ldn-parse` = `iter_records(..., with_raw=False)`; pubmed_parser's lazy iterator is
consumed fully. "fields" = fields per record (ldn-graph: the `Study` dataclass; pubmed_parser:
keys of its dict). The counts are not the whole story: pubmed_parser returns flat strings
(abstract sections run together, MeSH as "UI:name" without major-topic flags or qualifiers),
and keeps affiliations, grants, country, ISSN and NLM id, which ldn-graph does not; ldn-graph
keeps what evidence checking needs and pubmed_parser drops: labelled abstract sections,
OtherAbstract, MeSH major-topic flags and qualifiers with UIs, publication-type UIs,
CommentsCorrections (retractions, errata, `Cites`), CollectiveName authors as groups, the
title's inline markup, volume, and the raw MedlineDate beside the year. Beyond parsing, the import serializes each record's XML, compresses it
(zlib), writes the study as JSON and inserts both into SQLite; its peak RSS is one batch
of 5,000 records.

{table(["input", "contender", "records", "seconds", "records/s", "peak RSS MB", "fields"], parse_rows)}

### (b) Fetching N PMIDs (requests, wall time)

The loopback stand-in (`tests/eutils_server.py`, `rekey=True`) answers the requested
**synthetic PMIDs {FETCH_BASE_PMID:,}… with re-keyed copies of real records** (the record's
PMID replaced, an XML comment saying so). It enforces NCBI's limit without an API key:
more than {args.rate:g} requests in any 1 s window is answered HTTP 429 ("429s" counts them).
ldn-graph: `Retriever.get` with an empty cache (cold), then again (warm); efetch POSTs
batches of 500 PMIDs, and sets above 5,000 go through epost + the history server. The
one-request-per-record fetcher is plain `Bio.Entrez.efetch(id=<one PMID>)` with
Biopython's own pacing, measured on {args.baseline} PMIDs and extrapolated at
{args.rate:g} requests/s.

{table(["PMIDs", "fetcher", "requests", "PMIDs per request", "seconds", "records", "429s"], fetch_rows)}
"""
    print()
    print(section)
    if args.write_docs:
        write_docs(args.write_docs, section)
        print(f"wrote the section into {args.write_docs}")


if __name__ == "__main__":
    main()
