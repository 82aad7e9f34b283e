"""How a document cites its list: markers that point at nothing, works listed twice,
entries no marker cites, works that turn out one after resolution, and reasons that agree
with what a reader sees. Offline, with the shipped seed records; the pages are synthetic.
"""

from __future__ import annotations

import json

from ldn_graph.audit import AuditOptions, audit_text
from ldn_graph.report.json import render_json

OFFLINE = AuditOptions(offline=True)

YOUNGER = "Younger J, et al. Arthritis Rheum. 2013;65(2):529-38. PMID: 23359310"
SMITH = "Smith JP, et al. Am J Gastroenterol. 2007;102(4):820-8. PMID: 17222320"


def _audit(text: str, media_type: str = "text/plain"):  # type: ignore[no-untyped-def]
    result = audit_text(text, OFFLINE, media_type=media_type)
    [doc] = result.documents
    return result, doc


def _kinds(doc) -> list[tuple[str, str, str | None, str | None]]:  # type: ignore[no-untyped-def]
    return [(f.kind, f.severity, f.claim, f.reference) for f in doc.findings
            if f.kind in ("dangling_citation", "duplicate_reference", "uncited_reference")]


def test_a_marker_pointing_at_nothing_is_an_error_on_its_claim() -> None:
    _result, doc = _audit(
        "Low dose naltrexone eases fibromyalgia pain [1]. LDN puts Crohn's disease into remission [7].\n\n"
        f"References\n1. {YOUNGER}\n"
    )
    crohn = next(c for c in doc.claims if c.concept.name == "CrohnDisease")
    assert crohn.cited == () and crohn.dangling == ("[7]",)
    assessment = doc.assessment(crohn.id)
    assert assessment.verdict == "unsupported"
    assert "no inline citation" not in assessment.reason
    assert "[7]" in assessment.reason and "points at no entry" in assessment.reason
    [dangling] = [f for f in doc.findings if f.kind == "dangling_citation"]
    assert (dangling.severity, dangling.claim) == ("error", crohn.id)
    assert dangling.message == ("the marker '[7]' cites 7, which the document does not list "
                                "(its list has only 1)")
    fibro = next(c for c in doc.claims if c.concept.name == "Fibromyalgia")
    assert doc.assessment(fibro.id).verdict == "supported" and fibro.dangling == ()


def test_a_list_naming_one_work_twice_is_a_warning_and_one_reference() -> None:
    _result, doc = _audit(
        "LDN eases fibromyalgia pain [1]. LDN helps Crohn's disease [2]. LDN again for fibromyalgia [3].\n\n"
        f"References\n1. {YOUNGER}\n2. {SMITH}\n3. {YOUNGER}\n"
    )
    assert [r.label for r in doc.references] == ["1", "2"]
    assert doc.references[0].duplicates == ("3",)
    assert _kinds(doc) == [("duplicate_reference", "warning", None, "1")]
    again = [c for c in doc.claims if c.concept.name == "Fibromyalgia"]
    assert {c.cited for c in again} == {("1",)}


def test_an_entry_no_marker_cites_is_info_only_where_markers_cite_the_list() -> None:
    _result, doc = _audit(
        f"LDN eases fibromyalgia pain [1].\n\nReferences\n1. {YOUNGER}\n2. {SMITH}\n"
    )
    assert _kinds(doc) == [("uncited_reference", "info", None, "2")]
    # a monograph that lists its references without markers: the documented inferred case
    _result, plain = _audit(f"LDN eases fibromyalgia pain.\n\nReferences\n1. {YOUNGER}\n2. {SMITH}\n")
    assert _kinds(plain) == []
    claim = next(c for c in plain.claims if c.concept.name == "Fibromyalgia")
    assert plain.assessment(claim.id).verdict == "inferred"


def test_a_doi_and_a_pubmed_link_of_one_article_are_one_reference_once_resolved() -> None:
    # the list cites by DOI; the text links the PubMed record: the cached record carries
    # the DOI, so they are one work with every identifier and place
    text = ("LDN eased fibromyalgia pain in a crossover trial [1]. The trial is on PubMed: "
            "https://pubmed.ncbi.nlm.nih.gov/23359310/ for those who want it.\n\n"
            "References\n1. Younger J, et al. Arthritis Rheum. 2013. doi:10.1002/art.37734\n")
    result, doc = _audit(text)
    [ref] = doc.references
    assert (ref.label, ref.pmid, ref.doi) == ("1", "23359310", "10.1002/art.37734")
    keys = [k for k, _s, _e in ref.places]
    assert "doi:10.1002/art.37734" in keys and "pmid:23359310" in keys
    data = json.loads(render_json(result))
    [jref] = data["documents"][0]["references"]
    assert jref["ids"] == {"pmid": "23359310", "doi": "10.1002/art.37734"}
    assert {p["identifier"] for p in jref["places"]} >= {"pmid:23359310", "doi:10.1002/art.37734"}
    for place in jref["places"]:
        assert text[place["start"]:place["end"]]


def test_a_study_cited_by_doi_not_found_is_unverified_not_no_study() -> None:
    # synthetic DOI (reserved test prefix): no cached record carries it
    _result, doc = _audit(
        "LDN eases fibromyalgia pain.\n\nReferences\n1. Doe J. A trial. J Test. 2020. doi:10.5555/ldn.1\n"
    )
    claim = next(c for c in doc.claims if c.concept.name == "Fibromyalgia")
    assessment = doc.assessment(claim.id)
    assert assessment.verdict == "unverified"
    assert "cites no PubMed study" not in assessment.reason
    assert ("[1] has a DOI but no PubMed record was found for it (not in the cache; not looked up: "
            "offline)") in assessment.reason
    [unresolved] = [f for f in doc.findings if f.kind == "unresolved_reference"]
    assert "a DOI without a PMID" in unresolved.message


def test_a_study_named_only_in_the_text_is_not_said_to_be_in_a_list() -> None:
    _result, doc = _audit("LDN eases fibromyalgia pain. The trial: https://pubmed.ncbi.nlm.nih.gov/23359310/ .\n")
    claim = next(c for c in doc.claims if c.concept.name == "Fibromyalgia")
    reason = doc.assessment(claim.id).reason
    assert reason.startswith("no inline citation; the document cites PMID 23359310")
    assert "reference list" not in reason
