"""Exports: round trips for all four formats, GraphML typing, atomic writes, stdout."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from lxml import etree
from rdflib import Graph
from synthetic_audit import medline_records, synthetic_result
from test_graph import assert_isomorphic

from ldn_graph.errors import ExportError
from ldn_graph.files import atomic_output
from ldn_graph.rdf.export import (
    EXPORTERS,
    export_store,
    graphml_safe,
    write_graphml_graph,
)
from ldn_graph.rdf.network_schema import NODE_KINDS
from ldn_graph.rdf.triples import build_rdf
from ldn_graph.text import replace_unsafe

RDFLIB_FORMAT = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld"}
GRAPHML_NS = "{http://graphml.graphdrawing.org/xmlns}"


@pytest.mark.parametrize("fmt", ["turtle", "nt", "jsonld"])
def test_rdf_round_trip_is_isomorphic(fmt: str, tmp_path: Path) -> None:
    result = synthetic_result()
    out = tmp_path / f"graph.{fmt}"
    EXPORTERS[fmt](result, out)
    parsed = Graph().parse(out, format=RDFLIB_FORMAT[fmt])
    assert_isomorphic(build_rdf(result), parsed)


def test_turtle_uses_prefixes(tmp_path: Path) -> None:
    out = tmp_path / "g.ttl"
    EXPORTERS["turtle"](synthetic_result(), out)
    text = out.read_text("utf-8")
    assert "@prefix ldng: <https://w3id.org/ldn-graph/ontology#>" in text
    assert "mp:Claim" in text


def graphml_keys(path: Path) -> list[tuple[str, str, str]]:
    root = etree.parse(str(path)).getroot()
    return [(k.get("for"), k.get("attr.name"), k.get("attr.type")) for k in root.iter(f"{GRAPHML_NS}key")]


def test_graphml_round_trip_keeps_claims_studies_and_verdicts(tmp_path: Path) -> None:
    result = synthetic_result()
    out = tmp_path / "g.graphml"
    EXPORTERS["graphml"](result, out)
    G = nx.read_graphml(out, force_multigraph=True)
    (pmid,) = result.records
    claims = result.documents[0].claims
    doc = result.documents[0].document.sha256[:16]
    assert G.nodes[f"claim:{doc}/{claims[0].id}"]["verdict"] == "supported"
    assert {G.nodes[f"claim:{doc}/{replace_unsafe(c.id)}"]["verdict"] for c in claims} == {"supported", "unverified", "unsupported"}
    supports = [d for u, v, d in G.edges(data=True) if u == f"pubmed:{pmid}" and v == f"claim:{doc}/{claims[0].id}"]
    assert [d["relation"] for d in supports] == ["supports"]
    assert G.nodes[f"pubmed:{pmid}"]["kind"] == "study"
    assert isinstance(G.nodes[f"pubmed:{pmid}"]["year"], int)
    for _, data in G.nodes(data=True):
        assert data["kind"] and data["label"]
    # lists are JSON, and every key has exactly one type
    assert json.loads(G.nodes[f"claim:{doc}/{claims[0].id}"]["cited"]) == ["1"]
    keys = graphml_keys(out)
    names = [(scope, name) for scope, name, _ in keys]
    assert len(names) == len(set(names)), keys


def test_graphml_safe_gives_one_type_per_key_and_drops_none(tmp_path: Path) -> None:
    G = nx.MultiDiGraph()
    G.add_node(("pmid", 1), kind="study", year=2013, flag=True, extra=None, tags=["a", "b"], meta={"x": 1})
    G.add_node("n2", kind="study", year="1998 Dec", flag=1, text="NUL\x00 ESC\x1b VT\x0b lone\ud800")
    G.add_edge(("pmid", 1), "n2", key=("k", 1), weight=1, note=None)
    G.add_edge("n2", ("pmid", 1), weight=2.5)
    H = graphml_safe(G)
    assert "('pmid', 1)" in H
    assert H.nodes["('pmid', 1)"]["year"] == "2013" and H.nodes["n2"]["year"] == "1998 Dec"
    assert H.nodes["('pmid', 1)"]["flag"] == "True" and H.nodes["n2"]["flag"] == "1"
    assert "extra" not in H.nodes["('pmid', 1)"]
    assert json.loads(H.nodes["('pmid', 1)"]["tags"]) == ["a", "b"]
    assert H.nodes["n2"]["text"] == "NUL\ufffd ESC\ufffd VT\ufffd lone\ufffd"
    out = tmp_path / "safe.graphml"
    write_graphml_graph(G, out)
    keys = graphml_keys(out)
    assert len({(s, n) for s, n, _ in keys}) == len(keys)
    assert ("node", "year", "string") in keys
    assert ("edge", "weight", "string") in keys  # int and float under one key → strings
    back = nx.read_graphml(out, force_multigraph=True)
    assert back.nodes["n2"]["text"] == "NUL\ufffd ESC\ufffd VT\ufffd lone\ufffd"


def test_raw_networkx_would_fail_on_the_same_graph(tmp_path: Path) -> None:
    """The hazard graphml_safe removes is real: plain write_graphml refuses this graph."""
    G = nx.MultiDiGraph()
    G.add_node("a", text="NUL\x00", tags=["x"])
    with pytest.raises((ValueError, TypeError)):
        nx.write_graphml(G, tmp_path / "raw.graphml")


# --------------------------------------------------------------------------- atomic writes


def test_a_failed_write_leaves_no_file_and_keeps_the_old_one(tmp_path: Path) -> None:
    new = tmp_path / "new.ttl"
    with pytest.raises(RuntimeError), atomic_output(new) as fh:
        fh.write(b"partial")
        raise RuntimeError("serializer broke")
    assert not new.exists()
    old = tmp_path / "old.ttl"
    old.write_bytes(b"old content")
    with pytest.raises(RuntimeError), atomic_output(old) as fh:
        fh.write(b"partial")
        raise RuntimeError("serializer broke")
    assert old.read_bytes() == b"old content"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.ttl"]  # no temp files left


def test_stale_temp_files_of_a_killed_export_are_removed_by_the_next(tmp_path: Path) -> None:
    import os
    import time

    out = tmp_path / "g [1].ttl"  # glob characters in the name do not matter
    stale = tmp_path / ".g [1].ttl.abc123.tmp"
    stale.write_bytes(b"half")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    running = tmp_path / ".g [1].ttl.def456.tmp"  # another export, still writing
    running.write_bytes(b"")
    other = tmp_path / ".other.ttl.abc.tmp"
    other.write_bytes(b"")
    os.utime(other, (old, old))
    EXPORTERS["turtle"](synthetic_result(), out)
    assert out.exists() and not stale.exists()
    assert running.exists() and other.exists()


def test_export_into_a_missing_directory_is_an_export_error(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "g.graphml"
    with pytest.raises(ExportError, match="cannot write here"):
        EXPORTERS["graphml"](synthetic_result(), target)
    assert not target.parent.exists()


def test_cli_export_failure_exits_4_without_a_file(tmp_path: Path) -> None:
    from ldn_graph.cli.group import main

    target = tmp_path / "nowhere" / "g.ttl"
    res = CliRunner().invoke(main, ["export", "--offline", "--examples", "--cache-dir", str(tmp_path / "c"), "-o", str(target)])
    assert res.exit_code == 4, res.output
    assert not target.exists()


@pytest.mark.parametrize("fmt", ["nt", "graphml"])
def test_cli_export_to_stdout(fmt: str, tmp_path: Path) -> None:
    from ldn_graph.cli.group import main

    res = CliRunner().invoke(main, ["export", "--offline", "--examples", "--cache-dir", str(tmp_path / "c"), "--format", fmt, "-o", "-"])
    assert res.exit_code == 0, res.output
    data = res.stdout_bytes
    if fmt == "graphml":
        (tmp_path / "out.graphml").write_bytes(data)
        G = nx.read_graphml(tmp_path / "out.graphml", force_multigraph=True)
        assert any(d.get("kind") == "claim" and d.get("verdict") for _, d in G.nodes(data=True))
    else:
        g = Graph().parse(data=data, format=RDFLIB_FORMAT[fmt])
        assert len(g) > 1000
    assert not list(tmp_path.glob("*.tmp"))


# --------------------------------------------------------------------------- embedded store


@pytest.fixture(scope="module")
def built_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    from ldn_graph.build import build_store
    from ldn_graph.pubmed.cache import RecordCache

    tmp = tmp_path_factory.mktemp("store")
    cache = RecordCache(tmp / "cache", seed=None)
    cache.put_many((r.study, r.provenance, None) for r in medline_records()[:15])
    result = synthetic_result()
    stats = build_store(tmp / "db", cache=cache, result=result, vocabulary=result.vocabulary)
    cache.close()
    return tmp / "db", stats.triples


@pytest.mark.parametrize("fmt", ["turtle", "nt", "jsonld", "graphml"])
def test_export_of_an_embedded_store(fmt: str, built_store: tuple[Path, int], tmp_path: Path) -> None:
    db, triples = built_store
    out = tmp_path / f"store.{fmt}"
    count = export_store(db, fmt, out)
    assert count == triples > 1500
    if fmt == "graphml":
        G = nx.read_graphml(out, force_multigraph=True)
        kinds = {d["kind"] for _, d in G.nodes(data=True)}
        assert kinds == set(NODE_KINDS)  # the audit's node kinds, whatever the store adds
        keys = graphml_keys(out)
        assert len({(s, n) for s, n, _ in keys}) == len(keys)
    else:
        g = Graph().parse(out, format=RDFLIB_FORMAT[fmt])
        assert len(g) == count
        assert_isomorphic(_store_content(db), g)
        audit_graph = build_rdf(synthetic_result(), include_vocabulary=True)
        assert not [t for t in audit_graph if t not in g]


def _store_content(path: Path) -> Graph:
    from pyoxigraph import RdfFormat, Store, Triple, serialize

    store = Store.read_only(str(path))
    data = serialize((Triple(q.subject, q.predicate, q.object) for q in store), None, RdfFormat.N_TRIPLES)
    return Graph().parse(data=data, format="nt")


def test_export_of_a_missing_store_is_a_clear_error(tmp_path: Path) -> None:
    from ldn_graph.errors import InputError

    with pytest.raises(InputError, match="no graph store here"):
        export_store(tmp_path / "nope", "turtle", tmp_path / "out.ttl")
    assert not (tmp_path / "out.ttl").exists()
