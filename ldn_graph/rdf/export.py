"""Serializations of the graph, each written atomically (temp file + ``os.replace``).

``EXPORTERS`` feeds both dispatch and the CLI's ``--format`` choice. RDF formats are
written by pyoxigraph straight from the triple generators (no intermediate rdflib
graph); GraphML by NetworkX from a copy whose attributes GraphML can hold. A failed
export never leaves a torn or 0-byte file behind, and never replaces an older file.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ldn_graph.errors import ExportError, LdnGraphError
from ldn_graph.files import atomic_output
from ldn_graph.model import AuditResult
from ldn_graph.rdf.backends import OxigraphTerms
from ldn_graph.rdf.namespaces import PREFIXES
from ldn_graph.rdf.network import build_networkx, networkx_from_triples
from ldn_graph.rdf.store import open_store
from ldn_graph.rdf.triples import audit_triples
from ldn_graph.text import replace_unsafe

if TYPE_CHECKING:
    import networkx as nx

#: Prefixes written into Turtle / JSON-LD ("ldn:" would need escaped slashes in names).
SERIALIZATION_PREFIXES = {k: v for k, v in PREFIXES.items() if k != "ldn"}
RDF_FORMATS = {"turtle": "TURTLE", "nt": "N_TRIPLES", "jsonld": "JSON_LD"}


def _oxigraph_format(fmt: str) -> Any:
    from pyoxigraph import RdfFormat

    return getattr(RdfFormat, RDF_FORMATS[fmt])


def serialize_triples(triples: Iterable[tuple[Any, Any, Any]], fmt: str, fh: IO[bytes]) -> None:
    """Write pyoxigraph terms ``(s, p, o)`` as ``fmt`` (turtle, nt, jsonld) to ``fh``."""
    from pyoxigraph import Triple, serialize

    stream = (Triple(s, p, o) for s, p, o in triples)
    try:
        serialize(stream, fh, _oxigraph_format(fmt), prefixes=None if fmt == "nt" else SERIALIZATION_PREFIXES)
    except (ValueError, SyntaxError) as exc:
        raise ExportError(f"the graph could not be serialized as {fmt} ({exc}); please report this") from None


def rdf_bytes(result: AuditResult, fmt: str, *, include_vocabulary: bool = False) -> bytes:
    """The audit graph serialized as ``fmt``, in memory.

    The triples go through an in-memory pyoxigraph store first, which removes duplicates
    and groups each subject's statements together in the output.
    """
    from pyoxigraph import DefaultGraph, Quad, Store

    store = Store()
    g = DefaultGraph()
    store.bulk_extend(Quad(s, p, o, g) for s, p, o in audit_triples(result, OxigraphTerms(), include_vocabulary=include_vocabulary))
    try:
        data = store.dump(None, _oxigraph_format(fmt), from_graph=g, prefixes=None if fmt == "nt" else SERIALIZATION_PREFIXES)
    except (ValueError, SyntaxError) as exc:
        raise ExportError(f"the graph could not be serialized as {fmt} ({exc}); please report this") from None
    return bytes(data or b"")


def _rdf_writer(fmt: str) -> Callable[[AuditResult, str | Path], None]:
    def write(result: AuditResult, path: str | Path) -> None:
        data = rdf_bytes(result, fmt)  # serialize first: a failure writes nothing at all
        with atomic_output(path) as fh:
            fh.write(data)

    write.__name__ = f"write_{fmt}"
    write.__doc__ = f"Write the audit graph as {fmt} to ``path`` (``-`` for stdout), atomically."
    return write


write_turtle = _rdf_writer("turtle")
write_ntriples = _rdf_writer("nt")
write_jsonld = _rdf_writer("jsonld")


# --------------------------------------------------------------------------- GraphML


def _scalar(v: Any) -> Any:
    if isinstance(v, bool | int | float):
        return v
    if isinstance(v, set | frozenset):
        v = sorted(v, key=str)
    if isinstance(v, list | tuple | dict):
        return replace_unsafe(json.dumps(v, ensure_ascii=False, default=str))
    return replace_unsafe(str(v))


def graphml_safe(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attributes GraphML can hold.

    Node ids and keys are clean strings; None values are dropped; lists, tuples, sets
    and dicts are JSON-encoded; text has no XML-illegal characters; a key that holds
    values of more than one type (int and str, bool and int) is written as strings, so
    every key has exactly one type.
    """
    import networkx as nx

    node_data = {replace_unsafe(str(n)): {replace_unsafe(str(k)): _scalar(v) for k, v in d.items() if v is not None} for n, d in G.nodes(data=True)}
    edge_data = [
        (replace_unsafe(str(u)), replace_unsafe(str(v)), replace_unsafe(str(k)), {replace_unsafe(str(a)): _scalar(b) for a, b in d.items() if b is not None})
        for u, v, k, d in G.edges(keys=True, data=True)
    ]

    def unify(items: Iterable[dict[str, Any]]) -> None:
        items = list(items)
        kinds: dict[str, set[type]] = {}
        for data in items:
            for k, val in data.items():
                kinds.setdefault(k, set()).add(type(val))
        mixed = {k for k, ts in kinds.items() if len(ts) > 1}
        if mixed:
            for data in items:
                for k in mixed & data.keys():
                    data[k] = str(data[k])

    unify(node_data.values())
    unify(d for *_, d in edge_data)
    H = nx.MultiDiGraph()
    H.add_nodes_from(node_data.items())
    for u, v, k, d in edge_data:
        H.add_edge(u, v, key=k, **d)
    return H


def write_graphml_graph(G: nx.MultiDiGraph, path: str | Path) -> None:
    import networkx as nx

    H = graphml_safe(G)
    try:
        with atomic_output(path) as fh:
            nx.write_graphml(H, fh, encoding="utf-8", prettyprint=True)
    except (TypeError, ValueError, UnicodeError) as exc:
        raise ExportError(f"{path}: the graph could not be written as GraphML ({exc}); please report this") from None


def write_graphml(result: AuditResult, path: str | Path) -> None:
    """Write the NetworkX view of the audit as GraphML to ``path``, atomically."""
    write_graphml_graph(build_networkx(result), path)


EXPORTERS: dict[str, Callable[[AuditResult, str | Path], None]] = {
    "turtle": write_turtle,
    "nt": write_ntriples,
    "jsonld": write_jsonld,
    "graphml": write_graphml,
}


# --------------------------------------------------------------------------- embedded store


def export_store(store_dir: str | Path, fmt: str, path: str | Path) -> int:
    """Write the content of the embedded store at ``store_dir`` as ``fmt``; returns the
    number of triples. Every graph of the store is exported (as one graph)."""
    from pyoxigraph import DefaultGraph

    if fmt not in EXPORTERS:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(EXPORTERS)}")
    store = open_store(store_dir, read_only=True)
    try:
        named = list(store.named_graphs())
        count = len(store) if not named else sum(1 for _ in store.quads_for_pattern(None, None, None, None))
        if fmt == "graphml":
            quads = store.quads_for_pattern(None, None, None, None)
            write_graphml_graph(networkx_from_triples((q.subject, q.predicate, q.object) for q in quads), path)
            return count
        with atomic_output(path) as fh:
            if not named:
                store.dump(fh, _oxigraph_format(fmt), from_graph=DefaultGraph(), prefixes=None if fmt == "nt" else SERIALIZATION_PREFIXES)
            else:
                serialize_triples(((q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, None)), fmt, fh)
        return count
    except OSError as exc:
        raise ExportError(f"{path}: could not be written ({exc}); check the path and free space") from None
    except LdnGraphError:
        raise
    except (ValueError, RuntimeError) as exc:
        raise ExportError(f"{store_dir}: the store could not be exported ({exc})") from None

