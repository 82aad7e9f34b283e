"""The namespaces of the graph: the project's own (ontology, instances, vocabulary), the
established vocabularies it reuses (Micropublications, Web Annotation, SKOS, CiTO, FaBiO,
BiRO, BIBO, DCTerms, PROV-O, FOAF, MeSH), their prefixes, and :func:`compact`.
"""

from __future__ import annotations

ONTOLOGY = "https://w3id.org/ldn-graph/ontology#"
INSTANCES = "https://w3id.org/ldn-graph/id/"
VOCAB = "https://w3id.org/ldn-graph/vocab/ldn#"
MESH = "http://id.nlm.nih.gov/mesh/"

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_NS = "http://www.w3.org/2000/01/rdf-schema#"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
OWL_NS = "http://www.w3.org/2002/07/owl#"
SKOS_NS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS_NS = "http://purl.org/dc/terms/"
PROV_NS = "http://www.w3.org/ns/prov#"
FOAF_NS = "http://xmlns.com/foaf/0.1/"
MP_NS = "http://purl.org/mp/"
OA_NS = "http://www.w3.org/ns/oa#"
CITO_NS = "http://purl.org/spar/cito/"
FABIO_NS = "http://purl.org/spar/fabio/"
BIRO_NS = "http://purl.org/spar/biro/"
BIBO_NS = "http://purl.org/ontology/bibo/"
PRISM_NS = "http://prismstandard.org/namespaces/basic/2.0/"

PREFIXES: dict[str, str] = {
    "ldng": ONTOLOGY,
    "ldnv": VOCAB,
    "ldn": INSTANCES,
    "pubmed": f"{INSTANCES}pubmed/",
    "mesh": MESH,
    "rdf": RDF_NS,
    "rdfs": RDFS_NS,
    "xsd": XSD_NS,
    "owl": OWL_NS,
    "skos": SKOS_NS,
    "dcterms": DCTERMS_NS,
    "prov": PROV_NS,
    "foaf": FOAF_NS,
    "mp": MP_NS,
    "oa": OA_NS,
    "cito": CITO_NS,
    "fabio": FABIO_NS,
    "biro": BIRO_NS,
    "bibo": BIBO_NS,
    "prism": PRISM_NS,
}

#: PubMed CommentsCorrections RefType → CiTO property (subject: the record holding it).
CITO_REF_TYPES = {
    "Cites": "cites",
    "RetractionIn": "isRetractedBy",
    "RetractionOf": "retracts",
    "ErratumIn": "isCorrectedBy",
    "ErratumFor": "corrects",
    "CommentIn": "isDiscussedBy",
    "CommentOn": "discusses",
    "UpdateIn": "isUpdatedBy",
    "UpdateOf": "updates",
}


def compact(iri: str) -> str:
    """``ldng:Supported`` for a known namespace, else the IRI itself."""
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(best) and prefix not in ("ldn",):
            best = ns
            name = f"{prefix}:{iri[len(ns):]}"
    return name if best else iri
