"""Bibliography files (``--references``): each format read into the same works, Pandoc
keys and numbered markers resolved against them, and bad files refused in one line. The
records are the real facts of seed record 23359310 (Younger et al. 2013) written in each
format by hand; the keys are made up."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ldn_graph.audit import AuditOptions, audit
from ldn_graph.cli.group import main
from ldn_graph.errors import InputError
from ldn_graph.extract.references import find_references
from ldn_graph.read.bibliography import read_bibliography
from ldn_graph.read.documents import read_text_document

TITLE = ("Low-dose naltrexone for the treatment of fibromyalgia: findings of a small, randomized, "
         "double-blind, placebo-controlled, counterbalanced, crossover trial assessing daily pain levels")
FILES = {
    "refs.bib": """@article{younger2013,
  author = {Younger, J. and Noor, N. and McCue, R. and Mackey, S.},
  title = {{Low-dose} naltrexone for the treatment of fibromyalgia: findings of a small, randomized, double-blind, placebo-controlled, counterbalanced, crossover trial assessing daily pain levels},
  journal = {Arthritis Rheum}, year = {2013}, volume = {65}, number = {2}, pages = {529--38},
  doi = {10.1002/art.37734}, pmid = {23359310}
}
""",
    "refs.ris": f"""TY  - JOUR
ID  - younger2013
AU  - Younger, J
AU  - Noor, N
TI  - {TITLE}
T2  - Arthritis Rheum
PY  - 2013
VL  - 65
IS  - 2
SP  - 529
EP  - 38
DO  - 10.1002/art.37734
UR  - https://pubmed.ncbi.nlm.nih.gov/23359310/
ER  -
""",
    "refs.json": f"""[{{"id": "younger2013", "type": "article-journal", "title": "{TITLE}",
  "container-title": "Arthritis Rheum", "volume": "65", "issue": "2", "page": "529-38",
  "DOI": "10.1002/art.37734", "PMID": "23359310",
  "author": [{{"family": "Younger", "given": "J."}}, {{"family": "Noor", "given": "N"}}],
  "issued": {{"date-parts": [[2013, 2]]}}}}]
""",
    "refs.xml": f"""<?xml version="1.0" encoding="UTF-8"?><xml><records><record><rec-number>4</rec-number>
<ref-type name="Journal Article">17</ref-type><contributors><authors><author><style face="normal">Younger, J.</style></author>
<author>Noor, N.</author></authors></contributors><titles><title>{TITLE}</title>
<secondary-title>Arthritis Rheum</secondary-title></titles><pages>529-38</pages><volume>65</volume><number>2</number>
<dates><year>2013</year></dates><accession-num>23359310</accession-num>
<electronic-resource-num>10.1002/art.37734</electronic-resource-num><label>younger2013</label></record></records></xml>
""",
    "refs.nbib": """PMID- 23359310
TI  - Low-dose naltrexone for the treatment of fibromyalgia: findings of a small,
      randomized, double-blind, placebo-controlled, counterbalanced, crossover trial
      assessing daily pain levels.
AU  - Younger J
AU  - Noor N
DP  - 2013 Feb
TA  - Arthritis Rheum
VI  - 65
IP  - 2
PG  - 529-38
LID - 10.1002/art.37734 [doi]
""",
}


@pytest.mark.parametrize("name", sorted(FILES))
def test_every_format_gives_the_same_work(name: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_text(FILES[name], encoding="utf-8")
    [work] = read_bibliography(path).works
    assert (work.pmid, work.doi, work.year, work.volume) == ("23359310", "10.1002/art.37734", 2013, "65")
    assert work.authors[:2] == ("Younger J", "Noor N")
    assert work.title and work.title.rstrip(".").endswith("assessing daily pain levels")
    assert work.journal == "Arthritis Rheum" and work.pages == "529-38"
    assert work.key == ("23359310" if name.endswith(".nbib") else "younger2013")
    assert work.source == name


def test_pandoc_keys_and_numbers_resolve_against_the_files(tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(FILES["refs.bib"], encoding="utf-8")
    library = list(read_bibliography(bib).works)
    text = "LDN eased fibromyalgia pain [@younger2013, p. 531]. @Younger2013 found it. Not [@smith2011]. Mail me@x.org.\n"
    doc = read_text_document(text.encode(), "d.md", "text/markdown")
    refs, markers = find_references(doc, library)
    assert [(r.label, r.pmid, r.source) for r in refs] == [("younger2013", "23359310", "refs.bib")]
    assert [(m.text, m.labels, m.missing) for m in markers] == [
        ("[@younger2013, p. 531]", ("younger2013",), ()),
        ("@Younger2013", ("younger2013",), ()),
        ("[@smith2011]", (), ("@smith2011",)),
    ]
    # numbered markers in a document with no list of its own: the file's order
    doc = read_text_document(b"LDN eased fibromyalgia pain [1]. And [2].\n", "n.txt")
    refs, markers = find_references(doc, library)
    assert [(r.label, r.pmid) for r in refs] == [("1", "23359310")]
    assert [(m.labels, m.missing) for m in markers] == [(("1",), ()), ((), ("2",))]


def test_an_audit_with_references_says_where_each_came_from(tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(FILES["refs.bib"], encoding="utf-8")
    page = tmp_path / "draft.md"
    page.write_text("Low dose naltrexone eased fibromyalgia pain [@younger2013].\n", encoding="utf-8")
    result = audit([page], AuditOptions(offline=True, references=(bib,)))
    [doc] = result.documents
    claim = next(c for c in doc.claims if c.concept.name == "Fibromyalgia")
    assert doc.assessment(claim.id).verdict == "supported"
    out = CliRunner().invoke(main, ["audit", "--offline", "--references", str(bib), "--format", "markdown", str(page)])
    assert out.exit_code == 0 and "(from the bibliography file refs.bib)" in out.output


@pytest.mark.parametrize(("name", "content", "says"), [
    ("none.bib", None, "no such bibliography file"),
    ("empty.bib", "nothing here", "holds no bibtex records"),
    ("broken.json", '[{"id": 1', "cannot be read as csl-json"),
    ("notes.txt", "just words", "not a bibliography file ldn-graph reads"),
])
def test_a_bad_file_is_refused_in_one_line(name: str, content: str | None, says: str, tmp_path: Path) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=says) as err:
        read_bibliography(path)
    assert "\n" not in str(err.value)
    page = tmp_path / "p.md"
    page.write_text("LDN eased pain [@x].\n", encoding="utf-8")
    out = CliRunner().invoke(main, ["audit", "--offline", "--references", str(path), str(page)])
    assert out.exit_code == 2 and says in out.output and "Traceback" not in out.output
