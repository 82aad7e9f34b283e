"""The graph commands: ``query``, ``push`` and ``build``.

Options → one library call (``ldn_graph.rdf.store`` / ``ldn_graph.rdf.queries``) →
output → exit code. Results go to stdout, messages and progress to stderr.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ldn_graph.cli.command import CONTEXT, EXIT_USAGE, Command, fail
from ldn_graph.cli.inputs import inputs_given
from ldn_graph.cli.options import (
    LibraryChoice,
    paths_argument,
    pipeline_options,
    run_audit,
    suggest_options,
)
from ldn_graph.cli.output import write_text_output
from ldn_graph.cli.progress import progress_bars
from ldn_graph.progress import counter
from ldn_graph.terms import Stage

if TYPE_CHECKING:
    from ldn_graph.audit import AuditOptions


def _query_formats() -> Iterable[str]:
    from ldn_graph.rdf.queries import FORMATS

    return FORMATS


store_option = click.option(
    "--store",
    type=click.Path(path_type=Path, file_okay=False),
    metavar="DIR",
    help="Embedded graph store (a directory, as made by `ldn-graph build --store DIR`).",
)


def _document_shas(paths: tuple[Path, ...]) -> list[str]:
    from ldn_graph.read.documents import read_document

    return [read_document(path).sha256 for path in paths]


# --------------------------------------------------------------------------- query


@click.command(cls=Command, context_settings=CONTEXT)
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
@click.option("--format", "fmt", type=LibraryChoice(_query_formats), default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write the results here (default: stdout).")
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=60,
    show_default=True,
    metavar="SECONDS",
    help="Time limit: the whole query on an audit or --store (stopped after it, exit 3); the HTTP timeout with --endpoint.",
)
@click.option(
    "--allow-service",
    is_flag=True,
    help="Run SERVICE clauses (federated queries send HTTP to the hosts they name); refused by default, except with --endpoint.",
)
@pipeline_options
@suggest_options(always=False)
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
    allow_service: bool,
    options: AuditOptions,
) -> None:
    """Run a SPARQL query (or a built-in one, see --list) on the knowledge graph.

    QUERY is SPARQL text, a .rq file, or a built-in query name. The graph is the audit of
    PATHS (or --examples), an embedded store (--store DIR), or a SPARQL
    endpoint (--endpoint URL). Local queries stop at --timeout and on Ctrl-C, and refuse
    SERVICE clauses unless --allow-service.

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
    if allow_service and endpoint:
        fail("--allow-service applies to local queries; with --endpoint the store decides whether SERVICE runs")
    sparql = resolve_query(query)
    errors = False
    if endpoint:
        from ldn_graph.rdf.endpoint import query_endpoint
        from ldn_graph.rdf.iris import graph_iri

        targets = list(graphs) or ([graph_iri(_document_shas(paths))] if paths else [])
        result = query_endpoint(endpoint, sparql, default_graphs=targets, timeout=timeout)
    else:
        from ldn_graph.rdf.federation import refuse_federation
        from ldn_graph.rdf.local import LocalGraph, audit_graph, run_query

        refuse_federation(sparql, allow_service=allow_service)  # before the audit: fail fast
        if store:
            graph = LocalGraph(store=str(store))
        else:
            audit = run_audit(paths, options)
            errors = bool(audit.errors)
            graph = audit_graph(audit)
        result = run_query(graph, sparql, timeout=timeout, allow_service=allow_service)
    write_text_output(output, render(result, fmt))
    if errors:
        sys.exit(EXIT_USAGE)


# --------------------------------------------------------------------------- push


@click.command(cls=Command, context_settings=CONTEXT)
@paths_argument
@click.option("--endpoint", metavar="URL", help="Graph Store HTTP Protocol endpoint (Oxigraph http://host:7878/store, Fuseki http://host:3030/DATASET/data).")
@click.option("--update-endpoint", metavar="URL", help="SPARQL Update endpoint (Oxigraph /update, Fuseki /DATASET/update), for stores without the Graph Store Protocol.")
@click.option("--graph", metavar="IRI", help="Named graph to replace [default: https://w3id.org/ldn-graph/id/graph/<hash of the inputs' sha256s>].")
@store_option
@click.option("--chunk", type=click.IntRange(min=1), default=20_000, show_default=True, metavar="N", help="Triples per INSERT DATA request with --update-endpoint.")
@click.option("--timeout", type=click.FloatRange(min=1), default=60, show_default=True, metavar="SECONDS", help="HTTP timeout per request.")
@pipeline_options
@suggest_options(always=False)
def push(
    paths: tuple[Path, ...],
    endpoint: str | None,
    update_endpoint: str | None,
    graph: str | None,
    store: Path | None,
    chunk: int,
    timeout: float,
    options: AuditOptions,
) -> None:
    """Load the knowledge graph into a SPARQL 1.1 store, replacing one named graph.

    The graph is the audit of PATHS (or --examples), or an embedded
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
        validate_graph_iri(graph)
    errors = False
    if store:
        triples: Any = StoreDump(store)
        target = str(graph)
    else:
        from ldn_graph.rdf.iris import result_graph_iri

        result = run_audit(paths, options)
        errors = bool(result.errors)
        triples = audit_graph_triples(result)
        target = graph or result_graph_iri(result)
    if update_endpoint:
        stats = push_update(update_endpoint, target, triples, chunk=chunk, timeout=timeout)
        how = f"SPARQL Update, {stats.requests} request(s)"
        where = update_endpoint
    else:
        assert endpoint is not None
        stats = push_gsp(endpoint, target, triples, timeout=timeout)
        how = "Graph Store Protocol PUT"
        where = endpoint
    from ldn_graph.rdf.endpoint import redact

    click.echo(f"pushed {stats.triples} triples into graph <{stats.graph}> at {redact(where)} ({how})", err=True)
    click.echo(stats.graph)
    if errors:
        sys.exit(EXIT_USAGE)


# --------------------------------------------------------------------------- build


@click.command(cls=Command, context_settings=CONTEXT)
@paths_argument
@click.option("--store", type=click.Path(path_type=Path, file_okay=False), metavar="DIR", required=True, help="Directory of the embedded graph store (created if missing).")
@click.option("--from-cache", is_flag=True, help="Add every record in the cache (writable layer and shipped seed records).")
@click.option("--graph", metavar="IRI", help="Fill this named graph instead of the store's default graph.")
@click.option("--append", is_flag=True, help="Add to the graph instead of replacing it.")
@pipeline_options
def build(
    paths: tuple[Path, ...],
    store: Path,
    from_cache: bool,
    graph: str | None,
    append: bool,
    options: AuditOptions,
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
    from ldn_graph.ontology.vocabulary import load_vocabulary
    from ldn_graph.rdf.iris import validate_graph_iri

    if graph:
        validate_graph_iri(graph)
    result = run_audit(paths, options) if inputs_given(paths) or not from_cache else None
    vocab = result.vocabulary if result is not None and result.vocabulary is not None else load_vocabulary(options.vocabulary)
    if from_cache:
        from ldn_graph.pubmed.cache import RecordCache

        with RecordCache(options.cache_dir) as cache:
            wanted = list(cache.pmids())
            click.echo("building graph", err=True)
            with progress_bars(labels={Stage.BUILD: "adding cached records"}) as progress:
                stats = build_store(
                    store, result=result, cache=cache, pmids=wanted, vocabulary=vocab, graph=graph,
                    replace=not append, progress=counter(progress, Stage.BUILD, len(wanted)),
                )
    else:
        stats = build_store(store, result=result, vocabulary=vocab, graph=graph, replace=not append)
    for pmid in stats.missing:
        click.echo(f"note: cached record {pmid} could not be read from the cache; it was left out", err=True)
    where = f"graph <{graph}>" if graph else "the default graph"
    click.echo(
        f"built {store}: {stats.records} cached record(s), {stats.documents} document(s); {where} holds {stats.triples} triples",
        err=True,
    )
    if result is not None and result.errors:
        sys.exit(EXIT_USAGE)
