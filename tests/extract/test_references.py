from __future__ import annotations

from paths import ROOT

from ldn_graph.extract.references import find_references
from ldn_graph.read.documents import read_text_document

EXAMPLES = ROOT / "examples"


def doc_of(text: str):
    return read_text_document(text.encode(), "synthetic.txt")


def test_monograph_reference_list_without_heading():
    doc = read_text_document((EXAMPLES / "001_4aaa9d78fd1a3130.txt").read_bytes(), "m.txt")
    refs, markers = find_references(doc)
    assert [(r.label, r.kind, r.pmid) for r in refs] == [
        ("1", "pubmed", "23359310"),
        ("2", "pubmed", "17222320"),
        ("3", "pubmed", "19041189"),
        ("4", "web", None),
        ("5", "web", None),
    ]
    assert refs[3].url == "https://www.ldnresearchtrust.org"
    assert refs[4].url.startswith("https://dailymed.nlm.nih.gov/")
    assert markers == []  # no inline markers; "1.5 mg" and "1. Opioid…" are not citations
    for r in refs:
        assert doc.text[r.start : r.end] == r.text


def test_telehealth_page_has_no_references():
    doc = read_text_document((EXAMPLES / "000_672ef885818ac143.txt").read_bytes(), "t.txt")
    assert find_references(doc) == ([], [])


SYNTHETIC = """LDN helps fibromyalgia [1]. It calms microglia [1,3]. Crohn's responds [2-3].
Pain falls¹ and sleep improves¹⁻². Mood lifts (Younger 2013). Fatigue eases (Smith et al., 2007).
A trial (PMID: 12345678) and https://pubmed.ncbi.nlm.nih.gov/23456789/ and doi:10.1000/xyz123.

References
1. Younger J, Noor N. Low-dose naltrexone for fibromyalgia. Arthritis Rheum. 2013;65(2):529-38.
2. Smith JP, Stock H, et al. LDN improves Crohn's disease. Am J Gastroenterol. 2007;102:820-8.
3. Brown N, Panksepp J. Something. Med Hypotheses. 2009;72(3):333-7. doi:10.1016/j.mehy.2008.06.048
"""


def test_every_marker_style_resolves_to_labels():
    doc = doc_of(SYNTHETIC)
    refs, markers = find_references(doc)
    by_text = {m.text: m.labels for m in markers}
    assert by_text["[1]"] == ("1",)
    assert by_text["[1,3]"] == ("1", "3")
    assert by_text["[2-3]"] == ("2", "3")
    assert by_text["¹"] == ("1",)
    assert by_text["¹⁻²"] == ("1", "2")
    assert by_text["(Younger 2013)"] == ("1",)
    assert by_text["(Smith et al., 2007)"] == ("2",)
    body = {r.label: r for r in refs if not r.in_list}
    assert body["PMID 12345678"].pmid == "12345678"
    assert body["PMID 23456789"].pmid == "23456789"
    assert body["doi:10.1000/xyz123"].doi == "10.1000/xyz123"
    listed = [r for r in refs if r.in_list]
    assert [r.kind for r in listed] == ["unresolved", "unresolved", "doi"]
    assert listed[2].doi == "10.1016/j.mehy.2008.06.048"


def test_numbered_steps_are_not_a_reference_list():
    doc = doc_of("How to take it\n1. Take 1.5 mg at night\n2. Increase to 3 mg\n3. Stay at 4.5 mg\n")
    assert find_references(doc) == ([], [])


def test_every_pubmed_link_form_of_ids_is_a_reference():
    """The identifier rules of ldn_graph.ids: Europe PMC links, links without a scheme and
    lower-case ``pmid:`` labels name a PubMed record too."""
    doc = doc_of(
        "LDN eases pain (europepmc.org/article/MED/23359310). "
        "It helps sleep (pubmed.ncbi.nlm.nih.gov/17222320). It lifts mood (pmid: 19041189).\n"
    )
    refs, markers = find_references(doc)
    assert [(r.label, r.kind, r.pmid, r.in_list) for r in refs] == [
        ("PMID 23359310", "pubmed", "23359310", False),
        ("PMID 17222320", "pubmed", "17222320", False),
        ("PMID 19041189", "pubmed", "19041189", False),
    ]
    assert [m.labels for m in markers] == [("PMID 23359310",), ("PMID 17222320",), ("PMID 19041189",)]
