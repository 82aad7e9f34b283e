"""Embedded pyoxigraph store, and a real Oxigraph SPARQL server on loopback.

The server is the ``oxigraph`` binary from the PyPI package ``oxigraph`` (the project's
test extras install it); the tests start it on a free port and stop it afterwards.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from eutils_server import free_port
from synthetic_audit import medline_records, synthetic_result

from ldn_graph.build import build_store
from ldn_graph.cli.graph import build, push, query
from ldn_graph.errors import InputError, StoreError
from ldn_graph.rdf.endpoint import push_gsp, push_update, query_endpoint, redact
from ldn_graph.rdf.iris import result_graph_iri, validate_graph_iri
from ldn_graph.rdf.store import count_triples, open_store, query_store
from ldn_graph.rdf.triples import audit_graph_triples

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def oxigraph_binary() -> str | None:
    found = shutil.which("oxigraph")
    if found:
        return found
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.exists() else None


class OxigraphServer:
    def __init__(self, binary: str, location: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = location.parent / "oxigraph.log"
        self._log = open(self.log, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{self.port}"],
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def wait(self, seconds: float = 30.0) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"oxigraph exited with {self.process.returncode}: {self.log.read_text()[-500:]}")
            try:
                with urllib.request.urlopen(f"{self.base}/query?query=ASK%7B%7D", timeout=1) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"oxigraph did not answer on {self.base} within {seconds} s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()

    def count(self, graph: str) -> int:
        result = query_endpoint(f"{self.base}/query", COUNT, default_graphs=[graph])
        return int(result.rows[0][0].value)  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    binary = oxigraph_binary()
    if binary is None:
        pytest.skip("the `oxigraph` server binary is not installed (pip install oxigraph, part of the test extras)")
    server = OxigraphServer(binary, tmp_path_factory.mktemp("oxigraph") / "data")
    try:
        server.wait()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    return synthetic_result()


# --------------------------------------------------------------------------- remote store


def test_push_query_and_replace_a_named_graph(oxigraph: OxigraphServer, result) -> None:  # type: ignore[no-untyped-def]
    graph = "https://example.org/graph/replace-test"
    triples = audit_graph_triples(result)
    stats = push_gsp(f"{oxigraph.base}/store", graph, triples)
    assert stats.triples == len(triples) > 100
    assert oxigraph.count(graph) == len(triples)
    # a built-in query over the pushed graph
    from ldn_graph.rdf.queries import QUERIES

    rows = query_endpoint(f"{oxigraph.base}/query", QUERIES["unsupported-claims"].text, default_graphs=[graph]).rows
    assert [r[3].value for r in rows] == ["It acts relatively."]  # type: ignore[union-attr]
    # pushing something else to the same graph replaces it
    other = synthetic_result(sha="6" * 64)
    smaller = [t for t in audit_graph_triples(other)][:50]
    push_gsp(f"{oxigraph.base}/store", graph, smaller)
    assert oxigraph.count(graph) == 50
    # the default graph was never touched
    assert int(query_endpoint(f"{oxigraph.base}/query", COUNT).rows[0][0].value) == 0  # type: ignore[union-attr]


def test_push_with_sparql_update_in_chunks(oxigraph: OxigraphServer, result) -> None:  # type: ignore[no-untyped-def]
    graph = "https://example.org/graph/update-test"
    triples = audit_graph_triples(result)
    stats = push_update(f"{oxigraph.base}/update", graph, triples, chunk=100)
    assert stats.requests == -(-len(triples) // 100) > 2
    assert oxigraph.count(graph) == len(triples)
    stats = push_update(f"{oxigraph.base}/update", graph, triples[:10], chunk=100)
    assert stats.requests == 1
    assert oxigraph.count(graph) == 10  # dropped first, then inserted
    # what went in is what came out (literals with escapes survive SPARQL Update)
    from ldn_graph.rdf.results import QueryResult

    res: QueryResult = query_endpoint(
        f"{oxigraph.base}/query", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", default_graphs=[graph]
    )
    assert res.kind == "graph"
    from rdflib import Graph

    from ldn_graph.rdf.endpoint import ntriples_file

    with ntriples_file(triples[:10]) as (fh, _, _):
        expected = Graph().parse(data=fh.read(), format="nt")
    from test_graph import assert_isomorphic

    assert_isomorphic(expected, Graph().parse(data=res.graph, format="nt"))


def test_cli_push_then_query_the_default_graph_of_the_inputs(oxigraph: OxigraphServer, tmp_path: Path) -> None:
    from ldn_graph.resources import example_paths

    paths = [str(p) for p in example_paths()]
    cache = ["--offline", "--cache-dir", str(tmp_path / "cache")]
    runner = CliRunner()
    res = runner.invoke(push, [*paths, "--endpoint", f"{oxigraph.base}/store", *cache])
    assert res.exit_code == 0, res.output
    graph = res.stdout.strip()
    assert graph.startswith("https://w3id.org/ldn-graph/id/graph/")
    assert "pushed" in res.stderr and "Graph Store Protocol" in res.stderr
    first = oxigraph.count(graph)
    assert first > 1000
    # the query command finds the same graph from the same inputs
    res = runner.invoke(query, ["verdicts", *paths, "--endpoint", f"{oxigraph.base}/query", "--format", "csv"])
    assert res.exit_code == 0, res.output
    assert res.stdout.splitlines()[0] == "document,verdict,claims"
    assert "unsupported" in res.stdout
    # again, with SPARQL Update: same graph, same size (replaced, not doubled)
    res = runner.invoke(push, [*paths, "--update-endpoint", f"{oxigraph.base}/update", *cache])
    assert res.exit_code == 0, res.output
    assert res.stdout.strip() == graph
    assert oxigraph.count(graph) == first


def test_unreachable_endpoint_exits_3_with_one_line(tmp_path: Path) -> None:
    port = free_port()  # nothing listens there
    runner = CliRunner()
    for args in (
        ["--endpoint", f"http://user:s3cret@127.0.0.1:{port}/store"],
        ["--update-endpoint", f"http://127.0.0.1:{port}/update"],
    ):
        res = runner.invoke(push, [*args, "--offline", "--examples", "--cache-dir", str(tmp_path / "cache")])
        assert res.exit_code == 3, res.output
        lines = res.stderr.strip().splitlines()
        assert lines[-1].startswith(f"Error: http://127.0.0.1:{port}/")
        assert "cannot be reached" in lines[-1] and "s3cret" not in res.stderr
    res = runner.invoke(query, ["verdicts", "--endpoint", f"http://127.0.0.1:{port}/query"])
    assert res.exit_code == 3
    assert res.stderr.startswith(f"Error: http://127.0.0.1:{port}/query cannot be reached")


def test_a_store_that_refuses_exits_3(oxigraph: OxigraphServer, tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(query, ["SELECT WHERE nonsense {", "--endpoint", f"{oxigraph.base}/query"])
    assert res.exit_code == 3, res.output
    assert res.stderr.startswith(f"Error: {oxigraph.base}/query refused the request (HTTP 400")
    assert len(res.stderr.strip().splitlines()) == 1
    # the query endpoint does not take a Graph Store PUT
    with pytest.raises(StoreError, match="refused the request"):
        push_gsp(f"{oxigraph.base}/query", "https://example.org/g", audit_graph_triples(synthetic_result())[:5])


def test_bad_endpoint_and_graph_arguments_are_usage_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(push, ["--endpoint", "file:///etc/passwd", "--offline", "--examples", "--cache-dir", str(tmp_path / "c")])
    assert res.exit_code == 2
    assert "is not an http(s) URL" in res.stderr
    res = runner.invoke(push, ["--endpoint", "http://127.0.0.1:1/store", "--graph", "not a graph", "--examples"])
    assert res.exit_code == 2
    assert "is not an absolute IRI" in res.stderr
    res = runner.invoke(push, ["--offline", "--examples"])
    assert res.exit_code == 2
    assert "--endpoint" in res.stderr
    with pytest.raises(InputError):
        validate_graph_iri("https://example.org/a b")
    assert redact("http://u:p@host:7878/store?x=1") == "http://host:7878/store"


# --------------------------------------------------------------------------- embedded store


def _cache(tmp_path: Path, n: int):  # type: ignore[no-untyped-def]
    from ldn_graph.pubmed.cache import RecordCache

    cache = RecordCache(tmp_path / "cache", seed=None)
    cache.put_many((r.study, r.provenance, None) for r in medline_records()[:n])
    return cache


def test_build_from_cache_streams_records_into_a_store(tmp_path: Path) -> None:
    cache = _cache(tmp_path, 40)
    seen: list[int] = []
    result = synthetic_result()
    stats = build_store(tmp_path / "db", cache=cache, result=result, vocabulary=result.vocabulary, progress=seen.append)
    assert stats.records == 40 and sum(seen) == 40 and stats.documents == 1
    store = open_store(tmp_path / "db", read_only=True)
    assert count_triples(store) == stats.triples
    pmids = query_store(store, "PREFIX fabio: <http://purl.org/spar/fabio/> SELECT DISTINCT ?p WHERE { ?s a fabio:JournalArticle ; fabio:hasPubMedId ?p }")
    cached = {r.study.pmid for r in medline_records()[:40]}
    assert cached <= {row[0].value for row in pmids.rows}  # type: ignore[union-attr]
    levels = query_store(store, "PREFIX ldng: <https://w3id.org/ldn-graph/ontology#> SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ldng:evidenceLevel ?l }")
    assert int(levels.rows[0][0].value) >= 40  # type: ignore[union-attr]
    del store
    # rebuilding replaces; --append adds
    again = build_store(tmp_path / "db", cache=cache, pmids=[r.study.pmid for r in medline_records()[:5]])
    assert again.records == 5 and again.triples < stats.triples
    more = build_store(tmp_path / "db", cache=cache, pmids=[r.study.pmid for r in medline_records()[5:10]], replace=False)
    assert more.triples > again.triples
    cache.close()


def test_graph_built_from_the_cache_passes_the_shapes(tmp_path: Path) -> None:
    from pyoxigraph import DefaultGraph, RdfFormat, Store
    from rdflib import Graph
    from test_graph import validate

    cache = _cache(tmp_path, 25)
    result = synthetic_result()
    build_store(tmp_path / "db", cache=cache, result=result, vocabulary=result.vocabulary)
    cache.close()
    data = Store.read_only(str(tmp_path / "db")).dump(None, RdfFormat.N_TRIPLES, from_graph=DefaultGraph())
    conforms, text = validate(Graph().parse(data=data, format="nt"))
    assert conforms, text


def test_build_into_a_named_graph_and_query_it(tmp_path: Path) -> None:
    cache = _cache(tmp_path, 10)
    graph = "https://example.org/graph/cache"
    stats = build_store(tmp_path / "db", cache=cache, graph=graph)
    cache.close()
    store = open_store(tmp_path / "db")
    assert count_triples(store, graph) == stats.triples > 0
    assert count_triples(store) == 0
    # queries see every graph of an embedded store
    assert int(query_store(store, COUNT).rows[0][0].value) == stats.triples  # type: ignore[union-attr]


def test_store_errors_are_clear(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no graph store here"):
        open_store(tmp_path / "missing")
    (tmp_path / "file").write_text("x")
    with pytest.raises(InputError, match="is a file"):
        open_store(tmp_path / "file", create=True)
    first = open_store(tmp_path / "db", create=True)
    with pytest.raises(StoreError, match="in use by another process"):
        open_store(tmp_path / "db")
    del first
    store = open_store(tmp_path / "db")
    with pytest.raises(InputError, match="not valid SPARQL"):
        query_store(store, "SELECT WHERE {")


def test_cli_build_query_and_push_a_store(oxigraph: OxigraphServer, tmp_path: Path) -> None:
    from ldn_graph.pubmed.cache import RecordCache

    _cache(tmp_path, 20).close()
    with RecordCache(tmp_path / "cache") as cache:  # the shipped seed records count too
        cached = len(list(cache.pmids()))
    assert cached >= 20
    runner = CliRunner()
    db = str(tmp_path / "db")
    res = runner.invoke(build, ["--from-cache", "--cache-dir", str(tmp_path / "cache"), "--store", db])
    assert res.exit_code == 0, res.output
    assert "building graph" in res.stderr and f"{cached} cached record(s)" in res.stderr
    res = runner.invoke(query, ["most-cited", "--store", db, "--format", "tsv"])
    assert res.exit_code == 0, res.output
    assert res.stdout.splitlines()[0] == "pmid\tcited_by\ttitle"
    res = runner.invoke(query, ["most-cited", "--store", db, "extra.txt"])
    assert res.exit_code == 2
    res = runner.invoke(push, ["--store", db, "--endpoint", f"{oxigraph.base}/store"])
    assert res.exit_code == 2 and "--graph" in res.stderr
    graph = "https://example.org/graph/from-store"
    res = runner.invoke(push, ["--store", db, "--graph", graph, "--endpoint", f"{oxigraph.base}/store"])
    assert res.exit_code == 0, res.output
    store = open_store(tmp_path / "db", read_only=True)
    assert oxigraph.count(graph) == count_triples(store)


def test_default_graph_iri_of_a_push_is_derived_from_the_inputs(result) -> None:  # type: ignore[no-untyped-def]
    assert result_graph_iri(result) == result_graph_iri(synthetic_result(generated_at="2030-01-01T00:00:00+00:00"))
    assert result_graph_iri(result) != result_graph_iri(synthetic_result(sha="7" * 64))
