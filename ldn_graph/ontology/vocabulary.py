"""The SKOS claim vocabulary: ``load_vocabulary()`` reads ``ontology/vocabulary-ldn.ttl``
(or a user file of the same shape, ``--vocabulary FILE.ttl``) into a
:class:`~ldn_graph.model.Vocabulary`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from ldn_graph.errors import OntologyError
from ldn_graph.model import Concept, Vocabulary
from ldn_graph.ontology.turtle import (
    ONTOLOGY_NS,
    SKOS_NS,
    VOCABULARY_FILE,
    literal_text,
    load_turtle,
    local_name,
    mesh_ui,
    prefer_english,
    sorted_terms,
)
from ldn_graph.resources import ontology_dir
from ldn_graph.terms import ClaimType
from ldn_graph.text import term_key

if TYPE_CHECKING:
    from rdflib import Graph

#: ldng: claim-type individual -> its claim type.
CLAIM_TYPE_IRIS: Mapping[str, ClaimType] = MappingProxyType(
    {f"{ONTOLOGY_NS}{t.ontology_name}": t for t in ClaimType}
)

# Mapping properties in the order their descriptors are listed in Concept.mesh.
_MATCH_PROPERTIES = ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")


def builtin_vocabulary_path() -> Path:
    return ontology_dir() / VOCABULARY_FILE


def load_vocabulary(path: str | Path | None = None) -> Vocabulary:
    """Read a SKOS claim vocabulary (the built-in LDN one when ``path`` is ``None``)."""
    from rdflib import RDF, Literal, Namespace, URIRef
    from rdflib.term import Node

    file, data, graph = load_turtle(
        path,
        builtin_vocabulary_path(),
        "vocabulary",
        "reinstall ldn-graph (the built-in vocabulary is missing)",
        "pass an existing Turtle file to --vocabulary, or omit it to use the built-in LDN vocabulary",
    )

    skos = Namespace(SKOS_NS)
    ldng = Namespace(ONTOLOGY_NS)

    schemes = sorted(set(graph.subjects(RDF.type, skos.ConceptScheme)), key=str)
    if not schemes:
        raise OntologyError(
            f"vocabulary file {file} declares no skos:ConceptScheme; add one with "
            "ldng:productLabel (the product's name) and the concepts' skos:inScheme"
        )
    if len(schemes) > 1:
        raise OntologyError(
            f"vocabulary file {file} declares {len(schemes)} skos:ConceptSchemes "
            f"({', '.join(str(s) for s in schemes)}); keep one scheme per vocabulary file"
        )
    scheme = schemes[0]

    product_label = prefer_english(literal_text(graph, scheme, ldng.productLabel))
    if not product_label:
        raise OntologyError(
            f"vocabulary file {file}: the concept scheme <{scheme}> has no ldng:productLabel; "
            "add the product's name, e.g. ldng:productLabel \"naltrexone\""
        )
    terms = sorted({t for t, _ in literal_text(graph, scheme, ldng.productTerm)} - {product_label})
    product_terms = (product_label, *terms)
    product_mesh = tuple(
        sorted({ui for o in graph.objects(scheme, ldng.productMesh) if (ui := mesh_ui(str(o)))})
    )

    def milligrams(subject: Node, prop: str, owner: str) -> float | None:
        """The one positive number of milligrams ``subject`` gives for ``ldng:<prop>``, if any."""
        values = list(graph.objects(subject, ldng[prop]))
        if len(values) > 1:
            raise OntologyError(f"vocabulary file {file}: {owner} has {len(values)} ldng:{prop} values; keep one")
        if not values:
            return None
        value = values[0]
        try:
            number = float(value.toPython() if isinstance(value, Literal) else "nan")
        except (TypeError, ValueError):
            number = float("nan")
        if not number > 0:
            raise OntologyError(
                f"vocabulary file {file}: ldng:{prop} {str(value)!r} is not a positive number of "
                f"milligrams ({owner}); write e.g. ldng:{prop} 5.0"
            )
        return number

    max_dose = milligrams(scheme, "maxDoseMg", "the concept scheme")

    subjects = sorted(set(graph.subjects(RDF.type, skos.Concept)), key=str)
    if not subjects:
        raise OntologyError(
            f"vocabulary file {file} has no skos:Concept; add concepts (a skos:Concept with "
            "skos:prefLabel and ldng:claimType)"
        )

    concepts: list[Concept] = []
    names: dict[str, str] = {}
    owners: dict[str, str] = {}
    for subject in subjects:
        if not isinstance(subject, URIRef):
            raise OntologyError(
                f"vocabulary file {file} has a skos:Concept without an IRI (a blank node); "
                "give every concept an IRI"
            )
        iri = str(subject)
        name = local_name(iri)
        if not name:
            raise OntologyError(
                f"vocabulary file {file}: concept <{iri}> has no local name; end its IRI with a name"
            )
        if name in names:
            raise OntologyError(
                f"vocabulary file {file}: concepts <{names[name]}> and <{iri}> share the local name "
                f"{name!r}; rename one (claim ids use the local name)"
            )
        names[name] = iri

        label = prefer_english(literal_text(graph, subject, skos.prefLabel))
        if not label:
            raise OntologyError(
                f"vocabulary file {file}: concept <{iri}> has no skos:prefLabel; add one"
            )

        types = list(graph.objects(subject, ldng.claimType))
        if not types:
            raise OntologyError(
                f"vocabulary file {file}: concept <{iri}> has no ldng:claimType; add one of "
                + ", ".join(f"ldng:{local_name(t)}" for t in CLAIM_TYPE_IRIS)
            )
        if len(types) > 1:
            raise OntologyError(
                f"vocabulary file {file}: concept <{iri}> has {len(types)} ldng:claimType values; keep one"
            )
        claim_type = CLAIM_TYPE_IRIS.get(str(types[0]))
        if claim_type is None:
            raise OntologyError(
                f"vocabulary file {file}: concept <{iri}> has unknown claim type {types[0].n3()}; "
                "use one of " + ", ".join(f"ldng:{local_name(t)}" for t in CLAIM_TYPE_IRIS)
            )

        alt = sorted_terms(literal_text(graph, subject, skos.altLabel))
        hidden = sorted_terms(literal_text(graph, subject, skos.hiddenLabel))
        sensitive = sorted_terms(literal_text(graph, subject, ldng.caseSensitiveLabel))
        as_written = sorted_terms(literal_text(graph, subject, ldng.exactLabel))
        synonyms = tuple(dict.fromkeys(t for t in (*alt, *as_written, *hidden, *sensitive) if t != label))

        for term in (label, *synonyms):
            key = term if term in sensitive else term_key(term)
            if not key.strip():
                raise OntologyError(
                    f"vocabulary file {file}: concept <{iri}> has an empty label; remove it"
                )
            other = owners.setdefault(key, iri)
            if other != iri:
                raise OntologyError(
                    f"vocabulary file {file}: the label {term!r} names both <{other}> and <{iri}>; "
                    "a label must name one concept"
                )

        mesh: list[str] = []
        matches: list[tuple[str, str]] = []
        for prop in _MATCH_PROPERTIES:
            found = sorted(ui for o in graph.objects(subject, skos[prop]) if (ui := mesh_ui(str(o))))
            matches.extend((ui, prop) for ui in found if ui not in mesh)
            mesh.extend(ui for ui in found if ui not in mesh)

        low = milligrams(subject, "doseFromMg", f"concept <{iri}>")
        high = milligrams(subject, "doseToMg", f"concept <{iri}>")
        if (low is None) != (high is None) or (low is not None and high is not None and low > high):
            raise OntologyError(
                f"vocabulary file {file}: concept <{iri}> needs both ldng:doseFromMg and ldng:doseToMg, "
                "the first no larger than the second, for a stated dose to name it"
            )
        reduced = [str(o) for o in graph.objects(subject, ldng.lessIs)]
        worsened = [str(o) for o in graph.objects(subject, ldng.worseIs)]
        for prop, values in (("lessIs", reduced), ("worseIs", worsened)):
            if len(values) > 1:
                raise OntologyError(f"vocabulary file {file}: concept <{iri}> has {len(values)} ldng:{prop} values; keep one")

        definition = prefer_english(literal_text(graph, subject, skos.definition))
        concepts.append(
            Concept(
                iri=iri,
                name=name,
                label=label,
                claim_type=claim_type,
                mesh=tuple(mesh),
                mesh_matches=tuple(matches),
                synonyms=synonyms,
                definition=definition,
                case_sensitive=tuple(sensitive),
                as_written=tuple(as_written),
                shared=tuple(sorted_terms(literal_text(graph, subject, ldng.sharedLabel))),
                less_of=tuple(sorted_terms(literal_text(graph, subject, ldng.lessLabel))),
                cued=tuple(sorted_terms(literal_text(graph, subject, ldng.cuedLabel))),
                product_quality=any(o.toPython() is True for o in graph.objects(subject, ldng.productQuality)
                                    if isinstance(o, Literal)),
                regained=any(o.toPython() is True for o in graph.objects(subject, ldng.regainedActivity)
                             if isinstance(o, Literal)),
                mild_harms=any(o.toPython() is True for o in graph.objects(subject, ldng.mildHarms)
                               if isinstance(o, Literal)),
                dose_range=(low, high) if low is not None and high is not None else None,
                dose_steps=any(o.toPython() is True for o in graph.objects(subject, ldng.doseSteps)
                               if isinstance(o, Literal)),
                reduced=reduced[0] if reduced else None,
                worsened=worsened[0] if worsened else None,
                signs=tuple(sorted(str(o) for o in graph.objects(subject, ldng.hasSign))),
                broader=tuple(sorted(str(o) for o in graph.objects(subject, skos.broader))),
            )
        )
    for concept in concepts:
        for term in concept.shared:
            if owners.get(term_key(term)) == concept.iri:
                raise OntologyError(
                    f"vocabulary file {file}: ldng:sharedLabel {term!r} of <{concept.iri}> is also one of its own "
                    "labels; keep one of the two"
                )
    for prop, flagged in (("regainedActivity", [c.iri for c in concepts if c.regained]),
                          ("mildHarms", [c.iri for c in concepts if c.mild_harms]),
                          ("doseSteps", [c.iri for c in concepts if c.dose_steps])):
        if len(flagged) > 1:
            raise OntologyError(
                f"vocabulary file {file}: {len(flagged)} concepts have ldng:{prop} true "
                f"(<{flagged[0]}>, <{flagged[1]}>); keep one"
            )
    known = {c.iri for c in concepts}
    for concept in concepts:
        for prop, named in (("lessIs", concept.reduced), ("worseIs", concept.worsened),
                            *(("hasSign", sign) for sign in concept.signs)):
            if named is not None and named not in known:
                raise OntologyError(
                    f"vocabulary file {file}: ldng:{prop} of <{concept.iri}> names <{named}>, "
                    "which is not a concept of the vocabulary"
                )

    source = f"builtin:{VOCABULARY_FILE}" if path is None else str(file)
    return Vocabulary(
        source=source,
        sha256=hashlib.sha256(data).hexdigest(),
        concepts=tuple(concepts),
        subject_label=product_label,
        subject_terms=product_terms,
        subject_mesh=product_mesh,
        max_dose_mg=max_dose,
        mesh_labels=_mesh_labels(graph),
    )


def _mesh_labels(graph: Graph) -> tuple[tuple[str, str], ...]:
    """(descriptor UI, name) for every MeSH descriptor the file labels (``rdfs:label``)."""
    from rdflib import RDFS

    found: dict[str, str] = {}
    for subject, label in graph.subject_objects(RDFS.label):
        ui = mesh_ui(str(subject))
        if ui and str(label).strip():
            found.setdefault(ui, str(label).strip())
    return tuple(sorted(found.items()))
