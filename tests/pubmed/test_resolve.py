"""ldn_graph.pubmed.resolve: citation parsing (pure), candidate verification, and
resolution over real HTTP to the loopback E-utilities stand-in.

Real citations come from examples/001_4aaa9d78fd1a3130.txt; the records they are checked
against are the shipped seed records (cache/pubmed, transcribed from verified facts) and
the stand-in's recorded PubMed records. Citations written for a test are marked
synthetic.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from entrez_helpers import quick_client
from eutils_server import EutilsServer, Fault
from paths import ROOT

from ldn_graph.extract.citations import (
    CitationFields,
    normalise_title,
    parse_citation,
    title_similarity,
)
from ldn_graph.extract.references import classify_reference
from ldn_graph.model import Reference
from ldn_graph.pubmed.cache import RecordCache
from ldn_graph.pubmed.eutils.client import EntrezClient
from ldn_graph.pubmed.resolve import resolve_references
from ldn_graph.pubmed.retrieve import Policy, Retriever
from ldn_graph.pubmed.verify import verify_candidate

EXAMPLE = ROOT / "examples" / "001_4aaa9d78fd1a3130.txt"


def example_citations() -> list[str]:
    """The five entries of the example monograph's reference list, as written."""
    out = []
    for line in EXAMPLE.read_text(encoding="utf-8").splitlines():
        found = re.match(r"\s*[1-5]\.\s+(.*(?:https?://|accessed).*)$", line)
        if found:
            out.append(found.group(1).strip())
    assert len(out) == 5
    return out


def without_link(text: str) -> str:
    """The citation with its PubMed link removed: what a reference without a PMID is."""
    return re.sub(r"\s*https?://\S+", "", text)


def ref(label: str, text: str) -> Reference:
    return classify_reference(label, text, 0, len(text))


def client(**kwargs: object) -> EntrezClient:
    return quick_client(**{"timeout": 2.0, **kwargs})()


@pytest.fixture()
def cache(tmp_path: Path) -> Iterator[RecordCache]:
    with RecordCache(tmp_path / "cache") as c:  # the shipped seed records included
        yield c


@pytest.fixture()
def bare_cache(tmp_path: Path) -> Iterator[RecordCache]:
    """A cache without seed records: what is found comes from the stand-in."""
    with RecordCache(tmp_path / "bare", seed=None) as c:
        yield c


# the real record 27797938 the stand-in serves (eutils/pubmed4.xml), cited in Vancouver style
BAO = ("Bao Y, Prescott J, Yuan C, et al. Leucocyte telomere length, genetic variants at the "
       "TERT gene region and risk of pancreatic cancer. Gut. 2017;66(6):1116-1122.")


@pytest.fixture()
def serve(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., EutilsServer]:
    """Start a stand-in with the given options and point the environment at it."""
    started: list[EutilsServer] = []

    def start(**kwargs: object) -> EutilsServer:
        server = EutilsServer(**kwargs).start()  # type: ignore[arg-type]
        started.append(server)
        monkeypatch.setenv("LDN_GRAPH_EUTILS_URL", server.url)
        monkeypatch.setenv("LDN_GRAPH_STATE", str(tmp_path / "state"))
        monkeypatch.setenv("NCBI_EMAIL", "tests@example.org")
        monkeypatch.delenv("NCBI_API_KEY", raising=False)
        return server

    yield start  # type: ignore[misc]
    for server in started:
        server.stop()


# --------------------------------------------------------------------------- parsing
def test_parse_the_real_reference_list() -> None:
    younger, smith, brown, trust, dailymed = (parse_citation(t) for t in example_citations())
    assert younger == CitationFields(
        first_author="Younger", initials="J",
        authors=("Younger J", "Noor N", "McCue R", "Mackey S"),
        year=2013, journal="Arthritis Rheum", volume="65", issue="2", first_page="529",
        last_page="538",
        title=("Low-dose naltrexone for the treatment of fibromyalgia: findings of a small, "
               "randomized, double-blind, placebo-controlled, counterbalanced, crossover trial"),
        doi=None, pmid="23359310",
    )
    # no space around the quotes, "et al.", an en dash in the pages
    assert (smith.first_author, smith.initials, smith.year) == ("Smith", "JP", 2007)
    assert smith.authors == ("Smith JP", "Stock H")
    assert smith.title == "Low-dose naltrexone therapy improves active Crohn’s disease"
    assert (smith.journal, smith.volume, smith.issue, smith.first_page, smith.last_page) == (
        "Am J Gastroenterol", "102", "4", "820", "828")
    assert (brown.first_author, brown.year, brown.journal, brown.first_page) == (
        "Brown", 2009, "Med Hypotheses", "333")
    assert brown.title == "Low-dose naltrexone for disease prevention and quality of life"
    # web sources: no author, and an access date is not a publication year
    for web in (trust, dailymed):
        assert web.first_author is None and web.year is None and web.journal is None
        assert web.title is None and not web.can_citmatch


def test_parse_vancouver_without_quotes_synthetic() -> None:
    # synthetic citation in NLM style: the title is the sentence after the authors
    fields = parse_citation(
        "Younger J, Mackey S. Fibromyalgia symptoms are reduced by low-dose naltrexone: a "
        "pilot study. Pain Med. 2009 May-Jun;10(4):663-72. doi: 10.1111/j.1526-4637.2009.00613.x."
    )
    assert fields.title == "Fibromyalgia symptoms are reduced by low-dose naltrexone: a pilot study"
    assert (fields.journal, fields.year, fields.volume, fields.issue) == ("Pain Med", 2009, "10", "4")
    assert (fields.first_page, fields.last_page) == ("663", "72")
    assert fields.doi == "10.1111/j.1526-4637.2009.00613.x"
    assert fields.author_name == "Younger J" and fields.can_citmatch


def test_parse_apa_synthetic() -> None:
    fields = parse_citation(
        "Younger, J., Noor, N., McCue, R., & Mackey, S. (2013). Low-dose naltrexone for the "
        "treatment of fibromyalgia. Arthritis & Rheumatism, 65(2), 529–538. "
        "https://doi.org/10.1002/art.37734"
    )
    assert (fields.first_author, fields.initials, fields.year) == ("Younger", "J", 2013)
    assert fields.title == "Low-dose naltrexone for the treatment of fibromyalgia"
    assert (fields.journal, fields.volume, fields.issue, fields.first_page) == (
        "Arthritis & Rheumatism", "65", "2", "529")
    assert fields.doi == "10.1002/art.37734"
    assert len(fields.authors) == 4


@pytest.mark.parametrize(("text", "surname", "initials"), [
    ("van der Berg AB, Smith C. A synthetic title here. J Test. 2001;3:45-50.", "van der Berg", "AB"),
    ("Mann BJ, Torian BE, Petri WA Jr. A synthetic title. Proc Natl Acad Sci U S A. "
     "1991 Apr 15;88(8):3248-52.", "Mann", "BJ"),
    ("O’Brien-Smith K. Synthetic hyphenated surname. BMJ. 2020;368:m1.", "O’Brien-Smith", "K"),
])
def test_parse_first_author_forms_synthetic(text: str, surname: str, initials: str) -> None:
    fields = parse_citation(text)
    assert (fields.first_author, fields.initials) == (surname, initials)
    assert fields.year is not None and fields.first_page is not None


def test_parse_what_is_not_a_citation() -> None:
    assert parse_citation("") == CitationFields()
    assert parse_citation("See our website for more, updated 2024.").year is None
    fields = parse_citation("PMID: 17222320")
    assert fields.pmid == "17222320" and fields.first_author is None


def test_title_similarity_normalises_case_and_punctuation() -> None:
    assert normalise_title("Low-Dose  Naltrexone: a Pilot Study.") == "low dose naltrexone a pilot study"
    assert title_similarity("LOW-DOSE naltrexone; a pilot study", "Low-dose naltrexone: a pilot study.") == 1.0
    # the monograph cites the fibromyalgia title without its last words
    cited = parse_citation(example_citations()[0]).title
    assert cited is not None
    full = ("Low-dose naltrexone for the treatment of fibromyalgia: findings of a small, "
            "randomized, double-blind, placebo-controlled, counterbalanced, crossover trial "
            "assessing daily pain levels.")
    assert 0.8 <= title_similarity(cited, full) < 1.0
    assert title_similarity("Low-dose naltrexone in multiple sclerosis", full) < 0.8


# ---------------------------------------------------------------------- verification
def test_verification_against_the_seed_records(cache: RecordCache) -> None:
    younger = cache.get("23359310")
    smith = cache.get("17222320")
    assert younger is not None and smith is not None
    fields = parse_citation(example_citations()[0])
    check = verify_candidate(fields, younger.study)
    assert check.passed and check.author and check.year and check.volume and check.first_page
    assert check.title is not None and check.title >= 0.8 and check.problems == ()
    wrong = verify_candidate(fields, smith.study)
    assert not wrong.passed
    assert "first author Younger ≠ record's Smith" in wrong.problems
    assert "year 2013 ≠ record's 2007" in wrong.problems


def test_a_near_miss_year_is_rejected(cache: RecordCache) -> None:
    record = cache.get("23359310")
    assert record is not None
    fields = replace(parse_citation(example_citations()[0]), year=2012)  # synthetic miss
    check = verify_candidate(fields, record.study)
    assert not check.passed and check.year is False and check.author is True
    assert check.problems == ("year 2012 ≠ record's 2013",)


def test_too_little_to_compare_is_not_a_pass(cache: RecordCache) -> None:
    record = cache.get("23359310")
    assert record is not None
    check = verify_candidate(CitationFields(first_author="Younger"), record.study)
    assert not check.passed and check.author is True
    assert check.problems[0].startswith("too little in common")
    by_doi = verify_candidate(CitationFields(doi="10.1002/ART.37734"), record.study)
    assert by_doi.passed and by_doi.doi is True


# ------------------------------------------------------------------------ resolution
def test_ecitmatch_recorded_answer_is_not_accepted_unverified(
    serve: Callable[..., EutilsServer], cache: RecordCache
) -> None:
    server = serve()
    # the citation of the recorded ecitmatch.txt line (PMID 2014248); the stand-in holds
    # no record 2014248, so the candidate cannot be verified
    text = ("Mann BJ, Torian BE, Vedvick TS, Petri WA Jr. Proc Natl Acad Sci U S A. "
            "1991;88(8):3248-52.")
    [(label, result)] = resolve_references([ref("7", text)],
                                           Retriever(cache, client())).items()
    assert label == "7" and result.status == "unverified" and result.pmid is None
    assert [(c.pmid, c.method) for c in result.candidates] == [("2014248", "ecitmatch")]
    assert result.reason == ("ecitmatch proposed PMID 2014248, but its record could not be "
                             "retrieved to verify it (PubMed does not know this PMID)")
    [request] = server.requests("ecitmatch")
    assert request.params["bdata"][0].startswith("Proc Natl Acad Sci U S A|1991|88|3248|Mann BJ|")
    assert [r.ids() for r in server.requests("efetch")] == [["2014248"]]


def test_ecitmatch_candidate_failing_verification_is_rejected(
    serve: Callable[..., EutilsServer], cache: RecordCache
) -> None:
    # rekey=True: PMID 2014248 is answered with a re-keyed copy of another real record,
    # which is exactly the wrong record verification must catch
    serve(rekey=True)
    text = ("Mann BJ, Torian BE, Vedvick TS, Petri WA Jr. Proc Natl Acad Sci U S A. "
            "1991;88(8):3248-52.")
    result = resolve_references([ref("7", text)], Retriever(cache, client()))["7"]
    assert result.status == "rejected" and result.pmid is None
    [candidate] = result.candidates
    assert candidate.pmid == "2014248" and candidate.verification is not None
    assert not candidate.verification.passed
    assert result.reason.startswith("ecitmatch proposed PMID 2014248, rejected: first author Mann ≠")


def test_ecitmatch_verified_against_the_record(serve: Callable[..., EutilsServer],
                                              bare_cache: RecordCache) -> None:
    server = serve()
    # synthetic ECitMatch reply line (NCBI's format) for the real citation BAO
    server.add_fault("ecitmatch", Fault(
        "body", content_type="text/plain; charset=UTF-8",
        body=b"Gut|2017|66|1116|Bao Y|0|27797938\n"))
    result = resolve_references([ref("1", BAO)], Retriever(bare_cache, client()))["1"]
    assert result.status == "resolved" and result.pmid == "27797938"
    assert result.method == "ecitmatch" and result.verification is not None
    assert result.verification.passed and result.queries == ()
    assert server.requests("esearch") == []
    assert [r.ids() for r in server.requests("efetch")] == [["27797938"]]


def test_a_citation_of_a_cached_record_costs_no_request(serve: Callable[..., EutilsServer],
                                                        cache: RecordCache) -> None:
    server = serve()
    text = without_link(example_citations()[0])
    result = resolve_references([ref("1", text)], Retriever(cache, client()))["1"]
    assert (result.status, result.pmid, result.method) == ("resolved", "23359310", "cache-citation")
    assert server.log == []

def test_title_search_fallback_resolves_and_verifies(serve: Callable[..., EutilsServer],
                                                     bare_cache: RecordCache) -> None:
    server = serve(esearch_pmids=["27797938"])
    result = resolve_references([ref("1", BAO)], Retriever(bare_cache, client()))["1"]
    assert result.status == "resolved" and result.pmid == "27797938"
    assert result.method == "title-search"
    [query] = result.queries
    assert query == ('"Leucocyte telomere length, genetic variants at the TERT gene region and '
                     'risk of pancreatic cancer"[ti] AND "Bao Y"[au] AND 2017[dp]')
    assert [r.param("term") for r in server.requests("esearch")] == [query]
    assert len(server.requests("ecitmatch")) == 1  # tried first, no match

def test_title_search_near_miss_is_rejected_with_the_reason(
    serve: Callable[..., EutilsServer], cache: RecordCache
) -> None:
    serve(esearch_pmids=["23359310"])
    # synthetic: reference 1 with the wrong year
    text = without_link(example_citations()[0]).replace("2013;", "2012;")
    result = resolve_references([ref("1", text)], Retriever(cache, client()))["1"]
    assert result.status == "rejected" and result.pmid is None
    assert result.reason == ("title-search proposed PMID 23359310, rejected: year 2012 ≠ "
                             "record's 2013")


def test_doi_search(serve: Callable[..., EutilsServer], bare_cache: RecordCache) -> None:
    server = serve(esearch_pmids=["27797938"])
    reference = ref("d", "See https://doi.org/10.1136/gutjnl-2016-312510 for the study.")
    assert reference.kind == "doi"
    result = resolve_references([reference], Retriever(bare_cache, client()))["d"]
    assert result.status == "resolved" and result.method == "doi-search"
    assert [r.param("term") for r in server.requests("esearch")] == ['"10.1136/gutjnl-2016-312510"[aid]']
    assert server.requests("ecitmatch") == []

def test_several_passing_candidates_are_ambiguous(serve: Callable[..., EutilsServer],
                                                  cache: RecordCache) -> None:
    with EutilsServer() as probe:
        index = probe.records
    ordered = list(index.records.values())
    # two PMIDs the re-keying stand-in answers with copies of the same real record
    first = 90000000
    second = first + len(ordered)
    source = ordered[first % len(ordered)]
    from ldn_graph.pubmed.parse import parse_study_xml

    study = parse_study_xml(source.xml.encode())
    assert study.authors and study.year and study.title
    serve(rekey=True, esearch_pmids=[str(first), str(second)])
    # synthetic citation written from that record's fields
    text = f"{study.authors[0].last_name} {study.authors[0].initials}. {study.title} {study.year}."
    result = resolve_references([ref("a", text)], Retriever(cache, client()))["a"]
    assert result.status == "ambiguous" and result.pmid is None
    assert {c.pmid for c in result.candidates} == {str(first), str(second)}
    assert result.reason == f"several PubMed records match: {first}, {second}"


def test_nothing_found_is_unresolved(serve: Callable[..., EutilsServer],
                                     bare_cache: RecordCache) -> None:
    serve()  # the recorded esearch8.xml: no hits
    text = without_link(example_citations()[2])
    result = resolve_references([ref("3", text)], Retriever(bare_cache, client()))["3"]
    assert result.status == "unresolved" and result.candidates == ()
    assert result.reason == "no PubMed record matches the citation"
    assert len(result.queries) == 2  # title + author + year, then the title alone


def test_service_failure_is_reported_not_raised(serve: Callable[..., EutilsServer],
                                                bare_cache: RecordCache) -> None:
    server = serve()
    server.add_fault("*", "503", times=50)
    text = without_link(example_citations()[1])
    result = resolve_references([ref("2", text)], Retriever(bare_cache, client(max_tries=2)))["2"]
    assert result.status == "unresolved"
    assert "ECitMatch failed: NCBI E-utilities ecitmatch failed after 2 tries" in result.reason
    assert "ESearch failed" in result.reason


def test_offline_and_what_is_considered(cache: RecordCache) -> None:
    refs = [ref(str(i), t) for i, t in enumerate(example_citations(), 1)]
    refs.append(ref("6", without_link(example_citations()[0])))
    refs.append(ref("7", BAO))

    class NoClient:
        def __getattr__(self, name: str) -> object:
            raise AssertionError("offline: no client")

    offline = Retriever(cache, NoClient(), Policy(offline=True))  # type: ignore[arg-type]
    found = resolve_references(refs, offline)
    # PubMed-linked references and the plain web pages are not looked up; a citation of
    # a cached record is resolved from the cache, another is not looked up
    assert list(found) == ["6", "7"]
    assert (found["6"].status, found["6"].pmid, found["6"].method) == ("resolved", "23359310", "cache-citation")
    assert found["7"].status == "unresolved"
    assert found["7"].reason == "not in the cache; not looked up: offline"


def test_duplicate_labels_are_refused(cache: RecordCache) -> None:
    from ldn_graph.errors import InputError

    text = without_link(example_citations()[0])
    with pytest.raises(InputError, match="reference label '1' appears twice"):
        resolve_references([ref("1", text), ref("1", text)],
                           Retriever(cache, policy=Policy(offline=True)))


# ------------------------------------------------------------ PMCIDs and what is kept
PMC_LINK = "Bao Y, et al. Gut. 2017. https://www.ncbi.nlm.nih.gov/pmc/articles/PMC5442267/"


def test_a_pmcid_is_searched_verified_and_kept_for_the_next_run(
    serve: Callable[..., EutilsServer], bare_cache: RecordCache
) -> None:
    server = serve(esearch_pmids=["27797938"])
    reference = ref("p", PMC_LINK)
    assert reference.kind == "pmc" and reference.pmcid == "PMC5442267"
    result = resolve_references([reference], Retriever(bare_cache, client()))["p"]
    assert (result.status, result.pmid, result.method) == ("resolved", "27797938", "pmcid-search")
    assert result.verification is not None and result.verification.pmcid is True
    assert [r.param("term") for r in server.requests("esearch")] == ["PMC5442267[pmcid]"]
    assert [r.ids() for r in server.requests("efetch")] == [["27797938"]]
    kept = bare_cache.known.resolution("pmcid:PMC5442267")
    assert kept is not None and (kept.pmid, kept.method) == ("27797938", "pmcid-search")
    assert bare_cache.info()["resolutions"] == 1

    # the next run, offline: the record and the resolution are in the cache
    offline = Retriever(bare_cache, policy=Policy(offline=True))
    again = resolve_references([reference], offline)["p"]
    assert (again.status, again.pmid) == ("resolved", "27797938")
    assert again.method in ("cache-pmcid", "cache-pmcid-search")
    assert len(server.requests("esearch")) == 1

    bare_cache.clear()
    assert bare_cache.info()["resolutions"] == 0


def test_a_kept_resolution_is_used_whatever_the_record_carries_and_aged_by_max_age(
    serve: Callable[..., EutilsServer], bare_cache: RecordCache
) -> None:
    server = serve(esearch_pmids=["27797938"])
    # a resolution kept by an earlier run (written here), for a PMCID the record itself
    # does not carry: only the kept resolution can name it
    bare_cache.known.remember([("pmcid:PMC1306303", "27797938", "pmcid-search")])
    reference = ref("p", "https://pmc.ncbi.nlm.nih.gov/articles/PMC1306303/")
    fresh = resolve_references([reference], Retriever(bare_cache, client()))["p"]
    # the record says PMC5442267: verification catches the disagreement
    assert fresh.status == "rejected"
    assert "PMCID PMC1306303 ≠ record's PMC5442267" in fresh.reason
    assert fresh.candidates[0].method == "cache-pmcid-search"

    aged = Retriever(bare_cache, client(), Policy(max_age_days=0))
    before = len(server.requests("esearch"))
    resolve_references([reference], aged)
    # too old for --max-age 0: asked again (the stand-in's answer is the same record)
    assert len(server.requests("esearch")) == before + 1
