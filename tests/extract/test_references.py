from __future__ import annotations

import pytest
from paths import ROOT

from ldn_graph.extract.references import find_references
from ldn_graph.read.documents import read_text_document
from ldn_graph.terms import SegmentRole

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


def _found(text: str, name: str = "s.txt", media: str = "text/plain"):
    doc = read_text_document(text.encode(), name, media)
    refs, markers = find_references(doc)
    return doc, refs, markers


def test_list_forms_headings_glued_numbers_and_wrapped_entries():
    text = (
        "LDN eased pain.1 Sleep was better. [2] Both held.3\n\n"
        "Sources\n\n"
        "1Younger J, Noor N, McCue R, Mackey S. Low-dose naltrexone for the\n"
        "treatment of fibromyalgia. Arthritis Rheum. 2013;65(2):529-38.\n"
        "2Smith JP, Stock H. Low-dose naltrexone therapy improves active Crohn's\n"
        "disease. Am J Gastroenterol. 2007;102(4):820-8.\n"
        "3Brown N, Panksepp J. Low-dose naltrexone for disease prevention and\n"
        "quality of life. Med Hypotheses. 2009;72(3):333-7.\n"
    )
    doc, refs, markers = _found(text)
    assert [r.label for r in refs] == ["1", "2", "3"]
    assert refs[0].text.endswith("2013;65(2):529-38.")  # the wrapped line is part of it
    assert [(m.text, m.labels) for m in markers] == [("1", ("1",)), ("[2]", ("2",)), ("3", ("3",))]


def test_unnumbered_link_list_under_a_research_heading_and_one_work_one_reference():
    text = (
        "A trial found less pain ([the 2013 trial](https://pubmed.ncbi.nlm.nih.gov/?term=23359310)).\n\n"
        "## Research\n\n"
        "- Younger 2013, https://doi.org/10.1002%2Fart.37734, PMID: 23359310\n"
        "- [Acute back pain](https://pmc.ncbi.nlm.nih.gov/articles/PMC4951901/)\n"
        "- [A guide for patients](https://charity.example/ldn)\n"
    )
    doc, refs, markers = _found(text, "s.md", "text/markdown")
    assert len(refs) == 3  # the PubMed link in the body is the first entry's work
    younger = refs[0]
    assert (younger.pmid, younger.doi) == ("23359310", "10.1002/art.37734")
    assert refs[1].pmcid == "PMC4951901" and refs[2].url == "https://charity.example/ldn"
    assert [(m.text, m.labels, m.style) for m in markers] == [("the 2013 trial", (younger.label,), "link")]


def test_author_year_markers_and_dangling_ones():
    text = (
        "Pain fell (Younger and Mackey 2013). Crohn's improved (Smith & Stock, 2007; Younger et al., 2013). "
        "Brown and Panksepp (2009) proposed a mechanism (Brown 2009, p. 334). Guides agree (LDN Patient Alliance, 2022). "
        "Another paper says so (Jones, 2019). See also [7].\n\n"
        "References\n\n"
        "Brown N, Panksepp J. Low-dose naltrexone. Med Hypotheses. 2009;72(3):333-7.\n"
        "LDN Patient Alliance. Living with LDN. 2022. https://alliance.example/guide\n"
        "Smith JP, Stock H. LDN therapy. Am J Gastroenterol. 2007;102(4):820-8.\n"
        "Younger J, Mackey S. LDN for fibromyalgia. Arthritis Rheum. 2013;65(2):529-38.\n"
    )
    doc, refs, markers = _found(text)
    label = {r.text.split()[0].rstrip(","): r.label for r in refs}
    got = [(m.text, m.labels, m.missing) for m in markers]
    assert got == [
        ("(Younger and Mackey 2013)", (label["Younger"],), ()),
        ("(Smith & Stock, 2007; Younger et al., 2013)", (label["Smith"], label["Younger"]), ()),
        ("Brown and Panksepp (2009)", (label["Brown"],), ()),
        ("(Brown 2009, p. 334)", (label["Brown"],), ()),
        ("(LDN Patient Alliance, 2022)", (label["LDN"],), ()),
        ("(Jones, 2019)", (), ("Jones, 2019",)),
        ("[7]", (), ("7",)),
    ]


def test_a_list_entry_named_twice_is_one_work_and_its_markers_point_there():
    text = (
        "It helped [1]. It was well tolerated [2].\n\n"
        "References\n"
        "[1] Younger J, Noor N. Low-dose naltrexone for fibromyalgia. Arthritis Rheum. 2013;65(2):529-38.\n"
        "[2] Younger J et al. Arthritis Rheum. 2013;65:529.\n"
    )
    doc, refs, markers = _found(text)
    assert [r.label for r in refs] == ["1"] and refs[0].duplicates == ("2",)
    assert [m.labels for m in markers] == [("1",), ("1",)]


def test_bare_trailing_numbers_need_a_numbered_list():
    listed = "It helps fibromyalgia. 1 3\nSleep improves. 2\nThe clinic opened. 45\n\nSources:\n1) Younger J. A. Arthritis Rheum. 2013;65:529.\n2) Smith JP. B. Am J Gastroenterol. 2007;102:820.\n3) Brown N. C. Med Hypotheses. 2009;72:333.\n"
    _doc, _refs, markers = _found(listed)
    assert [(m.text, m.labels) for m in markers] == [("1 3", ("1", "3")), ("2", ("2",))]
    _doc, _refs, markers = _found("It helps fibromyalgia. 1 3\nSleep improves. 2\n")
    assert markers == []


def test_a_range_written_across_brackets_cites_every_number_in_it():
    text = "It helped [1]–[3] and [2, 4-5].\n\nReferences\n" + "".join(
        f"{n}. Author{n} J. Title {n}. Journal. 20{10 + n};{n}:1-9.\n" for n in range(1, 6)
    )
    _doc, _refs, markers = _found(text)
    assert [(m.text, m.labels) for m in markers] == [("[1]–[3]", ("1", "2", "3")), ("[2, 4-5]", ("2", "4", "5"))]


def test_lines_between_two_entries_are_the_first_ones_even_after_a_full_stop():
    # synthetic: hard-wrapped, the author line ends with a full stop; the PMC identifier
    # of the last entry sits alone on the line after it
    text = (
        "LDN helped [1]. It also helped [2].\n\nSources\n"
        "1Smith JP, Stock H, Bingaman S, Mauger D, Rogosnitzky M, Zagon IS.\n"
        "Low-dose naltrexone therapy improves active Crohn's disease. Am J\n"
        "Gastroenterol. 2007;102(4):820-8. PMID: 17222320\n"
        "2Jayson MI. Acute back pain. Clin Med (Lond). 2001;1(3):188-9.\n"
        "PMC4951901\n"
    )
    _doc, refs, markers = _found(text)
    assert [(r.label, r.pmid, r.pmcid) for r in refs] == [("1", "17222320", None), ("2", None, "PMC4951901")]
    assert refs[0].text.endswith("PMID: 17222320") and refs[1].text.endswith("PMC4951901")
    assert [m.labels for m in markers] == [("1",), ("2",)]
    # a sentence after a list is not pulled into its last entry
    _doc, refs, _markers = _found(text.replace("PMC4951901\n", "\nThe pharmacy is open on Saturdays.\n"))
    assert refs[-1].text.endswith("188-9.")


def test_markdown_footnotes_cite_like_numbered_entries_and_comment_notes_cite_nothing():
    # synthetic draft; the cited records are the seed records
    text = (
        "LDN eased fibromyalgia pain.[^1] It helped Crohn's disease[^smith] and, some say, more.[^aside]\n"
        "Again pain[^1], and a note that is not there[^9].\n\n"
        "[^1]: Younger J, Noor N, McCue R, Mackey S. Arthritis Rheum. 2013;65(2):529-38.\n"
        "    PMID: 23359310\n"
        "[^smith]: Smith JP, et al. Am J Gastroenterol. 2007;102(4):820-8.\n"
        "[^aside]: I am not sure about this one myself.\n"
    )
    _doc, refs, markers = _found(text, "f.md", "text/markdown")
    assert [(r.label, r.pmid) for r in refs] == [("1", "23359310"), ("smith", None)]
    assert refs[0].text.endswith("PMID: 23359310")
    assert [(m.text, m.labels, m.missing) for m in markers] == [
        ("[^1]", ("1",), ()), ("[^smith]", ("smith",), ()), ("[^1]", ("1",), ()), ("[^9]", (), ("9",))]


@pytest.mark.parametrize("heading", ["Studies mentioned on this page", "Reviews and guidance consulted"])
def test_a_heading_naming_the_sources_used_on_the_page_heads_its_list(heading):
    text = (f"LDN eased pain in one trial.\n\n## {heading}\n\n"
            "- A crossover trial of low dose naltrexone in women with fibromyalgia, 2013.\n")
    doc = read_text_document(text.encode(), "synthetic.md")
    entry = next(s for s in doc.segments if doc.text[s.start:s.end].startswith("A crossover trial"))
    assert entry.role == SegmentRole.REFERENCE_ENTRY  # a source listed, not a claim made


# synthetic: prose under a heading that names sources, each paragraph citing in passing
_PROSE_UNDER_SOURCES = """# Low dose naltrexone (LDN)

LDN is naltrexone at a small fraction of its usual dose.

## What the research says

The best-known trial is a small crossover study in 31 women with fibromyalgia, in which pain scores were lower on LDN than on placebo (Younger et al., 2013; PMID 23359310).

An open-label pilot in 17 people with active Crohn's disease found that most of them responded and that the capsules were well tolerated (Smith et al., 2007).
"""

# synthetic: a list of sources under the same kind of heading, one with its year in parentheses
_ENTRIES_UNDER_SOURCES = """# Low dose naltrexone (LDN)

LDN may ease pain.

## What the research says

Younger J, Noor N, McCue R, Mackey S. Low-dose naltrexone for the treatment of fibromyalgia (2013). Arthritis Rheum. PMID 23359310.

Smith JP et al. (2007) Low-dose naltrexone therapy improves active Crohn's disease. Am J Gastroenterol.
"""


def test_prose_citing_in_passing_under_a_sources_heading_is_no_reference_entry():
    from ldn_graph.extract.claims import extract_claims
    from ldn_graph.ontology.vocabulary import load_vocabulary

    doc = read_text_document(_PROSE_UNDER_SOURCES.encode(), "synthetic.md", "text/markdown")
    refs, markers = find_references(doc)
    assert not any(r.in_list for r in refs)
    assert [r.pmid for r in refs] == ["23359310"]  # the identifier in the sentence is still a source
    claimed = {c.concept.name for c in extract_claims(doc, load_vocabulary(), refs, markers, learned=False)}
    assert {"Fibromyalgia", "PainRelief", "CrohnDisease", "Tolerability"} <= claimed


def test_entries_under_a_sources_heading_stay_entries():
    doc = read_text_document(_ENTRIES_UNDER_SOURCES.encode(), "synthetic.md", "text/markdown")
    refs, _ = find_references(doc)
    assert [r.in_list for r in refs] == [True, True]


@pytest.mark.parametrize(("body", "in_passing"), [
    ("The best-known trial is a small crossover study in 31 women with fibromyalgia, in which pain "
     "scores were lower on LDN than on placebo (Younger et al., 2013; PMID 23359310).", True),
    ("An open-label pilot in 17 people with active Crohn's disease found that most of them "
     "responded and tolerated the capsules well (Smith et al., 2007).", True),  # a year alone
    ("An open-label pilot in 17 people with active Crohn's disease found that most of them "
     "responded and tolerated the capsules well (PMID 17222320).", True),  # an identifier alone
    ("Younger J, Noor N, McCue R. Low-dose naltrexone for the treatment of fibromyalgia: findings "
     "of a small randomized trial (2013). Arthritis Rheum.", False),  # an author opens it
    ("Low-dose naltrexone for the treatment of fibromyalgia, a randomized trial by Younger et al. "
     "in Arthritis and Rheumatism (2013).", False),  # "et al." outside the parentheses
    ("A review of all the trials so far is at https://example.org/ldn-review and is worth a read (2020).", False),
    ("A small crossover trial found lower pain on LDN (Younger et al., 2013).", False),  # short: an annotated entry
    ("The best-known trial is a small crossover study in 31 women with fibromyalgia, in which pain "
     "scores were lower on LDN than on placebo (see below).", False),  # no citing parenthesis
    ("Pain scores were lower on LDN than on placebo in a small crossover study of women with "
     "fibromyalgia (Younger et al., 2013)", False),  # no sentence's end: a title-like entry
])
def test_what_cites_in_passing(body, in_passing):
    from ldn_graph.extract.reference_lists import cites_in_passing

    assert cites_in_passing(body) is in_passing
