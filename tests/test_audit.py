"""The whole path on the two example pages, and retrieval through Bio.Entrez over HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest

from ldn_graph.audit import AuditOptions, audit
from ldn_graph.ontology.vocabulary import load_vocabulary

ROOT = Path(__file__).resolve().parent.parent
TELEHEALTH = ROOT / "examples" / "000_672ef885818ac143.txt"
MONOGRAPH = ROOT / "examples" / "001_4aaa9d78fd1a3130.txt"


def verdicts(doc_audit):
    out: dict[str, set[str]] = {}
    for c in doc_audit.claims:
        out.setdefault(c.concept.name, set()).add(doc_audit.assessment(c.id).verdict)
    return out


@pytest.fixture(scope="module")
def monograph():
    return audit([MONOGRAPH], AuditOptions(offline=True)).documents[0]


def test_monograph_links_fibromyalgia_and_crohns_to_their_trials(monograph):
    for concept, pmid, level in (("Fibromyalgia", "23359310", "rct"), ("CrohnDisease", "17222320", "unknown")):
        claims = [c for c in monograph.claims if c.concept.name == concept]
        assert claims
        for c in claims:
            a = monograph.assessment(c.id)
            assert a.verdict == "inferred", a.reason  # references listed, no inline markers
            assert [e.pmid for e in a.evidence] == [pmid]
            assert a.evidence[0].level == level
    crohn = next(c for c in monograph.claims if c.concept.name == "CrohnDisease")
    reason = monograph.assessment(crohn.id).evidence[0].level_reason
    assert "title-only transcription" in reason and "no publication types" in reason


def test_monograph_mechanisms_and_other_indications_are_unsupported(monograph):
    v = verdicts(monograph)
    for concept in ("Tlr4Antagonism", "TregRestoration", "CytokineReduction", "MultipleSclerosis",
                    "HashimotoThyroiditis", "RheumatoidArthritis", "ComplexRegionalPainSyndrome"):
        assert v[concept] == {"unsupported"}, concept


def test_monograph_web_sources_are_reported(monograph):
    web = [f for f in monograph.findings if f.kind == "non_pubmed_source"]
    assert {f.reference for f in web} == {"4", "5"}
    assert any("dailymed.nlm.nih.gov" in f.message for f in web)
    assert any("ldnresearchtrust.org" in f.message for f in web)
    assert all(f.severity == "info" for f in web)


def test_telehealth_page_claims_are_all_unsupported():
    doc = audit([TELEHEALTH], AuditOptions(offline=True)).documents[0]
    v = verdicts(doc)
    assert set().union(*v.values()) == {"unsupported"}
    for concept in ("Tlr4Antagonism", "TregRestoration", "Fibromyalgia", "CrohnDisease", "HashimotoThyroiditis",
                    "MultipleSclerosis", "Lupus", "RheumatoidArthritis", "ChronicFatigueSyndrome", "Depression"):
        assert concept in v, concept
    unsupported = [f for f in doc.findings if f.kind == "unsupported_claim"]
    assert len(unsupported) == len(doc.claims)


def test_unreadable_input_is_reported_and_the_others_still_audited(tmp_path):
    result = audit([tmp_path / "missing.txt", MONOGRAPH], AuditOptions(offline=True))
    assert [e.path for e in result.errors] == [str(tmp_path / "missing.txt")]
    assert len(result.documents) == 1 and result.documents[0].claims


def test_second_vocabulary_end_to_end(tmp_path):
    page = tmp_path / "metformin-page.txt"
    page.write_text(
        "Metformin for type 2 diabetes\nMetformin lowers HbA1c and activates AMPK.\n"
        "It may help PCOS.\nSide effects\n- Diarrhoea\n- Lactic acidosis (rare)\n",
        encoding="utf-8",
    )
    vocab_file = ROOT / "tests" / "data" / "vocabulary-synthetic-metformin.ttl"
    result = audit([page], AuditOptions(offline=True, vocabulary=vocab_file))
    assert result.run.vocabulary_source == str(vocab_file)
    names = {(c.concept.name, c.type) for c in result.documents[0].claims}
    assert ("GlycemicControl", "benefit") in names and ("AmpkActivation", "mechanism") in names
    assert ("Pcos", "indication") in names and ("LacticAcidosis", "safety") in names
    assert load_vocabulary(vocab_file).subject_label == "metformin"


# ---------------------------------------------------------------- retrieval over HTTP


def test_retrieval_goes_through_bio_entrez_and_then_hits_the_cache(tmp_path, eutils_env):
    page = tmp_path / "cites-real-records.txt"
    page.write_text(
        "Budesonide helps asthma [1]. Lactate thresholds matter [2].\n\n"
        "1. O'Byrne PM, et al. Inhaled Combined Budesonide-Formoterol as Needed in Mild Asthma. N Engl J Med. 2018. PMID: 29768149\n"
        "2. A study. J Synth. 2018;1:1. https://pubmed.ncbi.nlm.nih.gov/30108519/\n",
        encoding="utf-8",
    )
    options = AuditOptions(cache_dir=tmp_path / "cache")
    first = audit([page], options)
    efetch = eutils_env.requests("efetch")
    assert len(efetch) == 1  # one batch, never one request per record
    assert sorted(efetch[0].ids()) == ["29768149", "30108519"]
    assert set(first.records) == {"29768149", "30108519"}
    assert {r.provenance.origin for r in first.records.values()} == {"entrez"}
    assert first.records["29768149"].study.title.startswith("Inhaled Combined Budesonide-Formoterol")
    eutils_env.clear_log()
    second = audit([page], options)
    assert eutils_env.requests() == []  # a cache hit makes no request
    assert set(second.records) == set(first.records)


def test_no_network_is_said_once_and_the_cache_still_used(tmp_path):
    # LDN_GRAPH_EUTILS_URL points at a closed port (conftest): the network is "down"
    page = tmp_path / "p.txt"
    page.write_text("LDN helps fibromyalgia [1]. LDN helps lupus [2].\n\n1. Younger J. 2013. PMID: 23359310\n2. X. 2014. PMID: 900000007\n")
    result = audit([page], AuditOptions())
    assert len(result.run.notes) == 1 and "network unavailable" in result.run.notes[0]
    doc = result.documents[0]
    v = {c.concept.name: doc.assessment(c.id).verdict for c in doc.claims}
    assert v == {"Fibromyalgia": "supported", "Lupus": "unverified"}
    assert "900000007" in result.unavailable


def test_references_without_a_pmid_are_resolved_and_verified(tmp_path, eutils_server, monkeypatch):
    """The monograph's fibromyalgia citation without its PubMed link: the cached (seed)
    record of PMID 23359310 confirms author, year, volume, page and title, with no
    request, and the claim that cites it is supported. A copy with the wrong year is
    looked up online (ESearch on the title finds 23359310) and rejected, never linked."""
    from eutils_server import EutilsServer

    monkeypatch.setenv("NCBI_EMAIL", "tests@example.org")
    with EutilsServer(esearch_pmids=["23359310"]) as server:
        monkeypatch.setenv("LDN_GRAPH_EUTILS_URL", server.url)
        citation = (
            "Younger J, Noor N, McCue R, Mackey S. “Low-dose naltrexone for the treatment of fibromyalgia: "
            "findings of a small, randomized, double-blind, placebo-controlled, counterbalanced, crossover "
            "trial.” Arthritis Rheum. {year};65(2):529-538."
        )
        page = tmp_path / "no-links.txt"
        page.write_text(f"LDN eases fibromyalgia [1]. LDN eases fibromyalgia pain [2].\n\n1. {citation.format(year=2013)}\n2. {citation.format(year=2012)}\n")
        result = audit([page], AuditOptions(cache_dir=tmp_path / "cache"))
    doc = result.documents[0]
    refs = {r.label: r for r in doc.references}
    assert refs["1"].kind == "pubmed" and refs["1"].pmid == "23359310"
    assert refs["1"].resolution and refs["1"].resolution.startswith("cache-citation")
    assert refs["2"].pmid is None and "rejected" in (refs["2"].resolution or "")
    assert "title-search proposed PMID 23359310" in (refs["2"].resolution or "")
    verdicts = {(c.cited, c.concept.name): doc.assessment(c.id).verdict for c in doc.claims}
    assert verdicts[(("1",), "Fibromyalgia")] == "supported"
    assert verdicts[(("2",), "Fibromyalgia")] == "unverified"
    unresolved = [f for f in doc.findings if f.kind == "unresolved_reference"]
    assert [f.reference for f in unresolved] == ["2"] and "year 2012" in unresolved[0].message
