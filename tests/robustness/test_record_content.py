"""Items 19-23: awkward but valid record content, end to end.

Real records go in through ``cache import`` (no network), a synthetic page cites them,
and the exported Turtle and the HTML report must carry them faithfully: inline markup
kept but never rendered raw, MedlineDate not typed as a date, structured abstracts,
group authors, the doi-typed ELocationID.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import cli
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from robust_helpers import EUTILS, MEDLINE_2016, citing_page, synthetic_article

from ldn_graph.pubmed.cache import RecordCache

DCTERMS = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
BIBO = Namespace("http://purl.org/ontology/bibo/")
STUDY = "https://w3id.org/ldn-graph/id/pubmed/"
XSD_GYEAR = URIRef("http://www.w3.org/2001/XMLSchema#gYear")

MARKUP_PMID = "900000021"  # synthetic record with hostile inline markup
CITED = ["18621939", "17942999", "25864598", "23419741", MARKUP_PMID]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("record-content")
    cache_dir = tmp / "cache"
    hostile = tmp / "inline_markup_synthetic.xml"
    hostile.write_text(
        "<PubmedArticleSet>" + synthetic_article(
            MARKUP_PMID,
            "Role of <i>TP53</i> in H<sub>2</sub>O<sub>2</sub> &amp; naltrexone "
            "<b onclick=\"x()\">bold</b><script>alert(1)</script> tail words.",
            "Background <i>low dose</i> naltrexone in fibromyalgia.",
        ) + "</PubmedArticleSet>",
        encoding="utf-8",
    )
    imported = cli("cache", "import", MEDLINE_2016, EUTILS / "title_with_html_tags.xml",
                   hostile, "--cache-dir", cache_dir)
    assert imported.exit_code == 0, imported.stderr
    with RecordCache(cache_dir, seed=None) as cache:
        titled = next(p for p in cache.pmids() if (r := cache.get(p)) and r.study.title_markup
                      and "TERT" in r.study.title)
        records = {p: cache.get(p) for p in [*CITED, titled]}
    page = citing_page(tmp / "page.txt", [*CITED, titled])
    ttl = tmp / "graph.ttl"
    exported = cli("export", page, "--offline", "--cache-dir", cache_dir, "-o", ttl)
    assert exported.exit_code == 0, exported.stderr
    html = cli("audit", page, "--offline", "--cache-dir", cache_dir, "--format", "html")
    assert html.exit_code == 0, html.stderr
    return {"ttl": ttl, "html": html.stdout, "records": records, "titled": titled}


def parse_ttl(path: Path, caplog: pytest.LogCaptureFixture) -> Graph:
    caplog.set_level(logging.WARNING)
    graph = Graph().parse(path, format="turtle")
    assert "Failed to convert" not in caplog.text and "does not look like" not in caplog.text
    return graph


def test_item_19_inline_markup_is_kept_whole_and_never_rendered_raw(
    exported: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    graph = parse_ttl(exported["ttl"], caplog)
    title = str(graph.value(URIRef(STUDY + exported["titled"]), DCTERMS.title))
    assert "TERT" in title and title.endswith("risk of pancreatic cancer.")  # not truncated
    assert "<i>" not in title  # the graph holds the plain-text form
    record = exported["records"][exported["titled"]]
    assert record.study.title_markup and "<i>TERT</i>" in record.study.title_markup
    hostile = exported["records"][MARKUP_PMID].study
    assert hostile.title.startswith("Role of TP53 in H2O2 & naltrexone")
    assert hostile.title.endswith("tail words.")
    html = exported["html"]
    assert "<script>alert(1)</script>" not in html and 'onclick="x()"' not in html
    # shown whole: as safe inline markup, or as escaped plain text
    assert ("H<sub>2</sub>O<sub>2</sub> &amp; naltrexone" in html
            or "Role of TP53 in H2O2 &amp; naltrexone" in html)
    assert "tail words." in html


def test_item_20_medline_date_is_a_year_and_a_plain_literal(
    exported: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    graph = parse_ttl(exported["ttl"], caplog)
    study = URIRef(STUDY + "18621939")
    assert exported["records"]["18621939"].study.pub_date == "2008 Jul-Aug"
    dates = list(graph.objects(study, DCTERMS.date))
    assert dates == [Literal("2008 Jul-Aug")]  # plain, never xsd:date
    years = [o for o in graph.objects(study, None) if isinstance(o, Literal)
             and o.datatype == XSD_GYEAR]
    assert [str(y) for y in years] == ["2008"]
    assert [o for o in graph.objects() if isinstance(o, Literal) and o.ill_typed] == []


def test_item_21_structured_abstract_sections_are_kept(
    exported: dict[str, Any], tmp_path: Path
) -> None:
    study = exported["records"]["17942999"].study
    assert [s.label for s in study.abstract][:2] == ["PURPOSE", "METHODS"]
    assert study.abstract[0].category == "OBJECTIVE"
    # a synthetic record with Label="" (pubmed_parser #47): a section with no label
    local = tmp_path / "empty_label_synthetic.xml"
    local.write_text(
        "<PubmedArticleSet>" + synthetic_article("900000022", "Synthetic").replace(
            "</ArticleTitle>",
            '</ArticleTitle><Abstract><AbstractText Label="">First part.</AbstractText>'
            '<AbstractText Label="RESULTS">Second part.</AbstractText></Abstract>',
        ) + "</PubmedArticleSet>",
        encoding="utf-8",
    )
    result = cli("cache", "import", local, "--cache-dir", tmp_path / "cache")
    assert result.exit_code == 0, result.stderr
    with RecordCache(tmp_path / "cache", seed=None) as cache:
        record = cache.get("900000022")
    assert record is not None
    assert [(s.label or None, s.text) for s in record.study.abstract] == [
        (None, "First part."), ("RESULTS", "Second part.")]
    assert record.study.abstract_text == "First part. Second part."


def test_item_22_collective_name_is_a_group_agent_not_an_empty_person(
    exported: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    graph = parse_ttl(exported["ttl"], caplog)
    study = URIRef(STUDY + "25864598")
    creators = list(graph.objects(study, DCTERMS.creator))
    assert len(creators) == 9
    groups = [c for c in creators if (c, RDF.type, FOAF.Group) in graph]
    assert [str(graph.value(g, FOAF.name)) for g in groups] == [
        "Translational Methamphetamine AIDS Research Center (TMARC) Group"]
    for person in creators:
        name = graph.value(person, FOAF.name)
        assert name is not None and str(name).strip()  # no author with every field empty


def test_item_23_the_doi_typed_elocation_id_wins_over_a_following_pii(
    exported: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    graph = parse_ttl(exported["ttl"], caplog)
    assert str(graph.value(URIRef(STUDY + "23419741"), BIBO.doi)) == "10.1016/j.smrv.2012.09.005"
    assert exported["records"]["23419741"].study.doi == "10.1016/j.smrv.2012.09.005"
