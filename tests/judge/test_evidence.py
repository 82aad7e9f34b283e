"""Evidence: verdicts, levels and findings.

Records named ``synthetic`` are built by hand for these tests (clearly not PubMed data);
the real-record tests use tests/data/eutils/pubmed-29768149.xml.
"""

from __future__ import annotations

import pytest
from paths import DATA, ROOT

from ldn_graph.audit import AuditOptions, audit
from ldn_graph.judge.findings import reference_mismatches
from ldn_graph.judge.levels import evidence_level, grade, level_function
from ldn_graph.judge.topic import Matcher
from ldn_graph.model import (
    AbstractSection,
    Author,
    CommentCorrection,
    MeshHeading,
    Provenance,
    PublicationType,
    Record,
    Reference,
    Study,
)
from ldn_graph.ontology.levels import load_level_rules
from ldn_graph.ontology.vocabulary import load_vocabulary
from ldn_graph.pubmed.cache import RecordCache
from ldn_graph.pubmed.parse import parse_records
from ldn_graph.terms import EvidenceLevel, Origin

DATA = DATA
SYNTHETIC = Provenance(origin="imported", retrieved_at="2026-01-01T00:00:00+00:00", source="synthetic test record")

# ---------------------------------------------------------------- synthetic records (not PubMed data)
SYN_LDN_FM = Study(  # synthetic
    pmid="900000001",
    title="Synthetic record: low-dose naltrexone for fibromyalgia, a randomized placebo-controlled trial",
    abstract=(
        AbstractSection("Synthetic abstract. Thirty women took part (n = 30)."),
        AbstractSection("Low-dose naltrexone reduced fibromyalgia pain compared with placebo.", "CONCLUSIONS"),
    ),
    authors=(Author("Synthetica", "A", "A"),),
    journal="Synthetic Journal of Pain",
    year=2013,
    mesh=(MeshHeading("D009271", "Naltrexone"), MeshHeading("D005356", "Fibromyalgia"), MeshHeading("D006801", "Humans")),
)
SYN_HYPOTHESIS = Study(  # synthetic
    pmid="900000002",
    title="Synthetic record: naltrexone, microglia and TLR4",
    abstract=(AbstractSection("We propose that low-dose naltrexone acts on TLR4 of microglia."),),
    authors=(Author("Hypothet", "B", "B"),),
    journal="Medical Hypotheses",
    journal_abbrev="Med Hypotheses",
    year=2009,
)
SYN_ALCOHOL = Study(  # synthetic: standard-dose naltrexone, not LDN
    pmid="900000003",
    title="Synthetic record: naltrexone 50 mg daily for alcohol dependence and fibromyalgia pain",
    abstract=(AbstractSection("Patients received naltrexone 50 mg daily."),),
    authors=(Author("Standard", "C", "C"),),
    year=2010,
)
SYN_PREGABALIN = Study(  # synthetic: right disease, wrong drug
    pmid="900000004",
    title="Synthetic record: pregabalin for fibromyalgia, a randomized trial",
    authors=(Author("Other", "D", "D"),),
    year=2011,
    mesh=(MeshHeading("D005356", "Fibromyalgia"),),
)
SYN_NULL = Study(  # synthetic: null result
    pmid="900000005",
    title="Synthetic record: low-dose naltrexone in Crohn's disease",
    abstract=(AbstractSection("Low-dose naltrexone did not improve Crohn's disease activity compared with placebo.", "CONCLUSIONS"),),
    authors=(Author("Nullson", "E", "E"),),
    year=2015,
)
SYN_RETRACTED = Study(  # synthetic
    pmid="900000006",
    title="Synthetic record: low-dose naltrexone for multiple sclerosis fatigue",
    authors=(Author("Retractus", "F", "F"),),
    year=2012,
    publication_types=(PublicationType("D016441", "Retracted Publication"),),
    comments_corrections=(CommentCorrection("RetractionIn", "900000099"), CommentCorrection("ErratumIn", "900000098")),
)

SYNTHETIC_DOC = """Low-dose naltrexone: synthetic copy for the evidence tests

LDN eases fibromyalgia [1]. LDN eases fibromyalgia¹. LDN eases fibromyalgia (Synthetica 2013).
LDN eases fibromyalgia (PMID: 900000001). LDN eases fibromyalgia, see https://pubmed.ncbi.nlm.nih.gov/900000001/.
LDN blocks TLR4 on microglia [2].
LDN helps fibromyalgia at any dose [3]. Fibromyalgia responds to LDN [4].
LDN improves Crohn's disease [5]. LDN reduces multiple sclerosis fatigue [6].
LDN helps lupus [7]. LDN helps rheumatoid arthritis [8]. LDN helps sleep [9].
LDN helps depression.

References
1. Synthetica A. Synthetic record: low-dose naltrexone for fibromyalgia. Synthetic Journal of Pain. 2013;1(1):1-2. https://pubmed.ncbi.nlm.nih.gov/900000001/
2. Hypothet B. Synthetic record: naltrexone, microglia and TLR4. Med Hypotheses. 2009;1:1-2. PMID: 900000002
3. Standard C. Synthetic record: naltrexone 50 mg. 2010. PMID: 900000003
4. Other D. Synthetic record: pregabalin for fibromyalgia. 2011. PMID: 900000004
5. Nullson E. Synthetic record: LDN in Crohn's disease. 2015. PMID: 900000005
6. Retractus F. Synthetic record: LDN for MS fatigue. 2012. PMID: 900000006
7. Missing G. A record that is not cached. 2014. PMID: 900000007
8. Nobody H, Someone I. An article with no identifier at all. J Synth. 2001;3(2):4-5.
9. A web page about sleep: https://example.org/ldn-sleep
"""


@pytest.fixture()
def synthetic_audit(tmp_path):
    cache = RecordCache(tmp_path / "cache")
    cache.put_many([(s, SYNTHETIC, None) for s in (SYN_LDN_FM, SYN_HYPOTHESIS, SYN_ALCOHOL, SYN_PREGABALIN, SYN_NULL, SYN_RETRACTED)])
    cache.close()
    page = tmp_path / "synthetic-copy.txt"
    page.write_text(SYNTHETIC_DOC, encoding="utf-8")
    result = audit([page], AuditOptions(offline=True, cache_dir=tmp_path / "cache"))
    doc = result.documents[0]
    by_sentence = {}
    for c in doc.claims:
        by_sentence.setdefault(c.text, {})[c.concept.name] = (c, doc.assessment(c.id))
    return doc, by_sentence


def verdict(by_sentence, sentence, concept):
    return by_sentence[sentence][concept][1]


@pytest.mark.parametrize(
    "sentence",
    [
        "LDN eases fibromyalgia [1].",
        "LDN eases fibromyalgia¹.",
        "LDN eases fibromyalgia (Synthetica 2013).",
        "LDN eases fibromyalgia (PMID: 900000001).",
        "LDN eases fibromyalgia, see https://pubmed.ncbi.nlm.nih.gov/900000001/.",
    ],
)
def test_every_marker_style_links_to_the_cited_study(synthetic_audit, sentence):
    _, by = synthetic_audit
    a = verdict(by, sentence, "Fibromyalgia")
    assert a.verdict == "supported", a.reason
    [ev] = a.evidence
    assert ev.pmid == "900000001" and ev.matched_on == "mesh"
    assert ev.level == "rct" and "randomized" in (ev.level_reason or "")
    assert ev.sample_size == 30
    assert "fibromyalgia" in ev.rationale.lower() and ev.rationale_start is not None


def test_hypothesis_paper_is_weak_evidence(synthetic_audit):
    doc, by = synthetic_audit
    a = verdict(by, "LDN blocks TLR4 on microglia [2].", "Tlr4Antagonism")
    assert a.verdict == "supported"
    assert a.evidence[0].level == "opinion" and "Medical Hypotheses" in (a.evidence[0].level_reason or "")
    weak = [f for f in doc.findings if f.kind == "weak_evidence"]
    assert any(f.claim == by["LDN blocks TLR4 on microglia [2]."]["Tlr4Antagonism"][0].id for f in weak)
    assert all(f.severity == "warning" for f in weak)


def test_standard_dose_and_other_drug_trials_are_off_topic(synthetic_audit):
    doc, by = synthetic_audit
    high = verdict(by, "LDN helps fibromyalgia at any dose [3].", "Fibromyalgia")
    assert high.verdict == "off_topic" and "50 mg" in high.reason
    other = verdict(by, "Fibromyalgia responds to LDN [4].", "Fibromyalgia")
    assert other.verdict == "off_topic" and "does not mention naltrexone" in other.reason
    assert {f.reference for f in doc.findings if f.kind == "off_topic_citation"} >= {"3", "4"}


def test_a_cited_null_result_contradicts_the_claim(synthetic_audit):
    doc, by = synthetic_audit
    a = verdict(by, "LDN improves Crohn's disease [5].", "CrohnDisease")
    assert a.verdict == "contradicted"
    assert a.reason.startswith("no cited study supports it, and [5]") and "reports no effect" in a.reason
    [ev] = a.evidence
    assert ev.direction == "null" and ev.rationale in a.reason
    kinds = {(f.kind, f.severity) for f in doc.findings if f.reference == "5"}
    assert ("contradicted_claim", "error") in kinds and ("null_or_negative_result", "warning") not in kinds


def test_retracted_and_corrected_sources(synthetic_audit):
    doc, _ = synthetic_audit
    kinds = {(f.kind, f.reference, f.severity) for f in doc.findings}
    assert ("retracted_source", "6", "error") in kinds
    assert ("corrected_source", "6", "warning") in kinds


def test_unverified_unresolved_web_and_unsupported(synthetic_audit):
    doc, by = synthetic_audit
    assert verdict(by, "LDN helps lupus [7].", "Lupus").verdict == "unverified"
    assert verdict(by, "LDN helps rheumatoid arthritis [8].", "RheumatoidArthritis").verdict == "unverified"
    assert verdict(by, "LDN helps sleep [9].", "Sleep").verdict == "unverified"
    # nothing cited inline, nothing in the list addresses it, but one PubMed record is missing
    assert verdict(by, "LDN helps depression.", "Depression").verdict == "unverified"
    kinds = {(f.kind, f.reference) for f in doc.findings}
    assert ("unresolved_reference", "8") in kinds
    assert ("non_pubmed_source", "9") in kinds
    assert any(f.kind == "unverified_claim" for f in doc.findings)


def test_inferred_and_unsupported_without_inline_citations(tmp_path):
    cache = RecordCache(tmp_path / "cache")
    cache.put_many([(SYN_LDN_FM, SYNTHETIC, None)])
    cache.close()
    page = tmp_path / "monograph-synthetic.txt"
    page.write_text(
        "LDN helps fibromyalgia. LDN helps lupus.\n\n1. Synthetica A. Synthetic record. 2013. PMID: 900000001\n",
        encoding="utf-8",
    )
    result = audit([page], AuditOptions(offline=True, cache_dir=tmp_path / "cache"))
    doc = result.documents[0]
    verdicts = {c.concept.name: doc.assessment(c.id).verdict for c in doc.claims}
    assert verdicts == {"Fibromyalgia": "inferred", "Lupus": "unsupported"}
    assert [f.kind for f in doc.findings if f.claim] == ["unsupported_claim"]


def test_reference_mismatch_catches_drifted_year_and_author():
    study = SYN_LDN_FM
    good = Reference("1", "pubmed", "Synthetica A. “Synthetic record: low-dose naltrexone for fibromyalgia, a randomized placebo-controlled trial.” Synthetic Journal of Pain. 2013;1:1.", 0, 10, pmid=study.pmid)
    assert reference_mismatches(good, study) == []
    drifted = Reference("1", "pubmed", "Younger J. “Synthetic record: low-dose naltrexone for fibromyalgia.” Synthetic Journal of Pain. 2014;1:1.", 0, 10, pmid=study.pmid)
    problems = reference_mismatches(drifted, study)
    assert any("year 2014 vs 2013" in p for p in problems)
    assert any("first author 'Younger'" in p for p in problems)
    other_journal = Reference("1", "pubmed", "Synthetica A. “Synthetic record: low-dose naltrexone for fibromyalgia, a randomized placebo-controlled trial.” Lancet. 2013;1:1.", 0, 10, pmid=study.pmid)
    assert reference_mismatches(other_journal, study) == ["journal 'Lancet' vs 'Synthetic Journal of Pain' in PubMed"]


def test_monograph_references_agree_with_their_records():
    from ldn_graph.extract.references import find_references
    from ldn_graph.read.documents import read_document

    doc = read_document(ROOT / "examples" / "001_4aaa9d78fd1a3130.txt")
    refs, _ = find_references(doc)
    seed = RecordCache(None, seed=ROOT / "cache").get_many(["23359310", "17222320", "19041189"])
    for ref in refs[:3]:
        assert reference_mismatches(ref, seed[ref.pmid].study) == [], ref.label


# ---------------------------------------------------------------- real records


@pytest.fixture(scope="module")
def asthma_trial():
    [study] = parse_records(DATA / "eutils" / "pubmed-29768149.xml")
    return study


def test_level_from_real_publication_types(asthma_trial):
    level, reason = evidence_level(asthma_trial, load_level_rules())
    assert level == "rct" and "D016449" in reason


def test_level_function_grades_records_for_a_cache_build(asthma_trial):
    rules = load_level_rules()
    record = Record(asthma_trial, SYNTHETIC)
    transcribed = Record(Study(pmid="900000099", title="Synthetic record"), Provenance(Origin.TRANSCRIBED, "2026-01-01T00:00:00+00:00"))
    assert grade(record, rules) == evidence_level(asthma_trial, rules) == (EvidenceLevel.RCT, grade(record, rules)[1])
    level_of = level_function(rules, skip=[transcribed.study.pmid])
    assert level_of(record) == grade(record, rules)
    assert level_of(transcribed) is None
    level, reason = grade(transcribed, rules)
    assert level is EvidenceLevel.UNKNOWN and "title-only transcription" in reason


def test_real_levels_for_observational_and_meta_analysis():
    rules = load_level_rules()
    [obs] = parse_records(DATA / "eutils" / "pubmed4.xml")
    assert evidence_level(obs, rules)[0] == "observational"
    meta = {s.pmid: s for s in parse_records(DATA / "medline" / "test_current_medline.xml.gz")}["28786991"]
    assert evidence_level(meta, rules)[0] == "systematic_review"


def test_topical_matching_on_a_real_record(tmp_path, asthma_trial):
    vocab = load_vocabulary(DATA / "vocabulary-synthetic-budesonide.ttl")
    matcher = Matcher(vocab)
    assert matcher.about_product(asthma_trial)[0]
    concepts = {c.name: c for c in vocab.concepts}
    asthma = matcher.about_concept(asthma_trial, concepts["Asthma"])
    assert asthma is not None and asthma.matched_on == "mesh" and "asthma" in asthma.rationale.lower()
    exacerbations = matcher.about_concept(asthma_trial, concepts["Exacerbations"])
    assert exacerbations is not None and exacerbations.matched_on == "abstract"
    assert matcher.about_concept(asthma_trial, concepts["Fibromyalgia"]) is None
    # the LDN vocabulary: an asthma trial is not about naltrexone
    assert not Matcher(load_vocabulary()).about_product(asthma_trial)[0]


def test_real_record_through_a_full_audit(tmp_path, asthma_trial):
    cache = RecordCache(tmp_path / "cache")
    cache.import_files([DATA / "eutils" / "pubmed-29768149.xml"])
    cache.close()
    page = tmp_path / "inhaler-copy.txt"
    page.write_text(
        "As-needed budesonide-formoterol controls mild asthma [1]. It also eases fibromyalgia [1].\n\n"
        "1. O'Byrne PM, FitzGerald JM, et al. Inhaled Combined Budesonide-Formoterol as Needed in Mild Asthma. "
        "N Engl J Med. 2018. PMID: 29768149\n",
        encoding="utf-8",
    )
    result = audit([page], AuditOptions(offline=True, cache_dir=tmp_path / "cache", vocabulary=DATA / "vocabulary-synthetic-budesonide.ttl"))
    doc = result.documents[0]
    got = {c.concept.name: doc.assessment(c.id) for c in doc.claims}
    assert got["Asthma"].verdict == "supported"
    assert got["Asthma"].evidence[0].level == "rct"
    assert got["Asthma"].evidence[0].sample_size == 3849
    assert got["Fibromyalgia"].verdict == "off_topic"
    assert result.records["29768149"].provenance.origin == "imported"


def test_uncontrolled_pilot_is_weak_evidence_even_with_a_trial_publication_type(tmp_path):
    pilot = Study(  # synthetic
        pmid="900000010",
        title="Synthetic record: low-dose naltrexone in Crohn's disease",
        abstract=(AbstractSection("An open-label pilot study of low-dose naltrexone in 17 patients with Crohn's disease."),),
        authors=(Author("Pilotta", "P", "P"),),
        year=2007,
        publication_types=(PublicationType("D016430", "Clinical Trial"),),
    )
    cache = RecordCache(tmp_path / "cache")
    cache.put_many([(pilot, SYNTHETIC, None)])
    cache.close()
    page = tmp_path / "pilot-synthetic.txt"
    page.write_text("LDN heals Crohn's disease [1].\n\n1. Pilotta P. Synthetic record. 2007. PMID: 900000010\n")
    doc = audit([page], AuditOptions(offline=True, cache_dir=tmp_path / "cache")).documents[0]
    [claim] = doc.claims
    a = doc.assessment(claim.id)
    assert a.verdict == "supported" and a.evidence[0].level == "clinical_trial"
    assert a.evidence[0].uncontrolled and a.evidence[0].sample_size == 17
    [weak] = [f for f in doc.findings if f.kind == "weak_evidence"]
    assert "uncontrolled pilot" in weak.message and weak.claim == claim.id
