"""ldn_graph.pubmed.eutils (the E-utilities client) over real HTTP against the loopback E-utilities stand-in.

Every test talks HTTP to tests/eutils_server.py through LDN_GRAPH_EUTILS_URL; the client
is never mocked. Waits go through an injected recorder instead of time.sleep, so retry
delays are asserted as values, not timed.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from Bio import Entrez
from entrez_helpers import make_client
from eutils_server import DATA_DIR, EutilsServer, Fault, closed_port_url
from lxml import etree
from paths import ROOT

from ldn_graph.errors import FetchError, InputError, OfflineError, RateLimitError
from ldn_graph.pubmed.eutils.api import FetchedBatch
from ldn_graph.pubmed.eutils.client import DEFAULT_BASE_URL, EntrezClient, resolve_base_url
from ldn_graph.pubmed.eutils.replies import error_texts, redact

REPO = ROOT
# PMIDs of the recorded efetch replies in tests/data/eutils (pubmed*.xml).
EFETCH_PMIDS = ["29768149", "12091962", "9997", "11748933", "11700088", "27797938",
                "28775130", "30108519", "29963580"]
SENTINEL = "SENTINEL-api-key-5f3a9c"


def pmids_in(xml: bytes) -> list[str]:
    root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
    return [a.findtext("MedlineCitation/PMID") or "" for a in root.iter("PubmedArticle")]


def fetch_all(client: EntrezClient, pmids: list[str]) -> list[FetchedBatch]:
    return list(client.fetch_pubmed_xml(pmids))


# ----------------------------------------------------------------------- base URL
def test_base_url_from_environment_is_normalised(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LDN_GRAPH_EUTILS_URL", raising=False)
    assert resolve_base_url() == DEFAULT_BASE_URL
    monkeypatch.setenv("LDN_GRAPH_EUTILS_URL", "http://127.0.0.1:8/mirror/entrez/eutils")
    assert resolve_base_url() == "http://127.0.0.1:8/mirror/entrez/eutils/"


@pytest.mark.parametrize("bad", ["http://127.0.0.1:8/eutils/", "ftp://x/entrez/eutils/",
                                 "127.0.0.1/entrez/eutils/",
                                 "http://x/entrez/eutils/?api_key=SECRET"])
def test_bad_base_url_is_an_input_error(bad: str) -> None:
    with pytest.raises(InputError, match="LDN_GRAPH_EUTILS_URL") as info:
        resolve_base_url(bad)
    assert "SECRET" not in str(info.value)


# -------------------------------------------------------------------------- efetch
def test_batch_of_real_records_is_one_request(eutils_env: EutilsServer) -> None:
    client, _ = make_client()
    wanted = EFETCH_PMIDS + eutils_env.known_pmids[-3:]
    batches = fetch_all(client, wanted)
    assert len(batches) == 1
    batch = batches[0]
    assert batch.requested == tuple(wanted)
    assert set(batch.returned) == set(wanted)
    assert batch.missing == () and batch.errors == {}
    assert sorted(pmids_in(batch.xml)) == sorted(wanted)
    requests = eutils_env.requests("efetch")
    assert len(requests) == 1 and client.request_count == 1
    assert requests[0].ids() == wanted
    assert requests[0].param("db") == "pubmed" and requests[0].param("retmode") == "xml"
    assert requests[0].param("tool") == "ldn-graph"
    assert requests[0].param("email") == "tests@example.org"


def test_long_lists_are_posted_in_fixed_batches(eutils_env: EutilsServer) -> None:
    client, _ = make_client()
    wanted = eutils_env.known_pmids[:250]
    batches = fetch_all(client, wanted)
    assert [len(b.requested) for b in batches] == [200, 50]
    assert [p for b in batches for p in pmids_in(b.xml)] == wanted
    requests = eutils_env.requests("efetch")
    assert [r.method for r in requests] == ["POST", "GET"]
    assert "id" in requests[0].body_params and "id" not in requests[0].query_params


def test_unknown_ids_are_reported_missing(eutils_env: EutilsServer) -> None:
    client, _ = make_client()
    [batch] = fetch_all(client, ["12091962", "99999999", "9997", "1"])
    assert batch.returned == ("12091962", "9997")
    assert batch.missing == ("99999999", "1")
    assert client.last_errors == {"99999999": "not found in PubMed", "1": "not found in PubMed"}
    assert len(eutils_env.requests("efetch")) == 1


def test_ids_that_are_not_pmids_are_reported_and_never_sent(eutils_env: EutilsServer) -> None:
    client, _ = make_client()
    batches = fetch_all(client, ["1&api_key=STOLEN", "../../x", "9997", "0123", "1234567890"])
    errors = {k: v for b in batches for k, v in b.errors.items()}
    # one PMID rule (ldn_graph.ids): 1 to 9 digits, so a 10-digit id is never sent either
    assert set(errors) == {"1&api_key=STOLEN", "../../x", "0123", "1234567890"}
    assert errors["1234567890"] == "not a PMID (expected 1 to 9 digits without a leading zero)"
    assert [r.ids() for r in eutils_env.requests("efetch")] == [["9997"]]


def test_429_then_200_honours_retry_after(eutils_env: EutilsServer) -> None:
    eutils_env.add_fault("efetch", "429")
    client, sleeps = make_client()
    [batch] = fetch_all(client, ["9997"])
    assert batch.returned == ("9997",)
    assert len(eutils_env.requests("efetch")) == 2
    assert [r.status for r in eutils_env.requests("efetch")] == [429, 200]
    assert max(sleeps) >= 2.0  # Retry-After: 2, although backoff is 0.01 s


def test_429_every_time_is_a_rate_limit_error(eutils_env: EutilsServer) -> None:
    eutils_env.add_fault("efetch", "429", times=10)
    client, _ = make_client(max_tries=3)
    with pytest.raises(RateLimitError) as info:
        fetch_all(client, ["9997"])
    message = str(info.value)
    assert "429" in message and "NCBI_API_KEY" in message and "\n" not in message
    assert len(eutils_env.requests("efetch")) == 3


def test_503_every_time_is_a_clean_fetch_error(eutils_env: EutilsServer) -> None:
    eutils_env.add_fault("efetch", "503", times=10)
    client, sleeps = make_client(max_tries=4)
    with pytest.raises(FetchError) as info:
        fetch_all(client, ["9997"])
    assert not isinstance(info.value, RateLimitError | OfflineError)
    message = str(info.value)
    assert "503" in message and "after 4 tries" in message
    assert "<" not in message and "\n" not in message  # no HTML dumped
    assert len(eutils_env.requests("efetch")) == 4
    assert len([s for s in sleeps if s > 0]) >= 3  # backed off between the tries


def test_502_then_200_succeeds(eutils_env: EutilsServer) -> None:
    eutils_env.add_fault("efetch", "502")
    client, _ = make_client()
    [batch] = fetch_all(client, ["12091962"])
    assert batch.returned == ("12091962",)
    assert [r.status for r in eutils_env.requests("efetch")] == [502, 200]


def test_html_and_empty_200_are_retried(eutils_env: EutilsServer) -> None:
    eutils_env.add_fault("efetch", "html")
    eutils_env.add_fault("efetch", "empty")
    client, _ = make_client()
    [batch] = fetch_all(client, ["12091962"])
    assert batch.returned == ("12091962",)
    assert len(eutils_env.requests("efetch")) == 3


def test_html_200_every_time_is_a_fetch_error(eutils_env: EutilsServer) -> None:
    eutils_env.add_fault("efetch", "html", times=10)
    client, _ = make_client(max_tries=3)
    with pytest.raises(FetchError, match="HTML page") as info:
        fetch_all(client, ["12091962"])
    assert "<" not in str(info.value)


@pytest.mark.parametrize("fault", ["incomplete", "truncated_xml", "disconnect"])
def test_cut_transfers_are_retried(eutils_env: EutilsServer, fault: str) -> None:
    eutils_env.add_fault("efetch", fault, times=2)
    client, _ = make_client()
    [batch] = fetch_all(client, ["12091962", "9997"])
    assert batch.returned == ("12091962", "9997")
    assert pmids_in(batch.xml) == ["12091962", "9997"]
    assert len(eutils_env.requests("efetch")) == 3


def test_stall_times_out_and_is_retried(eutils_env: EutilsServer) -> None:
    eutils_env.stall_seconds = 5.0
    eutils_env.add_fault("efetch", "stall")
    client, _ = make_client(timeout=0.5)
    [batch] = fetch_all(client, ["9997"])
    assert batch.returned == ("9997",)
    assert len(eutils_env.requests("efetch")) == 2


def test_error_inside_200_is_reported_per_id(eutils_env: EutilsServer) -> None:
    # synthetic <ERROR> text naming the id NCBI could not deliver
    eutils_env.add_fault("efetch", Fault("error_in_body", message="Cannot retrieve UID=88888888"))
    client, _ = make_client()
    [batch] = fetch_all(client, ["12091962", "88888888", "77777777", "9997"])
    assert batch.returned == ("12091962", "9997")
    assert set(batch.errors) == {"88888888"}
    assert "Cannot retrieve UID=88888888" in batch.errors["88888888"]
    assert batch.missing == ("77777777",)
    assert len(eutils_env.requests("efetch")) == 1


def test_error_without_articles_for_a_backend_failure_is_retried(
    eutils_env: EutilsServer,
) -> None:
    eutils_env.add_fault("efetch", Fault("error_in_body", message="Search Backend failed",
                                         drop_articles=True))
    client, _ = make_client()
    [batch] = fetch_all(client, ["12091962", "9997"])
    assert batch.returned == ("12091962", "9997") and batch.errors == {}
    assert len(eutils_env.requests("efetch")) == 2


def test_backend_error_every_time_becomes_per_id_errors(eutils_env: EutilsServer) -> None:
    eutils_env.add_fault("efetch", Fault("error_in_body", message="Search Backend failed",
                                         drop_articles=True), times=10)
    client, _ = make_client(max_tries=2)
    [batch] = fetch_all(client, ["12091962", "9997"])
    assert batch.returned == () and batch.xml == b""
    assert set(batch.errors) == {"12091962", "9997"}


def test_error_only_efetch_reply_is_reported_per_id(eutils_env: EutilsServer) -> None:
    # synthetic reply: the eFetchResult envelope NCBI uses for an id list it cannot serve
    body = (b'<?xml version="1.0" encoding="UTF-8" ?>\n<eFetchResult>\n'
            b"\t<ERROR>ID list is empty! Possibly it has no correct IDs.</ERROR>\n"
            b"</eFetchResult>\n")
    eutils_env.add_fault("efetch", Fault("body", body=body))
    client, _ = make_client()
    [batch] = fetch_all(client, ["88888888", "77777777"])
    assert batch.xml == b"" and batch.returned == () and batch.missing == ()
    assert set(batch.errors) == {"88888888", "77777777"}
    assert all("ID list is empty" in v for v in batch.errors.values())


def test_http_400_batch_is_split_to_isolate_the_bad_id(eutils_env: EutilsServer) -> None:
    eutils_env.bad_ids = {"11748933"}
    client, _ = make_client()
    batches = fetch_all(client, EFETCH_PMIDS)
    errors = {k: v for b in batches for k, v in b.errors.items()}
    assert set(errors) == {"11748933"}
    assert "HTTP 400" in errors["11748933"] and "ID list is empty" in errors["11748933"]
    returned = [p for b in batches for p in b.returned]
    assert sorted(returned) == sorted(p for p in EFETCH_PMIDS if p != "11748933")
    assert all(b.xml == b"" or pmids_in(b.xml) == list(b.returned) for b in batches)
    statuses = [r.status for r in eutils_env.requests("efetch")]
    assert statuses[0] == 400 and statuses.count(200) >= 2


def test_connection_refused_is_offline_fast(monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    monkeypatch.setenv("LDN_GRAPH_STATE", str(tmp_path))
    client, sleeps = make_client(base_url=closed_port_url(), backoff=5.0)
    with pytest.raises(OfflineError, match="connection refused") as info:
        fetch_all(client, ["9997"])
    assert "\n" not in str(info.value)
    assert client.request_count <= 2
    assert sum(sleeps) < 1.0  # no long back-off when nothing listens
    with pytest.raises(OfflineError):  # said once: later calls fail at once
        fetch_all(client, ["12091962"])
    assert client.request_count <= 2


def test_history_server_for_large_sets(eutils_env: EutilsServer) -> None:
    client, _ = make_client(history_threshold=3, batch_size=2)
    wanted = EFETCH_PMIDS[:5]
    batches = fetch_all(client, wanted)
    assert sorted(p for b in batches for p in b.returned) == sorted(wanted)
    assert all(not b.missing and not b.errors for b in batches)
    posts = eutils_env.requests("epost")  # chunks of history_threshold ids, one WebEnv
    assert [r.ids() for r in posts] == [wanted[:3], wanted[3:]]
    assert posts[0].param("WebEnv") is None
    assert posts[1].param("WebEnv") == "MCID_692851c130aec64bed0a8c2a"
    pages = eutils_env.requests("efetch")
    assert [(r.param("query_key"), r.param("retstart")) for r in pages] == [
        ("1", "0"), ("1", "2"), ("2", "0")]
    assert all(r.param("WebEnv") and not r.ids() for r in pages)


# --------------------------------------------------------------- other utilities
def test_esearch_pages_through_all_hits(eutils_env: EutilsServer) -> None:
    recorded = etree.parse(str(DATA_DIR / "eutils" / "esearch1.xml"))
    real_ids = [i.text for i in recorded.iter("Id")]
    eutils_env.esearch_pmids = real_ids
    client, _ = make_client(search_page_size=6)
    result = client.esearch("biopython")
    assert result.count == 20 and list(result.pmids) == real_ids
    requests = eutils_env.requests("esearch")
    assert [r.param("retstart") for r in requests] == ["0", "6", "12", "18"]
    assert all(r.param("usehistory") == "y" for r in requests)
    assert result.webenv and result.query_key == "1"


def test_esearch_max_results_limits_paging(eutils_env: EutilsServer) -> None:
    recorded = etree.parse(str(DATA_DIR / "eutils" / "esearch1.xml"))
    eutils_env.esearch_pmids = [i.text for i in recorded.iter("Id")]
    client, _ = make_client(search_page_size=6)
    result = client.esearch("biopython", max_results=10)
    assert len(result.pmids) == 10 and result.count == 20
    assert [r.param("retmax") for r in eutils_env.requests("esearch")] == ["6", "4"]


def test_esearch_splits_by_publication_date_past_the_window(eutils_env: EutilsServer) -> None:
    eutils_env.esearch_pmids = EFETCH_PMIDS  # real records, 1976-2018
    client, _ = make_client(search_window=4, search_page_size=4)
    result = client.esearch("telomere")
    assert result.count == 9
    assert sorted(result.pmids) == sorted(EFETCH_PMIDS)
    requests = eutils_env.requests("esearch")
    assert any("[dp]" in (r.param("term") or "") for r in requests)
    assert all(int(r.param("retstart") or 0) + int(r.param("retmax") or 0) <= 4
               for r in requests)


def test_esearch_without_hits_warns(eutils_env: EutilsServer) -> None:
    client, _ = make_client()
    result = client.esearch("abcXYZ")
    assert result.count == 0 and result.pmids == ()
    assert result.query_translation == "(abcXYZ[All Fields])"
    assert "phrase not found: abcXYZ" in result.warnings
    assert "No items found." in result.warnings


def test_esearch_repeating_pages_stop_with_a_warning(eutils_env: EutilsServer) -> None:
    client, _ = make_client()  # recorded esearch1: Count 63, the same 20 ids every page
    result = client.esearch("biopython")
    assert result.count == 63 and len(result.pmids) == 20
    assert any("stopped returning new ids" in w for w in result.warnings)
    assert len(eutils_env.requests("esearch")) == 2


def test_esearch_parameter_injection_is_encoded(eutils_env: EutilsServer) -> None:
    client, _ = make_client(api_key=SENTINEL)
    client.esearch("1&api_key=STOLEN")
    [request] = eutils_env.requests("esearch")
    assert request.params["term"] == ["1&api_key=STOLEN"]
    assert request.params["api_key"] == [SENTINEL]


def test_elink_refs_and_citedin(eutils_env: EutilsServer) -> None:
    recorded = etree.parse(str(DATA_DIR / "eutils" / "elink1.xml"))

    def expected(name: str) -> list[str]:
        for db in recorded.iter("LinkSetDb"):
            if db.findtext("LinkName") == name:
                return [i.text or "" for i in db.iter("Id")]
        raise AssertionError(name)

    client, _ = make_client()
    refs = client.elink(["9298984", "12242737", "10000001"], "pubmed_pubmed_refs")
    assert refs["9298984"] == expected("pubmed_pubmed_refs") and len(refs["9298984"]) == 56
    assert refs["12242737"] == [] and refs["10000001"] == []
    cited = client.elink(["9298984"], "pubmed_pubmed_citedin")
    assert cited["9298984"] == expected("pubmed_pubmed_citedin")
    first = eutils_env.requests("elink")[0]
    assert first.params["id"] == ["9298984", "12242737", "10000001"]  # one id= per PMID
    assert first.param("linkname") == "pubmed_pubmed_refs"


def test_epost_returns_the_history_key(eutils_env: EutilsServer) -> None:
    client, _ = make_client()
    key = client.epost(["12091962", "9997"])
    assert key.webenv == "MCID_692851c130aec64bed0a8c2a" and key.query_key == "1"
    [request] = eutils_env.requests("epost")
    assert request.method == "POST" and request.ids() == ["12091962", "9997"]


def test_epost_error_reply_is_a_fetch_error(eutils_env: EutilsServer) -> None:
    client, _ = make_client()
    with pytest.raises(FetchError, match="Empty ID list"):
        client.epost(["not-an-id"])


def test_ecitmatch(eutils_env: EutilsServer) -> None:
    client, _ = make_client()
    found = client.ecitmatch([
        {"journal_title": "proc natl acad sci u s a", "year": "1991", "volume": "88",
         "first_page": "3248", "author_name": "mann bj", "key": "citation_1"},
        {"journal_title": "no such journal|x", "year": "1990", "key": "other"},
    ])
    assert found == {"citation_1": "2014248", "other": None}
    assert "other" in client.last_errors
    [request] = eutils_env.requests("ecitmatch")
    lines = request.params["bdata"][0].split("\r")
    assert lines[0].startswith("proc natl acad sci u s a|1991|88|3248|mann bj|")
    assert lines[1].startswith("no such journal x|1990|")  # "|" inside a field is removed
    assert request.param("tool") == "ldn-graph"


# ---------------------------------------------------------------- secrets, seams
def test_api_key_is_sent_but_never_shown(eutils_env: EutilsServer,
                                         caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    client, _ = make_client(api_key=SENTINEL, max_tries=2)
    assert SENTINEL not in repr(client)

    eutils_env.add_fault("efetch", "503", times=2)
    with pytest.raises(FetchError) as failed:
        fetch_all(client, ["9997"])
    eutils_env.add_fault("efetch", Fault("body", status=403, content_type="application/json",
                                         body=b'{"error":"API key invalid"}'))
    with pytest.raises(FetchError) as rejected:
        fetch_all(client, ["9997"])
    assert "HTTP 403" in str(rejected.value) and "NCBI_API_KEY" in str(rejected.value)
    batches = fetch_all(client, eutils_env.known_pmids[:200])  # POST: key in the body

    requests = eutils_env.requests("efetch")
    assert all(r.params.get("api_key") == [SENTINEL] for r in requests)
    assert "api_key" in requests[-1].body_params and "api_key" not in requests[-1].query_params
    for error in (failed.value, rejected.value):
        assert SENTINEL not in str(error) and SENTINEL not in repr(error)
        assert error.__cause__ is None
    assert SENTINEL not in caplog.text
    assert SENTINEL not in repr(client.last_errors) and SENTINEL not in repr(batches[0].errors)


def test_unusable_state_dir_falls_back_to_a_per_process_limit(
    eutils_env: EutilsServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    not_a_dir = tmp_path / "state-is-a-file"
    not_a_dir.write_text("x")
    client, _ = make_client(state_dir=not_a_dir)
    [batch] = fetch_all(client, ["9997"])
    assert batch.returned == ("9997",)
    assert "limiting this process only" in caplog.text


def test_error_texts_read_ncbi_errors_from_the_bytes() -> None:
    assert error_texts((DATA_DIR / "eutils" / "epost3.xml").read_bytes()) == [
        "Empty ID list; Nothing to store",
        "Some IDs have invalid value and were omitted. Maximum ID value 18446744073709551615",
    ]
    assert error_texts((DATA_DIR / "eutils" / "epost2.xml").read_bytes()) == [
        "Invalid db name specified: nothing"
    ]
    assert error_texts((DATA_DIR / "eutils" / "pubmed1.xml").read_bytes()) == []
    assert error_texts(b"") == []
    truncated = b"<eFetchResult><ERROR>Search Backend failed</ERROR><Para"
    assert error_texts(truncated) == ["Search Backend failed"]
    assert error_texts(b"<eFetchResult><ERROR>cut &amp; gone") == ["cut & gone"]


def test_redact_hides_api_keys() -> None:
    text = "https://eutils/efetch.fcgi?db=pubmed&api_key=abc123&id=1"
    assert redact(text) == "https://eutils/efetch.fcgi?db=pubmed&api_key=***&id=1"
    assert redact("key abc123 here", ["abc123"]) == "key *** here"


def test_biopython_is_restored_after_each_call(eutils_env: EutilsServer) -> None:
    from Bio.Entrez import Parser

    max_tries = Entrez.max_tries
    client, _ = make_client()
    fetch_all(client, ["9997"])
    assert Entrez.urlopen is urllib.request.urlopen
    assert Parser.urlopen is urllib.request.urlopen
    assert Entrez.max_tries == max_tries
    assert not any(r.path.endswith(".dtd") for r in eutils_env.log)
    assert Entrez.local_cache and not str(Entrez.local_cache).startswith(
        str(Path.home() / ".config"))


def test_unknown_dtd_is_a_clear_error_and_not_downloaded(eutils_env: EutilsServer) -> None:
    recorded = (DATA_DIR / "eutils" / "esearch8.xml").read_bytes()
    body = recorded.replace(b"20060628/esearch.dtd", b"29990101/esearch_990101.dtd")  # synthetic
    eutils_env.add_fault("esearch", Fault("body", body=body))
    client, _ = make_client()
    with pytest.raises(FetchError, match="esearch_990101.dtd"):
        client.esearch("abcXYZ")
    assert len(eutils_env.log) == 1


def test_rate_limit_is_shared_between_processes(eutils_env: EutilsServer,
                                                tmp_path: Path) -> None:
    script = (
        "from ldn_graph.pubmed.eutils.client import EntrezClient\n"
        "client = EntrezClient(max_tries=1)\n"
        "for pmid in ['12091962', '9997', '11748933', '11700088']:\n"
        "    list(client.fetch_pubmed_xml([pmid]))\n"
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    procs = [subprocess.Popen([sys.executable, "-c", script], env=env, cwd=tmp_path,
                              stderr=subprocess.PIPE) for _ in range(2)]
    for proc in procs:
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err.decode()
    times = sorted(r.time for r in eutils_env.requests("efetch"))
    assert len(times) == 8
    busiest = max(sum(1 for t in times if start <= t < start + 1.0) for start in times)
    assert busiest <= 3, times


def test_stand_in_serves_recorded_files_and_404_for_dtds(eutils_server: EutilsServer) -> None:
    for name, recorded in [("einfo.fcgi", "einfo1.xml"), ("espell.fcgi", "espell.xml"),
                           ("esummary.fcgi", "esummary1.xml")]:
        with urllib.request.urlopen(eutils_server.url + name + "?db=pubmed", timeout=5) as reply:
            assert reply.read() == (DATA_DIR / "eutils" / recorded).read_bytes()
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(eutils_server.url + "dtd/pubmed_250101.dtd", timeout=5)
    assert info.value.code == 404
