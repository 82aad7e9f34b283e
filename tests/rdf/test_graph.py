"""The RDF graph: SHACL-valid, stable IRIs, PROV-O provenance, citation edges, clean text."""

from __future__ import annotations

import gzip
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.compare import graph_diff, to_isomorphic
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS
from synthetic_audit import MEDLINE, medline_records, synthetic_result

from ldn_graph.rdf.backends import OxigraphTerms, RdflibTerms
from ldn_graph.rdf.iris import claim_iri, graph_iri, result_graph_iri, safe_iri, study_iri
from ldn_graph.rdf.namespaces import INSTANCES
from ldn_graph.rdf.network import build_networkx
from ldn_graph.rdf.triples import audit_triples, build_rdf, record_triples, records_rdf
from ldn_graph.text import replace_unsafe

LDNG = Namespace("https://w3id.org/ldn-graph/ontology#")
MP = Namespace("http://purl.org/mp/")
CITO = Namespace("http://purl.org/spar/cito/")
FABIO = Namespace("http://purl.org/spar/fabio/")
OA = Namespace("http://www.w3.org/ns/oa#")

# RFC 3987 forbids these anywhere in an IRI; Oxigraph rejects them ("Invalid IRI code point").
BAD_IRI_CHARS = re.compile(r"[\x00-\x20<>\"{}|^`\\\ud800-\udfff]")
BAD_TEXT_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def validate(graph: Graph) -> tuple[bool, str]:
    from pyshacl import validate as shacl

    from ldn_graph.ontology.turtle import shapes_graph

    conforms, _, text = shacl(graph, shacl_graph=shapes_graph(), inference="none", advanced=True)
    return bool(conforms), str(text)


def assert_isomorphic(expected: Graph, actual: Graph) -> None:
    """rdflib isomorphism, with the first differing triples in the failure message."""
    if not any(isinstance(n, BNode) for g in (expected, actual) for t in g for n in t):
        if set(expected) == set(actual):  # no blank nodes: isomorphic means equal
            return
    elif to_isomorphic(expected) == to_isomorphic(actual):
        return
    _, only_expected, only_actual = graph_diff(to_isomorphic(expected), to_isomorphic(actual))
    lines = sorted(only_expected.serialize(format="nt").splitlines())[:15]
    lines2 = sorted(only_actual.serialize(format="nt").splitlines())[:15]
    pytest.fail("graphs differ\nonly in expected:\n  " + "\n  ".join(lines) + "\nonly in actual:\n  " + "\n  ".join(lines2))


# --------------------------------------------------------------------------- SHACL


def test_synthetic_audit_graph_passes_the_shapes() -> None:
    graph = build_rdf(synthetic_result(), include_vocabulary=True)
    assert len(graph) > 100
    conforms, text = validate(graph)
    assert conforms, text


def test_graph_of_the_audited_examples_passes_the_shapes(tmp_path: Path) -> None:
    from ldn_graph.audit import AuditOptions, audit
    from ldn_graph.resources import example_paths

    result = audit(example_paths(), AuditOptions(offline=True, cache_dir=tmp_path / "cache"))
    graph = build_rdf(result)
    assert len(set(graph.subjects(RDF.type, MP.Claim))) == result.summary()["claims"]
    conforms, text = validate(graph)
    assert conforms, text


def test_graph_of_cached_records_passes_the_shapes() -> None:
    from ldn_graph.judge.levels import evidence_level
    from ldn_graph.ontology.levels import load_level_rules

    rules = load_level_rules()
    records = medline_records()[:40]
    levels = {r.study.pmid: evidence_level(r.study, rules, r.provenance.origin) for r in records}
    graph = records_rdf(records, levels=levels)
    assert len(set(graph.subjects(LDNG.evidenceLevel, None))) == 40
    conforms, text = validate(graph)
    assert conforms, text


def test_the_shapes_catch_a_broken_graph() -> None:
    """The SHACL check can fail: a claim without its concept does not pass."""
    graph = build_rdf(synthetic_result())
    claim = next(graph.subjects(RDF.type, MP.Claim))
    graph.remove((claim, LDNG.aboutConcept, None))
    conforms, text = validate(graph)
    assert not conforms
    assert "exactly one skos:Concept" in text


def test_every_project_term_is_defined_in_the_ontology() -> None:
    from ldn_graph.ontology.turtle import ontology_graph

    schema = ontology_graph()
    graph = build_rdf(synthetic_result(), include_vocabulary=True)
    graph += records_rdf(medline_records()[:50])
    used = {n for t in graph for n in t if isinstance(n, URIRef) and str(n).startswith(str(LDNG))}
    undefined = sorted(str(t) for t in used if (t, RDFS.label, None) not in schema)
    assert not undefined


# --------------------------------------------------------------------------- citations


def test_the_2016_medline_file_gives_every_cites_edge() -> None:
    # count independently of the parser: every CommentsCorrections RefType="Cites" with a PMID
    with gzip.open(MEDLINE) as fh:
        tree = etree.parse(fh, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
    pairs = {
        (cc.getparent().getparent().findtext("PMID").strip(), cc.findtext("PMID").strip())
        for cc in tree.iter("CommentsCorrections")
        if cc.get("RefType") == "Cites" and cc.findtext("PMID")
    }
    assert len(pairs) == 3547
    T = RdflibTerms()
    edges = {
        (str(s), str(o))
        for r in medline_records()
        for s, p, o in record_triples(r, T)
        if p == T.v.cites
    }
    assert len(edges) == 3547
    assert edges == {(study_iri(a), study_iri(b)) for a, b in pairs}


def test_reference_list_pmids_become_cites_edges_too() -> None:
    from dataclasses import replace

    from ldn_graph.model import CitedReference, CommentCorrection

    record = medline_records()[0]
    study = replace(
        record.study,
        comments_corrections=(CommentCorrection("Cites", "111"), CommentCorrection("RetractionIn", "333"), CommentCorrection("Cites", "bogus")),
        references=(
            CitedReference("A. Paper. 2001.", pmid=" 222 "),
            CitedReference("No id"),
            CitedReference("Dup", pmid="111"),
            CitedReference("Leading zeros: not a PMID (ids.parse_pmid)", pmid="0000444"),
        ),
    )
    g = Graph()
    for t in record_triples(replace(record, study=study), RdflibTerms()):
        g.add(t)
    s = URIRef(study_iri(study.pmid))
    assert set(g.objects(s, CITO.cites)) == {URIRef(study_iri("111")), URIRef(study_iri("222"))}
    assert set(g.objects(s, CITO.isRetractedBy)) == {URIRef(study_iri("333"))}
    assert (URIRef(study_iri("222")), FABIO.hasPubMedId, Literal("222")) in g


# --------------------------------------------------------------------------- IRIs


def test_iris_are_stable_and_never_raw_user_text() -> None:
    result = synthetic_result()
    g1 = build_rdf(result, include_vocabulary=True)
    g2 = build_rdf(synthetic_result(), include_vocabulary=True)
    assert set(g1) == set(g2)  # same IRIs, not just isomorphic
    from pyoxigraph import NamedNode

    for node in {n for t in g1 for n in t}:
        assert not isinstance(node, BNode)
        if isinstance(node, URIRef):
            assert not BAD_IRI_CHARS.search(str(node)), str(node)
            NamedNode(str(node))  # Oxigraph accepts it
    claims = {str(c) for c in g1.subjects(RDF.type, MP.Claim)}
    doc = result.documents[0]
    assert claims == {claim_iri(doc.document.sha256, c) for c in doc.claims}
    assert all(c.startswith(f"{INSTANCES}claim/{doc.document.sha256[:16]}-") for c in claims)
    # the weird concept keeps its original text only as literals
    weird = doc.claims[1].concept
    concept = URIRef(safe_iri(weird.iri))
    assert str(concept) == "https://w3id.org/ldn-graph/vocab/ldn#Weird%20Name%3C%22x%22%3E%7B%7C%7D"
    assert (concept, URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"), Literal("Weird \ufffd concept", lang="en")) in g1
    assert URIRef(safe_iri("not an iri at all")).startswith(f"{INSTANCES}concept/")


def test_graph_iri_depends_on_the_documents_only() -> None:
    a, b = "a" * 64, "b" * 64
    assert graph_iri([a, b]) == graph_iri([b, a, a])
    assert graph_iri([a]) != graph_iri([a, b])
    assert re.fullmatch(rf"{INSTANCES}graph/[0-9a-f]{{32}}", graph_iri([a]))
    r1 = synthetic_result(generated_at="2024-01-01T00:00:00+00:00")
    r2 = synthetic_result(generated_at="2025-01-01T00:00:00+00:00")
    assert result_graph_iri(r1) == result_graph_iri(r2) == graph_iri(["5" * 64])


def test_text_is_cleaned_for_every_serialization() -> None:
    graph = build_rdf(synthetic_result(), include_vocabulary=True)
    literals = [o for o in graph.objects() if isinstance(o, Literal)]
    assert not [str(x) for x in literals if BAD_TEXT_CHARS.search(str(x))]
    labels = [str(o) for o in graph.objects(None, RDFS.label)]
    assert any("NUL\ufffd ESC\ufffd VT\ufffd lone\ufffdsurrogate" in x for x in labels)
    assert replace_unsafe("a\tb\nc\r") == "a\tb\nc\r"
    assert replace_unsafe("\x00\x1b\ud800\ufffe") == "\ufffd" * 4


@pytest.mark.parametrize(
    "value",
    ["2024-05-01T12:00:00+00:00", "2024-05-01T12:00:00Z", "2024-05-01T14:30:00+02:00", "2024-05-01T12:00:00.250000+00:00", "2024-05-01T12:00:00"],
)
def test_typed_literals_are_canonical_so_a_store_keeps_them(value: str) -> None:
    """Oxigraph stores typed literals in canonical form; ours already are, so nothing
    changes on the way through a store."""
    from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat, Store
    from pyoxigraph import Literal as OxLiteral

    from ldn_graph.rdf.backends import canonical_datetime

    text = canonical_datetime(value)
    assert text is not None
    store = Store()
    dt = NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")
    store.add(Quad(NamedNode("http://example.org/s"), NamedNode("http://example.org/p"), OxLiteral(text, datatype=dt)))
    dumped = store.dump(None, RdfFormat.N_TRIPLES, from_graph=DefaultGraph()).decode()
    assert f'"{text}"^^' in dumped
    assert canonical_datetime("1998 Dec-1999 Jan") is None


def test_rdflib_and_oxigraph_factories_make_the_same_graph() -> None:
    from pyoxigraph import RdfFormat, Triple, serialize

    result = synthetic_result()
    data = serialize((Triple(*t) for t in audit_triples(result, OxigraphTerms())), None, RdfFormat.N_TRIPLES)
    assert_isomorphic(build_rdf(result), Graph().parse(data=data, format="nt"))


# --------------------------------------------------------------------------- content


def test_provenance_of_the_run_and_of_each_record() -> None:
    result = synthetic_result()
    g = build_rdf(result)
    (run,) = set(g.subjects(RDF.type, PROV.Activity))
    assert g.value(run, PROV.startedAtTime).toPython().year == 2024
    agent = g.value(run, PROV.wasAssociatedWith)
    assert (agent, RDF.type, PROV.SoftwareAgent) in g
    assert str(g.value(agent, OWL.versionInfo)) == result.run.tool_version
    used = set(g.objects(run, PROV.used))
    doc = URIRef(f"{INSTANCES}document/{'5' * 16}")
    assert doc in used
    assert str(g.value(doc, DCTERMS.identifier)) == "sha256:" + "5" * 64
    (pmid,) = result.records
    records = [r for r in used if (r, RDF.type, PROV.Entity) in g and (r, URIRef("http://xmlns.com/foaf/0.1/primaryTopic"), None) in g]
    assert len(records) == 1
    assert g.value(records[0], URIRef("http://xmlns.com/foaf/0.1/primaryTopic")) == URIRef(study_iri(pmid))
    assert str(g.value(records[0], LDNG.recordOrigin)) == "imported"
    assert str(g.value(records[0], DCTERMS.source)) == MEDLINE.name
    assert g.value(records[0], PROV.generatedAtTime).toPython() == datetime(2024, 5, 1, 12, tzinfo=UTC)
    assert str(g.value(URIRef(study_iri(pmid)), LDNG.recordOrigin)) == "imported"
    for a in g.subjects(RDF.type, LDNG.Assessment):
        assert g.value(a, PROV.wasGeneratedBy) == run


def test_support_only_for_supported_claims() -> None:
    result = synthetic_result()
    g = build_rdf(result)
    doc = result.documents[0]
    supported, unverified, unsupported = (URIRef(claim_iri(doc.document.sha256, c)) for c in doc.claims)
    (pmid,) = result.records
    study = URIRef(study_iri(pmid))
    assert set(g.subjects(MP.supports, None)) == {study}
    assert set(g.objects(study, MP.supports)) == {supported}
    assert (supported, CITO.citesAsEvidence, study) in g
    for claim in (unverified, unsupported):
        assert not set(g.subjects(MP.supports, claim))
    verdicts = {g.value(a, LDNG.assesses): g.value(a, LDNG.verdict) for a in g.subjects(RDF.type, LDNG.Assessment)}
    assert verdicts == {supported: LDNG.Supported, unverified: LDNG.Unverified, unsupported: LDNG.Unsupported}
    (evidence,) = set(g.subjects(RDF.type, LDNG.Evidence))
    assert g.value(evidence, PROV.wasDerivedFrom) == study
    assert g.value(evidence, LDNG.evidenceLevel) == LDNG.RCT
    assert g.value(study, LDNG.evidenceLevel) == LDNG.RCT
    # the unretrieved reference still names its PubMed record
    other = next(iter(result.unavailable))
    assert (URIRef(study_iri(other)), FABIO.hasPubMedId, Literal(other)) in g
    # a suppressed finding keeps the reviewer's reason
    assert [str(x) for x in g.objects(None, LDNG.suppressedBecause)] == ["accepted by the reviewer"]


def test_claims_are_placed_in_the_copy() -> None:
    result = synthetic_result()
    g = build_rdf(result)
    claim = result.documents[0].claims[0]
    c = URIRef(claim_iri(result.documents[0].document.sha256, claim))
    (ann,) = set(g.subjects(OA.hasBody, c))
    target = g.value(ann, OA.hasTarget)
    assert g.value(target, OA.hasSource) == g.value(c, LDNG.inDocument)
    positions = [s for s in g.objects(target, OA.hasSelector) if (s, RDF.type, OA.TextPositionSelector) in g]
    assert [(g.value(p, OA.start).toPython(), g.value(p, OA.end).toPython()) for p in positions] == [(claim.start, claim.end)]


# --------------------------------------------------------------------------- NetworkX


def test_networkx_view_links_claims_to_studies_with_verdicts() -> None:
    result = synthetic_result()
    G = build_networkx(result)
    (pmid,) = result.records
    claim = result.documents[0].claims[0]
    node = f"claim:{result.documents[0].document.sha256[:16]}/{claim.id}"
    edges = G.get_edge_data(f"pubmed:{pmid}", node)
    assert {d["relation"] for d in edges.values()} == {"supports"}
    assert G.nodes[node]["verdict"] == "supported"
    assert G.nodes[node]["evidence_level"] == "rct"
    assert {d["kind"] for _, d in G.nodes(data=True)} >= {"claim", "study", "document", "concept", "source"}
    for _, d in G.nodes(data=True):
        assert d["label"] and d["kind"]
        assert all(v is not None and isinstance(v, str | int | float | bool) for v in d.values())
