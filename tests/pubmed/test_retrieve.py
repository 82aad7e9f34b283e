"""ldn_graph.pubmed.retrieve (the Retriever) and ldn_graph.pubmed.expand over real HTTP
to the loopback E-utilities stand-in (tests/eutils_server.py), with faults injected.

The client is the real EntrezClient; only its waits go to a recorder (no timed
assertions, no real sleeping).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from entrez_helpers import quick_client
from eutils_server import EutilsServer, Fault, served_ok
from paths import DATA

from ldn_graph.pubmed.cache import RecordCache
from ldn_graph.pubmed.eutils.client import EntrezClient
from ldn_graph.pubmed.expand import expand_citations
from ldn_graph.pubmed.retrieve import Policy, Retriever
from ldn_graph.terms import Stage

SEED_PMID = "23359310"  # shipped in cache/pubmed (transcribed), unknown to the stand-in


def client(**kwargs: object) -> EntrezClient:
    return quick_client(**{"timeout": 0.5, **kwargs})()


@pytest.fixture()
def cache(tmp_path: Path) -> Iterator[RecordCache]:
    with RecordCache(tmp_path / "cache") as c:  # with the shipped seed layer
        yield c


def stored_pmids(cache: RecordCache) -> list[str]:
    return [row[0] for row in cache.conn.execute("SELECT pmid FROM records")]


class NeverUsed:
    """A client that fails the test as soon as anything asks it for anything."""

    def __getattr__(self, name: str) -> object:
        raise AssertionError(f"no client should be needed (asked for {name})")


# ------------------------------------------------------------------------ Retriever.get
def test_cached_records_cost_no_request(cache: RecordCache) -> None:
    got = Retriever(cache, NeverUsed()).get([SEED_PMID])  # type: ignore[arg-type]
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

    def next_faults(stage: Stage, n: int, total: int) -> None:
        assert stage == Stage.FETCH and total == 450
        if n == 0:  # the plan, before the first request
            return
        batches.append(n)
        for fault in plan.pop(0) if plan else []:
            eutils_env.add_fault("efetch", fault)

    got = Retriever(cache, client(batch_size=100)).get(wanted, progress=next_faults)
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
    again = Retriever(cache, client()).get(wanted)
    assert again.requests == 0 and sorted(again.cached) == sorted(wanted)
    assert len(eutils_env.requests("efetch")) == len(faults)


def test_interrupt_after_the_first_batch_keeps_it_and_a_rerun_resumes(
    eutils_env: EutilsServer, cache: RecordCache
) -> None:
    wanted = eutils_env.known_pmids[:250]

    def interrupt(_stage: Stage, n: int, _total: int) -> None:
        if n:  # after the first stored batch
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        Retriever(cache, client(batch_size=100)).get(wanted, progress=interrupt)
    first = eutils_env.requests("efetch")
    assert len(first) == 1 and first[0].ids() == wanted[:100]
    assert sorted(stored_pmids(cache)) == sorted(wanted[:100])

    eutils_env.clear_log()
    got = Retriever(cache, client(batch_size=100)).get(wanted)
    rerun = eutils_env.requests("efetch")
    assert got.requests == 2 and [r.ids() for r in rerun] == [wanted[100:200], wanted[200:]]
    assert sorted(got.cached) == sorted(wanted[:100])
    assert sorted(got.fetched) == sorted(wanted[100:])
    assert sorted(stored_pmids(cache)) == sorted(wanted)


def test_a_service_failure_keeps_the_batches_already_stored(eutils_env: EutilsServer,
                                                           cache: RecordCache) -> None:
    wanted = eutils_env.known_pmids[:150]
    got_first: list[int] = []

    def fail_after_first(_stage: Stage, n: int, _total: int) -> None:
        if n:
            got_first.append(n)
            eutils_env.add_fault("efetch", "503", times=10)

    got = Retriever(cache, client(batch_size=100, max_tries=3)).get(wanted,
                                                                     progress=fail_after_first)
    assert got_first == [100]
    assert sorted(got.fetched) == sorted(wanted[:100])
    assert sorted(got.unavailable) == sorted(wanted[100:])
    assert all("503" in reason for reason in got.unavailable.values())
    assert len(got.notes) == 1 and got.notes[0].startswith("PubMed retrieval failed: ")
    assert sorted(stored_pmids(cache)) == sorted(wanted[:100])


def test_a_refresh_that_fails_keeps_the_cached_record(eutils_env: EutilsServer,
                                                      cache: RecordCache) -> None:
    got = Retriever(cache, client(), Policy(refresh=True)).get([SEED_PMID])
    assert got.requests == 1 and got.unavailable == {}
    assert got.kept == {SEED_PMID: "PubMed does not know this PMID"}
    assert got.records[SEED_PMID].provenance.origin == "transcribed"
    assert got.notes == ["1 cached record(s) could not be refreshed; kept the cached copies"]


def test_max_age_refetches_only_old_records(eutils_env: EutilsServer,
                                            cache: RecordCache) -> None:
    old, fresh = eutils_env.known_pmids[:2]
    Retriever(cache, client()).get([old, fresh])
    record = cache.get(old)
    assert record is not None
    cache.conn.execute("UPDATE records SET retrieved_at = ? WHERE pmid = ?",
                       ("2001-01-01T00:00:00+00:00", old))
    eutils_env.clear_log()
    got = Retriever(cache, client(), Policy(max_age_days=30)).get([old, fresh])
    assert [r.ids() for r in eutils_env.requests("efetch")] == [[old]]
    assert got.fetched == [old] and got.cached == [fresh]
    refreshed = cache.get(old)
    assert refreshed is not None and refreshed.provenance.retrieved_at > "2001"


def test_offline_reports_what_is_missing(cache: RecordCache) -> None:
    never = NeverUsed()
    got = Retriever(cache, never, Policy(offline=True)).get([SEED_PMID, "9997"])  # type: ignore[arg-type]
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
    got = Retriever(cache, client(base_url=url)).get(["9997"])
    assert got.unavailable == {"9997": "the network is unavailable and the record is not cached"}
    assert got.notes and got.notes[0].startswith("network unavailable (cannot reach NCBI")


def test_progress_hears_the_plan_then_each_batch(eutils_env: EutilsServer,
                                                cache: RecordCache) -> None:
    heard: list[tuple[Stage, int, int]] = []
    Retriever(cache, client()).get([SEED_PMID, "9997", "12091962"],
                                   progress=lambda *call: heard.append(call))
    assert heard == [(Stage.FETCH, 0, 2), (Stage.FETCH, 2, 2)]  # the seed record is cached


def test_each_efetch_reply_is_parsed_once(eutils_env: EutilsServer, cache: RecordCache,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The client's check and the retrieval share one parse of each efetch reply
    (ldn_graph.pubmed.parse.read_article_set), a cut reply included; nothing else in
    ldn_graph parses it (lxml's entry points are counted by caller)."""
    import sys

    from lxml import etree


    calls: list[str] = []

    def counting(name: str) -> object:
        real = getattr(etree, name)

        def call(*args: object, **kwargs: object) -> object:
            caller = sys._getframe(1).f_globals.get("__name__", "")
            if caller.startswith("ldn_graph"):
                calls.append(f"{caller}.{name}")
            return real(*args, **kwargs)

        return call

    for name in ("iterparse", "fromstring", "XML", "parse"):
        monkeypatch.setattr(etree, name, counting(name))
    eutils_env.add_fault("efetch", "truncated_xml")  # the first reply is cut: one more reply
    wanted = eutils_env.known_pmids[:5]
    got = Retriever(cache, client(batch_size=2)).get(wanted)
    assert sorted(got.fetched) == sorted(wanted)
    replies = eutils_env.requests("efetch")
    assert len(replies) == 4  # three batches, the first one asked twice
    assert calls == ["ldn_graph.pubmed.parse.iterparse"] * len(replies)


# -------------------------------------------------------------------------- search
def test_search_pages_through_hits_and_fetches_them(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    cache: RecordCache) -> None:
    with EutilsServer(esearch_pmids=None) as probe:
        hits = probe.known_pmids[:300]
    with EutilsServer(esearch_pmids=hits) as server:
        monkeypatch.setenv("LDN_GRAPH_EUTILS_URL", server.url)
        monkeypatch.setenv("LDN_GRAPH_STATE", str(tmp_path / "state"))
        retriever = Retriever(cache, client(search_page_size=100, batch_size=200))
        found = retriever.search("naltrexone")
        assert found.count == 300 and list(found.pmids) == hits
        assert len(server.requests("esearch")) == 3
        assert [int(r.param("retstart") or 0) for r in server.requests("esearch")] == [0, 100, 200]
        assert found.retrieval.requests == 2 and found.requests == 5
        assert sorted(found.retrieval.fetched) == sorted(hits)
        assert not found.limited and found.warnings == ()
        capped = retriever.search("naltrexone", max_results=50)
        assert capped.limited and len(capped.pmids) == 50
        assert capped.retrieval.requests == 0  # all cached by the first search


def test_search_without_hits_passes_on_ncbi_warnings(eutils_env: EutilsServer,
                                                     cache: RecordCache) -> None:
    found = Retriever(cache, client()).search("no such phrase")
    assert found.count == 0 and found.pmids == ()
    assert "phrase not found: abcXYZ" in found.warnings
    assert found.retrieval.requests == 0 and found.requests == 1


# ------------------------------------------------------------------------ expansion
def test_refs_use_the_reference_list_and_elink_only_without_one(
    eutils_env: EutilsServer, cache: RecordCache
) -> None:
    retriever = Retriever(cache, client())
    seeds = ["29963580", "9997"]  # pubmed7.xml has a ReferenceList of 49 PMIDs; 9997 none
    got = retriever.get(seeds)
    grown = expand_citations(retriever, seeds, got.records, "refs")
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
        retriever = Retriever(cache, client())
        seed = "9298984"  # recorded ELink reply (elink1.xml)
        got = retriever.get([seed])
        grown = expand_citations(retriever, [seed], got.records, "cited-by")
        citing = grown.links[seed]
        assert len(citing) > 10 and grown.from_elink == [seed]
        assert server.requests("elink")[0].param("linkname") == "pubmed_pubmed_citedin"
        assert grown.linked == [p for p in citing if p != seed]
        assert sorted(grown.retrieval.fetched) == sorted(grown.linked)
        assert grown.retrieval.unavailable == {}
        again = expand_citations(retriever, [seed], got.records, "cited-by")
        assert again.retrieval.requests == 0 and again.elink_requests == 1


def test_refs_offline_use_reference_lists_and_say_what_was_skipped(
    eutils_env: EutilsServer, cache: RecordCache
) -> None:
    got = Retriever(cache, client()).get(["29963580", "9997"])
    records = dict(got.records)
    records[SEED_PMID] = Retriever(cache).get([SEED_PMID]).records[SEED_PMID]
    offline = Retriever(cache, NeverUsed(), Policy(offline=True))  # type: ignore[arg-type]
    grown = expand_citations(offline, ["29963580", SEED_PMID], records, "refs")
    assert grown.from_reference_list == ["29963580"] and grown.from_elink == []
    assert len(grown.linked) == 49 and grown.requests == 0
    assert grown.notes[0] == ("offline: citation links not asked for 1 record(s) without "
                              "a ReferenceList")


def test_unknown_expansion_is_an_input_error(cache: RecordCache) -> None:
    from ldn_graph.errors import InputError

    with pytest.raises(InputError, match="unknown expansion 'cites'"):
        expand_citations(Retriever(cache), [], {}, "cites")


def test_a_record_refetched_empty_never_replaces_a_good_one(eutils_env: EutilsServer,
                                                            cache: RecordCache) -> None:
    pmid = "9997"
    Retriever(cache, client()).get([pmid])
    good = cache.get(pmid)
    assert good is not None and good.study.title
    # synthetic reply: the same PMID with no title and no abstract
    empty = (b'<?xml version="1.0"?>\n<PubmedArticleSet><PubmedArticle><MedlineCitation>'
             b'<PMID Version="1">9997</PMID><Article><ArticleTitle></ArticleTitle></Article>'
             b'</MedlineCitation></PubmedArticle></PubmedArticleSet>\n')
    eutils_env.add_fault("efetch", Fault("body", body=empty))
    got = Retriever(cache, client(), Policy(refresh=True)).get([pmid])
    assert got.records[pmid].study.title == good.study.title
    kept = cache.get(pmid)
    assert kept is not None and kept.study == good.study


def test_stored_provenance_never_holds_a_url(eutils_env: EutilsServer,
                                             cache: RecordCache) -> None:
    Retriever(cache, client()).get(["9997"])
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
