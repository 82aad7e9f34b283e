"""Round 2 of the fault catalogue, network items (issue 13: items 2, 3, 4, 6 and 8).

Hostile E-utilities replies over real HTTP from the loopback stand-in
(tests/eutils_server.py): forged and invalid records, an API key echoed in ``<ERROR>``,
redirects to FTP and to other hosts, a server trickling bytes, a huge body, an absurd
``Retry-After``; and hostile ``cache import`` files. Time and size bounds are tested with
small configured deadlines and limits (seconds, kilobytes) and counted requests; the one
case that would hang without the fix runs in a subprocess under a generous timeout.
"""

from __future__ import annotations

import json
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_helpers import cli, console_script, python_env
from entrez_helpers import FastEntrez
from entrez_helpers import make_client as client
from eutils_server import EutilsServer, Fault
from robust_helpers import MEDLINE_2016, MONOGRAPH, citing_page, files_under, synthetic_article

from ldn_graph import settings
from ldn_graph.errors import FetchError, InputError
from ldn_graph.pubmed.cache import RecordCache
from ldn_graph.pubmed.parse import parse_records

SENTINEL = "SENTINEL0api0key0c0ffee5f3a9"
DEADLINE_ENV = "LDN_GRAPH_EUTILS_DEADLINE"
MAX_REPLY_ENV = "LDN_GRAPH_EUTILS_MAX_REPLY"
PUBMED_HEAD = (
    '<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, '
    '1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
)


def cached_pmids(cache_dir: Path) -> set[str]:
    with RecordCache(cache_dir, seed=None) as cache:
        return set(cache.pmids())


def article_set(*articles: str) -> str:
    return PUBMED_HEAD + "<PubmedArticleSet>\n" + "\n".join(articles) + "\n</PubmedArticleSet>\n"


# ------------------------------------------------------------------------- item 2


def test_r2_item_02_a_record_nobody_asked_for_is_named_and_never_cached(
    eutils_env: EutilsServer, fast_entrez: FastEntrez, tmp_path: Path
) -> None:
    cache_dir = tmp_path / "cache"
    forged = synthetic_article("23359310", "FORGED: naltrexone cures everything",
                               "FORGED abstract.")
    eutils_env.add_fault("efetch", Fault("forge", extra=forged))
    result = cli("fetch", "12091962", "--cache-dir", cache_dir)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("12091962\tfetched")
    assert "returned but not requested, not stored: 23359310" in result.stderr
    assert cached_pmids(cache_dir) == {"12091962"}  # only what was asked for
    # an offline audit of the monograph still uses the shipped record of 23359310
    audit = cli("audit", MONOGRAPH, "--offline", "--cache-dir", cache_dir, "--format", "json")
    assert audit.exit_code == 0, audit.stderr
    refs = {r["pmid"]: r for r in json.loads(audit.stdout)["documents"][0]["references"]}
    assert refs["23359310"]["record_origin"] == "transcribed"
    assert "FORGED" not in audit.stdout


def test_r2_item_02_history_pages_keep_only_the_records_asked_for(
    eutils_env: EutilsServer,
) -> None:
    c, _ = client(history_threshold=1)  # epost + efetch pages of the history server
    eutils_env.add_fault("efetch", Fault("forge", extra=synthetic_article("23359310", "FORGED")))
    batches = list(c.fetch_pubmed_xml(["12091962", "9997"]))
    assert eutils_env.requests("epost")  # the history server was used
    stored = {r.study.pmid for b in batches for r in b.records}
    assert stored == {"12091962", "9997"}
    assert any("not requested" in w and "23359310" in w for b in batches for w in b.warnings)


# ------------------------------------------------------------------------- item 3


def test_r2_item_03_cache_import_skips_and_names_bad_records_and_keeps_every_good_one(
    tmp_path: Path,
) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text(article_set(
        synthetic_article("900000001", "Good one"),
        synthetic_article("0", "PMID zero"),
        synthetic_article("1234567890", "Ten digits"),
        synthetic_article("12ab", "Letters"),
        synthetic_article("900000002", "Good two"),
    ), encoding="utf-8")
    cache_dir = tmp_path / "cache"
    result = cli("cache", "import", bad, MEDLINE_2016, "--cache-dir", cache_dir)
    assert result.exit_code == 2  # an input could not be read (in part)
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert errors == [
        "Error: bad.xml: record 2 has PMID '0', which is not a PMID (1 to 9 digits without "
        "a leading zero); skipped",
        "Error: bad.xml: record 3 has PMID '1234567890', which is not a PMID (1 to 9 digits "
        "without a leading zero); skipped",
        "Error: bad.xml: record 4 has PMID '12ab', which is not a PMID (1 to 9 digits "
        "without a leading zero); skipped",
    ]
    good = {s.pmid for s in parse_records(MEDLINE_2016)}
    assert len(good) > 500
    assert cached_pmids(cache_dir) == good | {"900000001", "900000002"}
    assert "from 2 of 2 file(s)" in result.stdout and "3 skipped (PMID not valid)" in result.stdout


def test_r2_item_03_bad_records_are_named_one_line_each_up_to_a_cap(tmp_path: Path) -> None:
    from ldn_graph.pubmed.importing import MAX_INVALID_NAMED

    bad = tmp_path / "many.xml"
    count = MAX_INVALID_NAMED + 5
    bad.write_text(article_set(*(synthetic_article("0" * (i % 3 + 1) + str(i), f"Bad {i}")
                                 for i in range(count)),
                               synthetic_article("900000003", "Good")), encoding="utf-8")
    result = cli("cache", "import", bad, "--cache-dir", tmp_path / "cache")
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == MAX_INVALID_NAMED + 1
    assert errors[-1] == "Error: 5 more record(s) with a PMID that is not valid were skipped"
    assert cached_pmids(tmp_path / "cache") == {"900000003"}


def test_r2_item_03_a_reply_with_a_bad_record_is_audited_and_names_it(
    eutils_env: EutilsServer, fast_entrez: FastEntrez, tmp_path: Path
) -> None:
    cache_dir = tmp_path / "cache"
    hostile = synthetic_article("0", "PMID zero") + synthetic_article("12345678901", "Eleven")
    eutils_env.add_fault("efetch", Fault("forge", extra=hostile), times=2)
    page = citing_page(tmp_path / "page.txt", ["12091962", "9997"])
    out = tmp_path / "report.json"
    result = cli("audit", page, "--cache-dir", cache_dir, "--format", "json", "-o", out)
    assert result.exit_code == 0, result.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    refs = {r["pmid"]: r for r in report["documents"][0]["references"]}
    assert refs["12091962"]["record_origin"] == refs["9997"]["record_origin"] == "entrez"
    shown = result.stderr + out.read_text(encoding="utf-8")
    assert "a record NCBI returned has PMID '0', which is not a PMID" in shown
    assert "a record NCBI returned has PMID '12345678901'" in shown
    assert cached_pmids(cache_dir) == {"12091962", "9997"}
    fetched = cli("fetch", "11748933", "--cache-dir", cache_dir)  # fetch says so too
    assert fetched.exit_code == 0, fetched.stderr
    assert "has PMID '0'" in fetched.stderr


# ------------------------------------------------------------------------- item 4


def test_r2_item_04_a_key_echoed_in_error_text_is_in_no_output(
    eutils_env: EutilsServer, fast_entrez: FastEntrez, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NCBI_API_KEY", SENTINEL)
    # the key as sent, and once with its first letter as a character reference (which
    # only the XML parser turns back into the key)
    error = (f"<ERROR>API key {SENTINEL} is not allowed here; key: &#83;{SENTINEL[1:]}"
             "</ERROR>")
    eutils_env.add_fault("efetch", Fault("body", body=article_set(error).encode()), times=20)
    cache_dir, out = tmp_path / "cache", tmp_path / "out"
    out.mkdir()
    page = citing_page(tmp_path / "page.txt", ["12091962", "9997"])
    texts: list[str] = []
    fetched = cli("fetch", "12091962", "--cache-dir", cache_dir)
    texts += [fetched.stdout, fetched.stderr]
    assert fetched.exit_code == 3
    assert "12091962\tnot retrieved: NCBI reported: API key *** is not allowed here; key: ***" \
        in fetched.stdout
    for fmt in ("table", "markdown", "json", "html"):
        result = cli("audit", page, "--cache-dir", cache_dir, "--format", fmt,
                     "-o", out / f"report.{fmt}")
        texts += [result.stdout, result.stderr]
        assert result.exit_code == 0, result.stderr
    for fmt in ("turtle", "nt", "jsonld", "graphml"):
        result = cli("export", page, "--cache-dir", cache_dir, "--format", fmt,
                     "-o", out / f"graph.{fmt}")
        texts += [result.stdout, result.stderr]
        assert result.exit_code == 0, result.stderr
    produced = files_under(out, cache_dir)
    assert len(produced) >= 8
    assert [p.name for p in produced if SENTINEL.encode() in p.read_bytes()] == []
    assert all(SENTINEL not in text for text in texts)
    assert "API key *** is not allowed" in (out / "report.json").read_text(encoding="utf-8")


# ------------------------------------------------------------------------- item 6


@pytest.fixture
def ftp_listener() -> Iterator[tuple[int, list[str]]]:
    """A loopback port standing in for an FTP server: it records every connection and
    answers ``421`` (so an FTP client gives up at once)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.1)
    seen: list[str] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, peer = server.accept()
            except OSError:
                continue
            seen.append(f"{peer[0]}:{peer[1]}")
            with conn:
                conn.sendall(b"421 Service not available\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1], seen
    finally:
        stop.set()
        thread.join(timeout=5)
        server.close()


def test_r2_item_06_redirects_stay_on_the_configured_host_over_http(
    eutils_env: EutilsServer, fast_entrez: FastEntrez, tmp_path: Path,
    ftp_listener: tuple[int, list[str]],
) -> None:
    cache_dir = tmp_path / "cache"
    # a redirect on the same host is followed
    eutils_env.add_fault("efetch", Fault("redirect", location=eutils_env.url + "efetch.fcgi?{query}"))
    ok = cli("fetch", "9997", "--cache-dir", cache_dir)
    assert ok.exit_code == 0, ok.stderr
    assert [r.status for r in eutils_env.requests("efetch")] == [302, 200]
    # to FTP: refused, nothing opened there, not retried
    port, ftp_seen = ftp_listener
    eutils_env.clear_log()
    eutils_env.add_fault("efetch", Fault("redirect", location=f"ftp://127.0.0.1:{port}/x.xml"))
    to_ftp = cli("fetch", "12091962", "--cache-dir", cache_dir)
    assert to_ftp.exit_code == 3
    assert f"redirect (HTTP 302) to ftp://127.0.0.1:{port}" in to_ftp.stderr
    assert ftp_seen == []
    assert len(eutils_env.requests("efetch")) == 1
    # to another host: refused, that host never hears of us
    with EutilsServer() as other:
        target = f"http://localhost:{other.port}/entrez/eutils/efetch.fcgi?{{query}}"
        eutils_env.add_fault("efetch", Fault("redirect", location=target))
        elsewhere = cli("fetch", "11748933", "--cache-dir", cache_dir)
        assert elsewhere.exit_code == 3
        assert f"to http://localhost:{other.port}, which is not http://127.0.0.1" in elsewhere.stderr
        assert other.log == []
    assert cached_pmids(cache_dir) == {"9997"}
    # the opener cannot even speak FTP, file: or data:
    c, _ = client()
    handlers = c._opener.handlers  # type: ignore[attr-defined]
    assert not [h for h in handlers
                if any(hasattr(h, f"{scheme}_open") for scheme in ("ftp", "file", "data"))]


@pytest.mark.parametrize(("target", "allowed"), [
    ("http://127.0.0.1:8000/entrez/eutils/efetch.fcgi?id=1", True),
    ("https://127.0.0.1:8000/x", True),
    ("ftp://127.0.0.1:8000/x", False),
    ("file:///etc/passwd", False),
    ("http://127.0.0.2:8000/x", False),
    ("http://127.0.0.1:8001/x", False),
])
def test_r2_item_06_which_redirect_targets_are_allowed(target: str, allowed: bool) -> None:
    from ldn_graph.pubmed.eutils.transport import redirect_allowed

    assert redirect_allowed("http://127.0.0.1:8000/entrez/eutils/", target) is allowed


def test_r2_item_06_https_never_goes_down_to_http() -> None:
    from ldn_graph.pubmed.eutils.transport import redirect_allowed

    base = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
    assert redirect_allowed(base, "https://EUTILS.ncbi.nlm.nih.gov/entrez/eutils/esearch.fcgi")
    assert not redirect_allowed(base, "http://eutils.ncbi.nlm.nih.gov/entrez/eutils/x")
    assert redirect_allowed("http://eutils.ncbi.nlm.nih.gov/entrez/eutils/",
                            "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/x")


# ------------------------------------------------------------------------- item 8


def test_r2_item_08_a_server_trickling_bytes_is_cut_off_at_the_deadline(
    eutils_env: EutilsServer, tmp_path: Path
) -> None:
    """One byte every half second (each socket read succeeds): without a deadline on the
    whole exchange the fetch takes 40 s and succeeds; with ``LDN_GRAPH_EUTILS_DEADLINE=2``
    it ends after one try. A subprocess, so that a regression cannot hang the suite."""
    eutils_env.add_fault("efetch", Fault("trickle", interval=0.5, trickle_for=40.0), times=5)
    env = python_env(LDN_GRAPH_EUTILS_URL=eutils_env.url, LDN_GRAPH_EUTILS_DEADLINE="2",
                     LDN_GRAPH_STATE=str(tmp_path / "state"),
                     LDN_GRAPH_CACHE=str(tmp_path / "cache"))
    proc = subprocess.run([str(console_script()), "fetch", "9997"], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3, proc.stderr
    assert "no complete reply within the 2 s deadline" in proc.stderr
    assert "LDN_GRAPH_EUTILS_DEADLINE" in proc.stderr
    assert len(eutils_env.requests("efetch")) == 1  # the try that ran out was not retried
    assert cached_pmids(tmp_path / "cache") == set()


def test_r2_item_08_trickled_headers_are_cut_off_too_and_each_try_has_its_own_limit(
    eutils_env: EutilsServer, monkeypatch: pytest.MonkeyPatch,
) -> None:
    trickle = Fault("trickle", interval=0.5, trickle_for=40.0, trickle_headers=True)
    eutils_env.add_fault("efetch", trickle)
    monkeypatch.setenv(DEADLINE_ENV, "1.5")
    c, _ = client()
    with pytest.raises(FetchError, match=r"within the 1\.5 s deadline \(1 try"):
        list(c.fetch_pubmed_xml(["9997"]))
    assert len(eutils_env.requests("efetch")) == 1
    # a try cut off by its own timeout (the whole reply within 0.5 s) is retried while the
    # deadline allows
    eutils_env.clear_log()
    eutils_env.add_fault("efetch", trickle, times=20)
    monkeypatch.setenv(DEADLINE_ENV, "2")
    c, _ = client(timeout=0.5, max_tries=20)
    with pytest.raises(FetchError, match=r"2 s deadline .*last: no reply within the timeout"):
        list(c.fetch_pubmed_xml(["9997"]))
    assert len(eutils_env.requests("efetch")) >= 2


def test_r2_item_08_a_retry_after_beyond_60_s_ends_the_request_at_once(
    eutils_env: EutilsServer, fast_entrez: FastEntrez, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NCBI_API_KEY", "r2-test-key-5f3a9")
    eutils_env.add_fault("efetch", Fault("429", retry_after="100000"), times=10)
    result = cli("fetch", "9997", "--cache-dir", tmp_path / "cache")
    assert result.exit_code == 3
    assert "asked to wait 100000 s (Retry-After), more than the 60 s" in result.stderr
    assert "NCBI_API_KEY" not in result.stdout + result.stderr  # the key is set
    assert len(eutils_env.requests("efetch")) == 1
    assert [s for s in fast_entrez.sleeps if s >= 1.0] == []  # no silent waits
    monkeypatch.delenv("NCBI_API_KEY")
    result = cli("fetch", "9997", "--cache-dir", tmp_path / "cache")
    assert result.exit_code == 3 and "set NCBI_API_KEY" in result.stderr


@pytest.mark.parametrize("declare", [False, True], ids=["streamed", "content-length"])
def test_r2_item_08_a_reply_over_the_size_limit_is_refused_while_reading(
    eutils_env: EutilsServer, fast_entrez: FastEntrez, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, declare: bool,
) -> None:
    monkeypatch.setenv(MAX_REPLY_ENV, "4KB")
    size = 64 * 1024 * 1024
    eutils_env.add_fault("efetch", Fault("big", size=size, declare=declare), times=5)
    result = cli("fetch", "9997", "--cache-dir", tmp_path / "cache")
    assert result.exit_code == 3
    assert "the reply is larger than 4 KB, the limit for one reply" in result.stderr
    [request] = eutils_env.requests("efetch")  # refused, not retried
    for _ in range(100):  # the stand-in notices the hang-up when a write fails
        if request.finished:
            break
        time.sleep(0.1)
    assert request.finished and request.sent < size // 4  # never read whole


def test_r2_item_08_the_bounds_are_settings(monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    monkeypatch.delenv(DEADLINE_ENV, raising=False)
    monkeypatch.delenv(MAX_REPLY_ENV, raising=False)
    assert settings.eutils_deadline() == 90.0
    assert settings.eutils_max_reply() == 256 * 1024 * 1024
    monkeypatch.setenv(DEADLINE_ENV, "12.5")
    monkeypatch.setenv(MAX_REPLY_ENV, "3 MB")
    assert settings.eutils_deadline() == 12.5
    assert settings.eutils_max_reply() == 3 * 1024 * 1024
    c, _ = client()
    assert (c.deadline, c.max_reply_bytes) == (12.5, 3 * 1024 * 1024)
    for name, value in ((DEADLINE_ENV, "soon"),
                        (MAX_REPLY_ENV, "-1")):
        monkeypatch.setenv(name, value)
        with pytest.raises(InputError, match=name):
            client()
        result = cli("fetch", "9997", "--cache-dir", tmp_path / "cache")
        assert result.exit_code == 2 and result.stderr.startswith(f"Error: {name}")
        monkeypatch.delenv(name)
