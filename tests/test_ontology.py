"""The Turtle files in ontology/: they parse, every MeSH ID is real, every publication type
occurs in real PubMed records, every ldng: term is defined, and the SHACL shapes bite."""

from __future__ import annotations

import csv
import gzip
import io
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SKOS

from ldn_graph.ontology.turtle import mesh_ui, ontology_files, ontology_graph, shapes_graph
from ldn_graph.ontology.vocabulary import load_vocabulary
from ldn_graph.resources import ontology_dir

DATA = Path(__file__).parent / "data"
LDNG = Namespace("https://w3id.org/ldn-graph/ontology#")
LDNV = Namespace("https://w3id.org/ldn-graph/vocab/ldn#")
MP = Namespace("http://purl.org/mp/")
OA = Namespace("http://www.w3.org/ns/oa#")
FABIO = Namespace("http://purl.org/spar/fabio/")
NNI = URIRef("http://www.w3.org/2001/XMLSchema#nonNegativeInteger")
ID = Namespace("https://w3id.org/ldn-graph/id/")
SH = Namespace("http://www.w3.org/ns/shacl#")

TTL_FILES = sorted(ontology_dir().glob("*.ttl"))


def _parse(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


@pytest.fixture(scope="module")
def mesh_table() -> dict[str, str]:
    """Descriptor UI -> name, from the real MeSH table."""
    table: dict[str, str] = {}
    with gzip.open(DATA / "mesh" / "subjects_mesh.csv.gz", "rt", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            ui = mesh_ui(row["id"])
            assert ui is not None, row
            table[ui] = row["subject"]
    return table


@pytest.fixture(scope="module")
def xml_publication_types() -> dict[str, set[str]]:
    """PublicationType UI -> names, from every real PubMed/MEDLINE XML file under tests/data."""
    found: dict[str, set[str]] = {}
    files = sorted((DATA / "eutils").glob("*.xml")) + sorted((DATA / "medline").glob("*.xml.gz"))
    assert files
    for path in files:
        data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        for _event, elem in ET.iterparse(io.BytesIO(data)):  # ElementTree never fetches the DTD
            if elem.tag == "PublicationType" and elem.get("UI"):
                found.setdefault(elem.get("UI", ""), set()).add((elem.text or "").strip())
                elem.clear()
    return found


# --------------------------------------------------------------------------- files


def test_the_four_files_are_there() -> None:
    names = {p.name for p in TTL_FILES}
    assert {"ldn-graph.ttl", "vocabulary-ldn.ttl", "evidence-levels.ttl", "shapes.ttl"} <= names
    assert "shapes.ttl" not in {p.name for p in ontology_files()}


@pytest.mark.parametrize("path", TTL_FILES, ids=lambda p: p.name)
def test_every_file_parses(path: Path) -> None:
    assert len(_parse(path)) > 20


def test_ontology_graph_merges_schema_vocabulary_and_levels() -> None:
    g = ontology_graph()
    assert (LDNG.Assessment, RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")) in g
    assert (LDNV.Fibromyalgia, RDF.type, SKOS.Concept) in g
    assert (LDNG.RCT, LDNG.rank, Literal(8)) in g
    assert not list(g.subjects(RDF.type, SH.NodeShape))
    assert list(shapes_graph().subjects(RDF.type, SH.NodeShape))


# --------------------------------------------------------------------------- MeSH IDs


def _mesh_iris(graph: Graph) -> set[URIRef]:
    return {
        node
        for triple in graph
        for node in triple
        if isinstance(node, URIRef) and mesh_ui(str(node))
    }


def _publication_type_iris(graph: Graph) -> set[URIRef]:
    return {o for o in graph.objects(None, LDNG.publicationType) if isinstance(o, URIRef)}


@pytest.mark.parametrize(
    "path",
    [*TTL_FILES, DATA / "vocabulary-synthetic-metformin.ttl"],
    ids=lambda p: p.name,
)
def test_every_mesh_descriptor_exists_with_the_name_the_file_gives(
    path: Path, mesh_table: dict[str, str]
) -> None:
    g = _parse(path)
    descriptors = _mesh_iris(g) - _publication_type_iris(g)
    for iri in descriptors:
        ui = mesh_ui(str(iri))
        assert ui in mesh_table, f"{path.name}: {ui} is not a MeSH descriptor in the table"
        canonical = URIRef(f"http://id.nlm.nih.gov/mesh/{ui}")
        names = {str(label) for label in g.objects(canonical, RDFS.label)}
        assert names == {mesh_table[ui]}, f"{path.name}: {ui} is {mesh_table[ui]!r}, file says {names}"


def test_graph_iris_use_the_canonical_http_form() -> None:
    g = Graph()
    for path in TTL_FILES:
        g += _parse(path)
    assert all(str(i).startswith("http://id.nlm.nih.gov/mesh/") for i in _mesh_iris(g))


def test_vocabulary_maps_every_concept_and_the_product(mesh_table: dict[str, str]) -> None:
    vocabulary = load_vocabulary()
    assert vocabulary.subject_mesh == ("D009271",)
    assert mesh_table["D009271"] == "Naltrexone"
    for concept in vocabulary.concepts:
        assert concept.mesh, concept.name
        assert all(ui in mesh_table for ui in concept.mesh)


# --------------------------------------------------------------------------- publication types


def test_every_publication_type_occurs_in_the_real_records_with_that_name(
    xml_publication_types: dict[str, set[str]],
) -> None:
    g = _parse(ontology_dir() / "evidence-levels.ttl")
    pub_types = _publication_type_iris(g)
    assert len(pub_types) >= 20
    for iri in pub_types:
        ui = mesh_ui(str(iri))
        assert ui in xml_publication_types, f"{ui} does not occur in the records under tests/data"
        names = {str(label) for label in g.objects(iri, RDFS.label)}
        assert names == xml_publication_types[ui], ui


def test_every_publication_type_in_the_real_records_is_mapped_or_neutral(
    xml_publication_types: dict[str, set[str]],
) -> None:
    g = _parse(ontology_dir() / "evidence-levels.ttl")
    covered = {mesh_ui(str(i)) for i in _publication_type_iris(g)}
    assert set(xml_publication_types) <= covered


def test_design_publication_types_map_to_the_levels_in_the_design() -> None:
    g = _parse(ontology_dir() / "evidence-levels.ttl")
    rules = {
        mesh_ui(str(g.value(r, LDNG.publicationType))): g.value(r, LDNG.level)
        for r in g.subjects(RDF.type, LDNG.PublicationTypeRule)
    }
    assert rules["D016449"] == LDNG.RCT
    assert rules["D016430"] == LDNG.ClinicalTrial
    assert rules["D017418"] == LDNG.SystematicReview
    assert rules["D000078182"] == LDNG.SystematicReview
    assert rules["D016454"] == LDNG.Review
    assert rules["D064888"] == LDNG.Observational
    assert rules["D002363"] == LDNG.CaseReport
    for ui in ("D016421", "D016422", "D016420"):
        assert rules[ui] == LDNG.Opinion


# --------------------------------------------------------------------------- schema


# (the notations of verdicts, severities, claim types and levels: tests/test_terms.py)


def test_every_ldng_term_used_anywhere_is_defined_with_label_and_comment() -> None:
    schema = _parse(ontology_dir() / "ldn-graph.ttl")
    used: set[URIRef] = set()
    for path in [*TTL_FILES, DATA / "vocabulary-synthetic-metformin.ttl"]:
        for triple in _parse(path):
            used |= {n for n in triple if isinstance(n, URIRef) and str(n).startswith(str(LDNG))}
    assert used
    for term in used:
        assert (term, RDFS.label, None) in schema, f"{term} has no rdfs:label in ldn-graph.ttl"
        assert (term, RDFS.comment, None) in schema, f"{term} has no rdfs:comment in ldn-graph.ttl"


def test_case_sensitive_label_is_a_hidden_label() -> None:
    g = _parse(ontology_dir() / "ldn-graph.ttl")
    assert (LDNG.caseSensitiveLabel, RDFS.subPropertyOf, SKOS.hiddenLabel) in g


# --------------------------------------------------------------------------- SHACL shapes


def _validate(data: Graph) -> tuple[bool, str]:
    from pyshacl import validate

    conforms, _report, text = validate(data, shacl_graph=_SHAPES, inference="none")
    return bool(conforms), str(text)


_SHAPES = shapes_graph()


def _add_claim(g: Graph, doc: URIRef, concept: URIRef, claim_type: URIRef, start: int, end: int, n: int) -> URIRef:
    claim = ID[f"claim/{n}"]
    g.add((claim, RDF.type, MP.Claim))
    g.add((claim, LDNG.aboutConcept, concept))
    g.add((claim, LDNG.claimType, claim_type))
    g.add((claim, LDNG.inDocument, doc))
    g.add((claim, LDNG.hedged, Literal(False)))
    g.add((claim, LDNG.negated, Literal(False)))
    annotation, target, position, quote = ID[f"annotation/{n}"], BNode(), BNode(), BNode()
    g.add((annotation, RDF.type, OA.Annotation))
    g.add((annotation, OA.hasBody, claim))
    g.add((annotation, OA.hasTarget, target))
    g.add((target, OA.hasSource, doc))
    g.add((target, OA.hasSelector, position))
    g.add((position, RDF.type, OA.TextPositionSelector))
    g.add((position, OA.start, Literal(start)))
    g.add((position, OA.end, Literal(end)))
    g.add((target, OA.hasSelector, quote))
    g.add((quote, RDF.type, OA.TextQuoteSelector))
    g.add((quote, OA.exact, Literal("synthetic claim text")))
    return claim


def _conforming_graph() -> Graph:
    """A small synthetic audit graph: one document, one study, one claim, assessment, finding."""
    g = Graph()
    doc = ID["document/synthetic"]
    g.add((doc, RDF.type, LDNG.Document))
    concept = LDNV.Fibromyalgia
    g.add((concept, RDF.type, SKOS.Concept))
    g.add((concept, SKOS.prefLabel, Literal("Fibromyalgia", lang="en")))
    g.add((concept, LDNG.claimType, LDNG.Indication))
    claim = _add_claim(g, doc, concept, LDNG.Indication, 10, 42, 1)

    study = ID["pubmed/23359310"]
    g.add((study, RDF.type, FABIO.JournalArticle))
    g.add((study, FABIO.hasPubMedId, Literal("23359310")))
    g.add((study, LDNG.evidenceLevel, LDNG.RCT))
    g.add((study, LDNG.recordOrigin, Literal("transcribed")))
    g.add((study, LDNG.sampleSize, Literal(31)))
    entry = ID["reference/1"]
    g.add((entry, LDNG.referenceLabel, Literal("1")))
    g.add((entry, LDNG.refersTo, study))
    g.add((doc, LDNG.hasReference, entry))
    g.add((claim, LDNG.citesReference, entry))

    assessment, evidence = ID["assessment/1"], ID["evidence/1"]
    g.add((assessment, RDF.type, LDNG.Assessment))
    g.add((assessment, LDNG.assesses, claim))
    g.add((assessment, LDNG.verdict, LDNG.Inferred))
    g.add((assessment, LDNG.reason, Literal("synthetic reason")))
    g.add((assessment, LDNG.hasEvidence, evidence))
    g.add((study, MP.supports, claim))
    g.add((evidence, RDF.type, OA.Annotation))
    g.add((evidence, OA.hasBody, assessment))
    g.add((evidence, LDNG.matchedOn, Literal("abstract")))
    g.add((evidence, LDNG.evidenceLevel, LDNG.RCT))
    g.add((evidence, LDNG.rationale, Literal("synthetic rationale")))
    target, selector = BNode(), BNode()
    g.add((evidence, OA.hasTarget, target))
    g.add((target, OA.hasSource, study))
    g.add((target, OA.hasSelector, selector))
    g.add((selector, RDF.type, OA.TextPositionSelector))
    g.add((selector, OA.start, Literal(0, datatype=NNI)))
    g.add((selector, OA.end, Literal(19, datatype=NNI)))
    g.add((selector, LDNG.field, Literal("abstract")))

    finding = ID["finding/1"]
    g.add((finding, RDF.type, LDNG.Finding))
    g.add((finding, LDNG.findingKind, Literal("weak_evidence")))
    g.add((finding, LDNG.severity, LDNG.Warning))
    g.add((finding, LDNG.concerns, claim))
    return g


def test_shapes_accept_a_conforming_graph() -> None:
    conforms, text = _validate(_conforming_graph())
    assert conforms, text


def test_shapes_accept_a_claim_about_every_vocabulary_concept() -> None:
    g = ontology_graph()  # carries the concepts, as a produced graph must
    doc = ID["document/synthetic"]
    g.add((doc, RDF.type, LDNG.Document))
    for n, concept in enumerate(load_vocabulary().concepts):
        claim_type = LDNG[concept.claim_type.capitalize()]
        _add_claim(g, doc, URIRef(concept.iri), claim_type, n, n + 5, n)
    conforms, text = _validate(g)
    assert conforms, text


C1 = ID["claim/1"]
A1 = ID["assessment/1"]
STUDY = ID["pubmed/23359310"]
F1 = ID["finding/1"]


def _selector(g: Graph) -> BNode:
    """The position selector of claim 1's annotation."""
    target = g.value(ID["annotation/1"], OA.hasTarget)
    node = next(s for s in g.objects(target, OA.hasSelector) if (s, RDF.type, OA.TextPositionSelector) in g)
    assert isinstance(node, BNode)
    return node


def _set(s: URIRef | BNode, p: URIRef, o: object) -> Callable[[Graph], None]:
    def change(g: Graph) -> None:
        g.set((s, p, o))  # type: ignore[arg-type]

    return change


def _remove(s: URIRef | None, p: URIRef | None, o: object = None) -> Callable[[Graph], None]:
    def change(g: Graph) -> None:
        g.remove((s, p, o))  # type: ignore[arg-type]

    return change


def _add(s: URIRef, p: URIRef, o: object) -> Callable[[Graph], None]:
    def change(g: Graph) -> None:
        g.add((s, p, o))  # type: ignore[arg-type]

    return change


def _swap_offsets(g: Graph) -> None:
    sel = _selector(g)
    g.set((sel, OA.start, Literal(50)))
    g.set((sel, OA.end, Literal(40)))


def _string_offset(g: Graph) -> None:
    g.set((_selector(g), OA.start, Literal("10")))


def _untyped_concept(g: Graph) -> None:
    g.remove((LDNV.Fibromyalgia, RDF.type, SKOS.Concept))


def _no_position_selector(g: Graph) -> None:
    sel = _selector(g)
    g.remove((sel, RDF.type, OA.TextPositionSelector))


def _evidence_offsets(g: Graph) -> None:
    target = g.value(ID["evidence/1"], OA.hasTarget)
    selector = g.value(target, OA.hasSelector)
    g.set((selector, OA.end, Literal(-1)))  # type: ignore[arg-type]


def _evidence_without_source(g: Graph) -> None:
    target = g.value(ID["evidence/1"], OA.hasTarget)
    g.remove((target, OA.hasSource, None))


def _other_document(g: Graph) -> None:
    target = next(iter(g.objects(ID["annotation/1"], OA.hasTarget)))
    g.set((target, OA.hasSource, ID["document/other"]))


BROKEN = {
    "claim without concept": (_remove(C1, LDNG.aboutConcept), "exactly one skos:Concept"),
    "claim with two concepts": (_add(C1, LDNG.aboutConcept, LDNV.CrohnDisease), "exactly one skos:Concept"),
    "concept not a skos:Concept": (_untyped_concept, "exactly one skos:Concept"),
    "claim without type": (_remove(C1, LDNG.claimType), "exactly one ldng:claimType"),
    "claim with two types": (_add(C1, LDNG.claimType, LDNG.Safety), "exactly one ldng:claimType"),
    "claim with unknown type": (_set(C1, LDNG.claimType, LDNG.Efficacy), "exactly one ldng:claimType"),
    "claim without document": (_remove(C1, LDNG.inDocument), "exactly one ldng:Document"),
    "claim not placed": (_no_position_selector, "oa:TextPositionSelector"),
    "annotation targets another document": (_other_document, "claim's own document"),
    "start after end": (_swap_offsets, "oa:start >= 0 and <= its oa:end"),
    "start not an integer": (_string_offset, "oa:start"),
    "hedged not boolean": (_set(C1, LDNG.hedged, Literal("yes")), "hedged"),
    "assessment without claim": (_remove(A1, LDNG.assesses), "exactly one mp:Claim"),
    "assessment of a non-claim": (_set(A1, LDNG.assesses, STUDY), "exactly one mp:Claim"),
    "assessment without verdict": (_remove(A1, LDNG.verdict), "among the six verdicts"),
    "two verdicts": (_add(A1, LDNG.verdict, LDNG.Supported), "among the six verdicts"),
    "unknown verdict": (_set(A1, LDNG.verdict, LDNG.Refuted), "among the six verdicts"),
    "verdict as a string": (_set(A1, LDNG.verdict, Literal("supported")), "among the six verdicts"),
    "assessment without reason": (_remove(A1, LDNG.reason), "non-empty ldng:reason"),
    "empty reason": (_set(A1, LDNG.reason, Literal("  ")), "non-empty ldng:reason"),
    "untyped assessment": (_remove(A1, RDF.type, LDNG.Assessment), "Assessment"),
    "article without PMID": (_remove(STUDY, FABIO.hasPubMedId), "fabio:hasPubMedId"),
    "PMID with a leading zero": (_set(STUDY, FABIO.hasPubMedId, Literal("023359310")), "fabio:hasPubMedId"),
    "PMID with letters": (_set(STUDY, FABIO.hasPubMedId, Literal("PMC123")), "fabio:hasPubMedId"),
    "PMID as an integer": (_set(STUDY, FABIO.hasPubMedId, Literal(23359310)), "fabio:hasPubMedId"),
    "PMID too long": (_set(STUDY, FABIO.hasPubMedId, Literal("1234567890")), "fabio:hasPubMedId"),
    "two PMIDs": (_add(STUDY, FABIO.hasPubMedId, Literal("17222320")), "fabio:hasPubMedId"),
    "unknown record origin": (_set(STUDY, LDNG.recordOrigin, Literal("guessed")), "recordOrigin"),
    "unknown evidence level": (_set(STUDY, LDNG.evidenceLevel, LDNG.Anecdote), "nine evidence levels"),
    "level as a string": (_set(ID["evidence/1"], LDNG.evidenceLevel, Literal("rct")), "nine evidence levels"),
    "unknown matched field": (_set(ID["evidence/1"], LDNG.matchedOn, Literal("gut")), "matchedOn"),
    "evidence selector end before start": (_evidence_offsets, "oa:start >= 0 and <= its oa:end"),
    "evidence annotation without source": (_evidence_without_source, "oa:hasSource"),
    "finding without kind": (_remove(F1, LDNG.findingKind), "ldng:findingKind"),
    "finding kind not snake_case": (_set(F1, LDNG.findingKind, Literal("Weak evidence")), "ldng:findingKind"),
    "finding without severity": (_remove(F1, LDNG.severity), "ldng:severity"),
    "unknown severity": (_set(F1, LDNG.severity, LDNG.Fatal), "ldng:severity"),
    "severity as a string": (_set(F1, LDNG.severity, Literal("error")), "ldng:severity"),
    "empty reference label": (_set(ID["reference/1"], LDNG.referenceLabel, Literal("")), "referenceLabel"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_shapes_reject_a_broken_graph(case: str) -> None:
    change, expected = BROKEN[case]
    g = _conforming_graph()
    change(g)
    conforms, text = _validate(g)
    assert not conforms, f"{case}: the shapes accepted it"
    assert expected in text, text


def test_shapes_do_not_depend_on_how_iris_are_minted() -> None:
    g = _conforming_graph()
    renamed = Graph()
    other = "urn:example:elsewhere/"
    for triple in g:
        renamed.add(
            tuple(  # type: ignore[arg-type]
                URIRef(str(n).replace(str(ID), other)) if isinstance(n, URIRef) else n for n in triple
            )
        )
    assert len(renamed) == len(g)
    conforms, text = _validate(renamed)
    assert conforms, text


def test_plain_and_xsd_string_pmids_both_conform() -> None:
    g = _conforming_graph()
    g.set((STUDY, FABIO.hasPubMedId, Literal("23359310", datatype=URIRef("http://www.w3.org/2001/XMLSchema#string"))))
    assert _validate(g)[0]


# --------------------------------------------------------------------------- the tool's own graph


def test_the_graph_of_an_offline_audit_of_the_examples_conforms(tmp_path: Path) -> None:
    from ldn_graph.audit import AuditOptions, audit
    from ldn_graph.rdf.triples import build_rdf
    from ldn_graph.resources import example_paths

    result = audit(example_paths(), AuditOptions(offline=True, cache_dir=tmp_path / "cache"))
    graph = build_rdf(result)
    assert list(graph.subjects(RDF.type, MP.Claim))
    conforms, text = _validate(graph)
    assert conforms, text
    schema = _parse(ontology_dir() / "ldn-graph.ttl")
    used = {n for t in graph for n in t if isinstance(n, URIRef) and str(n).startswith(str(LDNG))}
    undefined = sorted(str(t) for t in used if (t, RDFS.label, None) not in schema)
    assert not undefined, f"terms the graph uses but ldn-graph.ttl does not define: {undefined}"


def test_the_verdict_sets_test_vocabularies_use_real_mesh_descriptors(mesh_table: dict[str, str]) -> None:
    """Every MeSH UI in a verdict-set vocabulary spec (tests/verdicts/*.vocab.json) is in the
    real MeSH table under the name the spec gives it, and each Turtle file is the one
    make_vocabularies.py writes from its spec."""
    import importlib.util
    import json

    folder = DATA.parent / "verdicts"
    spec = importlib.util.spec_from_file_location("make_vocabularies", folder / "make_vocabularies.py")
    assert spec is not None and spec.loader is not None
    make = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make)
    specs = sorted(folder.glob("*.vocab.json"))
    assert len(specs) > 50
    for path in specs:
        data = json.loads(path.read_text(encoding="utf-8"))
        pairs = list(zip(data.get("product_mesh", []), data.get("product_mesh_names", []), strict=True))
        for concept in data["concepts"]:
            pairs += list(zip(concept.get("mesh", []), concept.get("mesh_names", []), strict=True))
        for ui, name in pairs:
            assert mesh_table.get(ui) == name, f"{path.name}: {ui} is {mesh_table.get(ui)!r}, not {name!r}"
        name = path.name.removesuffix(".vocab.json")
        assert (folder / f"{name}.ttl").read_text(encoding="utf-8") == make.turtle(data, name), name
