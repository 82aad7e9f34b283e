"""The PubMed commands (``fetch``, ``search``, ``cache …``) through click's CliRunner and
through the installed ``ldn-graph`` console script, over real HTTP to the loopback
E-utilities stand-in with faults injected.

CliRunner tests hand the command a real EntrezClient whose waits go to a recorder
(``obj={"client_factory": ...}``), so retries cost no time; the subprocess tests use the
client exactly as a user gets it.
"""

from __future__ import annotations

import logging
import os
import pty
import re
import shutil
import sqlite3
import subprocess
import sys
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from entrez_helpers import quick_client
from eutils_server import EutilsServer, Fault, served_ok
from paths import DATA

from ldn_graph.cli.group import main
from ldn_graph.pubmed.cache import DB_NAME, RecordCache
from ldn_graph.pubmed.eutils.client import EntrezClient

DATA = DATA
MEDLINE_2016 = DATA / "medline" / "medline16n0902.xml.gz"
MEDLINE_CURRENT = DATA / "medline" / "test_current_medline.xml.gz"
SENTINEL = "SENTINEL-ncbi-key-7c1e0d"
SCRIPT = shutil.which("ldn-graph", path=str(Path(sys.executable).parent)) or shutil.which(
    "ldn-graph")


def run(args: list[str], client: Callable[[], EntrezClient] | None = None,
        **kwargs: object) -> Result:
    obj = {"client_factory": client} if client is not None else None
    return CliRunner().invoke(main, args, obj=obj, catch_exceptions=False, **kwargs)  # type: ignore[arg-type]


def cached_pmids(cache_dir: Path) -> list[str]:
    with sqlite3.connect(cache_dir / DB_NAME) as conn:
        return sorted(row[0] for row in conn.execute("SELECT pmid FROM records"))


def assert_no_secret(*places: object) -> None:
    for place in places:
        if isinstance(place, Path):
            for path in ([place] if place.is_file() else sorted(place.rglob("*"))):
                if path.is_file():
                    assert SENTINEL.encode() not in path.read_bytes(), path
        else:
            assert SENTINEL not in str(place)


@pytest.fixture()
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"


@pytest.fixture()
def keyed_env(eutils_env: EutilsServer, monkeypatch: pytest.MonkeyPatch) -> EutilsServer:
    """The stand-in, with a sentinel NCBI_API_KEY in the environment."""
    monkeypatch.setenv("NCBI_API_KEY", SENTINEL)
    return eutils_env


@pytest.fixture()
def search_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[EutilsServer]:
    """A stand-in whose esearch pages over 300 of its real records."""
    with EutilsServer() as probe:
        hits = probe.known_pmids[:300]
    with EutilsServer(esearch_pmids=hits) as server:
        monkeypatch.setenv("LDN_GRAPH_EUTILS_URL", server.url)
        monkeypatch.setenv("LDN_GRAPH_STATE", str(tmp_path / "state"))
        monkeypatch.setenv("NCBI_EMAIL", "tests@example.org")
        monkeypatch.setenv("NCBI_API_KEY", SENTINEL)
        yield server


# ----------------------------------------------------------------------------- fetch
def test_fetch_multi_batch_with_faults_keeps_every_record_once_and_the_key_secret(
    keyed_env: EutilsServer, cache_dir: Path, tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    server = keyed_env
    wanted = server.known_pmids[:350]
    server.stall_seconds = 2.0
    for fault in (Fault("429", retry_after="0"), Fault("503"), Fault("truncated_xml"),
                  Fault("stall")):
        server.add_fault("efetch", fault)
    result = run(["fetch", *wanted, "--cache-dir", str(cache_dir)],
                 quick_client(batch_size=100, max_tries=6))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert [line.split("\t")[:2] for line in lines] == [[p, "fetched"] for p in wanted]
    assert result.stderr.splitlines()[-1] == "350 fetched, 0 cached, 0 not retrieved in 8 request(s)"
    assert served_ok(server) == Counter(wanted)  # every record arrived exactly once
    assert cached_pmids(cache_dir) == sorted(wanted)
    requests = server.requests("efetch")
    assert all(r.params.get("api_key") == [SENTINEL] for r in requests)  # the key was used
    assert "\x1b[" not in result.stderr  # no progress bar when stderr is not a terminal

    again = run(["fetch", *wanted, "--cache-dir", str(cache_dir)], quick_client())
    assert again.exit_code == 0
    assert again.stderr.splitlines()[-1] == "0 fetched, 350 cached, 0 not retrieved in 0 request(s)"
    assert len(server.requests("efetch")) == len(requests)
    assert_no_secret(cache_dir, tmp_path / "ldn-graph-state", result.output, result.stderr,
                     again.output, caplog.text, [r.getMessage() for r in caplog.records])


def test_fetch_reports_what_it_could_not_retrieve(eutils_env: EutilsServer,
                                                 cache_dir: Path) -> None:
    result = run(["fetch", "9997", "99999999", "--cache-dir", str(cache_dir)], quick_client())
    assert result.exit_code == 3
    assert result.stdout.splitlines()[1] == "99999999\tnot retrieved: PubMed does not know this PMID"
    assert result.stderr.splitlines()[-1] == "1 fetched, 0 cached, 1 not retrieved in 1 request(s)"


def test_fetch_with_ncbi_down_exits_3_and_keeps_the_cache(eutils_env: EutilsServer,
                                                         cache_dir: Path) -> None:
    assert run(["fetch", "9997", "--cache-dir", str(cache_dir)], quick_client()).exit_code == 0
    eutils_env.add_fault("efetch", "503", times=20)
    result = run(["fetch", "9997", "12091962", "--refresh", "--cache-dir", str(cache_dir)],
                 quick_client(max_tries=2))
    assert result.exit_code == 3
    lines = result.stdout.splitlines()
    assert lines[0].startswith("9997\tcached (entrez; refresh failed: NCBI E-utilities efetch "
                               "failed after 2 tries: HTTP 503 (NCBI unavailable)")
    assert lines[1].startswith("12091962\tnot retrieved: NCBI E-utilities efetch failed")
    assert "note: PubMed retrieval failed: " in result.stderr
    assert cached_pmids(cache_dir) == ["9997"]


@pytest.mark.parametrize(("bad", "shown"), [("abc", "'abc'"), ("0123", "'0123'"),
                                            ("../../x", "'../../x'")])
def test_fetch_rejects_what_is_not_a_pmid(bad: str, shown: str, cache_dir: Path) -> None:
    result = run(["fetch", "9997", bad, "--cache-dir", str(cache_dir)])
    assert result.exit_code == 2
    assert result.stderr == f"Error: invalid PMID {shown}: a PMID is 1 to 9 digits without a leading zero, e.g. '23359310'\n"
    assert not cache_dir.exists()


def test_ctrl_c_keeps_the_batches_fetched_and_a_rerun_resumes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cache_dir: Path
) -> None:
    class SecondRequestFails(EutilsServer):
        """Answers the second efetch request of the run (only) with a 503."""

        failed = False

        def _next_fault(self, utility: str) -> Fault | None:
            if utility == "efetch" and len(self.requests("efetch")) == 2 and not self.failed:
                self.failed = True
                return Fault("503")
            return super()._next_fault(utility)

    with SecondRequestFails() as server:
        monkeypatch.setenv("LDN_GRAPH_EUTILS_URL", server.url)
        monkeypatch.setenv("LDN_GRAPH_STATE", str(tmp_path / "state"))
        monkeypatch.setenv("NCBI_EMAIL", "tests@example.org")
        wanted = server.known_pmids[:300]

        def ctrl_c_while_waiting(seconds: float) -> None:
            if any(r.status == 503 for r in server.requests("efetch")):
                raise KeyboardInterrupt  # the user presses Ctrl-C during the retry wait

        interrupted = run(["fetch", *wanted, "--cache-dir", str(cache_dir)],
                          quick_client(batch_size=100, sleep=ctrl_c_while_waiting))
        assert interrupted.exit_code == 130
        assert interrupted.stderr == ("Error: interrupted; everything fetched so far is kept "
                                      "in the cache — rerun to resume\n")
        assert cached_pmids(cache_dir) == sorted(wanted[:100])
        assert len(server.requests("efetch")) == 2

        server.clear_log()
        resumed = run(["fetch", *wanted, "--cache-dir", str(cache_dir)],
                      quick_client(batch_size=100))
        assert resumed.exit_code == 0
        assert [r.ids() for r in server.requests("efetch")] == [wanted[100:200], wanted[200:]]
        assert resumed.stderr.splitlines()[-1] == ("200 fetched, 100 cached, 0 not retrieved "
                                                   "in 2 request(s)")
        assert cached_pmids(cache_dir) == sorted(wanted)


def test_fetch_expand_refs(eutils_env: EutilsServer, cache_dir: Path) -> None:
    result = run(["fetch", "29963580", "9997", "--expand", "refs", "--cache-dir", str(cache_dir)],
                 quick_client())
    lines = result.stdout.splitlines()
    assert [line.split("\t")[1] for line in lines[:2]] == ["fetched", "fetched"]
    assert len(lines) == 2 + 49
    assert all(line.endswith("\tnot retrieved: PubMed does not know this PMID")
               for line in lines[2:])
    assert result.stderr.splitlines()[-1] == (
        "refs: 49 linked PMID(s) from the ReferenceList of 1 record(s) and ELink for 1 "
        "record(s); 0 fetched, 0 cached, 49 not retrieved in 2 request(s)")
    assert result.exit_code == 3  # records asked for could not be retrieved


def test_fetch_expand_cited_by(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                               cache_dir: Path) -> None:
    # rekey=True: unknown PMIDs are served as re-keyed copies of real records
    with EutilsServer(rekey=True) as server:
        monkeypatch.setenv("LDN_GRAPH_EUTILS_URL", server.url)
        monkeypatch.setenv("LDN_GRAPH_STATE", str(tmp_path / "state"))
        result = run(["fetch", "9298984", "--expand", "cited-by", "--cache-dir",
                      str(cache_dir)], quick_client())
        assert result.exit_code == 0, result.output
        summary = result.stderr.splitlines()[-1]
        found = re.fullmatch(r"cited-by: (\d+) linked PMID\(s\) from the ELink for 1 record\(s\); "
                             r"(\d+) fetched, 0 cached, 0 not retrieved in (\d+) request\(s\)",
                             summary)
        assert found is not None, summary
        linked, fetched, requests = (int(g) for g in found.groups())
        assert linked == fetched == len(result.stdout.splitlines()) - 1
        assert requests == 1 + -(-linked // 200)  # one ELink, then batches of 200
        assert len(cached_pmids(cache_dir)) == 1 + linked


# ---------------------------------------------------------------------------- search
def test_search_fetches_all_hits_through_faults(search_server: EutilsServer, cache_dir: Path,
                                                tmp_path: Path,
                                                caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    hits = search_server.esearch_pmids
    assert hits is not None
    search_server.add_fault("esearch", "503")
    search_server.add_fault("efetch", Fault("429", retry_after="0"))
    search_server.add_fault("efetch", "incomplete")
    result = run(["search", "low dose naltrexone", "--cache-dir", str(cache_dir)],
                 quick_client(search_page_size=100))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "query:          low dose naltrexone",
        "hits:           300",
        "retrieved:      300 PMID(s)",
        "fetched:        300",
        "cached:         0",
        "not retrieved:  0",
        f"requests:       {len(search_server.log)}",
    ]
    assert len(search_server.requests("esearch")) == 4  # one 503, then three pages
    assert served_ok(search_server) == Counter(hits)
    assert cached_pmids(cache_dir) == sorted(hits)
    capped = run(["search", "low dose naltrexone", "--max", "120", "--cache-dir",
                  str(cache_dir)], quick_client(search_page_size=100))
    assert "retrieved:      120 PMID(s) (limited by --max)" in capped.stdout
    assert "cached:         120" in capped.stdout
    assert_no_secret(cache_dir, tmp_path / "state", result.output, capped.output, caplog.text)


def test_search_without_hits_shows_ncbi_warnings(eutils_env: EutilsServer,
                                                 cache_dir: Path) -> None:
    result = run(["search", "no such phrase", "--cache-dir", str(cache_dir)], quick_client())
    assert result.exit_code == 0
    assert result.stderr.splitlines()[:2] == ["warning: phrase not found: abcXYZ",
                                              "warning: No items found."]
    assert "hits:           0" in result.stdout


def test_search_failure_exits_3_with_one_line(eutils_env: EutilsServer, cache_dir: Path) -> None:
    eutils_env.add_fault("esearch", "503", times=10)
    result = run(["search", "naltrexone", "--cache-dir", str(cache_dir)], quick_client(max_tries=2))
    assert result.exit_code == 3
    assert result.stderr.startswith("Error: NCBI E-utilities esearch failed after 2 tries: "
                                    "HTTP 503 (NCBI unavailable); try again later")
    assert result.stderr.count("\n") == 1


# ------------------------------------------------------------- the console script
@pytest.mark.skipif(SCRIPT is None, reason="the ldn-graph console script is not installed")
def test_console_script_fetch_and_search(search_server: EutilsServer, tmp_path: Path) -> None:
    assert SCRIPT is not None
    hits = search_server.esearch_pmids
    assert hits is not None
    cache_dir = tmp_path / "cache"
    env = dict(os.environ)
    search_server.add_fault("efetch", Fault("429", retry_after="0"))
    search_server.add_fault("efetch", "truncated_xml")
    fetched = subprocess.run([SCRIPT, "fetch", *hits[:250], "--cache-dir", str(cache_dir)],
                             capture_output=True, text=True, env=env, timeout=120)
    assert fetched.returncode == 0, fetched.stderr
    # one efetch of 250 PMIDs (batches of 500 by default) and two retries
    assert fetched.stderr.splitlines()[-1] == "250 fetched, 0 cached, 0 not retrieved in 3 request(s)"
    found = subprocess.run([SCRIPT, "search", "naltrexone", "--cache-dir", str(cache_dir)],
                           capture_output=True, text=True, env=env, timeout=120)
    assert found.returncode == 0, found.stderr
    assert "fetched:        50\ncached:         250\nnot retrieved:  0\n" in found.stdout
    assert served_ok(search_server) == Counter(hits)
    assert cached_pmids(cache_dir) == sorted(hits)
    assert all(r.params.get("api_key") == [SENTINEL] for r in search_server.log)
    assert_no_secret(cache_dir, tmp_path / "state", fetched.stdout, fetched.stderr,
                     found.stdout, found.stderr)


@pytest.mark.skipif(SCRIPT is None, reason="the ldn-graph console script is not installed")
def test_import_shows_a_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    assert SCRIPT is not None
    master, slave = pty.openpty()
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "100"}
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen([SCRIPT, "cache", "import", str(MEDLINE_2016),
                             "--cache-dir", str(tmp_path / "cache")],
                            stdout=subprocess.PIPE, stderr=slave, env=env)
    os.close(slave)
    terminal = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        terminal += chunk
    out, _ = proc.communicate(timeout=120)
    os.close(master)
    assert proc.returncode == 0
    assert out.decode() == ("imported 604 record(s) from 1 of 1 file(s): 604 stored, "
                            "0 kept as cached (already as good)\n")
    assert b"importing" in terminal and b"records" in terminal


# ----------------------------------------------------------------------------- cache
def test_cache_import_info_and_clear(cache_dir: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken-synthetic.xml"
    broken.write_text("<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID>",
                      encoding="utf-8")
    result = run(["cache", "import", str(MEDLINE_2016), str(broken), str(MEDLINE_CURRENT),
                  "--cache-dir", str(cache_dir)])
    assert result.exit_code == 2
    assert result.stdout == ("imported 608 record(s) from 2 of 3 file(s): 608 stored, "
                             "0 kept as cached (already as good)\n")
    assert result.stderr.startswith("Error: broken-synthetic.xml")
    assert "\x1b[" not in result.stderr

    info = run(["cache", "info", "--cache-dir", str(cache_dir)])
    assert info.exit_code == 0
    lines = info.stdout.splitlines()
    assert lines[0] == f"cache:        {cache_dir}"
    assert lines[1] == f"database:     {cache_dir / DB_NAME} (schema 3)"
    assert lines[2] == "records:      608 (imported 608)"
    assert lines[3] == "quarantined:  0"
    assert lines[4] == "resolutions:  0 (PMIDs found online for a DOI, PMCID or citation)"
    assert lines[5] == "searches:     0 (PubMed searches kept for suggested sources)"
    assert re.fullmatch(r"size:         \d+\.\d MB", lines[6]), lines[6]
    assert re.fullmatch(r"seed:         .+ \(3 records, read-only\)", lines[7]), lines[7]

    declined = run(["cache", "clear", "--cache-dir", str(cache_dir)], input="n\n")
    assert declined.exit_code == 1 and "Aborted" in declined.stderr
    assert len(cached_pmids(cache_dir)) == 608
    cleared = run(["cache", "clear", "--cache-dir", str(cache_dir)], input="y\n")
    assert cleared.exit_code == 0
    assert cleared.stdout.endswith(f"deleted 608 record(s) from {cache_dir}\n")
    assert cached_pmids(cache_dir) == []
    again = run(["cache", "clear", "--yes", "--cache-dir", str(cache_dir)])
    assert again.stdout == f"deleted 0 record(s) from {cache_dir}\n"
    assert "records:      0 (none)" in run(["cache", "info", "--cache-dir", str(cache_dir)]).stdout


def test_cache_verify_quarantines_and_refetches(eutils_env: EutilsServer,
                                                cache_dir: Path) -> None:
    pmids = ["9997", "12091962", "11748933"]
    assert run(["fetch", *pmids, "--cache-dir", str(cache_dir)], quick_client()).exit_code == 0
    clean = run(["cache", "verify", "--cache-dir", str(cache_dir)])
    assert clean.exit_code == 0 and clean.stdout == "cache OK: no problems found\n"

    with sqlite3.connect(cache_dir / DB_NAME) as conn:  # damage one stored record
        conn.execute("UPDATE records SET raw = ? WHERE pmid = '12091962'",
                     (zlib.compress(b"<PubmedArticle>damaged</PubmedArticle>"),))
    eutils_env.clear_log()
    found = run(["cache", "verify", "--refetch", "--cache-dir", str(cache_dir)], quick_client())
    assert found.exit_code == 1  # problems were found (and repaired)
    assert found.stdout.splitlines()[0] == ("12091962: sha256 of the raw XML does not match; "
                                            "moved to quarantine, fetch it again")
    assert found.stdout.splitlines()[1].startswith("12091962\tfetched\t")
    assert [r.ids() for r in eutils_env.requests("efetch")] == [["12091962"]]
    with RecordCache(cache_dir) as store:
        assert store.quarantined()[0][0] == "12091962"
        assert store.verify() == []
    assert cached_pmids(cache_dir) == sorted(pmids)
    assert run(["cache", "verify", "--cache-dir", str(cache_dir)]).exit_code == 0


def test_cache_verify_refetch_failure_exits_3(eutils_env: EutilsServer, cache_dir: Path) -> None:
    run(["fetch", "9997", "--cache-dir", str(cache_dir)], quick_client())
    with sqlite3.connect(cache_dir / DB_NAME) as conn:
        conn.execute("UPDATE records SET sha256 = 'x' WHERE pmid = '9997'")
    eutils_env.add_fault("efetch", "503", times=10)
    result = run(["cache", "verify", "--refetch", "--cache-dir", str(cache_dir)],
                 quick_client(max_tries=2))
    assert result.exit_code == 3
    assert result.stdout.splitlines()[1].startswith("9997\tnot retrieved: NCBI E-utilities")


def test_commands_have_help_with_an_example() -> None:
    for args in (["fetch"], ["search"], ["cache"], ["cache", "info"], ["cache", "verify"],
                 ["cache", "import"], ["cache", "clear"]):
        result = run([*args, "-h"])
        assert result.exit_code == 0 and "Example:" in result.stdout, args


def test_search_past_the_paging_window_splits_by_date(search_server: EutilsServer,
                                                      cache_dir: Path) -> None:
    # a window of 100 hits (NCBI's is 9,999) over the 300 real records the stand-in searches
    result = run(["search", "naltrexone", "--cache-dir", str(cache_dir)],
                 quick_client(search_window=100, search_page_size=100))
    terms = [r.param("term") or "" for r in search_server.requests("esearch")]
    assert any("[dp]:" in term for term in terms[1:])  # split into publication-date ranges
    hits = search_server.esearch_pmids
    assert hits is not None
    # the stand-in's records include 101 published on one day: past a 100-hit window
    # that day cannot be split further, and the search says so
    assert "warning: more than 100 hits published on 2015-10-01; only the first 100 were " \
        "retrieved" in result.stderr
    assert "warning: date-split search retrieved 299 of 300 hits" in result.stderr
    assert "hits:           300\nretrieved:      299 PMID(s)\n" in result.stdout
    assert len(cached_pmids(cache_dir)) == 299 and set(cached_pmids(cache_dir)) <= set(hits)
    assert result.exit_code == 0


def test_quiet_and_verbose_and_the_email_note(eutils_env: EutilsServer, cache_dir: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    eutils_env.add_fault("efetch", "503")  # one retry to hear about
    monkeypatch.delenv("NCBI_EMAIL")
    plain = run(["fetch", "9997", "--cache-dir", str(cache_dir)], quick_client())
    assert plain.exit_code == 0
    notes = [line for line in plain.stderr.splitlines() if line.startswith("note: ")]
    assert notes == ["note: NCBI_EMAIL is not set; NCBI asks for a contact address with E-utilities "
                     "requests (set it to your e-mail address)"]  # once, retries not said
    eutils_env.add_fault("efetch", "503")
    loud = run(["-vv", "fetch", "9997", "--refresh", "--cache-dir", str(cache_dir)], quick_client())
    assert loud.exit_code == 0
    assert any("retry 1 of" in line for line in loud.stderr.splitlines())
    assert any(line.startswith("debug: NCBI efetch: ") and " bytes in " in line for line in loud.stderr.splitlines())
    hushed = run(["-q", "fetch", "9997", "--refresh", "--cache-dir", str(cache_dir)], quick_client())
    assert hushed.exit_code == 0 and "note:" not in hushed.stderr and "debug:" not in hushed.stderr
