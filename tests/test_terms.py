"""The closed sets of ldn_graph.terms agree with the ontology and with the reports."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.namespace import SKOS

from ldn_graph.ontology.levels import load_level_rules
from ldn_graph.resources import ontology_dir
from ldn_graph.terms import ClaimType, EvidenceLevel, FindingKind, Severity, Verdict

LDNG = Namespace("https://w3id.org/ldn-graph/ontology#")


@pytest.fixture(scope="module")
def schema() -> Graph:
    return Graph().parse(ontology_dir() / "ldn-graph.ttl", format="turtle")


def _individuals(graph: Graph, cls: URIRef) -> dict[str, str]:
    """local name -> skos:notation of every individual of ``cls``."""
    out = {}
    for node in graph.subjects(RDF.type, cls):
        notations = [str(n) for n in graph.objects(node, SKOS.notation)]
        assert len(notations) == 1, node
        out[str(node).removeprefix(str(LDNG))] = notations[0]
    return out


@pytest.mark.parametrize(
    ("cls", "enum"),
    [("Verdict", Verdict), ("Severity", Severity), ("ClaimType", ClaimType), ("EvidenceLevel", EvidenceLevel)],
)
def test_the_ontology_names_exactly_the_members(schema: Graph, cls: str, enum: type) -> None:
    expected = {member.ontology_name: member.value for member in enum}  # type: ignore[attr-defined]
    assert _individuals(schema, LDNG[cls]) == expected


def test_the_level_file_ranks_the_levels_as_the_enum_does() -> None:
    graph = Graph().parse(ontology_dir() / "evidence-levels.ttl", format="turtle")
    ranks = {str(s).removeprefix(str(LDNG)): o.toPython() for s, o in graph.subject_objects(LDNG.rank)}
    assert ranks == {level.ontology_name: level.rank for level in EvidenceLevel}
    rules = load_level_rules()
    assert rules.levels == tuple(EvidenceLevel)
    assert dict(rules.ranks) == {level: level.rank for level in EvidenceLevel}


def test_finding_severities_are_those_the_reports_print() -> None:
    assert {kind.value: kind.severity.value for kind in FindingKind} == {
        "unsupported_claim": "error",
        "off_topic_citation": "error",
        "retracted_source": "error",
        "null_or_negative_result": "warning",
        "weak_evidence": "warning",
        "corrected_source": "warning",
        "reference_mismatch": "warning",
        "unresolved_reference": "warning",
        "unverified_claim": "warning",
        "non_pubmed_source": "info",
        "dangling_citation": "error",
        "duplicate_reference": "warning",
        "uncited_reference": "info",
        "contradicted_claim": "error",
        "conflicting_evidence": "warning",
        "overstated_claim": "warning",
        "number_mismatch": "warning",
        "evidence_contradicts_claim": "error",
    }


def test_values_are_the_json_strings() -> None:
    assert [v.value for v in Verdict] == ["supported", "contradicted", "off_topic", "unverified", "inferred", "unsupported"]
    assert [s.value for s in Severity] == ["error", "warning", "info"]
    assert [t.value for t in ClaimType] == ["mechanism", "indication", "benefit", "safety", "dosing", "contraindication"]
    assert Verdict.OFF_TOPIC == "off_topic" and f"{EvidenceLevel.RCT}" == "rct"


def test_the_example_reports_print_each_kind_with_its_severity() -> None:
    """Every finding in the JSON snapshots of the bundled examples has its kind's severity."""
    pairs = re.compile(r'"kind": "(\w+)",\s*"severity": "(\w+)"')
    seen = set()
    for path in sorted((Path(__file__).parent / "snapshots").glob("*.json")):
        for kind, severity in pairs.findall(path.read_text(encoding="utf-8")):
            assert FindingKind(kind).severity == severity, (path.name, kind, severity)
            seen.add(kind)
    assert seen
