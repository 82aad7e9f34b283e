"""ldn_graph.pubmed.retrieve and ldn_graph.pubmed.expand over real HTTP to the loopback
E-utilities stand-in (tests/eutils_server.py), with faults injected.

The client is the real EntrezClient; only its waits go to a recorder (no timed
assertions, no real sleeping).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from entrez_helpers import quick_client
from eutils_server import EutilsServer, Fault, served_ok
from paths import DATA

from ldn_graph.pubmed.cache import RecordCache
from ldn_graph.pubmed.entrez import EntrezClient
from ldn_graph.pubmed.expand import expand_citations
from ldn_graph.pubmed.retrieve import get_records, search_records

SEED_PMID = "23359310"  # shipped in cache/pubmed (transcribed), unknown to the stand-in


def factory(**kwargs: object) -> Callable[[], EntrezClient]:
    return quick_client(**{"timeout": 0.5, **kwargs})


@pytest.fixture()
def cache(tmp_path: Path) -> Iterator[RecordCache]:
    with RecordCache(tmp_path / "cache") as c:  # with the shipped seed layer
        yield c


def stored_pmids(cache: RecordCache) -> list[str]:
    return [row[0] for row in cache.conn.execute("SELECT pmid FROM records")]


def never_called() -> EntrezClient:
    raise AssertionError("no client should be needed")


# ------------------------------------------------------------------------ get_records
def test_cached_records_cost_no_request(cache: RecordCache) -> None:
    got = get_records([SEED_PMID], cache, client_factory=never_called)
    assert got.cached == [SEED_PMID] and got.fetched == [] and got.requests == 0
    assert got.records[SEED_PMID].provenance.origin == "transcribed"


def test_faults_during_a_multi_batch_fetch_lose_nothing(eutils_env: EutilsServer,
                                                        cache: RecordCache) -> None:
    wanted = eutils_env.known_pmids[:450]
    eutils_env.stall_seconds = 2.0
    # one or two faults during each of the five batches
    plan = [[Fault("503"), Fault("truncated_xml")], [Fault("incomplete")], [Fault("stall")],
            [Fault("disconnect")]]
    eutils_env.add_fault("efetch", Fault("429", retry_after="0"))
    batches: list[int] = []

    def next_faults(n: int) -> None:
        batches.append(n)
        for fault in plan.pop(0) if plan else []:
            eutils_env.add_fault("efetch", fault)

    got = get_records(wanted, cache, client_factory=factory(batch_size=100),
                      progress=next_faults)
    assert got.unavailable == {} and got.notes == []
    assert sorted(got.fetched) == sorted(wanted) and len(got.fetched) == len(set(got.fetched))
    assert batches == [100, 100, 100, 100, 50]
    faults = [r.fault for r in eutils_env.requests("efetch")]
    assert faults == ["429", None, "503", "truncated_xml", None, "incomplete", None, "stall",
                      None, "disconnect", None]
    assert got.requests == len(faults)
    assert served_ok(eutils_env) == Counter(wanted)  # each record delivered exactly once
    assert sorted(stored_pmids(cache)) == sorted(wanted)
    for pmid in wanted:
        record = got.records[pmid]
        assert record.provenance.origin == "entrez" and record.study.pmid == pmid
        assert record.provenance.source == "pubmed_250101.dtd"
    again = get_records(wanted, cache, client_factory=factory())
    assert again.requests == 0 and sorted(again.cached) == sorted(wanted)
    assert len(eutils_env.requests("efetch")) == len(faults)


def test_interrupt_after_the_first_batch_keeps_it_and_a_rerun_resumes(
    eutils_env: EutilsServer, cache: RecordCache
) -> None:
    wanted = eutils_env.known_pmids[:250]

    def interrupt(_n: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        get_records(wanted, cache, client_factory=factory(batch_size=100), progress=interrupt)
    first = eutils_env.requests("efetch")
    assert len(first) == 1 and first[0].ids() == wanted[:100]
    assert sorted(stored_pmids(cache)) == sorted(wanted[:100])

    eutils_env.clear_log()
    got = get_records(wanted, cache, client_factory=factory(batch_size=100))
    rerun = eutils_env.requests("efetch")
    assert got.requests == 2 and [r.ids() for r in rerun] == [wanted[100:200], wanted[200:]]
    assert sorted(got.cached) == sorted(wanted[:100])
    assert sorted(got.fetched) == sorted(wanted[100:])
    assert sorted(stored_pmids(cache)) == sorted(wanted)


def test_a_service_failure_keeps_the_batches_already_stored(eutils_env: EutilsServer,
                                                           cache: RecordCache) -> None:
    wanted = eutils_env.known_pmids[:150]
    got_first: list[int] = []

    def fail_after_first(n: int) -> None:
        got_first.append(n)
        eutils_env.add_fault("efetch", "503", times=10)

    got = get_records(wanted, cache, client_factory=factory(batch_size=100, max_tries=3),
                      progress=fail_after_first)
    assert got_first == [100]
    assert sorted(got.fetched) == sorted(wanted[:100])
    assert sorted(got.unavailable) == sorted(wanted[100:])
    assert all("503" in reason for reason in got.unavailable.values())
    assert len(got.notes) == 1 and got.notes[0].startswith("PubMed retrieval failed: ")
    assert sorted(stored_pmids(cache)) == sorted(wanted[:100])


def test_a_refresh_that_fails_keeps_the_cached_record(eutils_env: EutilsServer,
                                                      cache: RecordCache) -> None:
    got = get_records([SEED_PMID], cache, refresh=True, client_factory=factory())
    assert got.requests == 1 and got.unavailable == {}
    assert got.kept == {SEED_PMID: "PubMed does not know this PMID"}
    assert got.records[SEED_PMID].provenance.origin == "transcribed"
    assert got.notes == ["1 cached record(s) could not be refreshed; kept the cached copies"]


def test_max_age_refetches_only_old_records(eutils_env: EutilsServer,
                                            cache: RecordCache) -> None:
    old, fresh = eutils_env.known_pmids[:2]
    get_records([old, fresh], cache, client_factory=factory())
    record = cache.get(old)
    assert record is not None
    cache.conn.execute("UPDATE records SET retrieved_at = ? WHERE pmid = ?",
                       ("2001-01-01T00:00:00+00:00", old))
    eutils_env.clear_log()
    got = get_records([old, fresh], cache, max_age_days=30, client_factory=factory())
    assert [r.ids() for r in eutils_env.requests("efetch")] == [[old]]
    assert got.fetched == [old] and got.cached == [fresh]
    refreshed = cache.get(old)
    assert refreshed is not None and refreshed.provenance.retrieved_at > "2001"


def test_offline_reports_what_is_missing(cache: RecordCache) -> None:
    got = get_records([SEED_PMID, "9997"], cache, offline=True, client_factory=never_called)
    assert got.requests == 0 and list(got.records) == [SEED_PMID]
    assert got.unavailable == {"9997": "offline and not in the cache"}


def test_unreachable_service_is_a_note_not_an_exception(cache: RecordCache,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        tmp_path: Path) -> None:
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    monkeypatch.setenv("LDN_GRAPH_STATE", str(tmp_path / "state"))
    url = f"http://127.0.0.1:{port}/entrez/eutils/"
    got = get_records(["9997"], cache, client_factory=factory(base_url=url))
    assert got.unavailable == {"9997": "the network is unavailable and the record is not cached"}
    assert got.notes and got.notes[0].startswith("network unavailable (cannot reach NCBI")


def test_on_plan_reports_what_will_be_fetched(eutils_env: EutilsServer,
                                              cache: RecordCache) -> None:
    plans: list[tuple[int, int]] = []
    get_records([SEED_PMID, "9997", "12091962"], cache, client_factory=factory(),
                on_plan=lambda n, c: plans.append((n, c)))
    assert plans == [(2, 1)]


# -------------------------------------------------------------------------- search
def test_search_pages_through_hits_and_fetches_them(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    cache: RecordCache) -> None:
    with EutilsServer(esearch_pmids=None) as probe:
        hits = probe.known_pmids[:300]
    with EutilsServer(esearch_pmids=hits) as server:
        monkeypatch.setenv("LDN_GRAPH_EUTILS_URL", server.url)
        monkeypatch.setenv("LDN_GRAPH_STATE", str(tmp_path / "state"))
        make = factory(search_page_size=100, batch_size=200)
        found = search_records("naltrexone", cache, client_factory=make)
        assert found.count == 300 and list(found.pmids) == hits
        assert len(server.requests("esearch")) == 3
        assert [int(r.param("retstart") or 0) for r in server.requests("esearch")] == [0, 100, 200]
        assert found.retrieval.requests == 2 and found.requests == 5
        assert sorted(found.retrieval.fetched) == sorted(hits)
        assert not found.limited and found.warnings == ()
        capped = search_records("naltrexone", cache, max_results=50, client_factory=make)
        assert capped.limited and len(capped.pmids) == 50
        assert capped.retrieval.requests == 0  # all cached by the first search


def test_search_without_hits_passes_on_ncbi_warnings(eutils_env: EutilsServer,
                                                     cache: RecordCache) -> None:
    found = search_records("no such phrase", cache, client_factory=factory())
    assert found.count == 0 and found.pmids == ()
    assert "phrase not found: abcXYZ" in found.warnings
    assert found.retrieval.requests == 0 and found.requests == 1


# ------------------------------------------------------------------------ expansion
def test_refs_use_the_reference_list_and_elink_only_without_one(
    eutils_env: EutilsServer, cache: RecordCache
) -> None:
    make = factory()
    seeds = ["29963580", "9997"]  # pubmed7.xml has a ReferenceList of 49 PMIDs; 9997 none
    got = get_records(seeds, cache, client_factory=make)
    grown = expand_citations(seeds, got.records, "refs", cache, client_factory=make)
    assert grown.from_reference_list == ["29963580"] and grown.from_elink == ["9997"]
    expected = [r.pmid for r in got.records["29963580"].study.references if r.pmid]
    assert len(expected) == 49 and grown.linked == expected
    [elink] = eutils_env.requests("elink")
    assert elink.params["id"] == ["9997"] and elink.param("linkname") == "pubmed_pubmed_refs"
    # the stand-in holds none of the cited records: each is reported, none invented
    assert sorted(grown.retrieval.unavailable) == sorted(expected)
    assert grown.elink_requests == 1 and grown.requests == 2


def test_cited_by_fetches_the_citing_records(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             cache: RecordCache) -> None:
    # rekey=True: the stand-in answers unknown PMIDs with re-keyed copies of real records
    with EutilsServer(rekey=True) as server:
        monkeypatch.setenv("LDN_GRAPH_EUTILS_URL", server.url)
        monkeypatch.setenv("LDN_GRAPH_STATE", str(tmp_path / "state"))
        make = factory()
        seed = "9298984"  # recorded ELink reply (elink1.xml)
        got = get_records([seed], cache, client_factory=make)
        grown = expand_citations([seed], got.records, "cited-by", cache, client_factory=make)
        citing = grown.links[seed]
        assert len(citing) > 10 and grown.from_elink == [seed]
        assert server.requests("elink")[0].param("linkname") == "pubmed_pubmed_citedin"
        assert grown.linked == [p for p in citing if p != seed]
        assert sorted(grown.retrieval.fetched) == sorted(grown.linked)
        assert grown.retrieval.unavailable == {}
        again = expand_citations([seed], got.records, "cited-by", cache, client_factory=make)
        assert again.retrieval.requests == 0 and again.elink_requests == 1


def test_refs_offline_use_reference_lists_and_say_what_was_skipped(
    eutils_env: EutilsServer, cache: RecordCache
) -> None:
    got = get_records(["29963580", "9997"], cache, client_factory=factory())
    records = dict(got.records)
    records[SEED_PMID] = get_records([SEED_PMID], cache).records[SEED_PMID]
    grown = expand_citations(["29963580", SEED_PMID], records, "refs", cache, offline=True,
                             client_factory=never_called)
    assert grown.from_reference_list == ["29963580"] and grown.from_elink == []
    assert len(grown.linked) == 49 and grown.requests == 0
    assert grown.notes[0] == ("offline: citation links not asked for 1 record(s) without "
                              "a ReferenceList")


def test_unknown_expansion_is_an_input_error(cache: RecordCache) -> None:
    from ldn_graph.errors import InputError

    with pytest.raises(InputError, match="unknown expansion 'cites'"):
        expand_citations([], {}, "cites", cache)


def test_a_record_refetched_empty_never_replaces_a_good_one(eutils_env: EutilsServer,
                                                            cache: RecordCache) -> None:
    pmid = "9997"
    get_records([pmid], cache, client_factory=factory())
    good = cache.get(pmid)
    assert good is not None and good.study.title
    # synthetic reply: the same PMID with no title and no abstract
    empty = (b'<?xml version="1.0"?>\n<PubmedArticleSet><PubmedArticle><MedlineCitation>'
             b'<PMID Version="1">9997</PMID><Article><ArticleTitle></ArticleTitle></Article>'
             b'</MedlineCitation></PubmedArticle></PubmedArticleSet>\n')
    eutils_env.add_fault("efetch", Fault("body", body=empty))
    got = get_records([pmid], cache, refresh=True, client_factory=factory())
    assert got.records[pmid].study.title == good.study.title
    kept = cache.get(pmid)
    assert kept is not None and kept.study == good.study


def test_stored_provenance_never_holds_a_url(eutils_env: EutilsServer,
                                             cache: RecordCache) -> None:
    get_records(["9997"], cache, client_factory=factory())
    with sqlite3.connect(cache.path) as conn:
        [(source,)] = conn.execute("SELECT source FROM records WHERE pmid = '9997'").fetchall()
    assert source == "pubmed_250101.dtd"


def test_study_to_dict_is_asdict_on_every_real_record() -> None:
    """The cache stores ``Study.to_dict()``; its fast path must equal dataclasses.asdict."""
    import dataclasses
    import json

    from ldn_graph.model import Study
    from ldn_graph.pubmed.parse import iter_records

    data = DATA
    files = [*sorted((data / "eutils").glob("pubmed*.xml")),
             data / "eutils" / "title_with_html_tags.xml", *sorted((data / "medline").glob("*.gz"))]
    seen = 0
    for path in files:
        for parsed in iter_records(path, with_raw=False):
            fast = parsed.study.to_dict()
            assert fast == dataclasses.asdict(parsed.study)
            assert json.dumps(fast) == json.dumps(dataclasses.asdict(parsed.study))
            assert Study.from_dict(json.loads(json.dumps(fast))) == parsed.study
            seen += 1
    assert seen == 618
