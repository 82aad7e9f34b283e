"""One network view: ``export --format graphml`` of the same documents has the same node
kinds, attribute keys and edge relations with and without ``--store`` (a store built with
and without ``--from-cache``), opens in networkx, and follows the schema that
``docs/graph.md`` documents (``ldn_graph/rdf/network_schema.py``)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import networkx as nx
import pytest
from cli_helpers import cli
from paths import ROOT
from synthetic_audit import medline_records

from ldn_graph.model import CitedReference
from ldn_graph.rdf.network_schema import NODE_KINDS, RELATIONS

EXAMPLES = sorted((ROOT / "examples").glob("*.txt"))
CACHE_ONLY = 14  # MEDLINE records in the cache that no example cites
SEED_PMID = "23359310"  # a shipped record the examples cite
GRAPHML_TYPES = {str: "string", int: "long", bool: "boolean"}


@pytest.fixture(scope="module")
def graphs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, nx.MultiDiGraph]]:
    """The GraphML of the examples: audited (``export``), from a store of the audit
    (``build``), and from a store of the audit and every cached record (``build
    --from-cache``); the cache holds the seed records and MEDLINE records with citations."""
    from ldn_graph.pubmed.cache import RecordCache

    tmp = tmp_path_factory.mktemp("network")
    records = list(medline_records()[:CACHE_ONLY])
    cites_seed = (CitedReference("Younger J et al. 2013", pmid=SEED_PMID),)
    records[0] = replace(records[0], study=replace(records[0].study, references=cites_seed))
    with RecordCache(tmp / "cache") as cache:
        cache.put_many((r.study, r.provenance, None) for r in records)
    options = ["--offline", "--cache-dir", str(tmp / "cache")]
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LDN_GRAPH_STATE", str(tmp / "state"))
        mp.setenv("LDN_GRAPH_EUTILS_URL", "http://127.0.0.1:9/entrez/eutils/")
        out = {"audit": tmp / "audit.graphml"}
        assert cli("export", *options, "--format", "graphml", "-o", out["audit"], *EXAMPLES).exit_code == 0
        for name, extra in (("store", []), ("full", ["--from-cache"])):
            store = tmp / f"{name}-store"
            res = cli("build", *options, *extra, "--store", store, *EXAMPLES)
            assert res.exit_code == 0, res.stderr
            out[name] = tmp / f"{name}.graphml"
            res = cli("export", "--store", store, "--format", "graphml", "-o", out[name])
            assert res.exit_code == 0, res.stderr
    yield {name: nx.read_graphml(path, force_multigraph=True) for name, path in out.items()}


def kinds(G: nx.MultiDiGraph) -> set[str]:
    return {d["kind"] for _, d in G.nodes(data=True)}


def keys_per_kind(G: nx.MultiDiGraph) -> dict[str, set[str]]:
    keys: dict[str, set[str]] = {}
    for _, d in G.nodes(data=True):
        keys.setdefault(d["kind"], set()).update(d)
    return keys


def relations(G: nx.MultiDiGraph) -> dict[str, set[str]]:
    """relation → the attribute keys its edges carry."""
    found: dict[str, set[str]] = {}
    for _, _, d in G.edges(data=True):
        found.setdefault(d["relation"], set()).update(d)
    return found


def comparable(attrs: dict[str, Any]) -> dict[str, Any]:
    """Attributes with JSON lists as sorted lists: a store gives a list in its own order."""
    out = dict(attrs)
    for k in ("mesh", "publication_types", "cited", "findings"):
        if k in out:
            out[k] = sorted(json.loads(out[k]))
    return out


def test_the_same_schema_with_and_without_store(graphs: dict[str, nx.MultiDiGraph]) -> None:
    audit, store, full = graphs["audit"], graphs["store"], graphs["full"]
    assert kinds(audit) == kinds(store) == kinds(full) == set(NODE_KINDS)
    assert keys_per_kind(audit) == keys_per_kind(store) == keys_per_kind(full)
    assert relations(audit) == relations(store)
    assert set(relations(audit)) == {"asserts", "about", "cites", "supports"}
    # the citation network of the cached records adds cites (and CiTO comments) between studies
    extra = set(relations(full)) - set(relations(audit))
    assert extra and extra <= set(RELATIONS) and extra >= {"isDiscussedBy"}
    assert {k: v for k, v in relations(full).items() if k in relations(audit)} == relations(audit)
    between_studies = [
        (u, v) for u, v, d in full.edges(data=True)
        if d["relation"] == "cites" and full.nodes[u]["kind"] == full.nodes[v]["kind"] == "study"
    ]
    assert len(between_studies) > 100
    assert any(v == f"pubmed:{SEED_PMID}" for _, v in between_studies)  # a cached record cites a cited one


def test_a_store_holds_the_audit_graph_node_for_node(graphs: dict[str, nx.MultiDiGraph]) -> None:
    audit, store, full = graphs["audit"], graphs["store"], graphs["full"]
    assert set(store.nodes) == set(audit.nodes)
    for node, attrs in audit.nodes(data=True):
        assert comparable(store.nodes[node]) == comparable(attrs), node
        in_full = comparable(full.nodes[node])
        if attrs["kind"] == "study":  # --from-cache grades every cached record
            in_full.pop("evidence_level", None)
            attrs = {k: v for k, v in attrs.items() if k != "evidence_level"}
        assert in_full == comparable(attrs), node
    edges = {(u, v, k): d for u, v, k, d in audit.edges(keys=True, data=True)}
    assert {(u, v, k): d for u, v, k, d in store.edges(keys=True, data=True)} == edges
    in_full = {(u, v, k): d for u, v, k, d in full.edges(keys=True, data=True)}
    assert {e: in_full.get(e) for e in edges} == edges


def test_records_only_in_the_store_are_study_nodes_with_the_same_keys(graphs: dict[str, nx.MultiDiGraph]) -> None:
    audit, full = graphs["audit"], graphs["full"]
    recorded = set(audit.nodes[f"pubmed:{SEED_PMID}"])
    only_in_store = [d for n, d in full.nodes(data=True) if d["kind"] == "study" and n not in audit]
    with_record = [d for d in only_in_store if d["origin"] != "unavailable"]
    assert len(with_record) == CACHE_ONLY
    assert all(set(d) == recorded for d in with_record), recorded
    cited_only = [d for d in only_in_store if d["origin"] == "unavailable"]
    assert cited_only and all(set(d) == {"kind", "label", "pmid", "origin", "iri"} for d in cited_only)
    assert any(sorted(json.loads(d["publication_types"])) == ["Journal Article", "Research Support, Non-U.S. Gov't"]
               for d in with_record)  # names, not MeSH UIs


@pytest.mark.parametrize("name", ["audit", "store", "full"])
def test_the_graphml_follows_the_schema(graphs: dict[str, nx.MultiDiGraph], name: str) -> None:
    G = graphs[name]
    for node, attrs in G.nodes(data=True):
        kind = NODE_KINDS[attrs["kind"]]
        assert node.startswith(kind.prefix) and attrs["label"]
        types = {a.name: a.type for a in kind.attributes}
        for key, value in attrs.items():
            assert type(value) is types[key], (node, key, value)  # a key outside the schema: KeyError
    for u, v, key, attrs in G.edges(keys=True, data=True):
        relation = RELATIONS[attrs["relation"]]
        assert G.nodes[u]["kind"] in relation.source and G.nodes[v]["kind"] in relation.target
        assert set(attrs) - {"id"} <= relation.keys, (u, v, key, attrs)


def test_one_type_per_attribute_name() -> None:
    """GraphML has one key per name: an attribute has the same type on every kind."""
    seen: dict[str, type] = {}
    for kind in NODE_KINDS.values():
        for a in kind.attributes:
            assert seen.setdefault(a.name, a.type) is a.type, a.name
    for relation in RELATIONS.values():
        for a in relation.attributes:
            assert a.type is str


def _documented() -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """docs/graph.md: ``### `kind``` sections of ``| `attribute` | type | … |`` rows, and
    the ``| `relation` | from → to | attributes | … |`` rows of the relations table."""
    text = (ROOT / "docs" / "graph.md").read_text(encoding="utf-8")
    node_part, _, edge_part = text.partition("## Edge relations")
    nodes: dict[str, dict[str, str]] = {}
    for section in re.split(r"^### ", node_part, flags=re.M)[1:]:
        name = re.match(r"`(\w+)`", section)
        assert name, section[:80]
        nodes[name.group(1)] = dict(re.findall(r"^\| `(\w+)` \| (\w+) \|", section, flags=re.M))
    edges: dict[str, dict[str, str]] = {}
    edge_table, _, _ = edge_part.partition("\n## ")
    for rel, attrs in re.findall(r"^\| `(\w+)` \| [^|]+ \| ([^|]*) \|", edge_table, flags=re.M):
        edges[rel] = {a: "string" for a in re.findall(r"`(\w+)`", attrs)}
    return nodes, edges


def test_docs_graph_md_documents_the_schema() -> None:
    nodes, edges = _documented()
    assert nodes == {
        kind.name: {a.name: GRAPHML_TYPES[a.type] for a in kind.attributes} for kind in NODE_KINDS.values()
    }
    assert edges == {r.name: {a.name: "string" for a in r.attributes} for r in RELATIONS.values()}
