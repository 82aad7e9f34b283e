"""Write each test vocabulary of the verdict set (``<drug>.vocab.json``, labelled by hand
beside the cases) as the SKOS Turtle that ``--vocabulary`` reads (``<drug>.ttl``).

    python tests/verdicts/make_vocabularies.py

Every MeSH UI in the specs was taken from the MeSH descriptor table; its name is written
as the descriptor's rdfs:label, as in ontology/vocabulary-ldn.ttl.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
TYPES = {"benefit": "Benefit", "indication": "Indication", "safety": "Safety", "mechanism": "Mechanism",
         "dosing": "Dosing", "contraindication": "Contraindication"}


def _lit(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def turtle(spec: dict, name: str) -> str:
    ns = f"https://example.org/ldn-graph-tests/vocab/{name}#"
    lines = [
        f"# Test vocabulary about {spec['product_label']} for the verdict set (written from {name}.vocab.json",
        "# by make_vocabularies.py; MeSH IDs from the MeSH descriptor table).",
        "",
        "@prefix ldng: <https://w3id.org/ldn-graph/ontology#> .",
        f"@prefix v: <{ns}> .",
        "@prefix mesh: <http://id.nlm.nih.gov/mesh/> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        "",
        "v:",
        "    a skos:ConceptScheme ;",
        f"    skos:prefLabel {_lit(spec['product_label'] + ' claim vocabulary (test)')}@en ;",
        f"    ldng:productLabel {_lit(spec['product_label'])} ;",
        "    ldng:productTerm " + " , ".join(_lit(t) for t in spec["product_terms"])
        + (" ;" if spec.get("product_mesh") else " ."),
    ]
    if spec.get("product_mesh"):
        lines.append("    ldng:productMesh " + " , ".join(f"mesh:{ui}" for ui in spec["product_mesh"]) + " .")
    labels = dict(zip(spec.get("product_mesh", []), spec.get("product_mesh_names", []), strict=False))
    for concept in spec["concepts"]:
        lines += ["", f"v:{concept['name']}", "    a skos:Concept ; skos:inScheme v: ;",
                  f"    ldng:claimType ldng:{TYPES[concept['type']]} ;",
                  f"    skos:prefLabel {_lit(concept['label'])}@en"]
        synonyms = [s for s in concept.get("synonyms", []) if s.casefold() != concept["label"].casefold()]
        if synonyms:
            lines[-1] += " ;"
            lines.append("    skos:altLabel " + " , ".join(f"{_lit(s)}@en" for s in synonyms))
        if concept.get("mesh"):
            lines[-1] += " ;"
            lines.append("    skos:exactMatch " + " , ".join(f"mesh:{ui}" for ui in concept["mesh"]))
            labels.update(zip(concept["mesh"], concept.get("mesh_names", []), strict=False))
        lines[-1] += " ."
    lines.append("")
    lines += [f"mesh:{ui} rdfs:label {_lit(label)}@en ." for ui, label in sorted(labels.items())]
    return "\n".join(lines) + "\n"


def main() -> None:
    for path in sorted(HERE.glob("*.vocab.json")):
        name = path.name.removesuffix(".vocab.json")
        (HERE / f"{name}.ttl").write_text(turtle(json.loads(path.read_text(encoding="utf-8")), name), encoding="utf-8")


if __name__ == "__main__":
    main()
