"""The schema of the network view (GraphML for Gephi and Cytoscape), defined once.

:mod:`ldn_graph.rdf.network` projects every graph (an audit, an embedded store) onto
these node kinds, attribute keys and edge relations, and refuses a key the schema does
not name; ``docs/graph.md`` documents the same tables (a test checks that it does).

Every node has ``kind`` and ``label``; every edge has ``relation`` (and its GraphML
``id``, the edge key). Lists are JSON-encoded strings (``[]`` when empty); a value that
does not apply (the verdict of a claim nobody assessed) is left out. An attribute name
has one type whatever the kind, so each is one GraphML key.
"""

from __future__ import annotations

from dataclasses import dataclass

from ldn_graph.rdf.namespaces import CITO_REF_TYPES


@dataclass(frozen=True)
class Attribute:
    name: str
    type: type  # str, int or bool (GraphML string, long, boolean)
    meaning: str


@dataclass(frozen=True)
class NodeKind:
    name: str
    prefix: str  # of the node id: "pubmed:23359310", "claim:…"
    meaning: str
    attributes: tuple[Attribute, ...]  # kind and label first

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(a.name for a in self.attributes)


@dataclass(frozen=True)
class Relation:
    name: str
    source: tuple[str, ...]  # node kinds
    target: tuple[str, ...]
    meaning: str
    attributes: tuple[Attribute, ...] = ()  # besides relation

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(a.name for a in self.attributes) | {RELATION.name}


def _node(kind: str, prefix: str, meaning: str, label: str, *attributes: Attribute) -> NodeKind:
    return NodeKind(kind, prefix, meaning, (Attribute("kind", str, f"`{kind}`"), Attribute("label", str, label), *attributes))


def _iri(what: str) -> Attribute:
    return Attribute("iri", str, f"the IRI of the {what} in the RDF graph")


def _json(name: str, meaning: str) -> Attribute:
    return Attribute(name, str, f"JSON list of {meaning}")


NODE_KINDS: dict[str, NodeKind] = {k.name: k for k in (
    _node(
        "document", "document:", "an audited document (web page, monograph, leaflet)", "the document's path",
        Attribute("path", str, "the path the document was read from"),
        Attribute("sha256", str, "SHA-256 of the document's bytes"),
        _iri("document"),
    ),
    _node(
        "claim", "claim:", "a health claim a document makes, about one concept",
        "the concept and the first 60 characters of the claim",
        Attribute("text", str, "the sentence or list item that makes the claim"),
        Attribute("concept", str, "the label of the concept the claim is about"),
        Attribute("claim_type", str, "mechanism, indication, benefit, safety, dosing or contraindication"),
        Attribute("verdict", str, "supported, contradicted, off_topic, unverified, inferred or unsupported (when assessed)"),
        Attribute("reason", str, "why the claim got its verdict (when assessed)"),
        Attribute("evidence_level", str, "the strongest evidence level among the studies weighed for the claim (when any)"),
        Attribute("hedged", bool, "the claim is hedged (\"may\", \"might\")"),
        Attribute("negated", bool, "the claim is negated"),
        Attribute("start", int, "offset of the claim's first character in the document's text"),
        Attribute("end", int, "offset just after the claim's last character"),
        Attribute("document", str, "the path of the document that makes the claim"),
        _json("cited", "the labels of the references the claim cites inline"),
        _json("findings", "the kinds of the findings raised on the claim (`unsupported_claim` …)"),
        _iri("claim"),
    ),
    _node(
        "concept", "concept:", "a concept of the claim vocabulary (a condition, an effect, a mechanism)",
        "the concept's preferred label",
        Attribute("claim_type", str, "the type of claim the concept makes (as for claims)"),
        _json("mesh", "the MeSH descriptor UIs the concept is mapped to"),
        _iri("concept"),
    ),
    _node(
        "study", "pubmed:", "a PubMed record: cited, weighed, or held in the store",
        "first author and year (\"Younger et al. 2013\"); \"PMID n\" without a record",
        Attribute("pmid", str, "the PubMed identifier"),
        Attribute("title", str, "the article title (with a record)"),
        Attribute("journal", str, "the journal title (with a record; empty when the record names none)"),
        Attribute("year", int, "the publication year (when the record gives one)"),
        Attribute("origin", str, "where the record came from: entrez, imported or transcribed; "
                  "unavailable when the graph holds no record of the study"),
        Attribute("evidence_level", str, "the study's evidence level: systematic_review, rct, clinical_trial, "
                  "observational, case_report, review, opinion, preclinical or unknown (when graded)"),
        _json("mesh", "the record's MeSH descriptor UIs (with a record)"),
        _json("publication_types", "the record's publication type names, e.g. `Randomized Controlled Trial` (with a record)"),
        _iri("study"),
    ),
    _node(
        "source", "source:", "a cited web source that is not a PubMed record", "the URL",
        Attribute("url", str, "the URL the reference gives"),
    ),
)}

RELATION = Attribute("relation", str, "the relation's name (every edge)")
_REFERENCE = Attribute("reference", str, "the label of the reference in the document's list (not between studies)")
_EVIDENCE = (
    Attribute("verdict", str, "the claim's verdict"),
    Attribute("level", str, "the study's evidence level for the claim (unknown when not graded)"),
    Attribute("matched_on", str, "what tied the study to the claim: mesh, title, abstract or keyword"),
    Attribute("direction", str, "positive, null, negative or unknown: which way the study's result goes for the claim"),
    Attribute("rationale", str, "the text of the record that matched"),
)
#: CiTO relations between records besides ``cites``, from PubMed's CommentsCorrections.
_CITO = tuple(prop for ref_type, prop in CITO_REF_TYPES.items() if ref_type != "Cites")

RELATIONS: dict[str, Relation] = {r.name: r for r in (
    Relation("asserts", ("document",), ("claim",), "the document makes the claim"),
    Relation("about", ("claim",), ("concept",), "the claim is about the concept"),
    Relation("cites", ("document", "claim", "study"), ("study", "source"),
             "the document's reference list, or the claim's inline citation, names the study or web "
             "source; between studies, the record's reference list cites the other record (the "
             "citation network)", (_REFERENCE,)),
    Relation("supports", ("study",), ("claim",),
             "the study backs the claim: the verdict is supported or inferred and the result "
             "points the claim's way", _EVIDENCE),
    Relation("considered", ("study",), ("claim",), "the study was weighed for the claim but does not back it", _EVIDENCE),
    Relation("suggested", ("study",), ("claim",),
             "a PubMed search found the study for a claim the document does not back: a candidate source, "
             "never a citation or support", (
                 Attribute("rank", str, "1 for the strongest suggestion of the claim"),
                 Attribute("level", str, "the study's evidence level for the claim"),
                 Attribute("direction", str, "positive, null, negative or unknown: which way its result goes for the claim"),
                 Attribute("rationale", str, "the sentence of the record that decides it"),
                 Attribute("query", str, "the PubMed query that found it"),
             )),
    *(Relation(prop, ("study",), ("study",), f"CiTO `{prop}` between two records (PubMed comments and corrections)")
      for prop in _CITO),
)}
