"""Items 1-11 and 32 of the fault catalogue: NCBI E-utilities misbehaving.

Everything goes over real HTTP to the loopback stand-in (tests/eutils_server.py) with
faults injected; the CLI tests run the real commands. Waits are recorded, not slept
(``fast_entrez``), so backoff and Retry-After are asserted as values, never timed.
"""

from __future__ import annotations

import ast
import json
import logging
import os
import subprocess
import urllib.request
from pathlib import Path

import pytest
from cli_helpers import cli, console_script
from entrez_helpers import FastEntrez
from entrez_helpers import make_client as client
from eutils_server import EutilsServer, Fault, closed_port_url
from robust_helpers import EUTILS, RECORDED_PMIDS, ROOT, citing_page

from ldn_graph.errors import FetchError, OfflineError
from ldn_graph.pubmed.cache import RecordCache


def cached_pmids(cache_dir: Path) -> set[str]:
    with RecordCache(cache_dir, seed=None) as cache:
        return set(cache.pmids())


# ------------------------------------------------------------------------- item 1


def test_item_01_429_retry_after_is_honoured_then_the_record_arrives(
    eutils_env: EutilsServer,
) -> None:
    eutils_env.add_fault("efetch", Fault("429", retry_after="2"))
    c, sleeps = client()
    [batch] = list(c.fetch_pubmed_xml(["9997"]))
    assert batch.returned == ("9997",)
    assert [r.status for r in eutils_env.requests("efetch")] == [429, 200]
    # our own backoff waited at least what Retry-After asked (Biopython retries at once)
    assert max(sleeps) >= 2.0


def test_item_01_429_forever_is_a_rate_limit_message_and_completed_batches_are_kept(
    eutils_env: EutilsServer, fast_entrez: FastEntrez, tmp_path: Path
) -> None:
    fast_entrez.options["batch_size"] = 2
    cache_dir = tmp_path / "cache"
    # the first batch is answered normally (the stand-in's own reply, replayed), then
    # every try of the second batch gets 429 + Retry-After: 2
    url = eutils_env.url + "efetch.fcgi?db=pubmed&retmode=xml&id=12091962,9997"
    with urllib.request.urlopen(url, timeout=10) as reply:
        first_batch = reply.read()
    eutils_env.clear_log()
    eutils_env.add_fault("efetch", Fault("body", body=first_batch))
    eutils_env.add_fault("efetch", Fault("429", retry_after="2"), times=5)
    result = cli("fetch", "12091962", "9997", "11748933", "11700088", "--cache-dir", cache_dir)
    assert result.exit_code == 3
    lines = dict(line.split("\t", 1) for line in result.stdout.splitlines())
    assert lines["12091962"].startswith("fetched") and lines["9997"].startswith("fetched")
    assert "not retrieved" in lines["11748933"] and "429" in lines["11748933"]
    assert "rate limit" in result.stderr and "NCBI_API_KEY" in result.stderr
    assert cached_pmids(cache_dir) == {"12091962", "9997"}  # the completed batch is kept
    assert len(eutils_env.requests("efetch")) == 1 + 5  # 1 good batch, then 5 tries
    assert sum(1 for s in fast_entrez.sleeps if s >= 2.0) >= 4  # Retry-After every time


def test_item_01_retry_after_also_quiets_other_processes(eutils_env: EutilsServer) -> None:
    """A 429's Retry-After goes into the shared rate file: a second client on the same
    state folder (another process, in real life) waits as well."""
    eutils_env.add_fault("efetch", Fault("429", retry_after="2"))
    first, _ = client()
    list(first.fetch_pubmed_xml(["9997"]))
    second, sleeps = client()
    list(second.fetch_pubmed_xml(["12091962"]))
    assert sleeps and max(sleeps) > 1.0


# ------------------------------------------------------------------------- item 2


def test_item_02_503_forever_says_ncbi_unavailable_without_the_html(
    eutils_env: EutilsServer, fast_entrez: FastEntrez, tmp_path: Path
) -> None:
    eutils_env.add_fault("efetch", "503", times=5)
    result = cli("fetch", "9997", "--cache-dir", tmp_path / "cache")
    assert result.exit_code == 3
    assert "NCBI unavailable" in result.stderr and "after 5 tries" in result.stderr
    for html in ("<html", "<center>", "Service Temporarily Unavailable</h1>"):
        assert html not in result.stdout + result.stderr
    assert len(eutils_env.requests("efetch")) == 5  # our retries, with pauses between
    assert sum(1 for s in fast_entrez.sleeps if s > 0) >= 4
    assert cached_pmids(tmp_path / "cache") == set()


def test_item_02_502_then_200_is_retried_with_backoff(
    eutils_env: EutilsServer, fast_entrez: FastEntrez, tmp_path: Path
) -> None:
    eutils_env.add_fault("efetch", "502")
    result = cli("fetch", "9997", "--cache-dir", tmp_path / "cache")
    assert result.exit_code == 0, result.stderr
    assert [r.status for r in eutils_env.requests("efetch")] == [502, 200]
    assert any(s > 0 for s in fast_entrez.sleeps)  # a pause before the retry
    assert cached_pmids(tmp_path / "cache") == {"9997"}


# ------------------------------------------------------------------------- item 3


@pytest.mark.parametrize("fault", ["html", "empty"])
def test_item_03_html_or_empty_200_is_transient_and_never_cached(
    eutils_env: EutilsServer, fast_entrez: FastEntrez, tmp_path: Path, fault: str
) -> None:
    cache_dir = tmp_path / "cache"
    eutils_env.add_fault("efetch", fault, times=5)
    failed = cli("fetch", "9997", "--cache-dir", cache_dir)
    assert failed.exit_code == 3
    assert ("HTML page" if fault == "html" else "empty reply") in failed.stderr
    assert "<html" not in failed.stderr and "Temporarily unavailable" not in failed.stderr
    assert cached_pmids(cache_dir) == set()  # the page was never stored as a record
    eutils_env.add_fault("efetch", fault)
    ok = cli("fetch", "9997", "--cache-dir", cache_dir)
    assert ok.exit_code == 0 and ok.stdout.startswith("9997\tfetched")
    assert cached_pmids(cache_dir) == {"9997"}


# ------------------------------------------------------------------------- item 4


@pytest.mark.parametrize("fault", ["incomplete", "truncated_xml"])
def test_item_04_cut_transfers_are_retried_and_never_cached(
    eutils_env: EutilsServer, fast_entrez: FastEntrez, tmp_path: Path, fault: str
) -> None:
    fast_entrez.options["batch_size"] = 2
    cache_dir = tmp_path / "cache"
    pmids = ["12091962", "9997", "11748933", "11700088"]
    # first batch: cut once, then whole; second batch: cut on every try
    eutils_env.add_fault("efetch", fault)
    result = cli("fetch", pmids[0], pmids[1], "--cache-dir", cache_dir)
    assert result.exit_code == 0, result.stderr
    assert [r.fault for r in eutils_env.requests("efetch")] == [fault, None]
    eutils_env.add_fault("efetch", fault, times=5)
    result = cli("fetch", *pmids, "--cache-dir", cache_dir)
    assert result.exit_code == 3
    lines = dict(line.split("\t", 1) for line in result.stdout.splitlines())
    assert lines[pmids[0]].startswith("cached") and lines[pmids[1]].startswith("cached")
    assert "not retrieved" in lines[pmids[2]] and "not retrieved" in lines[pmids[3]]
    reason = "incomplete read" if fault == "incomplete" else "truncated XML"
    assert reason in result.stderr
    assert cached_pmids(cache_dir) == set(pmids[:2])  # a partial batch is never a success
    with RecordCache(cache_dir, seed=None) as cache:
        assert cache.verify() == []


# ------------------------------------------------------------------------- item 5


def test_item_05_error_inside_200_is_reported_per_id_never_dropped(
    eutils_env: EutilsServer, fast_entrez: FastEntrez, tmp_path: Path
) -> None:
    message = "Cannot retrieve the requested records (synthetic)"
    eutils_env.add_fault("efetch", Fault("error_in_body", message=message, drop_articles=True))
    result = cli("fetch", "9997", "12091962", "--cache-dir", tmp_path / "cache")
    assert result.exit_code == 3
    for pmid in ("9997", "12091962"):
        assert f"{pmid}\tnot retrieved: NCBI reported: {message}" in result.stdout
    # requested vs returned: an id NCBI silently leaves out is reported too
    result = cli("fetch", "9997", "999999998", "--cache-dir", tmp_path / "cache")
    assert result.exit_code == 3
    assert "999999998\tnot retrieved: PubMed does not know this PMID" in result.stdout


def test_item_05_error_in_an_esearch_reply_is_a_clear_error(eutils_env: EutilsServer) -> None:
    head = (EUTILS / "esearch8.xml").read_bytes().split(b"<eSearchResult>")[0]
    body = head + b"<eSearchResult><ERROR>Invalid query (synthetic)</ERROR></eSearchResult>"
    eutils_env.add_fault("esearch", Fault("body", body=body))
    c, _ = client()
    with pytest.raises(FetchError, match=r"rejected the query: Invalid query \(synthetic\)"):
        c.esearch("((")


# ------------------------------------------------------------------------- item 6


def test_item_06_phrase_not_found_is_shown_not_a_plain_zero(
    eutils_env: EutilsServer, fast_entrez: FastEntrez, tmp_path: Path
) -> None:
    result = cli("search", "abcXYZ", "--cache-dir", tmp_path / "cache")  # recorded esearch8.xml
    assert result.exit_code == 0, result.stderr
    assert "hits:           0" in result.stdout
    assert "warning: phrase not found: abcXYZ" in result.stderr


# ------------------------------------------------------------------------- item 7


def test_item_07_a_stalled_server_times_out_and_is_retried(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    caplog.set_level(logging.INFO, logger="ldn_graph")
    with EutilsServer(stall_seconds=3.0) as server:
        monkeypatch.setenv("LDN_GRAPH_EUTILS_URL", server.url)
        server.add_fault("efetch", "stall")
        c, _ = client(timeout=0.5)
        [batch] = list(c.fetch_pubmed_xml(["9997"]))
        assert batch.returned == ("9997",)
        assert "no reply within the timeout" in caplog.text
        server.add_fault("efetch", "stall", times=2)
        c, _ = client(timeout=0.5, max_tries=2)
        with pytest.raises(FetchError, match="no reply within the timeout"):
            list(c.fetch_pubmed_xml(["9997"]))


# ------------------------------------------------------------------------- item 8


def test_item_08_connection_refused_is_a_fast_offline_error(tmp_path: Path) -> None:
    c, sleeps = client(base_url=closed_port_url())
    with pytest.raises(OfflineError, match="connection refused") as info:
        list(c.fetch_pubmed_xml(["9997"]))
    assert "work from cached records" in str(info.value)
    # two tries, no backoff: not Biopython's 3 x 15 s, not our 1+2+4+8 s (the rest: rate limit)
    assert c.request_count == 2 and sum(sleeps) < 1.0
    with pytest.raises(OfflineError):  # the next call does not even try
        list(c.fetch_pubmed_xml(["12091962"]))
    assert c.request_count == 2


def test_item_08_offline_audit_says_so_once_and_uses_the_cache(
    fast_entrez: FastEntrez, tmp_path: Path
) -> None:
    # LDN_GRAPH_EUTILS_URL points at a closed port (tests/conftest.py): NCBI is unreachable
    page = citing_page(tmp_path / "page.txt", ["23359310", "900000007", "900000008"])
    result = cli("audit", page, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count("network unavailable") == 1
    refs = {r["pmid"]: r for r in json.loads(result.stdout)["documents"][0]["references"]}
    assert refs["23359310"]["record_origin"] == "transcribed"  # the shipped seed record
    assert refs["900000007"]["record_origin"] is None


# ------------------------------------------------------------------------- item 9


def test_item_09_long_lists_go_in_fixed_batches_and_a_400_is_split(
    monkeypatch: pytest.MonkeyPatch, fast_entrez: FastEntrez, tmp_path: Path
) -> None:
    with EutilsServer(bad_ids={"11748933"}) as server:
        monkeypatch.setenv("LDN_GRAPH_EUTILS_URL", server.url)
        c, _ = client()
        wanted = [p for p in server.known_pmids if p != "11748933"][:250]
        batches = list(c.fetch_pubmed_xml(wanted))
        assert [len(b.requested) for b in batches] == [200, 50]
        assert [r.method for r in server.requests("efetch")] == ["POST", "GET"]

        server.clear_log()
        pmids = ["12091962", "9997", "11748933", "11700088"]
        result = cli("fetch", *pmids, "--cache-dir", tmp_path / "cache")
        assert result.exit_code == 3
        assert "11748933\tnot retrieved: NCBI rejected this id (HTTP 400" in result.stdout
        assert cached_pmids(tmp_path / "cache") == {"12091962", "9997", "11700088"}
        sizes = [len(r.ids()) for r in server.requests("efetch")]
        assert sizes[0] == 4 and 1 in sizes  # the batch was halved down to the bad id


# ------------------------------------------------------------------------- item 10


def test_item_10_text_replies_are_read_as_text_and_html_is_retried(
    eutils_env: EutilsServer,
) -> None:
    c, _ = client(max_tries=2)
    citation = {"journal_title": "proc natl acad sci u s a", "year": "1991", "volume": "88",
                "first_page": "3248", "author_name": "mann bj", "key": "Mann1991"}
    assert c.ecitmatch([citation]) == {"Mann1991": "2014248"}
    eutils_env.add_fault("ecitmatch", "html", times=2)
    with pytest.raises(FetchError, match="HTML page"):
        c.ecitmatch([citation])


# ------------------------------------------------------------------------- item 11


def test_item_11_two_cli_runs_share_one_rate_limit(tmp_path: Path) -> None:
    bad = "11748933"
    pmids = [*RECORDED_PMIDS[:4], "27797938", "28775130", "29963580", "30108519"]
    assert bad in pmids and len(pmids) == 8
    # the 400 for the bad id makes each run halve its batch down to it: 7 quick requests
    with EutilsServer(bad_ids={bad}) as server:
        env = dict(os.environ)
        env.update(LDN_GRAPH_EUTILS_URL=server.url, LDN_GRAPH_STATE=str(tmp_path / "state"))
        procs = [
            subprocess.Popen([str(console_script()), "fetch", *pmids,
                              "--cache-dir", str(tmp_path / f"cache-{n}")],
                             env=env, cwd=tmp_path, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
            for n in range(2)
        ]
        for proc in procs:
            out, err = proc.communicate(timeout=120)
            assert proc.returncode == 3, err  # the bad id was not retrieved
            assert f"{bad}\tnot retrieved" in out
        times = sorted(r.time for r in server.requests("efetch"))
    assert len(times) == 14
    # Both runs together get NCBI's 3 requests/s: send slots are reserved 0.38 s apart.
    # Arrival times carry scheduling jitter (a run may send a little after its slot), so
    # the check allows one request of slack per second and looks at the typical gap;
    # with a limiter per process only, 6 requests land in one second and the typical gap
    # halves.
    busiest = max(sum(1 for t in times if start <= t < start + 1.0) for start in times)
    gaps = sorted(b - a for a, b in zip(times, times[1:], strict=False))
    assert busiest <= 4, times
    assert gaps[len(gaps) // 2] >= 0.3, gaps


# ------------------------------------------------------------------------- item 32


def test_item_32_search_terms_and_ids_cannot_inject_parameters(
    eutils_env: EutilsServer, fast_entrez: FastEntrez, tmp_path: Path
) -> None:
    term = "abcXYZ&api_key=STOLEN&db=nuccore&WebEnv=X#frag"
    result = cli("search", term, "--cache-dir", tmp_path / "cache")
    assert result.exit_code == 0, result.stderr
    [request] = eutils_env.requests("esearch")
    assert request.params["term"] == [term]  # encoded: one parameter, intact
    assert request.params["db"] == ["pubmed"] and "api_key" not in request.params
    assert "WebEnv" not in request.params
    bad = cli("fetch", "1&api_key=STOLEN", "--cache-dir", tmp_path / "cache")
    assert bad.exit_code == 2 and "invalid PMID" in bad.stderr
    assert eutils_env.requests("efetch") == []


def test_item_15_pubmed_article_sets_are_never_read_with_entrez_parse(
    eutils_env: EutilsServer, fast_entrez: FastEntrez, tmp_path: Path
) -> None:
    """Item 15: Entrez.parse fails on valid PubmedArticleSet replies; efetch XML goes
    through our own lxml parser, and no module calls Entrez.parse / Entrez.read on it."""
    result = cli("fetch", *RECORDED_PMIDS, "--cache-dir", tmp_path / "cache")
    assert result.exit_code == 0, result.stderr
    assert cached_pmids(tmp_path / "cache") == set(RECORDED_PMIDS)
    for path in (ROOT / "ldn_graph").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == "parse":
                base = node.value
                assert not (isinstance(base, ast.Name) and base.id == "Entrez"), path
