"""Built-in SPARQL queries and result renderers, on the synthetic audit and the examples."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from synthetic_audit import synthetic_result

from ldn_graph.cli.graph import query
from ldn_graph.errors import InputError
from ldn_graph.rdf.queries import QUERIES, render, resolve_query
from ldn_graph.rdf.results import QueryResult, Term, parse_results_json
from ldn_graph.rdf.store import load_result, query_store
from ldn_graph.text import replace_unsafe


def query_result(result, sparql: str) -> QueryResult:  # type: ignore[no-untyped-def]
    """The query on the audit's graph, in this process (the CLI runs it in a worker)."""
    from pyoxigraph import Store

    store = Store()
    load_result(store, result, include_vocabulary=True)
    return query_store(store, sparql)


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    return synthetic_result()


def test_every_built_in_query_runs(result) -> None:  # type: ignore[no-untyped-def]
    for name, named in QUERIES.items():
        answer = query_result(result, named.text)
        assert answer.kind == "select", name
        assert answer.variables, name


def test_unsupported_claims(result) -> None:  # type: ignore[no-untyped-def]
    answer = query_result(result, QUERIES["unsupported-claims"].text)
    assert answer.variables == ["document", "concept", "claim", "text"]
    rows = [[t.value if t else None for t in row] for row in answer.rows]
    (claim,) = [c for c in result.documents[0].claims if c.concept.name == "Relative"]
    path = replace_unsafe(result.documents[0].document.path)
    assert "\ufffd" in path
    assert rows == [[path, "Relative concept", claim.id, "It acts relatively."]]


def test_claims_per_study(result) -> None:  # type: ignore[no-untyped-def]
    answer = query_result(result, QUERIES["claims-per-study"].text)
    (pmid,) = result.records
    rows = {row[0].value: row for row in answer.rows if row[0]}
    assert set(rows) == {pmid}
    _, title, cited_by, supports, verdicts = rows[pmid]
    assert title and title.value == result.records[pmid].study.title
    assert (int(cited_by.value), int(supports.value), verdicts.value) == (1, 1, "supported")  # type: ignore[union-attr]


def test_studies_per_concept_with_evidence_level(result) -> None:  # type: ignore[no-untyped-def]
    answer = query_result(result, QUERIES["studies-per-concept"].text)
    rows = [tuple(t.value if t else "" for t in row[:4]) for row in answer.rows]
    (pmid,) = result.records
    assert ("Fibromyalgia", pmid, "rct", "evidence") in rows
    # the record's MeSH headings also tie it to concepts mapped to them
    study = result.records[pmid].study
    if any(m.ui == "D005356" for m in study.mesh):
        assert ("Fibromyalgia", pmid, "rct", "mesh") in rows


def test_resolve_query(tmp_path: Path) -> None:
    assert resolve_query("unsupported-claims").startswith("PREFIX rdf:")
    text = "SELECT * WHERE { ?s ?p ?o } LIMIT 1"
    assert resolve_query(text) == text
    f = tmp_path / "mine.rq"
    f.write_text(text, encoding="utf-8")
    assert resolve_query(str(f)) == text
    with pytest.raises(InputError, match="query --list"):
        resolve_query("unsupported-claim")
    with pytest.raises(InputError, match="cannot be read"):
        resolve_query(str(tmp_path / "missing.rq"))


def sample() -> QueryResult:
    return QueryResult(
        "select",
        ["iri", "text", "n", "empty"],
        [
            [Term("uri", "https://w3id.org/ldn-graph/ontology#Supported"), Term("literal", "a\tb\nc, \"d\"\\e", language="en"), Term("literal", "3", "http://www.w3.org/2001/XMLSchema#integer"), None],
            [Term("uri", "http://id.nlm.nih.gov/mesh/D005356"), Term("literal", "plain"), Term("literal", "4", "http://www.w3.org/2001/XMLSchema#integer"), None],
        ],
    )


def test_table_is_aligned_with_compact_iris() -> None:
    lines = render(sample(), "table").splitlines()
    assert lines[0].split() == ["iri", "text", "n", "empty"]
    assert lines[2].startswith("ldng:Supported ")
    assert lines[3].startswith("mesh:D005356 ")
    assert "a b c" in lines[2]  # whitespace folded on one line
    assert lines[-1] == "(2 rows)"


def test_tsv_escapes_tabs_and_newlines() -> None:
    lines = render(sample(), "tsv").splitlines()
    assert lines[0] == "iri\ttext\tn\tempty"
    assert lines[1].split("\t") == ["https://w3id.org/ldn-graph/ontology#Supported", "a\\tb\\nc, \"d\"\\\\e", "3", ""]
    assert len(lines) == 3


def test_csv_round_trips() -> None:
    rows = list(csv.reader(io.StringIO(render(sample(), "csv"))))
    assert rows[0] == ["iri", "text", "n", "empty"]
    assert rows[1] == ["https://w3id.org/ldn-graph/ontology#Supported", "a\tb\nc, \"d\"\\e", "3", ""]


def test_json_is_sparql_results_json() -> None:
    text = render(sample(), "json")
    data = json.loads(text)
    assert data["head"]["vars"] == ["iri", "text", "n", "empty"]
    assert data["results"]["bindings"][0]["text"] == {"type": "literal", "value": "a\tb\nc, \"d\"\\e", "xml:lang": "en"}
    back = parse_results_json(text.encode())
    assert back.rows == sample().rows
    ask = QueryResult("ask", boolean=True)
    assert json.loads(render(ask, "json")) == {"head": {}, "boolean": True}
    assert render(ask, "table") == "true\n"
    with pytest.raises(InputError):
        render(ask, "xml")


def test_cli_list_and_local_queries(tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(query, ["--list"])
    assert res.exit_code == 0
    assert [line.split()[0] for line in res.stdout.splitlines()] == list(QUERIES)
    cache = ["--offline", "--cache-dir", str(tmp_path / "cache")]
    res = runner.invoke(query, ["unsupported-claims", "--examples", *cache, "--format", "json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)["results"]["bindings"]
    assert len(rows) > 50 and all(r["text"]["value"] for r in rows)
    out = tmp_path / "r.csv"
    res = runner.invoke(query, ["ASK { ?c a <http://purl.org/mp/Claim> }", "--examples", *cache, "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert out.read_text() == "true\n"
    res = runner.invoke(query, ["SELECT WHERE {", "--examples", *cache])
    assert res.exit_code == 2
    assert res.stderr.startswith("Error: the query is not valid SPARQL")
    res = runner.invoke(query, [])
    assert res.exit_code == 2 and "query --list" in res.stderr
    res = runner.invoke(query, ["verdicts", "--store", str(tmp_path / "nostore")])
    assert res.exit_code == 2 and "no graph store here" in res.stderr


# --------------------------------------------------------------------------- endpoint replies


class _Replies:
    """A loopback SPARQL endpoint answering every POST with the next (content type, body)."""

    def __init__(self) -> None:
        import http.server
        import threading

        self.queue: list[tuple[str, bytes]] = []
        replies = self.queue

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server naming
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                media, body = replies.pop(0)
                self.send_response(200)
                self.send_header("Content-Type", media)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/query"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def replies() -> Iterator[_Replies]:
    endpoint = _Replies()
    yield endpoint
    endpoint.server.shutdown()
    endpoint.server.server_close()


JSON_MEDIA = "application/sparql-results+json"


def test_endpoint_results_are_read_by_pyoxigraph(replies: _Replies) -> None:
    from ldn_graph.rdf.endpoint import query_endpoint

    replies.queue.append((JSON_MEDIA, render(sample(), "json").encode()))
    assert query_endpoint(replies.url, "SELECT * WHERE { ?s ?p ?o }").rows == sample().rows
    replies.queue.append((f"{JSON_MEDIA}; charset=utf-8", b'{"head": {}, "boolean": false}'))
    assert query_endpoint(replies.url, "ASK { ?s ?p ?o }") == QueryResult("ask", boolean=False)
    typed = {"type": "typed-literal", "value": "7", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}
    plain = {"type": "literal", "value": "x", "datatype": "http://www.w3.org/2001/XMLSchema#string"}
    body = {"head": {"vars": ["n", "s", "b"]}, "results": {"bindings": [{"n": typed, "s": plain, "b": {"type": "bnode", "value": "b0"}}]}}
    replies.queue.append(("application/json", json.dumps(body).encode()))
    (row,) = query_endpoint(replies.url, "SELECT * WHERE { ?s ?p ?o }").rows
    assert row[:2] == [Term("literal", "7", "http://www.w3.org/2001/XMLSchema#integer"), Term("literal", "x")]
    assert row[2] is not None and row[2].kind == "bnode"


@pytest.mark.parametrize(
    "body",
    [b"<html>busy</html>", b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "nonsense", "value": "1"}}]}}',
     b"\xff\xfe not UTF-8", b"[1, 2]"],
)
def test_a_malformed_endpoint_reply_is_a_one_line_store_error(replies: _Replies, body: bytes) -> None:
    from ldn_graph.errors import StoreError
    from ldn_graph.rdf.endpoint import query_endpoint

    replies.queue.append((JSON_MEDIA, body))
    with pytest.raises(StoreError, match=r"^the endpoint answered with invalid JSON results \(") as caught:
        query_endpoint(replies.url, "SELECT * WHERE { ?s ?p ?o }")
    assert "\n" not in str(caught.value)
    replies.queue.append(("text/html", b"<html></html>"))
    with pytest.raises(StoreError, match="answered with text/html, not SPARQL results"):
        query_endpoint(replies.url, "SELECT * WHERE { ?s ?p ?o }")
