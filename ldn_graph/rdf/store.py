"""The embedded graph store: a persistent pyoxigraph store in a directory.

- :func:`open_store` opens one (refusing a directory that holds none, naming a lock held
  by another process).
- :func:`fill_store` streams triples into it (``bulk_extend`` over a generator: no graph
  is ever held in memory); what to write is decided above this package
  (:mod:`ldn_graph.build`).
- :func:`load_result` adds an audit's graph to a store (an in-memory one, to query it).
- :func:`query_store` runs SPARQL on a store, in this process, refusing federation
  (``SERVICE``) unless allowed; :mod:`ldn_graph.rdf.local` runs it in a worker process
  with a time limit (the command line's way).

A store that cannot be opened or written raises :class:`~ldn_graph.errors.StoreError`
(exit code 3) with a one-line message.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ldn_graph.errors import InputError, StoreError
from ldn_graph.model import AuditResult
from ldn_graph.rdf.backends import OxigraphTerms, Triple
from ldn_graph.rdf.federation import refuse_federation
from ldn_graph.rdf.iris import validate_graph_iri
from ldn_graph.rdf.results import QueryResult, query_result_of
from ldn_graph.rdf.triples import audit_triples
from ldn_graph.text import error_line

if TYPE_CHECKING:
    from pyoxigraph import Store

_MESSAGE_LIMIT = 300


def open_store(path: str | Path, *, read_only: bool = False, create: bool = False) -> Store:
    """Open the pyoxigraph store in directory ``path``.

    ``create=False`` refuses a directory that holds no store yet (a typo should not
    silently query an empty graph). ``read_only`` opens without taking the write lock.
    """
    from pyoxigraph import Store

    folder = Path(path)
    if not create and not (folder.is_dir() and any(folder.iterdir())):
        raise InputError(f"{folder}: no graph store here; build one with `ldn-graph build --from-cache --store {folder}`")
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder}: is a file, not a store directory; choose a directory for --store")
    try:
        if read_only:
            return Store.read_only(str(folder))
        folder.mkdir(parents=True, exist_ok=True)
        return Store(str(folder))
    except OSError as exc:
        text = error_line(exc, _MESSAGE_LIMIT)
        if "lock" in text.lower():
            raise StoreError(f"{folder}: the store is in use by another process; wait for it to finish, then retry") from None
        raise StoreError(f"{folder}: the store could not be opened ({text}); check the directory or rebuild it") from None


def fill_store(store_dir: str | Path, triples: Iterable[Triple], *, graph: str | None = None, replace: bool = True) -> int:
    """Write ``triples`` (pyoxigraph terms) into the store at ``store_dir`` (created if
    missing); returns how many statements the target graph holds afterwards.

    ``graph`` is the named graph to fill (default: the store's default graph); with
    ``replace`` it is emptied first. An error raised by ``triples`` itself (a cache that
    cannot be read) propagates unchanged.
    """
    from pyoxigraph import DefaultGraph, NamedNode, Quad

    target = NamedNode(validate_graph_iri(graph)) if graph else DefaultGraph()
    store = open_store(store_dir, create=True)
    try:
        if replace:
            store.clear_graph(target)
        store.bulk_extend(Quad(s, p, o, target) for s, p, o in triples)
        store.flush()
        return count_triples(store, graph)
    except OSError as exc:
        raise StoreError(
            f"{store_dir}: writing the store failed ({error_line(exc, _MESSAGE_LIMIT)}); check free space, then rerun build"
        ) from None
    finally:
        del store


def count_triples(store: Store, graph: str | None = None) -> int:
    """Statements in the store's default graph, or in named graph ``graph``."""
    where = f"GRAPH <{validate_graph_iri(graph)}> {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
    answer = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
    for solution in answer:  # type: ignore[union-attr]
        return int(solution[0].value)
    return 0


def load_result(store: Store, result: AuditResult, *, include_vocabulary: bool = False) -> int:
    """Add an audit's triples to ``store``'s default graph; returns the store size."""
    from pyoxigraph import DefaultGraph, Quad

    g = DefaultGraph()
    store.bulk_extend(Quad(s, p, o, g) for s, p, o in audit_triples(result, OxigraphTerms(), include_vocabulary=include_vocabulary))
    return len(store)


# --------------------------------------------------------------------------- queries


def query_store(store: Store, sparql: str, *, allow_service: bool = False) -> QueryResult:
    """Run a SPARQL query on a pyoxigraph store; the default graph is the union of all
    graphs. A ``SERVICE`` clause (HTTP to the host it names) is refused unless
    ``allow_service`` (InputError)."""
    from pyoxigraph import QueryBoolean, QuerySolutions, RdfFormat, serialize

    refuse_federation(sparql, allow_service=allow_service)
    try:
        answer = store.query(sparql, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise InputError(f"the query is not valid SPARQL: {error_line(exc, _MESSAGE_LIMIT)}") from None
    except OSError as exc:
        raise StoreError(f"the store could not answer the query ({error_line(exc, _MESSAGE_LIMIT)})") from None
    if isinstance(answer, QueryBoolean | QuerySolutions):
        return query_result_of(answer)
    data = serialize(answer, None, RdfFormat.N_TRIPLES)
    return QueryResult("graph", graph=bytes(data or b""))

