"""The graph commands of the command line: ``query``, ``push`` and ``build``.

Each is a standalone Click command (registered on the ``ldn-graph`` group in ``cli.py``):
options → one library call (``ldn_graph.rdf.store`` / ``ldn_graph.rdf.queries``) → output → exit
code. Results go to stdout, messages and progress to stderr.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ldn_graph.cli.group import (
    CONTEXT,
    EXIT_USAGE,
    _options,
    _run_audit,
    cache_dir_option,
    fail,
    max_age_option,
    offline_option,
    paths_argument,
    run_library,
    vocabulary_option,
    write_text_output,
)

store_option = click.option(
    "--store",
    type=click.Path(path_type=Path, file_okay=False),
    metavar="DIR",
    help="Embedded graph store (a directory, as made by `ldn-graph build --store DIR`).",
)


def _document_shas(paths: tuple[Path, ...]) -> list[str]:
    from ldn_graph.read.documents import read_document

    shas: list[str] = []
    for path in paths:
        doc: Any = run_library(lambda path=path: read_document(path))  # type: ignore[misc]
        shas.append(doc.sha256)
    return shas


# --------------------------------------------------------------------------- query


@click.command(context_settings=CONTEXT)
@click.argument("query", required=False)
@paths_argument
@click.option("--list", "list_only", is_flag=True, help="List the built-in queries and exit.")
@click.option("--endpoint", metavar="URL", help="SPARQL query endpoint (Oxigraph http://host:7878/query, Fuseki http://host:3030/DATASET/sparql).")
@click.option(
    "--graph",
    "graphs",
    multiple=True,
    metavar="IRI",
    help="With --endpoint: query this named graph (repeatable) [default: the graph `push` made for PATHS, else the endpoint's default graph].",
)
@store_option
@click.option("--format", "fmt", type=click.Choice(["table", "tsv", "csv", "json"]), default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write the results here (default: stdout).")
@click.option("--timeout", type=click.FloatRange(min=1), default=60, show_default=True, metavar="SECONDS", help="HTTP timeout for --endpoint.")
@offline_option
@cache_dir_option
@vocabulary_option
@max_age_option
def query(
    query: str | None,
    paths: tuple[Path, ...],
    list_only: bool,
    endpoint: str | None,
    graphs: tuple[str, ...],
    store: Path | None,
    fmt: str,
    output: Path | None,
    timeout: float,
    offline: bool,
    cache_dir: Path | None,
    vocabulary: Path | None,
    max_age: float | None,
) -> None:
    """Run a SPARQL query (or a built-in one, see --list) on the knowledge graph.

    QUERY is SPARQL text, a .rq file, or a built-in query name. The graph is the audit of
    PATHS (default: the bundled examples), an embedded store (--store DIR), or a SPARQL
    endpoint (--endpoint URL).

    \b
    Example:
      ldn-graph query --list
      ldn-graph query unsupported-claims page.html --offline
      ldn-graph query studies-per-concept --store ./graphdb --format csv
      ldn-graph query 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }' --endpoint http://localhost:7878/query
    """
    from ldn_graph.rdf.queries import list_queries, render, resolve_query

    if list_only:
        click.echo(list_queries(), nl=False)
        return
    if not query:
        fail("give a QUERY (SPARQL text, a .rq file or a built-in name); `ldn-graph query --list` shows the built-in ones")
    if endpoint and store:
        fail("give either --endpoint or --store, not both")
    if store and paths:
        fail("--store queries the store; leave out PATHS (or drop --store to audit them)")
    if graphs and not endpoint:
        fail("--graph only applies with --endpoint")
    sparql = run_library(lambda: resolve_query(query))
    errors = False
    if endpoint:
        from ldn_graph.rdf.endpoint import query_endpoint
        from ldn_graph.rdf.iris import graph_iri

        targets = list(graphs) or ([graph_iri(_document_shas(paths))] if paths else [])
        result = run_library(lambda: query_endpoint(endpoint, sparql, default_graphs=targets, timeout=timeout))
    elif store:
        from ldn_graph.rdf.store import open_store, query_store

        db = run_library(lambda: open_store(store, read_only=True))
        result = run_library(lambda: query_store(db, sparql))
    else:
        from ldn_graph.rdf.store import query_result

        audit = _run_audit(paths, _options(offline, cache_dir, vocabulary, max_age))
        errors = bool(audit.errors)
        result = run_library(lambda: query_result(audit, sparql))
    write_text_output(output, run_library(lambda: render(result, fmt)))
    if errors:
        sys.exit(EXIT_USAGE)


# --------------------------------------------------------------------------- push


@click.command(context_settings=CONTEXT)
@paths_argument
@click.option("--endpoint", metavar="URL", help="Graph Store HTTP Protocol endpoint (Oxigraph http://host:7878/store, Fuseki http://host:3030/DATASET/data).")
@click.option("--update-endpoint", metavar="URL", help="SPARQL Update endpoint (Oxigraph /update, Fuseki /DATASET/update), for stores without the Graph Store Protocol.")
@click.option("--graph", metavar="IRI", help="Named graph to replace [default: https://w3id.org/ldn-graph/id/graph/<hash of the inputs' sha256s>].")
@store_option
@click.option("--chunk", type=click.IntRange(min=1), default=20_000, show_default=True, metavar="N", help="Triples per INSERT DATA request with --update-endpoint.")
@click.option("--timeout", type=click.FloatRange(min=1), default=60, show_default=True, metavar="SECONDS", help="HTTP timeout per request.")
@offline_option
@cache_dir_option
@vocabulary_option
@max_age_option
def push(
    paths: tuple[Path, ...],
    endpoint: str | None,
    update_endpoint: str | None,
    graph: str | None,
    store: Path | None,
    chunk: int,
    timeout: float,
    offline: bool,
    cache_dir: Path | None,
    vocabulary: Path | None,
    max_age: float | None,
) -> None:
    """Load the knowledge graph into a SPARQL 1.1 store, replacing one named graph.

    The graph is the audit of PATHS (default: the bundled examples), or an embedded
    store (--store DIR, with --graph). Pushing the same documents again replaces their
    graph. Prints the graph IRI.

    \b
    Example:
      ldn-graph push page.html --endpoint http://localhost:7878/store
      ldn-graph push --update-endpoint http://localhost:3030/ldn/update --graph https://example.org/g/ldn
      ldn-graph push --store ./graphdb --graph https://example.org/g/cache --endpoint http://localhost:7878/store
    """
    from ldn_graph.rdf.endpoint import StoreDump, push_gsp, push_update
    from ldn_graph.rdf.iris import validate_graph_iri
    from ldn_graph.rdf.triples import audit_graph_triples

    if not endpoint and not update_endpoint:
        fail("give --endpoint URL (Graph Store Protocol) or --update-endpoint URL (SPARQL Update)")
    if store and paths:
        fail("--store pushes the store; leave out PATHS (or drop --store to audit them)")
    if store and not graph:
        fail("with --store, name the target graph with --graph IRI")
    if graph:
        run_library(lambda: validate_graph_iri(graph))
    errors = False
    if store:
        triples: Any = StoreDump(store)
        target = str(graph)
    else:
        from ldn_graph.rdf.iris import result_graph_iri

        result = _run_audit(paths, _options(offline, cache_dir, vocabulary, max_age))
        errors = bool(result.errors)
        triples = audit_graph_triples(result)
        target = graph or result_graph_iri(result)
    if update_endpoint:
        stats = run_library(lambda: push_update(update_endpoint, target, triples, chunk=chunk, timeout=timeout))
        how = f"SPARQL Update, {stats.requests} request(s)"
        where = update_endpoint
    else:
        assert endpoint is not None
        stats = run_library(lambda: push_gsp(endpoint, target, triples, timeout=timeout))
        how = "Graph Store Protocol PUT"
        where = endpoint
    from ldn_graph.rdf.endpoint import redact

    click.echo(f"pushed {stats.triples} triples into graph <{stats.graph}> at {redact(where)} ({how})", err=True)
    click.echo(stats.graph)
    if errors:
        sys.exit(EXIT_USAGE)


# --------------------------------------------------------------------------- build


@click.command(context_settings=CONTEXT)
@paths_argument
@click.option("--store", type=click.Path(path_type=Path, file_okay=False), metavar="DIR", required=True, help="Directory of the embedded graph store (created if missing).")
@click.option("--from-cache", is_flag=True, help="Add every record in the cache (writable layer and shipped seed records).")
@click.option("--graph", metavar="IRI", help="Fill this named graph instead of the store's default graph.")
@click.option("--append", is_flag=True, help="Add to the graph instead of replacing it.")
@offline_option
@cache_dir_option
@vocabulary_option
@max_age_option
def build(
    paths: tuple[Path, ...],
    store: Path,
    from_cache: bool,
    graph: str | None,
    append: bool,
    offline: bool,
    cache_dir: Path | None,
    vocabulary: Path | None,
    max_age: float | None,
) -> None:
    """Build one graph of cached records and audited documents in an embedded store.

    Streams into a persistent pyoxigraph store at DIR (no graph is held in memory);
    `query` and `export` read it with --store DIR. PATHS default to the bundled examples
    unless --from-cache is given. The graph is replaced unless --append.

    \b
    Example:
      ldn-graph build --from-cache --store ./graphdb
      ldn-graph build monograph.txt page.html --from-cache --store ./graphdb
      ldn-graph query unsupported-claims --store ./graphdb
    """
    from ldn_graph.build import build_store
    from ldn_graph.ontology import load_vocabulary
    from ldn_graph.rdf.iris import validate_graph_iri

    if graph:
        run_library(lambda: validate_graph_iri(graph))
    result = None
    if paths or not from_cache:
        result = _run_audit(paths, _options(offline, cache_dir, vocabulary, max_age))
    vocab = result.vocabulary if result is not None and result.vocabulary is not None else run_library(lambda: load_vocabulary(vocabulary))
    cache = None
    wanted: list[str] = []
    if from_cache:
        from ldn_graph.pubmed.cache import RecordCache

        cache = run_library(lambda: RecordCache(cache_dir))
        wanted = run_library(lambda: list(cache.pmids()))

    def run(progress: Any) -> Any:
        return run_library(
            lambda: build_store(
                store,
                result=result,
                cache=cache,
                pmids=wanted,
                vocabulary=vocab,
                graph=graph,
                replace=not append,
                progress=progress,
            )
        )

    if cache is not None:
        with click.progressbar(length=len(wanted), label="building graph", file=sys.stderr, show_pos=True) as bar:
            stats = run(bar.update)
        cache.close()
    else:
        stats = run(None)
    for pmid in stats.missing:
        click.echo(f"note: cached record {pmid} could not be read from the cache; it was left out", err=True)
    where = f"graph <{graph}>" if graph else "the default graph"
    click.echo(
        f"built {store}: {stats.records} cached record(s), {stats.documents} document(s); {where} holds {stats.triples} triples",
        err=True,
    )
    if result is not None and result.errors:
        sys.exit(EXIT_USAGE)


# --------------------------------------------------------------------------- export --store


def export_store_command(store: Path, fmt: str, output: Path, paths: tuple[Path, ...] = ()) -> None:
    """What ``ldn-graph export --store DIR`` does (called from the export command)."""
    from ldn_graph.rdf.export import export_store

    if paths:
        fail("--store exports the store; leave out PATHS (or drop --store to audit them)")
    count = run_library(lambda: export_store(store, fmt, output))
    if str(output) != "-":
        click.echo(f"wrote {output} ({count} triples from {store})", err=True)


COMMANDS = (query, push, build)
