"""Offline, a study cited by DOI only, by PMC link only or by its citation text only gets
the same verdicts as one cited by PMID, when the cache holds its record.

Records: the three seed records shipped in ``cache/pubmed`` (real, transcribed), the real
record 27797938 (``tests/data/eutils/pubmed4.xml``, which carries PMC5442267), and one
SYNTHETIC record written here (PMID 900000101, PMCID PMC900000101: invented for this
test, never a real article) so a PMC-cited study is also about LDN.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from paths import DATA

from ldn_graph.audit import AuditOptions, audit
from ldn_graph.model import AbstractSection, Author, Provenance, Study
from ldn_graph.pubmed.cache import RecordCache
from ldn_graph.terms import Origin

SYNTHETIC = Study(
    pmid="900000101",
    title="Low-dose naltrexone and fatigue: a synthetic record written for a test.",
    abstract=(AbstractSection("SYNTHETIC: not a real study. Low-dose naltrexone reduced fatigue "
                              "in this invented cohort."),),
    authors=(Author(last_name="Synthetic", initials="A"),),
    journal_abbrev="Synth J", year=2020, volume="1", pages="1-2", pmcid="PMC900000101",
)

SENTENCES = [
    "Low dose naltrexone (LDN) eased daily fibromyalgia pain in a crossover trial [1].",
    "LDN improved active Crohn's disease in an open-label pilot [2].",
    "LDN may support quality of life [3].",
    "Low dose naltrexone reduces fatigue [4].",
    "LDN lowers the risk of pancreatic cancer [5].",
]

# how each work is cited: by PMID, and by every other form the document may use
BY_PMID = [
    "Younger J, et al. Arthritis Rheum. 2013. PMID: 23359310",
    "Smith JP, et al. Am J Gastroenterol. 2007. PMID: 17222320",
    "Brown N, Panksepp J. Med Hypotheses. 2009. PMID: 19041189",
    "Synthetic A. Synth J. 2020. PMID: 900000101",
    "Bao Y, et al. Gut. 2017. PMID: 27797938",
]
OTHER_FORMS = {
    "doi": [
        "Younger J, et al. Arthritis Rheum. 2013. https://doi.org/10.1002/art.37734",
        None, None, None,
        "Bao Y, et al. Gut. 2017. doi:10.1136/gutjnl-2016-312510",
    ],
    "pmc": [
        None, None, None,
        "Synthetic A. Synth J. 2020. https://www.ncbi.nlm.nih.gov/pmc/articles/PMC900000101/",
        "Bao Y, et al. Gut. 2017. https://pmc.ncbi.nlm.nih.gov/articles/PMC5442267/",
    ],
    "citation text": [
        "Younger J, Noor N, McCue R, Mackey S. Low-dose naltrexone for the treatment of fibromyalgia: "
        "findings of a small, randomized, double-blind, placebo-controlled, counterbalanced, crossover "
        "trial assessing daily pain levels. Arthritis Rheum. 2013;65(2):529-38.",
        "Smith JP, Stock H, Bingaman S, Mauger D, Rogosnitzky M, Zagon IS. Low-dose naltrexone therapy "
        "improves active Crohn's disease. Am J Gastroenterol. 2007;102(4):820-8.",
        "Brown N, Panksepp J. Low-dose naltrexone for disease prevention and quality of life. "
        "Med Hypotheses. 2009;72(3):333-7.",
        "Synthetic A. Low-dose naltrexone and fatigue: a synthetic record written for a test. "
        "Synth J. 2020;1:1-2.",
        "Bao Y, Prescott J, Yuan C, et al. Leucocyte telomere length, genetic variants at the TERT gene "
        "region and risk of pancreatic cancer. Gut. 2017;66(6):1116-1122.",
    ],
}


@pytest.fixture()
def cache_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "cache"
    with RecordCache(folder) as cache:
        cache.put(SYNTHETIC, Provenance(Origin.TRANSCRIBED, "2026-12-02T00:00:00+00:00", "synthetic"))
        stats = cache.import_files([DATA / "eutils" / "pubmed4.xml"])
        assert not stats.errors and "27797938" in cache
    return folder


def _page(tmp_path: Path, name: str, entries: list[str]) -> Path:
    page = tmp_path / f"{name.replace(' ', '-')}.txt"
    listed = "\n".join(f"{n}. {entry}" for n, entry in enumerate(entries, 1))
    page.write_text(" ".join(SENTENCES) + "\n\nReferences\n" + listed + "\n", encoding="utf-8")
    return page


def _verdicts(page: Path, cache_dir: Path) -> dict[tuple[str, str], str]:
    result = audit([page], AuditOptions(offline=True, cache_dir=cache_dir))
    [doc] = result.documents
    return {(c.concept.name, ",".join(c.cited)): doc.assessment(c.id).verdict for c in doc.claims}


@pytest.mark.parametrize("form", sorted(OTHER_FORMS))
def test_same_verdicts_as_by_pmid(form: str, tmp_path: Path, cache_dir: Path) -> None:
    expected = _verdicts(_page(tmp_path, "pmid", BY_PMID), cache_dir)
    assert set(expected.values()) >= {"supported", "off_topic"}, expected
    entries = [other or pmid for other, pmid in zip(OTHER_FORMS[form], BY_PMID, strict=True)]
    page = _page(tmp_path, form, entries)
    assert _verdicts(page, cache_dir) == expected
    result = audit([page], AuditOptions(offline=True, cache_dir=cache_dir))
    refs = result.documents[0].references
    # every entry is the cached record, with how it was found
    assert [r.pmid for r in refs] == ["23359310", "17222320", "19041189", "900000101", "27797938"]
    for ref, other in zip(refs, OTHER_FORMS[form], strict=True):
        if other is not None:
            assert ref.resolution and ref.resolution.startswith("cache-"), ref
    assert not [f for f in result.documents[0].findings if f.kind == "unresolved_reference"]


def test_a_citation_naming_another_work_of_the_same_year_and_author_is_not_matched(
    tmp_path: Path, cache_dir: Path
) -> None:
    # synthetic: Younger 2013 in the same volume, but another first page and title
    entry = ("Younger J, Noor N. Another trial of something else entirely. "
             "Arthritis Rheum. 2013;65(4):901-7.")
    page = _page(tmp_path, "near", [entry, *BY_PMID[1:]])
    result = audit([page], AuditOptions(offline=True, cache_dir=cache_dir))
    first = result.documents[0].references[0]
    assert first.pmid is None and first.kind == "unresolved"
    assert first.resolution == "unresolved: not in the cache; not looked up: offline"
