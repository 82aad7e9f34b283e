"""Word drafts cited through a reference manager (Zotero, Mendeley, EndNote fields) or
through footnotes and endnotes: every marker resolved to its work, offline, and the same
verdicts as the same text citing PMIDs. The files are built by ``docx_fixtures`` with the
real OOXML structure; their records are the shipped seed records."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from docx_fixtures import build_docx, endnote_xml, mendeley_instruction, zotero_instruction

from ldn_graph.audit import AuditOptions, audit
from ldn_graph.extract.references import find_references
from ldn_graph.read.documents import read_docx_document

CLAIMS = [
    ("Low dose naltrexone eased daily fibromyalgia pain in a crossover trial ", "23359310"),
    ("LDN improved active Crohn's disease in an open-label pilot ", "17222320"),
    ("LDN may support quality of life ", "19041189"),
]
NUMBERED = ["[1]", "[2]", "[3]"]
AUTHOR_YEAR = ["(Younger et al., 2013)", "(Smith et al., 2007)", "(Brown and Panksepp, 2009)"]

Field = Callable[[str, str], tuple[str, ...]]
MANAGERS: dict[str, tuple[Field, list[str]]] = {
    "zotero": (lambda pmid, shown: ("field", zotero_instruction([pmid], shown), shown), NUMBERED),
    "zotero without PMIDs": (lambda pmid, shown: ("field", zotero_instruction([pmid], shown, with_pmid=False), shown),
                             NUMBERED),
    "mendeley": (lambda pmid, shown: ("field", mendeley_instruction([pmid], shown), shown), AUTHOR_YEAR),
    "endnote": (lambda pmid, shown: ("field", " ADDIN EN.CITE " + endnote_xml([pmid], shown), shown), NUMBERED),
    "endnote long form": (lambda pmid, shown: ("field", " ADDIN EN.CITE ", shown,
                                               endnote_xml([pmid], shown, pmid_in_url=True), True), NUMBERED),
}


def _verdicts(path: Path) -> dict[str, str]:
    result = audit([path], AuditOptions(offline=True))
    [doc] = result.documents
    return {c.concept.name: doc.assessment(c.id).verdict for c in doc.claims}


@pytest.fixture()
def by_pmid(tmp_path: Path) -> dict[str, str]:
    """The verdicts of the same text citing the PMIDs in a typed list."""
    paragraphs = [[text + f"[{n}]."] for n, (text, _p) in enumerate(CLAIMS, 1)]
    paragraphs.append(("Heading1", ["References"]))
    paragraphs += [[f"{n}. PMID: {pmid}"] for n, (_t, pmid) in enumerate(CLAIMS, 1)]
    path = tmp_path / "typed.docx"
    path.write_bytes(build_docx(paragraphs))
    verdicts = _verdicts(path)
    assert verdicts["Fibromyalgia"] == "supported" and verdicts["CrohnDisease"] == "supported"
    return verdicts


@pytest.mark.parametrize("manager", sorted(MANAGERS))
def test_a_draft_cited_through_fields_gets_the_verdicts_of_one_citing_pmids(
    manager: str, tmp_path: Path, by_pmid: dict[str, str]
) -> None:
    field, shown = MANAGERS[manager]
    paragraphs = [[text, field(pmid, label), "."] for (text, pmid), label in zip(CLAIMS, shown, strict=True)]
    path = tmp_path / "draft.docx"
    path.write_bytes(build_docx(paragraphs))  # no bibliography typed, no bibliography field
    doc = read_docx_document(path.read_bytes(), str(path))
    refs, markers = find_references(doc)
    given = [None] * 3 if manager == "zotero without PMIDs" else [p for _t, p in CLAIMS]
    assert [r.pmid for r in refs] == given
    assert {r.source for r in refs} == {manager.split()[0]}
    assert [m.text for m in markers] == shown and all(len(m.labels) == 1 for m in markers)
    assert _verdicts(path) == by_pmid
    # resolved offline from the cache when the field gives no PMID
    result = audit([path], AuditOptions(offline=True))
    assert [r.pmid for r in result.documents[0].references] == [p for _t, p in CLAIMS]


def test_fields_that_cite_nothing_and_a_damaged_field(tmp_path: Path) -> None:
    paragraphs = [
        ["LDN eased fibromyalgia pain ", ("field", ' HYPERLINK "https://clinic.example.org/" ', "our clinic"),
         " on page ", ("simple", " PAGE ", "4"), "."],
        ["LDN improved Crohn's disease ", ("field", " ADDIN ZOTERO_ITEM CSL_CITATION {not json", "[1]"), "."],
    ]
    doc = read_docx_document(build_docx(paragraphs), "x.docx")
    assert [f.instruction.split()[0] for f in doc.fields] == ["HYPERLINK", "PAGE", "ADDIN"]
    refs, markers = find_references(doc)
    assert refs == []
    # the damaged citation's result is read as typed text: "[1]" with nothing listed
    [marker] = markers
    assert (marker.text, marker.style, marker.missing) == ("[1]", "bracket", ("1",))


def test_footnotes_and_endnotes_resolve_like_numbered_references(tmp_path: Path) -> None:
    paragraphs = [
        ["Low dose naltrexone eased daily fibromyalgia pain", ("footnote", "7"), "."],
        ["LDN improved active Crohn's disease", ("footnote", "3"), " (the pilot was small", ("footnote", "4"), ")."],
        ["LDN may support quality of life", ("endnote", "2"), "."],
    ]
    footnotes = {"3": "Smith JP, et al. Am J Gastroenterol. 2007;102(4):820-8. PMID: 17222320",
                 "4": "The authors say so themselves in their discussion.",
                 "7": "Younger J, et al. Arthritis Rheum. 2013;65(2):529-38. PMID: 23359310"}
    endnotes = {"2": "Brown N, Panksepp J. Med Hypotheses. 2009;72(3):333-7. PMID: 19041189"}
    path = tmp_path / "notes.docx"
    path.write_bytes(build_docx(paragraphs, footnotes=footnotes, endnotes=endnotes))
    doc = read_docx_document(path.read_bytes(), str(path))
    # numbered in the order the body refers to them; the notes follow the body
    assert "pain¹." in doc.text and "disease² (the pilot was small³)." in doc.text and "life⁴." in doc.text
    assert doc.text.index("Notes\n1. ") > doc.text.index("life⁴")
    refs, markers = find_references(doc)
    assert [(r.label, r.pmid) for r in refs] == [("1", "23359310"), ("2", "17222320"), ("4", "19041189")]
    # the comment note is no reference, and its marker cites nothing (not a dangling one)
    assert [(m.text, m.labels, m.missing) for m in markers] == [
        ("¹", ("1",), ()), ("²", ("2",), ()), ("⁴", ("4",), ())]
    result = audit([path], AuditOptions(offline=True))
    verdicts = {c.concept.name: result.documents[0].assessment(c.id).verdict for c in result.documents[0].claims}
    assert verdicts["Fibromyalgia"] == "supported" and verdicts["CrohnDisease"] == "supported"
    assert not [f for f in result.documents[0].findings if f.kind == "dangling_citation"]
